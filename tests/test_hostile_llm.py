"""Hostile or broken model answers never crash a run: each ends in a report (issue 13)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.config import load_settings
from execbrief.pipeline import run
from execbrief.writers.providers import retry_after_seconds
from llm_server import Fault, LLMServer, environ_for


@pytest.fixture
def server():
    with LLMServer() as srv:
        yield srv


def invent_everywhere(answer):
    """Plant a number no fact holds in the summary and in every section, optional ones too."""
    answer["summary"] = [{"text": "Revenue will reach $987,654 next year.", "cites": []}]
    for section in answer["sections"]:
        section["lead"] = {"text": f"{section['id']} grows to $987,654.", "cites": []}
        section["items"] = []


def test_a_cfo_answer_failing_verification_falls_back_where_the_offline_writer_left_a_section_out(workspace, server):
    # the minimal workspace has no cash facts: the offline CFO report leaves out the optional
    # cash_chart section, and the model's text for it must still be replaced, not crash the run
    server.enqueue(Fault.answer(invent_everywhere), Fault.answer(invent_everywhere))
    settings = load_settings(workspace.root, environ=environ_for("openai", server))

    result = run(settings, dry_run=True, only=("cfo",))

    (report,) = result.reports
    assert report.status == "fallback", report.problems
    assert result.failures == []
    assert any("replaced by the offline text" in w.message for w in result.warnings)
    html = open(report.files["html"], encoding="utf-8").read()
    assert "987,654" not in html and "Cash at month end" not in html


def test_a_cfo_answer_partly_failing_keeps_the_parts_that_pass(workspace, server):
    def invent_in_cash_chart(answer):
        for section in answer["sections"]:
            if section["id"] == "cash_chart":
                section["lead"] = {"text": "Cash reaches $987,654.", "cites": []}

    server.enqueue(Fault.answer(invent_in_cash_chart), Fault.answer(invent_in_cash_chart))
    settings = load_settings(workspace.root, environ=environ_for("openai", server))

    result = run(settings, dry_run=True, only=("cfo",))

    (report,) = result.reports
    assert report.status == "corrected" and report.writer.startswith("openai:")
    html = open(report.files["html"], encoding="utf-8").read()
    assert "987,654" not in html and "Nothing to report here." in html  # the model's passing text stays


def test_an_openai_answer_with_no_choices_is_retried_then_falls_back(workspace, server):
    empty = {"id": "chatcmpl-x", "object": "chat.completion", "created": 0, "model": "m", "choices": []}
    server.enqueue(*[Fault.body(empty)] * 8)
    env = environ_for("openai", server)
    settings = load_settings(workspace.root, environ=env)
    settings = settings.model_copy(update={"writer": settings.writer.model_copy(update={"max_retries": 1})})

    result = run(settings, dry_run=True, only=("ceo",))

    (report,) = result.reports
    assert report.status == "fallback"
    assert any("no choices" in w.message for w in result.warnings)


def test_retry_after_that_is_neither_seconds_nor_a_date_is_ignored():
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({"Retry-After": ""}) is None
    assert retry_after_seconds({"retry-after-ms": "later", "Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"Retry-After": "nan"}) is None
    assert retry_after_seconds({"Retry-After": "inf"}) is None


def test_a_429_with_retry_after_soon_is_retried_not_a_traceback(workspace, server, monkeypatch):
    server.enqueue(Fault.rate_limit("soon"))
    for name, value in environ_for("openai", server).items():
        monkeypatch.setenv(name, value)
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text().replace(
        "[delivery]", "[writer]\nkind = \"offline\"\nmax_retries = 1\n\n[delivery]"))

    result = CliRunner().invoke(cli, ["run", "-w", str(workspace.root), "--json", "--dry-run", "--only", "ceo"])

    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert data["reports"][0]["status"] == "verified" and data["reports"][0]["writer"].startswith("openai:")
