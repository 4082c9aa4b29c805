"""SES bounce, complaint, delivery and reject events: verified, recorded, and acted on.

SES publishes events to an SNS topic; the operator saves what SNS delivered (an HTTPS
endpoint's request bodies, an SQS dump) and runs ``execbrief events ingest FILE``. An SNS
envelope is accepted only when

- its ``TopicArn`` is the one pinned in ``[delivery.ses] events_topic_arn``;
- its ``SigningCertURL`` is ``https://sns.<region>.amazonaws.com/….pem`` for the topic's
  region (anything else is refused before any fetch);
- its signature (``SignatureVersion`` 1: SHA1withRSA, 2: SHA256withRSA) verifies with that
  certificate's key over the canonical string SNS signs.

Hard bounces and complaints put the address on the suppression list; later runs leave it
out and report it. Bare SES events (no envelope, so no signature) need ``--unsigned``.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import ConfigError
from ..ledger import Ledger
from ..ledger.deliveries import DeliveryLedger
from ..model import DataWarning, content_hash
from .event_schema import SesEvent, SnsEnvelope, checked

__all__ = ["SnsVerifier", "SignatureError", "IngestResult", "ingest", "read_documents", "https_fetcher"]

Fetcher = Callable[[str], bytes]

_CERT_HOST = re.compile(r"^sns\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$")
_SIGNED_KEYS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
    "UnsubscribeConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
}
MAX_CERT_BYTES = 64 * 1024


class SignatureError(ValueError):
    """An SNS envelope that must not be trusted."""


def https_fetcher(url: str) -> bytes:
    """Fetch a signing certificate over verified HTTPS (the production fetcher)."""
    if not url.startswith("https://"):
        raise SignatureError(f"refusing to fetch {url!r}: not https")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - https only, host checked
        return response.read(MAX_CERT_BYTES + 1)[:MAX_CERT_BYTES]


def string_to_sign(envelope: dict[str, Any]) -> bytes:
    """The canonical text SNS signs: ``key\\nvalue\\n`` for its keys, in order, when present."""
    keys = _SIGNED_KEYS.get(str(envelope.get("Type")))
    if keys is None:
        raise SignatureError(f"unknown SNS message type {envelope.get('Type')!r}")
    return "".join(f"{k}\n{envelope[k]}\n" for k in keys if k in envelope).encode("utf-8")


class SnsVerifier:
    """Verifies SNS envelopes for one pinned topic."""

    def __init__(self, topic_arn: str, fetch: Fetcher = https_fetcher) -> None:
        try:
            import cryptography  # noqa: F401
        except ImportError:
            raise ConfigError(
                "verifying SNS signatures needs the cryptography package: pip install 'execbrief[events]'"
            ) from None
        self.topic_arn = topic_arn
        self.region = topic_arn.split(":")[3]
        self.fetch = fetch
        self._certs: dict[str, Any] = {}

    def check_cert_url(self, url: str) -> None:
        """Only ``https://sns.<topic region>.amazonaws.com/<name>.pem`` is acceptable."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        found = _CERT_HOST.match(host)
        if (parts.scheme != "https" or not found or parts.port is not None or parts.username or parts.password
                or "@" in parts.netloc or not parts.path.endswith(".pem") or parts.query or parts.fragment):
            raise SignatureError(f"SigningCertURL {url!r} is not https://sns.<region>.amazonaws.com/….pem")
        if found.group(1) != self.region:
            raise SignatureError(f"SigningCertURL region {found.group(1)} is not the topic's region {self.region}")

    def _certificate(self, url: str) -> Any:
        from cryptography import x509

        if url not in self._certs:
            try:
                self._certs[url] = x509.load_pem_x509_certificate(self.fetch(url))
            except SignatureError:
                raise
            except Exception as exc:
                raise SignatureError(f"cannot load the signing certificate {url}: {exc}") from None
        cert = self._certs[url]
        now = datetime.now(timezone.utc)
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise SignatureError(f"the signing certificate {url} is not valid now")
        return cert

    def verify(self, envelope: dict[str, Any]) -> None:
        """Raise ``SignatureError`` unless the envelope is authentic and for the pinned topic."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        if envelope.get("TopicArn") != self.topic_arn:
            raise SignatureError(f"topic {envelope.get('TopicArn')!r} is not the pinned {self.topic_arn!r}")
        version = str(envelope.get("SignatureVersion"))
        algorithm = {"1": hashes.SHA1(), "2": hashes.SHA256()}.get(version)
        if algorithm is None:
            raise SignatureError(f"SignatureVersion {version!r} is not 1 or 2")
        url = str(envelope.get("SigningCertURL", ""))
        self.check_cert_url(url)
        data = string_to_sign(envelope)
        try:
            signature = base64.b64decode(str(envelope.get("Signature", "")), validate=True)
        except ValueError:
            raise SignatureError("Signature is not base64") from None
        try:
            self._certificate(url).public_key().verify(signature, data, padding.PKCS1v15(), algorithm)
        except InvalidSignature:
            raise SignatureError("the signature does not match the message") from None


@dataclass
class IngestResult:
    """What one ``events ingest`` did."""

    recorded: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0
    suppressed: list[str] = field(default_factory=list)
    rejected: list[DataWarning] = field(default_factory=list)
    confirmations: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The result as plain JSON data."""
        return {
            "recorded": self.recorded, "duplicates": self.duplicates, "suppressed": self.suppressed,
            "rejected": [w.model_dump() for w in self.rejected], "confirmations": self.confirmations,
        }


def read_documents(text: str) -> list[Any]:
    """A JSON document, a JSON array of them, or JSON lines."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        data = json.loads(stripped)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        return [_line(line, n) for n, line in enumerate(stripped.splitlines(), 1) if line.strip()]
    except RecursionError:  # (arrays in arrays, thousands deep: no event is shaped so)
        return [ValueError("the file is nested too deeply to be JSON events")]


def _line(line: str, n: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return ValueError(f"line {n} is not JSON: {exc.msg}")
    except RecursionError:
        return ValueError(f"line {n} is nested too deeply to be an event")


def _apply(store: DeliveryLedger, raw: dict[str, Any], event_id: str, verified: bool,
           result: IngestResult) -> str | None:
    """Record one SES event and act on it; the problem with it instead, if it is malformed."""
    event, wrong = checked(SesEvent, raw)
    if event is None:
        return f"not an SES event: {wrong}"
    kind = event.kind
    provider_id = event.mail.messageId
    row = store.message_by_provider_id(provider_id) if provider_id else None
    recipients: list[str] = []
    detail = None
    suppress_as = None
    occurred = event.mail.timestamp
    if kind == "Bounce" and event.bounce is not None:
        recipients = [r.emailAddress for r in event.bounce.bouncedRecipients]
        detail = f"{event.bounce.bounceType}/{event.bounce.bounceSubType}"
        if event.bounce.bounceType == "Permanent":
            suppress_as = "bounce"
        occurred = event.bounce.timestamp or occurred
    elif kind == "Complaint" and event.complaint is not None:
        recipients = [r.emailAddress for r in event.complaint.complainedRecipients]
        detail = event.complaint.complaintFeedbackType
        suppress_as = "complaint"
        occurred = event.complaint.timestamp or occurred
    elif kind == "Delivery" and event.delivery is not None:
        recipients = list(event.delivery.recipients)
        occurred = event.delivery.timestamp or occurred
    elif kind == "Reject" and event.reject is not None:
        detail = event.reject.reason
    fresh = store.record_event(
        event_id, kind or "Unknown", provider_message_id=provider_id,
        idempotency_key=row["idempotency_key"] if row else None, recipients=recipients, detail=detail,
        occurred_at=occurred, verified=verified, data=raw,
    )
    if not fresh:
        result.duplicates += 1
    else:
        result.recorded.append({"id": event_id, "type": kind, "message_id": provider_id,
                                "matched": row is not None, "recipients": recipients, "detail": detail})
    if suppress_as:
        for address in recipients:
            if store.suppress(address, suppress_as, detail, event_id):
                result.suppressed.append(address)
    return None


def ingest(
    settings: Settings, ledger: Ledger, text: str, *, source: str, fetch: Fetcher | None = None,
    allow_unsigned: bool = False,
) -> IngestResult:
    """Verify and record the SES events in ``text``; one bad document never stops the others."""
    store = DeliveryLedger(ledger)
    result = IngestResult()
    topic = settings.delivery.ses.events_topic_arn
    verifier = SnsVerifier(topic, fetch or https_fetcher) if topic else None

    def reject(n: int, why: str) -> None:
        result.rejected.append(DataWarning(source="events", path=source, line=n, message=why))

    for n, doc in enumerate(read_documents(text), 1):
        if isinstance(doc, ValueError):
            reject(n, f"{doc}: fix the file (one JSON document, a JSON array, or JSON lines)")
            continue
        if not isinstance(doc, dict):
            reject(n, "not a JSON object: expected an SNS envelope or an SES event")
            continue
        if "Type" in doc and "TopicArn" in doc:
            _, wrong = checked(SnsEnvelope, doc)
            if wrong:
                reject(n, f"SNS envelope refused: {wrong}")
                continue
            if verifier is None:
                raise ConfigError(
                    f"[delivery.ses] events_topic_arn is not set in {settings.config_path}: pin the SNS topic "
                    "that SES publishes events to (e.g. arn:aws:sns:us-east-1:123456789012:ses-events)"
                )
            try:
                verifier.verify(doc)
            except SignatureError as exc:
                reject(n, f"SNS envelope refused: {exc}")
                continue
            if doc["Type"] != "Notification":
                result.confirmations.append(str(doc.get("SubscribeURL", "")))
                continue
            try:
                event = json.loads(doc["Message"])
            except (TypeError, json.JSONDecodeError):
                reject(n, "the SNS Message is not an SES event (not JSON)")
                continue
            if not isinstance(event, dict):
                reject(n, "the SNS Message is not an SES event (not a JSON object)")
                continue
            wrong = _apply(store, event, f"sns:{doc.get('MessageId')}", True, result)
            if wrong:
                reject(n, wrong)
        elif "eventType" in doc or "notificationType" in doc:
            if not allow_unsigned:
                reject(n, "a bare SES event has no SNS signature: pass --unsigned to accept events you fetched yourself")
                continue
            wrong = _apply(store, doc, content_hash(json.dumps(doc, sort_keys=True)), False, result)
            if wrong:
                reject(n, wrong)
        else:
            reject(n, "neither an SNS envelope nor an SES event (no Type/TopicArn, no eventType/notificationType)")
    return result
