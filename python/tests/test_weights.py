"""sample_weight in the initialisation, the update and the inertia (scikit-learn uses it in all
three since 1.3)."""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SKKMeans

import fastmva
from conftest import separated_blobs


def _rows_as_set(a):
    return {tuple(r) for r in np.asarray(a).tolist()}


def test_integer_weights_equal_repeated_rows_from_the_same_init():
    # No randomness: the weighted means and inertia must be those of the repeated data, up to the
    # order of the float64 sums.
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(400, 5))
    w = rng.integers(0, 4, size=400)
    init = X[np.flatnonzero(w)[:6]]
    weighted = fastmva.KMeans(6, init=init).fit(X, sample_weight=w.astype(float))
    repeated = fastmva.KMeans(6, init=init).fit(np.repeat(X, w, axis=0))
    np.testing.assert_array_equal(weighted.labels_[w > 0].repeat(w[w > 0]), repeated.labels_)
    np.testing.assert_allclose(weighted.cluster_centers_, repeated.cluster_centers_, rtol=0, atol=1e-13)
    np.testing.assert_allclose(weighted.inertia_, repeated.inertia_, rtol=1e-12)
    assert weighted.n_iter_ == repeated.n_iter_
    np.testing.assert_allclose(weighted.score(X, sample_weight=w), repeated.score(np.repeat(X, w, axis=0)),
                               rtol=1e-12)


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_zero_weight_rows_are_never_drawn(init):
    # 3 rows of weight 1 among 597 of weight 0: weighted draws pick exactly those 3 rows, whose
    # clusters then hold all the weight, so the fit ends on them with zero inertia. scikit-learn
    # gives the same; unweighted draws would start on zero-weight rows.
    X, _, _ = separated_blobs(600, 4, 3, seed=8)
    w = np.zeros(600)
    heavy = [5, 250, 411]
    w[heavy] = 1.0
    for seed in range(10):
        fm = fastmva.KMeans(3, init=init, n_init=1, random_state=seed).fit(X, sample_weight=w)
        assert _rows_as_set(fm.cluster_centers_) == _rows_as_set(X[heavy])
        assert fm.inertia_ == 0.0
    # scikit-learn too (its centers went through X - mean + mean: equal to rounding).
    sk = SKKMeans(3, init=init, n_init=1, random_state=0).fit(X, sample_weight=w)
    order = np.lexsort(sk.cluster_centers_.T)
    np.testing.assert_allclose(sk.cluster_centers_[order], X[heavy][np.lexsort(X[heavy].T)], rtol=1e-13)


def test_all_zero_or_negative_weights_are_errors():
    X = np.random.default_rng(1).normal(size=(30, 2))
    with pytest.raises(ValueError, match="at least one non-zero"):
        fastmva.KMeans(2).fit(X, sample_weight=np.zeros(30))
    w = np.ones(30)
    w[4] = -1.0
    with pytest.raises(ValueError, match=r"sample_weight\[4\]=-1 is negative"):
        fastmva.KMeans(2).fit(X, sample_weight=w)
    w = np.zeros(30)
    w[:2] = 1.0
    with pytest.raises(ValueError, match="only 2 non-zero"):
        fastmva.KMeans(3, init="random").fit(X, sample_weight=w)
