"""Ledger CSV exports → ``transaction`` evidence, one per row.

The header names come from ``[sources.ledger.columns]``. Files are streamed (a ledger
may be hundreds of megabytes): one pass hashes the bytes and checks the encoding, a
second pass reads the rows. A bad row becomes a warning naming its line; the rest of the
file is still read.
"""

from __future__ import annotations

import codecs
import csv
import gc
import hashlib
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import DataWarning, Evidence, stable_id
from . import InputFile, SourceResult, expand_paths

__all__ = ["LedgerSource", "register"]

SUFFIXES = (".csv",)
REQUIRED = ("date", "amount")
OPTIONAL = ("entity", "account", "category", "memo")
# A file with every row broken would otherwise bury the run summary in warnings.
MAX_ROW_WARNINGS = 50

_GLOB = set("*?[")
_DATE = re.compile(
    r"^(\d{4})([-/])(\d{2})\2(\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"^([+-])?\$?[ \t]*([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$")
# The five bytes cp1252 leaves undefined; a file holding one is decoded as latin-1.
_CP1252_HOLES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def register(registry: Any) -> None:
    """Register the ledger source under the name ``ledger``."""
    registry.add_source("ledger", LedgerSource)


class LedgerSource:
    """Reads the CSV ledger exports named by ``[sources.ledger] paths``."""

    name = "ledger"

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.config = settings.sources.ledger
        self.workspace = Path(settings.workspace)
        self._ids = {e.id for e in settings.entities}
        # id, alias or name (case-insensitive) → entity id
        self._by_label: dict[str, str] = {}
        for entity in settings.entities:
            for label in (entity.name, *entity.aliases, entity.id):
                self._by_label[label.strip().lower()] = entity.id

    def collect(self) -> SourceResult:
        """Read every ledger file and return its transactions, warnings and input hashes."""
        result = SourceResult()
        # A large ledger allocates millions of long-lived objects; the cyclic GC would
        # rescan them over and over. Only re-enable it if it was on (another source may
        # pause it too).
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            seen: set[Path] = set()
            for pattern in self.config.paths:
                files = [
                    p
                    for p in expand_paths(self.workspace, [pattern], SUFFIXES)
                    if p.suffix.lower() in SUFFIXES or not _GLOB & set(pattern)
                ]
                if not files:
                    result.warnings.append(DataWarning(source="ledger", message=(
                        f"ledger path {pattern!r} matches no .csv files: "
                        "fix it or remove it from sources.ledger.paths"
                    )))
                for path in files:
                    if path not in seen:
                        seen.add(path)
                        self._read_file(path, result)
        finally:
            if gc_was_on:
                gc.enable()
        return result

    def _read_file(self, path: Path, result: SourceResult) -> None:
        rel = _relative(path, self.workspace)
        file = _FileWarnings(rel, result.warnings)
        limit = self.config.max_file_mb
        try:
            stat = path.stat()
            if stat.st_size > limit * 1024 * 1024:
                file.add(None, (
                    f"file is {stat.st_size / 1024 / 1024:.1f} MB, over the {limit:g} MB limit: "
                    "skipped (split it, or raise sources.ledger.max_file_mb)"
                ))
                return
            sha, size, binary, bad_line, cp1252_ok = _inspect(path)
        except OSError as exc:
            file.add(None, f"cannot read file ({exc.strerror or exc.__class__.__name__}): "
                           "check its permissions; skipped")
            return
        result.inputs.append(InputFile(source="ledger", path=rel, sha256=sha, size=size))
        if binary:
            file.add(None, "binary file, not CSV text: skipped (export the ledger as CSV)")
            return
        encoding = "utf-8-sig"  # a BOM is common in spreadsheet exports, and harmless
        if bad_line is not None:
            encoding = "cp1252" if cp1252_ok else "latin-1"
            file.add(bad_line, f"not UTF-8; decoded as {encoding}: re-save as UTF-8")
        observed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime))
        evidence: list[Evidence] = []
        try:
            with path.open(encoding=encoding, newline="") as fh:
                self._parse(csv.reader(fh), rel, sha, observed, file, evidence)
        except OSError as exc:
            file.add(None, f"cannot read file ({exc.strerror or exc.__class__.__name__}): skipped")
            return
        result.evidence.extend(evidence)
        file.finish()

    def _parse(self, reader: Any, rel: str, sha: str, observed: str,
               file: _FileWarnings, out: list[Evidence]) -> None:
        """Turn the rows of one CSV file into evidence; problems go to ``file``."""
        columns: tuple[int | None, ...] | None = None
        width = 0
        unknown: set[str] = set()
        prev = 0
        try:
            for row in reader:
                # reader.line_num counts physical lines, so a quoted field spanning several
                # lines still gives each row its true first line.
                start, end, prev = prev + 1, reader.line_num, reader.line_num
                if not any(field.strip() for field in row):
                    continue  # blank lines, and rows of empty cells from spreadsheets
                if columns is None:
                    columns = self._columns(row, start, file)
                    if columns is None:
                        return
                    width = len(row)
                    continue
                if len(row) != width:
                    # Trailing empty cells are a common export quirk, not an error.
                    if len(row) > width and not any(f.strip() for f in row[width:]):
                        row = row[:width]
                    else:
                        file.row(start, f"row has {len(row)} fields, header has {width}: check its "
                                        "commas and quotes (a value with a comma, like "
                                        "\"$1,450.00\", must be quoted); row skipped")
                        continue
                self._row(row, columns, start, end, rel, sha, observed, file, unknown, out)
        except csv.Error as exc:
            file.add(reader.line_num, f"CSV syntax error ({exc}): fix the quoting; "
                                      "the rest of the file was skipped")

    def _columns(self, header: list[str], line: int,
                 file: _FileWarnings) -> tuple[int | None, ...] | None:
        """Indices of date, amount, entity, account, category, memo; None if one is required."""
        index: dict[str, int] = {}
        for n, name in enumerate(header):
            index.setdefault(name.strip().lower(), n)
        configured = self.config.columns
        columns = tuple(index.get(getattr(configured, name).strip().lower())
                        for name in (*REQUIRED, *OPTIONAL))
        missing = [name for name, n in zip(REQUIRED, columns) if n is None]
        if missing:
            wanted = " and ".join(
                f"{getattr(configured, n)!r} (sources.ledger.columns.{n})" for n in missing
            )
            file.add(line, (
                f"header has no column {wanted}: rename the header, or set that key to the "
                f"header's name; file skipped (header: {', '.join(h.strip() for h in header)})"
            ))
            return None
        return columns

    def _row(self, row: list[str], columns: tuple[int | None, ...], start: int, end: int,
             rel: str, sha: str, observed: str, file: _FileWarnings, unknown: set[str],
             out: list[Evidence]) -> None:
        raw_date, raw_amount, raw_entity, account, category, memo = (
            row[n].strip() if n is not None else "" for n in columns
        )
        day = _parse_date(raw_date)
        if day is None:
            file.row(start, f"bad date {raw_date!r}: use YYYY-MM-DD; row skipped")
            return
        amount = _parse_amount(raw_amount)
        if amount is None:
            file.row(start, f"bad amount {raw_amount!r}: use a number like 1450.00, -250.50 "
                            "or (250.00); row skipped")
            return
        entity = self._entity(raw_entity, start, file, unknown)
        out.append(Evidence(
            id=stable_id("ev", "ledger", rel, start),
            source="ledger",
            kind="transaction",
            entity=entity,
            text=memo,
            record={"date": day, "amount": str(amount), "account": account,
                    "category": category, "memo": memo},
            provenance={"source": "ledger", "path": rel, "line_start": start, "line_end": end,
                        "observed_at": observed, "sha256": sha},
        ))

    def _entity(self, value: str, line: int, file: _FileWarnings, unknown: set[str]) -> str | None:
        """The configured entity a row names; an unknown name is kept, slugified."""
        if not value:
            return None
        if value in self._ids:
            return value
        found = self._by_label.get(value.lower())
        if found is not None:
            return found
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or None
        if self._ids and value not in unknown:
            unknown.add(value)
            known = ", ".join(sorted(self._ids))
            file.add(line, (
                f"entity {value!r} is not a configured entity (known: {known}): add it or an "
                f"alias to [[entities]] in execbrief.toml; its rows are kept as {slug!r}"
            ))
        return slug


class _FileWarnings:
    """Warnings for one file; row warnings beyond ``MAX_ROW_WARNINGS`` are only counted."""

    def __init__(self, rel: str, sink: list[DataWarning]) -> None:
        self.rel, self.sink, self.rows = rel, sink, 0

    def add(self, line: int | None, message: str) -> None:
        self.sink.append(DataWarning(source="ledger", path=self.rel, line=line, message=message))

    def row(self, line: int, message: str) -> None:
        self.rows += 1
        if self.rows <= MAX_ROW_WARNINGS:
            self.add(line, message)

    def finish(self) -> None:
        if self.rows > MAX_ROW_WARNINGS:
            self.add(None, f"{self.rows - MAX_ROW_WARNINGS} more rows were skipped for the "
                           "same kinds of problems (not listed)")


def _inspect(path: Path) -> tuple[str, int, bool, int | None, bool]:
    """One streaming pass: content hash, size, binary?, first non-UTF-8 line, cp1252-safe?"""
    digest, size, newlines = hashlib.sha256(), 0, 0
    utf8 = codecs.getincrementaldecoder("utf-8")()
    binary, bad_line, cp1252_ok = False, None, True
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if size == 0:
                binary = b"\x00" in chunk[:8192]
            digest.update(chunk)
            if bad_line is None:
                pending = len(utf8.getstate()[0])
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad_line = newlines + chunk[: max(exc.start - pending, 0)].count(b"\n") + 1
            if cp1252_ok and _CP1252_HOLES.search(chunk):
                cp1252_ok = False
            newlines += chunk.count(b"\n")
            size += len(chunk)
    if bad_line is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_line = newlines + 1  # the file ends inside a multi-byte character
    return "sha256:" + digest.hexdigest(), size, binary, bad_line, cp1252_ok


def _parse_date(raw: str) -> str | None:
    """``2026-05-03``, ``2026/05/03`` or an ISO timestamp → ``2026-05-03``; else None."""
    if _DAY.fullmatch(raw):  # the common case, checked in C
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    match = _DATE.match(raw)
    if not match:
        return None
    year, _, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2026-02-30 has the right shape but is no date
        return None


def _parse_amount(raw: str) -> Decimal | None:
    """``1450``, ``-250.5``, ``$1,450.00``, ``-$1,450.00``, ``(250.00)`` → Decimal; else None."""
    text, negative = raw.strip(), False
    if text.startswith("(") and text.endswith(")"):  # accounting notation for a negative
        text, negative = text[1:-1].strip(), True
    match = _AMOUNT.match(text)
    if not match:
        return None
    sign_before, sign_after, whole, fraction = match.groups()
    if (sign_before and sign_after) or (negative and (sign_before or sign_after)):
        return None
    if not whole and not fraction:
        return None
    amount = Decimal((whole or "0").replace(",", "") + (fraction or ""))
    if negative or "-" in (sign_before, sign_after):
        amount = -amount
    return amount.copy_abs() if amount.is_zero() else amount


def _relative(path: Path, workspace: Path) -> str:
    full, base = path.as_posix(), workspace.as_posix().rstrip("/") + "/"
    return full[len(base):] if full.startswith(base) else full
