"""Cloud security rules: each finding is produced when planted and absent without it."""

from __future__ import annotations

from datetime import date

import pytest

from aws_helpers import ACCOUNT, BLOCK_OFF, BLOCK_ON, context, evidence, inventory, res
from execbrief.analyzers import analyze, cloud


def findings(*resources, scanned=None, as_of=None, rule=None):
    facts = cloud.analyze(evidence(inventory(*resources, scanned=scanned)), context(as_of or date(2026, 11, 23)))
    return [f for f in facts if rule is None or f.name == rule]


def fn(name="booking", **attrs):
    base = {"name": name, "runtime": "python3.12", "function_url": None, "url_auth_type": None,
            "public_statements": [], "env_var_names": []}
    return res("function", name, **(base | attrs))


FN_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:booking"
URL_STATEMENT = {"sid": "FunctionURLAllowPublicAccess", "actions": ["lambda:InvokeFunctionUrl"],
                 "condition_keys": ["lambda:FunctionUrlAuthType"]}


# -- lambda ------------------------------------------------------------------------------


def test_function_url_with_auth_none_is_a_high_finding_citing_the_function_arn():
    [f] = findings(fn(url_auth_type="NONE", public_statements=[URL_STATEMENT]), rule="lambda_function_url_auth_none")
    assert f.severity == "high" and f.kind == "finding"
    assert f.sources == (FN_ARN,) and "auth type NONE" in f.statement
    assert "AWS_IAM" in f.recommendation
    assert set(f.topics) >= {"security", "tech", "cloud"}


def test_function_url_with_iam_auth_or_no_url_is_not_a_finding():
    assert not findings(fn(url_auth_type="AWS_IAM"), fn("worker"), rule="lambda_function_url_auth_none")


def test_resource_policy_open_to_anyone_without_condition_is_a_high_finding():
    open_statement = {"sid": "anyone", "actions": ["lambda:InvokeFunction"], "condition_keys": []}
    [f] = findings(fn(public_statements=[open_statement]), rule="lambda_policy_public")
    assert f.severity == "high" and "--statement-id anyone" in f.recommendation


@pytest.mark.parametrize("keys", [["AWS:SourceArn"], ["aws:SourceAccount"], ["lambda:FunctionUrlAuthType"]])
def test_public_statement_scoped_to_a_source_or_to_the_function_url_is_not_a_policy_finding(keys):
    statement = {"sid": "s", "actions": ["lambda:InvokeFunction"], "condition_keys": keys}
    assert not findings(fn(public_statements=[statement]), rule="lambda_policy_public")


def test_secret_looking_env_names_are_a_medium_finding_naming_them_and_secrets_manager():
    names = ["BOOKING_TABLE", "DB_PASSWORD", "STRIPE_SECRET_KEY", "SLACK_TOKEN"]
    [f] = findings(fn(env_var_names=names), rule="lambda_secret_env_names")
    assert f.severity == "medium"
    assert "DB_PASSWORD, SLACK_TOKEN, STRIPE_SECRET_KEY" in f.statement and "BOOKING_TABLE" not in f.statement
    assert "Secrets Manager" in f.recommendation


def test_env_names_that_are_not_secrets_are_not_a_finding():
    names = ["TABLE_NAME", "STRIPE_PUBLISHABLE_KEY", "DB_SECRET_ARN", "LOG_LEVEL", "KEYBOARD_LAYOUT"]
    assert not findings(fn(env_var_names=names), rule="lambda_secret_env_names")


@pytest.mark.parametrize("name, secret", [
    ("STRIPE_SECRET_KEY", True), ("API_KEY", True), ("APIKEY", True), ("GITHUB_TOKEN", True),
    ("db_password", True), ("AWS_ACCESS_KEY_ID", True), ("PRIVATE_KEY", True), ("KEY", True),
    ("SIGNING_KEY", True), ("PUBLIC_KEY", False), ("SECRET_ARN", False), ("PARAMETER_PATH", False),
    ("MONKEY", False), ("TABLE", False),
])
def test_looks_secret(name, secret):
    assert cloud.looks_secret(name) is secret


def test_runtime_past_its_deprecation_date_is_a_medium_finding_with_the_date():
    [f] = findings(fn(runtime="nodejs16.x"), rule="lambda_runtime_deprecated")
    assert f.severity == "medium" and "2024-06-12" in f.statement and "nodejs22.x" in f.recommendation


def test_runtime_still_supported_on_the_as_of_date_is_not_a_finding():
    assert not findings(fn(runtime="python3.9"), as_of=date(2025, 1, 1), rule="lambda_runtime_deprecated")
    assert not findings(fn(runtime="nodejs22.x"), rule="lambda_runtime_deprecated")


# -- api gateway ---------------------------------------------------------------------------


def rest(methods, endpoint="REGIONAL", stages=()):
    return res("rest_api", "abc123", name="bookings", endpoint_types=[endpoint], open_methods=methods,
               stages=list(stages))


def test_rest_method_without_authorizer_is_high_and_lists_the_method():
    [f] = findings(rest([{"method": "POST", "path": "/book", "api_key_required": False}]),
                   rule="api_route_without_auth")
    assert f.severity == "high" and "POST /book" in f.statement and "authorizer" in f.recommendation


def test_rest_methods_guarded_only_by_api_keys_or_in_a_private_api_are_medium():
    keyed = [{"method": "GET", "path": "/", "api_key_required": True}]
    assert [f.severity for f in findings(rest(keyed), rule="api_route_without_auth")] == ["medium"]
    open_ = [{"method": "GET", "path": "/", "api_key_required": False}]
    assert [f.severity for f in findings(rest(open_, "PRIVATE"), rule="api_route_without_auth")] == ["medium"]


def test_options_only_and_authorized_apis_are_not_route_findings():
    preflight = [{"method": "OPTIONS", "path": "/", "api_key_required": False}]
    http = res("http_api", "h1", name="orders", open_routes=["OPTIONS /orders"], execute_api_disabled=True)
    assert not findings(rest(preflight), rest([]), http, rule="api_route_without_auth")


def test_http_route_without_authorizer_is_high():
    http = res("http_api", "h1", name="orders", open_routes=["POST /orders", "$default"])
    [f] = findings(http, rule="api_route_without_auth")
    assert f.severity == "high" and "POST /orders" in f.statement and "$default" in f.statement


# -- waf ------------------------------------------------------------------------------------


STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod"


def test_public_endpoints_without_web_acl_are_medium_findings_one_each():
    stage = {"name": "prod", "arn": STAGE_ARN, "web_acl": None, "waf_checked": True}
    planted = [
        fn(url_auth_type="NONE"),
        rest([], stages=[stage]),
        res("distribution", "E1", domain="d1.cloudfront.net", aliases=["book.example.com"], enabled=True,
            web_acl=None, waf_checked=True),
        res("load_balancer", "web", name="web", lb_type="application", scheme="internet-facing", web_acl=None,
            waf_checked=True, target_groups=1),
        res("http_api", "h1", name="orders", open_routes=[], execute_api_disabled=False),
    ]
    found = findings(*planted, rule="public_endpoint_without_waf")
    assert len(found) == 5 and {f.severity for f in found} == {"medium"}
    assert any(STAGE_ARN in f.recommendation for f in found)
    assert any("book.example.com" in f.statement for f in found)


def test_endpoints_with_a_web_acl_private_internal_or_unchecked_are_not_waf_findings():
    acl = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/edge/1"
    planted = [
        fn(url_auth_type="AWS_IAM"),
        rest([], stages=[{"name": "prod", "arn": STAGE_ARN, "web_acl": acl, "waf_checked": True}]),
        rest([], "PRIVATE", stages=[{"name": "p", "arn": STAGE_ARN + "x", "web_acl": None, "waf_checked": True}]),
        res("distribution", "E1", domain="d1.cloudfront.net", aliases=[], enabled=True, web_acl="acl-id",
            waf_checked=True),
        res("load_balancer", "int", name="int", lb_type="application", scheme="internal", web_acl=None, waf_checked=True),
        res("load_balancer", "denied", name="denied", lb_type="application", scheme="internet-facing", web_acl=None,
            waf_checked=False),
        res("http_api", "h1", name="orders", open_routes=[], execute_api_disabled=True),
    ]
    assert not findings(*planted, rule="public_endpoint_without_waf")


# -- s3 -------------------------------------------------------------------------------------


def bucket(name, block, **attrs):
    return res("bucket", name, block=block, block_checked=True,
               **({"policy_public": False, "acl_public": False} | attrs))


def account_block(block):
    return res("account_public_access_block", ACCOUNT, region="global", block=block)


def test_public_bucket_is_high_and_cites_the_bucket():
    found = findings(account_block(BLOCK_OFF), bucket("open", BLOCK_OFF, policy_public=True),
                     rule="s3_public_access_not_blocked")
    [high] = [f for f in found if f.severity == "high"]
    assert high.sources == ("arn:aws:s3:::open",) and "bucket policy allows anyone" in high.statement
    assert "put-public-access-block --bucket open" in high.recommendation


def test_public_acl_is_high_unless_public_acls_are_ignored():
    assert [f.severity for f in findings(bucket("acl", BLOCK_OFF, acl_public=True),
                                         rule="s3_public_access_not_blocked")] == ["high"]
    ignoring = BLOCK_OFF | {"IgnorePublicAcls": True}
    assert not findings(bucket("acl", ignoring, acl_public=True), rule="s3_public_access_not_blocked")


def test_public_policy_neutralised_by_a_restricting_block_is_not_high():
    found = findings(account_block(BLOCK_ON), bucket("open", BLOCK_OFF, policy_public=True),
                     rule="s3_public_access_not_blocked")
    assert not found


def test_account_block_off_is_one_medium_finding_naming_unprotected_buckets():
    found = findings(account_block(BLOCK_OFF), bucket("backups", BLOCK_OFF), bucket("site", BLOCK_ON),
                     rule="s3_public_access_not_blocked")
    [f] = found
    assert f.severity == "medium" and "backups" in f.statement and "site" not in f.statement
    assert f.sources == (f"aws:s3:global:{ACCOUNT}", "arn:aws:s3:::backups")


def test_account_block_fully_on_gives_no_s3_finding():
    assert not findings(account_block(BLOCK_ON), bucket("backups", BLOCK_OFF), rule="s3_public_access_not_blocked")


# -- cloudtrail -----------------------------------------------------------------------------


def trail(name, logging):
    return res("trail", name, name=name, multi_region=True, is_logging=logging, s3_bucket="logs")


def test_no_trail_at_all_is_high():
    [f] = findings(rule="cloudtrail_not_logging")
    assert f.severity == "high" and "no CloudTrail trail" in f.statement and "create-trail" in f.recommendation


def test_trail_that_does_not_log_is_high_when_no_other_trail_logs():
    [f] = findings(trail("main", False), rule="cloudtrail_not_logging")
    assert f.severity == "high" and "start-logging --name main" in f.recommendation
    assert f.sources[0] == f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"


def test_stopped_trail_beside_a_logging_one_is_low_and_a_logging_trail_is_fine():
    assert [f.severity for f in findings(trail("a", True), trail("b", False), rule="cloudtrail_not_logging")] == ["low"]
    assert not findings(trail("a", True), rule="cloudtrail_not_logging")


def test_cloudtrail_that_could_not_be_read_is_not_claimed_to_be_off():
    assert not findings(scanned=["lambda:us-east-1"], rule="cloudtrail_not_logging")


# -- the whole analyzer --------------------------------------------------------------------


def test_clean_account_has_no_cloud_findings():
    clean = [fn(env_var_names=["TABLE"]), account_block(BLOCK_ON), bucket("b", BLOCK_ON), trail("main", True)]
    assert findings(*clean) == []


def test_cloud_findings_are_registered_and_turn_into_dated_remediation_actions():
    ev = evidence(inventory(fn(url_auth_type="NONE")))
    facts, failures = analyze(ev, context())
    assert not failures
    names = {f.name for f in facts}
    assert {"lambda_function_url_auth_none", "public_endpoint_without_waf", "remediation"} <= names
    action = next(f for f in facts if f.name == "remediation" and "AWS_IAM" in f.statement)
    assert action.due == date(2026, 12, 7)  # high: within two weeks


def test_fact_ids_are_stable_across_runs():
    planted = fn(url_auth_type="NONE", env_var_names=["API_TOKEN"])
    assert [f.id for f in findings(planted)] == [f.id for f in findings(planted)]
