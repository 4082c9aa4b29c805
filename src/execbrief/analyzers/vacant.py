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
# a line giving a unit's rent, not another of its costs ("Council tax for flat 4 is on us while
# it's empty. £138 a month"): asking, advertised, listed
_ASKED = re.compile(r"(?i)\b(?:asking|advertised|listed)\b")
_NOT_VACANT = re.compile(r"(?i)\b(?:no longer vacant|not vacant|let again|re-?let|new tenant|moved in|signed)\b")


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's vacancies, the notes' findings that say a unit is empty, and the notes'
    lines that give a unit's rent a month ("Listed Flat B on Zillow, asking $1,400 a month"):
    a business with a vacancy line only."""
    out: dict[str, list[Fact]] = {}
    unpriced: set[str] = set()  # the businesses with a unit said empty and no rent beside it
    for f in facts:
        if f.entity is not None and (f.name == "vacancy" or f.name == "risk" and _VACANT.search(f.statement)):
            out.setdefault(f.entity, []).append(f)
            if f.name == "risk" and _RENT.search(f.statement) is None and _UNIT.search(f.statement):
                unpriced.add(f.entity)
    if unpriced:  # (then their units' asking rents, a second pass: most runs need none)
        for f in facts:
            if f.entity in unpriced and f.kind == "note" and _rent_said(f.statement):
                out[f.entity].append(f)
    return out


def _rent_said(statement: str) -> bool:
    """Whether a statement may give a unit's asking rent (its words first: at scale most of a
    million statements say none, and the expressions over them all took 0.7 s a run)."""
    return ("asking" in statement or "isted" in statement or "dvertised" in statement) \
        and _RENT.search(statement) is not None and _UNIT.search(statement) is not None


@rule(reads=FACTS, kinds=("rental", "short-let"), partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A vacancy for each unit a finding of the notes calls empty, with its rent a month: its
    own line's, else the asking rent another line of the notes gives that unit."""
    if any(f.name == "vacancy" for f in facts):
        return []  # (a unit table says which units are empty: it is the record)
    # each unit's rent as another line of the notes gives it, the latest ("Listed Flat B on
    # Zillow + the FB group, asking $1,400 a month", beside "FR - Flat B vacant since 11/1")
    asked: dict[str, tuple[Decimal, Fact]] = {}
    for f in sorted(facts, key=lambda f: (f.period or "", f.id)):
        text = f.statement.partition(": ")[2] or f.statement
        unit, rent = _UNIT.search(text), _RENT.search(text)
        if unit is not None and rent is not None and len(_UNIT.findall(text)) == 1 and _ASKED.search(text):
            asked[_key(unit)] = (_monthly(rent), f)
    out: dict[tuple[str | None, str], Fact] = {}
    # (the line that says "vacant" first, then the latest: "Flat 2 has been vacant since 1 November …"
    # tells more than "Still no tenant; asking $1,300")
    for f in sorted((f for f in facts if f.name == "risk"),
                    key=lambda f: ("vacant" in f.statement.lower(), f.period or "", f.id), reverse=True):
        text = f.statement.partition(": ")[2]  # (past "Marsh Lane Flats: ", the business's name)
        unit, rent = _UNIT.search(text), _RENT.search(text)
        if unit is None or _NOT_VACANT.search(text) or not _VACANT.search(text):
            continue
        key = (f.entity, _key(unit))
        if key in out:  # (the latest line says it)
            continue
        if rent is not None:
            monthly, said = _monthly(rent), None
        elif key[1] in asked:
            monthly, said = asked[key[1]]
        else:
            continue
        label = unit.group(0)
        also = f" (its asking rent, as {said.sources[0]} says)" if said is not None and said.sources else ""
        out[key] = Fact(
            id=stable_id("f", "vacancy_noted", f.entity, key[1]), kind="finding", name="vacancy", entity=f.entity,
            severity="high" if monthly >= 1000 else "medium", value=monthly, unit=ctx.currency, period=f.period,
            statement=(f"{f.statement.rstrip('.')} — {label} is vacant: {money(monthly, ctx.currency)} a month of "
                       f"rent is not coming in{also}."),
            recommendation=fill_advice(label),
            topics=("revenue", "operations", "risk"),
            evidence=(f.id,) + ((said.id,) if said is not None else ()),
            sources=f.sources + (tuple(s for s in said.sources if s not in f.sources) if said is not None else ()),
        )
    return list(out.values())


def _monthly(rent: re.Match[str]) -> Decimal:
    """The rent a ``_RENT`` match gives, a month."""
    return Decimal((rent.group(1) or rent.group(2)).replace(",", ""))


def _key(unit: re.Match[str]) -> str:
    """A unit as named anywhere ("Flat B", "flat b", "Flat  B")."""
    return unit.group(0).lower().replace(" ", "")
