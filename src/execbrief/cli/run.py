"""``execbrief run``: run the pipeline for a workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from rich.markup import escape

from ..config import load_settings, plausible_as_of
from ..errors import UsageError
from ..pipeline import RunResult, run as run_pipeline
from .output import print_json, progress_reporter, stage_line, stderr

__all__ = ["run", "summarize"]


def summarize(result: RunResult) -> None:
    """A short human summary of a run, on stderr."""
    reused = " · reports of an earlier run with the same inputs" if result.reused else ""
    stderr.print(f"[bold]Run {result.run_id}[/] · period {result.period} · as of {result.as_of} · {result.facts} facts"
                 f"{reused}")
    for report in result.reports:
        where = report.files.get("html", "(not rendered)")
        stderr.print(f"  {report.status:<9} {report.key:<22} {where}")
        for problem in report.problems[:5]:
            stderr.print(f"            [red]{problem}[/]")
    sent = [d for d in result.deliveries if not d["audit"]]
    if sent:
        counts: dict[str, int] = {}
        for d in sent:
            counts[d["status"]] = counts.get(d["status"], 0) + 1
        shown = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        stderr.print(f"  deliveries: {shown} (via {sent[0]['channel']})")
    if result.warnings:
        stderr.print(f"  [yellow]{len(result.warnings)} data warnings[/]:")
        for warning in result.warnings[:10]:
            stderr.print(f"    {warning.label()}", markup=False)
        if len(result.warnings) > 10:
            stderr.print(f"    …and {len(result.warnings) - 10} more (see --json)")
    if result.stages_ms:
        stderr.print(f"  {stage_line(result.stages_ms, result.duration_ms)}", markup=False)
    for failure in result.failures:
        # escaped: failures quote config keys like [delivery.smtp], which rich would eat as markup
        stderr.print(f"  [red]failed:[/] {escape(failure)}", markup=True)


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The workspace folder holding execbrief.toml.")
@click.option("--only", multiple=True, metavar="LENS", help="Write only the reports of this lens (repeatable).")
@click.option("--dry-run", is_flag=True, help="Write and render the reports but deliver nothing.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Report as of this date (YYYY-MM-DD) instead of today.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["md"]),
              help="Also export each report in this format (md: Markdown for wikis and pull requests).")
@click.option("--in-doubt", type=click.Choice(["resend", "hold"]), default=None,
              help="A message a crashed run may have sent: send it again, flagged as a possible "
                   "duplicate (resend), or keep it for `execbrief resend --held` (hold). "
                   "Default: [delivery] in_doubt, else resend.")
@click.option("--batch", is_flag=True,
              help="Submit the reports to the LLM provider's batch API (half price, slower) and stop; "
                   "collect them later with --resume. Status 'pending', exit 0.")
@click.option("--resume", is_flag=True,
              help="Collect submitted batches, then write, verify and deliver as usual "
                   "(status 'pending' while a batch is still processing).")
@click.option("--due", is_flag=True,
              help="Check the alert rules, then run only the reports whose schedule says they are due "
                   "(once per scheduled period, however many times were missed).")
@click.option("--now", "now_text", metavar="TIME", default=None,
              help="With --due: decide what is due at this ISO-8601 time instead of now.")
@click.option("--accept-new-ledger", is_flag=True,
              help="Deliver although the ledger did not record this workspace's earlier deliveries (it was "
                   "moved aside or deleted), and make it the workspace's ledger. A recipient may get a "
                   "briefing of the current period twice.")
@click.option("--no-reuse", is_flag=True,
              help="Analyse, select, write and verify everything again, even when nothing changed since a run "
                   "whose reports could be reused.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout.")
def run(workspace: Path, only: tuple[str, ...], dry_run: bool, as_of: object, formats: tuple[str, ...],
        in_doubt: str | None, batch: bool, resume: bool, due: bool, now_text: str | None, accept_new_ledger: bool,
        no_reuse: bool, as_json: bool) -> None:
    """Read the sources, compute facts, write, verify, render and deliver every report.

    Exit code 0 when everything finished (data warnings allowed), 1 when a stage
    failed (what finished is still recorded and delivered), 2 on a usage or config error.
    """
    settings = load_settings(workspace)
    if due or now_text:
        from .schedule import execute_due

        if not due or only or as_of is not None or batch or resume or formats:
            raise UsageError("--now needs --due, and --due decides the reports and dates itself: "
                             "drop --only, --as-of, --format, --batch and --resume")
        if execute_due(settings, now_text, dry_run=dry_run, in_doubt=in_doubt, as_json=as_json) != "ok":
            raise SystemExit(1)
        return
    day = as_of.date() if as_of is not None else None  # type: ignore[attr-defined]
    try:
        plausible_as_of(day)
    except ValueError as exc:
        raise UsageError(f"--as-of {exc}", key="--as-of") from None
    result = execute(settings, only=only, dry_run=dry_run, as_of=day, as_json=as_json, formats=formats,
                     in_doubt=in_doubt, batch=batch, resume=resume, accept_new_ledger=accept_new_ledger,
                     reuse_earlier=not no_reuse)
    if result.status not in ("ok", "pending"):
        raise SystemExit(1)


def execute(settings, *, only=(), dry_run=False, as_of: date | None = None, as_json=False,
            formats: tuple[str, ...] = (), in_doubt: str | None = None, batch: bool = False,
            resume: bool = False, accept_new_ledger: bool = False, reuse_earlier: bool = True) -> RunResult:
    """Run with progress on a terminal, then print the summary (human or JSON)."""
    with progress_reporter() as progress:
        result = run_pipeline(settings, only=tuple(only), dry_run=dry_run, as_of=as_of, progress=progress,
                              formats=tuple(formats), in_doubt=in_doubt, batch=batch, resume=resume,
                              accept_new_ledger=accept_new_ledger, reuse_earlier=reuse_earlier)
    if as_json:
        print_json(result.to_json())
    else:
        summarize(result)
    return result
