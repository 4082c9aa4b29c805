"""A fall in revenue that a client who left explains: the briefing names the client.

The ledger says a web studio's revenue fell from $5,956 in October to $3,956 in November; its
client table says "Pecan Street Realty (monthly fee $2,000/month; … status gone, left end of
October)". A reader told only "find out which clients or channels drove the drop" is sent to
look for what the notes already say. Where the monthly fees of the clients the business's own
tables mark gone, left or churned add up to the fall (within a sixth of it), the fall names
them, and what to do is to replace that money (same id: it takes the finding's place).

A let building's fall has its own reading: a tenant who has not paid. Brindle Lane Flats'
rent fell from £2,750 in October to £1,875 in November, and its status board says "Flat 2
(rent £875/month; status 🔴 arrears; notes November rent unpaid)". Where the rents of the
units the business's own table marks in arrears, late or unpaid add up to the fall (within a
sixth of it), the fall names them, and what to do is to collect it, not to look for a vacancy.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Sequence

from ..formatting import money
from ..model import Fact
from .base import FACTS, AnalysisContext, rule

__all__ = ["analyze", "parts", "with_falls"]

# a client table's row whose client is gone ("status gone, left end of October", "Status: churned")
_GONE = re.compile(r"(?i)\bstatus:?\s+(?:gone|left|churned|cancell?ed|ended|lost|former|lapsed)\b")
# a monthly fee in the row: "$2,000/month", "£1,200 a month", "$950 per mo", "monthly fee $2,000"
_FEE = re.compile(r"(?i)(?:monthly (?:fee|retainer)\s+)?[$€£]\s?(\d[\d,]*(?:\.\d+)?)"
                  r"(?:\s*(?:/\s*(?:mo|month)\b|a month|per month|per mo\b|monthly))")
# a unit table's row whose tenant owes rent ("status 🔴 arrears", "status late", "status nov unpaid")
_OWED = re.compile(r"(?i)\bstatus:?\s+[^\w;]*(?:\w+\s+){0,2}?(?:arrears|late|unpaid|overdue|owes|owing|behind)\b")
_NAME = re.compile(r":\s([^:()]+?)\s\(")  # the row's first cell: "…: Pecan Street Realty (monthly fee …"
_CLOSE = Decimal(6)  # the fees explain the fall when they are within a sixth of it
_LETS = frozenset({"rental", "short-let"})  # a fall of these is a unit's rent unpaid, not a client gone


def with_falls(facts: Sequence[Fact]) -> set[str]:
    """The businesses whose revenue fell enough to be a finding (most runs have none): the
    rules about a fall read only their facts further."""
    return {f.entity for f in facts if f.name == "revenue_change" and f.kind == "finding" and f.entity is not None}


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each business's revenue falls, monthly revenue, and gone clients' rows and units' rows in
    arrears: only the rows of a business with a fall are read."""
    falls = with_falls(facts)
    if not falls:
        return {}
    out: dict[str, list[Fact]] = {}
    for f in facts:
        name = f.name
        if f.entity in falls and (name == "revenue_change" and f.kind == "finding" or name == "revenue"
                                  or name == "table_row" and (_GONE.search(f.statement) or _OWED.search(f.statement))):
            out.setdefault(f.entity, []).append(f)
    return out


@rule(reads=FACTS, settles=True, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """Each revenue fall the gone clients' monthly fees (a let's, its units' unpaid rents) add
    up to, naming them."""
    out = []
    for fall in facts:
        if fall.name != "revenue_change" or fall.kind != "finding" or fall.entity is None or fall.period is None:
            continue
        lets = ctx.kind_of(fall.entity) in _LETS
        revenue = {f.period: f.value for f in facts if f.name == "revenue" and f.entity == fall.entity
                   and f.period is not None and f.value is not None and f.unit == ctx.currency}
        before = [p for p in revenue if p < fall.period]
        if fall.period not in revenue or not before:
            continue
        drop = revenue[max(before)] - revenue[fall.period]
        rows = [(f, found) for f in facts if f.name == "table_row" and f.entity == fall.entity
                and (found := _named_monthly(_OWED if lets else _GONE, f.statement)) is not None]
        gone = [found for _, found in rows]
        if drop <= 0 or not gone or abs(sum(fee for _, fee in gone) - drop) * _CLOSE > drop:
            continue
        cur, total = ctx.currency, sum(amount for _, amount in gone)
        if lets:
            one = len(gone) == 1
            said = (" and ".join(f"{unit}'s {money(rent, cur)} a month" for unit, rent in gone)
                    + f" {'is' if one else 'are'} unpaid (in arrears, as the unit table says)")
            advice = (f"Collect the {money(total, cur)} of rent {' and '.join(unit for unit, _ in gone)} "
                      f"{'owes' if one else 'owe'}: chase the tenant, and send a formal arrears letter if it is still unpaid.")
        else:
            said = " and ".join(f"{who} ({money(fee, cur)} a month)" for who, fee in gone) + " left, as the client table says"
            advice = (f"Replace the {money(total, cur)} a month {' and '.join(who for who, _ in gone)} paid: a new "
                      "client, or more work from the others.")
        out.append(fall.model_copy(update={
            "statement": f"{fall.statement.rstrip('.')}: {said}, which is {'most of ' if total < drop else ''}the fall.",
            "recommendation": advice,
            "evidence": fall.evidence + tuple(f.id for f, _ in rows),
        }))
    return out


def _named_monthly(status: re.Pattern[str], statement: str) -> tuple[str, Decimal] | None:
    """(what a table row names, its monthly amount) where ``status`` finds the row's status,
    if the row states both: a client gone (``_GONE``), a unit whose tenant owes rent (``_OWED``)."""
    if not status.search(statement):
        return None
    name, fee = _NAME.search(statement), _FEE.search(statement)
    if name is None or fee is None:
        return None
    return name.group(1).strip(), Decimal(fee.group(1).replace(",", ""))
