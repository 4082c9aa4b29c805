"""bench/llm_local.py: skips cleanly with no server, and measures one against the local test server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from llm_server import Fault, LLMServer

BENCH = Path(__file__).resolve().parents[1] / "bench" / "llm_local.py"


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=300)


def test_with_no_server_it_says_so_and_exits_0():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = bench("--base-url", f"http://127.0.0.1:{port}/v1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("skipped: no OpenAI-compatible server")


def test_against_a_server_it_reports_status_kept_sentences_and_what_the_checks_caught():
    def name_the_wrong_business(answer):
        answer["summary"][0]["text"] = "Brightline Studio, Harbor Flats and QuickRoute Delivery are in critical shape."

    with LLMServer(flavor="llama.cpp", context=8192, structured=("json_object", "none")) as server:
        server.enqueue(Fault.answer(name_the_wrong_business))
        out = bench("--base-url", f"{server.url}/v1", "--only", "ceo", "--json")

    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    (row,) = data["reports"]
    assert row["status"] == "corrected" and row["calls"] == 2 and 0 < row["kept"] <= row["model_sentences"]
    assert 0 < row["summary_from_model"] <= row["summary_points"]
    assert data["server"] and list(data["server"].values())[0]["context_tokens"] == 8192
    assert any("cites no fact of" in problem for _, problem in data["caught"])
