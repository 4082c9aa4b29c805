"""The README documents every command and option, and packages export what they name."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
import pytest

from execbrief.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "execbrief"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


@pytest.mark.parametrize("path, command", list(_commands(cli)), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_is_documented_in_the_readme_with_its_options(path, command):
    assert f"`{path}" in README, f"README has no section for `{path}`"
    assert command.help, f"{path} has no --help text"
    for param in command.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            names = [o for o in param.opts + param.secondary_opts if o.startswith("--")]
            assert any(n in README for n in names), f"README does not mention {path} {names}"


@pytest.mark.parametrize("module", [
    "execbrief", "execbrief.model", "execbrief.config", "execbrief.errors", "execbrief.lenses",
    "execbrief.ledger", "execbrief.render", "execbrief.delivery", "execbrief.analyzers", "execbrief.sources",
])
def test_public_names_in_all_exist(module):
    mod = importlib.import_module(module)
    assert mod.__all__, f"{module} has an empty __all__"
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.__all__ names {name}, which it does not define"
