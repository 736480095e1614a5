"""k-means: the scikit-learn compatible estimator and the thin functions over the C calls."""

import ctypes
import numbers
import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_parameter_constraints
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from . import _fastpath, _lib
from .errors import InvalidArgument

__all__ = ["KMeans", "kmeans_fit", "kmeans_predict", "kmeans_transform"]

_INIT_CODES = {"k-means++": _lib.FMVA_INIT_KMEANSPP, "random": _lib.FMVA_INIT_RANDOM}
_ALGORITHMS = {
    "lloyd": _lib.FMVA_KMEANS_LLOYD,
    "elkan": _lib.FMVA_KMEANS_ELKAN,
    "hamerly": _lib.FMVA_KMEANS_HAMERLY,
    "yinyang": _lib.FMVA_KMEANS_YINYANG,
    "auto": _lib.FMVA_KMEANS_AUTO,
}

# ---------------------------------------------------------------------------------------------
# Thin functions over the C calls. They check only what the C side cannot (the sizes of the
# buffers passed as bare pointers) and leave every other check to the library, whose
# InvalidArgument names the bad argument.


def _int32(name, value):
    """value as an int for an int32_t field; InvalidArgument instead of a silent wrap-around."""
    value = int(value)
    if not -(2**31) <= value < 2**31:
        raise InvalidArgument(f"{name}={value} does not fit in a 32-bit integer")
    return value


def _threads(n_threads):
    return 0 if n_threads is None else _int32("n_threads", n_threads)


def _weights(sample_weight, rows, dtype):
    if sample_weight is None:
        return None
    w = np.ascontiguousarray(sample_weight, dtype=dtype)
    if w.shape != (rows,):
        raise InvalidArgument(
            f"sample_weight has shape {w.shape}, expected ({rows},) (one weight per row of X)"
        )
    return w


def kmeans_fit(
    X,
    n_clusters,
    *,
    init="k-means++",
    n_init=1,
    max_iter=300,
    tol=1e-4,
    seed=0,
    n_threads=None,
    sample_weight=None,
    progress=None,
    algorithm="lloyd",
):
    """Runs ``fmva_kmeans_fit`` on the rows of the 2-D float32/float64 array ``X``.

    ``init`` is "k-means++", "random" or a (n_clusters, n_features) array (cast to X's dtype).
    ``tol`` is relative to the mean per-feature variance of X (scikit-learn's convention).
    ``progress(done, total)`` is called after each iteration; a truthy return stops the work
    (:class:`~fastmva.errors.Cancelled`), an exception it raises is re-raised here.

    Returns ``(centers, labels, inertia, n_iter)``: centers (n_clusters, n_features) of X's dtype,
    labels int32, inertia float, n_iter int.
    """
    matrix, X = _lib.as_matrix(X)
    rows, cols = X.shape
    k = _int32("n_clusters", n_clusters)

    params = _lib.kmeans_params()
    params.n_clusters = k
    params.n_init = _int32("n_init", n_init)
    params.max_iter = _int32("max_iter", max_iter)
    params.tol = float(tol)
    seed = int(seed)
    if not 0 <= seed < 2**64:
        raise InvalidArgument(f"seed must be in [0, 2**64), got {seed}")
    params.seed = seed
    params.n_threads = _threads(n_threads)
    if algorithm not in _ALGORITHMS:
        raise InvalidArgument(f"algorithm must be one of {tuple(_ALGORITHMS)}, got {algorithm!r}")
    params.algorithm = _ALGORITHMS[algorithm]

    centers_init = None
    if isinstance(init, str):
        if init not in _INIT_CODES:
            raise InvalidArgument(
                f"init must be 'k-means++', 'random' or an array, got {init!r}"
            )
        params.init = _INIT_CODES[init]
    else:
        centers_init = np.ascontiguousarray(init, dtype=X.dtype)
        if centers_init.shape != (k, cols):
            raise InvalidArgument(
                f"init centers have shape {centers_init.shape}, expected ({k}, {cols})"
            )
        params.init = _lib.FMVA_INIT_ARRAY
        params.init_centers = centers_init.ctypes.data

    weights = _weights(sample_weight, rows, X.dtype)
    if weights is not None:
        params.sample_weight = weights.ctypes.data

    centers = np.empty((max(k, 0), cols), dtype=X.dtype)
    labels = np.empty(rows, dtype=np.int32)
    inertia = ctypes.c_double(np.nan)
    n_iter = ctypes.c_int32(0)

    with _lib.Progress(progress) as callback:
        params.progress = callback.c_function
        status = _lib.lib.fmva_kmeans_fit(
            ctypes.byref(matrix),
            ctypes.byref(params),
            _lib.pointer(centers),
            _lib.pointer(labels, ctypes.c_int32),
            ctypes.byref(inertia),
            ctypes.byref(n_iter),
        )
    _lib.check(status, callback)
    return centers, labels, float(inertia.value), int(n_iter.value)


def _centers_matrix(centers, X):
    return _lib.as_matrix(np.ascontiguousarray(centers, dtype=X.dtype))


def kmeans_predict(X, centers, *, sample_weight=None, n_threads=None):
    """Runs ``fmva_kmeans_predict``: returns ``(labels, inertia)`` for the rows of X.

    The centers are cast to X's dtype; inertia is the weighted sum of squared distances.
    """
    matrix, X = _lib.as_matrix(X)
    cmatrix, centers = _centers_matrix(centers, X)
    weights = _weights(sample_weight, X.shape[0], X.dtype)
    labels = np.empty(X.shape[0], dtype=np.int32)
    inertia = ctypes.c_double(np.nan)
    status = _lib.lib.fmva_kmeans_predict(
        ctypes.byref(matrix),
        ctypes.byref(cmatrix),
        _lib.pointer(weights),
        _threads(n_threads),
        _lib.pointer(labels, ctypes.c_int32),
        ctypes.byref(inertia),
    )
    _lib.check(status)
    return labels, float(inertia.value)


def kmeans_transform(X, centers, *, n_threads=None):
    """Runs ``fmva_kmeans_transform``: Euclidean distances (n_samples, n_centers) in X's dtype."""
    matrix, X = _lib.as_matrix(X)
    cmatrix, centers = _centers_matrix(centers, X)
    distances = np.empty((X.shape[0], centers.shape[0]), dtype=X.dtype)
    status = _lib.lib.fmva_kmeans_transform(
        ctypes.byref(matrix), ctypes.byref(cmatrix), _threads(n_threads), _lib.pointer(distances)
    )
    _lib.check(status)
    return distances


# ---------------------------------------------------------------------------------------------
# The estimator


def _column_dtypes(X):
    """The NumPy dtypes of X's values, without converting X: one for an array, one per column
    for a DataFrame; None for lists and anything else (their dtype is found by conversion)."""
    dtype = getattr(X, "dtype", None)
    if isinstance(dtype, np.dtype):
        return [dtype]
    dtypes = getattr(X, "dtypes", None)  # a pandas DataFrame
    if dtypes is not None:
        try:
            found = [np.dtype(t) for t in dtypes]
        except TypeError:  # extension dtypes (nullable integers, ...): let check_array decide
            return None
        return found or None
    return None


def _input_dtype(X):
    """The dtype(s) validation may produce (DESIGN.md, "Input types").

    float32 and float64 stay as they are, in either byte order (scikit-learn turns big-endian
    float32 into float64); 8- and 16-bit integers and booleans become float32 (exact, half the
    memory of float64); anything else numeric becomes float64 (scikit-learn makes every integer
    float64).
    """
    dtypes = _column_dtypes(X)
    if dtypes and all(
        t.kind == "b" or (t.kind in "iu" and t.itemsize <= 2) or (t.kind == "f" and t.itemsize == 4)
        for t in dtypes
    ):
        return np.float32
    return [np.float64, np.float32]


def _is_same_clustering(labels1, labels2, n_clusters):
    """True if labels2 is labels1 up to a renaming (scikit-learn's rule for n_init restarts)."""
    pairs = np.unique(labels1.astype(np.int64) * n_clusters + labels2)
    return len(np.unique(pairs // n_clusters)) == len(pairs)


class KMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    """K-Means clustering on the fastmva core; a drop-in for ``sklearn.cluster.KMeans``.

    Same parameters, attributes and semantics as scikit-learn's KMeans (greedy k-means++ with
    2 + floor(ln k) local trials, Lloyd iterations with strict convergence or a centre shift below
    ``tol`` times the mean per-feature variance, empty clusters relocated, ``n_init`` restarts
    keeping the lowest inertia, ``sample_weight``). Given the same initial centres, the labels
    equal scikit-learn's. Random draws differ from scikit-learn's, so with "k-means++"/"random"
    init the result equals scikit-learn's only up to the randomness of the initialisation.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"}, callable or array of shape (n_clusters, n_features)
        A callable is called as ``init(X, n_clusters, random_state=RandomState)``.
    n_init : "auto" or int, default="auto"
        "auto": 1 for "k-means++" and for an array, 10 for "random" and for a callable.
    max_iter : int, default=300
    tol : float, default=1e-4
    verbose : int, default=0
        Prints each iteration's progress when > 0.
    random_state : int, RandomState instance or None, default=None
        Drawn once per fit into the library's 64-bit seed: None gives fresh randomness, an int a
        reproducible result (for any ``n_threads``).
    copy_x : bool, default=True
        Accepted for compatibility; X is never modified (the library reads it in place).
    algorithm : {"lloyd", "elkan", "hamerly", "yinyang", "auto"}, default="lloyd"
        How the assignment step is done; all give the same result from the same init (Lloyd's).
        "elkan", "hamerly" and "yinyang" skip the distances that triangle-inequality bounds prove
        cannot change a label (Elkan: one bound per center and row; Hamerly: one per row;
        Yinyang: one per group of about 10 centers and row). "auto" runs Lloyd when
        n_clusters <= 8 or n_clusters * n_features < 2048, and Hamerly otherwise, as measured
        in docs/kmeans-algorithms.md. scikit-learn's "lloyd" and "elkan" mean the same here.
    n_threads : int or None, default=None
        Threads used by the library; None uses all cores. The results do not depend on it.

    Attributes
    ----------
    cluster_centers_ : ndarray (n_clusters, n_features), X's dtype
    labels_ : ndarray (n_samples,), int32
    inertia_ : float
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str (when X has string column names)

    Notes
    -----
    Deliberate differences from scikit-learn's KMeans (the pinned version in constraints.txt):

    - Input types. float32 and float64 are used as they are, big-endian ones included (scikit-
      learn turns big-endian float32 into float64). Integer counts of 8 or 16 bits and booleans
      become **float32** (exact, half the memory), wider integers float64; scikit-learn makes
      every integer input float64. So ``KMeans().fit(uint16_counts).cluster_centers_`` is
      float32 here. Lists, Fortran-ordered, strided and read-only arrays are accepted; float
      arrays with contiguous rows are read in place, without a copy.
    - ``copy_x`` has no effect: X is never modified, not even temporarily (scikit-learn centres
      X in place when ``copy_x=False``). Distances are computed on the data as given, not on
      the centred data, so a point at a near-tie between two centres (a squared-distance gap
      within rounding, ~1e-15 relative in float64) may get the other label.
    - A callable ``init`` receives X as given (scikit-learn passes the mean-centred X and reads
      the returned centres as centred coordinates); callables that pick rows of X give the same
      result either way.
    - ``sample_weight`` must be >= 0 (scikit-learn accepts negative weights, which make the
      objective unbounded) and, for ``init="random"``, have at least ``n_clusters`` non-zero
      values (scikit-learn fails there too, inside NumPy).
    - float32 sums (centres, inertia) are accumulated in float64: more accurate than
      scikit-learn's float32 sums, so float32 results agree with scikit-learn's to float32
      rounding, not bit for bit.
    - ``predict``/``transform``/``score`` accept data of either float dtype whatever the
      model's (scikit-learn raises a buffer dtype mismatch); they compute in the data's dtype.
    - The random draws are fastmva's own: for a given ``random_state`` the initial centres
      differ from scikit-learn's, with the same distribution. Sparse input is not supported.
    """

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "init": [StrOptions(set(_INIT_CODES)), callable, "array-like"],
        "n_init": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "copy_x": ["boolean"],
        # scikit-learn's options; fastmva's "hamerly", "yinyang" and "auto" are let through in
        # _check_params so a bad value gets scikit-learn's very message.
        "algorithm": [StrOptions({"lloyd", "elkan"})],
        "n_threads": [None, Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        verbose=0,
        random_state=None,
        copy_x=True,
        algorithm="lloyd",
        n_threads=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.n_threads = n_threads

    # -- checks --------------------------------------------------------------------------------

    def _check_params(self):
        # scikit-learn's own constraint checker: the same errors (InvalidParameterError, both a
        # ValueError and a TypeError) and the same messages as sklearn.cluster.KMeans.
        params = self.get_params(deep=False)
        if isinstance(self.algorithm, str) and self.algorithm in ("hamerly", "yinyang", "auto"):
            params["algorithm"] = "lloyd"
        validate_parameter_constraints(self._parameter_constraints, params, type(self).__name__)

    def _resolved_n_init(self, init_is_array):
        if isinstance(self.n_init, str):  # "auto", as scikit-learn >= 1.4
            n_init = 10 if (isinstance(self.init, str) and self.init == "random") or callable(
                self.init
            ) else 1
        else:
            n_init = int(self.n_init)
        if init_is_array and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one init in "
                f"{self.__class__.__name__} instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            n_init = 1
        return n_init

    def _validate_center_shape(self, X, centers):
        if centers.shape[0] != self.n_clusters:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the number "
                f"of clusters {self.n_clusters}."
            )
        if centers.shape[1] != X.shape[1]:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the number "
                f"of features of the data {X.shape[1]}."
            )

    def _check_test_data(self, X):
        return validate_data(self, X, reset=False, dtype=_input_dtype(X), accept_sparse=False)

    def _progress(self):
        if not self.verbose:
            return None

        def report(done, total):
            print(f"fastmva KMeans: iteration {done} (of at most {total})", flush=True)

        return report

    # -- fitting -------------------------------------------------------------------------------

    def fit(self, X, y=None, sample_weight=None):
        """Computes k-means clustering of the rows of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Read in place (no copy) when float32/float64 with contiguous rows.
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, in the initialisation ("k-means++" and "random" draw rows
            with probability proportional to them), the means and the inertia. Must be finite
            and >= 0 with at least one > 0.

        Returns
        -------
        self
        """
        self._check_params()
        # The library checks that X is finite in the pass that computes the tolerance, so the
        # scan here is left out, and run only when the fit fails: then scikit-learn's own error
        # for a NaN or infinity in X wins, as it would have come first. A callable init sees X
        # before the library does: there X is checked first.
        eager = callable(self.init)
        X = validate_data(self, X, dtype=_input_dtype(X), accept_sparse=False, ensure_all_finite=eager)
        try:
            return self._fit(X, sample_weight)
        except ValueError:
            if not eager:
                check_array(X, input_name="X", estimator=self, dtype=None, accept_sparse=False)
            raise

    def _fit(self, X, sample_weight):
        """fit on X as validate_data returned it (finite unless the library finds otherwise)."""
        n_samples = X.shape[0]
        if n_samples < self.n_clusters:
            raise ValueError(f"n_samples={n_samples} should be >= n_clusters={self.n_clusters}.")

        random_state = check_random_state(self.random_state)
        if sample_weight is not None:
            sample_weight = np.ascontiguousarray(
                _check_sample_weight(sample_weight, X, dtype=X.dtype)
            )

        init = self.init
        init_is_array = not isinstance(init, str) and not callable(init)
        n_init = self._resolved_n_init(init_is_array)
        if self.algorithm == "elkan" and self.n_clusters == 1:
            warnings.warn(
                "algorithm='elkan' doesn't make sense for a single cluster. Using 'lloyd' instead.",
                RuntimeWarning,
                stacklevel=2,
            )
        if init_is_array:
            init = check_array(init, dtype=X.dtype, copy=True, order="C")
            self._validate_center_shape(X, init)

        common = dict(
            algorithm=self.algorithm,
            max_iter=self.max_iter,
            tol=self.tol,
            n_threads=self.n_threads,
            sample_weight=sample_weight,
            progress=self._progress(),
        )
        if callable(init):
            best = None
            for _ in range(n_init):
                centers_init = init(X, self.n_clusters, random_state=random_state)
                centers_init = check_array(centers_init, dtype=X.dtype, copy=False, order="C")
                self._validate_center_shape(X, centers_init)
                result = kmeans_fit(X, self.n_clusters, init=centers_init, n_init=1, **common)
                if best is None or (
                    result[2] < best[2]
                    and not _is_same_clustering(result[1], best[1], self.n_clusters)
                ):
                    best = result
            centers, labels, inertia, n_iter = best
        else:
            seed = int(random_state.randint(0, 2**64, dtype=np.uint64))
            centers, labels, inertia, n_iter = kmeans_fit(
                X, self.n_clusters, init=init, n_init=n_init, seed=seed, **common
            )

        distinct = np.count_nonzero(np.bincount(labels, minlength=self.n_clusters))
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )

        self.cluster_centers_ = centers
        self._n_features_out = centers.shape[0]
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fits and returns ``labels_`` (the cluster index of each sample)."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fits and returns the distances of each sample to each cluster center."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    # -- using the fitted model ----------------------------------------------------------------

    def predict(self, X):
        """The index (int32) of the closest cluster center for each sample."""
        labels = _fastpath.predict(self, X)  # plain float arrays: µs of Python (see _fastpath)
        if labels is not None:
            return labels
        check_is_fitted(self)
        X = self._check_test_data(X)
        labels, _ = kmeans_predict(X, self.cluster_centers_, n_threads=self.n_threads)
        return labels

    def transform(self, X):
        """Euclidean distances (n_samples, n_clusters) to the cluster centers, in X's dtype."""
        check_is_fitted(self)
        X = self._check_test_data(X)
        return kmeans_transform(X, self.cluster_centers_, n_threads=self.n_threads)

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the k-means objective on X: minus the (weighted) inertia."""
        check_is_fitted(self)
        X = self._check_test_data(X)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        _, inertia = kmeans_predict(
            X, self.cluster_centers_, sample_weight=sample_weight, n_threads=self.n_threads
        )
        return -inertia

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
