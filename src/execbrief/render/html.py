"""Report → email HTML: a Jinja2 template, then CSS inlined with css_inline.

Email clients are not browsers: the layout is tables, every style is inlined (many
clients drop ``<style>``), and nothing is loaded from the network. Only what cannot be
inlined (media queries for narrow screens and dark mode) stays in a small ``<style>``.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from typing import Any, Mapping

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ..model import Block, Report
from .charts import alt_text
from .common import (
    cite_groups,
    cite_numbers,
    first_sentence,
    grouped,
    format_date,
    item_citations,
    looks_numeric,
    omitted_line,
    status_line,
    subject_for,
)
from .sources import SourceIndex, source_index
from .update import Update

__all__ = ["content_id", "render_html"]


@cache
def _environment() -> Environment:
    # Autoescape is on for everything: report text comes from notes and models, never markup.
    env = Environment(
        loader=PackageLoader("execbrief", "render/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cite_groups"] = cite_groups
    env.filters["breakable"] = breakable
    return env


# a long unbroken run (a path, a key, an ARN) gets a break opportunity after each separator
_LONG_WORD = re.compile(r"[^\s]{22,}")
_SEPARATOR = re.compile(r"(?<=[/_.:,=&?-])(?=[^\s])")


def breakable(text: str) -> Markup:
    """Escaped text where long paths and keys may wrap (``<wbr>`` after ``/``, ``_``, ``.``, …)."""
    out, last = [], 0
    for m in _LONG_WORD.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append("<wbr>".join(str(escape(part)) for part in _SEPARATOR.split(m.group(0))))
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


@cache
def _inliner() -> css_inline.CSSInliner:
    # Never fetch a stylesheet: a rendered briefing must not depend on the network.
    return css_inline.CSSInliner(load_remote_stylesheets=False)


def content_id(chart_id: str) -> str:
    """The MIME Content-ID of a chart image (without angle brackets)."""
    return f"chart-{chart_id}@execbrief"


def _image(block: Block, images: Mapping[str, bytes], embed: str) -> dict[str, str] | None:
    if block.chart is None or block.chart.id not in images:
        return None
    if embed == "data":
        src = "data:image/png;base64," + base64.b64encode(images[block.chart.id]).decode()
    else:
        src = "cid:" + content_id(block.chart.id)
    return {"src": src, "alt": alt_text(block.chart)}


# a table wider than this many columns turns into one card per row on a narrow screen
CARD_COLUMNS = 3


def _block_view(index: SourceIndex, block: Block, images: Mapping[str, bytes] = {}, embed: str = "cid") -> dict[str, Any]:
    """What the template needs for one block, with citations already numbered."""
    if block.kind in ("bullets", "actions"):
        items, after = item_citations(index, block)
    else:
        items, after = [], cite_numbers(index, block.cites)
    cards = len(block.columns) > CARD_COLUMNS
    # in a card every cell but the first carries its column's name (shown on narrow screens)
    labels = [c if cards and i > 0 else "" for i, c in enumerate(block.columns)]
    return {
        "image": _image(block, images, embed),
        "kind": block.kind,
        "text": block.text or "",
        "entries": items,
        "lists": grouped(block, items),
        "columns": [(c, _numeric_column(block, i)) for i, c in enumerate(block.columns)],
        "rows": [[(cell, looks_numeric(cell), labels[i] if i < len(labels) else "") for i, cell in enumerate(row)]
                 for row in block.rows],
        "cards": cards,
        "after": after,
        "omitted": omitted_line(block.omitted, block.kind) if block.omitted > 0 else "",
    }


def _numeric_column(block: Block, index: int) -> bool:
    """A header is right-aligned when every filled cell under it is numeric."""
    cells = [row[index] for row in block.rows if index < len(row) and row[index].strip()]
    return bool(cells) and all(looks_numeric(c) for c in cells)


def render_html(report: Report, images: Mapping[str, bytes] = {}, embed: str = "cid", update: Update | None = None) -> str:
    """The report as an HTML email body with inlined CSS.

    ``images`` maps chart ids to PNG bytes; ``embed`` says how the page refers to them:
    ``cid`` (an email's inline parts) or ``data`` (a standalone file a browser can open).
    """
    template = _environment().get_template("report.html.j2")
    index = source_index(report)
    page = template.render(
        report=report,
        subject=subject_for(report),
        preheader=first_sentence(report),
        as_of=format_date(report.as_of),
        status=status_line(report),
        update=update,
        summary=[_block_view(index, b, images, embed) for b in report.summary],
        sections=[
            {"title": s.title, "blocks": [_block_view(index, b, images, embed) for b in s.blocks]}
            for s in report.sections
        ],
        keeper=[_block_view(index, b, images, embed) for b in report.upkeep],
        sources=index.groups,
    )
    # End with a newline, as the MIME body will: the outbox copy then equals this exactly.
    return _inliner().inline(page).rstrip("\n") + "\n"
