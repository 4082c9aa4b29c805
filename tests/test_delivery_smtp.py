"""SMTP delivery against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import ssl

import pytest
from conftest import Workspace
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.ledger import LEDGER_PATH
from mailservers import RecordingHandler, free_port, make_certificates

PASSWORD = "s3cret-smtp-pass-9f2c"

# the test servers take AUTH without TLS on loopback on purpose
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def start(handler, **kwargs) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp():
    handler = RecordingHandler()
    controller = start(handler)
    handler.port = controller.port
    yield handler
    controller.stop()


def smtp_workspace(workspace, port: int, extra: str = "", security: str = "none"):
    text = (workspace.root / "execbrief.toml").read_text()
    text = text.replace("[delivery]\n", f'[delivery]\nmethod = "smtp"\nretry_base_s = 0\n{extra}\n', 1)
    text += f'\n[delivery.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\nmax_rate = 1000\n'
    (workspace.root / "execbrief.toml").write_text(text)
    return workspace


run = Workspace.run  # run(workspace, *extra) -> (exit code, JSON summary)


rows = Workspace.messages  # the ledger's message rows, oldest first


def test_envelope_includes_the_audit_copy_and_headers_do_not(smtp, workspace):
    code, data = run(smtp_workspace(workspace, smtp.port))
    assert code == 0, data["failures"]
    assert len(smtp.messages) == 2
    for n, message in enumerate(smtp.messages):
        assert message["mail_from"] == "briefings@example.com"
        assert "audit@example.com" in message["rcpt_tos"]
        head = message["content"].split(b"\r\n\r\n", 1)[0]
        assert b"audit@example.com" not in head and b"Bcc" not in head
    assert {tuple(m["rcpt_tos"]) for m in smtp.messages} == {
        ("ceo@example.com", "audit@example.com"), ("cfo@example.com", "audit@example.com")}


def test_list_unsubscribe_is_on_reader_copies_and_the_audit_copy_goes_apart_without_it(smtp, workspace):
    code, _ = run(smtp_workspace(workspace, smtp.port, 'list_unsubscribe = "mailto:leave@example.com"'), "--only", "ceo")
    assert code == 0
    by_rcpt = {tuple(m["rcpt_tos"]): n for n, m in enumerate(smtp.messages)}
    assert set(by_rcpt) == {("ceo@example.com",), ("audit@example.com",)}
    reader = smtp.parsed(by_rcpt[("ceo@example.com",)])
    audit = smtp.parsed(by_rcpt[("audit@example.com",)])
    assert reader["List-Unsubscribe"] == "<mailto:leave@example.com>"
    assert audit["List-Unsubscribe"] is None
    assert reader["Message-ID"] == audit["Message-ID"]  # the same message, two envelopes


def authenticated_server(password: str = PASSWORD):
    handler = RecordingHandler()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"mailer" and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)

    controller = start(handler, authenticator=authenticator, auth_require_tls=False, auth_required=True)
    return handler, controller


def test_login_uses_the_credentials_named_by_the_config_and_never_stores_them(workspace):
    handler, controller = authenticated_server()
    try:
        smtp_workspace(workspace, controller.port)
        text = (workspace.root / "execbrief.toml").read_text()
        (workspace.root / "execbrief.toml").write_text(
            text + 'username_env = "MAILER_USER"\npassword_env = "MAILER_PASS"\n')
        workspace.write(".env", f"MAILER_USER=mailer\nMAILER_PASS={PASSWORD}\n")
        code, data = run(workspace)
        assert code == 0, data["failures"]
        assert len(handler.messages) == 2
        assert PASSWORD.encode() not in (workspace.root / LEDGER_PATH).read_bytes()
        doctor = CliRunner().invoke(cli, ["doctor", "-w", str(workspace.root)])
        assert "authenticated" in doctor.stderr and PASSWORD not in doctor.stderr
    finally:
        controller.stop()


def test_a_wrong_password_fails_preflight_and_nothing_is_sent(workspace):
    handler, controller = authenticated_server(password="the-right-one")
    try:
        smtp_workspace(workspace, controller.port)
        text = (workspace.root / "execbrief.toml").read_text()
        (workspace.root / "execbrief.toml").write_text(text + 'username_env = "MAILER_USER"\npassword_env = "MAILER_PASS"\n')
        workspace.write(".env", "MAILER_USER=mailer\nMAILER_PASS=wrong\n")
        code, data = run(workspace)
        assert code == 1
        assert any("SMTP login" in f and "535" in f for f in data["failures"])
        assert handler.messages == [] and rows(workspace) == []
    finally:
        controller.stop()


def test_a_credential_variable_that_is_not_set_is_named(smtp, workspace):
    smtp_workspace(workspace, smtp.port)
    text = (workspace.root / "execbrief.toml").read_text()
    (workspace.root / "execbrief.toml").write_text(text + 'username_env = "MAILER_USER"\npassword_env = "MAILER_PASS"\n')
    result = CliRunner().invoke(cli, ["doctor", "-w", str(workspace.root)])
    assert result.exit_code == 1
    assert "MAILER_USER and MAILER_PASS" in result.stderr and ".env" in result.stderr


def test_an_unreachable_server_stops_delivery_before_the_first_send(workspace):
    code, data = run(smtp_workspace(workspace, free_port()))
    assert code == 1
    assert any("SMTP reachable" in f and "cannot connect" in f for f in data["failures"])
    assert data["deliveries"] == []


def test_starttls_is_negotiated_and_the_server_certificate_verified(workspace, tmp_path, monkeypatch):
    certs = make_certificates("127.0.0.1", ["127.0.0.1", "localhost"])
    (tmp_path / "ca.pem").write_bytes(certs["ca_pem"])
    (tmp_path / "cert.pem").write_bytes(certs["cert_pem"])
    (tmp_path / "key.pem").write_bytes(certs["key_pem"])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    handler = RecordingHandler()
    controller = start(handler, tls_context=context, require_starttls=True)
    try:
        smtp_workspace(workspace, controller.port, security="starttls")
        code, data = run(workspace)
        assert code == 1 and any("TLS" in f for f in data["failures"])  # our CA is not trusted yet
        assert handler.messages == []
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
        code, data = run(workspace)
        assert code == 0, data["failures"]
        assert len(handler.messages) == 2
    finally:
        controller.stop()


def test_starttls_configured_but_not_offered_is_refused(smtp, workspace):
    code, data = run(smtp_workspace(workspace, smtp.port, security="starttls"))
    assert code == 1
    assert any("does not offer STARTTLS" in f for f in data["failures"])
    assert smtp.messages == []


def test_a_temporary_4xx_is_retried_and_a_5xx_is_recorded_and_not_retried(smtp, workspace):
    smtp.data_replies = ["451 4.3.0 try again later", "250 ok", "554 5.7.1 message refused", "554 5.7.1 again"]
    code, data = run(smtp_workspace(workspace, smtp.port, "max_attempts = 3"))
    assert code == 1
    ceo, cfo = rows(workspace)
    assert (ceo["status"], ceo["attempts"]) == ("sent", 2) and "451" in ceo["last_error"]
    assert (cfo["status"], cfo["attempts"]) == ("failed", 1) and "554 5.7.1 message refused" in cfo["last_error"]
    assert len(smtp.messages) == 1


def test_a_connection_lost_after_data_is_in_doubt_and_resent_flagged(smtp, workspace):
    smtp.drop_next_data = 1
    code, data = run(smtp_workspace(workspace, smtp.port), "--only", "ceo")
    assert code == 0, data["failures"]
    assert len(smtp.messages) == 2  # delivered twice, and the ledger knows it may have been
    (row,) = rows(workspace)
    assert (row["status"], row["in_doubt"]) == ("sent", 1)
    history = CliRunner().invoke(cli, ["history", "-w", str(workspace.root), "--deliveries"])
    assert "in doubt (possible duplicate)" in history.output and "attempts 2" in history.output
