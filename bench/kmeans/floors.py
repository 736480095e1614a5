"""The floors of bench/kmeans: DRAM read bandwidth and FMA peak, measured by bench/kmeans/peak.

Two ways, both in the same run as the rows:

- ``measure()``: the whole-run figures, best of 5 (before the rows and again after them);
- ``Probe``: a short probe (the same measurements, each once; see peak's -serve) taken next to
  every repeat of a row, so that each row also gets a floor from the moments it ran in: the best
  of the probes around its repeats. On this shared machine the same iteration benchmark took
  12.7 and 22.9 ms a few minutes apart, and single probes moved between 20.8 and 27.5 GB/s and
  238 and 326 GFLOP/s (float32) within one minute; a floor from another moment says as much about
  the moment as about the code. The best of the row's probes, like the whole run's best of five,
  keeps one disturbed probe from making that floor lenient.
"""

import atexit
import json
import pathlib
import shutil
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEYS = ("bandwidth_gbs", "peak_f64_gfs", "peak_f32_gfs")

_binary = None


def _peak_binary():
    """Builds bench/kmeans/peak once per process (go run would build it at every call)."""
    global _binary
    if _binary is None:
        tmp = tempfile.mkdtemp(prefix="fastmva-peak-")
        atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        out = pathlib.Path(tmp) / "peak"
        subprocess.run(["go", "build", "-o", str(out), "./bench/kmeans/peak"], cwd=ROOT, check=True)
        _binary = out
    return _binary


def measure():
    """The whole-run floors: {threads, kernels, bandwidth_gbs, peak_f64_gfs, peak_f32_gfs}."""
    out = subprocess.run([str(_peak_binary())], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def best(readings):
    """The largest of each figure over readings (a bandwidth or a peak is a maximum)."""
    return {key: max(r[key] for r in readings) for key in KEYS}


def floor_seconds(n, d, k, itemsize, figures):
    """A row's floor: max(n·d·bytes / bandwidth, 2·n·k·d / peak) with the figures given."""
    peak = figures["peak_f32_gfs" if itemsize == 4 else "peak_f64_gfs"] * 1e9
    return max(n * d * itemsize / (figures["bandwidth_gbs"] * 1e9), 2 * n * k * d / peak)


class Probe:
    """peak -serve kept running: each call takes one short probe and returns its figures. Its
    1 GiB array stays allocated between probes; the process idles on its stdin meanwhile."""

    def __init__(self, mb=1024):
        self._proc = subprocess.Popen([str(_peak_binary()), "-serve", "-mb", str(mb)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self):
        self._proc.stdin.write("probe\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("bench/kmeans/peak -serve stopped answering")
        return json.loads(line)

    def close(self):
        self._proc.stdin.close()
        self._proc.wait(timeout=60)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
