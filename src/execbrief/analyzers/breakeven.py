"""Break-even in units: how many units a month cover a business's fixed costs, and how far
above or below that it is.

Only where there are fixed costs, a positive contribution (``economics.py``) and a count of
units. Units are the business's revenue rows (none of them a payout or batch: ``economics.
revenue_rows``) where ``[[entities]] unit`` names the unit, or where its notes say one row is
one unit ("Each delivery is one line in the books"), or name the unit it prices by ("priced
per load") and every revenue row's memo names it too ("… load - …") or starts with its own
job reference ("NC-1001 Zone C - …"); else a KPI in the
notes that counts units a day, week or month (``deliveries_per_week: 310``). The unit's name
comes from the config or the notes, never from an account name, and a ledger row is a unit
only where they say so. Needed units are worked out exactly and compared unrounded; only
the statement rounds.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, month_range_label, number
from ..model import Fact, stable_id
from .base import FACTS, AnalysisContext, rule
from .kinds import applies, serves

__all__ = ["analyze", "break_even", "units_kpi"]

# what the notes say of a unit: one row is one unit, or the unit a business prices by
ONE_ROW = (re.compile(r"\b(?:each|every|one) (?P<unit>[a-z][a-z-]+) (?:is|gets|has) (?:one|a single|its own) "
                      r"(?:line|row|entry|transaction)\b", re.I),
           re.compile(r"\bone (?:line|row|entry|transaction) (?:per|for each|for every|a) (?P<unit>[a-z][a-z-]+)\b", re.I))
PRICED = re.compile(r"\b(?:priced|charged?|billed|invoiced) (?:per|by the|for each|a) (?P<unit>[a-z][a-z-]+)\b", re.I)
# a KPI that counts units: deliveries_per_week, bookings_per_month, units_sold_per_month
UNITS_KPI = re.compile(r"^(?P<what>[a-z][a-z_]*?)(_sold)?_per_(?P<per>day|week|month)$")
PER_MONTH = {"day": Decimal("30.44"), "week": Decimal(52) / 12, "month": Decimal(1)}
TENTH = Decimal("0.1")


_LEDGER_FACTS = ("contribution_margin", "fixed_costs", "revenue_rows")


def parts(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """What break-even reads, business by business (its contribution, fixed costs, revenue
    rows, KPIs and notes; a business's break-even reads nothing of another's): an edit in one
    business's notes runs its part again only."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        if (f.kind == "note" and f.entity is not None
                or f.value is not None and (f.kind == "metric" or f.name in _LEDGER_FACTS)):
            out.setdefault(f.entity or "", []).append(f)
    return out


@rule(reads=FACTS, partition=parts)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """A break-even fact for each business with fixed costs, a contribution and a count of
    units (run business by business: ``parts``)."""
    found: dict[tuple[str, str | None], Fact] = {}
    kpis: dict[str | None, Fact] = {}
    said: dict[str | None, list[tuple[str, bool, Fact]]] = {}  # the notes' (unit, one row each?, fact)
    for f in facts:
        if f.name in _LEDGER_FACTS and f.value is not None:
            found[(f.name, f.entity)] = f
        elif f.kind == "metric" and f.value is not None and units_kpi(f, ctx) is not None:
            held = kpis.get(f.entity)
            if held is None or (f.period or "", f.id) > (held.period or "", held.id):
                kpis[f.entity] = f  # the latest statement of it
        elif f.kind == "note" and f.entity is not None:
            said.setdefault(f.entity, []).extend(notes_unit(f))
    out = []
    for (name, entity), contribution in sorted(found.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        fixed = found.get(("fixed_costs", entity))
        if name != "contribution_margin" or fixed is None or not applies(break_even, ctx.kind_of(entity)):
            continue
        rows = found.get(("revenue_rows", entity))
        sold = None
        if rows is not None and rows.period == contribution.period:
            sold = row_units(entity, rows, said.get(entity, []), ctx)
        made = break_even(entity, contribution, fixed, sold, kpis.get(entity), ctx)
        if made is not None:
            out.append(made)
    return out


def notes_unit(fact: Fact) -> list[tuple[str, bool, Fact]]:
    """What a note says of a unit: (unit, whether one ledger row is one unit, the note)."""
    # (a million note facts at scale, nearly all without these words: the expressions are
    # tried only where a word they cannot match without is there, as ``(?i)`` would find it)
    folded = _folded(fact.statement)
    found = []
    # each ONE_ROW match holds one of these words (after a space, in both expressions)
    if " line" in folded or " row" in folded or " entr" in folded or " transaction" in folded:
        found += [(_singular(m["unit"].lower()), True, fact) for pattern in ONE_ROW for m in pattern.finditer(fact.statement)]
    # and each PRICED match one of these
    if "priced" in folded or "charge" in folded or "billed" in folded or "invoiced" in folded:
        found += [(_singular(m["unit"].lower()), False, fact) for m in PRICED.finditer(fact.statement)]
    return found


def _folded(text: str) -> str:
    """The text lower-cased so that each letter ``(?i)`` takes for an ASCII one is that
    letter (tests/test_breakeven.py): İ ı ſ K besides A-Z. Only ever more matches for a
    word than ``(?i)`` finds, never fewer."""
    low = text.lower()  # (K → k; İ → i and a combining dot, dropped)
    if low.isascii():
        return low
    return low.replace("\u0307", "").replace("\u0131", "i").replace("\u017f", "s")


def row_units(entity: str | None, rows: Fact, said: list[tuple[str, bool, Fact]],
              ctx: AnalysisContext) -> tuple[str, Fact, tuple[str, ...]] | None:
    """(unit, the revenue-rows fact, the facts that make a row a unit) where a revenue row is
    one unit: the config names the unit, or a note says one row is one, or a note names the
    unit the business prices by and every row's memo names it too, or names its own job."""
    configured = ctx.units.get(entity or "")
    if configured:
        return configured, rows, (rows.id,)
    for unit, one_row, note in said:
        if one_row or rows.unit == "jobs" or (rows.subject is not None and _singular(rows.subject) == unit):
            return unit, rows, (rows.id, note.id)
    return None


def units_kpi(fact: Fact, ctx: AnalysisContext) -> tuple[str, Decimal] | None:
    """(unit name, units a month) of a KPI fact that counts units; None for any other fact."""
    match = UNITS_KPI.match(fact.name)
    if match is None or fact.unit in (ctx.currency, "%") or fact.value is None or fact.value <= 0:
        return None
    what = match["what"].replace("_", " ")
    unit = ctx.units.get(fact.entity or "") or _singular(what)
    return unit, fact.value * PER_MONTH[match["per"]]


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _plural(unit: str) -> str:
    if unit.endswith("y") and unit[-2:-1] not in "aeiou":
        return unit[:-1] + "ies"
    return unit + ("es" if unit.endswith(("s", "x", "ch", "sh")) else "s")


def _months(period: str) -> int:
    first, _, last = period.partition("..")
    last = last or first
    (y1, m1), (y2, m2) = map(int, first.split("-")), map(int, last.split("-"))
    return (y2 - y1) * 12 + m2 - m1 + 1


def _tenths(value: Decimal) -> str:
    return number(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def _count(value: Decimal, unit: str) -> str:
    """``1.3 charters``, ``1 charter``: a count to a tenth, with its unit."""
    shown = value.quantize(TENTH, rounding=ROUND_HALF_UP)
    return f"{number(shown)} {unit if shown == 1 else _plural(unit)}"


@serves(exclude=("holding",))
def break_even(entity: str | None, contribution: Fact, fixed: Fact, sold: tuple[str, Fact, tuple[str, ...]] | None,
               kpi: Fact | None, ctx: AnalysisContext) -> Fact | None:
    """Units a month that cover fixed costs, against units a month sold; None without units."""
    costs, margin = fixed.value or Decimal(0), contribution.value or Decimal(0)
    if costs <= 0 or margin <= 0:
        return None  # nothing to cover, or a loss on every sale (economics says so)
    period = contribution.period or ""
    span = month_range_label(*(period.split("..") if ".." in period else (period, period)))
    if sold is not None:
        unit, rows, cited = sold
        per_month = (rows.value or Decimal(0)) / _months(period)
        basis = f"it sold {_tenths(per_month)} a month over {span} (one revenue row each)"
    elif kpi is not None:
        unit, per_month = units_kpi(kpi, ctx)  # type: ignore[misc]
        basis = f"the notes put it at {number(kpi.value)} {kpi.name.replace('_', ' ')}"  # type: ignore[arg-type]
        if per_month != kpi.value:
            basis += f" ({_tenths(per_month)} a month)"
        cited = (kpi.id,)
    else:
        return None
    if per_month <= 0:
        return None
    needed = costs * per_month / margin  # fixed costs over the contribution of one unit, unrounded
    gap = per_month - needed
    units, who, cur = _plural(unit), ctx.entity_name(entity), ctx.currency
    per_unit = (margin / per_month).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if gap.quantize(TENTH, rounding=ROUND_HALF_UP) == 0:
        where = "at break-even"
    else:
        where = f"{'above' if gap > 0 else 'below'} break-even by {_count(abs(gap), unit)} a month"
    short = gap < 0
    return Fact(
        id=stable_id("f", "break_even_units", entity, period), kind="finding" if short else "metric",
        name="break_even_units", entity=entity, severity="high" if short else None,
        value=needed.quantize(TENTH, rounding=ROUND_HALF_UP), unit=f"{units}/month", period=period,
        statement=(f"{who} is {where}: fixed costs of {money(costs, cur)} a month need {_count(needed, unit)} a "
                   f"month at a contribution of {money(per_unit, cur)} a {unit}; {basis}."),
        recommendation=(f"Close the gap of {_count(-gap, unit)} a month: sell more, raise the price per {unit}, "
                        "or cut fixed costs." if short else None),
        topics=("finance", "profitability", "unit-economics") + (("risk",) if short else ()),
        evidence=(contribution.id, fixed.id) + cited, sources=contribution.sources,
    )
