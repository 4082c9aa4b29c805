"""Work spread over forked worker processes, where forking is safe.

Worker processes are forked, not spawned: "spawn" would re-import the caller's
``__main__``, which a script without an ``if __name__ == "__main__"`` guard cannot survive,
and a forked worker starts with what its parent had already built. Forking is safe only
while no other thread runs (one might hold a lock the child then waits on forever) and
is reliable on Linux; anywhere else, and for small jobs, the work is done in the caller.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

__all__ = ["MAX_WORKERS", "fork_pool"]

MAX_WORKERS = 4


def fork_pool(jobs: int, minimum: int) -> tuple[ProcessPoolExecutor | None, int]:
    """(a pool of forked processes, its size) for ``jobs`` pieces of work, or (None, 1) to
    do them here: fewer than ``minimum`` jobs, one CPU, not Linux, or other threads running."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    can_fork = sys.platform.startswith("linux") and threading.active_count() == 1
    if jobs < minimum or workers < 2 or not can_fork:
        return None, 1
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")), workers
