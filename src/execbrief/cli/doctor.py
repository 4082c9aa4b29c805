"""``execbrief doctor``: the checks every delivering run makes before its first send."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.utils import getaddresses
from pathlib import Path

import click

from ..config import Settings, load_settings
from ..delivery.preflight import Check, run_checks
from ..errors import ConfigError
from ..ledger import LEDGER_PATH, Ledger
from ..model import Message
from ..registry import registry
from .output import print_json

__all__ = ["doctor", "last_messages"]

_MARK = {"ok": "ok", "warn": "warn", "fail": "FAIL", "skip": "skip"}


def last_messages(settings: Settings) -> list[Message]:
    """The messages of the newest rendered run, read back from its .eml files."""
    runs = settings.workspace / ".execbrief" / "runs"
    folders = sorted((p for p in runs.glob("*") if p.is_dir() and any(p.glob("*.eml"))), key=lambda p: p.name)
    if not folders:
        return []
    messages = []
    for eml in sorted(folders[-1].glob("*.eml")):
        raw = eml.read_bytes()
        parsed = message_from_bytes(raw, policy=policy.default)
        to = tuple(a for _, a in getaddresses([str(parsed.get("To", ""))]) if a)
        messages.append(Message(
            key=eml.stem, lens=str(parsed.get("X-Execbrief-Lens", eml.stem)), sender=settings.delivery.sender,
            to=to or ("unknown@invalid.example",), bcc=tuple(settings.delivery.audit_bcc),
            subject=str(parsed.get("Subject", "")), mime=raw,
            idempotency_key=str(parsed.get("X-Execbrief-Key", "")).strip() or eml.stem,
        ))
    return messages


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

    Config, pinned sender, SES identity, sandbox and quota (or SMTP login), recipient
    domains, suppressed recipients and message size (of the newest rendered run). Every
    delivering run makes the same checks first; a failing one stops it before the
    first send. Exit code 1 when a check fails, 2 when the config is invalid.
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
    messages = last_messages(settings)
    if (settings.workspace / LEDGER_PATH).is_file():
        with Ledger.for_workspace(settings.workspace) as ledger:
            checks = run_checks(settings, channel, messages, ledger)
    else:
        checks = run_checks(settings, channel, messages, None)
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
