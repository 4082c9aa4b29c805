"""One ledger file's transactions, column by column: the ``record["table"]`` of ``transactions`` evidence.

A million ledger rows as one ``Evidence`` each would take ~700 MB; as columns they take
~35 bytes a row. Each row is a position in a set of parallel arrays: its day, its amount,
its business, account, category and memo (indices into small tables of distinct values),
and its CSV lines. Facts cite a row by ``row_id`` (the id its own ``Evidence`` would have); that
``Evidence``, with its provenance, is built only when asked for (``evidence``, ``rows``).

Amounts stay exact: a row's amount is the integer ``coef`` times ten to the ``exp``, the
very digits the ledger source parsed (``Decimal(f"{coef}E{exp}")`` prints back as the
source's amount string). Amounts that do not fit that form (over 18 digits, a negative
zero, or one Decimal prints in exponent notation) keep their string in ``odd``.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from decimal import Decimal
from typing import Any, Iterator

from .construct import evidence, provenance

__all__ = ["TransactionTable", "encode_amount"]

_INT64 = 1 << 63
_PLAIN = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def encode_amount(text: str) -> tuple[int, int] | None:
    """``"-12.50"`` → ``(-1250, -2)``; None when the string needs the ``odd`` column."""
    if not _PLAIN.fullmatch(text):
        return None  # not the form Decimal prints back unchanged (exponent notation, "+5", "05")
    dot = text.find(".")
    coef = int(text if dot < 0 else text[:dot] + text[dot + 1:])
    exp = 0 if dot < 0 else dot + 1 - len(text)
    if coef == 0 and text[0] == "-" or not -_INT64 < coef < _INT64 or exp < -6:
        return None  # -0.00 (its sign matters to Decimal), too long, or printed as 1E-7
    return coef, exp


class TransactionTable:
    """The rows of one ledger file, in file order, as parallel columns."""

    def __init__(self, path: str, sha256: str | None = None, observed_at: str | None = None) -> None:
        self.path, self.sha256, self.observed_at = path, sha256, observed_at
        self.days: list[str] = []  # ISO dates
        self.entities: list[str | None] = []
        self.strings: list[str] = []  # accounts, categories and memos (secrets already withheld)
        self.day = array("I")
        self.coef = array("q")
        self.exp = array("b")
        self.entity = array("I")
        self.account = array("I")
        self.category = array("I")
        self.memo = array("I")
        self.line = array("I")  # first CSV line of the row
        self.end = array("I")  # last CSV line (a quoted field may span lines)
        self.odd: dict[int, str] = {}  # row → amount string, where coef/exp cannot hold it
        # row → its business cell as written, where that names no configured business (a blank
        # cell is not here): "Quayside Cleaners" beside a configured "Quayside Cleaning"
        self.named: dict[int, str] = {}
        # row → its business cell as written, for the first row of each way the file writes a
        # business it writes more than one way ("Gull's Rest" on line 2, "Gulls Rest" on line 99)
        self.spelt: dict[int, str] = {}
        self.ids: list[str] | None = None  # given evidence ids; else derived from path and line
        self._index: dict[Any, int] = {}

    def drop_index(self) -> None:
        """Forget the lookup ``intern`` keeps: the table is complete."""
        self._index = {}

    def __len__(self) -> int:
        return len(self.line)

    def intern(self, table: list, value: Any) -> int:
        """The position of ``value`` in one of the value tables, added if new."""
        key = (id(table), value)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(table)
            table.append(value)
        return found

    def append(self, day: str, amount: str, entity: str | None, account: str, category: str,
               memo: str, line: int, end: int) -> None:
        """Add one row (values as the ledger source parsed them)."""
        intern = self.intern
        self.day.append(intern(self.days, day))
        encoded = encode_amount(amount)
        if encoded is None:
            self.odd[len(self.line)] = amount
            encoded = (0, 0)
        self.coef.append(encoded[0])
        self.exp.append(encoded[1])
        self.entity.append(intern(self.entities, entity))
        self.account.append(intern(self.strings, account))
        self.category.append(intern(self.strings, category))
        self.memo.append(intern(self.strings, memo))
        self.line.append(line)
        self.end.append(end)

    def amount_text(self, row: int) -> str:
        """The row's amount as the ledger source wrote it in ``record["amount"]``."""
        odd = self.odd.get(row)
        return odd if odd is not None else str(Decimal(f"{self.coef[row]}E{self.exp[row]}"))

    def amount(self, row: int) -> Decimal:
        """The row's amount, exact."""
        odd = self.odd.get(row)
        return Decimal(odd if odd is not None else f"{self.coef[row]}E{self.exp[row]}")

    def row_id(self, row: int) -> str:
        """The row's evidence id: ``stable_id("ev", "ledger", path, line)``, as always."""
        if self.ids is not None:
            return self.ids[row]
        digest = hashlib.sha256(f"ledger\x1f{self.path}\x1f{self.line[row]}".encode())
        return "ev-" + digest.hexdigest()[:12]

    def evidence(self, row: int) -> Any:
        """The row as the ``transaction`` evidence item it stands for."""
        memo = self.strings[self.memo[row]]
        return evidence(
            self.row_id(row), "ledger", "transaction", self.entities[self.entity[row]], memo,
            {"date": self.days[self.day[row]], "amount": self.amount_text(row),
             "account": self.strings[self.account[row]], "category": self.strings[self.category[row]],
             "memo": memo},
            provenance("ledger", self.path, self.line[row], self.end[row], self.observed_at, self.sha256),
        )

    def rows(self) -> Iterator[Any]:
        """Every row as its ``transaction`` evidence item, in file order."""
        return (self.evidence(n) for n in range(len(self)))

    # The columns in the order to_state/from_state keep them.
    COLUMNS = ("day", "coef", "exp", "entity", "account", "category", "memo", "line", "end")

    def to_state(self) -> tuple:
        """Plain values (bytes, lists, dicts) for the parse cache: marshal-able, no objects."""
        return (self.path, self.days, self.entities, self.strings,
                tuple(getattr(self, c).tobytes() for c in self.COLUMNS), self.odd, self.named, self.spelt)

    def content_digest(self) -> str:
        """A hash of every row and evidence id (not the file's hash or time): equal tables, equal digests."""
        # (not marshal: its bytes depend on which equal strings are one object)
        digest = hashlib.sha256(json.dumps(
            [self.path, self.days, self.entities, self.strings, sorted(self.odd.items()), self.ids,
             sorted(self.named.items()), sorted(self.spelt.items())]).encode())
        for column in self.COLUMNS:
            digest.update(getattr(self, column).tobytes())
        return digest.hexdigest()

    @classmethod
    def from_state(cls, state: tuple, sha256: str | None, observed_at: str | None) -> "TransactionTable":
        """The table ``to_state`` described; ValueError if the state is inconsistent."""
        path, days, entities, strings, columns, odd, named, spelt = state
        table = cls(path, sha256, observed_at)
        table.days, table.entities, table.strings, table.odd = list(days), list(entities), list(strings), dict(odd)
        table.named = {int(row): str(cell) for row, cell in named.items()}
        table.spelt = {int(row): str(cell) for row, cell in spelt.items()}
        for name, raw in zip(cls.COLUMNS, columns, strict=True):
            getattr(table, name).frombytes(raw)
        n = len(table.line)
        if any(len(getattr(table, c)) != n for c in cls.COLUMNS) or any(k >= n for k in (*table.odd, *table.named, *table.spelt)):
            raise ValueError("columns of different lengths")
        for name, values in (("day", days), ("entity", entities), ("account", strings),
                             ("category", strings), ("memo", strings)):
            column = getattr(table, name)
            if n and max(column) >= len(values):
                raise ValueError(f"{name} index out of range")
        return table
