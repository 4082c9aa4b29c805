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
            SourceRef(number=1, fact_id="f-rev", label="ledger/2024-06.csv, June 2024"),
            SourceRef(number=2, fact_id="f-cash", label="ledger/2024-06.csv, cash on 30 June 2024"),
            SourceRef(number=3, fact_id="f-sec", label="repos/billing/config.py:12"),
            SourceRef(number=4, fact_id="f-aws", label="aws:ce:global:111122223333/2024-06"),
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
    assert ".eb-h1 { margin" not in styles[0]


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


def _cites(numbers: str) -> str:
    """The pattern of a citation marker: ``[1] [2]`` as links to the Sources block."""
    links = [rf'<a href="#eb-src-{n}"[^>]*>\[{n}\]</a>' for n in numbers.split()]
    return r"<sup[^>]*>" + " ".join(links) + "</sup>"


def test_html_cites_items_and_blocks_by_source_number_as_links():
    html = render_html(make_report())
    assert "June. Cash covers 7.5 months of costs.<sup" in html
    assert re.search(r"of costs\." + _cites("1 2"), html)
    assert re.search(r"billing repo\." + _cites("3") + "</li>", html)
    assert re.search(r"month over month\." + _cites("4") + "</li>", html)
    # The action plan has no per-item citations: its block citations follow the list.
    assert re.search(r"</ol><p[^>]*>" + _cites("3 4") + "</p>", html)


def test_every_citation_link_lands_on_an_entry_of_the_sources_block():
    html = render_html(make_report())
    sources = html[html.index(">Sources</h2>"):]
    targets = set(re.findall(r'href="#(eb-src-\d+)"', html))
    assert targets == {"eb-src-1", "eb-src-2", "eb-src-3", "eb-src-4"}
    for target in targets:
        assert re.search(rf'id="{target}"', sources), target


def test_sources_are_grouped_by_file_with_touching_line_ranges_merged():
    refs = (
        SourceRef(number=1, fact_id="a", label="notes/ops.md:12"),
        SourceRef(number=2, fact_id="b", label="ledger/t.csv, May–October 2026"),
        SourceRef(number=3, fact_id="c", label="notes/ops.md:13-15"),
        SourceRef(number=4, fact_id="d", label="notes/ops.md:40; ledger/t.csv, May–October 2026"),
        SourceRef(number=5, fact_id="e", label="ledger/t.csv, May–October 2026"),
        SourceRef(number=6, fact_id="f", label="notes/ops.md"),
        SourceRef(number=7, fact_id="g", label="arn:aws:lambda:us-east-1:111122223333:function:booking"),
    )
    blocks = (Block(kind="bullets", items=tuple("abcdefg"), item_cites=tuple((c,) for c in "abcdefg"),
                    cites=tuple("abcdefg")),)
    report = make_report(summary=blocks, sections=(), sources=refs)
    text = render_text(report)
    sources = text[text.index("Sources\n"):]
    # one line per file; lines 12 and 13-15 are one place; one place cited by three facts
    assert "notes/ops.md: [1] lines 12\u201315; [3] line 40; [4] whole file" in sources
    assert "ledger/t.csv: [2] May\u2013October 2026" in sources
    assert "arn:aws:lambda:us-east-1:111122223333:function:booking: [5]" in sources
    # each item is cited by its places' numbers, the same in the text and in the HTML
    assert "- a [1]" in text and "- c [1]" in text and "- d [2] [3]" in text and "- e [2]" in text
    html = render_html(report)
    assert re.search(r">d" + _cites("2 3") + "</li>", html)
    assert html.count('id="eb-src-') == 5


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
    assert re.search(r"ledger/2024-06\.csv</span> <span[^>]*><a id=\"eb-src-1\" name=\"eb-src-1\"></a><span[^>]*>\[1\]</span>&nbsp;June 2024", html)
    assert re.search(r">\[2\]</span>&nbsp;cash on 30 June 2024", html)
    assert ">[4]</span>" in html
    assert re.search(r'class="eb-preheader"[^>]*>Revenue rose 12% to \$184,200 in June\.</div>', html)


def test_data_quality_warnings_go_to_the_footer_for_whoever_keeps_the_data():
    with_warning = render_html(make_report())
    assert ">For whoever keeps the data</h2>" in with_warning
    assert with_warning.index("keeps the data") > with_warning.index("Figures are unaudited")
    assert "ledger/<wbr>2024-<wbr>05.<wbr>csv:<wbr>14: amount 'n/a' is not a number" in with_warning
    assert "keeps the data" not in render_html(make_report(data_quality=()))


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
    assert "ledger/2024-06.csv: [1] June 2024; [2] cash on 30 June 2024" in text
    assert "For whoever keeps the data\n--------------------------" in text
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
    assert "keeps the data" not in render_text(make_report(data_quality=()))


def test_render_package_exports_its_public_api():
    import execbrief.render as package

    assert sorted(package.__all__) == ["RenderCache", "RenderedFiles", "render", "render_html", "render_markdown", "render_text", "standalone_html",
                                       "subject_for", "update_between"]
    assert all(callable(getattr(package, name)) for name in package.__all__)


def test_markdown_export_has_sections_tables_citations_and_sources():
    from execbrief.render import render_markdown

    md = render_markdown(make_report())
    assert md.startswith("# ")
    for section in make_report().sections:
        assert f"## {section.title}" in md
    assert "](#source-1)" in md and '<a id="source-1"></a>\\[1\\] June 2024' in md
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


def test_a_table_of_more_than_three_columns_can_become_cards_and_reads_without_style():
    wide = Block(kind="table", columns=("Business", "Period", "Revenue", "Net"),
                 rows=(("Acme Retail", "June 2024", "$120,400", "$8,100"),), cites=("f-rev",))
    html = render_html(make_report(sections=(ReportSection(id="r", title="Results", blocks=(wide,)),)))
    table = re.search(r'<table[^>]*class="eb-data eb-cards".*?</table>', html, re.S).group(0)
    # the first cell is the card's title; every other cell carries its column's name, hidden
    # inline (so a client that drops <style> shows a plain table) and shown by the media query
    assert re.search(r'<td[^>]*class="eb-card-title"[^>]*>Acme Retail</td>', table)
    assert re.search(r'<span class="eb-label" style="[^"]*display: none[^"]*">Revenue </span>\$120,400', table)
    assert re.search(r'<tr class="eb-head"', table)
    assert ".eb-cards .eb-label { display: inline-block !important;" in html
    narrow = render_html(make_report())  # three columns stay a table everywhere
    assert "eb-cards" not in narrow.split("<body", 1)[1] and "eb-label" not in narrow.split("<body", 1)[1]


def test_long_paths_and_keys_get_break_opportunities_and_stay_escaped():
    from execbrief.render.html import breakable

    path = "repos/brightline-client-sites/sites/harbor-flats-booking/config/payments.php:6"
    assert str(breakable(f"Key in {path} <b>")) == (
        "Key in repos/<wbr>brightline-<wbr>client-<wbr>sites/<wbr>sites/<wbr>harbor-<wbr>flats-<wbr>booking/<wbr>"
        "config/<wbr>payments.<wbr>php:<wbr>6 &lt;b&gt;")
    assert str(breakable("short words only")) == "short words only"


def test_upkeep_instructions_render_in_the_keepers_footer_with_their_citations():
    upkeep = (Block(kind="bullets", items=("To record NPS, state it in a note's front matter (kpis: {nps: ...}).",),
                    item_cites=(("f-rev",),), cites=("f-rev",)),)
    report = make_report(upkeep=upkeep, data_quality=())
    html, text = render_html(report), render_text(report)
    footer = html[html.index(">For whoever keeps the data</h2>"):html.index(">Sources</h2>")]
    assert "front matter (kpis: {nps: ...})." + "<sup" in footer
    assert "For whoever keeps the data" in text
    assert text.index("keeps the data") < text.index("Sources\n")
    assert "- To record NPS, state it in a note's front matter (kpis: {nps: ...}). [1]" in text


def test_a_plan_cut_by_its_limit_says_its_later_actions_are_left_out():
    from execbrief.render.common import omitted_line

    assert omitted_line(3, "actions") == "\u2026and 3 later actions"
    assert omitted_line(1, "actions") == "\u2026and 1 later action"
    assert omitted_line(2) == "\u2026and 2 more lower-priority items"
