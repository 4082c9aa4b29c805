"""A workspace kept in S3: files synced down to local disk, and the ledger claimed by conditional write.

The workspace's files (``execbrief.toml``, notes, ledger exports, lenses) live under a
prefix of a bucket and are copied to a local folder, only those whose ETag changed since
the last copy (a warm Lambda keeps its ``/tmp``, and with it the analysis cache).

The ledger database (``<prefix>.execbrief/ledger.db``) is the one thing two invocations
could both change. Before any work an invocation *claims* it: it writes the ledger back
with a claim recorded in it (S3 ETags are content digests: an unchanged copy would keep
the ETag) and a lease in its metadata (owner and expiry), conditional on the ETag it
read (``If-Match``; ``If-None-Match: *`` for a first ledger). Only one of two invocations
that read the same version can succeed; the other stops cleanly before it sends anything.
A lease left by an invocation that died expires after ``lease_seconds`` (longer than the
function's timeout). When the work is done the ledger is written back, the lease cleared,
conditional on the claim's ETag.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ..errors import ExecbriefError
from ..ledger import LEDGER_PATH, Ledger

__all__ = ["Busy", "Claim", "LeaseLost", "S3Workspace"]

LEDGER_KEY = LEDGER_PATH.as_posix()  # .execbrief/ledger.db, under the prefix
SYNC_STATE = Path(".execbrief") / "s3-sync.json"
# what is never copied down: the ledger (claimed apart), caches and outputs (kept locally)
_LOCAL_ONLY = (".execbrief/", "outbox/")
# what is copied up after a run: the rendered reports and the outbox
_OUTPUTS = (".execbrief/runs/", "outbox/")
_OWNER, _UNTIL = "execbrief-lease-owner", "execbrief-lease-until"


class Busy(ExecbriefError):
    """Another invocation holds (or just took) this workspace's ledger: stop, send nothing."""


class LeaseLost(ExecbriefError):
    """The ledger changed under a claim (its lease had expired): what this invocation did is not recorded."""


@dataclass(frozen=True)
class Claim:
    """A claimed ledger: the ETag our claim wrote, and the lease owner."""

    etag: str
    owner: str


def _precondition_failed(exc: Exception) -> bool:
    response = getattr(exc, "response", {}) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in ("PreconditionFailed", "ConditionalRequestConflict", "412", "409") or status in (409, 412)


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", {}) or {}
    return str(response.get("Error", {}).get("Code", "")) in ("NoSuchKey", "404", "NotFound")


class S3Workspace:
    """One organisation's workspace: ``s3://bucket/prefix`` mirrored in ``root``."""

    def __init__(self, s3: Any, bucket: str, prefix: str, root: Path, *, lease_seconds: int = 960) -> None:
        self.s3, self.bucket, self.root = s3, bucket, root
        self.prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        self.lease = timedelta(seconds=lease_seconds)

    @property
    def ledger_key(self) -> str:
        """The ledger's object key."""
        return self.prefix + LEDGER_KEY

    def _state(self) -> dict[str, Any]:
        try:
            return json.loads((self.root / SYNC_STATE).read_text())
        except (OSError, ValueError):
            return {"down": {}, "up": []}

    def _save(self, state: dict[str, Any]) -> None:
        (self.root / SYNC_STATE).parent.mkdir(parents=True, exist_ok=True)
        (self.root / SYNC_STATE).write_text(json.dumps(state, sort_keys=True))

    def pull(self) -> int:
        """Copy down the files that changed (by ETag), delete those gone; the number copied."""
        state = self._state()
        seen: dict[str, str] = {}
        copied = 0
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                relative = item["Key"][len(self.prefix):]
                if not relative or relative.endswith("/") or relative.startswith(_LOCAL_ONLY):
                    continue
                target = self._local(relative)
                seen[relative] = item["ETag"]
                if state["down"].get(relative) == item["ETag"] and target.is_file():
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                body = self.s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
                target.write_bytes(body)
                copied += 1
        for relative in set(state["down"]) - set(seen):
            self._local(relative).unlink(missing_ok=True)
        state["down"] = seen
        self._save(state)
        return copied

    def _local(self, relative: str) -> Path:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise ExecbriefError(f"s3://{self.bucket}/{self.prefix}{relative} would be written outside the workspace")
        return target

    def claim(self, owner: str, now: datetime | None = None) -> Claim:
        """Take the ledger for this invocation (a conditional write), or raise ``Busy``."""
        now = now or datetime.now(timezone.utc)
        path = self.root / LEDGER_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        condition: dict[str, str]
        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=self.ledger_key)
        except Exception as exc:
            if not _missing(exc):
                raise
            path.unlink(missing_ok=True)  # a new ledger: created and migrated below
            condition = {"IfNoneMatch": "*"}
        else:
            meta = answer.get("Metadata", {})
            holder, until = meta.get(_OWNER), meta.get(_UNTIL)
            if holder and holder != owner and until and datetime.fromisoformat(until) > now:
                raise Busy(f"invocation {holder} holds the ledger of s3://{self.bucket}/{self.prefix} until {until}")
            path.write_bytes(answer["Body"].read())
            condition = {"IfMatch": answer["ETag"]}
        until = (now + self.lease).isoformat(timespec="seconds")
        # The claim must change the ledger's bytes: S3's ETag is a digest of the content, so an
        # unchanged copy would keep the ETag, and a second claimant's If-Match would still pass.
        with Ledger(path) as ledger:
            ledger.record_event(None, "ledger_claimed", {"owner": owner, "until": until})
        body = self._ledger_bytes()
        try:
            put = self.s3.put_object(Bucket=self.bucket, Key=self.ledger_key, Body=body,
                                     Metadata={_OWNER: owner, _UNTIL: until}, **condition)
        except Exception as exc:
            if _precondition_failed(exc):
                raise Busy(f"another invocation claimed the ledger of s3://{self.bucket}/{self.prefix} first") from None
            raise
        return Claim(etag=put["ETag"], owner=owner)

    def _ledger_bytes(self) -> bytes:
        path = self.root / LEDGER_PATH
        with sqlite3.connect(path) as db:  # fold the write-ahead log into the file
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return path.read_bytes()

    def push(self, claim: Claim) -> str:
        """Write the ledger back and clear the lease, if it is still ours; then the new outputs."""
        body = self._ledger_bytes()
        try:
            put = self.s3.put_object(Bucket=self.bucket, Key=self.ledger_key, Body=body, IfMatch=claim.etag)
        except Exception as exc:
            if _precondition_failed(exc):
                raise LeaseLost(
                    f"the ledger of s3://{self.bucket}/{self.prefix} changed while this invocation held it "
                    "(its lease expired): raise the lease above the function's timeout") from None
            raise
        self._push_outputs()
        return put["ETag"]

    def _push_outputs(self) -> None:
        state = self._state()
        uploaded = set(state["up"])
        for folder in _OUTPUTS:
            base = self.root / folder
            if not base.is_dir():
                continue
            for path in sorted(p for p in base.rglob("*") if p.is_file()):
                relative = path.relative_to(self.root).as_posix()
                if relative not in uploaded:
                    self.s3.put_object(Bucket=self.bucket, Key=self.prefix + relative, Body=path.read_bytes())
                    uploaded.add(relative)
        state["up"] = sorted(uploaded)
        self._save(state)
