"""KPI gaps: the KPIs lenses expect that no source supplies become ``gap`` facts.

This rule runs over the facts, after the other analyzers: a KPI counts as supplied when
some fact measures it, whether a note states it (``kpis:`` in front matter) or an analyzer
computes it (occupancy from a units table, MRR from a client roster, cash from the ledger).
A KPI a lens expects of some kinds of business is expected of a business only when its kind
lists it (``kinds.toml``: a long-let rental tracks rent roll and arrears, not a
nightly rate); a business of a kind the vocabulary does not know gets what the lens lists.
"""

from __future__ import annotations

from typing import Sequence

from ..formatting import humanize
from ..model import Fact, stable_id
from .base import FACTS, AnalysisContext, rule
from .kinds import kinds as known_kinds

__all__ = ["analyze", "supplied_kpis"]


def supplied_kpis(facts: Sequence[Fact]) -> set[tuple[str, str | None]]:
    """(kpi name, entity) pairs some fact gives a value for."""
    return {(f.name, f.entity) for f in facts if f.kind in ("metric", "finding") and f.value is not None}


@rule(reads=FACTS)
def analyze(facts: Sequence[Fact], ctx: AnalysisContext) -> list[Fact]:
    """One gap fact per expected KPI and business (or organisation) that lacks it."""
    supplied = supplied_kpis(facts)
    names_anywhere = {name for name, _ in supplied}
    sold = {entity for name, entity in supplied if name == "business_sold"}  # (nothing to track any more)
    out: dict[str, Fact] = {}
    vocabulary = known_kinds()
    for kpi, kinds in ctx.expected_kpis:
        if kinds:
            scope = [eid for eid, (_, kind) in sorted(ctx.entities.items())
                     if kind in kinds and (kind not in vocabulary or kpi in vocabulary[kind].kpis)]
            missing = [eid for eid in scope if (kpi, eid) not in supplied and eid not in sold]
        else:
            missing = [None] if kpi not in names_anywhere else []
        for entity in missing:
            fact_id = stable_id("f", "missing_kpi", kpi, entity)
            where = f" for {ctx.entity_name(entity)}" if entity else ""
            # the reader decides who measures it; how to record it is for the data's keeper
            who = f"Ask whoever runs {ctx.entity_name(entity)} to track its" if entity else "Name someone to track"
            what = humanize(kpi)
            last = what.split()[-1]
            if last.islower() and last.endswith("s") and not last.endswith("ss"):
                what += " figure"  # "No arrears figure is tracked", not "No arrears is tracked"
            out[fact_id] = Fact(
                id=fact_id, kind="gap", name="missing_kpi", entity=entity, severity="medium",
                statement=f"No {what} is tracked{where}.",
                recommendation=f"{who} {humanize(kpi)}.",
                upkeep=(
                    f"To record {humanize(kpi)}{where}, state it in a note's front matter "
                    f"(kpis: {{{kpi}: ...}}) and keep it current."
                ),
                topics=("kpi", "data-quality"),
                sources=("expected by the lenses, stated by no note and computed by no rule",),
            )
    return list(out.values())
