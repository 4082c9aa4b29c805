"""What changed since the last briefing of a lens: new, resolved, worse, better.

Facts are compared by their stable ids. A finding, gap or action present now and not then
is new; present then and not now, resolved; a finding whose severity moved is worse or
better; a metric whose value moved is worse or better by the metric's direction. Each
change is itself a fact (kind ``note``, name ``change``), so the report cites it and the
verifier checks its figures like any other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from ..formatting import money, number, percent
from ..model import SEVERITIES, Fact, stable_id

__all__ = ["compare", "CHANGE_ORDER", "HIGHER_IS_WORSE"]

# metrics where a rise is bad news; for every other metric a rise is good news
HIGHER_IS_WORSE = {"costs", "costs_total", "maintenance_backlog", "cost_per_delivery", "churn_rate"}
TRACKED_KINDS = ("finding", "gap", "action")
CHANGE_ORDER = ("worse", "new", "resolved", "better")


def _shown(old: Fact, new: Fact) -> str:
    """The old value as the new statement would write it (unsigned when the sign held)."""
    value = old.value if old.value is not None else Decimal(0)
    if new.value is not None and (value < 0) == (new.value < 0):
        value = abs(value)
    if old.unit == "%":
        return percent(value)
    if old.unit and len(old.unit) == 3 and old.unit.isupper():
        return money(value, old.unit)
    return number(value)


def _change(key: str, baseline_period: str, kind: str, fact: Fact, statement: str) -> Fact:
    return Fact(
        id=stable_id("f", "change", key, baseline_period, kind, fact.id),
        kind="note", name="change", entity=fact.entity, severity=None,
        statement=statement, topics=("change",) + tuple(t for t in fact.topics if t != "change"),
        period=baseline_period, evidence=(fact.id,), sources=fact.sources, value=None,
        recommendation=None,
    )


def _rank(severity: str | None) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def compare(current: Iterable[Fact], baseline: Iterable[Fact], *, key: str, baseline_period: str) -> list[Fact]:
    """Change facts between a lens's facts now and at its baseline, most important first."""
    now = {f.id: f for f in current}
    then = {f.id: f for f in baseline}
    found: list[tuple[int, int, str, Fact]] = []

    def add(kind: str, fact: Fact, statement: str) -> None:
        found.append((CHANGE_ORDER.index(kind), _rank(fact.severity), fact.id,
                      _change(key, baseline_period, kind, fact, statement)))

    for fact_id, fact in now.items():
        old = then.get(fact_id)
        if fact.kind in TRACKED_KINDS:
            if old is None:
                add("new", fact, f"New: {fact.statement}")
            elif fact.severity != old.severity and fact.severity and old.severity:
                kind = "worse" if _rank(fact.severity) < _rank(old.severity) else "better"
                add(kind, fact, f"{kind.capitalize()}: {fact.statement} (was {old.severity}, now {fact.severity})")
        elif fact.kind == "metric" and old is not None and old.value is not None and fact.value is not None:
            if fact.value == old.value:
                continue
            rose = fact.value > old.value
            kind = "worse" if rose == (fact.name in HIGHER_IS_WORSE) else "better"
            add(kind, fact, f"{kind.capitalize()}: {fact.statement.rstrip('.')} (was {_shown(old, fact)}).")
    for fact_id, old in then.items():
        if old.kind in TRACKED_KINDS and fact_id not in now:
            add("resolved", old, f"Resolved: {old.statement}")
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]
