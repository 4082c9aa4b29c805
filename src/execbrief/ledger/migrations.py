"""Numbered, named migrations of the ledger schema.

Each migration runs in one transaction together with the row that records it, so a crash
leaves the schema either before or after it. A released migration is never edited: add a
new one instead.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timezone
from typing import Callable

__all__ = ["MIGRATIONS", "migrate"]

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration, named after the function."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL,
            workspace TEXT NOT NULL,
            period TEXT NOT NULL,
            as_of TEXT NOT NULL,
            options_json TEXT NOT NULL DEFAULT '{}',
            summary_json TEXT,
            duration_ms INTEGER
        );
        CREATE TABLE inputs (
            run_id TEXT NOT NULL REFERENCES runs(id),
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (run_id, source, path)
        );
        CREATE TABLE facts (
            run_id TEXT NOT NULL REFERENCES runs(id),
            fact_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            entity TEXT,
            fact_json TEXT NOT NULL,
            PRIMARY KEY (run_id, fact_id)
        );
        CREATE TABLE warnings (
            run_id TEXT NOT NULL REFERENCES runs(id),
            source TEXT NOT NULL,
            path TEXT,
            line INTEGER,
            message TEXT NOT NULL
        );
        CREATE TABLE reports (
            run_id TEXT NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            lens TEXT NOT NULL,
            period TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            writer TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            report_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        );
        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            lens TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            channel TEXT NOT NULL,
            sender TEXT NOT NULL,
            to_json TEXT NOT NULL,
            bcc_json TEXT NOT NULL,
            subject TEXT NOT NULL,
            status TEXT NOT NULL,
            provider_message_id TEXT,
            detail TEXT,
            path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX messages_by_key ON messages(idempotency_key, status);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            run_id TEXT REFERENCES runs(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            data_json TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


@migration
def m002_delivery(db: sqlite3.Connection) -> None:
    # One messages row is one send of one part of a report's email (a recipient group,
    # or the audit copy) in one run: pending before the send, then sent/failed/held.
    _run_script(
        db,
        """
        ALTER TABLE messages ADD COLUMN report_key TEXT;
        ALTER TABLE messages ADD COLUMN parent_key TEXT;
        ALTER TABLE messages ADD COLUMN period TEXT;
        ALTER TABLE messages ADD COLUMN audit INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN last_error TEXT;
        ALTER TABLE messages ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN suppressed_json TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX messages_by_report ON messages(report_key, period, status);
        CREATE INDEX messages_by_provider_id ON messages(provider_message_id);
        CREATE TABLE message_bodies (
            idempotency_key TEXT PRIMARY KEY,
            mime BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE suppressions (
            address TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            detail TEXT,
            event_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE locks (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            pid INTEGER NOT NULL,
            pid_started TEXT,
            host TEXT NOT NULL,
            acquired_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL
        );
        CREATE TABLE delivery_events (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            provider_message_id TEXT,
            idempotency_key TEXT,
            recipients_json TEXT NOT NULL DEFAULT '[]',
            detail TEXT,
            occurred_at TEXT,
            received_at TEXT NOT NULL,
            verified INTEGER NOT NULL,
            data_json TEXT NOT NULL
        );
        CREATE INDEX delivery_events_by_message ON delivery_events(provider_message_id)
        """
    )


@migration
def m003_llm_calls(db: sqlite3.Connection) -> None:
    # One row per LLM request (or cache hit) of an LLM writer; prompts are redacted before
    # they are built. A run's shared prompt prefix is stored once in llm_prompts.
    _run_script(
        db,
        """
        CREATE TABLE llm_prompts (
            sha256 TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE llm_calls (
            id TEXT PRIMARY KEY,
            run_id TEXT REFERENCES runs(id),
            report_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            status TEXT NOT NULL,
            error_kind TEXT,
            error TEXT,
            request_json TEXT NOT NULL,
            response_json TEXT,
            tokens_in INTEGER NOT NULL DEFAULT 0,
            tokens_out INTEGER NOT NULL DEFAULT 0,
            tokens_cached INTEGER NOT NULL DEFAULT 0,
            tokens_cache_write INTEGER NOT NULL DEFAULT 0,
            cost_usd TEXT NOT NULL DEFAULT '0',
            latency_ms INTEGER NOT NULL DEFAULT 0,
            retries INTEGER NOT NULL DEFAULT 0,
            batch_id TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX llm_calls_by_run ON llm_calls(run_id, report_key);
        CREATE TABLE llm_batches (
            id TEXT PRIMARY KEY,
            run_id TEXT REFERENCES runs(id),
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            status TEXT NOT NULL,
            requests_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            collected_at TEXT,
            collected_by TEXT
        )
        """
    )


@migration
def m004_facts_by_content(db: sqlite3.Connection) -> None:
    """Each fact stored once by its content (``fact_bodies``); a run lists its facts' keys
    (``run_facts``). Weekly runs of a large workspace compute mostly the same facts: a run
    stored every one in full (150 MB a run at 365,000 facts). ``facts`` stays, as a view
    with its old columns, for anyone who reads the ledger with SQL."""
    # (the key of ``store.content_key``: written out here, as a released migration never changes)
    db.create_function("content_key", 1, lambda text: hashlib.blake2b(text.encode(), digest_size=16).digest(),
                       deterministic=True)
    _run_script(
        db,
        """
        CREATE TABLE fact_bodies (
            key BLOB PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            entity TEXT,
            fact_json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE run_facts (
            run_id TEXT NOT NULL REFERENCES runs(id),
            fact_id TEXT NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY (run_id, fact_id)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO fact_bodies
            SELECT content_key(fact_json), kind, name, entity, fact_json FROM facts;
        INSERT INTO run_facts SELECT run_id, fact_id, content_key(fact_json) FROM facts;
        DROP TABLE facts;
        CREATE VIEW facts AS
            SELECT r.run_id, r.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM run_facts r JOIN fact_bodies b ON b.key = r.key
        """,
    )


@migration
def m005_schedules_and_alerts(db: sqlite3.Connection) -> None:
    """The slot each scheduled report was last run for (``run --due``), and the findings each
    alert rule has alerted on (once per finding id)."""
    _run_script(
        db,
        """
        CREATE TABLE schedule_slots (
            report_key TEXT NOT NULL,
            schedule TEXT NOT NULL,
            slot TEXT NOT NULL,
            period TEXT NOT NULL,
            status TEXT NOT NULL,
            run_id TEXT REFERENCES runs(id),
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (report_key, schedule, slot)
        ) WITHOUT ROWID;
        CREATE TABLE alerts (
            finding_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            run_id TEXT REFERENCES runs(id),
            severity TEXT NOT NULL,
            entity TEXT,
            fact_json TEXT NOT NULL,
            status TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (finding_id, rule)
        ) WITHOUT ROWID
        """,
    )


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # db.executescript() would COMMIT first and break the all-or-nothing rule, so the
    # statements run one by one inside the caller's transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied.

    ``db`` must be in autocommit mode (``isolation_level=None``) so that each migration
    and its record commit together in one explicit transaction.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    applied = []
    for name, fn in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            # checked inside the lock, so two processes opening at once apply it once
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")
                continue
            fn(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # (SQLite has already rolled back after a full disk, say)
                db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
