"""``execbrief preview``: render a run's reports to a folder and serve it on 127.0.0.1."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from ..config import load_settings
from ..errors import UsageError
from ..ledger import Ledger
from ..render.preview import write_preview
from .output import print_json, stderr

__all__ = ["preview"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The workspace folder holding execbrief.toml.")
@click.option("--run", "run_id", metavar="RUN", help="The run to preview (default: the newest with reports).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the preview (default: <workspace>/.execbrief/preview/<run>).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["md"]), help="Also write Markdown exports.")
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve the folder on 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to serve on (0 picks a free one).")
@click.option("--json", "as_json", is_flag=True, help="Print where the preview is as JSON.")
def preview(workspace: Path, run_id: str | None, out: Path | None, formats: tuple[str, ...], serve: bool,
            port: int, as_json: bool) -> None:
    """Render a run's reports (default: the last run) to a folder with an index page, and serve it."""
    settings = load_settings(workspace)
    with Ledger.for_workspace(settings.workspace) as ledger:
        found = ledger.reports(run_id)
    if found is None:
        raise UsageError(f"no reports for run {run_id!r}" if run_id else "no reports yet: run `execbrief run` first")
    run_id, reports = found
    folder = out or settings.workspace / ".execbrief" / "preview" / run_id
    index = write_preview(run_id, reports, folder, markdown="md" in formats)
    if as_json:
        print_json({"run_id": run_id, "index": str(index), "reports": [r.key for r in reports]})
    else:
        stderr.print(f"Preview of run {run_id}: {index}")
    if not serve:
        return
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        stderr.print(f"Serving on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            stderr.print("Stopped.")
