"""HyperSpy on fastmva: ``s.cluster_analysis``, ``s.estimate_number_of_clusters`` (and SVD
``s.decomposition``, once fastmva has ``svd_pca``) with HyperSpy's arguments and results.

Two ways to use it::

    import fastmva.hyperspy as fh
    fh.cluster_analysis(s, "decomposition", n_clusters=3)       # one call
    fh.enable()                                                 # every signal, until disable()
    s.estimate_number_of_clusters("signal", metric="gap")

Results go to ``s.learning_results`` exactly as HyperSpy 2.5 leaves them — plain NumPy arrays
and Python values, HyperSpy's row order and dtypes — so a file saved after a fastmva run loads
and plots in a HyperSpy without fastmva. Calls fastmva cannot run (other clustering
algorithms, lazy signals, sparse or GPU data, unknown k-means options) go to HyperSpy's own
code with a one-line :class:`FallbackWarning`. Where HyperSpy's results differ on purpose,
docs/hyperspy-differences.md says how.

Supported HyperSpy: 2.x, tested with 2.5.0 (the version pinned in constraints.txt); enable()
refuses other major versions, whose MVA methods may differ.
"""

import numpy as np

try:
    import hyperspy
    from hyperspy.learn._mva import MVA
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("fastmva.hyperspy needs HyperSpy: pip install 'fastmva[hyperspy]'") from exc

from ._cluster import cluster_analysis, estimate_number_of_clusters
from ._fallback import ORIGINAL, FallbackWarning, notice

__all__ = [
    "cluster_analysis",
    "estimate_number_of_clusters",
    "enable",
    "disable",
    "is_enabled",
    "FallbackWarning",
    "SUPPORTED_HYPERSPY",
    "TESTED_HYPERSPY",
]

SUPPORTED_HYPERSPY = "2.x"
TESTED_HYPERSPY = ("2.5.0",)

_enabled = False
_original_svd_pca = None


def _check_version():
    major = hyperspy.__version__.split(".")[0]
    if major != "2":
        raise RuntimeError(
            f"fastmva.hyperspy supports HyperSpy {SUPPORTED_HYPERSPY} (tested: {', '.join(TESTED_HYPERSPY)}); "
            f"this is HyperSpy {hyperspy.__version__}"
        )


# --------------------------------------------------------------------------------------------
# SVD decomposition hook. HyperSpy's decomposition calls hyperspy.learn.svd_pca(data_,
# svd_solver=..., output_dimension=..., centre=..., auto_transpose=..., **kwargs) and expects
# (factors, loadings, explained_variance, mean); it does the masks, the Poisson normalisation
# and the explained-variance ratio itself. While enabled, that function is replaced by
# _svd_pca_hook, which calls fastmva.svd_pca with the same arguments when this fastmva has it
# (the svd work) and HyperSpy's own svd_pca otherwise.


def _svd_pca_backend():
    """fastmva.svd_pca, or None while this fastmva has no SVD."""
    import fastmva

    return getattr(fastmva, "svd_pca", None)


def _svd_pca_hook(data, *args, **kwargs):
    fast = _svd_pca_backend()
    if fast is None or not isinstance(data, np.ndarray):
        return _original_svd_pca(data, *args, **kwargs)
    return fast(data, *args, **kwargs)


def _decomposition(self, *args, **kwargs):
    algorithm = kwargs.get("algorithm", args[1] if len(args) > 1 else "SVD")
    if algorithm != "SVD":
        notice("decomposition", f"algorithm={algorithm!r}")
    elif _svd_pca_backend() is None:
        notice("decomposition", "algorithm='SVD' (this fastmva has no svd_pca yet)")
    return ORIGINAL["decomposition"](self, *args, **kwargs)


# --------------------------------------------------------------------------------------------
# enable / disable


def _cluster_analysis_method(self, cluster_source, *args, **kwargs):
    return cluster_analysis(self, cluster_source, *args, **kwargs)


def _estimate_method(self, cluster_source, *args, **kwargs):
    return estimate_number_of_clusters(self, cluster_source, *args, **kwargs)


_cluster_analysis_method.__doc__ = ORIGINAL["cluster_analysis"].__doc__
_estimate_method.__doc__ = ORIGINAL["estimate_number_of_clusters"].__doc__
_decomposition.__doc__ = ORIGINAL["decomposition"].__doc__


def enable():
    """Makes every signal's cluster_analysis, estimate_number_of_clusters and decomposition
    run on fastmva (HyperSpy-compatible mode) until :func:`disable`. Idempotent."""
    global _enabled, _original_svd_pca
    _check_version()
    if _enabled:
        return
    import hyperspy.learn

    _original_svd_pca = hyperspy.learn.svd_pca
    hyperspy.learn.svd_pca = _svd_pca_hook
    MVA.cluster_analysis = _cluster_analysis_method
    MVA.estimate_number_of_clusters = _estimate_method
    MVA.decomposition = _decomposition
    _enabled = True


def disable():
    """Gives HyperSpy its own methods back. Idempotent."""
    global _enabled
    if not _enabled:
        return
    import hyperspy.learn

    hyperspy.learn.svd_pca = _original_svd_pca
    for name, method in ORIGINAL.items():
        setattr(MVA, name, method)
    _enabled = False


def is_enabled():
    return _enabled
