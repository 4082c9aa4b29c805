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
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator

__all__ = ["bulk_allocation", "pause", "paused", "thaw_at_exit"]


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
