"""The worker jobs: notes built (and the per-note analyzer run) here or in forked processes.

A job is a list of parts (notes) to build. For each, ``build_chunk`` builds its evidence,
runs the per-note analyzer over it if the job has one, takes the digest of what each view
over all notes reads of it, and keeps what those views read (a narrowed view keeps only
what its narrowing keeps). With many parts, chunks of them go to forked worker processes
(``execbrief.workers``); their results cross as plain values (facts as marshalled rows,
evidence as tuples) and are made objects again here, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Iterator, Sequence

from ..analyzers import AnalysisContext, Reads
from ..analyzers.build import dump_facts
from ..construct import evidence, provenance
from ..model import Evidence, Fact
from ..sources import Part
from ..workers import ForkMap
from .keys import items_digest

__all__ = ["CHUNK", "PARALLEL_MIN", "Built", "Job", "build_chunk", "run_job"]

PARALLEL_MIN = 400  # parts to build before the work is spread over worker processes
CHUNK = 64  # parts a worker builds per task: its own narrowing of them goes back as one


@dataclass
class Job:
    """Parts to build, and what to do with each: see ``build_chunk``."""

    parts: Sequence[Part]
    views: Sequence[Reads]  # the views over all notes: what they read of a part is kept
    retain: Sequence[bool]  # per part: keep its items and digests (not on a second build)
    known: Sequence[dict[str, str]]  # per part: its view digests known already
    position: Sequence[tuple[int, int]]  # per part: its place among the sources' parts
    analyzer: Callable[[Sequence[Evidence], AnalysisContext], list[Fact]] | None = None  # per note, if any
    accepts: Callable[[Evidence], bool] | None = None  # what the analyzer reads of a part
    context: AnalysisContext | None = None
    portable: bool = False  # results cross processes: facts as bytes, evidence as plain tuples
    workers: int = 1  # processes that built the parts (set by ``run_job``)


Built = tuple[int, "list[Fact] | bytes | None", dict[str, str], list[Any]]
_JOB: Job | None = None  # the job forked workers build from (set before they start)


def build_chunk(job: Job, indices: Sequence[int]) -> tuple[list[Built], dict[str, list[Any]]]:
    """Build some of a job's parts: for each, (index, the per-note analyzer's facts, its new
    view digests, the items the non-narrowed views read); and what the narrowed views keep
    of them all, with places. Only a retained part's items and digests are taken."""
    done: list[Built] = []
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
                    digests[spec.view] = items_digest(mine)
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


def _build_in_worker(indices: Sequence[int]) -> tuple[list[Built], dict[str, list[Any]]]:
    assert _JOB is not None
    return build_chunk(_JOB, indices)


def run_job(job: Job) -> Iterator[tuple[list[Built], dict[str, list[Any]]]]:
    """``build_chunk`` over every part of ``job``, chunk by chunk in order: in forked worker
    processes when there are many parts (see ``execbrief.workers``), else here."""
    global _JOB
    chunks = [range(start, min(start + CHUNK, len(job.parts))) for start in range(0, len(job.parts), CHUNK)]
    here = replace(job, portable=False)
    _JOB = replace(job, portable=True)  # (what the workers fork with, if any are forked)
    try:
        with ForkMap(_build_in_worker, chunks, parallel=len(job.parts) >= PARALLEL_MIN,
                     here=partial(build_chunk, here), received=_received) as built:
            yield from built
            job.workers = built.workers
    finally:
        _JOB = None


def _received(result: tuple[list[Built], dict[str, list[Any]]]) -> tuple[list[Built], dict[str, list[Any]]]:
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
