"""Wall and CPU time per stage of a run, so a user sees where a run's time goes.

A run times its stages with one ``StageClock``: ``with clock("rendering"): ...``. A stage
timed inside another (the ledger recording a report while it is rendered) counts to the
inner stage alone, so the stages add up to the run's duration (``setup`` holds the rest:
reading the configuration and lenses, opening the ledger). CPU time is this process's;
worker processes a stage forks are not in it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

__all__ = ["STAGES", "StageClock"]

# in the order a run goes through them
STAGES = ("setup", "sources", "reader", "analyzers", "selection", "writing", "verification", "rendering",
          "recording", "delivery")


class StageClock:
    """Accumulates wall and CPU milliseconds per stage; nested stages are exclusive."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stack: list[str] = []
        self._since = (time.perf_counter(), time.process_time())

    def _charge(self) -> None:
        """Add the time since the last change to the stage running now (``setup`` outside any)."""
        now = (time.perf_counter(), time.process_time())
        stage = self._stack[-1] if self._stack else "setup"
        self.wall[stage] = self.wall.get(stage, 0.0) + now[0] - self._since[0]
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now[1] - self._since[1]
        self._since = now

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        """Time the block as ``stage``."""
        self._charge()
        self._stack.append(stage)
        try:
            yield
        finally:
            self._charge()
            self._stack.pop()

    def wall_ms(self) -> dict[str, int]:
        """Milliseconds of wall time per stage, every stage named (0 for one the run skipped)."""
        self._charge()
        return {stage: round(seconds * 1000) for stage, seconds in self.wall.items()}

    def cpu_ms(self) -> dict[str, int]:
        """Milliseconds of this process's CPU time per stage."""
        self._charge()
        return {stage: round(seconds * 1000) for stage, seconds in self.cpu.items()}
