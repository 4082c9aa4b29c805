"""How execbrief calls AWS: one boto3 session, retries, and failures turned into warnings.

Every API call goes through ``Gatherer.call`` or ``Gatherer.pages``: botocore's standard
retry mode backs off on throttling, and a call that is denied or still failing becomes a
warning naming the API call and the IAM permission it needs, never an exception. What is
read from each service is in ``aws_services``.
"""

from __future__ import annotations

from typing import Any, Callable


__all__ = ["SNAPSHOT_FORMAT", "REQUIRED_PERMISSIONS", "MISSING", "Gatherer", "NoCredentials", "permission_for"]

SNAPSHOT_FORMAT = "execbrief-aws-snapshot/1"

# boto3 service name → IAM action prefix, where they differ
_IAM_PREFIX = {"apigatewayv2": "apigateway", "elbv2": "elasticloadbalancing", "s3control": "s3"}
# (service, operation) → IAM permission, where it is not simply prefix:Operation
_PERMISSION = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
}
# Every permission the gatherer uses; the README's IAM policy lists exactly these.
REQUIRED_PERMISSIONS = (
    "apigateway:GET",
    "ce:GetCostAndUsage",
    "cloudfront:ListDistributions",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "ec2:DescribeAddresses",
    "ec2:DescribeVolumes",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTargetGroups",
    "lambda:GetFunctionUrlConfig",
    "lambda:GetPolicy",
    "lambda:ListFunctions",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetBucketAcl",
    "s3:GetBucketPolicyStatus",
    "s3:GetBucketPublicAccessBlock",
    "s3:ListAllMyBuckets",
    "wafv2:GetWebACLForResource",
)
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
           "UnauthorizedAccess", "NotAuthorized"}
_THROTTLED = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded",
              "SlowDown", "LimitExceededException"}


class _Missing:
    """The answer of an API whose 'not found' error means 'not configured'."""


MISSING = _Missing()


class NoCredentials(Exception):
    """No AWS credentials were found: nothing can be gathered."""


def permission_for(service: str, operation: str) -> str:
    """The IAM permission an API call needs: ``lambda:ListFunctions``."""
    if service in ("apigateway", "apigatewayv2"):
        return "apigateway:GET"  # API Gateway's management API is authorised per HTTP verb
    return _PERMISSION.get((service, operation), f"{_IAM_PREFIX.get(service, service)}:{operation}")


class Gatherer:
    """Calls AWS through one boto3 session and records what failed as warnings."""

    def __init__(self, session: Any, regions: list[str], *, max_attempts: int = 5) -> None:
        self.session = session
        self.regions = list(dict.fromkeys(regions)) or ["us-east-1"]
        self.home = self.regions[0]
        from botocore.config import Config  # (botocore is imported when AWS is read, not at start-up)

        self._config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts},
            connect_timeout=10, read_timeout=60, user_agent_extra="execbrief",
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self.warnings: list[dict[str, str]] = []
        self.scanned: list[str] = []
        self._repeats: dict[tuple[str, str, str], tuple[int, int]] = {}

    def client(self, service: str, region: str) -> Any:
        """One client per service and region, created on first use."""
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self.session.client(service, region_name=region, config=self._config)
        return self._clients[key]

    def call(self, service: str, region: str, method: str, *, missing: tuple[str, ...] = (),
             where: str | None = None, **kwargs: Any) -> Any:
        """One API call: its response, ``MISSING`` for a ``missing`` error code, or None on failure."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        client = self.client(service, region)
        try:
            return getattr(client, method)(**kwargs)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in missing:
                return MISSING
            self._warn(service, region, client, method, exc, where)
        except NoCredentialsError as exc:
            raise NoCredentials(str(exc)) from None
        except BotoCoreError as exc:
            self._warn(service, region, client, method, exc, where)
        return None

    def pages(self, service: str, region: str, method: str, key: str, *,
              keep: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
              missing: tuple[str, ...] = (), **kwargs: Any) -> list[dict[str, Any]] | None:
        """Every item of a paginated listing (``key`` may be dotted), or None on failure."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        client = self.client(service, region)
        items: list[dict[str, Any]] = []
        try:
            for page in client.get_paginator(method).paginate(**kwargs):
                found: Any = page
                for part in key.split("."):
                    found = (found or {}).get(part)
                for item in found or []:
                    items.append(keep(item) if keep else item)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in missing:
                return []
            self._warn(service, region, client, method, exc)
            return None
        except NoCredentialsError as exc:
            raise NoCredentials(str(exc)) from None
        except BotoCoreError as exc:
            self._warn(service, region, client, method, exc)
            return None
        return items

    def _warn(self, service: str, region: str, client: Any, method: str, exc: Exception,
              where: str | None = None) -> None:
        from botocore.exceptions import ClientError

        operation = client.meta.method_to_api_mapping.get(method, method)
        permission = permission_for(service, operation)
        subject = f" for {where}" if where else ""
        if isinstance(exc, ClientError):
            error = exc.response.get("Error", {})
            code = str(error.get("Code") or "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in _DENIED or status == 403:
                message = (f"access denied{subject}: grant the IAM permission {permission} to the identity "
                           "execbrief runs as (see the IAM policy in the README); this check was skipped")
            elif code in _THROTTLED:
                message = f"throttled{subject} even after retries with backoff: run again later; this check was skipped"
            else:
                detail = str(error.get("Message") or "").splitlines()[0][:160] if error.get("Message") else ""
                message = f"failed{subject} ({code or status}{': ' + detail if detail else ''}); this check was skipped"
        else:
            message = f"failed{subject} ({type(exc).__name__}: {exc}); check the network and the region name"
        api = f"{permission.split(':')[0]}:{operation}"
        key = (api, region, message.replace(subject, "", 1))
        if key in self._repeats:
            # one warning per API and region: a denied per-resource call would repeat for every resource
            first, count = self._repeats[key]
            self._repeats[key] = (first, count + 1)
            self.warnings[first]["message"] = f"{key[2]} ({count + 1} resources)"
            return
        self._repeats[key] = (len(self.warnings), 1)
        self.warnings.append({"api": api, "region": region, "permission": permission, "message": message})

    def web_acl(self, region: str, arn: str) -> tuple[str | None, bool]:
        """The web ACL ARN protecting a regional resource, and whether that could be checked."""
        found = self.call("wafv2", region, "get_web_acl_for_resource", where=arn, ResourceArn=arn)
        if found is None:
            return None, False
        acl = (found.get("WebACL") or {}) if isinstance(found, dict) else {}
        return acl.get("ARN"), True
