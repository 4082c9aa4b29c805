"""Time the repositories source and the security analyzer on a generated workspace.

    python bench/gen_repos.py --out /tmp/bench-repos --repos 50 --files 2000 [--git [--commits 200]]
    python bench/scan_repos.py /tmp/bench-repos [--no-baseline] [--keep-cache] [--no-warm] [--no-history]

Prints one JSON line: wall time of the scan and of the analyzer, files and MB per second,
peak RSS of this process, and whether every planted secret was found. The baseline
``read_only_s`` is the time to simply read the same files in Python, measured first in
the same process (which also warms the page cache for the scan that follows).

The first scan is cold: the workspace's repos cache (``.execbrief/cache/repos``) is deleted
before it (``--keep-cache`` keeps it). A second, warm scan of the unchanged tree then runs
in a fresh process (``--no-warm`` skips it) and reports under ``warm``: its wall and CPU
seconds, peak RSS, whether its evidence, inputs and warnings equal the cold scan's, and
``walk_s``, the floor no rerun can beat: listing every folder and stat-ing every file.
CPU seconds are ``time.process_time()``: all threads of the process, not git's children.

For git repositories the scan includes their history (every commit's added lines, cached
by commit id); ``--no-history`` turns it off (``[sources.repos] history = false``), so two
invocations give its cost. ``history`` in the output counts the commits and the secrets
found only in the history against what ``bench/gen_repos.py --commits`` planted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.security import analyze
from execbrief.config import load_settings
from execbrief.sources.repocache import cache_folder
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


def walk_only(root: Path) -> tuple[float, float]:
    """Wall and CPU seconds to list every non-vendored folder and stat every file in it."""
    started, cpu = time.monotonic(), time.process_time()
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in SKIP_DIRS:
                        stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    entry.stat(follow_symlinks=False)
    return time.monotonic() - started, time.process_time() - cpu


def result_digest(result) -> str:
    """One hash over the evidence, inputs and warnings, to compare a warm scan with a cold one."""
    lines = [json.dumps(ev.model_dump(mode="json"), sort_keys=True) for ev in result.evidence]
    lines += [json.dumps(vars(i), sort_keys=True) for i in result.inputs]
    lines += [json.dumps(w.model_dump(mode="json"), sort_keys=True) for w in result.warnings]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def settings_for(workspace: Path, history: bool):
    """The workspace's settings, with the history scan on or off."""
    settings = load_settings(workspace, environ={})
    repos = settings.sources.repos.model_copy(update={"history": history})
    return settings.model_copy(update={"sources": settings.sources.model_copy(update={"repos": repos})})


def warm(workspace: Path, history: bool) -> None:
    """The warm scan, in its own process: print its figures as JSON."""
    settings = settings_for(workspace, history)
    started, cpu = time.monotonic(), time.process_time()
    result = ReposSource(settings).collect()
    scan_s, scan_cpu_s = time.monotonic() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    walk_s, walk_cpu_s = walk_only(workspace / "repos")
    print(json.dumps({
        "scan_s": round(scan_s, 2), "scan_cpu_s": round(scan_cpu_s, 2), "peak_rss_mb": round(peak_mb),
        "walk_s": round(walk_s, 2), "walk_cpu_s": round(walk_cpu_s, 2), "digest": result_digest(result),
    }))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain-read baseline")
    parser.add_argument("--keep-cache", action="store_true", help="do not delete the repos cache first")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm rescan in a fresh process")
    parser.add_argument("--no-history", action="store_true", help="do not scan the git history")
    parser.add_argument("--warm-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.warm_only:
        warm(args.workspace, not args.no_history)
        return
    manifest = json.loads((args.workspace / "manifest.json").read_text())
    settings = settings_for(args.workspace, not args.no_history)

    baseline = None if args.no_baseline else read_only(args.workspace / "repos")
    if not args.keep_cache:
        shutil.rmtree(cache_folder(settings.workspace), ignore_errors=True)
    started, cpu = time.monotonic(), time.process_time()
    result = ReposSource(settings).collect()
    scan_s, scan_cpu_s = time.monotonic() - started, time.process_time() - cpu
    started = time.monotonic()
    facts = analyze(result.evidence, AnalysisContext(as_of=date(2026, 11, 27)))
    analyze_s = time.monotonic() - started

    found = Counter(ev.record["rule"] for ev in result.evidence if not ev.record.get("history"))
    missed = {rule: n - found.get(rule, 0) for rule, n in manifest["planted"].items() if found.get(rule, 0) < n}
    extra = {rule: n - manifest["planted"].get(rule, 0) for rule, n in found.items()
             if n > manifest["planted"].get(rule, 0)}
    past = Counter(ev.record["rule"] for ev in result.evidence if ev.record.get("history"))
    planted_past = {} if args.no_history else manifest.get("history_planted", {})
    if past != Counter(planted_past):
        missed["history"] = {"planted": planted_past, "found": dict(past)}
    scanned_bytes = sum(i.size for i in result.inputs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    rescan = None
    if not args.no_warm:
        child = subprocess.run([sys.executable, __file__, str(args.workspace), "--warm-only",
                                *(["--no-history"] if args.no_history else [])],
                               check=True, capture_output=True, text=True)
        rescan = json.loads(child.stdout)
        rescan["same_result"] = rescan.pop("digest") == result_digest(result)
    print(json.dumps({
        "repos": len(result.inputs),
        "text_files": manifest["text_files"],
        "scanned_mb": round(scanned_bytes / 1e6, 1),
        "scan_s": round(scan_s, 2),
        "scan_cpu_s": round(scan_cpu_s, 2),
        "analyze_s": round(analyze_s, 3),
        "files_per_s": round(manifest["text_files"] / scan_s),
        "mb_per_s": round(scanned_bytes / 1e6 / scan_s, 1),
        "read_only_s": round(baseline[0], 2) if baseline else None,
        "peak_rss_mb": round(peak_mb),
        "hits": sum(found.values()), "findings": len(facts), "warnings": len(result.warnings),
        "history": None if args.no_history else {"commits": manifest.get("commits", 0), "hits": dict(past)},
        "missed": missed, "unexpected": extra, "warm": rescan,
        "python": platform.python_version(), "cpus": os.cpu_count(),
    }))
    sys.exit(1 if missed or (rescan and not rescan["same_result"]) else 0)


if __name__ == "__main__":
    main()
