"""Operations: open and overdue tasks, risks and problems, KPIs and notes from the notes.

Table rows become facts in ``records.py`` (only the current row of each record).

The notes source already leaves archived and closed notes out unless the workspace asks
for them (``include_archived``); these rules skip any that come through anyway, so an
archived plan never reads as a live risk. A risk bullet that names a date ("unless it
passes reinspection by 15 December") carries its next date as ``due``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Sequence

from ..formatting import humanize, money, number, percent
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import NOTES
from .build import fact
from .topics import infer_topics

__all__ = ["analyze", "note_infos", "NoteInfo", "parse_kpi_value", "risk_date", "table_row", "RISK_HEADING"]

RISK_HEADING = re.compile(r"\b(risks?|problems?|issues?|blockers?|concerns?|threats?)\b", re.I)
_SEVERITY_TAG = re.compile(r"^\s*[\[(]\s*(critical|high|medium|low|info)\s*[\])]\s*[:\-–]?\s*", re.I)
_SEVERITY_WORDS = (
    ("critical", re.compile(r"\b(critical|urgent|severe|emergency)\b", re.I)),
    ("high", re.compile(r"\b(high|serious|major)\b", re.I)),
    ("low", re.compile(r"\b(low|minor)\b", re.I)),
)
_DUE_TEXT = re.compile(r"\s*(\(due [0-9-]+\)|due:? [0-9]{4}-[0-9]{2}-[0-9]{2}|📅 ?[0-9-]+)\s*", re.I)
CLOSED_STATUSES = {"archived", "closed", "done", "superseded"}


@dataclass(frozen=True)
class NoteInfo:
    """What the operations rules need to know about the note an item came from."""

    title: str
    tags: tuple[str, ...]
    updated: date | None
    closed: bool


def note_infos(evidence: Sequence[Evidence]) -> dict[str, NoteInfo]:
    """What the rules need to know of each note, by path, from its ``document`` evidence."""
    out = {}
    for ev in evidence:
        if ev.source == "notes" and ev.kind == "document":
            r = ev.record
            updated = r.get("updated")
            status = (r.get("status") or "").strip().lower()
            out[ev.provenance.path] = NoteInfo(
                title=ev.text or ev.provenance.path,
                tags=tuple(str(t) for t in r.get("tags") or ()),
                updated=date.fromisoformat(updated[:10]) if updated else None,
                closed=status in CLOSED_STATUSES,
            )
    return out


@rule(reads=NOTES)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """All operations facts for the note evidence in ``evidence``."""
    notes = note_infos(evidence)
    live = [
        ev for ev in evidence
        if ev.source == "notes" and not notes.get(ev.provenance.path, NoteInfo("", (), None, False)).closed
    ]
    facts: list[Fact] = []
    for ev in live:
        info = notes.get(ev.provenance.path) or NoteInfo(ev.provenance.path, (), None, False)
        if ev.kind == "task" and not ev.record.get("done"):
            facts.append(open_task(ev, info, ctx))
        elif ev.kind == "section":
            facts.extend(section_items(ev, info, ctx))
        elif ev.kind == "document":
            facts.extend(kpi_values(ev, info, ctx))
            stale = stale_note(ev, info, ctx)
            if stale:
                facts.append(stale)
    return facts


def _who(ev: Evidence, ctx: AnalysisContext) -> str:
    return ctx.entity_name(ev.entity) if ev.entity else "Group"


def open_task(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact:
    """An unchecked checkbox: an action, overdue when its due date has passed."""
    due = date.fromisoformat(ev.record["due"]) if ev.record.get("due") else None
    task = plain(_DUE_TEXT.sub(" ", ev.text or "").strip().rstrip("."))
    overdue = due is not None and due < ctx.as_of
    if overdue:
        severity, name = "high", "overdue_task"
        when = f", overdue since {due.isoformat()}"
    elif due is not None:
        severity = "medium" if due <= ctx.as_of + timedelta(days=14) else "low"
        name, when = "open_task", f", due {due.isoformat()}"
    else:
        severity, name, when = "low", "open_task", ", no due date"
    return fact(
        id=stable_id("f", "task", ev.provenance.path, task.lower()),
        kind="action", name=name, entity=ev.entity, severity=severity, due=due,
        statement=f"{_who(ev, ctx)}: {task}{when}.",
        recommendation=task,
        topics=infer_topics(task, heading=ev.record.get("heading"), tags=info.tags),
        evidence=(ev.id,), sources=(ev.provenance.label(),),
    )


def _severity(text: str) -> tuple[str, str]:
    """Severity from a leading ``[high]`` tag or from its words; the text without the tag."""
    tag = _SEVERITY_TAG.match(text)
    if tag:
        return tag.group(1).lower(), text[tag.end():].strip()
    for level, pattern in _SEVERITY_WORDS:
        if pattern.search(text):
            return level, text
    return "medium", text


def section_items(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> list[Fact]:
    """Bullets under a risk-like heading become findings; others become notes."""
    heading = ev.record.get("heading") or ""
    risky = bool(RISK_HEADING.search(heading))
    facts = []
    who, name, lower = _who(ev, ctx), _slug(heading) or "note", heading.lower()
    shown = risky or ctx.may_show_note(name)
    if not shown:
        return facts
    for bullet in ev.record.get("bullets") or ():
        raw = plain(str(bullet.get("text") or "").strip())
        if not raw:
            continue
        line = bullet.get("line")
        where = f"{ev.provenance.path}:{line}" if line else ev.provenance.label()
        if risky:
            severity, text = _severity(raw)
            topics = infer_topics(text, heading=heading, tags=info.tags) + ("risk",)
            due = risk_date(bullet.get("dates") or (), ctx)
            dated = f" (next date: {due.isoformat()})" if due and due.isoformat() not in text else ""
            facts.append(fact(
                id=stable_id("f", "risk", ev.provenance.path, text.lower()),
                kind="finding", name="risk", entity=ev.entity, severity=severity, due=due,
                statement=f"{who}: {text.rstrip('.')}{dated}.",
                topics=tuple(sorted(set(topics))), evidence=(ev.id,), sources=(where,),
            ))
        elif shown:
            topics = infer_topics(raw, heading=heading, tags=info.tags)
            if not ctx.shows_note(name, topics):
                continue  # no lens section shows it: most bullets of a large workspace
            facts.append(fact(
                id=stable_id("f", "note", ev.provenance.path, lower, raw.lower()),
                kind="note", name=name, entity=ev.entity,
                statement=f"{who} — {heading or info.title}: {raw.rstrip('.')}.",
                topics=topics, evidence=(ev.id,), sources=(where,),
            ))
    return facts


def risk_date(dates: Sequence[str], ctx: AnalysisContext) -> date | None:
    """The first date a risk names that is today or later: when it bites."""
    upcoming = sorted(d for d in dates if d >= ctx.as_of.isoformat())
    return date.fromisoformat(upcoming[0]) if upcoming else None


def table_row(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact | None:
    """A table row as a note fact: one record, its cells in order (None if no lens shows it)."""
    cells = ev.record.get("cells") or {}
    heading = ev.record.get("heading") or info.title
    topics = infer_topics(" ".join(cells), heading=heading, tags=info.tags)
    if not ctx.shows_note("table_row", topics):
        return None
    items = list(cells.items())
    head = items[0][1] if items else ""
    rest = "; ".join(f"{_column(k)} {v}" for k, v in items[1:] if str(v).strip())
    return fact(
        id=stable_id("f", "row", ev.provenance.path, heading.lower(), str(head).lower()),
        kind="note", name="table_row", entity=ev.entity,
        statement=f"{_who(ev, ctx)} — {heading}: {head}" + (f" ({rest})." if rest else "."),
        topics=topics, evidence=(ev.id,), sources=(ev.provenance.label(),),
    )


@lru_cache(maxsize=1024)  # a table's column names repeat on every row
def _column(key: str) -> str:
    return humanize(key)


def parse_kpi_value(raw: str, currency: str) -> tuple[Decimal, str] | None:
    """``"83%"`` → (83, "%"); ``"$7.40"`` → (7.40, currency); ``"2,150"`` → (2150, "")."""
    text = str(raw).strip().replace(",", "")
    unit = ""
    if text.endswith("%"):
        unit, text = "%", text[:-1]
    elif text[:1] in "$€£":
        unit, text = currency, text[1:]
    try:
        return Decimal(text), unit
    except InvalidOperation:
        return None


def kpi_values(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> list[Fact]:
    """KPIs a note states in its front matter (``kpis:``) become metric facts."""
    facts = []
    for name, raw in sorted((ev.record.get("kpis") or {}).items()):
        parsed = parse_kpi_value(raw, ctx.currency)
        if parsed is None:
            continue
        value, unit = parsed
        shown = percent(value) if unit == "%" else money(value, unit) if unit else number(value)
        asof = f" (as of {info.updated.isoformat()})" if info.updated else ""
        facts.append(fact(
            id=stable_id("f", "kpi", name, ev.entity),
            kind="metric", name=name, entity=ev.entity, value=value, unit=unit or None,
            period=info.updated.isoformat() if info.updated else None,
            statement=f"{_who(ev, ctx)} {humanize(name)}: {shown}{asof}.",
            topics=("kpi",) + infer_topics(humanize(name), tags=info.tags),
            evidence=(ev.id,), sources=(ev.provenance.path,),
        ))
    return facts


def stale_note(ev: Evidence, info: NoteInfo, ctx: AnalysisContext) -> Fact | None:
    """A note not updated for ``stale_days``: its facts may no longer be true."""
    if info.updated is None:
        return None
    age = (ctx.as_of - info.updated).days
    if age <= ctx.stale_days:
        return None
    return fact(
        id=stable_id("f", "stale", ev.provenance.path),
        kind="finding", name="stale_note", entity=ev.entity, severity="low",
        value=Decimal(age), unit="days", period=info.updated.isoformat(),
        statement=f"The note '{info.title}' was last updated on {info.updated.isoformat()}, {age} days ago.",
        recommendation=f"Review '{info.title}' and update or archive it.",
        topics=("operations", "data-quality"), evidence=(ev.id,), sources=(ev.provenance.path,),
    )


_MARKS = re.compile(r"[\[*_`]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def plain(text: str) -> str:
    """Inline Markdown as plain words: ``**bold**``, ``_em_``, `` `code` `` and links lose their marks."""
    if not _MARKS.search(text):
        return text  # most bullets have no markup: skip the substitutions
    text = _LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
