"""The renderer: a verified ``Report`` → ``Rendered`` (subject, HTML email body, plain text)."""

from __future__ import annotations

from ..model import Rendered, Report
from .common import subject_for
from .html import render_html
from .markdown import render_markdown
from .text import render_text

__all__ = ["render", "render_html", "render_markdown", "render_text", "subject_for"]


def render(report: Report) -> Rendered:
    """Render a report for email; the same report always gives the same bytes."""
    return Rendered(
        key=report.key,
        subject=subject_for(report),
        html=render_html(report),
        text=render_text(report),
    )
