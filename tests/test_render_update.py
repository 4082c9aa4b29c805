"""An [Update] opens with what changed since the version it replaces."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.model import Block, Report, ReportSection
from execbrief.render import render, update_between


def report(items: tuple[str, ...], revenue: str) -> Report:
    table = Block(kind="table", columns=("Business", "Period", "Revenue", "Net"),
                  rows=(("Alpha", "October 2026", revenue, "$900"), ("Beta", "October 2026", "$50", "$5")))
    return Report(lens="ceo", key="ceo", title="CEO briefing", audience="CEO", organization="Acme",
                  period="2026-W48", as_of=date(2026, 11, 23),
                  summary=(Block(kind="bullets", items=items),),
                  sections=(ReportSection(id="results", title="Results", blocks=(table,)),), status="verified")


def test_the_update_names_changed_figures_new_lines_and_gone_lines():
    before = report(("Critical: the boiler fails on 15 December.", "High: Pinewood owes $2,800."), "$1,000")
    after = report(("Critical: the boiler fails on 15 December.", "Critical: a live key is in config.php."), "$1,250")
    update = update_between(before, after, date(2026, 11, 23))
    assert update.title == "Update: what changed since the version sent on 23 November 2026"
    assert update.lines == (
        "Results: Alpha, October 2026: Revenue $1,250 (was $1,000).",
        "New: Critical: a live key is in config.php.",
        "No longer shown: High: Pinewood owes $2,800.",
    )


def test_the_update_box_comes_first_in_html_and_text():
    before = report(("High: Pinewood owes $2,800.",), "$1,000")
    after = report(("Critical: a live key is in config.php.",), "$1,000")
    rendered = render(after, update_between(before, after, date(2026, 11, 23)))
    text = rendered.text
    assert text.index("Update: what changed since") < text.index("Summary\n")
    assert "- New: Critical: a live key is in config.php." in text
    html = rendered.html
    assert html.index("Update: what changed since") < html.index(">Summary</h2>")
    assert "No longer shown: High: Pinewood owes $2,800." in html
    assert "Update:" not in render(after).text  # a first version has no update box


def _eml(root: Path, key: str):
    runs = sorted((root / ".execbrief" / "runs").iterdir())
    return message_from_bytes((runs[-1] / f"{key}.eml").read_bytes(), policy=policy.default)


def test_a_changed_report_resent_in_the_same_period_says_what_changed_at_the_top(demo_workspace):
    root = str(demo_workspace.root)
    assert CliRunner().invoke(cli, ["run", "-w", root, "--only", "ceo"]).exit_code == 0
    note = demo_workspace.root / "notes" / "harbor-flats" / "operations.md"
    note.write_text(note.read_text() + "\n## Risks\n- [critical] The fire alarm panel failed its test on 20 November.\n")
    result = CliRunner().invoke(cli, ["run", "-w", root, "--only", "ceo"])
    assert result.exit_code == 0, result.output
    outbox = sorted((demo_workspace.root / "outbox").iterdir())[-1]
    sent = message_from_bytes((outbox / "ceo.eml").read_bytes(), policy=policy.default)
    assert str(sent["Subject"]).startswith("[Update] CEO briefing")
    text = sent.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.index("Update: what changed since the version sent on") < text.index("Summary\n")
    top = text[:text.index("Summary\n")]
    assert "New: " in top and "fire alarm panel" in top
