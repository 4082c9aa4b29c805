"""Rendered reports and chart images kept by what they are drawn from, so nothing is drawn twice.

A chart is a pure function of its data, and a rendering of its report (and of the update it
opens with): the same input gives the same bytes. ``RenderCache`` keeps both under
``<workspace>/.execbrief/cache/render/``, named by a digest of the input and of the
renderer's own code (its modules and templates, matplotlib's version), so a rerun that
writes the same report reuses its rendering, and a report whose text changed but whose
charts did not reuses the charts (matplotlib costs about half a second a chart).

What cannot be read back is drawn again; what cannot be written is only not kept. Files
unused for ``KEEP_DAYS`` are removed once a day.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model import Chart, Rendered, Report
from .update import Update

__all__ = ["KEEP_DAYS", "RenderCache", "RenderedFiles", "renderer_digest"]

KEEP_DAYS = 35


@dataclass(frozen=True)
class RenderedFiles:
    """A report rendered for email (``rendered``), as a page for a browser, and as Markdown."""

    rendered: Rendered
    page: str
    markdown: str | None = None


@cache
def renderer_digest() -> str:
    """A digest of the renderer's code and templates and of matplotlib's version."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".txt", ".css",
                                                                                  ".j2", ".md", ".toml")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    for module in ("formatting.py", "model.py"):  # (numbers and dates are written by these)
        path = root.parent / module
        digest.update(module.encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        from importlib.metadata import version

        digest.update(version("matplotlib").encode())
    except Exception:  # (no matplotlib: charts are left out, and that is part of the key too)
        digest.update(b"no matplotlib")
    return digest.hexdigest()[:32]


class RenderCache:
    """Renderings and chart images of one workspace; ``folder=None`` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._charts: dict[str, bytes | None] = {}  # (this run's: a chart shown in two reports is drawn once)
        self.hits = {"charts": 0, "reports": 0}
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                self.folder = None

    def _path(self, key: str, suffix: str) -> Path | None:
        return self.folder / f"{key}{suffix}" if self.folder is not None else None

    def _read(self, path: Path | None) -> bytes | None:
        if path is None:
            return None
        try:
            data = path.read_bytes()
            os.utime(path)  # (used: kept another KEEP_DAYS)
            return data
        except OSError:
            return None

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            return
        try:
            partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            partial.replace(path)  # (a reader never sees half a file)
        except OSError:
            pass

    def chart_png(self, chart: Chart) -> bytes | None:
        """``charts.chart_png(chart)``, drawn once per distinct chart."""
        from .charts import chart_png

        key = hashlib.sha256((renderer_digest() + chart.model_dump_json()).encode()).hexdigest()[:40]
        if key in self._charts:
            return self._charts[key]
        path = self._path("chart-" + key, ".png")
        png = self._read(path)
        if png is not None:
            self.hits["charts"] += 1
        else:
            png = chart_png(chart)
            if png is not None:
                self._write(path, png)
        self._charts[key] = png
        return png

    def render(self, report: Report, update: Update | None, markdown: bool = False) -> RenderedFiles:
        """The report rendered for email and as a page (and as Markdown), drawn once per distinct input."""
        from . import render, render_markdown, standalone_html

        source = json.dumps([renderer_digest(), report.model_dump_json(),
                             None if update is None else [update.title, list(update.lines)]])
        key = hashlib.sha256(source.encode()).hexdigest()[:40]
        path = self._path("report-" + key, ".json")
        kept = self._read(path)
        if kept is not None:
            try:
                data = json.loads(kept)
                files = RenderedFiles(
                    rendered=Rendered(key=report.key, subject=data["subject"], html=data["html"], text=data["text"],
                                      images=tuple((cid, base64.b64decode(png)) for cid, png in data["images"])),
                    page=data["page"], markdown=data.get("markdown"))
                if not markdown or files.markdown is not None:
                    self.hits["reports"] += 1
                    return files
            except (ValueError, KeyError, TypeError):
                pass  # (damaged: drawn again below)
        rendered = render(report, update, chart_png=self.chart_png)
        files = RenderedFiles(rendered=rendered, page=standalone_html(report, rendered, update),
                              markdown=render_markdown(report) if markdown else None)
        self._write(path, json.dumps({
            "subject": rendered.subject, "html": rendered.html, "text": rendered.text,
            "images": [[cid, base64.b64encode(png).decode()] for cid, png in rendered.images],
            "page": files.page, "markdown": files.markdown,
        }).encode())
        return files

    def prune(self, days: int = KEEP_DAYS) -> int:
        """Remove what no run used for ``days`` days (at most once a day); how many files went."""
        if self.folder is None:
            return 0
        stamp = self.folder / ".pruned"
        now = time.time()
        try:
            if stamp.exists() and now - stamp.stat().st_mtime < 86_400:
                return 0
            stamp.touch()
            removed = 0
            for path in self.folder.iterdir():
                if path.name != ".pruned" and now - path.stat().st_mtime > days * 86_400:
                    path.unlink(missing_ok=True)
                    removed += 1
            return removed
        except OSError:
            return 0
