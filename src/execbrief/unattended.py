"""Running without anyone at the keyboard: ``execbrief run --due``.

A system timer (systemd, cron, launchd) or EventBridge Scheduler calls ``run --due`` every
few minutes. Each call checks the alert rules (``alerts.py``), then runs the reports whose
scheduled time has come (``schedule.py``): reports due for the same period and date run
together, as one pipeline run limited to them, labelled with their schedule's period and
dated by their scheduled time. A report's slot is recorded done once every recipient has
the briefing (sent, or already sent); otherwise it stays due and the next call tries again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from .alerts import check_alerts
from .config import Settings
from .ledger import Ledger
from .ledger.schedules import record_slot
from .lenses import load_lenses
from .pipeline import RunResult, plan_reports, run as run_pipeline, workspace_vocabulary
from .schedule import Due, ScheduledReport, due_reports, scheduled_reports

__all__ = ["DueResult", "report_schedules", "run_due"]

_DELIVERED = ("sent", "skipped", "suppressed")


def report_schedules(settings: Settings) -> list[ScheduledReport]:
    """Every configured report that has a schedule, under the key its runs use."""
    lenses = load_lenses(settings.workspace, workspace_vocabulary(settings))
    keys = [plan.key for plan in plan_reports(settings, lenses)]
    return scheduled_reports(settings, keys)


@dataclass
class DueResult:
    """What one ``run --due`` did: the reports that were due, their runs, and the alerts."""

    now: datetime
    due: list[Due]
    runs: list[RunResult] = field(default_factory=list)
    alerts: dict[str, Any] | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``ok``, or ``failed`` when a run or an alert failed (what was due stays due)."""
        failed = self.failures or any(r.status not in ("ok", "pending") for r in self.runs)
        return "failed" if failed else "ok"

    def to_json(self) -> dict[str, Any]:
        """The ``run --due --json`` document."""
        return {
            "now": self.now.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "status": self.status,
            "due": [
                {"key": d.report.key, "lens": d.report.lens, "slot": d.slot.isoformat(),
                 "slot_utc": d.slot.astimezone(timezone.utc).isoformat(), "period": d.period,
                 "as_of": d.as_of.isoformat(), "missed": d.missed}
                for d in self.due
            ],
            "runs": [r.to_json() for r in self.runs],
            "alerts": self.alerts,
            "failures": self.failures,
        }


def run_due(
    settings: Settings, now: datetime | None = None, *, dry_run: bool = False, in_doubt: str | None = None,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> DueResult:
    """Check the alert rules, then run every report that is due at ``now`` (default: the current time)."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise ValueError("run_due needs an aware datetime (with a time zone)")
    alerts = None
    if settings.alerts:
        alerts = check_alerts(settings, now=now, dry_run=dry_run, in_doubt=in_doubt, progress=progress)
    with Ledger.for_workspace(settings.workspace) as ledger:
        due = due_reports(report_schedules(settings), ledger, now)
    result = DueResult(now=now, due=due, alerts=alerts.to_json() if alerts else None)
    if alerts:
        result.failures += [f"alerts: {failure}" for failure in alerts.failures]
    groups: dict[tuple[str, Any], list[Due]] = {}
    for item in due:
        groups.setdefault((item.period, item.as_of), []).append(item)
    for (period, as_of), items in groups.items():
        run = run_pipeline(
            settings, only=tuple(d.report.key for d in items), dry_run=dry_run, as_of=as_of, period=period,
            progress=progress, in_doubt=in_doubt,
        )
        result.runs.append(run)
        if not dry_run:
            _record(settings, run, items)
    return result


def _record(settings: Settings, run: RunResult, items: list[Due]) -> None:
    """Mark each report's slot done when every recipient has its briefing, else failed (still due)."""
    outcomes = {o.key: o for o in run.reports}
    with Ledger.for_workspace(settings.workspace) as ledger:
        for item in items:
            key = item.report.key
            outcome = outcomes.get(key)
            delivered = {
                d["recipient"] for d in run.deliveries
                if d["key"] == key and not d["audit"] and d["status"] in _DELIVERED
            }
            done = outcome is not None and outcome.status != "rejected" and set(outcome.recipients) <= delivered
            record_slot(ledger, key, item.report.schedule.signature, item.slot, item.period,
                        "done" if done else "failed", run.run_id)
