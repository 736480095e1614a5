/*
 * fastmva.h — the public C interface of libfastmva.
 *
 * This hand-written header is the single source of truth of the ABI; a test fails when the
 * library's exported fmva_* symbols differ from the functions declared here.
 *
 * Conventions
 *  - Every function returns an int status: FMVA_OK (0) or one of the FMVA_E* codes below.
 *    After a failure, fmva_last_error() returns a message naming the problem. The message is
 *    kept per thread, so concurrent callers never see each other's errors.
 *  - A matrix is described by fmva_matrix: a row-major block of float32 or float64 values with
 *    an explicit row stride. The library reads caller memory in place and never keeps a pointer
 *    to it after the call returns.
 *  - Outputs are allocated by the caller; each function says the size it writes.
 *  - Options travel in structs that carry their own size (struct_size) and are filled with
 *    defaults by an *_init function, so later versions can append fields without breaking old
 *    callers.
 *  - Every function is reentrant and may be called from several threads at once.
 *
 * Process hazards of a Go runtime inside your process (read before linking)
 *  - fork(): the Go runtime does not survive fork() in the child. Every call made in a forked
 *    child returns FMVA_EFORKED at once instead of hanging. Start worker processes with
 *    posix_spawn / exec (Python: multiprocessing "spawn" or "forkserver").
 *  - The library must never be unloaded (dlclose is not supported), and only one Go runtime may
 *    live in a process. musl libc is not supported.
 *  - Signals: the Go runtime installs handlers for synchronous signals (SIGSEGV, SIGBUS, SIGFPE)
 *    and SIGPIPE etc. with SA_ONSTACK; a handler installed by the host before the library loads
 *    is chained to for signals raised outside Go code.
 *  - Threads: a call on several threads keeps its helper threads afterwards; they poll for up to
 *    0.5 ms for the next call's work before they sleep (as OpenMP runtimes do: waking a sleeping
 *    core can take longer than a whole small call), so the process stays busy that long after a
 *    call returns.
 */
#ifndef FASTMVA_H
#define FASTMVA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FASTMVA_VERSION_MAJOR 0
#define FASTMVA_VERSION_MINOR 1
#define FASTMVA_VERSION_PATCH 0
#define FASTMVA_VERSION_STRING "0.1.0"
/* MAJOR*10000 + MINOR*100 + PATCH, comparable with fmva_version(). */
#define FASTMVA_VERSION_NUMBER \
    (FASTMVA_VERSION_MAJOR * 10000 + FASTMVA_VERSION_MINOR * 100 + FASTMVA_VERSION_PATCH)

/* Status codes. Codes below 100 are stable across versions. */
#define FMVA_OK         0
#define FMVA_EINVAL     1 /* an argument is invalid; the message names it */
#define FMVA_ENOMEM     2 /* the work would need more memory than is available or allowed */
#define FMVA_ECALLBACK  3 /* a user callback returned a failure */
#define FMVA_ECANCELLED 4 /* a progress callback asked to stop */
#define FMVA_EINTERNAL  5 /* a bug inside the library (a recovered Go panic); the message has its text */
#define FMVA_EFORKED    6 /* called in a child process forked after the library was loaded */

/* Element types. */
#define FMVA_F32 1
#define FMVA_F64 2

/* A row-major matrix in caller memory: element (i, j) is at data[i * stride + j].
 * stride >= cols; stride may exceed cols (a view of a wider array). */
typedef struct fmva_matrix {
    const void *data;
    int32_t dtype;  /* FMVA_F32 or FMVA_F64 */
    int64_t rows;
    int64_t cols;
    int64_t stride; /* in elements */
} fmva_matrix;

/* Progress callback: called from the thread that made the call, never concurrently, with the
 * work done so far out of total (units are the function's own). Return 0 to go on; any other
 * value stops the work and the call returns FMVA_ECANCELLED. */
typedef int (*fmva_progress_fn)(void *user, int64_t done, int64_t total);

/* ---------------------------------------------------------------------------------------- */
/* Library information                                                                       */

/* Returns FASTMVA_VERSION_NUMBER of the loaded library (compare with the macro of the header
 * you compiled against). Never fails, also in a forked child. */
int fmva_version(void);

/* Writes a NUL-terminated JSON object into buf (at most len bytes, truncated if longer):
 * {"version": "...", "kernels": "avx512|avx2|generic", "cpu": {"name": ..., "features": [...]},
 *  "go": "..."}. Returns FMVA_OK, or FMVA_EINVAL if buf is NULL or len is 0.
 * The kernels are chosen once when the library loads (FASTMVA_KERNELS=generic|avx2|avx512
 * forces a choice). */
int fmva_build_info(char *buf, size_t len);

/* The message of the last call made on this thread if it failed, or "" if it succeeded. The
 * pointer stays valid until the next fmva_* call on the same thread. Never NULL. */
const char *fmva_last_error(void);

/* Caps the memory the library's Go heap may use, in bytes (0 = no cap beyond physical memory).
 * Calls that estimate they would exceed the cap (or the memory available on the machine) return
 * FMVA_ENOMEM before allocating. Process-wide. */
int fmva_set_memory_limit(int64_t bytes);

/* ---------------------------------------------------------------------------------------- */
/* k-means                                                                                   */

#define FMVA_INIT_KMEANSPP 0 /* greedy k-means++ with 2 + floor(ln k) local trials */
#define FMVA_INIT_RANDOM   1 /* k distinct rows chosen uniformly (weighted by sample_weight) */
#define FMVA_INIT_ARRAY    2 /* init_centers: k x cols, row-major, contiguous, X's dtype */

/* The assignment step. All give the same result from the same init (Lloyd's, bit for bit):
 * the bound-based ones only skip distances that their bounds, kept with a floating-point slack,
 * prove cannot change a label. AUTO runs Lloyd when k <= 8 or k * cols < 2048 (float32 and
 * float64 alike) and Hamerly otherwise; see docs/kmeans-algorithms.md for the measurements
 * behind it. */
#define FMVA_KMEANS_LLOYD   0 /* every distance, one fused pass over X per iteration */
#define FMVA_KMEANS_ELKAN   1 /* Elkan: k lower bounds per row (rows x k doubles of memory) */
#define FMVA_KMEANS_HAMERLY 2 /* Hamerly: one lower bound per row */
#define FMVA_KMEANS_AUTO    3 /* chosen by k and cols, as above */
#define FMVA_KMEANS_YINYANG 4 /* Yinyang: one lower bound per group of about 10 centers */

typedef struct fmva_kmeans_params {
    size_t struct_size;       /* sizeof(fmva_kmeans_params); set by fmva_kmeans_params_init */
    int32_t n_clusters;       /* k >= 1, k <= rows. Default 8 */
    int32_t init;             /* FMVA_INIT_*. Default FMVA_INIT_KMEANSPP */
    int32_t n_init;           /* restarts, the lowest inertia is kept; >= 1. Default 1 */
    int32_t max_iter;         /* >= 1. Default 300 */
    double tol;               /* relative to the mean per-feature variance of X; >= 0. Default 1e-4 */
    uint64_t seed;            /* random seed; equal seeds give equal results. Default 0 */
    int32_t n_threads;        /* 0 = all cores. Results do not depend on it. Default 0 */
    int32_t algorithm;        /* FMVA_KMEANS_*. Default FMVA_KMEANS_LLOYD */
    const void *init_centers; /* k x cols of X's dtype when init == FMVA_INIT_ARRAY, else NULL */
    const void *sample_weight;/* rows finite values >= 0 of X's dtype, at least one > 0 (with
                                 FMVA_INIT_RANDOM at least n_clusters > 0), or NULL for unit
                                 weights. Negative weights are refused (scikit-learn accepts them;
                                 they make the objective unbounded) */
    fmva_progress_fn progress;/* called after each Lloyd iteration with done = iterations so far over
                                 all restarts and total = n_init * max_iter; NULL = none */
    void *progress_user;      /* passed to progress */
} fmva_kmeans_params;

/* Fills *params with the defaults above. Returns FMVA_EINVAL if params is NULL. */
int fmva_kmeans_params_init(fmva_kmeans_params *params);

/* Fits k-means (scikit-learn KMeans semantics) to the rows of X.
 * Writes:
 *   centers   k x X->cols values of X's dtype, row-major, contiguous (caller-allocated)
 *   labels    X->rows int32 cluster indices in [0, k)
 *   inertia   sum over rows of weight * squared distance to the assigned center (may be NULL)
 *   n_iter    Lloyd iterations run by the best restart (may be NULL)
 * Errors: FMVA_EINVAL (NULL or malformed arguments, NaN/Inf in X, k > rows ...),
 * FMVA_ENOMEM, FMVA_ECANCELLED (progress returned non-zero), FMVA_EINTERNAL, FMVA_EFORKED.
 * The iterations label the rows in labels itself, so on an error its contents are unspecified. */
int fmva_kmeans_fit(const fmva_matrix *X, const fmva_kmeans_params *params,
                    void *centers, int32_t *labels, double *inertia, int32_t *n_iter);

/* Assigns each row of X to its nearest center (centers->cols == X->cols, same dtype).
 * Writes labels (X->rows int32) and, if inertia is not NULL, the sum of squared distances
 * weighted by sample_weight (X->rows finite values of X's dtype, or NULL). n_threads: 0 = all
 * cores. Errors: FMVA_EINVAL (NULL or malformed arguments, other width or dtype, NaN/Inf); on an
 * error the contents of labels are unspecified (X's values are checked during the pass). */
int fmva_kmeans_predict(const fmva_matrix *X, const fmva_matrix *centers,
                        const void *sample_weight, int32_t n_threads,
                        int32_t *labels, double *inertia);

/* Euclidean distances of each row of X to each center: writes X->rows x centers->rows values of
 * X's dtype, row-major, contiguous, into distances. n_threads: 0 = all cores. */
int fmva_kmeans_transform(const fmva_matrix *X, const fmva_matrix *centers, int32_t n_threads,
                          void *distances);

/* ---------------------------------------------------------------------------------------- */
/* Cluster analysis: HyperSpy's cluster_analysis and estimate_number_of_clusters             */
/*
 * The cluster source X has one row per navigation pixel ("pixel") and one column per feature
 * (a spectrum, decomposition loadings, fitted parameters...). Masks are arrays of uint8 where
 * non-zero means "not used", HyperSpy's convention: a masked pixel gets no label (-1), NaN
 * distances and adds to no signal; a masked feature is left out of the clustering only (never
 * out of source_for_centers). NaN/Inf are allowed in masked parts of X only.
 */

#define FMVA_PREPROCESS_NONE     0 /* cluster the data as they are */
#define FMVA_PREPROCESS_STANDARD 1 /* scikit-learn StandardScaler: (x - mean) / population std per feature;
                                      a (near-)constant feature keeps scale 1 */
#define FMVA_PREPROCESS_MINMAX   2 /* scikit-learn MinMaxScaler: each feature onto [0, 1]; a constant one to 0 */
#define FMVA_PREPROCESS_NORM     3 /* scikit-learn Normalizer: each row to unit L2 norm; zero rows stay zero */
#define FMVA_PREPROCESS_CALLBACK 4 /* the user's preprocess callback (see fmva_preprocess_fn) */

/* Which output row (cluster index) each k-means cluster becomes. */
#define FMVA_ORDER_SIZE     0 /* largest cluster first; equal sizes keep the k-means order */
#define FMVA_ORDER_HYPERSPY 1 /* HyperSpy's: k-means cluster i goes to row idx[i], idx being the clusters
                                 by decreasing size (so rows are not always in size order) */
#define FMVA_ORDER_NONE     2 /* the k-means labels */

/* Where a preprocessing callback hands over its result. Opaque; valid only during the callback. */
typedef struct fmva_sink fmva_sink;

/* A user preprocessing step (HyperSpy's object with fit_transform; e.g. a PCA). Called once, on
 * the thread that called the library, with the masked cluster source `in` (in->rows samples;
 * the memory `in` points to is valid only during the call and must not be written). It must
 * write its result with fmva_sink_write(out, ...) — in->rows rows, any number of columns, either
 * dtype — and return 0. Any other return value (or returning 0 without a result) makes the
 * library call fail with FMVA_ECALLBACK. */
typedef int (*fmva_preprocess_fn)(void *user, const fmva_matrix *in, fmva_sink *out);

/* Copies m into the library (converted to the cluster source's dtype): call it from a
 * preprocessing callback with the sink it received. m->rows must equal the callback's in->rows,
 * m->cols >= 1, every value finite. A second call replaces the first result. Returns FMVA_OK, or
 * FMVA_EINVAL (the message names the problem; the library call then fails with FMVA_ECALLBACK
 * carrying it), FMVA_ENOMEM. */
int fmva_sink_write(fmva_sink *sink, const fmva_matrix *m);

typedef struct fmva_cluster_params {
    size_t struct_size;             /* sizeof(fmva_cluster_params); set by fmva_cluster_params_init */
    int32_t n_clusters;             /* k >= 1, <= unmasked pixels. Default 8 */
    int32_t preprocessing;          /* FMVA_PREPROCESS_*. Default FMVA_PREPROCESS_NONE */
    fmva_preprocess_fn preprocess;  /* required with FMVA_PREPROCESS_CALLBACK, else ignored */
    void *preprocess_user;          /* passed to preprocess */
    const uint8_t *navigation_mask; /* X->rows values, non-zero = pixel not used; NULL = none */
    const uint8_t *signal_mask;     /* X->cols values, non-zero = feature not used; NULL = none */
    int32_t label_order;            /* FMVA_ORDER_*. Default FMVA_ORDER_SIZE */
    /* k-means options (NULL = the defaults of fmva_kmeans_params_init). Its n_clusters is
     * ignored; init_centers (FMVA_INIT_ARRAY) are k x n_features values in the preprocessed
     * space, of X's dtype; sample_weight must be NULL; progress is called after each Lloyd
     * iteration and can cancel (FMVA_ECANCELLED); n_threads is used for the whole call. */
    const fmva_kmeans_params *kmeans;
    /* X->rows cluster indices in [0, n_clusters) found by the caller's own algorithm (HyperSpy
     * accepts any object with fit and labels_), masked pixels' values ignored: no k-means runs,
     * everything else is derived from them. NULL (default) = k-means. */
    const int32_t *given_labels;
} fmva_cluster_params;

/* Fills *params with the defaults above. Returns FMVA_EINVAL if params is NULL. */
int fmva_cluster_params_init(fmva_cluster_params *params);

/* The outputs of fmva_cluster_analysis. Every pointer is caller-allocated and optional (NULL:
 * not computed). k = n_clusters; "pixels" = X->rows, masked ones included; dc =
 * source_for_centers->cols. Rows of every k x ... output are in the label_order. */
typedef struct fmva_cluster_result {
    size_t struct_size;          /* sizeof(fmva_cluster_result); set by fmva_cluster_result_init */
    int32_t *labels;             /* pixels: cluster of each pixel in [0, k), -1 if masked */
    int64_t *sizes;              /* k: pixels per cluster */
    double *distances;           /* k x pixels: Euclidean distance, in the preprocessed space, of each pixel
                                    to the mean of each cluster's members (HyperSpy's cluster_distances);
                                    NaN at masked pixels */
    double *sum_signals;         /* k x dc: sum of source_for_centers over each cluster's pixels */
    double *mean_signals;        /* k x dc: sum_signals / sizes */
    double *centroid_signals;    /* k x dc: the row of source_for_centers at centroid_pixels */
    int64_t *centroid_pixels;    /* k: the unmasked pixel nearest each cluster's mean (smallest distance) */
    double *centroids;           /* k x n_features: the cluster means in the preprocessed space */
    int64_t centroids_capacity;  /* values available at centroids (n_features is only known after
                                    preprocessing: too small gives FMVA_EINVAL before clustering) */
    /* Written by the call: */
    int64_t n_features;          /* columns of the preprocessed cluster source */
    double inertia;              /* k-means inertia (given_labels: the within-cluster sum of squares) */
    int32_t n_iter;              /* Lloyd iterations of the kept restart */
} fmva_cluster_result;

/* Zeroes *result (no outputs wanted) and sets struct_size. Returns FMVA_EINVAL if NULL. */
int fmva_cluster_result_init(fmva_cluster_result *result);

/* HyperSpy's cluster_analysis with k-means: masks X, preprocesses it, clusters it, then derives
 * the labels, the distances of every pixel to each cluster's mean and the sum, mean and
 * centroid signals of source_for_centers (NULL = X itself, all its columns — HyperSpy's default;
 * else source_for_centers->rows must equal X->rows, any cols and either dtype, NaN allowed). The
 * centroid signal of a cluster is source_for_centers at the pixel nearest the cluster's mean in
 * the preprocessed space of X. Memory: X is read in place; a copy of it is made only when it is
 * masked or preprocessed (the callback's output is that copy); besides that O(pixels + k x
 * (n_features + dc)). Never anything pixels x pixels.
 * Errors: FMVA_EINVAL (the message names the argument), FMVA_ENOMEM, FMVA_ECALLBACK (the
 * preprocess callback failed or gave an unusable result), FMVA_ECANCELLED, FMVA_EINTERNAL,
 * FMVA_EFORKED. Deterministic for a seed, whatever n_threads. */
int fmva_cluster_analysis(const fmva_matrix *X, const fmva_matrix *source_for_centers,
                          const fmva_cluster_params *params, fmva_cluster_result *result);

#define FMVA_METRIC_ELBOW      0 /* ln W(k); HyperSpy's elbow rule (farthest point from the chord) */
#define FMVA_METRIC_SILHOUETTE 1 /* mean silhouette (scikit-learn's silhouette_score), k >= 2 */
#define FMVA_METRIC_GAP        2 /* gap statistic */

#define FMVA_GAP_LINE    0 /* HyperSpy's reference: n evenly spaced points on the diagonal of the data's
                              bounding box, fitted n_ref times; HyperSpy's rule: the first k >= 2 with
                              gap(k) >= gap(k+1) - s(k+1), else 2 */
#define FMVA_GAP_UNIFORM 1 /* Tibshirani et al.: n_ref data sets uniform in the bounding box; the
                              smallest k >= 1 with gap(k) >= gap(k+1) - s(k+1), else the largest gap */

typedef struct fmva_estimate_params {
    size_t struct_size;             /* sizeof(fmva_estimate_params); set by fmva_estimate_params_init */
    int32_t metric;                 /* FMVA_METRIC_*. Default FMVA_METRIC_GAP */
    int32_t max_clusters;           /* k = 1 ... max_clusters (silhouette: from 2); >= 2. Default 10 */
    int32_t n_ref;                  /* gap: reference fits per k, >= 1. Default 4 */
    int32_t gap_reference;          /* FMVA_GAP_*. Default FMVA_GAP_LINE (HyperSpy's) */
    int32_t hyperspy_rules;         /* non-zero: HyperSpy's quirks that can change the answer — ln W
                                       clipped at 1e-30 before the elbow rule; the silhouette peak list
                                       with Python's s[-1] wrap-around, best = its first entry (else the
                                       highest score). Default 0 */
    int32_t preprocessing;          /* as in fmva_cluster_params */
    fmva_preprocess_fn preprocess;
    void *preprocess_user;
    const uint8_t *navigation_mask;
    const uint8_t *signal_mask;
    /* k-means options of every fit (NULL = defaults); n_clusters, init_centers and progress are
     * not used (init must not be FMVA_INIT_ARRAY); fit k of reference r is seeded from
     * (seed, k, r). n_threads is used for the whole call. */
    const fmva_kmeans_params *kmeans;
    fmva_progress_fn progress;      /* done/total in fits (silhouette evaluations count as fits); also
                                       called between Lloyd iterations; non-zero cancels. NULL = none */
    void *progress_user;
} fmva_estimate_params;

/* Fills *params with the defaults above. Returns FMVA_EINVAL if params is NULL. */
int fmva_estimate_params_init(fmva_estimate_params *params);

/* The outputs of fmva_estimate_number_of_clusters; curves have max_clusters values, entry k-1
 * for k clusters. Pointers are caller-allocated and optional (NULL: not written). */
typedef struct fmva_estimate_result {
    size_t struct_size;       /* sizeof(fmva_estimate_result); set by fmva_estimate_result_init */
    double *metric;           /* the metric (HyperSpy's cluster_metric_data); NaN where undefined (silhouette, k=1) */
    double *inertia;          /* W(k): within-cluster sum of squares of the data about the member means */
    double *gap_std_error;    /* gap: sqrt(1 + 1/n_ref) x population std of the references' ln W */
    int32_t *candidates;      /* room for max_clusters values: the silhouette peaks (HyperSpy returns this
                                 list), otherwise just best_k */
    /* Written by the call: */
    int32_t n_candidates;
    int32_t best_k;           /* the estimated number of clusters */
    int64_t n_features;       /* columns of the preprocessed cluster source */
} fmva_estimate_result;

/* Zeroes *result and sets struct_size. Returns FMVA_EINVAL if NULL. */
int fmva_estimate_result_init(fmva_estimate_result *result);

/* HyperSpy's estimate_number_of_clusters with k-means, every k in one call (X, masks and
 * preprocessing as in fmva_cluster_analysis). Fits run one after the other, each parallel over
 * rows; W(k) is computed from member means (HyperSpy builds n_c x n_c distance matrices), the
 * silhouette from per-row running sums (O(rows) memory, O(rows^2 x cols) time), the line
 * reference as one column (k-means on a line only sees distances along it). Extra memory: the
 * preprocessed copy (if any), k-means scratch O(rows x (3 + ln k)) doubles, and for
 * FMVA_GAP_UNIFORM one reference of X's size — which reuses the preprocessed copy when there is
 * one. Errors as fmva_cluster_analysis. Deterministic for a seed, whatever n_threads. */
int fmva_estimate_number_of_clusters(const fmva_matrix *X, const fmva_estimate_params *params,
                                     fmva_estimate_result *result);

/* ---------------------------------------------------------------------------------------- */
/* Mini-batch k-means (scikit-learn's MiniBatchKMeans) with an opaque model for streaming      */

/* A model: create it once, feed it batches with fmva_minibatch_partial_fit (or a whole matrix
 * with fmva_minibatch_fit), read its centers, free it. Calls on one model are serialized by the
 * library (a model may be passed between threads; concurrent calls on it wait for each other).
 * Different models are independent. */
typedef struct fmva_minibatch fmva_minibatch;

typedef struct fmva_minibatch_params {
    size_t struct_size;        /* sizeof(fmva_minibatch_params); set by fmva_minibatch_params_init */
    int32_t n_clusters;        /* k >= 1. Default 8 */
    int32_t init;              /* FMVA_INIT_*. Default FMVA_INIT_KMEANSPP */
    int32_t n_init;            /* fmva_minibatch_fit: initialisations tried, each on an init_size
                                  subsample and scored on another; >= 1. Default 1 */
    int32_t max_iter;          /* fmva_minibatch_fit: passes over X, >= 1. Default 100 */
    int32_t batch_size;        /* rows per step of fmva_minibatch_fit, >= 1. Default 1024 */
    int32_t max_no_improvement;/* stop after this many steps without improvement of the smoothed
                                  batch inertia; negative = never. Default 10 */
    int64_t init_size;         /* rows of the subsample the init is drawn from; 0 = 3 * batch_size
                                  (at least 3 * k), capped at the rows available. Default 0 */
    double tol;                /* stop when the squared center shift of a step is <= tol times the
                                  mean per-feature variance of X (0 = off). Default 0 */
    double reassignment_ratio; /* centers whose weight sum is below this fraction of the largest
                                  are moved onto random rows of a batch. Default 0.01 */
    uint64_t seed;             /* random seed. Default 0 */
    int32_t n_threads;         /* 0 = all cores. Results do not depend on it. Default 0 */
    const void *init_centers;  /* k x n_features of the model's dtype when init == FMVA_INIT_ARRAY */
} fmva_minibatch_params;

/* Fills *params with the defaults above (scikit-learn's). FMVA_EINVAL if params is NULL. */
int fmva_minibatch_params_init(fmva_minibatch_params *params);

/* Creates a model for rows of n_features values of dtype (FMVA_F32 or FMVA_F64) and writes it
 * to *model (set to NULL on failure). The params and init_centers are copied. Free the model
 * with fmva_minibatch_free. */
int fmva_minibatch_create(int32_t dtype, int64_t n_features, const fmva_minibatch_params *params,
                          fmva_minibatch **model);

/* One step on the batch X (the model's dtype and n_features), weighted by sample_weight
 * (X->rows values of the dtype, >= 0) or unit weights (NULL). The first batch also initialises
 * the centers (from an init_size subsample of it; it needs at least k rows) and fixes the
 * batch size in which the reassignment schedule counts. */
int fmva_minibatch_partial_fit(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight);

/* Fits the model to the whole of X, replacing its state. Writes (each may be NULL) n_steps:
 * steps taken; n_iter: passes over the data, ceil(n_steps * batch / rows); ewa_inertia: the
 * smoothed mean batch inertia when the fit stopped. */
int fmva_minibatch_fit(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight,
                       int64_t *n_steps, int32_t *n_iter, double *ewa_inertia);

/* Labels (X->rows int32) of the rows of X under the current centers and, if inertia is not
 * NULL, their weighted inertia. FMVA_EINVAL before the first batch. */
int fmva_minibatch_predict(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight,
                           int32_t *labels, double *inertia);

/* Copies the current state out (each output may be NULL): centers (k x n_features of the
 * dtype), counts (k doubles: the weight each center has absorbed), n_steps. FMVA_EINVAL before
 * the first batch. */
int fmva_minibatch_state(fmva_minibatch *model, void *centers, double *counts, int64_t *n_steps);

/* Replaces the state (to continue a model saved earlier): centers as above, counts (k doubles
 * >= 0, or NULL for zeros), n_steps. */
int fmva_minibatch_set_state(fmva_minibatch *model, const void *centers, const double *counts,
                             int64_t n_steps);

/* Frees a model; NULL is accepted and does nothing. The model must not be used afterwards. */
int fmva_minibatch_free(fmva_minibatch *model);

/* ---------------------------------------------------------------------------------------- */
/* Distances (scikit-learn's euclidean_distances and pairwise_distances_argmin_min)           */

/* Both compute ||x||^2 - 2 x.y + ||y||^2 in double precision (float32 input is widened block by
 * block, as scikit-learn does), clipped at 0: each squared distance is within a few eps_f64 *
 * (||x||^2 + ||y||^2) of the exact one. X and Y must have the same dtype and cols. */

/* Writes X->rows x Y->rows distances (squared != 0: squared distances) of X's dtype, row-major,
 * contiguous, into out. same_xy != 0 says Y is X (the diagonal is then exactly 0). */
int fmva_euclidean_distances(const fmva_matrix *X, const fmva_matrix *Y, int32_t squared,
                             int32_t same_xy, int32_t n_threads, void *out);

/* For each row of X: argmin = the index of the nearest row of Y (lowest index on ties) and
 * distance = its Euclidean distance, as double (X->rows values each). The nearest row is the
 * least ||y||^2 - 2 x.y in double as above; its distance is the direct sqrt(sum (x - y)^2) in
 * double, within a few eps_f64 of the exact one. */
int fmva_pairwise_distances_argmin_min(const fmva_matrix *X, const fmva_matrix *Y,
                                       int32_t n_threads, int64_t *argmin, double *distance);

/* ---------------------------------------------------------------------------------------- */
/* SVD / PCA                                                                                 */

#define FMVA_SVD_AUTO       0 /* randomized when k <= min(rows, cols)/10 and max(rows, cols) > 500 */
#define FMVA_SVD_EXACT      1 /* Gram matrix (float64) + symmetric eigensolver + Rayleigh-Ritz polish */
#define FMVA_SVD_RANDOMIZED 2 /* Halko et al. subspace iteration, QR-normalised at every step */

#define FMVA_CENTRE_NONE       0
#define FMVA_CENTRE_SIGNAL     1 /* subtract each row's mean (HyperSpy's centre="signal") */
#define FMVA_CENTRE_NAVIGATION 2 /* subtract each column's mean (HyperSpy's "navigation"; PCA's mean_) */

#define FMVA_FLIP_NONE     0
#define FMVA_FLIP_LOADINGS 1 /* largest-magnitude entry of each loadings (U) column positive */
#define FMVA_FLIP_FACTORS  2 /* ... of each factors (V) column: scikit-learn's PCA/TruncatedSVD */

typedef struct fmva_svd_params {
    size_t struct_size;        /* sizeof(fmva_svd_params); set by fmva_svd_params_init */
    int32_t n_components;      /* k: 0 = min(rows, cols) of the kept data. Default 0 */
    int32_t solver;            /* FMVA_SVD_*. Default FMVA_SVD_AUTO */
    int32_t centre;            /* FMVA_CENTRE_*. Default FMVA_CENTRE_NONE */
    int32_t poisson;           /* non-zero: Keenan-Kotula scaling D[i,j]/sqrt(aG[i] bH[j]) (row and column
                                  sums over the kept data; a zero sum counts as 1, so empty pixels and
                                  dead channels stay 0, never NaN). Needs data >= 0 and no centring.
                                  Default 0 */
    const uint8_t *navigation_mask; /* rows bytes, non-zero = row excluded (HyperSpy's convention); NULL = none */
    const uint8_t *signal_mask;     /* cols bytes, non-zero = column excluded; NULL = none */
    int32_t ddof;              /* explained_variance = s^2 / (kept rows - ddof): 0 HyperSpy, 1 scikit-learn.
                                  Default 0 */
    int32_t flip;              /* FMVA_FLIP_*. Default FMVA_FLIP_NONE */
    int32_t n_oversamples;     /* randomized: l = k + n_oversamples test vectors (<= 0: 10), rounded up to
                                  a multiple of 16 (the GEMM tile width: free, and faster to converge).
                                  Default 10 */
    int32_t n_power_iter;      /* randomized: >= 0 exactly that many; < 0 = auto: at most 8 if
                                  k < min(rows, cols)/10 else 5 (scikit-learn's counts + 1: each
                                  iteration here is one pass over X, theirs two), stopping
                                  earlier once the k leading Ritz pairs have relative residuals
                                  <= 1e-11 (more passes would not change them). Default -1 */
    uint64_t seed;             /* randomized: the Gaussian test matrix. Default 0 */
    int32_t n_threads;         /* 0 = all cores. Results do not depend on it. Default 0 */
    fmva_progress_fn progress; /* called between steps (blocks of the passes over X, the eigensolver,
                                  power iterations); non-zero cancels. NULL = none */
    void *progress_user;
} fmva_svd_params;

/* Fills *params with the defaults above. Returns FMVA_EINVAL if params is NULL. */
int fmva_svd_params_init(fmva_svd_params *params);

/* Outputs of fmva_svd: caller-allocated, each optional (NULL: not written, and loadings/factors
 * not computed when not needed). k = the number of components. */
typedef struct fmva_svd_result {
    size_t struct_size;         /* sizeof(fmva_svd_result); set by fmva_svd_result_init */
    void *loadings;             /* rows x k, X's dtype, contiguous: the left singular vectors U (unit
                                   columns; rows scaled by sqrt(aG) under Poisson). Rows excluded by the
                                   navigation mask are NaN */
    void *factors;              /* cols x k, X's dtype, contiguous: the right singular vectors V (rows
                                   scaled by sqrt(bH) under Poisson); excluded columns' rows NaN */
    double *singular_values;    /* k, descending */
    double *explained_variance; /* k: singular_values^2 / (kept rows - ddof) */
    double *mean;               /* the means removed: rows values (FMVA_CENTRE_SIGNAL) or cols values
                                   (FMVA_CENTRE_NAVIGATION), NaN where masked; untouched without centring */
    /* Written by the call: */
    int32_t n_components;       /* k */
    int32_t randomized;         /* 1 if the randomized solver ran */
    int64_t n_rows, n_cols;     /* kept by the masks */
    double total_variance;      /* ||prepared X||_F^2 / (kept rows - ddof): the sum of ALL components'
                                   explained variance, also when k is smaller */
    int32_t n_power_iter;       /* randomized: the power iterations run (auto may stop early) */
} fmva_svd_result;

/* Zeroes *result and sets struct_size. Returns FMVA_EINVAL if NULL. */
int fmva_svd_result_init(fmva_svd_result *result);

/* Thin SVD of X (rows = navigation/samples, cols = signal/features) after the masks, Poisson
 * scaling and centring of params: X' = U diag(s) V^T, the first k triplets.
 * Accuracy (FMVA_SVD_EXACT): every singular value within ~1e3 eps s_max of the exact one (tested:
 * 1e-9 s_max against LAPACK on graded and rank-deficient spectra); values below ~1e3 eps s_max are
 * not resolved (the floor). float32 X: the Gram matrix and eigensolver run in float64, U = X V / s
 * in float32 (absolute error ~ eps32 s_max per column).
 * Memory beyond the outputs: min(rows, cols)^2 doubles x ~3, a copy of the kept data when masks,
 * Poisson or centring change it, and (float32) a block of rows in float64. X is only read.
 * Errors: FMVA_EINVAL (shape, dtype, NaN/Inf in X, k too large, negative data under Poisson, all
 * data masked), FMVA_ENOMEM, FMVA_ECANCELLED. Deterministic for a seed, whatever n_threads. */
int fmva_svd(const fmva_matrix *X, const fmva_svd_params *params, fmva_svd_result *result);

#ifdef __cplusplus
}
#endif

#endif /* FASTMVA_H */
