"""`execbrief schedule install`: systemd, cron and launchd timers that call `run --due`."""

from __future__ import annotations

import os
import plistlib
import shutil
import stat
import subprocess

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.timers import merge_crontab


def install(workspace, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["schedule", "install", "-w", str(workspace.root), *args], env=env)


def test_systemd_units_are_printed_and_written_for_the_users_manager(workspace, tmp_path):
    printed = install(workspace, "--systemd")
    assert printed.exit_code == 0, printed.output
    assert f"run --due --workspace {workspace.root}" in printed.output
    assert "OnCalendar=*:0/15" in printed.output and "Persistent=true" in printed.output
    assert not (tmp_path / "config").exists()
    written = install(workspace, "--systemd", "--every", "5", "--write",
                      env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert written.exit_code == 0, written.output
    folder = tmp_path / "config" / "systemd" / "user"
    units = sorted(p.name for p in folder.iterdir())
    assert [u.rsplit(".", 1)[1] for u in units] == ["service", "timer"]
    assert units[0].startswith("execbrief-ws-")
    timer = (folder / units[1]).read_text()
    assert "OnCalendar=*:0/5" in timer and f"Unit={units[0]}" in timer
    assert f"systemctl --user enable --now {units[1]}" in written.output
    service = (folder / units[0]).read_text()
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert os.path.isabs(exec_start.removeprefix("ExecStart=").split()[0])
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed: the units were not verified")
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no", *(str(folder / u) for u in units)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_cron_line_is_printed_and_replaces_its_own_entry_in_the_crontab(workspace, tmp_path):
    printed = install(workspace, "--cron", "--every", "30")
    assert printed.exit_code == 0
    assert "*/30 * * * * " in printed.output and "run --due --workspace" in printed.output
    # a stand-in for the system's crontab command, keeping the table in a file
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    table = tmp_path / "table"
    script = bin_dir / "crontab"
    script.write_text(f"#!/bin/sh\nif [ \"$1\" = -l ]; then cat {table} 2>/dev/null || exit 1; "
                      f"else cat > {table}; fi\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    table.write_text("MAILTO=me@example.com\n0 3 * * * backup\n")
    for every in ("15", "10"):
        assert install(workspace, "--cron", "--every", every, "--write", env=env).exit_code == 0
    lines = table.read_text().splitlines()
    assert lines[:2] == ["MAILTO=me@example.com", "0 3 * * * backup"]
    assert len(lines) == 4 and lines[3].startswith("*/10 * * * * ")


def test_merge_crontab_starts_a_missing_table_and_keeps_other_workspaces(tmp_path):
    first = merge_crontab("", tmp_path / "a", 15)
    both = merge_crontab(first, tmp_path / "b", 15)
    assert both.count("run --due --workspace") == 2
    assert merge_crontab(both, tmp_path / "a", 60).count("run --due --workspace") == 2


def test_launchd_agent_runs_every_interval_and_at_login(workspace, tmp_path):
    result = install(workspace, "--launchd", "--write", env={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    (plist,) = (tmp_path / "Library" / "LaunchAgents").iterdir()
    agent = plistlib.loads(plist.read_bytes())
    assert agent["StartInterval"] == 900 and agent["RunAtLoad"] is True
    assert agent["ProgramArguments"][-4:] == ["run", "--due", "--workspace", str(workspace.root)]
    assert "launchctl bootstrap" in result.output


def test_install_needs_a_timer_kind_and_a_valid_workspace(workspace):
    assert install(workspace).exit_code == 2
    workspace.write("execbrief.toml", "[organization]\nname = 'x'\n")
    refused = install(workspace, "--cron")
    assert refused.exit_code == 2 and "delivery" in refused.output
