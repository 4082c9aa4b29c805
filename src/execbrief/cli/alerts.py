"""``execbrief alerts``: check the alert rules now, and list what was alerted."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from ..alerts import check_alerts
from ..config import load_settings
from ..errors import UsageError
from ..ledger import LEDGER_PATH, Ledger
from ..ledger.alerts import alert_history
from .output import print_json, progress_reporter, stderr
from .schedule import parse_now

__all__ = ["alerts"]

_WORKSPACE = click.option(
    "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
    help="The workspace folder holding execbrief.toml.",
)


@click.group()
def alerts() -> None:
    """Alerts: a new finding matching an [[alerts]] rule is emailed at once, once per finding."""


@alerts.command()
@_WORKSPACE
@click.option("--dry-run", is_flag=True, help="Say which alerts would go, send and record nothing.")
@click.option("--now", "now_text", metavar="TIME", default=None,
              help="Check as at this ISO-8601 time (its date in the organisation's time zone is the as-of date).")
@click.option("--in-doubt", type=click.Choice(["resend", "hold"]), default=None,
              help="An alert a crashed check may have sent: send it again flagged, or hold it.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
def check(workspace: Path, dry_run: bool, now_text: str | None, in_doubt: str | None, as_json: bool) -> None:
    """Analyse the workspace and send each new finding that matches an [[alerts]] rule.

    `execbrief run --due` does the same on every call. Exit 1 when an alert could not be
    delivered (the next check tries again).
    """
    settings = load_settings(workspace)
    if not settings.alerts:
        raise UsageError(f"no [[alerts]] rules in {settings.config_path}: add one, e.g. min_severity = \"critical\"")
    now = parse_now(now_text) or datetime.now(timezone.utc)
    with progress_reporter() as progress:
        result = check_alerts(settings, now=now, dry_run=dry_run, in_doubt=in_doubt, progress=progress)
    if as_json:
        print_json(result.to_json())
    else:
        verb = "would alert" if dry_run else "alerted"
        stderr.print(f"Checked {result.facts} facts as of {result.as_of}: {result.matched} match a rule, "
                     f"{len(result.alerts)} new ({result.duration_ms} ms)", markup=False)
        for alert in result.alerts:
            stderr.print(f"  {verb} {alert.fact.severity} {alert.fact.id} ({alert.rule}) to {', '.join(alert.to)}: "
                         f"{alert.fact.statement}", markup=False)
        for failure in result.failures:
            stderr.print(f"  failed: {failure}", markup=False)
    if result.status != "ok":
        raise SystemExit(1)


@alerts.command(name="list")
@_WORKSPACE
@click.option("--limit", "-n", type=click.IntRange(1), default=50, show_default=True, help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
def list_alerts(workspace: Path, limit: int, as_json: bool) -> None:
    """List the findings alerted so far, newest first, with their rule and status."""
    settings = load_settings(workspace)
    rows = []
    if (settings.workspace / LEDGER_PATH).is_file():
        with Ledger.for_workspace(settings.workspace) as ledger:
            rows = alert_history(ledger, limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("No alerts yet.", err=True)
    for row in rows:
        click.echo(f"{row['updated_at']}  {row['status']:<6} {row['severity']:<8} {row['finding_id']}  "
                   f"{row['rule']}  {row['statement']}")
