"""Ledger rows of scheduled reports: the scheduled time (slot) each report was last run for.

A row's ``status`` is ``baseline`` (the slot that was current when the schedule was first
seen: not run, so installing a timer never sends a briefing for a time already past),
``done`` (a run for the slot finished) or ``failed`` (it did not: the slot stays due).
Rows are keyed by the schedule's signature (cron fields and time zone), so a changed
schedule starts afresh.
"""

from __future__ import annotations

from datetime import datetime, timezone

from .store import Ledger, utc_now

__all__ = ["last_slot", "record_slot"]


def last_slot(ledger: Ledger, report_key: str, signature: str) -> tuple[datetime, str] | None:
    """(slot, status) of the newest slot recorded as done or baseline, or None if never seen."""
    row = ledger.db.execute(
        "SELECT slot, status FROM schedule_slots WHERE report_key = ? AND schedule = ?"
        " AND status IN ('done', 'baseline') ORDER BY slot DESC LIMIT 1",
        (report_key, signature),
    ).fetchone()
    return (datetime.fromisoformat(row[0]), row[1]) if row else None


def record_slot(ledger: Ledger, report_key: str, signature: str, slot: datetime, period: str, status: str,
                run_id: str | None = None) -> None:
    """Record what became of one report's slot (its latest row wins)."""
    ledger.write([(
        "INSERT OR REPLACE INTO schedule_slots (report_key, schedule, slot, period, status, run_id, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(report_key, signature, _utc(slot), period, status, run_id, utc_now())],
    )])


def _utc(when: datetime) -> str:
    # ISO-8601 in UTC sorts as time does, whatever zone the schedule is read in
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")
