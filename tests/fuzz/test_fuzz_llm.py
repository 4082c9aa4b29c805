"""Hostile and broken model answers (issue 13, item 5, "LLM answers"): whatever a local
server speaking the OpenAI or Anthropic wire format answers, every report is written
(verified, corrected part by part, or the offline text), no stage fails, and no number the
facts do not hold reaches a report."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.config import load_settings
from execbrief.pipeline import run
from fuzzing import examples, json_values, junk
from hostile import small_workspace
from llm_server import Fault, LLMServer, environ_for

PLANTED = "987,654"


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            found += _paths(value, (*prefix, n))
    return found


def spoil(seed: int, replacements: list[Any]):
    """A change to the careful answer: parts replaced by the drawn values, a number planted."""
    def change(answer: dict[str, Any]) -> Any:
        rng = random.Random(seed)
        for value in replacements:
            paths = _paths(answer)
            if not paths:  # (the answer itself was replaced by a scalar)
                return value
            path = rng.choice(paths)
            parent = answer
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = value
        if rng.random() < 0.5 and isinstance(answer, dict) and isinstance(answer.get("summary"), list):
            answer["summary"].insert(0, {"text": f"Revenue will reach ${PLANTED}.", "cites": []})
        return answer
    return change


ANSWER = st.one_of(
    st.builds(spoil, st.integers(0, 2 ** 32), st.lists(json_values(), min_size=1, max_size=4)).map(Fault.answer),
    json_values().map(lambda value: Fault.answer(lambda _: value)),  # any JSON instead of the answer
    junk(80).map(lambda text: Fault.answer(lambda _: text)),  # text that is no JSON
    json_values().map(Fault.body),  # any JSON as the whole HTTP body
    st.sampled_from([Fault.server_error(), Fault.rate_limit("soon"), Fault.rate_limit("-5"), Fault.malformed_body(),
                     Fault.body({"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []})]),
)


# the servers people run themselves, as the test server plays them (OpenAI format only)
SERVERS = st.sampled_from([
    {}, {"flavor": "llama.cpp", "structured": ("json_object", "none"), "context": 8192},
    {"flavor": "ollama", "structured": (), "context": 4096},
])


@settings(max_examples=examples(ci=8, long=120))
@given(st.sampled_from(["openai", "anthropic", "bedrock"]), st.lists(ANSWER, min_size=1, max_size=4), SERVERS)
def test_whatever_the_model_answers_every_report_is_written_and_verified(kind, faults, server_kind):
    root = Path(tempfile.mkdtemp(prefix="fuzz-llm-")) / "ws"
    try:
        small_workspace(root)
        with LLMServer(**(server_kind if kind == "openai" else {})) as server:
            server.enqueue(*faults)
            settings = load_settings(root, environ=environ_for(kind, server))
            settings = settings.model_copy(update={"writer": settings.writer.model_copy(update={"max_retries": 1})})

            result = run(settings, dry_run=True, only=("ceo", "cfo"))

        assert result.failures == [], result.failures
        assert {r.status for r in result.reports} <= {"verified", "corrected", "fallback"}
        for report in result.reports:
            html = Path(report.files["html"]).read_text(encoding="utf-8")
            assert PLANTED not in html
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def test_the_spoiler_changes_the_answer():
    answer = {"summary": [{"text": "a", "cites": ["f-1"]}], "sections": []}
    changed = spoil(1, ["x"])(json.loads(json.dumps(answer)))
    assert changed != answer
