"""System timers that call ``execbrief run --due``: a systemd user timer, a crontab line, a launchd agent.

The timer only wakes execbrief every few minutes; what is due is decided by the schedules
in ``execbrief.toml`` (``schedule.py``), in each report's own time zone, so the timer's zone
and a machine asleep at the scheduled time do not matter. systemd's ``Persistent=true``
and launchd run a wake-up missed while the machine was off or asleep once it is back.
"""

from __future__ import annotations

import hashlib
import plistlib
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "INTERVALS", "TimerFile", "command_line", "cron_line", "launchd_agent", "merge_crontab", "systemd_units", "unit_name",
]

# minutes that divide an hour, so every wake-up falls on the same minutes of every hour
INTERVALS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)
CRON_MARK = "# execbrief run --due:"


@dataclass(frozen=True)
class TimerFile:
    """A file a timer needs: where it goes and what it holds."""

    path: Path
    content: str


def command_line(workspace: Path) -> list[str]:
    """The command a timer runs: this installation's ``execbrief`` on the workspace."""
    script = Path(sys.executable).parent / "execbrief"
    program = [str(script)] if script.is_file() else [sys.executable, "-m", "execbrief"]
    return [*program, "run", "--due", "--workspace", str(workspace)]


def unit_name(workspace: Path) -> str:
    """A name for the workspace's timer: its folder's name and a short hash of its path."""
    slug = re.sub(r"[^a-z0-9]+", "-", workspace.name.lower()).strip("-") or "workspace"
    return f"execbrief-{slug}-{hashlib.sha256(str(workspace).encode()).hexdigest()[:6]}"


def _check(every: int) -> None:
    if every not in INTERVALS:
        raise ValueError(f"an interval of {every} minutes does not divide an hour: use one of {INTERVALS}")


def systemd_units(workspace: Path, every: int, config_home: Path) -> list[TimerFile]:
    """A user service running ``run --due`` once, and a persistent timer starting it every ``every`` minutes."""
    _check(every)
    name = unit_name(workspace)
    folder = config_home / "systemd" / "user"
    calendar = "hourly" if every == 60 else f"*:0/{every}"
    service = f"""\
[Unit]
Description=execbrief: send the briefings and alerts due for {workspace}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory={_systemd_quote(str(workspace))}
ExecStart={" ".join(_systemd_quote(part) for part in command_line(workspace))}
"""
    timer = f"""\
[Unit]
Description=execbrief: check {workspace} for due briefings every {every} minutes

[Timer]
OnCalendar={calendar}
# a wake-up missed while the machine was off or asleep runs as soon as it is back
Persistent=true
AccuracySec=1min
Unit={name}.service

[Install]
WantedBy=timers.target
"""
    return [TimerFile(folder / f"{name}.service", service), TimerFile(folder / f"{name}.timer", timer)]


def _systemd_quote(value: str) -> str:
    # systemd splits ExecStart= like a shell but knows only double quotes and backslashes
    if re.fullmatch(r"[A-Za-z0-9_@+=:,./-]+", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'


def cron_line(workspace: Path, every: int) -> str:
    """A crontab entry (with a marker comment naming the workspace) running ``run --due``."""
    _check(every)
    minutes = "0" if every == 60 else f"*/{every}"
    log = workspace / ".execbrief" / "due.log"
    command = " ".join(shlex.quote(part) for part in command_line(workspace))
    # cron's % starts standard input: escape it in the command
    command = command.replace("%", "\\%")
    return f"{CRON_MARK} {workspace}\n{minutes} * * * * {command} >> {shlex.quote(str(log))} 2>&1\n"


def merge_crontab(current: str, workspace: Path, every: int) -> str:
    """A crontab with this workspace's entry added, or replacing the one it had."""
    lines = current.splitlines()
    out: list[str] = []
    skip = False
    for line in lines:
        if line == f"{CRON_MARK} {workspace}":
            skip = True  # drop the marker and the entry after it
            continue
        if skip:
            skip = False
            continue
        out.append(line)
    text = "\n".join(out)
    return (text + "\n" if text else "") + cron_line(workspace, every)


def launchd_agent(workspace: Path, every: int, home: Path) -> TimerFile:
    """A launchd agent (macOS) running ``run --due`` every ``every`` minutes and at login."""
    _check(every)
    label = "com.execbrief." + unit_name(workspace).removeprefix("execbrief-")
    log = str(workspace / ".execbrief" / "due.log")
    agent = {
        "Label": label,
        "ProgramArguments": command_line(workspace),
        "WorkingDirectory": str(workspace),
        # launchd runs an interval missed during sleep once, when the Mac wakes
        "StartInterval": every * 60,
        "RunAtLoad": True,
        "StandardOutPath": log,
        "StandardErrorPath": log,
    }
    content = plistlib.dumps(agent, sort_keys=False).decode()
    return TimerFile(home / "Library" / "LaunchAgents" / f"{label}.plist", content)
