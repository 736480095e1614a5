"""One cluster-analysis run: decomposition -> number of clusters -> cluster analysis -> files.

Everything runs through fastmva.hyperspy, so the results in the written .hspy are HyperSpy's
own (a HyperSpy without fastmva loads and plots them).
"""

import os
import warnings

import numpy as np

from . import plots


def _notices(caught):
    """Prints fastmva's fallback notices as one plain line each."""
    import fastmva.hyperspy as fh

    for w in caught:
        if issubclass(w.category, fh.FallbackWarning):
            print(f"  note: {w.message}")


def _decompose(s):
    """HyperSpy's SVD decomposition, on fastmva's SVD when this fastmva has one (the hook)."""
    import fastmva.hyperspy as fh

    was = fh.is_enabled()
    fh.enable()
    try:
        s.decomposition(print_info=False)
    finally:
        if not was:
            fh.disable()


def run(s, out, *, source="decomposition", source_for_centers=None, n_clusters="auto", preprocessing=None,
        components=None, metric="gap", max_clusters=10, seed=0, show_progressbar=True):
    """Runs the pipeline on signal s, writes into out; returns a summary dict."""
    import fastmva.hyperspy as fh

    os.makedirs(out, exist_ok=True)
    title = s.metadata.General.title or "signal"
    summary = {"title": title, "shape": s.data.shape}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", fh.FallbackWarning)
        if isinstance(source, str) and source == "decomposition":
            _decompose(s)
            if components is None:
                components = s.learning_results.number_significant_components
            summary["components"] = components
        common = dict(preprocessing=preprocessing, number_of_components=components, random_state=seed)
        if n_clusters == "auto":
            best = fh.estimate_number_of_clusters(s, source, max_clusters=max_clusters, metric=metric,
                                                  show_progressbar=show_progressbar, **common)
            n_clusters = best[0] if isinstance(best, list) else int(best)
            summary["estimated"] = n_clusters
        fh.cluster_analysis(s, source, source_for_centers=source_for_centers, n_clusters=int(n_clusters),
                            show_progressbar=show_progressbar, **common)
    _notices(caught)
    summary["n_clusters"] = int(n_clusters)
    summary["sizes"] = s.learning_results.cluster_labels.sum(1).tolist()
    summary["files"] = _write(s, out)
    return summary


def _write(s, out):
    lr = s.learning_results
    files = []

    def path(name):
        files.append(os.path.join(out, name))
        return files[-1]

    s.save(path("results.hspy"), overwrite=True)
    arrays = {
        "labels": ((np.arange(1, lr.number_of_clusters + 1)[:, None] * lr.cluster_labels).sum(0) - 1).reshape(
            s.axes_manager.navigation_shape[::-1]
        ),
        "cluster_labels": lr.cluster_labels,
        "cluster_distances": lr.cluster_distances,
        "cluster_sum_signals": lr.cluster_sum_signals,
        "cluster_mean_signals": lr.cluster_sum_signals / lr.cluster_labels.sum(1, keepdims=True),
        "cluster_centroid_signals": lr.cluster_centroid_signals,
        "cluster_centroids": lr.cluster_centroids,
    }
    if lr.cluster_metric_data is not None:
        arrays.update(cluster_metric_index=np.asarray(lr.cluster_metric_index),
                      cluster_metric_data=np.asarray(lr.cluster_metric_data),
                      estimated_number_of_clusters=np.asarray(lr.estimated_number_of_clusters))
    if lr.explained_variance_ratio is not None:
        arrays["explained_variance_ratio"] = lr.explained_variance_ratio
    np.savez(path("results.npz"), **arrays)
    plots.label_map(s, path("labels.png"))
    plots.cluster_signals(s, path("signals_mean.png"), "mean")
    plots.cluster_signals(s, path("signals_centroid.png"), "centroid")
    if lr.cluster_metric_data is not None:
        plots.metric_curve(s, path("metric.png"))
    if lr.explained_variance_ratio is not None:
        plots.scree(s, path("scree.png"))
    return files
