"""Helpers for the hostile-input tests (issue 13): a small workspace with every source, the
CLI's contract checked on each call, and a sandbox (Linux namespaces) for read-only and
full disks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import DEMO, MINIMAL_CONFIG, Workspace

# every source on, each with a little input: notes, a ledger, a repository and an AWS snapshot
SMALL_CONFIG = MINIMAL_CONFIG.replace("[delivery]\n", """\
[sources.repos]
paths = ["repos/*"]

[sources.aws]
snapshot = "aws-snapshot.json"

[delivery]
""") + """
[[reports]]
lens = "cto"
to = ["cto@example.com"]
"""

NOTE_ALPHA = """\
# Alpha Rentals operations

- [ ] Fix the roof leak in unit 2B by 2026-12-01 (quote $1,450)
- Occupancy fell to 80% in October.
"""

NOTE_BETA = """\
# Beta Delivery

- [ ] Renew the van insurance by 2026-12-05
"""

LEDGER = """\
date,amount,entity,account,category,memo
2026-09-01,2400.00,alpha,Rental income,revenue,September rent
2026-09-03,-350.00,alpha,Repairs,cost,Plumber
2026-10-01,2400.00,alpha,Rental income,revenue,October rent
2026-10-04,-120.00,beta,Fuel,cost,Fuel card
2026-10-09,1800.00,beta,Deliveries,revenue,October deliveries
"""


def small_workspace(root: Path) -> Workspace:
    """A workspace with two businesses and every source reading a little."""
    ws = Workspace(root)
    ws.write("execbrief.toml", SMALL_CONFIG)
    ws.write("notes/alpha/operations.md", NOTE_ALPHA)
    ws.write("notes/beta/ops.md", NOTE_BETA)
    ws.write("ledger/transactions.csv", LEDGER)
    ws.write("repos/site/README.md", "# Site\n\nDeployed by hand.\n")
    shutil.copy(DEMO / "aws-snapshot.json", root / "aws-snapshot.json")
    return ws


@dataclass
class Outcome:
    """What one CLI call did: exit code, its one JSON document (or None), stderr."""

    code: int
    data: Any
    stderr: str

    @property
    def failures(self) -> list[str]:
        return self.data.get("failures", []) if isinstance(self.data, dict) else []

    @property
    def warnings(self) -> list[str]:
        if not isinstance(self.data, dict):
            return []
        return [f"{w.get('path') or w['source']}:{w.get('line')}: {w['message']}" for w in self.data.get("warnings", [])]


def cli(*args: str, json_doc: bool = True) -> Outcome:
    """Run the CLI in this process and hold it to the contract: no traceback, exit 0/1/2,
    and with ``--json`` exactly one JSON document on stdout."""
    from execbrief.cli import cli as command

    result = CliRunner().invoke(command, list(args), catch_exceptions=True, prog_name="execbrief")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    data = None
    if json_doc and "--json" in args:
        data = json.loads(result.stdout)  # one document: json.loads refuses two
    if isinstance(data, dict) and "error" in data:  # an error: its one line on stderr too
        lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(lines) == 1 and result.exit_code == data["error"]["code"], result.stderr
    return Outcome(result.exit_code, data, result.stderr)


def run(root: Path, *extra: str) -> Outcome:
    """``execbrief run -w ROOT --json`` under the contract."""
    return cli("run", "-w", str(root), "--json", *extra)


def run_without_privileges(root: Path, *extra: str) -> Outcome:
    """``execbrief run -w ROOT --json`` as a user whom file modes bind: this user, or, when that
    is root (who reads and writes anything), root in a user namespace without capabilities."""
    import os

    if os.geteuid() != 0:
        return run(root, *extra)
    done = sandbox(execbrief_command("run", "-w", str(root), "--json", *extra), unprivileged=True)
    assert "Traceback" not in done.stderr and done.returncode in (0, 1, 2), done.stderr
    return Outcome(done.returncode, json.loads(done.stdout), done.stderr)


def sandbox(script: str, *, mounts: str = "", unprivileged: bool = False) -> subprocess.CompletedProcess:
    """Run ``script`` (sh) in private mount and user namespaces, after ``mounts`` (sh).

    A read-only bind mount or a tiny tmpfs there is a real read-only or full file system
    for the commands that follow, without privileges outside. ``unprivileged``: a user
    namespace with no capabilities (no mounts), where even root meets file permissions.
    Skips where the kernel or the container does not allow namespaces.
    """
    if unprivileged:
        if sys.platform != "linux" or shutil.which("unshare") is None:
            pytest.skip("needs Linux namespaces (unshare)")
        done = subprocess.run(["unshare", "--user", "sh", "-ec", script], capture_output=True, text=True, timeout=120)
        if "unshare failed" in done.stderr or "unshare:" in done.stderr:
            pytest.skip(f"namespaces are not allowed here: {done.stderr.strip()}")
        return done
    if sys.platform != "linux" or shutil.which("unshare") is None:
        pytest.skip("needs Linux namespaces (unshare)")
    probe = subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-c",
                            "mount -t tmpfs -o size=16k tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"namespaces are not allowed here: {probe.stderr.decode(errors='replace').strip()}")
    return subprocess.run(["unshare", "--mount", "--map-root-user", "sh", "-ec", f"{mounts}\n{script}"],
                          capture_output=True, text=True, timeout=120)


def execbrief_command(*args: str) -> str:
    """A shell command line running this checkout's execbrief."""
    import shlex

    return shlex.join([sys.executable, "-m", "execbrief", *args])
