"""SES events through SNS: signatures (v1, v2), the pinned topic and cert URL, suppression."""

from __future__ import annotations

import base64
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from execbrief.cli import cli
from execbrief.delivery.events import SignatureError, SnsVerifier, https_fetcher, ingest
from execbrief.ledger import Ledger
from execbrief.ledger.deliveries import DeliveryLedger
from execbrief.model import Message
from mailservers import make_certificates

TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events"
CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"
SES_ID = "0100018c-ses-message-id"

# The canonical string SNS signs, written out here from AWS's documentation rather than
# taken from the code under test.
NOTIFICATION_KEYS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
CONFIRMATION_KEYS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]


@pytest.fixture(scope="module")
def certs():
    return make_certificates("sns.amazonaws.com")


@pytest.fixture(scope="module")
def cert_server(certs):
    """Serves the signing certificate on 127.0.0.1, as sns.<region>.amazonaws.com would."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = certs["cert_pem"]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetched(cert_server):
    """A fetcher that maps the AWS certificate URL to the local server, and logs each fetch."""
    calls: list[str] = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        with urllib.request.urlopen(f"http://127.0.0.1:{cert_server}{urlsplit(url).path}", timeout=5) as answer:
            return answer.read()

    fetch.calls = calls  # type: ignore[attr-defined]
    return fetch


def envelope(certs, event: dict, *, version: str = "1", kind: str = "Notification", **overrides) -> dict:
    doc = {
        "Type": kind, "MessageId": f"sns-{abs(hash(json.dumps(event, sort_keys=True)))}", "TopicArn": TOPIC,
        "Message": json.dumps(event), "Timestamp": "2026-11-27T10:00:00.000Z", "SignatureVersion": version,
        "SigningCertURL": CERT_URL,
    }
    if kind != "Notification":
        doc.update(SubscribeURL="https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription", Token="t0k")
    doc.update({k: v for k, v in overrides.items() if k != "tamper"})
    keys = NOTIFICATION_KEYS if kind == "Notification" else CONFIRMATION_KEYS
    text = "".join(f"{k}\n{doc[k]}\n" for k in keys if k in doc).encode()
    algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
    doc["Signature"] = base64.b64encode(certs["key"].sign(text, padding.PKCS1v15(), algorithm)).decode()
    if "tamper" in overrides:
        doc["Message"] = overrides["tamper"]
    return doc


def bounce(address: str, kind: str = "Permanent") -> dict:
    return {"notificationType": "Bounce", "mail": {"messageId": SES_ID, "timestamp": "2026-11-27T09:59:00Z"},
            "bounce": {"bounceType": kind, "bounceSubType": "General", "timestamp": "2026-11-27T10:00:00Z",
                       "bouncedRecipients": [{"emailAddress": address, "diagnosticCode": "smtp; 550 no such user"}]}}


def complaint(address: str) -> dict:
    return {"eventType": "Complaint", "mail": {"messageId": SES_ID},
            "complaint": {"complainedRecipients": [{"emailAddress": f"Some One <{address}>"}],
                          "complaintFeedbackType": "abuse", "timestamp": "2026-11-27T10:01:00Z"}}


def events_workspace(workspace, topic: str | None = TOPIC):
    if topic:
        text = (workspace.root / "execbrief.toml").read_text()
        (workspace.root / "execbrief.toml").write_text(text + f'\n[delivery.ses]\nevents_topic_arn = "{topic}"\n')
    return workspace


@pytest.fixture
def sent(workspace):
    """A workspace whose ledger has one message SES accepted as SES_ID."""
    events_workspace(workspace)
    with Ledger.for_workspace(workspace.root) as ledger:
        run_id = ledger.start_run(workspace.root, "2026-W48", "2026-11-23", {})
        store = DeliveryLedger(ledger)
        message = Message(key="ceo", lens="ceo", sender="briefings@example.com", to=("ceo@example.com",),
                          subject="CEO briefing", mime=b"x", idempotency_key="sha256:ceo-key")
        row = store.record(run_id, message, status="pending", channel="ses", period="2026-W48", report_key="ceo",
                           parent_key="sha256:ceo-key", audit=False)
        store.finish(row, "sent", provider_message_id=SES_ID)
    return workspace


def do_ingest(workspace, docs, fetch, **kwargs):
    with Ledger.for_workspace(workspace.root) as ledger:
        return ingest(workspace.settings(), ledger, json.dumps(docs), source="events.json", fetch=fetch, **kwargs)


def suppressed(workspace) -> dict[str, str]:
    with Ledger.for_workspace(workspace.root) as ledger:
        return {r["address"]: r["reason"] for r in DeliveryLedger(ledger).suppressions()}


@pytest.mark.parametrize("version", ["1", "2"])
def test_signed_notification_is_verified_and_recorded_against_its_message(sent, certs, fetched, version):
    result = do_ingest(sent, [envelope(certs, bounce("ceo@example.com"), version=version)], fetched)
    assert result.rejected == []
    assert [(e["type"], e["matched"]) for e in result.recorded] == [("Bounce", True)]
    with Ledger.for_workspace(sent.root) as ledger:
        (event,) = DeliveryLedger(ledger).events_for("sha256:ceo-key")
    assert (event["type"], event["verified"], event["detail"]) == ("Bounce", 1, "Permanent/General")
    assert fetched.calls == [CERT_URL]


def test_hard_bounces_and_complaints_suppress_the_address_and_soft_bounces_do_not(sent, certs, fetched):
    docs = [envelope(certs, bounce("gone@example.com")), envelope(certs, complaint("angry@example.com")),
            envelope(certs, bounce("full@example.com", kind="Transient"))]
    result = do_ingest(sent, docs, fetched)
    assert sorted(result.suppressed) == ["angry@example.com", "gone@example.com"]
    assert suppressed(sent) == {"gone@example.com": "bounce", "angry@example.com": "complaint"}


def test_a_tampered_message_is_refused(sent, certs, fetched):
    doc = envelope(certs, bounce("ceo@example.com"), tamper=json.dumps(bounce("cfo@example.com")))
    result = do_ingest(sent, [doc], fetched)
    assert result.recorded == [] and suppressed(sent) == {}
    assert "signature does not match" in result.rejected[0].message
    assert (result.rejected[0].path, result.rejected[0].line) == ("events.json", 1)


def test_a_notification_from_another_topic_is_refused(sent, certs, fetched):
    doc = envelope(certs, bounce("ceo@example.com"), TopicArn="arn:aws:sns:us-east-1:999999999999:other")
    result = do_ingest(sent, [doc], fetched)
    assert "is not the pinned" in result.rejected[0].message and result.recorded == []


@pytest.mark.parametrize("url", [
    "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
    "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem",
    "https://evil.example/sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
    "https://sns.us-east-1.amazonaws.com@evil.example/SimpleNotificationService-test.pem",
    "https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-test.pem",
    "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.txt",
    "https://s3.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
    "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
])
def test_a_certificate_url_outside_the_topics_sns_domain_is_refused_before_any_fetch(sent, certs, fetched, url):
    result = do_ingest(sent, [envelope(certs, bounce("ceo@example.com"), SigningCertURL=url)], fetched)
    assert result.recorded == [] and len(result.rejected) == 1
    assert "SigningCertURL" in result.rejected[0].message
    assert fetched.calls == []


def test_an_unknown_signature_version_is_refused(sent, certs, fetched):
    doc = envelope(certs, bounce("ceo@example.com"))
    doc["SignatureVersion"] = "3"
    result = do_ingest(sent, [doc], fetched)
    assert "SignatureVersion" in result.rejected[0].message


def test_a_signature_from_another_key_is_refused(sent, fetched):
    stranger = make_certificates("sns.amazonaws.com")
    result = do_ingest(sent, [envelope(stranger, bounce("ceo@example.com"), version="2")], fetched)
    assert "signature does not match" in result.rejected[0].message and suppressed(sent) == {}


def test_ingesting_the_same_events_twice_records_them_once(sent, certs, fetched):
    docs = [envelope(certs, bounce("gone@example.com")), envelope(certs, complaint("angry@example.com"))]
    do_ingest(sent, docs, fetched)
    again = do_ingest(sent, docs, fetched)
    assert again.recorded == [] and again.duplicates == 2 and again.suppressed == []


def test_a_subscription_confirmation_is_verified_and_reported(sent, certs, fetched):
    doc = envelope(certs, {"note": "confirm"}, kind="SubscriptionConfirmation", version="2")
    result = do_ingest(sent, [doc], fetched)
    assert result.rejected == [] and result.confirmations == [doc["SubscribeURL"]]


def test_the_production_fetcher_only_speaks_https():
    with pytest.raises(SignatureError, match="not https"):
        https_fetcher("http://sns.us-east-1.amazonaws.com/cert.pem")
    verifier = SnsVerifier(TOPIC)
    verifier.check_cert_url(CERT_URL)  # the real form is accepted


def test_cli_refuses_bare_events_unless_unsigned_and_lists_suppressions(sent, tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(bounce("gone@example.com")) + "\n" + "{not json\n")
    refused = CliRunner().invoke(cli, ["events", "ingest", str(path), "-w", str(sent.root)])
    assert refused.exit_code == 1
    assert "--unsigned" in refused.stderr and "line 2 is not JSON" in refused.stderr
    assert suppressed(sent) == {}
    accepted = CliRunner().invoke(cli, ["events", "ingest", "-", "-w", str(sent.root), "--unsigned", "--json"],
                                  input=json.dumps(bounce("gone@example.com")))
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["suppressed"] == ["gone@example.com"]
    listed = CliRunner().invoke(cli, ["events", "suppressed", "-w", str(sent.root), "--json"])
    assert [r["address"] for r in json.loads(listed.stdout)] == ["gone@example.com"]
    removed = CliRunner().invoke(cli, ["events", "unsuppress", "gone@example.com", "-w", str(sent.root)])
    assert removed.exit_code == 0 and suppressed(sent) == {}


def test_an_sns_envelope_without_a_pinned_topic_is_a_config_error(workspace, certs):
    path = workspace.write("events.json", json.dumps(envelope(certs, bounce("gone@example.com"))))
    result = CliRunner().invoke(cli, ["events", "ingest", str(path), "-w", str(workspace.root)])
    assert result.exit_code == 2
    assert "events_topic_arn" in result.stderr


def test_a_suppressed_recipient_is_left_out_of_the_next_run_and_reported(workspace):
    with Ledger.for_workspace(workspace.root) as ledger:
        DeliveryLedger(ledger).suppress("ceo@example.com", "bounce", "Permanent/General", "sns:1")
    result = CliRunner().invoke(cli, ["run", "-w", str(workspace.root), "--json"])
    assert result.exit_code == 0, result.output
    deliveries = {(d["key"], d["recipient"]): d["status"] for d in json.loads(result.stdout)["deliveries"]}
    assert deliveries[("ceo", "ceo@example.com")] == "suppressed"
    assert deliveries[("ceo", "audit@example.com")] == "sent"
    assert deliveries[("cfo", "cfo@example.com")] == "sent"
    envelope_json = next((workspace.root / "outbox").glob("*/envelope.json"))
    ceo = [e for e in json.loads(envelope_json.read_text()) if e["key"] == "ceo"][0]
    assert ceo["to"] == [] and ceo["bcc"] == ["audit@example.com"]
    doctor = CliRunner().invoke(cli, ["doctor", "-w", str(workspace.root)])
    assert "suppression list" in doctor.stderr and "ceo@example.com (bounce)" in doctor.stderr
