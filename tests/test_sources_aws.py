"""The AWS source against moto's standalone server: inventory, denied calls, throttling,
the cost cache, snapshots and the `execbrief snapshot aws` command.

moto gaps, worked around here: it has no ``wafv2:ListResourcesForWebACL`` (the source uses
``GetWebACLForResource`` per resource instead) and no ``lambda:ListFunctionUrlConfigs``
(``GetFunctionUrlConfig`` instead); S3 Control puts the account id in the host name, which
a fixture resolves to loopback; Cost Explorer answers come from moto's result queue.
"""

from __future__ import annotations

import http.client
import http.server
import io
import json
import socket
import threading
import urllib.request
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner
from moto.server import ThreadedMotoServer

from execbrief.analyzers import AnalysisContext, cloud
from execbrief.cli import cli
from execbrief.errors import ConfigError
from execbrief.sources.aws import AwsSource, make_session
from execbrief.sources.aws_cost import cache_path, cost_window, fetch_costs
from execbrief.sources.aws_gather import REQUIRED_PERMISSIONS, Gatherer

MOTO_ACCOUNT = "123456789012"
AS_OF = date(2026, 11, 23)
SECRET_VALUE = "sk_live_51HxTESTVALUEdoNotLeak9f2c"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _post(url: str, data: bytes = b"", content_type: str = "application/json") -> None:
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    urllib.request.urlopen(request, timeout=10).read()


class Moto:
    """Plants resources in the moto server through boto3."""

    def __init__(self, url: str, session) -> None:
        self.url = url
        self.session = session
        self._role = None
        self._clients: dict[str, object] = {}

    def client(self, name: str):
        if name not in self._clients:
            self._clients[name] = self.session.client(name)
        return self._clients[name]

    def function(self, name: str, auth: str | None = None, env: dict[str, str] | None = None,
                 runtime: str = "python3.12") -> str:
        if self._role is None:
            self._role = self.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as z:
            z.writestr("handler.py", "def handler(event, context):\n    return 1\n")
        lam = self.client("lambda")
        arn = lam.create_function(FunctionName=name, Runtime=runtime, Role=self._role, Handler="handler.handler",
                                  Code={"ZipFile": code.getvalue()},
                                  Environment={"Variables": env or {}})["FunctionArn"]
        if auth:
            lam.create_function_url_config(FunctionName=name, AuthType=auth)
            if auth == "NONE":
                lam.add_permission(FunctionName=name, StatementId="FunctionURLAllowPublicAccess",
                                   Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")
        return arn

    def web_acl(self) -> str:
        return self.client("wafv2").create_web_acl(
            Name="edge", Scope="REGIONAL", DefaultAction={"Allow": {}},
            VisibilityConfig={"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": "edge"},
        )["Summary"]["ARN"]

    def rest_api(self, name: str, methods: dict[str, str], web_acl: str | None = None) -> str:
        gw = self.client("apigateway")
        api = gw.create_rest_api(name=name)["id"]
        root = gw.get_resources(restApiId=api)["items"][0]["id"]
        for verb, auth in methods.items():
            gw.put_method(restApiId=api, resourceId=root, httpMethod=verb, authorizationType=auth)
            gw.put_integration(restApiId=api, resourceId=root, httpMethod=verb, type="MOCK")
        gw.create_deployment(restApiId=api, stageName="prod")
        if web_acl:
            self.client("wafv2").associate_web_acl(
                WebACLArn=web_acl, ResourceArn=f"arn:aws:apigateway:us-east-1::/restapis/{api}/stages/prod")
        return api

    def http_api(self, name: str, routes: dict[str, str]) -> str:
        gw = self.client("apigatewayv2")
        api = gw.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
        for key, auth in routes.items():
            gw.create_route(ApiId=api, RouteKey=key, AuthorizationType=auth)
        return api

    def costs(self, months: dict[str, dict[str, str]]) -> None:
        results = [{"ResultsByTime": [
            {"TimePeriod": {"Start": f"{m}-01", "End": f"{m}-28"}, "Total": {}, "Estimated": False,
             "Groups": [{"Keys": [s], "Metrics": {"UnblendedCost": {"Amount": a, "Unit": "USD"}}} for s, a in sv.items()]}
            for m, sv in months.items()
        ], "DimensionValueAttributes": []}]
        _post(f"{self.url}/moto-api/static/ce/cost-and-usage-results", json.dumps({"results": results}).encode())


@pytest.fixture(scope="module")
def session():
    """One boto3 session for the module: a new session per test reloads every service model."""
    return boto3.Session(region_name="us-east-1")


@pytest.fixture
def moto(moto_url, session, monkeypatch):
    """A reset moto server, with the environment pointing boto3 at it."""
    _post(f"{moto_url}/moto-api/reset")
    for name, value in {"AWS_ENDPOINT_URL": moto_url, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_EC2_METADATA_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    # S3 Control addresses <account>.<endpoint host>: send that name to loopback too.
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real(
        "127.0.0.1" if isinstance(host, str) and host.endswith(".127.0.0.1") else host, *a, **k))
    return Moto(moto_url, session)


AWS_CONFIG = """
[sources.aws]
enabled = true
regions = ["us-east-1"]
"""


@pytest.fixture
def ws(workspace):
    path = workspace.root / "execbrief.toml"
    path.write_text(path.read_text() + AWS_CONFIG)
    return workspace


def collect(ws, moto=None):
    """Collect through the shared session, or (without ``moto``) through the source's own."""
    return AwsSource(ws.settings(), session=moto.session if moto else None).collect()


def resources(result, kind):
    return {ev.record["id"]: ev for ev in result.evidence if ev.record["type"] == kind}


def dump(result) -> str:
    return json.dumps([ev.model_dump(mode="json") for ev in result.evidence]) + json.dumps(
        [w.model_dump() for w in result.warnings])


# -- what is gathered ------------------------------------------------------------------


def test_lambda_url_auth_type_and_env_names_are_read_but_never_env_values(ws, moto):
    moto.function("alpha-rentals-booking", auth="NONE", env={"STRIPE_SECRET_KEY": SECRET_VALUE, "TABLE": "t"})
    moto.function("internal-report", auth="AWS_IAM")
    moto.function("plain-worker")
    result = collect(ws, moto)
    fns = resources(result, "function")
    booking = fns["alpha-rentals-booking"]
    assert booking.record["url_auth_type"] == "NONE" and booking.record["function_url"]
    assert booking.record["env_var_names"] == ["STRIPE_SECRET_KEY", "TABLE"]
    assert booking.record["public_statements"][0]["condition_keys"] == ["lambda:FunctionUrlAuthType"]
    assert booking.provenance.path == f"arn:aws:lambda:us-east-1:{MOTO_ACCOUNT}:function:alpha-rentals-booking"
    assert booking.kind == "resource" and booking.source == "aws" and booking.entity == "alpha"
    assert fns["internal-report"].record["url_auth_type"] == "AWS_IAM"
    assert fns["plain-worker"].record["url_auth_type"] is None and fns["plain-worker"].entity is None
    assert SECRET_VALUE not in dump(result)
    assert not result.warnings


def test_api_methods_and_routes_without_authorizer_are_listed_with_options_left_out(ws, moto):
    moto.rest_api("bookings", {"GET": "NONE", "POST": "AWS_IAM", "OPTIONS": "NONE"})
    moto.http_api("orders", {"POST /orders": "NONE", "GET /orders": "JWT", "OPTIONS /orders": "NONE"})
    result = collect(ws, moto)
    [rest] = resources(result, "rest_api").values()
    assert rest.record["open_methods"] == [{"method": "GET", "path": "/", "api_key_required": False}]
    [http] = resources(result, "http_api").values()
    assert http.record["open_routes"] == ["POST /orders"]
    facts = cloud.api_route_without_auth(cloud.Inventory.of(result.evidence), AnalysisContext(as_of=AS_OF))
    assert sorted(f.severity for f in facts) == ["high", "high"]


def test_web_acl_association_of_a_rest_stage_is_read_through_wafv2(ws, moto):
    acl = moto.web_acl()
    guarded = moto.rest_api("guarded", {"GET": "NONE"}, web_acl=acl)
    moto.rest_api("bare", {"GET": "NONE"})
    apis = {ev.record["name"]: ev for ev in resources(collect(ws, moto), "rest_api").values()}
    [stage] = apis["guarded"].record["stages"]
    assert stage == {"name": "prod", "arn": f"arn:aws:apigateway:us-east-1::/restapis/{guarded}/stages/prod",
                     "web_acl": acl, "waf_checked": True}
    assert apis["bare"].record["stages"][0]["web_acl"] is None
    assert apis["bare"].record["stages"][0]["waf_checked"] is True


def test_s3_account_and_bucket_public_access_blocks_and_public_policies_are_read(ws, moto):
    s3 = moto.client("s3")
    s3.create_bucket(Bucket="open-backups")
    s3.put_bucket_policy(Bucket="open-backups", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open-backups/*"}]}))
    s3.create_bucket(Bucket="closed-site")
    s3.put_public_access_block(Bucket="closed-site", PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    result = collect(ws, moto)
    buckets = resources(result, "bucket")
    assert buckets["open-backups"].record["policy_public"] is True
    assert not any(buckets["open-backups"].record["block"].values())
    assert all(buckets["closed-site"].record["block"].values())
    assert buckets["closed-site"].record["policy_public"] is False
    [account] = resources(result, "account_public_access_block").values()
    assert not any(account.record["block"].values())
    facts = cloud.s3_public_access_not_blocked(cloud.Inventory.of(result.evidence), AnalysisContext(as_of=AS_OF))
    assert [(f.severity, f.sources[0]) for f in facts if f.severity == "high"] == [("high", "arn:aws:s3:::open-backups")]


def test_cloudtrail_trails_are_read_once_with_their_logging_status(ws, moto):
    moto.client("s3").create_bucket(Bucket="trail-logs")
    trails = moto.client("cloudtrail")
    trails.create_trail(Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    trails.start_logging(Name="main")
    trails.create_trail(Name="forgotten", S3BucketName="trail-logs")
    found = resources(collect(ws, moto), "trail")
    assert {name: ev.record["is_logging"] for name, ev in found.items()} == {"main": True, "forgotten": False}
    assert found["main"].record["multi_region"] is True


def test_unattached_volumes_idle_elastic_ips_and_empty_load_balancers_are_gathered(ws, moto):
    ec2 = moto.client("ec2")
    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=40, VolumeType="gp3")["VolumeId"]
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for n, z in ((1, "a"), (2, "b"))]
    moto.client("elbv2").create_load_balancer(Name="web", Subnets=subnets, Scheme="internet-facing", Type="application")
    result = collect(ws, moto)
    assert resources(result, "volume")[volume].record["size_gb"] == 40
    assert address in resources(result, "elastic_ip")
    lb = resources(result, "load_balancer")["web"].record
    assert (lb["target_groups"], lb["lb_type"], lb["scheme"], lb["web_acl"], lb["waf_checked"]) == (
        0, "application", "internet-facing", None, True)


def _fault_proxy(target: str, target_header: str, faults: list[int], seen: list[dict] | None = None):
    """A local HTTP layer in front of moto: it records the bodies of ``target_header`` requests
    in ``seen`` and answers them with ThrottlingException while ``faults[0]`` > 0."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _relay(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("X-Amz-Target") == target_header and seen is not None:
                seen.append(json.loads(body))
            if self.headers.get("X-Amz-Target") == target_header and faults[0] > 0:
                faults[0] -= 1
                payload = b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'
                self.send_response(400)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            host, port = target.removeprefix("http://").split(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            conn.request(self.command, self.path, body=body, headers=dict(self.headers))
            answer = conn.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- cost explorer -----------------------------------------------------------------------


COST_TARGET = "AWSInsightsIndexService.GetCostAndUsage"


def test_cost_explorer_is_asked_once_for_three_full_months_without_credits_and_cached_for_the_day(
        ws, moto, monkeypatch):
    moto.costs({"2026-08": {"AWS Lambda": "4.9", "Amazon S3": "120.5"},
                "2026-09": {"AWS Lambda": "5.05", "Amazon S3": "121"},
                "2026-10": {"AWS Lambda": "11.2", "Amazon S3": "122"}})
    requests: list[dict] = []
    proxy = _fault_proxy(moto.url, COST_TARGET, [0], requests)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{proxy.server_address[1]}")
    try:
        first = collect(ws, moto)
        second = collect(ws, moto)
    finally:
        proxy.shutdown()
    [request] = requests  # the second run read the day's cache
    assert request["TimePeriod"] == {"Start": "2026-08-01", "End": "2026-11-01"}
    assert request["Granularity"] == "MONTHLY" and request["GroupBy"] == [{"Type": "DIMENSION", "Key": "SERVICE"}]
    assert request["Filter"] == {"Not": {"Dimensions": {"Key": "RECORD_TYPE", "Values": ["Credit", "Refund"]}}}
    months = {ev.record["month"]: ev.record for ev in first.evidence if ev.record["type"] == "cost_month"}
    assert sorted(months) == ["2026-08", "2026-09", "2026-10"]
    assert months["2026-10"]["services"] == [{"service": "AWS Lambda", "amount": "11.2", "unit": "USD"},
                                            {"service": "Amazon S3", "amount": "122", "unit": "USD"}]
    cache = cache_path(ws.root / ".execbrief" / "cache", MOTO_ACCOUNT, datetime.now(timezone.utc).date())
    cached = json.loads(cache.read_text())
    assert (cached["start"], cached["end"]) == ("2026-08-01", "2026-11-01")
    assert "arn:" not in cache.read_text()  # cost numbers only
    again = {ev.record["month"]: ev.record for ev in second.evidence if ev.record["type"] == "cost_month"}
    assert again == months


def test_throttled_cost_request_is_retried_with_backoff_and_then_succeeds(moto, monkeypatch):
    moto.costs({"2026-10": {"AWS Lambda": "3"}})
    faults = [1]
    proxy = _fault_proxy(moto.url, COST_TARGET, faults)
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{proxy.server_address[1]}")
        gatherer = Gatherer(moto.session, ["us-east-1"])
        costs = fetch_costs(gatherer, MOTO_ACCOUNT, *cost_window(AS_OF), cache_dir=None)
    finally:
        proxy.shutdown()
    assert faults == [0]  # the throttle was met, and retried past
    assert [m["month"] for m in costs["months"]] == ["2026-10"]
    assert not gatherer.warnings


def test_cost_request_still_throttled_after_retries_is_a_warning_naming_the_call(moto, monkeypatch):
    faults = [100]
    proxy = _fault_proxy(moto.url, COST_TARGET, faults)
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{proxy.server_address[1]}")
        gatherer = Gatherer(moto.session, ["us-east-1"], max_attempts=2)
        costs = fetch_costs(gatherer, MOTO_ACCOUNT, *cost_window(AS_OF), cache_dir=None)
    finally:
        proxy.shutdown()
    assert faults == [98]  # one try and one retry
    assert costs is None
    [warning] = gatherer.warnings
    assert warning["api"] == "ce:GetCostAndUsage" and "throttled" in warning["message"]


# -- permissions and credentials ----------------------------------------------------------


@pytest.fixture
def enforced_iam(moto, monkeypatch):
    """An auditor whose policy denies a few calls, with moto enforcing IAM (then relaxed again)."""
    iam = moto.client("iam")
    iam.create_user(UserName="auditor")
    denied = ["s3:GetBucketAcl", "cloudtrail:DescribeTrails", "ec2:DescribeVolumes"]
    iam.put_user_policy(UserName="auditor", PolicyName="audit", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                               {"Effect": "Deny", "Action": denied, "Resource": "*"}]}))
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    _post(f"{moto.url}/moto-api/reset-auth", b"0", "text/plain")
    try:
        yield denied
    finally:
        _post(f"{moto.url}/moto-api/reset-auth", b"inf", "text/plain")


@pytest.fixture
def two_buckets(moto):
    for name in ("alpha-photos", "alpha-backups"):
        moto.client("s3").create_bucket(Bucket=name)


def test_denied_api_calls_become_warnings_naming_the_permission_and_the_rest_is_read(
        ws, moto, two_buckets, enforced_iam):
    result = collect(ws)  # a session of its own, with the auditor's keys from the environment
    labels = [w.label() for w in result.warnings]
    for permission in enforced_iam:
        assert any(permission in label and "access denied" in label for label in labels), (permission, labels)
    [acl] = [label for label in labels if "s3:GetBucketAcl" in label]  # once, not once per bucket
    assert acl.startswith("s3:GetBucketAcl (us-east-1): access denied") and acl.endswith("(2 resources)")
    buckets = resources(result, "bucket")
    assert sorted(buckets) == ["alpha-backups", "alpha-photos"]
    assert buckets["alpha-photos"].record["acl_public"] is None  # unknown, not "private"
    account = [ev for ev in result.evidence if ev.record["type"] == "account"]
    assert account and "cloudtrail:us-east-1" not in account[0].record["scanned"]
    # CloudTrail could not be read, so no rule may claim it is off
    assert not cloud.cloudtrail_not_logging(cloud.Inventory.of(result.evidence), AnalysisContext(as_of=AS_OF))


def test_no_credentials_is_one_warning_and_no_failure(ws, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = collect(ws)
    assert result.evidence == []
    [warning] = result.warnings
    assert "no AWS credentials found" in warning.message


def test_unknown_profile_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError, match="sources.aws.profile.*'nope'"):
        make_session("nope", "ws/execbrief.toml")


def test_readme_iam_policy_lists_every_permission_the_source_uses():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [p for p in REQUIRED_PERMISSIONS if f'"{p}"' not in readme]
    assert not missing


# -- snapshots ------------------------------------------------------------------------------


def _plant_account(moto):
    moto.function("alpha-rentals-booking", auth="NONE", env={"STRIPE_SECRET_KEY": SECRET_VALUE})
    moto.rest_api("bookings", {"GET": "NONE"})
    moto.client("s3").create_bucket(Bucket="beta-delivery-backups")
    moto.costs({"2026-10": {"AWS Lambda": "3.10"}})


def test_snapshot_command_then_source_reads_it_with_the_same_evidence_ids(ws, moto):
    _plant_account(moto)
    live = collect(ws, moto)
    out = ws.root / "audit" / "aws.json"
    run = CliRunner().invoke(cli, ["snapshot", "aws", "--out", str(out), "--workspace", str(ws.root),
                                   "--as-of", "2026-11-23", "--json"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    summary = json.loads(run.stdout)
    assert summary["account"] == MOTO_ACCOUNT and summary["by_type"]["lambda:function"] == 1
    data = json.loads(out.read_text())
    assert data["format"] == "execbrief-aws-snapshot/1" and SECRET_VALUE not in out.read_text()
    path = ws.root / "execbrief.toml"
    path.write_text(path.read_text() + 'snapshot = "audit/aws.json"\n')
    replay = collect(ws, moto)
    assert [e.id for e in replay.evidence] == [e.id for e in live.evidence]
    assert [e.record for e in replay.evidence] == [e.record for e in live.evidence]
    assert replay.inputs[0].path == "audit/aws.json"


def test_snapshot_command_without_credentials_exits_1_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    out = tmp_path / "aws.json"
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli, ["snapshot", "aws", "--out", str(out)])
    assert run.exit_code == 1
    assert "no AWS credentials found" in run.stderr
    assert not out.exists()


def _snapshot_ws(ws, content: str | bytes):
    path = ws.root / "execbrief.toml"
    path.write_text(path.read_text().replace("enabled = true", 'snapshot = "snap.json"'))
    ws.write("snap.json", content)
    return collect(ws)


def test_snapshot_that_is_not_json_is_a_warning_with_its_line(ws):
    result = _snapshot_ws(ws, '{\n  "format": "execbrief-aws-snapshot/1",\n  "resources": [,]\n}\n')
    [warning] = result.warnings
    assert (warning.path, warning.line) == ("snap.json", 3) and "not valid JSON" in warning.message
    assert result.evidence == []


def test_snapshot_of_another_format_is_a_warning(ws):
    [warning] = _snapshot_ws(ws, '{"format": "something-else/9"}').warnings
    assert "not an execbrief AWS snapshot" in warning.message


def test_malformed_snapshot_entries_are_skipped_with_warnings_and_the_rest_is_read(ws):
    good = {"service": "s3", "type": "bucket", "id": "ok", "arn": "arn:aws:s3:::ok", "region": "us-east-1",
            "attributes": {"block": {}, "policy_public": False}}
    data = {"format": "execbrief-aws-snapshot/1", "account": "111122223333", "taken_at": "2026-11-23T00:00:00Z",
            "resources": [good, {"service": "s3", "id": 7}, "junk"],
            "costs": {"months": [{"month": "2026-10", "services": [{"service": "AWS Lambda", "amount": "lots"}]},
                                 {"month": "October"}]}}
    result = _snapshot_ws(ws, json.dumps(data))
    messages = [w.message for w in result.warnings]
    assert "resources[1].type: is missing: resource skipped" in messages
    assert "resources[2]: should be an object: resource skipped" in messages
    assert "costs.months[0].services[0].amount: 'lots' is not a number: cost line skipped" in messages
    assert "costs.months[1].month: should be YYYY-MM (got 'October'): month skipped" in messages
    assert "ok" in resources(result, "bucket")


def test_missing_snapshot_file_is_a_warning_that_says_how_to_make_one(ws):
    path = ws.root / "execbrief.toml"
    path.write_text(path.read_text().replace("enabled = true", 'snapshot = "gone.json"'))
    [warning] = collect(ws).warnings
    assert "execbrief snapshot aws --out FILE" in warning.message and warning.path == "gone.json"


def test_demo_cto_briefing_shows_the_cloud_audit_and_aws_cost(demo_workspace):
    from execbrief.pipeline import run

    result = run(demo_workspace.settings(), only=("cto",), dry_run=True)
    [report] = result.reports
    assert report.status == "verified", report.problems
    text = Path(report.files["text"]).read_text()
    for expected in ("function URL with auth type NONE", "CloudTrail is not logging", "STRIPE_SECRET_KEY",
                     "has no AWS WAF web ACL", "S3 Block Public Access is off", "AWS cost by month",
                     "Amazon CloudFront cost rose"):
        assert expected in text, expected
    assert not [w for w in result.warnings if w.source == "aws"]
