"""Records: the current row of each table record in the notes, as a note fact.

A row of a notes table ("| 1A | 1,250 | occupied |") is a record an audit can list. When
the same record — same business, same table heading, same first cell — appears in several
notes (a roster copied into every weekly note), the row of the most recently updated note
is the current one; its older copies are history, not facts of today. So a record is one
fact, from its latest note, whatever the number of notes that repeat it.
"""

from __future__ import annotations

from typing import Hashable, Sequence

from ..model import Evidence, Fact
from .base import AnalysisContext, rule
from .views import NOTE_TABLES
from .operations import NoteInfo, note_infos, table_row
from .tables import Key, Row, latest, table_rows

__all__ = ["analyze", "current_rows", "Record", "RECORD", "KEYS"]


class Record(Key):
    """A record: its business, table heading and first cell."""

    def plan(self, columns: tuple[str, ...]) -> tuple[str, ...]:
        return columns[:1]

    def key(self, row: Row, plan: tuple[str, ...]) -> Hashable:
        first = row.cells[plan[0]] if plan else ""
        return row.entity, str(row.ev.record.get("heading") or "").lower(), str(first).strip().lower()


RECORD = Record()
KEYS = (RECORD,)  # the keys this rule reads rows by (see tables.LatestRows)


@rule(reads=NOTE_TABLES, keys=KEYS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A note fact for the current row of each record."""
    notes = note_infos(evidence)
    facts = []
    for row in current_rows(ctx.shared("table rows", evidence, lambda: table_rows(evidence))):
        path = row.ev.provenance.path
        made = table_row(row.ev, notes.get(path) or NoteInfo(path, (), None, False), ctx)
        if made is not None:
            facts.append(made)
    return facts


def current_rows(rows: Sequence[Row]) -> list[Row]:
    """One row per (business, table heading, first cell): the one of the latest note."""
    return sorted(latest(rows, RECORD), key=lambda r: (r.ev.provenance.path, r.ev.provenance.line_start or 0))
