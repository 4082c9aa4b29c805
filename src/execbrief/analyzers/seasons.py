"""A fall in revenue the business's own notes call its season, or a closing on purpose: said
so, not a problem.

The ledger says a holiday cottage took £2,325 in October and £550 in November; its bookings
diary says "November is always quiet down here, last year was 3 stays. It's the season, not a
problem." A briefing that leads with "High: revenue fell 76.3%" tells its reader the opposite
of what the owner knows. Where a note of the same business names the month of the fall (or
the off season) as its usual quiet time, the fall stays in the figures, said with the note's
words, and is no finding (same id: it takes the finding's place).

So with a business shut on purpose: "The Boathouse is shut from 2 Nov to 15 Dec for the new
kitchen and shower room", and the ledger shows no revenue in November and its running costs.
Where a note of the business says it is shut or closed for a time (from, until, over, for
its refit) and names the month (or two months around it), that month's fall and loss are
what the closing does, said so, not shortfalls to fix.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..formatting import month_label
from ..model import Fact
from .base import FACTS, AnalysisContext, rule
from .build import fact as fact_of
from .drops import with_falls
from ..sources.values import months_named

__all__ = ["analyze", "parts"]

# a business's usual quiet time: "always quiet", "the usual off season", "it's the season"
# ("November is always our slow month, the tail end of the landscaping season")
_SEASON = re.compile(r"(?i)\b(?:always (?:our |the |a )?(?:quiet|slow|dead)|(?:usual|normal|usually|normally) (?:quiet|slow)|"
                     r"(?:usual |the |our )?(?:off|low|quiet|slow)[- ]season|it'?s the season|seasonal|"
                     r"(?:tail|back) end of (?:the |our )?(?:[a-z]+ )?season|"
                     r"quiet every year|slow every year|every (?:november|december|january|february|winter))\b")
_PROBLEM = re.compile(r"(?i)\b(?:worse than|unlike|not (?:the|our) usual|not seasonal|more than usual)\b")
_MAX_QUOTE = 140

# a business shut on purpose for a time: "shut from 2 Nov to 15 Dec for the new kitchen",
# "closed for the refit", "closed until March", "shut over January" (not "closed the account",
# "shut off the water", "the deal closed for $5k")
_SHUT = re.compile(r"(?i)\b(?:shut|closed)(?: down)? (?:from|between|until|till|over|during|through|"
                   r"for (?:the |its |a |our )?(?:(?:new|whole|full) )?(?:refit|renovation|refurb\w*|works?|building works?|"
                   r"rebuild|winter|season|holidays?|christmas|kitchen|bathroom|repairs))\b")
_FALLS = ("revenue_change", "month_loss")  # (the findings a closing explains)


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's revenue falls and month losses, and the notes of it that speak of a
    season or a closing: only the statements of a business whose revenue fell are read (a
    business shut for a month has its revenue fall too; most runs have none, and a fact base
    holds up to a million notes: reading those of every business with a month's loss took 0.7 s
    a run at scale)."""
    falls = with_falls(facts)
    if not falls:
        return {}
    out: dict[str, list[Fact]] = {}
    for f in facts:  # (a million facts at scale: the cheapest test first, the statement's last)
        entity = f.entity
        if entity not in falls:
            continue
        if f.name in _FALLS:
            if f.kind == "finding":
                out.setdefault(entity, []).append(f)
        elif f.kind in ("note", "finding") and _explains(f.statement):
            out.setdefault(entity, []).append(f)
    return out


def _explains(statement: str) -> bool:
    """Whether a statement speaks of a season or of a closing (lower-cased once for both)."""
    low = statement.lower()
    return _seasonal(statement, low) or _shut(statement, low)


def _shut(statement: str, low: str | None = None) -> bool:
    """Whether a statement says its business is shut for a time (its words looked for first:
    over a million notes, the regex alone is slow)."""
    low = statement.lower() if low is None else low
    return ("shut" in low or "closed" in low) and _SHUT.search(statement) is not None


def _covers(statement: str, month: int) -> bool:
    """Whether a statement of a closing names the month (1-12), or two months around it
    ("from 2 Nov to 15 Dec" covers November and December; "Oct to Mar", the winter)."""
    named = months_named(statement)
    if month in named:
        return True
    if len(named) < 2:
        return False
    first, last = named[0], named[-1]
    return first <= month <= last if first <= last else (month >= first or month <= last)


def _quote(statement: str) -> str:
    words = statement.partition(": ")[2] or statement
    quote = words if len(words) <= _MAX_QUOTE else words[:_MAX_QUOTE].rsplit(" ", 1)[0] + " …"
    return quote.rstrip(".")


def _seasonal(statement: str, low: str | None = None) -> bool:
    """Whether a statement speaks of a season. Each of _SEASON's phrases holds one of these
    words, looked for first in the lower-cased statement: over a million notes' statements
    ~0.3 s, where _SEASON alone took ~9."""
    low = statement.lower() if low is None else low
    return ("season" in low or "always" in low or "usual" in low or "normal" in low or "every" in low) \
        and _SEASON.search(statement) is not None


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each revenue fall whose month a note of the business calls its quiet season, and each
    fall or month's loss in a month its notes say it was shut, said so."""
    out = []
    closings = [f for f in facts if f.name not in _FALLS and _shut(f.statement)]
    for fall in facts:
        if fall.name not in _FALLS or fall.kind != "finding" or not fall.period or (fall.value or 0) >= 0:
            continue
        month = month_label(fall.period[:7]).split()[0].lower()  # "November 2026" → "november"
        shut = next((f for f in closings if _covers(f.statement, int(fall.period[5:7]))), None)
        said = shut or (None if fall.name != "revenue_change" else next(
            (f for f in facts if f.id != fall.id and f.name not in _FALLS and _SEASON.search(f.statement)
             and not _PROBLEM.search(f.statement)
             and (month in f.statement.lower() or re.search(r"(?i)\b(?:off|low)[- ]season\b", f.statement))),
            None))
        if said is None:
            continue
        why = "shut that month" if shut else "its quiet season"
        out.append(fact_of(
            id=fall.id, kind="metric", name=fall.name, entity=fall.entity, period=fall.period,
            value=fall.value, unit=fall.unit,
            statement=f"{fall.statement.rstrip('.')}: {why}, as the notes say (\"{_quote(said.statement)}\").",
            topics=tuple(t for t in fall.topics if t != "risk"), evidence=fall.evidence + (said.id,),
            sources=fall.sources + said.sources,
        ))
    return out
