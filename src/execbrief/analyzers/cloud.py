"""Cloud security rules over AWS resource evidence: one finding per problem, with its fix.

The AWS source gathers each service once; every rule here is a small pure function over
that inventory (prowler-style). A rule's id is its name and the finding's ``name``. Each
finding names the resource, says why it matters, cites the resource ARN in ``sources``
and gives a concrete remediation in ``recommendation``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Sequence

from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import AWS

__all__ = ["analyze", "RULES", "SECRET_NAME", "looks_secret", "DEPRECATED_RUNTIMES"]

TOPICS = ("security", "tech", "cloud")

# Environment variable names that usually hold a credential. Names that point at a secret
# store (…_ARN, …_NAME, …_PATH) are the fix, not the problem, and public keys are public.
SECRET_NAME = re.compile(
    r"(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|(^|_)KEY$|(^|_)PWD$)", re.I
)
_NOT_SECRET = re.compile(r"(PUBLIC|PUBLISHABLE)|(_ARN|_NAME|_PATH|_PARAM|_PARAMETER|_ID_REF)$", re.I)

# Conditions that tie a public statement to one caller (a service's source ARN, an account…).
_SCOPING_KEYS = {
    "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:principalorgid", "aws:principalaccount",
    "aws:principalarn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
}
_URL_AUTH_KEY = "lambda:functionurlauthtype"

# Lambda runtimes and the day AWS stopped patching them (AWS Lambda runtime deprecation policy).
DEPRECATED_RUNTIMES = {
    "nodejs12.x": date(2023, 3, 31), "nodejs14.x": date(2023, 12, 4), "nodejs16.x": date(2024, 6, 12),
    "nodejs18.x": date(2025, 9, 1), "python3.7": date(2023, 12, 4), "python3.8": date(2024, 10, 14),
    "python3.9": date(2025, 12, 15), "go1.x": date(2024, 1, 8), "ruby2.7": date(2023, 12, 7),
    "java8": date(2024, 1, 8), "dotnet6": date(2024, 12, 20),
}
_NEXT_RUNTIME = {"nodejs": "nodejs22.x", "python": "python3.13", "go1": "provided.al2023", "ruby": "ruby3.3",
                 "java": "java21", "dotnet": "dotnet8"}
_LIST_MAX = 5


@dataclass
class Inventory:
    """The AWS resources among the evidence, by type."""

    by_type: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, evidence: Sequence[Evidence]) -> "Inventory":
        inv = cls()
        for ev in evidence:
            if ev.source == "aws" and ev.kind == "resource":
                inv.by_type[str(ev.record.get("type"))].append(ev)
        return inv

    def __getitem__(self, kind: str) -> list[Evidence]:
        return self.by_type.get(kind, [])


def looks_secret(name: str) -> bool:
    """Whether an environment variable name looks like it holds a credential."""
    return bool(SECRET_NAME.search(name)) and not _NOT_SECRET.search(name)


def _finding(rule: str, severity: str, statement: str, recommendation: str, evs: Sequence[Evidence],
             key: str | None = None, org_wide: bool = False) -> Fact:
    first = evs[0]
    return Fact(
        id=stable_id("f", rule, key or first.provenance.path), kind="finding", name=rule,
        entity=None if org_wide else first.entity, topics=TOPICS, severity=severity,  # type: ignore[arg-type]
        statement=statement, recommendation=recommendation,
        evidence=tuple(dict.fromkeys(e.id for e in evs)),
        sources=tuple(dict.fromkeys(e.provenance.path for e in evs)),
    )


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_LIST_MAX])
    return shown + (f" and {len(items) - _LIST_MAX} more" if len(items) > _LIST_MAX else "")


def _fn(ev: Evidence) -> str:
    return f"Lambda function {ev.record.get('name') or ev.record['id']} ({ev.record['region']})"


def lambda_function_url_auth_none(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """A function URL with auth type NONE lets anyone on the internet invoke the function."""
    return [
        _finding("lambda_function_url_auth_none", "high",
                 f"{_fn(ev)} is public through a function URL with auth type NONE: anyone who finds the URL "
                 "can call it, as often as they like.",
                 "Set the function URL's auth type to AWS_IAM and serve it through CloudFront with origin access "
                 "control, or through an API Gateway route with an authorizer; if it must stay open, verify a "
                 "signed token inside the function and set reserved concurrency to cap abuse", [ev])
        for ev in inv["function"] if ev.record.get("url_auth_type") == "NONE"
    ]


def lambda_policy_public(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """A resource policy statement that lets anyone invoke the function, with no source condition."""
    facts = []
    for ev in inv["function"]:
        for st in ev.record.get("public_statements") or []:
            keys = {str(k).lower() for k in st.get("condition_keys") or []}
            if keys & _SCOPING_KEYS or keys == {_URL_AUTH_KEY}:
                continue  # scoped to one caller, or the function URL's own statement (rule above)
            sid = st.get("sid") or "(no Sid)"
            actions = ", ".join(st.get("actions") or ["lambda:*"])
            facts.append(_finding(
                "lambda_policy_public", "high",
                f"The resource policy of {_fn(ev)} lets anyone (Principal \"*\") call {actions} with no source "
                f"condition (statement {sid}).",
                f"Remove the statement (aws lambda remove-permission --function-name {ev.record['id']} "
                f"--statement-id {sid}), or limit it with aws:SourceArn or aws:SourceAccount to the one "
                "service that must invoke the function", [ev], key=f"{ev.provenance.path}#{sid}"))
    return facts


def api_route_without_auth(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """REST methods and HTTP routes with no authorizer (CORS preflight OPTIONS aside)."""
    facts = []
    for ev in inv["rest_api"]:
        methods = [m for m in ev.record.get("open_methods") or [] if m.get("method") != "OPTIONS"]
        if not methods:
            continue
        private = "PRIVATE" in (ev.record.get("endpoint_types") or [])
        keyed = all(m.get("api_key_required") for m in methods)
        names = [f"{m['method']} {m.get('path', '/')}" for m in methods]
        facts.append(_finding(
            "api_route_without_auth", "medium" if private or keyed else "high",
            f"API Gateway REST API {ev.record.get('name')} ({ev.record['id']}, {ev.record['region']}) has "
            f"{len(names)} method{'s' if len(names) != 1 else ''} with no authorizer: {_listed(names)}"
            + (" (API keys identify callers but do not authenticate them)." if keyed else "."),
            "Attach a Cognito, Lambda or IAM authorizer to each of these methods, or make the API private if "
            "only internal callers use it", [ev]))
    for ev in inv["http_api"]:
        routes = [r for r in ev.record.get("open_routes") or [] if not str(r).startswith("OPTIONS ")]
        if not routes:
            continue
        facts.append(_finding(
            "api_route_without_auth", "high",
            f"API Gateway HTTP API {ev.record.get('name')} ({ev.record['id']}, {ev.record['region']}) has "
            f"{len(routes)} route{'s' if len(routes) != 1 else ''} with no authorizer: {_listed(routes)}.",
            "Attach a JWT, Lambda or IAM authorizer to these routes (aws apigatewayv2 update-route "
            "--authorization-type JWT --authorizer-id …)", [ev]))
    return facts


_WAF_FIX = ("Associate an AWS WAF web ACL with a rate-based rule and the AWS managed common rule set "
            "(aws wafv2 associate-web-acl --web-acl-arn … --resource-arn {arn})")
_EDGE_FIX = ("Put a CloudFront distribution with an AWS WAF web ACL (a rate-based rule and the AWS managed "
             "common rule set) in front of it, and only accept traffic from CloudFront")


def public_endpoint_without_waf(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """Internet-facing endpoints with no AWS WAF web ACL between them and bots or abuse."""
    rule, facts = "public_endpoint_without_waf", []
    for ev in inv["function"]:
        if ev.record.get("url_auth_type") == "NONE":
            facts.append(_finding(rule, "medium", f"The function URL of {_fn(ev)} has no web application "
                                  "firewall in front of it (a function URL cannot take a web ACL itself).",
                                  _EDGE_FIX, [ev]))
    for ev in inv["rest_api"]:
        if "PRIVATE" in (ev.record.get("endpoint_types") or []):
            continue
        for stage in ev.record.get("stages") or []:
            if stage.get("waf_checked") and not stage.get("web_acl"):
                facts.append(_finding(
                    rule, "medium", f"API Gateway stage {ev.record.get('name')}/{stage['name']} "
                    f"({ev.record['region']}) has no AWS WAF web ACL.",
                    _WAF_FIX.format(arn=stage["arn"]), [ev], key=stage["arn"]))
    for ev in inv["http_api"]:
        if not ev.record.get("execute_api_disabled"):
            facts.append(_finding(
                rule, "medium", f"API Gateway HTTP API {ev.record.get('name')} ({ev.record['id']}, "
                f"{ev.record['region']}) is public with no web application firewall (HTTP APIs cannot take a web ACL).",
                _EDGE_FIX, [ev]))
    for ev in inv["distribution"]:
        if ev.record.get("enabled", True) and ev.record.get("waf_checked", True) and not ev.record.get("web_acl"):
            names = ev.record.get("aliases") or [ev.record.get("domain") or ev.record["id"]]
            facts.append(_finding(
                rule, "medium", f"CloudFront distribution {ev.record['id']} ({_listed(names)}) has no AWS WAF web ACL.",
                "Create a CLOUDFRONT-scope AWS WAF web ACL with a rate-based rule and the AWS managed common "
                "and bot-control rule sets, and attach it to the distribution", [ev]))
    for ev in inv["load_balancer"]:
        r = ev.record
        if r.get("lb_type") == "application" and r.get("scheme") == "internet-facing" and r.get("waf_checked") \
                and not r.get("web_acl"):
            facts.append(_finding(rule, "medium", f"Internet-facing load balancer {r.get('name')} ({r['region']}) "
                                  "has no AWS WAF web ACL.", _WAF_FIX.format(arn=r["arn"]), [ev]))
    return facts


def _flags_on(block: object) -> bool:
    return isinstance(block, dict) and bool(block) and all(block.values())


def s3_public_access_not_blocked(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """Public buckets (high), and an account-level Block Public Access that is off (medium)."""
    rule, facts = "s3_public_access_not_blocked", []
    accounts = inv["account_public_access_block"]
    acct = accounts[0].record.get("block") if accounts else {}
    acct = acct if isinstance(acct, dict) else {}
    unprotected = []
    for ev in sorted(inv["bucket"], key=lambda e: e.record["id"]):
        block = ev.record.get("block") if isinstance(ev.record.get("block"), dict) else {}
        restrict = block.get("RestrictPublicBuckets") or acct.get("RestrictPublicBuckets")
        ignore_acls = block.get("IgnorePublicAcls") or acct.get("IgnorePublicAcls")
        how = []
        if ev.record.get("policy_public") and not restrict:
            how.append("its bucket policy allows anyone")
        if ev.record.get("acl_public") and not ignore_acls:
            how.append("its ACL grants access to all users")
        if how:
            facts.append(_finding(
                rule, "high", f"S3 bucket {ev.record['id']} is public: {' and '.join(how)}, and no public access "
                "block stops it.",
                f"Turn on all four Block Public Access settings for the bucket (aws s3api put-public-access-block "
                f"--bucket {ev.record['id']} …) and for the account; if it serves a website, serve it through "
                "CloudFront with origin access control instead", [ev]))
        elif ev.record.get("block_checked", True) and not _flags_on(block):
            unprotected.append(ev)
    if accounts and not _flags_on(acct):
        names = [e.record["id"] for e in unprotected]
        tail = (f", and {len(names)} bucket{'s have' if len(names) != 1 else ' has'} no full block of its own: "
                f"{_listed(names)}. One policy or ACL change would make {'them' if len(names) != 1 else 'it'} public."
                if names else ": a new bucket, or one policy change, can make data public.")
        facts.append(_finding(
            rule, "medium", f"S3 Block Public Access is off for AWS account {accounts[0].record['id']}{tail}",
            "Turn on all four Block Public Access settings for the account (aws s3control put-public-access-block "
            f"--account-id {accounts[0].record['id']} …) after checking that no bucket must stay public",
            [accounts[0], *unprotected], org_wide=True))
    return facts


def cloudtrail_not_logging(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """No trail recording API activity (high); a trail that stopped while another logs (low)."""
    rule, facts = "cloudtrail_not_logging", []
    for account in inv["account"]:
        scanned = [s for s in account.record.get("scanned") or [] if str(s).startswith("cloudtrail:")]
        if not scanned:
            continue  # CloudTrail could not be read: the warning says so; claim nothing
        acct = account.record["id"]
        trails = [t for t in inv["trail"] if t.record.get("account") == acct]
        logging = [t for t in trails if t.record.get("is_logging")]
        stopped = [t for t in trails if t.record.get("is_logging") is False]
        if not trails:
            facts.append(_finding(
                rule, "high", f"AWS account {acct} has no CloudTrail trail: nobody can tell afterwards who "
                "changed or deleted what.",
                "Create a multi-region trail with log file validation, writing to an S3 bucket with Block Public "
                "Access on (aws cloudtrail create-trail --is-multi-region-trail --enable-log-file-validation …), "
                "start it, and alert on StopLogging", [account], org_wide=True))
        elif not logging and stopped:
            names = [t.record.get("name") or t.record["id"] for t in stopped]
            facts.append(_finding(
                rule, "high", f"CloudTrail is not logging in AWS account {acct}: trail {_listed(names)} exists "
                "but records nothing, so nobody can tell afterwards who changed or deleted what.",
                f"Start logging (aws cloudtrail start-logging --name {names[0]}), make the trail multi-region with "
                "log file validation, and alert on StopLogging events", [*stopped, account],
                key=f"{acct}#none-logging", org_wide=True))
        elif logging:
            for t in stopped:
                facts.append(_finding(
                    rule, "low", f"CloudTrail trail {t.record.get('name')} ({t.record['region']}) is not logging "
                    "(another trail is).",
                    f"Start it (aws cloudtrail start-logging --name {t.record.get('name')}) or delete it", [t]))
    return facts


def lambda_secret_env_names(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """Secret-looking environment variable names: the values sit in plain function configuration."""
    facts = []
    for ev in inv["function"]:
        names = sorted(n for n in ev.record.get("env_var_names") or [] if looks_secret(str(n)))
        if not names:
            continue
        facts.append(_finding(
            "lambda_secret_env_names", "medium",
            f"{_fn(ev)} keeps {len(names)} secret-looking environment variable{'s' if len(names) != 1 else ''} "
            f"in plain configuration ({_listed(names)}): anyone allowed to read the function's configuration "
            "can read them.",
            "Move these values to AWS Secrets Manager or SSM Parameter Store (SecureString), read them at "
            "start-up with the function's role, rotate them, and delete the variables", [ev]))
    return facts


def lambda_runtime_deprecated(inv: Inventory, ctx: AnalysisContext) -> list[Fact]:
    """A function on a runtime AWS no longer patches."""
    facts = []
    for ev in inv["function"]:
        runtime = str(ev.record.get("runtime") or "")
        ended = DEPRECATED_RUNTIMES.get(runtime)
        if ended is None or ended > ctx.as_of:
            continue
        family = next((nxt for prefix, nxt in _NEXT_RUNTIME.items() if runtime.startswith(prefix)), None)
        target = f"a supported runtime such as {family}" if family else "a supported runtime"
        facts.append(_finding(
            "lambda_runtime_deprecated", "medium",
            f"{_fn(ev)} runs {runtime}, which AWS Lambda stopped patching on {ended.isoformat()}.",
            f"Upgrade it to {target}, run its tests, and redeploy", [ev]))
    return facts


RULES: tuple[Callable[[Inventory, AnalysisContext], list[Fact]], ...] = (
    lambda_function_url_auth_none,
    lambda_policy_public,
    api_route_without_auth,
    public_endpoint_without_waf,
    s3_public_access_not_blocked,
    cloudtrail_not_logging,
    lambda_secret_env_names,
    lambda_runtime_deprecated,
)


@rule(reads=AWS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Every cloud security finding over the AWS resources in ``evidence``."""
    inv = Inventory.of(evidence)
    if not inv.by_type:
        return []
    facts: list[Fact] = []
    for rule in RULES:
        facts += rule(inv, ctx)
    return facts
