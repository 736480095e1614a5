"""Bad input is an error naming the problem, at the Python layer and at the C layer."""

import numpy as np
import pytest

import fastmva
from fastmva import _kmeans
from fastmva.errors import InvalidArgument

X_GOOD = np.random.default_rng(0).normal(size=(50, 3))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_rejected(bad):
    X = X_GOOD.copy()
    X[7, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        fastmva.KMeans(3).fit(X)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_non_finite_input_is_rejected_by_the_library(dtype):
    # Straight to the C call, past scikit-learn's check_array: the library checks too.
    X = X_GOOD.astype(dtype)
    X[7, 1] = np.nan
    with pytest.raises(InvalidArgument) as info:
        _kmeans.kmeans_fit(X, 3)
    assert isinstance(info.value, ValueError)
    assert "nan" in str(info.value).lower() or "finite" in str(info.value).lower()


def test_more_clusters_than_samples():
    with pytest.raises(ValueError, match="n_samples=50 should be >= n_clusters=51"):
        fastmva.KMeans(51).fit(X_GOOD)
    with pytest.raises(InvalidArgument, match="n_clusters|rows|k"):
        _kmeans.kmeans_fit(X_GOOD, 51)


@pytest.mark.parametrize("X", [np.zeros(10), np.zeros((4, 3, 2)), np.float64(3.0)],
                         ids=["1-D", "3-D", "0-D"])
def test_wrong_number_of_dimensions(X):
    with pytest.raises(ValueError):
        fastmva.KMeans(2).fit(X)
    with pytest.raises(ValueError, match="2-D"):
        _kmeans.kmeans_fit(X, 2)


def test_predict_with_wrong_number_of_features():
    km = fastmva.KMeans(2, random_state=0).fit(X_GOOD)
    with pytest.raises(ValueError, match="features"):
        km.predict(np.zeros((4, 5)))


def test_empty_input():
    with pytest.raises(ValueError):
        fastmva.KMeans(2).fit(np.zeros((0, 3)))


@pytest.mark.parametrize(
    "params",
    [
        {"n_clusters": 0},
        {"n_clusters": 2.5},
        {"max_iter": 0},
        {"tol": -1.0},
        {"n_init": 0},
        {"n_init": "sometimes"},
        {"init": "kmeans"},
        {"algorithm": "full"},
        {"n_threads": -1},
    ],
    ids=lambda p: next(iter(p)),
)
def test_bad_parameters(params):
    with pytest.raises(ValueError):
        fastmva.KMeans(**{"n_clusters": 3, **params}).fit(X_GOOD)


def test_init_array_of_the_wrong_shape():
    with pytest.raises(ValueError, match="initial centers"):
        fastmva.KMeans(3, init=np.zeros((2, 3))).fit(X_GOOD)
    with pytest.raises(ValueError, match="initial centers"):
        fastmva.KMeans(3, init=np.zeros((3, 4))).fit(X_GOOD)
    with pytest.raises(InvalidArgument, match="init"):
        _kmeans.kmeans_fit(X_GOOD, 3, init=np.zeros((3, 4)))


def test_sample_weight_of_the_wrong_length():
    with pytest.raises(ValueError):
        fastmva.KMeans(3).fit(X_GOOD, sample_weight=np.ones(49))
    with pytest.raises(InvalidArgument, match="sample_weight"):
        _kmeans.kmeans_fit(X_GOOD, 3, sample_weight=np.ones(49))


def test_values_that_do_not_fit_the_c_fields_are_rejected():
    with pytest.raises(InvalidArgument, match="max_iter"):
        _kmeans.kmeans_fit(X_GOOD, 3, max_iter=2**32 + 5)  # would wrap to 5 in an int32_t
    with pytest.raises(InvalidArgument, match="seed"):
        _kmeans.kmeans_fit(X_GOOD, 3, seed=-1)
    with pytest.raises(ValueError, match="max_iter"):
        fastmva.KMeans(3, max_iter=2**32 + 5).fit(X_GOOD)


def test_invalid_argument_names_the_argument_at_the_c_layer():
    with pytest.raises(InvalidArgument, match="max_iter"):
        _kmeans.kmeans_fit(X_GOOD, 3, max_iter=0)
    with pytest.raises(InvalidArgument, match="tol"):
        _kmeans.kmeans_fit(X_GOOD, 3, tol=-1.0)


def test_sparse_input_is_refused_with_a_clear_error():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="[Ss]parse"):
        fastmva.KMeans(2).fit(sparse.csr_matrix(X_GOOD))


def _x_scans(monkeypatch, X):
    """Counts scikit-learn's finiteness scans of arrays shaped like X."""
    import sklearn.utils.validation as skv

    calls = []
    real = skv._assert_all_finite

    def counting(a, *args, **kwargs):
        if getattr(a, "shape", None) == X.shape:
            calls.append(1)
        return real(a, *args, **kwargs)

    monkeypatch.setattr(skv, "_assert_all_finite", counting)
    return calls


def test_fit_leaves_the_finiteness_scan_to_the_library(monkeypatch):
    # The library's tolerance pass tells whether X is finite: a clean fit scans X only there.
    calls = _x_scans(monkeypatch, X_GOOD)
    fastmva.KMeans(3, n_init=1, random_state=0).fit(X_GOOD)
    assert calls == []
    # A callable init reads X before the library: X is checked first.
    fastmva.KMeans(3, n_init=1, init=lambda X, k, random_state: X[:k].copy()).fit(X_GOOD)
    assert calls == [1]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_x_error_comes_first(bad):
    # With the scan deferred, a NaN or infinity in X must still be the error scikit-learn
    # reports when something else is wrong too.
    from sklearn.cluster import KMeans as SKKMeans

    X = X_GOOD.copy()
    X[3, 2] = bad
    for kw, fit_kw in [({"n_clusters": 51}, {}), ({"n_clusters": 3}, {"sample_weight": np.ones(49)}),
                       ({"n_clusters": 3, "init": np.full((3, 3), np.nan)}, {})]:
        with pytest.raises(ValueError) as theirs:
            SKKMeans(**kw).fit(X, **fit_kw)
        with pytest.raises(ValueError) as ours:
            fastmva.KMeans(**kw).fit(X, **fit_kw)
        assert type(ours.value) is type(theirs.value)
        assert str(ours.value) == str(theirs.value)
