"""Cash, monthly burn and runway.

Cash is known only when ``[sources.ledger] opening_cash`` is set: the ledger source turns it
into one ``resource`` item, and cash on the as-of date is that balance plus every
transaction dated on or after ``opening_cash_date`` and on or before the as-of date. Burn is
the average monthly net outflow of the last ``BURN_MONTHS`` complete months in the ledger;
runway is cash divided by burn.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, month_label, month_range_label
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext
from .ledger_rows import ALL, Group, aggregate, opening_cash


__all__ = [
    "analyze", "opening_cash", "cash_balance", "cash_by_month", "monthly_burn", "runway", "cash_cover", "BURN_MONTHS",
]

BURN_MONTHS = 3
DAYS_PER_MONTH = Decimal("30.44")  # 365.25 / 12
ZERO = Decimal(0)
# runway shorter than this many months is a finding of this severity
RUNWAY_SEVERITY = ((Decimal(3), "critical"), (Decimal(6), "high"), (Decimal(12), "medium"))


def analyze(evidence: Sequence[Evidence], txns: Sequence[Group], complete: Sequence[Group],
            ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Cash (when the opening balance is configured), burn per business and group, runway."""
    facts: list[Fact] = []
    burns = monthly_burn(complete, ctx, sums)
    facts += burns
    opening = opening_cash(evidence)
    if opening is None:
        return facts
    cash = cash_balance(opening, txns, ctx)
    facts.append(cash)
    facts += cash_by_month(opening, txns, ctx)
    group_burn = next((f for f in burns if f.entity is None and f.name == "monthly_burn"), None)
    if group_burn is not None:
        facts.append(runway(cash, group_burn, ctx))
    gross = next((f for f in burns if f.name == "gross_burn"), None)
    if gross is not None:
        facts += cash_cover(cash, gross, ctx)
    return facts


def _where(ev: Evidence) -> str:
    return f"{ev.provenance.label()} ([sources.ledger] opening_cash)"


def cash_balance(opening: tuple[Decimal, date, Evidence], txns: Sequence[Group], ctx: AnalysisContext) -> Fact:
    """Cash on the as-of date: the opening balance plus the transactions since."""
    amount, since, ev = opening
    rows = [t for t in txns if since <= t.day <= ctx.as_of]
    moved = sum((t.amount for t in rows), ZERO)
    count = sum(t.count for t in rows)
    cash = amount + moved
    cur = ctx.currency
    statement = (
        f"Cash on {ctx.as_of.isoformat()} is {money(cash, cur)}: the opening balance of "
        f"{money(amount, cur)} on {since.isoformat()} plus a net {money(moved, cur)} "
        f"from {count} transactions since."
    )
    sources = (_where(ev),) + tuple(sorted({t.path for t in rows}))
    if cash < 0:
        return Fact(
            id=stable_id("f", "cash_balance", ctx.as_of), kind="finding", name="cash_balance",
            severity="critical", value=cash, unit=cur, period=ctx.as_of.isoformat(), statement=statement,
            recommendation="Check the opening balance and the missing bank rows; if cash really is negative, fund the account now.",
            topics=("finance", "cash", "risk"), evidence=(ev.id,), sources=sources,
        )
    return Fact(
        id=stable_id("f", "cash_balance", ctx.as_of), kind="metric", name="cash_balance",
        value=cash, unit=cur, period=ctx.as_of.isoformat(), statement=statement,
        topics=("finance", "cash"), evidence=(ev.id,), sources=sources,
    )


def cash_by_month(opening: tuple[Decimal, date, Evidence], txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Cash at the end of each complete month since the opening balance: the burn, drawn over time."""
    amount, since, ev = opening
    current = f"{ctx.as_of.year:04d}-{ctx.as_of.month:02d}"
    moved: dict[str, Decimal] = {}
    for t in txns:
        if since <= t.day and t.month < current:
            moved[t.month] = moved.get(t.month, ZERO) + t.amount
    facts, cash = [], amount
    opening_month = f"{since.year:04d}-{since.month:02d}"
    for month in sorted(m for m in moved if m >= opening_month):
        cash += moved[month]
        facts.append(Fact(
            id=stable_id("f", "cash_month_end", month), kind="metric", name="cash_month_end",
            value=cash, unit=ctx.currency, period=month,
            statement=f"Cash at the end of {month_label(month)} was {money(cash, ctx.currency)}.",
            topics=("finance", "cash"), evidence=(ev.id,), sources=(_where(ev),),
        ))
    return facts


def monthly_burn(complete: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Average monthly net outflow over the last complete months: the group, and each business that burns.

    ``sums`` are finance's one-pass totals of ``complete``; they are made here when not given.
    """
    if not complete:
        return []
    sums = aggregate(complete) if sums is None else sums
    monthly = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "month"}
    months = sorted(m for e, m in monthly if e == ALL)[-BURN_MONTHS:]
    period = f"{months[0]}..{months[-1]}"
    span = month_range_label(months[0], months[-1])
    paths = tuple(f"{p}, {span}" for p in sorted(set().union(*(monthly[(ALL, m)][2] for m in months))))
    businesses = sorted({e for e, _ in monthly if e not in (ALL, None)})
    facts = []
    cur = ctx.currency
    # the group first; each business only when there are several (one business's burn is the group's)
    for entity in [ALL] + (businesses if len(businesses) > 1 else []):
        net = sum((monthly[(entity, m)][0] - monthly[(entity, m)][1] for m in months if (entity, m) in monthly),
                  ZERO) / len(months)
        net = net.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        burn = -net if net < 0 else ZERO
        if entity != ALL and burn == 0:
            continue
        who = "The group" if entity == ALL else ctx.entity_name(entity)
        if burn > 0:
            statement = f"{who} burned {money(burn, cur)} a month on average over {span} (net of revenue)."
        else:
            statement = f"{who} burned no cash over {span}: net cash flow was {money(net, cur)} a month on average."
        owner = None if entity == ALL else entity
        facts.append(Fact(
            id=stable_id("f", "monthly_burn", owner, period), kind="metric", name="monthly_burn",
            entity=owner, value=burn, unit=cur, period=period, statement=statement,
            topics=("finance", "cash"), sources=paths,
        ))
    costs = sum((monthly[(ALL, m)][1] for m in months), ZERO) / len(months)
    costs = costs.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    facts.append(Fact(
        id=stable_id("f", "gross_burn", period), kind="metric", name="gross_burn", value=costs,
        unit=cur, period=period,
        statement=f"The group spent {money(costs, cur)} a month on average over {span} (gross burn).",
        topics=("finance", "cash", "cost"), sources=paths,
    ))
    return facts


def cash_cover(cash: Fact, gross: Fact, ctx: AnalysisContext) -> list[Fact]:
    """How many months of costs cash would pay for if revenue stopped."""
    cash_value, costs = cash.value or ZERO, gross.value or ZERO
    if costs <= 0 or cash_value <= 0:
        return []
    months = (cash_value / costs).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return [Fact(
        id=stable_id("f", "cash_cover", ctx.as_of), kind="metric", name="cash_cover_months", value=months,
        unit="months", period=ctx.as_of.isoformat(),
        statement=(
            f"Cash of {money(cash_value, ctx.currency)} would pay {months} months of costs at "
            f"{money(costs, ctx.currency)} a month if revenue stopped."
        ),
        topics=("finance", "cash"), evidence=(cash.id, gross.id), sources=cash.sources + gross.sources,
    )]


def runway(cash: Fact, burn: Fact, ctx: AnalysisContext) -> Fact:
    """How many months cash lasts at the current burn; a finding when under a year."""
    cash_value, burn_value = cash.value or ZERO, burn.value or ZERO
    cur = ctx.currency
    fact_id = stable_id("f", "runway", ctx.as_of)
    evidence = (cash.id, burn.id)
    sources = cash.sources + burn.sources
    if burn_value <= 0 or cash_value <= 0:
        why = "no cash left" if cash_value <= 0 else "the group is not burning cash"
        return Fact(
            id=fact_id, kind="note", name="runway_months", period=ctx.as_of.isoformat(),
            statement=f"Runway is not computed: {why} ({money(cash_value, cur)} cash, "
                      f"{money(burn_value, cur)} monthly burn).",
            topics=("finance", "cash"), evidence=evidence, sources=sources,
        )
    months = (cash_value / burn_value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    until = ctx.as_of + timedelta(days=int(cash_value / burn_value * DAYS_PER_MONTH))
    statement = (
        f"At {money(burn_value, cur)} a month, cash of {money(cash_value, cur)} lasts "
        f"{months} months, to about {until.isoformat()}."
    )
    severity = next((s for limit, s in RUNWAY_SEVERITY if months < limit), None)
    return Fact(
        id=fact_id, kind="finding" if severity else "metric", name="runway_months", severity=severity,
        value=months, unit="months", period=ctx.as_of.isoformat(), statement=statement,
        recommendation=(
            f"Cut the largest costs or raise prices now, and arrange financing well before {until.isoformat()}."
            if severity else None
        ),
        topics=("finance", "cash") + (("risk",) if severity else ()), evidence=evidence, sources=sources,
    )
