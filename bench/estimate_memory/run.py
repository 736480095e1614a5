"""Peak extra memory of fastmva.estimate_number_of_clusters(max_clusters=10, metric="gap").

    python bench/estimate_memory/run.py [--mib 256] [--cases line/none,line/norm,...] [--go]

Each case runs in a fresh Python process: it builds the input (float32, 64 columns, 5 blobs of
unit spread, --mib MiB), loads fastmva and makes one tiny call (so the Go runtime and its
threads exist before the measurement), resets the kernel's peak-RSS mark (VmHWM, through
/proc/self/clear_refs), runs the estimate and reports the peak RSS growth over the call divided
by the input size — what the issue bounds by 1x. Cases: gap reference (line: HyperSpy's,
uniform: Tibshirani's box) / preprocessing (none, norm). The uniform reference's fits on
structureless data take many more Lloyd iterations (minutes at 256 MiB).

--go also runs the Go benchmark of the same estimate (cluster.BenchmarkEstimateGap, in its own
process), which reports the Go heap's peaks from runtime/metrics next to the RSS growth.
Nothing here is part of the test suite: too big, and it measures time.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    mib, reference, preprocessing = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    d = 64
    n = mib * 2**20 // (4 * d)
    rng = np.random.default_rng(7)
    centers = rng.uniform(-10, 10, size=(5, d)).astype(np.float32)
    X = centers[rng.integers(0, 5, size=n)]
    X += rng.standard_normal(size=X.shape, dtype=np.float32)
    del centers
    import fastmva
    fastmva.estimate_number_of_clusters(X[:200], max_clusters=3, random_state=0)

    def status(field):
        for line in open("/proc/self/status"):
            if line.startswith(field):
                return int(line.split()[1]) * 1024

    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM := VmRSS
    base = status("VmRSS:")
    start = time.perf_counter()
    r = fastmva.estimate_number_of_clusters(
        X, max_clusters=10, metric="gap", gap_reference=reference,
        preprocessing=None if preprocessing == "none" else preprocessing, random_state=0,
    )
    seconds = time.perf_counter() - start
    print(json.dumps(dict(input=X.nbytes, growth=status("VmHWM:") - base, seconds=seconds,
                          best_k=r.estimated_number_of_clusters)))
    """
)


def measure(mib, case):
    reference, preprocessing = case.split("/")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(mib), reference, preprocessing],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=256, help="input size in MiB (default 256)")
    parser.add_argument("--cases", default="line/none,line/norm,uniform/none,uniform/norm")
    parser.add_argument("--go", action="store_true", help="also run the Go benchmark (Go heap figures)")
    args = parser.parse_args(argv)
    print(f"estimate_number_of_clusters(max_clusters=10, metric='gap'), float32 input, 64 columns, {args.mib} MiB")
    print(f"{'case':<14} {'peak RSS growth':>16} {'/ input':>8} {'best k':>7} {'time':>9}")
    for case in args.cases.split(","):
        r = measure(args.mib, case)
        print(f"{case:<14} {r['growth'] / 2**20:>12.1f} MiB {r['growth'] / r['input']:>8.3f} "
              f"{r['best_k']:>7} {r['seconds']:>8.1f}s", flush=True)
    if args.go:
        env = dict(os.environ, FASTMVA_BENCH_MIB=str(args.mib))
        if any(c.startswith("uniform") for c in args.cases.split(",")):
            env["FASTMVA_BENCH_UNIFORM"] = "1"
        print("\nGo benchmark (peak growth / input: RSS, Go heap objects, all memory the Go runtime mapped):")
        subprocess.run(["go", "test", "./cluster", "-run", "^$", "-bench", "EstimateGap", "-benchtime", "1x"],
                       cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
