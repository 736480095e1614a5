/* SVD from C: decompose a low-rank spectrum image (fmva_svd, exact and randomized), check that
 * the loadings, singular values and factors rebuild it, then cancel a second call from its
 * progress callback and read the status and message a caller gets. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fastmva.h"

#define ROWS 300 /* pixels (navigation) */
#define COLS 40  /* channels (signal) */
#define RANK 3

static int fail(const char *what, int status) {
    fprintf(stderr, "%s failed with status %d: %s\n", what, status, fmva_last_error());
    return 1;
}

/* A small linear congruential generator: the example needs reproducible numbers, not good ones. */
static double next_uniform(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (double)((*state >> 16) & 0x7fff) / 0x7fff;
}

/* X = abundances (ROWS x RANK, in [0, 1]) times spectra (RANK x COLS, peaks of decreasing
 * height): rank RANK exactly. */
static void make_data(double *x) {
    static double ab[ROWS * RANK], sp[RANK * COLS];
    unsigned seed = 7;
    for (int i = 0; i < ROWS * RANK; i++) ab[i] = next_uniform(&seed);
    for (int r = 0; r < RANK; r++)
        for (int j = 0; j < COLS; j++) {
            double t = (j - 10.0 * (r + 1)) / 3.0;
            sp[r * COLS + j] = pow(0.5, r) * exp(-t * t) + 0.1 * next_uniform(&seed);
        }
    for (int i = 0; i < ROWS; i++)
        for (int j = 0; j < COLS; j++) {
            double v = 0;
            for (int r = 0; r < RANK; r++) v += ab[i * RANK + r] * sp[r * COLS + j];
            x[i * COLS + j] = v;
        }
}

/* max |X - U diag(s) V^T| / max |X| over the whole matrix. */
static double rebuild_error(const double *x, const double *u, const double *s, const double *v) {
    double worst = 0, top = 0;
    for (int i = 0; i < ROWS; i++)
        for (int j = 0; j < COLS; j++) {
            double r = 0;
            for (int c = 0; c < RANK; c++) r += u[i * RANK + c] * s[c] * v[j * RANK + c];
            worst = fmax(worst, fabs(x[i * COLS + j] - r));
            top = fmax(top, fabs(x[i * COLS + j]));
        }
    return worst / top;
}

/* The progress callback of the second call: counts its calls and asks to stop at the first. */
static int cancel_at_once(void *user, int64_t done, int64_t total) {
    int *calls = user;
    (*calls)++;
    printf("progress %lld/%lld: cancelling\n", (long long)done, (long long)total);
    return 1;
}

int main(void) {
    static double x[ROWS * COLS], u[ROWS * RANK], v[COLS * RANK];
    double s[RANK], ev[RANK];
    make_data(x);
    fmva_matrix X = {x, FMVA_F64, ROWS, COLS, COLS};

    const int32_t solvers[2] = {FMVA_SVD_EXACT, FMVA_SVD_RANDOMIZED};
    double first_s[RANK];
    for (int t = 0; t < 2; t++) {
        fmva_svd_params p;
        fmva_svd_result res;
        int st = fmva_svd_params_init(&p);
        if (st != FMVA_OK) return fail("fmva_svd_params_init", st);
        if ((st = fmva_svd_result_init(&res)) != FMVA_OK) return fail("fmva_svd_result_init", st);
        p.n_components = RANK;
        p.solver = solvers[t];
        p.flip = FMVA_FLIP_LOADINGS;
        res.loadings = u;
        res.factors = v;
        res.singular_values = s;
        res.explained_variance = ev;
        if ((st = fmva_svd(&X, &p, &res)) != FMVA_OK) return fail("fmva_svd", st);
        if (res.n_components != RANK || res.n_rows != ROWS || res.n_cols != COLS || res.randomized != t) {
            fprintf(stderr, "unexpected result header: k=%d rows=%lld cols=%lld randomized=%d\n", res.n_components,
                    (long long)res.n_rows, (long long)res.n_cols, res.randomized);
            return 1;
        }
        /* Rank 3 data: three triplets rebuild it to rounding, and they hold all the variance. */
        double err = rebuild_error(x, u, s, v);
        double kept = (ev[0] + ev[1] + ev[2]) / res.total_variance;
        printf("%s SVD: s = %.6f %.6f %.6f, rebuild error %.1e, variance kept %.12f\n",
               t ? "randomized" : "exact", s[0], s[1], s[2], err, kept);
        if (!(err < 1e-10) || !(fabs(kept - 1) < 1e-10) || !(s[0] >= s[1] && s[1] >= s[2] && s[2] > 0)) {
            fprintf(stderr, "the decomposition does not rebuild the data\n");
            return 1;
        }
        if (t == 0) memcpy(first_s, s, sizeof s);
        for (int c = 0; t == 1 && c < RANK; c++)
            if (fabs(s[c] - first_s[c]) > 1e-10 * first_s[0]) {
                fprintf(stderr, "randomized s[%d] = %.15g, exact %.15g\n", c, s[c], first_s[c]);
                return 1;
            }
    }

    /* A long call can be stopped: the progress callback returns non-zero, the call returns
     * FMVA_ECANCELLED at once with a message saying so, and the outputs are not to be used. */
    fmva_svd_params p;
    fmva_svd_result res;
    int calls = 0;
    if (fmva_svd_params_init(&p) != FMVA_OK || fmva_svd_result_init(&res) != FMVA_OK) return 1;
    p.solver = FMVA_SVD_EXACT;
    p.progress = cancel_at_once;
    p.progress_user = &calls;
    res.singular_values = s;
    int st = fmva_svd(&X, &p, &res);
    const char *msg = fmva_last_error();
    if (st != FMVA_ECANCELLED || calls != 1 || msg == NULL || strstr(msg, "cancel") == NULL) {
        fprintf(stderr, "cancelling: status %d (want %d), %d callback calls (want 1), message \"%s\"\n", st,
                FMVA_ECANCELLED, calls, msg ? msg : "(null)");
        return 1;
    }
    printf("cancelled as asked: status %d, \"%s\"\n", st, msg);
    printf("ok\n");
    return 0;
}
