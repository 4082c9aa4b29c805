"""Finance: revenue, costs and net per business per month, and the month so far.

Revenue and costs are profit's: the rows of the profit-and-loss types (``ledger_types``);
owner draws, capital, loans and transfers move cash only (``runway.py`` shows them). The
monthly figures count complete months: those before the as-of month, and the as-of month
itself when the as-of date or the ledger's last row falls on its last day. A month not
complete is shown as month-to-date, labelled. Rows of no business, where businesses are
configured, count in the group's figures only. Burn, cash and runway are in ``runway.py``;
unit economics and revenue concentration in ``economics.py``; both run as part of this
analyzer, over the same transactions. What the books lack is ``books.py``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from ..formatting import money, month_label, month_range_label, percent
from ..model import Evidence, Fact, stable_id
from . import economics, runway  # they build on this module's sums
from .base import AnalysisContext, rule
from .kinds import revenue_drop
from .ledger_rows import (ALL, Group, Ledger, aggregate, closed_loans, first_months, first_open_month, one_large_cost,
                          sold_businesses,
                          shared_ledger, with_group)
from .ledger_types import CASH_ONLY, debt_word, profit_effect, type_label, what_is_left
from .tables import possessive
from .views import LEDGER

__all__ = ["analyze", "monthly_results", "window_results", "month_over_month", "account_structure", "cost_structure",
           "month_to_date"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
NEW_MONTHS = 3  # a business whose rows start within the ledger is new for this many months
IMMATERIAL = 2  # a revenue fall under this % of the month's costs is no finding


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
    open_month = first_open_month(book, ctx.as_of)
    complete = [g for g in groups if g.month < open_month]
    facts: list[Fact] = []
    sums = aggregate(complete)
    facts += monthly_results(complete, ctx, sums)
    facts += window_results(complete, ctx, sums)
    facts += month_over_month(complete, ctx, sums)
    facts += account_structure(complete, ctx, sums)
    facts += interest_paid(complete, ctx)
    facts += tax_inside_sales(complete, ctx, sums)
    facts += card_paid_unseen(complete, ctx)
    facts += cost_structure(complete, ctx)
    facts += month_to_date(book, open_month, ctx)
    facts += runway.analyze(evidence, groups, complete, ctx, sums, open_month)
    facts += economics.analyze(book, complete, ctx)
    facts += sold(complete, ctx)
    return facts


def sold(txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """A business the ledger shows sold (``sold_businesses``): when, for what, and that the
    months after it are no fall; its KPIs are asked for no more, nor clients to win."""
    facts = []
    for entity, (month, said, amount) in sorted(sold_businesses(txns).items()):
        paths = sorted({g.path for g in txns if g.entity == entity and g.month == month and g.type == "asset_sale"})
        facts.append(Fact(
            id=stable_id("f", "business_sold", entity), kind="metric", name="business_sold", entity=entity,
            period=month, value=amount, unit=ctx.currency,
            statement=(f"{ctx.entity_name(entity)} was sold in {month_label(month)} ({said} "
                       f"{money(amount, ctx.currency)}: cash in, not revenue); the ledger has no revenue of it "
                       "since, so its results end there and the months after are no fall."),
            topics=("finance", "operations"), sources=tuple(f"{p}, rows dated {month_label(month)}" for p in paths),
        ))
    return facts


# an account that is a bank's (or a card's), not a chart's: "Holdings Checking x4408", "Business current"
_BANK_ACCOUNT = re.compile(r"(?i)^(?!.*\b(?:fees?|charges?|interest|terminal)\b).*(?:\b(?:checking|chequing|savings|current|"
                           r"account|acct|(?:credit|debit|business) card|amex)\b|\b[x*.]{0,3}\d{4}$)")


_CARD = re.compile(r"(?i)\bcredit ?card\b|\bcard (?:payment|autopay|bill|statement)|\bamex\b|\bamerican express\b"
                   r"|\bvisa\b|\bmastercard\b|\bdiscover\b|\bbusiness card\b")


def _stem(path: str) -> str:
    """A file's name without its folder and suffix, words apart: "ledger/amex_2026.csv" → "amex 2026"."""
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").replace("-", " ")


def card_paid_unseen(txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """A finding for each business that pays a credit card from the bank (a transfer) while
    the ledger holds none of the card's own purchases: what the card bought is then in no
    cost, and its profit is too high by it."""
    paid: dict[str | None, list] = {}
    seen: set[str | None] = set()  # businesses whose card purchases the ledger holds
    for g in txns:
        if g.entity is None:
            continue
        if g.type == "transfer" and g.sign < 0 and (_CARD.search(g.category) or _CARD.search(g.account)):
            acc = paid.setdefault(g.entity, [ZERO, 0, set(), set()])
            acc[0] -= g.amount
            acc[1] += g.count
            acc[2].add(g.path)
            acc[3].add(g.month)
        elif g.type in ("operating_expense", "cost_of_sales") and (_CARD.search(g.account) or _CARD.search(_stem(g.path))):
            seen.add(g.entity)  # (a card's own export: an account, or a file, named for the card)
    facts = []
    for entity, (amount, rows, paths, months) in sorted(paid.items(), key=lambda kv: kv[0] or ""):
        if entity in seen:
            continue
        first, last = min(months), max(months)
        span, cur, who = month_range_label(first, last), ctx.currency, ctx.entity_name(entity)
        facts.append(_books_finding(
            "card_purchases_unseen", entity, (first, last), amount, cur, ("accounting", "finance", "cost"),
            tuple(sorted(paths)),
            statement=(f"{who} paid {money(amount, cur)} to its credit card over {span} ({rows} transaction"
                       f"{'s' if rows != 1 else ''}), read as a transfer, but the ledger holds none of the card's "
                       "purchases: what the card bought is in no cost, so its profit is too high by up to that."),
            recommendation=(f"Add the card's own statement to the ledger, or name {possessive(who)} card payments a "
                            "cost in [sources.ledger.types].")))
    return facts


def _books_finding(name: str, entity: str | None, months: tuple[str, str], value: Decimal, unit: str,
                   topics: tuple[str, ...], sources: tuple[str, ...], statement: str, recommendation: str) -> Fact:
    """A medium finding of what the books count wrongly over ``months`` (first, last)."""
    period = f"{months[0]}..{months[1]}"
    return Fact(id=stable_id("f", name, entity, period), kind="finding", name=name, entity=entity, severity="medium",
                value=value, unit=unit, period=period, statement=statement, recommendation=recommendation,
                topics=topics, sources=sources)


def tax_inside_sales(txns: Sequence[Group], ctx: AnalysisContext, sums: dict) -> list[Fact]:
    """A finding for each business that pays sales tax or VAT over to the tax office while the
    ledger shows none collected: the tax is inside its sales (a till's or a card reader's
    deposits, gross), so its revenue and profit count money that is the tax office's."""
    facts = []
    for (entity, _), (revenue, _, paths, month_set, _, moves) in sorted(
            with_group(sums, "all", ctx).items(), key=lambda kv: kv[0][0] or ""):
        paid = moves.get("sales_tax")
        if entity is None or paid is None or paid[2] or not paid[3] or revenue <= 0:
            continue  # (collected rows apart from sales: nothing inside them)
        months = sorted(month_set)
        span, cur, who = month_range_label(months[0], months[-1]), ctx.currency, ctx.entity_name(entity)
        out = -paid[3]
        facts.append(_books_finding(
            "sales_tax_in_revenue", entity, (months[0], months[-1]), out, cur, ("accounting", "finance", "revenue"),
            tuple(f"{p}, {span}" for p in sorted(paths)),
            statement=(f"{who} paid {money(out, cur)} of sales tax or VAT over to the tax office over {span}, and "
                       f"the ledger shows none collected: the tax is inside its sales, so its revenue and profit "
                       f"({money(revenue, cur)} of revenue) count money that is the tax office's."),
            recommendation=(f"Book the tax {who} collects apart from its sales (the till or card reader can export "
                            "it), or read its revenue and profit less the tax until it does.")))
    return facts


def monthly_results(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue, costs and net per business per month, and for all businesses together; a
    business whose latest month lost money has a finding of it (high when the loss is half
    its revenue or more)."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
    groups = with_group(sums, "month", ctx)
    latest: dict[str | None, str] = {}
    paying: dict[str | None, int] = {}  # months a business paid its loans in
    closing: dict[tuple[str | None, str], Decimal] = {}  # (business, month) → principal that closed a loan
    for by_month in closed_loans(txns).values():
        for key, amount in by_month.items():
            closing[key] = closing.get(key, ZERO) + amount
    for entity, month in groups:
        latest[entity] = max(month, latest.get(entity, month))
        if any(kind in _DEBT and moved < 0 for kind, (moved, *_) in groups[(entity, month)][5].items()):
            paying[entity] = paying.get(entity, 0) + 1
    for (entity, month), (revenue, costs, paths, *_) in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
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
        if loss and entity is not None and month == latest[entity] and ctx.kind_of(entity) != "holding":
            # a business that lost money in its latest month is a shortfall, not only a figure;
            # what to do is the revenue drop's advice when revenue fell a tenth or more (a holding
            # company earns nothing by design: its month of bank fees is what it is for)
            prev = max((m for e, m in groups if e == entity and m < month), default=None)
            before = groups[(entity, prev)][0] if prev is not None else ZERO
            fell = before > 0 and (revenue - before) * 10 <= -before
            whole = sums.get(("all", entity, None))
            large = one_large_cost(txns, entity, whole[1], len(whole[3])) if whole is not None else None
            said = f"revenue {money(revenue, ctx.currency)}, costs {money(costs, ctx.currency)}"
            if large is not None and large[1] == month and net + large[2] > 0:
                # one large cost made the loss, a roof repaired or a boiler replaced at once: said, and
                # asked whether it is a one-off, not taken for the business's running
                category, _, amount, _ = large
                statement = (f"{who} lost {money(-net, ctx.currency)} in {when}, from one large cost: {category} "
                             f"of {money(amount, ctx.currency)}; without it, {who} netted "
                             f"{money(net + amount, ctx.currency)} ({said}).")
                severity, advice = "medium", _one_off_advice(category, amount, month, ctx.currency)
            else:
                statement = f"{who} lost {money(-net, ctx.currency)} in {when}: {said}."
                severity = "high" if revenue <= 0 or -net * 2 >= revenue else "medium"
                advice = None if fell else (f"Check whether {possessive(who)} loss is the season (the same month "
                                            "last year) or costs that have outgrown its revenue, and cut or defer "
                                            "the costs it can.")
            facts.append(_metric("month_loss", entity, month, net, ctx.currency, statement,
                                 ("finance", "profitability", "risk"), src, severity=severity, kind="finding",
                                 recommendation=advice))
        # what the month left after paying its loans (a landlord's cash flow after the mortgage):
        # for the latest month, and any month the loan payments took below zero; only for a
        # business that pays a loan month after month (a loan paid off at once is no month's loss)
        debt = sum((moved for kind, (moved, *_) in groups[(entity, month)][5].items() if kind in _DEBT), ZERO)
        debt += closing.get((entity, month), ZERO)  # (a loan closed in one payment: no month's loss)
        after = net + debt
        # (a holding company's months all lose by design: its latest says it)
        if debt < 0 and entity is not None and paying.get(entity, 0) > 1 and (
                month == latest[entity] or after < 0 and ctx.kind_of(entity) != "holding"):
            # a latest month that made money but not enough for its loan payments, by a quarter of
            # them or more, is a shortfall (a month that lost money says so already, as ``month_loss``;
            # a few dollars short of a large mortgage is a month's noise)
            short = (after < 0 and net >= 0 and month == latest[entity] and ctx.kind_of(entity) != "holding"
                     and -after * 4 >= -debt)
            facts.append(_metric(
                "net_after_debt", entity, month, after, ctx.currency,
                f"{who} {'lost' if after < 0 else 'kept'} {money(abs(after), ctx.currency)} in {when} after "
                f"{money(-debt, ctx.currency)} of loan payments ({'lost' if loss else 'netted'} "
                f"{money(abs(net), ctx.currency)} before them).",
                ("finance", "cash", "profitability") + (("risk",) if short else ()), src,
                severity="medium" if short else None, kind="finding" if short else "metric",
                recommendation=(f"Find what keeps {who} from covering its {debt_word(ctx.kind_of(entity))} "
                                f"payments (a vacancy, rent or invoices unpaid, costs that rose) and act on it."
                                if short else None),
            ))
    return facts


_DEBT = frozenset({"loan_principal", "loan_payment"})


def interest_paid(txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """The interest each business paid over the complete months (and the group's, with more
    than one): a cost, in its costs already, said apart because it is what its debts cost."""
    paid: dict[str | None, list] = {}  # business → [sum, rows, months, paths]
    for g in txns:
        if g.type != "interest" or g.amount >= 0 or ctx.unassigned(g.entity):
            continue
        for key in {g.entity, ALL}:
            acc = paid.setdefault(key, [ZERO, 0, set(), set()])
            acc[0] += -g.amount
            acc[1] += g.count
            acc[2].add(g.month)
            acc[3].add(g.path)
    if len(paid) == 2:
        paid.pop(ALL)  # one business: its own fact says it
    facts = []
    for entity, (total, rows, months, paths) in sorted(paid.items(), key=lambda kv: kv[0] or ""):
        first, last = min(months), max(months)
        span = month_range_label(first, last)
        who = ctx.entity_name(None if entity == ALL else entity)
        facts.append(_metric(
            "interest_paid", None if entity == ALL else entity, f"{first}..{last}", total, ctx.currency,
            f"{who} paid {money(total, ctx.currency)} of interest over {span} ({rows} transaction"
            f"{'s' if rows != 1 else ''}): what {'their' if entity == ALL else 'its'} debts cost, counted in "
            f"{'their' if entity == ALL else 'its'} costs.",
            ("finance", "cost"), tuple(f"{p}, {span}" for p in sorted(paths)),
        ))
    return facts


def window_results(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Totals and margin per business over every complete month in the ledger."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
    by_entity = {entity: v for (entity, _), v in with_group(sums, "all", ctx).items()}
    first = first_months(sums)[ALL]  # (a business whose months start later opened within the ledger)
    for entity, (revenue, costs, paths, month_set, *_) in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
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
        opened = _set_up(txns, entity, months[0], ctx) if entity is not None and months[0] > first and net < 0 else None
        facts.append(_net_total(entity, period, span, revenue, net, src, ctx,
                                one_large_cost(txns, entity, costs, len(months)) if net < 0 else None, opened,
                                len(months)))
        if revenue > 0 and ctx.kind_of(entity) != "holding":  # (a holding's few dollars: "-57,823.1%" says nothing)
            margin = (net / revenue * HUNDRED).quantize(Decimal("0.1"))
            facts.append(_metric(
                "net_margin", entity, period, margin, "%",
                f"{who} net margin over {span} was {percent(margin)}.", ("finance", "profitability"), src))
    return facts


def _set_up(txns: Sequence[Group], entity: str, month: str, ctx: AnalysisContext) -> tuple[str, str]:
    """(first month, the costs of that month only, largest first: "Insurance $2,160,
    Advertising $640") of a business whose rows start after the ledger's first month: it
    opened then, and what it paid then and never again is its set-up, not its running."""
    first: dict[str, Decimal] = {}
    later: set[str] = set()
    for g in txns:
        effect = profit_effect(g.type, g.amount)
        if g.entity != entity or effect is None or effect[0] != 1 or effect[1] <= 0:
            continue
        name = g.category or g.account or "(no category)"
        if g.month == month:
            first[name] = first.get(name, ZERO) + effect[1]
        else:
            later.add(name)
    once = sorted(((n, a) for n, a in first.items() if n not in later), key=lambda kv: (-kv[1], kv[0]))[:3]
    return month, ", ".join(f"{name} {money(amount, ctx.currency)}" for name, amount in once)


def _net_total(entity: str | None, period: str, span: str, revenue: Decimal, net: Decimal,
               src: tuple[str, ...], ctx: AnalysisContext, large: tuple[str, str, Decimal, int] | None = None,
               opened: tuple[str, str] | None = None, months: int = 0) -> Fact:
    """Net over the window: a loss is a finding, except for a holding company, which earns
    nothing itself; a business of another kind with costs and no revenue at all is asked
    where its revenue is, not told to break even. A loss that one large cost makes (``large``,
    without which the business made money: a roof paid at once) says so, and asks whether it
    is a one-off, not that the business break even or stop. A business that opened within the
    ledger (``opened``: its first month and that month's largest costs, in its first
    ``NEW_MONTHS`` months) says so: its first month carries its set-up; it is asked when it
    will break even, not told to stop."""
    who, cur = ctx.entity_name(entity), ctx.currency
    if net >= 0:
        return _metric("net_total", entity, period, net, cur, f"{who} netted {money(net, cur)} over {span}.",
                       ("finance", "profitability"), src)
    if ctx.kind_of(entity) == "holding":
        return _metric(
            "net_total", entity, period, net, cur,
            f"{who} lost {money(-net, cur)} over {span}: a holding company's costs, which the group carries.",
            ("finance", "profitability"), src)
    if revenue == 0:
        return _metric(
            "net_total", entity, period, net, cur,
            f"{who} lost {money(-net, cur)} over {span}, with no revenue in the ledger.",
            ("finance", "profitability", "risk"), src, severity="medium", kind="finding",
            recommendation=(f"Check whether {possessive(who)} revenue is booked under another business or missing "
                            f"from the ledger; if it earns nothing, set it up as a holding company "
                            f"([[entities]] kind = \"holding\")."))
    if opened is not None and revenue > 0 and months <= NEW_MONTHS:
        month, largest = opened
        first = "its first month" if months == 1 else f"its first {months} months"
        return _metric(
            "net_total", entity, period, net, cur,
            f"{who} lost {money(-net, cur)} over {span}, {first} (no rows before {month_label(month)})"
            + (f"; costs of {month_label(month)} only, its set-up: {largest}" if largest else "") + ".",
            ("finance", "profitability", "risk"), src, severity="medium", kind="finding",
            recommendation=(f"Set the month {who} should break even by, and check each month against it; "
                            f"ask the accountant which of {month_label(month)}'s costs last beyond it "
                            "(equipment, a year's insurance) and belong to later months."))
    if large is not None and net + large[2] > 0:
        category, month, amount, rows = large
        one = f"{category} of {money(amount, cur)} in {month_label(month)}" + (f" ({rows} transactions)" if rows > 1 else "")
        return _metric(
            "net_total", entity, period, net, cur,
            f"{who} lost {money(-net, cur)} over {span}, from one large cost: {one}; without it, {who} "
            f"netted {money(net + amount, cur)}.",
            ("finance", "profitability", "risk"), src, severity="medium", kind="finding",
            recommendation=_one_off_advice(category, amount, month, cur))
    return _metric(
        "net_total", entity, period, net, cur, f"{who} lost {money(-net, cur)} over {span}.",
        ("finance", "profitability", "risk"), src, severity="high", kind="finding",
        recommendation=f"Review {possessive(who)} pricing and largest costs; set a date to break even or stop.")


def _one_off_advice(category: str, amount: Decimal, month: str, currency: str) -> str:
    return (f"Check that the {money(amount, currency)} of {category} in {month_label(month)} is a one-off; "
            "if it is work that lasts for years (a roof, a vehicle, equipment), ask the accountant "
            "whether to book it as an asset rather than a cost of these months.")


def month_over_month(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Revenue change of each business from its second-last to its last complete month: a fall of
    a tenth or more is a finding, unless the business is a holding company (what little it earns
    is no business's revenue) or the fall is under ``IMMATERIAL`` % of that month's costs."""
    facts = []
    sums = aggregate(txns) if sums is None else sums
    groups = {(k[1], k[2]): v for k, v in sums.items()
              if k[0] == "month" and k[1] != ALL and not ctx.unassigned(k[1])}
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
        if change == 0:  # (not "rose 0.0%")
            statement = (f"{who} revenue was unchanged from {month_label(prev)} to {month_label(last)} "
                         f"({money(after, ctx.currency)} each month).")
        else:
            statement = (
                f"{who} revenue {'rose' if change > 0 else 'fell'} {percent(abs(change))} from {month_label(prev)} to "
                f"{month_label(last)} ({money(before, ctx.currency)} to {money(after, ctx.currency)})."
            )
        severity = None
        kind = "metric"
        recommendation = None
        # (a holding's few dollars of interest, or a fall the month's costs dwarf, is no finding:
        # "Holdings revenue fell 33.3% ($3.00 to $2.00)")
        material = (before - after) * HUNDRED >= IMMATERIAL * groups[(entity, prev)][1]
        if change <= -10 and material and ctx.kind_of(entity) != "holding":
            kind, severity = "finding", ("high" if change <= -25 else "medium")
            recommendation = revenue_drop(ctx.kind_of(entity), who)
        paths = groups[(entity, prev)][2] | groups[(entity, last)][2]
        facts.append(Fact(
            id=stable_id("f", "revenue_change", entity, last),
            kind=kind, name="revenue_change", entity=entity, period=last, value=change, unit="%",
            statement=statement, topics=("finance", "revenue") + (("risk",) if severity else ()),
            severity=severity, recommendation=recommendation,
            sources=tuple(f"{p}, rows dated {month_label(last)}" for p in sorted(paths)),
        ))
    return facts


_SHOWN_CATEGORIES = 6  # categories a business's cost line names; the rest are summed


def cost_structure(txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Each business's costs over the complete months by category, largest first, and what
    refunds and chargebacks took from its revenue: where its money goes, as its bookkeeper
    reads it (an account says only which bank it left from). A business with one category
    of costs has nothing to break down."""
    costs: dict[str | None, dict[str, list]] = {}  # business → category → [sum, rows]
    refunds: dict[str | None, dict[str, list]] = {}
    months: set[str] = set()
    paths: dict[str | None, set[str]] = {}
    for g in txns:
        if ctx.unassigned(g.entity):
            continue
        effect = profit_effect(g.type, g.amount)
        if effect is None or not effect[1]:
            continue
        where, value = effect
        if where == 0 and value >= 0:
            continue  # revenue
        into = (costs if where == 1 else refunds).setdefault(g.entity, {})
        acc = into.setdefault(g.category.strip() or g.account.strip() or "(no category)", [ZERO, 0])  # (no category: the account names it)
        acc[0] += value if where == 1 else -value
        acc[1] += g.count
        months.add(g.month)
        paths.setdefault(g.entity, set()).add(g.path)
    if not months:
        return []
    first, last = min(months), max(months)
    span, period = month_range_label(first, last), f"{first}..{last}"
    facts = []
    for entity, by in sorted(costs.items(), key=lambda kv: kv[0] or ""):
        if len(by) < 2:
            continue
        ranked = sorted(by.items(), key=lambda kv: (-kv[1][0], kv[0]))
        total = sum((v[0] for _, v in ranked), ZERO)
        shown = "; ".join(f"{cat} {money(v[0], ctx.currency)}" for cat, v in ranked[:_SHOWN_CATEGORIES])
        rest = ranked[_SHOWN_CATEGORIES:]
        more = (f"; {len(rest)} other categor{'ies' if len(rest) != 1 else 'y'} "
                f"{money(sum((v[0] for _, v in rest), ZERO), ctx.currency)}") if rest else ""
        facts.append(_metric(
            "costs_by_category", entity, period, total, ctx.currency,
            f"{possessive(ctx.entity_name(entity))} costs over {span} by category: {shown}{more} "
            f"({money(total, ctx.currency)} in all).",
            ("accounting", "cost", "finance"), tuple(f"{p}, {span}" for p in sorted(paths[entity])),
        ))
    for entity, by in sorted(costs.items(), key=lambda kv: kv[0] or ""):
        # what software and hosting cost, for the CTO: the categories whose words are tech's
        tech = sorted(((cat, v) for cat, v in by.items() if "tech" in ctx.vocabulary.topics_for(cat)),
                      key=lambda kv: (-kv[1][0], kv[0]))
        if not tech:
            continue
        total = sum((v[0] for _, v in tech), ZERO)
        listed = "; ".join(f"{cat} {money(v[0], ctx.currency)} ({v[1]} transaction{'s' if v[1] != 1 else ''})"
                           for cat, v in tech)
        facts.append(_metric(
            "software_cost", entity, period, total, ctx.currency,
            f"{ctx.entity_name(entity)} paid {money(total, ctx.currency)} for software and hosting over {span}: {listed}.",
            ("cost", "finance", "tech"), tuple(f"{p}, {span}" for p in sorted(paths[entity])),
        ))
    for entity, by in sorted(refunds.items(), key=lambda kv: kv[0] or ""):
        total = sum((v[0] for v in by.values()), ZERO)
        rows = sum(v[1] for v in by.values())
        named = ", ".join(f"{cat} {money(v[0], ctx.currency)}" for cat, v in sorted(by.items(), key=lambda kv: (-kv[1][0], kv[0])))
        facts.append(_metric(
            "revenue_reductions", entity, period, total, ctx.currency,
            f"Refunds and chargebacks took {money(total, ctx.currency)} from {possessive(ctx.entity_name(entity))} "
            f"revenue over {span} ({rows} transaction{'s' if rows != 1 else ''}: {named}).",
            ("accounting", "finance", "revenue"), tuple(f"{p}, {span}" for p in sorted(paths[entity])),
        ))
    return facts


def _movement(who: str, account: str, span: str, counted: str, kind: str, business: str | None, cur: str,
              sums: tuple[Decimal, Decimal, Decimal, Decimal]) -> str:
    """What went through an account of a type that only moves cash (``aggregate``'s sums)."""
    moved, moved_in, moved_out, earned = sums
    label = type_label(kind, business)
    if earned:  # paid ahead, then earned as the work was delivered: not money that went back
        back = f" and paid back {money(-moved_out, cur)}" if moved_out else ""
        return (f"{who} received {money(moved_in, cur)} through {account} over {span} ({counted}), of which "
                f"{money(earned, cur)} was earned as the work was delivered (now revenue){back}: {label}, "
                "not revenue until earned.")
    if moved_in and moved_out:  # both ways: sales tax collected and paid over, a loan lent and repaid
        # (what is left, as the CFO's line says it: "£150 more in than out, owed back to them")
        return (f"{who} received {money(moved_in, cur)} and paid out {money(-moved_out, cur)} through {account} "
                f"over {span} ({counted}), {what_is_left(kind, moved, cur)}: {label}, neither revenue nor a cost.")
    if moved == 0:
        return (f"{who}: what went out and came in through {account} netted to nothing over {span} ({counted}): "
                f"{label}, neither revenue nor a cost.")
    return (f"{who} {'received' if moved >= 0 else 'paid out'} {money(abs(moved), cur)} through {account} over "
            f"{span} ({counted}): {label}, {'not revenue' if moved >= 0 else 'not a cost'}.")


def account_structure(txns: Sequence[Group], ctx: AnalysisContext, sums: dict | None = None) -> list[Fact]:
    """Inflow and outflow per account per business over the complete months; what an
    account only moves (owner draws, loans, transfers) is a movement, never revenue or cost."""
    if not txns:
        return []
    sums = aggregate(txns) if sums is None else sums
    months = sorted(sums[("all", ALL, None)][3])
    span = month_range_label(months[0], months[-1])
    period = f"{months[0]}..{months[-1]}"
    groups = {(k[1], k[2]): v for k, v in sums.items() if k[0] == "account" and not ctx.unassigned(k[1])}
    facts = []
    named = runway.move_categories(txns, ctx.currency, by_account=True)  # ("Tips collected $2,077")
    for (entity, account), (revenue, costs, paths, _, count, moves) in sorted(
            groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        who = ctx.entity_name(entity)
        sources = tuple(f"{p}, account {account}" for p in sorted(paths))
        for kind, (moved, rows, moved_in, moved_out, earned) in sorted(moves.items()):
            count -= rows
            counted = f"{rows} transaction{'s' if rows != 1 else ''}" + (
                f": {named[entity, account, kind]}" if (entity, account, kind) in named else "")
            facts.append(Fact(
                id=stable_id("f", "account_movement", entity, account, kind, period),
                kind="metric", name="movement_by_account", entity=entity, subject=kind, period=period,
                value=moved, unit=ctx.currency,
                statement=_movement(who, account, span, counted, kind, ctx.kind_of(entity), ctx.currency,
                                    (moved, moved_in, moved_out, earned)),
                topics=("accounting", "cash", "finance"), sources=sources,
            ))
        if not count:
            continue
        total = revenue - costs
        inflow = total >= 0
        counted = f"{count} transaction{'s' if count != 1 else ''}"
        if revenue and costs:  # a bank account: both ways, and what was left
            statement = (f"{who}: {money(revenue, ctx.currency)} of revenue came in and {money(costs, ctx.currency)} "
                         f"of costs went out through {account} over {span} ({counted}), "
                         f"net {money(total, ctx.currency)}.")
        elif _BANK_ACCOUNT.search(account):  # "Holdings Checking x4408": where the money went, not what for
            statement = (f"{who}: {money(abs(total), ctx.currency)} of {'revenue came in' if inflow else 'costs went out'} "
                         f"through {account} over {span} ({counted}).")
        else:
            statement = (f"{who} {'received' if inflow else 'paid'} {money(abs(total), ctx.currency)} "
                         f"{'in' if inflow else 'for'} {account} over {span} ({counted}).")
        facts.append(Fact(
            id=stable_id("f", "account_total", entity, account, period),
            kind="metric", name="inflow_by_account" if inflow else "outflow_by_account",
            entity=entity, period=period, value=total, unit=ctx.currency, statement=statement,
            topics=tuple(sorted(
                {"accounting", "finance", "revenue" if inflow else "cost"} | set(ctx.vocabulary.topics_for(account))
                - {"operations"}
            )),
            sources=sources,
        ))
    return facts


def month_to_date(book: Ledger, open_month: str, ctx: AnalysisContext) -> list[Fact]:
    """The month not yet complete, so far: revenue, costs and net per business and for the
    group, labelled month-to-date; and a note of rows dated after the as-of date."""
    as_of = ctx.as_of
    current = f"{as_of.year:04d}-{as_of.month:02d}"
    facts: list[Fact] = []
    later = sum(g.count for g in book.groups if g.day > as_of and g.month >= open_month)
    if later:
        facts.append(Fact(
            id=stable_id("f", "rows_after_as_of", as_of), kind="note", name="rows_after_as_of",
            period=as_of.isoformat(), value=Decimal(later), unit="transactions",
            statement=f"{later} ledger transactions are dated after {as_of.isoformat()} and are left out.",
            topics=("accounting", "finance"), sources=(_period_label(book, lambda m: m >= open_month),),
        ))
    if open_month != current:
        return facts  # the as-of month is complete: it is in the monthly figures
    rows = [g for g in book.groups if g.month == current and g.day <= as_of]
    if not rows:
        return facts
    first = date(as_of.year, as_of.month, 1)
    days = f"{first.day}–{as_of.day} {month_label(current)}" if as_of.day > 1 else f"1 {month_label(current)}"
    sums = with_group(aggregate(rows), "month", ctx)
    for (entity, _), (revenue, costs, paths, _, count, moves) in sorted(sums.items(), key=lambda kv: kv[0][0] or ""):
        net = revenue - costs
        who, cur = ctx.entity_name(entity), ctx.currency
        moved = "".join(f"; {type_label(k)} {money(v, cur)}" for k, (v, *_) in sorted(moves.items()) if k in CASH_ONLY)
        facts.append(Fact(
            id=stable_id("f", "month_to_date", entity, current), kind="metric", name="month_to_date",
            entity=entity, period=current, value=net, unit=cur,
            statement=(f"{who}, month to date ({days}, {count} transactions): revenue {money(revenue, cur)}, "
                       f"costs {money(costs, cur)}, net {money(net, cur)}{moved}. The month is not over, so it "
                       "is not in the monthly figures yet."),
            topics=("finance",), sources=tuple(f"{p}, rows dated {days}" for p in sorted(paths)),
        ))
    return facts
