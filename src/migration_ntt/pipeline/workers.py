"""Independent pieces of the chain spread over the cores, in worker processes.

Each programme's evaluation, and each group of figures in each language, depends on
nothing the others make. A run opens one :class:`Workers` pool at its start (before the
panel is built, while the process is still small); its worker processes are *forked* from
this one once and then take piece after piece: the demo clean beside the build, the
evaluations beside the hotspots and models, the figures of each result as soon as it
exists. A piece is a function of no argument (a ``functools.partial``): it and what it
returns travel by pickle (a few hundred kilobytes: the panel, a result). Results come back
in the order the pieces were given, so every output is the one a run in a single process
makes.

Workers run at a lower priority than the run itself, whose next step (the models while
the evaluations are computed, say) is what everything else waits for.

How many workers: ``workers=`` where a function takes it, else the ``MIGRATION_NTT_WORKERS``
environment variable, else the cores this process may use. One worker, or a system
without ``fork`` (Windows; macOS, where forking a process that has loaded system
frameworks is unsafe), runs the pieces here, one after another, when their results are
asked for.

Examples
--------
>>> from functools import partial
>>> with Workers(1) as pool:
...     batch = pool.submit([partial(pow, 2, 10), partial(pow, 3, 2)])
...     batch.results()
[1024, 9]
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

WORKERS_ENV = "MIGRATION_NTT_WORKERS"
WORKER_NICENESS = 5


class WorkersError(ValueError):
    """``MIGRATION_NTT_WORKERS`` holds something other than a number of workers."""


def available_workers(workers: int | None = None) -> int:
    """Worker processes to use: ``workers``, else ``MIGRATION_NTT_WORKERS``, else the
    cores this process may run on (at least 1).

    Parameters
    ----------
    workers : int, optional

    Returns
    -------
    int

    Raises
    ------
    WorkersError
        ``MIGRATION_NTT_WORKERS`` is not a whole number of at least 1.
    """
    if workers is not None:
        return max(1, int(workers))
    text = os.environ.get(WORKERS_ENV, "").strip()
    if text:
        if not text.isdigit() or int(text) < 1:
            raise WorkersError(f"{WORKERS_ENV}={text!r}: expected a whole number of at least 1")
        return int(text)
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether pieces can run in forked workers here (Linux)."""
    return sys.platform.startswith("linux")


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


class Batch:
    """Pieces handed to the workers; :meth:`results` collects what they returned."""

    def __init__(self, pieces: Sequence[Callable[[], Any]], futures: list[Future] | None):
        self._pieces = list(pieces)
        self._futures = futures

    def results(self) -> list[Any]:
        """What each piece returned, in the order given (an error of a piece is raised
        here, as if it had run in this process)."""
        if self._futures is None:
            return [piece() for piece in self._pieces]
        try:
            return [future.result() for future in self._futures]
        except BrokenProcessPool as error:
            raise RuntimeError(
                "a worker process died before finishing its piece (out of memory?); "
                f"rerun with {WORKERS_ENV}=1 to run everything in one process"
            ) from error


class Workers:
    """The worker processes of one run (module docstring); use as a context manager or
    call :meth:`shutdown`.

    Parameters
    ----------
    workers : int, optional
        See :func:`available_workers`.
    """

    def __init__(self, workers: int | None = None):
        count = available_workers(workers)
        self.count = count if count > 1 and can_fork() else 1
        self._pool: ProcessPoolExecutor | None = None
        self._forked = False
        if self.count > 1:
            self._pool = ProcessPoolExecutor(
                self.count, mp_context=get_context("fork"), initializer=_lower_priority
            )

    def submit(self, pieces: Sequence[Callable[[], Any]]) -> Batch:
        """Hand ``pieces`` to the workers (with one worker: keep them for
        :meth:`Batch.results`, which runs them here)."""
        if self._pool is None:
            return Batch(pieces, None)
        if not self._forked:
            # The workers are forked at the first piece. What this process holds then is
            # moved out of the garbage collector's reach (``gc.freeze``), so that the
            # collector running in a worker does not touch, and thereby copy, every page
            # it shares with this process.
            gc.freeze()
            self._forked = True
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (numpy's BLAS pool)
            # may deadlock; the workers are forked at the first piece, from the main
            # thread, and take no lock those threads hold.
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            return Batch(pieces, [self._pool.submit(piece) for piece in pieces])

    def shutdown(self) -> None:
        """Let the workers finish and end; what was frozen for them is collectable again
        (a notebook that runs the chain twice would otherwise keep both runs' garbage)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._forked:
            gc.unfreeze()
            self._forked = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.shutdown()
