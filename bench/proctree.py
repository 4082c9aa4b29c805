"""Peak memory of a process and every process below it (Linux), for the benchmarks.

``Peak(proc)`` samples ``/proc/<pid>/smaps_rollup`` of the process and its descendants
(found through each task's ``children`` list) every ``interval`` seconds while it runs
(0.5 s: reading smaps_rollup walks the page tables, which at 1.7 GB cost the sampler ~6% of a
core at 0.1 s), and keeps the largest sum of PSS (proportional set size: a page shared by n processes
counts 1/n in each, so forked workers' shared pages count once) with the RSS sum at that
moment. Where ``/proc`` has no ``smaps_rollup`` the figures stay 0.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time

__all__ = ["Peak", "descendants", "memory"]


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            continue  # (it ended in between)
    return found


def memory(pids: list[int]) -> tuple[int, int]:
    """(summed PSS, summed RSS) in KiB over ``pids``."""
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss, rss


class Peak:
    """The peak summed PSS of ``proc``'s process tree, sampled in a thread until it ends."""

    def __init__(self, proc: subprocess.Popen, interval: float = 0.5) -> None:
        self.proc, self.interval = proc, interval
        self.pss_kib = self.rss_kib = 0
        self.processes = 1
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self.proc.poll() is None:
            pids = descendants(self.proc.pid)
            pss, rss = memory(pids)
            if pss > self.pss_kib:
                self.pss_kib, self.rss_kib, self.processes = pss, rss, len(pids)
            time.sleep(self.interval)

    def result(self) -> dict:
        """Wait for the sampling to end (the process must have ended); the peak in MB."""
        self._thread.join()
        return {"tree_peak_pss_mb": round(self.pss_kib / 1024), "tree_rss_at_peak_mb": round(self.rss_kib / 1024),
                "processes_at_peak": self.processes}
