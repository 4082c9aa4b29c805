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
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Generic, Iterator, Sequence, TypeVar

J = TypeVar("J")
T = TypeVar("T")

__all__ = ["MAX_WORKERS", "ForkMap", "can_fork", "cpus", "fork_call"]

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


def _fork_pool() -> tuple[ProcessPoolExecutor | None, int]:
    """(a pool of forked processes, its size), or (None, 1) where forking is not safe or
    there is one CPU."""
    workers = min(cpus(), MAX_WORKERS)
    if workers < 2 or not can_fork():
        return None, 1
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")), workers


class ForkMap(Generic[J, T]):
    """``map(fn, jobs)`` in forked worker processes when ``parallel`` (the caller judges the
    work worth it) and forking is safe here, else here; results in order either way.

    The jobs are submitted as soon as it is made, so the workers are forked then (before the
    caller starts threads of its own). A worker that is killed (out of memory, say) costs
    speed, not results: the jobs not yet done are done here, by ``here`` (default ``fn``).
    A result from a worker goes through ``received`` first (a result crossing processes may
    travel in a plainer form than one made here). ``workers``: the processes doing the
    work, 1 once it is done here. Use it as a context manager, so the pool always closes.
    """

    def __init__(self, fn: Callable[[J], Any], jobs: Sequence[J], *, parallel: bool, chunksize: int = 1,
                 here: Callable[[J], T] | None = None, received: Callable[[Any], T] | None = None) -> None:
        self.jobs, self.here = jobs, here or fn
        self.received = received or (lambda result: result)
        self.pool, self.workers = _fork_pool() if parallel and jobs else (None, 1)
        self.results = None if self.pool is None else self.pool.map(fn, jobs, chunksize=chunksize)

    def __iter__(self) -> Iterator[T]:
        done = 0
        if self.results is not None:
            try:
                for result in self.results:
                    done += 1
                    yield self.received(result)
                return
            except BrokenProcessPool:  # a worker was killed: the rest is done here
                self.workers = 1
        yield from map(self.here, self.jobs[done:])

    def __enter__(self) -> "ForkMap[J, T]":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


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
