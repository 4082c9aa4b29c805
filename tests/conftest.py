"""Shared fixtures: an isolated environment, loopback-only network, and workspaces."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import textwrap
from importlib import resources
from pathlib import Path

import pytest

DEMO = Path(str(resources.files("execbrief") / "demo" / "workspace"))

_ISOLATED_PREFIXES = ("AWS_", "ANTHROPIC_", "OPENAI_", "EXECBRIEF_", "SMTP_")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path_factory):
    """No real credentials, no user config, and a throwaway HOME for every test."""
    import os

    for name in list(os.environ):
        if name.startswith(_ISOLATED_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws-credentials"))


_real_connect = socket.socket.connect


def _loopback_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = ipaddress.ip_address(socket.gethostbyname(host)) if host == "localhost" else None
        if ip is None or not ip.is_loopback:
            raise OSError(f"tests may not reach beyond 127.0.0.1 (tried {host})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Refuse any connection that is not to loopback."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


MINIMAL_CONFIG = """\
[organization]
name = "Test Org"
timezone = "UTC"

[[entities]]
id = "alpha"
name = "Alpha Rentals"
kind = "rental"

[[entities]]
id = "beta"
name = "Beta Delivery"
kind = "delivery"

[delivery]
sender = "briefings@example.com"
audit_bcc = ["audit@example.com"]
allowed_recipient_domains = ["example.com"]

[run]
as_of = 2026-11-23

[[reports]]
lens = "ceo"
to = ["ceo@example.com"]

[[reports]]
lens = "cfo"
to = ["cfo@example.com"]
"""


class Workspace:
    """A workspace folder in tmp_path with helpers to write its files.

    Text is dedented (so tests can indent it) unless a subclass sets ``dedent = False``
    to write every byte exactly, as the source tests do.
    """

    dedent = True

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = (textwrap.dedent(content) if self.dedent else content).encode("utf-8")
        path.write_bytes(content)  # bytes, so "\n" stays "\n" on every OS
        return path

    def settings(self):
        from execbrief.config import load_settings

        return load_settings(self.root, environ={})

    def run(self, *extra: str) -> tuple[int, dict]:
        """``execbrief run --json`` on this workspace: (exit code, the JSON summary)."""
        import json

        from click.testing import CliRunner

        from execbrief.cli import cli

        result = CliRunner().invoke(cli, ["run", "-w", str(self.root), "--json", *extra], catch_exceptions=False)
        return result.exit_code, json.loads(result.stdout)

    def messages(self) -> list[dict]:
        """The ledger's message rows, oldest first."""
        from execbrief.ledger import Ledger

        with Ledger.for_workspace(self.root) as ledger:
            return [dict(r) for r in ledger.db.execute("SELECT * FROM messages ORDER BY rowid")]


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    """A minimal valid workspace: two businesses, CEO and CFO reports, empty sources."""
    ws = Workspace(tmp_path / "ws")
    ws.write("execbrief.toml", MINIMAL_CONFIG)
    (ws.root / "notes").mkdir()
    (ws.root / "ledger").mkdir()
    return ws


@pytest.fixture
def demo_workspace(tmp_path) -> Workspace:
    """A fresh copy of the bundled demo workspace."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    return Workspace(root)
