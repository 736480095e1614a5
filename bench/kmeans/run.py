"""Lloyd iteration time of fastmva vs scikit-learn, side by side, with each row's floor.

    python bench/kmeans/run.py [--quick] [--repeats 3] [--iters 6]

Same data (uniform random, which keeps Lloyd moving), same explicit initial centers, same
iterations: each library fits with max_iter = 2 and max_iter = 2 + iters from the same init and
tol = 0, and the time per iteration is the difference over iters, so the fixed costs of a fit
(input checks, the tolerance's variance, the final assignment and inertia) cancel out. A pair
whose n_iter is short of max_iter (converged early) is reported and not timed. Medians of
--repeats. The floor of a row is max(n·d·bytes / bandwidth, 2·n·k·d / peak) with bandwidth and
FMA peak measured by bench/kmeans/peak in this same run. The library is the one ./build.sh
builds (build/lib/libfastmva.so), called through its C ABI with ctypes.
"""

import argparse
import ctypes
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
# This branch's capi keeps a 4 KiB __thread error buffer, and a Go c-shared library's TLS must fit
# glibc's small static TLS surplus when dlopen()ed; until capi shrinks it, give glibc more room.
if "optional_static_tls" not in os.environ.get("GLIBC_TUNABLES", ""):
    os.environ["GLIBC_TUNABLES"] = "glibc.rtld.optional_static_tls=65536"
    os.execv(sys.executable, [sys.executable] + sys.argv)
# Loaded before numpy and scikit-learn: the Go runtime's TLS is initial-exec, and once OpenMP and
# BLAS have taken the static TLS space, dlopen fails with "cannot allocate memory in static TLS
# block".
LIB = ctypes.CDLL(str(ROOT / "build/lib/libfastmva.so"))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402


class Matrix(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int32), ("rows", ctypes.c_int64),
                ("cols", ctypes.c_int64), ("stride", ctypes.c_int64)]


class Params(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("n_clusters", ctypes.c_int32),
                ("init", ctypes.c_int32), ("n_init", ctypes.c_int32), ("max_iter", ctypes.c_int32),
                ("tol", ctypes.c_double), ("seed", ctypes.c_uint64), ("n_threads", ctypes.c_int32),
                ("algorithm", ctypes.c_int32), ("init_centers", ctypes.c_void_p),
                ("sample_weight", ctypes.c_void_p), ("progress", ctypes.c_void_p),
                ("progress_user", ctypes.c_void_p)]


def load_lib():
    lib = LIB
    lib.fmva_kmeans_params_init.argtypes = [ctypes.POINTER(Params)]
    lib.fmva_kmeans_fit.argtypes = [ctypes.POINTER(Matrix), ctypes.POINTER(Params), ctypes.c_void_p,
                                    ctypes.c_void_p, ctypes.POINTER(ctypes.c_double),
                                    ctypes.POINTER(ctypes.c_int32)]
    lib.fmva_last_error.restype = ctypes.c_char_p
    lib.fmva_build_info.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return lib


def fastmva_fit(lib, X, init, max_iter):
    """Seconds and n_iter of one fit from init."""
    m = Matrix(X.ctypes.data, 1 if X.dtype == np.float32 else 2, X.shape[0], X.shape[1], X.shape[1])
    p = Params()
    lib.fmva_kmeans_params_init(ctypes.byref(p))
    p.n_clusters, p.init, p.max_iter, p.tol, p.n_threads = init.shape[0], 2, max_iter, 0.0, 0
    p.init_centers = init.ctypes.data
    centers = np.empty_like(init)
    labels = np.empty(X.shape[0], np.int32)
    inertia, n_iter = ctypes.c_double(), ctypes.c_int32()
    t = time.perf_counter()
    st = lib.fmva_kmeans_fit(ctypes.byref(m), ctypes.byref(p), centers.ctypes.data, labels.ctypes.data,
                             ctypes.byref(inertia), ctypes.byref(n_iter))
    t = time.perf_counter() - t
    if st != 0:
        raise RuntimeError(lib.fmva_last_error().decode())
    return t, n_iter.value


def sklearn_fit(X, init, max_iter):
    km = KMeans(n_clusters=init.shape[0], init=init, n_init=1, max_iter=max_iter, tol=0.0,
                algorithm="lloyd")
    t = time.perf_counter()
    km.fit(X)
    return time.perf_counter() - t, km.n_iter_


def per_iter(fit, repeats, iters):
    """Median seconds per Lloyd iteration, or None if a fit converged before max_iter."""
    vals = []
    for _ in range(repeats):
        t1, n1 = fit(2)
        t2, n2 = fit(2 + iters)
        if n1 != 2 or n2 != 2 + iters:
            return None
        vals.append((t2 - t1) / iters)
    return statistics.median(vals)


def grid(quick):
    if quick:
        return [(65536, d, k, t) for d in (3, 32, 256) for k in (3, 8, 64) for t in ("float32", "float64")] + \
               [(10**6, 32, k, t) for k in (8, 64) for t in ("float32", "float64")]
    return [(n, d, k, t) for n in (65536, 10**6) for d in (3, 10, 32, 256, 1024) for k in (3, 8, 64)
            for t in ("float32", "float64")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small subset of the grid")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=6)
    ap.add_argument("--max-gb", type=float, default=4.0, help="skip rows whose X is larger")
    a = ap.parse_args()
    lib = load_lib()
    buf = ctypes.create_string_buffer(4096)
    lib.fmva_build_info(buf, len(buf))
    info = json.loads(buf.value)
    floors = json.loads(subprocess.run(["go", "run", "./bench/kmeans/peak"], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    bw = floors["bandwidth_gbs"] * 1e9
    print(f"fastmva kernels={info['kernels']} threads={info['threads']}; scikit-learn {sklearn.__version__}, "
          f"numpy {np.__version__}; measured: DRAM read {bw / 1e9:.1f} GB/s, FMA peak "
          f"{floors['peak_f64_gfs']:.0f} (f64) / {floors['peak_f32_gfs']:.0f} (f32) GFLOP/s")
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6} | "
          f"{'floor ms':>8} {'fmva/floor':>10}")
    rng = np.random.default_rng(0)
    for n, d, k, t in grid(a.quick):
        dt = np.dtype(t)
        if n * d * dt.itemsize / 1e9 > a.max_gb:
            print(f"{n:>8} {d:>5} {k:>3} {t:>7} | skipped: X is {n * d * dt.itemsize / 1e9:.1f} GB > --max-gb")
            continue
        X = rng.random((n, d), dtype=np.float64).astype(dt)
        init = X[rng.choice(n, k, replace=False)].copy()
        f = per_iter(lambda m: fastmva_fit(lib, X, init, m), a.repeats, a.iters)
        s = per_iter(lambda m: sklearn_fit(X, init, m), a.repeats, a.iters)
        peak = (floors["peak_f32_gfs"] if t == "float32" else floors["peak_f64_gfs"]) * 1e9
        floor = max(n * d * dt.itemsize / bw, 2 * n * k * d / peak)
        fs = f"{f * 1e3:10.2f}" if f else f"{'converged':>10}"
        ss = f"{s * 1e3:10.2f}" if s else f"{'converged':>10}"
        ratio = f"{s / f:6.2f}" if f and s else f"{'-':>6}"
        ff = f"{f / floor:10.2f}" if f else f"{'-':>10}"
        print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {fs} {ss} {ratio} | {floor * 1e3:8.2f} {ff}", flush=True)
        del X


if __name__ == "__main__":
    sys.exit(main())
