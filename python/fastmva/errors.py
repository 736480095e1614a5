"""Exceptions raised by fastmva.

Every failed call into libfastmva raises a subclass of :class:`FastMVAError` chosen from the status
code the C function returned (see include/fastmva.h); the message is the library's own
(``fmva_last_error()``), which names the bad argument or carries the text of an internal panic.
The classes also derive from the matching built-in exception where one exists, so code written for
scikit-learn (``except ValueError``) keeps working.
"""

__all__ = [
    "FastMVAError",
    "InvalidArgument",
    "OutOfMemory",
    "CallbackError",
    "Cancelled",
    "InternalError",
    "ForkedError",
    "STATUS_NAMES",
]

# Status codes of include/fastmva.h (codes below 100 are stable).
FMVA_OK = 0
FMVA_EINVAL = 1
FMVA_ENOMEM = 2
FMVA_ECALLBACK = 3
FMVA_ECANCELLED = 4
FMVA_EINTERNAL = 5
FMVA_EFORKED = 6

STATUS_NAMES = {
    FMVA_OK: "FMVA_OK",
    FMVA_EINVAL: "FMVA_EINVAL",
    FMVA_ENOMEM: "FMVA_ENOMEM",
    FMVA_ECALLBACK: "FMVA_ECALLBACK",
    FMVA_ECANCELLED: "FMVA_ECANCELLED",
    FMVA_EINTERNAL: "FMVA_EINTERNAL",
    FMVA_EFORKED: "FMVA_EFORKED",
}


class FastMVAError(Exception):
    """Base class of the errors reported by libfastmva.

    ``status`` is the C status code (an ``FMVA_E*`` value) when the error came from the library.
    """

    status = None

    def __init__(self, message="", status=None):
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgument(FastMVAError, ValueError):
    """An argument was rejected by the library (FMVA_EINVAL)."""

    status = FMVA_EINVAL


class OutOfMemory(FastMVAError, MemoryError):
    """The work would need more memory than is available or allowed (FMVA_ENOMEM)."""

    status = FMVA_ENOMEM


class CallbackError(FastMVAError):
    """A user callback reported a failure (FMVA_ECALLBACK)."""

    status = FMVA_ECALLBACK


class Cancelled(FastMVAError):
    """A progress callback asked the library to stop (FMVA_ECANCELLED)."""

    status = FMVA_ECANCELLED


class InternalError(FastMVAError):
    """A bug inside the library: a recovered Go panic, whose text is in the message (FMVA_EINTERNAL)."""

    status = FMVA_EINTERNAL


class ForkedError(FastMVAError, RuntimeError):
    """fastmva was called in a child process forked after the library was loaded (FMVA_EFORKED).

    The Go runtime inside libfastmva does not survive ``fork()``. Start worker processes with the
    multiprocessing start methods "spawn" or "forkserver" (``multiprocessing.get_context("spawn")``,
    ``concurrent.futures.ProcessPoolExecutor(mp_context=...)``), or load fastmva only in the workers.
    """

    status = FMVA_EFORKED


_BY_STATUS = {
    cls.status: cls
    for cls in (InvalidArgument, OutOfMemory, CallbackError, Cancelled, InternalError, ForkedError)
}


def exception_for_status(status, message):
    """Returns the exception instance for a non-zero status code and message."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        return FastMVAError(
            f"libfastmva returned unknown status {status}: {message}", status=status
        )
    return cls(message, status=status)
