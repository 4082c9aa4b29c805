"""The whole `execbrief run` at scale, as a user waits for it (issue 15).

    python bench/run.py --dir /tmp/run-bench [--scale 1.0] [--from WORKSPACE] [--json]

Times `execbrief run --workspace W --json` as a subprocess in five cases, one after another
on one workspace: cold (every execbrief cache and the ledger deleted), an unchanged rerun,
one note changed, one ledger row added, one repository file changed. For each it reports
the wall time, the CPU seconds of the whole process tree (the run and every worker it forked,
from ``getrusage(RUSAGE_CHILDREN)``), the peak memory of the process tree (summed PSS from
``/proc/<pid>/smaps_rollup`` of the run and its descendants, sampled by ``bench/proctree.py``; PSS
shares a page between the processes mapping it, so forked workers are not counted twice;
the summed RSS at the same moment is given beside it), the run's own wall time per stage
(``stages_ms`` of its JSON), the ledger's size after the run, and the load average.

The workspace is ``DIR/ws``: copied from ``--from`` (without its ``.execbrief``), or made by
``bench/gen_workspace.py`` at ``--scale`` times 20,000 notes, 1,000,000 ledger rows and 50
repositories of 2,000 files. Five reports are configured with outbox delivery (CEO, CTO, CFO,
CMO, accounting) if the config names none. ``--drop-page-cache`` also empties the kernel's
page cache before the cold run (root only; it slows everyone else on the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from proctree import Peak

HERE = Path(__file__).resolve().parent
EXECBRIEF = Path(sys.executable).with_name("execbrief")
REPORTS = """
[[reports]]
lens = "ceo"
to = ["ceo@example.com"]

[[reports]]
lens = "cto"
to = ["cto@example.com"]

[[reports]]
lens = "cfo"
to = ["cfo@example.com"]

[[reports]]
lens = "cmo"
to = ["cmo@example.com"]

[[reports]]
lens = "accounting"
to = ["books@example.com"]
"""


def prepare(out: Path, scale: float, source: Path | None) -> Path:
    """The benchmark workspace, made once: copied from ``source`` or generated at ``scale``."""
    ws = out / "ws"
    if not (ws / "execbrief.toml").is_file():
        shutil.rmtree(ws, ignore_errors=True)
        if source is not None:
            shutil.copytree(source, ws, ignore=shutil.ignore_patterns(".execbrief"), symlinks=True)
        else:
            repos = max(1, round(50 * scale)) if scale >= 0.02 else 0
            subprocess.run([
                sys.executable, str(HERE / "gen_workspace.py"), "--out", str(ws),
                "--notes", str(max(20, round(20_000 * scale))), "--ledger-rows", str(max(100, round(1_000_000 * scale))),
                "--repos", str(repos), "--files", str(max(20, round(2_000 * min(1.0, scale * 2)))),
            ], check=True)
    config = ws / "execbrief.toml"
    text = config.read_text(encoding="utf-8")
    if "[[reports]]" not in text:
        text = text.replace("[delivery]\n", '[delivery]\nmethod = "outbox"\nallowed_recipient_domains = ["example.com"]\n', 1)
        config.write_text(text.rstrip("\n") + "\n" + REPORTS, encoding="utf-8")
    return ws


def ledger_size(ws: Path) -> dict[str, float]:
    """The ledger file with its write-ahead log, and the pages in use, in MB."""
    path = ws / ".execbrief" / "ledger.db"
    files = sum(p.stat().st_size for p in path.parent.glob("ledger.db*") if p.is_file())
    with sqlite3.connect(path) as db:
        pages, free, size = (db.execute(f"PRAGMA {name}").fetchone()[0]
                             for name in ("page_count", "freelist_count", "page_size"))
    return {"ledger_file_mb": round(files / 1e6, 2), "ledger_used_mb": round((pages - free) * size / 1e6, 2)}


def run_once(ws: Path) -> dict:
    """One `execbrief run --json` in a subprocess, measured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen([str(EXECBRIEF), "run", "--workspace", str(ws), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = Peak(proc)  # (bench/proctree.py: summed PSS of the process tree)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    tree = peak.result()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"execbrief run failed ({proc.returncode}): {err[-2000:]}")
    data = json.loads(out)
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
        "peak_pss_mb": tree["tree_peak_pss_mb"], "rss_at_peak_mb": tree["tree_rss_at_peak_mb"],
        "processes_at_peak": tree["processes_at_peak"],
        "status": data["status"], "facts": data["facts"], "duration_ms": data["duration_ms"],
        "stages_ms": data.get("stages_ms", {}), "stages_cpu_ms": data.get("stages_cpu_ms", {}),
        "sent": sum(1 for d in data["deliveries"] if d["status"] == "sent"),
        "skipped": sum(1 for d in data["deliveries"] if d["status"] == "skipped"),
        "load_before": [round(x, 1) for x in load], **ledger_size(ws),
    }


def change_note(ws: Path) -> str:
    """Append a risk bullet to one note, as an editor would."""
    notes = sorted((ws / "notes").rglob("*.md"))
    note = notes[len(notes) // 2]
    with open(note, "a", encoding="utf-8") as handle:
        handle.write("\n- Risk: the walk-in freezer alarm tripped twice this week (high)\n")
    return str(note.relative_to(ws))


def add_ledger_row(ws: Path) -> str:
    """Append one row, like the file's last, to the last ledger file."""
    path = sorted((ws / "ledger").glob("*.csv"))[-1]
    last = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[-1].split(",")
    last[1] = "-123.45"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(",".join(last) + "\n")
    return str(path.relative_to(ws))


def change_repo_file(ws: Path) -> str | None:
    """Add a line to one text file of one repository (None when there are no repositories)."""
    repos = sorted(p for p in (ws / "repos").glob("*") if p.is_dir()) if (ws / "repos").is_dir() else []
    if not repos:
        return None
    for path in sorted(repos[len(repos) // 2].rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".ts", ".md", ".txt", ".yaml", ".json") \
                and "node_modules" not in path.parts:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("\n# one more line for the benchmark\n")
            return str(path.relative_to(ws))
    return None


def main() -> None:
    """Run the five cases and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True, help="where the benchmark workspace lives (DIR/ws)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 20,000 notes / 1M rows / 50 repos")
    parser.add_argument("--from", dest="source", type=Path, default=None, help="copy this workspace instead")
    parser.add_argument("--drop-page-cache", action="store_true", help="also empty the kernel page cache (root)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    ws = prepare(args.dir, args.scale, args.source)
    shutil.rmtree(ws / ".execbrief", ignore_errors=True)
    shutil.rmtree(ws / "outbox", ignore_errors=True)
    if args.drop_page_cache:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    results = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "workspace": str(ws),
               "cpus": os.cpu_count(), "python": sys.version.split()[0], "cases": {}}
    cases = [("cold", None), ("unchanged rerun", None), ("one note changed", change_note),
             ("one ledger row added", add_ledger_row), ("one repo file changed", change_repo_file)]
    previous = None
    for name, change in cases:
        changed = change(ws) if change else None
        if change is not None and changed is None:
            continue
        result = run_once(ws)
        result["changed"] = changed
        if previous is not None:
            result["ledger_growth_mb"] = round(result["ledger_used_mb"] - previous["ledger_used_mb"], 2)
        results["cases"][name] = previous = result
        print(json.dumps({name: result}), file=sys.stderr, flush=True)  # (each case as it ends: a stopped run keeps them)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(table(results))


def table(results: dict) -> str:
    """The results as Markdown: one row per case, then one per stage."""
    cases = results["cases"]
    lines = ["| case | wall | CPU (tree) | peak PSS (tree) | RSS summed at that peak | facts | ledger used / file | "
             "growth | sent / skipped | load before |", "|" + "---|" * 10]
    for name, r in cases.items():
        lines.append(
            f"| {name} | {r['wall_s']} s | {r['cpu_s']} s | {r['peak_pss_mb']} MB | {r['rss_at_peak_mb']} MB "
            f"({r['processes_at_peak']} proc) | {r['facts']:,} | {r['ledger_used_mb']} / {r['ledger_file_mb']} MB | "
            f"{r.get('ledger_growth_mb', '—')} MB | {r['sent']} / {r['skipped']} | {r['load_before'][0]} |")
    stages = list(next(iter(cases.values()))["stages_ms"]) if cases else []
    lines += ["", "| stage: wall / CPU s (the run's main process) | " + " | ".join(cases) + " |",
              "|---|" + "---|" * len(cases)]
    for stage in stages:
        lines.append(f"| {stage} | " + " | ".join(
            f"{r['stages_ms'].get(stage, 0) / 1000:.2f} / {r['stages_cpu_ms'].get(stage, 0) / 1000:.2f}"
            for r in cases.values()) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
