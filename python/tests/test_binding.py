"""The ctypes binding: loading, version check, arrays without copies, callbacks, errors, threads."""

import concurrent.futures
import ctypes
import signal

import numpy as np
import pytest

import fastmva
from fastmva import _kmeans, _lib
from fastmva.errors import Cancelled, InvalidArgument, OutOfMemory
from conftest import run_python


def test_build_info():
    info = fastmva.build_info()
    assert info["version"] == fastmva.__version__
    assert info["kernels"] in {"avx512", "avx2", "generic"}
    assert isinstance(info["cpu"]["features"], list)
    assert info["go"].startswith("go")
    assert info["library"] == _lib.LIBRARY_PATH


def test_version_number_matches_the_header():
    from conftest import HEADER

    text = HEADER.read_text()
    parts = {
        name: int(text.split(f"#define FASTMVA_VERSION_{name} ")[1].split()[0])
        for name in ("MAJOR", "MINOR", "PATCH")
    }
    assert fastmva.__version__ == "{MAJOR}.{MINOR}.{PATCH}".format(**parts)
    assert _lib.raw.fmva_version() == _lib.version_number(fastmva.__version__)
    assert _lib.version_number("1.2.3rc1") == 10203


def test_every_header_function_has_a_signature():
    for name, (restype, argtypes) in _lib.SIGNATURES.items():
        function = getattr(_lib.raw, name)
        assert function.restype is restype and function.argtypes == argtypes, name
        assert callable(getattr(_lib.lib, name))


def test_struct_sizes_match_the_library():
    params = _lib.KMeansParams()
    assert _lib.raw.fmva_kmeans_params_init(ctypes.byref(params)) == 0
    assert params.struct_size == ctypes.sizeof(_lib.KMeansParams)
    # The defaults of the header.
    assert (params.n_clusters, params.init, params.n_init, params.max_iter, params.tol,
            params.seed, params.n_threads, params.algorithm) == (8, 0, 1, 300, 1e-4, 0, 0, 0)
    assert not params.init_centers and not params.sample_weight and not params.progress


def test_missing_library_gives_a_clear_import_error(tmp_path):
    proc = run_python("import fastmva", FASTMVA_LIBRARY=tmp_path / "nothing.so")
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr
    assert "./build.sh" in proc.stderr and "pip install ." in proc.stderr


def test_version_mismatch_gives_a_clear_import_error():
    proc = run_python(
        """
        import sys, types
        fake = types.ModuleType("fastmva._version")
        fake.__version__ = "9.8.7"
        sys.modules["fastmva._version"] = fake
        import fastmva
        """
    )
    assert proc.returncode != 0
    assert "ImportError" in proc.stderr and "9.8.7" in proc.stderr and "0.1.0" in proc.stderr


# -- arrays -------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_as_matrix_does_not_copy_contiguous_rows(dtype):
    base = np.arange(60, dtype=dtype).reshape(10, 6)
    itemsize = base.itemsize
    for view, stride in [(base, 6), (base[:, :4], 6), (base[::3], 18), (base[2:7, 1:5], 6),
                         (base[3:4, 1:4], 3), (base[:, 5:6], 6)]:
        matrix, kept = _lib.as_matrix(view)
        assert kept is view or np.shares_memory(kept, base)
        assert matrix.data == view.ctypes.data
        assert (matrix.rows, matrix.cols) == view.shape
        if view.shape[0] > 1:
            assert matrix.stride == stride == view.strides[0] // itemsize
        assert matrix.dtype == (_lib.FMVA_F32 if dtype == np.float32 else _lib.FMVA_F64)


def test_as_matrix_copies_what_the_library_cannot_read():
    base = np.arange(60, dtype=np.float64).reshape(10, 6)
    unaligned = np.frombuffer(bytearray(base.nbytes + 1), dtype=np.float64, offset=1,
                              count=base.size).reshape(base.shape)
    assert unaligned.flags.c_contiguous and not unaligned.flags.aligned
    for view in [base.T, base[:, ::2], base[::-1], base.astype(">f8"), np.asfortranarray(base),
                 unaligned]:
        matrix, kept = _lib.as_matrix(view)
        assert kept.flags.c_contiguous and kept.flags.aligned and kept.dtype.isnative
        assert matrix.stride == matrix.cols == view.shape[1]
        assert matrix.data == kept.ctypes.data
        np.testing.assert_array_equal(kept, view)
    matrix, kept = _lib.as_matrix(base.astype(np.int64), dtype=np.float32)
    assert kept.dtype == np.float32 and matrix.dtype == _lib.FMVA_F32
    with pytest.raises(ValueError, match="float32 and float64"):
        _lib.as_matrix(base.astype(np.int32))
    with pytest.raises(ValueError, match="2-D"):
        _lib.as_matrix(base.ravel())


# -- callbacks ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hard_data():
    # Overlapping clusters and tol=0: many iterations, so a callback has something to stop.
    rng = np.random.default_rng(0)
    return rng.normal(size=(5_000, 4)) + rng.integers(0, 3, size=(5_000, 1))


def test_progress_reports_iterations(hard_data):
    seen = []
    _, _, _, n_iter = _kmeans.kmeans_fit(hard_data, 8, tol=0.0, max_iter=50,
                                         progress=lambda done, total: seen.append((done, total)))
    assert seen and len(seen) >= n_iter
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_progress_returning_true_cancels(hard_data):
    calls = []

    def stop_at_third(done, total):
        calls.append(done)
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        _kmeans.kmeans_fit(hard_data, 8, tol=0.0, max_iter=100, progress=stop_at_third)
    assert len(calls) == 3


@pytest.mark.parametrize("error", [ZeroDivisionError("user bug"), KeyboardInterrupt()],
                         ids=["exception", "KeyboardInterrupt"])
def test_exception_in_progress_is_reraised(hard_data, error):
    calls = []

    def failing(done, total):
        calls.append(done)
        raise error

    with pytest.raises(type(error)) as info:
        _kmeans.kmeans_fit(hard_data, 8, tol=0.0, max_iter=100, progress=failing)
    assert info.value is error
    assert len(calls) == 1  # the library stopped at once
    # ... and the library is fine afterwards.
    assert _kmeans.kmeans_fit(hard_data, 8, max_iter=5)[1].shape == (5_000,)


def test_ctrl_c_during_a_call_raises_keyboard_interrupt(hard_data):
    calls, after = [], []

    def press_ctrl_c(done, total):
        calls.append(done)
        signal.raise_signal(signal.SIGINT)  # as if the user pressed Ctrl-C during the fit
        after.append(done)

    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with pytest.raises(KeyboardInterrupt):
        _kmeans.kmeans_fit(hard_data, 8, tol=0.0, max_iter=100, progress=press_ctrl_c)
    # During the call SIGINT only records the interrupt (Python's default handler would raise at
    # any instruction, also the first of a callback, before its try, where ctypes swallows it);
    # the next callback stops the work and the call raises KeyboardInterrupt.
    assert after == calls and len(calls) == 1
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


CTRL_C_SCRIPT = """
import sys
import numpy as np
import fastmva

rng = np.random.default_rng(0)
X = rng.normal(size=(100_000, 16)) + rng.integers(0, 4, size=(100_000, 1))
calls = []

def progress(done, total):
    calls.append(done)
    if len(calls) == 1:
        print("running", flush=True)  # the parent sends SIGINT now, while the library works

try:
    fastmva._kmeans.kmeans_fit(X, 32, tol=0.0, max_iter=300, progress=progress)
    print("COMPLETED", flush=True)
except KeyboardInterrupt:
    print(f"INTERRUPTED after {len(calls)} callbacks", flush=True)
"""


def test_ctrl_c_from_outside_stops_a_long_fit():
    import os
    import subprocess
    import sys

    from conftest import REPO_ROOT, SUBPROCESS_TIMEOUT, subprocess_env

    proc = subprocess.Popen([sys.executable, "-c", CTRL_C_SCRIPT], env=subprocess_env(),
                            cwd=str(REPO_ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "running"
        os.kill(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=SUBPROCESS_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out.startswith("INTERRUPTED after"), out + err


# -- errors -------------------------------------------------------------------------------------


def test_error_classes():
    assert issubclass(InvalidArgument, ValueError) and issubclass(InvalidArgument, fastmva.FastMVAError)
    assert issubclass(OutOfMemory, MemoryError)
    assert issubclass(fastmva.ForkedError, fastmva.FastMVAError)
    with pytest.raises(InvalidArgument) as info:
        _lib.check(1)
    assert info.value.status == 1
    with pytest.raises(fastmva.InternalError):
        _lib.check(5)
    with pytest.raises(fastmva.FastMVAError, match="unknown status 77"):
        _lib.check(77)
    _lib.check(0)


def test_memory_limit_gives_out_of_memory_before_allocating():
    X = np.random.default_rng(0).normal(size=(100, 1024))
    fastmva.set_memory_limit(1 << 20)
    try:
        with pytest.raises(OutOfMemory, match="MiB"):
            _kmeans.kmeans_fit(X, 64)  # k-means needs ~64 MiB of partial sums for k*d = 65536
    finally:
        fastmva.set_memory_limit(0)
    assert _kmeans.kmeans_fit(X, 64)[0].shape == (64, 1024)
    with pytest.raises(ValueError):
        fastmva.set_memory_limit(-1)


# -- threads ------------------------------------------------------------------------------------


def test_concurrent_calls_from_python_threads(hard_data):
    """ctypes releases the GIL: calls from several threads run at once and do not interfere."""
    X32 = hard_data.astype(np.float32)
    jobs = [(hard_data, seed) for seed in range(4)] + [(X32, seed) for seed in range(4)]

    def fit(job):
        X, seed = job
        km = fastmva.KMeans(6, random_state=seed, n_threads=1).fit(X)
        return km.labels_.tobytes() + km.cluster_centers_.tobytes()

    serial = [fit(job) for job in jobs]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(fit, jobs * 2))
    assert parallel == serial * 2

    def bad(job):
        try:
            _kmeans.kmeans_fit(job[0], 0)
        except InvalidArgument as exc:
            return str(exc)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        messages = list(pool.map(bad, jobs))
    assert all("n_clusters=0" in m for m in messages)
