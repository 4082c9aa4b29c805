"""``execbrief history``: what earlier runs did, from the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import CONFIG_FILE
from ..errors import ConfigError
from ..ledger import LEDGER_PATH, Ledger
from .output import print_json

__all__ = ["history"]


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The workspace folder holding execbrief.toml.")
@click.option("--limit", "-n", type=click.IntRange(1), default=20, show_default=True, help="How many runs to show.")
@click.option("--deliveries", is_flag=True, help="Show each message of the runs: recipients, channel, status.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
def history(workspace: Path, limit: int, deliveries: bool, as_json: bool) -> None:
    """List recent runs: when, status, reports written, messages sent, warnings."""
    root = workspace.resolve()
    if not (root / CONFIG_FILE).is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}: pass --workspace DIR")
    if not (root / LEDGER_PATH).is_file():
        if as_json:
            print_json([])
        else:
            click.echo("No runs yet: try `execbrief run`.", err=True)
        return
    with Ledger.for_workspace(root) as ledger:
        runs = ledger.runs(limit)
        if deliveries:
            for item in runs:
                item["messages"] = ledger.messages(item["id"])
    if as_json:
        print_json(runs)
        return
    for item in runs:
        click.echo(
            f"{item['id']}  {item['status']:<7} period {item['period']}  as of {item['as_of']}  "
            f"{item['reports']} reports  {item['sent']} sent  {item['facts']} facts  {item['warnings']} warnings"
        )
        for message in item.get("messages", []):
            to = ", ".join(json.loads(message["to_json"]))
            click.echo(
                f"    {message['key']:<22} {message['status']:<8} {message['channel']:<7} to {to}"
                f"  id {message['provider_message_id'] or '-'}" + (f"  ({message['detail']})" if message["detail"] else "")
            )
