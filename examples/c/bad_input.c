/* The bad-input matrix of the C ABI: every malformed call returns FMVA_EINVAL, and
 * fmva_last_error() names the problem. Nothing may crash. Built and run by ./build.sh test with
 * -Wall -Wextra -Werror; exits non-zero on the first case that does not behave. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fastmva.h"

#define N 40
#define D 3
#define K 4

static double x[N * D], w[N], init[K * D], centers[K * D];
static float x32[N * D];
static int32_t labels[N];
static double dist[N * K];
static int failures;

/* The call returned FMVA_EINVAL and its message contains word. */
static void expect(const char *name, int status, const char *word) {
    const char *msg = fmva_last_error();
    int ok = status == FMVA_EINVAL && strstr(msg, word) != NULL;
    printf("%-32s %s  %s\n", name, ok ? "ok " : "BAD", msg);
    if (!ok) {
        fprintf(stderr, "  %s: status %d (want %d), message lacks \"%s\"\n", name, status,
                FMVA_EINVAL, word);
        failures++;
    }
}

/* Good arguments that each case then spoils in one place. */
static fmva_matrix X, X32, C;
static fmva_kmeans_params p;

static void reset(void) {
    for (int i = 0; i < N; i++) {
        w[i] = 1;
        for (int j = 0; j < D; j++) {
            x[i * D + j] = (i % K) * 10.0 + j * 0.5 + (i % 7) * 0.01;
            x32[i * D + j] = (float)x[i * D + j];
        }
    }
    memcpy(init, x, sizeof init);
    memcpy(centers, x, sizeof centers);
    X = (fmva_matrix){x, FMVA_F64, N, D, D};
    X32 = (fmva_matrix){x32, FMVA_F32, N, D, D};
    C = (fmva_matrix){centers, FMVA_F64, K, D, D};
    fmva_kmeans_params_init(&p);
    p.n_clusters = K;
}

static int fit(void) { return fmva_kmeans_fit(&X, &p, centers, labels, NULL, NULL); }
static int predict(void) { return fmva_kmeans_predict(&X, &C, NULL, 0, labels, NULL); }

int main(void) {
    reset();
    if (fit() != FMVA_OK) {
        fprintf(stderr, "the good call failed: %s\n", fmva_last_error());
        return 1;
    }

    /* --- fmva_kmeans_fit: pointers --- */
    reset(); expect("fit X NULL", fmva_kmeans_fit(NULL, &p, centers, labels, NULL, NULL), "X is NULL");
    reset(); expect("fit params NULL", fmva_kmeans_fit(&X, NULL, centers, labels, NULL, NULL), "params is NULL");
    reset(); expect("fit centers NULL", fmva_kmeans_fit(&X, &p, NULL, labels, NULL, NULL), "must not be NULL");
    reset(); expect("fit labels NULL", fmva_kmeans_fit(&X, &p, centers, NULL, NULL, NULL), "must not be NULL");
    reset(); X.data = NULL; expect("fit X->data NULL", fit(), "X->data is NULL");

    /* --- the matrix description --- */
    reset(); X.dtype = 0; expect("dtype 0", fit(), "dtype code 0");
    reset(); X.dtype = 3; expect("dtype 3", fit(), "dtype code 3");
    reset(); X.rows = 0; expect("rows 0", fit(), "0 rows");
    reset(); X.rows = -5; expect("rows < 0", fit(), "-5 rows");
    reset(); X.cols = 0; expect("cols 0", fit(), "0 columns");
    reset(); X.stride = D - 1; expect("stride < cols", fit(), "stride");
    reset(); X.rows = INT64_C(1) << 40; X.stride = INT64_C(1) << 40; expect("size overflows", fit(), "larger than");

    /* --- the params struct --- */
    reset(); p.struct_size = 0; expect("struct_size 0", fit(), "struct_size");
    reset(); p.struct_size = sizeof(size_t) + 4; expect("struct_size too small", fit(), "struct_size");
    reset(); p.n_clusters = 0; expect("k = 0", fit(), "n_clusters=0");
    reset(); p.n_clusters = -3; expect("k < 0", fit(), "n_clusters=-3");
    reset(); p.n_clusters = N + 1; expect("k > n", fit(), "n_clusters=41");
    reset(); p.init = 7; expect("init code", fit(), "params->init=7");
    reset(); p.init = FMVA_INIT_ARRAY; expect("init array NULL", fit(), "init_centers is NULL");
    reset(); p.algorithm = 9; expect("algorithm code", fit(), "algorithm=9");
    reset(); p.n_threads = -1; expect("n_threads < 0", fit(), "n_threads=-1");
    reset(); p.n_init = 0; expect("n_init 0", fit(), "n_init=0");
    reset(); p.max_iter = 0; expect("max_iter 0", fit(), "max_iter=0");
    reset(); p.tol = -1; expect("tol < 0", fit(), "tol=");
    reset(); p.tol = NAN; expect("tol NaN", fit(), "tol=");

    /* --- values --- */
    reset(); x[7] = NAN; expect("NaN in X", fit(), "NaN");
    reset(); x[8] = INFINITY; expect("Inf in X", fit(), "Inf");
    reset(); x32[8] = -INFINITY;
    expect("-Inf in float32 X", fmva_kmeans_fit(&X32, &p, centers, labels, NULL, NULL), "Inf");
    reset(); init[2] = NAN; p.init = FMVA_INIT_ARRAY; p.init_centers = init;
    expect("NaN in init", fit(), "init centers");
    reset(); w[3] = NAN; p.sample_weight = w; expect("NaN weight", fit(), "sample_weight");
    reset(); w[3] = -1; p.sample_weight = w; expect("negative weight", fit(), "sample_weight[3]");
    reset(); memset(w, 0, sizeof w); p.sample_weight = w; expect("all-zero weights", fit(), "non-zero");
    reset(); memset(w, 0, sizeof w); w[0] = w[1] = 1; p.sample_weight = w; p.init = FMVA_INIT_RANDOM;
    expect("random init, 2 weights", fit(), "only 2 non-zero");

    /* --- fmva_kmeans_predict / transform --- */
    reset(); expect("predict X NULL", fmva_kmeans_predict(NULL, &C, NULL, 0, labels, NULL), "X is NULL");
    reset(); expect("predict centers NULL", fmva_kmeans_predict(&X, NULL, NULL, 0, labels, NULL), "centers is NULL");
    reset(); expect("predict labels NULL", fmva_kmeans_predict(&X, &C, NULL, 0, NULL, NULL), "labels");
    reset(); C.cols = D + 1; C.stride = D + 1; expect("predict other width", predict(), "features");
    reset(); C.dtype = FMVA_F32; expect("predict dtype mismatch", predict(), "dtype");
    reset(); C.rows = 0; expect("predict no centers", predict(), "0 rows");
    reset(); centers[4] = NAN; expect("predict NaN center", predict(), "NaN");
    reset(); x[0] = NAN; expect("predict NaN in X", predict(), "NaN");
    reset(); w[5] = INFINITY;
    expect("predict Inf weight", fmva_kmeans_predict(&X, &C, w, 0, labels, NULL), "sample_weight");
    reset(); expect("predict n_threads < 0", fmva_kmeans_predict(&X, &C, NULL, -2, labels, NULL), "n_threads=-2");
    reset(); expect("transform out NULL", fmva_kmeans_transform(&X, &C, 0, NULL), "must not be NULL");
    reset(); C.cols = 2; expect("transform other width", fmva_kmeans_transform(&X, &C, 0, dist), "features");

    /* --- the rest of the API --- */
    expect("params_init NULL", fmva_kmeans_params_init(NULL), "NULL");
    expect("build_info NULL", fmva_build_info(NULL, 10), "NULL");
    expect("set_memory_limit < 0", fmva_set_memory_limit(-1), "");

    /* After all that, the library still works. */
    reset();
    if (fit() != FMVA_OK || fmva_last_error()[0] != '\0') {
        fprintf(stderr, "the good call failed after the bad ones: %s\n", fmva_last_error());
        return 1;
    }
    if (failures) {
        fprintf(stderr, "%d bad-input case(s) misbehaved\n", failures);
        return 1;
    }
    printf("bad input: all cases gave FMVA_EINVAL with a message\n");
    return 0;
}
