"""Where a run's time goes: each stage's wall and CPU time in `run --json` and `history`."""

from __future__ import annotations

import json
import time

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.stageclock import STAGES, StageClock


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_run_json_gives_every_stage_wall_and_cpu_time_adding_up_to_the_run(demo_workspace):
    result = invoke("run", "--workspace", str(demo_workspace.root), "--json")
    data = json.loads(result.stdout)
    assert list(data["stages_ms"]) == list(STAGES) and list(data["stages_cpu_ms"]) == list(STAGES)
    assert all(isinstance(ms, int) and ms >= 0 for ms in data["stages_ms"].values())
    # the demo reads, analyses, selects, writes, renders and delivers: each of those took time
    for stage in ("sources", "analyzers", "selection", "writing", "rendering", "recording", "delivery"):
        assert data["stages_ms"][stage] > 0, stage
    # nested stages count once: the stages share out the run's duration, not more
    assert sum(data["stages_ms"].values()) <= data["duration_ms"] + len(STAGES) + 5


def test_history_shows_each_stage_of_a_run(demo_workspace):
    run = json.loads(invoke("run", "--workspace", str(demo_workspace.root), "--json", "--dry-run").stdout)
    runs = json.loads(invoke("history", "--workspace", str(demo_workspace.root), "--json").stdout)
    assert runs[0]["summary"]["stages_ms"] == run["stages_ms"]
    human = invoke("history", "--workspace", str(demo_workspace.root)).stdout
    line = next(line for line in human.splitlines() if line.strip().startswith("took "))
    assert "sources" in line and "rendering" in line and "delivery" not in line  # (a dry run delivers nothing)


def test_a_stage_inside_another_counts_to_the_inner_stage_alone():
    clock = StageClock()
    with clock("rendering"):
        with clock("recording"):
            time.sleep(0.2)
    wall = clock.wall
    assert wall["recording"] >= 0.2 and wall["rendering"] < 0.2
    assert set(clock.cpu_ms()) == set(STAGES)
