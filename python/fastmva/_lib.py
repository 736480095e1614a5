"""ctypes binding of libfastmva, the C ABI declared in include/fastmva.h.

The library is loaded once, when this module is first imported, from the package directory
(``fastmva/libfastmva.so``, where ``./build.sh`` and ``pip install`` put it) or from the path in the
environment variable ``FASTMVA_LIBRARY``. Every function of the header gets its ``argtypes`` and
``restype`` here, and the library's version must equal the package's.

Two ways to reach the functions:

``lib``
    The guarded functions: each one first checks that this process is not a child forked after
    the library was loaded (the Go runtime does not survive ``fork()``) and raises
    :class:`~fastmva.errors.ForkedError` without entering C if it is. Use these.
``raw``
    The ``ctypes.CDLL`` itself, with the same signatures and no Python guard (the C layer still
    returns ``FMVA_EFORKED`` in a forked child). For tests of the C layer.

ctypes releases the GIL for the duration of every call, so calls from several Python threads run
in parallel.
"""

import ctypes
import json
import os
import signal
import sys
import threading
import types

import numpy as np

from . import errors
from ._version import __version__
from .errors import FMVA_EFORKED, FMVA_OK, ForkedError, exception_for_status

__all__ = [
    "LIBRARY_ENV",
    "library_path",
    "lib",
    "raw",
    "Matrix",
    "KMeansParams",
    "MiniBatchParams",
    "PROGRESS_FN",
    "Progress",
    "check",
    "as_matrix",
    "dtype_code",
    "build_info",
    "set_memory_limit",
    "version_number",
    "FMVA_F32",
    "FMVA_F64",
]

LIBRARY_ENV = "FASTMVA_LIBRARY"

if sys.platform == "darwin":  # pragma: no cover - the project builds on Linux today
    _LIBRARY_FILE = "libfastmva.dylib"
elif sys.platform == "win32":  # pragma: no cover
    _LIBRARY_FILE = "fastmva.dll"
else:
    _LIBRARY_FILE = "libfastmva.so"

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# Constants of include/fastmva.h

FMVA_F32 = 1
FMVA_F64 = 2

FMVA_INIT_KMEANSPP = 0
FMVA_INIT_RANDOM = 1
FMVA_INIT_ARRAY = 2

FMVA_KMEANS_LLOYD = 0
FMVA_KMEANS_ELKAN = 1
FMVA_KMEANS_HAMERLY = 2
FMVA_KMEANS_AUTO = 3
FMVA_KMEANS_YINYANG = 4

# ---------------------------------------------------------------------------------------------
# Types of include/fastmva.h (the field order is the ABI: keep it identical to the header)

# typedef int (*fmva_progress_fn)(void *user, int64_t done, int64_t total);
PROGRESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64)


class Matrix(ctypes.Structure):
    """``fmva_matrix``: a row-major float32/float64 block in caller memory with a row stride."""

    _fields_ = [
        ("data", ctypes.c_void_p),
        ("dtype", ctypes.c_int32),
        ("rows", ctypes.c_int64),
        ("cols", ctypes.c_int64),
        ("stride", ctypes.c_int64),  # in elements
    ]


class KMeansParams(ctypes.Structure):
    """``fmva_kmeans_params``; fill with ``lib.fmva_kmeans_params_init`` (see :func:`kmeans_params`)."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("n_clusters", ctypes.c_int32),
        ("init", ctypes.c_int32),
        ("n_init", ctypes.c_int32),
        ("max_iter", ctypes.c_int32),
        ("tol", ctypes.c_double),
        ("seed", ctypes.c_uint64),
        ("n_threads", ctypes.c_int32),
        ("algorithm", ctypes.c_int32),
        ("init_centers", ctypes.c_void_p),
        ("sample_weight", ctypes.c_void_p),
        ("progress", PROGRESS_FN),
        ("progress_user", ctypes.c_void_p),
    ]


class MiniBatchParams(ctypes.Structure):
    """``fmva_minibatch_params``; fill with :func:`minibatch_params`."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("n_clusters", ctypes.c_int32),
        ("init", ctypes.c_int32),
        ("n_init", ctypes.c_int32),
        ("max_iter", ctypes.c_int32),
        ("batch_size", ctypes.c_int32),
        ("max_no_improvement", ctypes.c_int32),
        ("init_size", ctypes.c_int64),
        ("tol", ctypes.c_double),
        ("reassignment_ratio", ctypes.c_double),
        ("seed", ctypes.c_uint64),
        ("n_threads", ctypes.c_int32),
        ("init_centers", ctypes.c_void_p),
    ]


_P = ctypes.POINTER
_c_int, _i32, _i64, _f64 = ctypes.c_int, ctypes.c_int32, ctypes.c_int64, ctypes.c_double
_vp = ctypes.c_void_p

# name -> (restype, argtypes): every function declared in include/fastmva.h.
SIGNATURES = {
    "fmva_version": (_c_int, []),
    "fmva_build_info": (_c_int, [ctypes.c_char_p, ctypes.c_size_t]),
    "fmva_last_error": (ctypes.c_char_p, []),
    "fmva_set_memory_limit": (_c_int, [_i64]),
    "fmva_kmeans_params_init": (_c_int, [_P(KMeansParams)]),
    "fmva_kmeans_fit": (
        _c_int,
        [_P(Matrix), _P(KMeansParams), ctypes.c_void_p, _P(_i32), _P(_f64), _P(_i32)],
    ),
    "fmva_kmeans_predict": (
        _c_int,
        [_P(Matrix), _P(Matrix), ctypes.c_void_p, _i32, _P(_i32), _P(_f64)],
    ),
    "fmva_kmeans_transform": (_c_int, [_P(Matrix), _P(Matrix), _i32, ctypes.c_void_p]),
    # fmva_minibatch *: an opaque pointer (c_void_p)
    "fmva_minibatch_params_init": (_c_int, [_P(MiniBatchParams)]),
    "fmva_minibatch_create": (_c_int, [_i32, _i64, _P(MiniBatchParams), _P(_vp)]),
    "fmva_minibatch_partial_fit": (_c_int, [_vp, _P(Matrix), _vp]),
    "fmva_minibatch_fit": (_c_int, [_vp, _P(Matrix), _vp, _P(_i64), _P(_i32), _P(_f64)]),
    "fmva_minibatch_predict": (_c_int, [_vp, _P(Matrix), _vp, _P(_i32), _P(_f64)]),
    "fmva_minibatch_state": (_c_int, [_vp, _vp, _P(_f64), _P(_i64)]),
    "fmva_minibatch_set_state": (_c_int, [_vp, _vp, _P(_f64), _i64]),
    "fmva_minibatch_free": (_c_int, [_vp]),
    "fmva_euclidean_distances": (_c_int, [_P(Matrix), _P(Matrix), _i32, _i32, _i32, _vp]),
    "fmva_pairwise_distances_argmin_min": (
        _c_int,
        [_P(Matrix), _P(Matrix), _i32, _P(_i64), _P(_f64)],
    ),
}

# --- cluster analysis (HyperSpy's cluster_analysis / estimate_number_of_clusters) -------------

FMVA_PREPROCESS_NONE = 0
FMVA_PREPROCESS_STANDARD = 1
FMVA_PREPROCESS_MINMAX = 2
FMVA_PREPROCESS_NORM = 3
FMVA_PREPROCESS_CALLBACK = 4

FMVA_ORDER_SIZE = 0
FMVA_ORDER_HYPERSPY = 1
FMVA_ORDER_NONE = 2

FMVA_METRIC_ELBOW = 0
FMVA_METRIC_SILHOUETTE = 1
FMVA_METRIC_GAP = 2

FMVA_GAP_LINE = 0
FMVA_GAP_UNIFORM = 1

# typedef int (*fmva_preprocess_fn)(void *user, const fmva_matrix *in, fmva_sink *out);
# (fmva_sink is opaque: a void pointer here.)
PREPROCESS_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, _P(Matrix), ctypes.c_void_p)


class ClusterParams(ctypes.Structure):
    """``fmva_cluster_params``; fill with ``lib.fmva_cluster_params_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("n_clusters", ctypes.c_int32),
        ("preprocessing", ctypes.c_int32),
        ("preprocess", PREPROCESS_FN),
        ("preprocess_user", ctypes.c_void_p),
        ("navigation_mask", ctypes.c_void_p),
        ("signal_mask", ctypes.c_void_p),
        ("label_order", ctypes.c_int32),
        ("kmeans", _P(KMeansParams)),
        ("given_labels", ctypes.c_void_p),
    ]


class ClusterResult(ctypes.Structure):
    """``fmva_cluster_result``; fill with ``lib.fmva_cluster_result_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("labels", ctypes.c_void_p),
        ("sizes", ctypes.c_void_p),
        ("distances", ctypes.c_void_p),
        ("sum_signals", ctypes.c_void_p),
        ("mean_signals", ctypes.c_void_p),
        ("centroid_signals", ctypes.c_void_p),
        ("centroid_pixels", ctypes.c_void_p),
        ("centroids", ctypes.c_void_p),
        ("centroids_capacity", ctypes.c_int64),
        ("n_features", ctypes.c_int64),
        ("inertia", ctypes.c_double),
        ("n_iter", ctypes.c_int32),
    ]


class EstimateParams(ctypes.Structure):
    """``fmva_estimate_params``; fill with ``lib.fmva_estimate_params_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("metric", ctypes.c_int32),
        ("max_clusters", ctypes.c_int32),
        ("n_ref", ctypes.c_int32),
        ("gap_reference", ctypes.c_int32),
        ("hyperspy_rules", ctypes.c_int32),
        ("preprocessing", ctypes.c_int32),
        ("preprocess", PREPROCESS_FN),
        ("preprocess_user", ctypes.c_void_p),
        ("navigation_mask", ctypes.c_void_p),
        ("signal_mask", ctypes.c_void_p),
        ("kmeans", _P(KMeansParams)),
        ("progress", PROGRESS_FN),
        ("progress_user", ctypes.c_void_p),
    ]


class EstimateResult(ctypes.Structure):
    """``fmva_estimate_result``; fill with ``lib.fmva_estimate_result_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("metric", ctypes.c_void_p),
        ("inertia", ctypes.c_void_p),
        ("gap_std_error", ctypes.c_void_p),
        ("candidates", ctypes.c_void_p),
        ("n_candidates", ctypes.c_int32),
        ("best_k", ctypes.c_int32),
        ("n_features", ctypes.c_int64),
    ]


SIGNATURES.update(
    {
        "fmva_sink_write": (_c_int, [ctypes.c_void_p, _P(Matrix)]),
        "fmva_cluster_params_init": (_c_int, [_P(ClusterParams)]),
        "fmva_cluster_result_init": (_c_int, [_P(ClusterResult)]),
        "fmva_cluster_analysis": (
            _c_int,
            [_P(Matrix), _P(Matrix), _P(ClusterParams), _P(ClusterResult)],
        ),
        "fmva_estimate_params_init": (_c_int, [_P(EstimateParams)]),
        "fmva_estimate_result_init": (_c_int, [_P(EstimateResult)]),
        "fmva_estimate_number_of_clusters": (
            _c_int,
            [_P(Matrix), _P(EstimateParams), _P(EstimateResult)],
        ),
    }
)

# --- SVD / PCA ---------------------------------------------------------------------------------

FMVA_SVD_AUTO = 0
FMVA_SVD_EXACT = 1
FMVA_SVD_RANDOMIZED = 2

FMVA_CENTRE_NONE = 0
FMVA_CENTRE_SIGNAL = 1
FMVA_CENTRE_NAVIGATION = 2

FMVA_FLIP_NONE = 0
FMVA_FLIP_LOADINGS = 1
FMVA_FLIP_FACTORS = 2


class SvdParams(ctypes.Structure):
    """``fmva_svd_params``; fill with ``lib.fmva_svd_params_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("n_components", ctypes.c_int32),
        ("solver", ctypes.c_int32),
        ("centre", ctypes.c_int32),
        ("poisson", ctypes.c_int32),
        ("navigation_mask", ctypes.c_void_p),
        ("signal_mask", ctypes.c_void_p),
        ("ddof", ctypes.c_int32),
        ("flip", ctypes.c_int32),
        ("n_oversamples", ctypes.c_int32),
        ("n_power_iter", ctypes.c_int32),
        ("seed", ctypes.c_uint64),
        ("n_threads", ctypes.c_int32),
        ("progress", PROGRESS_FN),
        ("progress_user", ctypes.c_void_p),
    ]


class SvdResult(ctypes.Structure):
    """``fmva_svd_result``; fill with ``lib.fmva_svd_result_init``."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("loadings", ctypes.c_void_p),
        ("factors", ctypes.c_void_p),
        ("singular_values", ctypes.c_void_p),
        ("explained_variance", ctypes.c_void_p),
        ("mean", ctypes.c_void_p),
        ("n_components", ctypes.c_int32),
        ("randomized", ctypes.c_int32),
        ("n_rows", ctypes.c_int64),
        ("n_cols", ctypes.c_int64),
        ("total_variance", ctypes.c_double),
        ("n_power_iter", ctypes.c_int32),
    ]


SIGNATURES.update(
    {
        "fmva_svd_params_init": (_c_int, [_P(SvdParams)]),
        "fmva_svd_result_init": (_c_int, [_P(SvdResult)]),
        "fmva_svd": (_c_int, [_P(Matrix), _P(SvdParams), _P(SvdResult)]),
    }
)

# ---------------------------------------------------------------------------------------------
# Loading


def library_path():
    """The path of the libfastmva that this module loads (``$FASTMVA_LIBRARY`` or the package's)."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return os.path.abspath(override)
    return os.path.join(_PACKAGE_DIR, _LIBRARY_FILE)


def version_number(version_string):
    """``"MAJOR.MINOR.PATCH[suffix]"`` -> MAJOR*10000 + MINOR*100 + PATCH (FASTMVA_VERSION_NUMBER)."""
    parts = []
    for piece in version_string.split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits or 0))
    while len(parts) < 3:
        parts.append(0)
    major, minor, patch = parts
    return major * 10000 + minor * 100 + patch


def _version_string(number):
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def _load():
    path = library_path()
    if not os.path.isfile(path):
        where = (
            f"the file named by ${LIBRARY_ENV}, {path}, does not exist"
            if os.environ.get(LIBRARY_ENV)
            else f"{path} does not exist"
        )
        raise ImportError(
            f"fastmva: the native library {_LIBRARY_FILE} was not found ({where}). "
            "Build it from the source tree with `./build.sh` (needs Go on PATH), or install the "
            "package with `pip install .` (or `pip install -e .` for development), which runs "
            f"build.sh; or set {LIBRARY_ENV} to the path of a built {_LIBRARY_FILE}."
        )
    try:
        # Never unloaded: ctypes does not dlclose, and the Go runtime inside must not be unloaded.
        dll = ctypes.CDLL(path)
    except OSError as exc:
        hint = ""
        if "static TLS" in str(exc):
            hint = (
                " (the library needs more static thread-local storage than glibc reserves for "
                "dlopen(); this is a build defect of libfastmva. Workaround: start Python with "
                "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384)"
            )
        raise ImportError(f"fastmva: could not load {path}: {exc}{hint}") from exc

    for name, (restype, argtypes) in SIGNATURES.items():
        try:
            function = getattr(dll, name)
        except AttributeError:
            raise ImportError(
                f"fastmva: {path} does not export {name}(); it does not match this fastmva "
                f"{__version__}. Rebuild it with `./build.sh`."
            ) from None
        function.restype = restype
        function.argtypes = argtypes

    got = dll.fmva_version()
    want = version_number(__version__)
    if got != want:
        raise ImportError(
            f"fastmva: {path} is libfastmva {_version_string(got)} (fmva_version() = {got}) but "
            f"the fastmva Python package is {__version__} (expects {want}). Rebuild the library "
            "with `./build.sh` or reinstall with `pip install .`."
        )

    params = KMeansParams()
    status = dll.fmva_kmeans_params_init(ctypes.byref(params))
    if status != FMVA_OK or params.struct_size != ctypes.sizeof(KMeansParams):
        raise ImportError(
            f"fastmva: {path}: fmva_kmeans_params_init returned status {status} and struct_size "
            f"{params.struct_size}, but this binding's fmva_kmeans_params has "
            f"{ctypes.sizeof(KMeansParams)} bytes: the library and the package disagree on the ABI."
        )
    return dll, path


raw, LIBRARY_PATH = _load()

# ---------------------------------------------------------------------------------------------
# Fork guard


class _State:
    forked = False
    parent_pid = os.getpid()


_FORK_MESSAGE = (
    "fastmva cannot run in a child process created by fork() after the library was loaded "
    "(pid {pid}, forked from {parent}): the Go runtime inside libfastmva does not survive fork(). "
    'Start worker processes with multiprocessing\'s "spawn" or "forkserver" start method '
    '(multiprocessing.get_context("spawn"), or ProcessPoolExecutor(mp_context=...)), or import '
    "fastmva only inside the workers."
)


def _after_fork_in_child():
    _State.forked = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def forked():
    """True in a child process forked after the library was loaded (every call would fail)."""
    return _State.forked


def _fork_error():
    return ForkedError(
        _FORK_MESSAGE.format(pid=os.getpid(), parent=_State.parent_pid), status=FMVA_EFORKED
    )


def _guard(name, function):
    def guarded(*args):
        if _State.forked:
            raise _fork_error()
        return function(*args)

    guarded.__name__ = name
    guarded.__qualname__ = name
    guarded.__doc__ = f"{name} of libfastmva, refused in a forked child (see fastmva._lib)."
    return guarded


lib = types.SimpleNamespace(**{name: _guard(name, getattr(raw, name)) for name in SIGNATURES})

# fmva_kmeans_predict once more, typed with plain addresses (every pointer a c_void_p, passed as
# an int): the hot path of predict (see _fastpath) builds no ctypes pointer objects. Callers
# check forked() themselves; the C layer refuses in a forked child anyway.
_PREDICT_ADDRESSES = ctypes.CFUNCTYPE(_c_int, _vp, _vp, _vp, _i32, _vp, _vp)
kmeans_predict_by_address = _PREDICT_ADDRESSES(ctypes.cast(raw.fmva_kmeans_predict, _vp).value)

# ---------------------------------------------------------------------------------------------
# Status -> exception


def last_error():
    """The message of the last failed call on this thread (``fmva_last_error()``)."""
    message = lib.fmva_last_error()
    return message.decode("utf-8", errors="replace") if message else ""


def check(status, progress=None):
    """Raises the exception for a C status, after re-raising an exception a callback stored.

    Call it right after the native call, on the same thread (the message is kept per thread).
    """
    if progress is not None:
        progress.reraise()
    if status == FMVA_OK:
        return
    if status == FMVA_EFORKED:
        # Do not call back into the library: in a forked child any Go entry could hang.
        raise _fork_error()
    message = last_error()
    if not message:
        message = f"libfastmva returned {errors.STATUS_NAMES.get(status, status)}"
    raise exception_for_status(status, message)


# ---------------------------------------------------------------------------------------------
# Callbacks


class Progress:
    """A progress callback for the C library, used as a context manager around one native call.

    ``fn(done, total)`` is called from the thread that made the call, never concurrently; a
    truthy return value asks the library to stop (the call then raises
    :class:`~fastmva.errors.Cancelled`). The Python body is wrapped in ``try/except
    BaseException``: an exception is stored, the callback returns 1 so the library stops, and
    :func:`check` re-raises it after the native call returns (an exception escaping a ctypes
    callback would only be printed, and C would see a garbage return value).

    Ctrl-C: while the call runs on the main thread and SIGINT has Python's default handler, the
    handler is replaced by one that only records the interrupt; the next callback then stops the
    work and :func:`check` raises ``KeyboardInterrupt``. (The default handler would raise at the
    first instruction of the callback, before its ``try``, where ctypes would swallow it.) An
    interrupt that arrives after the last callback is raised when the call returns.
    """

    def __init__(self, fn=None):
        self.fn = fn
        self.error = None
        self.interrupted = False
        self._saved_handler = None
        self.c_function = PROGRESS_FN(self._trampoline)

    def _trampoline(self, user, done, total):
        try:
            if self.interrupted:
                raise KeyboardInterrupt
            if self.fn is not None and self.fn(int(done), int(total)):
                return 1
            return 0
        except BaseException as exc:  # noqa: B036 - everything, Ctrl-C included, goes back to C as 1
            if self.error is None:
                self.error = exc
            return 1

    def _on_sigint(self, signum, frame):
        self.interrupted = True

    def __enter__(self):
        self.error = None
        self.interrupted = False
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            self._saved_handler = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._saved_handler is not None:
            signal.signal(signal.SIGINT, self._saved_handler)
            self._saved_handler = None
        return False

    def reraise(self):
        """Raises the exception stored by the callback (or KeyboardInterrupt), if any."""
        error, self.error = self.error, None
        if error is None and self.interrupted:
            error = KeyboardInterrupt()
        self.interrupted = False
        if error is not None:
            raise error


# ---------------------------------------------------------------------------------------------
# Arrays

_DTYPE_CODES = {np.dtype(np.float32): FMVA_F32, np.dtype(np.float64): FMVA_F64}


def dtype_code(dtype):
    """FMVA_F32 / FMVA_F64 for a NumPy dtype; ValueError for any other."""
    try:
        return _DTYPE_CODES[np.dtype(dtype).newbyteorder("=")]
    except KeyError:
        raise ValueError(f"fastmva works on float32 and float64 data, not {np.dtype(dtype)}") from None


def as_matrix(array, dtype=None):
    """Describes a 2-D NumPy array as an ``fmva_matrix``, without copying when possible.

    No copy when the dtype is float32/float64 in native byte order, the array is aligned and its
    rows are contiguous: a C-contiguous array, or a row-strided view (``a[:, :m]``, ``a[::2]``)
    whose inner stride is the item size and whose row stride is a positive multiple of it; the
    matrix then has ``stride = strides[0] // itemsize``. Anything else is copied with
    ``np.ascontiguousarray``. ``dtype`` converts (copying) to that dtype first.

    Returns ``(matrix, array)``: keep ``array`` alive for as long as the library may read it.
    """
    a = np.asarray(array)
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D array, got {a.ndim} dimension(s) with shape {a.shape}")
    target = np.dtype(dtype) if dtype is not None else a.dtype
    code = dtype_code(target)
    target = target.newbyteorder("=")
    if a.dtype != target or not a.flags.aligned:
        # np.ascontiguousarray would return an unaligned C-contiguous array as it is.
        a = np.array(a, dtype=target, order="C", copy=True)
    rows, cols = a.shape
    itemsize = a.itemsize
    if a.flags.c_contiguous:
        stride = cols
    else:
        stride = None
        if cols <= 1 or a.strides[1] == itemsize:
            if rows <= 1:
                stride = cols
            else:
                s0 = a.strides[0]
                if s0 > 0 and s0 % itemsize == 0 and s0 // itemsize >= cols:
                    stride = s0 // itemsize
        if stride is None:
            a = np.ascontiguousarray(a)
            stride = cols
    matrix = Matrix(
        data=a.ctypes.data,
        dtype=code,
        rows=rows,
        cols=cols,
        stride=stride,
    )
    return matrix, a


def pointer(array, ctype=None):
    """The address of a NumPy array's data for a ``void *`` (or ``ctype *``) argument; None -> NULL."""
    if array is None:
        return None
    if ctype is None:
        return ctypes.c_void_p(array.ctypes.data)
    return array.ctypes.data_as(ctypes.POINTER(ctype))


# ---------------------------------------------------------------------------------------------
# Library information and settings


def build_info():
    """What the loaded library was built with and chose at load: ``fmva_build_info`` as a dict.

    Keys (see include/fastmva.h): "version", "kernels" (avx512|avx2|generic), "cpu" (name and
    features), "go". The dict also gets "library", the path of the loaded file.
    """
    size = 4096
    while True:
        buffer = ctypes.create_string_buffer(size)
        check(lib.fmva_build_info(buffer, size))
        text = buffer.value
        if len(text) < size - 1 or size >= 1 << 24:
            break
        size *= 4  # possibly truncated: ask again with more room
    info = json.loads(text.decode("utf-8"))
    info.setdefault("library", LIBRARY_PATH)
    return info


def set_memory_limit(nbytes):
    """Caps the memory the library's Go heap may use, in bytes (0 = no cap). Process-wide.

    Calls that estimate they would exceed the cap raise :class:`~fastmva.errors.OutOfMemory`
    before allocating.
    """
    nbytes = int(nbytes)
    if nbytes < 0:
        raise ValueError(f"memory limit must be >= 0 bytes, got {nbytes}")
    check(lib.fmva_set_memory_limit(nbytes))


def kmeans_params():
    """A ``fmva_kmeans_params`` filled with the library's defaults (``struct_size`` set)."""
    params = KMeansParams()
    check(lib.fmva_kmeans_params_init(ctypes.byref(params)))
    params.struct_size = ctypes.sizeof(KMeansParams)
    return params


def minibatch_params():
    """A ``fmva_minibatch_params`` filled with the library's defaults (``struct_size`` set)."""
    params = MiniBatchParams()
    check(lib.fmva_minibatch_params_init(ctypes.byref(params)))
    return params
