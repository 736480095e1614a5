"""k-means side by side with scikit-learn: ``python -m bench kmeans [--quick] [--sections ...]``.

Sections (all by default; medians of --repeats runs, ratios = scikit-learn time / fastmva time,
and in the peer columns the peer's time / fastmva time):

iter       ms per Lloyd iteration from the same explicit init and the same iterations: fastmva
           fits with max_iter = 2 + --iters and tol = 0, timed from its progress callback after
           iteration 2 to the one after the last (a fit that converged early is reported, not
           timed); scikit-learn's is its own Lloyd loop body (its per-iteration kernel and the
           loop's steps around it) timed over the same iterations after 2, since the difference
           of two of its fits, each validating and copying X, jittered by more than the
           iterations took on the largest rows. Rows of n·d ≤ 65 536·32 take 5·--iters where
           fastmva does not converge before, so that their fraction-of-a-millisecond iterations
           outweigh the jitter. Each row's floor is max(n·d·bytes / bandwidth, 2·n·k·d / peak)
           with the DRAM bandwidth and FMA peak measured by bench/kmeans/peak in this run, before
           the rows, again after them and in every row's probes (the best of all; the table is
           printed at the end);
           beside it, the row's own floor from short probes taken before each of its repeats and
           after the last (the best of them: the machine's capacity in the minutes the row ran,
           see floors.py).
           The installed peers (--peers: scikit-learn-intelex, faiss-cpu; see peers.py for how
           each is timed) run the same iterations from the same init, float32 only for faiss.
fit        whole fits from the same explicit init on blob data: fastmva (algorithm="auto") vs the
           better of scikit-learn's lloyd and elkan, with the inertias compared; and
           scikit-learn-intelex's lloyd fit where installed (faiss has no convergence test).
threads    fastmva's Lloyd iteration on 2 threads vs 1 on compute-bound rows, the two interleaved
           repeat by repeat.
dist       euclidean_distances and pairwise_distances_argmin_min, 10⁶×32 against 64 centers;
           faiss-cpu's exact nearest neighbour (faiss.knn, k = 1) beside argmin_min, float32.
overhead   Python binding overhead of KMeans.predict: wall time per call minus the time of the
           bare C call (ctypes, prepared arguments) on the same small input, validation on; the
           two take turns, and the overhead is the median of their differences turn by turn.
predict    KMeans.predict and KMeans.transform on large X (10⁶ rows), both estimators fitted for
           one iteration from the same init and holding the same centers: the time of a call
           (validation included: what a user's call costs), whether the labels agree and the
           largest relative difference of the distances.
minibatch  MiniBatchKMeans.fit with the same parameters (different random draws): time and the
           ratio of the inertias.
gemm       the iter rows with k = 64 and d ≥ 256 (the same X and init), beside the products alone
           X·Cᵀ from NumPy's BLAS (its own threads): what a tuned GEMM of that shape reaches, as a
           percentage of the FMA peak probed before each repeat, next to fastmva's whole
           iteration (products, argmin, sums, new centers). Not in the default run's
           --sections; ask for it.

In iter and fit the libraries take turns repeat by repeat, each after a 10 ms pause (settle), so
that the shared machine's drift and the other library's idle threads hit both alike.

Everything goes through the fastmva Python package (python/fastmva), the library ./build.sh
built. The machine is shared: run the full grid when `uptime` shows a low load.
"""

import argparse
import ctypes
import os
import statistics
import sys
import time

import numpy as np

import fastmva
from fastmva import _lib
from fastmva._kmeans import kmeans_fit

from bench.kmeans import floors, peers

import sklearn  # noqa: E402  (after fastmva: the library is loaded first either way)
from sklearn.cluster import KMeans as SkKMeans
from sklearn.cluster import MiniBatchKMeans as SkMiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import euclidean_distances as sk_euclidean_distances
from sklearn.metrics import pairwise_distances_argmin_min as sk_argmin_min
from sklearn.cluster._k_means_lloyd import lloyd_iter_chunked_dense as sk_lloyd_iter
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
from sklearn.utils.parallel import _threadpool_controller_decorator

SECTIONS = ("iter", "fit", "threads", "dist", "overhead", "predict", "minibatch", "gemm")


def median_time(fn, repeats):
    """Median wall seconds of fn() over repeats calls (and the last result)."""
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def settled_time(fn, own_clock=False):
    """Wall seconds of one fn() after settle() (or, with own_clock, the seconds fn returns)."""
    settle()
    if own_clock:
        return fn()
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def ratio(a, b):
    return f"{a / b:6.2f}" if a and b else f"{'-':>6}"


# -- iter --------------------------------------------------------------------------------------


def fastmva_per_iteration(X, init, iters, threads=None):
    """Seconds per Lloyd iteration of one fastmva fit from init with max_iter = 2 + iters and
    tol = 0, on the progress callback's clock: from the end of iteration 2 to the end of
    iteration 2 + iters, over iters. The fit's fixed costs (validation, the tolerance's variance
    pass, the last labelling) lie outside; each callback's few µs of Python lie inside, against
    fastmva. None if the fit converged before max_iter. (The difference of two whole fits, used
    before, came out negative for 10⁶×3 float32 in run L: their fixed costs jittered by more
    than six iterations took.)"""
    stamps = []
    kmeans_fit(X, init.shape[0], init=init, n_init=1, max_iter=2 + iters, tol=0.0, n_threads=threads,
               progress=lambda done, total: stamps.append(time.perf_counter()))
    if len(stamps) != 2 + iters:
        return None
    return (stamps[-1] - stamps[1]) / iters


def sklearn_loop(X, init, iters, warmup=2):
    """Seconds of iters iterations of scikit-learn's own Lloyd loop body, after warmup ones: its
    per-iteration kernel (lloyd_iter_chunked_dense, what KMeans(algorithm="lloyd").fit calls)
    and the loop's own steps around it (swap, strict-convergence compare, shift sum, label copy),
    from the same init. A fit's fixed costs (X validated and copied with its mean taken out,
    2 GB at 10⁶×256 float64) are left out: their jitter made differences of whole fits come out
    negative on the largest rows.

    The thread count is read here, before the BLAS limit, as KMeans reads it before its own:
    with faiss loaded in this process (as it was before peers.py gave it a process of its own),
    limiting BLAS to one thread also limited OpenMP's default, and
    read inside the limit it took scikit-learn's loop down to one thread (1.6× as long)."""
    return _sklearn_loop_limited(X, init, iters, warmup, _openmp_effective_n_threads())


@_threadpool_controller_decorator(limits=1, user_api="blas")  # as scikit-learn's own loop runs
def _sklearn_loop_limited(X, init, iters, warmup, threads):
    X = np.ascontiguousarray(X)
    weight = np.ones(X.shape[0], dtype=X.dtype)
    centers, new = init.astype(X.dtype, copy=True), np.zeros_like(init, dtype=X.dtype)
    labels = np.full(X.shape[0], -1, dtype=np.int32)
    labels_old = labels.copy()
    in_clusters = np.zeros(init.shape[0], dtype=X.dtype)
    shift = np.zeros(init.shape[0], dtype=X.dtype)
    t = 0.0
    for i in range(warmup + iters):
        if i == warmup:
            t = time.perf_counter()
        sk_lloyd_iter(X, weight, centers, new, in_clusters, labels, shift, threads)
        centers, new = new, centers
        np.array_equal(labels, labels_old)
        (shift ** 2).sum()
        labels_old[:] = labels
    return time.perf_counter() - t


def settle(cap=1.0):
    """Lets the other library's idle threads go to sleep before a measurement: scikit-learn's
    OpenMP threads and OpenBLAS's spin after a parallel call (OpenBLAS's for 2²⁸ cycles by
    default, some 80 ms here), fastmva's helpers poll for 0.5 ms, and on two cores a spinning
    thread takes a core from the next measurement. So it waits until the process has used less
    than a tenth of a core over 10 ms (at most cap seconds). Measured (65 536×256 float32,
    k = 64, fastmva's fit right after scikit-learn's elkan fit): 10 ms of sleep left fastmva's fit
    at 145–162 ms against 114–126 back to back; 50 ms 145–150, 200 ms 114–131."""
    time.sleep(0.01)
    end = time.perf_counter() + cap
    while time.perf_counter() < end:
        cpu, wall = time.process_time(), time.perf_counter()
        time.sleep(0.01)
        if time.process_time() - cpu < 0.1 * (time.perf_counter() - wall):
            return


def per_iteration_turns(X, init, repeats, iters, installed, threads, probe=None):
    """Median seconds per Lloyd iteration of fastmva (fastmva_per_iteration), of scikit-learn (its
    own loop, sklearn_loop) and of each peer in installed (peers.py), measured repeat by repeat
    in turn, so that the shared machine's drift hits all alike (one library's repeats after the
    other's swung single rows' ratios by 2× between runs): (fastmva, sklearn, {peer: seconds or
    None}, probes); (None, None, {}, probes) if fastmva converged before max_iter. With a probe
    (floors.Probe), probes holds its readings before every repeat and after the last."""
    ours, theirs, others = [], [], {p.name: [] for p in installed}
    probes = []
    for _ in range(repeats):
        if probe:
            probes.append(probe())
        settle()
        f = fastmva_per_iteration(X, init, iters)
        if f is None:
            return None, None, {}, probes
        ours.append(f)
        settle()
        theirs.append(sklearn_loop(X, init, iters) / iters)
        for p in installed:
            settle()
            others[p.name].append(p.per_iteration(X, init, iters, threads))
    if probe:
        probes.append(probe())
    medians = {name: (None if None in v else statistics.median(v)) for name, v in others.items()}
    return statistics.median(ours), statistics.median(theirs), medians, probes


def memory_limit_gb():
    """The largest X an iteration row takes by default: half the memory available now
    (MemAvailable), so that X, a peer's copy of it or its chunked distances, and the rest of the
    process fit without swapping (the machine has no swap: too large a row would end the run)."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024 / 1e9 / 2
    return 4.0  # no /proc/meminfo: the old fixed limit


def grid_wanted(a, n, d, t, k=None):
    """Whether --n, --d, --dtype and (given k) --k keep the grid row."""
    pairs = [(n, a.n), (d, a.d), (t, a.dtype)] + ([(k, a.k)] if k is not None else [])
    return all(want is None or v in want for v, want in pairs)


def too_large(a, n, d, dt):
    """Why a grid row of n×d values of dtype dt is skipped: its X is larger than --max-gb, else
    than half the available memory (memory_limit_gb); None if it fits."""
    size = n * d * dt.itemsize / 1e9
    limit = a.max_gb if a.max_gb is not None else memory_limit_gb()
    if size <= limit:
        return None
    return (f"skipped: X is {size:.1f} GB > {limit:.1f} GB "
            f"({'--max-gb' if a.max_gb is not None else 'half the available memory'})")


def grid_rows(n, d, k, dt, block=1 << 16):
    """A grid row's X: uniform on [0, 1), seeded by the row's shape so that a row has the same
    data whatever other rows run. Drawn block by block straight into dtype dt, so that a 4 GB
    float32 X does not pass through an 8 GB float64 one (the same values as drawing all of it in
    float64 and converting: the generator's stream does not depend on how it is split). Returns
    X and the generator, which draws the row's initial centers next."""
    rng = np.random.default_rng([n, d, k, dt.itemsize])
    X = np.empty((n, d), dtype=dt)
    tmp = np.empty((min(block, n), d), dtype=np.float64)
    for lo in range(0, n, block):
        part = tmp[:min(block, n - lo)]
        rng.random(out=part)
        X[lo:lo + len(part)] = part
    return X, rng


def iteration_counts(n, d, iters):
    """The iteration counts to try for a row, most first: where an iteration takes well under a
    millisecond, --iters of them are too short a span against the machine's jitter, so small
    rows take 5× as many if fastmva does not converge before (else --iters, as every row)."""
    return (5 * iters, iters) if n * d <= 65536 * 32 else (iters,)


def iter_grid(quick):
    if quick:
        return [(65536, d, k, t) for d in (3, 32, 256) for k in (8, 64) for t in ("float32", "float64")] + \
               [(10**6, 32, k, t) for k in (8, 64) for t in ("float32", "float64")]
    return [(n, d, k, t) for n in (65536, 10**6) for d in (3, 10, 32, 256, 1024) for k in (3, 8, 64)
            for t in ("float32", "float64")]


def section_iter(a, whole_run):
    """Times every grid row, then measures the floors again and prints the table. Each row has
    two floors: the whole run's, the best of every measurement of each figure in the run (before
    the rows, after them, and every row's probes; a bandwidth or a peak is a maximum: a low
    figure from a disturbed moment would make the floors and %peak too kind to fastmva: in run V
    the best of five before the rows measured a float32 peak of 181 GFLOP/s, the probes 305–349),
    and the row's own, the best of the short probes taken before each of its repeats and after
    the last (floors.Probe): the machine's capacity in the minutes the row ran. Progress goes to
    stderr meanwhile."""
    timed, every_probe = [], []
    with floors.Probe() as probe:
        for n, d, k, t in iter_grid(a.quick):
            if not grid_wanted(a, n, d, t, k):
                continue
            dt = np.dtype(t)
            why = too_large(a, n, d, dt)
            if why:
                timed.append((n, d, k, t, why))
                continue
            X, rng = grid_rows(n, d, k, dt)
            init = X[rng.choice(n, k, replace=False)].copy()
            f = s = None
            for iters in iteration_counts(n, d, a.iters):
                f, s, others, probes = per_iteration_turns(X, init, a.repeats, iters, peers.installed(a.peers),
                                                           a.threads, probe)
                if f and s:
                    break
            every_probe += probes
            timed.append((n, d, k, t, (f, s, others, floors.best(probes))))
            print(f"iter: {n} {d} {k} {t} timed", file=sys.stderr, flush=True)
            del X
    again = floors.measure()
    best = floors.best([whole_run, again] + every_probe)
    print(f"measured again after the rows: DRAM read {again['bandwidth_gbs']:.1f} GB/s, FMA peak "
          f"{again['peak_f64_gfs']:.0f} (f64) / {again['peak_f32_gfs']:.0f} (f32) GFLOP/s; the run's floors "
          f"use the best of those two and the {len(every_probe)} probes: {best['bandwidth_gbs']:.1f} GB/s, "
          f"{best['peak_f64_gfs']:.0f} / {best['peak_f32_gfs']:.0f} GFLOP/s; the row's floors, the best of "
          f"its own probes (GB/s, f32/f64 GFLOP/s)")
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6} | "
          f"{'floor ms':>8} {'fmva/floor':>10} {'GFLOP/s':>8} {'%peak':>6} | {'row GB/s':>8} {'row peak':>8} "
          f"{'fmva/floor':>10} {'%peak':>6}{peers.header(a.peers)}")
    for n, d, k, t, result in timed:
        if isinstance(result, str):
            print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {result}")
            continue
        f, s, others, row = result
        dt = np.dtype(t)
        peak_key = "peak_f32_gfs" if t == "float32" else "peak_f64_gfs"
        floor, row_floor = (floors.floor_seconds(n, d, k, dt.itemsize, fig) for fig in (best, row))
        fs = f"{f * 1e3:10.2f}" if f else f"{'converged':>10}"
        ss = f"{s * 1e3:10.2f}" if s else f"{'converged':>10}"
        gfs = 2 * n * k * d / f / 1e9 if f else 0
        print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {fs} {ss} {ratio(s, f)} | {floor * 1e3:8.2f} "
              f"{(f / floor if f else 0):10.2f} {gfs:8.1f} {100 * gfs / best[peak_key]:6.1f} | "
              f"{row['bandwidth_gbs']:8.1f} {row[peak_key]:8.0f} {(f / row_floor if f else 0):10.2f} "
              f"{100 * gfs / row[peak_key]:6.1f}{peers.cells(a.peers, others, f, ratio)}", flush=True)


# -- fit ---------------------------------------------------------------------------------------


def section_fit(a):
    shapes = [(65536, 3, 64, "float32"), (65536, 32, 64, "float32"), (65536, 256, 64, "float32"),
              (65536, 256, 64, "float64"), (10**6, 32, 8, "float32"), (10**6, 32, 64, "float64")]
    if a.quick:
        shapes = shapes[:4]
    fitting = [p for p in peers.installed(a.peers) if p.fits]
    extra = "".join(f" | {p.name + ' ms':>10} {'ratio':>6} {'iters':>5} {'inertia rel diff':>16}" for p in fitting)
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'lloyd ms':>9} {'elkan ms':>9} "
          f"{'ratio':>6} | {'iters':>5} {'sk iters':>8} {'inertia rel diff':>16}{extra}")
    for n, d, k, t in shapes:
        X, _ = make_blobs(n, n_features=d, centers=k, cluster_std=4.0, random_state=0)
        X = X.astype(t)
        init = X[np.random.default_rng(1).choice(n, k, replace=False)].copy()
        fits = {
            "ours": lambda: fastmva.KMeans(k, init=init, n_init=1, algorithm="auto").fit(X),
            "lloyd": lambda: SkKMeans(k, init=init, n_init=1, algorithm="lloyd").fit(X),
            "elkan": lambda: SkKMeans(k, init=init, n_init=1, algorithm="elkan").fit(X),
        }
        times, models = {name: [] for name in fits}, {}
        peer_times, peer_fits = {p.name: [] for p in fitting}, {}
        for _ in range(a.repeats):  # in turn, repeat by repeat (see per_iteration_turns)
            for name, fit in fits.items():
                settle()
                secs, models[name] = median_time(fit, 1)
                times[name].append(secs)
            for p in fitting:
                settle()
                secs, peer_fits[p.name] = p.fit(X, init, a.threads)
                peer_times[p.name].append(secs)
        tf, tl, te = (statistics.median(times[name]) for name in fits)
        ours, lloyd = models["ours"], models["lloyd"]
        rel = abs(ours.inertia_ - lloyd.inertia_) / lloyd.inertia_
        line = (f"{n:>8} {d:>5} {k:>3} {t:>7} | {tf * 1e3:10.1f} {tl * 1e3:9.1f} {te * 1e3:9.1f} "
                f"{ratio(min(tl, te), tf)} | {ours.n_iter_:5d} {lloyd.n_iter_:8d} {rel:16.2e}")
        for name, secs in peer_times.items():
            if secs:
                tp, (iters, inertia) = statistics.median(secs), peer_fits[name]
                line += (f" | {tp * 1e3:10.1f} {ratio(tp, tf)} {iters:5d} "
                         f"{abs(inertia - lloyd.inertia_) / lloyd.inertia_:16.2e}")
        print(line, flush=True)


# -- threads -----------------------------------------------------------------------------------


def section_threads(a):
    shapes = [(65536, 256, 64, "float32"), (65536, 256, 64, "float64"), (10**6, 32, 64, "float64")]
    if a.quick:
        shapes = shapes[:2]
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'1 thread ms':>11} {'2 threads ms':>12} {'speed-up':>8}")
    rng = np.random.default_rng(2)
    for n, d, k, t in shapes:
        X = rng.random((n, d)).astype(t)
        init = X[rng.choice(n, k, replace=False)].copy()
        # Interleaved repeat by repeat, so that the shared machine's drift hits both alike.
        ones, twos = [], []
        for _ in range(a.repeats):
            ones.append(fastmva_per_iteration(X, init, a.iters, threads=1))
            twos.append(fastmva_per_iteration(X, init, a.iters, threads=2))
        one, two = statistics.median(ones), statistics.median(twos)
        print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {one * 1e3:11.2f} {two * 1e3:12.2f} {ratio(one, two):>8}", flush=True)


# -- dist --------------------------------------------------------------------------------------


def section_dist(a):
    n = 10**5 if a.quick else 10**6
    faiss = next((p for p in peers.installed(a.peers) if p.name == "faiss"), None)
    extra = f" | {'faiss ms':>10} {'ratio':>6}" if faiss else ""
    print(f"{'function':>30} {'dtype':>7} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6}{extra}")
    rng = np.random.default_rng(3)
    for t in ("float32", "float64"):
        X = rng.random((n, 32)).astype(t)
        C = rng.random((64, 32)).astype(t)
        for name, ours, theirs in (
            ("euclidean_distances", fastmva.euclidean_distances, sk_euclidean_distances),
            ("pairwise_distances_argmin_min", fastmva.pairwise_distances_argmin_min, sk_argmin_min),
        ):
            # Interleaved, 2·--repeats + 1 each: a fresh 512 MB output now and then takes the kernel
            # 0.5–1 s to fault in (seen with np.empty(...).fill alone), whichever library asks.
            # Each call after settle(), as in the other sections: without it OpenBLAS's threads,
            # still spinning from scikit-learn's call, took a core from fastmva's next one
            # (euclidean_distances float32, 10⁶×32 against 64, medians of 7 interleaved calls:
            # 71.5 ms without, 52.5 with; 48.7 with no scikit-learn call in between).
            # faiss's nearest neighbour (squared distances; float32 only) does argmin_min's job.
            with_faiss = faiss and name == "pairwise_distances_argmin_min" and t == "float32"
            rounds = [[settled_time(lambda: ours(X, C)), settled_time(lambda: theirs(X, C))]
                      + ([settled_time(lambda: faiss.nearest_seconds(X, C, a.threads), own_clock=True)]
                         if with_faiss else [])
                      for _ in range(2 * a.repeats + 1)]
            tf, ts, *tp = (statistics.median(r[i] for r in rounds) for i in range(len(rounds[0])))
            line = f"{name:>30} {t:>7} | {tf * 1e3:10.1f} {ts * 1e3:10.1f} {ratio(ts, tf)}"
            if faiss:
                line += f" | {tp[0] * 1e3:10.1f} {ratio(tp[0], tf)}" if tp else f" | {'-':>10} {'-':>6}"
            print(line, flush=True)


# -- overhead ----------------------------------------------------------------------------------


def mean_call(fn, calls):
    """Mean seconds per call of fn over calls calls."""
    t = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t) / calls


def per_call(fn, calls=2000, repeats=7):
    """Median over repeats of the mean seconds per call of fn over calls calls."""
    return statistics.median(mean_call(fn, calls) for _ in range(repeats))


def paired_per_call(wall_fn, bare_fn, calls=2000, repeats=9):
    """Medians over repeats of wall_fn's and bare_fn's mean seconds per call, and the median of
    their difference repeat by repeat: the two take turns, so the machine's drift hits both
    alike (measured one after the other, the bare call's time moved by 13–21 µs at 256 rows
    between moments of one minute, more than the overhead being measured)."""
    walls, bares, diffs = [], [], []
    for _ in range(repeats):
        b = mean_call(bare_fn, calls)
        w = mean_call(wall_fn, calls)
        walls.append(w)
        bares.append(b)
        diffs.append(w - b)
    return statistics.median(walls), statistics.median(bares), statistics.median(diffs)


def section_overhead(a):
    rng = np.random.default_rng(4)
    X = rng.random((5000, 32))
    print(f"{'rows':>5} {'dtype':>7} | {'predict µs':>10} {'bare C µs':>9} {'overhead µs':>11} | {'sklearn µs':>10}")
    for rows, t in ((1, "float64"), (16, "float32"), (256, "float64")):
        Xt = X.astype(t)
        km = fastmva.KMeans(8, random_state=0, n_init=1).fit(Xt)
        sk = SkKMeans(8, random_state=0, n_init=1).fit(Xt)
        small = Xt[:rows].copy()
        matrix, _ = _lib.as_matrix(small)
        cmatrix, centers = _lib.as_matrix(km.cluster_centers_)
        labels = np.empty(rows, dtype=np.int32)
        labels_p = labels.ctypes.data_as(ctypes.POINTER(ctypes.c_int32))
        inertia = ctypes.c_double()
        raw = _lib.raw.fmva_kmeans_predict
        wall, bare, overhead = paired_per_call(
            lambda: km.predict(small),
            lambda: raw(ctypes.byref(matrix), ctypes.byref(cmatrix), None, 0, labels_p, ctypes.byref(inertia)))
        skt = per_call(lambda: sk.predict(small), calls=200)
        print(f"{rows:>5} {t:>7} | {wall * 1e6:10.2f} {bare * 1e6:9.2f} {overhead * 1e6:11.2f} | "
              f"{skt * 1e6:10.1f}", flush=True)


# -- predict -----------------------------------------------------------------------------------


def section_predict(a):
    shapes = [(10**6, 3, 3), (10**6, 32, 8), (10**6, 256, 3), (10**6, 32, 64)]
    if a.quick:
        shapes = [(200_000, 3, 3), (200_000, 32, 8)]
    print(f"{'':>8} {'':>5} {'':>3} {'':>7} | {'predict':<41} | transform")
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6} "
          f"{'labels equal':>12} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6} {'max rel diff':>12}")
    rng = np.random.default_rng(6)
    for n, d, k in shapes:
        base = rng.standard_normal((n, d))
        for t in ("float32", "float64"):
            X = base.astype(t)
            init = X[rng.choice(n, k, replace=False)]
            ours = fastmva.KMeans(k, init=init, n_init=1, max_iter=1).fit(X)
            theirs = SkKMeans(k, init=init, n_init=1, max_iter=1).fit(X)
            theirs.cluster_centers_ = ours.cluster_centers_.copy()  # the same centers for both
            row = []
            for method in ("predict", "transform"):
                tf, rf = median_time(lambda: getattr(ours, method)(X), a.repeats)
                settle()
                ts, rs = median_time(lambda: getattr(theirs, method)(X), a.repeats)
                settle()
                if method == "predict":
                    agree = f"{np.mean(rf == rs):12.6f}"
                else:
                    agree = f"{np.max(np.abs(rf - rs) / np.maximum(np.abs(rs), 1e-30)):12.2e}"
                row.append(f"{tf * 1e3:10.2f} {ts * 1e3:10.2f} {ratio(ts, tf)} {agree}")
            print(f"{n:>8} {d:>5} {k:>3} {t:>7} | " + " | ".join(row), flush=True)


# -- minibatch ---------------------------------------------------------------------------------


def section_minibatch(a):
    shapes = [(10**6, 32, 8, "float32"), (65536, 256, 64, "float32"), (10**6, 32, 64, "float64")]
    if a.quick:
        shapes = [(200_000, 32, 8, "float32"), (65536, 256, 64, "float32")]
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'sklearn ms':>10} {'ratio':>6} | "
          f"{'steps':>5} {'sk steps':>8} {'inertia ours/sk':>15}")
    for n, d, k, t in shapes:
        X, _ = make_blobs(n, n_features=d, centers=k, cluster_std=4.0, random_state=5)
        X = X.astype(t)
        tf, ours = median_time(lambda: fastmva.MiniBatchKMeans(k, random_state=0).fit(X), a.repeats)
        ts, theirs = median_time(lambda: SkMiniBatchKMeans(k, random_state=0).fit(X), a.repeats)
        print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {tf * 1e3:10.1f} {ts * 1e3:10.1f} {ratio(ts, tf)} | "
              f"{ours.n_steps_:5d} {theirs.n_steps_:8d} {ours.inertia_ / theirs.inertia_:15.4f}", flush=True)


# -- gemm --------------------------------------------------------------------------------------


def section_gemm(a):
    """fastmva's Lloyd iteration at k = 64, d ≥ 256 against the products alone from NumPy's BLAS
    (np.matmul into a preallocated output, BLAS on its default threads), both as GFLOP/s of the
    distances' 2·n·k·d and as a percentage of the row's peak: the best of the probes taken before
    each repeat and after the last. The BLAS figure is what a tuned GEMM of this tall, narrow shape
    (k = 64 columns) reaches on the machine with nothing else to do; the iteration also takes the
    argmin, adds every row into its center's sums and forms the new centers."""
    print(f"{'n':>8} {'d':>5} {'k':>3} {'dtype':>7} | {'fastmva ms':>10} {'GFLOP/s':>8} {'%peak':>6} | "
          f"{'BLAS X·Cᵀ ms':>12} {'GFLOP/s':>8} {'%peak':>6} | {'row peak':>8}")
    with floors.Probe() as probe:
        for n, d, k, t in iter_grid(a.quick):
            if k != 64 or d < 256 or not grid_wanted(a, n, d, t):
                continue
            dt = np.dtype(t)
            why = too_large(a, n, d, dt)
            if why:
                print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {why}")
                continue
            X, rng = grid_rows(n, d, k, dt)
            init = X[rng.choice(n, k, replace=False)].copy()
            ct = np.ascontiguousarray(init.T)
            out = np.empty((n, k), dtype=dt)
            ours, blas, probes = [], [], []
            for _ in range(a.repeats):
                probes.append(probe())
                settle()
                ours.append(fastmva_per_iteration(X, init, a.iters))
                settle()
                blas.append(median_time(lambda: np.matmul(X, ct, out=out), 3)[0])
            probes.append(probe())
            if None in ours:
                print(f"{n:>8} {d:>5} {k:>3} {t:>7} | fastmva converged before --iters")
                continue
            peak = floors.best(probes)["peak_f32_gfs" if t == "float32" else "peak_f64_gfs"]
            flop = 2 * n * k * d / 1e9
            f, b = statistics.median(ours), statistics.median(blas)
            print(f"{n:>8} {d:>5} {k:>3} {t:>7} | {f * 1e3:10.2f} {flop / f:8.1f} {100 * flop / f / peak:6.1f} | "
                  f"{b * 1e3:12.2f} {flop / b:8.1f} {100 * flop / b / peak:6.1f} | {peak:8.0f}", flush=True)
            del X, out


# -- main --------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench kmeans", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller grids")
    ap.add_argument("--sections", default=",".join(s for s in SECTIONS if s != "gemm"),
                    help="comma-separated subset of " + ",".join(SECTIONS))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=6)
    ap.add_argument("--max-gb", type=float, default=None,
                    help="skip iteration rows whose X is larger (default: half the available memory)")
    for dim in ("n", "d", "k"):
        ap.add_argument(f"--{dim}", type=lambda v: {int(x) for x in v.split(",")}, default=None,
                        help=f"iter: only grid rows with these {dim} (comma-separated)")
    ap.add_argument("--dtype", type=lambda v: set(v.split(",")), default=None,
                    help="iter: only grid rows of these dtypes (float32,float64)")
    ap.add_argument("--peers", default="intelex,faiss",
                    help="the optional peers beside scikit-learn (iter, fit, dist), comma-separated, or none")
    a = ap.parse_args(argv)
    wanted = set(a.peers.split(",")) - {"none", ""}
    if wanted - set(peers.NAMES):
        ap.error(f"unknown peers {sorted(wanted - set(peers.NAMES))}; known: {', '.join(peers.NAMES)}")
    a.peers = peers.load(wanted)
    chosen = [s for s in a.sections.split(",") if s]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections {sorted(unknown)}")
    info = fastmva.build_info()
    a.threads = info.get("threads")
    load = os.getloadavg()
    print(f"fastmva {fastmva.__version__} kernels={info['kernels']} threads={info.get('threads')}; "
          f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f}; medians of {a.repeats}")
    for p in a.peers:
        print(f"peer {p.name}: " + (p.reason if isinstance(p, peers.Unavailable) else f"version {p.version}"))
    whole_run = None
    if "iter" in chosen:
        whole_run = floors.measure()
        print(f"measured: DRAM read {whole_run['bandwidth_gbs']:.1f} GB/s, FMA peak {whole_run['peak_f64_gfs']:.0f} "
              f"(f64) / {whole_run['peak_f32_gfs']:.0f} (f32) GFLOP/s on {whole_run['threads']} threads")
    for name in chosen:
        print(f"\n== {name}", flush=True)
        if name == "iter":
            section_iter(a, whole_run)
        else:
            globals()[f"section_{name}"](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
