"""What every analyzer rule is built on: its context, the evidence it reads, one registry.

A rule is a pure function that registers once, with ``@rule``::

    @rule(reads=LEDGER)                       # id "finance": the module's entry point
    def analyze(evidence, ctx) -> list[Fact]: ...

    @rule(reads=FACTS)                        # over the facts the rules before it made
    def analyze(facts, ctx) -> list[Fact]: ...

Its id is its name (a module's ``analyze`` is named after its module); ``reads`` says which
evidence it reads (a ``Reads`` view: what the incremental runner keys its facts by), or
``FACTS``; ``kinds`` the business kinds it serves (None: every business); ``keys`` what a
narrowed view must keep for it. Built-in rules run in the order of their modules in
``BUILTIN``, over evidence first, then over facts; rules registered by other packages after
them, in the order they were registered. The analyzers import this module, never the
package, and nothing here imports an analyzer but by name, in ``registered()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from datetime import date
from importlib import import_module
from typing import Any, Callable, Protocol, Sequence, TypeVar

from ..model import Evidence, Fact
from ..vocabulary import Vocabulary, builtin_vocabulary

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., list[Fact]])

__all__ = ["BUILTIN", "FACTS", "AnalysisContext", "Narrowing", "Reads", "Rule", "keys_reading", "registered", "rule"]


@dataclass(frozen=True)
class AnalysisContext:
    """What analyzers may know besides the evidence: dates, entities, expectations."""

    as_of: date
    currency: str = "USD"
    # id → (name, kind): the kind configured, else inferred (see analyzers.kinds)
    entities: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id → the other names it goes by
    units: dict[str, str] = field(default_factory=dict)  # id → what one unit sold is called ("charter")
    ledger_types: tuple[tuple[str, str], ...] = ()  # [sources.ledger.types]: (category or account, type)
    stale_days: int = 45
    dmy: bool = False  # all-figure dates are day first ([organization] date_order = "dmy")
    # (kpi name, entity kinds it applies to; empty = the organisation as a whole)
    expected_kpis: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # which words mean which topic, role and signal (the built-in one, or a workspace's extension)
    vocabulary: Vocabulary = field(default_factory=builtin_vocabulary)

    # What analyzers derive from the same evidence for several rules (typed table rows, the
    # ledger's groups), made once per analysis: not part of what the context says
    derived: dict[tuple[str, int], tuple[Any, ...]] = field(default_factory=dict, compare=False, repr=False)

    def shared(self, name: str, evidence: Sequence[Evidence], make: Callable[[], T]) -> T:
        """``make()``, once for this evidence list (the same list: the same result)."""
        held = self.derived.get(key := (name, id(evidence)))
        if held is None or held[0] is not evidence or held[1] != len(evidence):
            held = self.derived[key] = (evidence, len(evidence), make())  # (holding the list keeps its id)
        return held[2]

    @cached_property
    def business_names(self) -> frozenset[str]:
        """The configured businesses' names, lower-case (worked out once per context)."""
        return frozenset(name.lower() for name, _ in self.entities.values())

    @cached_property
    def _named(self) -> "re.Pattern[str] | None":
        """Any business's name or alias, as a whole word or words, case aside."""
        names = {name for name, _ in self.entities.values() if name.strip()}
        names |= {alias for aliases in self.aliases.values() for alias in aliases if alias.strip()}
        if not names:
            return None
        return re.compile(r"(?i)(?<!\w)(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)")

    def topics_for(self, body: str | None, *, heading: str | None = None, tags: Sequence[str] = ()) -> tuple[str, ...]:
        """``Vocabulary.topics_for``, the heading without the businesses' names: a heading that
        names a business says whose its items are, not what they are about ("Evergreen
        Landscaping" made every item under it a tradesperson's, "Tallyho Services" every item
        a service; "Bluestack IT", in capitals, every item tech)."""
        if heading and self._named is not None:
            heading = self._unnamed(heading)
        return self.vocabulary.topics_for(body, heading=heading, tags=tags)

    @cached_property
    def _unnamed(self) -> Callable[[str], str]:
        """A heading without the businesses' names: a section's items share their heading,
        so each is read once (~1 µs a regex a heading, for every item of a million)."""
        named = self._named
        assert named is not None
        return lru_cache(maxsize=65536)(lambda heading: named.sub(" ", heading))

    def entity_name(self, entity: str | None) -> str:
        """The display name of an entity id; the organisation when there is none."""
        if entity is None:
            return "All businesses"
        return self.entities.get(entity, (entity, None))[0]

    def unassigned(self, entity: str | None) -> bool:
        """Whether items of this entity belong to no business: none named, where businesses are
        configured (with none configured, everything is the organisation's own)."""
        return entity is None and bool(self.entities)

    def kind_of(self, entity: str | None) -> str | None:
        """The kind of a business (rental, charter, ...); None when unknown or the group."""
        if entity is None:
            return None
        return self.entities.get(entity, (entity, None))[1]


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
    ``hits_only``: of the sources' parts (notes), the view holds only their hits (secrets
    found, remarks on the ledger), which sources always build. ``narrow``:
    makes a ``Narrowing`` of the view that its analyzers give the same facts for (a test
    holds them to it), so the runner holds only what it keeps, not the whole view (it keeps
    what the ``keys`` of every rule that reads the view pick: see ``keys_reading``).
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


FACTS = "facts"  # what a rule over the facts made before it reads


@dataclass(frozen=True)
class Rule:
    """One registered analyzer rule (see the module docstring)."""

    name: str
    fn: Callable[..., list[Fact]]
    reads: Reads | str  # a view of the evidence, or FACTS
    kinds: frozenset[str] | None = None  # the business kinds it serves; None: every one
    keys: tuple[Any, ...] = ()  # what a narrowed view must keep for it (e.g. table row keys)
    module: str = ""  # where it was registered (built-in ones run in the order of BUILTIN)
    # a rule over the facts whose facts take the place of those with the same id (an earlier
    # problem a later note says is fixed becomes a note of what happened)
    settles: bool = False
    # a rule over the facts whose facts come from parts of them, each on its own (resolution:
    # a business's items with the group's ends, and the group's items with every end): it
    # runs once per part, and the incremental runner keeps each part's facts under a digest
    # of that part, so an edit in one business's notes settles that business's items again
    partition: Callable[[Sequence[Fact]], dict[str, list[Fact]]] | None = None

    @property
    def over_facts(self) -> bool:
        """Whether it reads the facts made before it rather than evidence."""
        return self.reads == FACTS

    def serves(self, kind: str | None) -> bool:
        """Whether it applies to a business of this kind (an unknown kind: yes)."""
        return self.kinds is None or kind is None or kind in self.kinds

    def run(self, items: Sequence[Any], ctx: AnalysisContext) -> list[Fact]:
        """Its facts over ``items`` (evidence, or facts), of the businesses it serves only."""
        return [fact for part in self.parts(items, ctx).values() for fact in self.fn(part, ctx)]

    def parts(self, items: Sequence[Any], ctx: AnalysisContext) -> dict[str, Sequence[Any]]:
        """What it runs over, part by part, in order (one part, "", unless it has a
        ``partition``), of the businesses it serves only."""
        if self.kinds is not None:  # (the businesses it does not serve, once: not a fact at a time)
            unserved = {entity for entity in ctx.entities if not self.serves(ctx.kind_of(entity))}
            if unserved:
                items = [item for item in items if item.entity not in unserved]
        if self.partition is None:
            return {"": items}
        return dict(sorted(self.partition(items).items())) or {"": []}  # (no part: it still runs, on nothing)


_REGISTRY: dict[str, Rule] = {}

# The built-in analyzer modules, in the order their rules run (kpis before plan, which dates its gaps)
BUILTIN = ("finance", "leaks", "books", "operations", "records", "portfolio", "assets", "security",
           "cloud", "cost", "associates", "resolution", "restated", "drops", "seasons", "sold", "materiality", "vacant",
           "breakeven", "kpis",
           "plan")


def rule(*, reads: Reads | str, kinds: Sequence[str] | None = None, keys: Sequence[Any] = (),
         name: str | None = None, settles: bool = False,
         partition: Callable[[Sequence[Fact]], dict[str, list[Fact]]] | None = None) -> Callable[[F], F]:
    """Register the decorated function as a rule; it is returned unchanged."""
    if isinstance(reads, str) and reads != FACTS:
        raise ValueError(f"a rule reads a Reads view or FACTS, not {reads!r}")
    if settles and reads != FACTS:
        raise ValueError("only a rule over the facts (reads=FACTS) settles facts")
    if partition is not None and reads != FACTS:
        raise ValueError("only a rule over the facts (reads=FACTS) runs part by part")

    def register(fn: F) -> F:
        rule_id = name or (fn.__module__.rsplit(".", 1)[-1] if fn.__name__ == "analyze" else fn.__name__)
        held = _REGISTRY.get(rule_id)
        if held is not None and (held.module, held.fn.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"two analyzer rules are named {rule_id!r}: in {held.module} and in {fn.__module__}")
        _REGISTRY[rule_id] = Rule(rule_id, fn, reads, None if kinds is None else frozenset(kinds), tuple(keys),
                                  fn.__module__, settles, partition)
        return fn

    return register


def registered() -> tuple[Rule, ...]:
    """Every rule, built-in ones loaded, in the order they run (see the module docstring)."""
    for module in BUILTIN:
        import_module(f"{__package__}.{module}")
    builtin = {f"{__package__}.{module}": n for n, module in enumerate(BUILTIN)}
    found = {r.name: n for n, r in enumerate(_REGISTRY.values())}
    return tuple(sorted(_REGISTRY.values(),
                        key=lambda r: (r.over_facts, builtin.get(r.module, len(BUILTIN)), found[r.name])))


def keys_reading(view: str) -> tuple[Any, ...]:
    """The keys of every rule that reads ``view``, in the order the rules run."""
    return tuple(key for r in registered() if isinstance(r.reads, Reads) and r.reads.view == view for key in r.keys)
