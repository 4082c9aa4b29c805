"""An AWS account → ``resource`` evidence: functions, APIs, edges, buckets, trails and cost.

The account is read live (``aws_gather``, through a boto3 session: the profile from
``[sources.aws] profile``, else the standard credential chain; ``AWS_ENDPOINT_URL`` is
honoured by boto3 itself), or from a snapshot file that ``execbrief snapshot aws`` wrote
(``[sources.aws] snapshot``), so an audit can be reproduced and shared. Both paths turn
the same inventory into the same evidence, with the same ids.

Each resource is one evidence item: its record holds the service, id, ARN, region and the
attributes the rules need; its provenance path is the ARN (or ``aws:<service>:<region>:<id>``).
Cost Explorer's answer becomes one item per month. A denied or failing API call, and any
malformed part of a snapshot, becomes a warning; the rest is still read.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError
from zoneinfo import ZoneInfo

from ..entities import EntityResolver
from ..errors import ConfigError
from ..model import DataWarning, Evidence, Provenance, content_hash, stable_id
from . import InputFile, SourceResult
from .aws_gather import SNAPSHOT_FORMAT
from ..problems import json_problem
from ..redaction import quoted
from .aws_schema import CostLine, CostMonth, Resource, checked_inventory
from .aws_services import gather_inventory

__all__ = ["AwsSource", "register", "make_session", "take_snapshot", "inventory_evidence", "SNAPSHOT_FORMAT"]

CACHE_DIR = Path(".execbrief") / "cache"
_REQUIRED = ("service", "type", "id", "arn", "region")


def register(registry: Any) -> None:
    """Register the AWS source under the name ``aws``."""
    registry.add_source("aws", AwsSource)


def make_session(profile: str | None, config_path: Any = "execbrief.toml") -> Any:
    """A boto3 session for a named profile, or for the standard credential chain."""
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        return boto3.Session(profile_name=profile) if profile else boto3.Session()
    except ProfileNotFound:
        raise ConfigError(
            f"key 'sources.aws.profile' in {config_path}: there is no AWS profile named {profile!r} "
            "in ~/.aws/config or ~/.aws/credentials: fix the name, or remove the key to use the "
            "default credential chain"
        ) from None


def take_snapshot(session: Any, regions: list[str], *, as_of: date, cache_dir: Path | None = None,
                  costs: bool = True, max_attempts: int = 5) -> dict[str, Any]:
    """Read an account now and return its inventory in the snapshot format."""
    return gather_inventory(session, regions, as_of=as_of, cache_dir=cache_dir, costs=costs,
                            max_attempts=max_attempts)


class AwsSource:
    """Reads one AWS account, live or from a snapshot file."""

    name = "aws"
    separate_process = True  # its result is small: a run may read it in a process of its own

    def __init__(self, settings: Any, session: Any = None) -> None:
        self.settings = settings
        self.config = settings.sources.aws
        self.workspace = Path(settings.workspace)
        self.session = session
        self._match = partial(EntityResolver(settings.entities).in_name, run_together=True)

    def as_of(self) -> date:
        """The date whose three previous full months Cost Explorer is asked about."""
        if self.settings.run.as_of:
            return self.settings.run.as_of
        return datetime.now(ZoneInfo(self.settings.organization.timezone)).date()

    def collect(self) -> SourceResult:
        """Evidence for every resource and cost month, with the warnings met on the way."""
        result = SourceResult()
        if self.config.snapshot:
            path = self.settings.resolve(self.config.snapshot)
            where = _relative(path, self.workspace)
            inventory = read_snapshot(path, where, result)
            if inventory is None:
                return result
        else:
            session = self.session or make_session(self.config.profile, self.settings.config_path)
            inventory = take_snapshot(session, self.config.regions, as_of=self.as_of(),
                                      cache_dir=self.workspace / CACHE_DIR)
            where = None
        evidence, warnings = inventory_evidence(inventory, where, self._match)
        result.evidence += evidence
        result.warnings += warnings
        return result


def read_snapshot(path: Path, where: str, result: SourceResult) -> dict[str, Any] | None:
    """A snapshot file's inventory, or None (with a warning) when it cannot be used."""
    def warn(message: str, line: int | None = None) -> None:
        result.warnings.append(DataWarning(source="aws", path=where, line=line, message=message))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        warn("snapshot file not found: write one with `execbrief snapshot aws --out FILE`, "
             "or fix [sources.aws] snapshot")
        return None
    except OSError as exc:
        warn(f"cannot read the snapshot ({exc.strerror or type(exc).__name__}): check its permissions")
        return None
    result.inputs.append(InputFile(source="aws", path=where, sha256=content_hash(raw), size=len(raw)))
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        warn("snapshot is not UTF-8 JSON: write it again with `execbrief snapshot aws`")
        return None
    except json.JSONDecodeError as exc:
        warn(f"snapshot is not valid JSON ({exc.msg}): write it again with `execbrief snapshot aws`", exc.lineno)
        return None
    except RecursionError:  # (arrays in arrays, thousands deep: no snapshot is shaped so)
        warn("snapshot is nested too deeply to be an AWS snapshot: write it again with `execbrief snapshot aws`")
        return None
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        warn(f"not an execbrief AWS snapshot (format {quoted(found)}, expected {SNAPSHOT_FORMAT!r}): "
             "write it with `execbrief snapshot aws --out FILE`")
        return None
    return data


def inventory_evidence(inventory: dict[str, Any], where: str | None,
                       match: Callable[[str], str | None] = lambda name: None
                       ) -> tuple[list[Evidence], list[DataWarning]]:
    """The evidence and warnings of an inventory; ``where`` names the snapshot file, if any.

    Each resource, cost month and cost line is checked on its own (``aws_schema``): a
    malformed one is skipped with a warning naming its field, and the rest are read.
    """
    warnings: list[DataWarning] = []

    def warn(message: str, at: str | None = None) -> None:
        warnings.append(DataWarning(source="aws", path=at or where, message=message))

    for item in _list(inventory.get("warnings")):
        if isinstance(item, dict) and item.get("message"):
            api = f"{item.get('api', 'AWS')} ({item.get('region', '?')})"
            recorded = f" (recorded in {where})" if where else ""
            warn(str(item["message"]) + recorded, api)
    if not inventory.get("account") and not where:
        return [], warnings  # a live read that reached no account: its own warnings say why
    checked = checked_inventory(inventory, warn)
    if checked is None:
        return [], warnings
    account = checked.account
    observed = checked.taken_at or None
    evidence = [_evidence({
        "service": "sts", "type": "account", "id": account, "arn": checked.caller_arn or "",
        "region": "global", "regions": checked.regions, "scanned": checked.scanned,
    }, account, observed, None)]
    for n, res in enumerate(checked.resources):
        try:
            Resource.model_validate(res)
        except ValidationError as exc:
            warn(f"{json_problem(exc, f'resources[{n}]')}: resource skipped")
            continue
        # attributes may not shadow the identifying keys (a load balancer's kind is "lb_type")
        record = {k: res[k] for k in _REQUIRED} | {
            k: v for k, v in res["attributes"].items() if k not in _REQUIRED}
        label = " ".join(str(x) for x in (res["id"], record.get("name") or "", *_list(record.get("aliases"))))
        evidence.append(_evidence(record, account, observed, match(label)))
    if checked.costs is not None:
        metric = checked.costs.metric or "UnblendedCost"
        for n, month in enumerate(checked.costs.months):
            record = _cost_record(month, metric, f"costs.months[{n}]", warn)
            if record:
                evidence.append(_evidence(record, account, observed, None))
    return evidence, warnings


def _cost_record(month: Any, metric: str, at: str, warn: Callable[[str], None]) -> dict[str, Any] | None:
    """One month's cost record; a malformed month is skipped, a malformed line costs itself."""
    try:
        checked = CostMonth.model_validate(month)
    except ValidationError as exc:
        warn(f"{json_problem(exc, at)}: month skipped")
        return None
    services = []
    for n, line in enumerate(checked.services):
        try:
            cost = CostLine.model_validate(line)
        except ValidationError as exc:
            warn(f"{json_problem(exc, f'{at}.services[{n}]')}: cost line skipped")
            continue
        services.append({"service": cost.service, "amount": str(cost.amount), "unit": cost.unit or "USD"})
    return {
        "service": "ce", "type": "cost_month", "id": checked.month, "arn": "", "region": "global",
        "month": checked.month, "estimated": checked.estimated, "metric": metric, "services": services,
    }


def _evidence(record: dict[str, Any], account: str, observed: str | None, entity: str | None) -> Evidence:
    record = record | {"account": account}
    arn = record.get("arn") or ""
    path = arn if arn.startswith(("arn:", "aws:")) else f"aws:{record['service']}:{record['region']}:{account}/{record['id']}"
    if record["type"] == "account":
        path = f"aws:sts:global:{account}"
    return Evidence(
        id=stable_id("ev", "aws", path), source="aws", kind="resource", entity=entity, record=record,
        provenance=Provenance(source="aws", path=path, observed_at=observed,
                              sha256=content_hash(json.dumps(record, sort_keys=True, default=str))),
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _relative(path: Path, workspace: Path) -> str:
    try:
        return str(path.resolve().relative_to(workspace.resolve()))
    except ValueError:
        return str(path)
