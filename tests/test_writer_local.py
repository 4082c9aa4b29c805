"""The LLM writer against self-hosted OpenAI-compatible servers (llama.cpp, Ollama, vLLM), as
the local test server plays them, with the real openai SDK: structured output detected and
remembered, prompts that show the answer's shape, max_tokens, and local prices."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from types import SimpleNamespace

import pytest

from execbrief.pipeline import run
from execbrief.writers.llm import LLMWriter, parse_answer
from execbrief.writers.provider import LLMRequest, classify_status
from execbrief.writers.providers.openai import OpenAIProvider
from execbrief.writers.providers.servers import ServerMemory, is_private
from llm_helpers import Sleeps, configure, settings_for, views_for
from llm_server import LLMServer

NO_CHARTS = ("ceo", "cto", "cmo", "accounting")


def llm_rows(root):
    db = sqlite3.connect(root / ".execbrief" / "ledger.db")
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute("SELECT * FROM llm_calls ORDER BY created_at")]


def formats(server):
    return [(c["response_format"] or {}).get("type", "none") for c in server.model_calls]


def memory(ws):
    return json.loads((ws.root / ".execbrief" / "cache" / "llm" / "servers.json").read_text())


# --- structured output: detected, stepped down at once, remembered --------------------------


def test_a_server_without_json_schema_is_answered_with_json_object_and_the_schema_at_once(demo_workspace):
    with LLMServer(structured=("json_object", "none"), flavor="llama.cpp") as server:
        sleeps = Sleeps()
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, NO_CHARTS)
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=sleeps)

        reports = writer.write_many(views)

    assert {r.status for r in reports} <= {"draft", "corrected"} and len(reports) == 4
    assert sleeps == []  # the HTTP 500 "Input should be 'text' or 'json_object'" is no fault to retry
    assert server.refused and all(r["response_format"]["type"] == "json_schema" for r in server.refused)
    sent = [c["response_format"] for c in server.model_calls]
    assert all(f["type"] == "json_object" and f["schema"]["required"] == ["summary", "sections"] for f in sent)
    (entry,) = memory(demo_workspace).values()
    assert entry["structured"] == "json_object"


def test_what_a_server_takes_is_remembered_so_the_next_run_asks_that_way_first(demo_workspace):
    configure(demo_workspace, cache=False)  # no response cache: the second run calls the server again
    with LLMServer(structured=("json_object", "none")) as server:
        settings = settings_for(demo_workspace, "openai", server)
        run(settings, dry_run=True, only=("ceo",))
        refused_first = len(server.refused)

        # (reuse off: an unchanged rerun would take the first run's report and call no server at all)
        second = run(settings, dry_run=True, only=("ceo",), reuse_earlier=False)

    assert refused_first == 1
    assert len(server.refused) == refused_first  # nothing refused the second time
    assert formats(server) == ["json_object", "json_object"]
    assert [r.status for r in second.reports] == ["verified"]


def test_a_server_with_no_structured_output_gets_plain_text_and_its_json_is_read_from_the_prose(demo_workspace):
    with LLMServer(structured=()) as server:
        settings = settings_for(demo_workspace, "openai", server)
        result = run(settings, dry_run=True, only=NO_CHARTS)

    assert {r.status for r in result.reports} == {"verified"}
    assert formats(server) == ["none"] * len(server.model_calls)
    assert len(server.refused) == 2  # json_schema, then json_object, once: then remembered
    assert list(memory(demo_workspace).values())[0]["structured"] == "none"


def test_structured_set_in_config_is_the_only_way_asked_and_a_refusal_says_what_to_set(demo_workspace):
    configure(demo_workspace, structured="json_schema")
    with LLMServer(structured=("json_object",)) as server:
        sleeps = Sleeps()
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=sleeps)

        (report,) = writer.write_many(views)

    assert report.status == "fallback" and sleeps == []
    assert len(server.refused) == 1 and server.model_calls == []
    assert any('[writer] structured = "auto"' in w.message for w in writer.warnings)


@pytest.mark.parametrize("status, message", [
    (500, "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
          "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]"),
    (400, "Unrecognized request argument supplied: response_format"),
    (422, "json_schema response format is not supported"),
])
def test_a_refused_response_format_is_a_capability_answer_not_a_retried_fault(status, message):
    error = classify_status(status, message)
    assert error.kind == "unsupported" and not error.retryable


def test_a_plain_server_error_is_still_retried():
    assert classify_status(500, "Internal server error").kind == "server"


# --- the prompt shows the answer's shape; a repair shows it again ---------------------------


def test_the_prompt_shows_the_exact_json_skeleton_with_every_section_and_a_filled_example(demo_workspace):
    with LLMServer() as server:
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    user = server.model_calls[-1]["user"]
    shape, example = user.split("Filled in for one section")
    for key in ('"summary"', '"sections"', '"id"', '"lead"', '"items"', '"text"', '"cites"'):
        assert key in shape
    for section in views[0].lens.sections:
        assert f'"id": "{section.id}"' in shape
    filled = json.loads(example.split("\n", 1)[1].strip())
    parse_answer(json.dumps(filled))  # the example is itself a valid answer
    assert filled["summary"][0]["cites"]


def test_a_repair_shows_the_skeleton_again_beside_what_failed(demo_workspace):
    from llm_server import Fault

    def invented(answer):
        return {"briefing": "CFO briefing"}  # what a small model answered in json_object mode

    with LLMServer() as server:
        server.enqueue(Fault.answer(invented))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    repair = server.model_calls[-1]["user"].split("Your previous answer was:")[1]
    assert "failed verification" in repair and '"sections": [' in repair and "Filled in for one section" in repair


def test_json_in_prose_or_a_code_fence_is_read():
    answer = {"summary": [{"text": "a", "cites": ["f-1"]}], "sections": []}
    assert parse_answer("Sure! ```json\n" + json.dumps(answer) + "\n``` Hope it helps.").summary[0].text == "a"
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_answer("no json here")


# --- max_tokens, and prices of a server one runs oneself ---------------------------------


def test_a_server_other_than_openai_is_sent_max_tokens(demo_workspace):
    with LLMServer() as server:
        settings = settings_for(demo_workspace, "openai", server)
        run(settings, dry_run=True, only=("ceo",))

    assert {c["max_tokens_key"] for c in server.model_calls} == {"max_tokens"}


def test_openai_itself_is_sent_max_completion_tokens(demo_workspace):
    settings = settings_for(demo_workspace, "openai", SimpleNamespace(url="http://127.0.0.1:9"))
    settings = settings.model_copy(update={"writer": settings.writer.model_copy(update={"base_url": "https://api.openai.com/v1"})})
    params = OpenAIProvider(settings).params(LLMRequest("k", "s", "u", {}, 100))
    assert params["max_completion_tokens"] == 100 and "max_tokens" not in params
    assert params["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("url, private", [
    ("http://127.0.0.1:8080/v1", True), ("http://localhost:11434/v1", True), ("http://192.168.1.20:8000/v1", True),
    ("http://10.0.0.5/v1", True), ("http://gpu-box.local:8000/v1", True), ("https://api.openai.com/v1", False),
    ("https://api.together.xyz/v1", False), (None, False),
])
def test_a_base_url_on_this_machine_or_a_private_network_is_self_hosted(url, private):
    assert is_private(url) is private


def test_a_self_hosted_model_costs_nothing_unless_prices_are_set(demo_workspace):
    with LLMServer() as server:
        settings = settings_for(demo_workspace, "openai", server)
        run(settings, dry_run=True, only=("ceo",))
        free = [r for r in llm_rows(demo_workspace.root) if r["status"] == "ok"]

        text = (demo_workspace.root / "execbrief.toml").read_text()
        (demo_workspace.root / "execbrief.toml").write_text(text + "\n[writer.prices]\ninput = 0.5\noutput = 1\n")
        priced = OpenAIProvider(settings_for(demo_workspace, "openai", server)).prices

    assert free and all(Decimal(r["cost_usd"]) == 0 and r["tokens_in"] > 0 for r in free)
    assert (priced.input, priced.output, priced.cache_read) == (Decimal("0.5"), Decimal(1), Decimal(0))


def test_a_damaged_memory_file_is_asked_again(tmp_path):
    path = tmp_path / "servers.json"
    path.write_text("{not json")
    memory = ServerMemory(path)
    assert memory.get("x") == {}
    memory.update("x", structured="none")
    assert ServerMemory(path).get("x") == {"structured": "none"}


def test_the_provider_interface_does_not_know_the_writer_that_uses_it():
    import subprocess
    import sys

    code = ("import sys, execbrief.writers.provider, execbrief.writers.calls, execbrief.writers.cache; "
            "print('execbrief.writers.llm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- prompts that fit the model's context ---------------------------------------------------

QWEN_BYTES_PER_TOKEN = 2.7  # the fewest bytes a token Qwen2.5's tokenizer counted on the demo's prompts


def test_the_demo_s_eight_reports_fit_an_8k_llama_cpp_server_and_none_falls_back(demo_workspace):
    with LLMServer(flavor="llama.cpp", context=8192, structured=("json_object", "none"),
                   bytes_per_token=QWEN_BYTES_PER_TOKEN) as server:
        result = run(settings_for(demo_workspace, "openai", server), dry_run=True)

    assert len(result.reports) == 8 and {r.status for r in result.reports} == {"verified"}
    assert [r for r in server.refused if r["status"] == 400] == []  # no prompt over the context
    assert all(c["prompt_tokens"] + c["asked_max_tokens"] <= 8192 for c in server.model_calls)
    assert any(r["path"] == "/props" for r in server.requests)  # the context size was asked
    assert any(r["path"] == "/tokenize" for r in server.requests)  # and the server's token counts
    left_out = [w.message for w in result.warnings if "did not fit the model's context of 8192" in w.message]
    assert left_out  # the demo's facts do not all fit 8k: the reports say so
    (entry,) = memory(demo_workspace).values()
    assert entry["context_tokens"] == 8192 and entry["structured"] == "json_object"


def test_a_report_left_short_keeps_its_most_important_facts_and_says_so(demo_workspace):
    from execbrief.writers.prompts import ranked_facts

    with LLMServer(flavor="llama.cpp", context=8192, bytes_per_token=QWEN_BYTES_PER_TOKEN) as server:
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cfo",))
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        (report,) = writer.write_many(views)

    ranked = ranked_facts(views[0])
    system = server.model_calls[0]["system"]
    shown = [f for f in ranked if f.statement[:60].replace("\n", " ") in system]
    assert ranked[0] in shown and ranked[-1] not in shown
    assert any(f.severity == "critical" for f in ranked) and all(f in shown for f in ranked if f.severity == "critical")
    assert any("did not fit its context of 8192 tokens" in line for line in report.data_quality)


def test_a_report_whose_own_facts_fit_gets_its_own_prefix_instead_of_the_shared_one(demo_workspace):
    # (a context each report's own facts fit in and both together do not: 15,000-18,000 tokens
    # since the accounting briefing has a compliance section; 14,000 before)
    with LLMServer(flavor="llama.cpp", context=16000, bytes_per_token=2.5) as server:
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cmo", "accounting"))
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        reports = writer.write_many(views)

    systems = {c["system"] for c in server.model_calls}
    assert len(systems) == 2  # each report its own facts: the shared prefix of both is too long
    assert not any("did not fit" in w.message for w in writer.warnings)
    assert {r.status for r in reports} == {"draft"}


@pytest.mark.parametrize("flavor, expected", [("llama.cpp", 6144), ("ollama", 6144), ("vllm", 6144), ("lmstudio", 6144),
                                              ("plain", 8192)])
def test_the_context_size_is_asked_of_the_server_where_it_says(demo_workspace, flavor, expected):
    with LLMServer(flavor=flavor, context=6144) as server:
        provider = OpenAIProvider(settings_for(demo_workspace, "openai", server, EXECBRIEF_WRITER_MODEL="local-model"))
        assert provider.context_tokens() == expected


def test_context_tokens_in_config_is_not_asked(demo_workspace):
    configure(demo_workspace, context_tokens=16384)
    with LLMServer(flavor="llama.cpp", context=6144) as server:
        assert OpenAIProvider(settings_for(demo_workspace, "openai", server)).context_tokens() == 16384
        assert not any(r["path"] == "/props" for r in server.requests)


def test_facts_travel_as_short_handles_and_cites_come_back_as_fact_ids(demo_workspace):
    with LLMServer() as server:
        settings = settings_for(demo_workspace, "openai", server)
        views, facts = views_for(settings)
        (report,) = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    body = server.model_calls[0]["system"] + server.model_calls[0]["user"]
    assert "[F1]" in body and not any(f"[{fid}]" in body for fid in facts)
    assert report.status == "draft" and set(report.cited_ids()) <= set(facts)


@pytest.mark.parametrize("cite, expected", [("F3", "id3"), ("[F3]", "id3"), ("f3", "id3"), (" F03 ", "id3"),
                                            ("f-abc", "f-abc"), ("F99", "F99")])
def test_a_handle_maps_back_to_its_fact_id(cite, expected, tmp_path, demo_workspace):
    from execbrief.writers.prompts import PromptBuilder

    settings = settings_for(demo_workspace, "openai", SimpleNamespace(url="http://127.0.0.1:9"))
    views, _ = views_for(settings)
    builder = PromptBuilder(views, tmp_path)
    builder.ids = {"F3": "id3"}
    assert builder.fact_id(cite) == expected


def test_a_repair_in_an_8k_context_fits_with_the_previous_answer(demo_workspace):
    from llm_server import Fault

    def invent_number(answer):
        answer["summary"][0]["text"] += " Revenue will reach $987,654 next year."

    with LLMServer(flavor="llama.cpp", context=8192, bytes_per_token=QWEN_BYTES_PER_TOKEN) as server:
        server.enqueue(Fault.answer(invent_number))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cfo",))
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        (report,) = writer.write_many(views)

    assert not any("no repair" in w.message for w in writer.warnings), writer.warnings
    assert len(server.model_calls) == 2 and "987654 is in no cited fact" in server.model_calls[1]["user"]
    assert [r for r in server.refused if r["status"] == 400] == []
    assert report.status == "corrected" and "987,654" not in json.dumps(report.model_dump(mode="json"))
    assert not any("no repair" in w.message for w in writer.warnings)


def test_a_repair_that_fits_is_the_first_prompt_with_the_repair_appended(demo_workspace):
    # a local server's prompt cache (llama.cpp, llama-cpp-python) then holds all but the repair:
    # on a CPU, minutes not spent reading the facts again
    from llm_server import Fault

    def invent_number(answer):
        answer["summary"][0]["text"] += " Revenue will reach $987,654 next year."

    with LLMServer(flavor="llama-cpp-python", context=16384, bytes_per_token=QWEN_BYTES_PER_TOKEN) as server:
        server.enqueue(Fault.answer(invent_number))
        configure(demo_workspace, context_tokens=16384)
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cmo",))
        (report,) = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    first, repair = server.model_calls
    assert repair["system"] == first["system"] and repair["user"].startswith(first["user"])
    assert "987654 is in no cited fact" in repair["user"][len(first["user"]):]
    assert report.status == "corrected"


def test_a_repair_the_token_budget_refuses_is_never_promised(demo_workspace):
    from llm_server import Fault

    def invent_number(answer):
        answer["summary"][0]["text"] += " Revenue will reach $987,654 next year."

    with LLMServer() as server:
        server.enqueue(Fault.answer(invent_number))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        request_tokens = LLMWriter(settings, OpenAIProvider(settings))._fit(
            __import__("execbrief.writers.prompts", fromlist=["PromptBuilder"]).PromptBuilder(views, demo_workspace.root),
            views[0]).request
        from execbrief.writers.prompts import estimate_tokens

        first = estimate_tokens(request_tokens.system) + estimate_tokens(request_tokens.user) + request_tokens.max_tokens
        configure(demo_workspace, max_tokens_per_lens=first + 2000)
        settings = settings_for(demo_workspace, "openai", server)
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        (report,) = writer.write_many(views)

    messages = [w.message for w in writer.warnings]
    assert len(server.model_calls) == 1 and report.status == "corrected"
    assert any("no repair" in m and "max_tokens_per_lens" in m for m in messages)
    assert not any("after one repair" in m for m in messages)


# --- honest history -----------------------------------------------------------------------


def test_a_run_that_fell_back_shows_its_failed_and_refused_calls_in_history_costs(demo_workspace):
    from click.testing import CliRunner

    from execbrief.cli import cli
    from llm_server import Fault

    with LLMServer() as server:
        server.enqueue(Fault.auth(), Fault.auth())
        result = run(settings_for(demo_workspace, "openai", server), dry_run=True, only=("ceo", "cmo"))
    out = CliRunner().invoke(cli, ["history", "--workspace", str(demo_workspace.root), "--costs"]).output
    data = json.loads(CliRunner().invoke(cli, ["history", "--workspace", str(demo_workspace.root), "--costs",
                                               "--json"]).output)

    assert {r.status for r in result.reports} == {"fallback"}
    assert "no LLM calls" not in out and "failed" in out and "invalid x-api-key" in out
    llm = json.dumps(data)
    assert '"not_made": 1' in llm and '"errors": 1' in llm


def test_the_readme_s_local_model_configs_load(demo_workspace):
    import re
    from pathlib import Path

    from execbrief.config import load_settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    local = readme.split("### Local models", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", local, re.S)
    assert len(blocks) == 3
    config = demo_workspace.root / "execbrief.toml"
    original = config.read_text(encoding="utf-8")
    for block in blocks:
        writer = block.split("[writer]\n", 1)[1]
        config.write_text(original.replace('[writer]\nkind = "offline"\n', "[writer]\n" + writer), encoding="utf-8")
        settings = load_settings(demo_workspace.root, environ={})
        assert settings.writer.kind == "openai" and settings.writer.base_url.startswith("http://localhost:")
        assert OpenAIProvider(settings).self_hosted


def test_answers_of_the_wrong_shape_are_repaired_with_the_skeleton_and_no_report_falls_back(demo_workspace):
    from llm_server import Fault

    wrong = [lambda a: {"briefing": "CFO briefing"}, lambda a: [a], lambda a: {"summary": "all fine", "sections": {}},
             lambda a: {"summary": a["summary"], "sections": [{"id": s["id"]} for s in a["sections"]]}]
    with LLMServer(structured=("json_object", "none"), flavor="llama.cpp", context=8192) as server:
        server.enqueue(*[Fault.answer(change) for change in wrong], match=lambda prompt: "Your previous answer" not in prompt)
        result = run(settings_for(demo_workspace, "openai", server), dry_run=True, only=NO_CHARTS)

    assert {r.status for r in result.reports} == {"corrected"}
    repairs = [c["user"] for c in server.model_calls if "Your previous answer was:" in c["user"]]
    assert len(repairs) == 4 and all('"sections": [' in r.split("Your previous answer was:")[1] for r in repairs)


@pytest.mark.parametrize("flavor, counted", [("llama.cpp", True), ("vllm", True), ("llama-cpp-python", True),
                                             ("ollama", False), ("plain", False)])
def test_tokens_are_counted_by_the_server_where_it_can(demo_workspace, flavor, counted):
    with LLMServer(flavor=flavor, bytes_per_token=3) as server:
        provider = OpenAIProvider(settings_for(demo_workspace, "openai", server))
        text = "Harbor Flats rent collected rose 8% on September. " * 30
        assert provider.count_tokens(text) == (len(text) // 3 if counted else None)
        provider.count_tokens(text)
        if not counted:  # asked once: the answer that it cannot is remembered
            assert sum(r["path"].endswith("tokenize") for r in server.requests) == 2
        else:  # the path that answered is asked first the second time: no 404 a count
            asked = [r["path"] for r in server.requests if r["path"].endswith("tokenize")]
            assert asked[-1] == asked[-2] and len(asked) == (3 if flavor == "llama-cpp-python" else 2)
