"""Ledger rows of alerts: which finding each ``[[alerts]]`` rule alerted on, and how it went.

One row per (finding id, rule): ``sent`` once every recipient has it (sent, already sent,
or suppressed), else ``failed`` (the next check tries again). The finding itself is kept
(``fact_json``) so a briefing can say it was resolved once it is gone.
"""

from __future__ import annotations

import json
from typing import Any, Container, Iterable

from ..model import Fact
from .store import Ledger

__all__ = ["alert_history", "alerted", "record_alerts", "resolved_alerts"]


def alerted(ledger: Ledger) -> set[tuple[str, str]]:
    """(finding id, rule) of every alert sent."""
    return {(r[0], r[1]) for r in ledger.db.execute("SELECT finding_id, rule FROM alerts WHERE status = 'sent'")}


def record_alerts(ledger: Ledger, rows: Iterable[tuple[Any, ...]]) -> None:
    """Record alerts: (finding id, rule, idempotency key, run id, severity, entity, fact json,
    status, first seen, updated at); a later row of the same finding and rule updates it."""
    ledger.write([(
        "INSERT INTO alerts (finding_id, rule, idempotency_key, run_id, severity, entity, fact_json, status,"
        " first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (finding_id, rule) DO UPDATE SET status = excluded.status, run_id = excluded.run_id,"
        " idempotency_key = excluded.idempotency_key, updated_at = excluded.updated_at", list(rows))])


def resolved_alerts(ledger: Ledger, since_run: str, current: Container[str]) -> list[Fact]:
    """Findings alerted after run ``since_run`` that are no longer in the fact base."""
    rows = ledger.db.execute(
        "SELECT DISTINCT fact_json FROM alerts WHERE status = 'sent' AND run_id > ?", (since_run,)
    ).fetchall()
    facts = [Fact.model_validate_json(r[0]) for r in rows]
    return [f for f in {f.id: f for f in facts}.values() if f.id not in current]


def alert_history(ledger: Ledger, limit: int = 50) -> list[dict[str, Any]]:
    """The findings alerted, newest first, as ``alerts list`` shows them."""
    rows = ledger.db.execute(
        "SELECT finding_id, rule, run_id, severity, entity, status, first_seen, updated_at, fact_json"
        " FROM alerts ORDER BY updated_at DESC LIMIT ?", (limit,)).fetchall()
    out = []
    for row in rows:
        item = dict(row)
        item["statement"] = json.loads(item.pop("fact_json"))["statement"]
        out.append(item)
    return out
