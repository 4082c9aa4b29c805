"""The ``execbrief`` command line: thin commands over the library.

Errors are mapped to a one-line ``Error: …`` on stderr and an exit code here, in one
place: 0 finished, 1 a stage failed, 2 usage or config error. With ``--json`` the error
is also one JSON document on stdout, ``{"error": {"code", "message", "key", "path"}}``,
so a script always reads one document. Click's own usage errors get the same treatment,
and an unexpected exception becomes one line naming it, never a traceback
(``EXECBRIEF_DEBUG=1`` re-raises with the traceback).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__, gcpolicy
from ..errors import ExecbriefError, UsageError
from .output import JSON_PRINTED, print_json

__all__ = ["main", "cli"]

_WANTS_JSON = "execbrief.wants_json"


class _Group(click.Group):
    """A click group that turns every error into one line, an exit code and (--json) a document."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        wants_json = "--json" in args
        try:
            ctx = super().make_context(info_name, args, parent=parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            _report(_usage_error(exc), wants_json, None)
        ctx.meta[_WANTS_JSON] = wants_json
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.exceptions.NoArgsIsHelpError):
            raise
        except click.UsageError as exc:
            error: ExecbriefError = _usage_error(exc)
        except click.ClickException as exc:
            error = ExecbriefError(exc.format_message())
            error.exit_code = exc.exit_code
        except ExecbriefError as exc:
            if os.environ.get("EXECBRIEF_DEBUG") == "1":
                raise
            error = exc
        except Exception as exc:  # a bug: one line naming it, not a traceback
            if os.environ.get("EXECBRIEF_DEBUG") == "1":
                raise
            error = ExecbriefError(
                f"internal error ({type(exc).__name__}: {exc}): please report it; "
                "EXECBRIEF_DEBUG=1 shows the traceback")
        _report(error, ctx.meta.get(_WANTS_JSON, False), ctx)


def _usage_error(exc: click.UsageError) -> UsageError:
    """Click's three-line usage error as one line that says where the help is."""
    message = exc.format_message().replace("\n", " ")
    if exc.ctx is not None:
        message = message.rstrip(".") + f" (see `{exc.ctx.command_path} --help`)"
    param = getattr(exc, "param", None)
    key = (param.opts[0] if param.opts else param.name) if param is not None else None
    return UsageError(message, key=key)


def _report(error: ExecbriefError, wants_json: bool, ctx: click.Context | None) -> None:
    click.echo(f"Error: {error}", err=True)
    if wants_json and not (ctx is not None and ctx.meta.get(JSON_PRINTED)):
        print_json(error.to_json())
    raise click.exceptions.Exit(error.exit_code)


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
    """Console-script entry point. The process ends without freeing what a run kept
    (``gcpolicy.end_process``): the operating system drops it at once."""
    gcpolicy.exit_unfreed()
    try:
        cli(prog_name="execbrief")
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # (a message: printed as Python would, exit code 1)
            print(exc.code, file=sys.stderr)
            code = 1
    gcpolicy.end_process(code)

