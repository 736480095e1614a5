"""Results do not depend on the number of threads: bitwise-identical labels, centers and inertia.

Each thread count runs in its own interpreter, so nothing (thread pools, caches, the order of
earlier calls) is shared between the runs.
"""

import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO_ROOT, SUBPROCESS_TIMEOUT, subprocess_env

CASES = [(dtype, init) for dtype in ("float64", "float32") for init in ("k-means++", "random")]

SCRIPT = """
import sys
import numpy as np
import fastmva

out, n_threads = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(42)
# Overlapping clusters (a hard problem: many points near ties, many iterations), large enough to
# be cut into many chunks.
X64 = rng.normal(size=(20_000, 24)) + rng.integers(0, 6, size=(20_000, 1))
w = rng.uniform(0.5, 2.0, size=X64.shape[0])
results = {}
for dtype, init in %r:
    X = X64.astype(dtype)
    km = fastmva.KMeans(n_clusters=13, init=init, n_init=2, max_iter=40, tol=0.0,
                        random_state=7, n_threads=n_threads).fit(X, sample_weight=w)
    tag = dtype + "-" + init
    results[tag + ":labels"] = km.labels_
    results[tag + ":centers"] = km.cluster_centers_
    results[tag + ":inertia"] = np.float64(km.inertia_)
    results[tag + ":n_iter"] = np.int64(km.n_iter_)
    results[tag + ":transform"] = km.transform(X[:1000])
    results[tag + ":predict"] = km.predict(X)
np.savez(out, **results)
""" % (CASES,)


def _run(path, n_threads):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), str(n_threads)],
        env=subprocess_env(),
        cwd=str(REPO_ROOT),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    return dict(np.load(path))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("determinism")
    return {t: _run(tmp / f"threads{t}.npz", t) for t in (1, 2)}


@pytest.mark.parametrize("dtype,init", CASES)
def test_thread_count_does_not_change_results(runs, dtype, init):
    tag = f"{dtype}-{init}"
    one, two = runs[1], runs[2]
    assert one[f"{tag}:labels"].dtype == np.int32
    assert one[f"{tag}:centers"].dtype == np.dtype(dtype)
    assert len(np.unique(one[f"{tag}:labels"])) == 13
    for key in ("labels", "centers", "inertia", "n_iter", "transform", "predict"):
        assert one[f"{tag}:{key}"].tobytes() == two[f"{tag}:{key}"].tobytes(), key
