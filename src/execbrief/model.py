"""The types that flow between pipeline stages (see DESIGN.md).

sources → ``Evidence`` → analyzers → ``Fact`` → lenses (``Lens``, ``LensView``) → writer →
``Report`` → verifier → renderer (``Rendered``) → delivery (``Message``, ``Receipt``).
Every stage also may add ``DataWarning`` items, which travel to the run summary and to
each report's data-quality note.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Annotated, Any, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "SEVERITIES",
    "Provenance",
    "Evidence",
    "Fact",
    "FactBase",
    "DataWarning",
    "Selector",
    "LensSection",
    "Lens",
    "LensView",
    "Block",
    "Chart",
    "ChartSeries",
    "ReportSection",
    "SourceRef",
    "Report",
    "Rendered",
    "Message",
    "Receipt",
    "stable_id",
    "content_hash",
    "content_key",
    "content_keys",
]

SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")

Severity = Literal["critical", "high", "medium", "low", "info"]
FactKind = Literal["metric", "finding", "gap", "action", "note"]


def stable_id(prefix: str, *parts: object) -> str:
    """An id that stays the same for the same parts, run after run."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}-{digest[:12]}"


def content_hash(data: bytes | str) -> str:
    """A content hash that names its algorithm: ``sha256:…``."""
    raw = data.encode() if isinstance(data, str) else data
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def content_key(stored_json: str) -> bytes:
    """The key the ledger stores a fact's or report's content under: 16 bytes of BLAKE2b of its JSON."""
    return hashlib.blake2b(stored_json.encode(), digest_size=16).digest()


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Frozen):
    """Where a piece of evidence came from."""

    source: str
    path: str
    line_start: int | None = None
    line_end: int | None = None
    observed_at: str | None = None
    sha256: str | None = None

    def label(self) -> str:
        """A short human reference: ``notes/ops.md:12-18``."""
        if self.line_start is None:
            return self.path
        if self.line_end is None or self.line_end == self.line_start:
            return f"{self.path}:{self.line_start}"
        return f"{self.path}:{self.line_start}-{self.line_end}"


class Evidence(_Frozen):
    """One item read from a source: a note section, a task, a table row, a transaction.

    ``transactions`` is a whole ledger file: ``record["table"]`` is its ``TransactionTable``.
    ``ledger_remark`` is a note's line saying what a sum of money is (personal, a draw, a
    transfer), with the days it names in ``record["dates"]``: the ledger's rules read it.
    """

    id: str
    source: str
    kind: Literal[
        "document", "section", "task", "table_row", "transaction", "transactions", "resource", "scan_hit",
        "ledger_remark",
    ]
    entity: str | None = None
    text: str | None = None
    record: dict[str, Any] = Field(default_factory=dict)
    provenance: Provenance


class Fact(_Frozen):
    """One computed statement about the organisation; the unit a report cites."""

    id: str
    kind: FactKind
    name: str
    entity: str | None = None
    subject: str | None = None  # what a metric measures within its entity: a service, an account
    topics: tuple[str, ...] = ()
    severity: Severity | None = None
    value: Decimal | None = None
    unit: str | None = None
    period: str | None = None
    statement: str
    recommendation: str | None = None
    # what whoever keeps the data should do (how to record a KPI, which file to fix): for
    # the report's footer, not for the executive's lines
    upkeep: str | None = None
    due: date | None = None
    evidence: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    # its content key once computed: a frozen fact's JSON never changes, and a copy (pydantic's
    # copy, pickle) starts without one; not a field, so equality and JSON do not see it
    __slots__ = ("_content_key",)

    def content_key(self) -> bytes:
        """``content_key`` of the fact's JSON, computed once (the memo keeps it beside the fact,
        so a run records a million kept facts without writing their JSON again)."""
        try:
            return self._content_key
        except AttributeError:
            key = content_key(self.model_dump_json())
            object.__setattr__(self, "_content_key", key)
            return key

    def keep_content_key(self, key: bytes) -> None:
        """Give the fact the content key computed for an equal fact (``analyzers.build.load_facts``)."""
        object.__setattr__(self, "_content_key", key)


_KEPT_KEY = attrgetter("_content_key")


class FactBase(list):  # type: ignore[type-arg]
    """A run's facts in id order (a list of ``Fact``), with their ids beside them (``ids``):
    at a million facts, each made at another time and place in memory, reading every fact's
    id again costs a cache miss a fact (~1 s), and the analysis sorted them by id already."""

    def __init__(self, by_id: Mapping[str, Fact]) -> None:
        self.ids: list[str] = sorted(by_id)
        super().__init__(map(by_id.__getitem__, self.ids))


def content_keys(facts: Sequence[Fact]) -> list[bytes]:
    """``Fact.content_key`` of each fact: read in one pass in C when every fact has its key
    already (a run's kept facts: a million method calls cost ~1.5 s), else one by one."""
    try:
        return list(map(_KEPT_KEY, facts))
    except AttributeError:  # (some fact has none yet)
        return [f.content_key() for f in facts]


class DataWarning(_Frozen):
    """A problem with input that did not stop the run."""

    source: str
    path: str | None = None
    line: int | None = None
    message: str

    def label(self) -> str:
        """``path:line: message`` as shown in summaries and data-quality notes."""
        where = self.path or self.source
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class Selector(_Frozen):
    """Which facts a lens section shows. Empty lists mean 'any'."""

    kinds: tuple[FactKind, ...] = ()
    names: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    exclude_topics: tuple[str, ...] = ()  # a fact with any of these is not shown
    unless_topics: tuple[str, ...] = ()  # unless it has one of these (a licence lapse a client's contract needs)
    exclude_names: tuple[str, ...] = ()  # nor one of these names ("resolved_later": a problem settled since)
    min_severity: Severity | None = None
    # (bounded: a century of days or periods is beyond any briefing, and dates past it overflow)
    limit: int | None = Field(default=None, ge=1, le=10_000)
    last_periods: int | None = Field(default=None, ge=1, le=1_200)
    due_within_days: int | None = Field(default=None, ge=0, le=36_500)
    # only what no earlier section of the lens shows (a limit cut it, or nothing selects it):
    # an audit's "Other notes", so nothing about its business is left out
    rest: bool = False

    @model_validator(mode="after")
    def _unless_with_exclude(self) -> "Selector":
        if self.unless_topics and not self.exclude_topics:
            raise ValueError("unless_topics keeps facts that exclude_topics would leave out: give exclude_topics too")
        return self


class LensSection(_Frozen):
    """One section of a lens: a title, what the writer should do, and its facts."""

    id: str
    title: str
    directive: str
    style: Literal["bullets", "actions", "metrics", "chart"] = "bullets"
    chart: Literal["bar", "line"] = "line"
    buckets: tuple[Annotated[int, Field(ge=0, le=36_500)], ...] = ()  # actions: group by due within N days (30, 60, 90)
    optional: bool = False  # left out of the report when no fact matches, instead of saying so
    select: Selector = Selector()


class Lens(_Frozen):
    """A view of the fact base for one audience, defined in TOML."""

    id: str
    title: str
    audience: str
    description: str = ""
    tone: str = "plain, direct, no jargon"
    focus: tuple[str, ...] = ()
    entity_kinds: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    max_items: int = Field(default=6, ge=1, le=1_000)
    sections: tuple[LensSection, ...]
    origin: str = "builtin"


class LensView(_Frozen):
    """What the writer receives: a lens, the facts per section, and its context."""

    lens: Lens
    key: str
    period: str
    as_of: date
    organization: str
    entities: dict[str, str]
    sections: dict[str, tuple[Fact, ...]]
    omitted: dict[str, int] = Field(default_factory=dict)
    # a ranked section's next facts past its budget, best first: what a writer that leaves some
    # of a section's facts to the summary shows in their place (they are not in ``facts``)
    reserve: dict[str, tuple[Fact, ...]] = Field(default_factory=dict)
    facts: dict[str, Fact]
    warnings: tuple[DataWarning, ...] = ()
    baseline: str | None = None  # the period of the briefing compared with, if any
    # when that briefing was delivered (UTC ISO-8601); with baseline == period, this briefing
    # updates one already delivered in the same period
    baseline_sent_at: str | None = None
    changes: tuple[Fact, ...] = ()


class ChartSeries(_Frozen):
    """One line or set of bars: a name and a value per category (None where missing)."""

    name: str
    values: tuple[Decimal | None, ...]
    group: str | None = None  # series of one group (a business) share a colour


class Chart(_Frozen):
    """A chart's data; the renderer draws it, the text part shows it as a table."""

    id: str
    title: str
    kind: Literal["bar", "line"] = "line"
    unit: str | None = None
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]


class Block(_Frozen):
    """A unit of report content. Every block that makes a claim cites facts.

    A ``chart`` block carries its data in ``chart`` and the same figures as a table in
    ``columns`` and ``rows``, for the plain-text part and for readers without images.
    """

    kind: Literal["paragraph", "bullets", "table", "actions", "note", "chart"]
    text: str | None = None
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    cites: tuple[str, ...] = ()
    item_cites: tuple[tuple[str, ...], ...] = ()
    omitted: int = 0
    chart: Chart | None = None
    # labelled runs of items, e.g. (("Next 30 days", 3), ("Days 31–60", 2)); labels come
    # from the lens, not from facts, and are not claims
    groups: tuple[tuple[str, int], ...] = ()

    def texts(self) -> list[str]:
        """Every piece of prose or cell text the block shows."""
        out = [self.text] if self.text else []
        out.extend(self.items)
        for row in self.rows:
            out.extend(row)
        return out


class ReportSection(_Frozen):
    """A titled group of blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]


class SourceRef(_Frozen):
    """One entry of a report's numbered source list."""

    number: int
    fact_id: str
    label: str


class Report(_Frozen):
    """A written briefing for one lens and one reporting period."""

    lens: str
    key: str
    title: str
    audience: str
    organization: str
    period: str
    as_of: date
    summary: tuple[Block, ...]
    sections: tuple[ReportSection, ...]
    # "For whoever keeps the data": instructions for the data keeper, cited like any block
    upkeep: tuple[Block, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    data_quality: tuple[str, ...] = ()
    status: Literal["draft", "verified", "corrected", "fallback", "rejected"] = "draft"
    writer: str = "offline"

    def blocks(self) -> list[Block]:
        """Every block: summary, sections, then the data keeper's footer."""
        out = list(self.summary)
        for section in self.sections:
            out.extend(section.blocks)
        out.extend(self.upkeep)
        return out

    def cited_ids(self) -> list[str]:
        """Fact ids in order of first citation, each once."""
        seen: dict[str, None] = {}
        for block in self.blocks():
            for fact_id in block.cites:
                seen.setdefault(fact_id, None)
        return list(seen)

    def digest(self) -> str:
        """A content hash of the report body (stable across runs for the same content)."""
        body = self.model_dump(mode="json", exclude={"status", "writer"})
        return content_hash(json.dumps(body, sort_keys=True))


class Rendered(_Frozen):
    """A report rendered for email: HTML with inlined CSS, plain text, and inline images.

    ``html`` refers to each image as ``cid:<content id>``; ``images`` holds (content id,
    PNG bytes) pairs for the MIME builder to attach.
    """

    key: str
    subject: str
    html: str
    text: str
    images: tuple[tuple[str, bytes], ...] = ()


class Message(_Frozen):
    """One email, ready for a channel."""

    key: str
    lens: str
    sender: str
    to: tuple[str, ...]
    bcc: tuple[str, ...] = ()
    subject: str
    mime: bytes
    idempotency_key: str


class Receipt(_Frozen):
    """What a channel says about one message it handled."""

    key: str
    channel: str
    status: Literal["sent", "skipped", "failed"]
    message_id: str | None = None
    detail: str | None = None
    path: str | None = None
