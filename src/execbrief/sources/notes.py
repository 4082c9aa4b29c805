"""Markdown notes → ``document``, ``section``, ``task`` and ``table_row`` evidence.

The body is read by a line scanner, not a full markdown parser: notes are mostly
headings, bullets, checkboxes and pipe tables, and 20,000 of them must parse in
seconds. Fenced code blocks are skipped over, so a ``#`` or ``- [ ]`` inside one is text.
"""

from __future__ import annotations

import gc
import re
import time
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..model import DataWarning, Evidence, content_hash, stable_id
from . import InputFile, SourceResult, expand_paths

__all__ = ["NotesSource", "register"]

SUFFIXES = (".md", ".markdown")
_GLOB = set("*?[")
# libyaml when present: same safe semantics as yaml.safe_load, many times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r"^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_CHECKBOX = re.compile(r"^\[([ xX])\](?:[ \t]+(.*))?$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUE = re.compile(r"(?:\bdue:?|\bby|📅)[ \t]*(\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


def register(registry: Any) -> None:
    """Register the notes source under the name ``notes``."""
    registry.add_source("notes", NotesSource)


class NotesSource:
    """Reads the markdown notes named by ``[sources.notes] paths``."""

    name = "notes"

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.config = settings.sources.notes
        self.workspace = Path(settings.workspace)
        self._ids = {e.id for e in settings.entities}
        # id, alias or name (case-insensitive) → entity id, for front matter values
        self._by_label: dict[str, str] = {}
        # id or alias → entity id, for folder names
        self._by_folder: dict[str, str] = {}
        for entity in settings.entities:
            for label in (entity.name, *entity.aliases, entity.id):
                self._by_label[label.strip().lower()] = entity.id
            for label in (*entity.aliases, entity.id):
                self._by_folder[label.strip().lower()] = entity.id
        self._stem_ids = [
            (re.compile(rf"(?<![a-z0-9]){re.escape(i)}(?![a-z0-9])"), i)
            for i in sorted(self._ids, key=len, reverse=True)
        ]

    def collect(self) -> SourceResult:
        """Read every note and return its evidence, warnings and input hashes."""
        result, seen = SourceResult(), set()
        # Pausing the cyclic GC while we allocate a few hundred thousand long-lived objects
        # halves the run time; only re-enable it if it was on (another source may pause too).
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            for pattern in self.config.paths:
                files = [p for p in expand_paths(self.workspace, [pattern], SUFFIXES)
                         if p.suffix.lower() in SUFFIXES or not _GLOB & set(pattern)]
                if not files:
                    result.warnings.append(_warning(None, None, (
                        f"notes path {pattern!r} matches no .md or .markdown files: "
                        "fix it or remove it from sources.notes.paths"
                    )))
                root = _pattern_root(self.settings.resolve(pattern))
                for path in files:
                    if path not in seen:
                        seen.add(path)
                        self._read_file(path, root, result)
        finally:
            if gc_was_on:
                gc.enable()
        return result

    def _read_file(self, path: Path, root: Path, result: SourceResult) -> None:
        rel, limit = _relative(path, self.workspace), self.config.max_file_mb
        warnings = result.warnings
        try:
            stat = path.stat()
            if stat.st_size > limit * 1024 * 1024:
                warnings.append(_warning(rel, None, (
                    f"file is {stat.st_size / 1024 / 1024:.1f} MB, over the {limit:g} MB limit: "
                    "skipped (split it, or raise sources.notes.max_file_mb)"
                )))
                return
            data = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            warnings.append(_warning(rel, None, f"cannot read file ({reason}): "
                                                "check its permissions; skipped"))
            return
        sha = content_hash(data)
        result.inputs.append(InputFile(source="notes", path=rel, sha256=sha, size=len(data)))
        if b"\x00" in data[:8192]:
            warnings.append(_warning(rel, None, "binary file, not markdown text: skipped "
                                                "(move it out of the notes folder)"))
            return
        text = _decode(data, rel, warnings)
        if not text.strip():
            warnings.append(_warning(rel, None, "empty note: skipped "
                                                "(add content or delete the file)"))
            return
        observed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime))
        self._parse(text, path, root, rel, sha, observed, result)

    def _parse(self, text: str, path: Path, root: Path, rel: str, sha: str, observed: str,
               result: SourceResult) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # a trailing newline ends the last line; it does not start another
        warnings: list[DataWarning] = []
        fm, body_start = _front_matter(lines, rel, warnings)
        scan = _scan(lines, body_start)
        warnings.extend(_warning(rel, line, msg) for line, msg in scan.problems)
        front = lines[:body_start]
        entity = self._entity(fm, front, path, root, rel, warnings)
        first_h1 = next((s["heading"] for s in scan.sections if s["level"] == 1), None)
        title = _text(fm.get("title")) or first_h1 or path.stem
        out = result.evidence

        def add(kind: str, start: int, end: int, text: str, record: dict[str, Any]) -> None:
            prov = {"source": "notes", "path": rel, "line_start": start, "line_end": end,
                    "observed_at": observed, "sha256": sha}
            out.append(Evidence(id=stable_id("ev", "notes", rel, kind, start), source="notes",
                                kind=kind, entity=entity, text=text, record=record,
                                provenance=prov))

        add("document", 1, max(len(lines), 1), title, {
            "title": title,
            "front_matter": fm,
            "tags": _tags(fm.get("tags")),
            "status": _text(fm.get("status")),
            "updated": _updated(fm, front, rel, warnings),
            "kpis": _kpis(fm.get("kpis"), front, rel, warnings),
        })
        for s in scan.sections:
            add("section", s["start"], s["end"], "\n".join(lines[s["body"]:s["end"]]).strip(), {
                "heading": s["heading"], "level": s["level"], "parents": s["parents"],
                "bullets": s["bullets"],
            })
        for t in scan.tasks:
            due = _DUE.search(t["text"])
            if due and not _is_date(due.group(1)):
                warnings.append(_warning(rel, t["line"], (
                    f"task due date {due.group(1)!r} is not a real date: use YYYY-MM-DD"
                )))
                due = None
            add("task", t["line"], t["end"], t["text"], {
                "done": t["done"], "heading": t["heading"], "due": due and due.group(1),
            })
        for line, raw, heading, cells in scan.rows:
            add("table_row", line, line, raw, {"heading": heading, "cells": cells})
        result.warnings.extend(warnings)

    def _entity(self, fm: dict[str, Any], front: list[str], path: Path,
                root: Path, rel: str, warnings: list[DataWarning]) -> str | None:
        """Front matter ``entity``, else a folder below the notes root, else the file stem."""
        if fm.get("entity") not in (None, ""):
            value = str(fm["entity"]).strip()
            found = value if value in self._ids else self._by_label.get(value.lower())
            if found is None:
                known = ", ".join(sorted(self._ids)) or "none configured"
                warnings.append(_warning(rel, _key_line(front, "entity"), (
                    f"front matter entity {value!r} is not a configured entity (known: {known}): "
                    "fix it, or add it to [[entities]] in execbrief.toml"
                )))
            return found
        folders = path.parent.relative_to(root).parts if path.is_relative_to(root) else ()
        for folder in folders if self._by_folder else ():
            if folder.lower() in self._by_folder:
                return self._by_folder[folder.lower()]
        stem = path.stem.lower()
        for pattern, entity_id in self._stem_ids:  # longest id first: "acme-eu" before "acme"
            if pattern.search(stem):
                return entity_id
        return None


# -- front matter ------------------------------------------------------------------------

def _front_matter(lines: list[str], rel: str,
                  warnings: list[DataWarning]) -> tuple[dict[str, Any], int]:
    """The front matter mapping (JSON-safe) and the 0-based index where the body starts."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        warnings.append(_warning(rel, 1, (
            "front matter opened with '---' on line 1 is never closed: add a closing '---' "
            "line; front matter ignored"
        )))
        return {}, 0
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "syntax error"
        warnings.append(_warning(rel, mark.line + 2 if mark is not None else 1, (
            f"front matter is not valid YAML ({problem}): fix it, or quote values that "
            "contain ':' or '#'; front matter ignored"
        )))
        return {}, end + 1
    if data is not None and not isinstance(data, dict):
        warnings.append(_warning(rel, 1, (
            f"front matter is a {type(data).__name__}, not a mapping of 'key: value' lines: "
            "fix it; front matter ignored"
        )))
        data = None
    try:
        return _json_safe(data or {}, [0]), end + 1
    except (RecursionError, ValueError):
        warnings.append(_warning(rel, 1, "front matter is too large or deeply nested: "
                                         "shorten it; front matter ignored"))
        return {}, end + 1


def _updated(fm: dict[str, Any], front: list[str], rel: str,
             warnings: list[DataWarning]) -> str | None:
    key = "updated" if fm.get("updated") not in (None, "") else "date"
    value = fm.get(key)
    if value in (None, ""):
        return None
    if _is_date(str(value)[:10]):  # a datetime counts by its date part
        return str(value)[:10]
    warnings.append(_warning(rel, _key_line(front, key), (
        f"front matter {key} {value!r} is not a date: use YYYY-MM-DD"
    )))
    return None


def _kpis(value: Any, front: list[str], rel: str, warnings: list[DataWarning]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        warnings.append(_warning(rel, _key_line(front, "kpis"), (
            "front matter kpis is not a mapping: write one 'name: value' per line under kpis:"
        )))
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


# -- body --------------------------------------------------------------------------------

class _Scan:
    """What one pass over a note body found."""

    def __init__(self) -> None:
        self.sections: list[dict[str, Any]] = []
        self.tasks: list[dict[str, Any]] = []
        self.rows: list[tuple[int, str, str, dict[str, str]]] = []
        self.problems: list[tuple[int, str]] = []


def _scan(lines: list[str], begin: int) -> _Scan:
    """Walk the body once: headings, fences, bullets, checkboxes and pipe tables."""
    out = _Scan()
    stack: list[tuple[int, str]] = []  # enclosing headings, outer → inner
    # "start"/"end": first and last non-blank line (1-based); "body": index of its first body line
    section: dict[str, Any] = {"heading": "", "level": 0, "parents": [], "start": None,
                               "end": None, "body": begin, "bullets": []}
    fence: tuple[str, int] | None = None
    item: dict[str, Any] | None = None  # the bullet or task a continuation line joins
    table: tuple[str, ...] | None = None  # normalised header keys of the open table

    def close(sec: dict[str, Any]) -> None:
        if sec["level"] or sec["start"] is not None:  # the preamble counts only if non-blank
            out.sections.append(sec)

    i, n = begin, len(lines)
    while i < n:
        line, lineno = lines[i], i + 1
        i += 1
        # Dispatch on the first character: most lines are prose, and regexes cost.
        first = line.lstrip()[:1]
        if not first:
            item = table = None
            continue
        if fence is not None:
            section["end"] = lineno
            if first == fence[0]:
                m = _FENCE.match(line)
                if m and len(m.group(1)) >= fence[1] and line.strip() == m.group(1):
                    fence = None
            continue
        if first == "#":
            heading = _HEADING.match(line)
            if heading:
                close(section)
                level, name = len(heading.group(1)), (heading.group(2) or "").strip()
                while stack and stack[-1][0] >= level:
                    stack.pop()
                section = {"heading": name, "level": level, "parents": [h for _, h in stack],
                           "start": lineno, "end": lineno, "body": i, "bullets": []}
                stack.append((level, name))
                item = table = None
                continue
        section["end"] = lineno
        if section["start"] is None:
            section["start"] = lineno
        if "|" in line:
            if table is not None:
                out.rows.append(_row(line, lineno, table, section["heading"], out.problems))
                continue
            if i < n and "|" in lines[i] and _TABLE_SEP.match(lines[i]):
                header = _cells(line)
                if len(header) == len(_cells(lines[i])):
                    table, item = _keys(tuple(header)), None
                    section["end"] = i = i + 1
                    continue
        table = None
        if first in "`~":
            fence_open = _FENCE.match(line)
            if fence_open:
                fence, item = (fence_open.group(1)[0], len(fence_open.group(1))), None
                continue
        if first in "-*_" and _BREAK.match(line):
            item = None
            continue
        bullet = (first in "-*+" or first.isdigit()) and _BULLET.match(line)
        if bullet:
            box = _CHECKBOX.match(bullet.group(1))
            if box:
                item = {"text": (box.group(2) or "").strip(), "done": box.group(1) != " ",
                        "heading": section["heading"], "line": lineno, "end": lineno}
                out.tasks.append(item)
            else:
                item = {"text": bullet.group(1).strip(), "line": lineno}
                section["bullets"].append(item)
            continue
        if item is not None and line[0] in " \t":
            item["text"] = f"{item['text']} {line.strip()}".strip()
            if "end" in item:
                item["end"] = lineno
        else:
            item = None
    close(section)
    return out


def _cells(line: str) -> list[str]:
    """The cells of a pipe-table line; ``\\|`` is a literal pipe inside a cell."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(s)]


@lru_cache(maxsize=1024)  # notes in one folder tend to share their table headers
def _keys(header: tuple[str, ...]) -> tuple[str, ...]:
    """Header cells as record keys: lower-case, spaces → ``_``, no punctuation, unique."""
    keys: list[str] = []
    for n, cell in enumerate(header, 1):
        key = re.sub(r"\s+", "_", re.sub(r"[^\w\s]", "", cell.lower()).strip()) or f"column_{n}"
        base, k = key, 2
        while key in keys:  # a repeated header would silently overwrite a cell
            key, k = f"{base}_{k}", k + 1
        keys.append(key)
    return tuple(keys)


def _row(line: str, lineno: int, keys: tuple[str, ...], heading: str,
         problems: list[tuple[int, str]]) -> tuple[int, str, str, dict[str, str]]:
    cells = _cells(line)
    if len(cells) != len(keys):
        problems.append((lineno, (
            f"table row has {len(cells)} cells, header has {len(keys)}: "
            "add or remove '|' so they match (missing cells read as empty, extra cells dropped)"
        )))
        cells = (cells + [""] * len(keys))[: len(keys)]
    return lineno, line.strip(), heading, dict(zip(keys, cells))


def _decode(data: bytes, rel: str, warnings: list[DataWarning]) -> str:
    try:
        return data.decode("utf-8-sig")  # a BOM is common from Windows editors, and harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    try:
        text, codec = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, codec = data.decode("latin-1"), "latin-1"  # never fails: every byte is a char
    warnings.append(_warning(rel, line, f"not UTF-8; decoded as {codec}: re-save as UTF-8"))
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


def _is_date(text: str) -> bool:
    """True for a real ``YYYY-MM-DD`` date (2026-02-30 has the shape but is none)."""
    try:
        return bool(_DAY.fullmatch(text)) and bool(date.fromisoformat(text))
    except ValueError:
        return False


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
