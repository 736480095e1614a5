"""A Go panic inside the library comes back as fastmva.InternalError; the host process lives on.

FASTMVA_TEST_PANIC_IN_WORKER=1, read when the library loads, makes the first chunk of every
parallel loop panic inside a worker; so this runs in its own interpreter.
"""

from conftest import run_python

SCRIPT = """
import numpy as np
import fastmva
from fastmva import _kmeans

X = np.random.default_rng(0).normal(size=(20_000, 8))
for attempt in (1, 2):  # twice: the first recovered panic must leave the library usable
    try:
        fastmva.KMeans(4, random_state=0, n_threads=2).fit(X)
        print("fit: no error")
    except fastmva.InternalError as exc:
        print(f"fit: InternalError status={exc.status} panic={'panic' in str(exc)} "
              f"env={'FASTMVA_TEST_PANIC_IN_WORKER' in str(exc)}")
try:
    _kmeans.kmeans_transform(X, X[:3], n_threads=2)
    print("transform: no error")
except fastmva.InternalError as exc:
    print(f"transform: InternalError status={exc.status} panic={'panic' in str(exc)}")
print(np.add(1, 1))  # the interpreter still works after the recovered panics
print("OK")
"""


def test_worker_panic_becomes_internal_error():
    proc = run_python(SCRIPT, FASTMVA_TEST_PANIC_IN_WORKER=1)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.split("\n")
    assert lines[:3] == ["fit: InternalError status=5 panic=True env=True"] * 2 + [
        "transform: InternalError status=5 panic=True"
    ], proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("2\nOK")


def test_without_the_variable_the_same_script_succeeds():
    proc = run_python(SCRIPT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:3] == ["fit: no error"] * 2 + ["transform: no error"]
