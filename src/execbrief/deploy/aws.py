"""``execbrief deploy aws``: a SAM application that runs ``run --due`` on AWS Lambda.

What it writes to the output folder:

- ``template.yaml``: the SAM (CloudFormation) template. One organisation: an EventBridge
  Scheduler schedule (with ``ScheduleExpressionTimezone``) invokes the function every few
  minutes, or at each report's own cron times. Many organisations: the schedule starts a
  Step Functions state machine whose Distributed Map reads ``organizations.json`` from the
  bucket and invokes the function once per organisation, a limited number at a time, and
  writes each result to ``results/`` in the bucket.
- ``Dockerfile`` on the AWS Lambda Python base image, ``requirements.txt``, and ``app/``:
  this installation's ``execbrief`` package with its metadata (entry points included).
- ``organizations.json`` (many organisations) and a ``README.md`` with the commands.

IAM is least privilege: the function reads and writes only its prefix of the workspace
bucket, sends mail only as the sender identities (and through the configuration set), reads
only the one SSM parameter or secret holding the LLM key, and gets the AWS source's
read-only calls only when asked (``--read-aws-account``).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..config import Settings
from ..schedule import Schedule
from ..sources.aws_gather import REQUIRED_PERMISSIONS

__all__ = ["AwsApp", "cron_to_eventbridge", "build_template", "state_machine_definition", "write_app"]

BASE_IMAGE = "public.ecr.aws/lambda/python:3.12"
STATE_MACHINE = "organizations"
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


@dataclass(frozen=True)
class AwsApp:
    """What the template is made for."""

    organizations: tuple[str, ...]  # one: single mode; more (or many=True): the state machine
    timezone: str
    sender_identities: tuple[str, ...]
    every_minutes: int = 15
    per_report: tuple[tuple[str, str, str], ...] = ()  # (report key, EventBridge cron, time zone)
    many: bool = False
    max_concurrency: int = 10
    read_aws_account: bool = False
    ses_region: str = "us-east-1"

    @property
    def is_many(self) -> bool:
        """Whether organisations fan out through Step Functions."""
        return self.many or len(self.organizations) > 1

    @property
    def prefix(self) -> str:
        """Where workspaces live in the bucket: ``org/`` (one) or ``orgs/<id>/`` (many)."""
        return "orgs/" if self.is_many else "org/"

    @property
    def timeout(self) -> int:
        """The function's timeout: Express child workflows of the map last at most 5 minutes."""
        return 280 if self.is_many else 900


def cron_to_eventbridge(expression: str) -> str:
    """A five-field cron schedule as an EventBridge ``cron(...)`` expression (six fields)."""
    minute, hour, dom, month, dow = Schedule(expression, "UTC").fields.split()

    def day(token: str) -> str:
        # cron counts Sunday as 0 (or 7), EventBridge as 1; names pass through
        def one(part: str) -> str:
            base, _, nth = part.partition("#")
            name = _DAYS[int(base) % 7] if base.isdigit() else base.upper()
            return name + (f"#{nth}" if nth else "")
        return ",".join("-".join(one(p) for p in item.split("-")) for item in token.split(","))

    if dom != "*" and dow != "*":
        raise ValueError(f"{expression!r} sets both day of month and day of week, which EventBridge cannot express")
    if dow != "*":
        return f"cron({minute} {hour} ? {month} {day(dow)} *)"
    return f"cron({minute} {hour} {dom} {month} ? *)"


def _sub(text: str) -> dict[str, Any]:
    return {"Fn::Sub": text}


def _statement(sid: str, actions: list[str], resources: Any, condition: dict[str, Any] | None = None) -> dict:
    out: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        out["Condition"] = condition
    return out


def _function_policy(app: AwsApp) -> dict[str, Any]:
    identities = [_sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/" + identity)
                  for identity in app.sender_identities]
    statements = [
        _statement("WorkspaceObjects", ["s3:GetObject", "s3:PutObject"],
                   _sub("${WorkspaceBucket.Arn}/" + app.prefix + "*")),
        _statement("WorkspaceList", ["s3:ListBucket"], {"Fn::GetAtt": ["WorkspaceBucket", "Arn"]},
                   {"StringLike": {"s3:prefix": [app.prefix + "*"]}}),
        # sending: only as the sender identities, only through our configuration set
        _statement("SendAsSender", ["ses:SendEmail", "ses:SendRawEmail"], identities),
        _statement("SendThroughConfigurationSet", ["ses:SendEmail", "ses:SendRawEmail"],
                   _sub("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/"
                        "${ConfigurationSet}")),
        # the preflight checks (account, quota, verification) have no resource-level permissions
        _statement("PreflightChecks", ["ses:GetAccount", "ses:GetIdentityVerificationAttributes",
                                       "ses:GetSendQuota"], "*"),
    ]
    if app.is_many:
        statements.append(_statement("ReadManifest", ["s3:GetObject"], _sub("${WorkspaceBucket.Arn}/organizations.json")))
    policy: dict[str, Any] = {"Version": "2012-10-17", "Statement": statements}
    key_parameter = _statement("LlmKeyParameter", ["ssm:GetParameter"], _sub(
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${LlmKeyParameter}"))
    key_secret = _statement("LlmKeySecret", ["secretsmanager:GetSecretValue"], {"Ref": "LlmKeySecretArn"})
    statements.append({"Fn::If": ["HasKeyParameter", key_parameter, {"Ref": "AWS::NoValue"}]})
    statements.append({"Fn::If": ["HasKeySecret", key_secret, {"Ref": "AWS::NoValue"}]})
    if app.read_aws_account:
        statements.append(_statement("ReadOnlyAudit", list(REQUIRED_PERMISSIONS), "*"))
    return policy


def state_machine_definition(max_concurrency: int) -> dict[str, Any]:
    """The Amazon States Language of the fan-out: a Distributed Map over ``organizations.json``."""
    return {
        "Comment": "execbrief: run --due for every organisation listed in organizations.json",
        "StartAt": "Organizations",
        "States": {
            "Organizations": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSON"},
                    "Parameters": {"Bucket": "${Bucket}", "Key": "organizations.json"},
                },
                "ItemSelector": {
                    "action": "due",
                    "organization.$": "$$.Map.Item.Value.organization",
                    "prefix.$": "$$.Map.Item.Value.prefix",
                    "scheduled_time.$": "$$.Execution.StartTime",
                },
                "MaxConcurrency": max_concurrency,
                "ToleratedFailurePercentage": 100,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "RunDue",
                    "States": {
                        "RunDue": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"FunctionName": "${Function}", "Payload.$": "$"},
                            "ResultSelector": {"result.$": "$.Payload"},
                            "Retry": [{
                                "ErrorEquals": ["Lambda.ServiceException", "Lambda.SdkClientException",
                                                "Lambda.TooManyRequestsException"],
                                "IntervalSeconds": 5, "MaxAttempts": 3, "BackoffRate": 2,
                            }],
                            "End": True,
                        },
                    },
                },
                "ResultWriter": {
                    "Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": "${Bucket}", "Prefix": "results"},
                },
                "End": True,
            },
        },
    }


def _schedule_events(app: AwsApp, input_json: str) -> dict[str, Any]:
    events: dict[str, Any] = {}
    if app.per_report and not app.is_many:
        for n, (key, cron, zone) in enumerate(app.per_report):
            name = "Report" + re.sub(r"[^A-Za-z0-9]", "", key.title()) + (str(n) if n else "")
            events[name] = {"Type": "ScheduleV2", "Properties": {
                "ScheduleExpression": cron, "ScheduleExpressionTimezone": zone, "Input": input_json,
                "RetryPolicy": {"MaximumRetryAttempts": 2}}}
    if not events or app.every_minutes:
        events["CheckDue"] = {"Type": "ScheduleV2", "Properties": {
            "ScheduleExpression": f"rate({app.every_minutes} minutes)",
            "ScheduleExpressionTimezone": {"Ref": "ScheduleTimezone"}, "Input": input_json,
            "RetryPolicy": {"MaximumRetryAttempts": 2}}}
    return events


def _assumed_by(service: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}


def _fan_out(app: AwsApp) -> dict[str, Any]:
    """The state machine (plain CloudFormation, so cfn-lint validates its States Language), its role,
    and the schedule that starts it."""
    machine = "${AWS::StackName}-" + STATE_MACHINE
    machine_arn = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:" + machine
    return {
        "StateMachineRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": _assumed_by("states.amazonaws.com"),
            "Policies": [{"PolicyName": "fan-out", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                _statement("InvokeFunction", ["lambda:InvokeFunction"],
                           [{"Fn::GetAtt": ["BriefingFunction", "Arn"]}, _sub("${BriefingFunction.Arn}:*")]),
                _statement("ReadManifest", ["s3:GetObject"], _sub("${WorkspaceBucket.Arn}/organizations.json")),
                _statement("WriteResults", ["s3:AbortMultipartUpload", "s3:GetObject",
                                            "s3:ListMultipartUploadParts", "s3:PutObject"],
                           _sub("${WorkspaceBucket.Arn}/results/*")),
                _statement("RunChildWorkflows", ["states:StartExecution"], _sub(machine_arn)),
                _statement("WatchChildWorkflows", ["states:DescribeExecution", "states:StopExecution"], _sub(
                    "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:" + machine + "/*")),
            ]}}],
        }},
        "OrganizationsStateMachine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "StateMachineName": _sub(machine),
            "StateMachineType": "STANDARD",
            "RoleArn": {"Fn::GetAtt": ["StateMachineRole", "Arn"]},
            "Definition": state_machine_definition(app.max_concurrency),
            "DefinitionSubstitutions": {"Bucket": {"Ref": "WorkspaceBucket"},
                                        "Function": {"Fn::GetAtt": ["BriefingFunction", "Arn"]}},
        }},
        "SchedulerRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": _assumed_by("scheduler.amazonaws.com"),
            "Policies": [{"PolicyName": "start-fan-out", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                _statement("StartFanOut", ["states:StartExecution"], {"Ref": "OrganizationsStateMachine"})]}}],
        }},
        "FanOutSchedule": {"Type": "AWS::Scheduler::Schedule", "Properties": {
            "Description": "execbrief: run --due for every organisation",
            "ScheduleExpression": f"rate({app.every_minutes or 15} minutes)",
            "ScheduleExpressionTimezone": {"Ref": "ScheduleTimezone"},
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": {"Arn": {"Ref": "OrganizationsStateMachine"}, "RoleArn": {"Fn::GetAtt": ["SchedulerRole", "Arn"]},
                       "Input": "{}", "RetryPolicy": {"MaximumRetryAttempts": 0}},
        }},
    }


def build_template(app: AwsApp) -> dict[str, Any]:
    """The SAM template as data (CloudFormation intrinsics in their long form)."""
    due = json.dumps({"action": "due", "scheduled_time": "<aws.scheduler.scheduled-time>"})
    environment = {
        "EXECBRIEF_BUCKET": {"Ref": "WorkspaceBucket"},
        "EXECBRIEF_PREFIX": app.prefix if app.is_many else "org/",
        "EXECBRIEF_ORGANIZATION": app.organizations[0],
        "EXECBRIEF_EVENTS_TOPIC_ARN": {"Ref": "EventsTopic"},
        "EXECBRIEF_SES_CONFIGURATION_SET": {"Ref": "ConfigurationSet"},
        "EXECBRIEF_LLM_KEY_PARAMETER": {"Ref": "LlmKeyParameter"},
        "EXECBRIEF_LLM_KEY_SECRET_ARN": {"Ref": "LlmKeySecretArn"},
        "EXECBRIEF_LLM_KEY_ENV": {"Ref": "LlmKeyEnv"},
        "EXECBRIEF_LEASE_SECONDS": str(app.timeout + 60),
    }
    if app.is_many:
        environment["EXECBRIEF_MANIFEST"] = "organizations.json"
    function: dict[str, Any] = {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "PackageType": "Image",
            "Architectures": ["x86_64"],
            "MemorySize": 1024,
            "Timeout": app.timeout,
            "EphemeralStorage": {"Size": 2048},
            # one invocation per organisation at a time (the ledger's conditional write backs it up)
            "ReservedConcurrentExecutions": app.max_concurrency if app.is_many else 1,
            "Environment": {"Variables": environment},
            "Policies": [_function_policy(app)],
            "Events": {"SesEvents": {"Type": "SNS", "Properties": {"Topic": {"Ref": "EventsTopic"}}}},
        },
        "Metadata": {"Dockerfile": "Dockerfile", "DockerContext": ".", "DockerTag": f"execbrief-{__version__}"},
    }
    if not app.is_many:
        function["Properties"]["Events"].update(_schedule_events(app, due))
    resources: dict[str, Any] = {
        "WorkspaceBucket": {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "VersioningConfiguration": {"Status": "Enabled"},
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "LifecycleConfiguration": {"Rules": [{
                    "Id": "ForgetOldVersions", "Status": "Enabled",
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 7}}]},
            },
        },
        "WorkspaceBucketPolicy": {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": {"Ref": "WorkspaceBucket"}, "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                    "Resource": [{"Fn::GetAtt": ["WorkspaceBucket", "Arn"]}, _sub("${WorkspaceBucket.Arn}/*")],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}},
        },
        "EventsTopic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "execbrief SES events"}},
        "EventsTopicPolicy": {
            "Type": "AWS::SNS::TopicPolicy",
            "Properties": {"Topics": [{"Ref": "EventsTopic"}], "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "SesPublishes", "Effect": "Allow", "Principal": {"Service": "ses.amazonaws.com"},
                    "Action": "sns:Publish", "Resource": {"Ref": "EventsTopic"},
                    "Condition": {"StringEquals": {"AWS:SourceAccount": {"Ref": "AWS::AccountId"}}}}]}},
        },
        "ConfigurationSet": {"Type": "AWS::SES::ConfigurationSet", "Properties": {}},
        "ConfigurationSetEvents": {
            "Type": "AWS::SES::ConfigurationSetEventDestination",
            "DependsOn": "EventsTopicPolicy",
            "Properties": {"ConfigurationSetName": {"Ref": "ConfigurationSet"}, "EventDestination": {
                "Enabled": True, "MatchingEventTypes": ["bounce", "complaint", "reject"],
                "SnsDestination": {"TopicARN": {"Ref": "EventsTopic"}}}},
        },
        "BriefingFunction": function,
    }
    outputs: dict[str, Any] = {
        "Bucket": {"Description": "Sync each workspace here", "Value": {"Ref": "WorkspaceBucket"}},
        "Function": {"Description": "The execbrief function", "Value": {"Ref": "BriefingFunction"}},
        "EventsTopicArn": {"Description": "[delivery.ses] events_topic_arn", "Value": {"Ref": "EventsTopic"}},
        "ConfigurationSetName": {"Description": "[delivery.ses] configuration_set",
                                 "Value": {"Ref": "ConfigurationSet"}},
    }
    if app.is_many:
        resources.update(_fan_out(app))
        outputs["StateMachine"] = {"Description": "The fan-out over organizations.json",
                                   "Value": {"Ref": "OrganizationsStateMachine"}}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": f"execbrief {__version__}: scheduled briefings and alerts "
                       f"({'many organisations' if app.is_many else app.organizations[0]})",
        "Parameters": {
            "ScheduleTimezone": {"Type": "String", "Default": app.timezone,
                                 "Description": "IANA time zone the schedules are read in"},
            "LlmKeyParameter": {"Type": "String", "Default": "", "AllowedPattern": "^(/[A-Za-z0-9_.\\-/]+)?$",
                                "Description": "SSM SecureString parameter holding the LLM key, e.g. /execbrief/llm-key"},
            "LlmKeySecretArn": {"Type": "String", "Default": "",
                                "Description": "Or: a Secrets Manager secret holding the LLM key"},
            "LlmKeyEnv": {"Type": "String", "Default": "ANTHROPIC_API_KEY",
                          "AllowedValues": ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"]},
        },
        "Conditions": {
            "HasKeyParameter": {"Fn::Not": [{"Fn::Equals": [{"Ref": "LlmKeyParameter"}, ""]}]},
            "HasKeySecret": {"Fn::Not": [{"Fn::Equals": [{"Ref": "LlmKeySecretArn"}, ""]}]},
        },
        "Resources": resources,
        "Outputs": outputs,
    }


def _dockerfile() -> str:
    return f"""\
# execbrief {__version__} on the AWS Lambda Python base image (built by `sam build`)
FROM {BASE_IMAGE}
COPY requirements.txt ${{LAMBDA_TASK_ROOT}}/
RUN pip install --no-cache-dir -r ${{LAMBDA_TASK_ROOT}}/requirements.txt --target ${{LAMBDA_TASK_ROOT}}
COPY app/ ${{LAMBDA_TASK_ROOT}}/
CMD ["execbrief.deploy.lambda_handler.handler"]
"""


def _requirements(extras: tuple[str, ...]) -> str:
    lines = []
    for requirement in metadata.requires("execbrief") or []:
        spec, _, marker = requirement.partition(";")
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if extra is None or extra.group(1) in ("events", *extras):
            lines.append(spec.strip())
    return "\n".join(sorted(set(lines), key=str.lower)) + "\n"


def _copy_package(target: Path) -> None:
    import execbrief

    package = Path(execbrief.__file__).parent
    shutil.copytree(package, target / "execbrief",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".execbrief", "outbox"))
    dist = metadata.distribution("execbrief")
    info = target / f"execbrief-{dist.version}.dist-info"
    info.mkdir()
    # the entry points register the built-in sources, writers and channels
    for name in ("METADATA", "entry_points.txt"):
        text = dist.read_text(name)
        if text is not None:
            (info / name).write_text(text, encoding="utf-8")


def _readme(app: AwsApp) -> str:
    workspace = "orgs/ID/" if app.is_many else "org/"
    many = ("\nEach organisation's workspace goes under `orgs/<id>/`; `organizations.json` lists them\n"
            "(id, prefix, and the sender address its bounces come back to):\n\n"
            "    aws s3 cp organizations.json s3://$BUCKET/organizations.json\n") if app.is_many else ""
    return f"""# execbrief on AWS Lambda (generated by execbrief {__version__})

    sam build                      # builds the image from Dockerfile (needs Docker)
    sam deploy --guided            # stack name, region; answer yes to creating the IAM roles

Then, with the stack's outputs:

    BUCKET=$(aws cloudformation describe-stacks --stack-name STACK \\
        --query "Stacks[0].Outputs[?OutputKey=='Bucket'].OutputValue" --output text)
    aws s3 sync ./my-workspace s3://$BUCKET/{workspace} --exclude ".execbrief/*" --exclude "outbox/*"
{many}
In the workspace's `execbrief.toml`: `[delivery] method = "ses"`, and the sender's identity
verified in SES. The function pins `[delivery.ses] configuration_set` and `events_topic_arn`
to the stack's (bounces and complaints come back through SNS and are verified). An LLM key
goes in SSM (`aws ssm put-parameter --type SecureString --name /execbrief/llm-key ...`)
and its name in the `LlmKeyParameter` parameter.
"""


def write_app(app: AwsApp, out: Path, *, extras: tuple[str, ...] = ()) -> list[Path]:
    """Write the deployable application to ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    template = out / "template.yaml"
    template.write_text(yaml.safe_dump(build_template(app), sort_keys=False, width=120), encoding="utf-8")
    (out / "Dockerfile").write_text(_dockerfile(), encoding="utf-8")
    (out / "requirements.txt").write_text(_requirements(extras), encoding="utf-8")
    written += [template, out / "Dockerfile", out / "requirements.txt"]
    if (out / "app").exists():
        shutil.rmtree(out / "app")
    _copy_package(out / "app")
    written.append(out / "app")
    (out / "README.md").write_text(_readme(app), encoding="utf-8")
    written.append(out / "README.md")
    if app.is_many:
        manifest = [{"organization": org, "prefix": f"orgs/{org}/", "sender": ""} for org in app.organizations]
        (out / "organizations.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        written.append(out / "organizations.json")
    return written


def app_for(settings: Settings, organizations: tuple[str, ...], *, many: bool, every: int, per_report: bool,
            max_concurrency: int, read_aws_account: bool) -> AwsApp:
    """The application for a workspace (its time zone, sender and schedules) and organisation ids."""
    from ..unattended import report_schedules

    sender_domain = settings.delivery.sender.rsplit("@", 1)[1]
    crons: tuple[tuple[str, str, str], ...] = ()
    if per_report:
        crons = tuple((item.key, cron_to_eventbridge(item.schedule.expression), item.schedule.timezone)
                      for item in report_schedules(settings))
    orgs = organizations or (re.sub(r"[^a-z0-9]+", "-", settings.organization.name.lower()).strip("-") or "org",)
    return AwsApp(organizations=orgs, timezone=settings.organization.timezone, sender_identities=(sender_domain,),
                  every_minutes=every, per_report=crons, many=many, max_concurrency=max_concurrency,
                  read_aws_account=read_aws_account, ses_region=settings.delivery.ses.region)
