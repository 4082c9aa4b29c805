"""The renderer: a Report becomes email-safe HTML and plain text with the same content."""

from __future__ import annotations

import re
from datetime import date
from html import escape

from execbrief.model import Block, Rendered, Report, ReportSection, SourceRef
from execbrief.render import render, render_html, render_text, subject_for


def make_report(**changes: object) -> Report:
    """A small but complete briefing: every block kind, citations, sources, a warning."""
    fields: dict[str, object] = dict(
        lens="ceo",
        key="ceo",
        title="CEO briefing",
        audience="CEO",
        organization="Acme Holdings",
        period="2024-06",
        as_of=date(2024, 6, 30),
        summary=(
            Block(
                kind="paragraph",
                text="Revenue rose 12% to $184,200 in June. Cash covers 7.5 months of costs.",
                cites=("f-rev", "f-cash"),
            ),
        ),
        sections=(
            ReportSection(
                id="risks",
                title="Risks & issues",
                blocks=(
                    Block(
                        kind="bullets",
                        items=(
                            "Two <b>critical</b> findings in the billing repo.",
                            "AWS spend up 31% month over month.",
                        ),
                        item_cites=(("f-sec",), ("f-aws",)),
                        omitted=3,
                    ),
                    Block(
                        kind="table",
                        columns=("Business", "Revenue", "Margin"),
                        rows=(("Acme Retail", "$120,400", "18.2%"), ("Acme Labs", "$63,800", "-4.1%")),
                        cites=("f-rev",),
                    ),
                ),
            ),
            ReportSection(
                id="actions",
                title="Next 30 days",
                blocks=(
                    Block(
                        kind="actions",
                        items=("Rotate the leaked Stripe key by 5 July.", "Cap the staging cluster at 4 nodes."),
                        cites=("f-sec", "f-aws"),
                    ),
                    Block(kind="note", text="Figures are unaudited."),
                ),
            ),
        ),
        sources=(
            SourceRef(number=1, fact_id="f-rev", label="ledger/2024-06.csv: revenue by business"),
            SourceRef(number=2, fact_id="f-cash", label="ledger/2024-06.csv: cash runway"),
            SourceRef(number=3, fact_id="f-sec", label="repos/billing: secret scan"),
            SourceRef(number=4, fact_id="f-aws", label="aws: cost explorer"),
        ),
        data_quality=("ledger/2024-05.csv:14: amount 'n/a' is not a number",),
        status="verified",
        writer="offline",
    )
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


def shown(text: str) -> str:
    """Text as it appears in the final HTML (the inliner re-serialises: quotes stay literal)."""
    return escape(text, quote=False)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_render_returns_subject_html_and_text_for_the_report_key():
    rendered = render(make_report())
    assert isinstance(rendered, Rendered)
    assert rendered.key == "ceo"
    assert rendered.subject == "CEO briefing: Acme Holdings, 2024-06"


def test_subject_folds_line_breaks_into_spaces():
    report = make_report(title="CEO\r\nBcc: attacker@example.com", period="2024-06\n")
    subject = subject_for(report)
    assert "\r" not in subject and "\n" not in subject
    assert subject == "CEO Bcc: attacker@example.com: Acme Holdings, 2024-06 "


def test_html_has_no_scripts_and_loads_nothing_from_the_network():
    html = render_html(make_report())
    assert "<script" not in html.lower()
    assert "@import" not in html
    assert "url(" not in html
    assert "<link" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "http://" not in html and "https://" not in html


def test_html_is_a_600px_table_layout_with_email_metadata():
    html = render_html(make_report())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en"' in html
    assert '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert 'name="color-scheme" content="light dark"' in html
    assert re.search(r'<table[^>]*class="eb-container"[^>]*width="600"', html)
    assert "max-width: 600px" in html
    assert "@media (prefers-color-scheme: dark)" in html
    assert ":root { color-scheme: light dark;" in html


def test_html_css_is_inlined_into_style_attributes():
    html = render_html(make_report())
    assert re.search(r'<body[^>]*style="[^"]*background-color', html)
    assert re.search(r'<h1[^>]*style="[^"]*font-size', html)
    # Only media queries and the color-scheme rule stay in <style>; plain rules are gone.
    styles = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert len(styles) == 1
    assert ".eb-h1 {" not in styles[0]


def test_html_shows_header_sections_and_every_block_text():
    report = make_report()
    html = render_html(report)
    for text in ("Acme Holdings", "CEO briefing", "For CEO", "2024-06", "30 June 2024"):
        assert text in html
    for section in report.sections:
        assert shown(section.title) in html
    for block in report.blocks():
        for text in block.texts():
            assert shown(text) in html
    for column in ("Business", "Revenue", "Margin"):
        assert f">{column}</th>" in html


def test_html_escapes_markup_in_report_text():
    html = render_html(make_report())
    assert "Two &lt;b&gt;critical&lt;/b&gt; findings" in html
    assert "<b>critical</b>" not in html
    assert "Risks &amp; issues" in html


def test_html_cites_items_and_blocks_by_source_number():
    html = render_html(make_report())
    assert "June. Cash covers 7.5 months of costs.<sup" in html
    assert re.search(r"of costs\.<sup[^>]*>\[1\] \[2\]</sup>", html)
    assert re.search(r"billing repo\.<sup[^>]*>\[3\]</sup></li>", html)
    assert re.search(r"month over month\.<sup[^>]*>\[4\]</sup></li>", html)
    # The action plan has no per-item citations: its block citations follow the list.
    assert re.search(r"</ol><p[^>]*><sup[^>]*>\[3\] \[4\]</sup></p>", html)


def test_html_numbers_the_action_plan_and_right_aligns_numeric_cells():
    html = render_html(make_report())
    assert re.search(r"<ol[^>]*><li[^>]*>Rotate the leaked Stripe key", html)
    assert re.search(r'<td[^>]*align="right"[^>]*>\$120,400</td>', html)
    assert re.search(r'<td[^>]*align="right"[^>]*>-4.1%</td>', html)
    assert re.search(r'<td[^>]*align="left"[^>]*>Acme Retail</td>', html)


def test_html_mentions_omitted_items_only_when_some_were_left_out():
    assert "…and 3 more lower-priority items" in render_html(make_report())
    report = make_report(sections=(ReportSection(id="s", title="S", blocks=(Block(kind="bullets", items=("x",)),)),))
    assert "lower-priority" not in render_html(report)


def test_html_lists_sources_and_a_preheader_with_the_first_sentence():
    html = render_html(make_report())
    assert ">Sources</h2>" in html
    assert "[1] ledger/2024-06.csv: revenue by business" in html
    assert "[4] aws: cost explorer" in html
    assert re.search(r'class="eb-preheader"[^>]*>Revenue rose 12% to \$184,200 in June\.</div>', html)


def test_html_data_quality_note_appears_only_with_warnings():
    with_warning = render_html(make_report())
    assert ">Data quality</h2>" in with_warning
    assert "ledger/2024-05.csv:14: amount 'n/a' is not a number" in with_warning
    assert "Data quality" not in render_html(make_report(data_quality=()))


def test_footer_names_the_writer_and_verification():
    assert "Written by offline · Verified against 4 facts" in render_html(make_report())
    corrected = render_html(make_report(status="corrected", writer="anthropic:claude"))
    assert "Written by anthropic:claude · Verified against 4 facts" in corrected
    assert "Verified against" not in render_html(make_report(status="draft"))


def test_rendering_is_deterministic():
    first, second = render(make_report()), render(make_report())
    assert first.html == second.html
    assert first.text == second.text


def test_sample_html_stays_small():
    assert len(render_html(make_report()).encode("utf-8")) < 100_000


def test_text_carries_the_same_items_citations_and_sources():
    report = make_report()
    text = render_text(report)
    body = flat(text)
    for section in report.sections:
        assert f"{section.title}\n{'-' * len(section.title)}" in text
    for block in report.blocks():
        for item in block.texts():
            assert flat(item) in body
    assert "- Two <b>critical</b> findings in the billing repo. [3]" in text
    assert "1. Rotate the leaked Stripe key by 5 July." in text
    assert "[1] [2]" in text
    assert "…and 3 more lower-priority items" in text
    assert "[1] ledger/2024-06.csv: revenue by business" in text
    assert "Data quality\n------------" in text
    assert "- ledger/2024-05.csv:14: amount 'n/a' is not a number" in text
    assert "Verified against 4 facts" in text


def test_text_aligns_table_columns_and_right_aligns_numbers():
    lines = render_text(make_report()).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Business"))
    assert lines[header + 2] == "Acme Retail  $120,400   18.2%"
    assert lines[header + 3] == "Acme Labs     $63,800   -4.1%"


def test_text_wraps_at_78_columns():
    long = " ".join(["revenue"] * 60)
    report = make_report(summary=(Block(kind="paragraph", text=long, cites=("f-rev",)),))
    lines = render_text(report).splitlines()
    assert max(len(line) for line in lines) <= 78
    assert flat(long) + " [1]" in flat(render_text(report))


def test_text_omits_data_quality_when_there_are_no_warnings():
    assert "Data quality" not in render_text(make_report(data_quality=()))


def test_render_package_exports_its_public_api():
    import execbrief.render as package

    assert sorted(package.__all__) == ["render", "render_html", "render_markdown", "render_text", "standalone_html", "subject_for"]
    assert all(callable(getattr(package, name)) for name in package.__all__)


def test_markdown_export_has_sections_tables_citations_and_sources():
    from execbrief.render import render_markdown

    md = render_markdown(make_report())
    assert md.startswith("# ")
    for section in make_report().sections:
        assert f"## {section.title}" in md
    assert "](#source-1)" in md and '<a id="source-1"></a>1.' in md
    assert md == render_markdown(make_report())


def test_markdown_export_escapes_markup_from_notes():
    from execbrief.render import render_markdown

    report = make_report(summary=(Block(kind="paragraph", text="See [evil](http://x.test) and <b>bold</b> | pipe",
                                        cites=("f-rev",)),))
    md = render_markdown(report)
    assert "[evil](http" not in md and "<b>" not in md
    assert "\\[evil\\]" in md and "\\|" in md


def test_long_citation_runs_become_ranges_that_can_wrap():
    from execbrief.render.common import cite_groups

    assert cite_groups([4, 5, 6, 7, 9, 11, 12]) == ["4\u20137", "9", "11", "12"]
    assert cite_groups([]) == []
