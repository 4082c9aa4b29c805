"""The renderer: a verified ``Report`` → ``Rendered`` (subject, HTML email body, plain text)."""

from __future__ import annotations

from typing import Callable

from ..model import Chart, Rendered, Report
from .cache import RenderCache, RenderedFiles
from .common import subject_for
from .charts import chart_png
from .html import content_id, render_html
from .markdown import render_markdown
from .text import render_text
from .update import Update, update_between

__all__ = ["RenderCache", "RenderedFiles", "render", "render_html", "render_markdown", "render_text", "standalone_html", "subject_for",
           "update_between"]


def chart_images(report: Report, draw: Callable[[Chart], bytes | None] = chart_png) -> dict[str, bytes]:
    """PNG bytes of every chart in the report, by chart id (empty without matplotlib)."""
    images = {}
    for block in report.blocks():
        if block.chart is not None:
            png = draw(block.chart)
            if png is not None:
                images[block.chart.id] = png
    return images


def render(report: Report, update: Update | None = None, *,
           chart_png: Callable[[Chart], bytes | None] = chart_png) -> Rendered:
    """Render a report for email; the same report always gives the same bytes.

    ``update`` (see ``update.py``) opens a changed version of a report already sent in the
    period with what changed since. ``chart_png`` draws a chart (``RenderCache.chart_png``
    keeps what it drew).
    """
    images = chart_images(report, chart_png)
    return Rendered(
        key=report.key,
        subject=subject_for(report),
        html=render_html(report, images, update=update),
        text=render_text(report, update),
        images=tuple((content_id(chart_id), png) for chart_id, png in images.items()),
    )


def standalone_html(report: Report, rendered: Rendered, update: Update | None = None) -> str:
    """The HTML with its charts embedded as data URIs, for a file opened in a browser."""
    images = {chart_id: png for chart_id, png in chart_images_from(rendered).items()}
    return render_html(report, images, embed="data", update=update)


def chart_images_from(rendered: Rendered) -> dict[str, bytes]:
    """The chart images of a rendering, by chart id."""
    suffix = "@execbrief"
    return {cid.removeprefix("chart-").removesuffix(suffix): png for cid, png in rendered.images}
