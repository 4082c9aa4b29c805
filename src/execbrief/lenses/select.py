"""Apply a lens to the fact base: pick, rank and trim the facts of each section."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Sequence

from ..model import SEVERITIES, DataWarning, Fact, Lens, LensView, Selector

__all__ = ["build_view", "lens_pool", "matches", "rank"]

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def matches(fact: Fact, selector: Selector) -> bool:
    """Whether a fact satisfies a section's selector (empty criteria match anything)."""
    if selector.kinds and fact.kind not in selector.kinds:
        return False
    if selector.names and fact.name not in selector.names:
        return False
    if selector.topics and not set(selector.topics) & set(fact.topics):
        return False
    if selector.min_severity is not None:
        if fact.severity is None or _RANK[fact.severity] > _RANK[selector.min_severity]:
            return False
    return True


def _stake(fact: Fact) -> Decimal:
    """Money at stake: the absolute value of a money fact, else zero."""
    if fact.value is not None and fact.unit and len(fact.unit) == 3 and fact.unit.isupper():
        return abs(fact.value)
    return Decimal(0)


def _recency(period: str | None) -> int:
    """``2026-10`` → 20261000, ``2026-11-12`` → 20261112: larger is newer."""
    digits = "".join(ch for ch in (period or "") if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


def rank(facts: Iterable[Fact], focus: Sequence[str] = ()) -> list[Fact]:
    """Most important first: severity, the lens's focus, money at stake, soonest due, newest."""
    focus_set = set(focus)

    def key(f: Fact) -> tuple[object, ...]:
        return (
            _RANK.get(f.severity or "", len(SEVERITIES)),
            0 if focus_set & set(f.topics) else 1,
            -_stake(f),
            f.due or date.max,
            -_recency(f.period),
            f.id,
        )

    return sorted(facts, key=key)


def _last_periods(facts: list[Fact], n: int) -> list[Fact]:
    periods = sorted({f.period for f in facts if f.period})[-n:]
    return [f for f in facts if f.period in periods]


def lens_pool(lens: Lens, facts: Sequence[Fact], *, as_of: date, scope: set[str] | None = None) -> list[Fact]:
    """Every fact in scope that some section of the lens would show, before any limit."""
    pool = _in_scope(facts, scope)
    chosen: dict[str, Fact] = {}
    for section in lens.sections:
        for fact in _pick(section.select, pool, as_of):
            chosen.setdefault(fact.id, fact)
    return [chosen[k] for k in sorted(chosen)]


def _in_scope(facts: Sequence[Fact], scope: set[str] | None) -> list[Fact]:
    """The facts about the businesses in scope (all of them, organisation-wide ones too, without one)."""
    return list(facts) if scope is None else [f for f in facts if f.entity in scope]


def _pick(selector: Selector, pool: Sequence[Fact], as_of: date) -> list[Fact]:
    picked = [f for f in pool if matches(f, selector)]
    if selector.due_within_days is not None:
        horizon = as_of + timedelta(days=selector.due_within_days)
        picked = [f for f in picked if f.due is not None and f.due <= horizon]
    if selector.last_periods:
        picked = _last_periods(picked, selector.last_periods)
    return picked


def build_view(
    lens: Lens,
    facts: Sequence[Fact],
    *,
    key: str,
    period: str,
    as_of: date,
    organization: str,
    entities: dict[str, str],
    scope: set[str] | None = None,
    warnings: Sequence[DataWarning] = (),
    baseline: str | None = None,
    changes: Sequence[Fact] = (),
) -> LensView:
    """The writer's input for one report: each section's facts, ranked and within budget.

    ``scope`` limits the report to some businesses (an audit); organisation-wide facts are
    then left out, since they are not about the audited business alone.
    """
    pool = _in_scope(facts, scope)
    sections: dict[str, tuple[Fact, ...]] = {}
    omitted: dict[str, int] = {}
    for section in lens.sections:
        picked = _pick(section.select, pool, as_of)
        if section.style in ("metrics", "chart"):
            chosen = sorted(picked, key=lambda f: (f.entity or "~", f.period or "", f.name))
        else:
            limit = section.select.limit or lens.max_items
            ranked = rank(picked, lens.focus)
            chosen = ranked[:limit]
            if len(ranked) > limit:
                omitted[section.id] = len(ranked) - limit
        sections[section.id] = tuple(chosen)
    used = {f.id: f for chosen in sections.values() for f in chosen}
    by_id = {f.id: f for f in pool}
    for fact in list(used.values()):
        if fact.kind == "action":  # an action is shown with the finding it addresses
            used.update((e, by_id[e]) for e in fact.evidence if e in by_id)
    used.update((f.id, f) for f in changes)
    return LensView(
        lens=lens, key=key, period=period, as_of=as_of, organization=organization,
        entities={k: v for k, v in entities.items() if scope is None or k in scope},
        sections=sections, omitted=omitted, facts=used, warnings=tuple(warnings),
        baseline=baseline, changes=tuple(changes),
    )
