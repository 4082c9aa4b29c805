"""Finance: revenue, costs and net per business per month, and what the books lack.

Only complete months (those ending before the as-of date) count in monthly figures; the
rows of the month in progress are named in a note so nothing is silently dropped. Burn,
cash and runway are in ``runway.py``; unit economics and revenue concentration in
``economics.py``; both run as part of this analyzer, over the same transactions.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Callable, Sequence

from ..formatting import money, month_label, month_range_label, percent
from ..model import Evidence, Fact, stable_id
from ..transactions import TransactionTable
from . import economics, runway  # they build on this module's sums
from .base import AnalysisContext, rule
from .views import LEDGER
from .ledger_rows import ALL, Group, Ledger, Row, aggregate, shared_ledger

__all__ = ["analyze"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ORG = None  # entity of organisation-wide facts


def _period_label(book: Ledger, month: Callable[[str], bool]) -> str:
    """The file of the first row in the months ``month`` picks, as a fact's source."""
    path = book.first_path(month)
    return path if path is not None else "ledger"


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


@rule(reads=LEDGER)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """All finance facts for the ledger transactions in ``evidence``."""
    book = shared_ledger(evidence, ctx)
    groups = book.groups
    if not groups:
        return []
    current = f"{ctx.as_of.year:04d}-{ctx.as_of.month:02d}"
    complete = [g for g in groups if g.month < current]
    facts: list[Fact] = []
    sums = aggregate(complete)
    facts += monthly_results(complete, ctx, sums)
    facts += window_results(complete, ctx, sums)
    facts += month_over_month(complete, ctx, sums)
    facts += account_structure(complete, ctx, sums)
    facts += uncategorised_rows(book, ctx)
    facts += duplicate_rows(book, ctx)
    facts += missing_periods(book, complete, ctx)
    facts += month_in_progress(book, current, ctx)
    facts += runway.analyze(evidence, groups, complete, ctx, sums)
    facts += economics.analyze(book, complete, ctx)
    return facts


def _with_group(sums: dict, kind: str) -> dict[tuple[str | None, str | None], list]:
    """Per business (None: rows without one); with more than one, None stands for all of them."""
    own = {(k[1], k[2]): v for k, v in sums.items() if k[0] == kind and k[1] != ALL}
    if len({k[0] for k in own}) > 1:
        own.update({(ORG, k[2]): v for k, v in sums.items() if k[0] == kind and k[1] == ALL})
    return own


def monthly_results(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue, costs and net per business per month, and for all businesses together."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
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


def window_results(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Totals and margin per business over every complete month in the ledger."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
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


def month_over_month(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue change of each business from its second-last to its last complete month."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
    groups = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "month" and k[1] != ALL}
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


def account_structure(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Inflow and outflow per account per business over the complete months."""
    if not txns:
        return []
    sums = aggregate(txns) if sums is None else sums
    months = sorted(sums[("all", ALL, None)][3])
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
                {"accounting", "finance", "revenue" if inflow else "cost"} | set(ctx.vocabulary.topics_for(account))
                - {"operations"}
            )),
            sources=tuple(f"{p}, account {account}" for p in sorted(paths)),
        ))
    return facts


def uncategorised_rows(book: Ledger, ctx: AnalysisContext) -> list[Fact]:
    """Transactions with no category: each business's books are incomplete until fixed."""
    facts = []
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for row in book.rows(_blank_category):
        groups[row.entity].append(row)
    for entity, rows in sorted(groups.items(), key=lambda kv: kv[0] or ""):
        total = sum((abs(t.amount) for t in rows), ZERO)
        who = ctx.entity_name(entity)
        lines = ", ".join(str(t.line) for t in rows[:8])
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
            evidence=tuple(t.id for t in rows),
            sources=(f"{rows[0].path}, lines {lines}",),
        ))
    return facts


def _blank_category(table: TransactionTable) -> list[int]:
    empty = {n for n, text in enumerate(table.strings) if not text}
    return [n for n, c in enumerate(table.category) if c in empty] if empty else []


def duplicate_rows(book: Ledger, ctx: AnalysisContext) -> list[Fact]:
    """Rows identical in date, amount, business, account and memo: likely double entries."""
    doubles: dict[tuple[object, ...], list[Row]] = {}
    for row in book.rows(_repeated(book.tables)):
        # the amount as the ledger wrote it: a double import repeats it exactly
        key = (row.day, row.table.amount_text(row.n), row.entity, row.account.lower(), row.memo.lower())
        doubles.setdefault(key, []).append(row)
    facts = []
    for key, rows in sorted(doubles.items(), key=lambda kv: str(kv[0])):
        head = rows[0]
        who = ctx.entity_name(head.entity)
        amount = head.amount
        lines = ", ".join(str(t.line) for t in rows)
        facts.append(Fact(
            id=stable_id("f", "duplicate", *key),
            kind="finding", name="duplicate_transactions", entity=head.entity, severity="medium",
            value=amount, unit=ctx.currency, period=head.day.isoformat(),
            statement=(
                f"{who}: {len(rows)} identical {head.account or 'ledger'} entries of "
                f"{money(amount, ctx.currency)} on {head.day.isoformat()}."
            ),
            recommendation="Check the bank statement and delete the extra entry if it is a double entry.",
            topics=("accounting", "compliance"),
            evidence=tuple(t.id for t in rows),
            sources=(f"{head.path}, lines {lines}",),
        ))
    return facts


def _repeated(tables: Sequence[TransactionTable]) -> Callable[[TransactionTable], list[int]]:
    """A picker of the rows whose (day, amount, business, account, memo) occurs more than once.

    First by day and amount alone, packed into one integer per row (a million rows cost a
    set of ints, not a million tuples): only rows that share those can be doubles, and the
    rest of the key is compared for those rows only.
    """
    days: dict[str, int] = {}
    for table in tables:
        for iso in table.days:
            days.setdefault(iso, len(days))
    n_days = len(days) or 1
    seen: set = set()
    twice: set = set()
    columns = []
    for table in tables:
        dmap = [days[iso] for iso in table.days]
        column: list = [(k * 64 + x + 32) * n_days + dmap[d] for d, k, x in zip(table.day, table.coef, table.exp)]
        for n, text in table.odd.items():  # amounts held as text: a key of their own kind
            column[n] = ("odd", text, dmap[table.day[n]])
        add = seen.add
        twice.update([k for k in column if k in seen or add(k)])
        columns.append(column)
    seen.clear()
    full: dict[tuple, int] = {}
    candidates = []
    for table, column in zip(tables, columns):
        rows = [n for n, k in enumerate(column) if k in twice] if twice else []
        keys = [(column[n], table.entities[table.entity[n]], table.strings[table.account[n]].lower(),
                 table.strings[table.memo[n]].lower()) for n in rows]
        for key in keys:
            full[key] = full.get(key, 0) + 1
        candidates.append((rows, keys))
    columns.clear()
    picked = {id(table): [n for n, key in zip(rows, keys) if full[key] > 1]
              for table, (rows, keys) in zip(tables, candidates)}
    return lambda table: picked.pop(id(table))


def missing_periods(book: Ledger, txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Months with no rows for a business, between the ledger's first and last month."""
    months = sorted({t.month for t in txns})
    if len(months) < 2:
        return []
    span = _month_seq(months[0], months[-1])
    facts = []
    have_by: dict[str | None, set[str]] = defaultdict(set)
    for t in txns:  # one pass, not one per business
        have_by[t.entity].add(t.month)
    current = f"{ctx.as_of.year:04d}-{ctx.as_of.month:02d}"  # txns are the rows before this month
    label = _period_label(book, lambda m: m < current)
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
                sources=(f"{label}",),
            ))
    return facts


def month_in_progress(book: Ledger, current: str, ctx: AnalysisContext) -> list[Fact]:
    """A note of rows dated in the current (incomplete) month or later."""
    rows = [g for g in book.groups if g.month >= current]
    if not rows:
        return []
    count = sum(g.count for g in rows)
    return [Fact(
        id=stable_id("f", "month_in_progress", current),
        kind="note", name="month_in_progress", period=current, value=Decimal(count),
        unit="transactions",
        statement=(
            f"{count} transactions dated {month_label(current)} or later are month-to-date "
            "and not in the monthly figures."
        ),
        topics=("accounting", "finance"),
        sources=(_period_label(book, lambda m: m >= current),),
    )]


def _month_seq(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
