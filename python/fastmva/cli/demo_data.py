"""The two examples of HyperSpy's cluster-analysis guide, as built-in demo data.

1. "blobs": 1000 spectra of 100 channels from 3 Gaussian blobs (make_blobs, random_state=1,
   not shuffled) on a 50 x 20 map; clustered on 3 SVD components -> 3 clusters.
2. "two-gaussians": a 64 x 64 map of 1000-channel spectra (0-2 eV), each the sum of two
   Gaussian peaks (FWHM 0.2 and 0.3 eV) whose centres differ by quadrant — the first at 0.4 eV
   in the top half and 0.8 eV in the bottom half, the second at 0.5x the first in the left half
   and 2x in the right half — with 0.01 eV of noise on every centre. Clustered on the stacked
   peak positions, normalised ("norm": only their ratio matters) -> 2 clusters, with the
   spectrum image as the source of the cluster signals.

The guide builds example 2 with a HyperSpy model (GaussianHF components); that needs every
parameter's ``is_set`` map in HyperSpy 2.5 and takes seconds, so the same spectra are computed
here with NumPy: height * exp(-4 ln 2 (E - centre)² / fwhm²), height 1, GaussianHF's formula.
"""

import numpy as np


def blobs():
    """Example 1: (signal, settings)."""
    import hyperspy.api as hs
    from sklearn.datasets import make_blobs

    data = make_blobs(n_samples=1000, n_features=100, centers=3, shuffle=False, random_state=1)[0]
    s = hs.signals.Signal1D(data.reshape(50, 20, 100))
    s.metadata.General.title = "blobs"
    return s, dict(source="decomposition", components=3, preprocessing=None, expected=3)


def _gaussian_hf(energy, centre, fwhm):
    return np.exp(-4 * np.log(2) * (energy - centre[..., None]) ** 2 / fwhm**2)


def two_gaussians(seed=0, size=64, channels=1000):
    """Example 2: (signal, settings with the peak-position stack as cluster source)."""
    import hyperspy.api as hs

    rng = np.random.default_rng(seed)
    half = size // 2
    first = np.empty((size, size))
    first[:half, :], first[half:, :] = 0.3 + 0.1, 0.7 + 0.1
    second = np.empty((size, size))
    second[:, half:] = first[:, half:] * 2
    second[:, :half] = first[:, :half] * 0.5
    first += rng.normal(size=(size, size)) * 0.01
    second += rng.normal(size=(size, size)) * 0.01
    scale = 2e-3
    energy = np.arange(channels) * scale
    s = hs.signals.Signal1D(_gaussian_hf(energy, first, 0.2) + _gaussian_hf(energy, second, 0.3))
    axis = s.axes_manager.signal_axes[0]
    axis.scale, axis.units, axis.name = scale, "eV", "energy"
    s.metadata.General.title = "two Gaussian peaks"
    maps = []
    for name, centre in (("GaussianHF", first), ("GaussianHF_0", second)):
        m = hs.signals.Signal2D(centre)
        m.metadata.General.title = f"centre parameter of {name} component"
        maps.append(m)
    stack = hs.stack(maps, show_progressbar=False).T  # navigation 64 x 64, signal: the two centres, as in the guide
    return s, dict(source=stack, source_for_centers=s, preprocessing="norm", expected=2)


EXAMPLES = {"blobs": blobs, "two-gaussians": two_gaussians}
