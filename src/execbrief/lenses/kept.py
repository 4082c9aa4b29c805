"""A fact base's index, kept with it and told beside it for the next (issue 15).

Building a ``FactIndex`` reads every fact once: ~5 s at a million facts, each fact a cache
miss, in every run, although a week's runs mostly differ in a few facts. So an index built
from the facts is kept in ``.execbrief/cache/fact-index``, with the fact base it indexes:
its ids, its columns (each rank key's head as codes into a table of heads; the others as they
are, marshal writing a value many facts share once), the positions of each value as 4-byte
arrays, and the due dates. A later run whose fact base differs from that one in a few facts (the ledger
tells which from the rows it stores beside one base stored whole: ``Ledger.bases_differ``)
takes the kept index and moves its positions past those facts, looking at no other fact:
the positions between two of them move as one run.

The kept index holds for its base and this code only (the file names both); one that is
missing, of a base the ledger cannot tell this one beside, or unreadable is not used, and
the index is built from the facts, with the same result (``tests/test_kept_index.py``
holds the two equal), and kept in its place.
"""

from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left, insort
from datetime import date
from decimal import Decimal
from pathlib import Path
from operator import attrgetter
from typing import BinaryIO, Callable, Sequence

from .. import gcpolicy
from ..model import Fact, FactBase
from .select import COLUMNS, INDEXED, FactIndex, rank_head

__all__ = ["index_of_base"]

_VERSION = 3  # (3: a header first, read alone)
_OF = dict(COLUMNS)  # each column of a fact's own values: the attribute it holds
_SHARED_COLUMNS = tuple(name for name in _OF if name != "ids")  # (kept as they are; ids joined, heads as codes)
_ID = attrgetter("id")


# a kept index is told beside a base that differs from its own in at most this share of facts
# (the ledger stores a base beside another up to a quarter)
MOST_APART = 0.25


def index_of_base(facts: list[Fact], base: str, path: Path, code: str,
                  differ: Callable[[str, str], set[str] | None]) -> FactIndex:
    """The index of a run's facts (in id order), whose fact base is ``base``: the kept one,
    told beside it when ``differ(kept base, base)`` says where the two bases differ (ids; None:
    it cannot say); else made from the facts and kept. ``code``: a digest of the code, which
    the kept index must have been made by."""
    try:
        with open(path, "rb") as handle:  # (one file, though another run replace it meanwhile)
            header = _header(handle, code)
            apart = differ(header["base"], base) if header is not None else None
            if apart is not None and len(apart) <= MOST_APART * max(len(facts), 1):
                kept = _body(handle, header)  # (only now: a stale index, after an upgrade, is not read whole)
                told = _beside(kept, facts, apart) if kept is not None else None
                if told is not None:
                    told.told_beside = header["base"]
                    return told
    except OSError:  # (none kept, or unreadable: made from the facts)
        pass
    index = FactIndex(facts)
    _keep(path, code, base, index)
    return index


# -- keeping an index ---------------------------------------------------------------------

def _codes(values: Sequence) -> tuple[list, bytes, str]:
    """A column as a table of its values and each value's place in it (the smallest array):
    how the rank keys' heads are kept, whose Decimal and date marshal cannot write."""
    table = list(dict.fromkeys(values))
    where = {value: n for n, value in enumerate(table)}
    typecode = "B" if len(table) <= 0xFF else "H" if len(table) <= 0xFFFF else "i"
    return table, array(typecode, map(where.__getitem__, values)).tobytes(), typecode


def _plain_head(head: tuple) -> tuple:
    """A rank key's head as marshal keeps it (a Decimal as its text, a date as its ordinal)."""
    severity, stake, due, recency = head
    return severity, str(stake), due.toordinal(), recency


def _head_again(plain: tuple) -> tuple:
    severity, stake, due, recency = plain
    return severity, Decimal(stake), date.fromordinal(due), recency


def _keep(path: Path, code: str, base: str, index: FactIndex) -> None:
    """Keep an index (of the base stored whole) for the runs told beside it; a cache: a
    file that cannot be written costs the next run the index's making, nothing else."""
    positions, columns = index.parts()
    try:
        with gcpolicy.paused():
            ids = "\0".join(columns["ids"]).encode()  # (every id differs: joined, not coded)
            if ids.count(b"\0") != max(len(index) - 1, 0):
                return  # (an id with a zero byte in it: not kept)
            table, codes, typecode = _codes(columns["heads"])  # (a Decimal and a date in each: as codes)
            dated = positions["dated"]
            header = {"version": _VERSION, "code": code, "base": base, "facts": len(index)}
            kept = {
                # the other columns as they are: marshal writes an object many facts share once, and
                # each place it is again as a reference (~5 bytes), and reads it back shared
                "ids": ids, "columns": {name: columns[name] for name in _SHARED_COLUMNS},
                "heads": ([_plain_head(h) for h in table], codes, typecode),
                "positions": {field: {value: array("i", at).tobytes() for value, at in positions[field].items()}
                              for field in INDEXED},
                "dated": (array("i", dated).tobytes(), array("i", (d.toordinal() for d in dated.values())).tobytes()),
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as out:
            out.write(marshal.dumps(header))
            out.write(marshal.dumps(kept))
        os.replace(partial, path)
    except (OSError, ValueError, TypeError):
        pass


def _header(handle: BinaryIO, code: str) -> dict | None:
    """What a kept index is (its version, code, base and number of facts): the file's first
    object, read alone; None if it is not an index this code made."""
    try:
        header = marshal.load(handle)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(header, dict) or (header.get("version"), header.get("code")) != (_VERSION, code) \
            or not isinstance(header.get("base"), str) or not isinstance(header.get("facts"), int):
        return None
    return header


def _body(handle: BinaryIO, header: dict) -> dict | None:
    """The rest of a kept index, after its header, its columns as values again; None if it
    cannot be read as one."""
    try:
        kept = marshal.loads(handle.read())  # (read whole: marshal reads a file object by object)
        with gcpolicy.paused():
            columns = {name: kept["columns"][name] for name in _SHARED_COLUMNS}
            columns["ids"] = kept["ids"].decode().split("\0") if header["facts"] else []
            table, codes, typecode = kept["heads"]
            heads = [_head_again(h) for h in table]
            columns["heads"] = list(map(heads.__getitem__, array(typecode, codes)))
            if any(len(column) != header["facts"] for column in columns.values()):
                return None
            positions = {field: {value: array("i", at) for value, at in by_value.items()}
                         for field, by_value in kept["positions"].items()}
            at, ordinals = (array("i", raw) for raw in kept["dated"])
        return {"base": header["base"], "facts": header["facts"], "columns": columns, "positions": positions,
                "dated": (at, ordinals)}
    except (EOFError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None


# -- telling an index beside the kept one -------------------------------------------------

def _beside(kept: dict, facts: list[Fact], apart: set[str]) -> FactIndex | None:
    """The index of ``facts`` from the kept one, whose facts differ from them at the ids
    ``apart`` only (or at fewer); None if the facts are not what that says."""
    columns, total = kept["columns"], kept["facts"]
    ids = columns["ids"]
    removed: set[int] = set()  # the kept base's positions of those facts
    now: list[int] = []  # the positions of those facts in this base
    for fact_id in sorted(apart):
        n = bisect_left(ids, fact_id)
        if n < total and ids[n] == fact_id:
            removed.add(n)
        n = bisect_left(facts, fact_id, key=_ID)
        if n < len(facts) and facts[n].id == fact_id:
            now.append(n)
    if len(facts) != total - len(removed) + len(now):
        return None
    new = [facts[n] for n in now]
    inserted = [bisect_left(ids, f.id) for f in new]  # the kept position each goes before
    runs = _runs(total, removed, inserted)
    # (each is where the kept facts before it that stay, and the new ones before it, put it)
    if any(n != stay + k for k, (n, stay) in enumerate(zip(now, _staying_before(runs, inserted)))):
        return None
    with gcpolicy.paused():
        # (each kept column let go once moved: not two copies of every column at once)
        moved = {name: _column(columns.pop(name), runs, now, [_added(name, f) for f in new]) for name in list(columns)}
        if isinstance(facts, FactBase):  # every id checked, then the facts' own kept (not a million copies)
            if moved["ids"] != facts.ids:
                return None
            moved["ids"] = facts.ids
        else:
            step = max(1, len(facts) // 1000)  # (a thousand ids, evenly spread, checked against the facts)
            if any(moved["ids"][n] != facts[n].id for n in range(0, len(facts), step)):
                return None
        where = _where(total, runs)
        added: dict[str, dict[object, list[int]]] = {field: {} for field in INDEXED}  # the new facts' positions
        for n, fact in zip(now, new):
            for field in INDEXED:
                values = fact.topics if field == "topics" else (getattr(fact, _OF[field]),)
                for value in values:
                    added[field].setdefault(value, []).append(n)  # (ascending, as ``now`` is)
        positions: dict[str, dict] = {field: _Moved(by_value, where, added[field])
                                      for field, by_value in kept["positions"].items()}
        at, ordinals = kept["dated"]
        dated = dict(zip(at if where is None else map(where.__getitem__, at), map(date.fromordinal, ordinals)))
        dated.pop(-1, None)  # (the facts changed or gone)
        dated.update((n, f.due) for n, f in zip(now, new) if f.due is not None)
        positions["dated"] = dict(sorted(dated.items()))
    return FactIndex.made(facts, positions, moved)


def _added(name: str, fact: Fact) -> object:
    """A new fact's value in a column."""
    if name == "heads":
        return rank_head(fact.severity, fact.value, fact.unit, fact.due, fact.period)
    return getattr(fact, _OF[name])


Run = tuple[int, int, int]  # kept positions [start, end) that move as one, and by how much


def _runs(total: int, removed: set[int], inserted: Sequence[int]) -> list[Run]:
    """The kept positions that stay, in runs that move alike: each run ends where a fact
    changed or is gone (it is left out) or where a new one goes."""
    arriving: dict[int, int] = {}
    for at in inserted:
        arriving[at] = arriving.get(at, 0) + 1
    runs: list[Run] = []
    start, shift = 0, 0
    for point in sorted(removed | arriving.keys()):
        if point > start:
            runs.append((start, point, shift))
        shift += arriving.get(point, 0)
        if point in removed:
            shift -= 1
            start = point + 1
        else:
            start = point
    if start < total:
        runs.append((start, total, shift))
    return runs


def _staying_before(runs: Sequence[Run], points: Sequence[int]) -> list[int]:
    """For each point a new fact goes before (kept positions, ascending), how many of the kept
    facts before it stay: the runs that end by it (a run breaks at every such point), counted
    in one walk however many points there are (a ledger row changes thousands of facts)."""
    out: list[int] = []
    stay = r = 0
    for at in points:
        while r < len(runs) and runs[r][1] <= at:
            stay += runs[r][1] - runs[r][0]
            r += 1
        out.append(stay)
    return out


def _column(column: list, runs: Sequence[Run], now: Sequence[int], values: Sequence) -> list:
    """A kept column moved by the runs, with the new facts' values at their places (``now``)."""
    out: list = []
    k = 0
    for start, end, shift in runs:
        while k < len(now) and now[k] < start + shift:
            out.append(values[k])
            k += 1
        out += column[start:end]
    out += values[k:]
    return out


def _where(total: int, runs: Sequence[Run]) -> array | None:
    """Each kept position's position now (-1: changed or gone); None when none moved or went."""
    if runs == [(0, total, 0)]:
        return None
    where = array("i", [-1]) * total
    for start, end, shift in runs:
        where[start:end] = array("i", range(start + shift, end + shift))
    return where


class _Moved(dict):  # type: ignore[type-arg]
    """A field's kept positions by value, each value's moved to where its facts are now (and
    the new facts' put in) when it is first asked for: a run's sections ask for a few values
    of a few fields (a kind, some names and topics, a business), and moving every list of a
    million facts through ``where`` cost ~1.5 s. A value no fact has now is not in it. Its
    size (``count``) is told without moving it; iterating or comparing it moves them all."""

    def __init__(self, kept: dict[object, array], where: array | None, added: dict[object, list[int]]) -> None:
        super().__init__()
        self._kept, self._where, self._added = kept, where, added

    def _move(self, value: object) -> array | None:
        at, new = self._kept.pop(value, None), self._added.pop(value, ())
        if at is None:
            at = array("i")
        elif self._where is not None:
            at = array("i", map(self._where.__getitem__, at))
            if -1 in at:  # (a few lists hold a fact that changed or went)
                at = array("i", [n for n in at if n >= 0])
        for n in new:
            insort(at, n)
        if not at:
            return None
        dict.__setitem__(self, value, at)
        return at

    def count(self, value: object) -> int:
        """How many facts have the value, or a few more (those changed or gone since the
        kept index), its positions not moved: enough to choose which criterion to read."""
        if dict.__contains__(self, value):
            return len(dict.__getitem__(self, value))
        return len(self._kept.get(value, ())) + len(self._added.get(value, ()))

    def __missing__(self, value: object) -> array:
        at = self._move(value)
        if at is None:
            raise KeyError(value)
        return at

    def __contains__(self, value: object) -> bool:
        return dict.__contains__(self, value) or self._move(value) is not None

    def get(self, value: object, default: object = None) -> object:  # type: ignore[override]
        if dict.__contains__(self, value):
            return dict.__getitem__(self, value)
        at = self._move(value)
        return default if at is None else at

    def _everything(self) -> None:
        for value in [*self._kept, *self._added]:
            self._move(value)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._everything()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._everything()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._everything()
        return dict.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def keys(self):  # type: ignore[no-untyped-def]
        self._everything()
        return dict.keys(self)

    def values(self):  # type: ignore[no-untyped-def]
        self._everything()
        return dict.values(self)

    def items(self):  # type: ignore[no-untyped-def]
        self._everything()
        return dict.items(self)
