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
import re
from datetime import date, datetime
from functools import partial
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from ..entities import EntityResolver
from ..errors import ConfigError
from ..model import DataWarning, Evidence, Provenance, content_hash, stable_id
from . import InputFile, SourceResult
from .aws_gather import SNAPSHOT_FORMAT
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
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        warn(f"not an execbrief AWS snapshot (format {found!r}, expected {SNAPSHOT_FORMAT!r}): "
             "write it with `execbrief snapshot aws --out FILE`")
        return None
    return data


def inventory_evidence(inventory: dict[str, Any], where: str | None,
                       match: Callable[[str], str | None] = lambda name: None
                       ) -> tuple[list[Evidence], list[DataWarning]]:
    """The evidence and warnings of an inventory; ``where`` names the snapshot file, if any."""
    warnings: list[DataWarning] = []

    def warn(message: str, at: str | None = None) -> None:
        warnings.append(DataWarning(source="aws", path=at or where, message=message))

    for item in _list(inventory.get("warnings")):
        if isinstance(item, dict) and item.get("message"):
            api = f"{item.get('api', 'AWS')} ({item.get('region', '?')})"
            recorded = f" (recorded in {where})" if where else ""
            warn(str(item["message"]) + recorded, api)
    account = inventory.get("account")
    if not isinstance(account, str) or not account:
        if where:
            warn("snapshot names no AWS account: it holds no usable inventory")
        return [], warnings
    observed = str(inventory.get("taken_at") or "") or None
    evidence = [_evidence({
        "service": "sts", "type": "account", "id": account, "arn": inventory.get("caller_arn") or "",
        "region": "global", "regions": _list(inventory.get("regions")), "scanned": _list(inventory.get("scanned")),
    }, account, observed, None)]
    for n, res in enumerate(_list(inventory.get("resources"))):
        if not (isinstance(res, dict) and all(isinstance(res.get(k), str) and res.get(k) for k in _REQUIRED)
                and isinstance(res.get("attributes"), dict)):
            warn(f"resources[{n}] is malformed (each needs service, type, id, arn, region and attributes): skipped")
            continue
        # attributes may not shadow the identifying keys (a load balancer's kind is "lb_type")
        record = {k: res[k] for k in _REQUIRED} | {
            k: v for k, v in res["attributes"].items() if k not in _REQUIRED}
        label = " ".join(str(x) for x in (res["id"], record.get("name") or "", *_list(record.get("aliases"))))
        evidence.append(_evidence(record, account, observed, match(label)))
    costs = inventory.get("costs")
    if isinstance(costs, dict):
        for n, month in enumerate(_list(costs.get("months"))):
            record, problem = _cost_record(month, costs)
            if problem:
                warn(f"costs.months[{n}] {problem}: skipped")
            if record:
                evidence.append(_evidence(record, account, observed, None))
    elif costs is not None:
        warn("costs is malformed (expected an object with months): skipped")
    return evidence, warnings


def _cost_record(month: Any, costs: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    if not isinstance(month, dict) or not re.fullmatch(r"\d{4}-\d{2}", str(month.get("month", ""))):
        return None, "is malformed (needs month as YYYY-MM and services)"
    services, problem = [], None
    for line in _list(month.get("services")):
        try:
            amount = Decimal(str(line["amount"]))
            services.append({"service": str(line["service"]), "amount": str(amount), "unit": str(line.get("unit") or "USD")})
        except (KeyError, TypeError, InvalidOperation):
            problem = "has a service line without a service name or a numeric amount"
    record = {
        "service": "ce", "type": "cost_month", "id": month["month"], "arn": "", "region": "global",
        "month": month["month"], "estimated": bool(month.get("estimated")),
        "metric": str(costs.get("metric") or "UnblendedCost"), "services": services,
    }
    return record, problem


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
