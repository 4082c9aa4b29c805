"""``execbrief snapshot aws``: record an AWS account's inventory in a JSON file.

The file can be read back instead of the live account (``[sources.aws] snapshot``), so an
audit can be reproduced later, or shared with someone who has no access to the account.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from rich.markup import escape

from ..config import CONFIG_FILE, load_settings
from ..errors import StageError
from ..sources.aws import CACHE_DIR, make_session, take_snapshot
from .output import print_json, stderr

__all__ = ["snapshot"]


@click.group()
def snapshot() -> None:
    """Record a source's inputs in a file, so an audit can be reproduced and shared."""


@snapshot.command("aws")
@click.option("--out", "-o", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The JSON file to write (format execbrief-aws-snapshot/1).")
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Use this workspace's [sources.aws] regions and profile, and its cost cache "
                   "(default: the current folder, if it holds execbrief.toml).")
@click.option("--region", "regions", multiple=True, metavar="REGION",
              help="A region to read (repeatable); overrides [sources.aws] regions.")
@click.option("--profile", default=None, help="The AWS profile to use; overrides [sources.aws] profile.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Cost Explorer reads the three full months before this date (default: today).")
@click.option("--no-cost", is_flag=True, help="Skip Cost Explorer (AWS bills each of its requests).")
@click.option("--json", "as_json", is_flag=True, help="Print a summary of the snapshot as JSON on stdout.")
def aws(out: Path, workspace: Path | None, regions: tuple[str, ...], profile: str | None,
        as_of: datetime | None, no_cost: bool, as_json: bool) -> None:
    """Read an AWS account now and write its inventory and monthly cost to a JSON file.

    Uses the standard credential chain (or --profile) and honours AWS_ENDPOINT_URL. A
    denied API call becomes a warning naming the IAM permission it needs; the rest of the
    account is still recorded. Exit code 1 if the account could not be read at all.
    """
    root = workspace if workspace is not None else Path(".")
    settings = load_settings(root) if workspace is not None or (root / CONFIG_FILE).is_file() else None
    config = settings.sources.aws if settings else None
    chosen_regions = list(regions) or (list(config.regions) if config else ["us-east-1"])
    chosen_profile = profile or (config.profile if config else None)
    if as_of is not None:
        day = as_of.date()
    elif settings is not None:
        day = settings.run.as_of or datetime.now(ZoneInfo(settings.organization.timezone)).date()
    else:
        day = datetime.now(timezone.utc).date()
    session = make_session(chosen_profile, settings.config_path if settings else "--profile")
    inventory = take_snapshot(session, chosen_regions, as_of=day, costs=not no_cost,
                              cache_dir=settings.workspace / CACHE_DIR if settings else None)
    if not inventory.get("account"):
        reasons = "; ".join(w["message"] for w in inventory["warnings"][:2]) or "no answer from STS"
        raise StageError(f"could not read the AWS account, so no snapshot was written: {reasons}")
    _write(out, inventory)
    _report(out, inventory, day, as_json)


def _write(out: Path, inventory: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(inventory, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out)  # a reader never sees half a snapshot


def _report(out: Path, inventory: dict, day: date, as_json: bool) -> None:
    kinds = Counter(f"{r['service']}:{r['type']}" for r in inventory["resources"])
    months = [m["month"] for m in (inventory.get("costs") or {}).get("months", [])]
    summary = {
        "out": str(out.resolve()), "account": inventory["account"], "regions": inventory["regions"],
        "as_of": day.isoformat(), "resources": len(inventory["resources"]), "by_type": dict(sorted(kinds.items())),
        "cost_months": months, "warnings": inventory["warnings"],
    }
    if as_json:
        print_json(summary)
        return
    stderr.print(f"Wrote {out} · account {inventory['account']} · {', '.join(inventory['regions'])}")
    for kind, count in sorted(kinds.items()):
        stderr.print(f"  {count:>4}  {kind}")
    stderr.print(f"  cost: {', '.join(months) if months else 'not recorded'}")
    for warning in inventory["warnings"]:
        stderr.print(f"  [yellow]warning[/] {escape(warning['api'])} ({escape(warning['region'])}): "
                     f"{escape(warning['message'])}")
