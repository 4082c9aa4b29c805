"""Unit economics, break-even and revenue concentration per business.

Over the last ``WINDOW_MONTHS`` complete months of each business:

- units are the revenue transactions of its main revenue account (the one with the most
  inflows); variable costs are its cost-of-sales rows; fixed costs are the rest of its
  costs. A business with no cost-of-sales rows gets no unit economics: the rule cannot
  tell its variable costs from its fixed ones.
- revenue concentration: the share of a business's revenue paid by its largest payer,
  the payer read from the memo ("Keel & Compass Realty - Oct retainer"). Platform payouts
  and transfers ("Stripe payout - …") bundle many customers and are not a payer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Sequence

from ..formatting import money, month_range_label, number, percent
from ..model import Fact, stable_id
from .base import AnalysisContext
from .tables import possessive

if TYPE_CHECKING:
    from .ledger_rows import Group, Ledger

__all__ = ["analyze", "unit_economics", "revenue_concentration", "payer", "COST_OF_SALES", "WINDOW_MONTHS"]

WINDOW_MONTHS = 3
COST_OF_SALES = frozenset({"cost_of_sales", "cost of sales", "cogs", "cost of goods sold", "direct costs", "direct cost"})
ZERO = Decimal(0)
HUNDRED = Decimal(100)
# a payer's share of a business's revenue at or above which concentration is a finding
CONCENTRATION = ((Decimal(40), "high"), (Decimal(25), "medium"))
_SEPARATOR = re.compile(r"\s+[-–—|:]\s+|:\s+")
_NOT_A_PAYER = re.compile(
    r"\b(payout|transfer|deposit|settlement|batch|interest|refund|cash|sales|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b", re.I)


def analyze(book: "Ledger", complete: Sequence["Group"], ctx: AnalysisContext) -> list[Fact]:
    """Unit economics and revenue concentration for each business with enough data."""
    by_entity: dict[str | None, list["Group"]] = defaultdict(list)
    for t in complete:
        by_entity[t.entity].append(t)
    windows = {entity: sorted({t.month for t in rows})[-WINDOW_MONTHS:] for entity, rows in by_entity.items()}
    payers: dict[str | None, list[tuple]] = defaultdict(list)
    for part in book.payers({e: set(m) for e, m in windows.items()}, payer):
        payers[part[0]].append(part)
    facts: list[Fact] = []
    for entity, rows in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        months = windows[entity]
        window = [t for t in rows if t.month in months]
        facts += unit_economics(entity, window, months, ctx)
        facts += revenue_concentration(entity, window, payers[entity], months, ctx)
    return facts


def _is_variable(t: "Group") -> bool:
    return t.category.lower().replace("-", "_") in COST_OF_SALES or t.category.lower() in COST_OF_SALES


def unit_economics(entity: str | None, rows: Sequence["Group"], months: list[str], ctx: AnalysisContext) -> list[Fact]:
    """Contribution margin per unit and the units a month that cover fixed costs."""
    variable_rows = [t for t in rows if t.sign < 0 and _is_variable(t)]
    inflows: Counter[str] = Counter()
    for t in rows:
        if t.sign > 0:
            inflows[t.account] += t.count
    if not variable_rows or not inflows:
        return []
    account = max(inflows, key=lambda a: (inflows[a], a))
    units = [t for t in rows if t.sign > 0 and t.account == account]
    count = Decimal(sum(t.count for t in units))
    n_months = Decimal(len(months))
    price = sum((t.amount for t in units), ZERO) / count
    variable = -sum((t.amount for t in variable_rows), ZERO) / count
    fixed = -sum((t.amount for t in rows if t.sign < 0 and not _is_variable(t)), ZERO) / n_months
    margin = (price - variable).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    price = price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    variable = variable.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    fixed = fixed.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    per_month = (count / n_months).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    who, cur = ctx.entity_name(entity), ctx.currency
    span, period = month_range_label(months[0], months[-1]), f"{months[0]}..{months[-1]}"
    unit = f"{account} sale"
    sources = tuple(f"{p}, {span}" for p in sorted({t.path for t in rows}))
    ratio = (margin / price * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if price else ZERO
    facts = [Fact(
        id=stable_id("f", "contribution_margin", entity, period), kind="metric", name="contribution_margin",
        entity=entity, value=margin, unit=cur, period=period,
        statement=(
            f"{who}: each {unit} brought in {money(price, cur)} on average against {money(variable, cur)} "
            f"of cost of sales, a contribution margin of {money(margin, cur)} ({percent(ratio)}) a unit, "
            f"over {span} ({number(count)} units)."
        ),
        topics=("finance", "profitability", "unit-economics"), sources=sources,
    )]
    if margin <= 0:
        facts.append(Fact(
            id=stable_id("f", "negative_contribution", entity, period), kind="finding",
            name="negative_contribution", entity=entity, severity="critical", value=margin, unit=cur,
            period=period,
            statement=f"{who} loses {money(-margin, cur)} on each {unit} before any fixed cost ({span}).",
            recommendation=f"Raise {who}'s price per unit or cut its cost of sales before selling more.",
            topics=("finance", "profitability", "unit-economics", "risk"), sources=sources,
        ))
        return facts
    needed = (fixed / margin).quantize(Decimal(1), rounding=ROUND_CEILING)
    short = per_month < needed
    statement = (
        f"{who} needs {number(needed)} {unit}s a month to cover its fixed costs of {money(fixed, cur)} "
        f"a month; it averaged {number(per_month)} a month over {span}."
    )
    facts.append(Fact(
        id=stable_id("f", "break_even_units", entity, period), kind="finding" if short else "metric",
        name="break_even_units", entity=entity, severity="high" if short else None, value=needed,
        unit="units/month", period=period, statement=statement,
        recommendation=(
            f"Close the gap of {number(needed - per_month)} units a month: more {account} sales, a higher "
            f"price per unit, or lower fixed costs." if short else None
        ),
        topics=("finance", "profitability", "unit-economics") + (("risk",) if short else ()), sources=sources,
    ))
    return facts


def payer(memo: str) -> str | None:
    """Who paid, read from a memo's first part ("Coastal Dental Group - Oct retainer"); None if unclear."""
    parts = _SEPARATOR.split(memo.strip(), maxsplit=1)
    if len(parts) < 2:
        return None
    name = parts[0].strip().strip('"')
    if len(name) < 3 or not any(c.isalpha() for c in name) or _NOT_A_PAYER.search(name):
        return None
    return name


def revenue_concentration(entity: str | None, rows: Sequence["Group"], payers: Sequence[tuple],
                          months: list[str], ctx: AnalysisContext) -> list[Fact]:
    """The largest payer's share of a business's revenue; a finding at 25% and more.

    ``payers`` are the business's inflows in the window with a payer named in the memo:
    (entity, payer, amount, day, path, line), in date order (``Ledger.payers``).
    """
    inflows = [t for t in rows if t.sign > 0]
    revenue = sum((t.amount for t in inflows), ZERO)
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for _, who_paid, amount, *_ in payers:
        key = who_paid.lower()
        paid[key] += amount
        names.setdefault(key, who_paid)
    if len(paid) < 2 or revenue <= 0:
        return []  # one payer or none named: the memos say too little to judge
    top = max(paid, key=lambda k: (paid[k], k))
    share = (paid[top] / revenue * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    who, cur = ctx.entity_name(entity), ctx.currency
    span, period = month_range_label(months[0], months[-1]), f"{months[0]}..{months[-1]}"
    severity = next((s for limit, s in CONCENTRATION if share >= limit), None)
    return [Fact(
        id=stable_id("f", "revenue_concentration", entity, period),
        kind="finding" if severity else "metric", name="revenue_concentration", entity=entity,
        severity=severity, value=share, unit="%", period=period,
        statement=(
            f"{names[top]} paid {percent(share)} of {possessive(who)} revenue over {span} "
            f"({money(paid[top], cur)} of {money(revenue, cur)}; {len(paid)} payers named in the memos)."
        ),
        recommendation=(
            f"Win more clients for {who} so that no single payer carries {percent(share)} of revenue, "
            f"and keep {names[top]} under a signed contract." if severity else None
        ),
        topics=("finance", "revenue", "clients") + (("risk",) if severity else ()),
        sources=tuple(f"{p}, {span}" for p in sorted({t.path for t in inflows})),
    )]
