"""fastmva.KMeans against scikit-learn's KMeans (the pinned version in constraints.txt).

Given the same initial centers the labels must be equal and the inertia agree to 1e-10 relative
in float64 (issue 3; DESIGN.md asks 1e-6). The data are well-separated blobs, so no point is near a tie between two
centers and differently rounded but correct implementations must agree exactly.
"""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SKKMeans
from sklearn.metrics import adjusted_rand_score

import fastmva
from conftest import separated_blobs

# (n, d, k): n up to 1e5, d from 2 to 512, k from 2 to 64.
SHAPES = [
    (1_000, 2, 2),
    (5_000, 2, 64),
    (20_000, 16, 8),
    (100_000, 4, 16),
    (10_000, 64, 64),
    (30_000, 128, 10),
    (4_000, 512, 32),
]
DTYPES = [np.float64, np.float32]


def _ids(shape):
    return "n{}-d{}-k{}".format(*shape)


def inertia64(X, labels, centers):
    """The inertia recomputed in float64 from labels and centers (an exact-enough reference)."""
    X64 = np.asarray(X, dtype=np.float64)
    diff = X64 - np.asarray(centers, dtype=np.float64)[labels]
    return float(np.einsum("ij,ij->", diff, diff))


def member_init(X, true_labels, k, seed):
    """One random member of each true cluster: Lloyd then has real work to do (the centers move
    by about std*sqrt(d)) but every path stays far from ties."""
    rng = np.random.default_rng(seed)
    rows = [rng.choice(np.flatnonzero(true_labels == j)) for j in range(k)]
    return np.array(X[rows])


def compare_with_sklearn(X, init):
    k = init.shape[0]
    sk = SKKMeans(n_clusters=k, init=init, n_init=1).fit(X)
    fm = fastmva.KMeans(n_clusters=k, init=init, n_init=1).fit(X)

    assert fm.cluster_centers_.dtype == X.dtype
    assert fm.labels_.shape == (X.shape[0],)
    np.testing.assert_array_equal(fm.labels_, sk.labels_)
    assert fm.n_iter_ == sk.n_iter_

    if X.dtype == np.float64:
        np.testing.assert_allclose(fm.inertia_, sk.inertia_, rtol=1e-10)
        scale = np.abs(X).max()
        np.testing.assert_allclose(fm.cluster_centers_, sk.cluster_centers_, rtol=0, atol=1e-9 * scale)
    else:
        # For float32 the reference inertia is recomputed in float64 from scikit-learn's labels and
        # centers: scikit-learn sums the per-sample float32 squared distances in a float32
        # accumulator (_inertia_dense), whose rounding error grows with n: on these data its
        # inertia_ is off the float64 value by up to 2e-6 relative (n=2e4, d=16), more than the
        # 1e-6 asked, while fastmva's is within 1e-7. scikit-learn's labels and centers are fine.
        reference = inertia64(X, sk.labels_, sk.cluster_centers_)
        np.testing.assert_allclose(fm.inertia_, reference, rtol=1e-6)
        # scikit-learn's float32 centers are float32 sums too (off by up to ~1e-6 of the data's
        # magnitude here); fastmva's must be the float64 means of the (equal) labels rounded to
        # float32, so within a few float32 ulps of the data's magnitude.
        exact = np.stack([X[fm.labels_ == j].astype(np.float64).mean(axis=0) for j in range(k)])
        scale = np.abs(X).max()
        np.testing.assert_allclose(fm.cluster_centers_, exact, rtol=0, atol=4e-7 * scale)
        np.testing.assert_allclose(sk.cluster_centers_, exact, rtol=0, atol=1e-5 * scale)
    return fm, sk


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda t: np.dtype(t).name)
@pytest.mark.parametrize("shape", SHAPES, ids=_ids)
def test_same_init_same_labels(shape, dtype):
    n, d, k = shape
    X, truth, _ = separated_blobs(n, d, k, dtype=dtype, seed=n + d + k)
    init = member_init(X, truth, k, seed=1)
    fm, _ = compare_with_sklearn(X, init)
    assert adjusted_rand_score(truth, fm.labels_) == 1.0


@pytest.mark.parametrize("shape", [(2_000, 3, 8), (20_000, 16, 32), (50_000, 32, 64)], ids=_ids)
def test_same_random_rows_init_same_labels(shape):
    """Initial centers drawn from arbitrary rows: several blobs can start with no center or two,
    so Lloyd runs more iterations (and may relocate empty clusters) before it settles; float64,
    where no point of these data is within rounding distance of a tie."""
    n, d, k = shape
    X, _, _ = separated_blobs(n, d, k, seed=7 * n + d)
    rng = np.random.default_rng(3)
    init = X[rng.choice(n, size=k, replace=False)]
    compare_with_sklearn(X, init)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda t: np.dtype(t).name)
@pytest.mark.parametrize("shape", [(5_000, 8, 5), (20_000, 32, 20)], ids=_ids)
def test_kmeanspp_fixed_seed_finds_the_blobs(shape, dtype):
    n, d, k = shape
    X, truth, _ = separated_blobs(n, d, k, dtype=dtype, seed=11)
    fm = fastmva.KMeans(n_clusters=k, random_state=0).fit(X)
    sk = SKKMeans(n_clusters=k, random_state=0).fit(X)
    assert fm.cluster_centers_.dtype == X.dtype
    assert adjusted_rand_score(truth, fm.labels_) == 1.0
    assert adjusted_rand_score(sk.labels_, fm.labels_) == 1.0
    np.testing.assert_allclose(fm.inertia_, inertia64(X, sk.labels_, sk.cluster_centers_), rtol=1e-5)
    # Same random_state, same result.
    again = fastmva.KMeans(n_clusters=k, random_state=0).fit(X)
    np.testing.assert_array_equal(again.labels_, fm.labels_)
    assert again.cluster_centers_.tobytes() == fm.cluster_centers_.tobytes()


def test_random_init_with_restarts_finds_the_blobs():
    # One "random" init covers all 3 blobs with probability 2/9 (and Lloyd cannot move a center
    # across the gap between blobs), so the result is right only if the restarts run and the
    # lowest inertia is kept: all 50 missing has probability (7/9)**50 < 4e-6 for any generator.
    X, truth, _ = separated_blobs(3_000, 8, 3, seed=5)
    fm = fastmva.KMeans(n_clusters=3, init="random", n_init=50, random_state=1).fit(X)
    assert adjusted_rand_score(truth, fm.labels_) == 1.0
    np.testing.assert_allclose(fm.inertia_, inertia64(X, fm.labels_, fm.cluster_centers_), rtol=1e-9)


def test_sample_weight_matches_sklearn():
    X, truth, _ = separated_blobs(6_000, 6, 5, seed=2)
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=X.shape[0])
    init = member_init(X, truth, 5, seed=4)
    sk = SKKMeans(n_clusters=5, init=init, n_init=1).fit(X, sample_weight=w)
    fm = fastmva.KMeans(n_clusters=5, init=init).fit(X, sample_weight=w)
    np.testing.assert_array_equal(fm.labels_, sk.labels_)
    np.testing.assert_allclose(fm.inertia_, sk.inertia_, rtol=1e-10)
    np.testing.assert_allclose(fm.cluster_centers_, sk.cluster_centers_, rtol=1e-10, atol=1e-9)
    np.testing.assert_allclose(fm.score(X, sample_weight=w), sk.score(X, sample_weight=w), rtol=1e-6)


def test_predict_transform_score_match_sklearn():
    X, truth, _ = separated_blobs(3_000, 10, 6, seed=9)
    init = member_init(X, truth, 6, seed=0)
    sk = SKKMeans(n_clusters=6, init=init, n_init=1).fit(X)
    fm = fastmva.KMeans(n_clusters=6, init=init).fit(X)
    Y = np.random.default_rng(1).uniform(X.min(), X.max(), size=(500, 10))  # new points anywhere
    np.testing.assert_array_equal(fm.predict(Y), sk.predict(Y))
    np.testing.assert_allclose(fm.transform(Y), sk.transform(Y), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(fm.score(Y), sk.score(Y), rtol=1e-6)
