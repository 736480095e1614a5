"""fastmva.PCA and fastmva.TruncatedSVD against scikit-learn's, and both inside HyperSpy."""

import numpy as np
import pytest
import sklearn.decomposition as skd
from sklearn.utils.estimator_checks import parametrize_with_checks

import fastmva


@parametrize_with_checks(
    [fastmva.PCA(), fastmva.PCA(n_components=2, whiten=True), fastmva.TruncatedSVD(random_state=0)]
)
def test_sklearn_api(estimator, check):
    check(estimator)


def spectrum_data(n=500, m=40, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    s = np.concatenate([[40, 20, 10, 6, 3], np.full(m - 5, 0.1)])
    p = np.linalg.qr(rng.standard_normal((n, m)))[0]
    q = np.linalg.qr(rng.standard_normal((m, m)))[0]
    return ((p * s) @ q.T + 2.0).astype(dtype)


ATTRS = ["components_", "explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"]


@pytest.mark.parametrize("n_components", [None, 3, 0.9])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pca_equals_sklearn(n_components, dtype):
    X = spectrum_data(dtype=dtype)
    ref = skd.PCA(n_components=n_components, svd_solver="full").fit(X)
    ours = fastmva.PCA(n_components=n_components).fit(X)
    rtol = 1e-9 if dtype == np.float64 else 1e-4
    assert ours.n_components_ == ref.n_components_
    # The first 5 components stand above a flat noise plateau: beyond them a component (and its
    # sign) is any basis of the plateau, so only the spectrum is compared there.
    n = 5
    for name in ATTRS:
        a, b = getattr(ours, name), getattr(ref, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        if name == "components_":
            a, b = a[:n], b[:n]
        np.testing.assert_allclose(a, b, atol=rtol * np.abs(b).max(), rtol=0, err_msg=name)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-3, atol=1e-12)
    Y = fastmva.PCA(n_components=n_components).fit_transform(X)
    np.testing.assert_allclose(Y[:, :n], ref.transform(X)[:, :n], atol=rtol * 50)
    np.testing.assert_allclose(ours.transform(X)[:, :n], ref.transform(X)[:, :n], atol=rtol * 50)
    np.testing.assert_allclose(ours.inverse_transform(Y), ref.inverse_transform(ref.transform(X)), atol=rtol * 50)


def test_truncated_explained_variance_ratio_is_over_the_total():
    X = spectrum_data()
    pca = fastmva.PCA(n_components=3).fit(X)
    total = X.var(axis=0, ddof=1).sum()
    np.testing.assert_allclose(pca.explained_variance_ratio_, pca.explained_variance_ / total, rtol=1e-12)
    assert pca.explained_variance_ratio_.sum() < 1


def test_pca_randomized_matches_exact():
    X = spectrum_data(n=2000, m=100, seed=1)
    exact = fastmva.PCA(n_components=5).fit(X)
    rand = fastmva.PCA(n_components=5, svd_solver="randomized", random_state=0).fit(X)
    np.testing.assert_allclose(rand.singular_values_, exact.singular_values_, rtol=1e-9)
    np.testing.assert_allclose(rand.components_, exact.components_, atol=1e-8)


@pytest.mark.parametrize("algorithm", ["arpack", "randomized"])
def test_truncated_svd_equals_sklearn(algorithm):
    X = spectrum_data(seed=2)
    ref = skd.TruncatedSVD(4, algorithm=algorithm, random_state=0).fit(X)
    ours = fastmva.TruncatedSVD(4, algorithm=algorithm, random_state=0).fit(X)
    for name in ["components_", "explained_variance_", "explained_variance_ratio_", "singular_values_"]:
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), atol=1e-8, err_msg=name)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-8)


def test_hyperspy_decomposition_with_fastmva_pca():
    hs = pytest.importorskip("hyperspy.api")
    data = spectrum_data(n=600, m=64).reshape(20, 30, 64)
    a, b = hs.signals.Signal1D(data.copy()), hs.signals.Signal1D(data.copy())
    a.decomposition(algorithm=fastmva.PCA(n_components=4), print_info=False)
    b.decomposition(algorithm=skd.PCA(n_components=4, svd_solver="full"), print_info=False)
    for name in ["factors", "loadings", "explained_variance", "explained_variance_ratio", "mean"]:
        np.testing.assert_allclose(getattr(a.learning_results, name), getattr(b.learning_results, name),
                                   atol=1e-9, err_msg=name)


@pytest.mark.parametrize("centre", [None, "navigation", "signal"])
def test_svd_pca_wired_into_hyperspy_decomposition(monkeypatch, centre):
    """How branch hs wires it: hyperspy.learn.svd_pca = fastmva.svd_pca (HyperSpy's decomposition
    looks the function up on the module each call). Same results, and the signal's data is
    restored after the in-place centring, as with HyperSpy's own svd_pca."""
    hs = pytest.importorskip("hyperspy.api")
    import hyperspy.learn

    data = spectrum_data(n=600, m=64, seed=3).reshape(20, 30, 64)
    ref = hs.signals.Signal1D(data.copy())
    ref.decomposition(centre=centre, svd_solver="full", print_info=False)
    monkeypatch.setattr(hyperspy.learn, "svd_pca", fastmva.svd_pca, raising=False)
    s = hs.signals.Signal1D(data.copy())
    s.decomposition(centre=centre, svd_solver="full", print_info=False)
    np.testing.assert_allclose(s.data, data, rtol=1e-14)
    n = 5  # components above the noise plateau: signs and vectors are defined there
    for name in ["factors", "loadings"]:
        np.testing.assert_allclose(getattr(s.learning_results, name)[:, :n],
                                   getattr(ref.learning_results, name)[:, :n], atol=1e-9, err_msg=name)
    np.testing.assert_allclose(s.learning_results.explained_variance, ref.learning_results.explained_variance,
                               rtol=1e-9, atol=1e-12)
