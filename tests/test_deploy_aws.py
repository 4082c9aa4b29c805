"""`execbrief deploy aws`: the SAM template (cfn-lint), and the Lambda handler against moto's server."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest
import yaml
from click.testing import CliRunner
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from execbrief.cli import cli
from execbrief.deploy.aws import AwsApp, build_template, cron_to_eventbridge, write_app
from execbrief.deploy.lambda_handler import Handler
from execbrief.deploy.s3_workspace import Busy, LeaseLost, S3Workspace
from execbrief.ledger import Ledger
from mailservers import SesFaultProxy, moto_raw_messages, moto_reset
# one moto server per module, and the SNS signing certificate served on 127.0.0.1 (with a
# fetcher mapping the AWS certificate URL to it): the fixtures the SES and events tests use
from test_delivery_ses import moto_port  # noqa: F401
from test_events import cert_server, certs, fetched  # noqa: F401

BUCKET = "execbrief-workspaces"
TOPIC = "arn:aws:sns:us-east-1:123456789012:execbrief-ses-events"
CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"
UTC = timezone.utc


# the template


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    one = AwsApp(organizations=("tidewater",), timezone="America/New_York", sender_identities=("example.com",),
                 per_report=(("ceo", cron_to_eventbridge("0 7 * * MON"), "America/New_York"),),
                 read_aws_account=True)
    many = AwsApp(organizations=("acme", "globex"), timezone="Europe/Lisbon",
                  sender_identities=("acme.example.com", "globex.example.com"), max_concurrency=5)
    out = {}
    for name, app in (("one", one), ("many", many)):
        folder = tmp_path_factory.mktemp(name)
        write_app(app, folder)
        out[name] = folder
    return out


def load(folder: Path) -> dict:
    return yaml.safe_load((folder / "template.yaml").read_text())


def test_the_generated_templates_pass_cfn_lint(apps):
    from cfnlint.api import ManualArgs, lint

    found = {name: [str(m) for m in lint((folder / "template.yaml").read_text(),
                                         config=ManualArgs(regions=["us-east-1"]))]
             for name, folder in apps.items()}
    assert found == {"one": [], "many": []}


def test_cfn_lint_catches_a_broken_state_machine(apps):
    """The check above can fail: the States Language inside the template is validated too."""
    from cfnlint.api import ManualArgs, lint

    text = (apps["many"] / "template.yaml").read_text().replace("Type: Map\n", "Type: Mapp\n")
    assert any("E3601" in str(m) for m in lint(text, config=ManualArgs(regions=["us-east-1"])))


def test_one_organisation_runs_on_eventbridge_scheduler_in_its_time_zone(apps):
    template = load(apps["one"])
    function = template["Resources"]["BriefingFunction"]["Properties"]
    assert function["PackageType"] == "Image" and function["ReservedConcurrentExecutions"] == 1
    events = function["Events"]
    assert events["CheckDue"]["Type"] == "ScheduleV2"
    assert events["CheckDue"]["Properties"]["ScheduleExpression"] == "rate(15 minutes)"
    assert events["ReportCeo"]["Properties"]["ScheduleExpression"] == "cron(0 7 ? * MON *)"
    assert events["ReportCeo"]["Properties"]["ScheduleExpressionTimezone"] == "America/New_York"
    assert json.loads(events["CheckDue"]["Properties"]["Input"]) == {
        "action": "due", "scheduled_time": "<aws.scheduler.scheduled-time>"}
    assert events["SesEvents"] == {"Type": "SNS", "Properties": {"Topic": {"Ref": "EventsTopic"}}}
    assert template["Parameters"]["ScheduleTimezone"]["Default"] == "America/New_York"
    # bounces and complaints: configuration set → SNS topic → this function
    destination = template["Resources"]["ConfigurationSetEvents"]["Properties"]["EventDestination"]
    assert destination["SnsDestination"] == {"TopicARN": {"Ref": "EventsTopic"}}
    assert {"bounce", "complaint"} <= set(destination["MatchingEventTypes"])


def statements(template: dict) -> dict:
    policy = template["Resources"]["BriefingFunction"]["Properties"]["Policies"][0]
    return {s["Sid"]: s for s in policy["Statement"] if "Sid" in s}


def test_the_function_may_send_only_as_the_sender_identity_and_read_only_its_prefix(apps):
    one = statements(load(apps["one"]))
    assert one["SendAsSender"]["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.com"}]
    assert set(one["SendAsSender"]["Action"]) == {"ses:SendEmail", "ses:SendRawEmail"}
    assert one["WorkspaceObjects"]["Resource"] == {"Fn::Sub": "${WorkspaceBucket.Arn}/org/*"}
    assert "ReadOnlyAudit" in one and all(a.split(":")[1].lower().startswith(("get", "list", "describe"))
                                          for a in one["ReadOnlyAudit"]["Action"])
    every = [s for s in statements(load(apps["one"])).values() if s["Resource"] == "*"]
    assert all(not a.startswith(("s3:Put", "ses:Send")) for s in every for a in s["Action"])
    many = statements(load(apps["many"]))
    assert "ReadOnlyAudit" not in many
    assert len(many["SendAsSender"]["Resource"]) == 2


def test_many_organisations_fan_out_through_a_distributed_map(apps):
    template = load(apps["many"])
    machine = template["Resources"]["OrganizationsStateMachine"]["Properties"]
    step = machine["Definition"]["States"]["Organizations"]
    assert step["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert step["MaxConcurrency"] == 5 and "ResultWriter" in step
    schedule = template["Resources"]["FanOutSchedule"]["Properties"]
    assert schedule["ScheduleExpressionTimezone"] == {"Ref": "ScheduleTimezone"}
    assert template["Resources"]["BriefingFunction"]["Properties"]["ReservedConcurrentExecutions"] == 5
    manifest = json.loads((apps["many"] / "organizations.json").read_text())
    assert [m["prefix"] for m in manifest] == ["orgs/acme/", "orgs/globex/"]


@pytest.mark.parametrize("cron, expected", [
    ("0 7 * * MON", "cron(0 7 ? * MON *)"), ("30 6 * * 1-5", "cron(30 6 ? * MON-FRI *)"),
    ("0 7 1 * *", "cron(0 7 1 * ? *)"), ("@weekly", "cron(0 0 ? * SUN *)"), ("0 9 * * 1#1", "cron(0 9 ? * MON#1 *)"),
])
def test_report_schedules_become_eventbridge_cron(cron, expected):
    assert cron_to_eventbridge(cron) == expected


def test_deploy_aws_writes_an_image_built_from_this_package(workspace, tmp_path):
    out = tmp_path / "app"
    result = CliRunner().invoke(cli, ["deploy", "aws", "-w", str(workspace.root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "Dockerfile").read_text().startswith("# execbrief")
    assert "FROM public.ecr.aws/lambda/python:3.12" in (out / "Dockerfile").read_text()
    assert 'CMD ["execbrief.deploy.lambda_handler.handler"]' in (out / "Dockerfile").read_text()
    requirements = (out / "requirements.txt").read_text().split()
    assert any(r.startswith("cronsim") for r in requirements) and any(r.startswith("cryptography") for r in requirements)
    # the copied package imports on its own, and its entry points register the built-ins
    probe = ("import execbrief, execbrief.deploy.lambda_handler as h; from execbrief.registry import registry; "
             "r = registry.load(); print(execbrief.__file__); print(sorted(r.channels), sorted(r.sources))")
    run = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(out / "app")},
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    where, registered = run.stdout.splitlines()
    assert where.startswith(str(out / "app"))
    assert "'ses'" in registered and "'notes'" in registered
    refused = CliRunner().invoke(cli, ["deploy", "aws", "-w", str(workspace.root), "--out", str(out), "--every", "0"])
    assert refused.exit_code == 2


# the handler, against moto


@pytest.fixture
def fetch(fetched):
    return fetched


@pytest.fixture
def aws(moto_port, monkeypatch):
    moto_reset(f"http://127.0.0.1:{moto_port}")
    proxy = SesFaultProxy(moto_port)
    proxy.set_production(rate=1000)
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", f"http://127.0.0.1:{moto_port}"),
                        # SES through the proxy, which answers GetAccount as a production account
                        ("AWS_ENDPOINT_URL_SES", proxy.endpoint), ("AWS_ENDPOINT_URL_SESV2", proxy.endpoint)):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "")  # restored after the test: the handler sets it
    boto3.client("s3").create_bucket(Bucket=BUCKET)
    boto3.client("ses").verify_domain_identity(Domain="example.com")
    boto3.client("ses").create_configuration_set(ConfigurationSet={"Name": "execbrief-events"})
    boto3.client("ssm").put_parameter(Name="/execbrief/llm-key", Value="sk-ant-test-key", Type="SecureString")
    yield proxy
    proxy.stop()


def lambda_workspace(workspace) -> None:
    config = (workspace.root / "execbrief.toml").read_text()
    config = config.replace("as_of = 2026-11-23\n", "").replace('timezone = "UTC"', 'timezone = "America/New_York"')
    config = config.replace("[delivery]\n", '[delivery]\nmethod = "ses"\nretry_base_s = 0\n', 1)
    config = config.replace('to = ["ceo@example.com"]', 'to = ["ceo@example.com"]\nschedule = "0 7 * * MON"')
    workspace.write("execbrief.toml", config)


def sync_up(root: Path, prefix: str) -> None:
    """What `aws s3 sync WORKSPACE s3://BUCKET/PREFIX` does."""
    s3 = boto3.client("s3")
    for path in root.rglob("*"):
        if path.is_file() and ".execbrief" not in path.parts:
            s3.put_object(Bucket=BUCKET, Key=prefix + path.relative_to(root).as_posix(), Body=path.read_bytes())


def make_handler(tmp_path: Path, fetch, name: str = "lambda", **env: str) -> Handler:
    environ = {"EXECBRIEF_BUCKET": BUCKET, "EXECBRIEF_PREFIX": "org/", "EXECBRIEF_EVENTS_TOPIC_ARN": TOPIC,
               "EXECBRIEF_SES_CONFIGURATION_SET": "execbrief-events",
               "EXECBRIEF_LLM_KEY_PARAMETER": "/execbrief/llm-key", "EXECBRIEF_LLM_KEY_ENV": "ANTHROPIC_API_KEY",
               **env}
    return Handler(environ=environ, fetch=fetch, workdir=tmp_path / name)


def ledger_in_s3(tmp_path: Path, prefix: str = "org/") -> Ledger:
    answer = boto3.client("s3").get_object(Bucket=BUCKET, Key=prefix + ".execbrief/ledger.db")
    assert "execbrief-lease-owner" not in answer["Metadata"]  # the lease was given back
    path = tmp_path / f"downloaded-{len(list(tmp_path.iterdir()))}.db"
    path.write_bytes(answer["Body"].read())
    return Ledger(path)


def due(handler: Handler, when: str, request: str = "r") -> dict:
    return handler({"action": "due", "scheduled_time": when}, type("Context", (), {"aws_request_id": request})())


def test_the_handler_sends_a_due_briefing_once_and_writes_the_ledger_back(aws, workspace, tmp_path, fetch):
    import os

    lambda_workspace(workspace)
    sync_up(workspace.root, "org/")
    handler = make_handler(tmp_path, fetch)
    assert due(handler, "2026-03-01T00:00:00Z")["due"] == []  # first sight of the schedule
    result = due(handler, "2026-03-02T12:00:00Z")
    assert (result["status"], result["due"], result["sent"]) == ("ok", ["ceo 2026-W10"], 1)
    assert len(moto_raw_messages(f"http://127.0.0.1:{aws.upstream_port}")) == 1
    assert os.environ["ANTHROPIC_API_KEY"] == "sk-ant-test-key"  # from SSM, never in the result
    assert "sk-ant" not in json.dumps(result)
    with ledger_in_s3(tmp_path) as ledger:
        sent = [m for m in ledger.messages() if m["status"] == "sent"]
        assert [(m["key"], m["period"], m["channel"]) for m in sent] == [("ceo", "2026-W10", "ses")]
        slots = ledger.db.execute("SELECT status FROM schedule_slots ORDER BY slot").fetchall()
        assert [s[0] for s in slots] == ["baseline", "done"]
    # the rendered briefing is kept beside the workspace
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="org/.execbrief/runs/")["Contents"]]
    assert any(k.endswith("/ceo.html") for k in keys)
    # a cold container (another /tmp) reads the ledger from S3: nothing is due again
    again = due(make_handler(tmp_path, fetch, name="cold"), "2026-03-02T12:15:00Z")
    assert again["due"] == [] and again["sent"] == 0
    assert len(moto_raw_messages(f"http://127.0.0.1:{aws.upstream_port}")) == 1


def test_two_concurrent_invocations_never_both_send_or_record(aws, workspace, tmp_path, fetch):
    lambda_workspace(workspace)
    sync_up(workspace.root, "org/")
    due(make_handler(tmp_path, fetch, name="first"), "2026-03-01T00:00:00Z")
    handlers = [make_handler(tmp_path, fetch, name=f"c{n}") for n in range(2)]
    for handler in handlers:  # both containers warm, workspaces already copied down
        handler._workspace("org", "org/").pull()
    start = threading.Barrier(2)
    results: list[dict] = []

    def invoke(handler: Handler, n: int) -> None:
        start.wait()
        results.append(due(handler, "2026-03-02T12:00:00Z", request=f"req-{n}"))

    threads = [threading.Thread(target=invoke, args=(h, n)) for n, h in enumerate(handlers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # one sent; the other found the ledger claimed (busy) or, if it came second, nothing due
    assert sorted(str(r["sent"]) if r["status"] == "ok" else r["status"] for r in results) in (["0", "1"], ["1", "busy"])
    assert len(moto_raw_messages(f"http://127.0.0.1:{aws.upstream_port}")) == 1
    with ledger_in_s3(tmp_path) as ledger:
        assert [m["key"] for m in ledger.messages() if m["status"] == "sent"] == ["ceo"]


def test_the_conditional_write_refuses_a_claim_on_a_version_already_claimed(aws, tmp_path):
    s3 = boto3.client("s3")
    first = S3Workspace(s3, BUCKET, "org/", tmp_path / "a")
    second = S3Workspace(s3, BUCKET, "org/", tmp_path / "b")
    claim = first.claim("req-1")
    with pytest.raises(Busy, match="req-1 holds the ledger"):
        second.claim("req-2")
    # once the lease has expired (its holder died) another may take over; the old holder then
    # cannot write back over it
    later = datetime.now(UTC) + timedelta(hours=1)
    taken = second.claim("req-2", now=later)
    with pytest.raises(LeaseLost):
        first.push(claim)
    second.push(taken)
    # a stale ETag is refused by S3 itself (If-Match)
    stale = s3.head_object(Bucket=BUCKET, Key="org/.execbrief/ledger.db")["ETag"]
    s3.put_object(Bucket=BUCKET, Key="org/.execbrief/ledger.db", Body=b"changed")
    with pytest.raises(Exception) as refused:
        s3.put_object(Bucket=BUCKET, Key="org/.execbrief/ledger.db", Body=b"again", IfMatch=stale)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def signed_record(certs, event: dict, *, tamper: bool = False) -> dict:
    sns = {"Type": "Notification", "MessageId": "sns-1", "TopicArn": TOPIC, "Subject": None,
           "Message": json.dumps(event), "Timestamp": "2026-03-02T12:05:00.000Z", "SignatureVersion": "1"}
    # the string SNS signs, from AWS's documentation: key, value, each on its line; a null Subject is left out
    text = "".join(f"{k}\n{sns[k]}\n" for k in ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                   if sns[k] is not None).encode()
    sns["Signature"] = base64.b64encode(certs["key"].sign(text, padding.PKCS1v15(), hashes.SHA1())).decode()
    sns.update(SigningCertUrl=CERT_URL, UnsubscribeUrl="https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
               MessageAttributes={})
    if tamper:
        sns["Message"] = sns["Message"].replace("Permanent", "Transient")
    return {"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": TOPIC + ":sub", "Sns": sns}


def test_a_signed_sns_bounce_is_verified_and_suppresses_the_address(aws, workspace, tmp_path, fetch, certs):
    lambda_workspace(workspace)
    sync_up(workspace.root, "org/")
    handler = make_handler(tmp_path, fetch)
    due(handler, "2026-03-01T00:00:00Z")
    due(handler, "2026-03-02T12:00:00Z")
    with ledger_in_s3(tmp_path) as ledger:
        ses_id = next(m["provider_message_id"] for m in ledger.messages() if m["status"] == "sent")
    bounce = {"notificationType": "Bounce", "mail": {"messageId": ses_id, "source": "briefings@example.com"},
              "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "timestamp": "2026-03-02T12:04:00Z",
                         "bouncedRecipients": [{"emailAddress": "ceo@example.com"}]}}
    tampered = handler({"Records": [signed_record(certs, bounce, tamper=True)]})
    assert tampered["recorded"] == 0 and "refused" in tampered["rejected"][0]
    result = handler({"Records": [signed_record(certs, bounce)]})
    assert (result["recorded"], result["suppressed"]) == (1, ["ceo@example.com"])
    with ledger_in_s3(tmp_path) as ledger:
        assert [r[0] for r in ledger.db.execute("SELECT address FROM suppressions")] == ["ceo@example.com"]


def select(selector: dict, item: dict, started: str) -> dict:
    """The ItemSelector of the map, applied as Step Functions does to one manifest item."""
    context = {"$$.Map.Item.Value": item, "$$.Execution.StartTime": started}
    out = {}
    for key, value in selector.items():
        if key.endswith(".$"):
            base, _, field = value.rpartition(".") if value.startswith("$$.Map") else (value, "", "")
            out[key[:-2]] = context[base][field] if field else context[value]
        else:
            out[key] = value
    return out


def test_each_organisation_of_the_map_runs_from_its_own_prefix(aws, workspace, tmp_path, fetch, apps):
    lambda_workspace(workspace)
    sync_up(workspace.root, "orgs/acme/")
    sync_up(workspace.root, "orgs/globex/")
    template = load(apps["many"])
    selector = template["Resources"]["OrganizationsStateMachine"]["Properties"]["Definition"]["States"][
        "Organizations"]["ItemSelector"]
    manifest = json.loads((apps["many"] / "organizations.json").read_text())
    handler = make_handler(tmp_path, fetch, EXECBRIEF_PREFIX="orgs/")
    for started in ("2026-03-01T00:00:00Z", "2026-03-02T12:00:00Z"):
        payloads = [select(selector, item, started) for item in manifest]
        assert [p["organization"] for p in payloads] == ["acme", "globex"]
        results = [handler(p) for p in payloads]
    assert [(r["organization"], r["sent"]) for r in results] == [("acme", 1), ("globex", 1)]
    for prefix in ("orgs/acme/", "orgs/globex/"):
        with ledger_in_s3(tmp_path, prefix) as ledger:
            assert [m["period"] for m in ledger.messages() if m["status"] == "sent"] == ["2026-W10"]
