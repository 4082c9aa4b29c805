"""``execbrief lenses``: list the lenses, or show one in full."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import LensError
from ..lenses import lens_to_toml, load_lenses
from .output import print_json

__all__ = ["lenses"]


@click.command()
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Include the workspace's own lenses/*.toml.")
@click.option("--show", metavar="NAME", help="Print the effective definition of one lens as TOML.")
@click.option("--json", "as_json", is_flag=True, help="Print the lenses as JSON.")
def lenses(workspace: Path, show: str | None, as_json: bool) -> None:
    """List the built-in and workspace lenses (or show one with --show NAME)."""
    found = load_lenses(workspace)
    if show:
        if show not in found:
            raise LensError(f"no lens named {show!r} (known: {', '.join(found)})")
        click.echo(lens_to_toml(found[show]), nl=False)
        return
    if as_json:
        print_json([lens.model_dump(mode="json") for lens in found.values()])
        return
    width = max(len(k) for k in found)
    for lens in found.values():
        origin = "" if lens.origin == "builtin" else f"  ({lens.origin})"
        click.echo(f"{lens.id:<{width}}  {lens.title}: {lens.description}{origin}")
