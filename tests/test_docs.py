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
    "execbrief.reader", "execbrief.writers.provider", "execbrief.writers.providers",
    "execbrief.writers.providers.servers",
])
def test_public_names_in_all_exist(module):
    mod = importlib.import_module(module)
    assert mod.__all__, f"{module} has an empty __all__"
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.__all__ names {name}, which it does not define"


# --- every command the docs show runs as written ---------------------------------------

import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from execbrief.cli.workspace import INIT_CONFIG  # noqa: E402

ROOT = Path(__file__).parent.parent
DEMO_CONFIG = (ROOT / "src" / "execbrief" / "demo" / "workspace" / "execbrief.toml").read_text()
# commands that need a server or an account (SMTP, SES, AWS): checked to parse, not run
NEEDS_A_SERVICE = re.compile(r"EXECBRIEF_DELIVERY_METHOD=(?:smtp|ses)|\bsnapshot aws\b")


def shell_commands(text: str) -> list[str]:
    """The execbrief command lines of a text's ```sh blocks."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).rstrip(" &")
            if re.match(r"^\s*(?:[A-Z_]+=\S+\s+)*(?:\.venv/bin/)?execbrief\s", line):
                found.append(line.strip())
    return found


def comment_commands(config: str) -> list[str]:
    """The execbrief commands a generated or bundled execbrief.toml's comments suggest."""
    found = re.findall(r"`((?:\.venv/bin/)?execbrief [^`]+)`", config)
    found += [m.strip() for m in re.findall(r"^#\s{2,}((?:\.venv/bin/)?execbrief .+)$", config, re.M)]
    return found


def _parse(args: list[str]) -> None:
    """Parse a command line as click would run it, without running it."""
    command: click.Command = cli
    name = "execbrief"
    while True:
        ctx = command.make_context(name, list(args), resilient_parsing=False)
        if not isinstance(command, click.Group):
            return
        name, command, args = command.resolve_command(ctx, ctx.protected_args + ctx.args)


def _run(line: str, cwd: Path, home: Path) -> None:
    env_words = []
    words = shlex.split(line)
    while words and "=" in words[0] and not words[0].startswith("-"):
        env_words.append(words.pop(0))
    args = [os.path.expanduser(w).replace(os.path.expanduser("~"), str(home)) if w.startswith("~") else w
            for w in words[1:]]
    if NEEDS_A_SERVICE.search(line):
        _parse(args)
        return
    if args[:1] == ["preview"]:
        args.append("--no-serve")  # (it would serve until stopped)
    env = {k: v for k, v in (w.split("=", 1) for w in env_words)}
    result = CliRunner().invoke(cli, args, env={"HOME": str(home), **env}, catch_exceptions=False)
    assert result.exit_code == 0, f"`{line}` exited {result.exit_code}: {result.output[-600:]}"


def test_every_execbrief_command_in_the_readme_runs_as_written(tmp_path, monkeypatch):
    commands = shell_commands(README)
    assert any(c.startswith("execbrief init") for c in commands) and len(commands) >= 5
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(home))
    for line in commands:
        _run(line, tmp_path, home)


def test_every_command_in_the_generated_and_demo_config_comments_runs(tmp_path, monkeypatch):
    init_commands = comment_commands(INIT_CONFIG)
    demo_commands = comment_commands(DEMO_CONFIG)
    assert init_commands and demo_commands
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", "mine"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "mine")
    for line in init_commands:
        _run(line, tmp_path / "mine", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["demo", "--out", "demo"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "demo")
    for line in demo_commands:
        _run(line, tmp_path / "demo", tmp_path)


def test_the_demo_ends_with_commands_that_run_as_printed(tmp_path, monkeypatch):
    program = Path(sys.executable).parent / "execbrief"
    monkeypatch.setattr(sys, "argv", [str(program)])  # as if started as the program itself
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--out", "my demo"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.split("\nNext:\n", 1)[1].splitlines()
    printed = [shlex.split(re.sub(r"\s+#.*$", "", line)) for line in lines if line.strip()]
    assert [words[1] for words in printed] == ["preview", "history", "doctor"]
    for words in printed:
        assert words[0] == "execbrief" or Path(words[0]).resolve() == program.resolve()
        assert words[2:] == ["--workspace", "my demo"]  # the folder as given, quoted for the shell
        args = words[1:] + (["--no-serve"] if words[1] == "preview" else [])
        assert CliRunner().invoke(cli, args).exit_code == 0, words


def test_the_demo_prints_the_venv_program_after_make_demo(tmp_path):
    # as `make demo` leaves it: execbrief is .venv/bin/execbrief, not on the PATH
    program = Path(sys.executable).parent / "execbrief"
    if not program.exists():
        pytest.skip("no execbrief script beside this interpreter")
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(program), "demo", "--out", "d"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-600:]
    first = re.sub(r"\s+#.*$", "", done.stderr.split("\nNext:\n", 1)[1].splitlines()[0]).split()
    assert Path(first[0]).resolve() == program.resolve() and first[1:] == ["preview", "--workspace", "d"]


def test_the_readme_counts_the_demo_notes_right():
    notes = list((ROOT / "src" / "execbrief" / "demo" / "workspace" / "notes").rglob("*.md"))
    stated = re.search(r"three\s+businesses, (\d+) notes", README)
    assert stated and int(stated.group(1)) == len(notes)


def test_shell_completion_is_documented_and_works():
    assert "_EXECBRIEF_COMPLETE=bash_source execbrief" in README
    program = Path(sys.executable).parent / "execbrief"
    if not program.exists():
        pytest.skip("no execbrief script beside this interpreter")
    for shell in ("bash", "zsh", "fish"):
        assert f"_EXECBRIEF_COMPLETE={shell}_source" in README
        done = subprocess.run([str(program)], env={**os.environ, "_EXECBRIEF_COMPLETE": f"{shell}_source"},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "execbrief" in done.stdout and "complete" in done.stdout.lower(), shell
