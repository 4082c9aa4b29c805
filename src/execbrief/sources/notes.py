"""Markdown notes → ``document``, ``section``, ``task`` and ``table_row`` evidence.

Reading a note has two halves. Parsing (``parse_note``) depends only on the file's bytes:
front matter, the line scan of the body (``markdown_scan``), and the warnings about
either. Its result is cached by content hash (``FileCache``), so an unchanged note is not
parsed twice. Building evidence depends on the workspace too — the note's path, its
entity, its mtime, the other notes — and is done on every run.

A note's last update comes from front matter (``updated``, else ``date``), else its latest
dated line ("2026-11-03: …", "Updated 3 Nov 2026"), else the file's mtime; the document
records which (``updated_from``). Notes whose front matter marks them archived or closed
are left out unless ``[sources.notes] include_archived = true``. The most recently updated
note of each entity is flagged ``current``.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import time
from bisect import bisect_right
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import yaml

from ..business_kinds import kinds
from ..entities import EntityResolver
from .. import gcpolicy
from ..errors import StageError
from ..failures import describe
from ..model import DataWarning, Evidence, content_hash, stable_id
from . import InputFile, Part, SourceResult, expand_paths
from ..construct import evidence, provenance
from .cache import FileCache
from .markdown_scan import filler, scan, sentences as split_sentences
from .values import find_dates, heading_days, leading_date, parse_day, resolve_day, typed_cells
from ..redaction import quoted, withhold
from ..workers import ForkMap

__all__ = ["NotesSource", "register", "parse_note", "ARCHIVED_STATUSES", "CACHE_VERSION"]

SUFFIXES = (".md", ".markdown")
# what a note's (or a tracker issue's) status says when it is over: finished, or dropped
ARCHIVED_STATUSES = frozenset({
    "archived", "closed", "done", "superseded", "resolved", "completed", "complete",
    "canceled", "cancelled", "duplicate", "won't do", "wont do", "won't fix", "wontfix",
})
CACHE_VERSION = 41  # bump when parse_note's output changes (41: a page's other property values are kept (``fields``), one that is a business's name names the page's; 40: a done page's "Due:" task is done; 39: a task's line ending "after 10/31" or "from Dec 1" has no due date from it; 38: a task's line ending "next Friday" or "on Monday" is due then; 37: a page's "State: Done" and "Labels: …" lines are its status and tags, its "Due: …" line makes the page a task, "Done: Yes" says it is done; 36: a task's due date reads against its heading's day as the analyzers date the heading (heading_days); 35: a date line may end with its weekday, "Nov 24 Tues"; 34: a paper checklist's boxes (☐ open, ✓ ☑ ticked) are tasks, a task struck through (~~…~~) is cancelled, a word broken at a line's end ("igni-" / "tion") is joined; 33: "At the end of the month we take our commission" is a routine, no due date; 32: "written 11/21/2025" or "written 21 November 2025" dates the note; 31: a todo.txt task's projects are kept apart from its text; 30: "by the 15th" is a due date; 29: a password in a connection string (postgres://app:…@host) is withheld; 28: a todo.txt line ("(A) 2026-11-20 Chase Halden +consulting due:2026-12-04", "x 2026-11-25 …") is a task; 27: a Discord export's "**maya** — 10/14/2026 3:48 PM" dates its messages; 26: "by mid-Dec" and "by mid-month" are due dates; 25: a date written 2-11-2026 or 30.09.2026 is read; 24: a Wi-Fi network's password is withheld; 23: a sentence opening "That's" joins the one before; 22: a UTF-16 note with its BOM is read, not skipped as binary; 21: a sentence of four words or fewer (six ending on "it") joins the one before it; 20: a Notion page's property lines under its title are its front matter, not items; 19: a chat's or channel's message is marked so, its sentences read with the messages around it; 18: a chat line's date that could be day or month first is marked so, and read in the organisation's order; 17: an Android WhatsApp export's "03/11/2026, 22:14 - Sam: …" lines are messages, a key safe's code said without "code" and a login pasted as "address / password" (or the password alone on the next line) are withheld; 16: a Slack or Teams export's message headers and [11/16 07:02] lines date their messages, reactions are no items; 15: a table column of passwords or codes and a password-shaped word beside a login are withheld; 14: a "statement date" or "prepared on" within a line dates the note; 13: a task with several deadlines is due by the first, an AWS secret ending in +, / or = is named so, an access code said aloud is withheld; 12: e-mail headers and chat lines date the lines after them, an abbreviated password ("pw: …") is withheld; 8: late NUL bytes are warned of; 9: an AWS secret beside its key id is named so; 10: a sentence pointing back joins the one before, a table keeps its lead-in line, a login in words is withheld; 11: a front-matter value is quoted cut short)
SUMMARY_VERSION = 16  # bump when what _build puts in a note's summary or evidence changes (16: an archived note's secrets are kept (``withheld``) and reported; a page's State/Status and Labels properties are its status and tags, and a label naming one business is the note's; 15: "her security deposit going back" passes the remark sieve; 14: "my own pay" passes the remark sieve; 13: a table row, the owners' pay, their money put in and a refund are ledger remarks too; 12: a line that says a sum of money is personal, a draw or a transfer is a ledger remark; 11: a business run together in a web or mail address names it; 10: a chat's messages minutes apart are one conversation, read as one paragraph; 9: a secret's hit is the business's whose line it is on; 8: a bullet about two businesses, a sentence each, is one item per sentence; 7: a paragraph naming one business twice is its own across fillers; 6: a line that opens with a business's name as its label is that business's, a table row's short cell naming one is too, an alias said without its article names its business, a line that names none belongs to the one business of the kind it mentions, a paragraph about one business is its throughout)
_GLOB = set("*?[")
# a sentence that turns to another matter ("Oh and …", "Also …", "And remind me …", "Web stuff, I …")
_ASIDE = re.compile(r"(?i)\W*(?:(?:um|uh|okay|ok|so|and|but)\W+)*(?:also|oh|plus|speaking of|one more thing|"
                    r"(?:the )?other thing|another thing|separately|unrelated|remind me|by the way|btw|"
                    r"\w+(?:\W+\w+)?\W+stuff\b|\w+-wise\b)")
# a label a line opens with: "Gull Cottage: …", "Spoke Shed — …", "**Elm St** - …"
_LED = re.compile(r"[\s*_>#-]*([^:—–.!?]{2,40}?)[\s*_]*(?::|—|–|\s-\s)")


def _one_twice(pointed: list[frozenset[str]]) -> bool:
    """Whether sentences point to one business only, and to it twice at least."""
    return len(frozenset().union(*pointed)) == 1 and sum(map(bool, pointed)) > 1


_CONVERSATION_MINUTES = 30  # chat messages at most this far apart are one conversation


def _one_conversation(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether two sentences are of chat messages one conversation holds: both say their time,
    on one day, the later at most ``_CONVERSATION_MINUTES`` after the earlier (an e-mail's
    paragraphs share its time, and are not messages)."""
    if not (before.get("chat") and after.get("chat")):
        return False
    a, b = before.get("said"), after.get("said")  # [year, month, day, weekday, days on, minutes]
    if not (isinstance(a, list) and isinstance(b, list)) or a[5] is None or b[5] is None or a[:5] != b[:5]:
        return False
    return 0 <= b[5] - a[5] <= _CONVERSATION_MINUTES


# libyaml when present: same safe semantics as yaml.safe_load, many times faster.
class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, except that a date-shaped value that is no date (2026-02-30) stays its
    text: the front matter key it belongs to gets a warning, not the whole note an error."""


def _timestamp(loader: Any, node: Any) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_YAML_LOADER = _YamlLoader
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUE = re.compile(r"(?:\bdue:?|\bby|\bbefore|\buntil|\bdeadline:?|📅|\brenews|\bexpires|\blapses|\bruns out"
                  r"|\bw/c|\bweek commencing)"
                  r"[ \t]*(?:on[ \t]+|the[ \t]+)?", re.IGNORECASE)
# the words (lower case) without one of which _DUE cannot match
_DUE_WORDS = ("due", "by", "before", "until", "deadline", "📅", "renews", "expires", "lapses", "runs out", "w/c",
              "week commencing")
_FRONT_KEYS = ("entity", "updated", "date", "kpis")
PARALLEL_MIN = 400  # notes to parse before the work is spread over processes
# what building from a cached parse of another shape raises (a hand-edited cache entry)
_DAMAGED = (KeyError, TypeError, IndexError, ValueError, AttributeError)


def register(registry: Any) -> None:
    """Register the notes source under the name ``notes``."""
    registry.add_source("notes", NotesSource)


def parse_note(data: bytes) -> dict[str, Any]:
    """Everything a note's bytes alone determine, as JSON-safe data (what the cache keeps)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Notepad's "Unicode": text, with NULs in it
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass  # (not UTF-16 after all: read as any other bytes)
    if b"\x00" in data[:8192]:
        return {"skip": "binary file, not markdown text: skipped (move it out of the notes folder)",
                "warnings": []}
    warnings: list[list[Any]] = []
    text = _decode(data, warnings)
    if "\x00" in text:  # (past the first 8 KiB: a damaged file, or text with binary appended)
        line = text.count("\n", 0, text.index("\x00")) + 1
        warnings.append([line, "NUL bytes from this line on: the file looks damaged (part binary); "
                               "they were left out, check the note"])
        text = text.replace("\x00", "")
    if not text.strip():
        return {"skip": "empty note: skipped (add content or delete the file)", "warnings": warnings}
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A secret never goes further than this: the text parsed (and cached) holds only its
    # masked preview, and the secret itself is kept as its hash, for the leaks analyzer.
    original = text
    text, hits = withhold(text)
    secrets = [[original.count("\n", 0, h.start) + 1, h.kind, h.preview, h.sha256] for h in hits]
    del original
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # a trailing newline ends the last line; it does not start another
    fm, body_start = _front_matter(lines, warnings)
    properties: dict[str, int] = {}  # a Notion page's property lines, by the key each gives
    if not fm:
        fm, properties = _page_properties(lines)  # its "Business: …", "Tags: …" lines, as front matter
    body = scan(lines, body_start)
    warnings.extend(body.problems)
    for t in body.tasks:  # the due date as found; a year-less or relative one is resolved per run
        t["due"] = _due(t["text"], t["line"], warnings)
    if "due" in properties and isinstance(fm.get("due"), str):
        # a tracker issue's or a database page's "Due: 2026-12-03": the page is itself a task,
        # its title what to do ("SAL-51 Tell the insurer about the building works")
        line = properties["due"]
        found = _due(f"due {fm['due'].lstrip('@ ')}", line, warnings)
        if found is not None:
            done = str(fm.get("status") or "").strip().lower() in ARCHIVED_STATUSES  # (read with include_archived)
            body.tasks.append({"text": fm["title"], "done": done, "heading": None, "line": line, "end": line,
                               "due": found})
    for sec in body.sections:  # a bullet under "Next 30 days" is a task too: keep its date as found
        for b in (*sec["bullets"], *sec["paras"]):  # ("inspection passed 2026-11-10" is history, not a deadline)
            found = _due(b["text"], b["line"], warnings, tail=False)
            if found is not None:
                b["due"] = found
    for row in body.rows:  # [line, raw, heading, cells, caption] → [line, raw, record]
        record = {"heading": row[2], "cells": row[3]}
        if row[4]:
            record["caption"] = row[4]
        record.update(typed_cells(row[3]))
        row[2:] = [record]
    front = lines[:body_start]
    key_lines = {k: properties.get(k) or _key_line(front, k) for k in _FRONT_KEYS if k in fm}
    return {
        "fm": fm,
        "lines": len(lines),
        "h1": next((s["heading"] for s in body.sections if s["level"] == 1), None),
        "updated": _updated(fm, key_lines, warnings),
        "kpis": _kpis(fm.get("kpis"), key_lines, warnings),
        "key_lines": key_lines,
        "scan": {k: v for k, v in body.to_json().items() if k != "problems"},
        "secrets": secrets,
        "warnings": warnings,
    }


def _load(path: str, rel: str, cache_root: str, version: int) -> tuple[str, Any, str | None, str | None]:
    """Read, hash and parse one note, and cache the result: (sha, parsed, read error, cache error)."""
    cache = FileCache.at(Path(cache_root), version)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return "", None, exc.strerror or exc.__class__.__name__, None
    sha = content_hash(data)
    parsed = cache.get(sha)  # the same bytes may be cached under another path
    if parsed is None:
        try:
            parsed = parse_note(data)  # secrets already withheld: safe to keep
        except Exception as exc:  # a bug on one note's bytes costs that note, not the notes source
            return sha, {"skip": f"cannot be parsed ({describe(exc)}): skipped; please report it",
                         "warnings": []}, None, cache.error
        cache.put(sha, parsed)
    return sha, parsed, None, cache.error


def _load_job(job: tuple[str, str, str, int]) -> tuple[str, Any, str | None, str | None]:
    """``_load`` for a worker process, which sends back the parse's head only (see ``_head``):
    the body's items are built later from the cache, note by note, not all held at once."""
    sha, parsed, error, cache_error = _load(*job)
    return sha, (_head(parsed) if parsed is not None and cache_error is None else parsed), error, cache_error


def _head(parsed: dict[str, Any]) -> dict[str, Any]:
    """What a note's summary needs of its parse: its dates, its headings, its table rows'
    lines (which business each row belongs to) and the items its secrets are in (whose each
    is), not the body's bullets, tasks and cells."""
    if "scan" not in parsed:
        return parsed
    body = parsed["scan"]
    try:
        return {**parsed, "head": True, "scan": {
            "stamps": body["stamps"],
            "sections": [{"heading": s["heading"], "parents": s["parents"], "start": s["start"]}
                         for s in body["sections"]],
            "rows": [[line, raw] for line, raw, _ in body["rows"]],
            "secret_texts": _secret_texts(body, parsed.get("secrets", ())),
            "remark_texts": _remark_texts(body),
        }}
    except _DAMAGED:  # a cached parse of another shape: building from it fails, and parses afresh
        return parsed


def _secret_texts(body: dict[str, Any], secrets: Any) -> dict[int, str]:
    """Per line a secret is on, the text of the item it is in: the item that starts on that
    line and holds the withheld secret, else the last item that starts before it (a chat
    message over several lines). Which business that text names is whose the secret is."""
    if not secrets:
        return {}
    items = [(item.get("line") or 0, item.get("text") or "")
             for s in body["sections"] for item in (*s["bullets"], *s.get("paras", ()))]
    items += [(t["line"], t["text"]) for t in body["tasks"]]
    out = {}
    for line, *_ in secrets:
        before = [(at, "[secret withheld" in text, text) for at, text in items if at <= line]
        if before:
            last = max(at for at, _, _ in before)
            out[line] = max((b for b in before if b[0] == last), key=lambda b: b[1])[2]
    return out


# What a ledger remark says of a sum of money: that it is the owners' own (personal, their pay,
# a draw), their money put in, a refund, or money moved between their accounts ("IRS USATAXPYMT
# on 9/15 ($3,500) is our personal 1040-ES estimate... It is NOT a cafe expense"). A cheap sieve
# by substring, tried on the note's whole text, then a section's, then its items:
# ``analyzers.remarks`` reads what passes, so every word its readings start from is here
# (a test holds the two together). bench/remark_sieve.py: 2.1 s of CPU over 20,000 notes, a
# regex of the same words 4.7 s.
_REMARK_WORDS = ("personal", "draw", "between", "ourselves", "myself", "themselves", "company", "priv", "my pay",
                 "our pay", "own pay", "getting paid", "vacation", "holiday", "family trip", "nothing to do with",
                 "own money", "savings", "capital", "investment", "contribution", "refund", "deposit back",
                 "money back", "deposit going", "deposit went", "deposit sent", "deposit paid back", "deposit returned",
                 "returned", "gave back")
_CURRENCY = re.compile(r"[$€£]|USD|EUR|GBP|CAD|AUD")


def _of_sums(text: str) -> bool:
    """Whether a text may say what a sum of money is (``_REMARK_WORDS``, and a currency)."""
    low = text.lower()
    return any(word in low for word in _REMARK_WORDS) and _CURRENCY.search(text) is not None


def _remark_texts(body: dict[str, Any]) -> list[list[Any]]:
    """[line, text] of each item that may say of a sum of money what it is: a bullet, a task, a
    table row (a bookkeeper's questions and the owners' answers), or a sentence of prose with
    the sentence before it in its paragraph (the sum in one, "It is NOT a cafe expense." in
    the next)."""
    out: list[list[Any]] = []
    spans: list[tuple[int, int]] = []
    whole = "\n".join(s.get("text") or "" for s in body["sections"])
    if not _of_sums(whole):  # (most notes: one look at the whole, not one a section)
        return out
    for s in body["sections"]:
        if not _of_sums(s.get("text") or ""):
            continue
        spans.append((s.get("start") or 0, s.get("end") or 0))
        out += [[b.get("line") or 0, b["text"]] for b in s["bullets"] if _of_sums(b["text"])]
        before: dict[str, Any] | None = None
        for p in s.get("paras", ()):
            text = p["text"]
            if before is not None and before.get("para") == p.get("para") and not _CURRENCY.search(text):
                text = f"{before['text']} {text}"
            if _of_sums(text):
                out.append([p.get("line") or 0, text])
            before = p
    out += [[t["line"], t["text"]] for t in body["tasks"] if _of_sums(t["text"])]
    out += [[line, raw] for line, raw, *_ in body["rows"]
            if any(a <= line <= b for a, b in spans) and _of_sums(raw)]
    return out


def _remark(rel: str, entity: str | None, observed: str, sha: str | None,
            line: int, text: str, days: list[str], own: str | None = None) -> Evidence:
    """A line of a note that says what a sum of money is: a part's ``hits`` and its items
    hold the same one (the ledger's rules read it without building the note)."""
    return evidence(stable_id("ev", "notes", rel, "ledger_remark", line), "notes", "ledger_remark", own or entity,
                    text, {"dates": days}, provenance("notes", rel, line, line, observed, sha))


class _Note:
    """One note file on its way through ``collect_parts``."""

    __slots__ = ("path", "root", "rel", "stat", "sha", "parsed", "summary")

    def __init__(self, path: Path, root: Path, rel: str, stat: os.stat_result) -> None:
        self.path, self.root, self.rel, self.stat = path, root, rel, stat
        self.sha: str | None = None
        self.parsed: dict[str, Any] | None = None  # parse_note's result, when read or cached
        self.summary: dict[str, Any] | None = None  # what the index keeps (see NotesSource._build)


def _hit(rel: str, entity: str | None, observed: str, sha: str | None,
         line: int, kind: str, preview: str, secret_sha: str, own: str | None = None) -> Evidence:
    """A credential found in a note, as its masked preview and hash: a part's ``hits`` and
    its items hold the same one. ``own``: the business its line is about, if not the note's."""
    return evidence(stable_id("ev", "notes", rel, "scan_hit", line), "notes", "scan_hit", own or entity, None,
                    {"rule": "secret_in_text", "kind": kind, "preview": preview, "secret_sha256": secret_sha},
                    provenance("notes", rel, line, line, observed, sha))


class NotesSource:
    """Reads the markdown notes named by ``[sources.notes] paths``."""

    name = "notes"

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.config = settings.sources.notes
        self.workspace = Path(settings.workspace)
        self._resolver = EntityResolver(settings.entities, {k.name: k.mentions for k in kinds().values()})
        self._dmy = settings.organization.date_order == "dmy"
        self.workers = 1  # processes that parsed notes in the last collect() (for benchmarks and tests)
        # everything besides a note's bytes and mtime that its evidence depends on: a summary
        # in the cache index made under another context is not used
        self._context = content_hash(json.dumps([
            CACHE_VERSION, SUMMARY_VERSION, self.config.model_dump(mode="json"), self._dmy,
            [e.model_dump(mode="json") for e in settings.entities],
        ], sort_keys=True))

    def collect(self) -> SourceResult:
        """Read every note and return its evidence, warnings and input hashes."""
        result = self.collect_parts()
        result.evidence.extend(ev for part in result.parts for ev in part.evidence())
        result.parts = []
        return result

    def collect_parts(self, ready: Callable[[], None] | None = None) -> SourceResult:
        """Like ``collect``, with each note's evidence left in a ``Part``, built when asked for.

        A note whose size and mtime are those of the last run is not read at all: what a
        run must know of it without its evidence (its warnings, document, secrets found
        and digests) comes from the cache index, where the last run left it.

        Parsing many notes forks worker processes, which is safe only while no other thread
        runs. ``ready`` is called once the workers are started (or none are needed): from
        then on the caller may start threads, to read other sources meanwhile.
        """
        result, seen = SourceResult(), set()
        cache = FileCache(self.workspace, "notes", CACHE_VERSION)
        kept: list[_Note] = []
        # Pausing the cyclic GC while we allocate a few hundred thousand long-lived objects
        # halves the run time; only re-enable it if it was on (another source may pause too).
        resume_gc = gcpolicy.pause()
        try:
            notes: list[_Note] = []
            for pattern in self.config.paths:
                problems: list[tuple[str, str]] = []
                files = [p for p in expand_paths(self.workspace, [pattern], SUFFIXES, problems)
                         if p.suffix.lower() in SUFFIXES or not _GLOB & set(pattern)]
                result.warnings += [_warning(_relative(Path(where), self.workspace), None, why)
                                    for where, why in problems]
                if not files:
                    result.warnings.append(_warning(None, None, (
                        f"notes path {pattern!r} matches no .md or .markdown files: "
                        "fix it or remove it from sources.notes.paths"
                    )))
                root = _pattern_root(self.settings.resolve(pattern))
                for path in files:
                    if path not in seen:
                        seen.add(path)
                        note = self._look_up(path, root, cache, result.warnings)
                        if note is not None:
                            notes.append(note)
            parsed = self._parse_missing([n for n in notes if n.summary is None and n.parsed is None], cache)
            next(parsed)  # start the workers, if any
            if ready is not None:
                ready()
            for note in notes:
                if note.summary is None:
                    if note.parsed is None:
                        note.sha, note.parsed, error = next(parsed)
                        if error:
                            result.warnings.append(_warning(note.rel, None, f"cannot read file ({error}): "
                                                                            "check its permissions; skipped"))
                            continue
                    try:
                        _, note.summary = self._build(note.parsed, note, items=False)
                    except _DAMAGED:  # a cached parse this code did not write (hand-edited): parse afresh
                        note.parsed = self._parse_again(note, cache)
                        if note.parsed is None:
                            result.warnings.append(_warning(note.rel, None, "cannot read file: check its "
                                                                            "permissions; skipped"))
                            continue
                        _, note.summary = self._build(note.parsed, note, items=False)
                    note.summary.pop("doc", None)  # (the index keeps the summary, not the record)
                    if note.parsed.get("head"):
                        note.parsed = None  # the items are built from the cache when asked for
                cache.remember(note.rel, note.stat.st_size, note.stat.st_mtime_ns, note.sha, note.summary)
                result.inputs.append(InputFile(source="notes", path=note.rel, sha256=note.sha,
                                               size=note.stat.st_size))
                result.warnings.extend(_warning(note.rel, line, message) for line, message in note.summary["warnings"])
                if note.summary.get("withheld"):  # an archived note's secrets, and nothing else of it
                    found = note.summary
                    result.evidence += [_hit(note.rel, found["entity"], found["observed"], note.sha, *hit)
                                        for hit in found["withheld"]]
                if note.summary.get("kept"):
                    if self._after_as_of(note.summary):
                        result.warnings.append(_warning(note.rel, None, (
                            f"dated {note.summary['updated']}, after the as-of date {self.settings.run.as_of}: "
                            "left out of this run (a briefing as of a date sees only what was written by then)"
                        )))
                    else:
                        kept.append(note)
        finally:
            resume_gc()
        _mark_current([n.summary for n in kept])
        result.parts = [self._part(note, cache) for note in kept]
        cache.save_index()
        if cache.error:
            result.warnings.append(_warning(".execbrief/cache/notes", None, (
                f"cannot write the notes cache ({cache.error}): notes are parsed in full on every "
                "run; check that the workspace's .execbrief folder is writable"
            )))
        return result

    def _after_as_of(self, summary: dict[str, Any]) -> bool:
        """Whether a note says it was written after the run's as-of date (its front matter
        or a dated line does; a file's mtime says nothing of when its content was true)."""
        as_of = self.settings.run.as_of
        return (as_of is not None and summary.get("updated_from") != "mtime"
                and summary["updated"] > as_of.isoformat())

    def _look_up(self, path: Path, root: Path, cache: FileCache, warnings: list[DataWarning]) -> _Note | None:
        """The note, with its summary (or else its parse) from the cache when the file is unchanged."""
        rel, limit = _relative(path, self.workspace), self.config.max_file_mb
        try:
            stat = path.stat()
        except OSError as exc:
            warnings.append(_warning(rel, None, f"cannot read file ({exc.strerror or exc.__class__.__name__}): "
                                                "check its permissions; skipped"))
            return None
        if stat.st_size > limit * 1024 * 1024:
            warnings.append(_warning(rel, None, (
                f"file is {stat.st_size / 1024 / 1024:.1f} MB, over the {limit:g} MB limit: "
                "skipped (split it, or raise sources.notes.max_file_mb)"
            )))
            return None
        note = _Note(path, root, rel, stat)
        note.sha, summary = cache.known(rel, stat.st_size, stat.st_mtime_ns)
        if note.sha is not None:
            if _usable(summary, self._context):
                note.summary = summary  # its evidence is built only if a run asks for it
            else:
                parsed = cache.get(note.sha)
                note.parsed = _head(parsed) if parsed is not None else None
        return note

    def _parse_missing(self, notes: list[_Note], cache: FileCache) -> Iterator[tuple[str, Any, str | None]]:
        """A first item once the work has started, then (sha, parsed, error) for each note not
        in the cache, in order; many are parsed in parallel."""
        jobs = [(str(n.path), n.rel, str(cache.root), cache.version) for n in notes]
        # (submits every job: the workers, if any, start now; see execbrief.workers)
        with ForkMap(_load_job, jobs, parallel=len(jobs) >= PARALLEL_MIN, chunksize=32) as parsed:
            self.workers = parsed.workers
            yield "", None, None  # started: the caller may now run threads of its own
            for sha, found, error, cache_error in parsed:
                cache.error = cache.error or cache_error
                self.workers = parsed.workers  # (1 once a killed worker's notes are parsed here)
                yield sha, found, error

    def _parse_again(self, note: _Note, cache: FileCache) -> dict[str, Any] | None:
        """The note parsed from its bytes, its cache entry replaced; None if it cannot be read."""
        try:
            data = note.path.read_bytes()
        except OSError:
            return None
        note.sha = content_hash(data)
        parsed = parse_note(data)
        cache.put(note.sha, parsed)
        return parsed

    def _part(self, note: _Note, cache: FileCache) -> Part:
        """The note's evidence as a part: built already (a note just read) or on demand."""
        summary, rel = note.summary, note.rel
        assert summary is not None
        current = summary["current"]
        observed, entity = summary["observed"], summary["entity"]
        hits = (*(_hit(rel, entity, observed, note.sha, *found) for found in summary["hits"]),
                *(_remark(rel, entity, observed, note.sha, *found) for found in summary["remarks"]))
        groups = tuple(g or None for g in summary.get("groups") or [entity or ""])
        whole = note.parsed  # a note parsed here, in full: its items are built from it, once
        note.parsed = None

        def again() -> dict[str, Any]:
            """The note parsed from its file, which must still hold what the run summarised."""
            try:
                data = note.path.read_bytes()
            except OSError as exc:
                raise StageError(f"{rel} could not be read again ({exc.strerror or exc}): it was moved or "
                                 "removed while the run read it; run again") from exc
            if content_hash(data) != note.sha:
                raise StageError(f"{rel} changed while the run read it: run again")
            return parse_note(data)

        def build() -> list[Evidence]:
            nonlocal whole
            parsed, whole = whole, None  # (building changes the parse: use it once)
            if parsed is None and note.sha:
                parsed = cache.get(note.sha)
            try:  # (no cache entry: it could not be written, or was deleted)
                out, summary = self._build(parsed if parsed is not None else again(), note)
            except _DAMAGED:  # a cached parse this code did not write (hand-edited): parse afresh
                out, summary = self._build(again(), note)
            summary["doc"]["current"] = current  # the same dict as the document's record
            return out

        key = content_hash(f"{self._context}\x1f{rel}\x1f{note.sha}\x1f{observed}\x1f{current}")
        return Part("notes", rel, key, hits, build, entity, groups, note.sha)

    def _build(self, parsed: dict[str, Any], note: _Note, items: bool = True) -> tuple[list[Evidence], dict[str, Any]]:
        """The evidence of one parsed note, and the summary of it the cache index keeps.

        The summary holds the note's warnings; when the note is kept (not skipped, not
        archived) also its entity, last update, secrets found (as hashes and previews),
        mtime, and (not kept in the index) ``doc``, the document's record, whose ``current``
        flag is set once every note is known. ``items=False``: the summary only (``parsed``
        may be a ``_head``).
        """
        path, rel = note.path, note.rel
        summary: dict[str, Any] = {"context": self._context, "warnings": [list(w) for w in parsed["warnings"]]}
        if "skip" in parsed:
            summary["warnings"].append([None, parsed["skip"]])
            return [], summary
        fm, body = parsed["fm"], parsed["scan"]
        status = _text(fm.get("status"))
        archived = (status or "").lower() in ARCHIVED_STATUSES or fm.get("archived") is True
        observed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(note.stat.st_mtime))
        if archived and not self.config.include_archived:
            # left out of the briefings, but a secret in it is on disk all the same: the leaks
            # check still sees it ("Status: Done" on the page a Stripe key was pasted into)
            if parsed.get("secrets"):
                entity, _ = self._entity(fm, parsed["key_lines"], path, note.root, [])
                summary.update(entity=entity, observed=observed,
                               withheld=[list(found[:4]) for found in parsed["secrets"]])
            return [], summary
        updated, updated_from = _last_update(parsed, body["stamps"], observed[:10], path.stem)
        reference = date.fromisoformat(updated)
        title = _text(fm.get("title")) or parsed["h1"] or path.stem
        entity, pinned = self._entity(fm, parsed["key_lines"], path, note.root, summary["warnings"])
        # each section belongs to the business its heading (or an enclosing one) names, else
        # to the note's; an item of no business yet may name one in its own words
        scopes = [entity if pinned else self._scope(sec, entity) for sec in body["sections"]]
        starts = [sec["start"] or 0 for sec in body["sections"]]

        def owner(line: int, text: str | None) -> str | None:
            n = bisect_right(starts, line) - 1
            scope = scopes[n] if n >= 0 else entity
            if pinned:
                return scope
            led = self._led(text)  # "Gull Cottage: the shower valve drips", in the shop's log
            return led or (scope if scope is not None else self._own(text))
        out: list[Evidence] = []
        sha = note.sha
        # stable_id("ev", "notes", rel, kind, start), without re-hashing the common prefix per item
        base = hashlib.sha256(f"notes\x1f{rel}\x1f".encode())

        def add(kind: str, start: int, end: int, text: str | None, record: dict[str, Any],
                who: str | None) -> None:
            digest = base.copy()
            digest.update(f"{kind}\x1f{start}".encode())
            out.append(evidence("ev-" + digest.hexdigest()[:12], "notes", kind, who, text, record,
                                provenance("notes", rel, start, end, observed, sha)))

        doc = {
            "title": title,
            "front_matter": fm,
            "tags": _tags(fm.get("tags")),
            "status": status,
            "updated": updated,
            "updated_from": updated_from,
            "kpis": parsed["kpis"],
            "archived": archived,
            "current": False,
        }
        add("document", 1, max(parsed["lines"], 1), title, doc, entity)
        secrets = parsed.get("secrets", ())
        # a row names its business, else the line leading into its table does ("- obk billing run:")
        rows = [(row[0], (None if pinned else self._in_cells(row[2].get("cells")))
                  or owner(row[0], row[1]) or owner(row[0], row[2].get("caption"))) for row in body["rows"]]
        # the businesses the note's table rows belong to (its own, when it has none): the
        # groups of the rules kept business by business
        groups = sorted({e or "" for _, e in rows} or {entity or ""})
        named = any(scopes) or any(e for _, e in rows)
        # a secret is the business's whose line it is on ("Key safe at Kingsway is 4471", in a
        # family chat): the item its line is in, or the last one before it, says whose
        texts = body["secret_texts"] if "secret_texts" in body else _secret_texts(body, secrets)
        secrets = [[*found[:4], None if pinned else owner(found[0], texts.get(found[0]))] for found in secrets]
        # what the note says a sum of money is (personal, a draw, a transfer), with the days it names
        order = "dmy" if self._dmy else "mdy"
        remarks = [[line, text, [d.isoformat() for f in find_dates(text, order, yearless=True)
                                 if (d := resolve_day(f, reference))], None if pinned else owner(line, text)]
                   for line, text in (body["remark_texts"] if "remark_texts" in body else _remark_texts(body))]
        summary.update(kept=True, path=rel, entity=entity, updated=updated, updated_from=updated_from, observed=observed,
                       archived=archived, current=False, hits=[list(h) for h in secrets], doc=doc,
                       groups=groups, remarks=remarks)
        if not items:
            return out, summary
        for s, scope in zip(body["sections"], scopes):
            if scope is None and not pinned:
                named = self._paragraphs(s.get("paras", ())) or named
                # "Progressive for the vans is $5,600 on 12/15. Erie wants $2,640 for Birch Lane.":
                # a bullet whose sentences are about different businesses is one item each
                s["bullets"] = [part for b in s["bullets"] for part in self._split(b)]
            for item in (*s["bullets"], *(s.get("paras", ()) if scope is not None and not pinned else ())):
                if not pinned:
                    found = self._led(item["text"]) or (self._own(item["text"]) if scope is None else None)
                    if found is not None and found != scope:
                        item["entity"], named = found, True
            dated = _heading_day(s["heading"], reference, self._dmy)  # ("Sun 15 Nov": "by end of Nov" is this one)
            for item in (*s["bullets"], *s.get("paras", ())):
                if "said" in item:
                    item["said"] = _said(item["said"], reference, updated_from != "mtime", self._dmy)
                if "due" in item:
                    when = resolve_due(item["due"], dated or reference, self._dmy)
                    item["due"] = when.isoformat() if when else None
                if "dates" in item:
                    item["dates"] = [d.isoformat() for f in item["dates"] if (d := resolve_day(tuple(f), reference))]
            add("section", s["start"] or 0, s["end"] or 0, s["text"], {
                "heading": s["heading"], "level": s["level"], "parents": s["parents"],
                "bullets": s["bullets"], "paras": s.get("paras", []),
            }, scope)
        for t in body["tasks"]:
            # "due 15 December": the 15 December nearest the note's date (its heading's, where that
            # is a day: a notebook's page "Sun 15 Nov", written long before the file was saved)
            due = resolve_due(t["due"], _heading_day(t["heading"], reference, self._dmy) or reference,
                              self._dmy) if t["due"] else None
            who = owner(t["line"], " ".join([*t.get("projects", ()), t["text"]]))  # (a todo.txt's "+consulting")
            named = named or who is not None
            record = {"done": t["done"], "heading": t["heading"], "due": due.isoformat() if due else None}
            if t.get("cancelled"):
                record["cancelled"] = True
            if "said" in t:
                record["said"] = _said(t["said"], reference, updated_from != "mtime", self._dmy)
            add("task", t["line"], t["end"], t["text"], record, who)
        for (line, raw, record), (_, who) in zip(body["rows"], rows):
            add("table_row", line, line, raw, record, who)
        if not named and entity is None and self._resolver:
            summary["warnings"].append([None, (
                "names no business (no front matter entity, and no heading, title, file or folder "
                "name or item naming one): its items are group items; add 'entity:' to its front "
                "matter or name the business in a heading"
            )])
        out += [_hit(rel, entity, observed, sha, *found) for found in secrets]
        out += [_remark(rel, entity, observed, sha, *found) for found in remarks]
        return out, summary

    def _entity(self, fm: dict[str, Any], key_lines: dict[str, int | None], path: Path,
                root: Path, warnings: list[list[Any]]) -> tuple[str | None, bool]:
        """The note's business, and whether front matter pins it for every item.

        Front matter ``entity``, else the one business its tags name (an issue's "Labels:
        maintenance, dune-cottage"), else the one a page's property value is the name of (a CRM
        account page's "Team: B&V Digital"), else the front matter title, else the file's name, else a
        folder below the notes root (innermost first). Headings and items are asked later.
        """
        resolver = self._resolver
        if fm.get("entity") not in (None, ""):
            value = str(fm["entity"]).strip()
            found = resolver.label(value)
            if found is None:
                known = ", ".join(sorted(resolver.ids)) or "none configured"
                warnings.append([key_lines.get("entity"), (
                    f"front matter entity {quoted(value)} is not a configured entity (known: {known}): "
                    "fix it, or add it to [[entities]] in execbrief.toml"
                )])
            return found, found is not None
        if not resolver:
            return None, False
        tagged = {found for tag in _tags(fm.get("tags")) if (found := resolver.label(tag)) is not None}
        if len(tagged) != 1 and isinstance(fm.get("fields"), list):  # a CRM account page's "Team: B&V Digital"
            tagged = {found for value in fm["fields"] if (found := resolver.label(value)) is not None}
        if len(tagged) == 1:
            return tagged.pop(), False
        title = _text(fm.get("title"))
        found = resolver.in_text(title) if title else None
        if found is None:
            found = resolver.in_name(path.stem)
        folders = path.parent.relative_to(root).parts if path.is_relative_to(root) else ()
        for folder in reversed(folders):
            if found is not None:
                break
            found = resolver.in_name(folder)
        return found, False

    def _led(self, text: str | None) -> str | None:
        """The business a line opens with as its label ("Gull Cottage: the shower valve drips",
        "Spoke Shed — three batteries dead"): its own, whatever heading or title it is under."""
        m = _LED.match(text) if text else None
        if m is None:
            return None
        names = self._resolver.named(m.group(1))
        return next(iter(names)) if len(names) == 1 else None

    def _in_cells(self, cells: dict[str, Any] | None) -> str | None:
        """The business a table row's cells open with (a log's *Property* column: "Gull Cottage",
        "Fenwick Rd unit A"; not "$3,000 from Fenwick Rd"), when they name one only."""
        named = {e for v in (cells or {}).values()
                 if isinstance(v, str) and 2 < len(v) <= 40 and (e := self._resolver.leading(v))}
        return named.pop() if len(named) == 1 else None

    def _pointed(self, text: str | None) -> frozenset[str]:
        """The businesses a line points to: those it names, else (naming none) the one its
        words point to by kind ("the tenant in unit B")."""
        names = self._resolver.named(text)
        if not names and (kind := self._resolver.by_kind(text)):
            return frozenset((kind,))
        return names

    def _split(self, bullet: dict[str, Any]) -> list[dict[str, Any]]:
        """A bullet of a section of no business as its sentences, when they point to two
        businesses or more and none to several: each sentence its business's (one that points
        to none takes the one before it, or the first one after it); else the bullet whole."""
        text = bullet["text"]
        if "." not in text or len(self._pointed(text)) < 2 or self._led(text) is not None:
            return [bullet]
        sentences = split_sentences({"text": text, "line": bullet["line"], "starts": [0]}, 0)
        pointed = [self._pointed(sentence["text"]) for sentence in sentences]
        if len(sentences) < 2 or any(len(p) > 1 for p in pointed):
            return [bullet]
        firsts = [next(iter(p)) for p in pointed if p]
        carried, parts = firsts[0], []
        for sentence, names in zip(sentences, pointed):
            carried = next(iter(names)) if names else carried
            part = {k: v for k, v in bullet.items() if k not in ("text", "due", "dates", "entity")}
            part.update(text=sentence["text"], entity=carried)
            if (due := _due(sentence["text"], bullet["line"], [], tail=False)) is not None:
                part["due"] = due
            if (found := find_dates(sentence["text"])):
                part["dates"] = [list(f) for f in found]
            parts.append(part)
        return parts

    def _own(self, text: str | None) -> str | None:
        """The business a line of no section's business is about: the one it points to, if one."""
        names = self._pointed(text)
        return next(iter(names)) if len(names) == 1 else None

    def _paragraphs(self, sentences: Iterable[dict[str, Any]]) -> bool:
        """Give the sentences of a section of no business theirs; whether any got one.

        A sentence's business is the one it names, else the one its words point to by kind
        ("the tenant in unit B"). A paragraph that points to one business only, twice at least,
        is that business's throughout. Another is read in runs, cut where a short sentence of no
        substance changes the subject ("Um, what else.", "Anyway.", "Okay, moving on."). A
        sentence that points to no business takes the last one pointed to before it in its run
        (unless it opens an aside, "Oh and", "Also", "Remind me", "Web stuff, …", in a run that
        moves between businesses, as a spoken memo does); one that names several is the
        group's and ends the carry. The sentences before a run's first pointer are its
        business's only when the run points to one business, twice at least ("Brookside called,
        they're leaving. … our biggest retainer … the client sites"): one mention late in a
        paragraph ("… The van insurance renews") says nothing of what came before it.
        """
        paragraphs: dict[int, list[tuple[dict[str, Any], frozenset[str]]]] = {}
        last: dict[str, Any] | None = None
        at = 0  # the paragraph a sentence is read in
        for sentence in sentences:
            # a chat's messages minutes apart are one conversation: read as one paragraph
            # ("If they drop us we lose two thirds of the van money" … "We need more trade customers")
            if last is None or not (sentence["para"] == last["para"] or _one_conversation(last, sentence)):
                at = sentence["para"]
            paragraphs.setdefault(at, []).append((sentence, self._pointed(sentence["text"])))
            last = sentence
        runs: list[list[tuple[dict[str, Any], frozenset[str]]]] = []
        for paragraph in paragraphs.values():
            if _one_twice([names for _, names in paragraph]):
                runs.append(paragraph)  # about one business throughout: its fillers change no subject
                continue
            runs.append([])
            for sentence, names in paragraph:
                if filler(sentence["text"]) and runs[-1]:
                    runs.append([])
                runs[-1].append((sentence, names))
        named = False
        for run in runs:
            pointed = [names for _, names in run]
            every = frozenset().union(*pointed)
            # before its first pointer, a run takes a business it points to twice and no other
            carried = next(iter(every)) if _one_twice(pointed) else None
            for (sentence, _), names in zip(run, pointed):
                if names or (len(every) > 1 and _ASIDE.match(sentence["text"])):
                    carried = next(iter(names)) if len(names) == 1 else None
                if carried is not None:
                    sentence["entity"], named = carried, True
        return named

    def _scope(self, section: dict[str, Any], fallback: str | None) -> str | None:
        """The business a section's heading, or the nearest enclosing heading, names."""
        for heading in (section["heading"], *reversed(section["parents"])):
            found = self._resolver.in_text(heading) if heading else None
            if found is not None:
                return found
        return fallback


def _usable(summary: Any, context: str) -> bool:
    """Whether a summary from the cache index is one ``_build`` wrote under this context. A
    damaged or hand-edited entry is not: the note is then read from its cached parse (or
    parsed again), as if the index had never held it."""
    if not isinstance(summary, dict) or summary.get("context") != context:
        return False
    if not (isinstance(summary.get("warnings"), list)
            and all(isinstance(w, list) and len(w) == 2 for w in summary["warnings"])):
        return False
    if not summary.get("kept"):  # (skipped, or archived: then maybe its secrets alone)
        withheld = summary.get("withheld")
        return withheld is None or (
            isinstance(withheld, list) and all(isinstance(h, list) and len(h) == 4 for h in withheld)
            and isinstance(summary.get("observed"), str)
            and (summary.get("entity") is None or isinstance(summary["entity"], str)))
    return (all(isinstance(summary.get(k), str) for k in ("path", "updated", "observed"))
            and (summary.get("entity") is None or isinstance(summary["entity"], str))
            and isinstance(summary.get("archived"), bool) and isinstance(summary.get("hits"), list)
            and all(isinstance(h, list) and len(h) == 5 for h in summary["hits"])
            and isinstance(summary.get("remarks"), list)
            and all(isinstance(r, list) and len(r) == 4 for r in summary["remarks"]))


def _mark_current(summaries: list[dict[str, Any]]) -> None:
    """Flag the most recently updated note of each entity as its current state."""
    latest: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        summary["current"] = False  # a summary from the index holds the last run's flag
        entity = summary["entity"]
        if entity is None or summary["archived"]:
            continue
        best = latest.get(entity)
        if best is None or (summary["updated"], summary["path"]) > (best["updated"], best["path"]):
            latest[entity] = summary
    for summary in latest.values():
        summary["current"] = True


def _last_update(parsed: dict[str, Any], stamps: list[list[int]], mtime_day: str, stem: str) -> tuple[str, str]:
    """(date, where it came from): front matter, the latest dated line, the date the file's
    name starts or ends with ("2026-11-17-re-laurel-finch-renewal.md"), else its mtime."""
    if parsed["updated"]:
        return parsed["updated"], "front_matter"
    # a dated line later than the file's own mtime is a plan ("2026-12-01: inspection"), not an update
    days = [d.isoformat() for _, y, m, dd in stamps if (d := resolve_day((y, m, dd), None))]
    days = [d for d in days if d <= mtime_day]
    if days:
        return max(days), "dated_line"
    named = _FILE_DATE.search(stem)
    if named and (day := resolve_day((int(named[1]), int(named[2]), int(named[3])), None)):
        return day.isoformat(), "file_name"
    return mtime_day, "mtime"


# a date in a file's name: 2026-11-17, 2026_11_17, 20261117 (not inside a longer number)
_FILE_DATE = re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def _said(when: list[Any], reference: date, trusted: bool, dmy: bool = False) -> str | None:
    """When an e-mail or chat line was written, ISO (``2026-11-19``, ``2026-11-19T16:05`` with
    the time it gives): the day its message's ``Date:`` or its chat's title gives, moved on
    to the weekday its chat lines name ("[Thu 17:45]"); a line with a time alone is of the
    note's own day, where the note gives one (front matter, dated line, file name). A chat
    line's "03/11" that could be either is read in the organisation's order (``dmy``)."""
    year, month, day, weekday, after, minutes = when
    if isinstance(year, str):  # "?2026": either order (the scan cannot know the organisation's)
        year = int(year[1:]) if len(year) > 1 else None
        if dmy:
            month, day = day, month
    if month:
        base = resolve_day((year, month, day), reference)
        if base is not None and weekday is not None:  # the title's day, on to the first line's weekday
            base += timedelta(days=(weekday - base.weekday()) % 7)
    elif not trusted:
        return None
    elif weekday is not None:  # the latest such weekday on or before the note's day
        base = reference - timedelta(days=(reference.weekday() - weekday) % 7)
    else:
        base = reference
    if base is None:
        return None
    base += timedelta(days=after)
    return base.isoformat() if minutes is None else f"{base.isoformat()}T{minutes // 60:02d}:{minutes % 60:02d}"


def _due(text: str, line: int, warnings: list[list[Any]], tail: bool = True) -> list[Any] | None:
    """A task's due date as found, resolved later against the note's date (``resolve_due``).

    After "due", "by", "before", "until" or 📅: ``2026-12-01``, ``1 Dec 2026``, ``Dec 15``,
    ``12/8``, ``12/08/2026``, ``Friday``, ``EOW``, ``end of month``, ``tomorrow``; else
    ``EOW``/``EOM`` anywhere, else (``tail``) a date that ends the line (``chase deposit
    2026-12-04``: a task's, not a bullet's, where a closing date is as often history).
    """
    dates: list[list[Any]] = []
    low = text.lower()
    # (most lines name no deadline: a substring test of the words each expression needs
    # comes first, the expressions after; 18 → ~6 µs a line)
    for m in (_DUE.finditer(text) if any(w in low for w in _DUE_WORDS) else ()):
        if not tail and m.group(0).lower().startswith(("w/c", "week commencing")):
            continue  # "launch w/c 16 Nov" in a status line is a plan, not a deadline: a task's only
        rest = text[m.end():m.end() + 40]
        iso = _ISO.match(rest)
        if iso and parse_day(iso.group(0)) is None:
            warnings.append([line, f"task due date {iso.group(0)!r} is not a real date: use YYYY-MM-DD"])
            return None
        found = leading_date(rest, yearless=True) or _numeric(_NUMERIC.match(rest)) or _relative_day(_RELATIVE.match(rest))
        if found is not None and found[:2] == ["rel", "monthday"] and _RECURRING.search(text):
            continue  # "invoiced on the 1st, due on the 15th": every month's terms, not a deadline
        if found is not None:
            dates.append(list(found))
    if dates:
        return _earliest(dates)
    anywhere = _SHORTHAND.search(text) if "eo" in low or "end of" in low else None
    if anywhere and _ROUTINE.search(text):
        anywhere = None  # "At the end of the month we take our 20% commission": what is done each month
    if anywhere:
        return _relative_day(_RELATIVE.match(anywhere.group(0)))
    closing = _TAIL.search(text) if tail and _dated_end(text) else None
    if closing and _FROM_DAY.search(text, 0, closing.start() + 1):
        closing = None  # "book cleaner for Flat B after 10/31": when it may start, not a deadline
    if closing:
        found = leading_date(closing.group(1), yearless=True) or _numeric(_NUMERIC.match(closing.group(1)))
        if found is not None:
            return list(found)
    weekday = _TAIL_WEEKDAY.search(text) if tail and "day" in low else None
    if weekday:  # "Tess: 2 more quotes for the van next Friday": that Friday
        return ["rel", "weekday", _WEEKDAYS[weekday.group(1).lower()]]
    return None


def _dated_end(text: str) -> bool:
    """Whether a line may end in a date: in a digit ("2026-12-04", "12/8", "Dec 15") or a
    month's name ("15 December"), before closing brackets, dots and spaces."""
    i = len(text)
    while i and (text[i - 1] in ").]" or text[i - 1].isspace()):
        i -= 1
    if not i:
        return False
    if text[i - 1].isdigit():
        return True
    start = text.rfind(" ", 0, i) + 1  # ("15 December": a number, then a word of 3-9 letters)
    return 3 <= i - start <= 9 and text[start:i].isascii() and text[start:i].isalpha() \
        and start >= 2 and text[start - 2].isdigit()


def _earliest(dates: list[list[Any]]) -> list[Any]:
    """The first deadline of several a task gives ("permit expires 2026-12-31, apply by Dec 15":
    Dec 15), where they can be ordered as written: all full dates, or all of one year's
    months without a year (Dec and Jan may straddle a new year: then the first written); a
    day of the month among them ("the permit renewed before the 19th, boxes ordered by 12/5")
    is ordered once the note's date says which month (``resolve_due``: the earliest of them)."""
    if len(dates) > 1 and any(d[:2] == ["rel", "monthday"] for d in dates):
        return ["any", *dates]
    if len(dates) == 1 or any(len(d) != 3 or not isinstance(d[1], int) for d in dates):
        return dates[0]
    years = {d[0] for d in dates if d[0] is not None}
    if len(years) == 1 and all(abs(d[1] - dates[0][1]) < 6 for d in dates):
        year = years.pop()  # "expires 2026-12-31 … apply by Dec 15": Dec 15 of that year
        dates = [[d[0] or year, d[1], d[2]] for d in dates]
    if all(d[0] is not None for d in dates):
        return min(dates)
    if all(d[0] is None for d in dates) and max(d[1] for d in dates) - min(d[1] for d in dates) < 6:
        return min(dates, key=lambda d: (d[1], d[2]))
    return dates[0]


_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH_NAMES = {m: n for n, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"), 1)}
_RELATIVE = re.compile(
    r"(eow|eom|end of (?:the )?week|end of (?:the )?month|today|tomorrow|tmrw"
    r"|(?:the )?end of (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|(?:next )?(mon|tue|wed|thu|fri|sat|sun)(?:day|s|rs|sday|nesday|rsday|urday)?"
    r"|mid[- ]?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|mid[- ]?month"
    r"|(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))\b",
    re.I)
# what says a day of the month comes every month ("Billed on the 1st …, due on the 15th")
_RECURRING = re.compile(r"(?i)\b(?:monthly|every month|each month|a month|per month|(?:invoiced|billed|paid|charged)"
                        r"\s+(?:on\s+)?the\s+\d{1,2}(?:st|nd|rd|th)|on the 1st"
                        r"|\d(?:st|nd|rd|th) of (?:the |each |every )?(?:next |following )?month)\b")
_SHORTHAND = re.compile(r"\b(?:eow|eom|end of (?:the )?(?:week|month))\b", re.I)
# a routine said in the present: "At the end of the month we take our commission and move it"
# (not "… we need to pay the VAT", "… I'll move it": a deadline, a plan)
_ROUTINE = re.compile(r"(?i)\bat the end of the (?:week|month),? (?:we|i|they|he|she) (?!will\b|won't\b|need|must\b|should\b"
                      r"|have to\b|has to\b|are going\b|am going\b|plan|want|'ll\b|might\b|may\b|can\b)[a-z]+s?\b")
# what makes the date after it a start, not a deadline: "book cleaner for Flat B after 10/31"
_FROM_DAY = re.compile(r"(?i)\b(?:after|since|from|starting|start(?:s|ing)? on|effective|as of)\s*$")
# a weekday closing a task's line: "2 more quotes for the van next Friday", "call Ray on Monday"
_TAIL_WEEKDAY = re.compile(r"(?i)\b(?:next|this|on)\s+(mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)\b[)\].!\s]*$")
# a date closing the line: "chase deposit 2026-12-04", "invoices (12/8)", "renew, Dec 15."
_TAIL = re.compile(r"[\s(\[,:–-]((?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|[A-Za-z]{3,9}\.? \d{1,2}(?:,? \d{4})?"
                   r"|\d{1,2} [A-Za-z]{3,9}(?: \d{4})?))[)\].\s]*$")


def _numeric(m: re.Match[str] | None) -> list[Any] | None:
    if m is None:
        return None
    year = m.group(3)
    return ["num", int(m.group(1)), int(m.group(2)), (int(year) + 2000 if len(year) == 2 else int(year)) if year else None]


def _relative_day(m: re.Match[str] | None) -> list[Any] | None:
    if m is None:
        return None
    word = m.group(1).lower()
    if m.group(2):  # "the end of January": that month's last day
        return ["rel", "monthend", _MONTH_NAMES[m.group(2).lower()]]
    if m.group(3):
        return ["rel", "weekday", _WEEKDAYS[m.group(3).lower()]]
    if m.group(4):  # "by mid-Dec": the 15th of that month, in the year nearest the note's date
        return [None, _MONTH_NAMES[m.group(4).lower()], 15]
    if word.startswith("mid"):  # "mid-month": the next 15th on or after the note's date
        return ["rel", "midmonth", 0]
    if m.group(5):  # "by the 15th": the next 15th on or after the note's date
        day = int(m.group(5))
        return ["rel", "monthday", day] if 1 <= day <= 31 else None
    if word in ("eow",) or "week" in word:
        return ["rel", "weekday", 4]  # the week's end: its Friday
    if word in ("eom",) or "month" in word:
        return ["rel", "eom", 0]
    return ["rel", "day", 1 if word in ("tomorrow", "tmrw") else 0]


def _heading_day(heading: str | None, reference: date, dmy: bool) -> date | None:
    """The day a heading gives ("Sun 15 Nov", "Tues 10/20", "Week of 2 November 2026"), as the
    analyzers date its items (``heading_days``); None for any other heading."""
    days = heading_days(heading or "", dmy, reference)
    return days[0] if days else None


def resolve_due(found: list[Any], reference: date, dmy: bool = False) -> date | None:
    """A due date as ``_due`` found it, against the note's date: a year-less date takes the
    year nearest it, ``12/8`` is month first unless ``dmy``, "Friday" the next one on or after it."""
    if found[0] == "any":  # several deadlines, one a day of the month: the earliest once resolved
        resolved = [d for f in found[1:] if (d := resolve_due(f, reference, dmy)) is not None]
        return min(resolved) if resolved else None
    if found[0] == "num":
        first, second, year = found[1:]
        month, day = (second, first) if dmy else (first, second)
        return resolve_day((year, month, day), reference) if 1 <= month <= 12 and 1 <= day <= 31 else None
    if found[0] == "rel":
        kind, n = found[1], found[2]
        if kind == "weekday":
            return reference + timedelta(days=(n - reference.weekday()) % 7)
        if kind == "eom":
            following = (reference.replace(day=28) + timedelta(days=4)).replace(day=1)
            return following - timedelta(days=1)
        if kind in ("midmonth", "monthday"):
            day = 15 if kind == "midmonth" else n
            month = reference.replace(day=1) if reference.day <= day else \
                (reference.replace(day=28) + timedelta(days=4)).replace(day=1)
            for _ in range(3):  # (a 31st: the next month that has one)
                try:
                    return month.replace(day=day)
                except ValueError:
                    month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
            return None
        if kind == "monthend":  # the next end of that month on or after the note's date
            year = reference.year if n >= reference.month else reference.year + 1
            return date(year + n // 12, n % 12 + 1, 1) - timedelta(days=1)
        return reference + timedelta(days=n)
    return resolve_day(tuple(found), reference)


# -- front matter ------------------------------------------------------------------------

# a Notion page exported to markdown: its title, then its properties one to a line
# ("Business: Tidy Nest Cleaning", "Status: In progress", "Last edited time: November 27, 2026
# 5:02 PM"), then a blank line and the page
_PROPERTY = re.compile(r"^([A-Z][A-Za-z0-9/&' -]{0,28}):[ \t]+(\S.*)$")
_ENTITY_PROPERTIES = ("business", "company", "entity")
_STATUS_PROPERTIES = ("status", "state")  # (an issue tracker's "State: Done")
_TAG_PROPERTIES = ("tags", "labels", "label")  # (an issue's "Labels: maintenance, dune-cottage")
_DUE_PROPERTIES = ("due", "due date", "deadline")
_TICKED_PROPERTY = re.compile(r"(?i)^(?:yes|true|done|checked|x|✓|✔️?|✅|☑️?)$")  # a database's "Done: Yes"
_EDITED_PROPERTIES = ("last edited time", "last edited", "updated", "date")
_PROPERTY_DAY = re.compile(r"^[A-Z][a-z]+\.? \d{1,2}, \d{4}|^\d{4}-\d{2}-\d{2}")


def _page_properties(lines: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """A Notion page's (or a tracker issue's) properties read as its front matter (``entity``
    from its *Business*, ``tags`` from its *Tags* or *Labels*, ``status`` from its *Status* or
    *State* (or "done" from a ticked *Done*), ``due`` from its *Due*, ``updated`` from its
    *Last edited time*), and the line (1-based)
    of each key, for a warning about its value; their lines are emptied, so they are no items
    of the page. Only two lines or more right under the page's first heading count: "Note:
    skipped last week" in a page's text is the page's own words."""
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    if n >= len(lines) or not lines[n].startswith("# "):
        return {}, {}
    start = n + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    found: list[tuple[int, str, str]] = []
    for at in range(start, len(lines)):
        m = _PROPERTY.match(lines[at].strip())
        if m is None:
            break
        found.append((at, m.group(1).strip().lower(), m.group(2).strip()))
    if len(found) < 2 or (found[-1][0] + 1 < len(lines) and lines[found[-1][0] + 1].strip()):
        return {}, {}  # (not a block of properties: a line of the page follows without a break)
    out: dict[str, Any] = {"title": lines[n][2:].strip()}
    where: dict[str, int] = {}
    ticked = False
    for at, key, value in found:
        if key in _ENTITY_PROPERTIES and "entity" not in out:
            out["entity"], where["entity"] = value, at + 1
        elif key in _TAG_PROPERTIES:
            out["tags"] = [*out.get("tags", ()), *(t.strip() for t in value.split(",") if t.strip())]
        elif key in _STATUS_PROPERTIES and "status" not in out:
            out["status"] = value
        elif key in _DUE_PROPERTIES and "due" not in out:
            out["due"], where["due"] = value, at + 1
        elif key == "done" and _TICKED_PROPERTY.match(value):
            ticked = True
        elif key in _EDITED_PROPERTIES and "updated" not in out and (day := _PROPERTY_DAY.match(value)):
            out["updated"], where["updated"] = day.group(0), at + 1
        elif len(value) <= 60:  # ("Team: B&V Digital": a value that is a business's name names the page's)
            out.setdefault("fields", []).append(value)
        lines[at] = ""
    if ticked and "status" not in out:
        out["status"] = "done"
    return out, where


def _front_matter(lines: list[str], warnings: list[list[Any]]) -> tuple[dict[str, Any], int]:
    """The front matter mapping (JSON-safe) and the 0-based index where the body starts."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        warnings.append([1, (
            "front matter opened with '---' on line 1 is never closed: add a closing '---' "
            "line; front matter ignored"
        )])
        return {}, 0
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        warnings.append([mark.line + 2 if mark is not None else 1, (
            f"front matter is not valid YAML ({problem}): fix it, or quote values that "
            "contain ':' or '#'; front matter ignored"
        )])
        return {}, end + 1
    if data is not None and not isinstance(data, dict):
        warnings.append([1, (
            f"front matter is a {type(data).__name__}, not a mapping of 'key: value' lines: "
            "fix it; front matter ignored"
        )])
        data = None
    try:
        return _json_safe(data or {}, [0]), end + 1
    except (RecursionError, ValueError):
        warnings.append([1, "front matter is too large or deeply nested: shorten it; front matter ignored"])
        return {}, end + 1


def _updated(fm: dict[str, Any], key_lines: dict[str, int | None], warnings: list[list[Any]]) -> str | None:
    key = "updated" if fm.get("updated") not in (None, "") else "date"
    value = fm.get(key)
    if value in (None, ""):
        return None
    text = str(value)
    if _ISO.fullmatch(text[:10]) and parse_day(text[:10]):  # a datetime counts by its date part
        return text[:10]
    day = parse_day(text)  # "3 Nov 2026", "Nov 3, 2026"
    if day is not None:
        return day.isoformat()
    warnings.append([key_lines.get(key), f"front matter {key} {quoted(value)} is not a date: use YYYY-MM-DD"])
    return None


def _kpis(value: Any, key_lines: dict[str, int | None], warnings: list[list[Any]]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        warnings.append([key_lines.get("kpis"), (
            "front matter kpis is not a mapping: write one 'name: value' per line under kpis:"
        )])
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def _decode(data: bytes, warnings: list[list[Any]]) -> str:
    try:
        return data.decode("utf-8-sig")  # a BOM is common from Windows editors, and harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    try:
        text, codec = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, codec = data.decode("latin-1"), "latin-1"  # never fails: every byte is a char
    warnings.append([line, f"not UTF-8; decoded as {codec}: re-save as UTF-8"])
    return text


def _json_safe(value: Any, budget: list[int]) -> Any:
    """YAML values as JSON values: dates → ISO strings; a node budget stops alias bombs."""
    budget[0] += 1
    if budget[0] > 10_000:
        raise ValueError("front matter too large")
    if isinstance(value, dict):
        return {str(k): _json_safe(v, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v, budget) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _warning(path: str | None, line: int | None, message: str) -> DataWarning:
    return DataWarning(source="notes", path=path, line=line, message=message)


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value).strip()


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,\s]+", str(value))
    return [str(t).strip().lstrip("#") for t in items if t is not None and str(t).strip()]


def _key_line(front: list[str], key: str) -> int | None:
    """The line of ``key:`` in the front matter lines, for warnings that point at it."""
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    return next((i + 1 for i, line in enumerate(front) if pattern.match(line)), None)


def _pattern_root(path: Path) -> Path:
    """The folder a configured path names: itself, a file's parent, or a glob's fixed prefix."""
    parts = path.parts
    for n, part in enumerate(parts):
        if _GLOB & set(part):
            return Path(*parts[:n])
    return path if path.is_dir() else path.parent


def _relative(path: Path, workspace: Path) -> str:
    full, base = path.as_posix(), workspace.as_posix().rstrip("/") + "/"
    return full[len(base):] if full.startswith(base) else full
