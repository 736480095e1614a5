"""The arrays HyperSpy clusters, read the way HyperSpy 2.5 reads them, without copying.

HyperSpy unfolds a signal source in place, slices the masked pixels and features out of it
(a copy of the data) and folds it back afterwards. Here the unfolded data is handed to fastmva
as a view with the masks beside it: the library skips masked rows and columns itself, so a
large spectrum image is never copied in Python.
"""

import contextlib

import numpy as np

_NEEDS_DECOMPOSITION = (
    "A cluster source has been set to decomposition but no decomposition results found. "
    "Please run decomposition method first"
)
_NEEDS_BSS = (
    "A cluster source has been set to bss  but no blind source separation results found.  "
    "Please run blind source separation method first"
)


def is_signal(obj):
    from hyperspy.misc.utils import is_hyperspy_signal

    return is_hyperspy_signal(obj)


def flat_mask(mask, size, message):
    """HyperSpy's mask (True = not used) as a flat bool array, or None."""
    if mask is None:
        return None
    m = np.asarray(getattr(mask, "data", mask)).ravel().astype(bool)
    if m.size != size:
        raise ValueError(f"{message}: {m.size} values for {size}")
    return m


class _Unfolded:
    """Unfolds signals for the duration of a call and folds back exactly those it unfolded."""

    def __init__(self):
        self.done = []

    def data(self, sig):
        """The (pixels, features) data of a signal: a view when the data allow it."""
        if not sig.metadata._HyperSpy.Folding.unfolded and sig.unfold():
            self.done.append(sig)
        data = sig.data
        if sig.axes_manager.navigation_dimension and sig.axes_manager[0].index_in_array != 0:
            data = data.T  # a transposed signal keeps its signal axis first in memory
        if data.ndim == 1:  # no signal axis (a BaseSignal of scalars): one feature
            data = data[:, None]
        return data

    def fold(self):
        while self.done:
            self.done.pop().fold()


@contextlib.contextmanager
def unfolded():
    u = _Unfolded()
    try:
        yield u
    finally:
        u.fold()


def number_of_components(s, source, number):
    """HyperSpy's default: the significant components of the decomposition."""
    if source in ("decomposition", "bss") and number is None:
        number = s.learning_results.number_significant_components
        if number is None:
            raise ValueError(
                "A cluster source has been set to `decomposition` or `bss` but no decomposition "
                "results are available. Please run a decomposition method first."
            )
    return number


def check_source(s, source):
    """HyperSpy's checks of cluster_source; returns the signal (or the result name)."""
    if isinstance(source, str) and source == "signal":
        return s
    if is_signal(source):
        if source.axes_manager.navigation_size != s.axes_manager.navigation_size:
            raise ValueError("cluster_source does not have the same navigation size as the this signal")
        return source
    if not isinstance(source, str) or source not in ("bss", "decomposition"):
        raise ValueError(
            "cluster source needs to be set to `decomposition` , `signal` , `bss` or a suitable Signal"
        )
    lr = s.learning_results
    if source == "decomposition" and lr.factors is None:
        raise ValueError(_NEEDS_DECOMPOSITION)
    if source == "bss" and lr.bss_factors is None:
        raise ValueError(_NEEDS_BSS)
    return source


def cluster_source(s, source, number, navigation_mask, signal_mask, unfold):
    """(X, nav_mask, sig_mask): the cluster source, unmasked, with HyperSpy's masks beside it.

    The signal mask applies to signal sources only, as in HyperSpy; loadings are cut to
    ``number`` components (default: the significant ones).
    """
    checked = check_source(s, source)
    nav = flat_mask(
        navigation_mask, s.axes_manager.navigation_size, "Navigation mask size does not match signal navigation size"
    )
    if is_signal(checked):
        sig = flat_mask(
            signal_mask,
            checked.axes_manager.signal_size,
            "signal mask size does not match your cluster source signal size",
        )
        return unfold.data(checked), nav, sig
    number = number_of_components(s, checked, number)
    lr = s.learning_results
    loadings = lr.bss_loadings if checked == "bss" else lr.loadings
    return loadings[:, :number], nav, None
