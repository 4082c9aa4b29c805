"""The SMTP channel: one connection reused across the sends of a run.

``[delivery.smtp]`` names the host, port and security (``starttls``, ``tls`` or
``none``); the username and password come from the environment variables it names,
never from the TOML file. The envelope (``MAIL FROM``/``RCPT TO``) carries every
recipient, audit copies included; the headers carry only the visible ones.

MAIL, RCPT and DATA are sent step by step (not through ``sendmail``) so a broken
connection is classified by where it broke: before DATA nothing was accepted and the
send is retried; during DATA the server may have the message, so it is in doubt.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from email.utils import parseaddr
from typing import Any, Callable

from ..config import Settings
from ..errors import ConfigError, DeliveryError, DeliveryInDoubt, DeliveryRejected, DeliveryThrottled
from ..model import Message, Receipt

__all__ = ["SmtpChannel", "register"]

_QUEUED = re.compile(r"queued as ([A-Za-z0-9._-]+)", re.I)
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _text(reply: Any) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _reply_error(code: int, reply: Any, what: str) -> DeliveryError:
    said = f"SMTP {what}: {code} {_text(reply)}".strip()
    if 400 <= code < 500:
        return DeliveryThrottled(said)
    return DeliveryRejected(said)


class SmtpChannel:
    """Sends messages through an SMTP server."""

    name = "smtp"
    max_recipients = 100  # RFC 5321 servers must accept at least 100 RCPTs per message
    rate_unit = "message"

    def __init__(self, settings: Settings, smtp_factory: Callable[..., smtplib.SMTP] | None = None) -> None:
        self.settings = settings
        self.config = settings.delivery.smtp
        self.factory = smtp_factory
        self.conn: smtplib.SMTP | None = None
        self.size_limit: int | None = None

    @property
    def max_message_bytes(self) -> int | None:
        """The server's advertised SIZE limit, once connected."""
        return self.size_limit

    def max_rate(self) -> float:
        """Messages per second, as configured in ``[delivery.smtp] max_rate``."""
        return self.config.max_rate

    def credentials(self) -> tuple[str, str] | None:
        """Username and password from the environment variables the config names."""
        names = (self.config.username_env, self.config.password_env)
        if not any(names):
            return None
        env = self.settings.env
        missing = [n for n in names if not n or not env.get(n)]
        if missing:
            shown = " and ".join(str(n) for n in missing if n) or "username_env/password_env"
            raise ConfigError(
                f"[delivery.smtp] in {self.settings.config_path} names {shown}, which is not set: "
                "export it or put it in the workspace's .env (set both username_env and password_env)"
            )
        return env[names[0]], env[names[1]]  # type: ignore[index]

    def connect(self) -> smtplib.SMTP:
        """Open, secure and authenticate a connection (reused until it breaks)."""
        if self.conn is not None:
            return self.conn
        host, port, security = self.config.host, self.config.port, self.config.security
        login = self.credentials()
        if login and security == "none" and host not in _LOOPBACK:
            raise DeliveryRejected(
                f"[delivery.smtp] security is 'none' but a password is configured for {host}: "
                "use 'starttls' or 'tls' so the password is not sent in clear"
            )
        context = ssl.create_default_context()
        try:
            if self.factory is not None:
                conn = self.factory(host, port)
            elif security == "tls":
                conn = smtplib.SMTP_SSL(host, port, timeout=30, context=context)
            else:
                conn = smtplib.SMTP(host, port, timeout=30)
            conn.ehlo()
            if security == "starttls":
                if not conn.has_extn("starttls"):
                    conn.close()
                    raise DeliveryRejected(
                        f"SMTP server {host}:{port} does not offer STARTTLS: set [delivery.smtp] security "
                        "to 'tls' or, for a local relay only, 'none'"
                    )
                conn.starttls(context=context)
                conn.ehlo()
            if login:
                conn.login(*login)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryRejected(f"SMTP login to {host}:{port} failed: {exc.smtp_code} {_text(exc.smtp_error)}: "
                                   "check the username and password variables") from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            raise DeliveryRejected(f"TLS with {host}:{port} failed: {exc}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"cannot connect to SMTP server {host}:{port}: {exc}") from None
        size = conn.esmtp_features.get("size", "")
        self.size_limit = int(size) if size.isdigit() and int(size) > 0 else None
        self.conn = conn
        return conn

    def close(self) -> None:
        """Say QUIT and close the connection, if open."""
        conn, self.conn = self.conn, None
        if conn is not None:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def _drop(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()

    def send(self, message: Message, run_id: str) -> Receipt:
        """Send one message over the open connection; raises a ``DeliveryError`` subclass."""
        conn = self.connect()
        sender = parseaddr(message.sender)[1]
        envelope = [*message.to, *message.bcc]
        try:
            code, reply = conn.mail(sender)
            if code != 250:
                raise _reply_error(code, reply, f"MAIL FROM <{sender}>")
            refused: dict[str, str] = {}
            for address in envelope:
                code, reply = conn.rcpt(address)
                if code not in (250, 251):
                    refused[address] = f"{code} {_text(reply)}"
                    last = (code, reply)
            if len(refused) == len(envelope):
                conn.rset()
                raise _reply_error(last[0], last[1], f"RCPT TO (all {len(envelope)} refused)")
        except DeliveryError:
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise DeliveryError(f"SMTP connection lost before DATA: {exc}") from None
        try:
            code, reply = conn.data(message.mime)
        except smtplib.SMTPDataError as exc:
            raise _reply_error(exc.smtp_code, exc.smtp_error, "DATA") from None
        except (OSError, smtplib.SMTPException) as exc:
            # the server may have the whole message and not have answered yet
            self._drop()
            raise DeliveryInDoubt(f"SMTP connection lost during DATA ({exc}); the message may have been accepted") from None
        if code != 250:
            raise _reply_error(code, reply, "DATA")
        found = _QUEUED.search(_text(reply))
        detail = f"refused by the server: {'; '.join(f'{a} ({r})' for a, r in refused.items())}" if refused else None
        return Receipt(
            key=message.key, channel=self.name, status="sent",
            message_id=found.group(1) if found else _message_id(message.mime), detail=detail,
        )


def _message_id(mime: bytes) -> str | None:
    head = mime.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    found = re.search(r"^Message-ID:\s*(<[^>]+>)", head, re.I | re.M)
    return found.group(1) if found else None


def register(registry: Any) -> None:
    """Entry point of the built-in SMTP channel."""
    registry.add_channel("smtp", SmtpChannel)
