"""Table rows from the notes, with their typed cells, for the portfolio and assets rules.

The notes source gives each ``table_row`` its raw ``cells`` and typed readings
(``amounts``, ``per``, ``dates``, ``numbers``). A rule finds its columns by name
("client", "monthly fee", "contract end"), so any header wording close to those works.
When two notes hold a row for the same thing (a roster copied into a later note), the row
of the most recently updated note wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from decimal import Decimal
from typing import Sequence

from ..model import Evidence

__all__ = ["Row", "table_rows", "latest_by", "column", "possessive", "reads", "BACKLOG"]

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

    @property
    def entity(self) -> str | None:
        return self.ev.entity

    @property
    def where(self) -> str:
        """``notes/a.md:14``: the row's file and line, for a fact's sources."""
        return self.ev.provenance.label()

    def col(self, pattern: re.Pattern[str]) -> str | None:
        """The first column whose key matches ``pattern``."""
        found = _matching(tuple(self.cells), pattern)
        return found[0] if found else None

    def text(self, pattern: re.Pattern[str]) -> str:
        """The raw text of the first matching column ("" if none)."""
        key = self.col(pattern)
        return self.cells.get(key, "").strip() if key else ""

    def money(self, pattern: re.Pattern[str]) -> tuple[Decimal, str | None] | None:
        """(amount, per period) of the first matching column holding money or a plain number."""
        for key in _matching(tuple(self.cells), pattern):
            if key in self.amounts:
                return Decimal(self.amounts[key]), self.per.get(key)
            if key in self.numbers:
                return Decimal(self.numbers[key]), None
        return None

    def day(self, pattern: re.Pattern[str]) -> date | None:
        """The date in the first matching column that holds one."""
        return next((date.fromisoformat(self.dates[k]) for k in _matching(tuple(self.cells), pattern)
                     if k in self.dates), None)


def possessive(name: str) -> str:
    """``Harbor Flats'``, ``Brightline Studio's``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def column(cells: dict[str, str], pattern: re.Pattern[str]) -> str | None:
    """The first key of ``cells`` matching ``pattern``."""
    found = _matching(tuple(cells), pattern)
    return found[0] if found else None


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
            r = ev.record
            updated[ev.provenance.path] = date.fromisoformat(r["updated"][:10]) if r.get("updated") else None
            if (r.get("status") or "").strip().lower() in _CLOSED or r.get("archived"):
                closed.add(ev.provenance.path)
    out = []
    for ev in evidence:
        if ev.source != "notes" or ev.kind != "table_row" or ev.provenance.path in closed:
            continue
        r = ev.record
        out.append(Row(  # the record's own dicts, not copies (an empty reading: one shared dict)
            ev=ev, cells=r.get("cells") or _EMPTY, amounts=r.get("amounts") or _EMPTY, per=r.get("per") or _EMPTY,
            dates=r.get("dates") or _EMPTY, numbers=r.get("numbers") or _EMPTY,
            updated=updated.get(ev.provenance.path),
        ))
    return out


def latest_by(rows: Sequence[Row], name: re.Pattern[str]) -> list[Row]:
    """One row per (entity, name cell): the one from the most recently updated note."""
    best: dict[tuple[str | None, str], Row] = {}
    for row in rows:
        label = row.text(name).lower()
        if not label:
            continue
        key = (row.entity, label)
        held = best.get(key)
        if held is None or (row.updated or date.min, row.where) > (held.updated or date.min, held.where):
            best[key] = row
    return sorted(best.values(), key=lambda r: (r.entity or "", r.where))
