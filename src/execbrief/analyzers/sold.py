"""A business the ledger shows sold: the notes' words of its sale are what happened, not risks.

Brennan Bikes' ledger has a "Sale of business" row of $14,000 on 31 October and nothing after
(``finance.sold``); its handover note says "Sold to Swiftcycle Couriers, completed 31 October
… Onfleet, the garage and the insurance were cancelled from 10/31" and "From 1 November Bikes
does not trade: no deliveries, no riders, no costs". Read as any business's lines, a cancelled
insurance is a high risk and "no deliveries" a medium one: a briefing would warn its reader of
the sale they made. Where the ledger shows the business sold, a problem its notes tell in words
of the sale or the closing, written in the month of the sale or after, is a note of what
happened (same id: it takes the finding's place). What the sale leaves to do stays: an open
task ("the LLC still has to be dissolved"), a problem that does not speak of the sale.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of

__all__ = ["analyze", "parts"]

# the sale or the closing, in the notes' words: "sold to Swiftcycle", "completed 31 October",
# "does not trade", "nothing left to run", "closed down", "wound up", "handed back the keys"
_WOUND_DOWN = re.compile(
    r"(?i)\b(?:sold(?! out)|sale (?:of|to|completed)|completion|(?:does not|doesn't|no longer|not) trad(?:e|es|ing)|"
    r"ceased trading|stopped trading|closed (?:down|for good)|wound (?:up|down)|winding (?:up|down)|"
    r"nothing (?:left )?to run|handed (?:back|over)|went (?:over )?(?:to|with) the (?:buyer|sale))\b")
# what the sale leaves owing or open: still a problem
_STILL = re.compile(r"(?i)\b(?:owes?|owing|unpaid|overdue|not (?:yet )?paid|hasn't paid|dispute|still (?:has|have|need|to))\b")


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each sold business's sale and its problems from the notes: only a sold business's
    statements are read (most runs have none)."""
    sold = {f.entity for f in facts if f.name == "business_sold" and f.entity is not None}
    if not sold:
        return {}
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if f.entity in sold and (f.name == "business_sold" or f.kind == "finding" and f.name == "risk"):
            out.setdefault(f.entity, []).append(f)
    return out


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each problem a sold business's notes tell in words of its sale, from the sale's month
    on, as a note."""
    sale = next((f for f in facts if f.name == "business_sold"), None)
    if sale is None or not sale.period:
        return []
    out = []
    for f in facts:
        if f.name != "risk" or f.kind != "finding" or not f.period or f.period[:7] < sale.period[:7]:
            continue
        if not _WOUND_DOWN.search(f.statement) or _STILL.search(f.statement):
            continue
        out.append(fact_of(
            id=f.id, kind="note", name="after_the_sale", entity=f.entity, period=f.period,
            value=f.value, unit=f.unit, statement=f.statement,
            topics=tuple(t for t in f.topics if t != "risk"), evidence=f.evidence + (sale.id,),
            sources=f.sources + sale.sources,
        ))
    return out
