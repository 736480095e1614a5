"""``fastmva cluster [FILE]``: HyperSpy's cluster analysis of a file, on fastmva.

FILE is anything HyperSpy/RosettaSciIO reads (.hspy, .zspy, .emd, .dm4, ...) or a NumPy .npy
array (loaded without pickles; its last axis is the signal). The run: SVD decomposition (with
--source decomposition), the number-of-clusters search (--n-clusters auto), the cluster
analysis, then DIR/results.hspy (the signal with HyperSpy's learning results), results.npz and
PNGs (labels, mean and centroid signals, metric curve, scree plot).

Without FILE it runs the two examples of HyperSpy's cluster-analysis guide on built-in data and
checks that it finds their numbers of clusters (3 and 2); each writes into DIR/<example>/.
"""

import argparse
import os
import sys

PREPROCESSING = ("none", "standard", "minmax", "norm")


def _n_clusters(value):
    if value == "auto":
        return value
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be 'auto' or a number of clusters, not {value!r}") from None
    if k < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {k}")
    return k


def add_arguments(parser):
    parser.add_argument("file", nargs="?", metavar="FILE", help="data to cluster (default: the built-in examples)")
    parser.add_argument("--n-clusters", type=_n_clusters, default="auto", metavar="auto|K",
                        help="number of clusters, or 'auto' to estimate it (default: auto)")
    parser.add_argument("--source", choices=("signal", "decomposition"), default="decomposition",
                        help="cluster the spectra themselves or their SVD loadings (default: decomposition)")
    parser.add_argument("--components", type=int, default=None, metavar="N",
                        help="SVD components to cluster on (default: HyperSpy's estimate of the significant ones)")
    parser.add_argument("--preprocessing", choices=PREPROCESSING, default="none",
                        help="scaling before clustering (default: none)")
    parser.add_argument("--metric", choices=("gap", "elbow", "silhouette"), default="gap",
                        help="criterion of the number-of-clusters search (default: gap)")
    parser.add_argument("--max-clusters", type=int, default=10, metavar="K", help="largest k searched (default: 10)")
    parser.add_argument("--seed", type=int, default=0, help="random_state of k-means (default: 0)")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="output directory (default: ./fastmva-demo without FILE, else ./fastmva-out)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def load(path):
    """A HyperSpy signal from a file HyperSpy reads, or a .npy array (pickles refused)."""
    import hyperspy.api as hs
    import numpy as np

    if path.lower().endswith(".npy"):
        data = np.load(path, allow_pickle=False)
        if data.ndim < 2:
            raise SystemExit(f"fastmva: {path} holds a {data.ndim}-D array; clustering needs (pixels..., channels)")
        s = hs.signals.Signal1D(data)
    else:
        s = hs.load(path)
        if isinstance(s, list):
            print(f"{path} holds {len(s)} signals; clustering the first: {s[0]}")
            s = s[0]
        if s._lazy:
            s.compute()
    if s.axes_manager.navigation_size < 2:
        raise SystemExit(f"fastmva: {path} has no navigation axes to cluster over ({s})")
    s.metadata.General.title = s.metadata.General.title or os.path.basename(path)
    return s


def _print(summary):
    print(f"{summary['title']}: data {summary['shape']}", end="")
    if "components" in summary:
        print(f", clustered on {summary['components']} SVD components", end="")
    print()
    if "estimated" in summary:
        print(f"  estimated number of clusters: {summary['estimated']}")
    print(f"  clusters: {summary['n_clusters']}, sizes {summary['sizes']}")
    names = ", ".join(os.path.basename(f) for f in summary["files"])
    print(f"  wrote {names} to {os.path.dirname(summary['files'][0])}")


def run(args):
    from . import demo_data, pipeline

    options = dict(n_clusters=args.n_clusters, metric=args.metric, max_clusters=args.max_clusters, seed=args.seed,
                   show_progressbar=not args.no_progress)
    preprocessing = None if args.preprocessing == "none" else args.preprocessing
    if args.file is not None:
        s = load(args.file)
        summary = pipeline.run(s, args.out or "fastmva-out", source=args.source, preprocessing=preprocessing,
                               components=args.components, **options)
        _print(summary)
        return 0
    out = args.out or "fastmva-demo"
    failures = []
    for name, make in demo_data.EXAMPLES.items():
        s, settings = make()
        expected = settings.pop("expected")
        summary = pipeline.run(s, os.path.join(out, name), **settings, **options)
        _print(summary)
        found = summary.get("estimated", summary["n_clusters"])
        print(f"  {name}: found {found} clusters, the guide's answer is {expected}")
        if found != expected:
            failures.append(name)
    if failures:
        print(f"fastmva: the demo did not find the expected number of clusters for {failures}", file=sys.stderr)
        return 1
    return 0
