"""The ``execbrief`` process ends without freeing its run's facts (``gcpolicy.end_process``),
and still says everything it had to say, with the exit code it means."""

from __future__ import annotations

import json
import subprocess
import sys

from execbrief import gcpolicy


def _execbrief(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "execbrief", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)


def test_a_run_piped_prints_its_whole_summary_and_exits_0(demo_workspace):
    done = _execbrief("run", "--workspace", str(demo_workspace.root), "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)  # (the whole document: flushed before the process ended)
    assert summary["status"] == "ok"
    assert len(summary["reports"]) == 8
    assert all(r["status"] == "verified" for r in summary["reports"])


def test_exit_codes_survive_the_unfreed_exit(tmp_path):
    missing = _execbrief("run", "--workspace", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("Error: workspace") and "Traceback" not in missing.stderr
    assert _execbrief("--version").returncode == 0
    assert _execbrief("no-such-command").returncode == 2


def test_end_process_runs_exit_handlers_and_flushes(tmp_path):
    script = tmp_path / "end.py"
    script.write_text(
        "import atexit, sys\n"
        "from execbrief import gcpolicy\n"
        "atexit.register(lambda: sys.stdout.write('handler ran\\n'))\n"
        "sys.stdout.write('no newline yet')\n"
        "sys.stderr.write('said on stderr')\n"
        "gcpolicy.end_process(3)\n"
        "print('never')\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3
    assert done.stdout == "no newline yethandler ran\n"
    assert done.stderr == "said on stderr"


def test_nothing_is_kept_unless_the_entry_point_asked(monkeypatch):
    monkeypatch.setattr(gcpolicy, "_KEPT", None)
    first, second = ["a run's facts"], ["the next run's facts"]
    gcpolicy.keep_to_exit(first)
    assert gcpolicy._KEPT is None  # (tests and library callers: freed as ever)
    gcpolicy.exit_unfreed()
    gcpolicy.keep_to_exit(first)
    gcpolicy.keep_to_exit(second)
    assert gcpolicy._KEPT == [second]  # the last run's only: an earlier one's is freed as ever
