"""The oracle rules of issue 3, against the pinned scikit-learn, on data with near-ties.

test_kmeans_sklearn.py holds the well-separated blobs (float64 and float32). Here the data are
uniform in a box, where many points sit close to the boundary between two centers:

- float64, same explicit init: labels, n_iter equal to scikit-learn's, inertia to 1e-10 relative.
  scikit-learn centres X and computes ‖c‖² − 2x·c by BLAS GEMM; fastmva computes the same
  expression on the data as given with another summation order, so a point whose top-two gap is
  within rounding (~1e-15 relative) could go either way. On these data none is that close
  (measured: 0 differing labels), so equality is asserted.
- float32: one assignment step equal except points whose float64 top-two gap is under 1e-5
  relative; the inertia recomputed in float64 within 1e-5.
- k-means++ (and "random"): over 50 seeds, the mean inertia within max(1%, 3 standard errors) of
  scikit-learn's.
"""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SKKMeans

import fastmva
from conftest import separated_blobs
from fastmva import _kmeans

GAP32 = 1e-5  # the float32 near-tie bound of issue 3 (well above float32 rounding of these sums)


def uniform(n, d, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).uniform(size=(n, d)).astype(dtype)


def sq_distances64(X, centers):
    """(n, k) squared distances in float64 as Σ(x−c)² (no cancellation), one center at a time."""
    X = np.asarray(X, dtype=np.float64)
    return np.stack([((X - c) ** 2).sum(axis=1) for c in np.asarray(centers, dtype=np.float64)], axis=1)


def top_two(D):
    """(relative gap between the two smallest distances, index of the smallest) per row."""
    part = np.partition(D, 1, axis=1)
    return (part[:, 1] - part[:, 0]) / part[:, 1], D.argmin(axis=1)


def assert_equal_except_near_ties(labels, reference, gap, what):
    differ = np.flatnonzero(labels != reference)
    assert np.all(gap[differ] < GAP32), (
        f"{what}: {len(differ)} labels differ, of which {(gap[differ] >= GAP32).sum()} with a "
        f"top-two gap >= {GAP32} (largest {gap[differ].max() if len(differ) else 0:.3g})"
    )


# --- float64: equal labels from the same init -----------------------------------------------

UNIFORM64 = [(20_000, 8, 8), (5_000, 3, 50), (10_000, 64, 20)]


@pytest.mark.parametrize("shape", UNIFORM64, ids=lambda s: "n{}-d{}-k{}".format(*s))
def test_float64_uniform_same_init_same_labels(shape):
    n, d, k = shape
    X = uniform(n, d, seed=n + d + k)
    init = X[np.random.default_rng(k).choice(n, size=k, replace=False)]
    sk = SKKMeans(n_clusters=k, init=init, n_init=1).fit(X)
    fm = fastmva.KMeans(n_clusters=k, init=init, n_init=1).fit(X)
    np.testing.assert_array_equal(fm.labels_, sk.labels_)
    assert fm.n_iter_ == sk.n_iter_
    np.testing.assert_allclose(fm.inertia_, sk.inertia_, rtol=1e-10)
    np.testing.assert_allclose(fm.cluster_centers_, sk.cluster_centers_, rtol=0, atol=1e-12)


def test_float64_uniform_weighted_same_init_same_labels():
    X = uniform(8_000, 5, seed=3)
    w = np.random.default_rng(4).uniform(0.0, 2.0, size=len(X))
    init = X[:12]
    sk = SKKMeans(n_clusters=12, init=init, n_init=1).fit(X, sample_weight=w)
    fm = fastmva.KMeans(n_clusters=12, init=init, n_init=1).fit(X, sample_weight=w)
    np.testing.assert_array_equal(fm.labels_, sk.labels_)
    assert fm.n_iter_ == sk.n_iter_
    np.testing.assert_allclose(fm.inertia_, sk.inertia_, rtol=1e-10)
    np.testing.assert_allclose(fm.score(X, sample_weight=w), sk.score(X, sample_weight=w), rtol=1e-10)


# --- float32: one assignment step -------------------------------------------------------------

UNIFORM32 = [(100_000, 8, 8), (50_000, 32, 16), (20_000, 3, 64), (30_000, 128, 10)]


@pytest.mark.parametrize("shape", UNIFORM32, ids=lambda s: "n{}-d{}-k{}".format(*s))
def test_float32_uniform_one_assignment_step(shape):
    n, d, k = shape
    X = uniform(n, d, np.float32, seed=n + d)
    C = X[np.random.default_rng(d).choice(n, size=k, replace=False)]
    gap, exact = top_two(D := sq_distances64(X, C))

    # The assignment alone (predict's kernel), from the same float32 centers.
    labels, inertia = _kmeans.kmeans_predict(X, C)
    sk = SKKMeans(n_clusters=k, init=C, n_init=1, max_iter=1).fit(C)
    sk.cluster_centers_ = C.copy()  # scikit-learn's predict with exactly these centers
    assert_equal_except_near_ties(labels, sk.predict(X), gap, "predict vs scikit-learn")
    assert_equal_except_near_ties(labels, exact, gap, "predict vs the float64 argmin")
    reference = D[np.arange(n), labels].sum()
    np.testing.assert_allclose(inertia, reference, rtol=1e-5)

    # One Lloyd iteration (the fused assign-and-accumulate kernel), then the final assignment.
    fm = fastmva.KMeans(n_clusters=k, init=C, n_init=1, max_iter=1).fit(X)
    sk = SKKMeans(n_clusters=k, init=C, n_init=1, max_iter=1).fit(X)
    # The centers are means of equal first-step labels; scikit-learn sums in float32.
    np.testing.assert_allclose(fm.cluster_centers_, sk.cluster_centers_, rtol=0, atol=1e-5)
    D1 = sq_distances64(X, fm.cluster_centers_)
    gap1, _ = top_two(D1)
    assert_equal_except_near_ties(fm.labels_, sk.labels_, gap1, "fit(max_iter=1) labels")
    np.testing.assert_allclose(fm.inertia_, D1[np.arange(n), fm.labels_].sum(), rtol=1e-5)


# --- k-means++ and "random": the same distribution of results --------------------------------

SEEDS = range(50)


def named_data(name):
    if name == "blobs":  # 20 blobs close enough that an init can miss some
        X, _, _ = separated_blobs(2_000, 2, 20, seed=1, box=30.0, min_sep=4.0)
        return X, 20
    return uniform(2_000, 4, seed=5), 8


def mean_and_se(values):
    values = np.asarray(values)
    return values.mean(), values.std(ddof=1) / np.sqrt(len(values))


# One step from a "random" init can leave a cluster empty (a ConvergenceWarning, in both).
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "data, init, weighted, max_iter",
    [
        # max_iter=1: the inertia after one step still carries the init's quality (measured: a
        # non-greedy k-means++ is off by +59% on blobs, +3.9% on uniform, beyond the bound).
        ("blobs", "k-means++", False, 1),
        ("blobs", "k-means++", True, 1),
        ("uniform", "k-means++", False, 1),
        ("uniform", "k-means++", True, 1),
        ("blobs", "random", False, 1),
        ("uniform", "random", False, 1),
        # The converged result users see.
        ("blobs", "k-means++", False, 300),
    ],
)
def test_random_init_mean_inertia_matches_sklearn(data, init, weighted, max_iter):
    X, k = named_data(data)
    w = np.random.default_rng(6).uniform(size=len(X)) ** 4 if weighted else None
    kw = dict(n_clusters=k, init=init, n_init=1, max_iter=max_iter)
    ours = [fastmva.KMeans(random_state=s, **kw).fit(X, sample_weight=w).inertia_ for s in SEEDS]
    theirs = [SKKMeans(random_state=s, **kw).fit(X, sample_weight=w).inertia_ for s in SEEDS]
    m_fm, se_fm = mean_and_se(ours)
    m_sk, se_sk = mean_and_se(theirs)
    bound = max(0.01 * m_sk, 3 * np.hypot(se_fm, se_sk))
    assert abs(m_fm - m_sk) <= bound, (
        f"mean inertia {m_fm:.6g} (se {se_fm:.3g}) vs scikit-learn's {m_sk:.6g} (se {se_sk:.3g}): "
        f"differ by {abs(m_fm - m_sk):.3g} > {bound:.3g}"
    )
