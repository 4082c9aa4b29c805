"""Contribution, fixed costs, units sold and revenue concentration per business.

Over the ledger's last ``WINDOW_MONTHS`` complete months (by the calendar; a business that
began within them, from its first month), or, for a business without a row every month (a
season, a few jobs a year), over every month since its first:

- contribution: revenue less cost of sales (the rows of those types, ``ledger_types``);
  fixed costs: its other costs (operating expenses, interest, tax). A business with no
  cost-of-sales rows gets neither: the rule cannot tell its variable costs from its fixed
  ones. Owner draws, loans and transfers are neither. Break-even in units is worked out
  from these with a count of units (``breakeven.py``).
- revenue rows: how many revenue rows a business had, where none is a payout, deposit or
  batch that bundles many sales; they count units where the config or the notes say one row
  is one unit (``breakeven.py``), never otherwise.
- revenue concentration: the share of a business's revenue paid by its largest payer,
  the payer read from the memo ("Keel & Compass Realty - Oct retainer"). Platform payouts
  and transfers ("Stripe payout - …") bundle many customers and are not a payer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, month_range_label, number, percent
from ..model import Fact, stable_id
from .base import AnalysisContext
from .kinds import applies, serves
from .ledger_rows import Group, Ledger, month_before, month_seq, regular_cadence, sold_businesses
from .ledger_types import profit_effect
from .tables import possessive

__all__ = ["analyze", "unit_economics", "revenue_rows", "revenue_concentration", "payer", "WINDOW_MONTHS"]

WINDOW_MONTHS = 3
ZERO = Decimal(0)
HUNDRED = Decimal(100)
# a payer's share of a business's revenue at or above which concentration is a finding
CONCENTRATION = ((Decimal(40), "high"), (Decimal(25), "medium"))
_SEPARATOR = re.compile(r"\s+[-–—|:]\s+|:\s+")
_NOT_A_PAYER = re.compile(
    r"\b(payouts?|transfers?|deposits?|settlements?|batch(?:es)?|interest|refunds?|cash|sales|rent|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|"
    # a card processor's or a platform's payout, not a customer ("SQUARE INC DEP", "STRIPE GB")
    r"square|stripe|paypal|shopify|sumup|zettle|izettle|airbnb|vrbo|etsy|amazon|ebay|uber|doordash|deliveroo|"
    r"gocardless|merchant|card|dep|pos|hmrc|irs|refund)\b"
    # a job, load, order or invoice by its number ("FH-1116 load - private move", "INV 2041"): what
    # was sold, not who paid
    r"|\b(?:[a-z]{1,5}[-#]?\d{3,}|#\d+|load|job|order|invoice|inv|booking|ticket|ref)\b", re.I)
# a revenue row that bundles many sales: not one unit
_BUNDLE = re.compile(r"\b(payouts?|deposits?|settlements?|batch(ed)?|takings|summary|z.?report|"
                     r"(daily|weekly|monthly|week's|day's) (sales|takings|total|orders)|sales total)\b", re.I)
_WORD = re.compile(r"[a-z]{3,}")
# how the money came, before who sent it: "Wire from", "ACH from", "Payment from", "Zelle from"
_BY = re.compile(r"(?i)^(?:(?:incoming |inbound )?(?:wire|ach|eft|bacs|zelle|venmo|paypal|transfer|payment|deposit|"
                 r"cheque|check)s?(?: transfer| payment| deposit)?\s+(?:from|by)\s+)")
# a job's, an order's or an invoice's reference: "NC-1001", "FH-0701", "INV1045", "#4410"
_REF = r"#\s?\d{3,}|[A-Z]{1,6}[-#/]?\d{3,}(?:[-/]\d+)?"
# one at the start of a memo ("NC-1001 Zone C", "FH-0701 load"): what was sold
_REFERENCE = re.compile(rf"^\s*({_REF})\b")
# a bank statement's line for money in: a payer's name and its reference ("HALDEN LOGISTICS LTD
# INV1045", "CALDER HOUSING TRUST RC-1046"), or its name alone, in capitals, two words or more
_TRAILING_REFERENCE = re.compile(rf"\s+(?:{_REF}|\d{{4,}})$")
_BANK_PREFIX = re.compile(r"^(?:ACH|EFT|BACS|FPI|FPS|BGC|CHAPS|WIRE|DIRECT|BANK|INCOMING|ONLINE)"
                          r"(?:\s+(?:CREDIT|DEPOSIT|DEP|TRANSFER|TRF|PMT|PAYMENT|IN|FROM))*\s+")
_BANK_SUFFIX = re.compile(r"(?:\s+(?:VENDOR|PAYMENTS?|PMT|CREDIT|DEPOSIT|TRANSFER|TRF|REMIT(?:TANCE)?))+$")
_BANK_NAME = re.compile(r"^[A-Z][A-Z&'.]*(?:\s+[A-Z&'.]+)+$")


def analyze(book: Ledger, complete: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Contribution, fixed costs, units and revenue concentration for each business with enough data."""
    by_entity: dict[str | None, list[Group]] = defaultdict(list)
    if not complete:
        return []
    last = [max(t.month for t in complete)]
    while len(last) < WINDOW_MONTHS:  # the last complete months of the ledger, by the calendar
        last.insert(0, month_before(last[0]))
    seen: dict[str | None, set[str]] = defaultdict(set)
    for t in complete:
        if not ctx.unassigned(t.entity):
            seen[t.entity].add(t.month)
    # the last months by the calendar, from a business's first month if it began within them; a
    # business without a row every month (a season, a few jobs a year): every month it has had
    windows = {entity: [m for m in last if m >= min(months)] if regular_cadence(months)
               else month_seq(min(months), last[-1]) for entity, months in seen.items()}
    for t in complete:
        if not ctx.unassigned(t.entity) and t.month >= windows[t.entity][0]:
            by_entity[t.entity].append(t)
    payers: dict[str | None, list[tuple]] = defaultdict(list)
    for part in book.payers({e: set(m) for e, m in windows.items()}, payer):
        payers[part[0]].append(part)
    facts: list[Fact] = []
    gone = sold_businesses(complete)  # (a business sold has no break-even to reach, nor clients to win)
    for entity, window in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        months = windows[entity]
        if applies(unit_economics, ctx.kind_of(entity)) and entity not in gone:
            facts += unit_economics(entity, window, months, ctx)
        if applies(revenue_concentration, ctx.kind_of(entity)) and entity not in gone:
            facts += revenue_concentration(entity, window, payers[entity], months, ctx)
        if applies(payer_list, ctx.kind_of(entity)):
            facts += payer_list(entity, payers[entity], months, ctx)
    return facts + revenue_rows(book, windows, ctx)


_NAMED = 12  # payers a business's list names, the largest first


@serves(exclude=("holding",))
def payer_list(entity: str | None, payers: Sequence[tuple], months: list[str], ctx: AnalysisContext) -> list[Fact]:
    """Who pays a business, as its revenue rows' memos name them, the largest first: its clients
    or tenants, which tells whose a line of the group's notes naming one is (``associates``)."""
    paid, names = _by_payer(payers)
    if not paid:
        return []
    ranked = sorted(paid, key=lambda k: (-paid[k], k))
    who, cur = ctx.entity_name(entity), ctx.currency
    span, period = month_range_label(months[0], months[-1]), f"{months[0]}..{months[-1]}"
    listed = "; ".join(f"{names[k]} {money(paid[k], cur)}" for k in ranked[:_NAMED])
    more = f"; {len(ranked) - _NAMED} more" if len(ranked) > _NAMED else ""
    return [Fact(
        id=stable_id("f", "payers", entity, period), kind="metric", name="payers", entity=entity,
        value=Decimal(len(ranked)), unit="payers", period=period,
        statement=f"{possessive(who)} payers named in the ledger's memos over {span}: {listed}{more}.",
        topics=("clients",), sources=(f"ledger, {span}",),
    )]


def _by_payer(payers: Sequence[tuple]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """What each payer paid (``Ledger.payers`` rows), by its name lower-cased, and the name as
    first written."""
    paid: dict[str, Decimal] = defaultdict(lambda: ZERO)
    names: dict[str, str] = {}
    for _, who_paid, amount, *_ in payers:
        paid[who_paid.lower()] += amount
        names.setdefault(who_paid.lower(), who_paid)
    return paid, names


def _sources(rows: Sequence[Group], span: str) -> tuple[str, ...]:
    return tuple(f"{p}, {span}" for p in sorted({t.path for t in rows}))


@serves(exclude=("holding",))
def unit_economics(entity: str | None, rows: Sequence[Group], months: list[str], ctx: AnalysisContext) -> list[Fact]:
    """A business's contribution (revenue less cost of sales) and its fixed costs, a month."""
    revenue = variable = fixed = ZERO
    for t in rows:
        effect = profit_effect(t.type, t.amount)
        if effect is None:
            continue
        if effect[0] == 0:
            revenue += effect[1]
        elif t.type == "cost_of_sales":
            variable += effect[1]
        else:
            fixed += effect[1]
    if not any(t.type == "cost_of_sales" for t in rows) or revenue <= 0:
        return []
    n = Decimal(len(months))
    who, cur = ctx.entity_name(entity), ctx.currency
    span, period = month_range_label(months[0], months[-1]), f"{months[0]}..{months[-1]}"
    sources = _sources(rows, span)
    cent = Decimal("0.01")
    contribution = ((revenue - variable) / n).quantize(cent, rounding=ROUND_HALF_UP)
    ratio = ((revenue - variable) / revenue * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    monthly_fixed = (fixed / n).quantize(cent, rounding=ROUND_HALF_UP)
    facts = [Fact(
        id=stable_id("f", "contribution_margin", entity, period), kind="metric", name="contribution_margin",
        entity=entity, value=contribution, unit=cur, period=period,
        statement=(
            f"{who}: revenue of {money(revenue, cur)} less {money(variable, cur)} of cost of sales over {span} "
            f"left a contribution of {money(contribution, cur)} a month, a contribution margin of {percent(ratio)}."
        ),
        topics=("finance", "profitability", "unit-economics"), sources=sources,
    )]
    if monthly_fixed > 0:  # (no fixed costs: nothing to break even on)
        facts.append(Fact(
            id=stable_id("f", "fixed_costs", entity, period), kind="metric", name="fixed_costs",
            entity=entity, value=monthly_fixed, unit=cur, period=period,
            statement=(f"{possessive(who)} fixed costs (every cost but cost of sales) were "
                       f"{money(monthly_fixed, cur)} a month over {span}."),
            topics=("finance", "cost", "unit-economics"), sources=sources,
        ))
    if contribution <= 0:
        facts.append(Fact(
            id=stable_id("f", "negative_contribution", entity, period), kind="finding",
            name="negative_contribution", entity=entity, severity="critical", value=contribution, unit=cur,
            period=period,
            statement=(f"{who} spent {money(variable, cur)} on cost of sales to take in {money(revenue, cur)} over "
                       f"{span}: it loses money on its sales before any fixed cost."),
            recommendation=f"Raise {possessive(who)} prices or cut its cost of sales before selling more.",
            topics=("finance", "profitability", "unit-economics", "risk"), sources=sources,
        ))
    return facts


def revenue_rows(book: Ledger, windows: dict[str | None, list[str]], ctx: AnalysisContext) -> list[Fact]:
    """Per business, its revenue rows in the window when none bundles many sales (a payout, a
    deposit, a batch): a count of sales where the config or the notes say one row is one unit
    (``breakeven.py``). Its ``subject`` is a word every one of their memos has ("load"), if any;
    its unit is ``jobs`` where every memo starts with a job reference ("NC-1001 Zone C"), else ``rows``."""
    counts: dict[str | None, int] = {}
    memos: dict[str | None, set[str]] = {}
    paths: dict[str | None, set[str]] = {}
    for table in book.tables:
        revenue = book.revenue_pairs(table)
        wanted = [set(windows.get(entity) or ()) for entity in table.entities]
        months = [iso[:7] for iso in table.days]
        strings = table.strings
        for n, (e, d, k, a, c, m) in enumerate(zip(table.entity, table.day, table.coef, table.account, table.category,
                                                    table.memo)):
            if months[d] not in wanted[e] or (a, c) not in revenue:
                continue
            if k <= 0 and (n not in table.odd or table.amount(n) <= 0):
                continue
            entity = table.entities[e]
            counts[entity] = counts.get(entity, 0) + 1
            memos.setdefault(entity, set()).add(strings[m])
            paths.setdefault(entity, set()).add(table.path)
    facts = []
    for entity, count in sorted(counts.items(), key=lambda kv: kv[0] or ""):
        if any(_BUNDLE.search(memo) for memo in memos[entity]):
            continue
        common = set.intersection(*(set(_WORD.findall(memo.lower())) for memo in memos[entity]))
        jobs = all(_REFERENCE.match(memo) for memo in memos[entity])  # each row names its own job
        months = windows[entity]
        span, period = month_range_label(months[0], months[-1]), f"{months[0]}..{months[-1]}"
        per_month = (Decimal(count) / len(months)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        facts.append(Fact(
            id=stable_id("f", "revenue_rows", entity, period), kind="metric", name="revenue_rows", entity=entity,
            subject=min(common) if common else None, value=Decimal(count), unit="jobs" if jobs else "rows",
            period=period,
            statement=(f"{possessive(ctx.entity_name(entity))} revenue came in {count} ledger rows over {span} "
                       f"({number(per_month)} a month), none of them a payout or batch of several sales"
                       f"{', each naming its own job' if jobs else ''}."),
            topics=("finance", "unit-economics", "accounting"),
            sources=tuple(f"{p}, revenue rows of {span}" for p in sorted(paths[entity])),
        ))
    return facts


def payer(memo: str) -> str | None:
    """Who paid, read from a memo's first part ("Coastal Dental Group - Oct retainer"), or from a
    bank statement's line, a name and its reference ("HALDEN LOGISTICS LTD INV1045") or a name
    alone in capitals ("CHAPEL ALLERTON PHARMACY"); None if unclear."""
    parts = _SEPARATOR.split(memo.strip(), maxsplit=1)
    if len(parts) < 2:
        line = memo.strip()
        named = _TRAILING_REFERENCE.sub("", line)
        if named == line and not _BANK_NAME.match(line):
            return None  # ("Oct retainer", "Nightly rates": what was sold, not who paid)
        # (and what the bank says of the transfer: "ACH CREDIT BRIGHTLINE DENTA PAYMENT": Brightline paid)
        parts = [_BANK_SUFFIX.sub("", _BANK_PREFIX.sub("", named))]
    name = _BY.sub("", parts[0].strip().strip('"'))  # "WIRE FROM K. MORALES": K. Morales paid
    if len(name) < 3 or not any(c.isalpha() for c in name) or _NOT_A_PAYER.search(name):
        return None
    return name


# (a let building's tenants each pay a unit's rent, a holiday let's guests and a charter's customers
# come and go: a unit's share of the rent or one trip's fare is no client to keep)
@serves(exclude=("holding", "rental", "short-let", "charter"))
def revenue_concentration(entity: str | None, rows: Sequence[Group], payers: Sequence[tuple],
                          months: list[str], ctx: AnalysisContext) -> list[Fact]:
    """The largest payer's share of a business's revenue; a finding at 25% and more.

    ``payers`` are the business's revenue rows in the window with a payer named in the memo:
    (entity, payer, amount, day, path, line), in date order (``Ledger.payers``).
    """
    inflows = [t for t in rows if t.sign > 0 and t.type == "revenue"]
    # the revenue the business's figures state (``profit_effect``, as its totals count it): its
    # sales less what refunds and chargebacks took
    revenue = sum((effect[1] for t in rows if (effect := profit_effect(t.type, t.amount)) and effect[0] == 0), ZERO)
    refunded = -sum((t.amount for t in rows if t.type == "refund" and t.amount < 0), ZERO)
    paid, names = _by_payer(payers)
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
            f"({money(paid[top], cur)} of {money(revenue, cur)}"
            + (f", after {money(refunded, cur)} of refunds and chargebacks" if refunded else "")
            + f"; {len(paid)} payers named in the memos)."
        ),
        recommendation=(
            f"Win more clients for {who} so that no single payer carries {percent(share)} of revenue, "
            f"and keep {names[top]} under a signed contract." if severity else None
        ),
        topics=("finance", "revenue", "clients") + (("risk",) if severity else ()),
        sources=_sources(inflows, span),
    )]
