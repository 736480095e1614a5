"""Lloyd's stopping rules, the final assignment and empty-cluster relocation, step for step
against scikit-learn from the same explicit init (float64, where labels must be equal)."""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SKKMeans

import fastmva


def anisotropic_uniform(n=6_000, seed=0):
    # Features on very different scales: the tolerance is tol × the MEAN feature variance, so a
    # per-feature or unscaled rule would stop at another iteration.
    return np.random.default_rng(seed).uniform(size=(n, 3)) * np.array([1.0, 100.0, 1e4])


def both(X, init, sample_weight=None, **kw):
    k = len(init)
    sk = SKKMeans(n_clusters=k, init=init, n_init=1, **kw).fit(X, sample_weight=sample_weight)
    fm = fastmva.KMeans(n_clusters=k, init=init, n_init=1, **kw).fit(X, sample_weight=sample_weight)
    return sk, fm


def assert_same(sk, fm, X):
    assert fm.n_iter_ == sk.n_iter_
    np.testing.assert_array_equal(fm.labels_, sk.labels_)
    np.testing.assert_allclose(fm.cluster_centers_, sk.cluster_centers_, rtol=1e-12, atol=1e-9 * np.abs(X).max())
    np.testing.assert_allclose(fm.inertia_, sk.inertia_, rtol=1e-10)


@pytest.mark.parametrize("tol", [0.0, 1e-4, 1e-2, 0.5])
def test_tol_relative_to_the_mean_feature_variance(tol):
    X = anisotropic_uniform()
    init = X[:10]
    sk, fm = both(X, init, tol=tol)
    assert_same(sk, fm, X)
    # The rule is scale-free: the same data in other units stop at the same iteration.
    scaled = fastmva.KMeans(n_clusters=10, init=init * 1e3, n_init=1, tol=tol).fit(X * 1e3)
    assert scaled.n_iter_ == fm.n_iter_


def test_tol_zero_runs_to_strict_convergence():
    X = anisotropic_uniform(seed=1)
    sk, fm = both(X, X[:6], tol=0.0, max_iter=1_000)
    assert_same(sk, fm, X)
    assert fm.n_iter_ < 1_000  # stopped because the labels repeated
    np.testing.assert_array_equal(fm.predict(X), fm.labels_)  # a fixed point


@pytest.mark.parametrize("max_iter", [1, 2, 5])
def test_final_assignment_when_not_converged(max_iter):
    # Stopped by max_iter: labels_ are those of the last centers (one more assignment), as
    # scikit-learn's, so they equal predict(X) on the fitted centers.
    X = anisotropic_uniform(seed=2)
    sk, fm = both(X, X[:8], max_iter=max_iter, tol=0.0)
    assert_same(sk, fm, X)
    assert fm.n_iter_ == max_iter
    np.testing.assert_array_equal(fm.predict(X), fm.labels_)


@pytest.mark.parametrize("weighted", [False, True])
def test_empty_clusters_relocated_as_scikit_learn(weighted):
    # Three centers start far from every point: their clusters are empty after the first
    # assignment and take the points farthest from their centers, largest distance first.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3_000, 4)) * np.array([1.0, 2.0, 3.0, 4.0])
    w = rng.uniform(0.5, 2.0, size=len(X)) if weighted else None
    init = np.vstack([X[:4], np.full((3, 4), 1e3) + np.arange(3)[:, None]])
    sk, fm = both(X, init, sample_weight=w)
    assert_same(sk, fm, X)
    assert len(np.unique(fm.labels_)) == 7
