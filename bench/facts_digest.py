"""Print the fact base of a workspace as a digest: for checking that a change keeps every fact.

    python bench/facts_digest.py WORKSPACE [--by-analyzer] [--dump FILE] [--incremental]

Runs every enabled source and every analyzer as ``bench/ingest.py`` does, then hashes the
facts dumped to canonical JSON (sorted by id). Two trees that give the same digest on the
same workspace produced the same facts, field for field. ``--by-analyzer`` prints a digest
per analyzer, to find which one differs; ``--dump`` writes the facts as JSON lines.
``--incremental`` collects and analyses as a run does (sources read together, the
incremental runner with its memo and worker processes): its digest must equal the plain
one, cold and warm.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import date
from pathlib import Path


def main() -> None:
    """Collect, analyze, print the digests as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--by-analyzer", action="store_true")
    parser.add_argument("--dump", type=Path)
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args()

    from execbrief.analyzers import analyze
    from execbrief.config import load_settings
    from execbrief.lenses import load_lenses
    from execbrief.pipeline import analysis_context, plan_reports
    from execbrief.registry import registry

    settings = load_settings(args.workspace.resolve(), environ={})
    plans = plan_reports(settings, load_lenses(settings.workspace))
    context = analysis_context(settings, plans, settings.run.as_of or date.today())
    if args.incremental:
        from execbrief.incremental import analyze_incremental, bulk_allocation
        from execbrief.pipeline import analysis_cache, collect_sources, settings_digest

        with bulk_allocation():
            results = collect_sources(settings, lambda event, data: None)[0]
            facts, failures, _ = analyze_incremental(results, context, cache=analysis_cache(settings),
                                                     settings_digest=settings_digest(settings))
    else:
        evidence = []
        for name in settings.sources.enabled():
            evidence += registry.get("sources", name)(settings).collect().evidence
        facts, failures = analyze(evidence, context)
    lines = [json.dumps(f.model_dump(mode="json"), sort_keys=True) for f in facts]
    out = {"facts": len(facts), "failures": failures,
           "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest()}
    if args.by_analyzer:
        groups: dict[str, list[str]] = {}
        for fact, line in zip(facts, lines):
            groups.setdefault(fact.name, []).append(line)
        out["by_name"] = {k: [len(v), hashlib.sha256("\n".join(v).encode()).hexdigest()[:16]]
                          for k, v in sorted(groups.items())}
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
