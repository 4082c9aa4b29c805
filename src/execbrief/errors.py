"""Errors raised by execbrief.

Every error the library raises on purpose derives from ``ExecbriefError``; the CLI maps
them to a one-line message and an exit code in one place (``execbrief.cli``).

    ExecbriefError                 exit 1 unless a subclass says otherwise
    ├── ConfigError                exit 2: execbrief.toml or the environment is wrong
    ├── UsageError                 exit 2: a command was called wrongly
    ├── LensError                  exit 2: a lens file is invalid or unknown
    ├── LedgerError                the SQLite ledger cannot be opened, migrated or written
    │   └── LedgerDamaged          the ledger file is not a sound database: move it aside
    ├── StageError                 a pipeline stage failed; what finished is recorded
    │   └── VerificationError      a report cites a fact or number it cannot trace
    └── DeliveryError              a channel could not deliver a message (temporary: retried)
        ├── DeliveryThrottled      the provider asked us to slow down: retried with backoff
        ├── DeliveryRejected       the provider refused it for good: recorded, not retried
        └── DeliveryInDoubt        the provider may have accepted it: resent or held

Messages say what is wrong and what to do about it. An error may name the config ``key``
and the file ``path`` it is about; ``to_json`` is the document ``--json`` prints for it.
"""

from __future__ import annotations

import errno
import os
from typing import Any

__all__ = [
    "ExecbriefError",
    "ConfigError",
    "UsageError",
    "LensError",
    "LedgerError",
    "LedgerDamaged",
    "StageError",
    "VerificationError",
    "DeliveryError",
    "DeliveryThrottled",
    "DeliveryRejected",
    "DeliveryInDoubt",
    "storage_problem",
]


class ExecbriefError(Exception):
    """Root of every error execbrief raises on purpose."""

    exit_code = 1

    def __init__(self, message: str = "", *, key: str | None = None, path: Any = None) -> None:
        super().__init__(message)
        self.key = key
        self.path = str(path) if path is not None else None

    def to_json(self) -> dict[str, Any]:
        """``{"error": {"code", "message", "key", "path"}}``: what ``--json`` prints instead of a result."""
        return {"error": {"code": self.exit_code, "message": str(self), "key": self.key, "path": self.path}}


class ConfigError(ExecbriefError):
    """The configuration is missing or invalid."""

    exit_code = 2


class UsageError(ExecbriefError):
    """A command or function was called with arguments that cannot work."""

    exit_code = 2


class LensError(ExecbriefError):
    """A lens definition is invalid, or a lens name is unknown."""

    exit_code = 2


class LedgerError(ExecbriefError):
    """The ledger database cannot be opened, migrated or written."""


class LedgerDamaged(LedgerError):
    """The ledger file is not a sound SQLite database (truncated, overwritten, corrupted)."""


_READ_ONLY = {errno.EROFS}
_DENIED = {errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_problem(exc: OSError) -> str | None:
    """What an ``OSError`` says about the disk, in words a user acts on; None for other errors."""
    code = exc.errno
    if code in _READ_ONLY:
        return "the file system is read-only: make the workspace writable (execbrief keeps its ledger and reports in .execbrief)"
    if code in _FULL:
        return f"the disk is full ({os.strerror(code)}): free some space and run again"
    if code in _DENIED:
        return "permission denied: give the user running execbrief read and write access to the workspace"
    return None


class StageError(ExecbriefError):
    """A pipeline stage failed."""


class VerificationError(StageError):
    """A report makes a claim the verifier cannot trace to a cited fact."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class DeliveryError(ExecbriefError):
    """A delivery channel failed to deliver a message."""


class DeliveryThrottled(DeliveryError):
    """The provider refused the message for now because we sent too fast."""


class DeliveryRejected(DeliveryError):
    """The provider refused the message for good (bad sender, bad recipient, quota)."""


class DeliveryInDoubt(DeliveryError):
    """The connection broke after the provider may have accepted the message."""
