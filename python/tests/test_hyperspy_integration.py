"""fastmva.hyperspy around the numbers: enable/disable, fallbacks, the SVD hook, files readable
without fastmva, user callbacks' errors, progress bars and Ctrl-C."""

import signal
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

hs = pytest.importorskip("hyperspy.api")
fh = pytest.importorskip("fastmva.hyperspy")

import fastmva  # noqa: E402
from conftest import REPO_ROOT, SUBPROCESS_TIMEOUT, run_python, subprocess_env  # noqa: E402
from fastmva.hyperspy import _cluster  # noqa: E402
from fastmva.hyperspy._fallback import ORIGINAL  # noqa: E402
from hyperspy.learn._mva import MVA  # noqa: E402
from hyperspy_data import CLUSTER_KEYS, assert_same_results, blob_signal, quiet  # noqa: E402


@pytest.fixture
def enabled():
    fh.enable()
    yield
    fh.disable()


@pytest.fixture(scope="module")
def blobs():
    return blob_signal(hs)[0]


def test_enable_routes_the_methods_and_disable_restores_them(blobs, monkeypatch, enabled):
    calls = []
    for name in ("cluster_analysis", "estimate_number_of_clusters"):
        real = getattr(_cluster._numpy_api, name)
        monkeypatch.setattr(_cluster._numpy_api, name,
                            lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    s = blobs.deepcopy()
    assert s.estimate_number_of_clusters("signal", max_clusters=5, metric="gap", random_state=0,
                                         show_progressbar=False) == 3
    s.cluster_analysis("decomposition", number_of_components=3, n_clusters=3, random_state=0)
    assert calls == ["estimate_number_of_clusters", "cluster_analysis"]
    lr = s.learning_results
    assert lr.number_of_clusters == 3 and lr.cluster_labels.sum() == s.axes_manager.navigation_size
    fh.enable()  # idempotent
    fh.disable()
    assert not fh.is_enabled() and MVA.cluster_analysis is ORIGINAL["cluster_analysis"]
    quiet(s.cluster_analysis, "signal", n_clusters=3)
    assert calls == ["estimate_number_of_clusters", "cluster_analysis"]  # HyperSpy's own code ran


def test_what_fastmva_does_not_do_falls_back_with_a_notice(blobs, enabled):
    s, theirs = blobs.deepcopy(), blobs.deepcopy()
    with pytest.warns(fh.FallbackWarning, match="algorithm='agglomerative' runs on HyperSpy's own code"):
        s.cluster_analysis("signal", n_clusters=3, algorithm="agglomerative")
    quiet(ORIGINAL["cluster_analysis"], theirs, "signal", n_clusters=3, algorithm="agglomerative")
    assert_same_results(theirs.learning_results, s.learning_results, CLUSTER_KEYS)
    lazy = s.as_lazy()
    with pytest.warns(fh.FallbackWarning, match="a lazy signal"), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # dask's, about HyperSpy's use of it
        lazy.cluster_analysis("signal", n_clusters=3, n_init=1)
    assert lazy.learning_results.number_of_clusters == 3
    with pytest.warns(fh.FallbackWarning, match="algorithm='agglomerative'"):
        s.estimate_number_of_clusters("signal", max_clusters=3, algorithm="agglomerative", metric="elbow",
                                      show_progressbar=False)
    # An option fastmva's k-means lacks gets HyperSpy's (scikit-learn's) own answer to it.
    with pytest.warns(fh.FallbackWarning, match="'no_such_option'"), pytest.raises(TypeError, match="no_such_option"):
        s.cluster_analysis("signal", n_clusters=3, no_such_option=1)


def test_decomposition_hook_uses_fastmva_svd_pca_when_there_is_one(blobs, monkeypatch, enabled):
    import hyperspy.learn

    original = fh._original_svd_pca
    # Without fastmva.svd_pca: HyperSpy's SVD, with a notice.
    monkeypatch.delattr(fastmva, "svd_pca", raising=False)
    theirs = blobs.deepcopy()
    quiet(ORIGINAL["decomposition"], theirs, print_info=False)
    s = blobs.deepcopy()
    with pytest.warns(fh.FallbackWarning, match="no svd_pca"):
        s.decomposition(print_info=False)
    np.testing.assert_array_equal(s.learning_results.factors, theirs.learning_results.factors)
    # With one (here a stand-in that records its arguments), HyperSpy's decomposition calls it.
    seen = []
    monkeypatch.setattr(fastmva, "svd_pca", lambda data, **kw: seen.append(sorted(kw)) or original(data, **kw),
                        raising=False)
    assert hyperspy.learn.svd_pca is fh._svd_pca_hook
    s = blobs.deepcopy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", fh.FallbackWarning)
        s.decomposition(print_info=False, output_dimension=4)
    assert seen == [["auto_transpose", "centre", "output_dimension", "svd_solver"]]
    np.testing.assert_allclose(s.learning_results.factors, theirs.learning_results.factors[:, :4])


def test_a_file_saved_after_fastmva_loads_and_plots_without_fastmva(blobs, tmp_path):
    s = blobs.deepcopy()
    fh.cluster_analysis(s, "decomposition", number_of_components=3, n_clusters=3, random_state=0)
    fh.estimate_number_of_clusters(s, "decomposition", number_of_components=3, max_clusters=5, random_state=0,
                                   show_progressbar=False)
    path = tmp_path / "clustered.hspy"
    s.save(path)
    r = run_python(f"""
        import sys
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import hyperspy.api as hs
        s = hs.load({str(path)!r})
        lr = s.learning_results
        print("result:", s.get_cluster_labels().data.shape, s.get_cluster_signals(signal="mean").data.shape,
              s.get_cluster_distances().data.shape, lr.number_of_clusters, lr.estimated_number_of_clusters)
        s.plot_cluster_results()
        s.plot_cluster_metric()
        plt.savefig({str(tmp_path / "metric.png")!r})
        print("result:", sorted(m for m in sys.modules if m.startswith("fastmva")))
    """)
    assert r.returncode == 0, r.stderr
    results = [line for line in r.stdout.splitlines() if line.startswith("result:")]  # HyperSpy logs to stdout
    assert results == ["result: (3, 12, 15) (3, 10) (3, 12, 15) 3 3", "result: []"]
    assert (tmp_path / "metric.png").stat().st_size > 0


class _Raises:
    def fit_transform(self, data):
        raise ZeroDivisionError("user step failed")


class _Returns:
    def __init__(self, fn):
        self.fn = fn

    def fit_transform(self, data):
        return self.fn(data)


class _FitRaises:
    def fit(self, X):
        raise KeyError("user fit failed")


def test_user_callbacks_errors_surface_as_raised(blobs):
    s = blobs.deepcopy()
    before = dict(s.learning_results.__dict__)
    with pytest.raises(ZeroDivisionError, match="user step failed"):
        fh.cluster_analysis(s, "signal", n_clusters=3, preprocessing=_Raises())
    with pytest.raises(ZeroDivisionError, match="user step failed"):
        fh.estimate_number_of_clusters(s, "signal", max_clusters=4, preprocessing=_Raises(), show_progressbar=False)
    with pytest.raises(ValueError, match="returned 179 rows for 180 samples"):
        fh.cluster_analysis(s, "signal", n_clusters=3, preprocessing=_Returns(lambda d: d[1:]))
    with pytest.raises(TypeError, match="returned dtype <U"):
        fh.cluster_analysis(s, "signal", n_clusters=3, preprocessing=_Returns(lambda d: d.astype(str)))
    with pytest.raises(KeyError, match="user fit failed"):
        fh.cluster_analysis(s, "signal", algorithm=_FitRaises())
    assert s.data.shape == (12, 15, 10) and s.learning_results.__dict__.keys() == before.keys()


def test_progress_bars_follow_show_progressbar(blobs, capsys):
    s = blobs.deepcopy()
    fh.estimate_number_of_clusters(s, "signal", max_clusters=4, metric="gap", random_state=0, show_progressbar=True)
    err = capsys.readouterr().err
    assert "gap, k = 1..4" in err and "15/15" in err  # 3 data fits (k >= 2) + 4 references x 3
    fh.estimate_number_of_clusters(s, "signal", max_clusters=4, metric="gap", random_state=0, show_progressbar=False)
    old = hs.preferences.General.show_progressbar
    hs.preferences.General.show_progressbar = False
    try:
        fh.estimate_number_of_clusters(s, "signal", max_clusters=4, random_state=0)  # None: the preference
    finally:
        hs.preferences.General.show_progressbar = old
    assert capsys.readouterr().err == ""


def test_ctrl_c_stops_a_long_estimate_with_keyboard_interrupt():
    code = textwrap.dedent("""
        import numpy as np, hyperspy.api as hs, fastmva.hyperspy as fh
        X = np.random.default_rng(0).normal(size=(400, 500, 16)).astype(np.float32)
        fh.estimate_number_of_clusters(hs.signals.Signal1D(X), "signal", max_clusters=40, metric="gap",
                                       random_state=0, show_progressbar=True)
        print("finished")
    """)
    p = subprocess.Popen([sys.executable, "-c", code], env=subprocess_env(), cwd=str(REPO_ROOT),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    try:
        while b"gap, k = 1..40" not in seen:  # the bar is drawn at the first report, inside the native call
            ch = p.stderr.read(1)
            assert ch, seen.decode(errors="replace")
            seen += ch
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if p.poll() is None:
            p.kill()
    err = (seen + err).decode(errors="replace")
    assert b"finished" not in out
    assert p.returncode in (-signal.SIGINT, 128 + signal.SIGINT, 1), (p.returncode, err)
    assert err.rstrip().endswith("KeyboardInterrupt"), err[-2000:]
    assert "fatal error" not in err and "goroutine" not in err and "Segmentation" not in err


@pytest.mark.parametrize("centre", [None, "signal", "navigation"])
def test_enabled_decomposition_runs_fastmva_svd_and_equals_hyperspys(blobs, enabled, centre, monkeypatch):
    import hyperspy.learn

    # With fastmva.svd_pca present, enable() sends s.decomposition() to it: no fallback notice,
    # and HyperSpy's learning_results equal those of HyperSpy's own SVD up to the sign of each
    # component pair (both follow HyperSpy's convention, so the signs agree where the spectrum
    # has gaps; compare the leading components, which are well separated here).
    theirs = blobs.deepcopy()
    with monkeypatch.context() as m:   # HyperSpy's own SVD, whatever enable() installed
        m.setattr(hyperspy.learn, "svd_pca", fh._original_svd_pca)
        quiet(ORIGINAL["decomposition"], theirs, print_info=False, centre=centre)
    assert hyperspy.learn.svd_pca is fh._svd_pca_hook
    calls = []
    real = fastmva.svd_pca
    monkeypatch.setattr(fastmva, "svd_pca", lambda *a, **k: calls.append(1) or real(*a, **k))
    ours = blobs.deepcopy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", fh.FallbackWarning)
        ours.decomposition(print_info=False, centre=centre)
    assert calls == [1], "s.decomposition did not run fastmva.svd_pca"
    t, o = theirs.learning_results, ours.learning_results
    q = 3
    np.testing.assert_allclose(o.explained_variance[:q], t.explained_variance[:q], rtol=1e-8)
    np.testing.assert_allclose(o.factors[:, :q], t.factors[:, :q], atol=1e-8)
    np.testing.assert_allclose(o.loadings[:, :q], t.loadings[:, :q], atol=1e-8 * np.abs(t.loadings[:, :q]).max())
    np.testing.assert_allclose(ours.data, blobs.data)   # the signal's data is restored after centring
