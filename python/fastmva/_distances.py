"""scikit-learn's euclidean_distances and pairwise_distances_argmin_min on the fastmva kernels."""

import ctypes

import numpy as np
from sklearn.metrics import pairwise as _sk_pairwise

from . import _lib
from .errors import InvalidArgument

__all__ = ["euclidean_distances", "pairwise_distances_argmin_min"]


def _check(X, Y):
    """scikit-learn's check_pairwise_arrays: 2-D, not sparse; float32 only if both are float32,
    else float64. Returns (X, Y, Y is X). Finiteness is left to the library, which checks each
    block inside its parallel passes and names the first NaN/infinity it meets (row and column);
    scikit-learn's own scan is a serial pass over X and Y before any work."""
    same = Y is None or Y is X
    X, Y = _sk_pairwise.check_pairwise_arrays(X, Y, accept_sparse=False, ensure_all_finite=False)
    return X, Y, same


def _empty_lines(shape, dtype):
    """np.empty(shape, dtype) starting on a 64-byte cache line (a view of a slightly larger array).

    The library stores a large output with non-temporal stores, which write whole cache lines
    without reading them first; they need aligned addresses, and NumPy's large arrays start 16
    bytes into a line, which would leave each row's first and last values to plain stores.
    """
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape)) * dtype.itemsize
    raw = np.empty(nbytes + 64, dtype=np.uint8)
    skip = -raw.ctypes.data % 64
    return raw[skip : skip + nbytes].view(dtype).reshape(shape)


def euclidean_distances(X, Y=None, *, Y_norm_squared=None, squared=False, X_norm_squared=None):
    """Distances between the rows of X and of Y, as ``sklearn.metrics.euclidean_distances``.

    Computed as ``||x||² − 2 x·y + ||y||²`` in float64 (float32 input is widened block by block, as
    scikit-learn does), clipped at 0, so each squared distance is within a few float64 epsilons
    times ``||x||² + ||y||²`` of the exact one; returned in float32 when X and Y both are, else
    float64. With ``Y=None`` (or Y is X) the diagonal is exactly 0.

    ``X_norm_squared``/``Y_norm_squared`` are checked for shape and otherwise not used: the
    library computes the norms itself at no noticeable cost.
    """
    X, Y, same = _check(X, Y)
    for name, norms, rows in (("X", X_norm_squared, X.shape[0]), ("Y", Y_norm_squared, Y.shape[0])):
        if norms is not None and np.asarray(norms).reshape(-1).shape[0] != rows:
            raise ValueError(
                f"Incompatible dimensions for {name} of shape {X.shape if name == 'X' else Y.shape} "
                f"and {name}_norm_squared of shape {np.shape(norms)}."
            )
    xm, X = _lib.as_matrix(X)
    ym, Y = (xm, X) if same else _lib.as_matrix(Y)
    out = _empty_lines((X.shape[0], Y.shape[0]), X.dtype)
    status = _lib.lib.fmva_euclidean_distances(
        ctypes.byref(xm), ctypes.byref(ym), int(bool(squared)), int(same), 0, _lib.pointer(out)
    )
    _lib.check(status)
    return out


def pairwise_distances_argmin_min(X, Y, *, axis=1, metric="euclidean", metric_kwargs=None):
    """For each row of X the nearest row of Y and its distance, as scikit-learn's function.

    Returns ``(argmin, distances)``: int64 indices (the lowest on ties) and float64 distances.
    ``axis=0`` swaps the roles of X and Y. Metrics other than "euclidean" (or euclidean with
    ``metric_kwargs``) are handed to scikit-learn.
    """
    if metric != "euclidean" or metric_kwargs:
        return _sk_pairwise.pairwise_distances_argmin_min(
            X, Y, axis=axis, metric=metric, metric_kwargs=metric_kwargs
        )
    if axis not in (0, 1):
        raise InvalidArgument(f"axis must be 0 or 1, got {axis!r}")
    X, Y, _ = _check(X, Y)
    if axis == 0:
        X, Y = Y, X
    xm, X = _lib.as_matrix(X)
    ym, Y = _lib.as_matrix(Y)
    argmin = np.empty(X.shape[0], dtype=np.int64)
    dist = np.empty(X.shape[0], dtype=np.float64)
    status = _lib.lib.fmva_pairwise_distances_argmin_min(
        ctypes.byref(xm), ctypes.byref(ym), 0, _lib.pointer(argmin, ctypes.c_int64),
        _lib.pointer(dist, ctypes.c_double),
    )
    _lib.check(status)
    return argmin, dist
