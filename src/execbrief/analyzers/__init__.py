"""Analyzers turn evidence into facts.

Each analyzer is a pure function ``(evidence, context) -> list[Fact]``: deterministic, no
I/O, all arithmetic in Decimal. ``rules()`` names them in the order they run; a
rule's id is its function name.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Protocol, Sequence, TypeVar

from ..model import Evidence, Fact

T = TypeVar("T")

__all__ = ["AnalysisContext", "Narrowing", "Reads", "analyze", "reads", "rules"]


@dataclass(frozen=True)
class AnalysisContext:
    """What analyzers may know besides the evidence: dates, entities, expectations."""

    as_of: date
    currency: str = "USD"
    entities: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id → (name, kind)
    stale_days: int = 45
    # (kpi name, entity kinds it applies to; empty = the organisation as a whole)
    expected_kpis: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (names, topics) of each lens section that can show ``note`` facts (empty = any); a note
    # fact no section can show is not made. None: make every note fact (no lenses known).
    note_sections: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] | None = None

    # What analyzers derive from the same evidence for several rules (typed table rows, the
    # ledger's groups), made once per analysis: not part of what the context says
    derived: dict[tuple[str, int], tuple[Any, ...]] = field(default_factory=dict, compare=False, repr=False)

    def shared(self, name: str, evidence: Sequence[Evidence], make: Callable[[], T]) -> T:
        """``make()``, once for this evidence list (the same list: the same result)."""
        held = self.derived.get(key := (name, id(evidence)))
        if held is None or held[0] is not evidence or held[1] != len(evidence):
            held = self.derived[key] = (evidence, len(evidence), make())  # (holding the list keeps its id)
        return held[2]

    def entity_name(self, entity: str | None) -> str:
        """The display name of an entity id; the organisation when there is none."""
        if entity is None:
            return "All businesses"
        return self.entities.get(entity, (entity, None))[0]

    def may_show_note(self, name: str) -> bool:
        """Whether some lens section could show a note fact of this name (its topics aside)."""
        if self.note_sections is None:
            return True
        return any(not names or name in names for names, _ in self.note_sections)

    def shows_note(self, name: str, topics: Sequence[str]) -> bool:
        """Whether some lens section would show a note fact of this name and these topics."""
        if self.note_sections is None:
            return True
        return any(
            (not names or name in names) and (not wanted or not set(wanted).isdisjoint(topics))
            for names, wanted in self.note_sections
        )


Analyzer = Callable[[Sequence[Evidence], AnalysisContext], list[Fact]]


Derived = Callable[[Sequence[Fact], AnalysisContext], list[Fact]]


class Narrowing(Protocol):
    """Keeps, of a view's items given batch by batch, those its analyzers can read.

    Items carry their places in the view (tuples that order as the view does). Narrowing
    batches apart and then their ``placed()`` together keeps what narrowing all at once does.
    """

    def add(self, position: tuple[int, ...], items: Sequence[Evidence]) -> None:
        """One batch of the view's items; ``position`` orders the batches as the view does."""

    def add_placed(self, placed: Sequence[tuple[tuple[int, ...], Evidence]]) -> None:
        """Items with their places, as another narrowing's ``placed()`` gives them."""

    def placed(self) -> list[tuple[tuple[int, ...], Evidence]]:
        """What was kept, with its places, in the view's order."""

    def items(self) -> list[Evidence]:
        """What was kept, in the view's order."""


@dataclass(frozen=True)
class Reads:
    """The evidence an analyzer reads: what the incremental runner keys its facts by.

    ``accepts`` picks the items of the view; the analyzer gives the same facts for those
    alone as for all the evidence, whatever their provenance's content hash and time and
    a document's last line (a test holds each analyzer to it). Analyzers of one view share its digests. ``per_note``:
    its facts for a note depend on that note's evidence alone, and are kept note by note.
    ``hits_only``: the view holds scan hits only, which sources always build. ``narrow``:
    makes a ``Narrowing`` of the view that its analyzers give the same facts for (a test
    holds them to it), so the runner holds only what it keeps, not the whole view.
    ``per_entity``: its facts about a business come from that business's items alone (items
    of no business being one more group), so they are kept business by business: an edit
    in one business's notes analyses that business again, not every one.
    """

    view: str
    sources: tuple[str, ...]  # the sources whose items the view may hold
    accepts: Callable[[Evidence], bool]
    per_note: bool = False
    hits_only: bool = False
    narrow: Callable[[], Narrowing] | None = None
    per_entity: bool = False


def reads() -> dict[str, Reads]:
    """What each analyzer over evidence reads, by analyzer name."""
    from . import assets, portfolio, records
    from .tables import LatestRows, reads as table_items

    ledger = Reads("ledger", ("ledger",), lambda ev: ev.source == "ledger")
    aws = Reads("aws", ("aws",), lambda ev: ev.source == "aws")
    tables = Reads("note tables", ("notes",), table_items, per_entity=True,
                   narrow=lambda: LatestRows(records.KEYS + portfolio.KEYS + assets.KEYS))
    return {
        "finance": ledger,
        "leaks": Reads("text secrets", ("notes", "ledger"),
                       lambda ev: ev.kind == "scan_hit" and ev.source in ("notes", "ledger"), hits_only=True),
        "books": ledger,
        "operations": Reads("note", ("notes",), lambda ev: ev.source == "notes", per_note=True),
        "records": tables,
        "portfolio": tables,
        "assets": tables,
        "security": Reads("repos", ("repos",), lambda ev: ev.source == "repos"),
        "cloud": aws,
        "cost": aws,
    }


def rules() -> tuple[dict[str, Analyzer], dict[str, Derived]]:
    """The analyzers over evidence, then those over facts, by name, in the order they run."""
    from . import books, finance, kpis, leaks, operations, plan
    from . import security
    from . import cloud, cost
    from . import assets, portfolio, records

    over_evidence = {
        "finance": finance.analyze,
        "leaks": leaks.analyze,
        "books": books.analyze,
        "operations": operations.analyze,
        "records": records.analyze,
        "portfolio": portfolio.analyze,
        "assets": assets.analyze,
        "security": security.analyze,
        "cloud": cloud.analyze,
        "cost": cost.analyze,
    }
    # kpis runs over the facts so computed KPIs count as supplied; before plan, which dates its gaps
    over_facts = {"kpis": kpis.analyze, "plan": plan.analyze}
    return over_evidence, over_facts


def analyze(evidence: Sequence[Evidence], context: AnalysisContext) -> tuple[list[Fact], dict[str, str]]:
    """Run every analyzer; return the fact base (sorted by id) and failures by analyzer.

    One failing analyzer does not stop the others: its error is returned so the run can
    record the failed stage and still deliver what the rest found.
    """
    facts: dict[str, Fact] = {}
    failures: dict[str, str] = {}
    over_evidence, over_facts = rules()
    stages: list[tuple[str, Callable[[], list[Fact]]]] = [
        (name, lambda fn=fn: fn(evidence, context)) for name, fn in over_evidence.items()
    ] + [
        (name, lambda fn=fn: fn(list(facts.values()), context))  # in the order they were made
        for name, fn in over_facts.items()
    ]
    # Millions of long-lived evidence items and facts: the cyclic GC would rescan them again
    # and again (a third of the analyzers' time at 20,000 notes). Nothing here makes cycles.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for name, run in stages:
            try:
                produced = run()
            except Exception as exc:  # a bug in one rule must not cost the whole run
                failures[name] = f"{type(exc).__name__}: {exc}"
                continue
            for fact in produced:
                facts.setdefault(fact.id, fact)
    finally:
        if gc_was_on:
            gc.enable()
        context.derived.clear()  # it holds the evidence, which the run no longer needs
    return [facts[k] for k in sorted(facts)], failures
