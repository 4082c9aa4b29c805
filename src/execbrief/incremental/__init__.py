"""Incremental analysis: the facts of unchanged inputs are reused, not computed again.

Every analyzer is a pure function of the evidence it reads (its ``Rule.reads``) and of
the analysis context, so its facts can be kept under a key made of digests of exactly
those, and of the code. A later run with the same key takes the kept facts and never
builds the evidence behind them:

- a per-note analyzer (operations) keeps its facts note by note, under the note's part key
  (content hash, path, mtime, current flag): one edited note costs one note's work;
- any other analyzer keeps its facts under the digest of its view: for notes, a digest
  of each note's items in the view (an edit outside a note's tables leaves the table rules'
  key as it was); for eager sources, a digest of their items;
- ``kpis`` and ``plan`` read the facts, and always run.

The result is the fact base ``analyzers.analyze`` gives for all the evidence, fact for
fact: ``tests/test_incremental.py`` holds it to that, cold, warm and after edits.

Kept facts live in ``<workspace>/.execbrief/cache/analysis.sqlite``. If that cannot be
opened or written, the run still analyses everything, uncached.

The package: ``memo`` (the kept facts), ``keys`` (the digests they are kept under),
``jobs`` (notes built, here or in worker processes) and ``run`` (``IncrementalRun``, one
analysis, whose methods are its steps).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..analyzers import AnalysisContext
from ..gcpolicy import bulk_allocation, thaw_at_exit
from ..model import Fact
from ..sources import SourceResult
from .keys import code_digest
from .keys import items_digest as _digest  # (what a view's digest reads of its items; tests use it)
from .memo import Memo
from .run import IncrementalRun, IncrementalStats

__all__ = ["IncrementalRun", "IncrementalStats", "analyze_incremental", "bulk_allocation", "code_digest",
           "thaw_at_exit"]


def analyze_incremental(
    results: Sequence[SourceResult], context: AnalysisContext, *, cache: Path | None, settings_digest: str = "",
) -> tuple[list[Fact], dict[str, str], IncrementalStats]:
    """``analyzers.analyze`` over the sources' evidence and parts, reusing kept facts.

    ``results`` are the sources' results in the order a run collects them; ``cache`` the
    memo's file (None: keep nothing); ``settings_digest`` what else the evidence depends
    on (the sources' and entities' configuration).
    """
    memo = Memo(cache)
    try:
        run = IncrementalRun(results, context, memo, settings_digest)
        facts, failures = run.analyze()
    finally:
        memo.close()
    return facts, failures, run.stats
