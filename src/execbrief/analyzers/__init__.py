"""Analyzers turn evidence into facts.

Each rule is a pure function ``(evidence, context) -> list[Fact]`` (or over the facts made
before it): deterministic, no I/O, all arithmetic in Decimal. A rule registers once, with
``base.rule`` (what it reads, the business kinds it serves); ``registered()`` gives them
in the order they run, and a rule's id is its name.
"""

from __future__ import annotations

import gc
from typing import Callable, Sequence

from ..model import Evidence, Fact
from .base import FACTS, AnalysisContext, Narrowing, Reads, Rule, registered, rule

__all__ = ["FACTS", "AnalysisContext", "Narrowing", "Reads", "Rule", "analyze", "registered", "rule"]


def analyze(evidence: Sequence[Evidence], context: AnalysisContext) -> tuple[list[Fact], dict[str, str]]:
    """Run every analyzer; return the fact base (sorted by id) and failures by analyzer.

    One failing analyzer does not stop the others: its error is returned so the run can
    record the failed stage and still deliver what the rest found.
    """
    facts: dict[str, Fact] = {}
    failures: dict[str, str] = {}
    stages: list[tuple[str, Callable[[], list[Fact]]]] = [
        # a rule over facts reads them in the order they were made
        (r.name, lambda r=r: r.run(list(facts.values()) if r.over_facts else evidence, context))
        for r in registered()
    ]
    # Millions of long-lived evidence items and facts: the cyclic GC would rescan them again
    # and again (a third of the analyzers' time at 20,000 notes). Nothing here makes cycles.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for name, run in stages:
            try:
                produced = run()
            except Exception as exc:  # a bug in one rule must not cost the whole run
                failures[name] = f"{type(exc).__name__}: {exc}"
                continue
            for fact in produced:
                facts.setdefault(fact.id, fact)
    finally:
        if gc_was_on:
            gc.enable()
        context.derived.clear()  # it holds the evidence, which the run no longer needs
    return [facts[k] for k in sorted(facts)], failures
