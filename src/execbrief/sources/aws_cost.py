"""Cost Explorer: monthly cost by service for the last three full months, cached per day.

One ``GetCostAndUsage`` request per run (its pages aside), with credits and refunds
filtered out so a promotional credit does not hide what the account really costs. Cost
Explorer charges per request, so the answer is kept for the rest of the day in
``<workspace>/.execbrief/cache/aws-cost-<account>-<day>.json``; the file holds service
names and amounts only.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["MONTHS", "METRIC", "cost_window", "fetch_costs", "cache_path"]

MONTHS = 3
METRIC = "UnblendedCost"
_FILTER = {"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit", "Refund"]}}}


def cost_window(as_of: date, months: int = MONTHS) -> tuple[date, date]:
    """The first day of the earliest full month, and the first day of the as-of month (exclusive)."""
    end = as_of.replace(day=1)
    year, month = end.year, end.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), end


def cache_path(cache_dir: Path, account: str, day: date) -> Path:
    """Where one day's cost answer for one account is cached."""
    return Path(cache_dir) / f"aws-cost-{account}-{day.isoformat()}.json"


def _read_cache(path: Path, start: date, end: date) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("start") != start.isoformat() or data.get("end") != end.isoformat():
        return None
    return data


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs another request tomorrow


def fetch_costs(gatherer: Any, account: str, start: date, end: date, cache_dir: Path | None) -> dict[str, Any] | None:
    """Monthly cost by service between ``start`` and ``end``: from today's cache, else one request."""
    today = datetime.now(timezone.utc).date()
    path = cache_path(cache_dir, account, today) if cache_dir else None
    if path is not None:
        cached = _read_cache(path, start, end)
        if cached is not None:
            return cached | {"cached": True}
    months: dict[str, dict[str, Any]] = {}
    token: str | None = None
    while True:
        extra = {"NextPageToken": token} if token else {}
        page = gatherer.call(
            "ce", "us-east-1", "get_cost_and_usage",
            TimePeriod={"Start": start.isoformat(), "End": end.isoformat()},
            Granularity="MONTHLY", Metrics=[METRIC], Filter=_FILTER,
            GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}], **extra,
        )
        if not isinstance(page, dict):
            return None
        for result in page.get("ResultsByTime", []):
            month = str(result.get("TimePeriod", {}).get("Start", ""))[:7]
            entry = months.setdefault(month, {"month": month, "estimated": False, "services": []})
            entry["estimated"] = entry["estimated"] or bool(result.get("Estimated"))
            for group in result.get("Groups", []):
                metric = (group.get("Metrics") or {}).get(METRIC) or {}
                entry["services"].append({
                    "service": (group.get("Keys") or ["(unknown)"])[0],
                    "amount": str(metric.get("Amount", "0")),
                    "unit": str(metric.get("Unit") or "USD"),
                })
        token = page.get("NextPageToken")
        if not token:
            break
    data = {
        "account": account, "fetched_on": today.isoformat(), "metric": METRIC,
        "start": start.isoformat(), "end": end.isoformat(),
        "months": [months[m] for m in sorted(months) if m],
    }
    if path is not None:
        _write_cache(path, data)
    return data | {"cached": False}
