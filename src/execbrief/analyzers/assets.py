"""Assets of rental and service businesses: occupancy, vacancy, maintenance, delivery, jobs.

- A units table (a unit column and a status column, often rent and lease end) gives
  occupancy, and each vacant or closed unit the rent it is not earning.
- Bullets under a heading like "Open backlog" or "Repairs needed" are the maintenance
  backlog; an asset table with a last-service date flags service that is overdue.
- A jobs table (job, order or delivery, with due and delivered dates, or price and cost)
  gives the on-time rate and the margin of each job.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, percent
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import NOTE_TABLES
from .kinds import applies, serves
from .tables import BACKLOG, Label, Row, latest, possessive, table_rows

__all__ = ["analyze", "fill_advice", "occupancy", "rent_roll", "vacancies", "maintenance_backlog", "service_overdue", "on_time", "job_margins",
           "unit_state", "KEYS"]

UNIT = re.compile(r"^(unit|units|apartment|apt|room|flat|property|suite|space)(_?(no|number|id|name))?$")
STATUS = re.compile(r"^(status|state|occupancy)$")
RENT = re.compile(r"rent|rate|price|fee")
SINCE = re.compile(r"since|vacant|status")
VACANT = re.compile(r"\b(vacant|empty|available|to let|unlet|void|unoccupied)\b", re.I)
OFFLINE = re.compile(r"\b(maintenance|repairs?|closed|renovat\w*|out of service|offline|blocked|uninhabitable)\b", re.I)
# (a tenant who is late, owes rent or has given notice still has the unit: it is let)
EARNING = re.compile(r"\b(let|leased|occupied|rented|tenant\w*|short[- ]term|booked|in use|owner|arrears|late|"
                     r"unpaid|overdue|owes|owing|behind|notice|leaving|moving out)\b", re.I)
QUOTE = re.compile(r"quot", re.I)
MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
ASSET = re.compile(r"^(van|vehicle|truck|car|asset|equipment|machine|unit)(_?(no|number|id|name))?$")
SERVICED = re.compile(r"service|serviced|inspect|maintenance")
ALARM = re.compile(r"\b(overdue|warning|fault|broken|failed|due now)\b", re.I)
JOB = re.compile(r"^(job|order|delivery|booking|charter|trip|project|run|ticket)(_?(no|number|id|name|ref))?$")
DUE = re.compile(r"due|promised|deadline|scheduled|target")
DONE = re.compile(r"delivered|completed|done|finished|actual|arrived")
PRICE = re.compile(r"price|revenue|fee|charge|billed|amount|sale")
COST = re.compile(r"cost|expense")
SERVICE_DAYS = 180  # an asset not serviced for longer is overdue
ON_TIME_TARGET = Decimal(95)
TO_MONTH = {None: Decimal(1), "month": Decimal(1), "year": Decimal(1) / 12, "week": Decimal(52) / 12}
HUNDRED = Decimal(100)
UNITS = Label(UNIT, STATUS)  # a unit, by business and name
SERVICED_ASSETS = Label(ASSET, dated=SERVICED)  # an asset with a service date, by business and name
JOBS = Label(JOB, blank=True)  # a job, by business and number
KEYS = (UNITS, SERVICED_ASSETS, JOBS)  # the keys this rule reads rows by (see tables.LatestRows)


@rule(reads=NOTE_TABLES, keys=KEYS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Asset facts for the units, fleet and jobs tables and the backlog sections in the notes."""
    rows = ctx.shared("table rows", evidence, lambda: table_rows(evidence))
    units = latest(rows, UNITS)
    by_entity: dict[str | None, list[Row]] = defaultdict(list)
    for row in units:
        by_entity[row.entity].append(row)
    facts: list[Fact] = []
    for entity, group in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        if not applies(occupancy, ctx.kind_of(entity)):
            continue  # a "unit" column of a business that lets nothing
        facts += occupancy(entity, group, ctx)
        facts += rent_roll(entity, group, ctx)
        facts += vacancies(group, ctx)
    facts += maintenance_backlog(evidence, ctx)
    facts += service_overdue(rows, ctx)
    jobs = latest(rows, JOBS)  # a job listed again in a later note counts once
    facts += on_time(jobs, ctx)
    facts += job_margins(jobs, ctx)
    return facts


def _who(entity: str | None, ctx: AnalysisContext) -> str:
    return ctx.entity_name(entity) if entity else "Group"


def unit_state(status: str) -> str | None:
    """``vacant``, ``offline`` or ``earning`` from a unit's status text; None if it says neither."""
    if VACANT.search(status):
        return "vacant"
    if OFFLINE.search(status):
        return "offline"
    if EARNING.search(status):
        return "earning"
    return None


@serves("rental", "short-let", "holding")
def occupancy(entity: str | None, group: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """The share of units earning, and the monthly rent the empty ones would bring in."""
    states = [(row, unit_state(row.text(STATUS))) for row in group]
    known = [(row, s) for row, s in states if s]
    if not known:
        return []
    if ctx.kind_of(entity) == "short-let":
        return _in_service(entity, states, ctx)
    earning = sum(1 for _, s in known if s == "earning")
    vacant = sum(1 for _, s in known if s == "vacant")
    offline = len(known) - earning - vacant
    rate = (Decimal(earning) / len(known) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    who, today = _who(entity, ctx), ctx.as_of.isoformat()
    src = tuple(sorted({r.ev.provenance.path for r, _ in known}))
    facts = [Fact(
        id=stable_id("f", "occupancy_table", entity), kind="metric", name="occupancy_rate", entity=entity,
        value=rate, unit="%", period=today,
        statement=(f"{who}: {earning} of {len(known)} units are earning ({percent(rate)} occupancy); "
                   f"{vacant} vacant, {offline} closed for work."),
        topics=("operations", "revenue"), evidence=tuple(r.ev.id for r, _ in known), sources=src,
    )]
    lost, empty = Decimal(0), []
    for row, state in known:
        rent = row.money(RENT)
        if state != "earning" and rent and rent[1] in TO_MONTH:
            lost += rent[0] * TO_MONTH[rent[1]]
            empty.append(row.text(UNIT))
    if lost:
        lost = lost.quantize(Decimal("0.01"))
        facts.append(Fact(
            id=stable_id("f", "vacancy_lost_revenue", entity), kind="metric", name="vacancy_lost_revenue",
            entity=entity, value=lost, unit=ctx.currency, period=today,
            statement=(f"{who} is not collecting {money(lost, ctx.currency)} a month of rent on its empty or closed "
                       f"unit{'s' if len(empty) != 1 else ''} ({', '.join(empty)})."),
            topics=("revenue", "revenue-leaks", "operations", "finance"), evidence=tuple(r.ev.id for r, _ in known), sources=src,
        ))
    return facts


def rent_roll(entity: str | None, group: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """The monthly rent of the units let on monthly (or weekly, yearly) terms; nightly lets are not in it."""
    let = [(row, rent) for row in group if unit_state(row.text(STATUS)) == "earning"
           and (rent := row.money(RENT)) is not None and rent[1] in TO_MONTH]
    if not let:
        return []
    total = sum((rent[0] * TO_MONTH[rent[1]] for _, rent in let), Decimal(0)).quantize(Decimal("0.01"))
    who = _who(entity, ctx)
    return [Fact(
        id=stable_id("f", "rent_roll", entity), kind="metric", name="rent_roll", entity=entity, value=total,
        unit=ctx.currency, period=ctx.as_of.isoformat(),
        statement=(f"{possessive(who)} rent roll is {money(total, ctx.currency)} a month: the rent of its "
                   f"{len(let)} let unit{'s' if len(let) != 1 else ''} on monthly terms."),
        topics=("revenue", "operations", "finance"), evidence=tuple(r.ev.id for r, _ in let),
        sources=tuple(sorted({r.ev.provenance.path for r, _ in let})),
    )]


def _in_service(entity: str | None, states: list[tuple[Row, str | None]], ctx: AnalysisContext) -> list[Fact]:
    """A nightly let's rooms or units open for bookings and closed for work: a unit's status
    says whether it can be booked, not how many nights it is (its occupancy is the nights'
    share, which the notes or the bookings say), and "available" is open, not vacant."""
    closed = [row for row, state in states if state == "offline"]
    total = len(states)
    word = _unit_word(states[0][0])
    names = ", ".join(f"{word} {row.text(UNIT)}" for row in closed)
    return [Fact(
        id=stable_id("f", "units_in_service", entity), kind="metric", name="units_in_service", entity=entity,
        value=Decimal(total - len(closed)), unit=word, period=ctx.as_of.isoformat(),
        statement=(f"{_who(entity, ctx)}: {total - len(closed)} of its {total} {word}s are open for bookings"
                   + (f"; {names} closed for work." if closed else ".")),
        topics=("operations", "revenue"), evidence=tuple(r.ev.id for r, _ in states),
        sources=tuple(sorted({r.ev.provenance.path for r, _ in states})),
    )]


_UNIT_WORDS = {"apt": "apartment", "apartment": "apartment", "room": "room", "flat": "flat", "suite": "suite",
               "space": "space", "property": "property"}


def _unit_word(row: Row) -> str:
    """What the table calls its units: "room" in a B&B's *Room* column, "flat", else "unit"."""
    key = (row.col(UNIT) or "").lower()
    return next((word for prefix, word in _UNIT_WORDS.items() if key.startswith(prefix)), "unit")


def fill_advice(unit: str) -> str:
    """What to do about an empty unit ("flat 2"), from a unit table or a note's line (``vacant``)."""
    return f"Fill {unit}: check its asking rent against nearby lets and widen where it is listed."


def vacancies(group: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """Each vacant or closed unit, with the rent it is losing (so far, when its start is known)."""
    facts = []
    cur = ctx.currency
    for row in group:
        status = row.text(STATUS)
        state = unit_state(status)
        if state not in ("vacant", "offline"):
            continue
        unit, who = f"{_unit_word(row)} {row.text(UNIT)}", _who(row.entity, ctx)
        rent = row.money(RENT)
        since = row.day(SINCE)
        days = (ctx.as_of - since).days if since and since <= ctx.as_of else None
        what = "vacant" if state == "vacant" else "closed for work"
        text = f"{who}: {unit} is {what}" + (f" since {since.isoformat()} ({days} days)" if days is not None else "")
        value = None
        if rent and rent[1] in TO_MONTH:
            monthly = (rent[0] * TO_MONTH[rent[1]]).quantize(Decimal("0.01"))
            value = monthly
            text += f": {money(monthly, cur)} a month of rent is not coming in"
            if days is not None:
                so_far = (monthly * days / 30).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                text += f", about {money(so_far, cur)} so far"
        elif rent:
            value = rent[0]
            text += f"; every {rent[1]} it stays shut forgoes up to {money(rent[0], cur)}, its rate a {rent[1]}"
        long = days is not None and days > 30
        facts.append(Fact(
            id=stable_id("f", "vacancy", row.entity, row.text(UNIT).lower()), kind="finding", name="vacancy",
            entity=row.entity, severity="high" if long or (value or 0) >= 1000 else "medium",
            value=value, unit=cur if value is not None else None,
            period=since.isoformat() if since else None, statement=text + ".",
            recommendation=fill_advice(unit) if state == "vacant" else f"Book the work that reopens {unit} and set a reopening date.",
            topics=("revenue", "operations", "risk"), evidence=(row.ev.id,), sources=(row.where,),
        ))
    return facts


def maintenance_backlog(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Open maintenance items (bullets under a backlog heading), and what their quotes add up to."""
    items: dict[str | None, list[tuple[Evidence, dict]]] = defaultdict(list)
    for ev in evidence:
        if ev.source == "notes" and ev.kind == "section" and BACKLOG.search(ev.record.get("heading") or ""):
            items[ev.entity].extend((ev, b) for b in ev.record.get("bullets") or ())
    facts = []
    for entity, found in sorted(items.items(), key=lambda kv: kv[0] or ""):
        if not found:
            continue
        quoted = []
        for _, bullet in found:
            text = str(bullet.get("text") or "")
            m = MONEY.search(text) if QUOTE.search(text) else None
            if m:
                quoted.append(Decimal(m.group(1).replace(",", "") + (m.group(2) or "")))
        who = _who(entity, ctx)
        total = sum(quoted, Decimal(0))
        extra = f"; {len(quoted)} carry quotes totalling {money(total, ctx.currency)}" if quoted else ""
        sections = sorted({ev.provenance.label() for ev, _ in found})
        facts.append(Fact(
            id=stable_id("f", "maintenance_backlog", entity), kind="metric", name="maintenance_backlog",
            entity=entity, value=Decimal(len(found)), unit="items", period=ctx.as_of.isoformat(),
            statement=f"{who} has {len(found)} open maintenance items{extra}.",
            topics=("maintenance", "operations"), evidence=tuple(sorted({ev.id for ev, _ in found})),
            sources=tuple(sections),
        ))
    return facts


def service_overdue(rows: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """Vehicles and equipment not serviced for ``SERVICE_DAYS``, or whose status raises an alarm."""
    facts = []
    for row in latest(rows, SERVICED_ASSETS):
        last = row.day(SERVICED)
        status = row.text(STATUS)
        days = (ctx.as_of - last).days if last else None
        alarm = bool(ALARM.search(status))
        if not alarm and (days is None or days <= SERVICE_DAYS):
            continue
        asset, who = row.text(ASSET), _who(row.entity, ctx)
        said = f"; its status says: {status.rstrip('.')}" if status else ""
        facts.append(Fact(
            id=stable_id("f", "service_overdue", row.entity, asset.lower()), kind="finding", name="service_overdue",
            entity=row.entity, severity="high" if alarm else "medium",
            value=Decimal(days) if days is not None else None, unit="days" if days is not None else None,
            period=last.isoformat() if last else None,
            statement=f"{who}: {asset} was last serviced on {last.isoformat()}, {days} days ago{said}.",  # type: ignore[union-attr]
            recommendation=f"Book a service for {asset} this week.",
            topics=("maintenance", "operations", "risk"), evidence=(row.ev.id,), sources=(row.where,),
        ))
    return facts


def on_time(jobs: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """The share of finished jobs delivered by their due date, per business."""
    by_entity: dict[str | None, list[tuple[Row, bool]]] = defaultdict(list)
    for row in jobs:
        due, done = row.day(DUE), row.day(DONE)
        if due and done:
            by_entity[row.entity].append((row, done <= due))
    facts = []
    for entity, results in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        ok = sum(1 for _, on in results if on)
        rate = (Decimal(ok) / len(results) * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        who = _who(entity, ctx)
        below = rate < ON_TIME_TARGET
        facts.append(Fact(
            id=stable_id("f", "on_time_table", entity), kind="finding" if below else "metric", name="on_time_rate",
            entity=entity, severity="medium" if below else None, value=rate, unit="%", period=ctx.as_of.isoformat(),
            statement=f"{who} delivered {ok} of {len(results)} recorded jobs on time ({percent(rate)}).",
            recommendation=(f"Find what made {possessive(who)} {len(results) - ok} late jobs late and fix the most common cause."
                            if below else None),
            topics=("operations",) + (("risk",) if below else ()),
            evidence=tuple(r.ev.id for r, _ in results), sources=tuple(sorted({r.ev.provenance.path for r, _ in results})),
        ))
    return facts


def job_margins(jobs: Sequence[Row], ctx: AnalysisContext) -> list[Fact]:
    """Average margin per job per business, and each job that lost money."""
    by_entity: dict[str | None, list[tuple[Row, Decimal, Decimal]]] = defaultdict(list)
    for row in jobs:
        price, cost = row.money(PRICE), row.money(COST)
        if price and cost and price[0] > 0:
            by_entity[row.entity].append((row, price[0], cost[0]))
    facts = []
    cur = ctx.currency
    for entity, found in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        who = _who(entity, ctx)
        revenue = sum((p for _, p, _ in found), Decimal(0))
        costs = sum((c for _, _, c in found), Decimal(0))
        margin = ((revenue - costs) / revenue * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        facts.append(Fact(
            id=stable_id("f", "job_margin", entity), kind="metric", name="job_margin", entity=entity, value=margin,
            unit="%", period=ctx.as_of.isoformat(),
            statement=(f"{who}: {len(found)} recorded jobs earned {money(revenue, cur)} against "
                       f"{money(costs, cur)} of direct cost, a {percent(margin)} margin per job."),
            topics=("finance", "profitability", "operations"), evidence=tuple(r.ev.id for r, _, _ in found),
            sources=tuple(sorted({r.ev.provenance.path for r, _, _ in found})),
        ))
        for row, price, cost in found:
            if cost <= price:
                continue
            job = row.text(JOB)
            facts.append(Fact(
                id=stable_id("f", "loss_making_job", entity, job.lower()), kind="finding", name="loss_making_job",
                entity=entity, severity="medium", value=price - cost, unit=cur,
                statement=f"{who}: job {job} cost {money(cost, cur)} and was billed {money(price, cur)}, a loss of {money(cost - price, cur)}.",
                recommendation=f"Reprice jobs like {job}, or cut what they cost to deliver.",
                topics=("finance", "profitability", "operations"), evidence=(row.ev.id,), sources=(row.where,),
            ))
    return facts
