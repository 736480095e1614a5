#!/usr/bin/env python3
"""Side-by-side dense linear algebra: fastmva (Go, bench/linalg/gobench) against NumPy/OpenBLAS.

One command, one run, same sizes, interleaved so both sides see the same machine load:

    python3 -m venv /tmp/venv-linalg && /tmp/venv-linalg/bin/pip install -c constraints.txt numpy scipy
    /tmp/venv-linalg/bin/python bench/linalg/run.py [--quick] [--reps N] [--rounds R]

Each figure is the median over R rounds of (the median of N repetitions) — the machine is shared,
so rounds are interleaved fastmva/NumPy. GEMM is n×n×n (2n³ flops), SYRK is XᵀX of 65 536×d
(d²·65 536 flops: useful work, one triangle), eigh is all eigenpairs of a random symmetric d×d.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def build_go():
    exe = os.path.join("/tmp", "fastmva-gobench")
    subprocess.run(["go", "build", "-o", exe, "./bench/linalg/gobench"], cwd=ROOT, check=True)
    return exe


def go_time(exe, reps, **kw):
    args = [exe, "-reps", str(reps)] + [f"-{k}={v}" for k, v in kw.items()]
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])["seconds"]


def np_time(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def cases(quick):
    rng = np.random.default_rng(0)
    sizes = [256, 512, 1024, 2048] if quick else [256, 512, 1024, 2048, 4096]
    for dt, name in ((np.float64, "f64"), (np.float32, "f32")):
        for n in sizes:
            a, b = rng.random((n, n)).astype(dt), rng.random((n, n)).astype(dt)
            yield (f"gemm {name} {n}", 2.0 * n**3, dict(op="gemm", dtype=name, n=n),
                   (lambda a=a, b=b: a @ b))
    for d in ([64, 256] if quick else [64, 256, 1024]):
        for dt, name in ((np.float64, "f64"), (np.float32, "f32")):
            x = rng.random((65536, d)).astype(dt)
            yield (f"syrk {name} 65536x{d}", 65536.0 * d * d, dict(op="syrk", dtype=name, rows=65536, n=d),
                   (lambda x=x: x.T @ x))
    for d in ([256, 512, 1024] if quick else [256, 512, 1024, 2048, 4096]):
        a = rng.standard_normal((d, d))
        a = (a + a.T) / 2
        yield (f"eigh f64 {d}", 0.0, dict(op="eigh", dtype="f64", n=d), (lambda a=a: np.linalg.eigh(a)))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes only")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="", help="substring filter on the case name")
    args = ap.parse_args(argv)
    exe = build_go()
    print(f"numpy {np.__version__}; threads: GOMAXPROCS / OpenBLAS default; os.cpu_count()={os.cpu_count()}")
    print(f"{'case':24s} {'fastmva':>12s} {'numpy':>12s} {'ratio':>7s}")
    for name, flops, gokw, npf in cases(args.quick):
        if args.only not in name:
            continue
        reps = 1 if "4096" in name and "eigh" in name else args.reps
        go_ts, np_ts = [], []
        for _ in range(args.rounds):
            go_ts.append(go_time(exe, reps, **gokw))
            np_ts.append(np_time(npf, reps))
        g, n = statistics.median(go_ts), statistics.median(np_ts)
        if flops:
            print(f"{name:24s} {flops / g / 1e9:8.1f} GF/s {flops / n / 1e9:8.1f} GF/s {n / g:7.2f}", flush=True)
        else:
            print(f"{name:24s} {g:10.3f} s {n:10.3f} s {n / g:7.2f}", flush=True)
    print("ratio = numpy time / fastmva time (above 1: fastmva faster)")


if __name__ == "__main__":
    sys.exit(main())
