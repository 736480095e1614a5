"""HyperSpy's cluster_analysis and estimate_number_of_clusters on fastmva (HyperSpy 2.5 semantics).

Each function takes the signal first and HyperSpy's arguments after it, and leaves in
``s.learning_results`` what HyperSpy leaves there: the same attribute names, Python types,
NumPy dtypes, shapes and row order, so a file saved from either loads and plots in the other.
"""

import importlib

import numpy as np

from ._fallback import ORIGINAL, notice, unsupported
from ._source import check_source, cluster_source as _cluster_source, is_signal, unfolded

# The module: fastmva.cluster_analysis, the package attribute, is the function of that name.
_numpy_api = importlib.import_module("fastmva.cluster_analysis")


def _show(show_progressbar):
    if show_progressbar is None:
        from hyperspy.defaults_parser import preferences

        return bool(preferences.General.show_progressbar)
    return bool(show_progressbar)


def _sum_dtype(dtype):
    """The dtype np.sum gives for an array of dtype (HyperSpy sums the members in it)."""
    return np.sum(np.zeros((1, 1), dtype), axis=0).dtype


def _scaled_dtype(dtype, preprocessing):
    """The dtype of HyperSpy's cluster centroids: the mean of the preprocessed data."""
    if preprocessing is not None and not (isinstance(preprocessing, str) and dtype in (np.float32, np.float64)):
        dtype = np.float64  # scikit-learn's scalers turn other inputs into float64
    return np.mean(np.zeros((1, 1), dtype), axis=0).dtype


def _centers(s, source_for_centers, number_of_components, unfold, X):
    """(centers array or None for X itself, factors or None) as HyperSpy 2.5 picks them.

    With "decomposition" or "bss" the signals are rebuilt from the *decomposition* loadings and
    factors (HyperSpy 2.5 does so for "bss" too), cut to ``number_of_components`` as given — all
    components when it is None, whatever the cluster source used.
    """
    if isinstance(source_for_centers, str) and source_for_centers in ("decomposition", "bss"):
        lr = s.learning_results
        return lr.loadings[:, :number_of_components], lr.factors[:, :number_of_components]
    data = unfold.data(check_source(s, source_for_centers))
    return (None if _same_view(data, X) else data), None


def _same_view(a, b):
    """a and b view the same memory the same way (the cluster source is its own centers' source)."""
    ia, ib = a.__array_interface__, b.__array_interface__
    return a.dtype == b.dtype and all(ia[k] == ib[k] for k in ("data", "shape", "strides"))


def _info(r, nav, kwargs):
    """What return_info gives: a fitted fastmva.KMeans (rows numbered as cluster_labels)."""
    from .. import KMeans

    options = {key: kwargs[key] for key in ("n_init", "max_iter", "tol", "random_state", "init") if key in kwargs}
    km = KMeans(n_clusters=r.number_of_clusters, **options)
    km.labels_ = r.labels if nav is None else r.labels[~nav]
    km.cluster_centers_ = r.cluster_centroids
    km.inertia_, km.n_iter_ = r.inertia, r.n_iter
    km.n_features_in_ = r.cluster_centroids.shape[1]
    return km


def cluster_analysis(
    s,
    cluster_source,
    source_for_centers=None,
    preprocessing=None,
    preprocessing_kwargs=None,
    number_of_components=None,
    navigation_mask=None,
    signal_mask=None,
    algorithm=None,
    return_info=False,
    show_progressbar=None,
    **kwargs,
):
    """``s.cluster_analysis(...)`` on fastmva; HyperSpy's arguments and results.

    Differences from HyperSpy 2.5 are listed in docs/hyperspy-differences.md. ``show_progressbar``
    (default: HyperSpy's preference) draws a bar of the Lloyd iterations of fits that last
    more than a second; Ctrl-C stops the fit and raises KeyboardInterrupt.
    """
    if source_for_centers is None:
        source_for_centers = cluster_source
    reason = unsupported(s, [cluster_source, source_for_centers], algorithm, kwargs, estimate=False)
    if reason:
        notice("cluster_analysis", reason)
        return ORIGINAL["cluster_analysis"](
            s, cluster_source, source_for_centers, preprocessing, preprocessing_kwargs,
            number_of_components, navigation_mask, signal_mask, algorithm, return_info, **kwargs,
        )
    target = {}
    try:
        with unfolded() as unfold:
            X, nav, sig = _cluster_source(s, cluster_source, number_of_components, navigation_mask, signal_mask, unfold)
            centers, factors = _centers(s, source_for_centers, number_of_components, unfold, X)
            n_clusters = kwargs.pop("n_clusters", 8)  # scikit-learn KMeans' default, as in HyperSpy
            r = _numpy_api.cluster_analysis(
                X, n_clusters, preprocessing, preprocessing_kwargs,
                algorithm=algorithm, source_for_centers=centers,
                navigation_mask=nav, signal_mask=sig, label_order="hyperspy",
                show_progressbar=_show(show_progressbar), **kwargs,
            )
            rows = X if centers is None else centers
            if factors is None:
                sums = r.cluster_sum_signals.astype(_sum_dtype(rows.dtype))
                centroids = rows[r.centroid_pixels]
            else:
                dtype = np.result_type(rows.dtype, factors.dtype)
                sums = (r.cluster_sum_signals @ factors.T).astype(dtype)
                centroids = rows[r.centroid_pixels] @ factors.T
        target.update(
            cluster_labels=r.cluster_labels,
            cluster_algorithm=algorithm,
            number_of_clusters=int(r.number_of_clusters),
            cluster_sum_signals=sums,
            cluster_centroid_signals=centroids,
            cluster_distances=r.cluster_distances,
            cluster_centroids=r.cluster_centroids.astype(_scaled_dtype(X.dtype, preprocessing)),
        )
    finally:
        s.learning_results.__dict__.update(target)
    if not return_info:
        return None
    return algorithm if hasattr(algorithm, "fit") else _info(r, nav, kwargs)


def estimate_number_of_clusters(
    s,
    cluster_source,
    max_clusters=10,
    preprocessing=None,
    preprocessing_kwargs=None,
    number_of_components=None,
    navigation_mask=None,
    signal_mask=None,
    algorithm=None,
    metric="gap",
    n_ref=4,
    show_progressbar=None,
    **kwargs,
):
    """``s.estimate_number_of_clusters(...)`` on fastmva; HyperSpy's arguments and results.

    One native call fits every k (and the gap references) in O(n·d) memory — HyperSpy builds
    an n_c × n_c distance matrix per cluster. The choice rules, the straight-line gap reference
    and n_init=1 for the gap metric are HyperSpy's. Returns the estimate, an int (a list of
    candidates for the silhouette metric, as in HyperSpy).
    """
    if max_clusters < 2:
        raise ValueError("The max number of clusters, max_clusters, must be specified and be >= 2.")
    reason = unsupported(s, [cluster_source], algorithm, kwargs, estimate=True)
    if reason:
        notice("estimate_number_of_clusters", reason)
        return ORIGINAL["estimate_number_of_clusters"](
            s, cluster_source, max_clusters, preprocessing, preprocessing_kwargs, number_of_components,
            navigation_mask, signal_mask, algorithm, metric, n_ref, show_progressbar, **kwargs,
        )
    if metric == "gap":
        kwargs["n_init"] = 1  # HyperSpy: one start per fit, so the references' spread is k-means'
    target = {}
    try:
        with unfolded() as unfold:
            X, nav, sig = _cluster_source(s, cluster_source, number_of_components, navigation_mask, signal_mask, unfold)
            r = _numpy_api.estimate_number_of_clusters(
                X, max_clusters, metric, n_ref, preprocessing, preprocessing_kwargs,
                navigation_mask=nav, signal_mask=sig, gap_reference="line", hyperspy_rules=True,
                show_progressbar=_show(show_progressbar), **kwargs,
            )
        if metric == "silhouette":
            data, best = [float(v) for v in r.cluster_metric_data], list(r.candidates)
        else:  # HyperSpy adds np.min(k_range) to the position: a NumPy integer
            data, best = r.cluster_metric_data, np.int64(r.estimated_number_of_clusters)
        target.update(
            cluster_metric_index=list(r.cluster_metric_index),
            cluster_metric_data=data,
            cluster_metric=metric,
            estimated_number_of_clusters=best,
        )
    finally:
        s.learning_results.__dict__.update(target)
    return best


__all__ = ["cluster_analysis", "estimate_number_of_clusters", "is_signal"]
