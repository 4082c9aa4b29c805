"""A note's items as the reader shows them to a model, and its labels put back on the evidence.

An item is what becomes one fact: a bullet or a prose sentence of a section, an open task,
a table row. Each gets a number in the prompt (``ref``, in the order of the note's lines),
which is what the model answers by, and a ``fingerprint`` (its kind, line and text), which
is what a cached label is kept under: a label is put back only on the item it was given
for, whatever else changed in the note.

Labels travel as data on the evidence, for the analyzers to apply: a section's bullet or
sentence carries ``label`` (and keeps its own ``entity``); a task or table row carries
``label`` in its record and the label's business as its ``entity`` (the per-business
analyzers group rows by it).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..construct import evidence as make_evidence
from ..model import Evidence
from ..sources import Part
from ..sources.values import find_dates, resolve_day

__all__ = ["Item", "Note", "note_items", "apply_labels", "labelled_part", "label_entities", "labels_digest"]

_SPACES = re.compile(r"\s+")
_NO_ENTITY = object()


@dataclass(frozen=True)
class Item:
    """One item of a note, as the model sees it."""

    ref: str  # its number in the prompt
    kind: str  # bullet | sentence | task | row
    heading: str  # its headings, outer → inner, joined by " > "
    text: str
    line: int
    fingerprint: str
    dates: frozenset[str]  # ISO dates its own text names: the due dates a label may give it


@dataclass(frozen=True)
class Note:
    """What the reader shows of one note: its header and its items."""

    path: str
    title: str
    tags: tuple[str, ...]
    written: str | None  # the note's date (what its relative dates are read against)
    items: tuple[Item, ...]


def normal(text: str) -> str:
    """Text with every run of white space made one space (how quotes are compared)."""
    return _SPACES.sub(" ", text).strip()


def fingerprint(kind: str, line: int, text: str) -> str:
    """What a label is kept under: the item's kind, line and text."""
    return hashlib.sha256(f"{kind}\x1f{line}\x1f{normal(text)}".encode()).hexdigest()[:20]


def _row_text(record: Mapping[str, Any], raw: str | None) -> str:
    cells = record.get("cells") or {}
    shown = "; ".join(f"{k}: {v}" for k, v in cells.items() if str(v).strip())
    return shown or normal(raw or "")


def _dates(text: str, reference: date | None, *known: Iterable[str] | str | None) -> frozenset[str]:
    found = {d.isoformat() for f in find_dates(text) if (d := resolve_day(f, reference))}
    for more in known:
        if isinstance(more, str):
            found.add(more)
        elif more:
            found.update(str(d) for d in more)
    return frozenset(found)


def note_items(evidence: Sequence[Evidence]) -> Note | None:
    """The items of one note's evidence (a part's), numbered in line order; None if it has no document."""
    document = next((ev for ev in evidence if ev.kind == "document"), None)
    if document is None:
        return None
    doc = document.record
    written = doc.get("updated")
    reference = date.fromisoformat(written[:10]) if written else None
    sections = [ev for ev in evidence if ev.kind == "section"]
    found: list[tuple[int, int, str, str, str, frozenset[str]]] = []  # line, order, kind, heading, text, dates

    def heading_at(line: int, own: str | None = None) -> str:
        for ev in reversed(sections):
            start = ev.provenance.line_start or 0
            if start <= line and (ev.provenance.line_end or start) >= line:
                return " > ".join([*(ev.record.get("parents") or ()), ev.record.get("heading") or ""]).strip(" >")
        return own or ""

    for order, ev in enumerate(evidence):
        record = ev.record
        if ev.kind == "section":
            heading = " > ".join([*(record.get("parents") or ()), record.get("heading") or ""]).strip(" >")
            for kind, key in (("bullet", "bullets"), ("sentence", "paras")):
                for item in record.get(key) or ():
                    text = normal(str(item.get("text") or ""))
                    if text:
                        found.append((int(item.get("line") or 0), order, kind, heading, text,
                                      _dates(text, reference, item.get("dates"), item.get("due"))))
        elif ev.kind == "task" and not record.get("done"):
            line = ev.provenance.line_start or 0
            text = normal(ev.text or "")
            if text:
                found.append((line, order, "task", heading_at(line, record.get("heading")), text,
                               _dates(text, reference, record.get("due"))))
        elif ev.kind == "table_row":
            line = ev.provenance.line_start or 0
            text = _row_text(record, ev.text)
            if text:
                found.append((line, order, "row", heading_at(line, record.get("heading")), text,
                              _dates(text, reference)))
    found.sort(key=lambda f: (f[0], f[1]))
    items = tuple(Item(str(n), kind, heading, text, line, fingerprint(kind, line, text), dates)
                  for n, (line, _, kind, heading, text, dates) in enumerate(found, 1))
    tags = tuple(str(t) for t in doc.get("tags") or ())
    return Note(document.provenance.path, str(document.text or document.provenance.path), tags, written, items)


def apply_labels(evidence: Sequence[Evidence], labels: Mapping[str, Mapping[str, Any]]) -> list[Evidence]:
    """The evidence with each labelled item carrying its label (see the module docstring)."""
    if not labels:
        return list(evidence)
    out: list[Evidence] = []
    for ev in evidence:
        record = ev.record
        if ev.kind == "section":
            changed: dict[str, list[dict[str, Any]]] = {}
            for kind, key in (("bullet", "bullets"), ("sentence", "paras")):
                items = record.get(key) or ()
                marked = [_marked(item, labels.get(fingerprint(kind, int(item.get("line") or 0),
                                                               str(item.get("text") or "")))) for item in items]
                if any(m is not i for m, i in zip(marked, items)):
                    changed[key] = marked
            out.append(_with(ev, ev.entity, {**record, **changed}) if changed else ev)
        elif ev.kind in ("task", "table_row"):
            kind = "task" if ev.kind == "task" else "row"
            text = normal(ev.text or "") if kind == "task" else _row_text(record, ev.text)
            label = labels.get(fingerprint(kind, ev.provenance.line_start or 0, text))
            if label is None or (kind == "task" and record.get("done")):
                out.append(ev)
                continue
            entity = label.get("entity", _NO_ENTITY)
            out.append(_with(ev, ev.entity if entity is _NO_ENTITY else entity, {**record, "label": dict(label)}))
        else:
            out.append(ev)
    return out


def _marked(item: dict[str, Any], label: Mapping[str, Any] | None) -> dict[str, Any]:
    return item if label is None else {**item, "label": dict(label)}


def _with(ev: Evidence, entity: str | None, record: dict[str, Any]) -> Evidence:
    return make_evidence(ev.id, ev.source, ev.kind, entity, ev.text, record, ev.provenance)


def labels_digest(labels: Mapping[str, Mapping[str, Any]]) -> str:
    """A digest of a note's labels (what its part's key changes by); empty for none."""
    import json

    return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest() if labels else ""


def label_entities(labels: Mapping[str, Mapping[str, Any]]) -> tuple[str | None, ...]:
    """The businesses (None: the group) the labels give items."""
    return tuple(sorted({lab["entity"] for lab in labels.values() if "entity" in lab}, key=lambda e: e or ""))


def labelled_part(part: Part, digest: str, entities: Iterable[str | None],
                  load: Callable[[], Mapping[str, Mapping[str, Any]]]) -> Part:
    """The part whose evidence carries the labels ``load`` gives (of this ``digest``), under a
    key that says so. ``entities``: the businesses the labels name, whose per-business
    analyses the note's items (its table rows) may now take part in (the part's groups)."""
    if not digest:
        return part
    build = part.build
    groups = part.groups
    extra = set(entities) - set(part.entity_groups())
    if extra:
        groups = tuple(sorted({*part.entity_groups(), *extra}, key=lambda g: g or ""))
    key = hashlib.sha256(f"{part.key}\x1flabels\x1f{digest}".encode()).hexdigest()
    return replace(part, key=key, build=lambda: apply_labels(build(), load()), groups=groups)
