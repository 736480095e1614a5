"""SVD/PCA on the Go core: the thin function over ``fmva_svd`` and HyperSpy's ``svd_pca``.

Accuracy of the exact solver (``include/fastmva.h``, ``decomp/exact.go``): every singular value is
within about 1e3·eps·s_max of the exact one — there is no √eps floor, although the route is the
Gram matrix, because the small values are re-resolved by a Rayleigh–Ritz step on X·V. float32
data: the Gram matrix and the eigensolver run in float64, U = X·V/s in float32.

The scikit-learn estimators are in :mod:`fastmva._pca`.
"""

import ctypes
from collections import namedtuple

import numpy as np

from . import _lib
from .errors import InvalidArgument

__all__ = ["svd", "svd_pca", "SVDResult"]

_SOLVERS = {
    "auto": _lib.FMVA_SVD_AUTO,
    "full": _lib.FMVA_SVD_EXACT,
    "exact": _lib.FMVA_SVD_EXACT,
    # scikit-learn's and HyperSpy's other exact solvers: the same triplets, computed exactly.
    "arpack": _lib.FMVA_SVD_EXACT,
    "covariance_eigh": _lib.FMVA_SVD_EXACT,
    "randomized": _lib.FMVA_SVD_RANDOMIZED,
}
_CENTRES = {
    None: _lib.FMVA_CENTRE_NONE,
    "signal": _lib.FMVA_CENTRE_SIGNAL,
    "navigation": _lib.FMVA_CENTRE_NAVIGATION,
}
_FLIPS = {None: _lib.FMVA_FLIP_NONE, "loadings": _lib.FMVA_FLIP_LOADINGS, "factors": _lib.FMVA_FLIP_FACTORS}

SVDResult = namedtuple(
    "SVDResult",
    "loadings factors singular_values explained_variance mean total_variance randomized n_power_iter",
)
SVDResult.__doc__ = """The outputs of :func:`svd`.

loadings : (rows, k) left singular vectors U (None if not requested; NaN rows where masked)
factors : (cols, k) right singular vectors V (None if not requested)
singular_values, explained_variance : (k,) float64; explained_variance = s²/(kept rows − ddof)
mean : the means removed (rows or cols values) or None
total_variance : ‖prepared X‖²_F/(kept rows − ddof), the sum over ALL components
randomized : whether the randomized solver ran
n_power_iter : the power iterations it ran (0 for the exact solver)
"""


def working_dtype(dtype):
    """float32/float64 stay; 8/16-bit integers become float32 (exact); anything else float64."""
    dtype = np.dtype(dtype)
    if dtype in (np.float32, np.float64):
        return dtype
    if dtype.kind in "iub" and dtype.itemsize <= 2:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _int32(name, value):
    value = int(value)
    if not -(2**31) <= value < 2**31:
        raise InvalidArgument(f"{name}={value} does not fit in a 32-bit integer")
    return value


def _mask(mask, n, name):
    if mask is None:
        return None
    m = np.ascontiguousarray(np.asarray(mask, dtype=bool).ravel(), dtype=np.uint8)
    if m.shape != (n,):
        raise InvalidArgument(f"{name} has {m.size} entries, expected {n}")
    return m


def svd(
    X,
    n_components=None,
    *,
    solver="auto",
    centre=None,
    poisson=False,
    navigation_mask=None,
    signal_mask=None,
    ddof=0,
    flip=None,
    n_oversamples=10,
    n_power_iter=-1,
    seed=0,
    n_threads=None,
    loadings=True,
    factors=True,
    progress=None,
):
    """Thin SVD of X (rows × cols) after masks, Poisson scaling and centring: ``fmva_svd``.

    ``solver``: "auto" | "full"/"exact" | "randomized" (also "arpack", "covariance_eigh": exact).
    ``centre``: None | "signal" (row means) | "navigation" (column means).
    ``flip``: None | "loadings" | "factors": that side's largest-magnitude entries are made positive.
    Masks: True = excluded (HyperSpy's convention). ``progress(done, total)`` may return True to
    cancel (:class:`~fastmva.errors.Cancelled`). Returns an :data:`SVDResult`; vectors have X's
    working dtype (:func:`working_dtype`), the values are float64.
    """
    try:
        solver_code = _SOLVERS[solver]
    except (KeyError, TypeError):
        raise InvalidArgument(f"solver={solver!r} is not one of {sorted(_SOLVERS)}") from None
    if centre not in _CENTRES:
        raise InvalidArgument(f"centre={centre!r} must be None, 'signal' or 'navigation'")
    if flip not in _FLIPS:
        raise InvalidArgument(f"flip={flip!r} must be None, 'loadings' or 'factors'")
    a = np.asarray(X)
    if a.ndim != 2:
        raise InvalidArgument(f"expected a 2-D array, got shape {a.shape}")
    matrix, a = _lib.as_matrix(a, dtype=working_dtype(a.dtype))
    rows, cols = a.shape
    nav = _mask(navigation_mask, rows, "navigation_mask")
    sig = _mask(signal_mask, cols, "signal_mask")
    kept_rows = rows if nav is None else int(rows - nav.sum())
    kept_cols = cols if sig is None else int(cols - sig.sum())
    k = min(kept_rows, kept_cols) if n_components is None else int(n_components)
    if not 1 <= k <= max(min(kept_rows, kept_cols), 1):
        raise InvalidArgument(
            f"n_components={n_components} must be between 1 and min(n_rows, n_cols) = "
            f"{min(kept_rows, kept_cols)} (data shape {rows}×{cols} after masks: "
            f"{kept_rows}×{kept_cols})"
        )

    params = _lib.SvdParams()
    _lib.check(_lib.lib.fmva_svd_params_init(ctypes.byref(params)))
    params.n_components = _int32("n_components", k)
    params.solver = solver_code
    params.centre = _CENTRES[centre]
    params.poisson = 1 if poisson else 0
    params.navigation_mask = None if nav is None else nav.ctypes.data
    params.signal_mask = None if sig is None else sig.ctypes.data
    params.ddof = _int32("ddof", ddof)
    params.flip = _FLIPS[flip]
    params.n_oversamples = _int32("n_oversamples", n_oversamples)
    params.n_power_iter = _int32("n_power_iter", n_power_iter)
    params.seed = int(seed) & (2**64 - 1)
    params.n_threads = 0 if n_threads is None else _int32("n_threads", n_threads)

    U = np.empty((rows, k), dtype=a.dtype) if loadings else None
    V = np.empty((cols, k), dtype=a.dtype) if factors else None
    s = np.empty(k, dtype=np.float64)
    ev = np.empty(k, dtype=np.float64)
    mean = None
    if centre == "signal":
        mean = np.empty(rows, dtype=np.float64)
    elif centre == "navigation":
        mean = np.empty(cols, dtype=np.float64)
    result = _lib.SvdResult()
    _lib.check(_lib.lib.fmva_svd_result_init(ctypes.byref(result)))
    result.loadings = None if U is None else U.ctypes.data
    result.factors = None if V is None else V.ctypes.data
    result.singular_values = s.ctypes.data
    result.explained_variance = ev.ctypes.data
    result.mean = None if mean is None else mean.ctypes.data
    with _lib.Progress(progress) as callback:
        if progress is not None:
            params.progress = callback.c_function
        status = _lib.lib.fmva_svd(ctypes.byref(matrix), ctypes.byref(params), ctypes.byref(result))
    _lib.check(status, callback)
    return SVDResult(
        U, V, s, ev, mean, float(result.total_variance), bool(result.randomized), int(result.n_power_iter)
    )


def _hyperspy_solver(svd_solver, shape, k):
    """HyperSpy's svd_solve policy for "auto", the others as they are.

    Where HyperSpy would pick its randomized solver the library's own "auto" decides instead: it
    runs the randomized solver only where that is faster (k ≤ min(shape)/10), else the exact one,
    which is then both faster and exact (HyperSpy's randomized values are approximations).
    """
    if svd_solver != "auto":
        return svd_solver
    if max(shape) <= 500:
        return "full"
    if 1 <= k < 0.8 * min(shape):
        return "auto"
    return "full"


def _seed(random_state):
    """A 31-bit seed from a scikit-learn style random_state (None: from NumPy's global RNG)."""
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(0, 2**31 - 1))


def svd_pca(
    data,
    output_dimension=None,
    svd_solver="auto",
    centre=None,
    auto_transpose=True,
    svd_flip=True,
    *,
    u_based_decision=True,
    random_state=None,
    n_iter="auto",
    n_oversamples=10,
    power_iteration_normalizer="auto",
    normalize_poissonian_noise=False,
    navigation_mask=None,
    signal_mask=None,
    n_threads=None,
    progress=None,
):
    """HyperSpy's ``hyperspy.learn.svd_pca`` on the Go core: same signature, same results.

    ``data`` is N×M (navigation × signal). Returns ``factors, loadings, explained_variance,
    mean`` with HyperSpy's conventions: explained_variance = S²/N; the data is decomposed
    transposed when ``auto_transpose`` and N < M, and the signs are flipped on U of the
    decomposed orientation (V with ``u_based_decision=False``); factors = V, loadings = U·S
    (transposed: factors = U·S, loadings = V, of the decomposed matrix); ``mean`` is N×1
    ("signal") or 1×M ("navigation") or None.

    As HyperSpy's, centring subtracts the mean from ``data`` IN PLACE when ``data`` is a
    writeable float array (HyperSpy's ``decomposition`` relies on it and adds the mean back).
    ``svd_solver``: "auto" (HyperSpy's policy — randomized when max(N, M) > 500 and
    output_dimension < 0.8·min(N, M) — except that the randomized solver then runs only when
    output_dimension ≤ min(N, M)/10, where it is the faster one, and the exact solver otherwise),
    "full", "arpack" (computed exactly), "randomized"
    (``n_iter``, ``n_oversamples``, ``random_state`` as scikit-learn's ``randomized_svd``; the
    normaliser is always a QR, ``power_iteration_normalizer`` is accepted for compatibility).

    fastmva extensions: ``normalize_poissonian_noise``, ``navigation_mask``, ``signal_mask``
    (True = excluded) applied by the library as HyperSpy's ``decomposition`` does (loadings and
    factors rescaled by √aG and √bH, NaN rows where masked; centring then acts on the kept data
    and ``data`` is not modified); ``n_threads``; ``progress``.
    """
    if power_iteration_normalizer not in ("auto", "QR", "LU", "none"):
        raise ValueError(f"power_iteration_normalizer={power_iteration_normalizer!r} is not valid")
    if centre not in (None, "signal", "navigation"):
        raise ValueError("'centre' must be one of [None, 'navigation', 'signal']")
    a = np.asarray(data)
    N, M = a.shape
    in_library = normalize_poissonian_noise or navigation_mask is not None or signal_mask is not None
    mean = None
    if centre is not None and not in_library:
        mean = a.mean(axis=1)[:, np.newaxis] if centre == "signal" else a.mean(axis=0)[np.newaxis, :]
        if isinstance(data, np.ndarray) and data.dtype.kind == "f" and data.flags.writeable:
            data -= mean  # HyperSpy's in-place centring, undone by its decomposition()
            a = data
        else:
            a = a - mean
    # HyperSpy decides on the data it is given, which is the masked data: so do we.
    N, M = _kept(navigation_mask, N), _kept(signal_mask, M)
    transposed = bool(auto_transpose) and N < M
    # As HyperSpy's slicing U[:, :output_dimension]: a larger value keeps everything.
    k = min(N, M) if output_dimension is None else min(int(output_dimension), min(N, M))
    solver = _hyperspy_solver(svd_solver, (N, M), k)
    iters = -1 if n_iter == "auto" else int(n_iter)
    flip = None
    if svd_flip:
        flip = "loadings" if (not transposed) == bool(u_based_decision) else "factors"
    r = svd(
        a,
        k,
        solver=solver,
        centre=centre if in_library else None,
        poisson=normalize_poissonian_noise,
        navigation_mask=navigation_mask,
        signal_mask=signal_mask,
        flip=flip,
        n_oversamples=n_oversamples,
        n_power_iter=iters,
        seed=_seed(random_state) if solver in ("randomized", "auto") else 0,
        n_threads=n_threads,
        progress=progress,
    )
    dtype = r.loadings.dtype
    s = r.singular_values.astype(dtype)
    explained_variance = (r.singular_values**2 / N).astype(dtype)
    if in_library and r.mean is not None:
        mean = r.mean[:, np.newaxis] if centre == "signal" else r.mean[np.newaxis, :]
    if not transposed:
        factors, loadings = r.factors, r.loadings * s
    else:
        factors, loadings = r.factors * s, r.loadings
    return factors, loadings, explained_variance, mean


def _kept(mask, n):
    return n if mask is None else int(n - np.count_nonzero(mask))
