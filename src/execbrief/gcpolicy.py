"""The one owner of the cyclic garbage collector's settings for a run.

Sources and analyzers make millions of long-lived objects (evidence items, ledger columns,
facts) that hold no reference cycles. The cyclic GC has nothing to find in them, yet it
would walk all of them again and again as they are made (a third of the analyzers' time at
20,000 notes). So the stages that allocate in bulk pause it, through this module only:

- ``paused()`` (or ``pause()`` and the function it returns): around one stage (a source's
  read, the analyzers): the collector is off inside and back as it was after, however the
  stages nest;
- ``bulk_allocation()``: around sources and analyzers together (``pipeline.run``): paused,
  and what exists at the end is moved to the permanent generation (``gc.freeze``), which
  later collections skip (else the first collection after it walks everything, ~1 s);
- ``thaw_at_exit()``: around the whole run: the frozen objects go back to the collector at
  the end, so a long-lived process (tests, a scheduler) frees their cycles again.

Objects are still freed by reference counting as ever; only cycles wait for the collector.

The ``execbrief`` command is a process that ends when its run does, and freeing a million
facts one by one, then collecting at exit, cost ~1.5 s of a one-note run at 20,000 notes.
So ``main`` asks for ``exit_unfreed()``: the run keeps its largest objects with
``keep_to_exit`` (the last run's only: an earlier one's in the same process are freed as
ever), and ``end_process`` ends the process after the exit handlers and a flush, without
freeing them. Tests and other callers never ask for it, and keep nothing.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, NoReturn

__all__ = ["bulk_allocation", "end_process", "exit_unfreed", "keep_to_exit", "pause", "paused", "thaw_at_exit"]

_KEPT: list[object] | None = None  # what the process ends with, unfreed (``exit_unfreed``)


def pause() -> Callable[[], None]:
    """Turn the cyclic GC off; the function returned turns it back on if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    return gc.enable if was_on else _nothing


def _nothing() -> None:
    return None


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic GC off inside, and on after only if it was on before (stages nest)."""
    resume = pause()
    try:
        yield
    finally:
        resume()


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """``paused()``, and what exists at the end is kept out of later collections (``gc.freeze``)."""
    with paused():
        try:
            yield
        finally:
            gc.freeze()


@contextmanager
def thaw_at_exit() -> Iterator[None]:
    """On leaving, give what ``bulk_allocation`` froze back to the cyclic GC."""
    try:
        yield
    finally:
        gc.unfreeze()


def exit_unfreed() -> None:
    """Let ``keep_to_exit`` keep what a run made, for ``end_process`` (the command's entry point only)."""
    global _KEPT
    _KEPT = []


def keep_to_exit(*objects: object) -> None:
    """Keep these until the process ends, where ``exit_unfreed`` asked for it (else nothing):
    the last run's objects, in place of any earlier run's."""
    if _KEPT is not None:
        _KEPT[:] = objects


def end_process(code: int) -> NoReturn:
    """End the process with ``code``: the exit handlers run and the streams are flushed, but
    nothing is freed or collected (what ``keep_to_exit`` kept is the operating system's to drop)."""
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # (a closed pipe: what it would have said is lost either way)
            pass
    os._exit(code)
