"""A let unit the notes say is empty, where no unit table says so: its vacancy, and its rent.

A building's unit table gives each empty unit a ``vacancy`` finding with the rent it is not
collecting (``assets.vacancies``). Many owners keep no such table and write it in a line: "Flat 2
has been vacant since 1 November. Listed at $1,300 a month on Zillow". That line is a finding of
the notes, but no occupancy section shows a line, and no rent is counted as lost. For a long-let
or holiday-let business, each unit a finding of the notes calls vacant, with a rent a month and
no unit table that says which units are empty, is a ``vacancy`` of its own, citing the line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Sequence

from ..formatting import money
from ..model import Fact, stable_id
from .assets import fill_advice
from .base import FACTS, AnalysisContext, rule

__all__ = ["analyze", "parts"]

_VACANT = re.compile(r"(?i)\b(?:vacant|empty|unlet|no tenant)\b")
_UNIT = re.compile(r"(?i)\b(?:flat|unit|apt|apartment|loft|suite|room)(?:\s+#?\s?|\s?#\s?|(?=\d))(?:\d{1,4}[a-z]?|[a-z])\b")
# the rent it asks or had, a month: "asking $1,300", "$1,300 a month", "£950/month", "$1,250 pcm"
_RENT = re.compile(r"(?i)[$€£]\s?(\d[\d,]*(?:\.\d\d)?)(?=\s*(?:a month|/\s*mo(?:nth)?\b|per month|pcm\b|monthly))"
                   r"|\basking (?:rent (?:of |is )?)?[$€£]\s?(\d[\d,]*(?:\.\d\d)?)")
_NOT_VACANT = re.compile(r"(?i)\b(?:no longer vacant|not vacant|let again|re-?let|new tenant|moved in|signed)\b")


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's vacancies and the notes' findings that say a unit is empty."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if f.entity is not None and (f.name == "vacancy" or f.name == "risk" and _VACANT.search(f.statement)):
            out.setdefault(f.entity, []).append(f)
    return out


@rule(reads=FACTS, kinds=("rental", "short-let"), partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A vacancy for each unit a finding of the notes calls empty, with its rent a month."""
    if any(f.name == "vacancy" for f in facts):
        return []  # (a unit table says which units are empty: it is the record)
    out: dict[tuple[str | None, str], Fact] = {}
    # (the line that says "vacant" first, then the latest: "Flat 2 has been vacant since 1 November …"
    # tells more than "Still no tenant; asking $1,300")
    for f in sorted((f for f in facts if f.name == "risk"),
                    key=lambda f: ("vacant" in f.statement.lower(), f.period or "", f.id), reverse=True):
        text = f.statement.partition(": ")[2]  # (past "Marsh Lane Flats: ", the business's name)
        unit, rent = _UNIT.search(text), _RENT.search(text)
        if unit is None or rent is None or _NOT_VACANT.search(text):
            continue
        key = (f.entity, unit.group(0).lower().replace(" ", ""))
        if key in out:  # (the latest line says it)
            continue
        monthly = Decimal((rent.group(1) or rent.group(2)).replace(",", ""))
        label = unit.group(0)
        out[key] = Fact(
            id=stable_id("f", "vacancy_noted", f.entity, key[1]), kind="finding", name="vacancy", entity=f.entity,
            severity="high" if monthly >= 1000 else "medium", value=monthly, unit=ctx.currency, period=f.period,
            statement=(f"{f.statement.rstrip('.')} — {label} is vacant: {money(monthly, ctx.currency)} a month of "
                       "rent is not coming in."),
            recommendation=fill_advice(label),
            topics=("revenue", "operations", "risk"), evidence=(f.id,), sources=f.sources,
        )
    return list(out.values())
