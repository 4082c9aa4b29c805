"""Writers turn a lens view into a report: offline (default) or, later, an LLM."""

from __future__ import annotations

from typing import Protocol

from ..model import LensView, Report
from ..registry import registry

__all__ = ["Writer", "get_writer"]


class Writer(Protocol):
    """Anything that writes a report for a lens view."""

    name: str

    def write(self, view: LensView) -> Report:
        """The report for one view; every block cites the facts it rests on."""
        ...


def get_writer(settings: object) -> Writer:
    """The writer the settings name (``[writer] kind``)."""
    kind = settings.writer.kind  # type: ignore[attr-defined]
    return registry.get("writers", kind)(settings)
