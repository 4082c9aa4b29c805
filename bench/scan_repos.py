"""Time the repositories source and the security analyzer on a generated workspace.

    python bench/gen_repos.py --out /tmp/bench-repos --repos 50 --files 2000 [--git]
    python bench/scan_repos.py /tmp/bench-repos

Prints one JSON line: wall time of the scan and of the analyzer, files and MB per second,
peak RSS of this process, and whether every planted secret was found. The baseline
``read_only_s`` is the time to simply read the same files in Python, measured first in
the same process (which also warms the page cache for the scan that follows).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.security import analyze
from execbrief.config import load_settings
from execbrief.sources.repos import SKIP_DIRS, ReposSource


def read_only(root: Path) -> tuple[float, int, int]:
    """Seconds to walk and read every non-vendored file, the file count and the bytes."""
    started = time.monotonic()
    files = size = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                size += len(handle.read())
            files += 1
    return time.monotonic() - started, files, size


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-read baseline")
    args = parser.parse_args()
    manifest = json.loads((args.workspace / "manifest.json").read_text())
    settings = load_settings(args.workspace, environ={})

    baseline = None if args.no_baseline else read_only(args.workspace / "repos")
    started = time.monotonic()
    result = ReposSource(settings).collect()
    scan_s = time.monotonic() - started
    started = time.monotonic()
    facts = analyze(result.evidence, AnalysisContext(as_of=date(2026, 11, 27)))
    analyze_s = time.monotonic() - started

    found = Counter(ev.record["rule"] for ev in result.evidence)
    missed = {rule: n - found.get(rule, 0) for rule, n in manifest["planted"].items() if found.get(rule, 0) < n}
    extra = {rule: n - manifest["planted"].get(rule, 0) for rule, n in found.items()
             if n > manifest["planted"].get(rule, 0)}
    scanned_bytes = sum(i.size for i in result.inputs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({
        "repos": len(result.inputs),
        "text_files": manifest["text_files"],
        "scanned_mb": round(scanned_bytes / 1e6, 1),
        "scan_s": round(scan_s, 2),
        "analyze_s": round(analyze_s, 3),
        "files_per_s": round(manifest["text_files"] / scan_s),
        "mb_per_s": round(scanned_bytes / 1e6 / scan_s, 1),
        "read_only_s": round(baseline[0], 2) if baseline else None,
        "peak_rss_mb": round(peak_mb),
        "hits": sum(found.values()), "findings": len(facts), "warnings": len(result.warnings),
        "missed": missed, "unexpected": extra,
        "python": platform.python_version(), "cpus": os.cpu_count(),
    }))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
