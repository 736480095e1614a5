"""Shared helpers of the fastmva test suite.

The tests exercise the package of this source tree: python/ (found relative to this file) is put
first on sys.path and on the PYTHONPATH of the subprocesses, so an editable install, a plain
``./build.sh`` build or ``FASTMVA_LIBRARY`` all work.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO_ROOT / "python"
HEADER = REPO_ROOT / "include" / "fastmva.h"

if str(PYTHON_DIR) not in sys.path:
    sys.path.insert(0, str(PYTHON_DIR))

# A bound on a subprocess that should finish in well under a second; it only turns a hang into a
# failure, nothing is timed.
SUBPROCESS_TIMEOUT = 300


def subprocess_env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PYTHON_DIR)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_python(code, **env):
    """Runs code in a fresh interpreter (this one's executable); returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=subprocess_env(**env),
        cwd=str(REPO_ROOT),
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
    )


def separated_blobs(n, d, k, dtype=np.float64, seed=0, std=1.0, box=1000.0, min_sep=30.0):
    """n points in d dimensions around k centers at least min_sep*std apart, std spread.

    The nearest center of every point is then its own by a wide margin (the distance gap is about
    the separation squared), so implementations that round differently still agree on labels.
    Returns (X, true_labels, true_centers) with X of the given dtype.
    """
    rng = np.random.default_rng(seed)
    centers = np.empty((k, d))
    for j in range(k):
        while True:
            c = rng.uniform(-box, box, size=d)
            if j == 0 or np.min(np.linalg.norm(centers[:j] - c, axis=1)) >= min_sep * std:
                centers[j] = c
                break
    labels = rng.permutation(np.arange(n) % k)
    X = centers[labels] + rng.normal(0.0, std, size=(n, d))
    return X.astype(dtype), labels, centers


@pytest.fixture(scope="session")
def fastmva_module():
    import fastmva

    return fastmva
