"""Report → email HTML: a Jinja2 template, then CSS inlined with css_inline.

Email clients are not browsers: the layout is tables, every style is inlined (many
clients drop ``<style>``), and nothing is loaded from the network. Only what cannot be
inlined (media queries for narrow screens and dark mode) stays in a small ``<style>``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..model import Block, Report
from .common import (
    cite_numbers,
    first_sentence,
    format_date,
    item_citations,
    looks_numeric,
    omitted_line,
    status_line,
    subject_for,
)

__all__ = ["render_html"]


@cache
def _environment() -> Environment:
    # Autoescape is on for everything: report text comes from notes and models, never markup.
    return Environment(
        loader=PackageLoader("execbrief", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _inliner() -> css_inline.CSSInliner:
    # Never fetch a stylesheet: a rendered briefing must not depend on the network.
    return css_inline.CSSInliner(load_remote_stylesheets=False)


def _block_view(report: Report, block: Block) -> dict[str, Any]:
    """What the template needs for one block, with citations already numbered."""
    if block.kind in ("bullets", "actions"):
        items, after = item_citations(report, block)
    else:
        items, after = [], cite_numbers(report, block.cites)
    return {
        "kind": block.kind,
        "text": block.text or "",
        "entries": items,
        "columns": [(c, _numeric_column(block, i)) for i, c in enumerate(block.columns)],
        "rows": [[(cell, looks_numeric(cell)) for cell in row] for row in block.rows],
        "after": after,
        "omitted": omitted_line(block.omitted) if block.omitted > 0 else "",
    }


def _numeric_column(block: Block, index: int) -> bool:
    """A header is right-aligned when every filled cell under it is numeric."""
    cells = [row[index] for row in block.rows if index < len(row) and row[index].strip()]
    return bool(cells) and all(looks_numeric(c) for c in cells)


def render_html(report: Report) -> str:
    """The report as a self-contained HTML email body with inlined CSS."""
    template = _environment().get_template("report.html.j2")
    page = template.render(
        report=report,
        subject=subject_for(report),
        preheader=first_sentence(report),
        as_of=format_date(report.as_of),
        status=status_line(report),
        summary=[_block_view(report, b) for b in report.summary],
        sections=[
            {"title": s.title, "blocks": [_block_view(report, b) for b in s.blocks]}
            for s in report.sections
        ],
    )
    # End with a newline, as the MIME body will: the outbox copy then equals this exactly.
    return _inliner().inline(page).rstrip("\n") + "\n"
