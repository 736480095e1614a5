"""The C functions called directly through ctypes with bad arguments: FMVA_EINVAL and a message
naming the problem, never a crash. (examples/c/bad_input.c makes the same calls from C.)"""

import ctypes

import numpy as np
import pytest

from fastmva import _lib
from fastmva.errors import FMVA_EINVAL, FMVA_OK

N, D, K = 40, 3, 4


class Call:
    """Good arguments for fmva_kmeans_fit/predict/transform; each case spoils one of them."""

    def __init__(self):
        i = np.arange(N)[:, None]
        self.x = ((i % K) * 10.0 + np.arange(D) * 0.5 + (i % 7) * 0.01).astype(np.float64)
        self.x32 = self.x.astype(np.float32)
        self.w = np.ones(N)
        self.init = self.x[:K].copy()
        self.centers = self.x[:K].copy()
        self.labels = np.zeros(N, dtype=np.int32)
        self.dist = np.zeros((N, K))
        self.X = self.matrix(self.x)
        self.C = self.matrix(self.centers)
        self.p = _lib.kmeans_params()
        self.p.n_clusters = K

    @staticmethod
    def matrix(a):
        code = _lib.FMVA_F32 if a.dtype == np.float32 else _lib.FMVA_F64
        return _lib.Matrix(a.ctypes.data, code, a.shape[0], a.shape[1], a.shape[1])

    def fit(self, X=True, p=True, centers=True, labels=True):
        return _lib.raw.fmva_kmeans_fit(
            ctypes.byref(self.X) if X is True else X,
            ctypes.byref(self.p) if p is True else p,
            _lib.pointer(self.centers) if centers is True else centers,
            _lib.pointer(self.labels, ctypes.c_int32) if labels is True else labels,
            None,
            None,
        )

    def predict(self, X=True, C=True, w=None, threads=0, labels=True):
        return _lib.raw.fmva_kmeans_predict(
            ctypes.byref(self.X) if X is True else X,
            ctypes.byref(self.C) if C is True else C,
            w,
            threads,
            _lib.pointer(self.labels, ctypes.c_int32) if labels is True else labels,
            None,
        )

    def transform(self, out=True):
        return _lib.raw.fmva_kmeans_transform(
            ctypes.byref(self.X), ctypes.byref(self.C), 0, _lib.pointer(self.dist) if out is True else out
        )


def set_(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)


def nan_at(a, index, value=np.nan):
    a[index] = value


# name -> (spoil and call, word the message must contain)
CASES = {
    "fit X NULL": (lambda c: c.fit(X=None), "X is NULL"),
    "fit params NULL": (lambda c: c.fit(p=None), "params is NULL"),
    "fit centers NULL": (lambda c: c.fit(centers=None), "must not be NULL"),
    "fit labels NULL": (lambda c: c.fit(labels=None), "must not be NULL"),
    "X->data NULL": (lambda c: (set_(c.X, data=None), c.fit())[1], "X->data is NULL"),
    "dtype 0": (lambda c: (set_(c.X, dtype=0), c.fit())[1], "dtype code 0"),
    "dtype 99": (lambda c: (set_(c.X, dtype=99), c.fit())[1], "dtype code 99"),
    "rows 0": (lambda c: (set_(c.X, rows=0), c.fit())[1], "0 rows"),
    "rows < 0": (lambda c: (set_(c.X, rows=-5), c.fit())[1], "-5 rows"),
    "cols 0": (lambda c: (set_(c.X, cols=0), c.fit())[1], "0 columns"),
    "stride < cols": (lambda c: (set_(c.X, stride=D - 1), c.fit())[1], "stride"),
    "size overflows": (lambda c: (set_(c.X, rows=2**40, stride=2**40), c.fit())[1], "larger than"),
    "struct_size 0": (lambda c: (set_(c.p, struct_size=0), c.fit())[1], "struct_size"),
    "struct_size small": (lambda c: (set_(c.p, struct_size=12), c.fit())[1], "struct_size"),
    "k = 0": (lambda c: (set_(c.p, n_clusters=0), c.fit())[1], "n_clusters=0"),
    "k < 0": (lambda c: (set_(c.p, n_clusters=-3), c.fit())[1], "n_clusters=-3"),
    "k > n": (lambda c: (set_(c.p, n_clusters=N + 1), c.fit())[1], "n_clusters=41"),
    "init code": (lambda c: (set_(c.p, init=7), c.fit())[1], "init=7"),
    "init array NULL": (lambda c: (set_(c.p, init=_lib.FMVA_INIT_ARRAY), c.fit())[1], "init_centers is NULL"),
    "algorithm code": (lambda c: (set_(c.p, algorithm=9), c.fit())[1], "algorithm=9"),
    "n_threads < 0": (lambda c: (set_(c.p, n_threads=-1), c.fit())[1], "n_threads=-1"),
    "n_init 0": (lambda c: (set_(c.p, n_init=0), c.fit())[1], "n_init=0"),
    "max_iter 0": (lambda c: (set_(c.p, max_iter=0), c.fit())[1], "max_iter=0"),
    "tol < 0": (lambda c: (set_(c.p, tol=-1.0), c.fit())[1], "tol="),
    "tol NaN": (lambda c: (set_(c.p, tol=float("nan")), c.fit())[1], "tol="),
    "NaN in X": (lambda c: (nan_at(c.x, (2, 1)), c.fit())[1], "NaN"),
    "Inf in X": (lambda c: (nan_at(c.x, (2, 2), np.inf), c.fit())[1], "Inf"),
    "-Inf in float32 X": (
        lambda c: (nan_at(c.x32, (2, 2), -np.inf), set_(c, X=c.matrix(c.x32)), c.fit())[2],
        "Inf",
    ),
    "NaN in init": (
        lambda c: (nan_at(c.init, (0, 2)),
                   set_(c.p, init=_lib.FMVA_INIT_ARRAY, init_centers=c.init.ctypes.data), c.fit())[2],
        "init centers",
    ),
    "NaN weight": (lambda c: (nan_at(c.w, 3), set_(c.p, sample_weight=c.w.ctypes.data), c.fit())[2],
                   "sample_weight"),
    "negative weight": (lambda c: (nan_at(c.w, 3, -1.0), set_(c.p, sample_weight=c.w.ctypes.data),
                                   c.fit())[2], "sample_weight[3]"),
    "all-zero weights": (lambda c: (nan_at(c.w, slice(None), 0.0),
                                    set_(c.p, sample_weight=c.w.ctypes.data), c.fit())[2], "non-zero"),
    "predict X NULL": (lambda c: c.predict(X=None), "X is NULL"),
    "predict centers NULL": (lambda c: c.predict(C=None), "centers is NULL"),
    "predict labels NULL": (lambda c: c.predict(labels=None), "labels"),
    "predict other width": (lambda c: (set_(c.C, cols=2), c.predict())[1], "features"),
    "predict dtype mismatch": (lambda c: (set_(c.C, dtype=_lib.FMVA_F32), c.predict())[1], "dtype"),
    "predict NaN center": (lambda c: (nan_at(c.centers, (1, 1)), c.predict())[1], "NaN"),
    "predict Inf weight": (lambda c: (nan_at(c.w, 5, np.inf), c.predict(w=c.w.ctypes.data))[1], "sample_weight"),
    "predict n_threads < 0": (lambda c: c.predict(threads=-2), "n_threads=-2"),
    "transform out NULL": (lambda c: c.transform(out=None), "must not be NULL"),
    "params_init NULL": (lambda c: _lib.raw.fmva_kmeans_params_init(None), "NULL"),
    "build_info NULL": (lambda c: _lib.raw.fmva_build_info(None, 10), "NULL"),
}


def test_the_good_calls_succeed():
    c = Call()
    assert c.fit() == FMVA_OK
    assert c.predict() == FMVA_OK
    assert c.transform() == FMVA_OK
    assert _lib.last_error() == ""


@pytest.mark.parametrize("name", list(CASES))
def test_bad_argument_is_einval_with_a_message(name):
    spoil_and_call, word = CASES[name]
    status = spoil_and_call(Call())
    message = _lib.last_error()
    assert status == FMVA_EINVAL, f"status {status}: {message}"
    assert word in message


def test_library_still_works_after_every_bad_call():
    for spoil_and_call, _ in CASES.values():
        spoil_and_call(Call())
    assert Call().fit() == FMVA_OK
