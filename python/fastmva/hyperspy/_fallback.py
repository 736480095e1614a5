"""HyperSpy's own methods, kept before enable() replaces them, and the rule of when to use them.

fastmva runs k-means cluster analysis on in-memory NumPy data. Everything else — the other
scikit-learn algorithms, lazy (dask) signals, sparse or GPU arrays, keyword arguments that
fastmva's k-means does not know — goes to HyperSpy's own code with a one-line notice, so
enabling fastmva never takes a feature away.
"""

import os
import sys
import warnings

import numpy as np
from hyperspy.learn._mva import MVA

from ..cluster_analysis import _KMEANS_KWARGS

# Recorded when this module is first imported, i.e. before enable() can have run.
ORIGINAL = {name: MVA.__dict__[name] for name in ("cluster_analysis", "estimate_number_of_clusters", "decomposition")}


class FallbackWarning(UserWarning):
    """fastmva handed a call to HyperSpy's own implementation."""


_HERE = os.path.dirname(os.path.abspath(__file__))


def notice(what, reason):
    """The one-line notice, attributed to the user's line (the first frame outside this package)."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _HERE:
        frame, level = frame.f_back, level + 1
    warnings.warn(f"fastmva: {what} with {reason} runs on HyperSpy's own code", FallbackWarning, stacklevel=level)


def _data_reason(sig):
    if getattr(sig, "_lazy", False):
        return "a lazy signal"
    data = sig.data
    if not isinstance(data, np.ndarray):
        return f"{type(data).__module__}.{type(data).__name__} data"
    if data.dtype.kind not in "biuf":
        return f"{data.dtype} data"
    return None


def unsupported(s, sources, algorithm, kwargs, estimate):
    """Why fastmva cannot run this call (a short phrase), or None when it can."""
    from ._source import is_signal

    for sig in [s] + [x for x in sources if is_signal(x)]:
        reason = _data_reason(sig)
        if reason:
            return reason
    if isinstance(algorithm, str) and algorithm != "kmeans":
        return f"algorithm={algorithm!r}"
    if estimate and not (algorithm is None or algorithm == "kmeans"):
        return f"algorithm={type(algorithm).__name__}"
    if algorithm is None or algorithm == "kmeans":
        unknown = set(kwargs) - _KMEANS_KWARGS - ({"n_clusters"} if not estimate else set())
        if unknown:
            return f"the k-means options {sorted(unknown)}"
    return None
