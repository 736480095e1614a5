"""fastmva.KMeans as a scikit-learn estimator: clone, pickle, the fit/predict/transform family."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import fastmva
from conftest import separated_blobs


@pytest.fixture(scope="module")
def blobs():
    X, truth, _ = separated_blobs(2_000, 5, 4, seed=3)
    return X, truth


def test_defaults_match_scikit_learn():
    from sklearn.cluster import KMeans as SKKMeans

    ours = fastmva.KMeans().get_params()
    theirs = SKKMeans().get_params()
    assert ours.pop("n_threads") is None
    assert ours == theirs


def test_clone_keeps_params_and_drops_fitted_state(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, init="random", n_init=3, max_iter=50, tol=1e-3, random_state=5,
                        n_threads=1).fit(X)
    copy = clone(km)
    assert copy.get_params() == km.get_params()
    assert not hasattr(copy, "labels_")
    np.testing.assert_array_equal(copy.fit(X).labels_, km.labels_)


def test_pickle_round_trip(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, random_state=0).fit(X)
    back = pickle.loads(pickle.dumps(km))
    assert back.get_params() == km.get_params()
    for name in ("cluster_centers_", "labels_"):
        assert getattr(back, name).tobytes() == getattr(km, name).tobytes()
    assert back.inertia_ == km.inertia_ and back.n_iter_ == km.n_iter_
    assert back.n_features_in_ == 5
    np.testing.assert_array_equal(back.predict(X), km.predict(X))
    assert pickle.loads(pickle.dumps(fastmva.KMeans(3))).get_params() == fastmva.KMeans(3).get_params()


def test_fitted_attributes(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, random_state=0).fit(X)
    assert km.cluster_centers_.shape == (4, 5) and km.cluster_centers_.dtype == np.float64
    assert km.labels_.shape == (2_000,) and km.labels_.dtype == np.int32
    assert isinstance(km.inertia_, float) and km.inertia_ > 0
    assert isinstance(km.n_iter_, int) and 1 <= km.n_iter_ <= 300
    assert km.n_features_in_ == 5
    assert list(km.get_feature_names_out()) == [f"kmeans{i}" for i in range(4)]


def test_fit_predict_equals_labels(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, random_state=0)
    labels = km.fit_predict(X)
    np.testing.assert_array_equal(labels, km.labels_)
    np.testing.assert_array_equal(km.predict(X), km.labels_)  # converged: predict agrees


def test_transform(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, random_state=0).fit(X)
    D = km.transform(X[:100])
    assert D.shape == (100, 4) and D.dtype == np.float64
    expected = np.linalg.norm(X[:100, None, :] - km.cluster_centers_[None], axis=2)
    np.testing.assert_allclose(D, expected, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(np.argmin(D, axis=1), km.labels_[:100])
    np.testing.assert_allclose(fastmva.KMeans(4, random_state=0).fit_transform(X), km.transform(X))


def test_score_is_minus_inertia(blobs):
    X, _ = blobs
    km = fastmva.KMeans(4, random_state=0).fit(X)
    np.testing.assert_allclose(km.score(X), -km.inertia_, rtol=1e-12)


def test_float32_stays_float32(blobs):
    X, _ = blobs
    X32 = X.astype(np.float32)
    km = fastmva.KMeans(4, random_state=0).fit(X32)
    assert km.cluster_centers_.dtype == np.float32
    assert km.transform(X32).dtype == np.float32
    # A float64 model used on float32 data works in float32 (the data's precision).
    km64 = fastmva.KMeans(4, random_state=0).fit(X)
    np.testing.assert_array_equal(km64.predict(X32), km64.labels_)


def test_small_integers_become_float32():
    X = np.random.default_rng(0).integers(0, 200, size=(300, 6)).astype(np.uint8)
    km = fastmva.KMeans(3, random_state=0).fit(X)
    assert km.cluster_centers_.dtype == np.float32
    wide = fastmva.KMeans(3, random_state=0).fit(X.astype(np.int64))
    assert wide.cluster_centers_.dtype == np.float64
    np.testing.assert_array_equal(km.labels_, wide.labels_)


def test_strided_views_are_read_in_place(blobs):
    X, _ = blobs
    wide = np.concatenate([X, np.full((len(X), 3), 1e30)], axis=1)  # garbage past column 5
    view = wide[:, :5]
    assert not view.flags.c_contiguous
    a = fastmva.KMeans(4, random_state=0).fit(view)
    b = fastmva.KMeans(4, random_state=0).fit(np.ascontiguousarray(view))
    assert a.cluster_centers_.tobytes() == b.cluster_centers_.tobytes()
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.predict(wide[::2, :5]), b.labels_[::2])
    fortran = np.asfortranarray(X)
    np.testing.assert_array_equal(fastmva.KMeans(4, random_state=0).fit(fortran).labels_, b.labels_)


def test_random_state_semantics(blobs):
    X, _ = blobs
    a = fastmva.KMeans(4, init="random", n_init=1, random_state=3).fit(X)
    b = fastmva.KMeans(4, init="random", n_init=1, random_state=3).fit(X)
    assert a.cluster_centers_.tobytes() == b.cluster_centers_.tobytes()
    rs = np.random.RandomState(3)
    c = fastmva.KMeans(4, init="random", n_init=1, random_state=rs).fit(X)
    assert c.cluster_centers_.tobytes() == a.cluster_centers_.tobytes()  # same first draw


def test_none_random_state_draws_fresh_seeds():
    # 8 points on a line, 4 clusters, one "random" init: the starting rows decide the result,
    # and fresh seeds give different results (the same one 20 times in a row is ~impossible).
    X = np.arange(8.0).reshape(-1, 1) ** 2
    results = {fastmva.KMeans(4, init="random", n_init=1).fit(X).labels_.tobytes()
               for _ in range(20)}
    assert len(results) > 1


def test_n_init_auto_and_explicit_init_warning(blobs):
    X, _ = blobs
    init = X[:4]
    with pytest.warns(RuntimeWarning, match="Explicit initial center position"):
        fastmva.KMeans(4, init=init, n_init=5).fit(X)
    km = fastmva.KMeans(4, init=init).fit(X)  # "auto" -> 1 run, no warning
    km2 = fastmva.KMeans(4, init=init, n_init=1).fit(X)
    assert km.cluster_centers_.tobytes() == km2.cluster_centers_.tobytes()


def test_callable_init(blobs):
    X, truth = blobs
    calls = []

    def init(data, n_clusters, random_state):
        calls.append(random_state)
        return data[random_state.choice(len(data), n_clusters, replace=False)]

    km = fastmva.KMeans(4, init=init, random_state=0).fit(X)  # "auto" -> 10 for a callable
    assert len(calls) == 10
    assert km.cluster_centers_.shape == (4, 5)


def test_duplicate_points_warn_about_fewer_clusters():
    from sklearn.exceptions import ConvergenceWarning

    X = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 10, axis=0)
    with pytest.warns(ConvergenceWarning, match="distinct clusters"):
        fastmva.KMeans(3, random_state=0).fit(X)


def test_in_a_pipeline(blobs):
    X, truth = blobs
    pipe = make_pipeline(StandardScaler(), fastmva.KMeans(4, random_state=0))
    labels = pipe.fit_predict(X)
    assert labels.shape == (len(X),)
    assert pipe.transform(X).shape == (len(X), 4)


def test_verbose_prints_progress(blobs, capsys):
    X, _ = blobs
    fastmva.KMeans(4, random_state=0, verbose=1).fit(X)
    out = capsys.readouterr().out
    assert "iteration 1" in out


@pytest.mark.parametrize(
    "init, n_init, runs",
    [("k-means++", "auto", 1), ("random", "auto", 10), ("array", "auto", 1), ("k-means++", 3, 3),
     ("random", 4, 4)],
)
def test_n_init_auto_as_scikit_learn(blobs, monkeypatch, init, n_init, runs):
    # scikit-learn >= 1.4: "auto" is 1 run for k-means++ and an array, 10 for "random" (a
    # callable's 10 is test_callable_init). The restarts happen inside one library call.
    from fastmva import _kmeans

    X, _ = blobs
    seen = []
    real = _kmeans.kmeans_fit
    monkeypatch.setattr(_kmeans, "kmeans_fit", lambda *a, **kw: seen.append(kw["n_init"]) or real(*a, **kw))
    fastmva.KMeans(4, init=X[:4] if init == "array" else init, n_init=n_init, random_state=0).fit(X)
    assert seen == [runs]
