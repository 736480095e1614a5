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
