"""The ledger: one SQLite file per workspace recording everything a run did.

``<workspace>/.execbrief/ledger.db`` holds runs, their input file hashes, facts, warnings,
reports and messages. A fact's content is stored once (``fact_bodies``, by ``content_key``)
and each run lists the keys of its facts (``run_facts``); the ``facts`` view joins them. It migrates itself on open. Secrets never reach it: sources keep a
detected secret as a hash and a masked preview only, and nothing else is stored.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from ..errors import LedgerError
from ..model import DataWarning, Fact, Report
from .migrations import migrate

__all__ = ["Ledger", "LEDGER_PATH", "content_key", "new_run_id", "utc_now"]

LEDGER_PATH = Path(".execbrief") / "ledger.db"


def utc_now() -> str:
    """The current UTC time, ISO-8601 to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def content_key(fact_json: str) -> bytes:
    """The key a fact's content is stored under: 16 bytes of BLAKE2b of its JSON."""
    return hashlib.blake2b(fact_json.encode(), digest_size=16).digest()


def new_run_id() -> str:
    """A sortable, readable run id: ``20261127T201500123Z-a1b2c3``."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z-" + secrets.token_hex(3)


class Ledger:
    """A connection to one workspace's ledger."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            migrate(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise LedgerError(f"cannot open the ledger at {path}: {exc}") from exc

    @classmethod
    def for_workspace(cls, workspace: Path) -> "Ledger":
        """Open (creating and migrating if needed) the ledger of a workspace."""
        return cls(workspace / LEDGER_PATH)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed if the block ends normally, else rolled back.

        ``immediate`` takes the write lock at the start (for a read-then-write another
        process must not interleave). A database error is a ``LedgerError``.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise LedgerError(f"cannot write to the ledger at {self.path}: {exc}") from exc
            raise

    def write(self, statements: Iterable[tuple[str, Iterable[tuple[Any, ...]]]], *, immediate: bool = False) -> None:
        """Run each (SQL, rows) in one transaction; all or nothing is written."""
        with self.transaction(immediate=immediate) as db:
            for sql, rows in statements:
                db.executemany(sql, rows)

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        self.write([(sql, rows)])

    # runs

    def start_run(self, workspace: Path, period: str, as_of: str, options: dict[str, Any]) -> str:
        """Record the start of a run and return its id."""
        run_id = new_run_id()
        self._write(
            "INSERT INTO runs (id, started_at, status, workspace, period, as_of, options_json)"
            " VALUES (?, ?, 'running', ?, ?, ?, ?)",
            [(run_id, utc_now(), str(workspace), period, as_of, json.dumps(options, sort_keys=True))],
        )
        return run_id

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any], duration_ms: int) -> None:
        """Record how a run ended."""
        self._write(
            "UPDATE runs SET finished_at = ?, status = ?, summary_json = ?, duration_ms = ? WHERE id = ?",
            [(utc_now(), status, json.dumps(summary, sort_keys=True), duration_ms, run_id)],
        )

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The most recent runs, newest first."""
        rows = self.db.execute(
            "SELECT r.*,"
            " (SELECT COUNT(*) FROM reports WHERE run_id = r.id) AS reports,"
            " (SELECT COUNT(*) FROM messages WHERE run_id = r.id AND status = 'sent') AS sent,"
            " (SELECT COUNT(*) FROM warnings WHERE run_id = r.id) AS warnings,"
            " (SELECT COUNT(*) FROM run_facts WHERE run_id = r.id) AS facts"
            " FROM runs r ORDER BY r.id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["options"] = json.loads(item.pop("options_json") or "{}")
            item["summary"] = json.loads(item.pop("summary_json") or "null")
            out.append(item)
        return out

    # what a run read and computed

    def record_inputs(self, run_id: str, inputs: Iterable[Any]) -> None:
        """Record the files a run read, with their content hashes."""
        self._write(
            "INSERT OR REPLACE INTO inputs (run_id, source, path, sha256, size) VALUES (?, ?, ?, ?, ?)",
            [(run_id, i.source, i.path, i.sha256, i.size) for i in inputs],
        )

    def record_facts(self, run_id: str, facts: Iterable[Fact]) -> None:
        """Record the fact base of a run: the run lists its facts by content key, and each
        fact's content is stored once, whatever the number of runs that computed it."""
        rows = sorted(((f, f.model_dump_json()) for f in facts), key=lambda row: row[0].id)  # (appended in key order)
        keys = [content_key(text) for _, text in rows]
        with self.transaction() as db:
            # most of a run's facts are the last run's: their content is stored already
            previous = db.execute("SELECT MAX(run_id) FROM run_facts WHERE run_id < ?", (run_id,)).fetchone()[0]
            known = {k for (k,) in db.execute("SELECT key FROM run_facts WHERE run_id = ?", (previous,))}
            db.executemany(
                "INSERT OR IGNORE INTO fact_bodies (key, kind, name, entity, fact_json) VALUES (?, ?, ?, ?, ?)",
                ((k, f.kind, f.name, f.entity, text) for k, (f, text) in zip(keys, rows) if k not in known))
            db.executemany("INSERT OR REPLACE INTO run_facts (run_id, fact_id, key) VALUES (?, ?, ?)",
                           ((run_id, f.id, k) for k, (f, _) in zip(keys, rows)))

    def record_warnings(self, run_id: str, warnings: Iterable[DataWarning]) -> None:
        """Record the data warnings of a run."""
        self._write(
            "INSERT INTO warnings (run_id, source, path, line, message) VALUES (?, ?, ?, ?, ?)",
            [(run_id, w.source, w.path, w.line, w.message) for w in warnings],
        )

    def record_report(self, run_id: str, report: Report) -> None:
        """Record a written (and verified or rejected) report."""
        self._write(
            "INSERT OR REPLACE INTO reports (run_id, key, lens, period, title, status, writer,"
            " content_sha256, report_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(
                run_id, report.key, report.lens, report.period, report.title, report.status,
                report.writer, report.digest(), report.model_dump_json(), utc_now(),
            )],
        )

    def record_event(self, run_id: str | None, kind: str, data: dict[str, Any]) -> None:
        """Record something that happened (a stage failure, a skipped delivery)."""
        self._write(
            "INSERT INTO events (id, run_id, at, kind, data_json) VALUES (?, ?, ?, ?, ?)",
            [(new_run_id(), run_id, utc_now(), kind, json.dumps(data, sort_keys=True, default=str))],
        )

    # messages

    def messages(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Messages, oldest first, for one run or all."""
        sql = "SELECT * FROM messages"
        args: tuple[Any, ...] = ()
        if run_id:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY created_at, key", args)]

    def baseline(self, key: str, before_period: str) -> tuple[str, str] | None:
        """(run id, period) of the newest delivered report of ``key`` for an earlier period."""
        row = self.db.execute(
            "SELECT r.run_id, r.period FROM reports r WHERE r.key = ? AND r.period < ?"
            " AND r.status != 'rejected' AND EXISTS (SELECT 1 FROM messages m WHERE m.run_id = r.run_id"
            " AND m.key = r.key AND m.status = 'sent') ORDER BY r.period DESC, r.created_at DESC LIMIT 1",
            (key, before_period),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def facts(self, run_id: str) -> list[Fact]:
        """The fact base a run recorded."""
        rows = self.db.execute("SELECT fact_json FROM facts WHERE run_id = ? ORDER BY fact_id", (run_id,))
        return [Fact.model_validate_json(r[0]) for r in rows]

    def reports(self, run_id: str | None = None) -> tuple[str, list[Report]] | None:
        """The reports of a run (default: the newest run that wrote any), in order written."""
        if run_id is None:
            row = self.db.execute("SELECT run_id FROM reports ORDER BY run_id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            run_id = row[0]
        rows = self.db.execute(
            "SELECT report_json FROM reports WHERE run_id = ? ORDER BY created_at, key", (run_id,)
        ).fetchall()
        if not rows:
            return None
        return run_id, [Report.model_validate_json(r[0]) for r in rows]
