"""What execbrief reads from each AWS service, and the whole inventory in the snapshot format.

Each function lists one service once per region through a ``Gatherer`` (which turns a
denied or failing call into a warning) and returns resources as plain JSON data. The
rules that judge them live in ``analyzers/cloud.py`` and ``analyzers/cost.py``.

Lambda environment variable *values* are dropped as each page of ``ListFunctions``
arrives; only the variable names are kept.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any

from .aws_cost import cost_window, fetch_costs
from .aws_gather import SNAPSHOT_FORMAT, Gatherer, NoCredentials

__all__ = ["gather_inventory", "public_statements"]

_PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",
                  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def identity(g: Gatherer) -> dict[str, str] | None:
    """The account id and caller ARN (sts:GetCallerIdentity needs no permission)."""
    found = g.call("sts", g.home, "get_caller_identity")
    if not isinstance(found, dict):
        return None
    return {"account": found["Account"], "arn": found["Arn"]}


def lambda_functions(g: Gatherer, region: str) -> list[dict[str, Any]]:
    """Functions with their URL auth type, public policy statements and env var names."""
    functions = g.pages("lambda", region, "list_functions", "Functions", keep=_without_env_values)
    if functions is None:
        return []
    g.scanned.append(f"lambda:{region}")
    out = []
    for fn in functions:
        name = fn["FunctionName"]
        url = g.call("lambda", region, "get_function_url_config", where=name,
                     missing=("ResourceNotFoundException",), FunctionName=name)
        policy = g.call("lambda", region, "get_policy", where=name,
                        missing=("ResourceNotFoundException",), FunctionName=name)
        out.append(_resource("lambda", "function", name, fn["FunctionArn"], region, {
            "name": name,
            "runtime": fn.get("Runtime") or fn.get("PackageType"),
            "function_url": url.get("FunctionUrl") if isinstance(url, dict) else None,
            "url_auth_type": url.get("AuthType") if isinstance(url, dict) else None,
            "url_checked": url is not None,
            "public_statements": public_statements(policy["Policy"]) if isinstance(policy, dict) else [],
            "policy_checked": policy is not None,
            "env_var_names": fn["env_var_names"],
        }))
    return out


def rest_apis(g: Gatherer, region: str) -> list[dict[str, Any]]:
    """REST APIs: methods without authorization (OPTIONS aside) and stages with their web ACL."""
    apis = g.pages("apigateway", region, "get_rest_apis", "items")
    if apis is None:
        return []
    g.scanned.append(f"apigateway:{region}")
    out = []
    for api in apis:
        api_id, api_name = api["id"], api.get("name") or api["id"]
        methods = g.pages("apigateway", region, "get_resources", "items",
                          restApiId=api_id, embed=["methods"]) or []
        open_methods = []
        for res in methods:
            for verb, method in sorted((res.get("resourceMethods") or {}).items()):
                if verb == "OPTIONS":
                    continue  # CORS preflight must be unauthenticated
                if "authorizationType" not in method:
                    method = g.call("apigateway", region, "get_method", where=api_name, restApiId=api_id,
                                    resourceId=res["id"], httpMethod=verb) or {}
                if method.get("authorizationType") == "NONE":
                    open_methods.append({"method": verb, "path": res.get("path", "/"),
                                         "api_key_required": bool(method.get("apiKeyRequired"))})
        stages = g.call("apigateway", region, "get_stages", where=api_name, restApiId=api_id)
        stage_list = []
        for stage in (stages or {}).get("item", []) if isinstance(stages, dict) else []:
            arn = f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/{stage['stageName']}"
            acl, checked = g.web_acl(region, arn)
            stage_list.append({"name": stage["stageName"], "arn": arn, "web_acl": acl, "waf_checked": checked})
        out.append(_resource("apigateway", "rest_api", api_id, f"arn:aws:apigateway:{region}::/restapis/{api_id}",
                             region, {
                                 "name": api_name,
                                 "endpoint_types": list((api.get("endpointConfiguration") or {}).get("types") or []),
                                 "open_methods": open_methods,
                                 "stages": stage_list,
                             }))
    return out


def http_apis(g: Gatherer, region: str) -> list[dict[str, Any]]:
    """HTTP APIs and their routes without authorization (OPTIONS aside)."""
    apis = g.pages("apigatewayv2", region, "get_apis", "Items")
    if apis is None:
        return []
    g.scanned.append(f"apigatewayv2:{region}")
    out = []
    for api in apis:
        if api.get("ProtocolType") != "HTTP":
            continue
        api_id = api["ApiId"]
        routes = g.pages("apigatewayv2", region, "get_routes", "Items", ApiId=api_id) or []
        open_routes = sorted(
            r["RouteKey"] for r in routes
            if (r.get("AuthorizationType") or "NONE") == "NONE" and not r["RouteKey"].startswith("OPTIONS ")
        )
        out.append(_resource("apigatewayv2", "http_api", api_id, f"arn:aws:apigateway:{region}::/apis/{api_id}",
                             region, {
                                 "name": api.get("Name") or api_id,
                                 "endpoint": api.get("ApiEndpoint"),
                                 "execute_api_disabled": bool(api.get("DisableExecuteApiEndpoint")),
                                 "open_routes": open_routes,
                             }))
    return out


def load_balancers(g: Gatherer, region: str) -> list[dict[str, Any]]:
    """Load balancers: scheme, type, web ACL (application ones) and target group count."""
    balancers = g.pages("elbv2", region, "describe_load_balancers", "LoadBalancers")
    if balancers is None:
        return []
    g.scanned.append(f"elbv2:{region}")
    out = []
    for lb in balancers:
        arn, name = lb["LoadBalancerArn"], lb["LoadBalancerName"]
        acl, checked = (None, False)
        if lb.get("Type") == "application":
            acl, checked = g.web_acl(region, arn)
        groups = g.call("elbv2", region, "describe_target_groups", where=name,
                        missing=("TargetGroupNotFound",), LoadBalancerArn=arn)
        count = None if groups is None else len(groups.get("TargetGroups", [])) if isinstance(groups, dict) else 0
        out.append(_resource("elbv2", "load_balancer", name, arn, region, {
            "name": name, "lb_type": lb.get("Type"), "scheme": lb.get("Scheme"),
            "dns_name": lb.get("DNSName"), "web_acl": acl, "waf_checked": checked, "target_groups": count,
        }))
    return out


def idle_ec2(g: Gatherer, region: str, account: str | None) -> list[dict[str, Any]]:
    """Unattached EBS volumes and Elastic IPs associated with nothing: costs with no use."""
    out = []
    volumes = g.pages("ec2", region, "describe_volumes", "Volumes",
                      Filters=[{"Name": "status", "Values": ["available"]}])
    for vol in volumes or []:
        vid = vol["VolumeId"]
        out.append(_resource("ec2", "volume", vid, f"arn:aws:ec2:{region}:{account or ''}:volume/{vid}", region, {
            "size_gb": vol.get("Size"), "volume_type": vol.get("VolumeType"), "state": vol.get("State"),
        }))
    addresses = g.call("ec2", region, "describe_addresses")
    for addr in (addresses or {}).get("Addresses", []) if isinstance(addresses, dict) else []:
        if addr.get("AssociationId") or addr.get("InstanceId") or addr.get("NetworkInterfaceId"):
            continue
        aid = addr.get("AllocationId") or addr.get("PublicIp")
        out.append(_resource("ec2", "elastic_ip", aid, f"arn:aws:ec2:{region}:{account or ''}:elastic-ip/{aid}",
                             region, {"associated": False}))
    if volumes is not None and addresses is not None:
        g.scanned.append(f"ec2:{region}")
    return out


def cloudfront(g: Gatherer) -> list[dict[str, Any]]:
    """CloudFront distributions and the web ACL each one has (if any)."""
    dists = g.pages("cloudfront", "us-east-1", "list_distributions", "DistributionList.Items")
    if dists is None:
        return []
    g.scanned.append("cloudfront:global")
    return [
        _resource("cloudfront", "distribution", d["Id"], d["ARN"], "global", {
            "domain": d.get("DomainName"),
            "aliases": list((d.get("Aliases") or {}).get("Items") or []),
            "enabled": bool(d.get("Enabled", True)),
            "web_acl": d.get("WebACLId") or None,
            "waf_checked": True,
        })
        for d in dists
    ]


def s3(g: Gatherer, account: str | None) -> list[dict[str, Any]]:
    """The account's S3 public access block, and each bucket's block, policy status and ACL."""
    out = []
    if account:
        block = g.call("s3control", g.home, "get_public_access_block",
                       missing=("NoSuchPublicAccessBlockConfiguration",), AccountId=account)
        if block is not None:
            config = block.get("PublicAccessBlockConfiguration") if isinstance(block, dict) else None
            out.append(_resource("s3", "account_public_access_block", account, f"aws:s3:global:{account}",
                                 "global", {"block": _flags(config)}))
    listing = g.call("s3", g.home, "list_buckets")
    if not isinstance(listing, dict):
        return out
    g.scanned.append("s3:global")
    for bucket in listing.get("Buckets", []):
        name = bucket["Name"]
        region = bucket.get("BucketRegion") or g.home
        block = g.call("s3", region, "get_public_access_block", where=name,
                       missing=("NoSuchPublicAccessBlockConfiguration",), Bucket=name)
        status = g.call("s3", region, "get_bucket_policy_status", where=name,
                        missing=("NoSuchBucketPolicy",), Bucket=name)
        acl = g.call("s3", region, "get_bucket_acl", where=name, Bucket=name)
        out.append(_resource("s3", "bucket", name, f"arn:aws:s3:::{name}", region, {
            "block": None if block is None else _flags(
                block.get("PublicAccessBlockConfiguration") if isinstance(block, dict) else None),
            "block_checked": block is not None,
            "policy_public": None if status is None else (
                bool(status.get("PolicyStatus", {}).get("IsPublic")) if isinstance(status, dict) else False),
            "acl_public": None if not isinstance(acl, dict) else any(
                (g.get("Grantee") or {}).get("URI") in _PUBLIC_GROUPS for g in acl.get("Grants", [])),
        }))
    return out


def trails(g: Gatherer) -> list[dict[str, Any]]:
    """CloudTrail trails (each once, multi-region ones included) and whether each logs."""
    seen: dict[str, dict[str, Any]] = {}
    for region in g.regions:
        found = g.call("cloudtrail", region, "describe_trails", includeShadowTrails=True)
        if not isinstance(found, dict):
            continue
        g.scanned.append(f"cloudtrail:{region}")
        for trail in found.get("trailList", []):
            seen.setdefault(trail["TrailARN"], trail)
    out = []
    for arn, trail in sorted(seen.items()):
        home = trail.get("HomeRegion") or g.home
        status = g.call("cloudtrail", home, "get_trail_status", where=trail["Name"], Name=arn)
        out.append(_resource("cloudtrail", "trail", trail["Name"], arn, home, {
            "name": trail["Name"],
            "multi_region": bool(trail.get("IsMultiRegionTrail")),
            "is_logging": status.get("IsLogging") if isinstance(status, dict) else None,
            "s3_bucket": trail.get("S3BucketName"),
        }))
    return out


def public_statements(policy: str) -> list[dict[str, Any]]:
    """The Allow statements of a resource policy whose principal is everyone."""
    try:
        doc = json.loads(policy)
    except (TypeError, ValueError):
        return []
    statements = doc.get("Statement", [])
    out = []
    for st in statements if isinstance(statements, list) else [statements]:
        if not isinstance(st, dict) or st.get("Effect") != "Allow" or not _everyone(st.get("Principal")):
            continue
        keys = {k for op in (st.get("Condition") or {}).values() if isinstance(op, dict) for k in op}
        if "FunctionUrlAuthType" in st:  # moto's spelling of the function-URL condition
            keys.add("lambda:FunctionUrlAuthType")
        actions = st.get("Action") or []
        out.append({"sid": str(st.get("Sid") or ""),
                    "actions": [actions] if isinstance(actions, str) else list(actions),
                    "condition_keys": sorted(keys)})
    return out


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        aws = principal.get("AWS")
        return aws == "*" or (isinstance(aws, list) and "*" in aws)
    return False


def _without_env_values(fn: dict[str, Any]) -> dict[str, Any]:
    # Values may be secrets: keep the names only, and drop the values straight away.
    env = fn.pop("Environment", None) or {}
    fn["env_var_names"] = sorted((env.get("Variables") or {}).keys())
    env.clear()
    return fn


def _flags(config: dict[str, Any] | None) -> dict[str, bool]:
    names = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
    return {n: bool((config or {}).get(n)) for n in names}


def _resource(service: str, kind: str, rid: str, arn: str, region: str, attrs: dict[str, Any]) -> dict[str, Any]:
    return {"service": service, "type": kind, "id": rid, "arn": arn, "region": region, "attributes": attrs}


def gather_inventory(session: Any, regions: list[str], *, as_of: date, cache_dir: Any = None,
                     costs: bool = True, max_attempts: int = 5) -> dict[str, Any]:
    """The whole inventory of an account, in the snapshot format (``SNAPSHOT_FORMAT``)."""
    g = Gatherer(session, regions, max_attempts=max_attempts)
    taken_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    inventory: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT, "taken_at": taken_at, "as_of": as_of.isoformat(),
        "account": None, "caller_arn": None, "regions": g.regions, "scanned": [],
        "resources": [], "costs": None, "warnings": [],
    }
    try:
        who = identity(g)
        if who is None:
            inventory["warnings"] = g.warnings
            return inventory
        inventory["account"], inventory["caller_arn"] = who["account"], who["arn"]
        account = who["account"]
        resources: list[dict[str, Any]] = []
        for region in g.regions:
            resources += lambda_functions(g, region)
            resources += rest_apis(g, region)
            resources += http_apis(g, region)
            resources += load_balancers(g, region)
            resources += idle_ec2(g, region, account)
        resources += cloudfront(g)
        resources += s3(g, account)
        resources += trails(g)
        inventory["resources"] = resources
        if costs:
            start, end = cost_window(as_of)
            inventory["costs"] = fetch_costs(g, account, start, end, cache_dir)
    except NoCredentials:
        g.warnings.append({
            "api": "sts:GetCallerIdentity", "region": g.home, "permission": "",
            "message": ("no AWS credentials found: set AWS_PROFILE or [sources.aws] profile, or the "
                        "standard AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY variables, or read a snapshot "
                        "with [sources.aws] snapshot"),
        })
    inventory["scanned"] = sorted(set(g.scanned))
    inventory["warnings"] = g.warnings
    return inventory
