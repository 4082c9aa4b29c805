"""Whether the ledger is the one that recorded what this workspace has sent.

The ledger is what makes delivery idempotent: a message it records as sent is never sent
again. A ledger that was moved aside (damaged), deleted or swapped for an older copy
takes that record with it, and the next run would send every briefing of the period a
second time. So each delivering run leaves a marker, ``.execbrief/delivered.json``,
naming its ledger (by the ledger's first run id, which has a random part); and the outbox
keeps one folder per delivering run. A ledger that does not know the marker's ledger, or
an outbox folder's run, did not record those deliveries: delivery waits until the user
confirms with ``--accept-new-ledger``, which makes this ledger the workspace's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .store import Ledger, utc_now

__all__ = ["MARKER", "unknown_deliveries", "remember_ledger"]

MARKER = Path(".execbrief") / "delivered.json"


def _identity(ledger: Ledger) -> str | None:
    row = ledger.db.execute("SELECT MIN(id) FROM runs").fetchone()
    return row[0] if row else None


def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # (JSONDecodeError is a ValueError)
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("ledger"), (str, type(None))):
        return {"ledger": None, "damaged": True}  # damaged: assume the worst
    return data


def unknown_deliveries(workspace: Path, ledger: Ledger, outbox: Path | None = None) -> str | None:
    """Why this ledger may not know what the workspace sent before, or None when it does."""
    marker = _read_marker(workspace / MARKER)
    if marker is not None:
        if marker.get("ledger") == _identity(ledger):
            return None  # the ledger that recorded the deliveries, or one the user accepted
        if marker.get("damaged"):
            return (f"{workspace / MARKER}, which names the ledger that recorded this workspace's deliveries, "
                    "is damaged")
        return (f"this workspace sent {marker.get('sent', 'some')} messages before (the last at "
                f"{marker.get('last_sent_at', 'an unknown time')}), recorded in another ledger than "
                f"{ledger.path}")
    # no marker (deleted with the ledger, or deliveries older than markers): the outbox's run folders
    if outbox is not None and outbox.is_dir():
        try:
            runs = [entry.name for entry in os.scandir(outbox)
                    if entry.is_dir() and os.path.isfile(os.path.join(entry.path, "envelope.json"))]
        except OSError:
            runs = []
        if runs:
            known = {row[0] for row in ledger.db.execute(
                f"SELECT id FROM runs WHERE id IN ({','.join('?' * len(runs))})", runs)}
            foreign = sorted(set(runs) - known)
            if foreign:
                return (f"the outbox {outbox} holds {len(foreign)} deliveries (run {foreign[-1]} the latest) "
                        f"that the ledger {ledger.path} never recorded")
    return None


def remember_ledger(workspace: Path, ledger: Ledger, sent: int) -> None:
    """Mark this ledger as the one that recorded the workspace's deliveries (best effort)."""
    path = workspace / MARKER
    previous = _read_marker(path) or {}
    total = sent + (previous.get("sent") if isinstance(previous.get("sent"), int)
                    and previous.get("ledger") == _identity(ledger) else 0)
    data = {"ledger": _identity(ledger), "sent": total, "last_sent_at": utc_now() if sent else
            previous.get("last_sent_at")}
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # the ledger itself was written: it stays the record, only the safeguard is missing
