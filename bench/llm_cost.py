"""LLM writer benchmark: billed input tokens and wall time for the demo's eight reports.

    .venv/bin/python bench/llm_cost.py [--latency-ms-per-token 2] [--kind anthropic] [--json]

Runs the real LLM writer (real anthropic/openai SDK) against the test suite's local server,
which simulates a fixed latency per output token and the provider's prompt caching
(Anthropic: the prefix marked with cache_control, billed at 1.25x to write and 0.1x to read).
Compares with the naive design: every report gets all the facts, no caching, one call after
another. Then writes each report alone to find the slowest single report, and reruns the
eight with nothing changed to count the calls it makes (it should make none).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local server and helpers the tests use

from llm_helpers import configure, settings_for, views_for  # noqa: E402
from llm_server import LLMServer, tokens  # noqa: E402

from execbrief.writers import get_writer  # noqa: E402
from execbrief.writers.prompts import RULES, _fact_line, report_schema  # noqa: E402

DEMO = ROOT / "src" / "execbrief" / "demo" / "workspace"


class _Ws:
    def __init__(self, root: Path) -> None:
        self.root = root


def _fresh(tmp: Path, name: str, concurrency: int) -> _Ws:
    root = tmp / name
    shutil.copytree(DEMO, root)
    ws = _Ws(root)
    configure(ws, concurrency=concurrency)
    return ws


def _billed(calls: list[dict], prices) -> dict:
    # cache writes and reads weighted by the provider's list prices relative to plain input
    w_in, w_write, w_read = 1, float(prices.cache_write / prices.input), float(prices.cache_read / prices.input)
    raw = sum(c["usage"]["input"] + c["usage"]["cache_write"] + c["usage"]["cache_read"] for c in calls)
    billed = sum(w_in * c["usage"]["input"] + w_write * c["usage"]["cache_write"] + w_read * c["usage"]["cache_read"]
                 for c in calls)
    return {"calls": len(calls), "input_tokens": raw, "billed_input_tokens": round(billed),
            "output_tokens": sum(c["usage"]["output"] for c in calls)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms-per-token", type=float, default=2.0)
    parser.add_argument("--kind", choices=["anthropic", "openai"], default="anthropic")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    latency = args.latency_ms_per_token / 1000

    with tempfile.TemporaryDirectory() as tmp_name, LLMServer(latency_per_token_s=latency) as server:
        tmp = Path(tmp_name)
        ws = _fresh(tmp, "all", concurrency=8)
        settings = settings_for(ws, args.kind, server)
        views, facts = views_for(settings, only=())

        # the naive design: every report gets every fact, no cache, one call after another
        everything = "\n".join(_fact_line(facts[i], f"F{n}") for n, i in enumerate(sorted(facts), 1))
        schema = tokens(json.dumps(report_schema()))
        writer = get_writer(settings)
        naive_prompts = []
        from execbrief.writers.prompts import PromptBuilder

        builder = PromptBuilder(views, tmp / "nonce")
        for view in views:
            user = builder.prompt(view).user
            system = RULES.format(organization=view.organization, period=view.period, as_of=view.as_of,
                                  entities="", facts=everything, nonce="0" * 16)
            naive_prompts.append(schema + tokens(system) + tokens(user))
        naive_input = sum(naive_prompts)

        started = time.perf_counter()
        reports = writer.write_many(views)
        wall = time.perf_counter() - started
        first = _billed(server.model_calls, writer.provider.prices)
        statuses = sorted({r.status for r in reports})

        before = len(server.model_calls)
        rerun_started = time.perf_counter()
        get_writer(settings_for(ws, args.kind, server)).write_many(views)
        rerun_calls = len(server.model_calls) - before
        rerun_wall = time.perf_counter() - rerun_started

        singles = {}
        for n, view in enumerate(views):
            single_ws = _fresh(tmp, f"single-{n}", concurrency=1)
            single_settings = settings_for(single_ws, args.kind, server)
            one = views_for(single_settings, only=(view.lens.id,))[0]
            t = time.perf_counter()
            get_writer(single_settings).write_many([v for v in one if v.key == view.key])
            singles[view.key] = time.perf_counter() - t
        slowest = max(singles.values())

    result = {
        "kind": args.kind, "model": writer.provider.model, "reports": len(views), "facts": len(facts), "statuses": statuses,
        "latency_ms_per_output_token": args.latency_ms_per_token,
        "naive_input_tokens": naive_input, **first,
        "billed_vs_naive": round(first["billed_input_tokens"] / naive_input, 3),
        "wall_s": round(wall, 2), "slowest_single_s": round(slowest, 2),
        "naive_sequential_s": round(sum(singles.values()), 2),
        "wall_vs_slowest": round(wall / slowest, 2),
        "rerun_calls": rerun_calls, "rerun_wall_s": round(rerun_wall, 2),
        "singles_s": {k: round(v, 2) for k, v in singles.items()},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['reports']} reports, {result['facts']} facts, {args.kind} ({result['model']} prices), "
          f"{args.latency_ms_per_token} ms per output token; statuses {', '.join(statuses)}")
    print(f"billed input tokens: {first['billed_input_tokens']:,} (raw {first['input_tokens']:,} in "
          f"{first['calls']} calls) vs naive {naive_input:,} = {result['billed_vs_naive']:.1%}")
    print(f"wall time: {wall:.2f} s for all eight vs slowest single report {slowest:.2f} s "
          f"= {result['wall_vs_slowest']}x (naive sequential {result['naive_sequential_s']} s)")
    print(f"rerun with no input change: {rerun_calls} calls, {rerun_wall:.2f} s")


if __name__ == "__main__":
    main()
