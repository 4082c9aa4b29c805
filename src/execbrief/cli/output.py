"""Shared output helpers: progress on a terminal, quiet otherwise; JSON on stdout."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import click
from rich.console import Console
from rich.live import Live
from rich.spinner import Spinner

__all__ = ["JSON_PRINTED", "stderr", "print_json", "progress_reporter", "stage_line"]

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


JSON_PRINTED = "execbrief.json_printed"  # context meta: a command printed its document


def print_json(data: Any) -> None:
    """One JSON document on stdout, for scripts."""
    click.echo(json.dumps(data, indent=2, sort_keys=False, default=str))
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta[JSON_PRINTED] = True  # (meta is shared by every context of one invocation)


_LABELS = {
    "run": lambda d: f"run {d['run_id']}: {d['reports']} reports",
    "source": lambda d: f"reading {d['name']}",
    "read": lambda d: f"a model reads {d['notes']} new or changed notes",
    "analyze": lambda d: f"analyzing {d['evidence']} evidence items and {d.get('parts', 0)} notes",
    "report": lambda d: f"writing {d['key']}",
    "deliver": lambda d: f"delivering {d['key']}",
}


@contextmanager
def progress_reporter() -> Iterator[Callable[[str, dict[str, Any]], None]]:
    """A callback for pipeline events: a live status line on a terminal, nothing otherwise."""
    if not stderr.is_terminal:
        yield lambda event, data: None
        return
    # Redrawn at each event, with no refresh thread: the notes source forks its parsers
    # only while the process runs a single thread (forking beside a thread is unsafe).
    spinner = Spinner("dots", "starting")
    with Live(spinner, console=stderr, auto_refresh=False, transient=True) as live:
        def update(event: str, data: dict[str, Any]) -> None:
            spinner.update(text=_LABELS.get(event, lambda d: event)(data))
            live.refresh()

        yield update


def stage_line(stages: dict[str, int], total_ms: int | None) -> str:
    """``took 12.3 s: sources 4.1 s, analyzers 6.0 s, …`` (stages that took under 5 ms left out)."""
    from ..stageclock import STAGES

    # (in the order a run goes through them: the ledger keeps a summary's keys sorted)
    order = sorted(stages, key=lambda name: STAGES.index(name) if name in STAGES else len(STAGES))
    shown = ", ".join(f"{name} {stages[name] / 1000:.2f} s" for name in order if stages[name] >= 5)
    took = f"took {total_ms / 1000:.2f} s" if total_ms is not None else "stages"
    return f"{took}: {shown or 'each stage under 5 ms'}"
