"""``execbrief schedule``: each report's next scheduled times, and timers that run ``run --due``."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import click

from ..config import load_settings
from ..errors import UsageError
from ..ledger import LEDGER_PATH, Ledger
from ..ledger.schedules import last_slot
from ..timers import INTERVALS, cron_line, launchd_agent, merge_crontab, systemd_units, unit_name
from ..unattended import report_schedules, run_due
from .output import print_json, progress_reporter, stderr

__all__ = ["execute_due", "schedule", "parse_now"]

_WORKSPACE = click.option(
    "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
    help="The workspace folder holding execbrief.toml.",
)


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO-8601 time; one without a zone is UTC."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 time like 2026-11-23T07:00:00+00:00") from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


@click.group(invoke_without_command=True)
@_WORKSPACE
@click.option("--count", "-n", type=click.IntRange(1, 100), default=5, show_default=True,
              help="How many upcoming times to list per report.")
@click.option("--now", "now_text", metavar="TIME", default=None,
              help="List the times after this ISO-8601 time instead of now.")
@click.option("--json", "as_json", is_flag=True, help="Print the schedules as JSON.")
@click.pass_context
def schedule(ctx: click.Context, workspace: Path, count: int, now_text: str | None, as_json: bool) -> None:
    """List each scheduled report's next times, in its own time zone and in UTC.

    Schedules are `[[reports]] schedule` (cron, or @daily/@weekly/@monthly) read in the
    report's `timezone`, else `[organization] timezone`. `execbrief run --due` sends what
    is due; `execbrief schedule install` sets up a timer that calls it.
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings(workspace)
    now = parse_now(now_text) or datetime.now(timezone.utc)
    items = report_schedules(settings)
    ledger = Ledger.for_workspace(settings.workspace) if (settings.workspace / LEDGER_PATH).is_file() else None
    listed = []
    for item in items:
        last = last_slot(ledger, item.key, item.schedule.signature) if ledger else None
        listed.append({
            "key": item.key, "lens": item.lens, "schedule": item.schedule.expression,
            "timezone": item.schedule.timezone, "period": item.schedule.period_kind,
            "last_slot": last[0].isoformat() if last else None, "last_status": last[1] if last else None,
            "next": [
                {"local": t.isoformat(), "utc": t.astimezone(timezone.utc).isoformat(),
                 "period": item.schedule.period(t)}
                for t in item.schedule.next_times(now, count)
            ],
        })
    if ledger:
        ledger.close()
    if as_json:
        print_json(listed)
        return
    if not listed:
        click.echo("No report has a schedule: add `schedule = \"0 7 * * MON\"` to a [[reports]] entry.", err=True)
        return
    for item, entry in zip(items, listed):
        click.echo(f"{entry['key']}  {entry['schedule']}  ({entry['timezone']}, one briefing per {entry['period']})")
        if entry["last_slot"]:
            click.echo(f"  last run for {_shown(entry['last_slot'], item.schedule.zone)} ({entry['last_status']})")
        for t in entry["next"]:
            click.echo(f"  {_shown(t['local'], item.schedule.zone)}  =  {_shown(t['utc'], timezone.utc)}"
                       f"  period {t['period']}")


def _shown(iso: str, zone) -> str:
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")


def execute_due(settings, now_text: str | None, *, dry_run: bool, in_doubt: str | None, as_json: bool) -> str:
    """``run --due``: run what is due, print the summary (human or JSON), return the status."""
    from .run import summarize

    with progress_reporter() as progress:
        result = run_due(settings, parse_now(now_text), dry_run=dry_run, in_doubt=in_doubt, progress=progress)
    if as_json:
        print_json(result.to_json())
        return result.status
    if result.alerts is not None:
        for alert in result.alerts["new"]:
            stderr.print(f"Alert: {alert['severity']} {alert['finding']} to {', '.join(alert['to'])}: "
                         f"{alert['statement']}", markup=False)
    if not result.due:
        stderr.print(f"Nothing due at {result.now.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC.")
    for item in result.due:
        missed = f" ({item.missed} scheduled times passed, sent once)" if item.missed > 1 else ""
        stderr.print(f"Due: {item.report.key} for {item.slot:%a %Y-%m-%d %H:%M %Z}, period {item.period}{missed}")
    for run in result.runs:
        summarize(run)
    for failure in result.failures:
        stderr.print(f"  failed: {failure}", markup=False)
    return result.status


@schedule.command()
@_WORKSPACE
@click.option("--systemd", "kind", flag_value="systemd", help="A systemd user timer and service (Linux).")
@click.option("--cron", "kind", flag_value="cron", help="A crontab line.")
@click.option("--launchd", "kind", flag_value="launchd", help="A launchd agent (macOS).")
@click.option("--every", type=click.Choice([str(n) for n in INTERVALS]), default="15", show_default=True,
              help="Minutes between checks for due briefings and alerts.")
@click.option("--write", is_flag=True,
              help="Install the files (systemd: ~/.config/systemd/user; cron: your crontab; "
                   "launchd: ~/Library/LaunchAgents) instead of printing them.")
def install(workspace: Path, kind: str | None, every: str, write: bool) -> None:
    """Print (or with --write install) a timer that runs `execbrief run --due` every few minutes.

    The timer only wakes execbrief; the schedules in execbrief.toml decide what is sent,
    in each report's time zone, once per period even after the machine slept.
    """
    if kind is None:
        raise UsageError("choose a timer: --systemd, --cron or --launchd")
    settings = load_settings(workspace)  # a broken workspace is refused now, not at 07:00 on Monday
    root, minutes = settings.workspace, int(every)
    home = Path(os.environ.get("HOME") or Path.home())
    if kind == "cron":
        _install_cron(root, minutes, write)
        return
    if kind == "systemd":
        config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        files = systemd_units(root, minutes, config_home)
        name = unit_name(root)
        enable = ["systemctl --user daemon-reload", f"systemctl --user enable --now {name}.timer",
                  "loginctl enable-linger \"$USER\"   # keep user timers running when you are logged out"]
    else:
        files = [launchd_agent(root, minutes, home)]
        enable = [f"launchctl bootstrap gui/$(id -u) {shlex.quote(str(files[0].path))}"]
    if not write:
        for item in files:
            click.echo(f"# {item.path}")
            click.echo(item.content)
        click.echo("# install with --write, then:")
    for item in files if write else []:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        item.path.write_text(item.content, encoding="utf-8")
        click.echo(f"wrote {item.path}", err=True)
    if write:
        click.echo("now run:", err=True)
    for line in enable:
        click.echo(line if not write else f"  {line}", err=write)


def _install_cron(root: Path, minutes: int, write: bool) -> None:
    if not write:
        click.echo(cron_line(root, minutes), nl=False)
        return
    crontab = shutil.which("crontab")
    if crontab is None:
        raise UsageError("no `crontab` command on this machine: print the line without --write and add it by hand")
    listed = subprocess.run([crontab, "-l"], capture_output=True, text=True)
    # `crontab -l` fails when the user has no crontab yet: start from an empty one
    current = listed.stdout if listed.returncode == 0 else ""
    done = subprocess.run([crontab, "-"], input=merge_crontab(current, root, minutes), capture_output=True, text=True)
    if done.returncode != 0:
        raise UsageError(f"crontab refused the new table: {done.stderr.strip() or done.returncode}")
    click.echo(f"crontab: execbrief run --due every {minutes} minutes for {root}", err=True)
