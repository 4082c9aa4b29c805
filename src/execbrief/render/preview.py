"""A local preview of a run: each report's HTML and an index page linking them."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from jinja2 import Environment, select_autoescape

from ..model import Report
from . import render, standalone_html
from .markdown import render_markdown

__all__ = ["write_preview"]

_INDEX = Environment(autoescape=select_autoescape(default=True)).from_string("""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>execbrief preview: run {{ run_id }}</title>
<style>
body{font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #8884}
.muted{opacity:.7}
</style></head>
<body>
<h1>Run {{ run_id }}</h1>
<p class="muted">{{ reports[0].organization if reports else "" }} · period {{ reports[0].period if reports else "" }}</p>
<table>
<tr><th>Report</th><th>Audience</th><th>Status</th><th>Writer</th>{% if markdown %}<th></th>{% endif %}</tr>
{% for r in reports %}<tr>
<td><a href="{{ r.key }}.html">{{ r.title }}</a></td><td>{{ r.audience }}</td><td>{{ r.status }}</td><td>{{ r.writer }}</td>
{% if markdown %}<td><a href="{{ r.key }}.md">Markdown</a></td>{% endif %}
</tr>{% endfor %}
</table>
</body></html>
""")


def write_preview(run_id: str, reports: Sequence[Report], out_dir: Path, *, markdown: bool = False) -> Path:
    """Render every report of a run into ``out_dir`` with an ``index.html``; return the index."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for report in reports:
        (out_dir / f"{report.key}.html").write_text(standalone_html(report, render(report)), encoding="utf-8")
        if markdown:
            (out_dir / f"{report.key}.md").write_text(render_markdown(report), encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(_INDEX.render(run_id=run_id, reports=list(reports), markdown=markdown), encoding="utf-8")
    return index
