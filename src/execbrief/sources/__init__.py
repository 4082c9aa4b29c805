"""Sources read the workspace's inputs and turn them into ``Evidence``.

A source is read-only, never calls a model, and never raises for bad input: each problem
becomes a ``DataWarning`` naming the file and line, and the run goes on.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..model import DataWarning, Evidence

__all__ = ["InputFile", "Part", "SourceResult", "expand_paths"]


@dataclass(frozen=True)
class InputFile:
    """A file a source read, with its content hash (recorded in the ledger)."""

    source: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Part:
    """The evidence of one input file, built only when asked for.

    A source that knows what a file holds without building its evidence (the notes source,
    from its cache index) hands out parts, so a run that can reuse the facts of an
    unchanged file never builds that file's evidence at all.

    ``key`` changes whenever the file's evidence could. ``hits`` are the file's scan hits,
    always built: they are few, and every run reports them. ``entity``: the business the
    file as a whole belongs to (None: none). ``groups``: the businesses its items of the
    rules kept business by business (table rows) belong to; empty: ``entity`` alone.
    ``digest``: the file's content hash (``sha256:…``), when the source knows it.
    """

    source: str
    path: str
    key: str
    hits: tuple[Evidence, ...]
    build: Callable[[], list[Evidence]]
    entity: str | None = None
    groups: tuple[str | None, ...] = ()
    digest: str | None = None

    def entity_groups(self) -> tuple[str | None, ...]:
        """The businesses whose per-business analysis this file's items take part in."""
        return self.groups or (self.entity,)

    def evidence(self) -> list[Evidence]:
        """Every evidence item of the file, its hits among them, in the source's order."""
        return self.build()


@dataclass
class SourceResult:
    """What one source produced: evidence, and (from some sources) parts still to build."""

    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[DataWarning] = field(default_factory=list)
    inputs: list[InputFile] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


def expand_paths(workspace: Path, patterns: list[str], suffixes: tuple[str, ...],
                 problems: list[tuple[str, str]] | None = None) -> list[Path]:
    """Files named by config paths (folders, files or globs), sorted, each once.

    What cannot be looked at (a symbolic link loop, a link to nothing, a folder that
    cannot be listed) is skipped; ``problems`` gets (path, why) for each, for a warning.
    """
    found: dict[Path, None] = {}
    problems = problems if problems is not None else []
    for pattern in patterns:
        checked = False
        base = Path(pattern).expanduser()
        if not base.is_absolute():
            base = workspace / base
        if any(ch in pattern for ch in "*?["):
            rel = str(base.relative_to(base.anchor))
            matches = sorted(Path(base.anchor).glob(rel))
        elif base.is_dir():  # files already (is_file from the folder listing: no stat)
            matches = sorted((Path(p) for p in _files_under(os.fspath(base), suffixes, problems)), key=_order)
            checked = True
        else:
            matches = [base] if base.exists() else []
        root = os.path.join(os.fspath(workspace), "")
        for path in matches:
            if not _hidden(os.fspath(path), root) and (checked or path.is_file()):
                found.setdefault(path, None)
    return list(found)


def _files_under(folder: str, suffixes: tuple[str, ...], problems: list[tuple[str, str]]) -> Iterator[str]:
    """Files (or links to files) with one of ``suffixes`` in ``folder`` and below, as ``rglob``
    finds them: symlinked folders are not entered. One ``scandir`` per folder, no ``Path``s."""
    try:
        with os.scandir(folder) as entries:
            found = list(entries)
    except OSError as exc:
        problems.append((folder, f"cannot list this folder ({exc.strerror or exc}): its files are skipped"))
        return
    for entry in found:
        try:
            if entry.is_dir() and not entry.is_symlink():
                yield from _files_under(entry.path, suffixes, problems)
            elif os.path.splitext(entry.name)[1].lower() in suffixes:
                if entry.is_file():
                    yield entry.path
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    problems.append((entry.path, "a link to a file that does not exist: skipped"))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                problems.append((entry.path, "a symbolic link loop (it points back at itself): skipped"))
            else:
                problems.append((entry.path, f"cannot be read ({exc.strerror or exc}): skipped"))


def _order(path: Path) -> tuple[str, ...]:
    """The order ``sorted`` gives ``Path``s on POSIX (by parts), without their slow comparisons."""
    return path.parts


def _hidden(path: str, root: str) -> bool:
    """Dot-files and anything under a dot-folder of the workspace (.git, .execbrief).

    ``root`` is the workspace with a trailing separator; string tests, not ``Path``
    methods, as a large notes folder asks this of every file on every run.
    """
    rel = path[len(root):] if path.startswith(root) else os.path.basename(path)
    return rel.startswith(".") or f"{os.sep}." in rel
