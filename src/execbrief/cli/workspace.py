"""``execbrief init`` and ``execbrief demo``: make a workspace, or run the bundled one."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from importlib import resources
from pathlib import Path

import click

from ..config import CONFIG_FILE, load_settings
from ..errors import UsageError
from .output import stderr
from .run import execute

__all__ = ["init", "demo", "INIT_CONFIG", "command_prefix"]


def command_prefix() -> str:
    """How to call execbrief so a printed command runs as printed from this folder.

    ``execbrief`` when that name on the PATH is this program; otherwise the path this
    program was started by (``.venv/bin/execbrief`` after ``make demo``), or ``python -m
    execbrief`` when it was started as a module.
    """
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.name in ("__main__.py", "-c", "") or not started.exists():
        return f"{shlex.quote(sys.executable)} -m execbrief"
    on_path = shutil.which("execbrief")
    if on_path and Path(on_path).resolve() == started.resolve():
        return "execbrief"
    try:
        shown = started.resolve().relative_to(Path.cwd().resolve())
        return shlex.quote(str(shown) if shown.parent != Path(".") else f"./{shown}")
    except ValueError:
        return shlex.quote(str(started.resolve()))


def _shown(path: Path) -> str:
    """A folder as the user gave it (relative stays relative), quoted for the shell."""
    return shlex.quote(os.fspath(path))

INIT_CONFIG = '''\
# execbrief workspace configuration. Every key is documented in the README
# ("Configuration reference"). Paths are relative to this folder.

[organization]
name = "{name}"                 # shown in every briefing
timezone = "UTC"                # IANA name; decides "today" and the reporting week
currency = "USD"                # ISO 4217 code of the ledger's amounts

# One entry per business. `kind` lets audit lenses find their business
# (rental, delivery, agency); `aliases` are other names notes and the ledger use.
[[entities]]
id = "main"
name = "Main business"
kind = "agency"
aliases = []

[sources.notes]
paths = ["notes"]               # folders or globs of markdown notes
max_file_mb = 5                 # larger files are skipped with a warning

[sources.ledger]
paths = ["ledger"]              # folders or globs of CSV exports
# Map the CSV's own headers (defaults shown). amount is signed: inflow positive.
# [sources.ledger.columns]
# date = "date"
# amount = "amount"
# entity = "entity"
# account = "account"
# category = "category"
# memo = "memo"

# Checked-out code repositories to scan for committed keys and open endpoints. Paths
# outside this folder (like ~/code) are read only with [sources] allow_outside = true.
# [sources]
# allow_outside = true
# [sources.repos]
# paths = ["~/code/*"]

# The AWS account of the current credentials (read-only calls), or a recorded snapshot.
# [sources.aws]
# enabled = true
# regions = ["us-east-1"]
# snapshot = "aws-snapshot.json"   # from `execbrief snapshot aws --out aws-snapshot.json`

[writer]
kind = "offline"                # offline | anthropic | openai | bedrock
# model = "claude-sonnet-4-6"   # LLM writers read their key from the environment or .env
# max_cost_usd = 0.50
# A model on your own machine (Ollama, llama.cpp, vLLM): kind = "openai" with its base_url;
# structured output and the context size are asked of the server and remembered.
# base_url = "http://localhost:11434/v1"
# timeout_s = 900               # a CPU may take minutes per report
# context_tokens = 16384        # only when the server cannot say (Ollama with OLLAMA_CONTEXT_LENGTH)

[delivery]
method = "outbox"               # outbox writes files and sends nothing
sender = "briefings@example.com"
audit_bcc = []                  # audit copies: envelope recipients, never a header
allowed_recipient_domains = ["example.com"]
outbox = "outbox"
# list_unsubscribe = "mailto:briefings@example.com?subject=unsubscribe"

# For method = "ses": credentials from the standard AWS chain.
# [delivery.ses]
# region = "us-east-1"
# configuration_set = "briefings"

# For method = "smtp": the username and password come from these environment variables.
# [delivery.smtp]
# host = "smtp.example.com"
# port = 587
# security = "starttls"          # starttls | tls | none
# username_env = "SMTP_USERNAME"
# password_env = "SMTP_PASSWORD"

# One entry per briefing. `entities` limits it to some businesses (audits).
[[reports]]
lens = "ceo"
to = ["ceo@example.com"]

[[reports]]
lens = "cfo"
to = ["cfo@example.com"]
'''

SAMPLE_NOTE = """\
---
title: Weekly notes
updated: {today}
tags: [operations]
entity: main
kpis:
  client_count: "3"
---
# Weekly notes

## Risks
- [medium] One client makes up most of the revenue.

## Next
- [ ] Write down the KPIs each business tracks (due {due})
"""

SAMPLE_LEDGER = "date,amount,entity,account,category,memo\n"


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="My organisation", show_default=True, help="The organisation's name.")
@click.option("--force", is_flag=True, help="Overwrite an existing execbrief.toml.")
def init(directory: Path, name: str, force: bool) -> None:
    """Create a workspace: a commented execbrief.toml and sample folders."""
    from datetime import date, timedelta

    config = directory / CONFIG_FILE
    if config.exists() and not force:
        raise UsageError(f"{config} already exists: pass --force to overwrite it")
    for sub in ("notes", "ledger", "lenses"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    config.write_text(INIT_CONFIG.format(name=name.replace('"', "'")), encoding="utf-8")
    today = date.today()
    note = directory / "notes" / "weekly.md"
    if not note.exists():
        note.write_text(SAMPLE_NOTE.format(today=today, due=today + timedelta(days=14)), encoding="utf-8")
    ledger = directory / "ledger" / "transactions.csv"
    if not ledger.exists():
        ledger.write_text(SAMPLE_LEDGER, encoding="utf-8")
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text(".execbrief/\noutbox/\n.env\n", encoding="utf-8")
    stderr.print(f"Created a workspace in {directory}. Edit {config}, then run:")
    stderr.print(f"  {command_prefix()} run --workspace {_shown(directory)} --dry-run", markup=False)


def _demo_source() -> Path:
    return Path(str(resources.files("execbrief") / "demo" / "workspace"))


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default="execbrief-demo",
              show_default=True, help="Where to copy the demo workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout.")
def demo(out: Path, as_json: bool) -> None:
    """Copy the bundled demo workspace to --out and run it (offline, outbox delivery).

    Running it again in the same folder refreshes the demo files and runs again; the
    ledger then skips the messages it already delivered.
    """
    if out.exists() and any(out.iterdir()) and not (out / CONFIG_FILE).exists():
        raise UsageError(f"{out} exists and is not a demo workspace: choose another --out")
    # (never a cache or run folder a development checkout may hold beside the demo files)
    shutil.copytree(_demo_source(), out, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
    settings = load_settings(out)
    result = execute(settings, as_json=as_json)
    if not as_json:
        outbox = settings.resolve(settings.delivery.outbox) / result.run_id
        stderr.print(f"\nReports: {settings.workspace / '.execbrief' / 'runs' / result.run_id}", markup=False)
        if outbox.exists():
            stderr.print(f"Outbox:  {outbox} (one .eml per briefing, plus envelope.json)", markup=False)
        # commands that run as printed, from the folder the demo was started in
        run, where = command_prefix(), _shown(out)
        stderr.print("\nNext:", markup=False)
        for command, why in (
            (f"{run} preview --workspace {where}", "open the briefings in a browser (Ctrl-C stops it)"),
            (f"{run} history --workspace {where}", "what this run did, and what it delivered"),
            (f"{run} doctor --workspace {where}", "the checks every delivering run makes first"),
        ):
            stderr.print(f"  {command:<58} # {why}", markup=False)
    if result.status != "ok":
        raise SystemExit(1)
