"""The outbox channel: writes each message to disk instead of sending it.

``<outbox>/<run_id>/<key>.eml`` is the exact MIME that SES or SMTP would send, beside
``<key>.html`` and ``<key>.txt`` for reading, and ``envelope.json`` listing who each
message is for (including the bcc audit copies, which appear in no header).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import DeliveryError, DeliveryRejected, storage_problem
from ..model import Message, Receipt

__all__ = ["OutboxChannel", "register"]

ENVELOPE = "envelope.json"

# Keys and run ids become file names: no separators, no leading dot.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")

# Sends of one run may happen in parallel threads; envelope.json is read-modify-write.
_envelope_lock = threading.Lock()


def _safe(kind: str, name: str) -> str:
    if not _SAFE_NAME.match(name):
        raise DeliveryError(
            f"{kind} {name!r} cannot be used as a file name in the outbox: "
            "use letters, digits, '.', '_' or '-'"
        )
    return name


def _write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parts(mime: bytes) -> tuple[str, str, str]:
    """The Message-ID, HTML and text bodies, read back from the MIME that was built."""
    parsed = message_from_bytes(mime, policy=policy.default)
    html_part = parsed.get_body(preferencelist=("html",))
    text_part = parsed.get_body(preferencelist=("plain",))
    if html_part is None or text_part is None:
        raise DeliveryError("message has no text/html and text/plain parts: build it with build_message")
    # MIME lines end in CRLF on the wire; files on disk use the renderer's own LF.
    html = html_part.get_content().replace("\r\n", "\n")
    text = text_part.get_content().replace("\r\n", "\n")
    return str(parsed.get("Message-ID", "")), html, text


class OutboxChannel:
    """A channel that delivers to a folder: the default, and the safe way to preview."""

    name = "outbox"

    def __init__(self, settings: Settings) -> None:
        self.root = settings.resolve(settings.delivery.outbox)

    def send(self, message: Message, run_id: str) -> Receipt:
        """Write the message's .eml, .html and .txt files and record it in envelope.json."""
        key = _safe("message key", message.key)
        folder = self.root / _safe("run id", run_id)
        message_id, html, text = _parts(message.mime)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            eml = folder / f"{key}.eml"
            _write_atomic(eml, message.mime)
            _write_atomic(folder / f"{key}.html", html.encode("utf-8"))
            _write_atomic(folder / f"{key}.txt", text.encode("utf-8"))
            self._record(folder, message, message_id, eml.name)
        except OSError as exc:
            # a folder that cannot be written (not a folder, read-only, full) stays so for the
            # seconds a retry waits: a permanent failure, kept for `execbrief resend --failed`
            why = storage_problem(exc) or exc.strerror or str(exc)
            raise DeliveryRejected(f"cannot write to the outbox {folder}: {why} "
                                   "(check [delivery] outbox in execbrief.toml)") from None
        return Receipt(
            key=message.key, channel=self.name, status="sent", message_id=message_id, path=str(eml)
        )

    def _record(self, folder: Path, message: Message, message_id: str, file: str) -> None:
        """Add or replace this message's entry in envelope.json, kept sorted by key."""
        entry: dict[str, Any] = {
            "key": message.key,
            "lens": message.lens,
            "sender": message.sender,
            "to": list(message.to),
            "bcc": list(message.bcc),
            "subject": message.subject,
            "idempotency_key": message.idempotency_key,
            "message_id": message_id,
            "file": file,
        }
        path = folder / ENVELOPE
        with _envelope_lock:
            entries = [e for e in self._read(path) if e.get("key") != message.key]
            entries.append(entry)
            entries.sort(key=lambda e: str(e.get("key")))
            body = json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
            _write_atomic(path, body.encode("utf-8"))

    @staticmethod
    def _read(path: Path) -> list[dict[str, Any]]:
        if not path.exists():
            return []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DeliveryError(f"{path} is not valid JSON ({exc}): delete it and rerun") from None
        if not isinstance(data, list):
            raise DeliveryError(f"{path} should hold a JSON list: delete it and rerun")
        return data


def register(registry: Any) -> None:
    """Entry point of the built-in outbox channel."""
    registry.add_channel("outbox", OutboxChannel)
