"""The optional peers of bench/kmeans, beside scikit-learn: scikit-learn-intelex (oneDAL's k-means
behind scikit-learn's API) and faiss-cpu (faiss.Kmeans), each where it installs. ``./build.sh bench``
tries to install both at the versions in constraints.txt and goes on without the ones that fail;
the tables then say "not installed".

Each peer gives what the sections need, from the same data and the same explicit init:

- ``per_iteration(X, init, iters, threads)``: seconds per Lloyd iteration over iterations 3 … 2 + iters,
  or None when the peer cannot run the row (faiss: float32 only) or stopped before (converged);
- faiss's ``nearest(X, C, threads)``: the exact nearest center of every row (bench's dist section);
- ``fit(X, init, threads)``: a whole fit with the peer's own stopping rule, as
  ``(n_iter, inertia)``, or None when the peer has no such fit (faiss runs a fixed number of
  iterations and has no convergence test).

How each is timed, and why:

- faiss records, per iteration, the seconds since training began (``iteration_stats[i]["time"]``):
  its per-iteration time is the span from the end of iteration 2 to the end of the last, over
  the iterations, the clock fastmva's progress callback gives it. faiss never stops early. Its
  training sample is made the whole of X (``max_points_per_centroid``), so every row is assigned,
  as in Lloyd's algorithm.
- oneDAL gives no per-iteration clock: its time per iteration is the difference of two fits,
  with max_iter = 2 + iters and 2, over iters (tol = 0), after one warm-up fit; where it stopped
  before max_iter the row says converged. The fits' fixed costs (validation, a copy of X) cancel
  only on average, so this figure is noisier than the others.

Both run on ``threads`` threads: faiss's OpenMP (faiss.omp_set_num_threads) and oneDAL's TBB
(daal4py.daalinit, which scikit-learn-intelex installs).
"""

import time

import numpy as np


class Unavailable:
    """A peer that did not import: why, for the tables."""

    def __init__(self, name, reason):
        self.name, self.reason = name, reason


class Intelex:
    name = "intelex"

    def __init__(self):
        from sklearnex.cluster import KMeans  # noqa: PLC0415  (optional)

        import daal4py  # noqa: PLC0415  (comes with scikit-learn-intelex)

        self._kmeans, self._daal = KMeans, daal4py
        self.version = _version("scikit-learn-intelex")
        self._warm = set()

    def _fit(self, X, init, max_iter, tol, threads):
        self._daal.daalinit(threads)
        t = time.perf_counter()
        model = self._kmeans(init.shape[0], init=init, n_init=1, max_iter=max_iter, tol=tol,
                             algorithm="lloyd").fit(X)
        return time.perf_counter() - t, model

    def per_iteration(self, X, init, iters, threads):
        key = (X.shape, X.dtype.str, init.shape[0])
        if key not in self._warm:  # oneDAL's first fit of a shape pays for its setup
            self._fit(X, init, 2, 0.0, threads)
            self._warm.add(key)
        short, _ = self._fit(X, init, 2, 0.0, threads)
        long, model = self._fit(X, init, 2 + iters, 0.0, threads)
        if model.n_iter_ != 2 + iters:
            return None
        return max(long - short, 0.0) / iters

    def fit(self, X, init, threads):
        secs, model = self._fit(X, init, 300, 1e-4, threads)
        return secs, (model.n_iter_, float(model.inertia_))


class Faiss:
    name = "faiss"

    def __init__(self):
        import faiss  # noqa: PLC0415  (optional)

        self._faiss = faiss
        self.version = faiss.__version__

    def per_iteration(self, X, init, iters, threads):
        if X.dtype != np.float32:
            return None  # faiss's k-means is float32 only
        faiss = self._faiss
        faiss.omp_set_num_threads(threads)
        n, d = X.shape
        km = faiss.Kmeans(d, init.shape[0], niter=2 + iters, max_points_per_centroid=n, verbose=False)
        km.train(np.ascontiguousarray(X), init_centroids=np.ascontiguousarray(init, dtype=np.float32))
        stamps = [s["time"] for s in km.iteration_stats]
        if len(stamps) != 2 + iters:
            return None
        return (stamps[-1] - stamps[1]) / iters

    def nearest(self, X, C, threads):
        """faiss's exact nearest center of every row (faiss.knn with k = 1): squared distances and
        indices, argmin_min's job."""
        self._faiss.omp_set_num_threads(threads)
        return self._faiss.knn(X, C, 1)

    def fit(self, X, init, threads):
        return None  # a fixed number of iterations, no convergence test: no whole fit to compare


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


def header(peers):
    """The iter table's peer columns: each installed peer's ms and scikit-learn-style ratio."""
    return "".join(f" | {p.name + ' ms':>10} {'ratio':>6}" for p in peers if not isinstance(p, Unavailable))


def cells(peers, times, fastmva_secs, ratio):
    """The peer columns of one row: ms per iteration (or why not) and peer time / fastmva time."""
    out = ""
    for p in peers:
        if isinstance(p, Unavailable):
            continue
        secs = times.get(p.name)
        shown = f"{secs * 1e3:10.2f}" if secs else f"{'-':>10}"
        out += f" | {shown} {ratio(secs, fastmva_secs)}"
    return out
