"""KPIs the notes state again: the latest statement stands, the earlier ones are history.

A weekly review states the bank balance every Friday ("Friday balance $20,373", then
"$18,379", then "$15,190", then "Combined balance after the November 30 draws is $18,030");
each is a stated metric of cash balance (``operations.stated_kpis``). A briefing that shows
all four, ranked by amount, tells its reader an old balance first. For each KPI in money of a
business (a balance, a rent roll, an MRR: what something stands at) stated on more than one
day, the latest statement stays the metric; each earlier one becomes a note of what it was
then (same id: it takes the metric's place), which no KPI section shows, nor the CFO's and
accounting officer's notes of money (``exclude_names``). A rate stated month
after month (occupancy 66%, 58%, 38%) is a series, each month its own, and stays so.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of

__all__ = ["analyze", "parts"]

_STATED = "(stated in "  # what a stated metric's statement says of where (operations.stated_kpis)


def _stated(f: Fact, currency: str) -> bool:
    return f.kind == "metric" and f.unit == currency and _STATED in f.statement


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's dated metrics in money that the notes state, with the metrics of the same
    name computed for it (the ledger's cash on the as-of date): the group's under "". An edit in
    one business's notes re-reads its part only."""
    out: dict[str, list[Fact]] = {}
    computed: list[Fact] = []
    for f in facts:
        if f.kind != "metric" or not f.unit or len(f.unit) != 3:
            continue
        if _STATED in f.statement:  # (undated too: "stated in notes/recap.md:21", a note with no date)
            out.setdefault(f.entity or "", []).append(f)
        elif f.period is not None:
            computed.append(f)
    stated = {(f.name, f.entity) for part in out.values() for f in part}
    for f in computed:
        if (f.name, f.entity) in stated:
            out[f.entity or ""].append(f)
    return out


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A note of what each earlier statement of a KPI said, where a later day states it again
    (or the ledger gives it, as of a later day)."""
    latest: dict[tuple[str, str | None, str | None], str] = {}
    for f in facts:
        if f.kind == "metric" and f.unit == ctx.currency and f.period:
            key, day = (f.name, f.entity, f.subject), f.period[:10]
            if day > latest.get(key, ""):
                latest[key] = day
    # (a statement no day dates is older than any that one does: the ledger's cash on the as-of date
    # replaces "Group cash balance: $52,000 (stated in notes/2025-season-recap.md:21)")
    return [_earlier(f) for f in facts
            if _stated(f, ctx.currency) and (f.period or "")[:10] < latest.get((f.name, f.entity, f.subject), "")]


def _earlier(f: Fact) -> Fact:
    return fact_of(
        id=f.id, kind="note", name="stated_before", entity=f.entity, subject=f.subject,
        value=f.value, unit=f.unit, period=f.period,
        statement=f"{f.statement.rstrip('.')}; a later figure replaces it.",
        topics=tuple(t for t in f.topics if t != "kpi"), evidence=f.evidence, sources=f.sources,
    )
