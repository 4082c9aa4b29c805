"""Checks before anything is sent: ``execbrief doctor``, also run before every delivering run.

Each check gives one line, ``ok``, ``warn``, ``fail`` or ``skip``, and for a failure the
fix. Any ``fail`` stops delivery before the first send.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from email import message_from_bytes, policy
from email.utils import parseaddr
from typing import Any, Literal

from ..config import Settings
from ..errors import ConfigError, DeliveryError, DeliveryRejected
from ..model import Message

__all__ = ["Check", "run_checks", "SENDER_ENV_VARS"]

# Variables a wrapper script might use to change the From address. The sender in
# execbrief.toml is the only one allowed, so any of these that differs is refused.
SENDER_ENV_VARS = ("EXECBRIEF_DELIVERY_SENDER", "EXECBRIEF_SENDER", "EXECBRIEF_FROM")


@dataclass(frozen=True)
class Check:
    """The result of one preflight check."""

    name: str
    status: Literal["ok", "warn", "fail", "skip"]
    detail: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The check as plain JSON data."""
        return asdict(self)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _recipients(settings: Settings, messages: list[Message] | None) -> list[str]:
    if messages:
        found = [a for m in messages for a in (*m.to, *m.bcc)]
    else:
        found = [a for r in settings.reports for a in r.to] + list(settings.delivery.audit_bcc)
    return list(dict.fromkeys(a.lower() for a in found))


def check_sender(settings: Settings, messages: list[Message] | None) -> Check:
    """The From address is the one in execbrief.toml, whatever the environment says."""
    pinned = settings.delivery.sender
    env = {**settings.env, **os.environ}
    for name in SENDER_ENV_VARS:
        value = env.get(name)
        if value and parseaddr(value)[1].strip().lower() != pinned:
            return Check("sender pinned", "fail", f"{name}={value!r} differs from delivery.sender {pinned!r}",
                         f"unset {name}: the sender comes only from {settings.config_path.name}")
    for message in messages or []:
        header = message_from_bytes(message.mime, policy=policy.default).get("From", "")
        if message.sender != pinned or parseaddr(str(header))[1].lower() != pinned:
            return Check("sender pinned", "fail", f"message {message.key} is from {header or message.sender!r}, "
                         f"not {pinned!r}", "rebuild the message: only delivery.sender may send")
    return Check("sender pinned", "ok", pinned)


def check_domains(settings: Settings, recipients: list[str]) -> Check:
    """Every recipient, audit copies included, is in an allowed domain."""
    allowed = settings.delivery.allowed_recipient_domains
    if not allowed:
        return Check("recipient domains", "warn", f"{len(recipients)} recipients, any domain allowed",
                     "set [delivery] allowed_recipient_domains to refuse typos and strangers")
    outside = [a for a in recipients if a.rsplit("@", 1)[-1] not in allowed]
    if outside:
        return Check("recipient domains", "fail", f"outside {', '.join(allowed)}: {', '.join(outside)}",
                     "fix the address or add its domain to allowed_recipient_domains")
    return Check("recipient domains", "ok", f"{len(recipients)} recipients within {', '.join(allowed)}")


def check_suppressed(ledger: Any, recipients: list[str]) -> Check:
    """Recipients on the suppression list are reported (they will be left out)."""
    if ledger is None:
        return Check("suppression list", "skip", "no ledger yet")
    from ..ledger.deliveries import DeliveryLedger

    found = DeliveryLedger(ledger).suppressed(recipients)
    if found:
        shown = ", ".join(f"{a} ({r})" for a, r in sorted(found.items()))
        return Check("suppression list", "warn", f"left out: {shown}",
                     "fix the address in execbrief.toml, or `execbrief events unsuppress ADDRESS` once it works")
    return Check("suppression list", "ok", "no recipient is suppressed")


def check_size(channel: Any, messages: list[Message] | None) -> Check:
    """Every message fits the channel's size limit (SES counts it after base64)."""
    limit = getattr(channel, "max_message_bytes", None)
    if not messages:
        return Check("message size", "skip", "no rendered messages to measure yet")
    measure = getattr(channel, "encoded_size", len)
    sizes = {m.key: measure(m.mime) for m in messages}
    largest = max(sizes, key=sizes.__getitem__)
    if limit is None:
        return Check("message size", "ok", f"largest {largest} {_mb(sizes[largest])} (no limit announced)")
    too_big = [k for k, s in sizes.items() if s > limit]
    if too_big:
        return Check("message size", "fail", f"{', '.join(too_big)} over the {_mb(limit)} limit "
                     f"(largest {_mb(sizes[largest])})", "shorten the report or drop its charts")
    return Check("message size", "ok", f"largest {largest} {_mb(sizes[largest])} of {_mb(limit)}")


def _ses_checks(settings: Settings, channel: Any, recipients: list[str], planned: int) -> list[Check]:
    region = channel.region
    sender = settings.delivery.sender
    domain = sender.rsplit("@", 1)[1]
    checks: list[Check] = []
    try:
        verified = channel.verified([sender, domain])
        if verified.get(sender) or verified.get(domain):
            which = sender if verified.get(sender) else f"domain {domain}"
            checks.append(Check("sender identity", "ok", f"{which} verified in {region}"))
        else:
            checks.append(Check("sender identity", "fail", f"neither {sender} nor {domain} is verified in {region}",
                                f"aws sesv2 create-email-identity --email-identity {domain} --region {region}, "
                                "then publish its DKIM records"))
        account = channel.account()
    except DeliveryError as exc:
        checks.append(Check("SES account", "fail", str(exc),
                            "check AWS credentials (AWS_PROFILE), [delivery.ses] region and AWS_ENDPOINT_URL"))
        return checks
    if account.sandbox:
        status = channel.verified(recipients + sorted({a.rsplit("@", 1)[1] for a in recipients}))
        unverified = [a for a in recipients if not (status.get(a) or status.get(a.rsplit("@", 1)[1]))]
        if unverified:
            checks.append(Check("sandbox", "fail", f"the account is in the SES sandbox ({account.source}) and "
                                f"{len(unverified)} recipients are not verified: {', '.join(unverified)}",
                                "verify each recipient in SES, or request production access"))
        else:
            checks.append(Check("sandbox", "warn", f"the account is in the SES sandbox; all {len(recipients)} "
                                "recipients are verified", "request production access before adding recipients"))
    else:
        checks.append(Check("sandbox", "ok", f"production access ({account.source})"))
    left = account.max_24h - account.sent_24h
    rate = channel.max_rate()
    cap = "unlimited" if account.max_24h < 0 else f"{account.max_24h:,.0f}"
    detail = f"max {rate:g}/s (account {account.max_send_rate:g}/s), {account.sent_24h:,.0f} of {cap} sent in 24 h"
    if not account.sending_enabled:
        checks.append(Check("send quota", "fail", "sending is paused for this account", "resume sending in SES"))
    elif account.max_24h >= 0 and planned > left:
        checks.append(Check("send quota", "fail", f"{planned} recipients planned, {left:g} left today; {detail}",
                            "wait for the 24-hour window or ask AWS for a higher quota"))
    else:
        checks.append(Check("send quota", "ok", detail))
    return checks


def _smtp_checks(settings: Settings, channel: Any) -> list[Check]:
    config = settings.delivery.smtp
    where = f"{config.host}:{config.port} ({config.security})"
    try:
        channel.connect()
    except ConfigError as exc:
        return [Check("SMTP login", "fail", str(exc), "set the variables named by username_env and password_env")]
    except DeliveryRejected as exc:
        return [Check("SMTP login", "fail", f"{where}: {exc}", "check the credentials and [delivery.smtp] security")]
    except DeliveryError as exc:
        return [Check("SMTP reachable", "fail", str(exc),
                      "check [delivery.smtp] host, port and security, and that the server runs")]
    size = channel.max_message_bytes
    login = "authenticated" if channel.credentials() else "no login configured"
    channel.close()
    extra = f", SIZE {_mb(size)}" if size else ""
    return [Check("SMTP reachable", "ok", f"{where}, {login}{extra}, max {config.max_rate:g}/s")]


def run_checks(
    settings: Settings, channel: Any, messages: list[Message] | None = None, ledger: Any = None,
) -> list[Check]:
    """Every preflight check for this workspace and channel (and messages, when rendered)."""
    recipients = _recipients(settings, messages)
    checks = [Check("config valid", "ok", str(settings.config_path)), check_sender(settings, messages)]
    name = getattr(channel, "name", "outbox")
    if name == "ses":
        planned = (sum(len(m.to) + len(m.bcc) for m in messages) if messages
                   else sum(len(r.to) + len(settings.delivery.audit_bcc) for r in settings.reports))
        checks += _ses_checks(settings, channel, recipients, planned)
    elif name == "smtp":
        checks += _smtp_checks(settings, channel)
    checks.append(check_domains(settings, recipients))
    checks.append(check_suppressed(ledger, recipients))
    checks.append(check_size(channel, messages))
    return checks
