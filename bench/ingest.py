"""Time sources + analyzers on a generated workspace, cold and with one note changed.

    python bench/gen_workspace.py --out /tmp/bench-ws --notes 20000 --ledger-rows 1000000 --repos 50
    python bench/ingest.py /tmp/bench-ws [--llama-python /tmp/llama-venv/bin/python]

Every measurement runs in a fresh process, so each peak RSS is its own; the parent runs them
in this order and prints one JSON document:

1. ``read``: walk the notes folder and read and decode every file (the floor: no parsing);
2. ``llama``: LlamaIndex's ``SimpleDirectoryReader`` on the same folder, when
   ``--llama-python`` names an interpreter with ``llama-index-core`` installed (kept out of
   execbrief's own dependencies on purpose);
3. ``notes_cold``: the notes source alone, its cache emptied first;
4. ``full_cold``: every enabled source, then every analyzer, all caches emptied;
5. ``full_unchanged``: the same again, nothing changed (caches and the analyzers' memo in place);
6. one note is changed (a line appended), then ``full_warm`` and ``notes_warm``: the same
   with the content-hash cache in place;
7. ``notes_parts``: the notes source as a run reads it (``collect_parts``: unchanged notes
   not read, their items not built).

Each result has wall seconds, CPU seconds of the process (the machine may be shared: CPU
time is what the work itself cost), its peak RSS in MB, its workers' CPU seconds, the peak
summed PSS of its whole process tree (``tree_peak_pss_mb``, sampled every 0.5 s: workers'
pages shared with the main process count once) and the load average before it.

``--child MODE`` runs one measurement in this process and prints it (``full_cold``,
``full_warm``, ``notes_cold``, ``notes_warm``, ``parts``, ``read``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from proctree import Peak  # noqa: E402  (bench/ is not a package)

LLAMA = """
import json, resource, sys, time
from llama_index.core import SimpleDirectoryReader
started, cpu = time.perf_counter(), time.process_time()
docs = SimpleDirectoryReader(sys.argv[1], recursive=True, required_exts=[".md"]).load_data()
print(json.dumps({"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
                  "documents": len(docs), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _children() -> dict:
    """CPU seconds and the largest peak RSS of worker processes (the notes parser forks some)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"workers_cpu_s": usage.ru_utime + usage.ru_stime, "worker_peak_rss_mb": usage.ru_maxrss / 1024}


def _clear(workspace: Path, names: tuple[str, ...]) -> None:
    for name in names:
        shutil.rmtree(workspace / ".execbrief" / "cache" / name, ignore_errors=True)


def child_read(workspace: Path) -> dict:
    """Read and decode every note: the cost of touching the bytes at all."""
    started, cpu, size, files = time.perf_counter(), time.process_time(), 0, 0
    for folder, _, names in os.walk(workspace / "notes"):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as handle:
                    size += len(handle.read().decode("utf-8"))
                files += 1
    return {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu, "files": files,
            "mb": size / 1e6, "peak_rss_mb": _peak()}


def child_parts(workspace: Path) -> dict:
    """The notes source as a run reads it: unchanged notes skipped by content hash, items left unbuilt."""
    from execbrief.config import load_settings
    from execbrief.sources.notes import NotesSource

    settings = load_settings(workspace, environ={})
    started, cpu = time.perf_counter(), time.process_time()
    result = NotesSource(settings).collect_parts()
    return {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
            "files": len(result.inputs), "parts": len(result.parts), "peak_rss_mb": _peak()}


def child_notes(workspace: Path, cold: bool) -> dict:
    """The notes source alone."""
    from execbrief.config import load_settings
    from execbrief.sources.notes import NotesSource

    settings = load_settings(workspace, environ={})
    if cold:
        _clear(workspace, ("notes",))
    started, cpu = time.perf_counter(), time.process_time()
    source = NotesSource(settings)
    result = source.collect()
    return {"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu,
            "files": len(result.inputs), "evidence": len(result.evidence), "warnings": len(result.warnings),
            "workers": source.workers, "peak_rss_mb": _peak(), **_children()}


def child_full(workspace: Path, cold: bool) -> dict:
    """Every enabled source, then every analyzer, as a run does them (incremental runner included)."""
    from execbrief.config import load_settings
    from execbrief.incremental import analyze_incremental, bulk_allocation
    from execbrief.lenses import load_lenses
    from execbrief.pipeline import analysis_cache, analysis_context, collect_sources, plan_reports, settings_digest

    settings = load_settings(workspace, environ={})
    if cold:
        shutil.rmtree(workspace / ".execbrief" / "cache", ignore_errors=True)
    plans = plan_reports(settings, load_lenses(settings.workspace))
    out: dict = {}
    started, cpu = time.perf_counter(), time.process_time()
    with bulk_allocation():  # as pipeline.run does
        results, _, _, source_failures = collect_sources(settings, lambda event, data: None)
        out["source_failures"] = source_failures
        out["sources"] = [{"inputs": len(r.inputs), "evidence": len(r.evidence), "parts": len(r.parts),
                           "warnings": len(r.warnings)} for r in results]
        out["sources_wall_s"] = time.perf_counter() - started
        t, c = time.perf_counter(), time.process_time()
        context = analysis_context(settings, plans, settings.run.as_of or date.today())
        facts, failures, stats = analyze_incremental(results, context, cache=analysis_cache(settings),
                                                     settings_digest=settings_digest(settings))
    out["analyze"] = {"wall_s": time.perf_counter() - t, "cpu_s": time.process_time() - c, "facts": len(facts),
                      "failures": failures, "reused": stats.reused, "computed": stats.computed,
                      "notes_reused": stats.notes_reused, "notes_built": stats.notes_built,
                      "seconds": {k: round(v, 3) for k, v in stats.seconds.items()}}
    out.update(wall_s=time.perf_counter() - started, cpu_s=time.process_time() - cpu,
               evidence=sum(len(r.evidence) for r in results), peak_rss_mb=_peak(), **_children())
    return out


def run_child(mode: str, workspace: Path) -> dict:
    """One measurement in a fresh process, with the peak PSS of its process tree (workers too)
    and the load average before it (the machine may be shared)."""
    load = os.getloadavg()
    proc = subprocess.Popen([sys.executable, __file__, str(workspace), "--child", mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = Peak(proc)
    out, err = proc.communicate()
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"}
    return {**json.loads(out), **peak.result(), "load_before": [round(x, 1) for x in load]}


def run_llama(python: str, workspace: Path) -> dict:
    done = subprocess.run([python, "-c", LLAMA, str(workspace / "notes")], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    out = json.loads(done.stdout)
    version = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('llama-index-core'))"],
                             capture_output=True, text=True, check=False).stdout.strip()
    out["llama_index_core"] = version
    return out


def change_one_note(workspace: Path) -> str:
    """Append a dated line to one note, as an editor would."""
    note = sorted((workspace / "notes").rglob("*.md"))[len(list((workspace / "notes").rglob("*.md"))) // 2]
    with open(note, "a", encoding="utf-8") as handle:
        handle.write(f"\n{date.today().isoformat()}: one more line for the warm run\n")
    return str(note.relative_to(workspace))


def main() -> None:
    """Run every measurement and print the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--llama-python", help="a Python with llama-index-core installed, for the comparison")
    parser.add_argument("--full-only", action="store_true",
                        help="only the whole ingest: cold, unchanged, one note changed (steps 4-6)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    ws = args.workspace.resolve()
    if args.child:
        kind, _, state = args.child.partition("_")
        result = {"read": lambda: child_read(ws), "notes": lambda: child_notes(ws, state == "cold"),
                  "parts": lambda: child_parts(ws),
                  "full": lambda: child_full(ws, state == "cold")}[kind]()
        print(json.dumps(result))
        return
    results: dict = {"workspace": str(ws), "date": date.today().isoformat(), "python": platform.python_version(),
                     "cpus": os.cpu_count(), "machine": platform.machine(),
                     "manifest": json.loads((ws / "manifest.json").read_text())}
    if not args.full_only:
        results["read"] = run_child("read", ws)
        if args.llama_python:
            results["llama"] = run_llama(args.llama_python, ws)
        results["notes_cold"] = run_child("notes_cold", ws)
    results["full_cold"] = run_child("full_cold", ws)
    results["full_unchanged"] = run_child("full_warm", ws)
    results["changed"] = change_one_note(ws)
    results["full_warm"] = run_child("full_warm", ws)
    if args.full_only:
        print(json.dumps(results, indent=2, default=lambda v: round(v, 3) if isinstance(v, float) else str(v)))
        return
    results["notes_warm"] = run_child("notes_warm", ws)
    results["notes_parts"] = run_child("parts", ws)
    mb = results["read"].get("mb", 0)
    rates = {}
    for key in ("read", "llama", "notes_cold", "notes_warm", "notes_parts"):
        if "wall_s" in results.get(key, {}):
            rates[key] = {"mb_per_s": round(mb / results[key]["wall_s"], 1),
                          "notes_per_s": round(results["read"]["files"] / results[key]["wall_s"])}
    results["rates"] = rates
    print(json.dumps(results, indent=2, default=lambda v: round(v, 3) if isinstance(v, float) else str(v)))


if __name__ == "__main__":
    main()
