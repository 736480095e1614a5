"""fastmva.hyperspy against HyperSpy's own code (the pinned 2.5.0) on the same signals.

Both run from the same initial centers on well-separated blobs, so labels must be equal (row
order included) and every array of learning_results agree to 1e-6 relative, with HyperSpy's
types, dtypes and shapes.
"""

import numpy as np
import pytest

hs = pytest.importorskip("hyperspy.api")
fh = pytest.importorskip("fastmva.hyperspy")

from fastmva.hyperspy import _source  # noqa: E402
from fastmva.hyperspy._fallback import ORIGINAL  # noqa: E402
from hyperspy_data import (  # noqa: E402
    CLUSTER_KEYS,
    ESTIMATE_KEYS,
    NAV,
    assert_same_results,
    blob_signal,
    initial_centers,
    other_sources,
    quiet,
)

SOURCES = ["signal", "decomposition", "bss", "other", "stack.T"]
MASKS = ["none", "navigation", "both"]


@pytest.fixture(scope="module")
def blobs():
    s, truth = blob_signal(hs)
    return s, truth, other_sources(hs, s)


def _masks(kind, source_signal):
    nav = sig = None
    if kind != "none":
        nav = np.zeros(NAV, bool)
        nav[[0, 3, 7, 11], [2, 14, 0, 9]] = True
    # A 2-feature source keeps both: "norm" on one feature makes every pixel the same point.
    if kind == "both" and source_signal is not None and source_signal.axes_manager.signal_size > 2:
        sig = np.zeros(source_signal.axes_manager.signal_size, bool)
        sig[[0, -1]] = True
    return nav, sig


def _source_array(s, source, nav, sig, number=None):
    with _source.unfolded() as u:
        X, fnav, fsig = _source.cluster_source(s, source, number, nav, sig, u)
        return np.array(X), fnav, fsig


@pytest.mark.parametrize("masks", MASKS)
@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("preprocessing", [None, "standard", "minmax", "norm"])
def test_cluster_analysis_equals_hyperspy(blobs, preprocessing, source, masks):
    s, truth, others = blobs
    src = others.get(source, source)
    nav, sig = _masks(masks, src if source in others else (s if source == "signal" else None))
    X, fnav, fsig = _source_array(s, src, nav, sig)
    init = initial_centers(X, fnav, fsig, truth, preprocessing)
    kwargs = dict(preprocessing=preprocessing, navigation_mask=nav, signal_mask=sig, n_clusters=3, init=init, n_init=1)
    theirs, ours = s.deepcopy(), s.deepcopy()
    quiet(ORIGINAL["cluster_analysis"], theirs, src, **kwargs)
    fh.cluster_analysis(ours, src, **kwargs)
    assert_same_results(theirs.learning_results, ours.learning_results, CLUSTER_KEYS)
    assert ours.data.shape == s.data.shape  # folded back
    if source in others:
        assert not src.metadata._HyperSpy.Folding.unfolded


@pytest.mark.parametrize(
    "source, centers",
    [("decomposition", "signal"), ("decomposition", None), ("bss", None), ("other", "signal"), ("stack.T", "signal"),
     ("signal", "decomposition"), ("signal", "other")],
)
def test_sources_for_centers_equal_hyperspy(blobs, source, centers):
    s, truth, others = blobs
    src, ctr = others.get(source, source), others.get(centers, centers)
    nav, _ = _masks("navigation", None)
    X, fnav, _ = _source_array(s, src, nav, None, number=3)
    init = initial_centers(X, fnav, None, truth, "norm")
    kwargs = dict(source_for_centers=ctr, preprocessing="norm", navigation_mask=nav, n_clusters=3, init=init, n_init=1)
    theirs, ours = s.deepcopy(), s.deepcopy()
    quiet(ORIGINAL["cluster_analysis"], theirs, src, number_of_components=3, **kwargs)
    fh.cluster_analysis(ours, src, number_of_components=3, **kwargs)
    assert_same_results(theirs.learning_results, ours.learning_results, CLUSTER_KEYS)


def test_float32_and_integer_counts_keep_hyperspys_dtypes():
    for dtype, rtol in ((np.float32, 1e-5), (np.uint16, 1e-6)):
        s, truth = blob_signal(hs, dtype=dtype)
        X, _, _ = _source_array(s, "signal", None, None)
        init = initial_centers(X.astype(np.float64), None, None, truth, "standard")
        kwargs = dict(preprocessing="standard", n_clusters=3, init=init, n_init=1)
        theirs, ours = s.deepcopy(), s.deepcopy()
        quiet(ORIGINAL["cluster_analysis"], theirs, "signal", **kwargs)
        fh.cluster_analysis(ours, "signal", **kwargs)
        assert_same_results(theirs.learning_results, ours.learning_results, CLUSTER_KEYS, rtol=rtol)


@pytest.mark.parametrize("metric", ["elbow", "silhouette", "gap"])
def test_estimate_gives_three_on_hyperspys_blobs_with_hyperspys_results(metric):
    # HyperSpy's own test setup: 3 x 100 points in 4-D, std 0.05.
    rng = np.random.default_rng(7)
    centers = np.array([[-1.0, -1, 1, 1], [1, -1, -1, -1], [-1, 1, 1, -1]])
    s = hs.signals.Signal1D(np.concatenate([c + rng.normal(scale=0.05, size=(100, 4)) for c in centers]))
    theirs = s.deepcopy()
    best = fh.estimate_number_of_clusters(s, "signal", max_clusters=6, preprocessing="norm", metric=metric,
                                          random_state=0, show_progressbar=False)
    want = quiet(ORIGINAL["estimate_number_of_clusters"], theirs, "signal", max_clusters=6, preprocessing="norm",
                 metric=metric, show_progressbar=False)
    if metric == "silhouette":
        assert best[0] == 3 and want[0] == 3  # HyperSpy returns the silhouette peaks
    else:
        assert best == 3 == want
    lr, hl = s.learning_results, theirs.learning_results
    for key in ESTIMATE_KEYS:
        assert type(lr.__dict__[key]) is type(hl.__dict__[key]), key
    assert lr.cluster_metric_index == hl.cluster_metric_index and lr.cluster_metric == metric
    # k = 1 and 3 have a unique k-means partition; elsewhere the random starts decide.
    at = [1] if metric == "silhouette" else [0, 2]
    np.testing.assert_allclose(np.asarray(lr.cluster_metric_data)[at], np.asarray(hl.cluster_metric_data)[at],
                               rtol=1e-3)
    assert s.data.shape == (300, 4) and not s.metadata._HyperSpy.Folding.unfolded


def test_estimate_folds_the_signal_back(blobs):
    # HyperSpy 2.5 leaves the signal unfolded after estimating on "signal"; fastmva folds it.
    s = blobs[0].deepcopy()
    fh.estimate_number_of_clusters(s, "signal", max_clusters=4, metric="elbow", random_state=0,
                                   show_progressbar=False)
    assert s.data.shape == NAV + (10,)
    assert s.learning_results.estimated_number_of_clusters == 3
