"""The ledger's parse cache: what parsing one CSV file produced, so an unchanged file is not parsed again.

``<workspace>/.execbrief/cache/ledger/<key[:2]>/<key>.bin`` holds one file's parse: its
transactions as column bytes and value tables, its ``scan_hit`` items, its warnings and the
(line, business column) of its rows that name no configured business.
The key hashes the file's content hash, its path in the workspace (ids, warnings and
provenance name it), everything in the configuration the parser reads (column names,
entities and their aliases) and ``VERSION``. The path index of ``FileCache`` maps each path
to (size, mtime, content hash), so an unchanged file is not even read; a file modified
within ``RACY_NS`` of the index write is hashed again.

Entries are ``marshal`` data (bytes, strings, lists, dicts: loading one runs no code) and
hold no secret: account, category and memo values are stored withheld, as the evidence
carries them, and a file whose warnings quote a secret is not cached at all. An entry that
does not load, or does not check out, is a miss: the file is parsed and the entry rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from ..transactions import TransactionTable
from .cache import FileCache

__all__ = ["LedgerCache", "VERSION"]

VERSION = 17  # 17: with both a signed amount and debit/credit configured, each file's header says which it has; 16: a business the business column writes more than one way is warned of; 15: a password in a connection string (postgres://app:…@host) is withheld; 14: a date written 30-09-2026 (a Dutch bank's) is read; 13: bank dates (09/30/2026 in the file's order, 30 Sep 2026) are read; 12: a row's business cell that names no configured business is kept (TransactionTable.named); 11: a file separated by ";" (amounts with a decimal comma) or by tabs is read; 10: a UTF-16 file with its BOM is read, not skipped as binary; 9: a password-shaped word beside a login is withheld; 8: an AWS secret ending in +, / or = is named so, an access code said aloud is withheld, a business cell is matched as the notes match names (Rd/Road); 7: an abbreviated password ("pw: …") is withheld; 2: rows that name no business are kept with each entry; 3: amounts are bounded, empty files warned of; 4: an AWS secret beside its key id is named so; 5: a login written in words is withheld; 6: a quote left open to the end of the file is warned of


class LedgerCache:
    """Parsed ledger files by content and parse settings, under the workspace's cache folder."""

    def __init__(self, workspace: Path, settings_key: Any) -> None:
        self.index = FileCache(workspace, "ledger", VERSION)  # the path index; entries are ours
        self.root = self.index.root
        self._settings = repr((VERSION, sys.byteorder, settings_key))
        self.hits = self.misses = 0

    def key(self, sha: str, rel: str) -> str:
        """The entry key of file content ``sha`` at ``rel`` under the current settings."""
        return hashlib.sha256("\x1f".join((self._settings, sha, rel)).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.bin"

    def save(self) -> None:
        """Write the path index; delete the entries of files changed or gone since the last."""
        for rel, sha in self.index.save_index():
            try:
                self._path(self.key(sha, rel)).unlink(missing_ok=True)
            except OSError:
                pass  # (a stale entry left behind costs disk, not correctness)

    def get(self, key: str, sha: str, observed: str) -> tuple[TransactionTable | None, list, list, list] | None:
        """(table, scan hits, warnings, rows of no business) stored under ``key``, or None if
        absent or unusable."""
        try:
            with open(self._path(key), "rb") as handle:
                entry = marshal.loads(handle.read())
            version, stored_key, state, hits, warnings, unassigned = entry
            if version != VERSION or stored_key != key:
                raise ValueError("another entry")
            table = None if state is None else TransactionTable.from_state(state, sha, observed)
            hits = [(str(i), e, dict(r), int(s), int(t)) for i, e, r, s, t in hits]
            warnings = [(line, str(message)) for line, message in warnings]
            unassigned = [(int(line), str(raw)) for line, raw in unassigned]
        except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
            self.misses += 1
            return None
        self.hits += 1
        return table, hits, warnings, unassigned

    def put(self, key: str, table: TransactionTable | None, hits: list, warnings: list, unassigned: list) -> None:
        """Store one file's parse (atomically; a failure only leaves the file uncached)."""
        if self.index.error is not None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = marshal.dumps((VERSION, key, None if table is None else table.to_state(), hits, warnings, unassigned))
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except (OSError, ValueError) as exc:
            self.index.error = getattr(exc, "strerror", None) or str(exc)
