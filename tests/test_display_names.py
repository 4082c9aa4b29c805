"""Senders and readers as people write them (issue 13, item 4): ``Name <address>`` or a bare
address, through the outbox, SES (moto) and SMTP (aiosmtpd), and doctor."""

from __future__ import annotations

import email
import json
from email import policy
from email.utils import getaddresses

import pytest

from execbrief.addresses import parse_mailbox
from execbrief.errors import ConfigError
from hostile import cli
from test_delivery_ses import moto_port, ses, ses_workspace, verify  # noqa: F401 (fixtures)
from test_delivery_smtp import smtp, smtp_workspace  # noqa: F401 (fixture)
from mailservers import moto_raw_messages

SENDER = 'sender = "Acme Reports <briefings@example.com>"'
READER = 'to = ["Jane Doe <ceo@example.com>"]'


def named(workspace):
    text = (workspace.root / "execbrief.toml").read_text()
    text = text.replace('sender = "briefings@example.com"', SENDER + "\nreply_to = '\"Ops, Desk\" <ops@example.com>'")
    text = text.replace('to = ["ceo@example.com"]', READER)
    (workspace.root / "execbrief.toml").write_text(text)
    return workspace


def headers(raw: bytes | str):
    data = raw.encode() if isinstance(raw, str) else raw
    return email.message_from_bytes(data, policy=policy.default)


@pytest.mark.parametrize("written, name, address", [
    ("Acme Reports <reports@acme.example>", "Acme Reports", "reports@acme.example"),
    ("reports@acme.example", "", "reports@acme.example"),
    ('"Acme, Inc." <Reports@ACME.example>', "Acme, Inc.", "reports@acme.example"),
    ("Büro <info@bücher.example>", "Büro", "info@xn--bcher-kva.example"),
    ("=?utf-8?q?Caf=C3=A9?= <cafe@example.com>", "Café", "cafe@example.com"),
])
def test_a_mailbox_is_parsed_into_its_name_and_ascii_address(written, name, address):
    mailbox = parse_mailbox(written)
    assert (mailbox.name, mailbox.address) == (name, address)


@pytest.mark.parametrize("written, says", [
    ("Acme, Inc. <a@example.com>", "holds 2 addresses"),
    ("a@example.com, b@example.com", "holds 2 addresses"),
    ("Jörg <jörg@example.com>", "must be plain ASCII"),
    ("a@localhost", "not a valid domain name"),
    ("not an address", "is not an email address"),
    ("a@example.com\r\nBcc: evil@example.net", "line break"),
    (5, "write it as a string"),
])
def test_what_is_not_one_mailbox_is_refused_saying_why(written, says):
    with pytest.raises(ValueError, match=says):
        parse_mailbox(written)


def test_a_display_name_sender_is_a_valid_first_config(workspace):
    named(workspace)

    settings = workspace.settings()

    assert settings.delivery.sender == "briefings@example.com"
    assert settings.display_names() == {
        "briefings@example.com": "Acme Reports", "ceo@example.com": "Jane Doe", "ops@example.com": "Ops, Desk"}


def test_a_bad_sender_names_the_key(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace(
        'sender = "briefings@example.com"', 'sender = "Acme <briefings@example.com>, x@example.com"')
    (workspace.root / "execbrief.toml").write_text(text)

    with pytest.raises(ConfigError, match="key 'delivery.sender'.*holds 2 addresses"):
        workspace.settings()


def test_an_idna_recipient_domain_is_allowed_by_either_spelling(workspace):
    text = (workspace.root / "execbrief.toml").read_text()
    text = text.replace('allowed_recipient_domains = ["example.com"]', 'allowed_recipient_domains = ["example.com", "bücher.example"]')
    text = text.replace('to = ["cfo@example.com"]', 'to = ["Kasse <kasse@xn--bcher-kva.example>"]')
    (workspace.root / "execbrief.toml").write_text(text)

    settings = workspace.settings()

    assert settings.reports[1].to == ["kasse@xn--bcher-kva.example"]


def test_the_outbox_message_carries_the_display_names_and_the_envelope_the_addresses(workspace):
    named(workspace)

    out = cli("run", "-w", str(workspace.root), "--json")

    assert out.code == 0, out.failures
    ceo = next(r for r in out.data["reports"] if r["key"] == "ceo")
    message = headers(open(ceo["files"]["eml"], "rb").read())
    assert getaddresses([str(message["From"])]) == [("Acme Reports", "briefings@example.com")]
    assert getaddresses([str(message["To"])]) == [("Jane Doe", "ceo@example.com")]
    assert getaddresses([str(message["Reply-To"])]) == [("Ops, Desk", "ops@example.com")]
    envelope = json.loads((workspace.root / "outbox" / out.data["run_id"] / "envelope.json").read_text())
    entry = next(e for e in envelope if e["key"] == "ceo")
    assert entry["sender"] == "briefings@example.com" and entry["to"] == ["ceo@example.com"]


def test_a_non_ascii_display_name_is_rfc_2047_encoded(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace(
        'sender = "briefings@example.com"', 'sender = "Büro Zürich <briefings@example.com>"')
    (workspace.root / "execbrief.toml").write_text(text)

    out = cli("run", "-w", str(workspace.root), "--json", "--only", "ceo")

    raw = open(out.data["reports"][0]["files"]["eml"], "rb").read()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"From: =?utf-8?q?B=C3=BCro_Z=C3=BCrich?= <briefings@example.com>" in head
    assert str(headers(raw)["From"]) == "Büro Zürich <briefings@example.com>"


def test_ses_sends_from_the_display_name_and_checks_the_address_identity(ses, workspace):  # noqa: F811
    verify("example.com")
    ses_workspace(named(workspace))

    out = cli("run", "-w", str(workspace.root), "--json")

    assert out.code == 0, out.failures
    received = moto_raw_messages(ses.endpoint)
    assert received and all(m["source"] == "briefings@example.com" for m in received)
    froms = {str(headers(m["raw_data"])["From"]) for m in received}
    assert froms == {"Acme Reports <briefings@example.com>"}
    doctor = cli("doctor", "-w", str(workspace.root), "--json")
    checks = {c["name"]: c for c in doctor.data["checks"]}
    assert checks["sender pinned"]["status"] == "ok" and checks["sender identity"]["status"] == "ok"


def test_smtp_mail_from_is_the_address_and_the_header_has_the_name(smtp, workspace):  # noqa: F811
    smtp_workspace(named(workspace), smtp.port)

    out = cli("run", "-w", str(workspace.root), "--json")

    assert out.code == 0, out.failures
    assert {m["mail_from"] for m in smtp.messages} == {"briefings@example.com"}
    assert str(smtp.parsed(0)["From"]) == "Acme Reports <briefings@example.com>"
    to_ceo = next(n for n, m in enumerate(smtp.messages) if "ceo@example.com" in m["rcpt_tos"])
    assert str(smtp.parsed(to_ceo)["To"]) == "Jane Doe <ceo@example.com>"
