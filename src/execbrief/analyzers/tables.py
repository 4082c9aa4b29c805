"""Table rows from the notes, with their typed cells, for the records, portfolio and assets rules.

The notes source gives each ``table_row`` its raw ``cells`` and typed readings
(``amounts``, ``per``, ``dates``, ``numbers``). A rule finds its columns by name
("client", "monthly fee", "contract end"), so any header wording close to those works.

When two notes hold a row for the same thing (a roster copied into a later note, an
invoice or a job listed again in the next weekly note), the row of the most recently
updated note wins: every table rule reads rows through ``latest`` under a key of its own
(a client's name, a unit, an invoice number), so a row repeated in a hundred notes counts
once. ``LatestRows`` uses the same keys to narrow the rules' view as it is read: a row
that no rule's key can pick is let go at once, which is most rows of a large workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from decimal import Decimal
from typing import Any, Hashable, Sequence

from ..model import Evidence

__all__ = ["Row", "Key", "Label", "LatestRows", "table_rows", "latest", "possessive", "reads", "BACKLOG"]

_CLOSED = {"archived", "closed", "done", "superseded"}
_EMPTY: dict = {}  # shared by rows with nothing of a kind: never written to
# a heading over bullets that are open maintenance work (the assets rules count them)
BACKLOG = re.compile(r"\bbacklog\b|\bopen (work|jobs|repairs|items|tickets)\b|\b(repairs?|work) (needed|outstanding|to do)\b|\bto fix\b", re.I)


def reads(ev: Evidence) -> bool:
    """Whether the table rules (records, portfolio, assets) read an item: the notes'
    documents, table rows and sections under a backlog heading, nothing else."""
    if ev.source != "notes":
        return False
    if ev.kind == "section":
        return bool(BACKLOG.search(ev.record.get("heading") or ""))
    return ev.kind in ("document", "table_row")


@dataclass(frozen=True)
class Row:
    """One table row, its cells and typed readings, and the date of the note it came from.

    The readings stay the strings the notes source wrote (``amounts``, ``dates``, ``numbers``
    as "1250.00", "2026-12-28"): they are typed when a rule asks (``money``, ``day``), so a
    large workspace's rows are not held twice.
    """

    ev: Evidence
    cells: dict[str, str]
    amounts: dict[str, str] = field(default_factory=dict)
    per: dict[str, str] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    updated: date | None = None
    columns: tuple[str, ...] = field(init=False, repr=False, compare=False)  # the cells' keys, in order

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.cells))

    @property
    def entity(self) -> str | None:
        return self.ev.entity

    @property
    def where(self) -> str:
        """``notes/a.md:14``: the row's file and line, for a fact's sources."""
        return self.ev.provenance.label()

    def col(self, pattern: re.Pattern[str]) -> str | None:
        """The first column whose key matches ``pattern``."""
        found = _matching(self.columns, pattern)
        return found[0] if found else None

    def text(self, pattern: re.Pattern[str]) -> str:
        """The raw text of the first matching column ("" if none)."""
        key = self.col(pattern)
        return self.cells.get(key, "").strip() if key else ""

    def money(self, pattern: re.Pattern[str]) -> tuple[Decimal, str | None] | None:
        """(amount, per period) of the first matching column holding money or a plain number."""
        found = self.money_in(pattern)
        return None if found is None else found[1:]

    def money_in(self, pattern: re.Pattern[str]) -> tuple[str, Decimal, str | None] | None:
        """(column, amount, per period) of the first matching column holding money or a plain number."""
        for key in _matching(self.columns, pattern):
            if key in self.amounts:
                return key, Decimal(self.amounts[key]), self.per.get(key)
            if key in self.numbers:
                return key, Decimal(self.numbers[key]), None
        return None

    def day(self, pattern: re.Pattern[str]) -> date | None:
        """The date in the first matching column that holds one."""
        return next((date.fromisoformat(self.dates[k]) for k in _matching(self.columns, pattern)
                     if k in self.dates), None)


def possessive(name: str) -> str:
    """``Harbor Flats'``, ``Brightline Studio's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@lru_cache(maxsize=4096)  # the rows of one table share their keys: each pattern is tried once
def _matching(keys: tuple[str, ...], pattern: re.Pattern[str]) -> tuple[str, ...]:
    """The keys ``pattern`` finds, in order."""
    return tuple(k for k in keys if pattern.search(k))


def table_rows(evidence: Sequence[Evidence]) -> list[Row]:
    """Every table row of a live note, with its note's last update (rules that share it
    ask through ``AnalysisContext.shared``, so it is made once)."""
    updated: dict[str, date | None] = {}
    closed: set[str] = set()
    for ev in evidence:
        if ev.source == "notes" and ev.kind == "document":
            _note_state(ev, updated, closed)
    return [_row(ev, updated.get(ev.provenance.path)) for ev in evidence
            if ev.source == "notes" and ev.kind == "table_row" and ev.provenance.path not in closed]


def _note_state(document: Evidence, updated: dict[str, date | None], closed: set[str]) -> None:
    """Note a document's last update, and whether it is closed (its rows are not read)."""
    r = document.record
    updated[document.provenance.path] = date.fromisoformat(r["updated"][:10]) if r.get("updated") else None
    if (r.get("status") or "").strip().lower() in _CLOSED or r.get("archived"):
        closed.add(document.provenance.path)


def _row(ev: Evidence, updated: date | None) -> Row:
    r = ev.record
    return Row(  # the record's own dicts, not copies (an empty reading: one shared dict)
        ev=ev, cells=r.get("cells") or _EMPTY, amounts=r.get("amounts") or _EMPTY, per=r.get("per") or _EMPTY,
        dates=r.get("dates") or _EMPTY, numbers=r.get("numbers") or _EMPTY, updated=updated,
    )


class Key:
    """What a rule takes one row of: the rows it reads are keyed, and under each key the
    latest note's row wins (``latest``).

    Whether a rule reads a table's rows at all depends on its columns only, so a key's
    ``plan`` for a set of columns (which column holds the name, say) is worked out once
    per set; ``key`` then reads one row by that plan. A plan of None: not read.
    """

    def __init__(self) -> None:
        self._plans: dict[tuple[str, ...], Any] = {}

    def plan(self, columns: tuple[str, ...]) -> Any:
        raise NotImplementedError

    def key(self, row: Row, plan: Any) -> Hashable | None:
        raise NotImplementedError

    def planned(self, columns: tuple[str, ...]) -> Any:
        """``plan(columns)``, worked out once per set of columns."""
        try:
            return self._plans[columns]
        except KeyError:
            found = self._plans[columns] = self.plan(columns)
            return found

    def __call__(self, row: Row) -> Hashable | None:
        plan = self.planned(row.columns)
        return None if plan is None else self.key(row, plan)


class Label(Key):
    """(business, the text of the column ``name`` finds), for the rows of tables that also
    have a column for each of ``needs``, none for ``unless`` and, with ``dated``, a date in a
    column it finds. A row whose ``name`` cell is empty is not read, or, with ``blank``, is
    its own key (its place)."""

    def __init__(self, name: re.Pattern[str], *needs: re.Pattern[str], unless: re.Pattern[str] | None = None,
                 dated: re.Pattern[str] | None = None, blank: bool = False) -> None:
        super().__init__()
        self.name, self.needs, self.unless, self.dated, self.blank = name, needs, unless, dated, blank

    def plan(self, columns: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]] | None:
        if not all(_matching(columns, p) for p in self.needs):
            return None
        if self.unless is not None and next(iter(_matching(columns, self.unless)), None):
            return None
        dated = _matching(columns, self.dated) if self.dated is not None else ()
        if self.dated is not None and not dated:
            return None
        return next(iter(_matching(columns, self.name)), None), dated

    def key(self, row: Row, plan: tuple[str | None, tuple[str, ...]]) -> Hashable | None:
        column, dated = plan
        if dated and not any(c in row.dates for c in dated):
            return None
        label = row.cells.get(column, "").strip().lower() if column else ""
        if label:
            return row.entity, label
        return ("row", row.where) if self.blank and column else None


def _rank(row: Row) -> tuple[date, str]:
    """Which of two rows with one key wins: the later note's, then the later place."""
    return row.updated or date.min, row.where


def latest(rows: Sequence[Row], key: Key) -> list[Row]:
    """One row per ``key`` (rows it gives None for are left out): the most recently updated
    note's, in order of business and place."""
    best: dict[Hashable, Row] = {}
    for row in rows:
        k = key(row)
        if k is None:
            continue
        held = best.get(k)
        if held is None or _rank(row) > _rank(held):
            best[k] = row
    return sorted(best.values(), key=lambda r: (r.entity or "", r.where))


class LatestRows:
    """Narrows the table rules' view as it is read, to what they can read of it.

    It is given the view's items batch by batch (a note's items, in the order a run
    collects them; a note's document with or before its rows) and keeps every item that is
    not a table row, and of the rows only those that are, so far, the latest under some
    rule's key (``keys``). A row that loses every key it has is let go. The rules then give
    the same facts for ``items()`` as for the whole view, because each reads rows only
    through ``latest`` with one of those keys (``tests/test_incremental.py`` holds them to it).
    """

    def __init__(self, keys: Sequence[Key]) -> None:
        self.keys = tuple(keys)
        self._updated: dict[str, date | None] = {}
        self._closed: set[str] = set()
        self._others: list[tuple[tuple[int, ...], Evidence]] = []
        self._best: dict[tuple[int, Hashable], tuple[tuple[int, ...], tuple[date, str], Row]] = {}
        self._plans: dict[tuple[str, ...], list[tuple[int, Key, Any]]] = {}

    def add(self, position: tuple[int, ...], items: Sequence[Evidence]) -> None:
        """One batch of the view's items; ``position`` orders the batches as the view does."""
        self.add_placed([((*position, index), ev) for index, ev in enumerate(items)])

    def add_placed(self, placed: Sequence[tuple[tuple[int, ...], Evidence]]) -> None:
        """Items with their places in the view (what another narrowing's ``placed`` gave:
        narrowing parts of a view apart, then together, keeps what narrowing it whole does)."""
        for _, ev in placed:
            if ev.source == "notes" and ev.kind == "document":
                _note_state(ev, self._updated, self._closed)
        for place, ev in placed:
            if ev.source != "notes" or ev.kind != "table_row":
                self._others.append((place, ev))
            elif ev.provenance.path not in self._closed:
                row = _row(ev, self._updated.get(ev.provenance.path))
                plans = self._plans.get(row.columns)
                if plans is None:  # the keys that read rows with these columns, and how
                    plans = self._plans[row.columns] = [
                        (n, key, plan) for n, key in enumerate(self.keys) if (plan := key.planned(row.columns)) is not None]
                rank = None
                for n, key, plan in plans:
                    k = key.key(row, plan)
                    if k is None:
                        continue
                    rank = rank or _rank(row)
                    held = self._best.get((n, k))
                    if held is None or rank > held[1]:
                        self._best[n, k] = (place, rank, row)

    def placed(self) -> list[tuple[tuple[int, ...], Evidence]]:
        """What was kept, with its places, in the view's order."""
        rows = {id(row.ev): (place, row.ev) for place, _, row in self._best.values()}
        return sorted([*self._others, *rows.values()], key=lambda pair: pair[0])

    def items(self) -> list[Evidence]:
        """What was kept, in the view's order."""
        return [ev for _, ev in self.placed()]
