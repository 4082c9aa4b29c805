"""``execbrief history``: what earlier runs did, from the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import CONFIG_FILE
from ..errors import ConfigError
from ..ledger import LEDGER_PATH, Ledger
from .output import print_json, stage_line

__all__ = ["history"]


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The workspace folder holding execbrief.toml.")
@click.option("--limit", "-n", type=click.IntRange(1), default=20, show_default=True, help="How many runs to show.")
@click.option("--deliveries", is_flag=True, help="Show each message of the runs: recipients, channel, status.")
@click.option("--costs", is_flag=True, help="Show LLM calls, tokens (in/out/cached) and cost per run and per report.")
@click.option("--prune", is_flag=True,
              help="Remove the facts of old runs that no later run needs (reports, messages and deliveries stay), "
                   "then VACUUM the ledger.")
@click.option("--keep", type=click.IntRange(1), default=10, show_default=True,
              help="With --prune: keep the facts of this many newest runs (and of every run a report compares with).")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
def history(workspace: Path, limit: int, deliveries: bool, costs: bool, prune: bool, keep: int, as_json: bool) -> None:
    """List recent runs: when, status, reports written, messages sent, warnings; or prune old runs' facts."""
    root = workspace.resolve()
    if not (root / CONFIG_FILE).is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}: pass --workspace DIR")
    if not (root / LEDGER_PATH).is_file():
        if as_json:
            print_json([])
        else:
            click.echo("No runs yet: try `execbrief run`.", err=True)
        return
    if prune:
        from ..ledger.prune import prune as prune_ledger

        with Ledger.for_workspace(root) as ledger:
            done = prune_ledger(ledger, keep)
        if as_json:
            print_json(done)
        else:
            click.echo(f"Pruned the facts of {done['runs_pruned']} runs ({done['fact_rows_removed']} fact rows, "
                       f"{done['fact_bases_removed']} fact bases, {done['fact_bodies_removed']} fact contents; "
                       f"{done['bytes_freed'] / 1e6:.1f} MB); the ledger is now {done['file_bytes'] / 1e6:.1f} MB.")
        return
    with Ledger.for_workspace(root) as ledger:
        runs = ledger.runs(limit)
        if deliveries:
            for item in runs:
                item["messages"] = ledger.messages(item["id"])
        if costs:
            from ..ledger.llm_calls import costs as llm_costs

            for item in runs:
                item["llm"] = llm_costs(ledger, item["id"])
    if as_json:
        print_json(runs)
        return
    for item in runs:
        click.echo(
            f"{item['id']}  {item['status']:<7} period {item['period']}  as of {item['as_of']}  "
            f"{item['reports']} reports  {item['sent']} sent  {item['facts']} facts  {item['warnings']} warnings"
        )
        stages = (item.get("summary") or {}).get("stages_ms")
        if stages:
            click.echo("    " + stage_line(stages, item.get("duration_ms")))
        if "llm" in item:
            _echo_costs(item["llm"])
        for message in item.get("messages", []):
            to = ", ".join(json.loads(message["to_json"]))
            audit = json.loads(message["bcc_json"])
            if audit:
                to += (", " if to else "") + "audit " + ", ".join(audit)
            # attempts, in_doubt and last_error exist from ledger migration m002_delivery on
            attempts = message.get("attempts")
            extra = f"  attempts {attempts}" if attempts is not None else ""
            if message.get("in_doubt"):
                extra += "  in doubt (possible duplicate)"
            if message.get("last_error"):
                extra += f"  last error: {message['last_error']}"
            click.echo(
                f"    {message['key']:<22} {message['status']:<9} {message['channel']:<7} to {to}"
                f"  id {message['provider_message_id'] or '-'}{extra}"
                + (f"  ({message['detail']})" if message["detail"] else "")
            )


def _echo_costs(llm: dict) -> None:
    """LLM usage of one run: a total line, then one line per report."""
    def line(label: str, c: dict) -> str:
        failed = ""
        if c.get("errors") or c.get("not_made"):  # a writer that fell back still shows what it tried
            failed = f"  {c['errors']} failed, {c['not_made']} not made (last: {c['last_error']})"
        return (f"{label:<22} {c['calls']:>3} calls  {c['cache_hits']:>2} cached  in {c['tokens_in']:>7}  "
                f"out {c['tokens_out']:>6}  cache read {c['tokens_cached']:>7}  write {c['tokens_cache_write']:>7}  "
                f"${c['cost_usd']}  {c['retries']} retries{failed}")

    if not llm["calls"] and not llm["cache_hits"] and not llm.get("not_made"):
        click.echo("    no LLM calls (offline writer)")
        return
    click.echo("    " + line("LLM total", llm))
    for key, c in llm["reports"].items():
        click.echo("      " + line(key, c))
