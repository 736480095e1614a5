/* Mini-batch k-means from C, the way acquisition software streams spectra into libfastmva:
 * create a model, hand it each batch as it arrives (fmva_minibatch_partial_fit), read the
 * centers, label new data, free the model. Also shows the errors a caller gets for bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "fastmva.h"

#define BATCH 500
#define BATCHES 20
#define D 8
#define K 4

static int fail(const char *what, int status) {
    fprintf(stderr, "%s failed with status %d: %s\n", what, status, fmva_last_error());
    return 1;
}

/* A small linear congruential generator: the example needs reproducible numbers, not good ones. */
static unsigned next_random(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* One "acquired" batch: rows from K blobs centred at (50*b, 50*b, ...) with noise in [0, 1]. */
static void acquire(float *x, int n, unsigned *seed) {
    for (int i = 0; i < n; i++) {
        int blob = (int)(next_random(seed) % K);
        for (int j = 0; j < D; j++) x[i * D + j] = 50.0f * blob + (float)next_random(seed) / 0x7fff;
    }
}

int main(void) {
    fmva_minibatch_params p;
    int st = fmva_minibatch_params_init(&p);
    if (st != FMVA_OK) return fail("fmva_minibatch_params_init", st);
    p.n_clusters = K;
    p.seed = 3;

    fmva_minibatch *model = NULL;
    if ((st = fmva_minibatch_create(FMVA_F32, D, &p, &model)) != FMVA_OK) return fail("create", st);

    static float x[BATCH * D];
    unsigned seed = 11;
    for (int b = 0; b < BATCHES; b++) {
        acquire(x, BATCH, &seed);
        fmva_matrix X = {x, FMVA_F32, BATCH, D, D};
        if ((st = fmva_minibatch_partial_fit(model, &X, NULL)) != FMVA_OK) return fail("partial_fit", st);
    }

    float centers[K * D];
    double counts[K];
    int64_t steps = 0;
    if ((st = fmva_minibatch_state(model, centers, counts, &steps)) != FMVA_OK) return fail("state", st);
    if (steps != BATCHES) {
        fprintf(stderr, "expected %d steps, got %lld\n", BATCHES, (long long)steps);
        return 1;
    }
    /* Every blob must have a center within a few units of it. */
    for (int blob = 0; blob < K; blob++) {
        double best = INFINITY;
        for (int c = 0; c < K; c++) {
            double s = 0;
            for (int j = 0; j < D; j++) {
                double t = centers[c * D + j] - (50.0 * blob + 0.5);
                s += t * t;
            }
            if (s < best) best = s;
        }
        if (sqrt(best) > 2.0) {
            fprintf(stderr, "no center near blob %d (nearest at %g)\n", blob, sqrt(best));
            return 1;
        }
    }

    acquire(x, BATCH, &seed);
    fmva_matrix X = {x, FMVA_F32, BATCH, D, D};
    int32_t labels[BATCH];
    double inertia = 0;
    if ((st = fmva_minibatch_predict(model, &X, NULL, labels, &inertia)) != FMVA_OK) return fail("predict", st);
    printf("mini-batch k-means: %lld steps, inertia of a new batch %.1f (%.3f per row)\n",
           (long long)steps, inertia, inertia / BATCH);

    /* Bad input comes back as a status and a message naming the problem. */
    fmva_matrix wrong = {x, FMVA_F32, BATCH, D - 1, D};
    st = fmva_minibatch_partial_fit(model, &wrong, NULL);
    if (st != FMVA_EINVAL) {
        fprintf(stderr, "a batch of the wrong width was accepted (status %d)\n", st);
        return 1;
    }
    printf("wrong width refused as expected: %s\n", fmva_last_error());
    st = fmva_minibatch_partial_fit(NULL, &X, NULL);
    if (st != FMVA_EINVAL) {
        fprintf(stderr, "a NULL model was accepted (status %d)\n", st);
        return 1;
    }

    if ((st = fmva_minibatch_free(model)) != FMVA_OK) return fail("free", st);
    if ((st = fmva_minibatch_free(NULL)) != FMVA_OK) return fail("free(NULL)", st);

    /* Distances: the nearest center of each row of the last batch, by the distance function. */
    fmva_matrix C = {centers, FMVA_F32, K, D, D};
    int64_t argmin[BATCH];
    double dist[BATCH];
    if ((st = fmva_pairwise_distances_argmin_min(&X, &C, 0, argmin, dist)) != FMVA_OK) return fail("argmin_min", st);
    for (int i = 0; i < BATCH; i++)
        if (argmin[i] != labels[i]) {
            fprintf(stderr, "row %d: argmin %lld, predict %d\n", i, (long long)argmin[i], labels[i]);
            return 1;
        }
    printf("ok\n");
    return 0;
}
