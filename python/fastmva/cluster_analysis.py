"""HyperSpy's cluster analysis on NumPy arrays, running on the fast core.

:func:`cluster_analysis` and :func:`estimate_number_of_clusters` take the cluster source as a 2-D
array — one row per navigation pixel, one column per feature (an unfolded spectrum image, the
decomposition loadings, stacked fitted parameters) — and return HyperSpy's result names
(``cluster_labels``, ``cluster_distances``, ``cluster_sum_signals``, ``cluster_centroid_signals``,
``cluster_centroids``, ``cluster_metric_data``, ...) in a :class:`sklearn.utils.Bunch`.

Masks follow HyperSpy: ``True`` means "not used". A masked pixel belongs to no cluster (its
``cluster_labels`` column is all False, its distances NaN); a masked feature is left out of the
clustering only, never out of ``source_for_centers``.

Where HyperSpy has quirks, this API does the corrected thing by default and offers HyperSpy's
behaviour as an option (``fastmva.hyperspy`` uses the options):

- ``label_order="size"`` sorts the clusters by decreasing size; HyperSpy writes k-means cluster
  ``i`` to row ``argsort(sizes)[::-1][i]``, which is a size order only when that permutation is
  its own inverse (``label_order="hyperspy"``).
- ``hyperspy_rules=True`` reproduces the choice rules' quirks: ln W clipped at 1e-30 before the
  elbow rule, and the silhouette peak list built with Python's ``s[-1]`` wrap-around.
- Memory is O(n·d): no n×n or n_c×n_c distance matrix is ever built.
"""

import ctypes
import numbers

import numpy as np
from sklearn.utils import Bunch

from . import _lib
from ._progress import progress_callback
from .errors import InvalidArgument

__all__ = ["cluster_analysis", "estimate_number_of_clusters"]

_PREPROCESSING = {
    None: _lib.FMVA_PREPROCESS_NONE,
    "standard": _lib.FMVA_PREPROCESS_STANDARD,
    "minmax": _lib.FMVA_PREPROCESS_MINMAX,
    "norm": _lib.FMVA_PREPROCESS_NORM,
}
# The scikit-learn classes HyperSpy instantiates for each name (used when preprocessing_kwargs
# are given: the native scalings implement the defaults only).
_SKLEARN_PREPROCESSING = {"standard": "StandardScaler", "minmax": "MinMaxScaler", "norm": "Normalizer"}
_ORDERS = {
    "size": _lib.FMVA_ORDER_SIZE,
    "hyperspy": _lib.FMVA_ORDER_HYPERSPY,
    "none": _lib.FMVA_ORDER_NONE,
}
_METRICS = {
    "elbow": _lib.FMVA_METRIC_ELBOW,
    "silhouette": _lib.FMVA_METRIC_SILHOUETTE,
    "gap": _lib.FMVA_METRIC_GAP,
}
_GAP_REFERENCES = {"line": _lib.FMVA_GAP_LINE, "uniform": _lib.FMVA_GAP_UNIFORM}
# HyperSpy's other algorithm names: scikit-learn runs them in Python, fastmva the rest.
_SKLEARN_ALGORITHMS = {
    "agglomerative": "AgglomerativeClustering",
    "minibatchkmeans": "MiniBatchKMeans",
    "spectralclustering": "SpectralClustering",
}
_KMEANS_KWARGS = {"n_init", "max_iter", "tol", "random_state", "init", "algorithm", "copy_x", "verbose"}


# ---------------------------------------------------------------------------------------------
# Inputs


def _source(X, name="X"):
    """X as a 2-D float32/float64 array (integer counts become float32 up to 16 bits, else float64)."""
    a = np.asarray(X)
    if a.ndim != 2:
        raise InvalidArgument(
            f"{name} must be 2-D (pixels, features), got shape {a.shape}; unfold the navigation "
            "and signal axes first"
        )
    if a.dtype.kind in "fc" and a.dtype not in (np.float32, np.float64):
        a = a.astype(np.float64)
    elif a.dtype.kind in "iub":
        a = a.astype(np.float32 if a.dtype.itemsize <= 2 else np.float64)
    elif a.dtype.kind not in "f":
        raise InvalidArgument(f"{name} has dtype {a.dtype}; a numeric array is needed")
    return a


def _mask(mask, size, name):
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.size != size:
        raise InvalidArgument(f"{name} has {m.size} values, but {size} are needed")
    return np.ascontiguousarray(m.ravel(), dtype=np.uint8)


def _seed(random_state):
    if random_state is None:
        return int(np.random.default_rng().integers(0, 2**63))
    if isinstance(random_state, numbers.Integral):
        if not 0 <= random_state < 2**64:
            raise InvalidArgument(f"random_state must be in [0, 2**64), got {random_state}")
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**63))
    raise InvalidArgument(f"random_state must be None, an int or a NumPy generator, got {random_state!r}")


def _kmeans_params(kwargs, n_threads, dtype, what):
    """A fmva_kmeans_params from scikit-learn KMeans keyword arguments (HyperSpy's **kwargs)."""
    unknown = set(kwargs) - _KMEANS_KWARGS
    if unknown:
        raise TypeError(f"{what} got unexpected keyword arguments {sorted(unknown)} for k-means")
    params = _lib.kmeans_params()
    init = kwargs.get("init", "k-means++")
    init_array = None
    if isinstance(init, str):
        codes = {"k-means++": _lib.FMVA_INIT_KMEANSPP, "random": _lib.FMVA_INIT_RANDOM}
        if init not in codes:
            raise InvalidArgument(f"init must be 'k-means++', 'random' or an array, got {init!r}")
        params.init = codes[init]
    else:
        init_array = np.ascontiguousarray(init, dtype=dtype)
        params.init = _lib.FMVA_INIT_ARRAY
        params.init_centers = init_array.ctypes.data
    n_init = kwargs.get("n_init", "auto")
    if n_init == "auto":  # scikit-learn's rule
        n_init = 1 if params.init != _lib.FMVA_INIT_RANDOM else 10
    params.n_init = int(n_init)
    params.max_iter = int(kwargs.get("max_iter", 300))
    params.tol = float(kwargs.get("tol", 1e-4))
    params.seed = _seed(kwargs.get("random_state"))
    params.n_threads = 0 if n_threads is None else int(n_threads)
    return params, init_array


# ---------------------------------------------------------------------------------------------
# A preprocessing object (anything with fit_transform) behind the C callback


class _Preprocess:
    """Runs ``obj.fit_transform`` when the library calls back, hands the result to the sink.

    The callback body catches everything (an exception escaping a ctypes callback is only
    printed): it is stored and re-raised by :meth:`reraise` after the native call returns. The
    object never sees a view of library memory: the caller's own array is passed when the
    library hands back X itself (no mask), a copy of the masked rows otherwise.
    """

    def __init__(self, obj, X):
        self.obj = obj
        self.X = X
        self.error = None
        self.keep_result = False
        self.result = None
        self.c_function = _lib.PREPROCESS_FN(self._trampoline)

    def _input(self, m):
        X = self.X
        if m.data == X.ctypes.data and (m.rows, m.cols) == X.shape:
            return X
        dtype = np.float32 if m.dtype == _lib.FMVA_F32 else np.float64
        itemsize = np.dtype(dtype).itemsize
        count = (m.rows - 1) * m.stride + m.cols
        flat = np.frombuffer((ctypes.c_char * (count * itemsize)).from_address(m.data), dtype=dtype)
        view = np.lib.stride_tricks.as_strided(flat, (m.rows, m.cols), (m.stride * itemsize, itemsize))
        return np.array(view, copy=True)

    def _trampoline(self, user, matrix, sink):
        try:
            m = matrix.contents
            out = np.asarray(self.obj.fit_transform(self._input(m)))
            name = type(self.obj).__name__
            if out.ndim != 2:
                raise ValueError(
                    f"{name}.fit_transform returned an array of shape {out.shape}; the "
                    "preprocessing must return a 2-D (n_samples, n_features) array"
                )
            if out.shape[0] != m.rows:
                raise ValueError(
                    f"{name}.fit_transform returned {out.shape[0]} rows for {m.rows} samples; the "
                    "preprocessing must keep one row per sample"
                )
            if out.dtype.kind not in "fiub":
                raise TypeError(
                    f"{name}.fit_transform returned dtype {out.dtype}; a real numeric array is needed"
                )
            if out.dtype not in (np.float32, np.float64):
                out = out.astype(np.float64)
            if self.keep_result:
                self.result = out
            result, keep = _lib.as_matrix(out)
            status = _lib.lib.fmva_sink_write(sink, ctypes.byref(result))
            del keep
            return status  # a refusal: the library reports FMVA_ECALLBACK with the sink's message
        except BaseException as exc:  # noqa: BLE001, B036 - Ctrl-C included: all goes back as 1
            if self.error is None:
                self.error = exc
            return 1

    def reraise(self):
        error, self.error = self.error, None
        if error is not None:
            raise error


def _preprocessing(preprocessing, preprocessing_kwargs, X):
    """(code, callback or None) for the params struct."""
    kwargs = preprocessing_kwargs or {}
    if isinstance(preprocessing, str) or preprocessing is None:
        if preprocessing not in _PREPROCESSING:
            raise InvalidArgument(
                f"preprocessing must be one of {list(_PREPROCESSING)} or an object with a "
                f"fit_transform method, got {preprocessing!r}"
            )
        if not kwargs:
            return _PREPROCESSING[preprocessing], None
        if preprocessing is None:
            raise InvalidArgument("preprocessing_kwargs were given, but preprocessing is None")
        # Non-default scikit-learn options: run scikit-learn's own class through the callback.
        import sklearn.preprocessing

        preprocessing = getattr(sklearn.preprocessing, _SKLEARN_PREPROCESSING[preprocessing])(**kwargs)
    if not hasattr(preprocessing, "fit_transform"):
        raise InvalidArgument(
            f"preprocessing must be one of {list(_PREPROCESSING)} or an object with a "
            f"fit_transform method; {type(preprocessing).__name__} has none"
        )
    return _lib.FMVA_PREPROCESS_CALLBACK, _Preprocess(preprocessing, X)


def _labels_matrix(labels, n_clusters):
    """HyperSpy's cluster_labels: (k, pixels) bool, all False in a masked pixel's column."""
    out = np.zeros((n_clusters, labels.size), dtype=bool)
    kept = labels >= 0
    out[labels[kept], np.flatnonzero(kept)] = True
    return out


# ---------------------------------------------------------------------------------------------
# cluster_analysis


def cluster_analysis(
    X,
    n_clusters,
    preprocessing=None,
    preprocessing_kwargs=None,
    algorithm="kmeans",
    source_for_centers=None,
    navigation_mask=None,
    signal_mask=None,
    *,
    label_order="size",
    n_threads=None,
    progress=None,
    show_progressbar=False,
    **kwargs,
):
    """HyperSpy's ``cluster_analysis`` on a (pixels, features) array.

    Parameters
    ----------
    X : array (n_pixels, n_features)
        The cluster source, one row per navigation pixel.
    n_clusters : int
    preprocessing : None, "standard", "minmax", "norm" or an object with ``fit_transform``
        scikit-learn's StandardScaler, MinMaxScaler, Normalizer semantics. An object (e.g. a PCA)
        runs in Python through a callback; it may change the number of features. Exceptions it
        raises propagate unchanged.
    preprocessing_kwargs : dict, optional
        Options of the scikit-learn class of a named preprocessing (then run by scikit-learn).
    algorithm : "kmeans", "agglomerative", "minibatchkmeans", "spectralclustering" or an object
        with ``fit`` and ``labels_``. k-means runs in fastmva; the others run in Python on the
        preprocessed data, and fastmva derives distances and signals from their labels.
    source_for_centers : array (n_pixels, n_center_features), optional
        What the sum, mean and centroid signals are made of (default: X, all its columns).
    navigation_mask, signal_mask : bool arrays, optional
        True = pixel / feature not used (HyperSpy's convention).
    label_order : "size" (default), "hyperspy" or "none"
        The row order of the clusters; see the module documentation.
    n_threads : int, optional
        Threads of the native work (default: all cores). Results do not depend on it.
    progress : callable(done, total), optional
        Called after each Lloyd iteration; a truthy return cancels (:class:`fastmva.Cancelled`).
    show_progressbar : bool
        A tqdm bar of the Lloyd iterations, shown when the fit lasts more than a second.
        Ctrl-C stops the fit and raises KeyboardInterrupt.
    **kwargs
        Options of the algorithm (scikit-learn KMeans names for k-means: n_init, max_iter, tol,
        random_state, init).

    Returns
    -------
    sklearn.utils.Bunch
        HyperSpy's names: ``cluster_labels`` (k, pixels) bool, ``cluster_distances`` (k, pixels),
        ``cluster_sum_signals``, ``cluster_centroid_signals`` (k, n_center_features),
        ``cluster_centroids`` (k, preprocessed features), ``number_of_clusters``,
        ``cluster_algorithm``; and ``labels`` (pixels, -1 if masked), ``cluster_mean_signals``,
        ``cluster_sizes``, ``centroid_pixels``, ``inertia``, ``n_iter``.
    """
    X = _source(X)
    n, d = X.shape
    if label_order not in _ORDERS:
        raise InvalidArgument(f"label_order must be one of {list(_ORDERS)}, got {label_order!r}")
    nav = _mask(navigation_mask, n, "navigation_mask")
    sig = _mask(signal_mask, d, "signal_mask")
    centers = X if source_for_centers is None else _source(source_for_centers, "source_for_centers")
    if centers.shape[0] != n:
        raise InvalidArgument(
            f"source_for_centers has {centers.shape[0]} rows, but X has {n}: both need one row per pixel"
        )
    given = None
    if algorithm not in (None, "kmeans"):
        # Preprocess and fit in Python, then hand the labels to the native signals with the
        # preprocessed rows as X (zeros at masked pixels, which the library never reads).
        scaled, labels = _fit_other_algorithm(
            X, nav, sig, preprocessing, preprocessing_kwargs, algorithm, n_clusters, kwargs
        )
        n_clusters = int(labels.max()) + 1  # HyperSpy's count: the largest label + 1
        keep = slice(None) if nav is None else nav == 0
        X = np.zeros((n, scaled.shape[1]), dtype=scaled.dtype)
        X[keep] = scaled
        given = np.zeros(n, dtype=np.int32)
        given[keep] = labels
        sig, preprocessing, preprocessing_kwargs, kwargs = None, None, None, {}
    k = int(n_clusters)
    if not 1 <= k <= n:
        raise InvalidArgument(f"n_clusters={k} must be in [1, {n}] (the pixels of X)")
    code, callback = _preprocessing(preprocessing, preprocessing_kwargs, X)
    km, init_keep = _kmeans_params(kwargs, n_threads, X.dtype, "cluster_analysis")

    params = _lib.ClusterParams()
    _lib.check(_lib.lib.fmva_cluster_params_init(ctypes.byref(params)))
    params.n_clusters = k
    params.preprocessing = code
    if callback is not None:
        params.preprocess = callback.c_function
    params.navigation_mask = None if nav is None else nav.ctypes.data
    params.signal_mask = None if sig is None else sig.ctypes.data
    params.label_order = _ORDERS[label_order]
    params.kmeans = ctypes.pointer(km)
    if given is not None:
        params.given_labels = given.ctypes.data

    dc = centers.shape[1]
    out = Bunch(
        labels=np.empty(n, np.int32),
        cluster_sizes=np.empty(k, np.int64),
        cluster_distances=np.empty((k, n)),
        cluster_sum_signals=np.empty((k, dc)),
        cluster_mean_signals=np.empty((k, dc)),
        cluster_centroid_signals=np.empty((k, dc)),
        centroid_pixels=np.empty(k, np.int64),
    )
    result = _lib.ClusterResult()
    _lib.check(_lib.lib.fmva_cluster_result_init(ctypes.byref(result)))
    for name, field in (
        ("labels", "labels"),
        ("cluster_sizes", "sizes"),
        ("cluster_distances", "distances"),
        ("cluster_sum_signals", "sum_signals"),
        ("cluster_mean_signals", "mean_signals"),
        ("cluster_centroid_signals", "centroid_signals"),
        ("centroid_pixels", "centroid_pixels"),
    ):
        setattr(result, field, out[name].ctypes.data)
    # Without a callback the preprocessed width is at most X's. A callback may change it, and
    # the library checks the room right after preprocessing: rather than guess, the callback
    # keeps its output and the means are taken here (the only case where Python computes).
    centroids = None
    if callback is None:
        centroids = np.empty(k * d)
        result.centroids = centroids.ctypes.data
        result.centroids_capacity = centroids.size
    else:
        callback.keep_result = True
    xm, xa = _lib.as_matrix(X)
    cm, ca = (None, None) if centers is X else _lib.as_matrix(centers)
    bar = progress_callback(show_progressbar, progress, "k-means", "iter", delay=1.0)
    with bar as report, _lib.Progress(report) as prog:
        km.progress = prog.c_function
        status = _lib.lib.fmva_cluster_analysis(
            ctypes.byref(xm),
            None if cm is None else ctypes.byref(cm),
            ctypes.byref(params),
            ctypes.byref(result),
        )
    if callback is not None:
        callback.reraise()
    _lib.check(status, prog)
    del init_keep, xa, ca
    if callback is None:
        out.cluster_centroids = centroids[: k * result.n_features].reshape(k, result.n_features)
    else:
        out.cluster_centroids = _member_means(callback.result, out.labels, nav, k)
        callback.result = None
    out.cluster_labels = _labels_matrix(out.labels, k)
    out.number_of_clusters = k
    out.cluster_algorithm = "kmeans" if algorithm is None else algorithm
    out.inertia = float(result.inertia)
    out.n_iter = int(result.n_iter)
    return out


def _member_means(rows, labels, nav, k):
    """Mean of each cluster's rows of the preprocessed data (rows: unmasked pixels only)."""
    lab = labels if nav is None else labels[nav == 0]
    sums = np.zeros((k, rows.shape[1]))
    np.add.at(sums, lab, rows)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / np.bincount(lab, minlength=k)[:, None]


def _fit_other_algorithm(X, nav, sig, preprocessing, preprocessing_kwargs, algorithm, n_clusters, kwargs):
    """Masks and preprocesses X in Python and fits a non-k-means algorithm: (scaled, labels_)."""
    rows = X if nav is None else X[nav == 0]
    data = rows if sig is None else rows[:, sig == 0]
    if preprocessing is not None:
        if isinstance(preprocessing, str):
            import sklearn.preprocessing

            if preprocessing not in _SKLEARN_PREPROCESSING:
                raise InvalidArgument(f"preprocessing must be one of {list(_PREPROCESSING)}, got {preprocessing!r}")
            preprocessing = getattr(sklearn.preprocessing, _SKLEARN_PREPROCESSING[preprocessing])(
                **(preprocessing_kwargs or {})
            )
        data = np.asarray(preprocessing.fit_transform(data))
    data = _source(data, "the preprocessing output")
    if isinstance(algorithm, str):
        if algorithm not in _SKLEARN_ALGORITHMS:
            raise InvalidArgument(
                f"algorithm must be 'kmeans', one of {list(_SKLEARN_ALGORITHMS)} or an object "
                f"with fit and labels_, got {algorithm!r}"
            )
        import sklearn.cluster

        algorithm = getattr(sklearn.cluster, _SKLEARN_ALGORITHMS[algorithm])(n_clusters=n_clusters, **kwargs)
    if not hasattr(algorithm, "fit"):
        raise InvalidArgument(f"algorithm {type(algorithm).__name__} has no fit method")
    algorithm.fit(data)
    if not hasattr(algorithm, "labels_"):
        raise AttributeError(f"Fitted cluster estimator {type(algorithm).__name__} has no attribute 'labels_'")
    labels = np.asarray(algorithm.labels_)
    if labels.shape != (data.shape[0],) or labels.min() < 0:
        raise ValueError(
            f"{type(algorithm).__name__}.labels_ must hold one cluster index >= 0 per sample "
            f"({data.shape[0]}), got shape {labels.shape}"
        )
    return data, labels.astype(np.int32)


# ---------------------------------------------------------------------------------------------
# estimate_number_of_clusters


def estimate_number_of_clusters(
    X,
    max_clusters=10,
    metric="gap",
    n_ref=4,
    preprocessing=None,
    preprocessing_kwargs=None,
    navigation_mask=None,
    signal_mask=None,
    algorithm="kmeans",
    *,
    gap_reference="line",
    hyperspy_rules=False,
    n_threads=None,
    progress=None,
    show_progressbar=False,
    **kwargs,
):
    """HyperSpy's ``estimate_number_of_clusters`` on a (pixels, features) array, in one native call.

    Every k from 1 (silhouette: 2) to ``max_clusters`` is fitted with k-means; ``metric`` is
    "elbow" (ln of the within-cluster sum of squares W, HyperSpy's elbow rule), "silhouette"
    (scikit-learn's silhouette_score, computed without any n×n matrix) or "gap" (the gap statistic
    over ``n_ref`` references: ``gap_reference="line"`` is HyperSpy's — evenly spaced points on the
    diagonal of the data's bounding box — and "uniform" Tibshirani et al.'s uniform box).
    Fit k of reference r is seeded from (random_state, k, r): equal seeds give equal results, for
    any ``n_threads``. ``progress(done, total)`` counts fits; a truthy return cancels.
    ``show_progressbar`` draws a tqdm bar of the fits; Ctrl-C stops the search and raises
    KeyboardInterrupt.

    Returns
    -------
    sklearn.utils.Bunch
        ``estimated_number_of_clusters`` (an int; HyperSpy returns the list of silhouette peaks,
        here in ``candidates``), ``cluster_metric_index`` (the k), ``cluster_metric_data``,
        ``cluster_metric``, and ``inertia`` (W for every k from 1), ``gap_std_error``.
    """
    if algorithm not in (None, "kmeans"):
        raise InvalidArgument(
            f"estimate_number_of_clusters runs k-means in fastmva; algorithm={algorithm!r} is not supported"
        )
    if metric not in _METRICS:
        raise InvalidArgument(f"metric must be one of {list(_METRICS)}, got {metric!r}")
    if gap_reference not in _GAP_REFERENCES:
        raise InvalidArgument(f"gap_reference must be one of {list(_GAP_REFERENCES)}, got {gap_reference!r}")
    X = _source(X)
    n, d = X.shape
    kmax = int(max_clusters)
    if kmax < 2:
        raise InvalidArgument(f"max_clusters={kmax} must be at least 2")
    nav = _mask(navigation_mask, n, "navigation_mask")
    sig = _mask(signal_mask, d, "signal_mask")
    code, callback = _preprocessing(preprocessing, preprocessing_kwargs, X)
    if isinstance(kwargs.get("init"), np.ndarray) or not isinstance(kwargs.get("init", ""), str):
        raise InvalidArgument("init must be 'k-means++' or 'random': there is one fit per k")
    km, _ = _kmeans_params(kwargs, n_threads, X.dtype, "estimate_number_of_clusters")

    params = _lib.EstimateParams()
    _lib.check(_lib.lib.fmva_estimate_params_init(ctypes.byref(params)))
    params.metric = _METRICS[metric]
    params.max_clusters = kmax
    params.n_ref = int(n_ref)
    params.gap_reference = _GAP_REFERENCES[gap_reference]
    params.hyperspy_rules = 1 if hyperspy_rules else 0
    params.preprocessing = code
    if callback is not None:
        params.preprocess = callback.c_function
    params.navigation_mask = None if nav is None else nav.ctypes.data
    params.signal_mask = None if sig is None else sig.ctypes.data
    params.kmeans = ctypes.pointer(km)

    curve, inertia, se = np.empty(kmax), np.empty(kmax), np.empty(kmax)
    candidates = np.empty(kmax, np.int32)
    result = _lib.EstimateResult()
    _lib.check(_lib.lib.fmva_estimate_result_init(ctypes.byref(result)))
    result.metric, result.inertia = curve.ctypes.data, inertia.ctypes.data
    result.gap_std_error, result.candidates = se.ctypes.data, candidates.ctypes.data
    xm, xa = _lib.as_matrix(X)
    bar = progress_callback(show_progressbar, progress, f"{metric}, k = 1..{kmax}", "fit")
    with bar as report, _lib.Progress(report) as prog:
        params.progress = prog.c_function
        status = _lib.lib.fmva_estimate_number_of_clusters(
            ctypes.byref(xm), ctypes.byref(params), ctypes.byref(result)
        )
    if callback is not None:
        callback.reraise()
    _lib.check(status, prog)
    del xa
    first = 2 if metric == "silhouette" else 1
    return Bunch(
        estimated_number_of_clusters=int(result.best_k),
        candidates=[int(c) for c in candidates[: result.n_candidates]],
        cluster_metric_index=list(range(first, kmax + 1)),
        cluster_metric_data=curve[first - 1 :].copy(),
        cluster_metric=metric,
        inertia=inertia,
        gap_std_error=se if metric == "gap" else None,
    )
