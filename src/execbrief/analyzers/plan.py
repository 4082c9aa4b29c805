"""Plan: every finding with a remediation becomes a dated action.

The date comes from the finding's severity (critical within a week, high within two,
medium within a month, low within two), counted from the as-of date, so the action plan's
dates are computed facts like any other number in a report.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Sequence

from ..model import Fact, stable_id
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of

__all__ = ["analyze", "DAYS_TO_FIX"]

DAYS_TO_FIX = {"critical": 7, "high": 14, "medium": 30, "low": 60, "info": 90}


@rule(reads=FACTS)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A ``remediation`` action for each finding or gap that says how to fix it."""
    out = []
    for fact in facts:
        if fact.kind not in ("finding", "gap") or not fact.recommendation:
            continue
        severity = fact.severity or "medium"
        due = ctx.as_of + timedelta(days=DAYS_TO_FIX[severity])
        text = fact.recommendation.rstrip(".")
        out.append(fact_of(  # one per finding: tens of thousands in a large workspace
            id=stable_id("f", "remediation", fact.id),
            kind="action", name="remediation", entity=fact.entity, severity=severity, due=due,
            statement=f"By {due.isoformat()}: {text}.",
            recommendation=text, topics=fact.topics,
            evidence=(fact.id,), sources=fact.sources,
        ))
    return out
