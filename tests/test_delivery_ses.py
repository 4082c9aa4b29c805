"""SES delivery against moto's real server (plus a small fault layer for what moto lacks).

Assertions are on what moto received (its /moto-api/data.json) and on the ledger.
Note: moto appends the To/Cc header addresses to the destinations it records (real SES
uses the Destination we pass), so a header address can appear there twice.
"""

from __future__ import annotations

import json

import boto3
import pytest
from conftest import Workspace
from click.testing import CliRunner
from moto.server import ThreadedMotoServer

from execbrief.cli import cli
from execbrief.delivery.parts import UNDISCLOSED
from execbrief.delivery.ses import SesChannel
from execbrief.errors import DeliveryInDoubt, DeliveryRejected, DeliveryThrottled
from mailservers import SesFaultProxy, free_port, moto_raw_messages, moto_reset


@pytest.fixture(scope="module")
def moto_port():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield port
    server.stop()


@pytest.fixture
def ses(moto_port, monkeypatch):
    """moto behind the fault proxy, empty, with boto3 pointed at it; production account by default."""
    moto_reset(f"http://127.0.0.1:{moto_port}")
    proxy = SesFaultProxy(moto_port)
    proxy.set_production(rate=1000)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.endpoint)
    yield proxy
    proxy.stop()


def verify(*identities: str) -> None:
    client = boto3.client("ses", region_name="us-east-1")
    for identity in identities:
        if "@" in identity:
            client.verify_email_identity(EmailAddress=identity)
        else:
            client.verify_domain_identity(Domain=identity)


def ses_workspace(workspace, extra: str = "", to: list[str] | None = None):
    text = (workspace.root / "execbrief.toml").read_text()
    text = text.replace("[delivery]\n", f'[delivery]\nmethod = "ses"\nretry_base_s = 0\n{extra}\n', 1)
    if to is not None:
        text = text.replace('to = ["ceo@example.com"]', f"to = {json.dumps(to)}", 1)
    (workspace.root / "execbrief.toml").write_text(text)
    return workspace


run = Workspace.run  # run(workspace, *extra) -> (exit code, JSON summary)


ledger_rows = Workspace.messages  # the ledger's message rows, oldest first


def test_ses_sends_raw_mime_with_the_audit_copy_on_the_envelope_only(ses, workspace):
    verify("example.com")
    code, data = run(ses_workspace(workspace))
    assert code == 0, data["failures"]
    received = moto_raw_messages(ses.endpoint)
    assert len(received) == 2
    for message in received:
        head = message["raw_data"].split("\r\n\r\n", 1)[0]
        assert "audit@example.com" in message["destinations"]
        assert "audit@example.com" not in head and "Bcc" not in head
        assert "Content-Type: multipart/alternative" in message["raw_data"]
        assert message["source"] == "briefings@example.com"
    ids = {m["id"] for m in received}
    assert {d["message_id"] for d in data["deliveries"]} == ids
    assert all(d["status"] == "sent" and d["channel"] == "ses" for d in data["deliveries"])


def test_ses_rerun_in_the_same_period_sends_nothing_again(ses, workspace):
    verify("example.com")
    ses_workspace(workspace)
    run(workspace)
    code, data = run(workspace)
    assert code == 0
    assert {d["status"] for d in data["deliveries"]} == {"skipped"}
    assert len(moto_raw_messages(ses.endpoint)) == 2


def test_more_than_50_recipients_are_split_into_groups_of_at_most_50(ses, workspace):
    verify("example.com")
    many = [f"reader{n:03d}@example.com" for n in range(120)]
    code, data = run(ses_workspace(workspace, to=many))
    assert code == 0, data["failures"]
    ceo = [m for m in moto_raw_messages(ses.endpoint) if "Subject: CEO" in m["raw_data"]]
    # three groups of 50, 50 and 20 readers, and the audit copy apart
    assert sorted(len(m["destinations"]) for m in ceo) == [1, 20, 50, 50]
    assert all(f"To: {UNDISCLOSED}" in m["raw_data"] for m in ceo)
    reached = [d for m in ceo for d in m["destinations"]]
    assert sorted(reached) == sorted([*many, "audit@example.com"])  # each exactly once


def test_list_unsubscribe_goes_to_readers_and_not_to_the_audit_copy(ses, workspace):
    verify("example.com")
    code, _ = run(ses_workspace(workspace, 'list_unsubscribe = "mailto:unsubscribe@example.com"'))
    assert code == 0
    received = moto_raw_messages(ses.endpoint)
    readers = [m for m in received if "audit@example.com" not in m["destinations"]]
    audit = [m for m in received if "audit@example.com" in m["destinations"]]
    assert len(readers) == 2 and len(audit) == 2
    assert all("List-Unsubscribe: <mailto:unsubscribe@example.com>" in m["raw_data"] for m in readers)
    assert not any("List-Unsubscribe" in m["raw_data"] for m in audit)


def test_throttling_is_retried_with_backoff_and_every_attempt_counted(ses, workspace):
    verify("example.com")
    ses.throttle_next = 2
    code, data = run(ses_workspace(workspace, "max_attempts = 4"), "--only", "ceo")
    assert code == 0, data["failures"]
    assert len(moto_raw_messages(ses.endpoint)) == 1
    row = ledger_rows(workspace)[0]
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert "TooManyRequestsException" in row["last_error"]


def test_a_permanent_rejection_is_recorded_with_the_providers_words_and_not_retried(ses, workspace):
    verify("example.com")
    ses.reject_next = 1
    code, data = run(ses_workspace(workspace, "max_attempts = 4"), "--only", "ceo")
    assert code == 1
    assert moto_raw_messages(ses.endpoint) == []
    row = ledger_rows(workspace)[0]
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert "account-level suppression list" in row["last_error"]
    assert any("MessageRejected" in f for f in data["failures"])


def test_resend_failed_sends_exactly_what_failed(ses, workspace):
    verify("example.com")
    ses.reject_next = 1
    ses_workspace(workspace)
    code, _ = run(workspace)
    assert code == 1 and len(moto_raw_messages(ses.endpoint)) == 1
    result = CliRunner().invoke(cli, ["resend", "--failed", "-w", str(workspace.root), "--json"])
    assert result.exit_code == 0, result.output
    resent = json.loads(result.stdout)["deliveries"]
    assert {d["key"] for d in resent} == {"ceo"}
    received = moto_raw_messages(ses.endpoint)
    assert len(received) == 2
    # the resend is the very message that failed: same Message-ID
    first_ceo = [r for r in ledger_rows(workspace) if r["key"] == "ceo"]
    assert [r["status"] for r in first_ceo] == ["failed", "sent"]
    again = CliRunner().invoke(cli, ["resend", "--failed", "-w", str(workspace.root)])
    assert again.exit_code == 0 and "Nothing to resend" in again.stderr
    assert len(moto_raw_messages(ses.endpoint)) == 2


def test_unverified_recipients_in_the_sandbox_stop_delivery_before_any_send(ses, workspace):
    ses.account = None  # moto has no GetAccount: the sandbox is inferred from the v1 quota
    verify("briefings@example.com")
    code, data = run(ses_workspace(workspace))
    assert code == 1
    assert moto_raw_messages(ses.endpoint) == []
    assert any("sandbox" in f and "ceo@example.com" in f for f in data["failures"])
    assert ledger_rows(workspace) == []


def test_sandbox_with_every_recipient_verified_may_send(ses, workspace):
    ses.account = None
    verify("example.com")
    ses.verified = {"example.com"}
    # the v1 sandbox quota allows 1 recipient a second: one report (2 recipients) keeps this quick
    code, data = run(ses_workspace(workspace), "--only", "ceo")
    assert code == 0, data["failures"]
    assert len(moto_raw_messages(ses.endpoint)) == 1


def test_unverified_sender_identity_fails_preflight(ses, workspace):
    code, data = run(ses_workspace(workspace))
    assert code == 1
    assert any("sender identity" in f and "example.com" in f for f in data["failures"])
    assert moto_raw_messages(ses.endpoint) == []


def test_not_enough_daily_quota_left_fails_preflight(ses, workspace):
    verify("example.com")
    ses.set_production(rate=10, max_24h=100, sent=98)
    code, data = run(ses_workspace(workspace))
    assert code == 1
    assert any("send quota" in f and "4 recipients planned" in f for f in data["failures"])


def test_v1_api_is_used_where_the_v2_send_operation_is_missing(ses, workspace):
    verify("example.com")
    ses.missing_v2_send = True
    code, data = run(ses_workspace(workspace))
    assert code == 0, data["failures"]
    apis = [api for _, api, _ in ses.sends]
    assert apis[0] == "v2" and apis[1:] == ["v1", "v1"]  # one probe, then v1 for the rest
    assert len(moto_raw_messages(ses.endpoint)) == 2


def test_connection_lost_after_ses_accepted_is_in_doubt_and_resent_as_possible_duplicate(ses, workspace):
    verify("example.com")
    ses.drop_after_accept_next = 1
    code, data = run(ses_workspace(workspace), "--only", "ceo")
    assert code == 0, data["failures"]
    assert len(moto_raw_messages(ses.endpoint)) == 2  # the provider got it twice…
    row = ledger_rows(workspace)[0]
    assert (row["status"], row["in_doubt"], row["attempts"]) == ("sent", 1, 2)  # …and the ledger says so
    assert data["deliveries"][0]["in_doubt"] is True


def test_with_in_doubt_hold_a_lost_answer_is_held_not_resent(ses, workspace):
    verify("example.com")
    ses.drop_after_accept_next = 1
    code, data = run(ses_workspace(workspace), "--only", "ceo", "--in-doubt", "hold")
    assert code == 1
    assert len(moto_raw_messages(ses.endpoint)) == 1
    assert ledger_rows(workspace)[0]["status"] == "held"
    result = CliRunner().invoke(cli, ["resend", "--held", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert len(moto_raw_messages(ses.endpoint)) == 2


def test_ses_errors_are_classified_for_retry_or_not(ses, workspace):
    settings = ses_workspace(workspace).settings()
    channel = SesChannel(settings)
    ses.throttle_next = 1
    from execbrief.model import Message

    message = Message(key="k", lens="ceo", sender="briefings@example.com", to=("ceo@example.com",),
                      subject="s", mime=b"From: briefings@example.com\r\nTo: ceo@example.com\r\n\r\nhi\r\n",
                      idempotency_key="sha256:x")
    with pytest.raises(DeliveryThrottled):
        channel.send(message, "run")
    with pytest.raises(DeliveryRejected, match="authority"):  # moto: sender not verified
        channel.send(message, "run")
    verify("example.com")
    ses.drop_after_accept_next = 1
    with pytest.raises(DeliveryInDoubt):
        channel.send(message, "run")
