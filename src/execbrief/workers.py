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
from typing import Any, Callable, TypeVar

T = TypeVar("T")

__all__ = ["MAX_WORKERS", "can_fork", "cpus", "fork_call", "fork_pool"]

MAX_WORKERS = 4


def cpus() -> int:
    """The CPUs this process may run on (its affinity mask, where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is safe and reliable here: Linux, and no other thread running."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def fork_pool(jobs: int, minimum: int) -> tuple[ProcessPoolExecutor | None, int]:
    """(a pool of forked processes, its size) for ``jobs`` pieces of work, or (None, 1) to
    do them here: fewer than ``minimum`` jobs, one CPU, not Linux, or other threads running."""
    workers = min(cpus(), MAX_WORKERS)
    if jobs < minimum or workers < 2 or not can_fork():
        return None, 1
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")), workers


def fork_call(fn: Callable[[], T]) -> Callable[[], T | Exception] | None:
    """Start ``fn()`` in a forked process and return a function that waits for its result
    (or the exception it raised); None when forking is not safe here or there is one CPU.

    Meant for work whose result is small and cheap to pickle: the result crosses a pipe.
    No thread is started in this process (unlike a process pool), so this process may still
    fork afterwards.
    """
    if cpus() < 2 or not can_fork():
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome: Any = fn()
        except Exception as exc:
            outcome = exc
        try:
            sender.send(outcome)
        except Exception as exc:  # (an unpicklable result or exception)
            sender.send(RuntimeError(f"the result could not be sent back: {type(exc).__name__}: {exc}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()  # (this process's copy: the child's end alone stays open)

    def wait() -> T | Exception:
        try:
            return receiver.recv()
        except EOFError:
            process.join()
            return RuntimeError(f"the worker process ended with exit code {process.exitcode} and no result")
        except Exception as exc:  # (a result that pickles but does not unpickle)
            return RuntimeError(f"the result could not be read back: {type(exc).__name__}: {exc}")
        finally:
            receiver.close()
            process.join()

    return wait
