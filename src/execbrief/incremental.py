"""Incremental analysis: the facts of unchanged inputs are reused, not computed again.

Every analyzer is a pure function of the evidence it reads (its ``Rule.reads``) and of
the analysis context, so its facts can be kept under a key made of digests of exactly
those, and of the code. A later run with the same key takes the kept facts and never
builds the evidence behind them:

- a per-note analyzer (operations) keeps its facts note by note, under the note's part key
  (content hash, path, mtime, current flag): one edited note costs one note's work;
- any other analyzer keeps its facts under the digest of its view: for notes, a digest
  of each note's items in the view (an edit outside a note's tables leaves the table rules'
  key as it was); for eager sources, a digest of their items;
- ``kpis`` and ``plan`` read the facts, and always run.

The result is the fact base ``analyzers.analyze`` gives for all the evidence, fact for
fact: ``tests/test_incremental.py`` holds it to that, cold, warm and after edits.

Kept facts live in ``<workspace>/.execbrief/cache/analysis.sqlite``. If that cannot be
opened or written, the run still analyses everything, uncached.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .analyzers import AnalysisContext, Narrowing, Reads, registered
from .analyzers.build import dump_facts, load_facts
from .model import Evidence, Fact
from .construct import evidence, provenance
from .sources import Part, SourceResult
from .workers import ForkMap

__all__ = ["IncrementalStats", "analyze_incremental", "bulk_allocation", "code_digest", "thaw_at_exit"]

MEMO_VERSION = 1


@dataclass
class IncrementalStats:
    """What the runner reused and what it computed (for progress output and benchmarks)."""

    reused: list[str] = field(default_factory=list)  # analyzers whose facts were kept
    computed: list[str] = field(default_factory=list)
    notes_reused: int = 0  # notes whose per-note facts were kept
    notes_built: int = 0  # notes whose evidence was built this run
    groups_computed: dict[str, int] = field(default_factory=dict)  # per analyzer: groups (businesses) computed
    workers: int = 1  # processes that built notes (and ran per-note analyzers), at most
    error: str | None = None  # why the memo could not be used, if it could not
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per analyzer, kept or computed


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic GC while millions of long-lived objects are made, and keep it off them.

    Evidence and facts hold no reference cycles, so the cyclic GC has nothing to find in
    them, yet it would walk all of them again and again as they are made (a third of the
    analyzers' time at 20,000 notes), and once more, in full, at the first collection after
    it is turned back on (about a second). So at the end what exists is moved to the
    permanent generation (``gc.freeze``), which collections skip. Objects are still freed
    by reference counting as ever; a cycle made before the end is collected only once
    ``thaw_at_exit`` (around the whole run) hands the frozen objects back to the collector.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


@contextmanager
def thaw_at_exit() -> Iterator[None]:
    """On leaving, give what ``bulk_allocation`` froze back to the cyclic GC."""
    try:
        yield
    finally:
        gc.unfreeze()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of execbrief's own source files: new code never reuses old facts."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _context_digest(context: AnalysisContext) -> str:
    values = {f.name: getattr(context, f.name) for f in fields(context) if f.compare}
    return json.dumps(values, sort_keys=True, default=str)


def _item(ev: Evidence) -> list:
    """What an analyzer may read of an item: all of it but its provenance's hash and time,
    and a document's last line (its length: a line added to a note is not a new document)."""
    p = ev.provenance
    end = None if ev.kind == "document" else p.line_end
    return [ev.id, ev.source, ev.kind, ev.entity, ev.text, ev.record, p.source, p.path, p.line_start, end]


def _plain(value: object) -> str:
    """A JSON stand-in for a value JSON has no form for; TypeError if it has no exact one."""
    if isinstance(value, (date, Decimal)):
        return f"{type(value).__name__}:{value}"
    digest = getattr(value, "content_digest", None)  # e.g. a ledger file's TransactionTable
    if callable(digest):
        return f"{type(value).__name__}:{digest()}"
    raise TypeError(f"no digest for {type(value).__name__}")


def _digest(items: Sequence[Evidence]) -> str:
    # (keys in the order the source wrote them: the same evidence, the same order)
    text = json.dumps([_item(ev) for ev in items], separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


class _Memo:
    """The kept facts: per note (``parts``) and per analyzer (``whole``)."""

    def __init__(self, path: Path | None) -> None:
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        if path is None:
            return
        for attempt in (1, 2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path)
                self.db.executescript(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                    "CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, views TEXT, facts BLOB);"
                    "CREATE TABLE IF NOT EXISTS whole (analyzer TEXT PRIMARY KEY, key TEXT, facts BLOB);"
                )
                return
            except sqlite3.DatabaseError as exc:  # not a database (damaged): start a new one, once
                self._fail(exc)
                if attempt == 2 or not path.is_file():
                    return
                self.error = None
                for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    stale.unlink(missing_ok=True)
            except (sqlite3.Error, OSError) as exc:
                self._fail(exc)
                return

    def _fail(self, exc: Exception) -> None:
        self.error = self.error or str(exc)
        if self.db is not None:
            self.db.close()
        self.db = None

    def parts(self, keys: set[str]) -> tuple[dict[str, dict[str, str]], dict[str, bytes]]:
        """The kept view digests and facts of these parts, by key."""
        views: dict[str, dict[str, str]] = {}
        facts: dict[str, bytes] = {}
        if self.db is None or not keys:
            return views, facts
        try:
            rows = self.db.execute("SELECT key, views, facts FROM parts").fetchall()
        except sqlite3.Error as exc:
            self._fail(exc)
            return views, facts
        for key, digests, blob in rows:
            if key in keys:
                views[key] = json.loads(digests)
                if blob is not None:
                    facts[key] = blob
        return views, facts

    def put_part(self, key: str, views: dict[str, str], facts: bytes) -> None:
        """Keep a part's facts now, in the transaction ``save`` commits (so a run does not hold
        every new part's facts as bytes until the end)."""
        if self.db is None:
            return
        try:
            self.db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?, ?)", (key, json.dumps(views), facts))
        except sqlite3.Error as exc:
            self._fail(exc)

    def whole(self, analyzer: str, key: str) -> bytes | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT key, facts FROM whole WHERE analyzer = ?", (analyzer,)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return row[1] if row and row[0] == key else None

    def save(self, views: dict[str, dict[str, str]], whole: dict[str, tuple[str, bytes]], live: set[str],
             live_whole: set[str], parts_changed: bool) -> None:
        """Commit the parts kept so far, with new view digests of others (``views``) and the
        analyzers' facts (``whole``), and forget the parts (by key) and analyzers' facts (by
        label) this run did not use."""
        if self.db is None or not (parts_changed or views or whole):
            return
        try:
            with self.db:
                self.db.executemany(
                    "INSERT INTO parts VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET views = excluded.views",
                    [(k, json.dumps(v)) for k, v in views.items()])
                self.db.executemany("INSERT OR REPLACE INTO whole VALUES (?, ?, ?)",
                                    [(name, key, blob) for name, (key, blob) in whole.items()])
                if whole:  # a business that is gone, an analyzer that failed
                    self._keep_only("whole", "analyzer", live_whole)
                if parts_changed or views:  # notes that changed or went: forget the parts no note has any more
                    self._keep_only("parts", "key", live)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _keep_only(self, table: str, column: str, live: set[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is not in ``live`` (in the open transaction)."""
        assert self.db is not None
        self.db.execute(f"CREATE TEMP TABLE IF NOT EXISTS live_{table} (value TEXT PRIMARY KEY)")
        self.db.execute(f"DELETE FROM live_{table}")
        self.db.executemany(f"INSERT INTO live_{table} VALUES (?)", [(k,) for k in live])
        self.db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT value FROM live_{table})")

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


_WHOLE = object()  # the one group of a view not kept per entity
PARALLEL_MIN = 400  # parts to build before the work is spread over worker processes
CHUNK = 64  # parts a worker builds per task: its own narrowing of them goes back as one


@dataclass
class _Job:
    """Parts to build, and what to do with each: see ``_build_chunk``."""

    parts: Sequence[Part]
    views: Sequence[Reads]  # the views over all notes: what they read of a part is kept
    retain: Sequence[bool]  # per part: keep its items and digests (not on a second build)
    known: Sequence[dict[str, str]]  # per part: its view digests known already
    position: Sequence[tuple[int, int]]  # per part: its place among the sources' parts
    analyzer: Callable[[Sequence[Evidence], AnalysisContext], list[Fact]] | None = None  # per note, if any
    accepts: Callable[[Evidence], bool] | None = None  # what the analyzer reads of a part
    context: AnalysisContext | None = None
    portable: bool = False  # results cross processes: facts as bytes, evidence as plain tuples
    workers: int = 1  # processes that built the parts (set by ``_run``)


_Built = tuple[int, "list[Fact] | bytes | None", dict[str, str], list[Any]]
_JOB: _Job | None = None  # the job forked workers build from (set before they start)


def _build_chunk(job: _Job, indices: Sequence[int]) -> tuple[list[_Built], dict[str, list[Any]]]:
    """Build some of a job's parts: for each, (index, the per-note analyzer's facts, its new
    view digests, the items the non-narrowed views read); and what the narrowed views keep
    of them all, with places. Only a retained part's items and digests are taken."""
    done: list[_Built] = []
    narrowed = {spec.view: spec.narrow() for spec in job.views if spec.narrow is not None}
    for i in indices:
        part = job.parts[i]
        evidence = part.evidence()
        facts: list[Fact] | bytes | None = None
        if job.analyzer is not None:
            facts = job.analyzer([ev for ev in evidence if job.accepts(ev)], job.context)  # type: ignore[misc,arg-type]
            if job.portable:
                facts = dump_facts(facts)
        digests: dict[str, str] = {}
        keep: set[int] = set()
        for spec in job.views if job.retain[i] else ():
            if part.source not in spec.sources:
                continue
            mine = [ev for ev in evidence if spec.accepts(ev)]
            if spec.view not in job.known[i]:
                try:
                    digests[spec.view] = _digest(mine)
                except TypeError:  # no digest: the view is analysed every run (see whole)
                    pass
            if spec.narrow is not None:
                narrowed[spec.view].add(job.position[i], mine)
            else:
                keep.update(map(id, mine))
        items = [ev for ev in evidence if id(ev) in keep]
        done.append((i, facts, digests, [_flat(ev) for ev in items] if job.portable else items))
    placed: dict[str, list[Any]] = {view: n.placed() for view, n in narrowed.items()}
    if job.portable:
        placed = {view: [(place, _flat(ev)) for place, ev in pairs] for view, pairs in placed.items()}
    return done, placed


def _build_in_worker(indices: Sequence[int]) -> tuple[list[_Built], dict[str, list[Any]]]:
    assert _JOB is not None
    return _build_chunk(_JOB, indices)


def _run(job: _Job) -> Iterator[tuple[list[_Built], dict[str, list[Any]]]]:
    """``_build_chunk`` over every part of ``job``, chunk by chunk in order: in forked worker
    processes when there are many parts (see ``execbrief.workers``), else here."""
    global _JOB
    chunks = [range(start, min(start + CHUNK, len(job.parts))) for start in range(0, len(job.parts), CHUNK)]
    here = replace(job, portable=False)
    _JOB = replace(job, portable=True)  # (what the workers fork with, if any are forked)
    try:
        with ForkMap(_build_in_worker, chunks, parallel=len(job.parts) >= PARALLEL_MIN,
                     here=partial(_build_chunk, here), received=_received) as built:
            yield from built
            job.workers = built.workers
    finally:
        _JOB = None


def _received(result: tuple[list[_Built], dict[str, list[Any]]]) -> tuple[list[_Built], dict[str, list[Any]]]:
    """A worker's chunk, its evidence made ``Evidence`` again."""
    done, placed = result
    return ([(i, facts, digests, [_unflat(t) for t in items]) for i, facts, digests, items in done],
            {view: [(tuple(place), _unflat(t)) for place, t in pairs] for view, pairs in placed.items()})


def _flat(ev: Evidence) -> tuple:
    """An evidence item as plain values, to cross from a worker process (see ``_unflat``)."""
    p = ev.provenance
    return ev.id, ev.source, ev.kind, ev.entity, ev.text, ev.record, (
        p.source, p.path, p.line_start, p.line_end, p.observed_at, p.sha256)


def _unflat(values: tuple) -> Evidence:
    return evidence(*values[:6], provenance(*values[6]))


def analyze_incremental(
    results: Sequence[SourceResult], context: AnalysisContext, *, cache: Path | None, settings_digest: str = "",
) -> tuple[list[Fact], dict[str, str], IncrementalStats]:
    """``analyzers.analyze`` over the sources' evidence and parts, reusing kept facts.

    ``results`` are the sources' results in the order a run collects them; ``cache`` the
    memo's file (None: keep nothing); ``settings_digest`` what else the evidence depends
    on (the sources' and entities' configuration).
    """
    stats = IncrementalStats()
    started = time.perf_counter()
    memo = _Memo(cache)
    rules = registered()
    declared = {r.name: r.reads for r in rules if isinstance(r.reads, Reads)}
    base = hashlib.sha256(
        f"{MEMO_VERSION}\0{code_digest()}\0{_context_digest(context)}\0{settings_digest}".encode()
    ).hexdigest()
    parts = [p for r in results for p in r.parts]
    # a part's kept facts and digests hold for this code and context only
    keys = {p.key: hashlib.sha256(f"{base}\0{p.key}".encode()).hexdigest() for p in parts}
    stored_views, stored_facts = memo.parts(set(keys.values()))
    stats.seconds["(memo load)"] = time.perf_counter() - started
    # per part built: what the views over all notes read of it (not what a narrowed view keeps)
    built: dict[str, list[Evidence]] = {}
    position = {p.key: (n, i) for n, r in enumerate(results) for i, p in enumerate(r.parts)}
    views = {spec.view: spec for spec in declared.values() if not spec.per_note and not spec.hits_only}
    narrowings: dict[str, Narrowing] = {}
    views_now: dict[str, dict[str, str]] = {}  # view digests of the parts this run touched, by memo key
    pending: set[str] = set()  # parts whose view digests are new and not yet kept
    facts_kept = False  # whether some part's facts were kept this run
    new_whole: dict[str, tuple[str, bytes]] = {}
    views_of: dict[tuple[str, object], list[Evidence]] = {}  # (view, group) → its items
    digests: dict[str, dict[object, str | None]] = {}  # view → group → digest
    fed: set[tuple[str, int]] = set()  # (view, result) whose eager items a narrowing has
    live_whole: set[str] = set()  # the analyzers' kept facts this run uses, by label

    def narrowing(spec: Reads) -> Narrowing:
        if spec.view not in narrowings:
            narrowings[spec.view] = spec.narrow()  # type: ignore[misc]
        return narrowings[spec.view]

    def build(todo: Sequence[Part], analyzer: Callable | None = None,
              spec: Reads | None = None) -> Iterator[tuple[Part, list[Fact] | bytes | None]]:
        """Build these parts (in worker processes when there are many), and yield each with
        ``analyzer``'s facts for it. A part's first build keeps what the views over all notes
        read of it (a narrowed view's in its narrowing) and its digest per view."""
        job = _Job(parts=todo, views=list(views.values()), retain=[p.key not in built for p in todo],
                   known=[part_views(p) for p in todo], position=[position[p.key] for p in todo],
                   analyzer=analyzer, accepts=spec.accepts if spec else None, context=context)
        for done, placed in _run(job):
            for view, pairs in placed.items():
                narrowing(views[view]).add_placed(pairs)
            for i, facts, found, items in done:
                part = todo[i]
                if job.retain[i]:
                    stats.notes_built += 1
                    built[part.key] = items
                    if found:
                        remember_part(part, found)
                yield part, facts
        stats.workers = max(stats.workers, job.workers)

    def build_missing(spec: Reads, wanted: Callable[[Part], bool]) -> None:
        """Build, together, the parts of the view's sources not built yet that ``wanted`` picks."""
        for _ in build([p for p in parts if p.source in spec.sources and p.key not in built and wanted(p)]):
            pass

    def part_views(part: Part) -> dict[str, str]:
        key = keys[part.key]
        return views_now[key] if key in views_now else stored_views.get(key, {})

    def remember_part(part: Part, found: dict[str, str] | None = None, facts: list[Fact] | bytes | None = None) -> None:
        """Note a part's new view digests (``found``); keep its facts now, if given."""
        nonlocal facts_kept
        key = keys[part.key]
        views_now[key] = {**part_views(part), **(found or {})}
        if facts is None:
            pending.add(key)
            return
        memo.put_part(key, views_now[key], facts if isinstance(facts, bytes) else dump_facts(facts))
        pending.discard(key)
        facts_kept = True

    def group_of(spec: Reads, entity: str | None) -> object:
        return entity if spec.per_entity else _WHOLE

    def groups_of(spec: Reads, part: Part) -> tuple[object, ...]:
        return part.entity_groups() if spec.per_entity else (_WHOLE,)

    def targets(spec: Reads, ev: Evidence, part_groups: Sequence[object]) -> Sequence[object]:
        """The groups an item is read in: its business's; a file's document, in every group
        of its file (a note covering two businesses dates the rows of both)."""
        if spec.per_entity and ev.kind == "document" and part_groups:
            return part_groups
        return (group_of(spec, ev.entity),)

    def view_digests(spec: Reads) -> dict[object, str | None]:
        """The digest of each group of the view's items (a business's, for a view kept per
        entity; else one group of every item), in collection order; None: no digest."""
        if spec.view in digests:
            return digests[spec.view]
        if not spec.hits_only:
            build_missing(spec, lambda part: spec.view not in part_views(part))
        hashers: dict[object, "hashlib._Hash"] = {}
        failed: set[object] = set()

        def update(group: object, text: Callable[[], str]) -> None:
            if group not in hashers:
                hashers[group] = hashlib.sha256(f"{base}\0{spec.view}\0{'' if group is _WHOLE else group}".encode())
            try:
                hashers[group].update(text().encode())
            except TypeError:  # an item no digest can describe exactly: analyse it every run
                failed.add(group)

        if not spec.per_entity:
            update(_WHOLE, lambda: "")  # (a view with no items is still analysed)
        for result in results:
            eager: dict[object, list[Evidence]] = {}
            for ev in result.evidence:
                if spec.accepts(ev):
                    eager.setdefault(group_of(spec, ev.entity), []).append(ev)
            for group, items in eager.items():
                update(group, lambda items=items: _digest(items))
            for part in result.parts:
                if part.source not in spec.sources:
                    continue
                for group in groups_of(spec, part):
                    if spec.hits_only:
                        update(group, lambda part=part: _digest([ev for ev in part.hits if spec.accepts(ev)]))
                        continue
                    known = part_views(part).get(spec.view)
                    if known is None:
                        failed.add(group)
                        continue
                    update(group, lambda part=part, known=known: f"{part.path}\0{known}\0")
        digests[spec.view] = {g: None if g in failed else h.hexdigest() for g, h in hashers.items()}
        return digests[spec.view]

    def group_items(spec: Reads, groups: Sequence[object]) -> None:
        """Put each group's items, in collection order, in ``views_of`` (one list per group:
        analyzers of one view share what they derive from it)."""
        lists: dict[object, list[Evidence]] = {g: [] for g in groups if (spec.view, g) not in views_of}
        if not lists:
            return
        if not spec.hits_only:  # (a narrowing is fed as parts are built)
            build_missing(spec, lambda part: any(g in lists for g in groups_of(spec, part)))
        for n, result in enumerate(results):
            eager = [ev for ev in result.evidence if spec.accepts(ev)]
            if spec.narrow is not None:
                if (spec.view, n) not in fed:
                    fed.add((spec.view, n))
                    narrowing(spec).add((n, -1), eager)
                continue
            for ev in eager:
                lists.get(group_of(spec, ev.entity), []).append(ev)
            for part in result.parts:
                if part.source in spec.sources and any(g in lists for g in groups_of(spec, part)):
                    for ev in (part.hits if spec.hits_only else built[part.key]):
                        if spec.accepts(ev):
                            for group in targets(spec, ev, groups_of(spec, part)):
                                lists.get(group, []).append(ev)
        if spec.narrow is not None:
            part_groups = {p.path: groups_of(spec, p) for p in parts if p.source in spec.sources}
            for ev in narrowing(spec).items():
                for group in targets(spec, ev, part_groups.get(ev.provenance.path, ())):
                    lists.get(group, []).append(ev)
        views_of.update(((spec.view, g), items) for g, items in lists.items())

    def per_note(name: str, fn: Callable, spec: Reads) -> list[Fact]:
        produced: list[Fact] = []
        eager = [ev for r in results for ev in r.evidence if spec.accepts(ev)]
        if eager:  # a source that gave no parts: analysed whole, every run
            produced += fn(eager, context)
        todo = [p for p in parts if p.source in spec.sources and keys[p.key] not in stored_facts]
        # (of a note's items, only what other views read is kept once it is analysed: a
        # large workspace's sections and tasks are most of its memory)
        made = build(todo, fn, spec)
        pieces: list[list[Fact] | bytes] = []  # each note's facts, in order
        for part in parts:
            if part.source not in spec.sources:
                continue
            kept = stored_facts.pop(keys[part.key], None)  # (one analyzer per note: the memo keeps one)
            if kept is not None:
                pieces.append(kept)
                stats.notes_reused += 1
                continue
            _, facts = next(made)
            remember_part(part, facts=facts)
            pieces.append(facts or [])
        assert next(made, None) is None  # the workers, if any, are let go; then the facts are
        for n, piece in enumerate(pieces):  # loaded (not beside the workers' memory), each once
            produced += load_facts(piece) if isinstance(piece, bytes) else piece
            pieces[n] = []
        return produced

    def whole(name: str, fn: Callable, spec: Reads) -> list[Fact]:
        """The analyzer's facts for each group of its view: kept, or computed from the group's items."""
        digest_of = view_digests(spec)
        groups = sorted(digest_of, key=lambda g: g if isinstance(g, str) else "")
        labels = {g: name if g is _WHOLE else f"{name}@{g or ''}" for g in groups}
        live_whole.update(labels.values())
        kept = {g: memo.whole(labels[g], digest_of[g]) if digest_of[g] else None for g in groups}
        todo = [g for g in groups if kept[g] is None]
        group_items(spec, todo)
        produced: list[Fact] = []
        for group in groups:
            if kept[group] is not None:
                produced += load_facts(kept[group])  # type: ignore[arg-type]
                continue
            made = fn(views_of[spec.view, group], context)
            if digest_of[group]:
                new_whole[labels[group]] = (digest_of[group], dump_facts(made))  # type: ignore[assignment]
            produced += made
        (stats.computed if todo else stats.reused).append(name)
        stats.groups_computed[name] = len(todo)
        return produced

    facts: dict[str, Fact] = {}
    failures: dict[str, str] = {}
    gc_was_on = gc.isenabled()
    gc.disable()  # see analyzers.analyze: nothing here makes cycles
    try:
        stages: list[tuple[str, Callable[[], list[Fact]]]] = []
        for r in rules:
            if r.over_facts:  # (the facts so far in the order they were made, as analyzers.analyze gives them)
                stages.append((r.name, lambda r=r: r.run(list(facts.values()), context)))
                continue
            run = per_note if declared[r.name].per_note else whole
            stages.append((r.name, lambda run=run, r=r: run(r.name, r.run, declared[r.name])))
        for name, stage in stages:
            started = time.perf_counter()
            try:
                produced = stage()
            except Exception as exc:  # a bug in one rule must not cost the whole run
                failures[name] = f"{type(exc).__name__}: {exc}"
                continue
            finally:
                stats.seconds[name] = time.perf_counter() - started
            for fact in produced:
                facts.setdefault(fact.id, fact)
        started = time.perf_counter()
        memo.save({k: views_now[k] for k in pending}, new_whole, set(keys.values()), live_whole, facts_kept)
        stats.seconds["(memo save)"] = time.perf_counter() - started
        started = time.perf_counter()
        ordered = [facts[k] for k in sorted(facts)]
        stats.seconds["(sort)"] = time.perf_counter() - started
        context.derived.clear()  # it holds the evidence, which the run no longer needs
    finally:
        if gc_was_on:
            gc.enable()
        memo.close()
    stats.error = memo.error
    return ordered, failures, stats
