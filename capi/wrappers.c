/*
 * The public fmva_* symbols. Each is a small C function that
 *   1. refuses to enter Go in a child forked after the library loaded (the Go runtime's threads
 *      do not exist there: a call would hang) and returns FMVA_EFORKED at once;
 *   2. clears this thread's error message and passes its buffer to the Go export, which writes a
 *      message there on failure. Keeping the buffer in C thread-local storage gives every host
 *      thread its own fmva_last_error() without Go having to know which thread it runs on.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastmva.h"
#include "cluster_internal.h"
#include "_cgo_export.h"

#define ERRLEN 4096

/* Only a pointer lives in thread-local storage: the library is built with the static TLS model,
 * and glibc keeps just a few hundred bytes of static TLS for libraries loaded by dlopen (Python,
 * Julia), so a 4 KiB __thread array would make dlopen fail. The buffer itself is allocated on a
 * thread's first call and freed when the thread exits. */
static __thread char *thread_error;
static char fallback_error[ERRLEN]; /* used only if calloc fails; shared, but never NULL */
static pthread_key_t error_key;
static pthread_once_t error_key_once = PTHREAD_ONCE_INIT;

static void make_error_key(void) { pthread_key_create(&error_key, free); }

static char *error_buffer(void) {
    if (thread_error == NULL) {
        pthread_once(&error_key_once, make_error_key);
        thread_error = calloc(1, ERRLEN);
        if (thread_error == NULL) return fallback_error;
        pthread_setspecific(error_key, thread_error);
    }
    return thread_error;
}
#define last_error (error_buffer())
static volatile int forked_child = 0;

static void mark_forked_child(void) { forked_child = 1; }

__attribute__((constructor)) static void install_fork_guard(void) {
    pthread_atfork(NULL, NULL, mark_forked_child);
}

/* Returns non-zero (and sets the message) when the call must not enter Go. */
static int refuse_in_child(void) {
    last_error[0] = '\0';
    if (!forked_child) return 0;
    snprintf(last_error, ERRLEN,
             "fastmva cannot run in a process forked after it was loaded (the Go runtime does not "
             "survive fork); use spawn/forkserver worker processes");
    return 1;
}

/* The common start of every *_init function: the fork check, a NULL check naming the argument,
 * zeroed fields, and struct_size — the first field of every options and result struct. */
static int start_init(void *s, size_t size, const char *name) {
    if (refuse_in_child()) return FMVA_EFORKED;
    if (s == NULL) {
        snprintf(last_error, ERRLEN, "%s is NULL", name);
        return FMVA_EINVAL;
    }
    memset(s, 0, size);
    *(size_t *)s = size;
    return FMVA_OK;
}

int fastmva_internal_call_progress(fmva_progress_fn fn, void *user, int64_t done, int64_t total) {
    return fn(user, done, total);
}

int fmva_version(void) { return FASTMVA_VERSION_NUMBER; }

const char *fmva_last_error(void) { return last_error; }

int fmva_build_info(char *buf, size_t len) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_build_info(buf, len, last_error, ERRLEN);
}

int fmva_set_memory_limit(int64_t bytes) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_set_memory_limit(bytes, last_error, ERRLEN);
}

int fmva_kmeans_params_init(fmva_kmeans_params *params) {
    int st = start_init(params, sizeof *params, "params");
    if (st != FMVA_OK) return st;
    params->n_clusters = 8;
    params->init = FMVA_INIT_KMEANSPP;
    params->n_init = 1;
    params->max_iter = 300;
    params->tol = 1e-4;
    params->algorithm = FMVA_KMEANS_LLOYD;
    return FMVA_OK;
}

int fmva_kmeans_fit(const fmva_matrix *X, const fmva_kmeans_params *params, void *centers,
                    int32_t *labels, double *inertia, int32_t *n_iter) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_kmeans_fit((fmva_matrix *)X, (fmva_kmeans_params *)params, centers, labels,
                             inertia, n_iter, last_error, ERRLEN);
}

int fmva_kmeans_predict(const fmva_matrix *X, const fmva_matrix *centers, const void *sample_weight,
                        int32_t n_threads, int32_t *labels, double *inertia) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_kmeans_predict((fmva_matrix *)X, (fmva_matrix *)centers, (void *)sample_weight,
                                 n_threads, labels, inertia, last_error, ERRLEN);
}

int fmva_kmeans_transform(const fmva_matrix *X, const fmva_matrix *centers, int32_t n_threads,
                          void *distances) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_kmeans_transform((fmva_matrix *)X, (fmva_matrix *)centers, n_threads, distances,
                                   last_error, ERRLEN);
}

/* ---- cluster analysis ---------------------------------------------------------------------- */

int fastmva_internal_call_preprocess(fmva_preprocess_fn fn, void *user, const fmva_matrix *in,
                                     fmva_sink *out) {
    return fn(user, in, out);
}

int fmva_sink_write(fmva_sink *sink, const fmva_matrix *m) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_sink_write(sink, (fmva_matrix *)m, last_error, ERRLEN);
}

int fmva_cluster_params_init(fmva_cluster_params *params) {
    int st = start_init(params, sizeof *params, "params");
    if (st != FMVA_OK) return st;
    params->n_clusters = 8;
    params->preprocessing = FMVA_PREPROCESS_NONE;
    params->label_order = FMVA_ORDER_SIZE;
    return FMVA_OK;
}

int fmva_cluster_result_init(fmva_cluster_result *result) {
    int st = start_init(result, sizeof *result, "result");
    if (st != FMVA_OK) return st;
    return FMVA_OK;
}

int fmva_cluster_analysis(const fmva_matrix *X, const fmva_matrix *source_for_centers,
                          const fmva_cluster_params *params, fmva_cluster_result *result) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_cluster_analysis((fmva_matrix *)X, (fmva_matrix *)source_for_centers,
                                   (fmva_cluster_params *)params, result, last_error, ERRLEN);
}

int fmva_estimate_params_init(fmva_estimate_params *params) {
    int st = start_init(params, sizeof *params, "params");
    if (st != FMVA_OK) return st;
    params->metric = FMVA_METRIC_GAP;
    params->max_clusters = 10;
    params->n_ref = 4;
    params->gap_reference = FMVA_GAP_LINE;
    params->preprocessing = FMVA_PREPROCESS_NONE;
    return FMVA_OK;
}

int fmva_estimate_result_init(fmva_estimate_result *result) {
    int st = start_init(result, sizeof *result, "result");
    if (st != FMVA_OK) return st;
    return FMVA_OK;
}

int fmva_estimate_number_of_clusters(const fmva_matrix *X, const fmva_estimate_params *params,
                                     fmva_estimate_result *result) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_estimate_number_of_clusters((fmva_matrix *)X, (fmva_estimate_params *)params,
                                              result, last_error, ERRLEN);
}

/* ---- mini-batch k-means: the model is a small C struct holding the Go registry's id ---- */

struct fmva_minibatch {
    uint64_t id;
};

int fmva_minibatch_params_init(fmva_minibatch_params *params) {
    int st = start_init(params, sizeof *params, "params");
    if (st != FMVA_OK) return st;
    params->n_clusters = 8;
    params->init = FMVA_INIT_KMEANSPP;
    params->n_init = 1;
    params->max_iter = 100;
    params->batch_size = 1024;
    params->max_no_improvement = 10;
    params->reassignment_ratio = 0.01;
    return FMVA_OK;
}

int fmva_minibatch_create(int32_t dtype, int64_t n_features, const fmva_minibatch_params *params,
                          fmva_minibatch **model) {
    if (refuse_in_child()) return FMVA_EFORKED;
    if (model == NULL) {
        snprintf(last_error, ERRLEN, "model is NULL: pass the address of a fmva_minibatch pointer");
        return FMVA_EINVAL;
    }
    *model = NULL;
    fmva_minibatch *m = malloc(sizeof *m);
    if (m == NULL) {
        snprintf(last_error, ERRLEN, "out of memory allocating the model");
        return FMVA_ENOMEM;
    }
    int st = fmvago_minibatch_create(dtype, n_features, (fmva_minibatch_params *)params, &m->id,
                                     last_error, ERRLEN);
    if (st != FMVA_OK) {
        free(m);
        return st;
    }
    *model = m;
    return FMVA_OK;
}

/* The id of a model, 0 (never a valid id) for NULL: the Go side names the NULL argument. */
static uint64_t model_id(const fmva_minibatch *model) { return model == NULL ? 0 : model->id; }

int fmva_minibatch_partial_fit(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_minibatch_partial_fit(model_id(model), (fmva_matrix *)X, (void *)sample_weight,
                                        last_error, ERRLEN);
}

int fmva_minibatch_fit(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight,
                       int64_t *n_steps, int32_t *n_iter, double *ewa_inertia) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_minibatch_fit(model_id(model), (fmva_matrix *)X, (void *)sample_weight, n_steps,
                                n_iter, ewa_inertia, last_error, ERRLEN);
}

int fmva_minibatch_predict(fmva_minibatch *model, const fmva_matrix *X, const void *sample_weight,
                           int32_t *labels, double *inertia) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_minibatch_predict(model_id(model), (fmva_matrix *)X, (void *)sample_weight, labels,
                                    inertia, last_error, ERRLEN);
}

int fmva_minibatch_state(fmva_minibatch *model, void *centers, double *counts, int64_t *n_steps) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_minibatch_state(model_id(model), centers, counts, n_steps, last_error, ERRLEN);
}

int fmva_minibatch_set_state(fmva_minibatch *model, const void *centers, const double *counts,
                             int64_t n_steps) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_minibatch_set_state(model_id(model), (void *)centers, (double *)counts, n_steps,
                                      last_error, ERRLEN);
}

int fmva_minibatch_free(fmva_minibatch *model) {
    if (refuse_in_child()) return FMVA_EFORKED;
    if (model == NULL) return FMVA_OK;
    int st = fmvago_minibatch_free(model->id, last_error, ERRLEN);
    free(model);
    return st;
}

/* ---- distances ---- */

int fmva_euclidean_distances(const fmva_matrix *X, const fmva_matrix *Y, int32_t squared,
                             int32_t same_xy, int32_t n_threads, void *out) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_euclidean_distances((fmva_matrix *)X, (fmva_matrix *)Y, squared, same_xy,
                                      n_threads, out, last_error, ERRLEN);
}

int fmva_pairwise_distances_argmin_min(const fmva_matrix *X, const fmva_matrix *Y,
                                       int32_t n_threads, int64_t *argmin, double *distance) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_pairwise_distances_argmin_min((fmva_matrix *)X, (fmva_matrix *)Y, n_threads,
                                                argmin, distance, last_error, ERRLEN);
}

/* ---- SVD / PCA ------------------------------------------------------------------------------ */

int fmva_svd_params_init(fmva_svd_params *params) {
    int st = start_init(params, sizeof *params, "params");
    if (st != FMVA_OK) return st;
    params->solver = FMVA_SVD_AUTO;
    params->centre = FMVA_CENTRE_NONE;
    params->flip = FMVA_FLIP_NONE;
    params->n_oversamples = 10;
    params->n_power_iter = -1;
    return FMVA_OK;
}

int fmva_svd_result_init(fmva_svd_result *result) {
    int st = start_init(result, sizeof *result, "result");
    if (st != FMVA_OK) return st;
    return FMVA_OK;
}

int fmva_svd(const fmva_matrix *X, const fmva_svd_params *params, fmva_svd_result *result) {
    if (refuse_in_child()) return FMVA_EFORKED;
    return fmvago_svd((fmva_matrix *)X, (fmva_svd_params *)params, result, last_error, ERRLEN);
}
