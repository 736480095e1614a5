"""fastmva.cluster_analysis / estimate_number_of_clusters against scikit-learn and HyperSpy.

Oracles: scikit-learn's scalers and silhouette_score, and — when the pinned HyperSpy is installed —
HyperSpy's own cluster_analysis and estimate_number_of_clusters on the same data with the same
initial centers, so that the labels must be equal and everything else agree to rounding.
"""

import warnings

import fastmva
import numpy as np
import pytest
from fastmva import CallbackError, Cancelled, InvalidArgument
from sklearn import preprocessing as skp
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

SCALERS = {"standard": skp.StandardScaler, "minmax": skp.MinMaxScaler, "norm": skp.Normalizer}


def hyperspy_blobs(seed=123):
    """HyperSpy's TestClusterEstimate data: 3 x 100 points in 4-D, std 0.05, shuffled."""
    rng = np.random.default_rng(seed)
    centers = np.array([[-1.0, -1, 1, 1], [1, -1, -1, -1], [-1, 1, 1, -1]])
    X = np.concatenate([c + rng.normal(scale=0.05, size=(100, 4)) for c in centers])
    labels = np.repeat(np.arange(3), 100)
    order = rng.permutation(300)
    return X[order], labels[order]


def awkward_data(dtype):
    X = make_blobs(60, 7, centers=3, random_state=2, cluster_std=3.0)[0].astype(dtype)
    X[:, 2] = 4.0  # a constant feature
    X[5] = 0.0  # a zero row
    return X


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["standard", "minmax", "norm"])
def test_preprocessing_equals_scikit_learn(name, dtype):
    # One cluster per row, started on scikit-learn's scaled rows: the cluster means fastmva
    # reports are then its own scaled rows, which must equal scikit-learn's.
    X = awkward_data(dtype)
    X[6] = X[5] + 1  # keep rows distinct after scaling (row 5 is zero)
    want = SCALERS[name]().fit_transform(X)
    r = fastmva.cluster_analysis(
        X, len(X), preprocessing=name, init=want, n_init=1, max_iter=1, label_order="none"
    )
    np.testing.assert_array_equal(r.labels, np.arange(len(X)))
    tol = 1e-13 if dtype == np.float64 else 2e-6
    np.testing.assert_allclose(r.cluster_centroids, want, rtol=tol, atol=tol)


def test_estimate_finds_hyperspys_three_blobs():
    X, _ = hyperspy_blobs()
    for metric in ("elbow", "silhouette", "gap"):
        for rules in (False, True):
            for reference in ("line", "uniform"):
                r = fastmva.estimate_number_of_clusters(
                    X, max_clusters=6, metric=metric, preprocessing="norm", random_state=0,
                    gap_reference=reference, hyperspy_rules=rules,
                )
                assert r.estimated_number_of_clusters == 3, (metric, rules, reference, r)
                assert r.candidates[0] == 3
                first = 2 if metric == "silhouette" else 1
                assert r.cluster_metric_index == list(range(first, 7))
                assert len(r.cluster_metric_data) == 7 - first


def test_silhouette_and_inertia_at_the_unique_partition():
    # At k = 3 every k-means run finds the blobs, so the metric equals scikit-learn's silhouette
    # of the true labels and W the within-cluster sum of squares of HyperSpy's formula.
    X, truth = hyperspy_blobs()
    scaled = skp.Normalizer().fit_transform(X)
    r = fastmva.estimate_number_of_clusters(X, 4, "silhouette", preprocessing="norm", random_state=1)
    assert r.cluster_metric_data[1] == pytest.approx(silhouette_score(scaled, truth), rel=1e-12)
    w = sum(((scaled[truth == c] - scaled[truth == c].mean(0)) ** 2).sum() for c in range(3))
    assert r.inertia[2] == pytest.approx(w, rel=1e-12)


def test_signals_distances_and_masks_by_hand():
    X, truth = hyperspy_blobs()
    C = np.random.default_rng(0).random((300, 5)).astype(np.float32)
    nav = np.zeros(300, bool)
    nav[[3, 50, 299]] = True
    r = fastmva.cluster_analysis(X, 3, preprocessing="standard", source_for_centers=C,
                                 navigation_mask=nav, random_state=4)
    scaled = skp.StandardScaler().fit_transform(X[~nav])
    assert (r.labels[nav] == -1).all() and not r.cluster_labels[:, nav].any()
    assert np.isnan(r.cluster_distances[:, nav]).all()
    assert list(r.cluster_sizes) == sorted(r.cluster_sizes, reverse=True)
    for c in range(3):
        members = r.labels == c
        assert len(set(truth[members])) == 1
        np.testing.assert_allclose(r.cluster_sum_signals[c], C[members].sum(0, dtype=np.float64), rtol=1e-12)
        mean = scaled[members[~nav]].mean(0)
        np.testing.assert_allclose(r.cluster_centroids[c], mean, rtol=1e-12, atol=1e-14)
        dist = np.linalg.norm(scaled - mean, axis=1)
        np.testing.assert_allclose(r.cluster_distances[c, ~nav], dist, rtol=1e-12)
        pixel = np.flatnonzero(~nav)[np.argmin(dist)]
        assert r.centroid_pixels[c] == pixel
        np.testing.assert_array_equal(r.cluster_centroid_signals[c], C[pixel])


class PowerScaling:
    """The reference documentation's example preprocessing object."""

    def __init__(self, power=0.5):
        self.power = power

    def fit_transform(self, data):
        norm = np.amax(data, axis=1)
        scaled = data / norm[:, None]
        scaled = scaled - np.min(scaled) + 1.0e-8
        return scaled**self.power


def test_preprocessing_objects_and_width_changes():
    X = np.abs(hyperspy_blobs()[0]) + 0.1
    nav = np.arange(300) < 4
    r = fastmva.cluster_analysis(X, 3, preprocessing=PowerScaling(), navigation_mask=nav, random_state=0)
    assert r.cluster_centroids.shape == (3, 4)
    X, truth = hyperspy_blobs()
    r = fastmva.cluster_analysis(X, 3, preprocessing=PCA(2), navigation_mask=nav, random_state=0)
    assert r.cluster_centroids.shape == (3, 2)
    for c in range(3):
        assert len(set(truth[r.labels == c])) == 1
    e = fastmva.estimate_number_of_clusters(X, 5, "elbow", preprocessing=PCA(3), random_state=0)
    assert e.estimated_number_of_clusters == 3


class Raises:
    def fit_transform(self, data):
        raise ZeroDivisionError("user step failed")


class Returns:
    def __init__(self, value):
        self.value = value

    def fit_transform(self, data):
        return self.value(data)


def test_callback_failures_surface_clearly():
    X, _ = hyperspy_blobs()
    with pytest.raises(ZeroDivisionError, match="user step failed"):
        fastmva.cluster_analysis(X, 3, preprocessing=Raises())
    with pytest.raises(ZeroDivisionError):
        fastmva.estimate_number_of_clusters(X, 4, preprocessing=Raises())
    with pytest.raises(ValueError, match="returned 299 rows for 300 samples"):
        fastmva.cluster_analysis(X, 3, preprocessing=Returns(lambda d: d[1:]))
    with pytest.raises(ValueError, match="2-D"):
        fastmva.cluster_analysis(X, 3, preprocessing=Returns(lambda d: d[:, 0]))
    with pytest.raises(TypeError, match="dtype"):
        fastmva.cluster_analysis(X, 3, preprocessing=Returns(lambda d: d.astype(str)))
    with pytest.raises(CallbackError, match="NaN"):
        fastmva.cluster_analysis(X, 3, preprocessing=Returns(lambda d: d * np.nan))


def test_progress_cancels_and_reraises():
    X, _ = hyperspy_blobs()
    with pytest.raises(Cancelled):
        fastmva.estimate_number_of_clusters(X, 6, progress=lambda done, total: done >= 2)

    def boom(done, total):
        raise KeyError("from progress")

    with pytest.raises(KeyError, match="from progress"):
        fastmva.estimate_number_of_clusters(X, 6, progress=boom)
    with pytest.raises(KeyError, match="from progress"):
        fastmva.cluster_analysis(X, 3, progress=boom, tol=0)


class FirstFeatureSign:
    """A user algorithm: fit and labels_."""

    def fit(self, X):
        self.labels_ = (X[:, 0] > 0).astype(int)
        return self


def test_user_and_scikit_learn_algorithms():
    X, truth = hyperspy_blobs()
    r = fastmva.cluster_analysis(X, 2, algorithm=FirstFeatureSign(), label_order="none")
    np.testing.assert_array_equal(r.labels, (X[:, 0] > 0).astype(int))
    assert r.n_iter == 0
    r = fastmva.cluster_analysis(X, 3, algorithm="agglomerative", preprocessing="norm")
    for c in range(3):
        assert len(set(truth[r.labels == c])) == 1

    class NoLabels:
        def fit(self, X):
            return self

    with pytest.raises(AttributeError, match="labels_"):
        fastmva.cluster_analysis(X, 2, algorithm=NoLabels())


def test_bad_arguments_are_named():
    X, _ = hyperspy_blobs()
    with pytest.raises(InvalidArgument, match="navigation_mask masks out all"):
        fastmva.cluster_analysis(X, 3, navigation_mask=np.ones(300, bool))
    with pytest.raises(InvalidArgument, match="signal_mask has 3 values"):
        fastmva.cluster_analysis(X, 3, signal_mask=[True, False, False])
    with pytest.raises(InvalidArgument, match="max_clusters"):
        fastmva.estimate_number_of_clusters(X, 1)
    with pytest.raises(InvalidArgument, match="preprocessing"):
        fastmva.cluster_analysis(X, 3, preprocessing="whiten")
    with pytest.raises(InvalidArgument, match="NaN"):
        fastmva.cluster_analysis(np.where(X > 0.9, np.nan, X), 3)


def test_deterministic_for_a_seed_whatever_the_threads():
    X = make_blobs(3000, 6, centers=5, random_state=3)[0]
    a = fastmva.estimate_number_of_clusters(X, 7, "gap", gap_reference="uniform", random_state=5, n_threads=1)
    b = fastmva.estimate_number_of_clusters(X, 7, "gap", gap_reference="uniform", random_state=5, n_threads=2)
    np.testing.assert_array_equal(a.cluster_metric_data, b.cluster_metric_data)
    np.testing.assert_array_equal(a.gap_std_error, b.gap_std_error)


# ---------------------------------------------------------------------------------------------
# HyperSpy itself, where installed


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("preprocessing", [None, "standard", "minmax", "norm"])
@pytest.mark.parametrize("masks", [False, True])
def test_equals_hyperspy(dtype, preprocessing, masks):
    hs = pytest.importorskip("hyperspy.api")
    X = make_blobs(400, 12, centers=3, random_state=1, cluster_std=2.0)[0].astype(dtype)
    X[:, 3] = 7.0
    C = np.random.default_rng(0).random((400, 9)).astype(dtype)
    nav = np.zeros(400, bool)
    sig = np.zeros(12, bool)
    if masks:
        nav[[5, 77, 300]] = True
        sig[[0, 11]] = True
    kept = X[~nav][:, ~sig]
    scaled = kept if preprocessing is None else SCALERS[preprocessing]().fit_transform(kept)
    init = scaled[[0, 150, 299]]
    s = hs.signals.Signal1D(X.copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s.cluster_analysis("signal", source_for_centers=hs.signals.Signal1D(C.copy()), n_clusters=3,
                           preprocessing=preprocessing, init=init, n_init=1,
                           navigation_mask=nav if masks else None, signal_mask=sig if masks else None)
    lr = s.learning_results
    r = fastmva.cluster_analysis(X, 3, preprocessing, source_for_centers=C,
                                 navigation_mask=nav if masks else None,
                                 signal_mask=sig if masks else None,
                                 init=init, n_init=1, label_order="hyperspy")
    np.testing.assert_array_equal(r.cluster_labels, lr.cluster_labels)
    # HyperSpy computes in the data's dtype; fastmva in float64.
    tol = 1e-10 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(r.cluster_distances, lr.cluster_distances, rtol=tol, atol=tol)
    np.testing.assert_allclose(r.cluster_sum_signals, lr.cluster_sum_signals, rtol=tol)
    np.testing.assert_array_equal(r.cluster_centroid_signals, lr.cluster_centroid_signals)
    np.testing.assert_allclose(r.cluster_centroids, lr.cluster_centroids, rtol=tol, atol=tol)


@pytest.mark.parametrize("metric", ["elbow", "silhouette", "gap"])
def test_hyperspy_agrees_on_three_blobs(metric):
    hs = pytest.importorskip("hyperspy.api")
    X, _ = hyperspy_blobs()
    s = hs.signals.Signal1D(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = s.estimate_number_of_clusters("signal", max_clusters=6, preprocessing="norm",
                                               algorithm="kmeans", metric=metric, show_progressbar=False)
    ours = fastmva.estimate_number_of_clusters(X, 6, metric, preprocessing="norm", random_state=0,
                                               hyperspy_rules=True)
    theirs = theirs[0] if isinstance(theirs, list) else theirs
    assert ours.estimated_number_of_clusters == theirs == 3
    assert ours.cluster_metric_index == s.learning_results.cluster_metric_index
    # k = 1 and k = 3 have a unique k-means partition: the curves agree there.
    data = np.asarray(s.learning_results.cluster_metric_data)
    at = [1] if metric == "silhouette" else [0, 2]
    np.testing.assert_allclose(ours.cluster_metric_data[at], data[at], rtol=1e-3)
