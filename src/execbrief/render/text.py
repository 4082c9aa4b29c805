"""Report → plain text: the email's text/plain alternative, with the same content as HTML.

Wrapped at 78 columns (the line length RFC 5322 recommends), so it reads well in any
terminal or mail client.
"""

from __future__ import annotations

import textwrap

from ..model import Block, Report
from .common import (
    grouped,
    cite_groups,
    cite_numbers,
    format_date,
    item_citations,
    looks_numeric,
    omitted_line,
    status_line,
)
from .sources import SourceIndex, source_index
from .update import Update

__all__ = ["WIDTH", "render_text"]

WIDTH = 78
_GAP = "  "


def _refs(numbers: list[int]) -> str:
    # a space between references lets a long list wrap
    return " ".join(f"[{label}]" for label in cite_groups(numbers))


def _wrap(text: str, first: str = "", rest: str = "", numbers: list[int] | None = None) -> list[str]:
    """Wrap one paragraph; citations go at its end, as in the HTML."""
    if numbers:
        text = f"{text} {_refs(numbers)}" if text else _refs(numbers)
    # Paths and fact labels must stay whole, so long words and hyphens are not broken.
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [first.rstrip()]


def _heading(title: str, underline: str) -> list[str]:
    lines = _wrap(title)
    return lines + [underline * max(len(line) for line in lines)]


def _table(block: Block) -> list[str]:
    """Aligned columns; a table too wide for 78 columns becomes one line group per row."""
    ncols = max([len(block.columns)] + [len(r) for r in block.rows])
    header = list(block.columns) + [""] * (ncols - len(block.columns))
    rows = [list(r) + [""] * (ncols - len(r)) for r in block.rows]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(ncols)]
    if sum(widths) + len(_GAP) * (ncols - 1) > WIDTH:
        out: list[str] = []
        for row in rows:
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, row) if c]
            out.extend(_wrap("; ".join(pairs), "- ", "  "))
        return out

    def line(cells: list[str]) -> str:
        padded = [
            c.rjust(w) if looks_numeric(c) else c.ljust(w) for c, w in zip(cells, widths)
        ]
        return _GAP.join(padded).rstrip()

    out = []
    if block.columns:
        out.append(line(header))
        out.append(_GAP.join("-" * w for w in widths))
    out.extend(line(row) for row in rows)
    return out


def _block(index: SourceIndex, block: Block) -> list[str]:
    """The lines of one block."""
    lines: list[str] = []
    if block.kind in ("paragraph", "note"):
        prefix = "Note: " if block.kind == "note" else ""
        lines.extend(_wrap(prefix + (block.text or ""), numbers=cite_numbers(index, block.cites)))
    else:
        if block.text:
            lines.extend(_wrap(block.text))
        if block.kind in ("table", "chart"):
            lines.extend(_table(block))
            after = cite_numbers(index, block.cites)
        else:
            items, after = item_citations(index, block)
            for group, start, entries in grouped(block, items):
                if group:
                    lines.append(f"{group}:")
                for n, (text, numbers) in enumerate(entries, start=start):
                    label = f"{n}. " if block.kind == "actions" else "- "
                    lines.extend(_wrap(text, label, " " * len(label), numbers))
        if after:
            lines.append(_refs(after))
    if block.omitted > 0:
        lines.extend(_wrap(omitted_line(block.omitted, block.kind)))
    return lines


def _blocks(index: SourceIndex, blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out.extend(_block(index, block))
        out.append("")
    return out


def render_text(report: Report, update: Update | None = None) -> str:
    """The report as plain text wrapped at 78 columns, ending with sources and data quality."""
    lines = _wrap(report.organization.upper())
    lines += _heading(report.title, "=")
    lines += _wrap(
        f"For {report.audience} \u00b7 {report.period} \u00b7 as of {format_date(report.as_of)}"
    )
    lines.append("")
    if update is not None:
        lines += _heading(update.title, "-") + [""]
        lines += [line for item in update.lines for line in _wrap(item, "- ", "  ")] + [""]
    index = source_index(report)
    if report.summary:
        lines += _heading("Summary", "-") + [""] + _blocks(index, report.summary)
    for section in report.sections:
        lines += _heading(section.title, "-") + [""] + _blocks(index, section.blocks)
    if report.upkeep or report.data_quality:
        lines += _heading("For whoever keeps the data", "-") + [""] + _blocks(index, report.upkeep)
    if report.data_quality:
        lines += _wrap("Some inputs had problems; figures that depend on them may be incomplete.")
        lines += [line for warning in report.data_quality for line in _wrap(warning, "- ", "  ")]
        lines.append("")
    if index.groups:
        lines += _heading("Sources", "-") + [""]
        for group in index.groups:
            places = "; ".join(f"[{p.number}] {p.label}".rstrip() for p in group.places)
            lines += _wrap(f"{group.name}: {places}", "", "  ")
        lines.append("")
    # "-- " is the conventional signature separator; mail clients dim what follows.
    lines += ["-- "] + _wrap(f"Written by {report.writer} \u00b7 {status_line(report)}")
    return "\n".join(lines) + "\n"
