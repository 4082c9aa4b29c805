"""The notes source: markdown files → document, section, task and table_row evidence."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import conftest
import pytest

from execbrief.config import load_settings
from execbrief.model import content_hash, stable_id
from execbrief.registry import Registry
from execbrief.sources import SourceResult
from execbrief.sources.markdown_scan import _DATE_LINE
from execbrief.sources.notes import NotesSource, register
from execbrief.workers import can_fork, cpus

BASE_TOML = """
[organization]
name = "Test Org"

[[entities]]
id = "acme"
name = "Acme Corporation"
aliases = ["Acme Inc", "ac"]

[[entities]]
id = "globex"
name = "Globex"

[delivery]
sender = "briefs@example.com"
"""


class Workspace(conftest.Workspace):
    """A tmp workspace whose files are written byte for byte, read by the notes source."""

    dedent = False

    def collect(self, extra_toml: str = "") -> SourceResult:
        (self.root / "execbrief.toml").write_text(BASE_TOML + extra_toml, encoding="utf-8")
        return NotesSource(load_settings(self.root, environ={})).collect()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def of_kind(result: SourceResult, kind: str, path: str | None = None) -> list:
    return [e for e in result.evidence
            if e.kind == kind and (path is None or e.provenance.path == path)]


def one(items: list):
    assert len(items) == 1, items
    return items[0]


# -- documents and front matter ---------------------------------------------------------

def test_front_matter_fields_fill_the_document_record(ws):
    ws.write("notes/plan.md", (
        "---\n"
        "title: Q3 Plan\n"
        "tags: [ops, finance]\n"
        "status: active\n"
        "updated: 2026-05-03\n"
        "owner: Dana\n"
        "kpis:\n"
        "  mrr: 1450\n"
        "  churn: 2.5%\n"
        "---\n"
        "# Heading that is not the title\n"
        "Body.\n"
    ))
    result = ws.collect()
    doc = one(of_kind(result, "document"))
    assert doc.text == "Q3 Plan"
    assert doc.record["title"] == "Q3 Plan"
    assert doc.record["tags"] == ["ops", "finance"]
    assert doc.record["status"] == "active"
    assert doc.record["updated"] == "2026-05-03"
    assert doc.record["kpis"] == {"mrr": "1450", "churn": "2.5%"}
    assert doc.record["front_matter"]["owner"] == "Dana"
    assert doc.record["front_matter"]["updated"] == "2026-05-03"  # a date, made JSON-safe
    json.dumps(doc.record)
    assert (doc.provenance.line_start, doc.provenance.line_end) == (1, 12)
    assert result.warnings == []


def test_document_provenance_carries_mtime_and_content_hash(ws):
    path = ws.write("notes/a.md", "# A\ntext\n")
    os.utime(path, (1_780_000_000, 1_780_000_000))
    result = ws.collect()
    doc = one(of_kind(result, "document"))
    assert doc.source == "notes"
    assert doc.provenance.path == "notes/a.md"
    assert doc.provenance.observed_at == "2026-05-28T20:26:40Z"
    assert doc.provenance.sha256 == content_hash(path.read_bytes())
    assert doc.id == stable_id("ev", "notes", "notes/a.md", "document", 1)


def test_every_note_is_recorded_as_an_input_file_with_its_hash(ws):
    a = ws.write("notes/a.md", "# A\n")
    b = ws.write("notes/sub/b.markdown", "# B\n")
    ws.write("notes/ignored.txt", "not a note")
    result = ws.collect()
    assert [(i.source, i.path, i.sha256, i.size) for i in result.inputs] == [
        ("notes", "notes/a.md", content_hash(a.read_bytes()), 4),
        ("notes", "notes/sub/b.markdown", content_hash(b.read_bytes()), 4),
    ]


def test_title_falls_back_to_first_h1_then_file_stem(ws):
    ws.write("notes/with-h1.md", "intro\n## Second level\n# Real Title\n")
    ws.write("notes/no-heading.md", "just text\n")
    result = ws.collect()
    titles = {e.provenance.path: e.text for e in of_kind(result, "document")}
    assert titles == {"notes/with-h1.md": "Real Title", "notes/no-heading.md": "no-heading"}


def test_updated_falls_back_to_front_matter_date(ws):
    ws.write("notes/a.md", "---\ndate: 2026-04-30 09:15:00\ntags: ops, hiring\n---\ntext\n")
    doc = one(of_kind(ws.collect(), "document"))
    assert doc.record["updated"] == "2026-04-30"
    assert doc.record["tags"] == ["ops", "hiring"]
    assert doc.record["status"] is None
    assert doc.record["kpis"] == {}


def test_front_matter_updated_that_is_not_a_date_warns_with_its_line(ws):
    ws.write("notes/a.md", "---\ntitle: A\nupdated: last week\n---\ntext\n")
    result = ws.collect()
    doc = one(of_kind(result, "document"))
    assert doc.record["updated_from"] == "mtime"  # the bad value is not used
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/a.md", 3)
    assert "YYYY-MM-DD" in warning.message


# -- sections, bullets ------------------------------------------------------------------

NESTED = """\
# Company
Overview line.

## Sales
Pipeline is up.

### EMEA
Two deals.
## Ops
Servers fine.
"""


def test_headings_become_sections_with_levels_parents_and_line_ranges(ws):
    ws.write("notes/a.md", NESTED)
    sections = of_kind(ws.collect(), "section")
    got = [(s.record["heading"], s.record["level"], s.record["parents"],
            s.provenance.line_start, s.provenance.line_end, s.text) for s in sections]
    assert got == [
        ("Company", 1, [], 1, 2, "Overview line."),
        ("Sales", 2, ["Company"], 4, 5, "Pipeline is up."),
        ("EMEA", 3, ["Company", "Sales"], 7, 8, "Two deals."),
        ("Ops", 2, ["Company"], 9, 10, "Servers fine."),
    ]


def test_hash_inside_fenced_code_block_is_not_a_heading_or_task(ws):
    ws.write("notes/a.md", (
        "# Runbook\n"
        "```bash\n"
        "# restart the service\n"
        "- [ ] not a task\n"
        "```\n"
        "~~~\n"
        "## still code\n"
        "~~~\n"
        "after\n"
    ))
    result = ws.collect()
    section = one(of_kind(result, "section"))
    assert section.record["heading"] == "Runbook"
    assert "# restart the service" in section.text
    assert section.text.endswith("after")
    assert section.provenance.line_end == 9
    assert of_kind(result, "task") == []
    assert section.record["bullets"] == []


def test_text_before_first_heading_is_a_level_zero_section(ws):
    ws.write("notes/a.md", "---\ntitle: T\n---\n\nLoose intro.\n- point\n\n# First\nx\n")
    ws.write("notes/b.md", "---\ntitle: B\n---\n\n\n# Only\ny\n")
    result = ws.collect()
    a = of_kind(result, "section", "notes/a.md")
    preamble = a[0]
    assert (preamble.record["heading"], preamble.record["level"]) == ("", 0)
    assert preamble.text == "Loose intro.\n- point"
    assert (preamble.provenance.line_start, preamble.provenance.line_end) == (5, 6)
    assert preamble.record["bullets"] == [{"text": "point", "line": 6}]
    # a blank preamble is no section
    assert [s.record["heading"] for s in of_kind(result, "section", "notes/b.md")] == ["Only"]


def test_bullets_of_each_marker_are_recorded_with_lines_and_continuations(ws):
    ws.write("notes/a.md", (
        "# Risks\n"
        "- vendor renewal\n"
        "  is due soon\n"
        "* two engineers out\n"
        "+ budget freeze\n"
        "1. numbered item\n"
        "- [ ] a task, not a bullet\n"
        "---\n"
        "plain paragraph\n"
        "## Sub\n"
        "- sub bullet\n"
    ))
    sections = of_kind(ws.collect(), "section")
    assert sections[0].record["bullets"] == [
        {"text": "vendor renewal is due soon", "line": 2},
        {"text": "two engineers out", "line": 4},
        {"text": "budget freeze", "line": 5},
        {"text": "numbered item", "line": 6},
    ]
    assert sections[1].record["bullets"] == [{"text": "sub bullet", "line": 11}]


# -- tasks ------------------------------------------------------------------------------

def test_checkbox_lines_become_open_and_done_tasks_under_their_heading(ws):
    ws.write("notes/a.md", (
        "- [ ] before any heading\n"
        "# Actions\n"
        "- [ ] renew the contract\n"
        "- [x] hire a contractor\n"
        "* [X] close the books\n"
        "  for April\n"
    ))
    tasks = of_kind(ws.collect(), "task")
    got = [(t.text, t.record["done"], t.record["heading"], t.provenance.line_start,
            t.provenance.line_end) for t in tasks]
    assert got == [
        ("before any heading", False, "", 1, 1),
        ("renew the contract", False, "Actions", 3, 3),
        ("hire a contractor", True, "Actions", 4, 4),
        ("close the books for April", True, "Actions", 5, 6),
    ]
    assert all(t.record["due"] is None for t in tasks)
    assert tasks[1].id == stable_id("ev", "notes", "notes/a.md", "task", 3)


@pytest.mark.parametrize("text", [
    "Renew contract (due 2026-12-05)",
    "Renew contract due: 2026-12-05",
    "Renew contract due 2026-12-05",
    "Renew contract by 2026-12-05",
    "Renew contract 📅 2026-12-05",
])
def test_checkbox_with_due_date_becomes_task_with_due(ws, text):
    ws.write("notes/a.md", f"# Actions\n- [ ] {text}\n")
    task = one(of_kind(ws.collect(), "task"))
    assert task.record["due"] == "2026-12-05"
    assert task.text == text


def test_task_with_impossible_due_date_warns_and_has_no_due(ws):
    ws.write("notes/a.md", "# Actions\n- [ ] pay vendor by 2026-02-30\n")
    result = ws.collect()
    assert one(of_kind(result, "task")).record["due"] is None
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/a.md", 2)
    assert "2026-02-30" in warning.message


# -- tables -----------------------------------------------------------------------------

def test_pipe_table_rows_become_table_rows_with_normalised_headers(ws):
    ws.write("notes/a.md", (
        "# KPIs\n"
        "## Monthly\n"
        "| Metric | MRR ($) | Due Date | Owner/Lead |\n"
        "|:-------|-------:|:---:|---|\n"
        "| Revenue | 1,450 | 2026-06-01 | Dana |\n"
        "| Pipe \\| escaped | 3 |  | Lee |\n"
        "\n"
        "after the table\n"
    ))
    rows = of_kind(ws.collect(), "table_row")
    assert [r.record for r in rows] == [
        {"heading": "Monthly", "cells": {"metric": "Revenue", "mrr": "1,450",
                                          "due_date": "2026-06-01", "ownerlead": "Dana"},
         "dates": {"due_date": "2026-06-01"}, "numbers": {"mrr": "1450"}},
        {"heading": "Monthly", "cells": {"metric": "Pipe | escaped", "mrr": "3",
                                          "due_date": "", "ownerlead": "Lee"},
         "numbers": {"mrr": "3"}},
    ]
    assert rows[0].text == "| Revenue | 1,450 | 2026-06-01 | Dana |"
    assert [(r.provenance.line_start, r.provenance.line_end) for r in rows] == [(5, 5), (6, 6)]


def test_table_row_with_wrong_cell_count_is_kept_padded_or_trimmed_with_warning(ws):
    ws.write("notes/a.md", (
        "| a | b | c |\n"
        "|---|---|---|\n"
        "| 1 | 2 |\n"
        "| 1 | 2 | 3 | 4 |\n"
        "| x | y | z |\n"
    ))
    result = ws.collect()
    cells = [r.record["cells"] for r in of_kind(result, "table_row")]
    assert cells == [{"a": "1", "b": "2", "c": ""}, {"a": "1", "b": "2", "c": "3"},
                     {"a": "x", "b": "y", "c": "z"}]
    assert [(w.path, w.line) for w in result.warnings] == [("notes/a.md", 3), ("notes/a.md", 4)]
    assert result.warnings[0].message.startswith("table row has 2 cells, header has 3")
    assert result.warnings[1].message.startswith("table row has 4 cells, header has 3")


# -- entities ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["acme", "Acme Inc", "ACME CORPORATION", "AC"])
def test_front_matter_entity_matches_id_alias_or_name(ws, value):
    ws.write("notes/globex/a.md", f"---\nentity: {value}\n---\n# A\n- [ ] t\n")
    result = ws.collect()
    assert {e.entity for e in result.evidence} == {"acme"}  # front matter beats the folder
    assert result.warnings == []


def test_unknown_front_matter_entity_warns_and_leaves_entity_none(ws):
    ws.write("notes/acme/a.md", "---\ntitle: A\nentity: Initech\n---\n# A\ntext\n")
    result = ws.collect()
    assert {e.entity for e in result.evidence} == {None}
    assert len(result.evidence) == 2
    warning = one(result.warnings)
    assert (warning.source, warning.path, warning.line) == ("notes", "notes/acme/a.md", 3)
    assert "'Initech'" in warning.message and "[[entities]]" in warning.message


def test_entity_comes_from_first_matching_folder_below_notes_root(ws):
    ws.write("notes/clients/Acme Inc/2026/review.md", "# Review\n")
    ws.write("notes/globex/plan.md", "# Plan\n")
    result = ws.collect()
    entities = {e.provenance.path: e.entity for e in of_kind(result, "document")}
    assert entities == {"notes/clients/Acme Inc/2026/review.md": "acme",
                        "notes/globex/plan.md": "globex"}


def test_entity_comes_from_file_stem_containing_an_entity_id(ws):
    ws.write("notes/2026-05-acme-weekly.md", "# Weekly\n")
    ws.write("notes/globexian-history.md", "# Not a whole-word match\n")
    ws.write("notes/misc.md", "# No hint\n")
    result = ws.collect()
    entities = {e.provenance.path: e.entity for e in of_kind(result, "document")}
    assert entities == {"notes/2026-05-acme-weekly.md": "acme",
                        "notes/globexian-history.md": None, "notes/misc.md": None}


# -- bad input --------------------------------------------------------------------------

def test_binary_file_is_skipped_with_warning_and_other_notes_still_read(ws):
    ws.write("notes/image.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    ws.write("notes/good.md", "# Good\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/image.md", None)
    assert "binary" in warning.message
    assert {e.provenance.path for e in result.evidence} == {"notes/good.md"}


def test_a_utf16_note_with_its_bom_is_read_not_skipped_as_binary(ws):
    ws.write("notes/notepad.md", "# Ops\n- Boiler quote £2,300 from Harris\n".encode("utf-16"))  # (BOM, then NULs)
    result = ws.collect()
    assert result.warnings == []
    assert "Boiler quote £2,300 from Harris" in str([e.record for e in result.evidence])


def test_non_utf8_note_is_decoded_as_cp1252_with_warning(ws):
    ws.write("notes/legacy.md", "# Café plan\nline two\nCost: 5 €\n".encode("cp1252"))
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/legacy.md", 1)
    assert warning.message == "not UTF-8; decoded as cp1252: re-save as UTF-8"
    section = one(of_kind(result, "section"))
    assert section.record["heading"] == "Café plan"
    assert section.text.endswith("5 €")


def test_utf8_bom_is_accepted_silently(ws):
    ws.write("notes/bom.md", "\ufeff---\ntitle: With BOM\n---\n# H\n".encode("utf-8"))
    result = ws.collect()
    assert result.warnings == []
    assert one(of_kind(result, "document")).text == "With BOM"


def test_windows_line_endings_keep_line_numbers_and_strip_carriage_returns(ws):
    ws.write("notes/a.md", b"# A\r\ntext\r\n- [x] done\r\n")
    result = ws.collect()
    task = one(of_kind(result, "task"))
    assert (task.text, task.provenance.line_start) == ("done", 3)
    assert one(of_kind(result, "section")).text == "text\n- [x] done"


@pytest.mark.parametrize("content", ["", "  \n\n\t\n"])
def test_empty_note_is_skipped_with_warning(ws, content):
    ws.write("notes/empty.md", content)
    ws.write("notes/good.md", "# Good\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/empty.md", None)
    assert "empty" in warning.message
    assert {e.provenance.path for e in result.evidence} == {"notes/good.md"}


def test_unclosed_front_matter_is_ignored_with_warning_and_body_still_parsed(ws):
    ws.write("notes/a.md", "---\ntitle: Lost\n# Real\n- [ ] still a task\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/a.md", 1)
    assert "closing '---'" in warning.message
    assert one(of_kind(result, "document")).text == "Real"
    assert one(of_kind(result, "task")).text == "still a task"


def test_invalid_yaml_front_matter_warns_with_its_line_and_body_still_parsed(ws):
    ws.write("notes/a.md", "---\ntitle: Fine\nowner: Dana: CFO\nstatus: x\n---\n# Body\n- [ ] t\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/a.md", 3)  # the line YAML complains about
    assert "not valid YAML" in warning.message
    doc = one(of_kind(result, "document"))
    assert doc.record["front_matter"] == {} and doc.text == "Body"
    assert one(of_kind(result, "task")).provenance.line_start == 7


def test_front_matter_that_is_not_a_mapping_is_ignored_with_warning(ws):
    ws.write("notes/a.md", "---\n- just\n- a list\n---\n# Body\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/a.md", 1)
    assert "not a mapping" in warning.message
    assert one(of_kind(result, "section")).record["heading"] == "Body"


def test_file_over_the_size_limit_is_skipped_with_warning_naming_the_key(ws):
    ws.write("notes/huge.md", "# Big\n" + "x" * 3000 + "\n")
    ws.write("notes/small.md", "# Small\n")
    result = ws.collect("\n[sources.notes]\npaths = [\"notes\"]\nmax_file_mb = 0.002\n")
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/huge.md", None)
    assert "sources.notes.max_file_mb" in warning.message
    assert re.search(r"\d+\.\d MB", warning.message)
    assert {e.provenance.path for e in result.evidence} == {"notes/small.md"}
    assert [i.path for i in result.inputs] == ["notes/small.md"]


def test_unreadable_note_is_skipped_with_warning(ws):
    locked = ws.write("notes/locked.md", "# Secret\n")
    ws.write("notes/open.md", "# Open\n")
    locked.chmod(0)
    try:
        try:
            locked.read_bytes()
            pytest.skip("running as a user that can read any file (root)")
        except PermissionError:
            pass
        result = ws.collect()
    finally:
        locked.chmod(0o644)
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("notes/locked.md", None)
    assert "cannot read" in warning.message
    assert {e.provenance.path for e in result.evidence} == {"notes/open.md"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_note_whose_read_fails_with_os_error_is_skipped_with_warning(ws):
    # /proc/self/mem stats as a file but reading it from offset 0 fails with EIO:
    # a real OSError that even root gets.
    ws.write("notes/good.md", "# Good\n")
    result = ws.collect('\n[sources]\nallow_outside = true\n[sources.notes]\npaths = ["notes", "/proc/self/mem"]\n')
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("/proc/self/mem", None)
    assert "cannot read" in warning.message
    assert {e.provenance.path for e in result.evidence} == {"notes/good.md"}


def test_configured_path_matching_nothing_warns_naming_it(ws):
    ws.write("notes/a.md", "# A\n")
    result = ws.collect('\n[sources.notes]\npaths = ["notes", "missing-folder", "notes/*.txt"]\n')
    messages = [w.message for w in result.warnings]
    assert len(messages) == 2
    assert "'missing-folder'" in messages[0] and "sources.notes.paths" in messages[0]
    assert "'notes/*.txt'" in messages[1]
    assert one(of_kind(result, "document")).provenance.path == "notes/a.md"


# -- ids, registration, speed -----------------------------------------------------------

def test_evidence_ids_are_stable_and_unique_across_runs(ws):
    ws.write("notes/a.md", NESTED + "- [ ] t\n| a |\n|---|\n| 1 |\n")
    first = [e.id for e in ws.collect().evidence]
    second = [e.id for e in ws.collect().evidence]
    assert first == second
    assert len(set(first)) == len(first)


def test_register_adds_the_notes_source():
    registry = Registry()
    register(registry)
    assert registry.sources["notes"] is NotesSource
    assert NotesSource.name == "notes"


def test_two_thousand_notes_give_every_item(ws):
    note = ("---\ntitle: N\ntags: [ops]\nupdated: 2026-05-01\n---\n# Week\nProse.\n\n"
            "## Risks\n- one\n- two\n## Actions\n- [ ] do it by 2026-06-01\n- [x] done\n"
            "| k | v |\n|---|---|\n| a | 1 |\n")
    for n in range(2000):
        ws.write(f"notes/d{n % 20}/n{n}.md", note)
    result = ws.collect()  # (how fast: bench/ingest.py; tests assert no timings)
    assert len(of_kind(result, "document")) == 2000
    assert len(result.evidence) == 2000 * 7


# -- typed table cells --------------------------------------------------------------------

def test_client_table_cells_are_typed_and_raw_cells_kept(ws):
    ws.write("notes/acme/clients.md", (
        "| Client | Monthly fee | Contract end | Last paid |\n"
        "|---|---|---|---|\n"
        "| Coastal Dental | $2,400 | 2027-03-31 | 5 Nov 2026 |\n"
    ))
    record = one(of_kind(ws.collect(), "table_row")).record
    assert record["cells"] == {"client": "Coastal Dental", "monthly_fee": "$2,400",
                               "contract_end": "2027-03-31", "last_paid": "5 Nov 2026"}
    assert record["amounts"] == {"monthly_fee": "2400"}
    assert record["dates"] == {"contract_end": "2027-03-31", "last_paid": "2026-11-05"}
    assert "per" not in record and "numbers" not in record


def test_unit_and_fleet_tables_give_rates_dates_and_numbers(ws):
    ws.write("notes/acme/assets.md", (
        "| Unit | Status | Rent | Lease end |\n|---|---|---|---|\n"
        "| 1A | Let | $1,250/month | 2027-05-31 |\n"
        "| 2B | Short-term rental | $138/night (Oct average) | — |\n"
        "| 3A | Vacant since 2026-10-01 | $1,275/month (asking) | — |\n"
        "\n"
        "| Van | Mileage | Last service | Status |\n|---|---|---|---|\n"
        "| Van 2 | 118,640 | 2026-06-03 | Service overdue |\n"
    ))
    records = [r.record for r in of_kind(ws.collect(), "table_row")]
    assert records[0]["amounts"] == {"rent": "1250"} and records[0]["per"] == {"rent": "month"}
    assert records[1]["per"] == {"rent": "night"} and "dates" not in records[1]
    assert records[2]["dates"] == {"status": "2026-10-01"}  # "vacant since" keeps its date
    assert records[3]["numbers"] == {"mileage": "118640"}
    assert records[3]["dates"] == {"last_service": "2026-06-03"}


# -- dates and the note's last update ---------------------------------------------------

def test_last_update_comes_from_the_latest_dated_line_without_front_matter(ws):
    ws.write("notes/log.md", "# Log\n2026-10-02: called the insurer\n- 2026-11-03 — boiler quote in\nUpdated 4 Nov 2026\n")
    doc = one(of_kind(ws.collect(), "document"))
    assert (doc.record["updated"], doc.record["updated_from"]) == ("2026-11-04", "dated_line")


def test_front_matter_update_wins_over_dated_lines_and_may_be_written_in_words(ws):
    ws.write("notes/log.md", "---\nupdated: 3 Nov 2026\n---\n2026-11-20: later line\n")
    doc = one(of_kind(ws.collect(), "document"))
    assert (doc.record["updated"], doc.record["updated_from"]) == ("2026-11-03", "front_matter")


def test_a_dated_line_after_the_file_was_saved_is_a_plan_not_an_update(ws):
    path = ws.write("notes/plan.md", "# Plan\n2026-05-01: started\n2026-12-01: inspection\n")
    os.utime(path, (1_780_000_000, 1_780_000_000))  # saved 2026-05-28
    doc = one(of_kind(ws.collect(), "document"))
    assert doc.record["updated"] == "2026-05-01"


def test_last_update_falls_back_to_the_file_mtime(ws):
    path = ws.write("notes/plain.md", "# Plain\nNo dates here.\n")
    os.utime(path, (1_780_000_000, 1_780_000_000))
    doc = one(of_kind(ws.collect(), "document"))
    assert (doc.record["updated"], doc.record["updated_from"]) == ("2026-05-28", "mtime")


def test_dates_in_bullets_are_parsed_and_year_less_ones_take_the_year_nearest_the_note(ws):
    ws.write("notes/a.md", ("---\nupdated: 2026-11-17\n---\n## Risks\n"
                            "- Failed inspection on 10 September; reinspection by 15 December\n"
                            "- Lease ends 2027-01-31, talks start 4 January\n- No date here\n"))
    bullets = one(of_kind(ws.collect(), "section")).record["bullets"]
    assert bullets[0]["dates"] == ["2026-09-10", "2026-12-15"]
    assert bullets[1]["dates"] == ["2027-01-31", "2027-01-04"]
    assert "dates" not in bullets[2]


def test_task_due_in_words_resolves_against_the_note_date(ws):
    ws.write("notes/a.md", "---\nupdated: 2026-11-17\n---\n- [ ] Book the inspection due 15 December\n"
                           "- [ ] File the return by 31 Jan 2027\n")
    tasks = of_kind(ws.collect(), "task")
    assert [t.record["due"] for t in tasks] == ["2026-12-15", "2027-01-31"]


# -- archived notes and the current note of each entity ---------------------------------

ARCHIVED = "---\nstatus: archived\nupdated: 2026-11-25\n---\n# Old plan\n## Risks\n- stale risk\n"


def test_archived_or_closed_notes_are_left_out_but_still_recorded_as_inputs(ws):
    ws.write("notes/acme/old.md", ARCHIVED)
    ws.write("notes/acme/done.md", "---\nstatus: Closed\n---\n# Done\n")
    ws.write("notes/acme/live.md", "# Live\n")
    result = ws.collect()
    assert {e.provenance.path for e in result.evidence} == {"notes/acme/live.md"}
    assert len(result.inputs) == 3
    assert result.warnings == []


def test_a_tracker_issue_done_or_canceled_is_left_out_and_its_label_names_its_business(ws):
    issue = "# {title}\n\nState: {state}\nLabels: maintenance, globex\nAssignee: Dev\nCreated: 2026-11-07\n\n{text}\n"
    ws.write("notes/issues/SAL-41 Hot tub heater fault.md",
             issue.format(title="SAL-41 Hot tub heater fault", state="Done", text="Hot tub only at 27C."))
    ws.write("notes/issues/SAL-37 List on Vrbo.md",
             issue.format(title="SAL-37 List on Vrbo", state="Canceled", text="Vrbo sync keeps failing."))
    ws.write("notes/issues/SAL-44 Reply to the review.md",
             issue.format(title="SAL-44 Reply to the review", state="In Progress", text="We lost a star."))
    result = ws.collect()

    assert {e.provenance.path for e in result.evidence} == {"notes/issues/SAL-44 Reply to the review.md"}
    assert len(result.inputs) == 3
    doc = one(of_kind(result, "document"))
    # the one label naming a business is the issue's, whatever its file, folder and title say
    assert (doc.entity, doc.record["status"], doc.record["tags"]) == ("globex", "In Progress", ["maintenance", "globex"])
    assert one(of_kind(result, "section")).entity == "globex"


def test_an_open_issue_or_page_with_a_due_line_is_a_task_its_title_what_to_do(ws):
    ws.write("notes/issues/SAL-51 Tell the insurer.md", (
        "# SAL-51 Tell the insurer about the building works\n\nState: Todo\nLabels: globex\n"
        "Due: 2026-12-01\nPriority: High\n\nThe policy needs notice of works over £10,000.\n"))
    ws.write("notes/Hiring 85897c58.md", (
        "# Hiring — replace Luis\n\nBusiness: Acme Inc\nDue: @December 4, 2026\nDone: No\n"
        "Last edited time: November 27, 2026 5:02 PM\n\nLuis leaves December 11.\n"))
    ws.write("notes/Old 3f9a.md", "# Old page\n\nBusiness: Acme Inc\nDue: December 1, 2026\nDone: Yes\n\nText.\n")
    result = ws.collect()

    tasks = {(t.entity, t.text, t.record["due"], t.record["done"]) for t in of_kind(result, "task")}
    assert tasks == {("globex", "SAL-51 Tell the insurer about the building works", "2026-12-01", False),
                     ("acme", "Hiring — replace Luis", "2026-12-04", False)}
    # a database page ticked done is over, as a "Status: Done" one is; read all the same, its task is done
    assert "notes/Old 3f9a.md" not in {e.provenance.path for e in result.evidence}
    archived = ws.collect("\n[sources.notes]\ninclude_archived = true\n")
    assert {t.record["done"] for t in of_kind(archived, "task") if t.provenance.path == "notes/Old 3f9a.md"} == {True}


def test_a_crm_account_pages_property_naming_a_business_is_its_business(ws):
    ws.write("notes/crm/accounts/Account - Lakeshore Dental.md", (
        "# Account - Lakeshore Dental\n\nAccount owner: Maya Birch\nTeam: Acme Inc\nStage: Active client\n"
        "MRR: $3,900\n\n## Activity timeline\n\nThe client is unhappy with October's results.\n"))
    result = ws.collect()

    assert one(of_kind(result, "document")).entity == "acme"
    assert {s.entity for s in of_kind(result, "section")} == {"acme"}  # (the title's section and the timeline)


def test_labels_naming_two_businesses_name_neither(ws):
    ws.write("notes/issues/SAL-9 Shared van.md", "# SAL-9 Shared van\n\nState: Open\nLabels: acme, globex\n\nVan MOT due.\n")
    assert one(of_kind(ws.collect(), "document")).entity is None


def test_a_secret_in_an_archived_note_is_still_reported_and_nothing_else_of_it(ws):
    secret = "sk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2"
    ws.write("notes/acme/billing.md", f"# Billing setup\n\nStatus: Done\nTags: billing\n\nKey for Zapier: {secret}\n")
    for run in range(2):  # (the second from the cache index)
        result = ws.collect()
        (hit,) = result.evidence
        assert (hit.kind, hit.entity, hit.provenance.path, hit.provenance.line_start) == (
            "scan_hit", "acme", "notes/acme/billing.md", 6)
        assert secret not in repr(hit)


def test_include_archived_brings_archived_notes_back_flagged(ws):
    ws.write("notes/acme/old.md", ARCHIVED)
    result = ws.collect("\n[sources.notes]\ninclude_archived = true\n")
    doc = one(of_kind(result, "document"))
    assert doc.record["archived"] is True
    assert doc.record["current"] is False  # an archived note is never the current state
    assert len(of_kind(result, "section")) == 2


def test_the_most_recently_updated_note_of_each_entity_is_current(ws):
    ws.write("notes/acme/a.md", "---\nupdated: 2026-10-01\n---\n# A\n")
    ws.write("notes/acme/b.md", "---\nupdated: 2026-11-01\n---\n# B\n")
    ws.write("notes/globex/c.md", "---\nupdated: 2026-01-01\n---\n# C\n")
    ws.write("notes/org.md", "---\nupdated: 2026-12-01\n---\n# Org\n")
    current = {d.provenance.path: d.record["current"] for d in of_kind(ws.collect(), "document")}
    assert current == {"notes/acme/a.md": False, "notes/acme/b.md": True,
                       "notes/globex/c.md": True, "notes/org.md": False}


# -- the content-hash cache ---------------------------------------------------------------

def cache_files(ws) -> list[Path]:
    return sorted((ws.root / ".execbrief" / "cache" / "notes").glob("*/*.json"))


def test_an_unchanged_note_is_served_from_the_cache_not_parsed_again(ws):
    path = ws.write("notes/a.md", "# Title\n- first bullet\n")
    first = ws.collect()
    (entry,) = cache_files(ws)
    assert entry.name == content_hash(path.read_bytes()).removeprefix("sha256:") + ".json"
    # prove the second run reads the cache: change the cached heading, not the note
    entry.write_text(entry.read_text().replace('"Title"', '"From cache"'))
    second = ws.collect()
    assert one(of_kind(second, "section")).record["heading"] == "From cache"
    assert [e.id for e in second.evidence] == [e.id for e in first.evidence]


def test_a_damaged_index_entry_is_a_miss_not_a_failure(ws):
    for name in ("a", "b", "c"):
        path = ws.write(f"notes/{name}.md", f"---\nupdated: 2026-11-0{len(name)}\n---\n# {name}\n- [ ] task {name}\n")
        os.utime(path, (1_780_000_000, 1_780_000_000))  # older than the index: trusted from it
    first = ws.collect()
    index_path = ws.root / ".execbrief" / "cache" / "notes" / "index.json"
    index = json.loads(index_path.read_text())
    files = index["files"]
    del files["notes/a.md"][3]["hits"]  # a key gone
    files["notes/b.md"][3]["warnings"] = "not a list"  # a value of another shape
    files["notes/c.md"][3] = ["not", "a", "summary"]
    index_path.write_text(json.dumps(index))
    os.utime(index_path, (1_780_000_100, 1_780_000_100))  # (its time: when it was written)

    second = ws.collect()

    assert [e.model_dump() for e in second.evidence] == [e.model_dump() for e in first.evidence]
    assert second.warnings == first.warnings


@pytest.mark.parametrize("index_too", [False, True])
def test_a_damaged_cache_entry_is_parsed_again_not_a_failure(ws, index_too):
    path = ws.write("notes/a.md", "---\nupdated: 2026-11-02\n---\n# A\n- [ ] task a\n| client | fee |\n|---|---|\n| C | $1 |\n")
    os.utime(path, (1_780_000_000, 1_780_000_000))
    first = ws.collect()
    (entry,) = cache_files(ws)
    data = json.loads(entry.read_text())
    del data["data"]["scan"]["sections"]  # the parse of another shape, its version the same
    data["data"]["warnings"] = None
    entry.write_text(json.dumps(data))
    index_path = ws.root / ".execbrief" / "cache" / "notes" / "index.json"
    if index_too:  # the summary unusable too: the summary is built from the damaged parse
        index = json.loads(index_path.read_text())
        index["files"]["notes/a.md"][3] = None
        index_path.write_text(json.dumps(index))
    os.utime(index_path, (1_780_000_100, 1_780_000_100))

    second = ws.collect()

    assert [e.model_dump() for e in second.evidence] == [e.model_dump() for e in first.evidence]


def test_the_cached_parse_of_an_edited_or_removed_note_is_deleted(ws):
    a = ws.write("notes/a.md", "# A\n")
    ws.write("notes/b.md", "# B\n")
    ws.write("notes/copy-of-b.md", "# B\n")  # the same content as b.md: one entry for both
    ws.collect()
    assert len(cache_files(ws)) == 2
    a.write_text("# A, edited\n")
    (ws.root / "notes" / "b.md").unlink()

    ws.collect()

    names = {p.name for p in cache_files(ws)}
    assert names == {content_hash(text.encode()).removeprefix("sha256:") + ".json" for text in ("# A, edited\n", "# B\n")}


@pytest.mark.parametrize("change", ["removed", "edited"])
def test_a_note_that_changes_before_its_items_are_built_is_named_not_misread(ws, change):
    from execbrief.errors import StageError

    path = ws.write("notes/a.md", "# A\n- first bullet\n")
    ws.collect()
    (part,) = NotesSource(load_settings(ws.root, environ={})).collect_parts().parts
    shutil.rmtree(ws.root / ".execbrief" / "cache")  # (its items must then come from the file)
    if change == "removed":
        path.unlink()
    else:
        path.write_text("# A\n- another bullet\n")

    with pytest.raises(StageError, match="notes/a.md .*run again"):
        part.evidence()


def test_a_changed_note_is_parsed_again(ws):
    path = ws.write("notes/a.md", "# Before\n")
    ws.collect()
    stat = path.stat()
    path.write_text("# Afte!\n")  # same size, and the same mtime below: only the content changed
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # the index was written less than RACY_NS after the note was saved, so it is not trusted
    assert one(of_kind(ws.collect(), "section")).record["heading"] == "Afte!"
    assert [p.name for p in cache_files(ws)] == [content_hash(b"# Afte!\n").removeprefix("sha256:") + ".json"]


def test_a_credential_in_a_note_is_withheld_before_parsing_and_caching(ws):
    secret = "sk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2"
    ws.write("notes/keys.md", "# Keys\n\nstripe: " + secret + "\n")
    ws.write("notes/plain.md", "# Plain\n")
    result = ws.collect()
    assert len(cache_files(ws)) == 2
    assert not any(secret in p.read_text() for p in cache_files(ws))
    assert not any(secret in (ev.text or "") + repr(ev.record) for ev in result.evidence)
    (hit,) = of_kind(result, "scan_hit")
    assert hit.provenance.line_start == 3
    assert hit.record["preview"] == "sk_live_…0k1L2"[:-5] + secret[-4:]
    assert hit.record["secret_sha256"].startswith("sha256:")
    section = [ev for ev in of_kind(result, "section") if ev.record["heading"] == "Keys"][0]
    assert "[secret withheld: sk_live_…" in section.text


def test_an_unwritable_cache_warns_once_and_the_notes_are_still_read(ws):
    ws.write("notes/a.md", "# A\n")
    (ws.root / ".execbrief").mkdir()
    (ws.root / ".execbrief" / "cache").write_text("a file where the cache folder should be")
    result = ws.collect()
    assert len(of_kind(result, "document")) == 1
    warning = one(result.warnings)
    assert warning.path == ".execbrief/cache/notes" and "cannot write the notes cache" in warning.message


def test_parsing_many_notes_in_worker_processes_gives_the_same_evidence(ws, monkeypatch):
    from execbrief.sources import notes as notes_module

    for n in range(12):
        ws.write(f"notes/acme/n{n}.md", f"---\nupdated: 2026-11-{n + 1:02d}\n---\n# N{n}\n- [ ] task {n} due 15 December\n"
                                        f"| client | fee |\n|---|---|\n| C{n} | ${n},000 |\n")
    sequential = ws.collect()
    shutil.rmtree(ws.root / ".execbrief")
    monkeypatch.setattr(notes_module, "PARALLEL_MIN", 2)  # 12 notes are enough to use the pool
    source = NotesSource(load_settings(ws.root, environ={}))
    parallel = source.collect()
    if can_fork() and cpus() > 1:
        assert source.workers > 1
    assert [e.model_dump() for e in parallel.evidence] == [e.model_dump() for e in sequential.evidence]
    assert parallel.inputs == sequential.inputs
    assert len(cache_files(ws)) == 12  # the workers filled the cache


@pytest.mark.skipif(not can_fork() or cpus() < 2, reason="no parser processes here")
def test_a_parser_process_that_dies_costs_speed_not_notes(ws, monkeypatch):
    from execbrief.sources import notes as notes_module

    for n in range(12):
        ws.write(f"notes/acme/n{n}.md", f"---\nupdated: 2026-11-{n + 1:02d}\n---\n# N{n}\n- [ ] task {n}\n")
    sequential = ws.collect()
    shutil.rmtree(ws.root / ".execbrief")
    monkeypatch.setattr(notes_module, "PARALLEL_MIN", 2)
    parent, real = os.getpid(), notes_module.parse_note

    def killed_in_workers(data):  # as if the kernel killed every parser process
        if os.getpid() != parent:
            os._exit(9)
        return real(data)

    monkeypatch.setattr(notes_module, "parse_note", killed_in_workers)
    source = NotesSource(load_settings(ws.root, environ={}))
    parallel = source.collect()

    assert [e.model_dump() for e in parallel.evidence] == [e.model_dump() for e in sequential.evidence]
    assert parallel.warnings == sequential.warnings and source.workers == 1


def test_expand_paths_finds_what_rglob_and_is_file_find(tmp_path):
    from execbrief.sources import expand_paths

    root = tmp_path / "ws"
    (root / "notes" / "a" / "b").mkdir(parents=True)
    (root / "notes" / "a" / "b" / "deep.md").write_text("x")
    (root / "notes" / "top.MD").write_text("x")
    (root / "notes" / "not-a-note.txt").write_text("x")
    (root / "notes" / "folder.md").mkdir()  # a folder with a note's suffix
    (root / "notes" / ".hidden").mkdir()
    (root / "notes" / ".hidden" / "secret.md").write_text("x")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "linked.md").write_text("x")
    (root / "notes" / "link.md").symlink_to(root / "elsewhere" / "linked.md")  # a link to a file: read
    (root / "notes" / "linked-folder").symlink_to(root / "elsewhere")  # a link to a folder: not entered
    (root / "notes" / "broken.md").symlink_to(root / "nowhere.md")

    found = expand_paths(root, ["notes"], (".md", ".markdown"))

    expected = sorted(p for p in (root / "notes").rglob("*")
                      if p.suffix.lower() in (".md", ".markdown") and p.is_file() and ".hidden" not in p.parts)
    assert found == expected
    assert [p.relative_to(root / "notes").as_posix() for p in found] == ["a/b/deep.md", "link.md", "top.MD"]


@pytest.mark.parametrize("line, due", [
    ("- [ ] call plumber re quote (due 12/8)", "2026-12-08"),
    ("- [ ] renew policy by Dec 15", "2026-12-15"),
    ("- [ ] send invoices EOW", "2026-11-27"),
    ("- [ ] chase deposit 2026-12-04", "2026-12-04"),
    ("- [ ] book the van's service by Friday", "2026-11-27"),
    ("- [ ] close the books by end of month", "2026-11-30"),
    ("- [ ] file 1099s by 1/31/2027", "2027-01-31"),
    ("- [ ] tidy the shed", None),
    ("- [ ] get the 1099s out by the end of January", "2027-01-31"),
    ("- [ ] call the broker by Thurs", "2026-11-26"),
    ("- [ ] landlord insurance renews 1/6/2027: quote $690", "2027-01-06"),
    ("- [ ] EICR (electrical) expires 1/14/2027. Book the electrician", "2027-01-14"),
    # several deadlines: the first ("expires … apply by"), where they can be ordered as written
    ("- [ ] rental permit expires 2026-12-31, fee $275, apply by Dec 15", "2026-12-15"),
    ("- [ ] policy renews Dec 20, get quotes by Dec 10", "2026-12-10"),
    ("- [ ] policy expires Jan 5, quotes by Dec 15", "2027-01-05"),  # a new year between: the first written
    ("- [ ] decide the asking rent by mid-Dec, list it Jan 4", "2026-12-15"),  # the middle: the 15th
    ("- [ ] send the owner statements by mid-month", "2026-12-15"),  # (the note is of Nov 24)
    ("- [ ] answer Aoife by the 15th", "2026-12-15"),  # a day of the month: the next one
    ("- [ ] rota needed by the 30th", "2026-11-30"),
    ("- [ ] permit renewed before the 19th, boxes ordered by 12/5", "2026-12-05"),  # the earliest
    ("- [ ] the invoice was due the 16th of October", None),  # (a month after it: no day alone)
    ("- [ ] invoice on the 1st, due on the 15th", None),  # every month's terms, not a deadline
    ("- [ ] At the end of the month we take our 20% commission and move it across", None),  # a routine
    ("- [ ] At the end of the month we need to pay the VAT", "2026-11-30"),
    ("- [ ] Tess: 2 more quotes for the van 2 transmission next Friday", "2026-11-27"),  # a weekday closing it
    ("- [ ] call Ray on Monday.", "2026-11-30"),
    ("- [ ] we met on Friday and agreed the rota", None),  # (not at the end: what was)
    ("- [ ] book cleaner for Flat B after 10/31", None),  # when it may start, not a deadline
    ("- [ ] Back up the laptop (not done since 14/08/2026)", None),
])
def test_task_due_dates_as_people_write_them_resolve_against_the_notes_date(ws, line, due):
    ws.write("notes/a.md", f"---\nupdated: 2026-11-24\n---\n# A\n{line}\n")

    (task,) = of_kind(ws.collect(), "task")

    assert task.record["due"] == due


def test_a_numeric_date_is_day_first_when_the_organisation_says_so(ws):
    ws.write("notes/a.md", "---\nupdated: 2026-11-24\n---\n# A\n- [ ] pay the roofer (due 8/12)\n")
    ws.write("execbrief.toml", BASE_TOML.replace('name = "Test Org"', 'name = "Test Org"\ndate_order = "dmy"'))
    result = NotesSource(load_settings(ws.root, environ={})).collect()

    (task,) = of_kind(result, "task")

    assert task.record["due"] == "2026-12-08"


def test_a_plan_bullet_keeps_its_due_date_and_a_heading_names_its_business(ws):
    ws.write("notes/memo.md", (
        "---\nupdated: 2026-11-24\n---\n# Owner memo\n\n## Next 30 days\n- send invoices EOW\n"
        "\n## ACME INC.\n- boiler quote $2,300\n\n## Globex's van\n- brakes\n"
    ))

    sections = {ev.record["heading"]: ev for ev in of_kind(ws.collect(), "section")}

    assert sections["Next 30 days"].record["bullets"][0]["due"] == "2026-11-27"
    assert sections["Next 30 days"].entity is None
    assert sections["ACME INC."].entity == "acme"
    assert sections["Globex's van"].entity == "globex"


def test_a_bullet_whose_sentences_are_about_two_businesses_is_one_item_each(ws):
    ws.write("notes/meeting.md", (
        "---\nupdated: 2026-11-22\n---\n# Family meeting\n\n"
        "- Globex insurance is $5,600 on 12/15 (was $4,800). Acme Inc wants $2,640 (was $2,100). Call the broker by 12/5.\n"
        "- Globex and Acme share the one checking account.\n"
    ))

    (section,) = of_kind(ws.collect(), "section", "notes/meeting.md")

    said = [(b["text"], b["line"], b.get("entity"), b.get("due")) for b in section.record["bullets"]]
    assert said == [
        ("Globex insurance is $5,600 on 12/15 (was $4,800).", 6, "globex", None),
        ("Acme Inc wants $2,640 (was $2,100).", 6, "acme", None),
        ("Call the broker by 12/5.", 6, "acme", "2026-12-05"),  # the business before it carries on
        ("Globex and Acme share the one checking account.", 7, None, None),  # one sentence, both: the group's
    ]


def test_prose_is_kept_sentence_by_sentence_with_the_line_each_starts_on_and_its_paragraphs_business(ws):
    ws.write("notes/week.md", (
        "---\nupdated: 2026-11-24\n---\n# Week of 23 November\n\n"
        "Globex: the van failed its MOT. The garage\nquoted $900. Dr. Ames\nsigned off the repair.\n\n"
        "Money is tight. We have $4,000.\n"
    ))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Week of 23 November"]

    said = [(p["text"], p["line"], p.get("entity")) for p in section.record["paras"]]
    assert said == [
        ("Globex: the van failed its MOT.", 6, "globex"),
        ("The garage quoted $900.", 6, "globex"),  # carried from the sentence that named it
        ("Dr. Ames signed off the repair.", 7, "globex"),  # ("Dr." ends no sentence)
        ("Money is tight.", 10, None),
        ("We have $4,000.", 10, None),
    ]


def test_a_note_dated_after_the_as_of_date_is_left_out_with_a_warning(ws):
    ws.write("notes/old.md", "---\nupdated: 2026-11-10\n---\n# Old\n- [ ] renew the policy\n")
    ws.write("notes/later.md", "---\nupdated: 2026-11-24\n---\n# Later\n- Harbor Pediatrics gave notice\n")
    ws.write("notes/undated.md", "# Undated\n- [ ] call the roofer\n")  # only its mtime: kept
    ws.write("execbrief.toml", BASE_TOML + '\n[run]\nas_of = "2026-11-18"\n')

    result = NotesSource(load_settings(ws.root, environ={})).collect()

    paths = {ev.provenance.path for ev in of_kind(result, "document")}
    assert paths == {"notes/old.md", "notes/undated.md"}
    (warning,) = [w for w in result.warnings if w.path == "notes/later.md"]
    assert "after the as-of date 2026-11-18" in warning.message


def test_a_bullet_with_a_deadline_keeps_its_due_date_and_one_ending_in_a_past_date_does_not(ws):
    ws.write("notes/a.md", ("---\nupdated: 2026-11-24\n---\n# A\n## Admin\n"
                            "- 1099-NEC for 2 contractors due Jan 31\n- Inspection passed 2026-11-10\n"))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Admin"]

    assert [b.get("due") for b in section.record["bullets"]] == ["2027-01-31", None]


def test_a_sentence_opening_with_a_pronoun_that_points_back_stays_with_the_one_before(ws):
    ws.write("notes/week.md", (
        "---\nupdated: 2026-11-24\n---\n# Week of 23 November\n\n"
        "Globex's contract promises 98% on time. They have invoked the penalty clause.\n"
        "It is the third time. That's life. The garage\nquoted $900. This hurts. Those bills add up.\n"
        "These keep coming.\n"
    ))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Week of 23 November"]

    said = [(p["text"], p["line"]) for p in section.record["paras"]]
    assert said == [
        # three sentences at most in one item: "That's life." points back too, but the item is full
        ("Globex's contract promises 98% on time. They have invoked the penalty clause. It is the third time.", 6),
        ("That's life.", 7),
        ("The garage quoted $900. This hurts. Those bills add up.", 7),
        ("These keep coming.", 9),
    ]


def test_a_sentence_opening_thats_says_what_became_of_the_one_before(ws):
    ws.write("notes/call.md", (
        "---\nupdated: 2026-11-24\n---\n# Call\n\n"
        "The unit 5 bathtub was leaking into unit 3's ceiling in October. That's sorted, the plumber "
        "was there on the sixth, $480. The boiler inspector has still not called back about the certificate.\n"
    ))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Call"]

    assert [p["text"] for p in section.record["paras"]] == [
        "The unit 5 bathtub was leaking into unit 3's ceiling in October. That's sorted, the plumber was there "
        "on the sixth, $480.",
        "The boiler inspector has still not called back about the certificate.",
    ]


def test_a_sentence_of_a_few_words_stays_with_the_one_before_unless_an_amount_filler_or_sign_off(ws):
    ws.write("notes/week.md", (
        "---\nupdated: 2026-11-24\n---\n# Week of 23 November\n\n"
        "Marcus used Semrush twice since June, $140 a month for that. Cancel.\n\n"
        "Loft $2,410 of stays. Okoro Consulting $5,500.\n\n"
        "The backup still isn't finished. Um.\n\n"
        "The increase reflects a claim on the policy in March. Kind regards, Castle Brokers.\n"
    ))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Week of 23 November"]

    assert [p["text"] for p in section.record["paras"]] == [
        "Marcus used Semrush twice since June, $140 a month for that. Cancel.",  # (a fragment: joined)
        "Loft $2,410 of stays.", "Okoro Consulting $5,500.",  # (each an amount of its own)
        "The backup still isn't finished.", "Um.",  # (a filler: where a speaker moves on)
        "The increase reflects a claim on the policy in March.", "Kind regards, Castle Brokers.",  # (a sign-off)
    ]


def test_a_table_whose_rows_name_no_business_takes_the_one_its_lead_in_line_names(ws):
    ws.write("notes/2026-11-24.md", (
        "# 2026-11-24 tue\n\n- globex billing run for dec:\n\n"
        "| client | monthly fee | status |\n|---|---|---|\n| Tran Dental | $800/mo | paid |\n"
        "| Millbrook Landscaping | $275/mo | gone |\n\n"
        "Prices we pay:\n"
        "| supplier | price |\n|---|---|\n| Acme Inc | $40 |\n| Initech | $25 |\n\n"
        "| van | last service |\n|---|---|\n| V2 | 2026-06-14 |\n"
    ))

    rows = {ev.record["cells"][next(iter(ev.record["cells"]))]: ev for ev in of_kind(ws.collect(), "table_row")}

    assert rows["Tran Dental"].entity == rows["Millbrook Landscaping"].entity == "globex"
    assert rows["Tran Dental"].record["caption"] == "globex billing run for dec:"
    # a row naming its own business keeps it; a caption naming none gives none
    assert rows["Acme Inc"].entity == "acme" and rows["Initech"].entity is None
    # a table right after another has no lead-in line
    assert rows["V2"].entity is None and "caption" not in rows["V2"].record


def test_a_quoted_message_is_prose_of_its_own(ws):
    ws.write("notes/thread.md", (
        "---\nupdated: 2026-11-17\n---\n# Re: renewal\n\nThanks for letting us know.\n"
        "> On Mon, Nov 16 Priya wrote:\n> Globex will not renew our IT support\n> agreement ($1,850 a month).\n>\n"
        "> > An older quote.\n"
    ))

    (section,) = [s for s in of_kind(ws.collect(), "section") if s.record["heading"] == "Re: renewal"]

    said = [(p["text"], p["line"], p["para"]) for p in section.record["paras"]]
    assert said == [
        ("Thanks for letting us know.", 6, 0),
        # "On Mon, Nov 16 Priya wrote:" says who wrote when, not what: it dates the quote
        ("Globex will not renew our IT support agreement ($1,850 a month).", 8, 1),
        ("An older quote.", 11, 2),
    ]
    assert [p.get("said") for p in section.record["paras"]] == [None, "2026-11-16", "2026-11-16"]


def test_an_email_threads_headers_date_its_messages_and_are_not_items(ws):
    ws.write("notes/acme/2026-11-23-re-invoice.md", (
        "From: Renee <renee@example.com>\nDate: Mon, Nov 23, 2026 at 11:15 AM\nSubject: Re: Invoice #4471\n"
        "To: Billing <billing@example.com>\n\nI will pay the $5,200 we agreed.\n\nRenee\n\n--\n"
        "Renee Calloway\nAcme Storage | (828) 555-0100\n\n"
        "> On Fri, Nov 20, 2026 at 3:40 PM Carla <billing@example.com> wrote:\n"
        "> Attached is invoice #4471 for $6,900, net 30.\n\n"
        "---------- Forwarded message ---------\nFrom: Derek <d@example.net>\nDate: Thu, Nov 19, 2026 at 7:58 AM\n\n"
        "The gate keypad is dead again.\n"
    ))

    (section,) = of_kind(ws.collect(), "section")
    paras = [(p["text"], p.get("said")) for p in section.record["paras"]]

    assert paras == [
        ("I will pay the $5,200 we agreed.", "2026-11-23T11:15"),
        ("Renee", "2026-11-23T11:15"),
        ("Attached is invoice #4471 for $6,900, net 30.", "2026-11-20T15:40"),
        ("The gate keypad is dead again.", "2026-11-19T07:58"),
    ]  # no header, "wrote:" line, forward marker or signature line among them
    # what the lines are about: the Subject:, without "Re:" (the forwarded message has none)
    assert [p.get("re") for p in section.record["paras"]] == ["Invoice #4471"] * 4


def test_a_chat_exports_lines_are_items_each_dated_by_its_title_and_weekdays(ws):
    ws.write("notes/acme/chat.md", (
        "chat export: #truck (Acme), Nov 23-25, 2026\n\n"
        "[Mon 09:12] dana: generator cut out twice during lunch\n[Mon 10:42] dana: Hi-Wire cancelled our Friday slot\n"
        "[Thu 5:45 PM] dana: generator fixed, new voltage regulator\n"
    ))
    ws.write("notes/acme/2026-11-19-ops.md", "[08:05] luis: gate keypad is down\n[16:05] luis: gate back up\n")

    said = {p["text"]: p.get("said") for s in of_kind(ws.collect(), "section") for p in s.record["paras"]}

    assert said == {
        "dana: generator cut out twice during lunch": "2026-11-23T09:12",
        "dana: Hi-Wire cancelled our Friday slot": "2026-11-23T10:42",
        "dana: generator fixed, new voltage regulator": "2026-11-26T17:45",
        # a time alone: the day the file's name gives
        "luis: gate keypad is down": "2026-11-19T08:05",
        "luis: gate back up": "2026-11-19T16:05",
    }


def test_an_android_whatsapp_exports_lines_are_messages_each_dated(ws):
    ws.write("notes/acme/WhatsApp Chat with Sam.md", (
        "# WhatsApp Chat with Sam\n\n"
        "13/11/2026, 22:14 - Sam: Can't sleep. Keep thinking about Halden\n"
        "13/11/2026, 22:18 - Priya: Then ask them\n"
        "11/28/26, 10:05 AM - Sam: Got 2 more quotes\n"
    ))

    said = {p["text"]: p.get("said") for s in of_kind(ws.collect(), "section") for p in s.record["paras"]}

    assert said == {  # one message each (they ran into one paragraph), at its time
        "Sam: Can't sleep. Keep thinking about Halden": "2026-11-13T22:14",  # (a fragment: one item)
        "Priya: Then ask them": "2026-11-13T22:18",
        "Sam: Got 2 more quotes": "2026-11-28T10:05",
    }


def test_a_discord_exports_message_headers_date_the_messages_under_them(ws):
    ws.write("notes/acme/discord.md", (
        "# Acme — #founders (Discord export, 09/01/2026 – 11/30/2026)\n\n"
        "**maya** — 10/14/2026 3:48 PM\ninvoiced Grounds & Greens for the wholesale order, $3,840, due 11/13\n\n"
        "**theo** — 11/16/2026 9:02 AM\nGrounds & Greens paid W-1004, $3,840 by ACH\n> 🪴 2\n"
    ))

    said = {p["text"]: p.get("said") for s in of_kind(ws.collect(), "section") for p in s.record["paras"]}

    assert said == {  # each message on its header's day, not the export's first
        "invoiced Grounds & Greens for the wholesale order, $3,840, due 11/13": "2026-10-14T15:48",
        "Grounds & Greens paid W-1004, $3,840 by ACH": "2026-11-16T09:02",
    }


def test_a_chat_lines_date_that_could_be_either_order_is_read_in_the_organisations(ws):
    ws.write("notes/acme/WhatsApp Chat.md", (
        "# WhatsApp Chat\n\n[03/11/2026, 08:14:32] Priya: the boiler is leaking again\n"
        "03/11/2026, 22:14 - Sam: Can't sleep\n[13/11/2026, 09:00:00] Priya: fixed\n"
    ))

    def said() -> set:
        return {p.get("said") for s in of_kind(NotesSource(load_settings(ws.root, environ={})).collect(), "section")
                for p in s.record["paras"]}

    ws.write("execbrief.toml", BASE_TOML)
    assert said() == {"2026-03-11T08:14", "2026-03-11T22:14", "2026-11-13T09:00"}  # month first, the default
    ws.write("execbrief.toml", BASE_TOML.replace('name = "Test Org"', 'name = "Test Org"\ndate_order = "dmy"'))
    assert said() == {"2026-11-03T08:14", "2026-11-03T22:14", "2026-11-13T09:00"}  # a UK export: 3 November


def test_a_notes_day_comes_from_its_file_name_before_its_mtime(ws):
    ws.write("notes/acme/2026-11-17-re-renewal.md", "Globex will not renew.\n")
    ws.write("notes/acme/standup_20261102.md", "Quiet week.\n")
    ws.write("notes/acme/ideas.md", "Maybe a newsletter.\n")

    docs = {e.provenance.path: e.record for e in of_kind(ws.collect(), "document")}

    assert (docs["notes/acme/2026-11-17-re-renewal.md"]["updated"], docs["notes/acme/2026-11-17-re-renewal.md"]["updated_from"]) == ("2026-11-17", "file_name")
    assert docs["notes/acme/standup_20261102.md"]["updated"] == "2026-11-02"
    assert docs["notes/acme/ideas.md"]["updated_from"] == "mtime"


def test_obsidian_callouts_dataview_fields_and_dated_log_lines(ws):
    ws.write("notes/acme/Hartwell wall.md", (
        "# Hartwell wall\n\nclient:: [[Hartwell]]\nstatus:: blocked\ndue:: 2026-12-09\n\n"
        "> [!todo] Next\n> - [ ] Get the engineer's stamp from Kessler, due:: 2026-12-04\n> - [x] Send the deposit invoice\n\n"
        "> [!warning] Lost a driver\n\n## Log\n- 2026-11-09: Furnace dead, no heat\n- 2026-11-19: Furnace replaced\n"
    ))

    result = ws.collect()
    tasks = [(t.text, t.record["done"], t.record["due"]) for t in of_kind(result, "task")]
    items = {(b["text"], b.get("said")) for s in of_kind(result, "section") for b in (*s.record["bullets"], *s.record["paras"])}

    # a callout's tasks are tasks, its field a due date
    assert tasks == [("Get the engineer's stamp from Kessler, due: 2026-12-04", False, "2026-12-04"),
                     ("Send the deposit invoice", True, None)]
    # the page's fields are one item; a callout's title is its text; a log line is of its own day
    assert items == {("client: [[Hartwell]]; status: blocked; due: 2026-12-09", None), ("Next", None),
                     ("Lost a driver", None), ("2026-11-09: Furnace dead, no heat", "2026-11-09"),
                     ("2026-11-19: Furnace replaced", "2026-11-19")}


def test_a_table_takes_the_business_its_lead_in_paragraph_names(ws):
    ws.write("notes/inbox/month-end.md", (
        "Hi Renee,\n\nGlobex: retainers as I have them, pasted from my sheet. Craggy's November\n"
        "invoice ($700, due Nov 15) is still unpaid.\n\n"
        "| client | monthly retainer | status |\n|---|---|---|\n| Craggy Brewing | $700/month | November unpaid |\n"
    ))

    (row,) = of_kind(ws.collect(), "table_row")

    assert row.entity == "globex"
    assert row.record["caption"].startswith("Globex: retainers as I have them")


KINDS_TOML = BASE_TOML.replace('name = "Acme Corporation"', 'name = "Acme Corporation"\nkind = "agency"').replace(
    'name = "Globex"', 'name = "Globex"\nkind = "rental"')


def test_a_spoken_memo_gives_each_sentence_the_business_it_is_about(ws):
    ws.write("execbrief.toml", KINDS_TOML)
    ws.write("notes/memo.md", (
        "---\nupdated: 2026-11-24\n---\n# Memo\n\n"
        # points to one business twice (a client, a retainer): that business's from its start
        "Okay, web stuff. Brookside called, they're leaving in December. That's our biggest retainer, "
        "$1,200 a month. And the client sites have no offsite backup yet.\n\n"
        # one mention late in a paragraph says nothing of the sentences before it
        "Money is tight. We have $4,000 in the bank. The Globex roof needs $2,000.\n\n"
        # a memo that moves between businesses: an aside ends the carry, so does a filler
        "The tenant in unit B moved out on the 1st. Paint for the bedroom is $300. Also the printer is broken, $150 to fix. "
        "Acme sent the invoice for $900. Payment is due 12/8. Um, what else. The van needs tyres, $400.\n"
    ))
    result = NotesSource(load_settings(ws.root, environ={})).collect()

    (section,) = [s for s in of_kind(result, "section") if s.record["heading"] == "Memo"]
    said = {p["text"]: p.get("entity") for p in section.record["paras"]}
    assert said == {
        "Okay, web stuff.": "acme",
        # ("That's" points back: the retainer is Brookside's, one item with its news)
        "Brookside called, they're leaving in December. That's our biggest retainer, $1,200 a month.": "acme",
        "And the client sites have no offsite backup yet.": "acme",
        "Money is tight.": None,
        "We have $4,000 in the bank.": None,
        "The Globex roof needs $2,000.": "globex",
        "The tenant in unit B moved out on the 1st.": "globex",  # a tenant: the one rental
        "Paint for the bedroom is $300.": "globex",
        "Also the printer is broken, $150 to fix.": None,
        "Acme sent the invoice for $900.": "acme",
        "Payment is due 12/8.": "acme",
        "Um, what else.": None,
        "The van needs tyres, $400.": None,
    }


def test_a_line_labelled_with_a_business_is_its_whatever_heading_or_title_it_is_under(ws):
    ws.write("notes/log.md", (
        "# Maintenance log for Globex\n\nPrepared by the agent · statement date 2026-11-03\n\n"
        "| Date | Property | Issue |\n|---|---|---|\n"
        "| 2026-11-08 | Acme Inc unit A | Gutter pulling off |\n| 2026-11-09 | Globex | Van tyre flat |\n"
        "| 2026-11-10 | $300 from Acme Inc | Transfer in |\n\n"
        "## Open\n- Acme Inc: the shower valve drips, by 12/5.\n- the van needs tyres\n"
    ))
    result = ws.collect()

    (doc,) = of_kind(result, "document")
    assert doc.record["updated"] == "2026-11-03"  # dated where it says so
    rows = {ev.record["cells"]["issue"]: ev.entity for ev in of_kind(result, "table_row")}
    assert rows == {"Gutter pulling off": "acme", "Van tyre flat": "globex",
                    "Transfer in": "globex"}  # a cell that only mentions Acme names no row's business
    (section,) = [s for s in of_kind(result, "section") if s.record["heading"] == "Open"]
    assert [b.get("entity") for b in section.record["bullets"]] == ["acme", None]  # None: the section's own
    assert section.entity == "globex"  # its heading is under the title, which names Globex


def test_a_byline_that_says_when_the_note_was_written_dates_it_where_its_date_is_a_day(ws):
    ws.write("notes/recap.md", "# 2025 season recap\n\n*Jim, written 11/21/2025 after the last customer left.*\n\n- Pump failed.\n")
    ws.write("notes/memo.md", "# Memo\n\nWritten on 3 October 2026, for the partners.\n\n- Van 2 needs tyres.\n")
    ws.write("notes/either.md", "# Either\n\nWritten 11/05/2026.\n\n- Flat 3 is vacant.\n")  # May 11 or Nov 5?
    docs = {ev.provenance.path: ev.record for ev in of_kind(ws.collect(), "document")}

    assert (docs["notes/recap.md"]["updated"], docs["notes/recap.md"]["updated_from"]) == ("2025-11-21", "dated_line")
    assert docs["notes/memo.md"]["updated"] == "2026-10-03"
    assert docs["notes/either.md"]["updated_from"] == "mtime"  # which order it is written in is not known there


def test_a_paragraph_about_one_business_is_its_own_across_a_filler(ws):
    ws.write("execbrief.toml", KINDS_TOML)
    ws.write("notes/memo.md", (
        "---\nupdated: 2026-11-24\n---\n# Memo\n\n"
        "The Globex flats did fine, $4,000 of rent. Anyway. Bad news, the boiler quote is $900. "
        "Also the Globex roof needs $2,000.\n"
    ))
    result = NotesSource(load_settings(ws.root, environ={})).collect()

    (section,) = [s for s in of_kind(result, "section") if s.record["heading"] == "Memo"]
    said = {p["text"]: p.get("entity") for p in section.record["paras"]}
    assert said["Bad news, the boiler quote is $900."] == "globex"  # named twice, no other: all of it


def test_a_secrets_business_is_the_same_built_from_a_notes_head_as_from_its_whole_parse(ws):
    from execbrief.sources.notes import _Note, _head, parse_note

    ws.write("notes/chat.md", "# Chat\n\n[18/09/2026, 10:24:15] Priya: Key safe at Acme Inc is 4471. Put the keys back\n")
    ws.collect()  # (writes the config)
    path = ws.root / "notes" / "chat.md"
    source = NotesSource(load_settings(ws.root, environ={}))
    parsed = parse_note(path.read_bytes())
    note = _Note(path, ws.root / "notes", "notes/chat.md", path.stat())

    _, whole = source._build(parsed, note, items=False)
    _, head = source._build(_head(parsed), note, items=False)  # (what a worker process sends back)

    assert whole["hits"] == head["hits"] and whole["hits"][0][4] == "acme"


def test_all_figure_dates_are_read_in_the_order_given_and_year_less_ones_only_when_asked():
    from execbrief.sources.values import find_dates

    text = "died on 10/25, back 11/2; invoice 12/08/2026; 2/3 of the flats"
    assert find_dates(text) == []  # the order unknown: none
    assert find_dates(text, "mdy") == [(2026, 12, 8)]  # with a year only: "2/3 of" may be a fraction
    assert find_dates(text, "mdy", yearless=True) == [(None, 10, 25), (None, 11, 2), (2026, 12, 8), (None, 2, 3)]
    assert find_dates("on 25/10 and 3/11", "dmy", yearless=True) == [(None, 10, 25), (None, 11, 3)]
    # a dash or a dot with a whole year, as a Dutch or German heading writes it; without the year
    # "9-11" is as often a range ("open 9-11"), and a version number is no date
    assert find_dates("## Ma 2-11-2026; paid 30.09.2026.", "dmy") == [(2026, 11, 2), (2026, 9, 30)]
    assert find_dates("## Ma 2-11-2026", "mdy") == [(2026, 2, 11)]
    assert find_dates("open 9-11, v1.2.2026.5, 2-11-2026-ish", "dmy", yearless=True) == []


def test_a_chats_messages_minutes_apart_are_one_conversation_whose_business_carries(ws):
    ws.write("execbrief.toml", KINDS_TOML)
    ws.write("notes/Chat with Sam.md", (
        "# Chat with Sam\n\n"
        "03/11/2026, 22:15 - Sam: If Halden drop us we lose two thirds of the Globex money. The Globex lease is due\n"
        "03/11/2026, 22:17 - Priya: I know. We need more private jobs and a couple more trade customers.\n"
        "04/11/2026, 09:30 - Priya: We need more trade customers anyway\n"
    ))
    ws.write("notes/mail.md", (
        "# Mail\n\nFrom: Dana\nDate: Tue, 3 Nov 2026 22:15\n\nThe Globex lease is due and the Globex roof leaks.\n\n"
        "We need more trade customers.\n"
    ))
    result = NotesSource(load_settings(ws.root, environ={})).collect()

    said = {p["text"]: p.get("entity") for s in of_kind(result, "section") for p in s.record["paras"]}
    assert said["We need more private jobs and a couple more trade customers."] == "globex"  # two minutes on
    assert said["Priya: We need more trade customers anyway"] is None  # the next morning: another talk
    assert said["We need more trade customers."] is None  # an e-mail's paragraphs share its time: no messages


def test_a_notion_pages_property_lines_are_its_front_matter_not_its_items(ws):
    ws.write("notes/Hiring 85897c583e8d6b7bb465b59ce62990d8.md", (
        "# Hiring — replace Luis\n\nBusiness: Acme Inc\nOwner: Pris Ortega\nStatus: In progress\n"
        "Tags: hiring, urgent\nLast edited time: November 27, 2026 5:02 PM\n\n"
        "Luis leaves December 11 and we have no cover.\n"
    ))
    ws.write("notes/memo.md", "# Memo\n\nNote: this is the page's own text.\nWe lost the Globex client.\n")
    result = ws.collect()

    docs = {e.provenance.path: e for e in of_kind(result, "document")}
    page = docs["notes/Hiring 85897c583e8d6b7bb465b59ce62990d8.md"]
    assert (page.entity, page.record["updated"], page.record["tags"]) == ("acme", "2026-11-27", ["hiring", "urgent"])
    said = [p["text"] for s in of_kind(result, "section") for p in s.record["paras"]]
    assert "Luis leaves December 11 and we have no cover." in said
    assert not any("Owner:" in text or "Last edited" in text for text in said)
    # "Key: value" run into the page's text is its text
    assert any(text.startswith("Note: this is the page's own text.") for text in said)


def test_a_notion_page_naming_a_business_not_configured_is_warned_of_at_its_property_line(ws):
    ws.write("notes/Ops 3f9a.md", "# Ops\n\nOwner: Dana\nBusiness: Initech\n\nThe van is off the road.\n")

    result = ws.collect()

    (warning,) = [w for w in result.warnings if "Initech" in w.message]
    assert (warning.path, warning.line) == ("notes/Ops 3f9a.md", 4)
    assert "not a configured entity" in warning.message


def test_a_todo_txt_lines_are_tasks_open_or_done_with_their_projects_and_dates(ws):
    ws.write("notes/todo.txt", (
        "(A) 2026-11-20 Chase Halden INV-1049 £8,580 +consulting @email due:2026-12-04\n"
        "(B) 2026-11-16 Aire Valley dispute meeting re INV-1047 w/c 7 Dec +consulting @meeting\n"
        "x 2026-11-06 2026-11-04 Book MOT retest for the van +vans @phone\n"
        "(C) Post LinkedIn case study +consulting +marketing\n"
        "(B) Renew the lease +Acme-Inc\n"
    ))
    tasks = {t.provenance.line_start: t
             for t in of_kind(ws.collect('\n[sources.notes]\npaths = ["notes", "notes/todo.txt"]\n'), "task")}

    chase, meeting, retest, post, owned = (tasks[n] for n in sorted(tasks))
    # its projects name its business ("+Acme-Inc"), its text is what is to be done
    assert (chase.text, chase.record["done"], chase.record["due"]) == (
        "Chase Halden INV-1049 £8,580 due:2026-12-04", False, "2026-12-04")  # (no "@email", no "+consulting")
    assert meeting.record["due"] == "2026-12-07"  # "w/c 7 Dec": the week it is to be done in
    assert (retest.record["done"], retest.text) == (True, "Book MOT retest for the van")
    assert post.record["due"] is None and post.text == "Post LinkedIn case study"
    assert chase.entity is None and owned.entity == "acme"


def test_w_c_dates_a_task_not_a_status_line(ws):
    ws.write("notes/a.md", "---\nupdated: 2026-11-02\n---\n# A\n- Theatre site on track for launch w/c 16 Nov.\n"
                           "- [ ] Pitch to Wapping Wharf w/c 7 Dec\n")

    result = ws.collect()

    (task,) = of_kind(result, "task")
    assert task.record["due"] == "2026-12-07"
    bullets = [b for s in of_kind(result, "section") for b in s.record["bullets"]]
    assert bullets and all("due" not in b for b in bullets)


def test_an_ocr_d_notebook_page_reads_as_its_writer_wrote_it(ws):
    ws.write("notes/notebook/page-036.md", (
        "Scanned 2026-11-28 · Notebook 3 · p. 36\n\n"
        "Sun 15 Nov\n\n"
        "Citywide came Sat - Flat A boiler needs a new igni-\ntion control board, $680 incl labour.\n\n"
        "✓ Flat A boiler fixed - Citywide fitted the new\n  ignition board this am, $680 paid.\n"
        "☐ register the van for business use -> by end of Nov\n"
        "☐ ~~get quote for van racking~~\n   -> not this year\n"
    ))
    saved = datetime(2026, 11, 28, 12, tzinfo=timezone.utc).timestamp()  # (the scan's day, not the test's)
    os.utime(ws.root / "notes/notebook/page-036.md", (saved, saved))
    result = ws.collect()

    sections = {s.record["heading"]: s for s in of_kind(result, "section")}
    (page,) = [s for h, s in sections.items() if h == "Sun 15 Nov"]  # the page's date line heads what follows
    assert _DATE_LINE.match("Nov 24 Tues") and _DATE_LINE.match("Tues 10/20") and not _DATE_LINE.match("Nov 24 rent in")
    (para,) = page.record["paras"]
    assert "needs a new ignition control board" in para["text"]  # a word broken at the page's width
    tasks = {t.text: t.record for t in of_kind(result, "task")}
    fixed = tasks["Flat A boiler fixed - Citywide fitted the new ignition board this am, $680 paid."]
    assert fixed["done"] and not fixed.get("cancelled")
    # "end of Nov" is the November of the page's date, whenever the file was saved
    assert tasks["register the van for business use -> by end of Nov"] == {
        "done": False, "heading": "Sun 15 Nov", "due": "2026-11-30"}
    struck = tasks["~~get quote for van racking~~ -> not this year"]
    assert struck["done"] and struck["cancelled"]  # struck out: not to do, and not done either
