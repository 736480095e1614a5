"""fastmva: fast multivariate analysis (k-means, SVD/PCA, ...) on a Go core with SIMD kernels.

The native library libfastmva is loaded once, when this package is imported; its version must
equal the package's. Estimators follow scikit-learn's API and keep their fitted state as NumPy
arrays (pickle, clone and joblib work).

The Go runtime inside the library does not survive ``fork()``: in a child process forked after
the import every call raises :class:`fastmva.errors.ForkedError`. Use multiprocessing's "spawn" or
"forkserver" start methods for worker processes.
"""

from . import errors
from ._lib import build_info, set_memory_limit
from ._distances import euclidean_distances, pairwise_distances_argmin_min
from ._kmeans import KMeans
from ._minibatch import MiniBatchKMeans
from ._decomposition import svd, svd_pca
from ._pca import PCA, TruncatedSVD
from .cluster_analysis import cluster_analysis, estimate_number_of_clusters
from ._version import __version__
from .errors import (
    Cancelled,
    CallbackError,
    FastMVAError,
    ForkedError,
    InternalError,
    InvalidArgument,
    OutOfMemory,
)

__all__ = [
    "KMeans",
    "MiniBatchKMeans",
    "euclidean_distances",
    "pairwise_distances_argmin_min",
    "PCA",
    "TruncatedSVD",
    "svd",
    "svd_pca",
    "cluster_analysis",
    "estimate_number_of_clusters",
    "build_info",
    "set_memory_limit",
    "errors",
    "FastMVAError",
    "InvalidArgument",
    "OutOfMemory",
    "CallbackError",
    "Cancelled",
    "InternalError",
    "ForkedError",
    "__version__",
]
