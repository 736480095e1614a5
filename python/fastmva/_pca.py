"""scikit-learn compatible PCA and TruncatedSVD on the Go core (:func:`fastmva._decomposition.svd`).

Conventions are scikit-learn's (pinned version): ``components_`` (k × n_features) with the sign of
``svd_flip(u_based_decision=False)`` (each component's largest-magnitude entry positive),
``explained_variance_`` = S²/(n−1) for PCA and the variance of the projections for TruncatedSVD,
``explained_variance_ratio_`` over the TOTAL variance of X, also when fewer components are kept.
Both work as ``s.decomposition(algorithm=fastmva.PCA(n_components=...))`` in HyperSpy.
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._decomposition import svd

__all__ = ["PCA", "TruncatedSVD"]


def _seed(random_state):
    return int(check_random_state(random_state).randint(0, 2**31 - 1))


def _check_int(name, value, low, high=None):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name}={value} must be in [{low}, {high if high is not None else 'inf'}]")


def _check_solver_args(est):
    if est.power_iteration_normalizer not in ("auto", "QR", "LU", "none"):
        raise ValueError(
            f"power_iteration_normalizer={est.power_iteration_normalizer!r} must be one of "
            "'auto', 'QR', 'LU', 'none'"
        )
    _check_int("n_oversamples", est.n_oversamples, 1)


class _Base(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    def _validate(self, X, reset):
        return validate_data(
            self, X, dtype=[np.float64, np.float32], ensure_min_samples=2 if reset else 1, reset=reset
        )

    @property
    def _n_features_out(self):
        return self.components_.shape[0]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        tags.input_tags.sparse = False
        return tags


class PCA(_Base):
    """Principal component analysis as scikit-learn's ``PCA``, on fastmva's SVD.

    n_components : int, float in (0, 1) or None
        None keeps min(n_samples, n_features); a float keeps the fewest components whose
        explained variance ratio exceeds it (computed from the exact full spectrum).
    svd_solver : "auto" | "full" | "covariance_eigh" | "arpack" | "randomized"
        "randomized" runs the randomized solver; every other value the exact one ("auto" picks
        the randomized solver when n_components ≤ min(n_samples, n_features)/10 and
        max(n_samples, n_features) > 500).
    iterated_power, n_oversamples, random_state : the randomized solver's settings
        (``power_iteration_normalizer`` is accepted; a QR normaliser is always used).
    whiten, copy, tol : as scikit-learn's (X is never modified; ``tol`` is unused).
    n_threads : int or None, threads of the native call (None: all cores).
    """

    def __init__(
        self,
        n_components=None,
        *,
        copy=True,
        whiten=False,
        svd_solver="auto",
        tol=0.0,
        iterated_power="auto",
        n_oversamples=10,
        power_iteration_normalizer="auto",
        random_state=None,
        n_threads=None,
    ):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.n_threads = n_threads

    def _fit(self, X, want_u):
        X = self._validate(X, reset=True)
        n, m = X.shape
        top = min(n, m)
        nc = self.n_components
        ratio = None
        if nc is None:
            k = top
        elif isinstance(nc, numbers.Real) and not isinstance(nc, numbers.Integral) and 0 < nc < 1:
            k, ratio = top, float(nc)
        else:
            _check_int("n_components", nc, 0, top)
            k = nc
        if self.svd_solver not in ("auto", "full", "covariance_eigh", "arpack", "randomized"):
            raise ValueError(f"svd_solver={self.svd_solver!r} is not valid")
        if self.iterated_power != "auto":
            _check_int("iterated_power", self.iterated_power, 0)
        _check_solver_args(self)
        randomized = self.svd_solver == "randomized" and ratio is None
        solver = self.svd_solver if ratio is None else "full"
        r = svd(
            X,
            max(k, 1),
            solver=solver,
            centre="navigation",
            ddof=1,
            flip="factors",
            n_oversamples=self.n_oversamples,
            n_power_iter=-1 if self.iterated_power == "auto" else self.iterated_power,
            seed=_seed(self.random_state) if randomized else 0,
            n_threads=self.n_threads,
            loadings=want_u,
        )
        ev = r.explained_variance
        total = r.total_variance
        ratios = ev / total if total > 0 else np.zeros_like(ev)
        if ratio is not None:
            k = int(np.searchsorted(np.cumsum(ratios), ratio, side="right")) + 1
            k = min(k, top)
        dtype = X.dtype
        self.components_ = np.ascontiguousarray(r.factors[:, :k].T)
        self.explained_variance_ = ev[:k].astype(dtype)
        self.explained_variance_ratio_ = ratios[:k].astype(dtype)
        self.singular_values_ = r.singular_values[:k].astype(dtype)
        self.mean_ = r.mean.astype(dtype)
        self.n_components_ = k
        self.n_samples_ = n
        if k < top:
            self.noise_variance_ = float((total - ev[:k].sum()) / (top - k)) if total > 0 else 0.0
        else:
            self.noise_variance_ = 0.0
        self.noise_variance_ = dtype.type(max(self.noise_variance_, 0.0))
        return r, k, X

    def fit(self, X, y=None):
        """Fits the model; returns self."""
        self._fit(X, want_u=False)
        return self

    def fit_transform(self, X, y=None):
        """Fits and returns the projections U·S (U·√(n−1) when whitening)."""
        r, k, X = self._fit(X, want_u=True)
        U = r.loadings[:, :k]
        if self.whiten:
            return np.ascontiguousarray(U * X.dtype.type(np.sqrt(X.shape[0] - 1)))
        return np.ascontiguousarray(U * self.singular_values_)

    def transform(self, X):
        """Projects X on the components: (X − mean_)·components_ᵀ (÷ √explained_variance_ if whiten)."""
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        Y = (X - self.mean_) @ self.components_.T
        if self.whiten:
            scale = np.sqrt(self.explained_variance_)
            Y /= np.where(scale > 0, scale, 1)
        return Y

    def inverse_transform(self, X):
        """Maps projections back: X·components_ (× √explained_variance_ if whiten) + mean_."""
        check_is_fitted(self)
        X = np.asarray(X)
        if self.whiten:
            return X @ (np.sqrt(self.explained_variance_)[:, np.newaxis] * self.components_) + self.mean_
        return X @ self.components_ + self.mean_


class TruncatedSVD(_Base):
    """Truncated SVD (no centring) as scikit-learn's ``TruncatedSVD``, on fastmva's SVD.

    algorithm : "randomized" (n_iter power iterations, n_oversamples, random_state) or "arpack"
        (computed exactly). ``explained_variance_`` is the variance of the projections X·Vᵀ and
        ``explained_variance_ratio_`` divides it by the total variance of X, as scikit-learn.
    """

    def __init__(
        self,
        n_components=2,
        *,
        algorithm="randomized",
        n_iter=5,
        n_oversamples=10,
        power_iteration_normalizer="auto",
        random_state=None,
        tol=0.0,
        n_threads=None,
    ):
        self.n_components = n_components
        self.algorithm = algorithm
        self.n_iter = n_iter
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state
        self.tol = tol
        self.n_threads = n_threads

    def fit(self, X, y=None):
        """Fits the model; returns self."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None):
        """Fits and returns X·components_ᵀ (= U·S)."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_features=2, ensure_min_samples=2)
        n, m = X.shape
        if self.algorithm not in ("randomized", "arpack"):
            raise ValueError(f"algorithm={self.algorithm!r} must be 'randomized' or 'arpack'")
        _check_int("n_components", self.n_components, 1, m if self.algorithm == "randomized" else m - 1)
        _check_int("n_iter", self.n_iter, 0)
        _check_solver_args(self)
        k = self.n_components
        if k > min(n, m):
            raise ValueError(
                f"n_components={k} is larger than min(n_samples, n_features) = {min(n, m)}: "
                "fastmva's TruncatedSVD computes at most that many components"
            )
        randomized = self.algorithm == "randomized"
        r = svd(
            X,
            k,
            solver="randomized" if randomized else "full",
            flip="factors",
            n_oversamples=self.n_oversamples,
            n_power_iter=self.n_iter,
            seed=_seed(self.random_state) if randomized else 0,
            n_threads=self.n_threads,
        )
        self.components_ = np.ascontiguousarray(r.factors.T)
        self.singular_values_ = r.singular_values.astype(X.dtype)
        Xt = r.loadings * self.singular_values_
        self.explained_variance_ = np.var(Xt, axis=0)
        full_var = np.var(X, axis=0).sum()
        self.explained_variance_ratio_ = self.explained_variance_ / full_var
        return Xt

    def transform(self, X):
        """Projects X on the components: X·components_ᵀ."""
        check_is_fitted(self)
        X = self._validate(X, reset=False)
        return X @ self.components_.T

    def inverse_transform(self, X):
        """Maps projections back: X·components_."""
        check_is_fitted(self)
        return np.asarray(X) @ self.components_
