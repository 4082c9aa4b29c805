"""The memo: the facts analyzers made, kept for later runs (``.execbrief/cache/analysis.sqlite``).

Two tables: ``parts``, one row per note (its memo key: the note's part key under the code's
and context's digest), with what each view over all notes read of it (a digest per view)
and the per-note analyzer's facts; ``whole``, one row per analyzer and group (a business,
or the whole view; or a rule over facts), with the digest of the items it read (of what the
facts before it were made from, for a rule over facts) and its facts. Facts are kept as
``analyzers.build.dump_facts`` rows. A memo that cannot be opened or written costs speed,
never facts: ``error`` says why, and every call after it does nothing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

__all__ = ["MEMO_VERSION", "Memo"]

MEMO_VERSION = 2  # (kept facts of another version are not read)


class Memo:
    """The kept facts: per note (``parts``) and per analyzer (``whole``)."""

    def __init__(self, path: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        if path is None:
            return
        for attempt in (1, 2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path)
                self.db.executescript(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    "CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, views TEXT, facts BLOB);"
                    "CREATE TABLE IF NOT EXISTS whole (analyzer TEXT PRIMARY KEY, key TEXT, facts BLOB);"
                    # (an earlier version kept the last fact base's ids here, ~20 MB at a million facts)
                    "DROP TABLE IF EXISTS fact_ids;"
                )
                return
            except sqlite3.DatabaseError as exc:  # not a database (damaged): start a new one, once
                self._fail(exc)
                damaged = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in (11, 26)  # CORRUPT, NOTADB
                if attempt == 2 or not path.is_file() or not damaged:  # (a read-only folder is no damage)
                    return
                self.error = None
                try:
                    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                        stale.unlink(missing_ok=True)
                except OSError as cannot:  # the run goes on without the kept facts
                    self._fail(cannot)
                    return
            except (sqlite3.Error, OSError) as exc:
                self._fail(exc)
                return

    def _fail(self, exc: Exception) -> None:
        self.error = self.error or str(exc)
        if self.db is not None:
            self.db.close()
        self.db = None

    def parts(self, keys: set[str]) -> dict[str, dict[str, str]]:
        """The kept view digests of these parts, by key (their facts: ``part_facts``)."""
        views: dict[str, dict[str, str]] = {}
        if self.db is None or not keys:
            return views
        try:
            rows = self.db.execute("SELECT key, views FROM parts").fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return views
        for key, digests in rows:
            if key in keys:
                views[key] = json.loads(digests)
        return views

    def kept_parts(self, keys: set[str]) -> set[str]:
        """Which of these parts have their facts kept (read them with ``part_facts``)."""
        if self.db is None or not keys:
            return set()
        try:
            rows = self.db.execute("SELECT key FROM parts WHERE facts IS NOT NULL").fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return set()
        return {key for (key,) in rows if key in keys}

    def part_facts(self, key: str) -> bytes | None:
        """A part's kept facts; None if they cannot be read (then the caller makes them)."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT facts FROM parts WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return row[0] if row else None

    def put_part(self, key: str, views: dict[str, str], facts: bytes) -> None:
        """Keep a part's facts now, in the transaction ``save`` commits (so a run does not hold
        every new part's facts as bytes until the end)."""
        if self.db is None:
            return
        try:
            self.db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?)", (key, json.dumps(views), facts))
        except sqlite3.Error as exc:
            self._fail(exc)

    def whole(self, analyzer: str, key: str) -> bytes | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT key, facts FROM whole WHERE analyzer = ?", (analyzer,)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return row[1] if row and row[0] == key else None

    def save(self, views: dict[str, dict[str, str]], whole: dict[str, tuple[str, bytes]], live: set[str],
             live_whole: set[str], parts_changed: bool) -> None:
        """Commit the parts kept so far, with new view digests of others (``views``) and the
        analyzers' facts (``whole``), and forget the parts (by key) and analyzers' facts (by
        label) this run did not use."""
        if self.db is None or not (parts_changed or views or whole):
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT INTO parts VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET views = excluded.views",
                    [(k, json.dumps(v)) for k, v in views.items()])
                self.db.executemany("INSERT OR REPLACE INTO whole VALUES (?, ?, ?)",
                                    [(name, key, blob) for name, (key, blob) in whole.items()])
                if whole:  # a business that is gone, an analyzer that failed
                    self._keep_only("whole", "analyzer", live_whole)
                if parts_changed or views:  # notes that changed or went: forget the parts no note has any more
                    self._keep_only("parts", "key", live)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _keep_only(self, table: str, column: str, live: set[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is not in ``live`` (in the open transaction)."""
        assert self.db is not None
        self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS live_{table} (value TEXT PRIMARY KEY)")
        self.db.execute(f"DELETE FROM live_{table}")
        self.db.executemany(f"INSERT INTO live_{table} VALUES (?)", [(k,) for k in live])
        self.db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT value FROM live_{table})")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
