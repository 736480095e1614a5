"""The optional peers of bench/kmeans, beside scikit-learn: scikit-learn-intelex (oneDAL's k-means
behind scikit-learn's API) and faiss-cpu (faiss.Kmeans), each where it installs. ``./build.sh bench``
tries to install both at the versions in constraints.txt and goes on without the ones that fail;
the run's header then says which peer is not installed, and its columns are left out.

Each peer gives what the sections need, from the same data and the same explicit init:

- ``per_iteration(X, init, iters, threads)``: seconds per Lloyd iteration over iterations 3 … 2 + iters,
  or None when the peer cannot run the row (faiss: float32 only) or stopped before (converged);
- faiss's ``nearest_seconds(X, C, threads)``: the time of the exact nearest center of every row
  (bench's dist section);
- where ``fits``, ``fit(X, init, threads)``: a whole fit with the peer's own stopping rule, as
  ``(seconds, (n_iter, inertia))`` (faiss runs a fixed number of iterations and has no
  convergence test: no fit).

How each is timed, and why:

- faiss records, per iteration, the seconds since training began (``iteration_stats[i]["time"]``):
  its per-iteration time is the span from the end of iteration 2 to the end of the last, over
  the iterations, the clock fastmva's progress callback gives it. faiss never stops early. Its
  training sample is made the whole of X (``max_points_per_centroid``), so every row is assigned,
  as in Lloyd's algorithm.
- oneDAL gives no per-iteration clock: its time per iteration is the difference of two runs of
  its Lloyd (daal4py.kmeans, the algorithm scikit-learn-intelex's KMeans calls: the same centers
  after 8 iterations, bit for bit, in a check), max_iter = 2 + iters and 2, tol = 0, over iters,
  after one warm-up run; "-" where it stopped before max_iter. Through scikit-learn-intelex's
  KMeans the two fits each validate X and the difference came out at a tenth of an iteration on
  some rows (10⁶×32, k = 8, float32: 1.5 ms against 22–29 ms through daal4py); a one-iteration
  call costs about twice an iteration (47 against 25 ms there), fixed costs included.

Both run on ``threads`` threads: faiss's OpenMP (faiss.omp_set_num_threads) and oneDAL's TBB
(daal4py.daalinit, which scikit-learn-intelex installs). faiss runs in a process of its own
(Faiss): in the bench's process its wheel's OpenBLAS, built on OpenMP with the same libgomp as
scikit-learn's, slowed scikit-learn's own OpenMP code.
"""

import atexit
import multiprocessing
import os
import time
import weakref
from multiprocessing import shared_memory

import numpy as np


class Unavailable:
    """A peer that did not import: why, for the tables."""

    def __init__(self, name, reason):
        self.name, self.reason = name, reason


class Intelex:
    name = "intelex"
    fits = True

    def __init__(self):
        from sklearnex.cluster import KMeans  # noqa: PLC0415  (optional)

        import daal4py  # noqa: PLC0415  (comes with scikit-learn-intelex)

        self._kmeans, self._daal = KMeans, daal4py
        self.version = _version("scikit-learn-intelex")
        self._warm = set()

    def _lloyd(self, X, init, max_iter, threads):
        """Seconds and iterations run of oneDAL's Lloyd from init, max_iter iterations, tol = 0,
        called through daal4py (no scikit-learn validation or copy around it)."""
        self._daal.daalinit(threads)
        fptype = "float" if X.dtype == np.float32 else "double"
        algo = self._daal.kmeans(nClusters=init.shape[0], maxIterations=max_iter, accuracyThreshold=0.0,
                                 fptype=fptype)
        t = time.perf_counter()
        result = algo.compute(X, init)
        return time.perf_counter() - t, int(result.nIterations[0][0])

    def per_iteration(self, X, init, iters, threads):
        X, init = np.ascontiguousarray(X), np.ascontiguousarray(init, dtype=X.dtype)
        key = (X.shape, X.dtype.str, init.shape[0])
        if key not in self._warm:  # oneDAL's first call on a shape pays for its setup
            self._lloyd(X, init, 2, threads)
            self._warm.add(key)
        short, _ = self._lloyd(X, init, 2, threads)
        long, ran = self._lloyd(X, init, 2 + iters, threads)
        if ran != 2 + iters:
            return None
        return max(long - short, 0.0) / iters

    def fit(self, X, init, threads):
        """scikit-learn-intelex's whole KMeans(algorithm="lloyd") fit with scikit-learn's defaults
        (max_iter 300, tol 1e-4)."""
        self._daal.daalinit(threads)
        t = time.perf_counter()
        model = self._kmeans(init.shape[0], init=init, n_init=1, algorithm="lloyd").fit(X)
        return time.perf_counter() - t, (model.n_iter_, float(model.inertia_))


class Faiss:
    """faiss-cpu, run in a child process of its own. Loaded into the bench's process, its wheel's
    OpenMP build slowed scikit-learn's OpenMP code there, which made every ratio against
    scikit-learn too kind to fastmva. Measured in one process with and without faiss (session 17):
    pairwise_distances_argmin_min on 10⁶×32 against 64 centers took 316–331 ms against 168–176,
    and scikit-learn's Lloyd iteration at 10⁶×32, k = 8 float32 14.3 against 12.3 ms. The child
    gets X through shared memory (copied once per row, outside the timing), times faiss itself
    and sends back the seconds; its OpenMP threads sleep when idle (OMP_WAIT_POLICY=passive), so
    they take no core from the next measurement, which settle() could not see in another
    process."""

    name = "faiss"
    fits = False  # a fixed number of iterations, no convergence test: no whole fit to compare

    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_faiss_worker, args=(child,), daemon=True)
        self._proc.start()
        ok, value = self._conn.recv()
        if not ok:
            self._proc.join()
            raise ImportError(value)
        self.version = value
        self._shm, self._shared = None, None
        atexit.register(self._close)

    def _share(self, X):
        """X's shared-memory copy: made once for each X (the rows are timed repeat after repeat)
        and dropped, here and in the child, as soon as X is (a 4 GB copy kept past its row took
        the memory the next rows are sized by)."""
        if self._shared is None or self._shared() is not X:
            self._drop()
            self._shm = shared_memory.SharedMemory(create=True, size=max(1, X.nbytes))
            np.ndarray(X.shape, X.dtype, buffer=self._shm.buf)[...] = X
            self._shared = weakref.ref(X)
            weakref.finalize(X, self._drop, self._shm.name)
        return self._shm.name, X.shape, X.dtype.str

    def _drop(self, name=None):
        """Drops the shared copy (only if it is still the one named, when a name is given)."""
        if self._shm is not None and name in (None, self._shm.name):
            if self._proc.is_alive():
                self._ask("drop", self._shm.name, None, None, None, 0, 0)
            self._shm.close()
            self._shm.unlink()
            self._shm, self._shared = None, None

    def _close(self):
        self._drop()
        if self._proc.is_alive():
            self._conn.send(None)
            self._proc.join(timeout=10)

    def _ask(self, *request):
        self._conn.send(request)
        ok, value = self._conn.recv()
        if not ok:
            raise RuntimeError(f"faiss's process: {value}")
        return value

    def per_iteration(self, X, init, iters, threads):
        if X.dtype != np.float32:
            return None  # faiss's k-means is float32 only
        return self._ask("iter", *self._share(X), np.ascontiguousarray(init), iters, threads)

    def nearest_seconds(self, X, C, threads):
        """Seconds of faiss's exact nearest center of every row (faiss.knn, k = 1: squared
        distances and indices, argmin_min's job)."""
        return self._ask("knn", *self._share(X), np.ascontiguousarray(C), 0, threads)


def _faiss_worker(conn):
    """The child's loop: imports faiss (or says why not), then answers Faiss._ask's requests on the
    rows in the shared memory it names, until it gets None."""
    os.environ["OMP_WAIT_POLICY"] = "passive"  # read by OpenMP when faiss loads it
    try:
        import faiss  # noqa: PLC0415  (optional)
    except ImportError as e:
        conn.send((False, f"not installed ({e.name or e})"))
        return
    conn.send((True, faiss.__version__))
    shm = None
    while (request := conn.recv()) is not None:
        kind, name, shape, dtype, other, iters, threads = request
        if kind == "drop":
            if shm is not None and shm.name == name:
                shm.close()
                shm = None
            conn.send((True, None))
            continue
        try:
            if shm is None or shm.name != name:
                if shm is not None:
                    shm.close()
                shm = shared_memory.SharedMemory(name=name)
            X = np.ndarray(shape, np.dtype(dtype), buffer=shm.buf)
            faiss.omp_set_num_threads(threads)
            if kind == "knn":
                t = time.perf_counter()
                faiss.knn(X, other, 1)
                conn.send((True, time.perf_counter() - t))
                continue
            n, d = X.shape
            km = faiss.Kmeans(d, other.shape[0], niter=2 + iters, max_points_per_centroid=n, verbose=False)
            km.train(X, init_centroids=other)
            stamps = [s["time"] for s in km.iteration_stats]
            conn.send((True, None if len(stamps) != 2 + iters else (stamps[-1] - stamps[1]) / iters))
        except Exception as e:  # noqa: BLE001  (reported to the bench, which stops on it)
            conn.send((False, f"{type(e).__name__}: {e}"))
        finally:
            X = None  # noqa: F841  (no view of the buffer may outlive it)


def _version(dist):
    from importlib.metadata import version  # noqa: PLC0415

    return version(dist)


NAMES = ("intelex", "faiss")


def load(wanted):
    """The peers named in wanted (a subset of NAMES), each a peer object or an Unavailable saying
    why not."""
    out = []
    for name, make in zip(NAMES, (Intelex, Faiss)):
        if name not in wanted:
            continue
        try:
            out.append(make())
        except ImportError as e:
            out.append(Unavailable(name, f"not installed ({e.name or e})"))
    return out


def installed(peers):
    """The peers that imported."""
    return [p for p in peers if not isinstance(p, Unavailable)]


def header(peers):
    """The iter table's peer columns: each installed peer's ms and scikit-learn-style ratio."""
    return "".join(f" | {p.name + ' ms':>10} {'ratio':>6}" for p in installed(peers))


def cells(peers, times, fastmva_secs, ratio):
    """The peer columns of one row: ms per iteration (or why not) and peer time / fastmva time."""
    out = ""
    for p in installed(peers):
        secs = times.get(p.name)
        shown = f"{secs * 1e3:10.2f}" if secs else f"{'-':>10}"
        out += f" | {shown} {ratio(secs, fastmva_secs)}"
    return out

