"""Small HyperSpy signals for the fastmva.hyperspy tests (no test in here)."""

import warnings

import numpy as np
from sklearn import preprocessing as skp

SCALERS = {"standard": skp.StandardScaler, "minmax": skp.MinMaxScaler, "norm": skp.Normalizer}
NAV = (12, 15)
CLUSTER_KEYS = (
    "cluster_labels",
    "cluster_algorithm",
    "number_of_clusters",
    "cluster_sum_signals",
    "cluster_centroid_signals",
    "cluster_distances",
    "cluster_centroids",
)
ESTIMATE_KEYS = ("cluster_metric_index", "cluster_metric_data", "cluster_metric", "estimated_number_of_clusters")


def quiet(fn, *args, **kwargs):
    """HyperSpy and scikit-learn warn about things beside the point (numba, convergence)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def blob_signal(hs, dtype=np.float64, seed=0):
    """A 12 x 15 map of 10-channel spectra from 3 well-separated blobs, with SVD and BSS results.

    Returns (signal, truth) with truth the (12, 15) blob of each pixel. Integer data (counts)
    get no decomposition, as in HyperSpy.
    """
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(3, 10)) * 10 + 30
    truth = np.arange(NAV[0] * NAV[1]) % 3
    rng.shuffle(truth)
    truth = truth.reshape(NAV)
    data = np.abs(centers[truth] + rng.normal(scale=0.5, size=NAV + (10,))).astype(dtype)
    s = hs.signals.Signal1D(data)
    if s.data.dtype.kind == "f":  # HyperSpy decomposes floating-point data only
        quiet(s.decomposition, print_info=False)
        quiet(s.blind_source_separation, 3, print_info=False)
    return s, truth


def other_sources(hs, s):
    """Another signal with the same navigation (4 features), and a transposed stack of 2 maps."""
    other = hs.signals.Signal1D(s.data[..., :4] * np.array([1.0, 2.0, 3.0, 4.0]) + 1.0)
    maps = [hs.signals.Signal2D(s.data[..., i].copy()) for i in (0, 5)]
    return {"other": other, "stack.T": hs.stack(maps).T}


def initial_centers(source_array, nav, sig, truth, preprocessing):
    """One preprocessed row per blob, among the pixels kept: equal starts for both libraries."""
    X = source_array
    kept = np.ones(X.shape[0], bool) if nav is None else ~nav
    rows = X[kept]
    if sig is not None:
        rows = rows[:, ~sig]
    scaled = rows if preprocessing is None else SCALERS[preprocessing]().fit_transform(rows)
    t = truth.ravel()[kept]
    return np.stack([scaled[np.flatnonzero(t == c)[0]] for c in range(3)])


def assert_same_results(theirs, ours, keys, rtol=1e-6):
    """ours (fastmva) as HyperSpy's: same attributes, types, dtypes, shapes; values to rtol."""
    missing = [k for k in keys if k not in ours.__dict__]
    assert not missing, missing
    for key in keys:
        a, b = theirs.__dict__[key], ours.__dict__[key]
        assert type(a) is type(b), (key, type(a), type(b))
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape, (key, a.dtype, b.dtype, a.shape, b.shape)
            if a.dtype == bool:
                np.testing.assert_array_equal(a, b, err_msg=key)
            else:
                np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol * np.nanmax(np.abs(a)), err_msg=key)
        elif isinstance(a, list):
            np.testing.assert_allclose(b, a, rtol=rtol, err_msg=key)
        else:
            assert a == b, (key, a, b)
