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


@migration
def m006_shared_run_content(db: sqlite3.Connection) -> None:
    """What runs share is stored once. A run that repeats an earlier one (nothing changed)
    grew the ledger by its whole fact base, its input list and its reports' JSON (~60 MB a
    run at 20,000 notes); now:

    - a fact base is stored once (``fact_bases``, its facts' keys in ``base_facts``) and a
      run names it (``runs.fact_base``); ``run_facts`` keeps what a run adds of its own
      (what changed since a report's baseline) and every fact of runs from before;
    - an input list is stored once (``input_sets``, ``input_set_files``), named by
      ``runs.input_set`` (``inputs`` keeps the lists of runs from before);
    - a report's content is stored once (``report_bodies``); ``reports`` is a view with its
      old columns over ``report_rows``;
    - ``runs.facts_key`` and ``runs.run_key`` are the digests of what the run's fact base and
      reports depend on (``execbrief.reuse``)."""
    db.create_function("content_key", 1, lambda text: hashlib.blake2b(text.encode(), digest_size=16).digest(),
                       deterministic=True)
    _run_script(
        db,
        """
        ALTER TABLE runs ADD COLUMN facts_key TEXT;
        ALTER TABLE runs ADD COLUMN run_key TEXT;
        ALTER TABLE runs ADD COLUMN fact_base TEXT;
        ALTER TABLE runs ADD COLUMN input_set TEXT;
        CREATE INDEX runs_by_facts_key ON runs(facts_key);
        CREATE INDEX runs_by_run_key ON runs(run_key);
        CREATE TABLE fact_bases (
            id TEXT PRIMARY KEY,
            facts INTEGER NOT NULL,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE base_facts (
            base TEXT NOT NULL,
            fact_id TEXT NOT NULL,
            key BLOB NOT NULL,
            PRIMARY KEY (base, fact_id)
        ) WITHOUT ROWID;
        CREATE TABLE input_sets (
            id TEXT PRIMARY KEY,
            inputs INTEGER NOT NULL,
            created_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE input_set_files (
            input_set TEXT NOT NULL,
            source TEXT NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (input_set, source, path)
        ) WITHOUT ROWID;
        CREATE TABLE report_bodies (
            key BLOB PRIMARY KEY,
            report_json TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE report_rows (
            run_id TEXT NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            lens TEXT NOT NULL,
            period TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL,
            writer TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            body BLOB NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        );
        INSERT OR IGNORE INTO report_bodies SELECT content_key(report_json), report_json FROM reports;
        INSERT INTO report_rows SELECT run_id, key, lens, period, title, status, writer, content_sha256,
            content_key(report_json), created_at FROM reports;
        DROP TABLE reports;
        CREATE VIEW reports AS
            SELECT r.run_id, r.key, r.lens, r.period, r.title, r.status, r.writer, r.content_sha256,
                b.report_json, r.created_at
            FROM report_rows r JOIN report_bodies b ON b.key = r.body;
        DROP VIEW facts;
        CREATE VIEW facts AS
            SELECT r.run_id, r.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM run_facts r JOIN fact_bodies b ON b.key = r.key
            UNION ALL
            SELECT u.id, f.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM runs u JOIN base_facts f ON f.base = u.fact_base JOIN fact_bodies b ON b.key = f.key
        """,
    )


@migration
def m007_fact_base_deltas(db: sqlite3.Connection) -> None:
    """A fact base may be stored as what differs from another (``fact_bases.parent``, a base
    stored whole): its ``base_facts`` rows are then the facts added or changed, and a row with
    an empty key for each fact it no longer has. One edited note made a new base of a million
    rows (~100 MB a run at 20,000 notes); now it is a few rows. ``facts`` reads both kinds."""
    _run_script(
        db,
        """
        ALTER TABLE fact_bases ADD COLUMN parent TEXT;
        DROP VIEW facts;
        CREATE VIEW facts AS
            SELECT r.run_id, r.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM run_facts r JOIN fact_bodies b ON b.key = r.key
            UNION ALL
            SELECT u.id, f.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM runs u JOIN base_facts f ON f.base = u.fact_base JOIN fact_bodies b ON b.key = f.key
            UNION ALL
            SELECT u.id, f.fact_id, b.kind, b.name, b.entity, b.fact_json
            FROM runs u JOIN fact_bases d ON d.id = u.fact_base JOIN base_facts f ON f.base = d.parent
            JOIN fact_bodies b ON b.key = f.key
            WHERE NOT EXISTS (SELECT 1 FROM base_facts o WHERE o.base = d.id AND o.fact_id = f.fact_id)
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
