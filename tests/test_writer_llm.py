"""The LLM writer against a local server speaking each provider's wire format (real SDKs)."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from decimal import Decimal

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.errors import ConfigError
from execbrief.ledger import Ledger
from execbrief.pipeline import run
from execbrief.verify import verify
from execbrief.writers import get_writer
from execbrief.writers.llm import LLMWriter
from execbrief.writers.offline import OfflineWriter, section_blocks
from execbrief.writers.prompts import PromptBuilder, estimate_tokens
from execbrief.writers.providers.anthropic import AnthropicProvider
from execbrief.writers.providers.openai import OpenAIProvider
from llm_helpers import Sleeps, configure, settings_for, views_for
from llm_server import Fault, LLMServer, environ_for


@pytest.fixture
def server():
    with LLMServer() as srv:
        yield srv


def writer_for(settings, kind="anthropic", sleeps=None):
    provider = {"anthropic": AnthropicProvider, "openai": OpenAIProvider}[kind](settings)
    return LLMWriter(settings, provider, sleep=sleeps if sleeps is not None else Sleeps())


def write_ceo(demo_workspace, server, kind="anthropic", sleeps=None, **writer_keys):
    if writer_keys:
        configure(demo_workspace, **writer_keys)
    settings = settings_for(demo_workspace, kind, server)
    views, facts = views_for(settings)
    writer = writer_for(settings, kind, sleeps)
    with Ledger.for_workspace(settings.workspace) as ledger:
        report = writer.write_many(views, ledger=ledger, run_id=None)[0]
    return report, views[0], facts, writer


def llm_rows(root):
    db = sqlite3.connect(root / ".execbrief" / "ledger.db")
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute("SELECT * FROM llm_calls ORDER BY created_at")]


# lenses without charts: rendering charts is slow and not what these tests are about
NO_CHARTS = ("ceo", "cto", "cmo", "accounting")


def model_requests(server):
    return [r for r in server.requests if r["path"] in ("/v1/messages", "/v1/chat/completions")
            or r["path"].endswith("/converse")]


# the demo end to end, through the CLI, with each SDK


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_demo_runs_end_to_end_against_the_local_server(kind, demo_workspace, server, monkeypatch):
    for name, value in environ_for(kind, server).items():
        monkeypatch.setenv(name, value)

    result = CliRunner().invoke(cli, ["run", "--workspace", str(demo_workspace.root), "--json"], catch_exceptions=False)

    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert len(data["reports"]) == 8
    assert {r["status"] for r in data["reports"]} == {"verified"}
    assert all(r["writer"].startswith(f"{kind}:") for r in data["reports"])
    assert {d["status"] for d in data["deliveries"]} == {"sent"}
    agent = "OpenAI/Python" if kind == "openai" else "Anthropic/Python"
    agents = [{k.lower(): v for k, v in r["headers"].items()}.get("user-agent", "") for r in model_requests(server)]
    assert all(agent in a for a in agents)
    assert len(model_requests(server)) == 9  # one cache warm-up, then one call per report


def test_bedrock_converse_writes_verified_reports(demo_workspace, server):
    settings = settings_for(demo_workspace, "bedrock", server)

    result = run(settings, dry_run=True, only=("ceo", "cto"))

    assert [r.status for r in result.reports] == ["verified", "verified"]
    assert result.reports[0].writer.startswith("bedrock:")
    converse = [r for r in server.requests if r["path"].endswith("/converse")]
    assert converse and all("authorization" in {k.lower() for k in r["headers"]} for r in converse)  # boto3 signed


def test_llm_report_reads_differently_from_offline_but_cites_the_same_kind_of_facts(demo_workspace, server):
    report, view, facts, _ = write_ceo(demo_workspace, server)

    offline = OfflineWriter().write(view)
    assert report.status == "draft" and report.writer == "anthropic:claude-sonnet-4-6"
    assert verify(report, facts) == []
    assert report.digest() != offline.digest()
    assert set(report.cited_ids()) <= set(view.facts)


def test_rerun_with_no_input_change_makes_zero_calls(demo_workspace, server):
    settings = settings_for(demo_workspace, "anthropic", server)
    first = run(settings, dry_run=True, only=NO_CHARTS)
    calls_after_first = len(model_requests(server))

    # (the writer's own cache: without --no-reuse the run would take the first run's reports, writing none)
    second = run(settings, dry_run=True, only=NO_CHARTS, reuse_earlier=False)

    assert calls_after_first == 5
    assert len(model_requests(server)) == calls_after_first
    assert [r.status for r in second.reports] == [r.status for r in first.reports]
    rows = [r for r in llm_rows(demo_workspace.root) if r["run_id"] == second.run_id]
    assert len(rows) == 4 and {r["status"] for r in rows} == {"cached"}
    third = run(settings, dry_run=True, only=NO_CHARTS)
    assert third.reused and len(model_requests(server)) == calls_after_first
    assert [r.status for r in third.reports] == [r.status for r in first.reports]


def test_shared_prefix_is_cached_so_reports_pay_for_the_facts_about_once(demo_workspace, server):
    settings = settings_for(demo_workspace, "anthropic", server)

    run(settings, dry_run=True, only=NO_CHARTS)

    body = json.loads(model_requests(server)[1]["body"])
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    usages = [c["usage"] for c in server.model_calls]
    assert usages[0]["cache_write"] > 1000  # the warm-up writes the shared facts once
    assert all(u["cache_read"] == usages[0]["cache_write"] and u["cache_write"] == 0 for u in usages[1:])


def test_lenses_are_written_concurrently_within_the_configured_limit(demo_workspace):
    configure(demo_workspace, concurrency=3)
    with LLMServer(latency_per_token_s=0.0002) as server:
        run(settings_for(demo_workspace, "openai", server), dry_run=True, only=NO_CHARTS)

    assert server.max_in_flight == 3


def test_every_call_is_recorded_with_tokens_cost_latency_and_retries(demo_workspace, server):
    settings = settings_for(demo_workspace, "anthropic", server)
    server.enqueue(Fault.rate_limit("0"), match=lambda p: "CTO" in p)

    result = run(settings, dry_run=True, only=("ceo", "cto"))

    rows = [r for r in llm_rows(demo_workspace.root) if r["run_id"] == result.run_id]
    writes = {r["report_key"]: r for r in rows if r["kind"] == "write"}
    assert set(writes) == {"ceo", "cto"}
    assert writes["cto"]["retries"] == 1 and writes["ceo"]["retries"] == 0
    for row in writes.values():
        assert row["tokens_in"] > 0 and row["tokens_out"] > 0 and row["tokens_cached"] > 1000
        assert Decimal(row["cost_usd"]) > 0
        assert json.loads(row["response_json"])["text"].startswith("{")
    prompts = sqlite3.connect(demo_workspace.root / ".execbrief" / "ledger.db").execute(
        "SELECT COUNT(*) FROM llm_prompts").fetchone()[0]
    assert prompts == 1  # the shared prefix is stored once, not once per call


def test_history_costs_shows_tokens_and_cost_per_run_and_per_report(demo_workspace, server):
    run(settings_for(demo_workspace, "anthropic", server), dry_run=True, only=("ceo", "cto"))

    result = CliRunner().invoke(cli, ["history", "--workspace", str(demo_workspace.root), "--costs"])
    as_json = CliRunner().invoke(cli, ["history", "--workspace", str(demo_workspace.root), "--costs", "--json"])

    assert result.exit_code == 0
    assert re.search(r"LLM total\s+3 calls", result.stdout)
    assert re.search(r"^\s+ceo\s+1 calls", result.stdout, re.M) and re.search(r"^\s+cto\s+1 calls", result.stdout, re.M)
    llm = json.loads(as_json.stdout)[0]["llm"]
    assert llm["calls"] == 3 and Decimal(llm["cost_usd"]) > 0 and set(llm["reports"]) == {"(shared)", "ceo", "cto"}


# faults: each scripted by the server


def test_rate_limit_waits_as_long_as_retry_after_says(demo_workspace, server):
    sleeps = Sleeps()
    server.enqueue(Fault.rate_limit("7"))

    report, *_ = write_ceo(demo_workspace, server, sleeps=sleeps)

    assert sleeps == [7.0]
    assert report.status == "draft" and len(model_requests(server)) == 2


def test_rate_limit_without_retry_after_backs_off_longer_than_a_server_error(demo_workspace, server):
    limited, failed = Sleeps(), Sleeps()
    server.enqueue(Fault.rate_limit(None))
    write_ceo(demo_workspace, server, sleeps=limited)
    server.enqueue(Fault.server_error())
    report, *_ = write_ceo(demo_workspace, server, sleeps=failed, cache=False)

    assert report.status == "draft"
    assert len(limited) == len(failed) == 1
    assert limited[0] >= 2.0 > 1.0 >= failed[0] > 0


def test_server_error_is_retried_with_backoff(demo_workspace, server):
    sleeps = Sleeps()
    server.enqueue(Fault.server_error(), Fault.server_error())

    report, *_ = write_ceo(demo_workspace, server, sleeps=sleeps)

    assert report.status == "draft"
    assert len(sleeps) == 2 and sleeps[1] > 0
    assert len(model_requests(server)) == 3


def test_timeout_is_retried(demo_workspace, server):
    server.enqueue(Fault.timeout(1.5))

    report, *_ = write_ceo(demo_workspace, server, timeout_s=0.4)

    assert report.status == "draft"
    assert len(model_requests(server)) == 2


def test_malformed_response_body_is_retried(demo_workspace, server):
    server.enqueue(Fault.malformed_body())

    report, *_ = write_ceo(demo_workspace, server, kind="openai")

    assert report.status == "draft"
    assert len(model_requests(server)) == 2


def test_rate_limits_beyond_max_retries_fall_back_to_the_offline_report(demo_workspace, server):
    server.enqueue(*[Fault.rate_limit("1")] * 3)

    report, view, facts, writer = write_ceo(demo_workspace, server, max_retries=2)

    assert report.status == "fallback"
    assert report.digest() == OfflineWriter().write(view).digest()
    assert verify(report, facts) == []
    assert "rate limited" in writer.warnings[0].message


def test_auth_error_is_not_retried_and_stops_all_later_calls(demo_workspace, server):
    configure(demo_workspace, concurrency=1)
    server.enqueue(Fault.auth())
    settings = settings_for(demo_workspace, "anthropic", server)
    views, _ = views_for(settings, only=("ceo", "cfo", "cto"))
    writer = writer_for(settings)

    reports = writer.write_many(views)

    assert len(model_requests(server)) == 1  # the warm-up was refused; nothing was tried after it
    assert [r.status for r in reports] == ["fallback"] * 3
    assert any("refused the credentials" in w.message for w in writer.warnings)


def test_context_length_error_is_asked_again_at_once_with_fewer_facts(demo_workspace, server):
    sleeps = Sleeps()
    server.enqueue(Fault.context_length())

    report, _, _, writer = write_ceo(demo_workspace, server, kind="openai", sleeps=sleeps)

    assert report.status == "draft" and sleeps == []
    first, second = [json.loads(r["body"]) for r in model_requests(server)]
    size = lambda body: sum(len(m["content"]) for m in body["messages"])  # noqa: E731
    assert size(second) < 0.7 * size(first)
    assert any("did not fit the model's context" in w.message for w in writer.warnings)
    assert any("did not fit its context" in line for line in report.data_quality)


def test_context_length_error_twice_falls_back_without_a_wait_and_says_what_to_do(demo_workspace, server):
    sleeps = Sleeps()
    server.enqueue(Fault.context_length(), Fault.context_length())

    report, _, _, writer = write_ceo(demo_workspace, server, kind="openai", sleeps=sleeps)

    assert report.status == "fallback" and sleeps == []
    assert len(model_requests(server)) == 2
    assert "too long" in writer.warnings[-1].message


def invent_number(answer):
    answer["summary"][0]["text"] += " Revenue will reach $987,654 next year."


def cite_unknown_fact(answer):
    answer["summary"][0]["cites"] = ["f-000000000000"]


@pytest.mark.parametrize("change, expected", [
    (invent_number, "the number 987654 is in no cited fact"),
    (cite_unknown_fact, "cites unknown fact f-000000000000"),
    (lambda answer: "Sure! Here is the briefing: {summary: [", "not valid JSON"),
])
def test_a_failing_answer_is_repaired_once_with_the_exact_errors(change, expected, demo_workspace, server):
    server.enqueue(Fault.answer(change))

    report, _, facts, _ = write_ceo(demo_workspace, server)

    repair = json.loads(model_requests(server)[1]["body"])["messages"][0]["content"]
    assert expected in repair and "It failed verification" in repair
    assert report.status == "corrected"
    assert verify(report, facts) == []
    assert "987,654" not in json.dumps(report.model_dump(mode="json"))


def test_a_part_still_failing_after_repair_is_replaced_by_the_offline_block(demo_workspace, server):
    server.enqueue(Fault.answer(invent_number), Fault.answer(invent_number))

    report, view, facts, writer = write_ceo(demo_workspace, server)

    offline = OfflineWriter().write(view)
    assert report.status == "corrected"
    assert report.summary == offline.summary  # the summary came back wrong twice
    assert report.sections[1] != offline.sections[1]  # the other parts stay the model's
    assert verify(report, facts) == []
    assert len(model_requests(server)) == 2  # one repair, never more
    assert "replaced by the offline text" in writer.warnings[0].message


def test_a_missing_section_is_filled_from_the_offline_writer(demo_workspace, server):
    def drop_first_section(answer):
        answer["sections"].pop(0)

    server.enqueue(Fault.answer(drop_first_section), Fault.answer(drop_first_section))

    report, view, facts, _ = write_ceo(demo_workspace, server)

    offline = OfflineWriter().write(view)
    first = view.lens.sections[0]
    assert [s.id for s in report.sections] == [s.id for s in offline.sections]
    # the whole section: the model's summary need not state what the offline summary does
    assert next(s for s in report.sections if s.id == first.id).blocks == section_blocks(first, view)
    assert report.status == "corrected" and verify(report, facts) == []


# budgets and the cost cap


def test_token_budget_is_enforced_before_the_call(demo_workspace, server):
    report, _, _, writer = write_ceo(demo_workspace, server, max_tokens_per_lens=5000)

    assert model_requests(server) == []
    assert report.status == "fallback"
    assert "max_tokens_per_lens" in writer.warnings[0].message


def estimated_tokens(settings, views, view, max_output):
    """The writer's own estimate of a lens's first call (prompt builder and estimator are real)."""
    prompt = PromptBuilder(views, settings.workspace / ".execbrief" / "llm").prompt(view)
    return estimate_tokens(prompt.system) + estimate_tokens(prompt.user) + max_output


def test_a_report_over_its_token_budget_after_the_call_gets_no_repair(demo_workspace):
    settings = demo_workspace.settings()
    views, _ = views_for(settings)
    budget = estimated_tokens(settings, views, views[0], 3000) + 200  # the estimate fits the budget
    # a provider that counts twice as many tokens as the estimate: the real usage does not fit
    with LLMServer(bytes_per_token=2) as server:
        server.enqueue(Fault.answer(invent_number))
        report, view, _, writer = write_ceo(demo_workspace, server, max_tokens_per_lens=budget, max_output_tokens=3000)

    assert len(model_requests(server)) == 1
    assert report.status == "corrected" and report.summary == OfflineWriter().write(view).summary


def test_the_run_cost_cap_is_never_exceeded(demo_workspace, server):
    settings = demo_workspace.settings()
    views, _ = views_for(settings, only=NO_CHARTS)
    # prices of $1 per million tokens of any kind make a call's worst case easy to state
    worst = Decimal(max(estimated_tokens(settings, views, v, 4000) for v in views)) / 1_000_000
    cap = (2 * worst).quantize(Decimal("0.000001"))  # the estimate is conservative: real calls cost less
    configure(demo_workspace, concurrency=1, max_cost_usd=str(cap))
    text = (demo_workspace.root / "execbrief.toml").read_text()
    (demo_workspace.root / "execbrief.toml").write_text(
        text + "\n[writer.prices]\ninput = 1\noutput = 1\ncache_read = 1\ncache_write = 1\n")

    result = run(settings_for(demo_workspace, "anthropic", server), dry_run=True, only=NO_CHARTS)

    rows = [r for r in llm_rows(demo_workspace.root) if r["run_id"] == result.run_id]
    spent = sum(Decimal(r["cost_usd"]) for r in rows)
    statuses = [r.status for r in result.reports]
    assert 0 < spent <= cap
    assert "verified" in statuses and "fallback" in statuses
    assert any(r["error_kind"] == "cost_cap" for r in rows)
    assert any("max_cost_usd" in w.message for w in result.warnings)


# configuration errors


def test_missing_key_names_the_variable_and_the_offline_alternative(demo_workspace):
    settings = demo_workspace.settings().model_copy(update={"env": {}})
    settings.writer.kind = "anthropic"

    with pytest.raises(ConfigError, match=r"no ANTHROPIC_API_KEY: .*kind = \"offline\""):
        get_writer(settings)


def test_missing_sdk_names_the_extra_to_install(demo_workspace, server, monkeypatch):
    monkeypatch.setitem(sys.modules, "anthropic", None)  # as if the extra were not installed

    with pytest.raises(ConfigError, match=r"pip install 'execbrief\[anthropic\]'"):
        get_writer(settings_for(demo_workspace, "anthropic", server))


def test_unknown_provider_option_names_the_key(demo_workspace, server):
    configure(demo_workspace, options={"cache_tll": "1h"})

    with pytest.raises(ConfigError, match=r"writer\.options\.cache_tll.*cache_ttl"):
        get_writer(settings_for(demo_workspace, "anthropic", server))


def test_unknown_writer_kind_lists_the_installed_ones(demo_workspace):
    configure(demo_workspace)
    text = (demo_workspace.root / "execbrief.toml").read_text().replace('kind = "offline"', 'kind = "mistral"')
    (demo_workspace.root / "execbrief.toml").write_text(text)

    with pytest.raises(ConfigError, match=r"writer\.kind.*installed: anthropic, bedrock, offline, openai"):
        demo_workspace.settings()


def test_offline_demo_needs_no_key_and_no_server(demo_workspace):
    result = run(demo_workspace.settings(), dry_run=True, only=NO_CHARTS)

    assert {r.status for r in result.reports} == {"verified"} and {r.writer for r in result.reports} == {"offline"}
    assert not (demo_workspace.root / ".execbrief" / "cache" / "llm").exists()
