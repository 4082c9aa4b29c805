"""Rendered report + recipients → ``Message``: MIME built with the stdlib ``email`` package."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from ..errors import DeliveryError
from ..model import Message, Rendered, Report, content_hash

__all__ = ["build_message", "idempotency_key", "message_id_for"]


def idempotency_key(report: Report, *, to: list[str], bcc: list[str], period: str) -> str:
    """The key that makes a delivery happen once: period + lens report + recipients + content."""
    recipients = ",".join(sorted([*to, *bcc]))
    return content_hash("\n".join([period, report.key, recipients, report.digest()]))


def message_id_for(key: str, sender: str, workspace: str = "") -> str:
    """A Message-ID from the workspace and the idempotency key: a rebuilt message keeps it,
    and two workspaces sending the same content do not share it (the key itself travels in
    ``X-Execbrief-Key``)."""
    hexdigest = content_hash(f"{workspace}\n{key}").split(":", 1)[1]
    domain = parseaddr(sender)[1].rpartition("@")[2]
    if not domain:
        raise DeliveryError(f"sender {sender!r} has no domain: set delivery.sender to name@example.com")
    return f"<{hexdigest[:32]}@{domain}>"


def _one_line(name: str, value: str) -> str:
    # A CR or LF in a header value would start a new header: refuse rather than repair.
    if "\r" in value or "\n" in value:
        raise DeliveryError(
            f"{name} {value!r} contains a line break, which would inject email headers: "
            "remove it from the report title, organization or period"
        )
    return value


def build_message(
    rendered: Rendered,
    report: Report,
    *,
    sender: str,
    to: list[str],
    bcc: list[str],
    period: str,
    sent_at: datetime | None = None,
    workspace: str = "",
    reply_to: str | None = None,
    names: Mapping[str, str] | None = None,
) -> Message:
    """Build the email for one rendered report; bcc addresses go only on the envelope.

    ``workspace`` (its path, or any id unique to it) goes into the Message-ID; ``reply_to``
    into ``Reply-To``. The message says it is automatic (RFC 3834 ``Auto-Submitted``, and
    Exchange's ``X-Auto-Response-Suppress``), so out-of-office replies do not come back.
    ``names`` (address → display name, from ``Settings.display_names``) go into the From,
    To and Reply-To headers, RFC 2047-encoded where needed; the envelope keeps the addresses.
    """
    named = names or {}

    def mailbox(address: str) -> str | Address:
        name = named.get(address)
        return Address(display_name=name, addr_spec=address) if name else address

    if not to:
        raise DeliveryError(f"report {report.key!r} has no recipients: add addresses to its `to` list")
    key = idempotency_key(report, to=to, bcc=bcc, period=period)
    message_id = message_id_for(key, sender, workspace)
    when = (sent_at or datetime.now(timezone.utc)).timestamp()

    msg = EmailMessage(policy=policy.SMTP)
    try:
        msg["From"] = mailbox(_one_line("sender", sender))
        msg["To"] = [mailbox(_one_line("recipient", address)) for address in to]
        if reply_to:
            msg["Reply-To"] = mailbox(_one_line("reply_to", reply_to))
        msg["Subject"] = _one_line("subject", rendered.subject)
        msg["Date"] = formatdate(when, usegmt=True)
        msg["Message-ID"] = message_id
        msg["Auto-Submitted"] = "auto-generated"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["X-Execbrief-Lens"] = _one_line("lens", report.lens)
        msg["X-Execbrief-Key"] = key
    except (ValueError, HeaderParseError) as exc:
        raise DeliveryError(f"cannot build the email for report {report.key!r}: {exc}") from None
    # No Bcc header at all: audit copies must stay invisible to the other recipients.
    msg.set_content(rendered.text, subtype="plain", charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    if rendered.images:
        # charts travel as inline parts of a multipart/related HTML part, named by cid
        html_part = msg.get_payload()[1]
        for cid, png in rendered.images:
            # inline, not attachment: clients show the image in place, without a paperclip
            html_part.add_related(png, "image", "png", cid=f"<{cid}>", disposition="inline",
                                  filename=f"{cid.split('@')[0]}.png")

    return Message(
        key=report.key,
        lens=report.lens,
        sender=sender,
        to=tuple(to),
        bcc=tuple(bcc),
        subject=rendered.subject,
        mime=msg.as_bytes(policy=policy.SMTP),
        idempotency_key=key,
    )
