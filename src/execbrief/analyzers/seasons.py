"""A fall in revenue the business's own notes call its season: said so, not a problem.

The ledger says a holiday cottage took £2,325 in October and £550 in November; its bookings
diary says "November is always quiet down here, last year was 3 stays. It's the season, not a
problem." A briefing that leads with "High: revenue fell 76.3%" tells its reader the opposite
of what the owner knows. Where a note of the same business names the month of the fall (or
the off season) as its usual quiet time, the fall stays in the figures, said with the note's
words, and is no finding (same id: it takes the finding's place).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..formatting import month_label
from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of
from .drops import with_falls

__all__ = ["analyze", "parts"]

# a business's usual quiet time: "always quiet", "the usual off season", "it's the season"
# ("November is always our slow month, the tail end of the landscaping season")
_SEASON = re.compile(r"(?i)\b(?:always (?:our |the |a )?(?:quiet|slow|dead)|(?:usual|normal|usually|normally) (?:quiet|slow)|"
                     r"(?:usual |the |our )?(?:off|low|quiet|slow)[- ]season|it'?s the season|seasonal|"
                     r"(?:tail|back) end of (?:the |our )?(?:[a-z]+ )?season|"
                     r"quiet every year|slow every year|every (?:november|december|january|february|winter))\b")
_PROBLEM = re.compile(r"(?i)\b(?:worse than|unlike|not (?:the|our) usual|not seasonal|more than usual)\b")
_MAX_QUOTE = 140


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's revenue falls and the notes of it that speak of a season: only the
    statements of a business with a fall are read (most runs have none, and a fact base holds
    up to a million notes)."""
    falls = with_falls(facts)
    if not falls:
        return {}
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if f.entity in falls and (f.name == "revenue_change" and f.kind == "finding"
                                  or f.kind in ("note", "finding") and _seasonal(f.statement)):
            out.setdefault(f.entity, []).append(f)
    return out


def _seasonal(statement: str) -> bool:
    """Whether a statement speaks of a season. Each of _SEASON's phrases holds one of these
    words, looked for first in the lower-cased statement: over a million notes' statements
    ~0.3 s, where _SEASON alone took ~9."""
    low = statement.lower()
    return ("season" in low or "always" in low or "usual" in low or "normal" in low or "every" in low) \
        and _SEASON.search(statement) is not None


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each revenue fall whose month a note of the business calls its quiet season, said so."""
    out = []
    for fall in facts:
        if fall.name != "revenue_change" or fall.kind != "finding" or not fall.period or (fall.value or 0) >= 0:
            continue
        month = month_label(fall.period[:7]).split()[0].lower()  # "November 2026" → "november"
        said = next((f for f in facts if f.id != fall.id and f.name != "revenue_change" and _SEASON.search(f.statement)
                     and not _PROBLEM.search(f.statement)
                     and (month in f.statement.lower() or re.search(r"(?i)\b(?:off|low)[- ]season\b", f.statement))),
                    None)
        if said is None:
            continue
        words = said.statement.partition(": ")[2] or said.statement
        quote = words if len(words) <= _MAX_QUOTE else words[:_MAX_QUOTE].rsplit(" ", 1)[0] + " …"
        out.append(fact_of(
            id=fall.id, kind="metric", name="revenue_change", entity=fall.entity, period=fall.period,
            value=fall.value, unit=fall.unit,
            statement=f"{fall.statement.rstrip('.')}: its quiet season, as the notes say (\"{quote.rstrip('.')}\").",
            topics=tuple(t for t in fall.topics if t != "risk"), evidence=fall.evidence + (said.id,),
            sources=fall.sources + said.sources,
        ))
    return out
