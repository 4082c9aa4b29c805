"""KPI gaps: the KPIs lenses expect that no source supplies become ``gap`` facts."""

from __future__ import annotations

from typing import Sequence

from ..formatting import humanize
from ..model import Evidence, Fact, stable_id
from . import AnalysisContext
from .operations import CLOSED_STATUSES, parse_kpi_value

__all__ = ["analyze", "supplied_kpis"]


def supplied_kpis(evidence: Sequence[Evidence]) -> set[tuple[str, str | None]]:
    """(kpi name, entity) pairs some note states a value for."""
    found = set()
    for ev in evidence:
        if ev.kind != "document":
            continue
        if (ev.record.get("status") or "").strip().lower() in CLOSED_STATUSES:
            continue
        for name, raw in (ev.record.get("kpis") or {}).items():
            if parse_kpi_value(raw, "USD") is not None:
                found.add((str(name), ev.entity))
    return found


def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """One gap fact per expected KPI and business (or organisation) that lacks it."""
    supplied = supplied_kpis(evidence)
    names_anywhere = {name for name, _ in supplied}
    facts: dict[str, Fact] = {}
    for kpi, kinds in ctx.expected_kpis:
        if kinds:
            scope = [eid for eid, (_, kind) in sorted(ctx.entities.items()) if kind in kinds]
            missing = [eid for eid in scope if (kpi, eid) not in supplied]
        else:
            missing = [None] if kpi not in names_anywhere else []
        for entity in missing:
            fact_id = stable_id("f", "missing_kpi", kpi, entity)
            where = f" for {ctx.entity_name(entity)}" if entity else ""
            facts[fact_id] = Fact(
                id=fact_id, kind="gap", name="missing_kpi", entity=entity, severity="medium",
                statement=f"No {humanize(kpi)} is tracked{where}.",
                recommendation=(
                    f"Start tracking {humanize(kpi)}{where}: state it in a note's front matter "
                    f"(kpis: {{{kpi}: ...}}) and keep it current."
                ),
                topics=("kpi", "data-quality"),
                sources=("expected by the lenses; stated in no note",),
            )
    return list(facts.values())
