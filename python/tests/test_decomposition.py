"""fastmva.svd / svd_pca against float64 LAPACK (NumPy's gesdd) and HyperSpy's svd_pca.

The accuracy bound under test (include/fastmva.h, decomp/exact.go): every singular value within
1e-9·s_max (float64) or 1e-4·s_max (float32) of LAPACK's; values below the floor 1e3·eps·s_max
are not resolved and must come out below floor + that bound.
"""

import numpy as np
import pytest
import scipy.linalg

import fastmva
from fastmva.errors import Cancelled, InvalidArgument

EPS = np.finfo(np.float64).eps
FLOOR = 1e3 * EPS  # relative to s_max


def with_spectrum(m, n, s, seed=0):
    rng = np.random.default_rng(seed)
    p = np.linalg.qr(rng.standard_normal((m, len(s))))[0]
    q = np.linalg.qr(rng.standard_normal((n, len(s))))[0]
    return (p * s) @ q.T


def graded(r, zeros):
    return np.concatenate([np.logspace(0, -15, r), np.zeros(zeros)])


def check_values(got, want, bound, label):
    err = np.abs(got - want) / want[0]
    above = want >= FLOOR * want[0]
    print(f"{label}: max |s - s_lapack| = {err.max():.2g}·s_max (bound {bound:g})")
    assert err[above].max() <= bound, label
    # The floor itself: what lies below it comes out below floor + bound.
    assert np.all(got[~above] <= (FLOOR + bound) * want[0]), label


@pytest.mark.parametrize("shape", [(700, 90), (90, 700), (250, 250)])
def test_graded_spectrum_float64(shape):
    m, n = shape
    X = with_spectrum(m, n, graded(min(m, n) - 15, 15))
    r = fastmva.svd(X, solver="exact", flip="loadings")
    want = np.linalg.svd(X, compute_uv=False)
    check_values(r.singular_values, want, 1e-9, f"{m}x{n} float64")
    rec = np.linalg.norm(X - (r.loadings * r.singular_values) @ r.factors.T, 2) / want[0]
    print(f"{m}x{n}: reconstruction ||X - U S V^T|| / ||X|| = {rec:.2g}")
    assert rec <= 1e-12


@pytest.mark.parametrize("shape", [(800, 120), (120, 800)])
def test_graded_spectrum_float32(shape):
    m, n = shape
    X32 = with_spectrum(m, n, graded(100, 20), seed=1).astype(np.float32)
    r = fastmva.svd(X32, solver="exact")
    assert r.loadings.dtype == np.float32 and r.factors.dtype == np.float32
    want = np.linalg.svd(X32.astype(np.float64), compute_uv=False)
    check_values(r.singular_values, want, 1e-4, f"{m}x{n} float32")


def test_rank_deficient_dead_channels_and_pixel_centring():
    rng = np.random.default_rng(2)
    X = rng.random((600, 30)) @ rng.random((30, 80)) + 3.0
    X[:, [0, 7, 41, 79]] = 0.0  # dead channels
    for centre, prepared in [
        (None, X),
        ("signal", X - X.mean(axis=1, keepdims=True)),  # per-pixel centring: rank drops by one
        ("navigation", X - X.mean(axis=0)),
    ]:
        r = fastmva.svd(X, solver="exact", centre=centre)
        want = np.linalg.svd(prepared, compute_uv=False)
        check_values(r.singular_values, want, 1e-9, f"centre={centre}")


def test_subspaces_across_a_gap():
    s = np.concatenate([[10, 6, 3, 1.5], np.linspace(1e-2, 5e-3, 30)])
    X = with_spectrum(400, 60, s, seed=3)
    r = fastmva.svd(X, solver="exact")
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    for j in (1, 2, 3, 4, 34):
        angle = scipy.linalg.subspace_angles(r.factors[:, :j], vt[:j].T).max()
        left = scipy.linalg.subspace_angles(r.loadings[:, :j], np.linalg.svd(X, full_matrices=False)[0][:, :j]).max()
        assert max(angle, left) <= 1e-8, j


def test_randomized_matches_exact_and_is_seeded():
    s = 0.8 ** np.arange(200)
    X = with_spectrum(3000, 200, s, seed=4)
    a = fastmva.svd(X, 10, solver="randomized", seed=7)
    b = fastmva.svd(X, 10, solver="randomized", seed=7, n_threads=1)
    np.testing.assert_array_equal(a.singular_values, b.singular_values)
    np.testing.assert_array_equal(a.factors, b.factors)
    assert np.abs(a.singular_values - s[:10]).max() <= 1e-9
    assert a.randomized and a.total_variance == pytest.approx((X**2).sum() / 3000, rel=1e-12)


@pytest.mark.parametrize("shape", [(300, 40), (40, 300)])
@pytest.mark.parametrize("centre", [None, "signal", "navigation"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_svd_pca_equals_hyperspy(shape, centre, dtype):
    from hyperspy.learn import svd_pca as hs_svd_pca

    s = np.concatenate([[50, 20, 10, 5, 2], np.full(min(shape) - 6, 0.05)])
    X = (with_spectrum(*shape, s, seed=5) + 1.0).astype(dtype)
    A, B = X.copy(), X.copy()
    f0, l0, e0, m0 = hs_svd_pca(A, output_dimension=5, svd_solver="full", centre=centre)
    f1, l1, e1, m1 = fastmva.svd_pca(B, output_dimension=5, svd_solver="full", centre=centre)
    tol = 1e-9 if dtype == np.float64 else 2e-3
    for ours, theirs in [(f1, f0), (l1, l0), (e1, e0)]:
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, atol=tol * np.abs(theirs).max(), rtol=0)
    assert (m0 is None) == (m1 is None)
    if m0 is not None:
        np.testing.assert_allclose(m1, m0, rtol=1e-6)
    np.testing.assert_array_equal(A, B)  # centred in place, as HyperSpy's


def keenan_kotula(X):
    """HyperSpy 2.5's formula: D / (sqrt(aG) sqrt(bH)), zero sums counted as 1."""
    aG, bH = X.sum(1), X.sum(0)
    aG, bH = np.where(aG == 0, 1, aG), np.where(bH == 0, 1, bH)
    return X / np.sqrt(aG)[:, None] / np.sqrt(bH)[None, :], np.sqrt(aG), np.sqrt(bH)


def test_poisson_equals_hyperspy_formula():
    from hyperspy.learn import svd_pca as hs_svd_pca
    from hyperspy.learn._mva import _keenan_kotula_scale

    rng = np.random.default_rng(6)
    X = rng.poisson(rng.random((200, 1)) * rng.random((1, 50)) * 40).astype(np.float64)
    scaled, ra, rb = _keenan_kotula_scale(X, None, None, 1, 1)
    np.testing.assert_allclose(keenan_kotula(X)[0], scaled, rtol=1e-14)
    f0, l0, e0, _ = hs_svd_pca(scaled.copy(), output_dimension=4, svd_solver="full")
    f1, l1, e1, _ = fastmva.svd_pca(X, output_dimension=4, svd_solver="full", normalize_poissonian_noise=True)
    np.testing.assert_allclose(e1, e0, rtol=1e-10)
    np.testing.assert_allclose(f1, f0 * rb[:, None], atol=1e-9 * np.abs(f0 * rb[:, None]).max())
    np.testing.assert_allclose(l1, l0 * ra[:, None], atol=1e-9 * np.abs(l0 * ra[:, None]).max())


def test_poisson_empty_pixels_and_dead_channels_give_no_nan():
    rng = np.random.default_rng(7)
    X = rng.poisson(5.0, (100, 30)).astype(np.float32)
    X[[3, 50]] = 0  # empty pixels
    X[:, [0, 12]] = 0  # dead channels
    f, l, e, _ = fastmva.svd_pca(X, output_dimension=5, normalize_poissonian_noise=True)
    assert np.isfinite(f).all() and np.isfinite(l).all() and np.isfinite(e).all()
    want = np.linalg.svd(keenan_kotula(X.astype(np.float64))[0], compute_uv=False)[:5]
    np.testing.assert_allclose(np.sqrt(e * 100), want, rtol=1e-5)


def test_masks_as_hyperspy_decomposition():
    import hyperspy.api as hs

    rng = np.random.default_rng(8)
    data = rng.poisson(rng.random((12, 10, 1)) * rng.random((1, 1, 40)) * 30 + 1).astype(np.float64)
    nav = np.zeros((12, 10), bool)  # array order; HyperSpy takes it as navigation_shape (10, 12)
    nav[2, 3] = nav[7, 1] = True
    sig = np.zeros(40, bool)
    sig[[0, 5, 39]] = True
    s = hs.signals.Signal1D(data.copy())
    s.decomposition(normalize_poissonian_noise=True, navigation_mask=nav.T, signal_mask=sig, output_dimension=3,
                    svd_solver="full", print_info=False)
    lr = s.learning_results
    f, l, e, _ = fastmva.svd_pca(data.reshape(120, 40), output_dimension=3, svd_solver="full",
                                 normalize_poissonian_noise=True, navigation_mask=nav.ravel(), signal_mask=sig)
    np.testing.assert_array_equal(np.isnan(f), np.isnan(lr.factors[:, :3]))
    np.testing.assert_array_equal(np.isnan(l), np.isnan(lr.loadings[:, :3]))
    np.testing.assert_allclose(f, lr.factors[:, :3], atol=1e-9 * np.nanmax(np.abs(f)))
    np.testing.assert_allclose(l, lr.loadings[:, :3], atol=1e-9 * np.nanmax(np.abs(l)))
    np.testing.assert_allclose(e, lr.explained_variance[:3], rtol=1e-9)


def test_progress_cancels_and_errors_name_the_argument():
    X = np.random.default_rng(9).random((400, 30))
    calls = []
    with pytest.raises(Cancelled):
        fastmva.svd(X, progress=lambda done, total: calls.append(done) or True)
    assert calls == [1]
    with pytest.raises(InvalidArgument, match="n_components"):
        fastmva.svd(X, 31)
    with pytest.raises(InvalidArgument, match="Poisson"):
        fastmva.svd(-X, poisson=True)
    with pytest.raises(InvalidArgument, match="after masks: 0×30"):
        fastmva.svd(X, navigation_mask=np.ones(400, bool))


def test_svd_pca_output_dimension_beyond_the_rank_keeps_everything():
    from hyperspy.learn import svd_pca as hs_svd_pca

    X = np.random.default_rng(10).random((60, 20))
    f0, l0, e0, _ = hs_svd_pca(X.copy(), output_dimension=50, svd_solver="full")
    f1, l1, e1, _ = fastmva.svd_pca(X.copy(), output_dimension=50, svd_solver="full")
    assert f1.shape == f0.shape == (20, 20) and l1.shape == l0.shape == (60, 20)
    np.testing.assert_allclose(e1, e0, rtol=1e-10)


def test_c_abi_refuses_uninitialised_structs():
    import ctypes

    from fastmva import _lib

    matrix, X = _lib.as_matrix(np.ones((10, 4)))
    params, result = _lib.SvdParams(), _lib.SvdResult()
    assert _lib.lib.fmva_svd(ctypes.byref(matrix), ctypes.byref(params), ctypes.byref(result)) == 1
    assert "fmva_svd_params_init" in _lib.last_error()
    _lib.check(_lib.lib.fmva_svd_params_init(ctypes.byref(params)))
    assert params.struct_size == ctypes.sizeof(_lib.SvdParams) and params.n_power_iter == -1
    assert _lib.lib.fmva_svd(ctypes.byref(matrix), ctypes.byref(params), None) == 1
    assert "result is NULL" in _lib.last_error()
    _lib.check(_lib.lib.fmva_svd_result_init(ctypes.byref(result)))
    s = np.zeros(4)
    result.singular_values = s.ctypes.data
    _lib.check(_lib.lib.fmva_svd(ctypes.byref(matrix), ctypes.byref(params), ctypes.byref(result)))
    assert result.n_components == 4 and s[0] == pytest.approx(np.sqrt(40))
