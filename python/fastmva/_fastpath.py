"""The hot path of ``predict``: a few microseconds of Python around the C call.

scikit-learn's ``validate_data`` costs ~100 µs per call (data-frame detection, dtype and finiteness
checks in Python), far more than labelling a handful of rows in the library. For the common case
— a plain 2-D float32/float64 ndarray with the fitted number of features, on an estimator fitted
without feature names — ``predict`` skips it: the library itself checks the input (NaN/infinity
included), so validation stays on. Anything else, and any input the library refuses, returns
None and the caller takes the general path (which raises scikit-learn's own error).
"""

import ctypes
import weakref

import numpy as np

from . import _lib

_FLOATS = {np.dtype(np.float32): _lib.FMVA_F32, np.dtype(np.float64): _lib.FMVA_F64}

# estimator -> (its centers array, the C matrix viewing that very array). Only views are cached
# (so an in-place change of cluster_centers_ is seen); a refit replaces the array and misses.
_centers_cache = weakref.WeakKeyDictionary()


def _centers_matrix(estimator, centers, dtype):
    hit = _centers_cache.get(estimator)
    if hit is not None and hit[0] is centers:
        return hit[1], centers
    matrix, array = _lib.as_matrix(np.ascontiguousarray(centers, dtype=dtype))
    if array is centers:
        _centers_cache[estimator] = (centers, matrix)
    return matrix, array


def predict(estimator, X):
    """Labels (int32) of the rows of X, or None when X needs the general path."""
    centers = getattr(estimator, "cluster_centers_", None)
    if (
        centers is None
        or type(X) is not np.ndarray
        or X.ndim != 2
        or X.dtype not in _FLOATS
        or not X.flags.c_contiguous
        or not X.flags.aligned
        or X.shape[0] == 0
        or X.shape[1] != centers.shape[1]
        or X.dtype != centers.dtype
        or "feature_names_in_" in estimator.__dict__
    ):
        return None
    if _lib.forked():
        return None  # the general path raises the clear ForkedError
    cmatrix, _keep = _centers_matrix(estimator, centers, X.dtype)
    rows = X.shape[0]
    matrix = _lib.Matrix(_address(X), _FLOATS[X.dtype], rows, X.shape[1], X.shape[1])
    labels_address, labels = _labels_buffer(rows)
    threads = estimator.n_threads or 0
    status = _lib.kmeans_predict_by_address(
        ctypes.addressof(matrix), ctypes.addressof(cmatrix), None, threads, labels_address, None
    )
    if status:
        return None  # the general path re-validates and raises scikit-learn's own error
    return labels


# Up to this many rows the labels live in a ctypes array viewed by NumPy: its address costs
# nothing to read, where ndarray.ctypes.data builds an object (1.9 against 3.6 µs a call, a
# third of predict's Python). ctypes zeroes its arrays, which for many rows costs more than it
# saves: those take np.empty.
_SMALL_LABELS = 4096


def _labels_buffer(rows):
    """(address, int32 array of rows labels) for the library to write the labels into."""
    if rows <= _SMALL_LABELS:
        buf = (ctypes.c_int32 * rows)()
        return ctypes.addressof(buf), np.frombuffer(buf, dtype=np.int32)
    labels = np.empty(rows, dtype=np.int32)
    return labels.ctypes.data, labels


def _address(X):
    """The address of X's data. A writable array exports its buffer to ctypes for free (1.0
    against 1.8–2.9 µs for X.ctypes.data, which builds an object); a read-only one cannot."""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(X))
    except TypeError:
        return X.ctypes.data
