"""tqdm progress bars driven by the library's progress callback.

The native calls report ``(done, total)`` from the calling thread between units of work (fits of
the number-of-clusters search, Lloyd iterations of a fit). :func:`progress_callback` turns that
into a tqdm bar and chains the caller's own callback, so one callback both draws and cancels.
The bar never cancels: Ctrl-C does, through :class:`fastmva._lib.Progress`.
"""

import contextlib
import time


class _Bar:
    """A tqdm bar created at the first report (the total is known only then)."""

    def __init__(self, desc, unit, delay):
        self.desc, self.unit, self.delay = desc, unit, delay
        self.bar = None
        self.start = time.monotonic()

    def __call__(self, done, total):
        if self.bar is None:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=self.desc, unit=self.unit, delay=self.delay, leave=True)
        self.bar.update(done - self.bar.n)

    def close(self, finished):
        if self.bar is None:
            return
        if finished and time.monotonic() - self.start >= self.delay:
            # A fit that converges early never reaches its iteration budget: show it as done
            # (only when the bar is on screen: refresh() would draw a bar still delayed).
            self.bar.total = self.bar.n
            self.bar.refresh()
        self.bar.close()


def _tqdm_available():
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def progress_callback(show, user=None, desc=None, unit="it", delay=0.0):
    """Yields the ``progress(done, total)`` callable of one native call.

    show : draw a tqdm bar (silently skipped when tqdm is not installed).
    user : the caller's own callback, called first; its truthy return still cancels.
    delay : seconds before the bar appears (short fits stay quiet).
    """
    bar = _Bar(desc, unit, delay) if show and _tqdm_available() else None
    if bar is None:
        yield user
        return

    def report(done, total):
        stop = user(done, total) if user is not None else False
        bar(done, total)
        return stop

    finished = False
    try:
        yield report
        finished = True
    finally:
        bar.close(finished)
