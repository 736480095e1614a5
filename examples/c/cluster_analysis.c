/* HyperSpy-style cluster analysis from C: estimate the number of clusters, cluster with masks
 * and a separate source for the centers, a preprocessing callback that changes the number of
 * columns (a fixed projection, as a PCA would), and the failures a host must be able to handle:
 * a failing callback, a cancelled run, bad arguments. Exits non-zero on any unexpected result. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "fastmva.h"

#define N 300 /* HyperSpy's TestClusterEstimate: 3 x 100 points, 4 features, std 0.05 */
#define D 4
#define K 3
#define DC 6 /* columns of the centers' source */

static int failures = 0;
#define CHECK(cond, ...)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__);                            \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fprintf(stderr, " (last error: %s)\n", fmva_last_error());                         \
            failures++;                                                                        \
        }                                                                                      \
    } while (0)

/* A small deterministic generator: the example must not depend on the C library's rand(). */
static uint64_t rng_state = 88172645463325252ULL;
static double uniform01(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}
static double normal(void) { /* Box-Muller */
    return sqrt(-2 * log(uniform01())) * cos(6.283185307179586 * uniform01());
}

static const double centers[K][D] = {{-1, -1, 1, 1}, {1, -1, -1, -1}, {-1, 1, 1, -1}};
static double x[N * D];
static int blob[N];
static float other[N * DC]; /* source_for_centers: another width and dtype */

static void make_data(void) {
    for (int i = 0; i < N; i++) blob[i] = i % K;
    for (int i = N - 1; i > 0; i--) { /* shuffle the blobs, as HyperSpy's test does */
        int j = (int)(uniform01() * (i + 1));
        int t = blob[i];
        blob[i] = blob[j];
        blob[j] = t;
    }
    for (int i = 0; i < N; i++) {
        for (int f = 0; f < D; f++) x[i * D + f] = centers[blob[i]][f] + 0.05 * normal();
        for (int f = 0; f < DC; f++) other[i * DC + f] = (float)(100 * blob[i] + f + i % 5);
    }
}

/* ---- estimate_number_of_clusters ------------------------------------------------------ */

static void estimate(int metric, int reference, const char *name) {
    fmva_matrix X = {x, FMVA_F64, N, D, D};
    fmva_estimate_params p;
    fmva_estimate_params_init(&p);
    fmva_kmeans_params km;
    fmva_kmeans_params_init(&km);
    km.seed = 5;
    p.kmeans = &km;
    p.metric = metric;
    p.gap_reference = reference;
    p.max_clusters = 6;
    p.preprocessing = FMVA_PREPROCESS_NORM;
    double metric_curve[6], inertia[6], se[6];
    int32_t cand[6];
    fmva_estimate_result r;
    fmva_estimate_result_init(&r);
    r.metric = metric_curve;
    r.inertia = inertia;
    r.gap_std_error = se;
    r.candidates = cand;
    int st = fmva_estimate_number_of_clusters(&X, &p, &r);
    CHECK(st == FMVA_OK, "%s: status %d", name, st);
    CHECK(r.best_k == 3, "%s: best_k %d, expected 3", name, r.best_k);
    CHECK(r.n_candidates >= 1 && cand[0] == 3, "%s: first candidate %d", name, cand[0]);
    for (int k = 1; k < 6; k++) CHECK(inertia[k] <= inertia[k - 1] * 1.0001, "%s: W(%d) > W(%d)", name, k + 1, k);
    printf("%-12s best k = %d; metric:", name, r.best_k);
    for (int k = 0; k < 6; k++) printf(" %.3f", metric_curve[k]);
    printf("\n");
}

/* ---- cluster_analysis with masks and another source for the centers ------------------- */

static void cluster_with_masks(void) {
    fmva_matrix X = {x, FMVA_F64, N, D, D};
    fmva_matrix C = {other, FMVA_F32, N, DC, DC};
    uint8_t nav[N] = {0}, sig[D] = {0, 0, 0, 0};
    nav[3] = nav[10] = nav[200] = 1;
    sig[1] = 1; /* drop feature 1: the blobs stay separated on the other three */
    fmva_cluster_params p;
    fmva_cluster_params_init(&p);
    p.n_clusters = K;
    p.preprocessing = FMVA_PREPROCESS_STANDARD;
    p.navigation_mask = nav;
    p.signal_mask = sig;
    static int32_t labels[N];
    static double dist[K * N];
    int64_t sizes[K], cpix[K];
    double sums[K * DC], means[K * DC], csig[K * DC], cent[K * D];
    fmva_cluster_result r;
    fmva_cluster_result_init(&r);
    r.labels = labels;
    r.sizes = sizes;
    r.distances = dist;
    r.sum_signals = sums;
    r.mean_signals = means;
    r.centroid_signals = csig;
    r.centroid_pixels = cpix;
    r.centroids = cent;
    r.centroids_capacity = K * D;
    int st = fmva_cluster_analysis(&X, &C, &p, &r);
    CHECK(st == FMVA_OK, "cluster_analysis: status %d", st);
    CHECK(r.n_features == 3, "n_features %lld, expected 3 after the signal mask", (long long)r.n_features);

    int row_of_blob[K] = {-1, -1, -1};
    int64_t total = 0;
    for (int i = 0; i < N; i++) {
        if (nav[i]) {
            CHECK(labels[i] == -1, "masked pixel %d has label %d", i, labels[i]);
            for (int c = 0; c < K; c++) CHECK(isnan(dist[c * N + i]), "masked pixel %d has a distance", i);
            continue;
        }
        if (row_of_blob[blob[i]] < 0) row_of_blob[blob[i]] = labels[i];
        CHECK(labels[i] == row_of_blob[blob[i]], "pixel %d of blob %d has label %d", i, blob[i], labels[i]);
    }
    for (int c = 0; c < K; c++) {
        total += sizes[c];
        if (c > 0) CHECK(sizes[c] <= sizes[c - 1], "rows are not by decreasing size");
        /* Sum signals by hand, in the centers' source. */
        for (int f = 0; f < DC; f++) {
            double s = 0;
            for (int i = 0; i < N; i++)
                if (labels[i] == c) s += other[i * DC + f];
            CHECK(fabs(s - sums[c * DC + f]) <= 1e-9 * fabs(s), "sum signal %d,%d: %g vs %g", c, f, sums[c * DC + f], s);
            CHECK(fabs(means[c * DC + f] - s / sizes[c]) <= 1e-9 * fabs(s), "mean signal %d,%d", c, f);
            CHECK(csig[c * DC + f] == other[cpix[c] * DC + f], "centroid signal %d is not the row of pixel %lld", c, (long long)cpix[c]);
        }
        /* The centroid pixel has the smallest distance to its cluster's mean. */
        for (int i = 0; i < N; i++)
            if (!nav[i]) CHECK(dist[c * N + i] >= dist[c * N + cpix[c]], "pixel %d is nearer cluster %d than its centroid", i, c);
    }
    CHECK(total == N - 3, "sizes add up to %lld", (long long)total);
    printf("cluster_analysis: sizes %lld %lld %lld, inertia %.4f after %d iterations\n", (long long)sizes[0],
           (long long)sizes[1], (long long)sizes[2], r.inertia, r.n_iter);
}

/* ---- preprocessing callbacks ---------------------------------------------------------- */

struct projection {
    int calls;
    int fail;      /* return this instead of 0 */
    int bad_rows;  /* write one row too few */
    int no_write;  /* return 0 without writing */
};

/* Projects each row onto two fixed directions: the number of columns changes from 4 to 2,
 * as a PCA used as preprocessing would. */
static int project(void *user, const fmva_matrix *in, fmva_sink *out) {
    struct projection *pr = user;
    pr->calls++;
    if (pr->fail) return pr->fail;
    if (pr->no_write) return 0;
    if (in->dtype != FMVA_F64 || in->cols != D) return 1;
    const double *src = in->data;
    int64_t rows = in->rows - (pr->bad_rows ? 1 : 0);
    double *res = malloc(sizeof(double) * (size_t)rows * 2);
    if (!res) return 1;
    for (int64_t i = 0; i < rows; i++) {
        const double *r = src + i * in->stride;
        res[i * 2] = r[0] - r[1];
        res[i * 2 + 1] = r[2] + r[3];
    }
    fmva_matrix m = {res, FMVA_F64, rows, 2, 2};
    int st = fmva_sink_write(out, &m);
    free(res); /* the sink copied it */
    return st;
}

static void callbacks(void) {
    fmva_matrix X = {x, FMVA_F64, N, D, D};
    uint8_t nav[N] = {0};
    nav[0] = 1;
    struct projection pr = {0, 0, 0, 0};
    fmva_cluster_params p;
    fmva_cluster_params_init(&p);
    p.n_clusters = K;
    p.preprocessing = FMVA_PREPROCESS_CALLBACK;
    p.preprocess = project;
    p.preprocess_user = &pr;
    p.navigation_mask = nav;
    static int32_t labels[N];
    double cent[K * 2];
    fmva_cluster_result r;
    fmva_cluster_result_init(&r);
    r.labels = labels;
    r.centroids = cent;
    r.centroids_capacity = K * 2;
    int st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_OK, "callback: status %d", st);
    CHECK(pr.calls == 1, "callback called %d times", pr.calls);
    CHECK(r.n_features == 2, "callback: n_features %lld, expected 2", (long long)r.n_features);
    for (int i = 1; i < N; i++)
        for (int j = 1; j < N; j++)
            if (blob[i] == blob[j]) CHECK(labels[i] == labels[j], "callback: blob split at %d, %d", i, j);
    printf("callback: 4 -> %lld columns, clusters found\n", (long long)r.n_features);

    /* Too small a centroids buffer for the new width: refused before clustering. */
    r.centroids_capacity = K;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "centroids"), "small centroids: status %d", st);
    r.centroids_capacity = K * 2;

    pr.fail = 7;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_ECALLBACK && strstr(fmva_last_error(), "returned 7"), "failing callback: status %d", st);
    printf("failing callback -> FMVA_ECALLBACK: %s\n", fmva_last_error());
    pr.fail = 0;
    pr.bad_rows = 1;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_ECALLBACK && strstr(fmva_last_error(), "rows"), "wrong rows: status %d", st);
    printf("wrong shape -> FMVA_ECALLBACK: %s\n", fmva_last_error());
    pr.bad_rows = 0;
    pr.no_write = 1;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_ECALLBACK && strstr(fmva_last_error(), "fmva_sink_write"), "no result: status %d", st);
    pr.no_write = 0;
    CHECK(fmva_sink_write(NULL, &X) == FMVA_EINVAL, "a NULL sink is refused");
}

/* ---- cancellation --------------------------------------------------------------------- */

static int stop_after(void *user, int64_t done, int64_t total) {
    int *calls = user;
    (*calls)++;
    (void)total;
    return done >= 2; /* non-zero: stop */
}

static void cancel(void) {
    fmva_matrix X = {x, FMVA_F64, N, D, D};
    int calls = 0;
    fmva_estimate_params p;
    fmva_estimate_params_init(&p);
    p.max_clusters = 6;
    p.progress = stop_after;
    p.progress_user = &calls;
    fmva_estimate_result r;
    fmva_estimate_result_init(&r);
    int st = fmva_estimate_number_of_clusters(&X, &p, &r);
    CHECK(st == FMVA_ECANCELLED, "estimate cancel: status %d", st);
    printf("estimate cancelled after %d progress calls -> FMVA_ECANCELLED: %s\n", calls, fmva_last_error());

    fmva_kmeans_params km;
    fmva_kmeans_params_init(&km);
    km.tol = 0;
    km.progress = stop_after;
    km.progress_user = &calls;
    fmva_cluster_params cp;
    fmva_cluster_params_init(&cp);
    cp.n_clusters = 8;
    cp.kmeans = &km;
    fmva_cluster_result cr;
    fmva_cluster_result_init(&cr);
    st = fmva_cluster_analysis(&X, NULL, &cp, &cr);
    CHECK(st == FMVA_ECANCELLED, "cluster_analysis cancel: status %d", st);
}

/* ---- bad arguments -------------------------------------------------------------------- */

static void bad_arguments(void) {
    fmva_matrix X = {x, FMVA_F64, N, D, D};
    uint8_t all[N];
    memset(all, 1, sizeof all);
    fmva_cluster_params p;
    fmva_cluster_params_init(&p);
    fmva_cluster_result r;
    fmva_cluster_result_init(&r);
    p.navigation_mask = all;
    int st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "navigation_mask"), "all masked: status %d", st);
    printf("all pixels masked -> FMVA_EINVAL: %s\n", fmva_last_error());
    p.navigation_mask = NULL;
    p.n_clusters = N + 1;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "n_clusters"), "k > n: status %d", st);
    p.n_clusters = 3;
    p.preprocessing = 42;
    st = fmva_cluster_analysis(&X, NULL, &p, &r);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "preprocessing=42"), "bad code: status %d", st);
    fmva_matrix short_centers = {other, FMVA_F32, N - 1, DC, DC};
    p.preprocessing = FMVA_PREPROCESS_NONE;
    st = fmva_cluster_analysis(&X, &short_centers, &p, &r);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "source_for_centers"), "short centers: status %d", st);
    fmva_estimate_params ep;
    fmva_estimate_params_init(&ep);
    ep.max_clusters = 1;
    fmva_estimate_result er;
    fmva_estimate_result_init(&er);
    st = fmva_estimate_number_of_clusters(&X, &ep, &er);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "max_clusters"), "max_clusters 1: status %d", st);
    ep.struct_size = 8;
    st = fmva_estimate_number_of_clusters(&X, &ep, &er);
    CHECK(st == FMVA_EINVAL && strstr(fmva_last_error(), "struct_size"), "struct_size: status %d", st);
}

/* ---- memory: nothing n x n ------------------------------------------------------------ */

/* The gap statistic on 200 000 pixels: a single n x n float64 matrix would need 320 GB and
 * HyperSpy's per-cluster n_c x n_c ones tens of GB; the peak RSS must grow by far less. */
static void memory(void) {
    enum { BIG = 200000 };
    double *big = malloc(sizeof(double) * BIG * D);
    if (!big) {
        CHECK(0, "no memory for the test data");
        return;
    }
    for (int i = 0; i < BIG; i++)
        for (int f = 0; f < D; f++) big[i * D + f] = centers[i % K][f] + 0.05 * normal();
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    fmva_matrix X = {big, FMVA_F64, BIG, D, D};
    fmva_estimate_params p;
    fmva_estimate_params_init(&p);
    p.max_clusters = 5;
    fmva_estimate_result r;
    fmva_estimate_result_init(&r);
    int st = fmva_estimate_number_of_clusters(&X, &p, &r);
    getrusage(RUSAGE_SELF, &after);
    long grown_mib = (after.ru_maxrss - before.ru_maxrss) / 1024;
    CHECK(st == FMVA_OK && r.best_k == 3, "big gap: status %d, best_k %d", st, r.best_k);
    CHECK(grown_mib < 256, "peak RSS grew by %ld MiB for a %d MiB input", grown_mib, (int)(sizeof(double) * BIG * D >> 20));
    printf("gap on %d x %d: best k = %d, peak RSS growth %ld MiB (input %.1f MiB)\n", BIG, D, r.best_k, grown_mib,
           sizeof(double) * BIG * D / 1048576.0);
    free(big);
}

int main(void) {
    if (fmva_version() != FASTMVA_VERSION_NUMBER) {
        fprintf(stderr, "header %d and library %d differ\n", FASTMVA_VERSION_NUMBER, fmva_version());
        return 1;
    }
    make_data();
    estimate(FMVA_METRIC_ELBOW, FMVA_GAP_LINE, "elbow");
    estimate(FMVA_METRIC_SILHOUETTE, FMVA_GAP_LINE, "silhouette");
    estimate(FMVA_METRIC_GAP, FMVA_GAP_LINE, "gap/line");
    estimate(FMVA_METRIC_GAP, FMVA_GAP_UNIFORM, "gap/uniform");
    cluster_with_masks();
    callbacks();
    cancel();
    bad_arguments();
    memory();
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("OK\n");
    return 0;
}
