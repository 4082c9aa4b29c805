"""What an ``[Update]`` says first: how this version differs from the one it replaces.

A report changed within a period it was already sent in goes out again with ``[Update]``
before its subject (``delivery/parts.py``). A reader who forwards the first version, or
reads the second after it, should not have to compare them: the second opens with the
differences. They are worked out from the two reports as written, not from the facts, so
they show exactly what the reader saw then and sees now:

- a table row (named by its text cells: business, period) whose figures changed, with the
  figures it had ("Revenue $106,000, was $104,000");
- each line (summary, bullet, action, paragraph) that is new, and each that is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..model import Report
from .common import format_date, looks_numeric

__all__ = ["Update", "update_between"]

MAX_LINES = 6
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])|\s+(?:Fix|Act by|Overdue since)\b")


@dataclass(frozen=True)
class Update:
    """The heading and lines of the box an update opens with."""

    title: str
    lines: tuple[str, ...]


def _lines(report: Report) -> list[str]:
    """Every line of prose the report shows, summary first, each once."""
    out: dict[str, None] = {}
    for block in [*report.summary, *(b for s in report.sections for b in s.blocks)]:
        if block.kind in ("bullets", "actions"):
            out.update(dict.fromkeys(block.items))
        elif block.kind == "paragraph" and block.text:
            out[block.text] = None
    return list(out)


def _core(line: str) -> str:
    """What a line says, however it is framed: its first sentence, without a change mark."""
    for mark in ("New: ", "Worse: ", "Better: "):
        line = line.removeprefix(mark)
    return _SENTENCE.split(line, maxsplit=1)[0].strip()


def _rows(report: Report) -> dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]:
    """Table rows by (section, table, the row's text cells): their columns and cells."""
    out = {}
    for section in report.sections:
        for n, block in enumerate(section.blocks):
            if block.kind not in ("table", "chart") or not block.columns:
                continue
            for row in block.rows:
                label = tuple(c for c in row if c.strip() and not looks_numeric(c) and c != "\u2014")
                out[(section.title, str(n), *label)] = (block.columns, row)
    return out


def update_between(previous: Report, current: Report, sent_on: date) -> Update:
    """The differences of ``current`` from ``previous``, the version sent on ``sent_on``."""
    lines: list[str] = []
    before, now = _rows(previous), _rows(current)
    for key, (columns, row) in now.items():
        if key not in before or before[key][1] == row:
            continue
        old = before[key][1]
        moved = [f"{columns[i] if i < len(columns) else ''} {cell} (was {old[i]})".strip()
                 for i, cell in enumerate(row) if i < len(old) and cell != old[i]]
        lines.append(f"{key[0]}: {', '.join(key[2:])}: {'; '.join(moved)}.")
    old_lines, new_lines = _lines(previous), _lines(current)
    # a line that moved (from the summary to its section, with its fix added) is not news
    old_cores, new_cores = {_core(line) for line in old_lines}, {_core(line) for line in new_lines}
    lines += [f"New: {line}" for line in new_lines if _core(line) not in old_cores]
    lines += [f"No longer shown: {line}" for line in old_lines if _core(line) not in new_cores]
    if not lines:
        lines = ["The figures and findings are the same; only their sources or wording changed."]
    elif len(lines) > MAX_LINES:
        rest = len(lines) - MAX_LINES + 1
        lines = lines[:MAX_LINES - 1] + [f"\u2026and {rest} more changes."]
    title = f"Update: what changed since the version sent on {format_date(sent_on)}"
    return Update(title=title, lines=tuple(lines))
