"""Time `execbrief alerts check` on an unchanged workspace (what a timer does every 15 minutes).

    python bench/alerts_check.py WORKSPACE [--repeat 5]

The workspace is copied to a temporary folder, given an ``[[alerts]]`` rule (critical
findings) if it has none, and delivered to the outbox. The first check analyses everything
and sends the alerts; each later check is timed twice: in this process
(``check_alerts``, what ``run --due`` spends on alerts) and as a whole command in a new
process (``execbrief alerts check``: interpreter start, imports, configuration included).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timezone
from pathlib import Path

from execbrief.alerts import check_alerts
from execbrief.config import load_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(args.workspace, root, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
        config = root / "execbrief.toml"
        text = config.read_text()
        if not tomllib.loads(text).get("alerts"):
            config.write_text(text + '\n[[alerts]]\nmin_severity = "critical"\n')
        settings = load_settings(root, environ={})
        now = datetime.now(timezone.utc)
        started = time.perf_counter()
        first = check_alerts(settings, now=now)
        cold = time.perf_counter() - started
        print(f"first check: {cold:.2f} s, {first.facts} facts, {first.matched} matching, "
              f"{len(first.alerts)} alerts sent, analyzers computed: {len(first.computed)}")
        inside, whole = [], []
        command = [str(Path(sys.executable).parent / "execbrief"), "alerts", "check", "-w", str(root)]
        for _ in range(args.repeat):
            started = time.perf_counter()
            again = check_alerts(load_settings(root, environ={}), now=now)
            inside.append(time.perf_counter() - started)
            assert not again.alerts and not again.computed, "an unchanged workspace sent or computed something"
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            whole.append(time.perf_counter() - started)
        for name, times in (("check_alerts (in process)", inside), ("execbrief alerts check (new process)", whole)):
            print(f"{name}: median {statistics.median(times) * 1000:.0f} ms, "
                  f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {len(times)}")


if __name__ == "__main__":
    main()
