"""Report schedules: cron expressions in the reader's time zone, and which reports are due.

A ``[[reports]]`` entry may set ``schedule`` (five cron fields, or ``@daily``, ``@weekly``,
``@monthly``, ``@yearly``, ``@hourly``) and ``timezone`` (an IANA name; default the
organisation's). Times are computed by cronsim, which treats daylight-saving changes as
Debian's cron does: a time skipped by spring-forward fires once at the first valid time
after the gap (02:30 → 03:00), and a time repeated by fall-back fires once, at its first
occurrence (jobs that run every hour keep both hours).

A report is *due* when its latest scheduled time has passed since the last one it was run
for; however many were missed, it runs once, for the latest (``run --due``). The ledger
keeps the slot each report was last run for (``ledger/schedules.py``). A schedule seen for
the first time is not due until its next time comes: installing a timer on Wednesday does
not send Monday's briefing.

The reporting period of a scheduled report is the one its schedule implies: the longest of
month, ISO week and day in which no two of its times fall, so ``0 7 * * MON`` reports by
ISO week and ``0 7 1 * *`` by month; a schedule firing more than once a day reports by the
scheduled time itself (``2026-11-23T07:00``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from typing import TYPE_CHECKING

from cronsim import CronSim, CronSimError

from .ledger.schedules import last_slot, record_slot

if TYPE_CHECKING:
    from .config import Settings
    from .ledger import Ledger

__all__ = [
    "SHORTCUTS", "Due", "Schedule", "ScheduledReport", "check_expression", "due_reports", "period_label",
    "scheduled_reports",
]

# the nicknames of Vixie/Debian cron (crontab(5)), as the five fields they stand for
SHORTCUTS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

# how many consecutive times decide a schedule's period: enough for a monthly schedule's
# odd months (31st, February) and a weekday-of-month rule to show up
_PERIOD_SAMPLE = 60
# a reference start for that sample: the period does not depend on when it is asked
_REFERENCE = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _fields(expression: str) -> str:
    text = " ".join(expression.split())
    return SHORTCUTS.get(text.lower(), text)


def check_expression(expression: str) -> str:
    """Validate a cron expression (or nickname); return it normalised, or raise ``ValueError``."""
    fields = _fields(expression)
    if fields.startswith("@"):
        raise ValueError(f"unknown schedule nickname {expression!r} (known: {', '.join(SHORTCUTS)})")
    try:
        it = CronSim(fields, _REFERENCE)
        next(it)
    except (CronSimError, StopIteration) as exc:
        raise ValueError(
            f"{expression!r} is not a cron schedule ({exc}): use five fields 'minute hour day month weekday', "
            "e.g. '0 7 * * MON' for Mondays at 07:00, or @daily, @weekly, @monthly"
        ) from None
    return " ".join(expression.split())


def period_label(kind: str, when: datetime) -> str:
    """The label of the period of ``kind`` holding ``when`` (a local time)."""
    if kind == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if kind == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "day":
        return when.date().isoformat()
    return when.strftime("%Y-%m-%dT%H:%M")


@lru_cache(maxsize=256)
def _period_kind(fields: str) -> str:
    times = list(islice(CronSim(fields, _REFERENCE), _PERIOD_SAMPLE))
    for kind in ("month", "week", "day"):
        labels = [period_label(kind, t) for t in times]
        if len(set(labels)) == len(labels):
            return kind
    return "slot"


@dataclass(frozen=True)
class Schedule:
    """One report's schedule: a cron expression read in an IANA time zone."""

    expression: str
    timezone: str

    @property
    def fields(self) -> str:
        """The five cron fields (a nickname expanded)."""
        return _fields(self.expression)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the expression is read in."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r} (use an IANA name like 'Europe/Lisbon')") from None

    @property
    def signature(self) -> str:
        """What the ledger keys a schedule's slots by: a changed schedule starts afresh."""
        return f"{self.fields} {self.timezone}"

    @property
    def period_kind(self) -> str:
        """``month``, ``week``, ``day`` or ``slot``: the period each scheduled time reports on."""
        return _period_kind(self.fields)

    def next_times(self, after: datetime, count: int = 5) -> list[datetime]:
        """The next ``count`` scheduled times strictly after ``after``, in the schedule's zone."""
        return list(islice(CronSim(self.fields, after.astimezone(self.zone)), count))

    def latest(self, now: datetime) -> datetime | None:
        """The latest scheduled time at or before ``now`` (to the minute), in the schedule's zone."""
        # cronsim's reverse iteration is strict, so start just after this minute
        # (in UTC: wall-clock arithmetic would lose which of two repeated hours ``now`` is in)
        start = (now.astimezone(timezone.utc) + timedelta(minutes=1)).replace(second=0, microsecond=0)
        return next(CronSim(self.fields, start.astimezone(self.zone), reverse=True), None)

    def period(self, slot: datetime) -> str:
        """The reporting period of a scheduled time (``2026-W48``, ``2026-11``, ``2026-11-23``)."""
        return period_label(self.period_kind, slot.astimezone(self.zone))

    def as_of(self, slot: datetime) -> date:
        """The as-of date of a scheduled time: its date in the schedule's zone."""
        return slot.astimezone(self.zone).date()


@dataclass(frozen=True)
class ScheduledReport:
    """A configured report with a schedule: its key (as runs name it) and its schedule."""

    key: str
    lens: str
    schedule: Schedule


@dataclass(frozen=True)
class Due:
    """A report whose scheduled time has come: the slot it runs for, and its period and date."""

    report: ScheduledReport
    slot: datetime
    period: str
    as_of: date
    missed: int  # scheduled times passed since the last run for it, this one included


def scheduled_reports(settings: Settings, keys: list[str]) -> list[ScheduledReport]:
    """The configured reports that have a schedule; ``keys`` are the reports' keys, in order."""
    out = []
    for report, key in zip(settings.reports, keys):
        if report.schedule:
            zone = report.timezone or settings.organization.timezone
            out.append(ScheduledReport(key, report.lens, Schedule(report.schedule, zone)))
    return out


def due_reports(reports: list[ScheduledReport], ledger: Ledger, now: datetime) -> list[Due]:
    """Which scheduled reports are due at ``now``; a schedule seen for the first time is recorded, not due."""
    due = []
    for item in reports:
        schedule = item.schedule
        latest = schedule.latest(now)
        if latest is None:
            continue
        last = last_slot(ledger, item.key, schedule.signature)
        if last is None:
            record_slot(ledger, item.key, schedule.signature, latest, schedule.period(latest), "baseline")
            continue
        if latest <= last[0]:
            continue
        missed = _count_between(schedule, last[0], latest)
        due.append(Due(item, latest, schedule.period(latest), schedule.as_of(latest), missed))
    return due


def _count_between(schedule: Schedule, after: datetime, until: datetime, cap: int = 1000) -> int:
    count = 0
    for when in CronSim(schedule.fields, after.astimezone(schedule.zone)):
        if when > until or count >= cap:
            break
        count += 1
    return count
