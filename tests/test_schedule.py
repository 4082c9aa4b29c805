"""Schedules: cron read in the reader's time zone across daylight-saving changes, and run --due."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.config import load_settings
from execbrief.errors import ConfigError
from execbrief.schedule import Schedule, check_expression
from execbrief.unattended import run_due

UTC = timezone.utc


def local(zone: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)


def times_on(schedule: Schedule, day: tuple[int, int, int], count: int = 30) -> list[datetime]:
    """The schedule's times falling on one local day."""
    start = local(schedule.timezone, *day) - timedelta(days=1)
    return [t for t in schedule.next_times(start, count) if t.date() == date(*day)]


@pytest.mark.parametrize("zone, day, utc", [
    ("America/New_York", (2026, 3, 8), "2026-03-08T07:00:00+00:00"),   # 02:00 EST → 03:00 EDT
    ("Europe/Berlin", (2026, 3, 29), "2026-03-29T01:00:00+00:00"),     # 02:00 CET → 03:00 CEST
])
def test_a_time_skipped_by_spring_forward_runs_once_at_the_next_valid_time(zone, day, utc):
    schedule = Schedule("30 2 * * *", zone)
    runs = times_on(schedule, day)
    assert [t.astimezone(UTC).isoformat() for t in runs] == [utc]
    assert runs[0].strftime("%H:%M") == "03:00"
    # the days around it keep 02:30
    before = times_on(schedule, (day[0], day[1], day[2] - 1))
    assert [t.strftime("%H:%M") for t in before] == ["02:30"]


@pytest.mark.parametrize("zone, expression, day, utc", [
    ("America/New_York", "30 1 * * *", (2026, 11, 1), "2026-11-01T05:30:00+00:00"),  # 01:30 EDT, not EST
    ("Europe/Berlin", "30 2 * * *", (2026, 10, 25), "2026-10-25T00:30:00+00:00"),    # 02:30 CEST, not CET
])
def test_a_time_repeated_by_fall_back_runs_once_at_its_first_occurrence(zone, expression, day, utc):
    schedule = Schedule(expression, zone)
    runs = times_on(schedule, day)
    assert [t.astimezone(UTC).isoformat() for t in runs] == [utc]


def test_an_hourly_schedule_keeps_both_repeated_hours_on_fall_back():
    runs = times_on(Schedule("@hourly", "America/New_York"), (2026, 11, 1), count=60)
    assert len(runs) == 25  # the day has 25 hours


@pytest.mark.parametrize("zone, now, expected", [
    # the latest time at or before now, across the change
    ("America/New_York", datetime(2026, 3, 8, 7, 0, tzinfo=UTC), "2026-03-08T03:00:00-04:00"),
    ("America/New_York", datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "2026-03-07T02:30:00-05:00"),
    ("Europe/Berlin", datetime(2026, 10, 25, 1, 45, tzinfo=UTC), "2026-10-25T02:30:00+02:00"),
])
def test_latest_time_is_at_or_before_now(zone, now, expected):
    assert Schedule("30 2 * * *", zone).latest(now).isoformat() == expected


@pytest.mark.parametrize("expression, kind", [
    ("0 7 * * MON", "week"), ("@weekly", "week"), ("0 7 1 * *", "month"), ("@monthly", "month"),
    ("0 7 * * MON#1", "month"), ("0 7 1,15 * *", "week"), ("0 7 * * *", "day"), ("0 7 * * MON-FRI", "day"),
    ("0 7,19 * * *", "slot"), ("@yearly", "month"),
])
def test_the_period_of_a_schedule_is_the_longest_holding_one_time(expression, kind):
    assert Schedule(expression, "UTC").period_kind == kind


def test_periods_are_labelled_in_the_schedules_zone():
    schedule = Schedule("0 7 * * *", "Pacific/Auckland")
    slot = local("Pacific/Auckland", 2026, 11, 30, 7, 0)  # still 29 November in UTC
    assert schedule.period(slot) == "2026-11-30"
    assert Schedule("0 7,19 * * *", "UTC").period(datetime(2026, 11, 30, 19, tzinfo=UTC)) == "2026-11-30T19:00"


def test_a_bad_schedule_or_zone_is_a_config_error_naming_the_key(workspace):
    assert check_expression("  0 7  * * MON ") == "0 7 * * MON"
    with pytest.raises(ValueError, match="five fields"):
        check_expression("every monday")
    config = (workspace.root / "execbrief.toml").read_text()
    workspace.write("execbrief.toml", config.replace('to = ["ceo@example.com"]',
                                                     'to = ["ceo@example.com"]\nschedule = "61 7 * * *"'))
    with pytest.raises(ConfigError, match=r"reports\[0\]\.schedule.*cron schedule"):
        workspace.settings()
    workspace.write("execbrief.toml", config.replace('to = ["ceo@example.com"]',
                                                     'to = ["ceo@example.com"]\ntimezone = "Mars/Olympus"'))
    with pytest.raises(ConfigError, match=r"reports\[0\]\.timezone.*unknown time zone"):
        workspace.settings()


def scheduled(workspace, ceo: str = "0 7 * * MON", cfo: str | None = None, zone: str = "America/New_York") -> None:
    config = (workspace.root / "execbrief.toml").read_text()
    config = config.replace('timezone = "UTC"', f'timezone = "{zone}"').replace("as_of = 2026-11-23\n", "")
    config = config.replace('to = ["ceo@example.com"]', f'to = ["ceo@example.com"]\nschedule = "{ceo}"')
    if cfo:
        config = config.replace('to = ["cfo@example.com"]',
                                f'to = ["cfo@example.com"]\nschedule = "{cfo}"\ntimezone = "Europe/Berlin"')
    workspace.write("execbrief.toml", config)


def test_schedule_lists_the_next_times_in_the_reports_zone_and_utc(workspace):
    scheduled(workspace, cfo="30 2 * * *")
    result = CliRunner().invoke(cli, ["schedule", "-w", str(workspace.root), "--now", "2026-03-27T12:00:00Z",
                                      "--json"])
    assert result.exit_code == 0, result.output
    listed = {entry["key"]: entry for entry in json.loads(result.stdout)}
    assert list(listed) == ["ceo", "cfo"]
    ceo = listed["ceo"]
    assert (ceo["timezone"], ceo["period"]) == ("America/New_York", "week")
    assert [t["local"] for t in ceo["next"]][:2] == ["2026-03-30T07:00:00-04:00", "2026-04-06T07:00:00-04:00"]
    assert ceo["next"][0]["utc"] == "2026-03-30T11:00:00+00:00"
    assert len(ceo["next"]) == 5
    cfo = listed["cfo"]
    # Berlin springs forward on 29 March: 02:30 that day is 03:00 CEST
    assert [t["local"] for t in cfo["next"]][:3] == [
        "2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]
    human = CliRunner().invoke(cli, ["schedule", "-w", str(workspace.root), "--now", "2026-03-27T12:00:00Z"])
    assert "Mon 2026-03-30 07:00 EDT  =  Mon 2026-03-30 11:00 UTC  period 2026-W14" in human.output


def due_at(workspace, when: datetime, **kwargs):
    return run_due(load_settings(workspace.root, environ={}), when, **kwargs)


def sent(workspace) -> list[tuple[str, str]]:
    return [(m["key"], m["period"]) for m in workspace.messages() if m["status"] == "sent" and not m["audit"]]


def test_run_due_sends_once_per_period_across_sleep_reboot_and_dst(workspace):
    scheduled(workspace)  # Mondays 07:00 New York
    # installed on a Wednesday: the Monday already past is not sent
    assert due_at(workspace, datetime(2026, 2, 25, 15, tzinfo=UTC)).due == []
    # Monday 06:59 EST: not yet; 07:00 EST (12:00 UTC): due
    assert due_at(workspace, datetime(2026, 3, 2, 11, 59, tzinfo=UTC)).due == []
    result = due_at(workspace, datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert [(d.report.key, d.period, d.missed) for d in result.due] == [("ceo", "2026-W10", 1)]
    assert result.status == "ok" and result.runs[0].as_of == "2026-03-02"
    # the timer fires again every 15 minutes, and after a reboot: nothing more this week
    for minute in (15, 30):
        assert due_at(workspace, datetime(2026, 3, 2, 12, minute, tzinfo=UTC)).due == []
    assert due_at(workspace, datetime(2026, 3, 6, 9, tzinfo=UTC)).due == []
    # New York springs forward on 8 March: Monday 07:00 EDT is 11:00 UTC
    assert due_at(workspace, datetime(2026, 3, 9, 10, 59, tzinfo=UTC)).due == []
    assert [d.period for d in due_at(workspace, datetime(2026, 3, 9, 11, 0, tzinfo=UTC)).due] == ["2026-W11"]
    # asleep for three Mondays: woken on a Tuesday, the latest Monday's briefing goes once
    result = due_at(workspace, datetime(2026, 3, 31, 14, tzinfo=UTC))
    assert [(d.period, d.missed) for d in result.due] == [("2026-W14", 3)]
    assert due_at(workspace, datetime(2026, 3, 31, 14, 15, tzinfo=UTC)).due == []
    assert sent(workspace) == [("ceo", "2026-W10"), ("ceo", "2026-W11"), ("ceo", "2026-W14")]


def test_reports_due_for_different_periods_run_apart_and_only_the_scheduled_run(workspace):
    scheduled(workspace, ceo="@daily", cfo="0 6 1 * *")
    due_at(workspace, datetime(2026, 4, 30, 12, tzinfo=UTC))
    result = due_at(workspace, datetime(2026, 5, 1, 6, tzinfo=UTC))  # 02:00 in New York, 08:00 in Berlin
    assert sorted((d.report.key, d.period) for d in result.due) == [("ceo", "2026-05-01"), ("cfo", "2026-05")]
    assert len(result.runs) == 2
    assert sorted(sent(workspace)) == [("ceo", "2026-05-01"), ("cfo", "2026-05")]


def test_a_slot_whose_delivery_failed_stays_due_until_it_is_delivered(workspace):
    scheduled(workspace)
    config = (workspace.root / "execbrief.toml").read_text()
    # an SMTP server that is not there: preflight fails, nothing is sent
    workspace.write("execbrief.toml", config.replace(
        'allowed_recipient_domains = ["example.com"]',
        'allowed_recipient_domains = ["example.com"]\nmethod = "smtp"\nmax_attempts = 1\n'
        '[delivery.smtp]\nhost = "127.0.0.1"\nport = 9\nsecurity = "none"'))
    due_at(workspace, datetime(2026, 3, 1, tzinfo=UTC))
    failed = due_at(workspace, datetime(2026, 3, 2, 12, 5, tzinfo=UTC))
    assert failed.status == "failed" and [d.period for d in failed.due] == ["2026-W10"]
    workspace.write("execbrief.toml", config)  # back to the outbox
    again = due_at(workspace, datetime(2026, 3, 2, 12, 20, tzinfo=UTC))
    assert again.status == "ok" and [d.period for d in again.due] == ["2026-W10"]
    assert due_at(workspace, datetime(2026, 3, 2, 12, 35, tzinfo=UTC)).due == []


def test_a_dry_run_sends_nothing_and_leaves_the_slot_due(workspace):
    scheduled(workspace)
    due_at(workspace, datetime(2026, 3, 1, tzinfo=UTC))
    assert len(due_at(workspace, datetime(2026, 3, 2, 13, tzinfo=UTC), dry_run=True).due) == 1
    assert sent(workspace) == []
    assert len(due_at(workspace, datetime(2026, 3, 2, 13, 15, tzinfo=UTC)).due) == 1
    assert sent(workspace) == [("ceo", "2026-W10")]


def test_run_due_cli_prints_what_was_due_and_refuses_other_selections(workspace):
    scheduled(workspace)
    runner = CliRunner()
    args = ["run", "-w", str(workspace.root), "--due"]
    assert runner.invoke(cli, [*args, "--now", "2026-03-01T00:00:00Z"]).exit_code == 0
    result = runner.invoke(cli, [*args, "--now", "2026-03-02T12:00:00Z", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["due"][0]["slot"] == "2026-03-02T07:00:00-05:00"
    assert document["runs"][0]["period"] == "2026-W10"
    quiet = runner.invoke(cli, [*args, "--now", "2026-03-02T12:15:00Z"])
    assert quiet.exit_code == 0 and "Nothing due" in quiet.output
    refused = runner.invoke(cli, [*args, "--only", "ceo"])
    assert refused.exit_code == 2 and "--due decides" in refused.output
