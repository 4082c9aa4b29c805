"""Errors raised by execbrief.

Every error the library raises on purpose derives from ``ExecbriefError``; the CLI maps
them to a one-line message and an exit code in one place (``execbrief.cli``).

    ExecbriefError                 exit 1 unless a subclass says otherwise
    ├── ConfigError                exit 2: execbrief.toml or the environment is wrong
    ├── UsageError                 exit 2: a command was called wrongly
    ├── LensError                  exit 2: a lens file is invalid or unknown
    ├── LedgerError                the SQLite ledger cannot be opened or migrated
    ├── StageError                 a pipeline stage failed; what finished is recorded
    │   └── VerificationError      a report cites a fact or number it cannot trace
    └── DeliveryError              a channel could not deliver a message (temporary: retried)
        ├── DeliveryThrottled      the provider asked us to slow down: retried with backoff
        ├── DeliveryRejected       the provider refused it for good: recorded, not retried
        └── DeliveryInDoubt        the provider may have accepted it: resent or held

Messages say what is wrong and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "ExecbriefError",
    "ConfigError",
    "UsageError",
    "LensError",
    "LedgerError",
    "StageError",
    "VerificationError",
    "DeliveryError",
    "DeliveryThrottled",
    "DeliveryRejected",
    "DeliveryInDoubt",
]


class ExecbriefError(Exception):
    """Root of every error execbrief raises on purpose."""

    exit_code = 1


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
