"""Failure boundaries: an exception inside one stage, source, writer or channel costs that
part of the run, never the run.

Each failure becomes one line naming the stage and the input it was working on (a report
key, a source, a file), recorded in the ledger as a ``stage_failed`` event and listed in
the run's ``failures`` (exit code 1). What the stage was given is the caller's to say;
``describe`` adds what the exception says and, for a bug, where in execbrief it was raised.
"""

from __future__ import annotations

import sysconfig
import traceback
from pathlib import Path
from typing import Any, Callable

from .errors import ExecbriefError, storage_problem

__all__ = ["Boundary", "describe"]

_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = {Path(sysconfig.get_path(name)).resolve() for name in ("stdlib", "platstdlib", "purelib", "platlib")}


def describe(exc: BaseException) -> str:
    """One line for an exception: our own errors as they are, disk errors in words, bugs with their place."""
    if isinstance(exc, ExecbriefError):
        return str(exc)
    if isinstance(exc, OSError):
        problem = storage_problem(exc)
        where = f" {exc.filename}" if exc.filename else ""
        if problem:
            return f"cannot use{where}: {problem}"
        return f"cannot use{where}: {exc.strerror or exc}"
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    place = _place(exc)
    return f"{text} ({place})" if place else text


def _place(exc: BaseException) -> str | None:
    """``at sources/ledger.py:312 in _row``: where it was raised, in execbrief or in a plugin's
    own code (the innermost frame that is neither the standard library nor an installed package)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(_PACKAGE):
            return f"at {path.relative_to(_PACKAGE).as_posix()}:{frame.lineno} in {frame.name}"
        if not any(path.is_relative_to(root) for root in _LIBRARIES):
            shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
            return f"at {shown.as_posix()}:{frame.lineno} in {frame.name}"
    return None


class Boundary:
    """Collects a run's failures; each names its stage and input, and is recorded."""

    def __init__(self, failures: list[str], record: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.failures = failures
        self.record = record

    def fail(self, stage: str, subject: str | None, exc: BaseException | str, then: str = "") -> str:
        """Record that ``stage`` failed on ``subject``; ``then`` says what the run did instead."""
        why = exc if isinstance(exc, str) else describe(exc)
        line = f"{stage}{f' {subject}' if subject else ''}: {why}{then}"
        self.failures.append(line)
        if self.record is not None:
            try:
                self.record("stage_failed", {"stage": stage, "subject": subject, "error": why})
            except ExecbriefError:
                pass  # the ledger itself is failing: the failure still reaches the summary
        return line
