"""``execbrief resend`` and ``execbrief events``: what failed, what bounced, who is suppressed."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..config import load_settings
from ..delivery.events import ingest
from ..delivery.preflight import run_checks
from ..delivery.service import DeliveryService, part_from_row, summarize
from ..errors import UsageError
from ..ledger import Ledger
from ..ledger.deliveries import DeliveryLedger
from ..registry import registry
from .output import print_json

__all__ = ["resend", "events"]

_WORKSPACE = click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
                          show_default=True, help="The workspace folder holding execbrief.toml.")


@click.command()
@_WORKSPACE
@click.option("--failed", is_flag=True, help="Send again every message whose last send failed.")
@click.option("--held", is_flag=True, help="Send the messages held in doubt (a crashed run may have sent them).")
@click.option("--run", "only_run", metavar="RUN", help="Only messages of this run id.")
@click.option("--json", "as_json", is_flag=True, help="Print what was sent as JSON on stdout.")
def resend(workspace: Path, failed: bool, held: bool, only_run: str | None, as_json: bool) -> None:
    """Send exactly what failed (and, with --held, what is held in doubt), nothing else.

    Each message goes out as it was first built (same Message-ID and content), through
    the configured channel, after the same checks as a run. Exit code 1 when one still fails.
    """
    if not (failed or held):
        raise UsageError("say what to resend: --failed, --held, or both")
    settings = load_settings(workspace)
    channel = registry.get("channels", settings.delivery.method)(settings)
    started = time.monotonic()
    with Ledger.for_workspace(settings.workspace) as ledger:
        store = DeliveryLedger(ledger)
        which = [w for w, on in (("failed", failed), ("held", held)) if on]
        rows = [row for w in which for row in store.pending_retries(w, only_run, channel.name)]
        if not rows:
            if as_json:
                print_json({"run_id": None, "deliveries": [], "failures": []})
            else:
                click.echo("Nothing to resend.", err=True)
            return
        periods = sorted({row["period"] or "-" for row in rows})
        run_id = ledger.start_run(settings.workspace, ",".join(periods), "-",
                                  {"command": "resend", "which": which, "run": only_run})
        checks = run_checks(settings, channel, [part_from_row(r).message for r in rows], ledger)
        bad = [c for c in checks if c.status == "fail"]
        entries, failures = [], [f"preflight {c.name}: {c.detail}" for c in bad]
        if not bad:
            service = DeliveryService(settings, channel, ledger)
            results = [r for w in which for r in service.resend(run_id, w, only_run)]
            entries, failures = summarize(results)
        status = "failed" if failures else "ok"
        summary = {"command": "resend", "deliveries": entries, "failures": failures}
        ledger.finish_run(run_id, status, summary, int((time.monotonic() - started) * 1000))
    if as_json:
        print_json({"run_id": run_id, "deliveries": entries, "failures": failures})
    else:
        for entry in entries:
            if not entry["audit"]:
                click.echo(f"  {entry['status']:<10} {entry['part']:<24} {entry['recipient']}  "
                           f"id {entry['message_id'] or '-'}", err=True)
        for failure in failures:
            click.echo(f"  failed: {failure}", err=True)
    if failures:
        raise SystemExit(1)


@click.group()
def events() -> None:
    """SES events (bounces, complaints, deliveries) and the suppression list."""


@events.command("ingest")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@_WORKSPACE
@click.option("--unsigned", is_flag=True,
              help="Also accept bare SES events that carry no SNS signature (events you fetched yourself).")
@click.option("--json", "as_json", is_flag=True, help="Print what was recorded as JSON on stdout.")
def ingest_command(file, workspace: Path, unsigned: bool, as_json: bool) -> None:
    """Record SES events from FILE (or - for stdin): SNS envelopes, a JSON array, or JSON lines.

    SNS signatures are verified (versions 1 and 2; the certificate must come from
    https://sns.<region>.amazonaws.com/; the topic must be [delivery.ses] events_topic_arn).
    Hard bounces and complaints put the address on the suppression list. Exit code 1
    when a document was refused.
    """
    settings = load_settings(workspace)
    source = "<stdin>" if file.name == "<stdin>" else file.name
    try:
        text = file.read()
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source} is not UTF-8 text (byte {exc.start}): events are JSON, as SNS delivers them "
                         "or `aws sqs receive-message` prints them", key="file", path=source) from None
    with Ledger.for_workspace(settings.workspace) as ledger:
        result = ingest(settings, ledger, text, source=source, allow_unsigned=unsigned)
    if as_json:
        print_json(result.to_json())
    else:
        kinds: dict[str, int] = {}
        for event in result.recorded:
            kinds[event["type"]] = kinds.get(event["type"], 0) + 1
        shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
        click.echo(f"Recorded events: {shown}; {result.duplicates} already known.", err=True)
        for address in result.suppressed:
            click.echo(f"  suppressed: {address}", err=True)
        for url in result.confirmations:
            click.echo(f"  subscription confirmation: open {url} to confirm the topic subscription", err=True)
        for warning in result.rejected:
            click.echo(f"  refused: {warning.label()}", err=True)
    if result.rejected:
        raise SystemExit(1)


@events.command("suppressed")
@_WORKSPACE
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON on stdout.")
def suppressed_command(workspace: Path, as_json: bool) -> None:
    """List the addresses later runs leave out (hard bounces and complaints)."""
    settings = load_settings(workspace)
    with Ledger.for_workspace(settings.workspace) as ledger:
        rows = DeliveryLedger(ledger).suppressions()
    if as_json:
        print_json(rows)
        return
    if not rows:
        click.echo("No suppressed addresses.", err=True)
    for row in rows:
        click.echo(f"  {row['address']:<36} {row['reason']:<10} {row['detail'] or ''}  since {row['created_at']}",
                   err=True)


@events.command("unsuppress")
@click.argument("address")
@_WORKSPACE
def unsuppress_command(address: str, workspace: Path) -> None:
    """Take ADDRESS off the suppression list (once the mailbox works again)."""
    settings = load_settings(workspace)
    with Ledger.for_workspace(settings.workspace) as ledger:
        removed = DeliveryLedger(ledger).unsuppress(address)
    if not removed:
        raise UsageError(f"{address} is not on the suppression list: see `execbrief events suppressed`")
    click.echo(f"{address} will receive briefings again.", err=True)
