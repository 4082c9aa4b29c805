"""Real mail servers for delivery tests: moto's SES (with a small fault layer) and aiosmtpd.

Moto does not enforce the SES sandbox or the send rate, lacks the sesv2 ``GetAccount``
operation, and cannot throttle. ``SesFaultProxy`` sits between boto3 and moto on
127.0.0.1 and adds exactly those: an account answer (sandbox or production, quota,
rate), throttling or permanent rejections for the next sends, a dropped connection after
moto accepted a send (the in-doubt case), a missing v2 send operation (the v1 fallback),
and a record of every send request with its arrival time. Everything else is forwarded
to moto unchanged.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.request
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def moto_data(endpoint: str) -> dict[str, Any]:
    """What moto holds: its /moto-api/data.json."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        return json.load(response)


def moto_raw_messages(endpoint: str) -> list[dict[str, Any]]:
    """The raw messages moto's SES accepted, oldest first."""
    return moto_data(endpoint)["ses"]["RawMessage"]


def moto_reset(endpoint: str) -> None:
    """Forget every identity and message in moto."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def header_recipients(raw: str) -> set[str]:
    """Addresses moto added from the To/Cc headers (moto appends them to the destinations)."""
    from email.utils import getaddresses

    parsed = message_from_bytes(raw.encode(), policy=policy.compat32)
    return {a.lower() for _, a in getaddresses(parsed.get_all("To", []) + parsed.get_all("Cc", [])) if a}


class SesFaultProxy:
    """An HTTP proxy in front of moto with switchable SES faults."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.account: dict[str, Any] | None = None
        self.verified: set[str] | None = None  # sandbox: only these recipients (or domains)
        self.throttle_next = 0
        self.reject_next = 0
        self.drop_after_accept_next = 0
        self.missing_v2_send = False
        self.sends: list[tuple[float, str, bytes]] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms to every answer

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self)

            def do_POST(self) -> None:
                proxy.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def set_production(self, rate: float = 1000.0, max_24h: float = 1_000_000, sent: float = 0) -> None:
        """Answer GetAccount as an account out of the sandbox."""
        self.account = {
            "ProductionAccessEnabled": True, "SendingEnabled": True, "EnforcementStatus": "HEALTHY",
            "SendQuota": {"Max24HourSend": max_24h, "MaxSendRate": rate, "SentLast24Hours": sent},
        }

    @staticmethod
    def _is_send(path: str, body: bytes) -> str | None:
        if path.startswith("/v2/email/outbound-emails"):
            return "v2"
        if path == "/" and b"Action=SendRawEmail" in body:
            return "v1"
        return None

    def _recipients(self, api: str, body: bytes) -> list[str]:
        if api == "v2":
            dest = json.loads(body).get("Destination", {})
            return [*dest.get("ToAddresses", []), *dest.get("CcAddresses", []), *dest.get("BccAddresses", [])]
        form = parse_qs(body.decode())
        return [v[0] for k, v in form.items() if k.startswith("Destinations.member.")]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        path = request.path
        if path.startswith("/v2/email/account") and self.account is not None:
            return self._reply(request, 200, json.dumps(self.account).encode(), "application/json")
        api = self._is_send(path, body)
        if api:
            with self.lock:
                self.sends.append((time.monotonic(), api, body))
                fault = self._take_fault(api)
            if fault == "missing":
                return self._reply(request, 404, b"<html>404 Not Found</html>", "text/html")
            if fault == "throttle":
                return self._error(request, api, 429 if api == "v2" else 400,
                                   "TooManyRequestsException" if api == "v2" else "Throttling",
                                   "Maximum sending rate exceeded.")
            if fault == "reject":
                return self._error(request, api, 400, "MessageRejected", "Email address is on the account-level suppression list.")
            if self.verified is not None:
                unverified = [a for a in self._recipients(api, body)
                              if a.lower() not in self.verified and a.lower().rsplit("@", 1)[1] not in self.verified]
                if unverified:
                    return self._error(request, api, 400, "MessageRejected",
                                       f"Email address is not verified. The following identities failed the check "
                                       f"in region US-EAST-1: {', '.join(unverified)}")
            status, headers, answer = self._forward(request, body)
            if fault == "drop":
                # moto accepted it; the client never hears so
                request.close_connection = True
                request.connection.shutdown(socket.SHUT_RDWR)
                return None
            return self._reply(request, status, answer, headers.get("Content-Type", "text/xml"))
        status, headers, answer = self._forward(request, body)
        return self._reply(request, status, answer, headers.get("Content-Type", "text/xml"))

    def _take_fault(self, api: str) -> str | None:
        if self.missing_v2_send and api == "v2":
            return "missing"
        for name in ("throttle_next", "reject_next", "drop_after_accept_next"):
            if getattr(self, name) > 0:
                setattr(self, name, getattr(self, name) - 1)
                return {"throttle_next": "throttle", "reject_next": "reject", "drop_after_accept_next": "drop"}[name]
        return None

    def _forward(self, request: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "connection")}
        conn.request(request.command, request.path, body=body or None, headers=headers)
        response = conn.getresponse()
        answer = response.read()
        conn.close()
        return response.status, dict(response.getheaders()), answer

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _error(self, request: BaseHTTPRequestHandler, api: str, status: int, code: str, message: str) -> None:
        if api == "v2":
            body = json.dumps({"__type": code, "message": message}).encode()
            request.send_response(status)
            request.send_header("x-amzn-ErrorType", code)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            return
        body = (f'<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>'
                f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId>"
                "</ErrorResponse>").encode()
        self._reply(request, status, body, "text/xml")


class RecordingHandler:
    """An aiosmtpd handler that keeps every message with its envelope, and can misbehave."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.data_replies: list[str] = []  # replies to use for the next DATA commands
        self.drop_next_data = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            reply = self.data_replies.pop(0)
            if not reply.startswith("250"):
                return reply
        with self.lock:
            self.messages.append({
                "mail_from": envelope.mail_from,
                "rcpt_tos": [a.lower() for a in envelope.rcpt_tos],
                "content": bytes(envelope.original_content or envelope.content),
            })
        if self.drop_next_data > 0:
            # accepted, but the client never hears so: the in-doubt case
            self.drop_next_data -= 1
            session.transport.close() if hasattr(session, "transport") and session.transport else None
            server.transport.close()
        return "250 2.0.0 Ok: queued as Q" + str(len(self.messages))

    def parsed(self, n: int) -> Any:
        return message_from_bytes(self.messages[n]["content"], policy=policy.default)


def make_certificates(common_name: str, sans: list[str] | None = None) -> dict[str, Any]:
    """A throwaway CA and a leaf certificate it signed, with their RSA keys (PEM)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "execbrief test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    names: list[x509.GeneralName] = []
    for san in sans or []:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(san)))
        except ValueError:
            names.append(x509.DNSName(san))
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
               .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
               .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    pem = serialization.Encoding.PEM
    return {
        "ca_pem": ca.public_bytes(pem),
        "cert_pem": cert.public_bytes(pem),
        "key": key,
        "key_pem": key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL,
                                     serialization.NoEncryption()),
    }
