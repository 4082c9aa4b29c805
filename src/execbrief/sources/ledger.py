"""Ledger CSV exports → ``transactions`` evidence, one per file, the rows as columns.

The header names come from ``[sources.ledger.columns]``: a signed ``amount`` column
(inflow positive), or a bank statement's ``debit`` (money out) and ``credit`` (money in)
columns. Files are streamed (a ledger may be hundreds of megabytes): one pass hashes the
bytes and checks the encoding, a second pass reads the rows. A bad row becomes a warning
naming its line; the rest of the file is still read. Each file's rows become one
``TransactionTable`` (``transactions.py``); a row's own ``transaction`` evidence, with the id
it always had, is built from the table when a fact cites it. Secrets in accounts, categories
and memos are withheld and each becomes a ``scan_hit`` item. A file parsed before, with the
same content and settings, is loaded from the parse cache (``ledger_cache.py``) instead.

``[sources.ledger] opening_cash`` and ``opening_cash_date`` become one ``resource``
evidence item (``record["type"] == "opening_cash"``) citing ``execbrief.toml``, from which
the finance analyzer computes cash and runway.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import operator
import re
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from .. import gcpolicy
from ..entities import EntityResolver
from ..failures import describe
from ..model import DataWarning, stable_id
from ..redaction import quoted as _shown, withhold
from ..transactions import TransactionTable, encode_amount
from . import InputFile, SourceResult, expand_paths
from ..construct import evidence, provenance
from .ledger_cache import LedgerCache
from .values import MAX_DIGITS, find_dates, implausible, parse_amount

__all__ = ["LedgerSource", "register"]

SUFFIXES = (".csv",)
# the column keys in the order _row reads them; "amount", or "debit" and "credit", are required
COLUMNS = ("date", "amount", "debit", "credit", "entity", "account", "category", "memo")
OPTIONAL = ("entity", "account", "category", "memo")
# A file with every row broken would otherwise bury the run summary in warnings.
MAX_ROW_WARNINGS = 50

_GLOB = set("*?[")
_DATE = re.compile(
    r"^(\d{4})([-/])(\d{2})\2(\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# an amount Decimal would print back unchanged: no sign but "-", no leading zeros, not zero
_PLAIN = re.compile(r"-?(?:[1-9]\d*|0(?=\.\d*[1-9]))(?:\.\d+)?$")
_INT64 = 1 << 63
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
        self._names = {e.id: e.name for e in settings.entities}
        # id, alias or name (case-insensitive) → entity id
        self._by_label: dict[str, str] = {}
        for entity in settings.entities:
            for label in (entity.name, *entity.aliases, entity.id):
                self._by_label[label.strip().lower()] = entity.id
            self._by_label[entity.id] = entity.id  # ids are matched exactly first
        self._resolver = EntityResolver(settings.entities)
        self._resolved: dict[str, str | None] = {}  # a cell no label matched → the business it names
        self._days: dict[str, str] = {}  # raw date → ISO date: a ledger has few distinct days
        self.cache_hits = 0  # files the last collect() loaded from the parse cache
        configured = self.config.columns
        # everything the parse reads besides the file: a change to any of it is a new cache key
        self._parse_key = (
            tuple(getattr(configured, name) for name in COLUMNS), sorted(self._by_label.items()),
            sorted(self._ids), MAX_ROW_WARNINGS, settings.organization.date_order,
            "amount" in configured.model_fields_set,  # (set beside debit/credit: each file's header chooses)
        )

    def collect(self) -> SourceResult:
        """Read every ledger file and return its transactions, warnings and input hashes."""
        result = SourceResult()
        self._opening_cash(result)
        # A large ledger allocates millions of long-lived objects; the cyclic GC would
        # rescan them over and over. Only re-enable it if it was on (another source may
        # pause it too).
        resume_gc = gcpolicy.pause()
        cache = LedgerCache(self.workspace, self._parse_key)
        unassigned: list[tuple[str, list[tuple[int, str]]]] = []  # per file: (line, business column)
        try:
            seen: set[Path] = set()
            for pattern in self.config.paths:
                problems: list[tuple[str, str]] = []
                files = [
                    p
                    for p in expand_paths(self.workspace, [pattern], SUFFIXES, problems)
                    if p.suffix.lower() in SUFFIXES or not _GLOB & set(pattern)
                ]
                for where, why in problems:
                    _FileWarnings(_relative(Path(where), self.workspace), result.warnings).add(None, why)
                # (a workspace of notes alone has no ledger folder: the default path missing says nothing)
                if not files and ("paths" in self.config.model_fields_set or (self.workspace / pattern).exists()):
                    result.warnings.append(DataWarning(source="ledger", message=(
                        f"ledger path {pattern!r} matches no .csv files: "
                        "fix it or remove it from sources.ledger.paths"
                    )))
                for path in files:
                    if path not in seen:
                        seen.add(path)
                        try:
                            self._read_file(path, result, cache, unassigned)
                        except Exception as exc:  # a bug on one file's content costs that file
                            _FileWarnings(_relative(path, self.workspace), result.warnings).add(
                                None, f"cannot be read ({describe(exc)}): skipped; please report it")
            cache.save()
            if unassigned:
                result.warnings.append(_unassigned_warning(unassigned))
            self.cache_hits = cache.hits
        finally:
            resume_gc()
        return result

    def _opening_cash(self, result: SourceResult) -> None:
        """The configured opening cash balance as evidence that cites the config file."""
        if self.config.opening_cash is None:
            return
        config_path = Path(self.settings.config_path)
        line = None
        try:
            for n, text in enumerate(config_path.read_text(encoding="utf-8").splitlines(), 1):
                if re.match(r"\s*opening_cash\s*=", text):
                    line = n
                    break
        except OSError:
            pass  # the line number is a courtesy; the value is already validated
        rel = _relative(config_path, self.workspace)
        day = self.config.opening_cash_date.isoformat()
        result.evidence.append(evidence(
            stable_id("ev", "ledger", "opening_cash"), "ledger", "resource", None,
            f"Opening cash balance {self.config.opening_cash} on {day}",
            {"type": "opening_cash", "amount": str(self.config.opening_cash), "date": day},
            provenance("ledger", rel, line, line),
        ))

    def _read_file(self, path: Path, result: SourceResult, cache: LedgerCache,
                   unassigned: list[tuple[str, list[tuple[int, str]]]]) -> None:
        rel = _relative(path, self.workspace)
        limit = self.config.max_file_mb
        try:
            stat = path.stat()
            if stat.st_size > limit * 1024 * 1024:
                _FileWarnings(rel, result.warnings).add(None, (
                    f"file is {stat.st_size / 1024 / 1024:.1f} MB, over the {limit:g} MB limit: "
                    "skipped (split it, or raise sources.ledger.max_file_mb)"
                ))
                return
            observed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime))
            size, known = stat.st_size, cache.index.known_hash(rel, stat.st_size, stat.st_mtime_ns)
            sha, parsed = known, None if known is None else cache.get(cache.key(known, rel), known, observed)
            if parsed is None:
                sha, size, binary, bad_line, cp1252_ok = _inspect(path)
                if sha != known:  # (the entry of the content the index knew is missing: no other to try)
                    parsed = cache.get(cache.key(sha, rel), sha, observed)
        except OSError as exc:
            _FileWarnings(rel, result.warnings).add(None, (
                f"cannot read file ({exc.strerror or exc.__class__.__name__}): check its permissions; skipped"))
            return
        result.inputs.append(InputFile(source="ledger", path=rel, sha256=sha, size=size))
        if parsed is None:
            file = _FileWarnings(rel, [])
            try:
                table, hits, nobody = self._parse_file(path, rel, sha, observed, binary, bad_line, cp1252_ok, file)
            except OSError as exc:
                result.warnings += file.sink
                _FileWarnings(rel, result.warnings).add(
                    None, f"cannot read file ({exc.strerror or exc.__class__.__name__}): skipped")
                return
            file.finish()
            warnings = [(w.line, w.message) for w in file.sink]
            # a warning may quote a cell: a file whose warnings hold a secret is not cached
            if not any(withhold(message)[1] for _, message in warnings):
                cache.put(cache.key(sha, rel), table, hits, warnings, nobody)
        else:
            table, hits, warnings, nobody = parsed
        if nobody:
            unassigned.append((rel, nobody))
        cache.index.remember(rel, stat.st_size, stat.st_mtime_ns, sha)
        result.warnings += [DataWarning(source="ledger", path=rel, line=line, message=message)
                            for line, message in warnings]
        result.evidence += [
            evidence(hit_id, "ledger", "scan_hit", entity, None, record,
                     provenance("ledger", rel, start, end, observed, sha))
            for hit_id, entity, record, start, end in hits
        ]
        if table is not None and len(table):
            result.evidence.append(evidence(
                stable_id("ev", "ledger", rel, "transactions"), "ledger", "transactions", None, None,
                {"table": table, "rows": len(table)}, provenance("ledger", rel, None, None, observed, sha),
            ))

    def _parse_file(self, path: Path, rel: str, sha: str, observed: str, binary: bool,
                    bad_line: int | None, cp1252_ok: bool,
                    file: _FileWarnings) -> tuple[TransactionTable | None, list, list]:
        """One file's transactions, scan hits (as plain tuples) and (line, business column) of its
        rows that name no configured business; problems go to ``file``."""
        encoding = "utf-8-sig"  # a BOM is common in spreadsheet exports, and harmless
        if binary:
            with path.open("rb") as fh:
                utf16 = fh.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # ("CSV UTF-16": NULs, but text)
            if not utf16:
                file.add(None, "binary file, not CSV text: skipped (export the ledger as CSV)")
                return None, [], []
            encoding, bad_line = "utf-16", None
        if bad_line is not None:
            encoding = "cp1252" if cp1252_ok else "latin-1"
            file.add(bad_line, f"not UTF-8; decoded as {encoding}: re-save as UTF-8")
        parse = _FileParse(TransactionTable(rel, sha, observed))
        with path.open(encoding=encoding, newline="") as fh:
            head = fh.read(_SNIFF)
            delimiter = _delimiter(head)
            fh.seek(0)
            # (a spreadsheet that separates fields with ";" writes amounts with a decimal comma: 1.234,56)
            parse.decimal_comma = delimiter == ";"
            parse.date_order = self._date_order(head, fh, file)
            fh.seek(0)
            self._parse(csv.reader(fh, delimiter=delimiter), parse, file)
        parse.done()
        self._spelt_apart(parse, file)
        return parse.table, parse.hits, parse.unassigned

    def _spelt_apart(self, parse: _FileParse, file: _FileWarnings) -> None:
        """A warning for each business the file's business column writes more than one way
        ("Gull's Rest" on most rows, "Gulls Rest" on one), and the first row of each way kept
        in the table (``spelt``, for the books' finding): read as one business, but a
        bookkeeping tool's tracking that is not written one way splits its reports."""
        for entity, ways in parse.spellings.items():
            if entity is None or len(ways) < 2 or not self._ids:
                continue
            shown = [(row, line, raw if not withhold(raw)[1] else "(a withheld value)") for row, line, raw in ways]
            parse.table.spelt.update((row, raw) for row, _, raw in shown)
            ways = [(line, raw) for _, line, raw in shown]
            said = ", ".join(f"“{raw}” first on line {line}" for line, raw in ways[:5])
            name = self._names.get(entity, entity)
            file.add(ways[1][0], (
                f"the business column writes {name} {len(ways)} ways ({said}{', …' if len(ways) > 5 else ''}): each is "
                f"read as {name}; write it one way in the books, whose own reports split it, or add the others "
                "as aliases in [[entities]]"))

    def _parse(self, reader: Any, parse: _FileParse, file: _FileWarnings) -> None:
        """Turn the rows of one CSV file into table rows; problems go to ``file``."""
        columns: tuple[int | None, ...] | None = None
        width = 0
        prev = 0
        try:
            for row in reader:
                # reader.line_num counts physical lines, so a quoted field spanning several
                # lines still gives each row its true first line.
                start, end, prev = prev + 1, reader.line_num, reader.line_num
                if not "".join(row).strip():
                    continue  # blank lines, and rows of empty cells from spreadsheets
                if columns is None:
                    columns = self._columns(row, start, file, parse)
                    if columns is None:
                        return
                    pick = operator.itemgetter(*columns)
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
                self._row(row, pick, start, end, parse, file)
        except csv.Error as exc:
            file.add(reader.line_num, f"CSV syntax error ({exc}): fix the quoting; "
                                      "the rest of the file was skipped")
            return
        if columns is None:  # not even a header: an export that went wrong, or a placeholder
            file.add(None, "the file is empty (no header, no rows): export the ledger again, or remove the file")
        elif prev > start and any(cell.endswith(("\n", "\r")) for cell in row):
            # a quote never closed takes every line after it into the last row's last value, silently
            file.row(start, f"a quoted value opened here runs to the end of the file (lines {start}-{prev}): close "
                            "its quote; the lines after it were read as its text, not as rows")

    def _columns(self, header: list[str], line: int,
                 file: _FileWarnings, parse: "_FileParse") -> tuple[int | None, ...] | None:
        """Indices of the ``COLUMNS`` in this header; None (file skipped) if a required one is
        missing. With both a signed ``amount`` and ``debit``/``credit`` configured (``amount`` set,
        not its default), each file's header says which it has (a bank's export beside its card's:
        ``parse.split``)."""
        index: dict[str, int] = {}
        for n, name in enumerate(header):
            index.setdefault(name.strip().lower(), n)
        configured = self.config.columns
        split = configured.debit is not None  # debit/credit instead of a signed amount
        if split and "amount" in configured.model_fields_set and configured.amount.strip().lower() in index and not (
                configured.debit.strip().lower() in index and (configured.credit or "").strip().lower() in index):
            split = False  # (this file has the signed amount, not the two columns)
        parse.split = split
        wanted = ("date", "debit", "credit") if split else ("date", "amount")
        columns = tuple(
            index.get(getattr(configured, name).strip().lower())
            if (name in wanted or name in OPTIONAL) else None
            for name in COLUMNS
        )
        missing = [name for name in wanted if columns[COLUMNS.index(name)] is None]
        # an absent column reads the empty cell _row appends after the header's width
        columns = tuple(len(header) if n is None else n for n in columns)
        if missing:
            names = " and ".join(
                f"{getattr(configured, n)!r} (sources.ledger.columns.{n})" for n in missing
            )
            file.add(line, (
                f"header has no column {names}: rename the header, or set that key to the "
                f"header's name; file skipped (its header has {len(header)} columns)"
            ))
            return None
        return columns

    def _date_order(self, head: str, fh: Any, file: "_FileWarnings") -> str:
        """How the file writes all-figure dates, ``09/01/2026``: day first where some first
        figure is over 12 (``25/09/2026``) and no second one is, month first the other way
        round, else as ``[organization] date_order`` says (then said once, if it has such dates:
        a bank export of a few days cannot tell)."""
        said = _order_of(head)
        if said == "ambiguous" and len(head) == _SNIFF:  # (the first rows may all be early in a month)
            said = _order_of(head + fh.read())
        if said in ("mdy", "dmy"):
            return said
        configured = self.settings.organization.date_order
        if said == "ambiguous":
            file.add(None, (f"dates such as {_NUMERIC_DATE.search(head).group(0)!r} read "  # type: ignore[union-attr]
                            f"{'month' if configured == 'mdy' else 'day'} first, as [organization] date_order = "
                            f"\"{configured}\" says: set it to \"{'dmy' if configured == 'mdy' else 'mdy'}\" if they are "
                            f"{'day' if configured == 'mdy' else 'month'} first"))
        return configured

    def _row(self, row: list[str], pick: Callable[[list[str]], tuple[str, ...]], start: int, end: int,
             parse: _FileParse, file: _FileWarnings) -> None:
        row.append("")  # a missing optional column reads as this empty cell
        raw_date, raw_amount, raw_debit, raw_credit, raw_entity, account, category, memo = map(str.strip, pick(row))
        table = parse.table
        day = parse.days.get(raw_date)
        if day is None:
            known = raw_date if raw_date[:4].isdigit() else f"{parse.date_order}\0{raw_date}"  # (09/01: per order)
            iso = self._days.get(known) or _parse_date(raw_date, parse.date_order)
            if iso is None:
                file.row(start, f"bad date {_shown(raw_date)}: use YYYY-MM-DD (or 09/30/2026, 30 Sep 2026); "
                                "row skipped")
                return
            self._days[known] = iso
            day = parse.days[raw_date] = table.intern(table.days, iso)
        encoded: tuple[int, int] | None
        if parse.decimal_comma:
            raw_amount, raw_debit, raw_credit = map(_point, (raw_amount, raw_debit, raw_credit))
        if parse.split:
            split = self._split_amount(raw_debit, raw_credit, start, file)
            if split is None:
                return
            amount = str(split)
            encoded = encode_amount(amount)
        elif _PLAIN.match(raw_amount):
            amount = raw_amount  # already the canonical form: skip the Decimal round trip
            dot = amount.find(".")  # encode_amount's work, for the form _PLAIN guarantees
            whole = dot if dot >= 0 else len(amount)  # (no leading zeros: the digits say the magnitude)
            if whole > MAX_DIGITS and whole - (amount[0] == "-") > MAX_DIGITS:
                file.row(start, f"amount {_shown(raw_amount)} {implausible(Decimal(amount))}; row skipped")
                return
            if dot < 0:
                encoded = int(amount), 0
            else:
                encoded = int(amount[:dot] + amount[dot + 1:]), dot + 1 - len(amount)
            if encoded[1] < -6 or not -_INT64 < encoded[0] < _INT64:
                encoded = None
        else:
            parsed = _parse_amount(raw_amount)
            if parsed is None:
                file.row(start, f"bad amount {_shown(raw_amount)}: use a number like 1450.00, -250.50 "
                                "or (250.00); row skipped")
                return
            why = implausible(parsed)
            if why:
                file.row(start, f"amount {_shown(raw_amount)} {why}; row skipped")
                return
            amount = str(parsed)
            encoded = encode_amount(amount)
        entity = parse.entities.get(raw_entity)
        if entity is None:
            entity = parse.entities[raw_entity] = table.intern(table.entities, self._entity(raw_entity))
            if raw_entity:  # (each way the file writes a business, where it first does)
                parse.spellings.setdefault(table.entities[entity], []).append((len(table.line), start, raw_entity))
        if self._ids and table.entities[entity] is None:
            parse.unassigned.append((start, raw_entity))
            if raw_entity:  # (what it says, for the bookkeeper's finding; never a secret)
                table.named[len(table.line)] = raw_entity if not withhold(raw_entity)[1] else "(a withheld value)"
        # Rows repeat their accounts, categories and memos: each distinct one is withheld
        # (scanned for secrets) and stored once.
        strings = parse.strings
        n_account = strings.get(account)
        if n_account is None:
            n_account = parse.string(account)
        n_category = strings.get(category)
        if n_category is None:
            n_category = parse.string(category)
        n_memo = strings.get(memo)
        if n_memo is None:
            n_memo = parse.string(memo)
        secrets = parse.secrets
        if secrets and (n_account in secrets or n_category in secrets or n_memo in secrets):
            self._hits((n_account, n_category, n_memo), parse, start, end, table.entities[entity])
        if encoded is None:
            table.odd[len(table.line)] = amount
            encoded = (0, 0)
        table.day.append(day)
        table.coef.append(encoded[0])
        table.exp.append(encoded[1])
        table.entity.append(entity)
        table.account.append(n_account)
        table.category.append(n_category)
        table.memo.append(n_memo)
        table.line.append(start)
        table.end.append(end)

    @staticmethod
    def _hits(fields: tuple[int, ...], parse: _FileParse, start: int, end: int, entity: str | None) -> None:
        """One scan_hit per secret in the row's account, category and memo, in that order."""
        for field, n in zip(("account", "category", "memo"), fields):
            for hit in parse.secrets.get(n, ()):
                parse.hits.append((
                    stable_id("ev", "ledger", parse.table.path, start, field, hit.sha256), entity,
                    {"rule": "secret_in_text", "kind": hit.kind, "preview": hit.preview,
                     "secret_sha256": hit.sha256, "field": field},
                    start, end,
                ))

    def _split_amount(self, debit: str, credit: str, line: int, file: _FileWarnings) -> Decimal | None:
        """Credit (money in) minus debit (money out); either may be blank, not both."""
        if not debit and not credit:
            file.row(line, "row has neither a debit nor a credit amount: fill one in; row skipped")
            return None
        out, into = _parse_amount(debit or "0"), _parse_amount(credit or "0")
        if out is None or into is None:
            bad = debit if out is None else credit
            file.row(line, f"bad amount {_shown(bad)}: use a number like 1450.00 or 1,450.00; row skipped")
            return None
        for raw, value in ((debit, out), (credit, into)):
            why = implausible(value)
            if why:
                file.row(line, f"amount {_shown(raw)} {why}; row skipped")
                return None
        # a debit column may hold "-250.00" or "250.00": either way it is money out
        amount = into.copy_abs() - out.copy_abs()
        return amount.copy_abs() if amount.is_zero() else amount

    def _entity(self, value: str) -> str | None:
        """The configured entity a row names; None for none, or, where entities are configured,
        for a name none of them has (the row is unassigned); with none configured, a name is
        kept, slugified."""
        if not value:
            return None
        found = self._by_label.get(value) or self._by_label.get(value.lower())
        if found is not None:
            return found  # the canonical string: one copy for every row
        if self._ids:
            # "Fenwick Rd Duplex" for "Fenwick Road Duplex": as the notes name it (punctuation,
            # plurals, St/Street, Rd/Road); remembered, so each distinct cell is resolved once
            if value not in self._resolved:
                self._resolved[value] = self._resolver.label(value)
            return self._resolved[value]
        return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or None


_SNIFF = 65_536  # characters read to tell the field separator from the header line
# an all-figure date: 09/30/2026, 30.09.2026, 30-09-2026 (a Dutch bank's), 9/30/26
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/.-])")
_DOTTED = re.compile(r"\d{1,2}([.-])\d{1,2}\1\d{2,4}")  # (read as the slashed form)


def _order_of(text: str) -> str | None:
    """``dmy`` or ``mdy`` where the all-figure dates in ``text`` tell (a first figure over 12 is
    a day, a second one over 12 a day), ``ambiguous`` where they do not, ``conflict`` where
    both are over 12 somewhere, None without any."""
    firsts = seconds = 0
    seen = False
    for m in _NUMERIC_DATE.finditer(text):
        seen = True
        firsts |= int(m.group(1)) > 12
        seconds |= int(m.group(3)) > 12
    if firsts != seconds:
        return "dmy" if firsts else "mdy"
    if firsts:  # (both: some are no dates at all, each row says so)
        return "conflict"
    return "ambiguous" if seen else None


def _delimiter(head: str) -> str:
    """The field separator of a CSV file from its first line with text: a comma, or the
    semicolon or tab it holds instead (spreadsheets in many locales write ";", and "Unicode
    text" exports tabs)."""
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ","))
    return best if counts[best] else ","


_DECIMAL_COMMA = re.compile(r"^[^,]*\d,\d+\)?$")  # "1.234,56", "-750,00", "(12,50)": one comma, then digits


def _point(raw: str) -> str:
    """An amount written with a decimal comma and dots between thousands, as a decimal point
    writes it ("1.234,56" → "1234.56"); any other text as it was."""
    if "," not in raw or not _DECIMAL_COMMA.match(raw):
        return raw
    return raw.replace(".", "").replace(",", ".")


class _FileParse:
    """One file's table being built, and what its rows repeat: raw value → position."""

    def __init__(self, table: TransactionTable) -> None:
        self.table = table
        self.decimal_comma = False  # amounts written "1.234,56" (a file separated by ";")
        self.split = False  # money out and in in two columns (debit, credit), not one signed amount
        self.days: dict[str, int] = {}
        self.date_order = "mdy"  # how the file writes 09/01/2026 (``LedgerSource._date_order``)
        self.entities: dict[str, int] = {}
        self.strings: dict[str, int] = {}  # raw account, category or memo → its withheld form
        self.clean: dict[str, int] = {}  # withheld form → its position in the table's strings
        self.secrets: dict[int, list[Any]] = {}  # position of a withheld string → its secrets
        self.hits: list[tuple] = []  # (id, entity, record, line_start, line_end) per scan_hit
        self.unassigned: list[tuple[int, str]] = []  # (line, business column) of rows of no configured business
        self.spellings: dict[str | None, list[tuple[int, int, str]]] = {}  # business → (first row, its line, as written), each way

    def string(self, raw: str) -> int:
        """The position of ``raw``'s withheld form among the table's strings."""
        clean, hits = withhold(raw) if len(raw) >= 16 else (raw, [])  # every secret pattern is longer
        n = self.clean.get(clean)
        if n is None:
            n = self.clean[clean] = len(self.table.strings)
            self.table.strings.append(clean)
        self.strings[raw] = n
        if hits:
            self.secrets[n] = hits
        return n

    def done(self) -> None:
        self.table.drop_index()


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


def _unassigned_warning(files: list[tuple[str, list[tuple[int, str]]]], shown: int = 12) -> DataWarning:
    """One warning for every row that names no configured business, naming the rows."""
    total = sum(len(rows) for _, rows in files)
    names = sorted({raw for _, rows in files for _, raw in rows if raw})
    quoted = ", ".join(repr(name) if not withhold(name)[1] else "(a withheld value)" for name in names[:5])
    said = []
    if any(not raw for _, rows in files for _, raw in rows):
        said.append("a blank business column")
    if names:
        said.append(f"a business not in [[entities]] ({quoted}{', …' if len(names) > 5 else ''})")
    where, left = [], shown
    for rel, rows in files:
        lines = [line for line, _ in rows[:left]]
        if lines:
            where.append(f"{rel} line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}")
        left -= len(lines)
    more = f" and {total - shown} more" if total > shown else ""
    first = files[0]
    return DataWarning(source="ledger", path=first[0], line=first[1][0][0], message=(
        f"{total} row{'s' if total != 1 else ''} with {' or '.join(said)} count{'' if total != 1 else 's'} as Unassigned: "
        f"in the group's totals, in no business's ({'; '.join(where)}{more}). Fill in the business column, or add "
        "the name as an alias of a business in [[entities]]"))


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


def _parse_date(raw: str, order: str = "mdy") -> str | None:
    """``2026-05-03``, ``2026/05/03`` or an ISO timestamp → ``2026-05-03``; a bank's date,
    ``05/03/2026``, ``5/3/26``, ``03.05.2026`` or ``03-05-2026`` (in ``order``), ``3 May 2026``, ``May 3, 2026``
    too; else None."""
    if _DAY.fullmatch(raw):  # the common case, checked in C
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    match = _DATE.match(raw)
    if not match:
        dotted = _DOTTED.fullmatch(raw)
        found = [f for f in find_dates(raw.replace(dotted.group(1), "/") if dotted else raw, numeric=order)
                 if f[0] is not None]
        return date(*found[0]).isoformat() if len(found) == 1 else None  # type: ignore[arg-type]
    year, _, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2026-02-30 has the right shape but is no date
        return None


_parse_amount = parse_amount  # shared with the notes source's table cells


def _relative(path: Path, workspace: Path) -> str:
    full, base = path.as_posix(), workspace.as_posix().rstrip("/") + "/"
    return full[len(base):] if full.startswith(base) else full
