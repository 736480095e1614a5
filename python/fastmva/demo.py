"""The reference example: k-means on a small spectrum image, fastmva next to scikit-learn.

1000 spectra of 100 channels from 3 Gaussian blobs (sklearn.datasets.make_blobs) laid out as a
50 x 20 navigation map (data.reshape(50, 20, 100)) are clustered into 3 clusters by fastmva.KMeans
and by sklearn.cluster.KMeans. Prints the cluster sizes, both times (best of --repeat runs after
one warm-up run) and their ratio, and how well the two labelings agree (adjusted Rand index, 1.0 =
the same partition); writes label_map.png (the two label maps side by side) into --out.
"""

import os
import sys
import time

import numpy as np

NAV_SHAPE = (50, 20)
N_FEATURES = 100
N_CLUSTERS = 3


def add_arguments(parser):
    parser.add_argument(
        "--out", default="fastmva-demo", help="directory for label_map.png (default: ./fastmva-demo)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state of the data and of both KMeans")
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed runs of each estimator, the best is shown"
    )


def make_data(seed):
    """The reference data: a (50, 20, 100) spectrum image and its ground-truth labels."""
    from sklearn.datasets import make_blobs

    n = NAV_SHAPE[0] * NAV_SHAPE[1]
    data, truth = make_blobs(
        n_samples=n, n_features=N_FEATURES, centers=N_CLUSTERS, random_state=seed
    )
    return data.reshape(*NAV_SHAPE, N_FEATURES), truth.reshape(NAV_SHAPE)


def _best_time(make_estimator, X, repeat):
    make_estimator().fit(X)  # warm-up: first-call costs (imports, thread pools) are not counted
    best, estimator = float("inf"), None
    for _ in range(max(1, repeat)):
        estimator = make_estimator()
        start = time.perf_counter()
        estimator.fit(X)
        best = min(best, time.perf_counter() - start)
    return best, estimator


def _sizes(labels):
    return ", ".join(f"{c}: {n}" for c, n in zip(*np.unique(labels, return_counts=True), strict=True))


def write_label_map(path, maps):
    """Writes the label maps ((title, 2-D labels) pairs) side by side into a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(maps), figsize=(2.6 * len(maps) + 1.2, 5.2), squeeze=False,
                             layout="constrained")
    for ax, (title, labels) in zip(axes[0], maps, strict=True):
        image = ax.imshow(labels, cmap="viridis", interpolation="nearest",
                          vmin=0, vmax=N_CLUSTERS - 1)
        ax.set_title(title)
        ax.set_xlabel("x (navigation)")
        ax.set_ylabel("y (navigation)")
    fig.colorbar(image, ax=axes[0].tolist(), ticks=range(N_CLUSTERS), label="cluster", shrink=0.8)
    fig.suptitle(f"k-means labels of the {labels.shape[0]} x {labels.shape[1]} navigation map")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def match_labels(reference, labels):
    """Renames the clusters of labels to agree best with reference (for side-by-side maps)."""
    from scipy.optimize import linear_sum_assignment

    overlap = np.zeros((N_CLUSTERS, N_CLUSTERS), dtype=np.int64)
    np.add.at(overlap, (labels, reference), 1)
    rows, cols = linear_sum_assignment(-overlap)
    mapping = np.empty(N_CLUSTERS, dtype=labels.dtype)
    mapping[rows] = cols
    return mapping[labels]


def run(args):
    import sklearn
    from sklearn.cluster import KMeans as SKKMeans
    from sklearn.metrics import adjusted_rand_score

    import fastmva

    data, truth = make_data(args.seed)
    X = data.reshape(-1, N_FEATURES)
    info = fastmva.build_info()
    print(f"fastmva {fastmva.__version__} (kernels: {info.get('kernels')}), "
          f"scikit-learn {sklearn.__version__}")
    print(f"data: {data.shape[0]} x {data.shape[1]} navigation map of {data.shape[2]}-channel "
          f"spectra ({X.shape[0]} x {X.shape[1]} {X.dtype}), k = {N_CLUSTERS}")

    t_fast, fast = _best_time(
        lambda: fastmva.KMeans(N_CLUSTERS, random_state=args.seed), X, args.repeat
    )
    t_sk, sk = _best_time(lambda: SKKMeans(N_CLUSTERS, random_state=args.seed), X, args.repeat)

    print(f"fastmva      cluster sizes {{{_sizes(fast.labels_)}}}  inertia {fast.inertia_:.6g}  "
          f"time {t_fast * 1e3:.3f} ms")
    print(f"scikit-learn cluster sizes {{{_sizes(sk.labels_)}}}  inertia {sk.inertia_:.6g}  "
          f"time {t_sk * 1e3:.3f} ms")
    print(f"speed ratio (scikit-learn time / fastmva time): {t_sk / t_fast:.1f}x "
          f"(best of {max(1, args.repeat)} runs each)")
    ari = adjusted_rand_score(sk.labels_, fast.labels_)
    print(f"labels agreement, adjusted Rand index fastmva vs scikit-learn: {ari:.6f}; "
          f"vs ground truth: {adjusted_rand_score(truth.ravel(), fast.labels_):.6f}")

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "label_map.png")
    try:
        write_label_map(path, [("fastmva", fast.labels_.reshape(NAV_SHAPE)),
                               ("scikit-learn", match_labels(fast.labels_, sk.labels_)
                                .reshape(NAV_SHAPE))])
    except ImportError:
        print("matplotlib is not installed (pip install 'fastmva[plot]'): label_map.png not written",
              file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0
