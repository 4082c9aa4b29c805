"""The views of the evidence that analyzer rules read (see ``base.Reads``).

Rules that read the same view share its digests in the incremental runner, and what they
derive from it (``AnalysisContext.shared``).
"""

from __future__ import annotations

from .base import Reads, keys_reading
from .tables import LatestRows, reads as table_items

__all__ = ["AWS", "LEDGER", "NOTES", "NOTE_TABLES", "REPOS", "TEXT_HITS"]

# the ledger, and what the notes say some of its rows are (a part's remarks are built with
# its hits: a ledger rule never builds a note)
LEDGER = Reads("ledger", ("ledger", "notes"), lambda ev: ev.source == "ledger" or ev.kind == "ledger_remark",
               hits_only=True)
AWS = Reads("aws", ("aws",), lambda ev: ev.source == "aws")
REPOS = Reads("repos", ("repos",), lambda ev: ev.source == "repos")
NOTES = Reads("note", ("notes",), lambda ev: ev.source == "notes", per_note=True)
# secrets found in the text of notes and ledger files
TEXT_HITS = Reads("text secrets", ("notes", "ledger"),
                  lambda ev: ev.kind == "scan_hit" and ev.source in ("notes", "ledger"), hits_only=True)
# the notes' tables (and backlog sections), narrowed to the rows some rule's key picks
NOTE_TABLES = Reads("note tables", ("notes",), table_items, per_entity=True,
                    narrow=lambda: LatestRows(keys_reading("note tables")))
