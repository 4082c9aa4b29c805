"""`execbrief preview`: a run's reports as local files with an index, served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.pipeline import run


def test_preview_without_serving_writes_each_report_and_an_index(demo_workspace):
    result = run(demo_workspace.settings(), dry_run=True)
    out = demo_workspace.root / "preview"
    cli_result = CliRunner().invoke(
        cli, ["preview", "-w", str(demo_workspace.root), "--no-serve", "--out", str(out), "--format", "md", "--json"]
    )
    assert cli_result.exit_code == 0, cli_result.output
    data = json.loads(cli_result.stdout)
    assert data["run_id"] == result.run_id
    index = (out / "index.html").read_text()
    for report in result.reports:
        assert f'href="{report.key}.html"' in index
        assert (out / f"{report.key}.html").read_text() == open(report.files["html"]).read()
        assert (out / f"{report.key}.md").read_text().startswith("# ")


def test_preview_with_no_runs_is_a_usage_error(workspace):
    result = CliRunner().invoke(cli, ["preview", "-w", str(workspace.root), "--no-serve"])
    assert result.exit_code == 2
    assert "no reports yet" in result.stderr


def test_preview_serves_the_index_on_loopback(demo_workspace):
    run(demo_workspace.settings(), dry_run=True, only=("ceo",))
    proc = subprocess.Popen(
        [sys.executable, "-m", "execbrief", "preview", "-w", str(demo_workspace.root), "--port", "0"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        url = None
        for line in proc.stderr:
            match = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", line)
            if match:
                url = match.group(1)
                break
        assert url, "the preview server did not say where it serves"
        with urllib.request.urlopen(url + "index.html", timeout=10) as response:
            assert "CEO briefing" in response.read().decode()
        with urllib.request.urlopen(url + "ceo.html", timeout=10) as response:
            assert response.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
