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


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's findings and gaps that say how to fix them (the group's under ""): an
    action is made from its finding alone, or from its business's KPI gaps, so an edit in one
    business's notes plans its part again only."""
    out: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.recommendation and fact.kind in ("finding", "gap"):
            out.setdefault(fact.entity or "", []).append(fact)
    return out


@rule(reads=FACTS, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A ``remediation`` action for each finding or gap that says how to fix it (run business
    by business: ``parts``)."""
    out = []
    untracked: dict[tuple[str | None, str], list[Fact]] = {}  # (business, severity) → its KPI gaps
    for fact in facts:
        if fact.kind not in ("finding", "gap") or not fact.recommendation:
            continue
        if fact.name == "missing_kpi" and fact.recommendation.startswith(_TRACK):
            untracked.setdefault((fact.entity, fact.severity or "medium"), []).append(fact)
            continue
        severity = fact.severity or "medium"
        due = ctx.as_of + timedelta(days=DAYS_TO_FIX[severity])
        if fact.due is not None and ctx.as_of <= fact.due < due:
            due = fact.due  # "send Sandra the figures by 15/12": by its own date, if sooner
        text = fact.recommendation.rstrip(".")
        out.append(fact_of(  # one per finding: tens of thousands in a large workspace
            id=stable_id("f", "remediation", fact.id),
            kind="action", name="remediation", entity=fact.entity, severity=severity, due=due,
            statement=f"By {due.isoformat()}: {text}.",
            recommendation=text, topics=fact.topics,
            evidence=(fact.id,), sources=fact.sources,
        ))
    for (entity, severity), gaps in untracked.items():
        out.append(_track(entity, severity, gaps, ctx))
    return out


_TRACK = ("Ask whoever runs ", "Name someone to track ")


def _track(entity: str | None, severity: str, gaps: list[Fact], ctx: AnalysisContext) -> Fact:
    """One action for the KPIs a business does not track ("Ask whoever runs Oak Court to track
    its arrears, rent roll and occupancy rate"), not one a KPI: a plan is for decisions."""
    due = ctx.as_of + timedelta(days=DAYS_TO_FIX[severity])
    heads, tails = set(), []
    for gap in sorted(gaps, key=lambda g: g.recommendation or ""):
        text = (gap.recommendation or "").rstrip(".")
        cut = text.find(" track its ") + len(" track its ") if " track its " in text else text.find(" track ") + len(" track ")
        heads.add(text[:cut])
        tails.append(text[cut:])
    if len(heads) != 1 or len(tails) == 1:
        text = (gaps[0].recommendation or "").rstrip(".") if len(gaps) == 1 else "; ".join(
            (g.recommendation or "").rstrip(".") for g in gaps)
    else:
        text = next(iter(heads)) + ", ".join(tails[:-1]) + " and " + tails[-1]
    ids = tuple(g.id for g in gaps)
    return fact_of(
        id=stable_id("f", "remediation", *ids) if len(ids) > 1 else stable_id("f", "remediation", ids[0]),
        kind="action", name="remediation", entity=entity, severity=severity, due=due,
        statement=f"By {due.isoformat()}: {text}.",
        recommendation=text, topics=tuple(sorted({t for g in gaps for t in g.topics})),
        evidence=ids, sources=tuple(dict.fromkeys(s for g in gaps for s in g.sources)),
    )
