"""The PNGs of ``fastmva cluster``: label map, mean and centroid signals, metric curve, scree plot.

They are drawn from ``s.learning_results`` only (what a saved file holds), with matplotlib's
Agg backend, so they need no display.
"""

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _colors(k):
    import matplotlib

    return [matplotlib.colormaps["viridis"](i / max(k - 1, 1)) for i in range(k)]


def label_map(s, path):
    """The merged labels over the navigation space (an image, or a strip for 1-D navigation)."""
    plt = _pyplot()
    from matplotlib.colors import ListedColormap

    lr = s.learning_results
    k = lr.number_of_clusters
    merged = (np.arange(1, k + 1)[:, None] * lr.cluster_labels).sum(0) - 1  # -1: masked
    shape = s.axes_manager.navigation_shape[::-1]
    image = merged.reshape(shape if len(shape) == 2 else (1, -1))
    width = 5.5 if len(shape) != 2 else min(9.0, max(3.5, 4.2 * shape[1] / shape[0] + 1.3))
    fig, ax = plt.subplots(figsize=(width, 4.5), layout="constrained")
    shown = ax.imshow(np.ma.masked_less(image, 0), cmap=ListedColormap(_colors(k)), vmin=-0.5, vmax=k - 0.5,
                      interpolation="nearest", aspect="auto" if len(shape) != 2 else "equal")
    fig.colorbar(shown, ax=ax, ticks=range(k), label="cluster")
    ax.set_title(f"cluster labels: {s.metadata.General.title} ({k} clusters)")
    ax.set_xlabel("navigation x")
    ax.set_ylabel("navigation y" if len(shape) == 2 else "")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _defined(text):
    return bool(text) and str(text) != "<undefined>"


def cluster_signals(s, path, kind):
    """The mean or centroid signal of every cluster against the centers' signal axis."""
    plt = _pyplot()
    lr = s.learning_results
    if kind == "mean":
        signals = lr.cluster_sum_signals / lr.cluster_labels.sum(1, keepdims=True)
    else:
        signals = lr.cluster_centroid_signals
    signals = signals.reshape(signals.shape[0], -1)
    axis = s.axes_manager.signal_axes[0] if s.axes_manager.signal_dimension == 1 else None
    if axis is not None and axis.size == signals.shape[1]:
        x, xlabel = axis.axis, "channel"
        if _defined(axis.name):
            xlabel = f"{axis.name} ({axis.units})" if _defined(axis.units) else str(axis.name)
    else:
        x, xlabel = np.arange(signals.shape[1]), "channel"
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    sizes = lr.cluster_labels.sum(1)
    for c, (row, color) in enumerate(zip(signals, _colors(len(signals)), strict=True)):
        ax.plot(x, row, color=color, label=f"cluster {c} ({sizes[c]} pixels)")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("intensity")
    what = "mean of the members" if kind == "mean" else "pixel nearest the centroid"
    ax.set_title(f"{kind} signals ({what})")
    ax.legend()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def metric_curve(s, path):
    """HyperSpy's plot_cluster_metric (the curve and the estimate), saved."""
    plt = _pyplot()
    ax = s.plot_cluster_metric()
    lr = s.learning_results
    ax.plot(lr.cluster_metric_index, lr.cluster_metric_data, color="C0")
    ax.set_title(f"{lr.cluster_metric}: estimated {lr.estimated_number_of_clusters} clusters")
    ax.figure.savefig(path, dpi=100)
    plt.close(ax.figure)


def scree(s, path):
    """HyperSpy's explained-variance-ratio (scree) plot of the decomposition, saved."""
    plt = _pyplot()
    ax = s.plot_scree_plot(n=min(50, len(s.learning_results.explained_variance_ratio)))
    ax.figure.savefig(path, dpi=100)
    plt.close(ax.figure)
