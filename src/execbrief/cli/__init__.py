"""The ``execbrief`` command line: thin commands over the library.

Errors are mapped to a one-line ``Error: …`` on stderr and an exit code here, in one
place: 0 finished, 1 a stage failed, 2 usage or config error. ``EXECBRIEF_DEBUG=1``
re-raises with the traceback.
"""

from __future__ import annotations

import os
from typing import Any

import click

from .. import __version__
from ..errors import ExecbriefError

__all__ = ["main", "cli"]


class _Group(click.Group):
    """A click group that turns ``ExecbriefError`` into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExecbriefError as exc:
            if os.environ.get("EXECBRIEF_DEBUG") == "1":
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="execbrief")
def cli() -> None:
    """Turn notes, a ledger, repos and a cloud account into verified briefings per role.

    Start with `execbrief demo` to see it work, or `execbrief init DIR` for your own
    workspace. Exit codes: 0 finished (warnings allowed), 1 a stage failed, 2 usage or
    config error.
    """


def _register_commands() -> None:
    from . import deliveries, doctor, history, lenses, preview, run, workspace

    for command in (run.run, workspace.init, workspace.demo, lenses.lenses, history.history, preview.preview):
        cli.add_command(command)
    for command in (doctor.doctor, deliveries.resend, deliveries.events):
        cli.add_command(command)
    from . import alerts, deploy, schedule, snapshot

    cli.add_command(snapshot.snapshot)
    cli.add_command(schedule.schedule)
    cli.add_command(alerts.alerts)
    cli.add_command(deploy.deploy)


_register_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="execbrief")

