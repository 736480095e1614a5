"""predict's fast path (plain float ndarrays skip scikit-learn's validate_data) behaves exactly
like the general path: same labels, same errors, sees refits and in-place center changes."""

import numpy as np
import pytest

import fastmva


@pytest.fixture(params=[fastmva.KMeans, fastmva.MiniBatchKMeans])
def fitted(request):
    X = np.random.default_rng(0).random((500, 6))
    return request.param(4, random_state=0, n_init=1).fit(X), X


def test_same_labels_as_the_general_path(fitted):
    km, X = fitted
    fast = km.predict(X)
    general = km.predict(np.asfortranarray(X))  # not C-contiguous: the general path
    as_list = km.predict(X.tolist())
    np.testing.assert_array_equal(fast, general)
    np.testing.assert_array_equal(fast, as_list)
    np.testing.assert_array_equal(km.predict(X.astype(np.float32)), km.predict(X.astype(np.float32).tolist()))


def test_errors_are_those_of_the_general_path(fitted):
    km, X = fitted
    bad = X[:10].copy()
    bad[2, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        km.predict(bad)
    with pytest.raises(ValueError, match="features"):
        km.predict(X[:, :5].copy())


def test_sees_refits_and_in_place_changes(fitted):
    km, X = fitted
    km.predict(X)  # fills the cache
    km.cluster_centers_[:] = km.cluster_centers_[0]  # every center equal: all ties -> label 0
    np.testing.assert_array_equal(km.predict(X), 0)
    km.fit(X[::-1].copy())
    np.testing.assert_array_equal(km.predict(X), km.predict(np.asfortranarray(X)))


def test_labels_own_their_memory_on_both_sides_of_the_small_buffer(fitted):
    # Up to _SMALL_LABELS rows the labels come in a ctypes buffer viewed by NumPy, beyond it in
    # np.empty: both must equal the general path's, be writable int32 arrays, and outlive every
    # other object of the call (the buffer is kept alive by the array alone).
    import gc

    from fastmva import _fastpath

    km, X = fitted
    big = np.tile(X, (_fastpath._SMALL_LABELS // len(X) + 2, 1))
    for rows in (1, 17, _fastpath._SMALL_LABELS, _fastpath._SMALL_LABELS + 1):
        part = np.ascontiguousarray(big[:rows])
        labels = km.predict(part)
        gc.collect()
        _ = [np.ones(rows, dtype=np.int32) * 9 for _ in range(3)]  # reuse of freed memory
        assert labels.dtype == np.int32 and labels.shape == (rows,) and labels.flags.writeable
        np.testing.assert_array_equal(labels, km.predict(np.asfortranarray(part)))


def test_read_only_rows_take_the_fast_path_too(fitted):
    km, X = fitted
    frozen = X.copy()
    frozen.flags.writeable = False
    from fastmva import _fastpath

    assert _fastpath.predict(km, frozen) is not None  # the fast path, not the general one
    np.testing.assert_array_equal(km.predict(frozen), km.predict(X))
