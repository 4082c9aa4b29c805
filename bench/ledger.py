"""Time the ledger path: the ledger source, then the finance and books analyzers.

    python bench/gen_workspace.py --out /tmp/ledger-ws --notes 20 --ledger-rows 1000000 --repos 0
    python bench/ledger.py /tmp/ledger-ws

Two cases, each in a fresh process so each peak RSS is its own: ``cold`` (the ledger parse
cache emptied first) and ``warm`` (the cache the cold run wrote). Each reports CPU and wall
seconds of the source and of the analyzers, the process's RSS after imports (``base_mb``),
its peak RSS, and the peak beyond that baseline. One JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from datetime import date
from execbrief.analyzers import AnalysisContext, books, finance
from execbrief.config import load_settings
from execbrief.sources.ledger import LedgerSource

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

settings = load_settings(sys.argv[1], environ={})
ctx = AnalysisContext(as_of=settings.run.as_of or date.today(), currency=settings.organization.currency,
                      entities={e.id: (e.name, e.kind) for e in settings.entities})
base = rss_mb()
wall, cpu = time.perf_counter(), time.process_time()
result = LedgerSource(settings).collect()
source = (time.perf_counter() - wall, time.process_time() - cpu)
wall, cpu = time.perf_counter(), time.process_time()
facts = finance.analyze(result.evidence, ctx) + books.analyze(result.evidence, ctx)
analyze = (time.perf_counter() - wall, time.process_time() - cpu)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({
    "source_cpu_s": round(source[1], 2), "source_wall_s": round(source[0], 2),
    "analyze_cpu_s": round(analyze[1], 2), "analyze_wall_s": round(analyze[0], 2),
    "base_mb": round(base), "peak_mb": round(peak), "peak_beyond_base_mb": round(peak - base),
    "evidence": len(result.evidence), "warnings": len(result.warnings), "facts": len(facts),
}))
"""


def main() -> None:
    """Run the cold and the warm case, print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--case", choices=("cold", "warm", "both"), default="both")
    args = parser.parse_args()
    out = {}
    for case in ("cold", "warm") if args.case == "both" else (args.case,):
        if case == "cold":
            shutil.rmtree(args.workspace / ".execbrief" / "cache" / "ledger", ignore_errors=True)
        started = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", CHILD, str(args.workspace)],
                               capture_output=True, text=True, check=True)
        out[case] = json.loads(child.stdout) | {"process_wall_s": round(time.perf_counter() - started, 2)}
    out["max_rss_children_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
