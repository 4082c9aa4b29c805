"""The LLM writer against a real local model: the demo's eight reports, checked.

    .venv/bin/python bench/llm_local.py [--base-url http://127.0.0.1:8080/v1] [--model NAME]
                                        [--only LENS ...] [--timeout-s 1800] [--json]

or ``make llm-local`` (``LLM_LOCAL_URL`` and ``LLM_LOCAL_MODEL`` set the server and model).
Start a server first (llama.cpp's ``llama-server -m model.gguf -c 16384 --port 8080``, Ollama,
vLLM, LM Studio: anything speaking the OpenAI format). With no server reachable at the URL
it says so and exits 0, so it never fails a machine without one.

It copies the bundled demo to a temporary folder, points ``[writer] kind = "openai"`` at the
server (structured output detected, context asked, one report at a time) and runs the eight
reports (dry run: nothing is delivered). It reports the wall time; each report's status; the
share of the model's sentences (from its first answer per report, as recorded in the ledger)
that stand in the final report; and every problem the verifier and the claim checks caught
(from the repair requests and the run's warnings). Paste the table into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "execbrief" / "demo" / "workspace"


def reachable(base_url: str) -> str | None:
    """Why the server cannot be used (None when something answers HTTP there)."""
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/models", timeout=3):
            return None
    except urllib.error.HTTPError:
        return None  # a server that answers at all (a 404 for /models) is there
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def sentences(text: str) -> list[str]:
    """The sentences of a piece of prose (long enough to be a claim)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 12]


def model_sentences(answer_text: str) -> list[str]:
    """Every sentence the model wrote in one answer (summary, leads, bullets)."""
    from execbrief.writers.llm import parse_answer

    try:
        answer = parse_answer(answer_text)
    except ValueError:
        return []
    texts = [i.text for i in answer.summary]
    for section in answer.sections:
        texts += [section.lead.text] + [i.text for i in section.items]
    return [s for t in texts for s in sentences(t)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("LLM_LOCAL_URL") or "http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default=os.environ.get("LLM_LOCAL_MODEL") or "local")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--timeout-s", type=float, default=1800.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    why = reachable(args.base_url)
    if why:
        print(f"skipped: no OpenAI-compatible server at {args.base_url} ({why}); start one "
              "(llama-server, ollama serve, vllm serve) or set LLM_LOCAL_URL")
        return

    from execbrief.config import load_settings
    from execbrief.pipeline import run

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root)
        config = root / "execbrief.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            '[writer]\nkind = "offline"',
            f'[writer]\nkind = "openai"\nbase_url = "{args.base_url}"\nmodel = "{args.model}"\n'
            f"timeout_s = {args.timeout_s}\nmax_retries = 1\nconcurrency = 1\nmax_tokens_per_lens = 1000000",
        ), encoding="utf-8")
        settings = load_settings(root, environ={})
        started = time.perf_counter()
        result = run(settings, dry_run=True, only=tuple(args.only))
        wall = time.perf_counter() - started

        db = sqlite3.connect(root / ".execbrief" / "ledger.db")
        db.row_factory = sqlite3.Row
        calls = [dict(r) for r in db.execute(
            "SELECT * FROM llm_calls WHERE run_id = ? ORDER BY created_at", (result.run_id,))]
        memory_file = root / ".execbrief" / "cache" / "llm" / "servers.json"
        server = json.loads(memory_file.read_text()) if memory_file.exists() else {}

        rows, caught = [], []
        for report in result.reports:
            own = [c for c in calls if c["report_key"] == report.key]
            first = next((c for c in own if c["kind"] == "write" and c["status"] == "ok"), None)
            said = model_sentences(json.loads(first["response_json"] or "{}").get("text", "")) if first else []
            final = Path(report.files["text"]).read_text(encoding="utf-8") if report.files.get("text") else ""
            final = " ".join(final.split())
            kept = [s for s in said if " ".join(s.split()) in final]
            for call in own:
                if call["kind"] == "repair":
                    user = json.loads(call["request_json"]).get("user", "")
                    found = re.search(r"It failed verification:\n(.*?)\nAnswer again", user, re.S)
                    caught += [(report.key, line[2:]) for line in (found.group(1).splitlines() if found else [])]
            rows.append({
                "report": report.key, "status": report.status, "calls": len(own),
                "tokens_in": sum(c["tokens_in"] or 0 for c in own), "tokens_out": sum(c["tokens_out"] or 0 for c in own),
                "latency_s": round(sum(c["latency_ms"] or 0 for c in own) / 1000, 1),
                "model_sentences": len(said), "kept": len(kept),
            })
        writer_warnings = [w.message for w in result.warnings if w.source == "writer"]
        caught += [("final", m) for m in writer_warnings if "failed verification" in m]

    total = sum(r["model_sentences"] for r in rows)
    summary = {
        "base_url": args.base_url, "model": args.model, "wall_s": round(wall, 1), "server": server,
        "reports": rows, "model_sentences": total, "kept": sum(r["kept"] for r in rows),
        "kept_share": round(sum(r["kept"] for r in rows) / total, 3) if total else None, "caught": caught,
        "warnings": writer_warnings,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{args.model} at {args.base_url}: {len(rows)} reports in {wall:.0f} s; server: {server}")
    print("| report | status | calls | tokens in | tokens out | model time, s | model sentences | kept |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['report']} | {r['status']} | {r['calls']} | {r['tokens_in']} | {r['tokens_out']} | "
              f"{r['latency_s']} | {r['model_sentences']} | {r['kept']} |")
    print(f"model sentences kept: {summary['kept']} of {total} ({summary['kept_share']})")
    print("caught by the checks (repair requests, then parts replaced):")
    for key, problem in caught:
        print(f"- {key}: {problem}")
    print("writer warnings:")
    for message in writer_warnings:
        print(f"- {message}")


if __name__ == "__main__":
    sys.exit(main())
