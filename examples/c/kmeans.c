/* k-means from C: what acquisition software linking libfastmva does.
 * Builds three well-separated blobs, fits k-means with k-means++, checks the result, predicts,
 * shows that bad input comes back as a status with a message, and prints build info. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fastmva.h"

#define N 3000
#define D 16
#define K 3

static int progress(void *user, int64_t done, int64_t total) {
    int *calls = user;
    (*calls)++;
    (void)done;
    (void)total;
    return 0; /* go on */
}

static int fail(const char *what, int status) {
    fprintf(stderr, "%s failed with status %d: %s\n", what, status, fmva_last_error());
    return 1;
}

int main(void) {
    if (fmva_version() != FASTMVA_VERSION_NUMBER) {
        fprintf(stderr, "header %d and library %d differ\n", FASTMVA_VERSION_NUMBER, fmva_version());
        return 1;
    }
    char info[4096];
    int st = fmva_build_info(info, sizeof info);
    if (st != FMVA_OK) return fail("fmva_build_info", st);
    printf("build info: %.120s...\n", info);

    static double x[N * D];
    srand(7);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++)
            x[i * D + j] = (i % K) * 50.0 + (double)rand() / RAND_MAX; /* blob i%K */

    fmva_matrix X = {x, FMVA_F64, N, D, D};
    fmva_kmeans_params p;
    if ((st = fmva_kmeans_params_init(&p)) != FMVA_OK) return fail("params_init", st);
    int calls = 0;
    p.n_clusters = K;
    p.seed = 42;
    p.n_init = 3;
    p.progress = progress;
    p.progress_user = &calls;

    static double centers[K * D];
    static int32_t labels[N];
    double inertia;
    int32_t n_iter;
    if ((st = fmva_kmeans_fit(&X, &p, centers, labels, &inertia, &n_iter)) != FMVA_OK)
        return fail("fmva_kmeans_fit", st);

    /* Rows i and i+K come from the same blob, and the K blobs must get K labels. */
    int used[K] = {0};
    for (int i = 0; i < N; i++) {
        if (labels[i] != labels[i % K]) {
            fprintf(stderr, "row %d: label %d, expected %d\n", i, labels[i], labels[i % K]);
            return 1;
        }
        used[labels[i]] = 1;
    }
    for (int c = 0; c < K; c++)
        if (!used[c]) { fprintf(stderr, "cluster %d is empty\n", c); return 1; }
    printf("fit: inertia %.3f after %d iterations, %d progress calls\n", inertia, n_iter, calls);

    fmva_matrix C = {centers, FMVA_F64, K, D, D};
    static int32_t predicted[N];
    double pin;
    if ((st = fmva_kmeans_predict(&X, &C, NULL, 0, predicted, &pin)) != FMVA_OK)
        return fail("fmva_kmeans_predict", st);
    for (int i = 0; i < N; i++)
        if (predicted[i] != labels[i]) { fprintf(stderr, "predict differs at %d\n", i); return 1; }
    if (fabs(pin - inertia) > 1e-9 * inertia) { fprintf(stderr, "inertia differs\n"); return 1; }

    /* Bad input: a status and a message naming the problem, never a crash. */
    x[5] = NAN;
    st = fmva_kmeans_fit(&X, &p, centers, labels, &inertia, &n_iter);
    if (st != FMVA_EINVAL) { fprintf(stderr, "NaN gave status %d\n", st); return 1; }
    printf("NaN input -> FMVA_EINVAL: %s\n", fmva_last_error());
    p.n_clusters = N + 1;
    st = fmva_kmeans_fit(&X, &p, centers, labels, &inertia, &n_iter);
    if (st != FMVA_EINVAL) { fprintf(stderr, "k > n gave status %d\n", st); return 1; }
    printf("k > n -> FMVA_EINVAL: %s\n", fmva_last_error());

    printf("OK\n");
    return 0;
}
