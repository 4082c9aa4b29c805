"""Renderings and charts drawn once per distinct input, and the same bytes as drawn afresh."""

from __future__ import annotations

from pathlib import Path

from execbrief.render import RenderCache, render, render_markdown, standalone_html
from execbrief.render.update import Update

from test_render_mail import chart_report


def test_a_report_rendered_twice_is_drawn_once_and_gives_the_same_bytes_as_drawing_it(tmp_path):
    report = chart_report()
    update = Update(title="What changed", lines=("Revenue $2,500 (was $2,000)",))
    first = RenderCache(tmp_path / "render").render(report, update, markdown=True)
    again = RenderCache(tmp_path / "render")  # (a later run: a new process would read the same files)
    kept = again.render(report, update, markdown=True)
    assert again.hits == {"charts": 0, "reports": 1}
    fresh = render(report, update)
    for files in (first, kept):
        assert files.rendered == fresh
        assert files.page == standalone_html(report, fresh, update)
        assert files.markdown == render_markdown(report)


def test_a_changed_report_redraws_its_text_but_reuses_its_unchanged_chart(tmp_path):
    RenderCache(tmp_path / "render").render(chart_report(), None)
    changed = chart_report().model_copy(update={"title": "CFO briefing, corrected"})
    cache = RenderCache(tmp_path / "render")
    files = cache.render(changed, None)
    assert cache.hits == {"charts": 1, "reports": 0}
    assert files.rendered == render(changed)


def test_a_damaged_kept_rendering_is_drawn_again(tmp_path):
    RenderCache(tmp_path / "render").render(chart_report(), None)
    for path in (tmp_path / "render").glob("report-*.json"):
        path.write_text("{not json", encoding="utf-8")
    cache = RenderCache(tmp_path / "render")
    assert cache.render(chart_report(), None).rendered == render(chart_report())
    assert cache.hits["reports"] == 0


def test_a_run_writes_the_same_files_from_kept_renderings_as_it_drew(demo_workspace):
    code, first = demo_workspace.run("--dry-run", "--format", "md")
    assert code == 0
    kept = sorted((demo_workspace.root / ".execbrief" / "cache" / "render").glob("*"))
    assert any(p.name.startswith("chart-") for p in kept) and any(p.name.startswith("report-") for p in kept)
    code, second = demo_workspace.run("--dry-run", "--format", "md")
    assert code == 0
    for before, after in zip(first["reports"], second["reports"]):
        for kind in ("html", "text", "md"):
            assert Path(after["files"][kind]).read_bytes() == Path(before["files"][kind]).read_bytes(), kind
