"""``execbrief doctor``: the checks every delivering run makes before its first send."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.utils import getaddresses
from pathlib import Path

import click

from ..config import Settings, load_settings
from ..delivery.preflight import Check, check_size, run_checks
from ..errors import ConfigError
from ..ledger import Ledger
from ..model import Message
from ..registry import registry
from .output import print_json

__all__ = ["doctor", "configured_messages", "last_messages"]

_MARK = {"ok": "ok", "warn": "warn", "fail": "FAIL", "skip": "skip"}


def _read(settings: Settings, eml: Path) -> Message:
    raw = eml.read_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    to = tuple(a for _, a in getaddresses([str(parsed.get("To", ""))]) if a)
    return Message(
        key=eml.stem, lens=str(parsed.get("X-Execbrief-Lens", eml.stem)), sender=settings.delivery.sender,
        to=to or ("unknown@invalid.example",), bcc=tuple(settings.delivery.audit_bcc),
        subject=str(parsed.get("Subject", "")), mime=raw,
        idempotency_key=str(parsed.get("X-Execbrief-Key", "")).strip() or eml.stem,
    )


def last_messages(settings: Settings, keys: set[str] | None = None) -> list[Message]:
    """The newest rendered message of each report (of ``keys``, if given), read from .eml files."""
    runs = settings.workspace / ".execbrief" / "runs"
    newest: dict[str, Path] = {}
    for eml in sorted(runs.glob("*/*.eml")):  # run ids sort by time: a later one wins
        if keys is None or eml.stem in keys:
            newest[eml.stem] = eml
    return [_read(settings, newest[key]) for key in sorted(newest)]


def configured_messages(settings: Settings) -> tuple[list[Message], str | None]:
    """A rendered message of every configured report, and what doctor did to get them.

    The newest message of each report when every one was rendered before; otherwise a
    dry render of them all (the pipeline without delivery), so sizes are measured for
    what the configuration would send, not for whatever the last run happened to write.
    """
    from ..pipeline import plan_reports, run
    from ..lenses import load_lenses

    keys = {plan.key for plan in plan_reports(settings, load_lenses(settings.workspace))}
    found = last_messages(settings, keys)
    if {m.key for m in found} == keys:
        return found, None
    result = run(settings, dry_run=True)
    rendered = [Path(r.files["eml"]) for r in result.reports if "eml" in r.files]
    return [_read(settings, eml) for eml in rendered], f"measured a dry render (run {result.run_id})"


def _print(checks: list[Check]) -> None:
    width = max(len(c.name) for c in checks)
    for check in checks:
        click.echo(f"  {_MARK[check.status]:<5} {check.name:<{width}}  {check.detail}", err=True)
        if check.fix and check.status in ("fail", "warn"):
            click.echo(f"  {'':<5} {'':<{width}}  fix: {check.fix}", err=True)


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The workspace folder holding execbrief.toml.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON on stdout.")
def doctor(workspace: Path, as_json: bool) -> None:
    """Check that delivery can work before anything is sent.

    Config, pinned sender, SES identity, sandbox and quota (or SMTP login), and for every
    configured report: recipient domains, suppressed recipients and message size (of its
    newest rendered message, or of a dry render when a report was never rendered). Every
    delivering run makes the same checks first; a failing one stops it before the first
    send. Exit code 1 when a check fails, 2 when the config is invalid.
    """
    try:
        settings = load_settings(workspace)
    except ConfigError as exc:
        checks = [Check("config valid", "fail", str(exc), "fix execbrief.toml as the message says")]
        if as_json:
            print_json({"ok": False, "checks": [c.to_json() for c in checks]})
        else:
            _print(checks)
        raise SystemExit(2)
    channel = registry.get("channels", settings.delivery.method)(settings)
    messages, how = configured_messages(settings)
    with Ledger.for_workspace(settings.workspace) as ledger:
        # recipients come from the configuration (every report, audit copies included);
        # sizes from each configured report's rendered message
        checks = run_checks(settings, channel, None, ledger)
    checks = [check_size(channel, messages) if c.name == "message size" else c for c in checks]
    if how:
        checks = [Check(c.name, c.status, f"{c.detail}; {how}", c.fix) if c.name == "message size" else c
                  for c in checks]
    failed = [c for c in checks if c.status == "fail"]
    if as_json:
        print_json({"ok": not failed, "method": settings.delivery.method, "checks": [c.to_json() for c in checks]})
    else:
        where = f", region {settings.delivery.ses.region}" if settings.delivery.method == "ses" else ""
        click.echo(f"execbrief doctor: {settings.workspace} (delivery via {settings.delivery.method}{where})", err=True)
        _print(checks)
        click.echo(f"{len(failed)} check(s) failed: delivery would stop before the first send." if failed
                   else "All checks passed.", err=True)
    if failed:
        raise SystemExit(1)
