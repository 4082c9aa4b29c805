"""Cloud cost: AWS spend by service per month, month-over-month change, top movers, and savings.

Input is the AWS source's Cost Explorer months (credits and refunds already excluded) and
its idle resources. Savings are estimated only where the data allows it: an Elastic IP
attached to nothing, an EBS volume attached to no instance, a load balancer with no target
group, each priced at us-east-1 list prices. A service whose cost rose by more than
``SPIKE_RATIO`` month over month (and by at least ``SPIKE_FLOOR``) is a finding.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Sequence

from ..formatting import money, month_label, percent
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import AWS

__all__ = ["analyze", "SPIKE_RATIO", "SPIKE_FLOOR", "HOURS_PER_MONTH", "PRICES"]

TOPICS = ("cost", "tech", "cloud")
SAVINGS_TOPICS = ("cost", "tech", "cloud", "savings")
SPIKE_RATIO = Decimal("0.30")
SPIKE_FLOOR = Decimal("5")  # a rise of a few dollars is noise, not a finding
TOP_N = 3
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
HOURS_PER_MONTH = Decimal(730)
# us-east-1 list prices (USD): public IPv4 per hour, ALB per hour, EBS per GB-month by type
PRICES = {
    "ipv4_hour": Decimal("0.005"),
    "alb_hour": Decimal("0.0225"),
    "ebs_gb_month": {"gp2": Decimal("0.10"), "gp3": Decimal("0.08"), "io1": Decimal("0.125"),
                     "io2": Decimal("0.125"), "st1": Decimal("0.045"), "sc1": Decimal("0.015"),
                     "standard": Decimal("0.05")},
}


@dataclass(frozen=True)
class Month:
    """One account's Cost Explorer month: cost per service."""

    evidence: Evidence
    account: str
    month: str
    unit: str
    estimated: bool
    services: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.services.values(), Decimal(0))


def cost_months(evidence: Sequence[Evidence]) -> dict[str, list[Month]]:
    """The Cost Explorer months among the evidence, per account, oldest first."""
    out: dict[str, list[Month]] = defaultdict(list)
    for ev in evidence:
        r = ev.record
        if ev.source != "aws" or r.get("type") != "cost_month":
            continue
        services: dict[str, Decimal] = defaultdict(Decimal)
        units = set()
        for line in r.get("services") or []:
            services[line["service"]] += Decimal(line["amount"])
            units.add(line.get("unit") or "USD")
        out[r["account"]].append(Month(
            evidence=ev, account=r["account"], month=r["month"], unit=sorted(units)[0] if units else "USD",
            estimated=bool(r.get("estimated")), services={k: v.quantize(CENT, ROUND_HALF_UP) for k, v in services.items()},
        ))
    return {acct: sorted(months, key=lambda m: m.month) for acct, months in out.items()}


def _metric(name: str, key: tuple[object, ...], value: Decimal | None, unit: str | None, period: str | None,
            statement: str, evs: Sequence[Evidence], *, kind: str = "metric", topics: tuple[str, ...] = TOPICS,
            severity: str | None = None, recommendation: str | None = None, entity: str | None = None,
            subject: str | None = None) -> Fact:
    return Fact(
        id=stable_id("f", name, *key), kind=kind, name=name, entity=entity, subject=subject,
        topics=topics,  # type: ignore[arg-type]
        severity=severity, value=value, unit=unit, period=period, statement=statement,  # type: ignore[arg-type]
        recommendation=recommendation, evidence=tuple(dict.fromkeys(e.id for e in evs)),
        sources=tuple(dict.fromkeys(e.provenance.path for e in evs)),
    )


def _pct(change: Decimal, base: Decimal) -> Decimal | None:
    return None if base == 0 else (change / base * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _change_text(change: Decimal, base: Decimal, unit: str) -> str:
    pct = _pct(change, base)
    word = "up" if change > 0 else "down"
    return f"{word} {money(abs(change), unit)}" + (f" ({percent(abs(pct))})" if pct is not None else "")


def spend_by_service(months: list[Month]) -> list[Fact]:
    """Cost per service per month (with its change from the month before) and each month's total."""
    facts = []
    previous: Month | None = None
    for m in months:
        when = month_label(m.month)
        for service, amount in sorted(m.services.items()):
            before = previous.services.get(service) if previous else None
            if amount == 0 and not before:
                continue
            text = f"{service} cost {money(amount, m.unit)} in {when}"
            if previous is not None and before is not None and amount != before:
                text += f", {_change_text(amount - before, before, m.unit)} from {month_label(previous.month)}"
            facts.append(_metric("cloud_cost_service", (m.account, m.month, service), amount, m.unit, m.month,
                                 text + ".", [m.evidence], subject=service))
        estimate = " (an estimate: Cost Explorer had not closed the month)" if m.estimated else ""
        count = sum(1 for v in m.services.values() if v)
        facts.append(_metric(
            "cloud_cost_total", (m.account, m.month), m.total, m.unit, m.month,
            f"The AWS account cost {money(m.total, m.unit)} in {when}, across {count} "
            f"service{'s' if count != 1 else ''}{estimate}.", [m.evidence]))
        previous = m
    return facts


def month_over_month(months: list[Month]) -> list[Fact]:
    """The latest month against the one before: per-service change, total change, top services and movers."""
    if not months:
        return []
    last = months[-1]
    when = month_label(last.month)
    facts = []
    ranked = sorted(((v, s) for s, v in last.services.items() if v > 0), reverse=True)[:TOP_N]
    if ranked and last.total > 0:
        parts = [f"{s} {money(v, last.unit)} ({percent(v / last.total * HUNDRED)})" for v, s in ranked]
        facts.append(_metric("cloud_cost_top_services", (last.account, last.month), None, None, last.month,
                             f"The largest AWS costs in {when} were {', '.join(parts)}.", [last.evidence],
                             kind="note", topics=("cost", "cloud")))
    if len(months) < 2:
        return facts
    prev = months[-2]
    span = f"from {month_label(prev.month)} to {when}"
    evs = [prev.evidence, last.evidence]
    delta = last.total - prev.total
    if delta:
        facts.append(_metric(
            "cloud_cost_total_change", (last.account, last.month), delta, last.unit, last.month,
            f"AWS spend went {_change_text(delta, prev.total, last.unit)} {span}, to {money(last.total, last.unit)}.",
            evs))
    movers = []
    for service in sorted(set(prev.services) | set(last.services)):
        before, after = prev.services.get(service, Decimal(0)), last.services.get(service, Decimal(0))
        change = after - before
        if not change:
            continue
        movers.append((abs(change), service, change))
        facts.append(_metric("cloud_cost_change", (last.account, last.month, service), change, last.unit, last.month,
                             f"{service} cost went {_change_text(change, before, last.unit)} {span}.", evs))
        if change >= SPIKE_FLOOR and before > 0 and change / before > SPIKE_RATIO:
            facts.append(_spike(service, before, after, prev, last, evs))
    movers.sort(key=lambda t: (-t[0], t[1]))
    if movers:
        shown = ", ".join(f"{s} {'+' if c > 0 else '-'}{money(abs(c), last.unit)}" for _, s, c in movers[:TOP_N])
        facts.append(_metric("cloud_cost_top_movers", (last.account, last.month), None, None, last.month,
                             f"Largest AWS cost changes {span}: {shown}.", evs, kind="note", topics=("cost", "cloud")))
    return facts


def _spike(service: str, before: Decimal, after: Decimal, prev: Month, last: Month, evs: list[Evidence]) -> Fact:
    pct = _pct(after - before, before)
    budget = after.quantize(Decimal(1), ROUND_CEILING)
    return _metric(
        "cloud_cost_spike", (last.account, last.month, service), after - before, last.unit, last.month,
        f"{service} cost rose {percent(pct or Decimal(0))} in a month, from {money(before, last.unit)} in "
        f"{month_label(prev.month)} to {money(after, last.unit)} in {month_label(last.month)}.",
        evs, kind="finding", severity="medium",
        recommendation=(f"Open Cost Explorer for {service} in {month_label(last.month)}, grouped by usage type, "
                        f"to find what grew, and set an AWS Budgets alert at {money(budget, last.unit)} a month "
                        "for the service"),
    )


def idle_resources(evidence: Sequence[Evidence]) -> list[Fact]:
    """Savings estimates for resources that cost money and do nothing, and their sum."""
    facts: list[Fact] = []
    idle: list[Evidence] = []
    for ev in evidence:
        r = ev.record
        if ev.source != "aws" or ev.kind != "resource":
            continue
        count = len(facts)
        where = f"({r.get('region')})"
        if r.get("type") == "elastic_ip" and not r.get("associated"):
            monthly = (PRICES["ipv4_hour"] * HOURS_PER_MONTH).quantize(CENT)
            facts.append(_metric(
                "idle_elastic_ip", (r["arn"],), monthly, "USD", None,
                f"Elastic IP {r['id']} {where} is attached to nothing and costs about {money(monthly)} a month.",
                [ev], kind="finding", severity="low", topics=SAVINGS_TOPICS, entity=ev.entity,
                recommendation=f"Release it (aws ec2 release-address --allocation-id {r['id']}) unless a DNS "
                               "record or an allow-list still points at it"))
        elif r.get("type") == "volume":
            price = PRICES["ebs_gb_month"].get(str(r.get("volume_type")), PRICES["ebs_gb_month"]["gp2"])
            size = Decimal(int(r.get("size_gb") or 0))
            monthly = (price * size).quantize(CENT, ROUND_HALF_UP)
            if not monthly:
                continue
            facts.append(_metric(
                "unattached_ebs_volume", (r["arn"],), monthly, "USD", None,
                f"EBS volume {r['id']} {where}, {size} GB of {r.get('volume_type')}, is attached to no instance "
                f"and costs about {money(monthly)} a month.",
                [ev], kind="finding", severity="medium" if monthly >= 20 else "low", topics=SAVINGS_TOPICS,
                entity=ev.entity, recommendation=f"Snapshot it if the data may be needed, then delete it "
                                                 f"(aws ec2 delete-volume --volume-id {r['id']})"))
        elif r.get("type") == "load_balancer" and r.get("target_groups") == 0:
            monthly = (PRICES["alb_hour"] * HOURS_PER_MONTH).quantize(CENT, ROUND_HALF_UP)
            facts.append(_metric(
                "idle_load_balancer", (r["arn"],), monthly, "USD", None,
                f"Load balancer {r.get('name')} {where} has no target group, so it serves nothing, yet costs "
                f"about {money(monthly)} a month.",
                [ev], kind="finding", severity="low", topics=SAVINGS_TOPICS, entity=ev.entity,
                recommendation=f"Delete it (aws elbv2 delete-load-balancer) if nothing points at its DNS name "
                               f"{r.get('dns_name') or ''}".rstrip()))
        if len(facts) > count:
            idle.append(ev)
    if facts:
        total = sum((f.value for f in facts if f.value is not None), Decimal(0))
        n = len(facts)
        facts.append(_metric(
            "cloud_savings_total", ("aws",), total, "USD", None,
            f"Removing {n} idle AWS resource{'s' if n != 1 else ''} would save about {money(total)} a month "
            f"({money(total * 12)} a year) at us-east-1 list prices.",
            idle, topics=SAVINGS_TOPICS))
    return facts


@rule(reads=AWS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Every cloud cost fact over the AWS evidence in ``evidence``."""
    facts: list[Fact] = []
    for months in cost_months(evidence).values():
        facts += spend_by_service(months)
        facts += month_over_month(months)
    facts += idle_resources(evidence)
    return facts
