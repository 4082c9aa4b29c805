"""The compact source list every rendering shares: citations grouped by file, ranges merged.

A report's ``sources`` name one fact each (the verifier's view). A reader wants fewer,
shorter lines: the same file once, with the lines it is cited at; the same place cited by
several facts once. So each rendering numbers *places*, not facts:

- a source label (``SourceRef.label`` joins a fact's sources with ``"; "``) is split into
  its sources, each read as a file and a place in it: ``notes/a.md:23``, ``notes/a.md:21-28``,
  ``ledger/t.csv, lines 315, 316``, ``ledger/t.csv, May–October 2026``, or a bare path or
  resource (``arn:aws:…``) meaning the whole of it;
- line ranges of one file that overlap or touch are merged into one place;
- places are numbered in the order the report first cites them, so the numbers a reader
  meets in the text rise as they read; a fact's citation is the numbers of its places.

The HTML, plain-text and Markdown renderings all use this index, so ``[5]`` means the same
place in each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Report

__all__ = ["Place", "SourceGroup", "SourceIndex", "source_index"]

# "notes/a.md:23", "notes/a.md:21-28", "execbrief.toml:40 ([sources.ledger] opening_cash)";
# the path has no colon, so "arn:aws:…:111122223333" is not read as line 111122223333
_AT_LINES = re.compile(r"^(?P<path>[^:;]+):(?P<start>\d+)(?:-(?P<end>\d+))?(?P<rest>\s.*)?$")
# "ledger/t.csv, lines 315, 316" or "notes/a.md, lines 21-28"
_LINES_LIST = re.compile(r"^(?P<path>[^,;]+), lines? (?P<lines>\d+(?:\s*(?:-|\u2013|,)\s*\d+)*)$")
# "ledger/t.csv, May–October 2026": a file and a place in it that is not a line
_FILE_AND_PLACE = re.compile(r"^(?P<path>[^\s,;]+\.[A-Za-z0-9]+), (?P<place>.+)$")


@dataclass
class Place:
    """One numbered place in a source: lines of a file, a named part of it, or all of it."""

    number: int
    start: int | None = None  # lines, when the place is a line range
    end: int | None = None
    text: str = ""  # otherwise what the source calls the place ("May–October 2026")
    note: str = ""  # words after a line number ("([sources.ledger] opening_cash)")

    @property
    def label(self) -> str:
        """``line 23``, ``lines 21–28``, the place's own words, or empty for the whole source."""
        if self.start is None:
            return self.text
        lines = f"line {self.start}" if self.end == self.start else f"lines {self.start}\u2013{self.end}"
        return f"{lines} {self.note}".rstrip()


@dataclass
class SourceGroup:
    """A file (or resource) and its cited places, by number."""

    name: str
    places: list[Place] = field(default_factory=list)


@dataclass
class SourceIndex:
    """The numbered places of a report and, for each cited fact, the numbers of its places."""

    groups: list[SourceGroup]
    by_fact: dict[str, tuple[int, ...]]

    def numbers(self, fact_ids: tuple[str, ...] | list[str]) -> list[int]:
        """The place numbers of these facts, sorted, each once; unknown ids are left out."""
        return sorted({n for f in fact_ids for n in self.by_fact.get(f, ())})

    @property
    def count(self) -> int:
        """How many numbered places there are."""
        return sum(len(g.places) for g in self.groups)


def _parse(source: str) -> tuple[str, tuple[int, int] | None, str, str]:
    """(file, line range or None, place words, note) of one source string."""
    source = " ".join(source.split())
    if m := _AT_LINES.match(source):
        start = int(m["start"])
        end = int(m["end"]) if m["end"] else start
        return m["path"], (min(start, end), max(start, end)), "", (m["rest"] or "").strip()
    if m := _LINES_LIST.match(source):
        numbers = [int(n) for n in re.findall(r"\d+", m["lines"])]
        return m["path"], (min(numbers), max(numbers)), "", ""
    if m := _FILE_AND_PLACE.match(source):
        return m["path"], None, m["place"], ""
    return source, None, "", ""


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line ranges with the overlapping or touching ones joined."""
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def source_index(report: Report) -> SourceIndex:
    """Number the places a report cites, grouped by file, in order of first citation."""
    parsed: list[tuple[str, list[tuple[str, tuple[int, int] | None, str, str]]]] = []
    ranges: dict[str, list[tuple[int, int]]] = {}
    for ref in sorted(report.sources, key=lambda r: r.number):
        items = [_parse(s) for s in ref.label.split("; ") if s.strip()]
        parsed.append((ref.fact_id, items))
        for path, lines, _, _ in items:
            if lines is not None:
                ranges.setdefault(path, []).append(lines)
    merged = {path: _merged(found) for path, found in ranges.items()}

    groups: dict[str, SourceGroup] = {}
    places: dict[tuple[str, object], Place] = {}
    by_fact: dict[str, tuple[int, ...]] = {}
    for fact_id, items in parsed:
        numbers: list[int] = []
        for path, lines, text, note in items:
            key: tuple[str, object]
            if lines is not None:
                span = next(r for r in merged[path] if r[0] <= lines[0] and lines[1] <= r[1])
                key = (path, span)
            else:
                key = (path, text)
            place = places.get(key)
            if place is None:
                place = Place(number=len(places) + 1, text=text)
                if lines is not None:
                    place.start, place.end = key[1]  # type: ignore[misc]
                    # a note after a line ("([sources.ledger] opening_cash)") is kept only
                    # where the place is that one line
                    place.note = note if lines == key[1] else ""
                places[key] = place
                groups.setdefault(path, SourceGroup(path)).places.append(place)
            numbers.append(place.number)
        by_fact[fact_id] = tuple(dict.fromkeys(numbers))
    for group in groups.values():
        if len(group.places) > 1:  # beside lines of the same file, "[13]" alone would say nothing
            for place in group.places:
                if place.start is None and not place.text:
                    place.text = "whole file"
    return SourceIndex(groups=list(groups.values()), by_fact=by_fact)
