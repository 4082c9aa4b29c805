"""One incremental analysis: ``IncrementalRun`` holds what it learns as it goes.

Its state is the sources' results, the memo and what was read from it, the parts built so
far (and what the views over all notes read of each), each view's items per group and
digests, and what the memo should keep at the end. Its methods are the steps: build parts
(``build``), take a view's digests per group (``view_digests``), gather a group's items
(``group_items``), and the two ways an analyzer runs (``per_note``, ``whole``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from ..analyzers import AnalysisContext, Narrowing, Reads, Rule, registered, run_rules
from ..analyzers.build import dump_facts, facts_digest, load_facts
from ..model import Evidence, Fact, FactBase
from ..sources import Part, SourceResult
from .jobs import Job, run_job
from .keys import code_digest, context_digest, items_digest
from .memo import MEMO_VERSION, Memo

__all__ = ["IncrementalRun", "IncrementalStats"]

_WHOLE = object()  # the one group of a view not kept per entity


@dataclass
class IncrementalStats:
    """What the runner reused and what it computed (for progress output and benchmarks)."""

    reused: list[str] = field(default_factory=list)  # analyzers whose facts were kept
    computed: list[str] = field(default_factory=list)
    notes_reused: int = 0  # notes whose per-note facts were kept
    notes_built: int = 0  # notes whose evidence was built this run
    groups_computed: dict[str, int] = field(default_factory=dict)  # per analyzer: groups (businesses) computed
    parts_computed: dict[str, list[str]] = field(default_factory=dict)  # per rule run part by part: parts run
    parts_reused: dict[str, list[str]] = field(default_factory=dict)  # and parts kept
    workers: int = 1  # processes that built notes (and ran per-note analyzers), at most
    error: str | None = None  # why the memo could not be used, if it could not
    # a digest of everything the fact base was made from (code, context, inputs): the same
    # digest, the same facts; None when some input has no digest or a rule failed
    fact_base_key: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per analyzer, kept or computed


class IncrementalRun:
    """``analyzers.analyze`` over the sources' evidence and parts, reusing kept facts (``analyze``)."""

    def __init__(self, results: Sequence[SourceResult], context: AnalysisContext, memo: Memo,
                 settings_digest: str = "") -> None:
        self.results, self.context, self.memo = results, context, memo
        self.stats = IncrementalStats()
        started = time.perf_counter()
        self.rules: tuple[Rule, ...] = registered()
        self.declared = {r.name: r.reads for r in self.rules if isinstance(r.reads, Reads)}
        self.base = hashlib.sha256(
            f"{MEMO_VERSION}\0{code_digest()}\0{context_digest(context)}\0{settings_digest}".encode()
        ).hexdigest()
        self.parts = [p for r in results for p in r.parts]
        # a part's kept facts and digests hold for this code and context only
        self.keys = {p.key: hashlib.sha256(f"{self.base}\0{p.key}".encode()).hexdigest() for p in self.parts}
        self.stored_views = memo.parts(set(self.keys.values()))
        self.kept: set[str] | None = None  # the parts whose facts are kept (read one by one, when loaded)
        self.stats.seconds["(memo load)"] = time.perf_counter() - started
        # per part built: what the views over all notes read of it (not what a narrowed view keeps)
        self.built: dict[str, list[Evidence]] = {}
        self.position = {p.key: (n, i) for n, r in enumerate(results) for i, p in enumerate(r.parts)}
        self.views = {spec.view: spec for spec in self.declared.values() if not spec.per_note and not spec.hits_only}
        self.narrowings: dict[str, Narrowing] = {}
        self.views_now: dict[str, dict[str, str]] = {}  # view digests of the parts this run touched, by memo key
        self.pending: set[str] = set()  # parts whose view digests are new and not yet kept
        self.facts_kept = False  # whether some part's facts were kept this run
        self.new_whole: dict[str, tuple[str, bytes]] = {}
        self.views_of: dict[tuple[str, object], list[Evidence]] = {}  # (view, group) → its items
        self.digests: dict[str, dict[object, str | None]] = {}  # view → group → digest
        self.fed: set[tuple[str, int]] = set()  # (view, result) whose eager items a narrowing has
        self.live_whole: set[str] = set()  # the analyzers' kept facts this run uses, by label
        # what the facts so far were made from, rule by rule (None: something no digest describes)
        self.trail: "hashlib._Hash | None" = hashlib.sha256(self.base.encode())

    def analyze(self) -> tuple[list[Fact], dict[str, str]]:
        """Every rule's facts (sorted by id) and failures by rule; the memo keeps what it may."""
        seconds = self.stats.seconds
        self.context.vocabulary.compile()  # (once, before notes are analysed in worker processes)
        facts, failures = run_rules(self.rules, self._over_evidence, self.context, seconds, self._over_facts)
        started = time.perf_counter()
        self.memo.save({k: self.views_now[k] for k in self.pending}, self.new_whole, set(self.keys.values()),
                       self.live_whole, self.facts_kept)
        seconds["(memo save)"] = time.perf_counter() - started
        started = time.perf_counter()
        ordered = FactBase(facts)
        seconds["(sort)"] = time.perf_counter() - started
        self.stats.fact_base_key = None if failures else self.fact_base_key()
        self.stats.error = self.memo.error
        return ordered, failures

    def fact_base_key(self) -> str | None:
        """A digest of everything the fact base is made from, rule by rule (as ``_over_facts``
        keys a rule over facts), or None where this run cannot say without building notes
        (before a changed note is built) or some input has no digest. Once the rules have run
        it costs little: the view digests are known."""
        trail = hashlib.sha256(self.base.encode())

        def add(*values: str) -> None:
            trail.update("\0".join(values).encode() + b"\1")

        for rule in self.rules:
            if rule.over_facts:
                add(rule.name, trail.hexdigest())
                continue
            spec = self.declared[rule.name]
            mine = [p for p in self.parts if p.source in spec.sources]
            if spec.per_note:
                eager = [ev for r in self.results for ev in r.evidence if spec.accepts(ev)]
                try:
                    add(rule.name, items_digest(eager) if eager else "", *(self.keys[p.key] for p in mine))
                except TypeError:
                    return None
                continue
            if not spec.hits_only and any(spec.view not in self.part_views(p) for p in mine):
                return None  # (a note to build first: not worth it here, the rules will)
            digest_of = self.view_digests(spec)
            if any(d is None for d in digest_of.values()):
                return None
            for group in sorted(digest_of, key=lambda g: g if isinstance(g, str) else ""):
                add(rule.name, "" if group is _WHOLE else f"@{group or ''}", digest_of[group])  # type: ignore[arg-type]
        return trail.hexdigest()

    def _over_evidence(self, rule: Rule) -> list[Fact]:
        spec = self.declared[rule.name]
        try:
            return (self.per_note if spec.per_note else self.whole)(rule.name, rule.run, spec)
        except Exception:
            self.trail = None  # (a rule that failed: the facts so far are not what a digest says)
            raise

    def _let_evidence_go(self) -> None:
        """Let go of what the rules over evidence read (built notes' items, views, rows derived
        from them) once they have all run: the rules over facts, which come last, never read
        it, and the sort then needs room beside every fact."""
        self.built.clear()
        self.views_of.clear()
        self.narrowings.clear()
        self.context.derived.clear()

    def _add_to_trail(self, *values: str) -> None:
        if self.trail is not None:
            self.trail.update("\0".join(values).encode() + b"\1")

    def _over_facts(self, rule: Rule, so_far: Callable[[], list[Fact]]) -> list[Fact]:
        """A rule over the facts made before it: kept, when what it reads is what it read when
        it was kept (the trail: every key and digest the facts so far were kept or made under,
        in order), or run over them."""
        self._let_evidence_go()
        key = self.trail.hexdigest() if self.trail is not None else None
        self.live_whole.add(rule.name)
        kept = self.memo.whole(rule.name, key) if key else None
        if kept is not None:
            made = load_facts(kept)
            self.stats.reused.append(rule.name)
        else:
            try:
                made = self._part_by_part(rule, so_far()) if rule.partition is not None else rule.run(so_far(), self.context)
            except Exception:
                self.trail = None
                raise
            if key:
                self.new_whole[rule.name] = (key, dump_facts(made))
            self.stats.computed.append(rule.name)
        self._add_to_trail(rule.name, key or "")  # (its facts are what its key says)
        return made

    def _part_by_part(self, rule: Rule, facts: list[Fact]) -> list[Fact]:
        """A rule over facts that runs part by part (``Rule.partition``): each part's facts
        kept under a digest of the part (every field of its facts, in order), so a part that
        is as it was is not run again."""
        made: list[Fact] = []
        for name, part in rule.parts(facts, self.context).items():
            label = f"{rule.name}#{name}"
            key = hashlib.sha256(f"{self.base}\0{label}\0{facts_digest(part)}".encode()).hexdigest()
            self.live_whole.add(label)
            kept = self.memo.whole(label, key)
            if kept is not None:
                made += load_facts(kept)
                self.stats.parts_reused.setdefault(rule.name, []).append(name)
                continue
            self.stats.parts_computed.setdefault(rule.name, []).append(name)
            found = rule.fn(part, self.context)
            self.new_whole[label] = (key, dump_facts(found))
            made += found
        return made

    def narrowing(self, spec: Reads) -> Narrowing:
        """The view's narrowing (one per run: fed as parts are built)."""
        if spec.view not in self.narrowings:
            self.narrowings[spec.view] = spec.narrow()  # type: ignore[misc]
        return self.narrowings[spec.view]

    def build(self, todo: Sequence[Part], analyzer: Callable | None = None,
              spec: Reads | None = None) -> Iterator[tuple[Part, list[Fact] | bytes | None]]:
        """Build these parts (in worker processes when there are many), and yield each with
        ``analyzer``'s facts for it. A part's first build keeps what the views over all notes
        read of it (a narrowed view's in its narrowing) and its digest per view."""
        job = Job(parts=todo, views=list(self.views.values()), retain=[p.key not in self.built for p in todo],
                  known=[self.part_views(p) for p in todo], position=[self.position[p.key] for p in todo],
                  analyzer=analyzer, accepts=spec.accepts if spec else None, context=self.context)
        for done, placed in run_job(job):
            for view, pairs in placed.items():
                self.narrowing(self.views[view]).add_placed(pairs)
            for i, facts, found, items in done:
                part = todo[i]
                if job.retain[i]:
                    self.stats.notes_built += 1
                    self.built[part.key] = items
                    if found:
                        self.remember_part(part, found)
                yield part, facts
        self.stats.workers = max(self.stats.workers, job.workers)

    def build_missing(self, spec: Reads, wanted: Callable[[Part], bool]) -> None:
        """Build, together, the parts of the view's sources not built yet that ``wanted`` picks."""
        for _ in self.build([p for p in self.parts
                             if p.source in spec.sources and p.key not in self.built and wanted(p)]):
            pass

    def part_views(self, part: Part) -> dict[str, str]:
        """The part's digest per view, as this run knows them (new ones first, then the memo's)."""
        key = self.keys[part.key]
        return self.views_now[key] if key in self.views_now else self.stored_views.get(key, {})

    def remember_part(self, part: Part, found: dict[str, str] | None = None,
                      facts: list[Fact] | bytes | None = None) -> None:
        """Note a part's new view digests (``found``); keep its facts now, if given."""
        key = self.keys[part.key]
        self.views_now[key] = {**self.part_views(part), **(found or {})}
        if facts is None:
            self.pending.add(key)
            return
        self.memo.put_part(key, self.views_now[key], facts if isinstance(facts, bytes) else dump_facts(facts))
        self.pending.discard(key)
        self.facts_kept = True

    @staticmethod
    def group_of(spec: Reads, entity: str | None) -> object:
        """The group an item of this business is read in."""
        return entity if spec.per_entity else _WHOLE

    @staticmethod
    def groups_of(spec: Reads, part: Part) -> tuple[object, ...]:
        """The groups a part's items are read in."""
        return part.entity_groups() if spec.per_entity else (_WHOLE,)

    def targets(self, spec: Reads, ev: Evidence, part_groups: Sequence[object]) -> Sequence[object]:
        """The groups an item is read in: its business's; a file's document, in every group
        of its file (a note covering two businesses dates the rows of both)."""
        if spec.per_entity and ev.kind == "document" and part_groups:
            return part_groups
        return (self.group_of(spec, ev.entity),)

    def view_digests(self, spec: Reads) -> dict[object, str | None]:
        """The digest of each group of the view's items (a business's, for a view kept per
        entity; else one group of every item), in collection order; None: no digest."""
        if spec.view in self.digests:
            return self.digests[spec.view]
        if not spec.hits_only:
            self.build_missing(spec, lambda part: spec.view not in self.part_views(part))
        hashers: dict[object, "hashlib._Hash"] = {}
        failed: set[object] = set()

        def update(group: object, text: Callable[[], str]) -> None:
            if group not in hashers:
                hashers[group] = hashlib.sha256(
                    f"{self.base}\0{spec.view}\0{'' if group is _WHOLE else group}".encode())
            try:
                hashers[group].update(text().encode())
            except TypeError:  # an item no digest can describe exactly: analyse it every run
                failed.add(group)

        if not spec.per_entity:
            update(_WHOLE, lambda: "")  # (a view with no items is still analysed)
        for result in self.results:
            eager: dict[object, list[Evidence]] = {}
            for ev in result.evidence:
                if spec.accepts(ev):
                    eager.setdefault(self.group_of(spec, ev.entity), []).append(ev)
            for group, items in eager.items():
                update(group, lambda items=items: items_digest(items))
            for part in result.parts:
                if part.source not in spec.sources:
                    continue
                for group in self.groups_of(spec, part):
                    if spec.hits_only:  # (a part with none adds nothing: its hits name their file)
                        hits = [ev for ev in part.hits if spec.accepts(ev)]
                        if hits or spec.per_entity:
                            update(group, lambda hits=hits: items_digest(hits))
                        continue
                    known = self.part_views(part).get(spec.view)
                    if known is None:
                        failed.add(group)
                        continue
                    update(group, lambda part=part, known=known: f"{part.path}\0{known}\0")
        self.digests[spec.view] = {g: None if g in failed else h.hexdigest() for g, h in hashers.items()}
        return self.digests[spec.view]

    def group_items(self, spec: Reads, groups: Sequence[object]) -> None:
        """Put each group's items, in collection order, in ``views_of`` (one list per group:
        analyzers of one view share what they derive from it)."""
        lists: dict[object, list[Evidence]] = {g: [] for g in groups if (spec.view, g) not in self.views_of}
        if not lists:
            return
        if not spec.hits_only:  # (a narrowing is fed as parts are built)
            self.build_missing(spec, lambda part: any(g in lists for g in self.groups_of(spec, part)))
        for n, result in enumerate(self.results):
            eager = [ev for ev in result.evidence if spec.accepts(ev)]
            if spec.narrow is not None:
                if (spec.view, n) not in self.fed:
                    self.fed.add((spec.view, n))
                    self.narrowing(spec).add((n, -1), eager)
                continue
            for ev in eager:
                lists.get(self.group_of(spec, ev.entity), []).append(ev)
            for part in result.parts:
                if part.source in spec.sources and any(g in lists for g in self.groups_of(spec, part)):
                    for ev in (part.hits if spec.hits_only else self.built[part.key]):
                        if spec.accepts(ev):
                            for group in self.targets(spec, ev, self.groups_of(spec, part)):
                                lists.get(group, []).append(ev)
        if spec.narrow is not None:
            part_groups = {p.path: self.groups_of(spec, p) for p in self.parts if p.source in spec.sources}
            for ev in self.narrowing(spec).items():
                for group in self.targets(spec, ev, part_groups.get(ev.provenance.path, ())):
                    lists.get(group, []).append(ev)
        self.views_of.update(((spec.view, g), items) for g, items in lists.items())

    def per_note(self, name: str, fn: Callable, spec: Reads) -> list[Fact]:
        """A per-note analyzer's facts: each note's kept, or computed as the note is built."""
        produced: list[Fact] = []
        eager = [ev for r in self.results for ev in r.evidence if spec.accepts(ev)]
        if eager:  # a source that gave no parts: analysed whole, every run
            produced += fn(eager, self.context)
            try:
                self._add_to_trail(name, items_digest(eager))
            except TypeError:
                self.trail = None
        self._add_to_trail(name, *(self.keys[p.key] for p in self.parts if p.source in spec.sources))
        if self.kept is None:
            self.kept = self.memo.kept_parts(set(self.keys.values()))
        todo = [p for p in self.parts if p.source in spec.sources and self.keys[p.key] not in self.kept]
        # (of a note's items, only what other views read is kept once it is analysed: a
        # large workspace's sections and tasks are most of its memory)
        made = self.build(todo, fn, spec)
        pieces: list[list[Fact] | bytes | Part] = []  # each note's facts (a kept note: the note), in order
        for part in self.parts:
            if part.source not in spec.sources:
                continue
            if self.keys[part.key] in self.kept:
                self.kept.discard(self.keys[part.key])  # (one analyzer per note: the memo keeps one)
                pieces.append(part)
                self.stats.notes_reused += 1
                continue
            _, facts = next(made)
            self.remember_part(part, facts=facts)
            pieces.append(facts or [])
        assert next(made, None) is None  # the workers, if any, are let go; then the facts are
        for n, piece in enumerate(pieces):  # loaded (not beside the workers' memory), each once
            if isinstance(piece, Part):  # kept: read now, one note at a time (not all the bytes at once)
                blob = self.memo.part_facts(self.keys[piece.key])
                produced += (load_facts(blob) if blob is not None
                             else fn([ev for ev in piece.evidence() if spec.accepts(ev)], self.context))
            else:
                produced += load_facts(piece) if isinstance(piece, bytes) else piece
            pieces[n] = []
        return produced

    def whole(self, name: str, fn: Callable, spec: Reads) -> list[Fact]:
        """The analyzer's facts for each group of its view: kept, or computed from the group's items."""
        digest_of = self.view_digests(spec)
        groups = sorted(digest_of, key=lambda g: g if isinstance(g, str) else "")
        labels = {g: name if g is _WHOLE else f"{name}@{g or ''}" for g in groups}
        self.live_whole.update(labels.values())
        kept = {g: self.memo.whole(labels[g], digest_of[g]) if digest_of[g] else None for g in groups}
        for group in groups:
            if digest_of[group] is None:
                self.trail = None
            self._add_to_trail(labels[group], digest_of[group] or "")
        todo = [g for g in groups if kept[g] is None]
        self.group_items(spec, todo)
        produced: list[Fact] = []
        for group in groups:
            if kept[group] is not None:
                produced += load_facts(kept[group])  # type: ignore[arg-type]
                continue
            made = fn(self.views_of[spec.view, group], self.context)
            if digest_of[group]:
                self.new_whole[labels[group]] = (digest_of[group], dump_facts(made))  # type: ignore[assignment]
            produced += made
        (self.stats.computed if todo else self.stats.reused).append(name)
        self.stats.groups_computed[name] = len(todo)
        return produced
