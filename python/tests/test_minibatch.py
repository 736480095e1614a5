"""fastmva.MiniBatchKMeans against scikit-learn's MiniBatchKMeans, streaming, bad input."""

import pickle

import numpy as np
import pytest
from sklearn.cluster import MiniBatchKMeans as SkMiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

import fastmva

SEEDS = range(20)


def _blobs():
    X, _ = make_blobs(6000, n_features=6, centers=12, cluster_std=2.0, random_state=3)
    return X


def _uniform():
    return np.random.default_rng(5).random((6000, 4))


DATASETS = {"blobs": _blobs, "uniform": _uniform}


# One dtype per data set keeps the suite quick; the kernels are tested per dtype elsewhere.
@pytest.mark.parametrize("name,dtype", [("blobs", np.float64), ("uniform", np.float32)])
def test_mean_inertia_matches_scikit_learn(name, dtype):
    # The draws differ from scikit-learn's, so compare the distribution of the final inertia
    # over seeds: the means must agree within max(2 %, 3 standard errors of their difference).
    X = DATASETS[name]().astype(dtype)
    params = dict(n_clusters=10, batch_size=256, n_init=3)
    ours = np.array([fastmva.MiniBatchKMeans(random_state=s, **params).fit(X).inertia_ for s in SEEDS])
    # One OpenMP thread: scikit-learn's many small steps otherwise spend most of their time
    # synchronising threads (its result does not depend on the thread count).
    with threadpool_limits(1):
        theirs = np.array([SkMiniBatchKMeans(random_state=s, **params).fit(X).inertia_ for s in SEEDS])
    se = np.sqrt(ours.var(ddof=1) / len(ours) + theirs.var(ddof=1) / len(theirs))
    gap = abs(ours.mean() - theirs.mean())
    assert gap <= max(0.02 * theirs.mean(), 3 * se), (ours.mean(), theirs.mean(), se)


def test_fit_attributes_like_scikit_learn():
    X = _blobs().astype(np.float32)
    km = fastmva.MiniBatchKMeans(12, random_state=0, batch_size=500, max_iter=3).fit(X)
    sk = SkMiniBatchKMeans(12, random_state=0, batch_size=500, max_iter=3).fit(X)
    assert km.cluster_centers_.shape == sk.cluster_centers_.shape == (12, 6)
    assert km.cluster_centers_.dtype == np.float32
    assert km.labels_.shape == (6000,)
    assert 1 <= km.n_iter_ <= 3 and 1 <= km.n_steps_ <= 3 * 6000 // 500
    assert km.n_iter_ == int(np.ceil(km.n_steps_ * 500 / 6000))
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    assert km.transform(X[:5]).shape == (5, 12)
    assert km.score(X) == pytest.approx(-km.inertia_, rel=1e-6)
    no_labels = fastmva.MiniBatchKMeans(12, random_state=0, compute_labels=False).fit(X)
    assert not hasattr(no_labels, "labels_") and no_labels.inertia_ > 0


def test_partial_fit_streams_batches_and_survives_pickle():
    X = _blobs()
    km = fastmva.MiniBatchKMeans(12, random_state=1)
    for lo in range(0, 6000, 500):
        km.partial_fit(X[lo : lo + 500])
    assert km.n_steps_ == 12
    np.testing.assert_array_equal(km.labels_, km.predict(X[5500:]))
    # The blobs are found: the streamed model is as good as scikit-learn's streamed one, give or
    # take a factor (one pass of 12 small batches).
    sk = SkMiniBatchKMeans(12, random_state=1)
    for lo in range(0, 6000, 500):
        sk.partial_fit(X[lo : lo + 500])
    assert -km.score(X) <= 1.5 * -sk.score(X)

    again = pickle.loads(pickle.dumps(km))
    np.testing.assert_array_equal(again.cluster_centers_, km.cluster_centers_)
    again.partial_fit(X[:500])
    assert again.n_steps_ == 13


def test_partial_fit_with_sample_weight_moves_toward_heavy_rows():
    X = np.array([[0.0, 0.0], [10.0, 0.0]] * 50)
    w = np.tile([1.0, 0.0], 50)  # only the rows at the origin count
    km = fastmva.MiniBatchKMeans(1, init=np.array([[5.0, 0.0]])).partial_fit(X, sample_weight=w)
    np.testing.assert_allclose(km.cluster_centers_, [[0.0, 0.0]], atol=1e-12)


def test_bad_input_is_refused_clearly():
    X = _uniform()
    km = fastmva.MiniBatchKMeans(3, random_state=0).partial_fit(X[:100])
    with pytest.raises(ValueError, match="features"):
        km.partial_fit(np.ones((10, 5)))
    bad = X[:100].copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fastmva.MiniBatchKMeans(3).fit(bad)
    with pytest.raises(ValueError, match="batch_size"):
        fastmva.MiniBatchKMeans(3, batch_size=0).fit(X)
    with pytest.raises(ValueError, match="reassignment_ratio"):
        fastmva.MiniBatchKMeans(3, reassignment_ratio=-1.0).fit(X)
    with pytest.raises(ValueError, match="n_clusters"):
        fastmva.MiniBatchKMeans(200).partial_fit(X[:100])
    with pytest.raises(ValueError, match="sample_weight"):
        fastmva.MiniBatchKMeans(3).fit(X, sample_weight=np.ones(7))


EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "sample_weight is not equivalent to removing/repeating samples (as scikit-learn's)."
    ),
}


@parametrize_with_checks(
    [fastmva.MiniBatchKMeans(n_clusters=3, n_init=2, max_iter=5, random_state=0, batch_size=10)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
