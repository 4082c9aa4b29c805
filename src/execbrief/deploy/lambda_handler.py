"""The AWS Lambda entry point: ``run --due`` for an organisation in S3, and SES events from SNS.

Events the function receives (``execbrief deploy aws`` wires them):

- from EventBridge Scheduler: ``{"action": "due", "scheduled_time": "<aws.scheduler.scheduled-time>"}``
  runs the organisation of ``EXECBRIEF_PREFIX``;
- from the Step Functions Distributed Map, one per organisation:
  ``{"action": "due", "organization": ID, "prefix": "orgs/ID/", "scheduled_time": ...}``;
- from SNS (the SES configuration set's topic): ``{"Records": [{"EventSource": "aws:sns", "Sns": {...}}]}``,
  each envelope verified (signature, certificate URL, pinned topic) before it is believed.

Each organisation's workspace is copied down from S3 and its ledger claimed by a
conditional write (``s3_workspace.py``): two invocations never both send or record. The
library does the rest exactly as ``execbrief run --due`` does on a laptop.

Configuration comes from the environment the template sets: ``EXECBRIEF_BUCKET``,
``EXECBRIEF_PREFIX``, ``EXECBRIEF_MANIFEST`` (many organisations),
``EXECBRIEF_EVENTS_TOPIC_ARN`` and ``EXECBRIEF_SES_CONFIGURATION_SET`` (pinned over the
workspace's own values), ``EXECBRIEF_LLM_KEY_PARAMETER`` (SSM) or
``EXECBRIEF_LLM_KEY_SECRET_ARN`` (Secrets Manager) with ``EXECBRIEF_LLM_KEY_ENV``, and
``EXECBRIEF_LEASE_SECONDS``.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..config import Settings, load_settings
from ..delivery.events import https_fetcher, ingest
from ..errors import ExecbriefError
from ..ledger import Ledger
from ..unattended import run_due
from .s3_workspace import Busy, S3Workspace

__all__ = ["Handler", "handler", "sns_envelope"]

_ORG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def sns_envelope(record: dict[str, Any]) -> dict[str, Any]:
    """The SNS envelope of a Lambda SNS record, with the key names SNS signs and HTTP endpoints see."""
    sns = dict(record["Sns"])
    for lambda_name, http_name in (("SigningCertUrl", "SigningCertURL"), ("UnsubscribeUrl", "UnsubscribeURL")):
        if lambda_name in sns:
            sns[http_name] = sns.pop(lambda_name)
    sns.pop("MessageAttributes", None)
    return {k: v for k, v in sns.items() if v is not None}  # a notification without a subject has Subject null


class Handler:
    """The function's state across warm invocations: clients, keys, and local copies of workspaces."""

    def __init__(self, *, session: Any = None, environ: dict[str, str] | None = None,
                 fetch: Callable[[str], bytes] = https_fetcher, workdir: Path | None = None) -> None:
        import boto3

        self.env = dict(os.environ if environ is None else environ)
        self.session = session or boto3.session.Session()
        self.s3 = self.session.client("s3")
        self.bucket = self.env["EXECBRIEF_BUCKET"]
        self.fetch = fetch
        self.workdir = workdir or Path(self.env.get("EXECBRIEF_WORKDIR", "/tmp/execbrief"))
        self.lease_seconds = int(self.env.get("EXECBRIEF_LEASE_SECONDS", "960"))
        self._keys_loaded = False

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        request = getattr(context, "aws_request_id", None) or f"local-{os.getpid()}-{id(event)}"
        if "Records" in event:
            return self.ses_events(event["Records"], request)
        if event.get("action", "due") != "due":
            raise ExecbriefError(f"unknown action {event.get('action')!r}: expected 'due' or SNS records")
        organization = event.get("organization") or self.env.get("EXECBRIEF_ORGANIZATION", "org")
        prefix = event.get("prefix") or self.env.get("EXECBRIEF_PREFIX", "org/")
        when = event.get("scheduled_time")
        now = datetime.fromisoformat(when.replace("Z", "+00:00")) if when else datetime.now(timezone.utc)
        return self.due(organization, prefix, request, now)

    # run --due

    def due(self, organization: str, prefix: str, request: str, now: datetime) -> dict[str, Any]:
        """Run what is due for one organisation; ``busy`` if another invocation holds its ledger."""
        workspace = self._workspace(organization, prefix)
        workspace.pull()
        try:
            claim = workspace.claim(request, now=datetime.now(timezone.utc))
        except Busy as exc:
            return {"organization": organization, "status": "busy", "detail": str(exc)}
        try:
            settings = self._settings(workspace.root)
            result = run_due(settings, now)
        except BaseException:
            workspace.push(claim)  # what was recorded before the failure still counts
            raise
        etag = workspace.push(claim)
        return {
            "organization": organization, "status": result.status, "ledger_etag": etag,
            "due": [d["key"] + " " + d["period"] for d in result.to_json()["due"]],
            "sent": sum(1 for r in result.runs for d in r.deliveries if d["status"] == "sent" and not d["audit"]),
            "alerts": len(result.alerts["new"]) if result.alerts else 0,
            "failures": result.failures[:10],
        }

    # SES events (bounces, complaints) through SNS

    def ses_events(self, records: list[dict[str, Any]], request: str) -> dict[str, Any]:
        """Verify and record SES events; each goes to the organisation whose sender sent the mail."""
        by_org: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for record in records:
            if record.get("EventSource") != "aws:sns":
                continue
            envelope = sns_envelope(record)
            by_org.setdefault(self._organization_of(envelope), []).append(envelope)
        out: dict[str, Any] = {"recorded": 0, "suppressed": [], "rejected": [], "organizations": []}
        for (organization, prefix), envelopes in by_org.items():
            workspace = self._workspace(organization, prefix)
            workspace.pull()
            # busy: raise, so the event is retried (SNS retries a failed Lambda delivery)
            claim = workspace.claim(request)
            try:
                settings = self._settings(workspace.root)
                with Ledger.for_workspace(settings.workspace) as ledger:
                    result = ingest(settings, ledger, json.dumps(envelopes), source="sns", fetch=self.fetch)
            finally:
                workspace.push(claim)
            out["organizations"].append(organization)
            out["recorded"] += len(result.recorded)
            out["suppressed"] += result.suppressed
            out["rejected"] += [w.label() for w in result.rejected]
        return out

    def _organization_of(self, envelope: dict[str, Any]) -> tuple[str, str]:
        manifest = self.env.get("EXECBRIEF_MANIFEST")
        single = (self.env.get("EXECBRIEF_ORGANIZATION", "org"), self.env.get("EXECBRIEF_PREFIX", "org/"))
        if not manifest:
            return single
        try:
            sender = json.loads(envelope.get("Message", "{}")).get("mail", {}).get("source", "")
        except (TypeError, ValueError):
            sender = ""
        entries = json.loads(self.s3.get_object(Bucket=self.bucket, Key=manifest)["Body"].read())
        address = sender.rsplit("<", 1)[-1].rstrip(">").strip().lower()
        for entry in entries:
            if str(entry.get("sender", "")).lower() == address:
                return entry["organization"], entry["prefix"]
        raise ExecbriefError(f"no organisation in s3://{self.bucket}/{manifest} sends as {address!r}")

    # shared

    def _workspace(self, organization: str, prefix: str) -> S3Workspace:
        if not _ORG.match(organization) or ".." in prefix or prefix.startswith("/"):
            raise ExecbriefError(f"refusing organisation {organization!r} with prefix {prefix!r}")
        return S3Workspace(self.s3, self.bucket, prefix, self.workdir / organization,
                           lease_seconds=self.lease_seconds)

    def _settings(self, root: Path) -> Settings:
        self._load_keys()
        settings = load_settings(root)
        ses = settings.delivery.ses
        pinned = {
            "events_topic_arn": self.env.get("EXECBRIEF_EVENTS_TOPIC_ARN") or ses.events_topic_arn,
            "configuration_set": self.env.get("EXECBRIEF_SES_CONFIGURATION_SET") or ses.configuration_set,
        }
        delivery = settings.delivery.model_copy(update={"ses": ses.model_copy(update=pinned)})
        return settings.model_copy(update={"delivery": delivery})

    def _load_keys(self) -> None:
        """Put the LLM key from SSM Parameter Store or Secrets Manager in the environment, once."""
        if self._keys_loaded:
            return
        name = self.env.get("EXECBRIEF_LLM_KEY_ENV", "ANTHROPIC_API_KEY")
        if self.env.get("EXECBRIEF_LLM_KEY_PARAMETER"):
            answer = self.session.client("ssm").get_parameter(
                Name=self.env["EXECBRIEF_LLM_KEY_PARAMETER"], WithDecryption=True)
            os.environ[name] = answer["Parameter"]["Value"]
        elif self.env.get("EXECBRIEF_LLM_KEY_SECRET_ARN"):
            answer = self.session.client("secretsmanager").get_secret_value(
                SecretId=self.env["EXECBRIEF_LLM_KEY_SECRET_ARN"])
            os.environ[name] = answer["SecretString"]
        self._keys_loaded = True


_handler: Handler | None = None


def handler(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """The function's entry point (the image's CMD): one ``Handler`` per warm container."""
    global _handler
    if _handler is None:
        _handler = Handler()
    return _handler(event, context)
