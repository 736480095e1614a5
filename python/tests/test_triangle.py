"""Elkan/Hamerly/Yinyang/auto give Lloyd's result exactly from the same init (fastmva.KMeans)."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs

import fastmva

SHAPES = [(50_000, 2, 8), (8_000, 32, 64), (3_000, 128, 16), (800, 512, 64), (2_000, 10, 2)]


@pytest.mark.parametrize("n,d,k", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_triangle_algorithms_equal_lloyd(n, d, k, dtype):
    X, _ = make_blobs(n, n_features=d, centers=k, random_state=d + k)
    X = X.astype(dtype)
    # Rows as the start: away from the truth, so every fit iterates.
    init = X[np.random.default_rng(k).choice(n, k, replace=False)]
    fits = {
        a: fastmva.KMeans(k, init=init, n_init=1, algorithm=a, max_iter=50).fit(X)
        for a in ("lloyd", "elkan", "hamerly", "yinyang", "auto")
    }
    want = fits["lloyd"]
    for algorithm, got in fits.items():
        np.testing.assert_array_equal(got.labels_, want.labels_, err_msg=algorithm)
        np.testing.assert_array_equal(got.cluster_centers_, want.cluster_centers_, err_msg=algorithm)
        assert got.n_iter_ == want.n_iter_, algorithm
        assert got.inertia_ == want.inertia_, algorithm


def test_unknown_algorithm_is_refused():
    X = np.random.default_rng(0).random((50, 3))
    with pytest.raises(ValueError, match="algorithm"):
        fastmva.KMeans(3, algorithm="full").fit(X)
