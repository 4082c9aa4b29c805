"""One report's email → the sends a channel makes: recipient groups and the audit copy.

A channel may cap the recipients of one send (SES: 50, counting To, Cc and Bcc). A list
longer than that is sent in groups, each addressed to ``undisclosed-recipients`` so no
group sees a partial list. When ``List-Unsubscribe`` is configured, the audit copy is
sent on its own, without that header: an audit recipient must not unsubscribe from it.

Each part has its own idempotency key. A part that is the whole message keeps the
message's key; the others derive theirs from it and their recipients, so the same
message always splits into the same keys.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from email import policy

from ..errors import DeliveryError
from ..model import Message, content_hash

__all__ = ["Part", "plan_parts", "set_headers", "mark_update", "unsubscribe_headers", "UPDATE_MARK", "UNDISCLOSED"]

UPDATE_MARK = "[Update] "
UNDISCLOSED = "undisclosed-recipients:;"


@dataclass(frozen=True)
class Part:
    """One send: the message as the channel gets it, and where it came from."""

    message: Message
    report_key: str
    parent_key: str
    audit: bool

    @property
    def envelope(self) -> tuple[str, ...]:
        """Every address this send goes to (visible and audit)."""
        return (*self.message.to, *self.message.bcc)

    def without(self, dropped: set[str]) -> "Part":
        """The same part, not sent to ``dropped`` (suppressed) addresses; same key."""
        to = tuple(a for a in self.message.to if a not in dropped)
        bcc = tuple(a for a in self.message.bcc if a not in dropped)
        return replace(self, message=self.message.model_copy(update={"to": to, "bcc": bcc}))


def _split_headers(mime: bytes) -> tuple[list[bytes], bytes]:
    head, sep, body = mime.partition(b"\r\n\r\n")
    if not sep:
        raise DeliveryError("message has no header/body separator: build it with build_message")
    fields: list[bytes] = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line  # a folded continuation of the previous header
        else:
            fields.append(line)
    return fields, body


def set_headers(mime: bytes, headers: dict[str, str | None]) -> bytes:
    """Replace (or add, or with ``None`` remove) headers; the body stays byte for byte."""
    for name, value in headers.items():
        if value is not None and ("\r" in value or "\n" in value):
            raise DeliveryError(f"header {name} {value!r} contains a line break: refusing to inject headers")
    fields, body = _split_headers(mime)
    wanted = {name.lower(): (name, value) for name, value in headers.items()}
    out: list[bytes] = []
    for field in fields:
        name = field.split(b":", 1)[0].decode("ascii", "replace").strip().lower()
        if name in wanted:
            original, value = wanted.pop(name)
            if value is not None:
                out.append(_fold(original, value))
        else:
            out.append(field)
    out.extend(_fold(name, value) for name, value in wanted.values() if value is not None)
    return b"\r\n".join(out) + b"\r\n\r\n" + body


def _fold(name: str, value: str) -> bytes:
    smtp = policy.SMTP
    return smtp.fold_binary(name, smtp.header_factory(name, value)).rstrip(b"\r\n")


def _groups(addresses: tuple[str, ...], size: int) -> list[tuple[str, ...]]:
    return [addresses[i:i + size] for i in range(0, len(addresses), size)] if addresses else []


def _derived_key(parent: str, role: str, envelope: tuple[str, ...]) -> str:
    return content_hash("\n".join([parent, role, ",".join(sorted(envelope))]))


def unsubscribe_headers(list_unsubscribe: str | list[str] | tuple[str, ...] | None) -> dict[str, str | None]:
    """``List-Unsubscribe`` with every URI, and RFC 8058's ``List-Unsubscribe-Post`` when one is https."""
    uris = [list_unsubscribe] if isinstance(list_unsubscribe, str) else list(list_unsubscribe or ())
    if not uris:
        return {}
    headers: dict[str, str | None] = {"List-Unsubscribe": ", ".join(f"<{u}>" for u in uris)}
    if any(u.startswith("https://") for u in uris):
        # one click: the mail client POSTs this body to the https URL, no page to visit
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def plan_parts(message: Message, *, max_recipients: int | None,
               list_unsubscribe: str | list[str] | tuple[str, ...] | None) -> list[Part]:
    """The sends for one message: recipient groups of at most ``max_recipients``, and audit."""
    limit = max_recipients or max(1, len(message.to) + len(message.bcc))
    groups = _groups(message.to, limit)
    split = len(groups) > 1
    if split:
        # grouped in sorted order: the same recipients in another order make the same parts
        groups = _groups(tuple(sorted(message.to)), limit)
    audit_apart = bool(message.bcc) and (bool(list_unsubscribe) or split or len(message.to) + len(message.bcc) > limit)
    parts: list[Part] = []
    for n, group in enumerate(groups):
        bcc = () if audit_apart else message.bcc
        headers: dict[str, str | None] = {}
        if split:
            headers["To"] = UNDISCLOSED
        headers.update(unsubscribe_headers(list_unsubscribe))
        whole = not split and not audit_apart
        key = message.idempotency_key if whole else _derived_key(message.idempotency_key, "to", (*group, *bcc))
        label = message.key if n == 0 else f"{message.key}.{n + 1}"
        parts.append(_part(message, label, group, bcc, key, headers, audit=False))
    if audit_apart:
        for n, group in enumerate(_groups(message.bcc, limit)):
            headers = {"To": UNDISCLOSED} if split else {}
            label = f"{message.key}.audit" + (f"{n + 1}" if n else "")
            key = _derived_key(message.idempotency_key, "audit", group)
            # the audit copy is envelope-only: its addresses never appear in a header
            parts.append(_part(message, label, (), group, key, headers, audit=True))
    return parts


def _part(
    message: Message, label: str, to: tuple[str, ...], bcc: tuple[str, ...], key: str,
    headers: dict[str, str | None], *, audit: bool,
) -> Part:
    mime = set_headers(message.mime, headers) if headers else message.mime
    shown = message.model_copy(update={"key": label, "to": to, "bcc": bcc, "mime": mime, "idempotency_key": key})
    return Part(message=shown, report_key=message.key, parent_key=message.idempotency_key, audit=audit)


def mark_update(part: Part) -> Part:
    """The part with ``[Update]`` before its subject: a changed version in the same period."""
    if part.message.subject.startswith(UPDATE_MARK):
        return part
    subject = UPDATE_MARK + part.message.subject
    mime = set_headers(part.message.mime, {"Subject": subject})
    return replace(part, message=part.message.model_copy(update={"subject": subject, "mime": mime}))
