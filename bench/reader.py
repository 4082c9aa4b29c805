"""The LLM reader's cost to a run: sources + reader + analyzers, against the rules alone.

    python bench/gen_workspace.py --out /tmp/reader-ws --notes 2000 --ledger-rows 10000 --repos 0
    .venv/bin/python bench/reader.py /tmp/reader-ws [--json]

The reader (real openai SDK) talks to the test suite's local server (tests/llm_server.py),
whose labeller labels every item (a valid label each, so every note's evidence carries
labels the analyzers apply). In one process, in this order, each step timed (wall and CPU):

1. ``rules cold``: every cache emptied, ``[reader] kind = "rules"``;
2. ``rules warm``: nothing changed;
3. ``llm cold``: the analysis cache emptied, no labels kept: every note is read by the model;
4. ``llm warm``: nothing changed: every note's labels come from the label cache, no call;
5. ``llm one note``: one note changed (a line appended): one call.

For each, the reader's own time (``reader_s``), calls made, and what the incremental runner
reused (``notes_reused``) and built.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local server the tests use

from llm_server import LLMServer  # noqa: E402
from reader_labellers import prompt_items  # noqa: E402


def label_all(system: str, user: str) -> dict:
    """A valid label for every item: a note, about operations."""
    return {"labels": [{"id": i.ref, "quote": i.text[:40], "entity": None, "topics": ["operations"],
                        "kind": "note", "severity": None, "due": None} for i in prompt_items(user)]}


def step(settings, server: LLMServer) -> dict:
    from execbrief.incremental import analyze_incremental, bulk_allocation
    from execbrief.lenses import load_lenses
    from execbrief.pipeline import analysis_cache, analysis_context, collect_sources, plan_reports, settings_digest
    from execbrief.reader import get_reader

    plans = plan_reports(settings, load_lenses(settings.workspace))
    calls = len(server.model_calls)
    started, cpu = time.perf_counter(), time.process_time()
    with bulk_allocation():
        results, _, _, _ = collect_sources(settings, lambda event, data: None)
        sources_s = time.perf_counter() - started
        context = analysis_context(settings, plans, settings.run.as_of or date.today())
        t = time.perf_counter()
        reading = get_reader(settings).read(results, context.vocabulary)
        reader_s = time.perf_counter() - t
        t = time.perf_counter()
        facts, failures, stats = analyze_incremental(reading.results, context, cache=analysis_cache(settings),
                                                     settings_digest=settings_digest(settings))
    return {"wall_s": round(time.perf_counter() - started, 2), "cpu_s": round(time.process_time() - cpu, 2),
            "sources_s": round(sources_s, 2), "reader_s": round(reader_s, 2),
            "analyze_s": round(time.perf_counter() - t, 2), "calls": len(server.model_calls) - calls,
            "facts": len(facts), "notes_reused": stats.notes_reused, "notes_built": stats.notes_built,
            "labelled_items": reading.stats.get("labelled items", 0), "failures": failures}


def main() -> None:
    from execbrief.config import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ws = args.workspace.resolve()
    out: dict = {"machine": f"{platform.machine()}, Python {platform.python_version()}", "date": date.today().isoformat()}
    with LLMServer(answer=label_all) as server:
        rules = load_settings(ws, environ={})
        llm = rules.model_copy(update={
            "reader": rules.reader.model_copy(update={"kind": "llm", "provider": "openai", "base_url": server.url + "/v1",
                                                      "max_cost_usd": None}),
            "env": {**rules.env, "OPENAI_API_KEY": "sk-bench-local-000000000000"}})
        shutil.rmtree(ws / ".execbrief" / "cache", ignore_errors=True)
        out["rules cold"] = step(rules, server)
        out["rules warm"] = step(rules, server)
        (ws / ".execbrief" / "cache" / "analysis.sqlite").unlink(missing_ok=True)
        out["llm cold"] = step(llm, server)
        out["llm warm"] = step(llm, server)
        note = sorted((ws / "notes").rglob("*.md"))[0]
        note.write_text(note.read_text("utf-8") + "\n- One more line for the benchmark.\n", "utf-8")
        out["llm one note"] = step(llm, server)
        out["tokens"] = {"input": sum(c["usage"]["total_in"] for c in server.model_calls),
                         "output": sum(c["usage"]["output"] for c in server.model_calls)}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    for name, result in out.items():
        print(f"{name}: {result}")


if __name__ == "__main__":
    main()
