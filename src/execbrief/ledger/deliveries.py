"""The delivery side of the ledger: message states, stored bodies, the lock, suppressions, events.

A message (one part of a report's email: a recipient group, or the audit copy) is keyed by
its idempotency key. Its rows, one per run that touched it, tell its state:

    sent        some row is ``sent``: never send it again
    in_doubt    the newest row is ``pending`` (its process died mid-send), ``in_doubt`` or
                ``held``: the provider may or may not have it
    failed      the newest row is ``failed`` (or ``suppressed``): send it again
    new         no row yet
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

from ..errors import DeliveryError
from ..model import Message, Report
from .store import Ledger, new_run_id, utc_now

__all__ = ["DeliveryLedger", "LOCK_NAME"]

LOCK_NAME = "delivery"
# A lock held from another machine is only taken over once its heartbeat is this old.
STALE_AFTER = timedelta(minutes=15)


def _pid_started(pid: int) -> str | None:
    """The start time of a process (Linux), so a reused pid is not mistaken for the holder."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return fields[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int, started: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    current = _pid_started(pid)
    return started is None or current is None or current == started


class DeliveryLedger:
    """Delivery records over an open ``Ledger`` (same connection, same transactions)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.db = ledger.db
        # informational rows (skipped messages) ride along with the next write: one
        # commit (one fsync) fewer per message on a rerun, nothing lost that matters
        self._deferred: list[tuple[str, tuple[Any, ...]]] = []

    def flush(self) -> None:
        """Write the rows that were deferred."""
        if self._deferred:
            self._tx([])

    def _tx(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        statements, self._deferred = [*self._deferred, *statements], []
        self.ledger.write([(sql, [args]) for sql, args in statements], immediate=True)

    # state of a message

    def state(self, idempotency_key: str, channel: str = "outbox") -> tuple[str, dict[str, Any] | None]:
        """``(state, row)``: new, sent, in_doubt or failed, with the deciding row.

        The outbox delivers nothing: what it wrote does not count as sent for SES or SMTP
        (so a previewed week can still be sent), and the other way round.
        """
        rows = [dict(r) for r in self.db.execute(
            "SELECT * FROM messages WHERE idempotency_key = ? AND status != 'skipped'"
            " AND (channel = 'outbox') = ? ORDER BY rowid",
            (idempotency_key, channel == "outbox"),
        )]
        sent = [r for r in rows if r["status"] == "sent"]
        if sent:
            return "sent", sent[0]
        if not rows:
            return "new", None
        last = rows[-1]
        if last["status"] in ("pending", "in_doubt", "held"):
            return "in_doubt", last
        return "failed", last

    def settle_stale(self, idempotency_key: str) -> int:  # any channel: a dead process's rows
        """Mark rows left ``pending`` by a process that died as ``in_doubt``; return how many."""
        cursor = self.db.execute(
            "SELECT COUNT(*) FROM messages WHERE idempotency_key = ? AND status = 'pending'", (idempotency_key,)
        )
        count = cursor.fetchone()[0]
        if count:
            self._tx([(
                "UPDATE messages SET status = 'in_doubt', updated_at = ?,"
                " last_error = COALESCE(last_error, 'the sending process stopped before the provider answered')"
                " WHERE idempotency_key = ? AND status = 'pending'",
                (utc_now(), idempotency_key),
            )])
        return count

    def record(
        self, run_id: str, message: Message, *, status: str, channel: str, period: str, report_key: str,
        parent_key: str, audit: bool, suppressed: tuple[str, ...] = (), in_doubt: bool = False,
        provider_message_id: str | None = None, detail: str | None = None, store_body: bool = False,
        defer: bool = False,
    ) -> str:
        """Insert one row for a message in this run (``pending`` before a send); return its id.

        ``defer`` holds the row back until the next write or ``flush()``.
        """
        row_id = new_run_id()
        now = utc_now()
        statements: list[tuple[str, tuple[Any, ...]]] = []
        if store_body:
            statements.append((
                "INSERT OR IGNORE INTO message_bodies (idempotency_key, mime, created_at) VALUES (?, ?, ?)",
                (message.idempotency_key, message.mime, now),
            ))
        statements.append((
            "INSERT INTO messages (id, run_id, key, lens, idempotency_key, channel, sender, to_json, bcc_json,"
            " subject, status, provider_message_id, detail, path, created_at, updated_at, report_key,"
            " parent_key, period, audit, attempts, last_error, in_doubt, suppressed_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)",
            (
                row_id, run_id, message.key, message.lens, message.idempotency_key, channel, message.sender,
                json.dumps(list(message.to)), json.dumps(list(message.bcc)), message.subject, status,
                provider_message_id, detail, now, now, report_key, parent_key, period, int(audit),
                int(in_doubt), json.dumps(list(suppressed)),
            ),
        ))
        if defer:
            self._deferred += statements
        else:
            self._tx(statements)
        return row_id

    def attempt(self, row_id: str, error: str | None, *, in_doubt: bool = False) -> None:
        """Count one call to the provider, with the error it ended in (if any)."""
        self._tx([(
            "UPDATE messages SET attempts = attempts + 1, last_error = COALESCE(?, last_error),"
            " in_doubt = MAX(in_doubt, ?), updated_at = ? WHERE id = ?",
            (error, int(in_doubt), utc_now(), row_id),
        )])

    def finish(
        self, row_id: str, status: str, *, provider_message_id: str | None = None, detail: str | None = None,
        path: str | None = None, error: str | None = None, attempted: bool = True, defer: bool = False,
    ) -> None:
        """Record how a send ended (``sent`` with the provider's id, ``failed``, ``held``), counting the call.

        ``defer`` lets the update ride with the next write (the next message's ``pending``
        row): one commit per message instead of two. Until then the row reads ``pending``,
        so a crash in between leaves the message in doubt, never lost.
        """
        statement = (
            "UPDATE messages SET status = ?, provider_message_id = COALESCE(?, provider_message_id),"
            " detail = COALESCE(?, detail), path = COALESCE(?, path), last_error = COALESCE(?, last_error),"
            " attempts = attempts + ?, updated_at = ? WHERE id = ?",
            (status, provider_message_id, detail, path, error, int(attempted), utc_now(), row_id),
        )
        if defer:
            self._deferred.append(statement)
        else:
            self._tx([statement])

    def sent_other_version(self, report_key: str, period: str, run_id: str, channel: str = "outbox") -> bool:
        """Whether a version of this report with other content already went out in this period."""
        row = self.db.execute(
            "SELECT 1 FROM messages m JOIN reports r ON r.run_id = m.run_id AND r.key = m.report_key"
            " WHERE m.report_key = ? AND m.period = ? AND m.status = 'sent' AND (m.channel = 'outbox') = ?"
            " AND r.content_sha256 != (SELECT content_sha256 FROM reports WHERE run_id = ? AND key = ?) LIMIT 1",
            (report_key, period, channel == "outbox", run_id, report_key),
        ).fetchone()
        return row is not None

    def sent_version(self, report_key: str, period: str, digest: str, channel: str = "outbox") -> tuple[Report, str] | None:
        """The newest version of this report sent in this period with other content than ``digest``,
        and when it was sent (the same channel class as ``sent_other_version``)."""
        row = self.db.execute(
            "SELECT r.report_json, m.updated_at FROM messages m JOIN reports r ON r.run_id = m.run_id AND r.key = m.report_key"
            " WHERE m.report_key = ? AND m.period = ? AND m.status = 'sent' AND (m.channel = 'outbox') = ?"
            " AND r.content_sha256 != ? ORDER BY m.updated_at DESC, m.rowid DESC LIMIT 1",
            (report_key, period, channel == "outbox", digest),
        ).fetchone()
        return (Report.model_validate_json(row[0]), row[1]) if row else None

    def pending_retries(self, which: str, run_id: str | None = None, channel: str = "outbox") -> list[dict[str, Any]]:
        """Messages never sent whose newest row is ``failed`` or in doubt, with their bodies."""
        statuses = {"failed": ("failed", "suppressed"), "held": ("pending", "in_doubt", "held")}[which]
        marks = ",".join("?" * len(statuses))
        outbox = channel == "outbox"
        sql = (
            "SELECT m.*, b.mime FROM messages m JOIN message_bodies b USING (idempotency_key)"
            " WHERE m.rowid = (SELECT MAX(rowid) FROM messages x WHERE x.idempotency_key = m.idempotency_key"
            "   AND x.status != 'skipped' AND (x.channel = 'outbox') = ?)"
            " AND NOT EXISTS (SELECT 1 FROM messages s WHERE s.idempotency_key = m.idempotency_key"
            "   AND s.status = 'sent' AND (s.channel = 'outbox') = ?)"
            f" AND m.status IN ({marks})"
        )
        args: list[Any] = [outbox, outbox, *statuses]
        if run_id:
            sql += " AND EXISTS (SELECT 1 FROM messages r WHERE r.idempotency_key = m.idempotency_key AND r.run_id = ?)"
            args.append(run_id)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY m.rowid", args)]

    def messages(self, run_id: str) -> list[dict[str, Any]]:
        """Every row of one run, in the order they were written."""
        return [dict(r) for r in self.db.execute("SELECT * FROM messages WHERE run_id = ? ORDER BY rowid", (run_id,))]

    # the workspace lock

    @contextmanager
    def lock(self, owner: str) -> Iterator[None]:
        """Hold the workspace's delivery lock, so two processes never send at once."""
        self.acquire(owner)
        try:
            yield
        finally:
            self.release(owner)

    def acquire(self, owner: str) -> None:
        """Take the delivery lock, or raise ``DeliveryError`` naming who holds it."""
        pid, host = os.getpid(), socket.gethostname()
        now = utc_now()
        with self.ledger.transaction(immediate=True) as db:  # (read, then write: no one in between)
            row = db.execute("SELECT * FROM locks WHERE name = ?", (LOCK_NAME,)).fetchone()
            if row is not None and row["owner"] != owner and self._held(dict(row), host):
                raise DeliveryError(
                    f"another execbrief process is delivering for this workspace (run {row['owner']}, "
                    f"pid {row['pid']} on {row['host']}, since {row['acquired_at']}): wait for it to finish "
                    "and run again; nothing already sent will be sent twice"
                )
            db.execute(
                "INSERT OR REPLACE INTO locks (name, owner, pid, pid_started, host, acquired_at, heartbeat_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (LOCK_NAME, owner, pid, _pid_started(pid), host, now, now),
            )

    @staticmethod
    def _held(row: dict[str, Any], host: str) -> bool:
        if row["host"] == host:
            return _alive(row["pid"], row["pid_started"])
        beat = datetime.fromisoformat(row["heartbeat_at"].replace("Z", "+00:00"))
        return datetime.now(timezone.utc) - beat < STALE_AFTER

    def heartbeat(self, owner: str) -> None:
        """Show the lock is still in use (matters for holders on other machines)."""
        self._tx([("UPDATE locks SET heartbeat_at = ? WHERE name = ? AND owner = ?", (utc_now(), LOCK_NAME, owner))])

    def release(self, owner: str) -> None:
        """Give the lock back, if this owner holds it."""
        self._tx([("DELETE FROM locks WHERE name = ? AND owner = ? AND pid = ?", (LOCK_NAME, owner, os.getpid()))])

    # suppression list

    def suppress(self, address: str, reason: str, detail: str | None, event_id: str | None) -> bool:
        """Put an address on the suppression list; False if it was already there."""
        self.flush()  # so the change count below is this statement's alone
        before = self.db.total_changes
        self._tx([(
            "INSERT OR IGNORE INTO suppressions (address, reason, detail, event_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (address.lower(), reason, detail, event_id, utc_now()),
        )])
        return self.db.total_changes > before

    def suppressed(self, addresses: tuple[str, ...] | list[str]) -> dict[str, str]:
        """Address → reason, for those of ``addresses`` on the suppression list."""
        if not addresses:
            return {}
        marks = ",".join("?" * len(addresses))
        rows = self.db.execute(
            f"SELECT address, reason FROM suppressions WHERE address IN ({marks})", [a.lower() for a in addresses]
        )
        return {r["address"]: r["reason"] for r in rows}

    def suppressions(self) -> list[dict[str, Any]]:
        """The whole suppression list, newest first."""
        return [dict(r) for r in self.db.execute("SELECT * FROM suppressions ORDER BY created_at DESC, address")]

    def unsuppress(self, address: str) -> bool:
        """Take an address off the suppression list; False if it was not on it."""
        self.flush()  # so the change count below is this statement's alone
        before = self.db.total_changes
        self._tx([("DELETE FROM suppressions WHERE address = ?", (address.lower(),))])
        return self.db.total_changes > before

    # provider events (bounces, complaints, deliveries)

    def message_by_provider_id(self, provider_message_id: str) -> dict[str, Any] | None:
        """The sent row whose provider message id this is, if any."""
        row = self.db.execute(
            "SELECT * FROM messages WHERE provider_message_id = ? AND status = 'sent' ORDER BY rowid LIMIT 1",
            (provider_message_id,),
        ).fetchone()
        return dict(row) if row else None

    def record_event(
        self, event_id: str, kind: str, *, provider_message_id: str | None, idempotency_key: str | None,
        recipients: list[str], detail: str | None, occurred_at: str | None, verified: bool, data: dict[str, Any],
    ) -> bool:
        """Store one provider event; False if this event id was recorded before."""
        self.flush()  # so the change count below is this statement's alone
        before = self.db.total_changes
        self._tx([(
            "INSERT OR IGNORE INTO delivery_events (id, type, provider_message_id, idempotency_key,"
            " recipients_json, detail, occurred_at, received_at, verified, data_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (event_id, kind, provider_message_id, idempotency_key, json.dumps(recipients), detail,
             occurred_at, utc_now(), int(verified), json.dumps(data, sort_keys=True)),
        )])
        return self.db.total_changes > before

    def events_for(self, idempotency_key: str) -> list[dict[str, Any]]:
        """Provider events recorded against a message."""
        return [dict(r) for r in self.db.execute(
            "SELECT * FROM delivery_events WHERE idempotency_key = ? ORDER BY occurred_at", (idempotency_key,)
        )]
