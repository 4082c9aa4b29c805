"""Analyzers turn evidence into facts.

Each rule is a pure function ``(evidence, context) -> list[Fact]`` (or over the facts made
before it): deterministic, no I/O, all arithmetic in Decimal. A rule registers once, with
``base.rule`` (what it reads, the business kinds it serves); ``registered()`` gives them
in the order they run, and a rule's id is its name.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Evidence, Fact, FactBase
from .base import FACTS, AnalysisContext, Narrowing, Reads, Rule, registered, rule
from .runner import run_rules

__all__ = ["FACTS", "AnalysisContext", "Narrowing", "Reads", "Rule", "analyze", "registered", "rule", "run_rules"]


def analyze(evidence: Sequence[Evidence], context: AnalysisContext) -> tuple[list[Fact], dict[str, str]]:
    """Run every analyzer; return the fact base (sorted by id) and failures by analyzer.

    One failing analyzer does not stop the others: its error is returned so the run can
    record the failed stage and still deliver what the rest found.
    """
    facts, failures = run_rules(registered(), lambda r: r.run(evidence, context), context)
    return FactBase(facts), failures
