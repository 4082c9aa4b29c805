"""Finance: revenue, costs and net per business per month, and what the books lack.

Only complete months (those ending before the as-of date) count in monthly figures; the
rows of the month in progress are named in a note so nothing is silently dropped. Burn,
cash and runway are in ``runway.py``; unit economics and revenue concentration in
``economics.py``; both run as part of this analyzer, over the same transactions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal, Inexact, localcontext
from typing import NamedTuple, Sequence

from ..formatting import money, month_label, month_range_label, percent
from ..model import Evidence, Fact, stable_id
from . import AnalysisContext
from .topics import infer_topics

__all__ = ["analyze", "Txn", "transactions"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ORG = None  # entity of organisation-wide facts


class Txn(NamedTuple):  # a tuple: a million of these must be quick to make and small
    """A ledger transaction as the finance rules see it."""

    evidence: Evidence
    day: date
    month: str  # "2026-10"
    amount: Decimal
    entity: str | None
    account: str
    category: str
    memo: str


def transactions(evidence: Sequence[Evidence]) -> list[Txn]:
    """The ledger transactions among the evidence, in date order."""
    global _last
    if _last is not None and _last[0] is evidence and _last[1] == len(evidence):
        return _last[2]  # finance and books both ask for the same list: build it once
    out = []
    days: dict[str, tuple[date, str]] = {}  # a ledger has few distinct days: one date object each
    strings: dict[str, str] = {}
    for ev in evidence:
        if ev.kind != "transaction":
            continue
        r = ev.record
        raw = r["date"]
        known = days.get(raw)
        if known is None:
            day = date.fromisoformat(raw)
            known = days[raw] = (day, f"{day.year:04d}-{day.month:02d}")
        account, category, memo = r.get("account") or "", r.get("category") or "", r.get("memo") or ""
        out.append(Txn(
            ev, known[0], known[1], Decimal(r["amount"]), ev.entity,
            strings.get(account) or strings.setdefault(account, account.strip()),
            strings.get(category) or strings.setdefault(category, category.strip()),
            memo.strip(),
        ))
    out.sort(key=_order)
    _last = (evidence, len(evidence), out)
    return out


def _order(t: Txn) -> tuple[date, str, int]:
    prov = t.evidence.provenance
    return t.day, prov.path, prov.line_start or 0


# The last evidence list seen and its transactions. Analyzers are pure, so the same list
# gives the same transactions; the list is held, so its id cannot be reused by another.
_last: tuple[Sequence[Evidence], int, list[Txn]] | None = None


def _period_label(txns: Sequence[Txn], month: str | None = None) -> str:
    path = txns[0].evidence.provenance.path if txns else "ledger"
    return f"{path} ({month})" if month else path


def _metric(name: str, entity: str | None, period: str, value: Decimal, unit: str,
            statement: str, topics: tuple[str, ...], sources: tuple[str, ...],
            severity: str | None = None, kind: str = "metric",
            recommendation: str | None = None) -> Fact:
    return Fact(
        id=stable_id("f", name, entity, period),
        kind=kind, name=name, entity=entity, period=period, value=value, unit=unit,
        statement=statement, topics=topics, sources=sources, severity=severity,
        recommendation=recommendation,
    )


def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """All finance facts for the ledger transactions in ``evidence``."""
    txns = transactions(evidence)
    if not txns:
        return []
    current = f"{ctx.as_of.year:04d}-{ctx.as_of.month:02d}"
    complete = [t for t in txns if t.month < current]
    facts: list[Fact] = []
    sums = _aggregate(complete)
    facts += monthly_results(complete, ctx, sums)
    facts += window_results(complete, ctx, sums)
    facts += month_over_month(complete, ctx, sums)
    facts += account_structure(complete, ctx, sums)
    facts += uncategorised_rows(txns, ctx)
    facts += duplicate_rows(txns, ctx)
    facts += missing_periods(complete, ctx)
    facts += month_in_progress(txns, current, ctx)
    from . import economics, runway  # they build on this module's Txn

    facts += runway.analyze(evidence, txns, complete, ctx, sums)
    facts += economics.analyze(complete, ctx)
    return facts


_GROUP = "\x00group"  # the key of all businesses together in _aggregate (None is a business: rows without one)


def _aggregate(txns: Sequence[Txn]) -> dict[tuple[str, str | None, str | None], list]:
    """One pass over the rows: [revenue, costs, paths, months, rows] per group of rows.

    Groups: ("month", entity, month), ("all", entity, None) and ("account", entity, account),
    with ``_GROUP`` as the entity of all businesses together (month and all only).
    """
    # First per (business, month, account, file): one add per row instead of five. While
    # every sum is exact, adding the partial sums gives the same totals, and groups come out
    # in the order their first row reached them, as row by row. Should any sum round (28
    # digits), the rows are added one by one instead, in their order, as they always were.
    try:
        with localcontext() as exact:
            exact.traps[Inexact] = True
            return _aggregate_parts(txns)
    except Inexact:
        return _aggregate_rows(txns)


def _aggregate_parts(txns: Sequence[Txn]) -> dict[tuple[str, str | None, str | None], list]:
    fine: dict[tuple[str | None, str, str, str], list] = {}
    get = fine.get
    for t in txns:
        key = (t.entity, t.month, t.account or "(no account)", t.evidence.provenance.path)
        part = get(key)
        if part is None:
            part = fine[key] = [ZERO, ZERO, 0]
        amount = t.amount
        if amount > 0:
            part[0] += amount
        else:
            part[1] -= amount
        part[2] += 1
    out: dict[tuple[str, str | None, str | None], list] = {}
    get = out.get
    for (entity, month, account, path), (revenue, costs, rows) in fine.items():
        for key in (("month", entity, month), ("month", _GROUP, month), ("all", entity, None),
                    ("all", _GROUP, None), ("account", entity, account)):
            acc = get(key)
            if acc is None:
                acc = out[key] = [ZERO, ZERO, set(), set(), 0]
            acc[0] += revenue
            acc[1] += costs
            acc[2].add(path)
            acc[3].add(month)
            acc[4] += rows
    return out


def _aggregate_rows(txns: Sequence[Txn]) -> dict[tuple[str, str | None, str | None], list]:
    out: dict[tuple[str, str | None, str | None], list] = {}
    get = out.get
    for t in txns:
        path, month, amount = t.evidence.provenance.path, t.month, t.amount
        for key in (("month", t.entity, month), ("month", _GROUP, month), ("all", t.entity, None),
                    ("all", _GROUP, None), ("account", t.entity, t.account or "(no account)")):
            acc = get(key)
            if acc is None:
                acc = out[key] = [ZERO, ZERO, set(), set(), 0]
            if amount > 0:
                acc[0] += amount
            else:
                acc[1] -= amount
            acc[2].add(path)
            acc[3].add(month)
            acc[4] += 1
    return out


def _with_group(sums: dict, kind: str) -> dict[tuple[str | None, str | None], list]:
    """Per business (None: rows without one); with more than one, None stands for all of them."""
    own = {(k[1], k[2]): v for k, v in sums.items() if k[0] == kind and k[1] != _GROUP}
    if len({k[0] for k in own}) > 1:
        own.update({(ORG, k[2]): v for k, v in sums.items() if k[0] == kind and k[1] == _GROUP})
    return own


def monthly_results(txns: Sequence[Txn], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue, costs and net per business per month, and for all businesses together."""
    facts = []
    sums = _aggregate(txns) if sums is None else sums
    groups = _with_group(sums, "month")
    for (entity, month), (revenue, costs, paths, _, _) in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        net = revenue - costs
        who, when = ctx.entity_name(entity), month_label(month)
        src = tuple(f"{p}, rows dated {when}" for p in sorted(paths))
        facts.append(_metric("revenue", entity, month, revenue, ctx.currency,
                             f"{who} revenue in {when} was {money(revenue, ctx.currency)}.",
                             ("finance", "revenue"), src))
        facts.append(_metric("costs", entity, month, costs, ctx.currency,
                             f"{who} costs in {when} were {money(costs, ctx.currency)}.",
                             ("cost", "finance"), src))
        loss = net < 0
        facts.append(_metric(
            "net", entity, month, net, ctx.currency,
            f"{who} {'lost' if loss else 'netted'} {money(abs(net), ctx.currency)} in {when}.",
            ("finance", "profitability"), src,
        ))
    return facts


def window_results(txns: Sequence[Txn], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Totals and margin per business over every complete month in the ledger."""
    facts = []
    sums = _aggregate(txns) if sums is None else sums
    by_entity = {entity: v for (entity, _), v in _with_group(sums, "all").items()}
    for entity, (revenue, costs, paths, month_set, _) in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        months = sorted(month_set)
        period = f"{months[0]}..{months[-1]}"
        span = month_range_label(months[0], months[-1])
        net = revenue - costs
        who = ctx.entity_name(entity)
        src = tuple(f"{p}, {span}" for p in sorted(paths))
        facts.append(_metric(
            "revenue_total", entity, period, revenue, ctx.currency,
            f"{who} took in {money(revenue, ctx.currency)} over {span}.", ("finance", "revenue"), src))
        facts.append(_metric(
            "costs_total", entity, period, costs, ctx.currency,
            f"{who} spent {money(costs, ctx.currency)} over {span}.", ("cost", "finance"), src))
        if net < 0:
            facts.append(_metric(
                "net_total", entity, period, net, ctx.currency,
                f"{who} lost {money(-net, ctx.currency)} over {span}.",
                ("finance", "profitability", "risk"), src, severity="high", kind="finding",
                recommendation=f"Review {who}'s pricing and largest costs; set a date to break even or stop."))
        else:
            facts.append(_metric(
                "net_total", entity, period, net, ctx.currency,
                f"{who} netted {money(net, ctx.currency)} over {span}.", ("finance", "profitability"), src))
        if revenue > 0:
            margin = (net / revenue * HUNDRED).quantize(Decimal("0.1"))
            facts.append(_metric(
                "net_margin", entity, period, margin, "%",
                f"{who} net margin over {span} was {percent(margin)}.", ("finance", "profitability"), src))
    return facts


def month_over_month(txns: Sequence[Txn], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue change of each business from its second-last to its last complete month."""
    facts = []
    sums = _aggregate(txns) if sums is None else sums
    groups = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "month" and k[1] != _GROUP}
    for entity in sorted({e for e, _ in groups}, key=lambda e: e or ""):
        months = sorted(m for (e, m) in groups if e == entity)
        if len(months) < 2:
            continue
        prev, last = months[-2], months[-1]
        before, after = groups[(entity, prev)][0], groups[(entity, last)][0]
        if before == 0:
            continue
        change = ((after - before) / before * HUNDRED).quantize(Decimal("0.1"))
        who = ctx.entity_name(entity)
        direction = "rose" if change >= 0 else "fell"
        statement = (
            f"{who} revenue {direction} {percent(abs(change))} from {month_label(prev)} to "
            f"{month_label(last)} ({money(before, ctx.currency)} to {money(after, ctx.currency)})."
        )
        severity = None
        kind = "metric"
        recommendation = None
        if change <= -10:
            kind, severity = "finding", ("high" if change <= -25 else "medium")
            recommendation = f"Find out which clients or channels drove {who}'s drop and act on the largest."
        paths = groups[(entity, prev)][2] | groups[(entity, last)][2]
        facts.append(Fact(
            id=stable_id("f", "revenue_change", entity, last),
            kind=kind, name="revenue_change", entity=entity, period=last, value=change, unit="%",
            statement=statement, topics=("finance", "revenue") + (("risk",) if severity else ()),
            severity=severity, recommendation=recommendation,
            sources=tuple(f"{p}, rows dated {month_label(last)}" for p in sorted(paths)),
        ))
    return facts


def account_structure(txns: Sequence[Txn], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Inflow and outflow per account per business over the complete months."""
    if not txns:
        return []
    sums = _aggregate(txns) if sums is None else sums
    months = sorted(sums[("all", _GROUP, None)][3])
    span = month_range_label(months[0], months[-1])
    period = f"{months[0]}..{months[-1]}"
    groups = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "account"}
    facts = []
    for (entity, account), (revenue, costs, paths, _, count) in sorted(
            groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        total = revenue - costs
        who = ctx.entity_name(entity)
        inflow = total >= 0
        statement = (
            f"{who} {'received' if inflow else 'paid'} {money(abs(total), ctx.currency)} "
            f"{'in' if inflow else 'for'} {account} over {span} ({count} transactions)."
        )
        facts.append(Fact(
            id=stable_id("f", "account_total", entity, account, period),
            kind="metric", name="inflow_by_account" if inflow else "outflow_by_account",
            entity=entity, period=period, value=total, unit=ctx.currency, statement=statement,
            topics=tuple(sorted(
                {"accounting", "finance", "revenue" if inflow else "cost"} | set(infer_topics(account))
                - {"operations"}
            )),
            sources=tuple(f"{p}, account {account}" for p in sorted(paths)),
        ))
    return facts


def uncategorised_rows(txns: Sequence[Txn], ctx: AnalysisContext) -> list[Fact]:
    """Transactions with no category: each business's books are incomplete until fixed."""
    facts = []
    groups: dict[str | None, list[Txn]] = defaultdict(list)
    for t in txns:
        if not t.category:
            groups[t.entity].append(t)
    for entity, rows in sorted(groups.items(), key=lambda kv: kv[0] or ""):
        total = sum((abs(t.amount) for t in rows), ZERO)
        who = ctx.entity_name(entity)
        lines = ", ".join(str(t.evidence.provenance.line_start) for t in rows[:8])
        facts.append(Fact(
            id=stable_id("f", "uncategorised", entity),
            kind="finding", name="uncategorised_transactions", entity=entity, severity="medium",
            value=Decimal(len(rows)), unit="transactions",
            statement=(
                f"{who} has {len(rows)} uncategorised transaction{'s' if len(rows) != 1 else ''} "
                f"worth {money(total, ctx.currency)}."
            ),
            recommendation="Assign a category to each before the month is closed.",
            topics=("accounting", "compliance"),
            evidence=tuple(t.evidence.id for t in rows),
            sources=(f"{rows[0].evidence.provenance.path}, lines {lines}",),
        ))
    return facts


def duplicate_rows(txns: Sequence[Txn], ctx: AnalysisContext) -> list[Fact]:
    """Rows identical in date, amount, business, account and memo: likely double entries."""
    first: dict[tuple[object, ...], Txn] = {}
    doubles: dict[tuple[object, ...], list[Txn]] = {}
    lower: dict[str, str] = {}  # accounts repeat: lower-case each once
    for t in txns:
        # the amount as the ledger wrote it: a double import repeats it exactly, and a
        # string hashes far faster than a Decimal (this loop sees every row)
        account = lower.get(t.account) or lower.setdefault(t.account, t.account.lower())
        key = (t.day, t.evidence.record["amount"], t.entity, account, t.memo.lower())
        held = first.setdefault(key, t)
        if held is not t:  # one list per repeated key, not one per row
            doubles.setdefault(key, [held]).append(t)
    facts = []
    for key, rows in sorted(doubles.items(), key=lambda kv: str(kv[0])):
        head = rows[0]
        who = ctx.entity_name(head.entity)
        lines = ", ".join(str(t.evidence.provenance.line_start) for t in rows)
        facts.append(Fact(
            id=stable_id("f", "duplicate", *key),
            kind="finding", name="duplicate_transactions", entity=head.entity, severity="medium",
            value=head.amount, unit=ctx.currency, period=head.day.isoformat(),
            statement=(
                f"{who}: {len(rows)} identical {head.account or 'ledger'} entries of "
                f"{money(head.amount, ctx.currency)} on {head.day.isoformat()}."
            ),
            recommendation="Check the bank statement and delete the extra entry if it is a double entry.",
            topics=("accounting", "compliance"),
            evidence=tuple(t.evidence.id for t in rows),
            sources=(f"{head.evidence.provenance.path}, lines {lines}",),
        ))
    return facts


def missing_periods(txns: Sequence[Txn], ctx: AnalysisContext) -> list[Fact]:
    """Months with no rows for a business, between the ledger's first and last month."""
    months = sorted({t.month for t in txns})
    if len(months) < 2:
        return []
    span = _month_seq(months[0], months[-1])
    facts = []
    have_by: dict[str | None, set[str]] = defaultdict(set)
    for t in txns:  # one pass, not one per business
        have_by[t.entity].add(t.month)
    for entity in sorted(have_by, key=lambda e: e or ""):
        have = have_by[entity]
        for month in span:
            if month in have:
                continue
            who = ctx.entity_name(entity)
            facts.append(Fact(
                id=stable_id("f", "missing_period", entity, month),
                kind="gap", name="missing_period", entity=entity, period=month, severity="high",
                statement=f"The ledger has no {who} transactions for {month_label(month)}.",
                recommendation=f"Import the {month_label(month)} bank and card statements of {who}.",
                topics=("accounting", "compliance"),
                sources=(f"{_period_label(txns)}",),
            ))
    return facts


def month_in_progress(txns: Sequence[Txn], current: str, ctx: AnalysisContext) -> list[Fact]:
    """A note of rows dated in the current (incomplete) month or later."""
    rows = [t for t in txns if t.month >= current]
    if not rows:
        return []
    return [Fact(
        id=stable_id("f", "month_in_progress", current),
        kind="note", name="month_in_progress", period=current, value=Decimal(len(rows)),
        unit="transactions",
        statement=(
            f"{len(rows)} transactions dated {month_label(current)} or later are month-to-date "
            "and not in the monthly figures."
        ),
        topics=("accounting", "finance"),
        sources=(_period_label(rows),),
    )]


def _month_seq(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
