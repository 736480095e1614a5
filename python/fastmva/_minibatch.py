"""Mini-batch k-means: the scikit-learn compatible estimator over the fmva_minibatch_* model."""

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
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from . import _fastpath, _lib
from sklearn.utils._param_validation import Interval, StrOptions, validate_parameter_constraints

from ._kmeans import _input_dtype, kmeans_predict, kmeans_transform

__all__ = ["MiniBatchKMeans", "MiniBatchModel"]

_INIT_CODES = {"k-means++": _lib.FMVA_INIT_KMEANSPP, "random": _lib.FMVA_INIT_RANDOM}


class MiniBatchModel:
    """Owns one ``fmva_minibatch`` model of the C library (freed with this object).

    The thin layer the estimator uses, also usable directly for streaming: ``partial_fit`` batch
    after batch, ``state()`` for the centers. Calls on one model are serialized by the library.
    """

    def __init__(self, dtype, n_features, params, init_centers=None):
        self._handle = None
        self.dtype = np.dtype(dtype)
        self.n_features = int(n_features)
        self.n_clusters = int(params.n_clusters)
        if init_centers is not None:
            init_centers = np.ascontiguousarray(init_centers, dtype=self.dtype)
            params.init_centers = init_centers.ctypes.data
        handle = ctypes.c_void_p()
        status = _lib.lib.fmva_minibatch_create(
            _lib.dtype_code(self.dtype), self.n_features, ctypes.byref(params), ctypes.byref(handle)
        )
        _lib.check(status)
        self._handle = handle

    def __del__(self):
        handle, self._handle = getattr(self, "_handle", None), None
        try:
            if handle is not None and not _lib.forked():
                _lib.lib.fmva_minibatch_free(handle)
        except Exception:  # noqa: BLE001 - at interpreter exit the module may be half torn down
            pass

    def _matrix(self, X):
        return _lib.as_matrix(X, dtype=self.dtype)

    def _weights(self, w, rows):
        if w is None:
            return None
        w = np.ascontiguousarray(w, dtype=self.dtype)
        if w.shape != (rows,):
            raise ValueError(f"sample_weight has shape {w.shape}, expected ({rows},)")
        return w

    def partial_fit(self, X, sample_weight=None):
        """One mini-batch step on X (the first batch also initialises the centers)."""
        matrix, X = self._matrix(X)
        w = self._weights(sample_weight, X.shape[0])
        _lib.check(
            _lib.lib.fmva_minibatch_partial_fit(self._handle, ctypes.byref(matrix), _lib.pointer(w))
        )

    def fit(self, X, sample_weight=None):
        """Fits on the whole of X; returns ``(n_steps, n_iter, ewa_inertia)``."""
        matrix, X = self._matrix(X)
        w = self._weights(sample_weight, X.shape[0])
        steps, n_iter, ewa = ctypes.c_int64(), ctypes.c_int32(), ctypes.c_double()
        status = _lib.lib.fmva_minibatch_fit(
            self._handle, ctypes.byref(matrix), _lib.pointer(w), ctypes.byref(steps),
            ctypes.byref(n_iter), ctypes.byref(ewa),
        )
        _lib.check(status)
        return int(steps.value), int(n_iter.value), float(ewa.value)

    def state(self):
        """``(centers, counts, n_steps)``: copies of the model's state."""
        centers = np.empty((self.n_clusters, self.n_features), dtype=self.dtype)
        counts = np.empty(self.n_clusters, dtype=np.float64)
        steps = ctypes.c_int64()
        status = _lib.lib.fmva_minibatch_state(
            self._handle, _lib.pointer(centers), _lib.pointer(counts, ctypes.c_double),
            ctypes.byref(steps),
        )
        _lib.check(status)
        return centers, counts, int(steps.value)

    def set_state(self, centers, counts, n_steps):
        centers = np.ascontiguousarray(centers, dtype=self.dtype)
        counts = np.ascontiguousarray(counts, dtype=np.float64)
        status = _lib.lib.fmva_minibatch_set_state(
            self._handle, _lib.pointer(centers), _lib.pointer(counts, ctypes.c_double), int(n_steps)
        )
        _lib.check(status)


class MiniBatchKMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    """Mini-batch k-means on the fastmva core; a drop-in for ``sklearn.cluster.MiniBatchKMeans``.

    Same parameters, attributes and semantics as scikit-learn's: ``n_init`` initialisations on
    ``init_size``-row subsamples scored on a validation subsample; batches of ``batch_size`` rows
    drawn with replacement with probability ∝ ``sample_weight``; each center moves to the
    weighted mean of its old position (weighted by the weight it has absorbed so far) and its new
    rows; centers whose weight falls below ``reassignment_ratio`` × the largest move onto random
    rows every ``10 * n_clusters`` samples; early stopping on the smoothed batch inertia
    (``max_no_improvement``) or the center shift (``tol``). The random draws differ from
    scikit-learn's, so results agree in distribution, not draw by draw.

    ``partial_fit`` streams batches through one model of the C library (the first batch
    initialises it). The fitted state is kept as NumPy arrays, so the estimator pickles and
    clones; after unpickling, ``partial_fit`` continues from the saved centers and counts.
    A callable ``init`` is called once per fit (n_init = 1). ``n_threads``: threads of the library
    (None = all cores); the results do not depend on it.

    Attributes: ``cluster_centers_``, ``labels_``, ``inertia_`` (when ``compute_labels``),
    ``n_iter_``, ``n_steps_``, ``n_features_in_``, ``feature_names_in_``.
    """

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        max_iter=100,
        batch_size=1024,
        verbose=0,
        compute_labels=True,
        random_state=None,
        tol=0.0,
        max_no_improvement=10,
        init_size=None,
        n_init="auto",
        reassignment_ratio=0.01,
        n_threads=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.verbose = verbose
        self.compute_labels = compute_labels
        self.random_state = random_state
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio
        self.n_threads = n_threads

    # -- checks ----------------------------------------------------------------------------------

    _parameter_constraints = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "init": [StrOptions(set(_INIT_CODES)), callable, "array-like"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "verbose": ["verbose"],
        "compute_labels": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "max_no_improvement": [Interval(numbers.Integral, 0, None, closed="left"), None],
        "init_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "n_init": [StrOptions({"auto"}), Interval(numbers.Integral, 1, None, closed="left")],
        "reassignment_ratio": [Interval(numbers.Real, 0, None, closed="left")],
        "n_threads": [None, Interval(numbers.Integral, 0, None, closed="left")],
    }

    def _check_params(self):
        # scikit-learn's own constraint checker: its errors and messages (as fastmva.KMeans).
        validate_parameter_constraints(
            self._parameter_constraints, self.get_params(deep=False), type(self).__name__
        )

    def _params(self, X, random_state):
        """The C params and the init centers (an array, or None) for data like X."""
        params = _lib.minibatch_params()
        params.n_clusters = self.n_clusters
        params.max_iter = self.max_iter
        params.batch_size = min(self.batch_size, 2**31 - 1)
        params.max_no_improvement = -1 if self.max_no_improvement is None else self.max_no_improvement
        params.tol = float(self.tol)
        params.reassignment_ratio = float(self.reassignment_ratio)
        params.n_threads = 0 if self.n_threads is None else self.n_threads
        params.seed = int(random_state.randint(0, 2**64, dtype=np.uint64))
        if self.init_size is not None:
            if self.init_size < self.n_clusters:
                warnings.warn(
                    f"init_size={self.init_size} should be larger than n_clusters="
                    f"{self.n_clusters}. Setting it to min(3*n_clusters, n_samples)",
                    RuntimeWarning,
                    stacklevel=3,
                )
            params.init_size = self.init_size
        init, centers = self.init, None
        if isinstance(init, str):
            params.init = _INIT_CODES[init]
            random_like = init == "random"
        else:
            random_like = callable(init)
            if callable(init):
                centers = init(X, self.n_clusters, random_state=random_state)
            else:
                centers = init
            centers = check_array(centers, dtype=X.dtype, copy=True, order="C")
            if centers.shape != (self.n_clusters, X.shape[1]):
                raise ValueError(
                    f"The shape of the initial centers {centers.shape} does not match the number "
                    f"of clusters {self.n_clusters} and features {X.shape[1]}."
                )
            params.init = _lib.FMVA_INIT_ARRAY
        if isinstance(self.n_init, str):
            n_init = 3 if random_like and isinstance(init, str) else 1
        else:
            n_init = self.n_init
        if centers is not None and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one init in "
                f"{self.__class__.__name__} instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            n_init = 1
        params.n_init = n_init
        return params, centers

    def _weights(self, sample_weight, X):
        if sample_weight is None:
            return None
        return np.ascontiguousarray(_check_sample_weight(sample_weight, X, dtype=X.dtype))

    # -- fitting ---------------------------------------------------------------------------------

    def fit(self, X, y=None, sample_weight=None):
        """Computes the centroids on X by mini-batches; returns self."""
        self._check_params()
        X = validate_data(self, X, dtype=_input_dtype(X), accept_sparse=False)
        if X.shape[0] < self.n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}.")
        random_state = check_random_state(self.random_state)
        w = self._weights(sample_weight, X)
        params, centers = self._params(X, random_state)
        model = MiniBatchModel(X.dtype, X.shape[1], params, centers)
        steps, n_iter, ewa = model.fit(X, w)
        self._model = model
        self.cluster_centers_, self._counts, self.n_steps_ = model.state()
        self._n_features_out = self.n_clusters
        self.n_iter_ = n_iter
        if self.verbose:
            print(f"fastmva MiniBatchKMeans: {steps} steps, {n_iter} passes, ewa inertia {ewa}")
        if self.compute_labels:
            self.labels_, self.inertia_ = kmeans_predict(
                X, self.cluster_centers_, sample_weight=w, n_threads=self.n_threads
            )
        else:
            total = X.shape[0] if w is None else float(np.sum(w))
            self.inertia_ = ewa * total
        return self

    def partial_fit(self, X, y=None, sample_weight=None):
        """Updates the model with the single mini-batch X; returns self."""
        fitted = hasattr(self, "cluster_centers_")
        if not fitted:
            self._check_params()
        X = validate_data(self, X, dtype=_input_dtype(X), accept_sparse=False, reset=not fitted)
        w = self._weights(sample_weight, X)
        model = getattr(self, "_model", None)
        if model is None or model.dtype != X.dtype:
            random_state = getattr(self, "_random_state", None)
            if random_state is None:
                random_state = self._random_state = check_random_state(self.random_state)
            params, centers = self._params(X, random_state)
            model = MiniBatchModel(X.dtype, X.shape[1], params, centers)
            if fitted:  # continue from the saved state (after unpickling, or a dtype change)
                model.set_state(self.cluster_centers_, self._counts, self.n_steps_)
            self._model = model
        model.partial_fit(X, w)
        self.cluster_centers_, self._counts, self.n_steps_ = model.state()
        self._n_features_out = self.n_clusters
        if self.compute_labels:
            self.labels_, self.inertia_ = kmeans_predict(
                X, self.cluster_centers_, sample_weight=w, n_threads=self.n_threads
            )
        return self

    def __getstate__(self):
        # The C model is not picklable; the NumPy state is enough to continue (see partial_fit).
        state = self.__dict__.copy()
        state.pop("_model", None)
        return state

    # -- using the fitted model ------------------------------------------------------------------

    def predict(self, X):
        """The index (int32) of the closest cluster center for each sample."""
        labels = _fastpath.predict(self, X)  # plain float arrays: µs of Python (see _fastpath)
        if labels is not None:
            return labels
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=_input_dtype(X), accept_sparse=False)
        labels, _ = kmeans_predict(X, self.cluster_centers_, n_threads=self.n_threads)
        return labels

    def transform(self, X):
        """Euclidean distances (n_samples, n_clusters) to the cluster centers."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=_input_dtype(X), accept_sparse=False)
        return kmeans_transform(X, self.cluster_centers_, n_threads=self.n_threads)

    def fit_predict(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).predict(X)

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the k-means objective on X."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=_input_dtype(X), accept_sparse=False)
        w = self._weights(sample_weight, X)
        _, inertia = kmeans_predict(X, self.cluster_centers_, sample_weight=w, n_threads=self.n_threads)
        return -inertia

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
