"""Kinds of business: what a rental, a charter or a holding company is, and which rules apply.

A business's kind comes from ``[[entities]] kind``; when that is not set, from the lens
of a report that audits it alone (``rental-property`` → rental), else from the words of
its revenue accounts in the ledger (``Charter income`` → charter), else from its name
(``Harbourline Holdings`` → holding) or from a ledger that has no revenue for it but
money from its owners or the group's other businesses (a holding). The kinds, their KPIs
and their words are data: ``kinds.toml`` (``business_kinds.py`` reads it).

A rule that applies to some kinds only says so with ``serves`` and asks ``applies``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

from ..business_kinds import Kind, customers, kinds
from ..model import Evidence
from .ledger_types import Classifier, classifier
from .tables import possessive

__all__ = ["Kind", "applies", "customers", "infer_kinds", "kinds", "revenue_drop", "serves"]

F = TypeVar("F", bound=Callable[..., Any])
_HOLDING_NAME = re.compile(r"\bholdings?\b|\bholdco\b", re.I)


def serves(*names: str, exclude: Sequence[str] = ()) -> Callable[[F], F]:
    """Mark a rule as serving businesses of these kinds only (none named: every kind but ``exclude``)."""
    def mark(fn: F) -> F:
        fn.kinds = frozenset(names) or None  # type: ignore[attr-defined]
        fn.exclude_kinds = frozenset(exclude)  # type: ignore[attr-defined]
        return fn

    return mark


def applies(rule: Callable[..., Any], kind: str | None) -> bool:
    """Whether ``rule`` (marked with ``serves``) applies to a business of this kind; a
    business of no known kind gets every rule."""
    if kind is None:
        return True
    wanted = getattr(rule, "kinds", None)
    return kind not in getattr(rule, "exclude_kinds", ()) and (wanted is None or kind in wanted)


def revenue_drop(kind: str | None, who: str) -> str:
    """What to do about a revenue drop at a business of this kind."""
    known = kinds().get(kind or "")
    if known is None:
        return f"Find out which customers or channels drove {possessive(who)} drop and act on the largest."
    return known.revenue_drop.format(who=who, whose=possessive(who))


def infer_kinds(entities: Iterable[tuple[str, str, str | None]], audited: Mapping[str, str],
                ledger: Sequence[Evidence], types: tuple[tuple[str, str], ...] = (),
                refined: dict[str, str] | None = None) -> dict[str, str | None]:
    """Each business's kind: ``entities`` are (id, name, configured kind); ``audited`` the kind
    of the one-business audit lens that reports on a business; ``ledger`` the ledger's
    ``transactions`` evidence; ``types`` the workspace's transaction types.

    A ``rental`` (long-let) whose ledger shows it sells stays by the night (most of its
    revenue rows are Airbnb, VRBO or nightly bookings) is a ``short-let``: advice about
    vacant units and arrears would not apply to it. ``refined`` receives why, per business,
    for the run's warnings."""
    listed = list(entities)
    found: dict[str, str | None] = {eid: kind or audited.get(eid) for eid, _, kind in listed}
    rentals = {eid for eid, kind in found.items() if kind == "rental"}
    if rentals:
        for eid, (nightly, total, share) in _nightly_rows(ledger, rentals, classifier(types)).items():
            if nightly >= 2 and share >= _NIGHTLY_SHARE:
                found[eid] = "short-let"
                if refined is not None:
                    refined[eid] = (f"{nightly} of its {total} revenue rows in the ledger, {share:.0%} of its revenue, "
                                    "are stays sold by the night (Airbnb, VRBO, Booking.com, nightly)")
    todo = {eid for eid, kind in found.items() if kind is None}
    if not todo:
        return found
    revenue, moves = _ledger_words(ledger, todo, classifier(types))
    for eid, name, _ in listed:
        if eid not in todo:
            continue
        scores: dict[str, Any] = {}
        for label, amount in revenue.get(eid, {}).items():
            for kind in kinds().values():
                if kind.revenue is not None and kind.revenue.search(label):
                    scores[kind.name] = scores.get(kind.name, 0) + amount
                    break  # one kind per label: the first the vocabulary lists
        if scores:
            found[eid] = max(scores, key=lambda k: (scores[k], k))
        elif _HOLDING_NAME.search(name) or _HOLDING_NAME.search(eid) or (eid in moves and eid not in revenue):
            found[eid] = "holding"
    return found


# the share of a rental's revenue that must come by the night for it to be a short-let (a
# building with some flats let by the month and some on Airbnb stays a rental)
_NIGHTLY_SHARE = Decimal("0.8")


def _typed_rows(ledger: Sequence[Evidence], wanted: set[str], types: Classifier) -> Iterator[tuple[Any, ...]]:
    """The ledger's rows of the ``wanted`` businesses as (business, strings, account,
    category, memo, amount coefficient, exponent, transaction type, sign); each distinct
    account, category and sign is typed once."""
    for ev in ledger:
        table = ev.record.get("table") if ev.kind == "transactions" else None
        if table is None:
            continue
        strings, entities = table.strings, table.entities
        seen: dict[tuple[int, int, int], str] = {}
        for e, a, c, m, k, x in zip(table.entity, table.account, table.category, table.memo, table.coef, table.exp):
            entity = entities[e]
            if entity not in wanted:
                continue
            sign = (k > 0) - (k < 0)
            kind = seen.get((a, c, sign))
            if kind is None:
                kind = seen[(a, c, sign)] = types(strings[c], strings[a], sign)
            yield entity, strings, a, c, m, k, x, kind, sign


def _nightly_rows(ledger: Sequence[Evidence], wanted: set[str],
                  types: Classifier) -> dict[str, tuple[int, int, Decimal]]:
    """Per business of ``wanted``: how many of its revenue rows name a short-let channel in
    their memo, account or category, how many revenue rows it has, and the nightly rows'
    share of its revenue.

    Every run reads every rental's rows here, the unchanged rerun too: amounts are summed as
    integers per exponent (a ``Decimal`` a row cost ~2 µs), and each label is searched once
    per table."""
    nightly = kinds()["short-let"].revenue
    if nightly is None:
        return {}
    counts: dict[str, list[Any]] = {}  # business → [nightly rows, rows, {exp: nightly sum}, {exp: sum}]
    for ev in ledger:
        table = ev.record.get("table") if ev.kind == "transactions" else None
        if table is None:
            continue
        strings, entities = table.strings, table.entities
        revenue: dict[tuple[int, int], bool] = {}  # (account, category), positive → typed revenue
        said: dict[int, bool] = {}  # a string's index → names a nightly channel

        def names(index: int) -> bool:
            found = said.get(index)
            if found is None:
                found = said[index] = bool(nightly.search(strings[index].lower()))
            return found

        for e, a, c, m, k, x in zip(table.entity, table.account, table.category, table.memo, table.coef, table.exp):
            if k <= 0 or entities[e] not in wanted:
                continue
            is_revenue = revenue.get((a, c))
            if is_revenue is None:
                is_revenue = revenue[(a, c)] = types(strings[c], strings[a], 1) == "revenue"
            if not is_revenue:
                continue
            tally = counts.get(entities[e])
            if tally is None:
                tally = counts[entities[e]] = [0, 0, {}, {}]
            tally[1] += 1
            tally[3][x] = tally[3].get(x, 0) + k
            if names(m) or names(a) or names(c):
                tally[0] += 1
                tally[2][x] = tally[2].get(x, 0) + k
    out = {}
    for eid, (n, total, by_night, whole) in counts.items():
        night = sum((Decimal(v).scaleb(x) for x, v in by_night.items()), Decimal(0))
        every = sum((Decimal(v).scaleb(x) for x, v in whole.items()), Decimal(0))
        out[eid] = (n, total, night / every if every else Decimal(0))
    return out


def _ledger_words(ledger: Sequence[Evidence], wanted: set[str],
                  types: Classifier) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Per business: its revenue rows' category and account labels with how many rows carry each, and
    whether it has owner or group money (capital, transfers in) but no revenue."""
    revenue: dict[str, dict[str, Any]] = {}
    moves: set[str] = set()
    for entity, strings, a, c, _, _, _, kind, sign in _typed_rows(ledger, wanted, types):
        if kind == "revenue":
            labels = revenue.setdefault(entity, {})
            for label in {strings[a].lower(), strings[c].lower()} - {""}:
                labels[label] = labels.get(label, 0) + 1
        elif kind in ("capital_contribution", "transfer", "loan_proceeds") and sign > 0:
            moves.add(entity)
    return revenue, moves
