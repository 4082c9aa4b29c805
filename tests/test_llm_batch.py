"""`execbrief run --batch` and `--resume` through the providers' batch APIs (local server)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from llm_server import LLMServer, environ_for

ONLY = ("--only", "ceo", "--only", "cto")


@pytest.fixture
def server():
    with LLMServer() as srv:
        yield srv


def invoke(monkeypatch, kind, server, root, *args):
    for name, value in environ_for(kind, server).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["run", "--workspace", str(root), "--json", *ONLY, *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def live_calls(server):
    return [r for r in server.requests if r["path"] in ("/v1/messages", "/v1/chat/completions")]


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
def test_batch_is_submitted_recorded_and_collected_by_resume(kind, demo_workspace, server, monkeypatch):
    root = demo_workspace.root
    if kind == "openai":  # a server on 127.0.0.1 is priced at zero unless the prices are set
        (root / "execbrief.toml").write_text((root / "execbrief.toml").read_text()
                                             + "\n[writer.prices]\ninput = 0.25\noutput = 2\n")

    code, submitted = invoke(monkeypatch, kind, server, root, "--batch")
    db = sqlite3.connect(root / ".execbrief" / "ledger.db")
    batch = db.execute("SELECT provider, status, requests_json FROM llm_batches").fetchone()

    assert code == 0 and submitted["status"] == "pending" and submitted["reports"] == []
    assert batch[0] == kind and batch[1] == "submitted"
    assert sorted(r["report_key"] for r in json.loads(batch[2]).values()) == ["ceo", "cto"]
    assert live_calls(server) == []

    code, waiting = invoke(monkeypatch, kind, server, root, "--resume")
    assert code == 0 and waiting["status"] == "pending" and waiting["deliveries"] == []

    server.finish_batches()
    code, done = invoke(monkeypatch, kind, server, root, "--resume")

    assert code == 0 and done["status"] == "ok"
    assert [r["status"] for r in done["reports"]] == ["verified", "verified"]
    assert {d["status"] for d in done["deliveries"]} == {"sent"}
    assert live_calls(server) == []  # every answer came from the batch
    assert db.execute("SELECT status FROM llm_batches").fetchone()[0] == "collected"
    costs = db.execute(
        "SELECT cost_usd, batch_id FROM llm_calls WHERE status = 'ok' AND batch_id IS NOT NULL").fetchall()
    assert len(costs) == 2 and all(float(c[0]) > 0 for c in costs)


def test_batch_calls_are_charged_at_half_the_live_price(demo_workspace, server, monkeypatch):
    from decimal import Decimal

    from execbrief.writers.providers import Usage
    from execbrief.writers.providers.anthropic import AnthropicProvider

    server.auto_finish_batches = True
    invoke(monkeypatch, "anthropic", server, demo_workspace.root, "--batch")
    invoke(monkeypatch, "anthropic", server, demo_workspace.root, "--resume")

    db = sqlite3.connect(demo_workspace.root / ".execbrief" / "ledger.db")
    rows = db.execute("SELECT tokens_in, tokens_out, tokens_cached, tokens_cache_write, cost_usd FROM llm_calls"
                      " WHERE batch_id IS NOT NULL AND status = 'ok'").fetchall()
    live = AnthropicProvider.list_prices["claude-sonnet"]
    assert len(rows) == 2
    for tokens_in, tokens_out, cached, written, cost in rows:
        full = live.cost(Usage(tokens_in, tokens_out, cached, written))
        assert abs(Decimal(cost) - full / 2) <= Decimal("0.000001") and full > 0


def test_batch_with_the_offline_writer_is_a_usage_error(demo_workspace):
    result = CliRunner().invoke(cli, ["run", "--workspace", str(demo_workspace.root), "--batch"])

    assert result.exit_code == 2
    assert "--batch and --resume need an LLM writer" in result.stderr
