"""fork(): the Go runtime does not survive it, so a forked child must fail fast, never hang.

Two layers are tested: the Python guard (os.register_at_fork) raises ForkedError without entering
C, and the C guard (pthread_atfork in libfastmva) returns FMVA_EFORKED when the Python guard is
bypassed by calling the ctypes functions directly.
"""

import concurrent.futures
import ctypes
import json
import multiprocessing
import os
import select
import signal
import time
import traceback
import warnings

import numpy as np
import pytest

import fastmva
from fastmva import _kmeans, _lib
from fastmva.errors import FMVA_EFORKED

if not hasattr(os, "fork"):
    pytest.skip("no os.fork on this platform", allow_module_level=True)

# The child has only pure-Python work to do before its answer; a hang (a call that entered the
# dead Go runtime) is what this bound catches.
REPLY_TIMEOUT = 1.0


def fork_and_report(child_body):
    """Runs child_body() in a forked child; returns what it returned (JSON) within the timeout."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        # Python >= 3.12 warns that forking a multi-threaded process may deadlock: that hazard is
        # exactly what is being tested.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: report, then leave without running any of pytest's cleanup
        code = 0
        try:
            os.close(read_fd)
            try:
                result = child_body()
            except BaseException:
                result = {"child_failed": traceback.format_exc()}
            os.write(write_fd, json.dumps(result).encode())
        except BaseException:
            code = 1
        finally:
            os._exit(code)

    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + REPLY_TIMEOUT
    try:
        while True:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([read_fd], [], [], max(remaining, 0))
            if not ready:
                pytest.fail(f"the forked child did not answer within {REPLY_TIMEOUT} s (a hang)")
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    result = json.loads(b"".join(chunks).decode())
    assert "child_failed" not in result, result.get("child_failed")
    return result


@pytest.fixture(scope="module")
def data():
    X = np.random.default_rng(0).normal(size=(500, 4))
    fastmva.KMeans(3, random_state=0).fit(X)  # the library is loaded and its Go runtime running
    return X


def test_python_guard_raises_forked_error(data):
    def child():
        out = {"forked_flag": _lib.forked()}
        for name, call in [
            ("fit", lambda: fastmva.KMeans(3, random_state=0).fit(data)),
            ("build_info", fastmva.build_info),
        ]:
            try:
                call()
                out[name] = ["no error", ""]
            except Exception as exc:  # noqa: BLE001 - the type is the answer
                out[name] = [type(exc).__name__, str(exc)]
        return out

    result = fork_and_report(child)
    assert result["forked_flag"] is True
    for name in ("fit", "build_info"):
        kind, message = result[name]
        assert kind == "ForkedError", (name, kind, message)
        assert "spawn" in message and "forkserver" in message and "fork" in message
    # The parent is unaffected.
    assert not _lib.forked()
    assert fastmva.KMeans(3, random_state=0).fit(data).labels_.shape == (len(data),)


def test_c_guard_returns_eforked_when_python_guard_is_bypassed(data):
    # Everything the raw calls need is prepared in the parent; the child only calls C.
    matrix, _keep = _lib.as_matrix(data)  # C-contiguous float64: a view of data, no copy
    params = _lib.kmeans_params()
    params.n_clusters = 3
    centers = np.empty((3, data.shape[1]))
    cmatrix, _ = _lib.as_matrix(centers)
    labels = np.empty(len(data), dtype=np.int32)
    distances = np.empty((len(data), 3))
    inertia = ctypes.c_double()
    n_iter = ctypes.c_int32()
    buffer = ctypes.create_string_buffer(4096)
    raw = _lib.raw
    labels_p = labels.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))
    mb_params = _lib.minibatch_params()
    mb_params.n_clusters = 3
    model = ctypes.c_void_p()
    assert raw.fmva_minibatch_create(_lib.FMVA_F64, data.shape[1], ctypes.byref(mb_params), ctypes.byref(model)) == 0
    counts = np.empty(3)
    counts_p = counts.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    argmin = np.empty(len(data), dtype=np.int64)
    steps = ctypes.c_int64()

    def child():
        return {
            "fmva_version": raw.fmva_version(),
            "fmva_build_info": raw.fmva_build_info(buffer, len(buffer)),
            "fmva_set_memory_limit": raw.fmva_set_memory_limit(0),
            "fmva_kmeans_params_init": raw.fmva_kmeans_params_init(ctypes.byref(_lib.KMeansParams())),
            "fmva_kmeans_fit": raw.fmva_kmeans_fit(
                ctypes.byref(matrix), ctypes.byref(params), centers.ctypes.data, labels_p,
                ctypes.byref(inertia), ctypes.byref(n_iter),
            ),
            "fmva_kmeans_predict": raw.fmva_kmeans_predict(
                ctypes.byref(matrix), ctypes.byref(cmatrix), None, 0, labels_p, ctypes.byref(inertia)
            ),
            "fmva_kmeans_transform": raw.fmva_kmeans_transform(
                ctypes.byref(matrix), ctypes.byref(cmatrix), 0, distances.ctypes.data
            ),
            "fmva_minibatch_params_init": raw.fmva_minibatch_params_init(ctypes.byref(_lib.MiniBatchParams())),
            "fmva_minibatch_create": raw.fmva_minibatch_create(
                _lib.FMVA_F64, data.shape[1], ctypes.byref(mb_params), ctypes.byref(ctypes.c_void_p())
            ),
            "fmva_minibatch_partial_fit": raw.fmva_minibatch_partial_fit(model, ctypes.byref(matrix), None),
            "fmva_minibatch_fit": raw.fmva_minibatch_fit(model, ctypes.byref(matrix), None, None, None, None),
            "fmva_minibatch_predict": raw.fmva_minibatch_predict(model, ctypes.byref(matrix), None, labels_p, None),
            "fmva_minibatch_state": raw.fmva_minibatch_state(model, centers.ctypes.data, counts_p, ctypes.byref(steps)),
            "fmva_minibatch_set_state": raw.fmva_minibatch_set_state(model, centers.ctypes.data, None, 0),
            "fmva_minibatch_free": raw.fmva_minibatch_free(model),
            "fmva_euclidean_distances": raw.fmva_euclidean_distances(
                ctypes.byref(matrix), ctypes.byref(cmatrix), 0, 0, 0, distances.ctypes.data
            ),
            "fmva_pairwise_distances_argmin_min": raw.fmva_pairwise_distances_argmin_min(
                ctypes.byref(matrix), ctypes.byref(cmatrix), 0,
                argmin.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), counts_p,
            ),
            # The fork check comes before any argument is read: NULLs are enough.
            "fmva_sink_write": raw.fmva_sink_write(None, None),
            "fmva_cluster_params_init": raw.fmva_cluster_params_init(None),
            "fmva_cluster_result_init": raw.fmva_cluster_result_init(None),
            "fmva_cluster_analysis": raw.fmva_cluster_analysis(ctypes.byref(matrix), None, None, None),
            "fmva_estimate_params_init": raw.fmva_estimate_params_init(None),
            "fmva_estimate_result_init": raw.fmva_estimate_result_init(None),
            "fmva_estimate_number_of_clusters": raw.fmva_estimate_number_of_clusters(
                ctypes.byref(matrix), None, None
            ),
            "fmva_svd_params_init": raw.fmva_svd_params_init(None),
            "fmva_svd_result_init": raw.fmva_svd_result_init(None),
            "fmva_svd": raw.fmva_svd(ctypes.byref(matrix), None, None),
        }

    result = fork_and_report(child)
    assert result.pop("fmva_version") == _lib.version_number(fastmva.__version__)
    assert result == {name: FMVA_EFORKED for name in result}
    assert set(result) | {"fmva_version", "fmva_last_error"} == set(_lib.SIGNATURES)
    # In the parent the same raw call works.
    assert raw.fmva_kmeans_fit(
        ctypes.byref(matrix), ctypes.byref(params), centers.ctypes.data, labels_p,
        ctypes.byref(inertia), ctypes.byref(n_iter),
    ) == 0
    assert raw.fmva_minibatch_free(model) == 0


def test_spawned_workers_work():
    """The way out the error message recommends: a "spawn" worker loads its own library."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        info = pool.submit(fastmva.build_info).result(timeout=300)
        km = pool.submit(_kmeans.KMeans(2, random_state=0).fit, np.eye(4)).result(timeout=300)
    assert info["version"] == fastmva.__version__
    assert km.labels_.shape == (4,)
