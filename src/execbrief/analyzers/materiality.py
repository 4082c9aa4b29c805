"""A problem whose money is a crumb of its business's revenue is no high one.

"The Patels cancelled their biweekly clean on Thursday and we refunded the $130 visit" reads,
word by word, as a high problem ("cancelled"): a CFO of a cleaning company that takes $10,800 a
month would strike the "High". Where the ledger gives a business's revenue, a problem its notes
tell that is high by its words alone, whose only money is under ``SHARE`` of a month's revenue (the
group's, for a problem of no one business),
is medium (same id: it takes the finding's place). A problem of security, compliance or safety
keeps its severity whatever it costs: a leaked key or a lapsed licence is no matter of money; so
does one that counts something besides its sums ("complaints rising: 3 in September, 7 in
October, 12 in November … refunded $180"), whose stake is more than the sum it names.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Sequence

from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of
from .ledger_rows import month_seq

__all__ = ["SHARE", "analyze", "parts"]

SHARE = Decimal("0.02")  # of a month's revenue: below it, a sum is no high matter
# what is high whatever it costs
_KEEP = frozenset({"security", "compliance", "licensing", "tech"})


# the sums of money, the days and the references a statement names (a ticket "SAL-49", an
# invoice "#1043", a booking "4240051183"); a figure left besides them counts something else
_MONEY_OR_DAY = re.compile(r"(?:[$£€]|\b(?:USD|GBP|EUR) ?)\d[\d,]*(?:\.\d+)?(?:\s?[kK]\b)?(?:/mo(?:nth)?\b)?"
                           r"|\b[A-Z]{2,10}-\d+\b|#\d+\b|\b\d{6,}\b"
                           r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
                           r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
                           r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b", re.IGNORECASE)
_COUNT = re.compile(r"\d")


def _months(period: str | None) -> int:
    """How many months a ``2026-09..2026-11`` span holds (one for a single month)."""
    first, _, last = (period or "").partition("..")
    return len(month_seq(first[:7], last[:7])) if last else 1


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's revenue over the ledger's months, and its notes' high problems that state
    a sum of money: only those (most facts are neither). The group's ("" : a problem of no one
    business, "Booking.com still haven't credited the £41.40") are weighed against the group's."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if f.name == "revenue_total" or (f.name == "risk" and f.severity == "high" and f.value is not None
                                         and f.unit is not None and len(f.unit) == 3):
            out.setdefault(f.entity or "", []).append(f)
    return {entity: found for entity, found in out.items() if any(f.name == "revenue_total" for f in found)}


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each high problem of a business whose money is under ``SHARE`` of its monthly revenue, medium."""
    total = next((f for f in facts if f.name == "revenue_total"), None)
    if total is None or not total.value or total.value <= 0:
        return []
    monthly = total.value / _months(total.period)
    out = []
    for f in facts:
        if f.name != "risk" or f.severity != "high" or f.value is None or f.unit != total.unit:
            continue
        if abs(f.value) >= SHARE * monthly or not _KEEP.isdisjoint(f.topics) or f.due is not None and f.due < ctx.as_of:
            continue
        if _COUNT.search(_MONEY_OR_DAY.sub(" ", f.statement)):
            continue  # ("complaints rising: 3 in September, 7 in October, 12 in November … refunded $180"): what
            # counts is more than the sum it names
        out.append(fact_of(
            id=f.id, kind=f.kind, name=f.name, entity=f.entity, severity="medium", due=f.due, period=f.period,
            value=f.value, unit=f.unit, statement=f.statement, recommendation=f.recommendation,
            topics=f.topics, evidence=f.evidence + (total.id,), sources=f.sources,
        ))
    return out
