"""Helpers for AWS tests: inventories in the snapshot format, turned into evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from execbrief.analyzers import AnalysisContext
from execbrief.sources.aws import SNAPSHOT_FORMAT, inventory_evidence

ACCOUNT = "111122223333"
REGION = "us-east-1"
AS_OF = date(2026, 11, 23)
ALL_SCANNED = ["apigateway:us-east-1", "apigatewayv2:us-east-1", "cloudfront:global", "cloudtrail:us-east-1",
               "ec2:us-east-1", "elbv2:us-east-1", "lambda:us-east-1", "s3:global"]
BLOCK_ON = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
BLOCK_OFF = {k: False for k in BLOCK_ON}

_ARNS = {
    "function": "arn:aws:lambda:{r}:{a}:function:{i}",
    "rest_api": "arn:aws:apigateway:{r}::/restapis/{i}",
    "http_api": "arn:aws:apigateway:{r}::/apis/{i}",
    "distribution": "arn:aws:cloudfront::{a}:distribution/{i}",
    "load_balancer": "arn:aws:elasticloadbalancing:{r}:{a}:loadbalancer/app/{i}/0123456789abcdef",
    "bucket": "arn:aws:s3:::{i}",
    "account_public_access_block": "aws:s3:global:{a}",
    "trail": "arn:aws:cloudtrail:{r}:{a}:trail/{i}",
    "volume": "arn:aws:ec2:{r}:{a}:volume/{i}",
    "elastic_ip": "arn:aws:ec2:{r}:{a}:elastic-ip/{i}",
}
_SERVICES = {"function": "lambda", "rest_api": "apigateway", "http_api": "apigatewayv2", "distribution": "cloudfront",
             "load_balancer": "elbv2", "bucket": "s3", "account_public_access_block": "s3", "trail": "cloudtrail",
             "volume": "ec2", "elastic_ip": "ec2"}


def res(kind: str, rid: str, region: str = REGION, **attributes: Any) -> dict[str, Any]:
    """One resource in the snapshot format."""
    arn = _ARNS[kind].format(r=region, a=ACCOUNT, i=rid)
    return {"service": _SERVICES[kind], "type": kind, "id": rid, "arn": arn, "region": region,
            "attributes": attributes}


def costs(months: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A Cost Explorer answer: month → service → amount."""
    return {"metric": "UnblendedCost", "months": [
        {"month": m, "estimated": False, "services": [{"service": s, "amount": a, "unit": "USD"} for s, a in sv.items()]}
        for m, sv in months.items()
    ]}


def inventory(*resources: dict[str, Any], scanned: list[str] | None = None,
              cost: dict[str, Any] | None = None) -> dict[str, Any]:
    """A whole snapshot around some resources."""
    return {"format": SNAPSHOT_FORMAT, "taken_at": "2026-11-23T12:00:00Z", "as_of": AS_OF.isoformat(),
            "account": ACCOUNT, "caller_arn": f"arn:aws:iam::{ACCOUNT}:user/audit", "regions": [REGION],
            "scanned": ALL_SCANNED if scanned is None else scanned, "resources": list(resources),
            "costs": cost, "warnings": []}


def evidence(inv: dict[str, Any]):
    """The evidence the AWS source makes of an inventory."""
    found, warnings = inventory_evidence(inv, None)
    assert not warnings, warnings
    return found


def context(as_of: date = AS_OF) -> AnalysisContext:
    return AnalysisContext(as_of=as_of)
