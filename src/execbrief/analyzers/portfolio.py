"""Portfolio: client rosters and invoice tables in the notes → MRR, billing gaps, churn risks.

A client roster is a table with a client (or customer, account) column and a recurring
fee: a fee column whose name says so (monthly, MRR, retainer, plan, subscription) or whose
cells state a period ("$1,200/month"). A table of one-off jobs (``job | customer | due |
price``) is no roster. Contract-end, last-paid and status columns add to what can be found.
An invoice table has an invoice column, an amount, a due date and a status or paid-date
column. Clients whose status says they left, or whose contract ended with no payment since,
are gone: not counted. A client whose contract ended is never owed for, nor a churn risk:
it is served without a contract, or gone. Ages are counted from the as-of date.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, number, percent
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import NOTE_TABLES
from .tables import Label, Row, latest, possessive, table_rows

__all__ = ["analyze", "Client", "clients", "mrr", "contracts_past_end", "past_due", "churn_risks", "invoices_past_due",
           "KEYS"]

NAME = re.compile(r"^(client|customer|account|company)(_?name)?$")
FEE = re.compile(r"fee|retainer|mrr|monthly|price|rate|amount|value|billing")
END = re.compile(r"end|expir|renew|term")
PAID = re.compile(r"paid|last_payment|payment_date")
STATUS = re.compile(r"^(status|state|stage)$")
LEFT = re.compile(r"\b(churned|left|cancell?ed|ended|lost|former|inactive|terminated|paused|gone|closed|"
                  r"finished|stopped|expired|moved on|ex-client)\b", re.I)
RECURRING = re.compile(r"month|mrr|retainer|plan|subscription|recurring|per_(week|year|annum)|annual|weekly|yearly")
WORRY = re.compile(r"\b(at risk|risk|review|notice|unhappy|complain\w*|leaving|late|overdue|dispute\w*|"
                   r"not renewing|non-?renew\w*|cancell?ing)\b", re.I)
INVOICE = re.compile(r"^(invoice|inv)(_?(no|number|id))?$")
DUE = re.compile(r"due")
TO_MONTH = {None: Decimal(1), "month": Decimal(1), "year": Decimal(1) / 12, "week": Decimal(52) / 12}
BILLING_DAYS = 30  # a monthly retainer: one fee falls due every 30 days
AGING = ((90, "critical", "over 90 days"), (60, "high", "over 60 days"), (30, "medium", "over 30 days"))
RENEWAL_WINDOW = 90  # a contract ending within this many days is a churn risk
HUNDRED = Decimal(100)
AMOUNT = re.compile(r"amount|total|value|fee|sum")
PAID_ON = re.compile("paid")
ROSTER = Label(NAME, FEE, unless=INVOICE)  # a client, by business and name
INVOICES = Label(INVOICE, blank=True)  # an invoice, by business and number
_LEAVING = re.compile(r"\b(not renewing|non-?renew\w*|leaving|cancell?ing|notice)\b", re.I)
KEYS = (ROSTER, INVOICES)  # the keys this rule reads rows by (see tables.LatestRows)


class Client:
    """A roster row read as a client: name, monthly fee, dates and status."""

    def __init__(self, row: Row) -> None:
        self.row = row
        self.name = row.text(NAME)
        fee = row.money_in(FEE)
        # a fee is recurring when its column's name or its cell says so ("Monthly fee", "$900/month")
        self.recurring = fee is not None and (bool(RECURRING.search(fee[0])) or fee[2] is not None)
        self.fee = (fee[1] * TO_MONTH[fee[2]]).quantize(Decimal("0.01")) if fee and fee[2] in TO_MONTH else None
        self.end = row.day(END)
        self.paid = row.day(PAID)
        self.status = row.text(STATUS)

    def active(self, as_of: date) -> bool:
        """Not marked as gone, and not ended with no payment since its end. A client that is
        "not renewing" is a client (and pays) until its contract ends: a churn risk, not gone."""
        if LEFT.search(self.status):
            return False
        if self.ended(as_of) and _LEAVING.search(self.status):
            return False
        return not (self.ended(as_of) and self.paid is not None and self.paid <= self.end)  # type: ignore[operator]

    def ended(self, as_of: date) -> bool:
        """Whether its contract ended before ``as_of``."""
        return self.end is not None and self.end < as_of


def clients(rows: Sequence[Row], as_of: date) -> list[Client]:
    """The active clients of every roster with a recurring fee, one per business and name (the
    latest note wins)."""
    return [c for c in map(Client, latest(rows, ROSTER)) if c.recurring and c.active(as_of) and c.name]


@rule(reads=NOTE_TABLES, keys=KEYS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Portfolio facts for the client rosters and invoice tables in the notes."""
    rows = ctx.shared("table rows", evidence, lambda: table_rows(evidence))
    roster = clients(rows, ctx.as_of)
    by_entity: dict[str | None, list[Client]] = defaultdict(list)
    for c in roster:
        by_entity[c.row.entity].append(c)
    facts: list[Fact] = []
    for entity, group in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        facts += mrr(entity, group, ctx)
        facts += contracts_past_end(group, ctx)
        facts += past_due(entity, group, ctx)
        facts += churn_risks(group, ctx)
    facts += invoices_past_due(rows, ctx)
    return facts


def _who(entity: str | None, ctx: AnalysisContext) -> str:
    return ctx.entity_name(entity) if entity else "Group"


def _sources(group: Sequence[Client]) -> tuple[str, ...]:
    paths: dict[str, list[int]] = defaultdict(list)
    for c in group:
        paths[c.row.ev.provenance.path].append(c.row.ev.provenance.line_start or 0)
    return tuple(f"{p}, lines {min(ls)}-{max(ls)}" if len(ls) > 1 else f"{p}:{ls[0]}" for p, ls in sorted(paths.items()))


def mrr(entity: str | None, group: Sequence[Client], ctx: AnalysisContext) -> list[Fact]:
    """Monthly recurring revenue and client count of a business, and its largest client's share."""
    billed = [c for c in group if c.fee is not None]
    if not billed:
        return []
    total = sum((c.fee for c in billed), Decimal(0))  # type: ignore[misc]
    who, cur, today = _who(entity, ctx), ctx.currency, ctx.as_of.isoformat()
    src, ids = _sources(billed), tuple(c.row.ev.id for c in billed)
    facts = [
        Fact(id=stable_id("f", "mrr_roster", entity), kind="metric", name="mrr", entity=entity, value=total,
             unit=cur, period=today,
             statement=f"{who} bills {money(total, cur)} a month in recurring fees (its MRR, monthly recurring revenue) to {len(billed)} clients (client table).",
             topics=("clients", "revenue"), evidence=ids, sources=src),
        Fact(id=stable_id("f", "client_count_roster", entity), kind="metric", name="client_count", entity=entity,
             value=Decimal(len(group)), unit="clients", period=today,
             statement=f"{who} has {len(group)} active clients in its client table.",
             topics=("clients",), evidence=ids, sources=src),
    ]
    top = max(billed, key=lambda c: (c.fee, c.name))
    if total > 0 and len(billed) > 1:
        share = (top.fee / total * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)  # type: ignore[operator]
        severity = "high" if share >= 40 else "medium" if share >= 25 else None
        facts.append(Fact(
            id=stable_id("f", "client_concentration", entity), kind="finding" if severity else "metric",
            name="client_concentration", entity=entity, severity=severity, value=share, unit="%", period=today,
            statement=f"{top.name} is {percent(share)} of {possessive(who)} recurring fees ({money(top.fee, cur)} of {money(total, cur)} a month).",  # type: ignore[arg-type]
            recommendation=f"Grow {possessive(who)} other accounts so no one client is {percent(share)} of its fees." if severity else None,
            topics=("clients", "revenue") + (("risk",) if severity else ()), evidence=(top.row.ev.id,), sources=(top.row.where,),
        ))
    return facts


def contracts_past_end(group: Sequence[Client], ctx: AnalysisContext) -> list[Fact]:
    """Clients still on the roster after their contract's end date: served without a contract."""
    facts = []
    for c in group:
        if c.end is None or c.end >= ctx.as_of:
            continue
        days = (ctx.as_of - c.end).days
        fee = f" ({money(c.fee, ctx.currency)} a month)" if c.fee is not None else ""
        facts.append(Fact(
            id=stable_id("f", "contract_past_end", c.row.entity, c.name.lower()), kind="finding",
            name="contract_past_end", entity=c.row.entity, severity="high" if days > 60 else "medium",
            value=Decimal(days), unit="days", period=c.end.isoformat(),
            statement=(f"{_who(c.row.entity, ctx)} still serves {c.name}{fee}, whose contract ended on "
                       f"{c.end.isoformat()}, {days} days ago."),
            recommendation=f"Get a renewal with {c.name} signed, or agree the date the work stops.",
            topics=("clients", "compliance", "revenue", "revenue-leaks"), evidence=(c.row.ev.id,), sources=(c.row.where,),
        ))
    return facts


def _aging(days: int) -> tuple[str, str] | None:
    return next(((sev, label) for limit, sev, label in AGING if days > limit), None)


def past_due(entity: str | None, group: Sequence[Client], ctx: AnalysisContext) -> list[Fact]:
    """Clients who have not paid for more than one billing period, bucketed over 30/60/90 days."""
    facts, buckets = [], defaultdict(lambda: Decimal(0))
    cur, who = ctx.currency, _who(entity, ctx)
    late = []
    for c in group:
        if c.paid is None or c.fee is None or c.ended(ctx.as_of):
            continue  # (a contract that ended accrues no fees: contracts_past_end says it is still served)
        days = (ctx.as_of - c.paid).days
        aging = _aging(days)
        if aging is None:
            continue
        fees = days // BILLING_DAYS
        owed = c.fee * fees
        buckets[aging[1]] += owed
        late.append(c)
        facts.append(Fact(
            id=stable_id("f", "invoice_past_due", entity, c.name.lower()), kind="finding", name="invoice_past_due",
            entity=entity, severity=aging[0], value=owed, unit=cur, period=c.paid.isoformat(),
            statement=(f"{who}: {c.name} last paid on {c.paid.isoformat()}, {days} days ago; about "
                       f"{money(owed, cur)} ({number(Decimal(fees))} monthly fee{'s' if fees > 1 else ''} of "
                       f"{money(c.fee, cur)}) is unpaid, {aging[1]}."),
            recommendation=f"Call {c.name} about the unpaid {money(owed, cur)} and agree a payment date.",
            topics=("clients", "finance", "receivables", "revenue"), evidence=(c.row.ev.id,), sources=(c.row.where,),
        ))
    if late:
        total = sum(buckets.values(), Decimal(0))
        parts = "; ".join(f"{money(buckets[label], cur)} {label}" for _, _, label in reversed(AGING) if buckets[label])
        facts.append(Fact(
            id=stable_id("f", "receivables_past_due", entity), kind="metric", name="receivables_past_due",
            entity=entity, value=total, unit=cur, period=ctx.as_of.isoformat(),
            statement=f"{who} is owed about {money(total, cur)} by {len(late)} client{'s' if len(late) != 1 else ''} who {'are' if len(late) != 1 else 'is'} behind: {parts}.",
            topics=("clients", "finance", "receivables"), evidence=tuple(c.row.ev.id for c in late), sources=_sources(late),
        ))
    return facts


def churn_risks(group: Sequence[Client], ctx: AnalysisContext) -> list[Fact]:
    """Clients likely to leave: a contract ending soon, a long-unpaid account, a worried status."""
    fees = sorted((c.fee for c in group if c.fee is not None), reverse=True)
    big = set(fees[:3])
    facts = []
    for c in group:
        if c.ended(ctx.as_of):
            continue  # its contract has ended: served without one (contracts_past_end), not a risk of leaving
        reasons = []
        ending = c.end is not None and ctx.as_of <= c.end and (c.end - ctx.as_of).days <= RENEWAL_WINDOW
        if ending:
            reasons.append(f"its contract ends on {c.end.isoformat()}, in {(c.end - ctx.as_of).days} days")  # type: ignore[union-attr]
        if c.paid is not None and (ctx.as_of - c.paid).days > 60:
            reasons.append(f"it has not paid since {c.paid.isoformat()}")
        if WORRY.search(c.status):
            reasons.append(f"its status reads '{c.status}'")
        if not reasons:
            continue
        key_client = c.fee is not None and c.fee in big
        fee = f" ({money(c.fee, ctx.currency)} a month)" if c.fee is not None else ""
        # a status that says it is going ("Leaving", "Not renewing", "Gave notice"): it leaves, and
        # its money is what to replace, not a renewal to agree
        going = _LEAVING.search(c.status) is not None
        if going:
            lost = f"{money(c.fee, ctx.currency)} a month" if c.fee is not None else "its fees"
            when = f" after {c.end.isoformat()}" if ending else ""  # type: ignore[union-attr]
            advice = f"Replace {possessive(c.name)} {lost}{when}: win a client of that size, or ask why it is leaving."
        else:
            advice = (f"Meet {c.name} before {c.end.isoformat()} to agree a renewal." if ending  # type: ignore[union-attr]
                      else f"Call {c.name} this week about what it needs to stay.")
        facts.append(Fact(
            id=stable_id("f", "churn_risk", c.row.entity, c.name.lower()), kind="finding", name="churn_risk",
            entity=c.row.entity, severity="high" if key_client or len(reasons) > 1 else "medium",
            value=c.fee, unit=ctx.currency if c.fee is not None else None,
            statement=f"{_who(c.row.entity, ctx)}: {c.name}{fee} {'is leaving' if going else 'may leave'}: {'; '.join(reasons)}.",
            recommendation=advice,
            topics=("clients", "revenue", "risk"), evidence=(c.row.ev.id,), sources=(c.row.where,),
        ))
    return facts


def invoices_past_due(rows: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """Invoices unpaid more than 30 days after their due date (each as its latest note lists it:
    an invoice marked paid in this week's note is paid, whatever last week's note said)."""
    facts = []
    for row in latest(rows, INVOICES):
        due, amount = row.day(DUE), row.money(AMOUNT)
        status = row.text(STATUS).lower()
        settled = ("paid" in status and "unpaid" not in status) or row.day(PAID_ON) is not None
        if due is None or amount is None or settled:
            continue
        days = (ctx.as_of - due).days
        aging = _aging(days)
        if aging is None:
            continue
        number_ = row.text(INVOICE)
        who = _who(row.entity, ctx)
        party = row.text(NAME)
        facts.append(Fact(
            id=stable_id("f", "invoice_past_due", row.entity, "invoice", number_.lower()), kind="finding",
            name="invoice_past_due", entity=row.entity, severity=aging[0], value=amount[0], unit=ctx.currency,
            period=due.isoformat(),
            statement=(f"{who}: invoice {number_}{' to ' + party if party else ''} for {money(amount[0], ctx.currency)} "
                       f"was due on {due.isoformat()} and is unpaid, {aging[1]}."),
            recommendation=f"Chase invoice {number_} today and stop new work until it is paid.",
            topics=("clients", "finance", "receivables", "revenue"), evidence=(row.ev.id,), sources=(row.where,),
        ))
    return facts
