"""SVD/PCA side by side: fastmva vs NumPy, SciPy (gesdd), scikit-learn — time, peak memory, accuracy.

    python -m bench svd [--quick] [--repeats 3] [--shapes 65536x1024,16384x4096] [--dtypes f32,f64]
                        [--ks 10,20,all]

Every (case, method) runs in its own fresh interpreter, so its peak memory is its own: the child
builds the data (row blocks, no large temporaries), imports every library, records its resident
set, runs the method once, and reports the time of that call and its extra peak memory
(ru_maxrss − the resident set before the call). Runs are interleaved across methods, repeated
--repeats times, and the table shows medians; check `uptime` first — the machine is shared.

Data: a spectrum-image-like matrix, 40 components with weights 0.7^i on non-negative abundances
plus 1% Gaussian noise (a decaying spectrum with a noise floor), generated in float64 (float32
data is its rounding). Accuracy: max over the computed values of |s_i − s_ref_i| / s_ref_1, where
s_ref is NumPy's float64 gesdd of the float64 data of the same shape.

Methods. k = all: fastmva exact SVD (U, s, Vᵀ), numpy.linalg.svd, scipy.linalg.svd
(lapack_driver="gesdd"), scikit-learn PCA (full, covariance_eigh) and fastmva.PCA (exact).
k = 10, 20: fastmva randomized SVD, sklearn randomized_svd, PCA(randomized) and
fastmva.PCA(randomized), PCA(covariance_eigh) — all with scikit-learn's defaults
(n_oversamples=10, n_iter="auto").
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]

EXACT = ["fastmva", "numpy", "scipy", "sk_pca_full", "sk_pca_cov", "fastmva_pca"]
TRUNC = ["fastmva_rand", "sk_randomized_svd", "sk_pca_rand", "fastmva_pca_rand", "sk_pca_cov"]

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    sys.path.insert(0, {python!r})
    import numpy as np, scipy.linalg, sklearn.decomposition, sklearn.utils.extmath
    import fastmva
    n, d, dtype, k, method = {n}, {d}, {dtype!r}, {k!r}, {method!r}

    def data():
        rng = np.random.default_rng(0)
        r = 40
        comps = rng.standard_normal((r, d)) * (0.7 ** np.arange(r))[:, None]
        X = np.empty((n, d), dtype)
        for lo in range(0, n, 2048):
            hi = min(lo + 2048, n)
            X[lo:hi] = rng.random((hi - lo, r)) @ comps + 0.01 * rng.standard_normal((hi - lo, d))
        return X

    def rss():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    X = data()
    kk = None if k == "all" else int(k)
    base = rss()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    if method == "fastmva":
        s = fastmva.svd(X, solver="exact").singular_values
    elif method == "numpy":
        s = np.linalg.svd(X, full_matrices=False)[1]
    elif method == "scipy":
        s = scipy.linalg.svd(X, full_matrices=False, lapack_driver="gesdd")[1]
    elif method == "fastmva_rand":
        s = fastmva.svd(X, kk, solver="randomized", seed=0).singular_values
    elif method == "sk_randomized_svd":
        s = sklearn.utils.extmath.randomized_svd(X, kk, random_state=0)[1]
    else:
        est = {{
            "sk_pca_full": lambda: sklearn.decomposition.PCA(kk, svd_solver="full"),
            "sk_pca_cov": lambda: sklearn.decomposition.PCA(kk, svd_solver="covariance_eigh"),
            "sk_pca_rand": lambda: sklearn.decomposition.PCA(kk, svd_solver="randomized", random_state=0),
            "fastmva_pca": lambda: fastmva.PCA(kk, svd_solver="full"),
            "fastmva_pca_rand": lambda: fastmva.PCA(kk, svd_solver="randomized", random_state=0),
        }}[method]()
        est.fit(X)
        s = est.singular_values_
    seconds = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    peak = ru1.ru_maxrss * 1024
    print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": max(peak - base, 0) / 2**20,
                      "s": [float(v) for v in np.asarray(s, dtype=np.float64)]}}))
    """
)


def run_child(n, d, dtype, k, method):
    code = CHILD.format(python=str(ROOT / "python"), n=n, d=d, dtype=dtype, k=k, method=method)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def is_pca(method):
    return "pca" in method


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench svd", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small shapes (16384x256, 4096x1024), 1 repeat")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--shapes", default="65536x1024,16384x4096")
    ap.add_argument("--dtypes", default="float32,float64")
    ap.add_argument("--ks", default="10,20,all")
    ap.add_argument("--methods", help="comma-separated subset of the methods (default: all)")
    ap.add_argument("--json", help="also write every measurement to this file")
    ap.add_argument("--ref-json", action="append", default=[],
                    help="take the reference spectrum (NumPy float64, k=all) from an earlier --json file")
    args = ap.parse_args(argv)
    shapes = "16384x256,4096x1024" if args.quick else args.shapes
    repeats = 1 if args.quick else args.repeats
    dtypes = [{"f32": "float32", "f64": "float64"}.get(t, t) for t in args.dtypes.split(",")]
    print(f"load average: {os.getloadavg()}", flush=True)
    rows, records = [], []
    for shape in shapes.split(","):
        n, d = (int(v) for v in shape.split("x"))
        # The reference spectrum: NumPy's float64 gesdd of the float64 data (also the "numpy" f64 case).
        ref = None
        for path in args.ref_json:
            for r in json.loads(pathlib.Path(path).read_text()):
                if (r["shape"], r["dtype"], r["k"], r["method"]) == (shape, "float64", "all", "numpy") and "s" in r:
                    ref = r["s"]
        for dtype in sorted(dtypes, key=lambda t: t != "float64"):
            for k in sorted(args.ks.split(","), key=lambda v: v != "all"):
                methods = EXACT if k == "all" else TRUNC
                if args.methods:
                    methods = [m for m in methods if m in args.methods.split(",")]
                times = {m: [] for m in methods}
                cpus = {m: [] for m in methods}
                peaks = {m: [] for m in methods}
                svals = {}
                for _ in range(repeats):
                    for m in methods:
                        r = run_child(n, d, dtype, k, m)
                        records.append({"shape": shape, "dtype": dtype, "k": k, "method": m, **r})
                        if "error" in r:
                            print(f"  {shape} {dtype} k={k} {m}: {r['error']}", flush=True)
                            continue
                        times[m].append(r["seconds"])
                        cpus[m].append(r["cpu"])
                        peaks[m].append(r["peak_mb"])
                        svals[m] = r["s"]
                        print(f"  {shape} {dtype} k={k} {m}: {r['seconds']:.3f} s (cpu {r['cpu']:.3f} s), "
                              f"+{r['peak_mb']:.0f} MiB", flush=True)
                if ref is None and "numpy" in svals:
                    ref = svals["numpy"]
                for m in methods:
                    if not times[m]:
                        continue
                    err = None
                    if ref is not None and not is_pca(m):
                        s = svals[m]
                        err = max(abs(a - b) for a, b in zip(s, ref)) / ref[0]
                    rows.append((shape, dtype, k, m, statistics.median(times[m]), statistics.median(cpus[m]),
                                 max(peaks[m]), err))
    print()
    print(f"{'shape':>11} {'dtype':>7} {'k':>3} {'method':>18} {'median s':>9} {'cpu s':>8} {'peak MiB':>9} "
          f"{'max|ds|/s1':>11} {'vs fastmva':>10} {'cpu vs':>7}")
    base = {}
    for shape, dtype, k, m, t, c, peak, err in rows:
        if m in ("fastmva", "fastmva_rand"):
            base[(shape, dtype, k, "svd")] = (t, c)
        if m in ("fastmva_pca", "fastmva_pca_rand"):
            base[(shape, dtype, k, "pca")] = (t, c)
    for shape, dtype, k, m, t, c, peak, err in rows:
        ours = base.get((shape, dtype, k, "pca" if is_pca(m) else "svd"))
        ratio = f"{t / ours[0]:9.2f}x" if ours else ""
        cratio = f"{c / ours[1]:6.2f}x" if ours and ours[1] > 0 else ""
        e = f"{err:11.2e}" if err is not None else f"{'':>11}"
        print(f"{shape:>11} {dtype:>7} {k:>3} {m:>18} {t:9.3f} {c:8.2f} {peak:9.0f} {e} {ratio:>10} {cratio:>7}")
    print("\n'vs fastmva' = the method's median wall time / fastmva's (SVD rows: fastmva / fastmva_rand;"
          " PCA rows: fastmva_pca / fastmva_pca_rand): above 1 means fastmva is faster. 'cpu vs' is the"
          " same ratio of process CPU time (user + system, all threads), steadier on a shared machine.")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
