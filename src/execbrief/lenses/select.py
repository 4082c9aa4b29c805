"""Apply a lens to the fact base: pick, rank and trim the facts of each section.

A section ranks what it selects by severity first, then money at stake, due date and
recency (the lens's focus topics, then the id, break what ties remain), and a budget cuts
from the end: it never shows an item while hiding a more severe one. A plan section (dated
``actions`` with a ``due_within_days`` window) takes every action due within the window
instead, overdue first, then by date, severity breaking ties; a ``limit`` set on it cuts
the latest.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from functools import lru_cache
from itertools import islice
from operator import attrgetter, lt
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Iterable, Iterator, Mapping, Sequence

from .. import gcpolicy
from ..model import SEVERITIES, DataWarning, Fact, Lens, LensSection, LensView, Selector
from .distinct import distinct

__all__ = ["COLUMNS", "FactIndex", "INDEXED", "build_view", "is_plan", "lens_pool", "lens_within", "matches", "pools_apart",
           "rank", "rank_head"]

_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _counter(by_value: Mapping[object, Sequence[int]]) -> Callable[[object], int]:
    """How many facts have a value, by its list of positions; a kept index's lists, moved when
    first read (``execbrief.lenses.kept``), tell their size without being moved."""
    count = getattr(by_value, "count", None)
    return count if count is not None else lambda value: len(by_value.get(value, ()))


def _left_out(topics: Sequence[str], excluded: set[str], unless: set[str]) -> bool:
    """Whether a selector's ``exclude_topics`` leave out a fact of these topics (``unless_topics``
    keep it in): the one rule for a fact looked at and for the index's columns."""
    return not excluded.isdisjoint(topics) and unless.isdisjoint(topics)


def matches(fact: Fact, selector: Selector) -> bool:
    """Whether a fact satisfies a section's selector (empty criteria match anything)."""
    if selector.kinds and fact.kind not in selector.kinds:
        return False
    if selector.names and fact.name not in selector.names:
        return False
    if selector.topics and not set(selector.topics) & set(fact.topics):
        return False
    if selector.exclude_topics and _left_out(fact.topics, set(selector.exclude_topics), set(selector.unless_topics)):
        return False
    if selector.exclude_names and fact.name in selector.exclude_names:
        return False
    if selector.min_severity is not None:
        if fact.severity is None or _RANK[fact.severity] > _RANK[selector.min_severity]:
            return False
    return True


@lru_cache(maxsize=4096)  # (a fact base has a few hundred periods and a million facts)
def _recency(period: str | None) -> int:
    """``2026-10`` → 20261000, ``2026-11-12`` → 20261112: larger is newer; a span of months,
    ``2026-09..2026-11``, is as new as its last month (what it says holds up to then)."""
    digits = "".join(ch for ch in (period or "").rpartition("..")[2] if ch.isdigit())[:8]
    return int(digits.ljust(8, "0")) if digits else 0


_NO_STAKE, _UNRANKED = Decimal(0), len(SEVERITIES)
# the columns of a ``FactIndex``: its facts' values by position, read a chunk of facts at a
# time (each value of a fact read at once: a fact is a cache miss at a million)
COLUMNS = (("kinds", "kind"), ("names", "name"), ("topics", "topics"), ("entities", "entity"),
            ("severities", "severity"), ("periods", "period"), ("ids", "id"))
INDEXED = ("kinds", "names", "entities", "severities", "topics")  # the columns whose positions are kept by value
_HEADED = ("severity", "value", "unit", "due", "period")  # what ``rank_head`` takes
_VALUES = tuple(dict.fromkeys([name for _, name in COLUMNS] + list(_HEADED)))
_GET_VALUES = attrgetter(*_VALUES)
_CHUNK = 65_536


def _key(f: Fact) -> tuple[tuple[object, ...], str]:
    """What ranks a fact, its lens's focus aside: (severity, money at stake, due, recency),
    then its id (two parts: the focus goes between them without taking the first apart)."""
    return _rank_key(f.severity, f.value, f.unit, f.due, f.period, f.id)


def _rank_key(severity: str | None, value: Decimal | None, unit: str | None, due: date | None,
              period: str | None, fact_id: str) -> tuple[tuple[object, ...], str]:
    """``_key`` of a fact with these values."""
    return rank_head(severity, value, unit, due, period), fact_id


def rank_head(severity: str | None, value: Decimal | None, unit: str | None, due: date | None,
          period: str | None) -> tuple[object, ...]:
    """A rank key's first part: (severity, money at stake, due, recency)."""
    # money at stake (negated): a money fact's absolute value, else zero
    stake = -abs(value) if value is not None and unit and len(unit) == 3 and unit.isupper() else _NO_STAKE
    return _RANK.get(severity, _UNRANKED), stake, due or date.max, -_recency(period)  # type: ignore[return-value]


def rank(facts: Iterable[Fact], focus: Sequence[str] = (), limit: int | None = None) -> list[Fact]:
    """Most important first: severity, money at stake, soonest due, newest, then the lens's focus.

    With ``limit``, only the first ``limit`` (the same ones, in the same order).
    """
    focus_set = set(focus)

    def key(f: Fact) -> tuple[object, ...]:
        head, fact_id = _key(f)
        return (head, 1 if focus_set.isdisjoint(f.topics) else 0, fact_id)

    if limit is not None:  # keys are unique (the id comes last): nsmallest is sorted()[:limit]
        return heapq.nsmallest(limit, facts, key=key)
    return sorted(facts, key=key)


def is_plan(section: LensSection) -> bool:
    """Whether a section is a plan: dated actions due within a window of days."""
    return section.style == "actions" and section.select.due_within_days is not None


def _last_periods(facts: Sequence[Fact], n: int) -> list[Fact]:
    periods = sorted({f.period for f in facts if f.period})[-n:]
    return [f for f in facts if f.period in periods]


class FactIndex(Sequence[Fact]):
    """A fact base with the positions of its facts by kind, name and topic.

    A selector names kinds, names or topics: the facts it could match are found from the
    index, not by testing every fact (hundreds of thousands at 20,000 notes, for each
    section of each report), and come out in fact-base order, as a scan would give them.
    What a selector found is kept: a report's pool and its view ask for the same sections.
    A report (``build_view``) picks and ranks positions (``pick``, ``top``, ``plan``) from
    the index and columns of each fact's values made in one pass, looking at no fact again.
    Build one per run and pass it to ``build_view`` and ``lens_pool`` for every report; an
    earlier run's facts are ``beside`` it (what differs), not indexed again.
    """

    def __init__(self, facts: Sequence[Fact]) -> None:
        self._facts: list[Fact] | None = list(facts)
        self._index: dict[str, dict] | None = None  # value → positions, per field; position → due
        self._by_id: Mapping[str, Fact] | None = None
        self._found: dict[tuple[int, frozenset[str] | None], tuple[Selector, Sequence[Fact]]] = {}
        self._picked: dict[tuple[int, frozenset[str] | None, date], tuple[Selector, list[int]]] = {}
        self._columns: dict[str, list] = {}  # each fact's kind, name, ..., id and rank key's head, by position
        self.told_beside: str | None = None  # the fact base whose kept index it was told beside, if it was
        self._ranks: list[tuple[tuple[object, ...], str]] | None = None  # each fact's rank key (``_key``)

    @property
    def facts(self) -> list[Fact]:
        """The facts, in fact-base order."""
        assert self._facts is not None
        return self._facts

    def __len__(self) -> int:
        return len(self.facts)

    def __getitem__(self, n):  # type: ignore[override]
        return self.facts[n]

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    @classmethod
    def made(cls, facts: list[Fact], index: dict[str, dict], columns: dict[str, list]) -> "FactIndex":
        """The index of these facts (in id order) from its parts made already (``_positions``'s,
        each list of positions ascending, as a list or an array): ``execbrief.lenses.kept``
        keeps them with the fact base and tells a later one's beside them."""
        made = cls(())
        made._facts, made._index, made._columns = facts, index, columns
        return made

    def parts(self) -> tuple[dict[str, dict], dict[str, list]]:
        """What ``made`` takes: the positions by value of each field, and the columns."""
        return self._positions(), self._columns

    def _positions(self) -> dict[str, dict]:
        """Where its facts are, by kind, name, topic, business and severity (each a list of
        positions, ascending); the due date of each dated fact; each fact's values by position
        (``COLUMNS``, and each rank key's first part: ``heads``)."""
        if self._index is not None:
            return self._index
        with gcpolicy.bulk_allocation():  # (millions of tuples, kept for the run, and no cycles)
            # each fact's values, by position: read in one pass over the facts, in C (at a
            # million facts each fact looked at is a cache miss; a loop in Python over them
            # would pay it in every step), then the lists by value from those columns
            facts = self.facts
            values: list[list] = [[] for _ in _VALUES]
            for start in range(0, len(facts), _CHUNK):  # (every value of a fact at once, then by column)
                for column, chunk in zip(values, zip(*map(_GET_VALUES, facts[start:start + _CHUNK]))):
                    column.extend(chunk)
            named = dict(zip(_VALUES, values))
            self._columns = columns = {field: named[name] for field, name in COLUMNS}
            # a rank key's first part is one of a few thousand (severity, stake, due, recency):
            # one tuple each, shared, not one a fact (~100 bytes a fact at a million)
            heads: dict[tuple, tuple] = {}
            columns["heads"] = [heads.setdefault(head, head) for head in map(rank_head, *(named[name] for name in _HEADED))]
            del heads
            # each position one int object, in every list it is in (not one per list: 28 bytes
            # a fact and list at a million)
            positions = list(range(len(facts)))
            index: dict[str, dict] = {"dated": {n: due for n, due in zip(positions, named["due"]) if due is not None}}
            del named, values
            for field in INDEXED[:-1]:  # (defaultdicts: a list made only when used; topics, many a fact, after)
                where: defaultdict[object, list[int]] = defaultdict(list)
                for n, value in zip(positions, columns[field]):
                    where[value].append(n)
                index[field] = dict(where)
            topics: defaultdict[str, list[int]] = defaultdict(list)
            for n, values in zip(positions, columns["topics"]):
                for topic in values:
                    topics[topic].append(n)
            index["topics"] = dict(topics)
            self._index = index
        return self._index

    def pick(self, selector: Selector, scope: set[str] | None, as_of: date) -> list[int]:
        """The positions (ascending) of the facts ``_pick`` takes for a selector, found from the
        index: the positions of the criterion that holds for fewest facts, kept where the
        others hold as each fact's values say (a column by position). No fact is looked at,
        and no set of up to a million positions is made: at a million facts each is a cache
        miss, or tens of megabytes."""
        known = self._picked.get(key := (id(selector), None if scope is None else frozenset(scope), as_of))
        if known is not None and known[0] is selector:  # (the selector is kept: its id stays its own)
            return known[1]
        index = self._positions()
        # each criterion: the field, the values it takes, and whether a fact's value holds
        criteria: list[tuple[str, set, Callable[[int], bool]]] = []
        for field, values in (("names", selector.names), ("kinds", selector.kinds), ("entities", scope),
                              ("severities", None if selector.min_severity is None else
                               SEVERITIES[: _RANK[selector.min_severity] + 1])):
            if values is not None and (values or field == "entities"):
                column, wanted = self._columns[field], set(values)
                criteria.append((field, wanted, lambda n, column=column, wanted=wanted: column[n] in wanted))
        if selector.topics:
            column, wanted = self._columns["topics"], set(selector.topics)
            criteria.append(("topics", wanted, lambda n, column=column, wanted=wanted: not wanted.isdisjoint(column[n])))
        horizon = None if selector.due_within_days is None else _days_after(as_of, selector.due_within_days)
        dated = index["dated"]
        sizes = [sum(map(_counter(index[field]), wanted)) for field, wanted, _ in criteria]
        if horizon is not None and (not sizes or len(dated) <= min(sizes)):  # (the dated facts are fewest)
            found = sorted(n for n, due in dated.items() if due <= horizon)
        elif criteria:
            first = sizes.index(min(sizes))
            field, wanted, _ = criteria.pop(first)
            lists = [index[field][v] for v in wanted if v in index[field]]
            found = list(lists[0]) if len(lists) == 1 else sorted(set().union(*lists))
            if horizon is not None:
                found = [n for n in found if (due := dated.get(n)) is not None and due <= horizon]
        else:
            found = list(range(len(self)))
        for _, _, holds in criteria:
            found = [n for n in found if holds(n)]
        if selector.exclude_topics:
            column, excluded, kept = self._columns["topics"], set(selector.exclude_topics), set(selector.unless_topics)
            found = [n for n in found if not _left_out(column[n], excluded, kept)]
        if selector.exclude_names:
            names, unwanted = self._columns["names"], set(selector.exclude_names)
            found = [n for n in found if names[n] not in unwanted]
        if selector.last_periods:
            periods = self._columns["periods"]
            last = set(sorted({periods[n] for n in found if periods[n]})[-selector.last_periods:])
            found = [n for n in found if periods[n] in last]
        self._picked[key] = (selector, found)
        return found

    def top(self, positions: Sequence[int], focus: Sequence[str], limit: int) -> list[int]:
        """``rank`` of the facts at these positions, to ``limit``: each fact's key made once
        for the index, and the candidates ranked as positions (a key function called per
        candidate, looking at its fact, cost ~4 µs a candidate at a million facts)."""
        ranks = self._rank_keys()
        if not focus:
            return heapq.nsmallest(limit, positions, key=ranks.__getitem__)
        topics, wanted = self._columns["topics"], set(focus)
        near = [not wanted.isdisjoint(topics[n]) for n in positions]
        # (the focus goes between the key's two parts: the first ``limit`` of each side hold the first ``limit``)
        firsts = (heapq.nsmallest(limit, [n for n, close in zip(positions, near) if close], key=ranks.__getitem__)
                  + heapq.nsmallest(limit, [n for n, close in zip(positions, near) if not close], key=ranks.__getitem__))
        return sorted(firsts, key=lambda n: (ranks[n][0], wanted.isdisjoint(topics[n]), ranks[n][1]))[:limit]

    def _rank_keys(self) -> list[tuple[tuple[object, ...], str]]:
        """Each fact's ``_key``, by position (made on first use, from its head and id)."""
        if self._ranks is None:
            self._positions()
            self._ranks = list(zip(self._columns["heads"], self._columns["ids"]))
        return self._ranks

    def candidates(self, selector: Selector, scope: set[str] | None) -> Sequence[Fact]:
        """The facts in scope with a selected kind, name and topic (all, where none is named).

        Found once per selector and scope (the caller must not change what it gets)."""
        key = (id(selector), None if scope is None else frozenset(scope))
        found = self._found.get(key)
        if found is None or found[0] is not selector:  # (the selector is kept: its id stays its own)
            found = self._found[key] = (selector, self._find(selector, scope))
        return found[1]

    def _find(self, selector: Selector, scope: set[str] | None) -> Sequence[Fact]:
        wanted = [(field, values) for field, values in
                  (("names", selector.names), ("kinds", selector.kinds), ("topics", selector.topics)) if values]
        if not wanted:
            found: Iterable[Fact] = self.facts
        else:
            index = self._positions()
            positions: set[int] | None = None
            for field, values in wanted:
                hits = {n for value in set(values) for n in index[field].get(value, ())}
                positions = hits if positions is None else positions & hits
            found = [self.facts[n] for n in sorted(positions or ())]
        return list(found) if scope is None else [f for f in found if f.entity in scope]

    def plan(self, positions: Sequence[int], focus: Sequence[str], limit: int) -> list[int]:
        """The facts at these positions in a plan's order, to ``limit``: overdue first, then by
        due date, then as ``rank`` (the latest are cut); undated last."""
        dated = self._positions()["dated"]
        ranks, topics, wanted = self._rank_keys(), self._columns["topics"], set(focus)

        def key(n: int) -> tuple[object, ...]:
            return dated.get(n, date.max), ranks[n][0], wanted.isdisjoint(topics[n]), ranks[n][1]

        return heapq.nsmallest(limit, positions, key=key)

    @property
    def by_id(self) -> Mapping[str, Fact]:
        """The facts by id (made on first use): a fact base in id order, as a run's is, is
        searched by bisection over its ids (a dict of a million would cost ~1 s and 80 MB)."""
        if self._by_id is None:
            ids = self._columns["ids"] if self._columns else list(map(_ID, self.facts))
            ordered = all(map(lt, ids, islice(ids, 1, None)))  # (ascending, none twice)
            self._by_id = _InOrder(ids, self.facts) if ordered else {f.id: f for f in self.facts}
        return self._by_id

    def among(self, ids: Iterable[str]) -> list[Fact]:
        """Its facts with these ids (those it has), in id order."""
        by_id = self.by_id
        return [by_id[i] for i in sorted(ids) if i in by_id]

    def differs_from(self, other: "FactIndex") -> set[str] | None:
        """The ids of the facts this index and ``other`` may not hold alike (one has it and
        the other not, or they differ), when both are told beside one index, however
        many tellings apart (or are it): what each telling between them and it changed. None
        when that cannot be said without comparing them whole."""
        mine, theirs = _tellings(self), _tellings(other)
        at = {id(index): n for n, (index, _) in enumerate(mine)}
        for m, (index, _) in enumerate(theirs):
            n = at.get(id(index))
            if n is not None:  # (the nearest index both are told beside)
                return set().union(*(changed for _, changed in mine[:n]), *(changed for _, changed in theirs[:m]))
        return None

    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, if it has one."""
        return self.by_id.get(fact_id)

    def beside(self, removed: Iterable[str], added: Iterable[Fact]) -> "FactIndex":
        """Another fact base told by how it differs from this one (in id order, as a run's is):
        these facts without those whose ids are ``removed``, with ``added`` (an added fact
        replaces this one's of the same id). What a selector finds in it is what it found
        here, less and plus those: a week-old run differs in a few thousand of a million."""
        return _Beside(self, removed, added)


_ID = attrgetter("id")


class _InOrder(Mapping[str, Fact]):
    """Facts by id, found by bisection over their ids (ascending)."""

    def __init__(self, ids: list[str], facts: list[Fact]) -> None:
        self._ids, self._facts = ids, facts

    def __getitem__(self, fact_id: str) -> Fact:
        n = bisect_left(self._ids, fact_id)
        if n < len(self._ids) and self._ids[n] == fact_id:
            return self._facts[n]
        raise KeyError(fact_id)

    def __contains__(self, fact_id: object) -> bool:
        n = bisect_left(self._ids, fact_id)  # type: ignore[type-var]
        return n < len(self._ids) and self._ids[n] == fact_id

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class _Beside(FactIndex):
    """``FactIndex.beside``: a fact base as the difference from another (its parent, in id order)."""

    def __init__(self, parent: FactIndex, removed: Iterable[str], added: Iterable[Fact]) -> None:
        super().__init__(())
        self._facts = None  # (made only if asked for)
        self.parent = parent
        self.added = FactIndex(sorted(added, key=_ID))
        self.changed = set(removed) | {f.id for f in self.added}

    @property
    def facts(self) -> list[Fact]:
        if self._facts is None:
            self._facts = sorted([*(f for f in self.parent if f.id not in self.changed), *self.added], key=_ID)
        return self._facts

    def _find(self, selector: Selector, scope: set[str] | None) -> Sequence[Fact]:
        changed = self.changed
        kept = [f for f in self.parent.candidates(selector, scope) if f.id not in changed]
        more = self.added.candidates(selector, scope)
        return sorted([*kept, *more], key=_ID) if more else kept

    def among(self, ids: Iterable[str]) -> list[Fact]:
        return [f for i in sorted(ids) if (f := self.fact(i)) is not None]

    def fact(self, fact_id: str) -> Fact | None:
        # (through the index it is told beside, not a million facts made whole)
        return self.added.by_id.get(fact_id) if fact_id in self.changed else self.parent.fact(fact_id)


def _tellings(index: FactIndex) -> list[tuple[FactIndex, set[str]]]:
    """An index, the one it is told beside, and so on, each with the ids where it differs from
    the next (the last, told beside none: none)."""
    out = []
    while isinstance(index, _Beside):
        out.append((index, index.changed))
        index = index.parent
    out.append((index, set()))
    return out


def _indexed(facts: Sequence[Fact]) -> FactIndex:
    return facts if isinstance(facts, FactIndex) else FactIndex(facts)


def lens_pool(lens: Lens, facts: Sequence[Fact], *, as_of: date, scope: set[str] | None = None) -> list[Fact]:
    """Every fact in scope that some section of the lens would show, before any limit."""
    index = _indexed(facts)
    chosen: dict[str, Fact] = {}
    for section in lens.sections:
        for fact in _pick(section.select, index, scope, as_of):
            chosen.setdefault(fact.id, fact)
    return [chosen[k] for k in sorted(chosen)]


def pools_apart(lens: Lens, first: FactIndex, second: FactIndex, *, as_of: date,
                scope: set[str] | None = None, also: frozenset[str] = frozenset()) -> tuple[list[Fact], list[Fact]]:
    """``lens_pool`` of two fact bases, where they may differ (and at the ids ``also``) only:
    the whole pools less facts both hold alike (which no comparison of the two tells apart),
    found from the few thousand facts two runs' bases differ in rather than the million they
    share. Where the two are not told beside one parent, the whole pools."""
    differ = first.differs_from(second)
    if differ is None:
        return lens_pool(lens, first, as_of=as_of, scope=scope), lens_pool(lens, second, as_of=as_of, scope=scope)
    wanted = differ | also
    for section in lens.sections:  # (the last periods of one base may not be the other's)
        if section.select.last_periods:
            mine, theirs = ({f.id for f in _pick(section.select, index, scope, as_of)} for index in (first, second))
            wanted |= mine ^ theirs
    return lens_within(lens, first, wanted, as_of=as_of, scope=scope), lens_within(lens, second, wanted, as_of=as_of, scope=scope)


_MANY = 5_000  # ids past which ``lens_within`` picks from the index rather than look at each fact


def lens_within(lens: Lens, index: FactIndex, ids: set[str], *, as_of: date, scope: set[str] | None = None) -> list[Fact]:
    """``lens_pool(lens, index)`` of the facts with these ids only: each fact looked at for
    each section where they are few; where they are many (two bases after an upgrade that
    restated half their facts: ~7 million looks), what the index picks for each section."""
    many = len(ids) >= _MANY
    facts = [] if many else [f for f in index.among(ids) if scope is None or f.entity in scope]
    chosen: dict[str, Fact] = {}
    for section in lens.sections:
        if many or section.select.last_periods:  # (which periods are the last is told by every fact)
            chosen.update((f.id, f) for f in _pick(section.select, index, scope, as_of) if f.id in ids)
        else:
            chosen.update((f.id, f) for f in facts if _selects(section.select, f, as_of))
    return [chosen[k] for k in sorted(chosen)]


def _days_after(day: date, days: int) -> date:
    """``day`` plus ``days``, or the last day there is (an as-of date near year 9999 overflows)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def _selects(selector: Selector, fact: Fact, as_of: date) -> bool:
    """Whether ``_pick`` would take this fact for the selector (``last_periods`` aside)."""
    if not matches(fact, selector):
        return False
    return selector.due_within_days is None or (
        fact.due is not None and fact.due <= _days_after(as_of, selector.due_within_days))


def _pick(selector: Selector, index: FactIndex, scope: set[str] | None, as_of: date) -> Sequence[Fact]:
    picked = index.candidates(selector, scope)  # each of the selected kinds, names and topics
    if selector.min_severity is not None or selector.exclude_topics or selector.exclude_names:  # what the index does not apply
        picked = [f for f in picked if matches(f, selector)]
    if selector.due_within_days is not None:
        horizon = _days_after(as_of, selector.due_within_days)
        picked = [f for f in picked if f.due is not None and f.due <= horizon]
    if selector.last_periods:
        picked = _last_periods(picked, selector.last_periods)
    return picked


def _listed(section: LensSection) -> bool:
    """Whether a section is a ranked list, whose room is its limit (not a table, a chart, a
    dated plan or an audit's "Other notes")."""
    return section.style not in ("metrics", "chart") and not is_plan(section) and not section.select.rest


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
    baseline_sent_at: str | None = None,
) -> LensView:
    """The writer's input for one report: each section's facts, ranked and within budget.

    ``scope`` limits the report to some businesses (an audit); organisation-wide facts are
    then left out, since they are not about the audited business alone.
    """
    # (a fact base told beside another is made whole: a report ranks by positions in one list)
    index = facts if type(facts) is FactIndex else FactIndex(list(facts))
    at = index.facts
    sections: dict[str, tuple[Fact, ...]] = {}
    omitted: dict[str, int] = {}
    reserve: dict[str, tuple[Fact, ...]] = {}
    shown: set[int] = set()  # what the sections so far show, by position
    listed: dict[int, Fact] = {}  # what the lists and plans so far show (not a table or a chart), by position
    picks = {section.id: index.pick(section.select, scope, as_of) for section in lens.sections}
    # a list section with nothing to show gives its room to those with more than theirs (a
    # workspace with no ledger: the CFO's money notes take what its ledger sections leave)
    spare = sum(section.select.limit or lens.max_items for section in lens.sections
                if not picks[section.id] and _listed(section))
    for section in lens.sections:
        picked = picks[section.id]
        if section.select.rest:  # what no section shows, those a limit cut among it
            picked = [n for n in picked if n not in shown]
        if section.style in ("metrics", "chart"):
            chosen = sorted(picked, key=lambda n: (at[n].entity or "~", at[n].period or "", at[n].name))
        elif is_plan(section):  # every action due within the window, unless a limit is set
            limit = section.select.limit or len(picked)
            chosen = index.plan(picked, lens.focus, limit)
            if len(picked) > limit:
                omitted[section.id] = len(picked) - limit
        else:
            # a list never lists again what an earlier list or plan of the report shows (the CEO's
            # shortfalls are not its risks too): its room goes to what the report has not said
            # (those are few: ranked past, not filtered out of a pool of up to a million)
            sel = section.select
            again = (len(listed.keys() & set(picked)) if sel.last_periods else
                     sum(1 for f in listed.values() if (scope is None or f.entity in scope) and _selects(sel, f, as_of)))
            count = len(picked) - again
            limit = section.select.limit or lens.max_items
            if spare and _listed(section) and count > limit:  # at most twice its own room
                extra = min(spare, limit, count - limit)
                limit, spare = limit + extra, spare - extra
            ranked = [n for n in index.top(picked, lens.focus, 2 * limit + again) if n not in listed][:2 * limit]
            # (what another line of the report already states is not shown again)
            kept, repeated = distinct([at[n] for n in ranked], (f for chosen in sections.values() for f in chosen),
                                      entities.values())
            ids = {f.id for f in kept}
            ranked = [n for n in ranked if at[n].id in ids]
            chosen = ranked[:limit]
            if count - repeated > limit:
                omitted[section.id] = count - repeated - limit
                reserve[section.id] = tuple(at[n] for n in ranked[limit:])
        sections[section.id] = tuple(at[n] for n in chosen)
        shown.update(chosen)
        if section.style not in ("metrics", "chart"):
            listed.update((n, at[n]) for n in chosen)
        if section.select.rest and chosen:  # what it shows is no longer "more" of an earlier section
            for earlier in lens.sections:
                if earlier.id == section.id:
                    break
                if omitted.get(earlier.id):
                    taken = sum(1 for n in chosen if _selects(earlier.select, at[n], as_of))
                    omitted[earlier.id] = max(0, omitted[earlier.id] - taken)
    used = {f.id: f for chosen in sections.values() for f in chosen}
    # an action is shown with the finding it addresses (if that is in scope)
    addressed = {e for f in used.values() if f.kind == "action" for e in f.evidence}
    found = {e: f for e in addressed if (f := index.by_id.get(e)) is not None and (scope is None or f.entity in scope)}
    for fact in list(used.values()):
        if fact.kind == "action":
            used.update((e, found[e]) for e in fact.evidence if e in found)
    used.update((f.id, f) for f in changes)
    return LensView(
        lens=lens, key=key, period=period, as_of=as_of, organization=organization,
        entities={k: v for k, v in entities.items() if scope is None or k in scope},
        sections=sections, omitted=omitted, reserve=reserve, facts=used, warnings=tuple(warnings),
        baseline=baseline, baseline_sent_at=baseline_sent_at, changes=tuple(changes),
    )
