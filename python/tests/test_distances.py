"""fastmva.euclidean_distances / pairwise_distances_argmin_min against scikit-learn's."""

import numpy as np
import pytest
from sklearn.metrics import euclidean_distances as sk_euclidean_distances
from sklearn.metrics import pairwise_distances_argmin_min as sk_argmin_min

import fastmva


def _data(dtype, n=300, m=70, d=13, offset=2.0):
    rng = np.random.default_rng(d)
    return (rng.normal(size=(n, d)) + offset).astype(dtype), (rng.normal(size=(m, d)) + offset).astype(dtype)


def _tolerance(X, Y, dtype):
    """Both sides compute ||x||² − 2x·y + ||y||² in float64 and differ only in summation order:
    a few float64 epsilons of ||x||² + ||y||², plus one rounding to float32 for float32 output."""
    xx = (X.astype(np.float64) ** 2).sum(1)[:, None]
    yy = (Y.astype(np.float64) ** 2).sum(1)[None, :]
    return 64 * np.finfo(np.float64).eps * (xx + yy), (np.finfo(dtype).eps if dtype == np.float32 else 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("squared", [False, True])
def test_euclidean_distances_equal_scikit_learn(dtype, squared):
    X, Y = _data(dtype)
    got = fastmva.euclidean_distances(X, Y, squared=squared)
    want = sk_euclidean_distances(X, Y, squared=squared)
    assert got.dtype == want.dtype == dtype and got.shape == want.shape == (300, 70)
    atol_sq, rtol = _tolerance(X, Y, dtype)
    # The squared-distance bound carries over to the distance as atol/(2·d) ≤ sqrt(atol).
    atol = atol_sq if squared else np.sqrt(atol_sq)
    assert np.all(np.abs(got - want) <= atol + 2 * rtol * np.abs(want))


def test_euclidean_distances_of_x_with_itself():
    X, _ = _data(np.float64)
    got = fastmva.euclidean_distances(X)
    np.testing.assert_array_equal(np.diag(got), 0)
    np.testing.assert_allclose(got, sk_euclidean_distances(X), atol=1e-12, rtol=1e-12)


def test_dtypes_follow_scikit_learn():
    X32, Y32 = _data(np.float32, 20, 5)
    assert fastmva.euclidean_distances(X32, Y32).dtype == np.float32
    assert fastmva.euclidean_distances(X32, Y32.astype(np.float64)).dtype == np.float64
    assert fastmva.euclidean_distances(X32.astype(np.int64)).dtype == np.float64
    idx, dist = fastmva.pairwise_distances_argmin_min(X32, Y32)
    assert idx.dtype == np.int64 and dist.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [0, 1])
def test_argmin_min_equals_scikit_learn(dtype, axis):
    X, Y = _data(dtype, 2000, 64, 32)
    idx, dist = fastmva.pairwise_distances_argmin_min(X, Y, axis=axis)
    want_idx, want_dist = sk_argmin_min(X, Y, axis=axis)
    np.testing.assert_array_equal(idx, want_idx)
    # scikit-learn's float32 reduction keeps some float32 steps; ours is all float64.
    rtol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(dist, want_dist, rtol=rtol, atol=rtol)


def test_other_metrics_are_handed_to_scikit_learn():
    X, Y = _data(np.float64, 30, 6)
    idx, dist = fastmva.pairwise_distances_argmin_min(X, Y, metric="manhattan")
    want_idx, want_dist = sk_argmin_min(X, Y, metric="manhattan")
    np.testing.assert_array_equal(idx, want_idx)
    np.testing.assert_allclose(dist, want_dist)


def test_bad_input_is_refused_like_scikit_learn():
    X, Y = _data(np.float64, 10, 4)
    with pytest.raises(ValueError, match="Incompatible dimension"):
        fastmva.euclidean_distances(X, Y[:, :3])
    with pytest.raises(ValueError, match="Incompatible dimension"):
        fastmva.pairwise_distances_argmin_min(X, Y[:, :3])
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        fastmva.euclidean_distances(bad, Y)
    # The library finds non-finite values (scikit-learn's serial scan is skipped): the message
    # names the array and the place, for both functions, both arrays and both dtypes.
    for dtype in (np.float32, np.float64):
        for fn in (fastmva.euclidean_distances, fastmva.pairwise_distances_argmin_min):
            for which in ("X", "Y"):
                Xb, Yb = X.astype(dtype), Y.astype(dtype)
                (Xb if which == "X" else Yb)[2, 1] = np.nan
                with pytest.raises(ValueError, match=rf"{which} contains NaN at row 2, column 1"):
                    fn(Xb, Yb)
    with pytest.raises(ValueError, match="2D"):
        fastmva.euclidean_distances(X[0], Y)
    with pytest.raises(ValueError, match="X_norm_squared"):
        fastmva.euclidean_distances(X, Y, X_norm_squared=np.ones(3))
