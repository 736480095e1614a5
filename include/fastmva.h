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

#define FMVA_KMEANS_LLOYD  0

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
 * FMVA_ENOMEM, FMVA_ECANCELLED (progress returned non-zero), FMVA_EINTERNAL, FMVA_EFORKED. */
int fmva_kmeans_fit(const fmva_matrix *X, const fmva_kmeans_params *params,
                    void *centers, int32_t *labels, double *inertia, int32_t *n_iter);

/* Assigns each row of X to its nearest center (centers->cols == X->cols, same dtype).
 * Writes labels (X->rows int32) and, if inertia is not NULL, the sum of squared distances
 * weighted by sample_weight (X->rows finite values of X's dtype, or NULL). n_threads: 0 = all
 * cores. Errors: FMVA_EINVAL (NULL or malformed arguments, other width or dtype, NaN/Inf). */
int fmva_kmeans_predict(const fmva_matrix *X, const fmva_matrix *centers,
                        const void *sample_weight, int32_t n_threads,
                        int32_t *labels, double *inertia);

/* Euclidean distances of each row of X to each center: writes X->rows x centers->rows values of
 * X's dtype, row-major, contiguous, into distances. n_threads: 0 = all cores. */
int fmva_kmeans_transform(const fmva_matrix *X, const fmva_matrix *centers, int32_t n_threads,
                          void *distances);

#ifdef __cplusplus
}
#endif

#endif /* FASTMVA_H */
