"""One failure boundary per stage and per plugin (issue 13, item 1).

An exception injected into a source, an analyzer rule, the lens stage, a writer, the
verifier, the renderer or a channel costs that part of the run and names it: exit 1, one
JSON document, every other report written and delivered.
"""

from __future__ import annotations

import dataclasses

import pytest

from execbrief.analyzers.base import _REGISTRY, registered
from execbrief.delivery.outbox import OutboxChannel
from execbrief.registry import registry
from hostile import run, small_workspace

# every registered plugin, as the tests are collected: a source, writer or channel registered
# later is injected into as well (and the small workspace must switch a new source on)
registry.load()
SOURCES, WRITERS, CHANNELS = sorted(registry.sources), sorted(registry.writers), sorted(registry.channels)


class Injected(RuntimeError):
    """The fault these tests inject."""


def boom(*args, **kwargs):
    raise Injected("injected fault")


@pytest.fixture
def ws(tmp_path):
    return small_workspace(tmp_path / "ws")


def delivered(outcome) -> set[str]:
    return {d["key"] for d in outcome.data["deliveries"] if d["status"] == "sent" and not d["audit"]}


@pytest.fixture
def plugins(monkeypatch):
    """The registry's tables, restored after the test."""
    registry.load()
    for table in ("sources", "writers", "channels"):
        monkeypatch.setattr(registry, table, dict(getattr(registry, table)))
    return registry


@pytest.mark.parametrize("name", SOURCES)
def test_a_failing_source_costs_that_source_only(name, ws, plugins):
    real = plugins.sources[name]

    def failing(settings):
        source = real(settings)
        source.collect = source.collect_parts = boom
        return source

    plugins.sources[name] = failing

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith(f"source {name}: Injected: injected fault (at ")
    assert [w["source"] for w in out.data["warnings"] if "source failed" in w["message"]] == [name]
    assert len(out.data["reports"]) == 3 and {r["status"] for r in out.data["reports"]} == {"verified"}
    assert delivered(out) == {"ceo", "cfo", "cto"}
    assert out.data["facts"] > 10  # the other sources' facts


@pytest.mark.parametrize("rule", [r.name for r in registered()])
def test_a_failing_analyzer_rule_costs_its_facts_only(rule, ws, monkeypatch):
    monkeypatch.setitem(_REGISTRY, rule, dataclasses.replace(_REGISTRY[rule], fn=boom))

    out = run(ws.root)

    assert out.code == 1
    assert [f for f in out.failures if f.startswith("analyzer")] == [f"analyzer {rule}: Injected: injected fault"]
    assert out.data["facts"] > 0
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_a_lens_stage_failing_for_one_report_costs_that_report(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    real = pipeline.build_view
    monkeypatch.setattr(pipeline, "build_view", lambda lens, *a, **k: boom() if lens.id == "cfo" else real(lens, *a, **k))

    out = run(ws.root)

    assert out.code == 1
    assert out.failures[0].startswith("lens cfo: Injected: injected fault (at ")
    assert [r["key"] for r in out.data["reports"]] == ["ceo", "cto"]
    assert delivered(out) == {"ceo", "cto"}


@pytest.mark.parametrize("kind", WRITERS)
def test_a_writer_that_cannot_start_leaves_every_report_written_offline(kind, ws, plugins, monkeypatch):
    plugins.writers[kind] = boom
    monkeypatch.setenv("EXECBRIEF_WRITER_KIND", kind)

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith(f"writer {kind}: Injected: injected fault (at tests/test_failure_boundaries.py:")
    assert failure.endswith("in boom); every report is written offline")
    assert {r["writer"] for r in out.data["reports"]} == {"offline"}
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_a_writer_failing_on_one_report_falls_back_to_the_offline_text_for_it(ws, plugins):
    real = plugins.writers["offline"]

    def flaky(settings):
        writer = real(settings)
        write = writer.write
        writer.write = lambda view: boom() if view.key == "cto" else write(view)
        return writer

    plugins.writers["offline"] = flaky

    out = run(ws.root)

    assert out.code == 1
    assert out.failures[0].startswith("writer offline on report cto: Injected: injected fault")
    statuses = {r["key"]: r["status"] for r in out.data["reports"]}
    assert statuses == {"ceo": "verified", "cfo": "verified", "cto": "fallback"}
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_a_verifier_that_fails_rejects_the_report_and_sends_nothing_unchecked(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    real = pipeline.verify
    monkeypatch.setattr(pipeline, "verify", lambda report, facts: boom() if report.key == "ceo" else real(report, facts))

    out = run(ws.root)

    assert out.code == 1
    statuses = {r["key"]: r["status"] for r in out.data["reports"]}
    assert statuses["ceo"] == "rejected" and statuses["cfo"] == "verified"
    assert "the verifier failed on it: Injected: injected fault" in out.failures[0]
    assert delivered(out) == {"cfo", "cto"}


def test_a_renderer_failing_on_one_report_costs_that_report(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    real = pipeline.RenderCache.render  # (every report is rendered through it)
    monkeypatch.setattr(pipeline.RenderCache, "render",
                        lambda self, report, *a, **k: boom() if report.key == "cfo" else real(self, report, *a, **k))

    out = run(ws.root)

    assert out.code == 1
    assert out.failures == [f for f in out.failures if f.startswith("render report cfo: Injected: injected fault")]
    statuses = {r["key"]: r["status"] for r in out.data["reports"]}
    assert statuses["cfo"] == "failed" and statuses["ceo"] == "verified"
    assert delivered(out) == {"ceo", "cto"}


@pytest.mark.parametrize("method", CHANNELS)
def test_a_channel_that_cannot_start_still_leaves_every_report_written(method, ws, plugins, monkeypatch):
    plugins.channels[method] = boom
    monkeypatch.setenv("EXECBRIEF_DELIVERY_METHOD", method)

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith(f"channel {method}: Injected: injected fault (at ")
    assert failure.endswith("in boom); nothing is delivered")
    assert {r["status"] for r in out.data["reports"]} == {"verified"}
    assert all(r["files"].get("eml") for r in out.data["reports"])
    assert out.data["deliveries"] == []


def test_a_channel_failing_on_one_message_fails_it_once_and_sends_the_rest(ws, monkeypatch):
    real = OutboxChannel.send
    monkeypatch.setattr(OutboxChannel, "send",
                        lambda self, message, run_id: boom() if message.key == "ceo" else real(self, message, run_id))

    out = run(ws.root)

    assert out.code == 1
    failed = [d for d in out.data["deliveries"] if d["status"] == "failed"]
    assert {d["key"] for d in failed} == {"ceo"} and {d["attempts"] for d in failed} == {1}  # a bug is not retried
    assert "the outbox channel failed: Injected: injected fault" in failed[0]["error"]
    assert delivered(out) == {"cfo", "cto"}
    again = run(ws.root, "--dry-run")
    assert again.code == 0  # nothing carried over: the next run is clean


def test_the_built_in_plugins_are_all_injected_into():
    assert set(SOURCES) >= {"notes", "ledger", "repos", "aws"} and set(CHANNELS) >= {"outbox", "ses", "smtp"}
    assert set(WRITERS) >= {"offline", "anthropic", "openai", "bedrock"}


# the stages between the plugins: reader, the analysis as a whole, writing in one batch, delivery


def test_a_reader_that_cannot_start_leaves_the_notes_to_the_rules(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    monkeypatch.setattr(pipeline, "get_reader", boom)

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith("reader rules: Injected: injected fault (at ")
    assert failure.endswith("; the rules label every note")
    assert {r["status"] for r in out.data["reports"]} == {"verified"} and out.data["facts"] > 10
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_a_reader_failing_on_the_notes_leaves_them_to_the_rules(ws, monkeypatch):
    import execbrief.pipeline as pipeline
    from execbrief.reader import RulesReader

    class Failing(RulesReader):
        read = boom

    monkeypatch.setattr(pipeline, "get_reader", lambda settings: Failing())

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith("reader: Injected: injected fault") and failure.endswith("; the rules label every note")
    assert {r["status"] for r in out.data["reports"]} == {"verified"} and out.data["facts"] > 10
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_the_analysis_failing_as_a_whole_still_writes_and_delivers_every_report(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    monkeypatch.setattr(pipeline, "analyze_incremental", boom)

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith("analysis: Injected: injected fault") and failure.endswith("; the reports have no facts")
    assert out.data["facts"] == 0 and len(out.data["reports"]) == 3
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_a_writer_failing_on_its_batch_writes_each_report_on_its_own(ws, plugins):
    real = plugins.writers["offline"]

    def batching(settings):
        writer = real(settings)
        writer.write_many = boom
        return writer

    plugins.writers["offline"] = batching

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith("writer offline: Injected: injected fault")
    assert failure.endswith("; each report is written on its own")
    assert {r["status"] for r in out.data["reports"]} == {"verified"}
    assert delivered(out) == {"ceo", "cfo", "cto"}


def test_the_delivery_stage_failing_as_a_whole_leaves_every_report_written(ws, monkeypatch):
    import execbrief.pipeline as pipeline

    monkeypatch.setattr(pipeline, "deliver_run", boom)

    out = run(ws.root)

    assert out.code == 1
    (failure,) = out.failures
    assert failure.startswith("delivery outbox: Injected: injected fault")
    assert {r["status"] for r in out.data["reports"]} == {"verified"}
    assert all(r["files"].get("eml") for r in out.data["reports"]) and out.data["deliveries"] == []
    monkeypatch.undo()
    again = run(ws.root)  # nothing was sent or half-recorded: the next run delivers
    assert again.code == 0 and {d["status"] for d in again.data["deliveries"]} == {"sent"}
