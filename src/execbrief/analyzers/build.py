"""``Fact`` built without validation in analyzers' hot loops, and facts as compact rows.

Operations makes one fact per shown bullet and task (hundreds of thousands at 20,000
notes) from values it computed itself; see ``execbrief.construct``. The incremental runner
keeps facts as marshalled rows of plain values (``dump_facts``/``load_facts``).
``tests/test_perf_equivalence.py`` checks both against validated facts.
"""

from __future__ import annotations

import hashlib
import marshal
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from pydantic_core import PydanticUndefined

from ..construct import Builder, shared_fields_set
from ..model import Fact, content_keys

__all__ = ["fact", "dump_facts", "facts_digest", "item_text", "load_facts"]

_FACT = Builder(Fact)
# every field in declaration order (as validation fills ``__dict__``) and its default
_FIELDS = tuple((name, info.default) for name, info in Fact.model_fields.items())
_NAMES = frozenset(name for name, _ in _FIELDS)
_REQUIRED = frozenset(name for name, default in _FIELDS if default is PydanticUndefined)


def fact(**fields: Any) -> Fact:
    """A ``Fact`` without validation: the caller passes the right types (tuples, dates, Decimals)."""
    if not _REQUIRED <= fields.keys() or not fields.keys() <= _NAMES:
        return Fact(**fields)  # let pydantic say what is missing or unknown
    return _FACT([fields[name] if name in fields else default for name, default in _FIELDS],
                 shared_fields_set(fields))


# -- facts as rows of plain values, for the incremental runner's memo ---------------------

_ORDER = tuple(name for name, _ in _FIELDS)
_BIT = {name: 1 << n for n, name in enumerate(_ORDER)}
_VALUE, _DUE = _ORDER.index("value"), _ORDER.index("due")
_TOPICS, _NAME = _ORDER.index("topics"), _ORDER.index("name")
_SHARED: dict[object, object] = {}  # topics tuples and names, each kept once (see load_facts)
_SHARED_MAX = 200_000


def item_text(fact: Fact) -> str:
    """What a note item's fact says, without the business and heading its statement opens with
    ("Elm St — Repairs: boiler quote $2,300" → "boiler quote $2,300")."""
    head, sep, rest = fact.statement.partition(": ")
    return rest if sep and len(head) < 120 else fact.statement


def dump_facts(facts: Sequence[Fact]) -> bytes:
    """Facts as bytes: each a list of plain values (a Decimal as its string, a date as ISO),
    then its fields-set as a mask and its content key (``Fact.content_key``)."""
    return marshal.dumps(_rows(facts))


def facts_digest(facts: Sequence[Fact]) -> str:
    """A digest of facts, every field of each, in order: equal for equal facts, whatever
    objects they share. Made of their content keys (``Fact.content_key``, a digest of the
    fact's JSON), which a fact kept in the memo or dumped into it has already: ~0.2 µs a
    fact, where pickling every field was ~2.4."""
    return hashlib.sha256(b"".join(content_keys(facts))).hexdigest()


def _rows(facts: Sequence[Fact]) -> list[list[Any]]:
    rows = []
    for f in facts:
        d = f.__dict__
        row = [d[name] for name in _ORDER]
        if row[_VALUE] is not None:
            row[_VALUE] = str(row[_VALUE])  # exact: Decimal(str(x)) == x, digits and exponent
        if row[_DUE] is not None:
            row[_DUE] = row[_DUE].isoformat()
        fields_set = f.__pydantic_fields_set__
        mask = _MASKS.get(key := frozenset(fields_set))
        if mask is None:
            mask = _MASKS[key] = sum(_BIT[name] for name in fields_set)
        row.append(mask)
        row.append(f.content_key())  # (so a run that loads the fact records it without its JSON)
        rows.append(row)
    return rows


def load_facts(data: bytes) -> list[Fact]:
    """The facts ``dump_facts`` wrote, equal to them field for field (and fields-set).

    Values many facts share (a topics tuple, a name) come back as one object however many
    blobs hold them: a blob shares them among its own facts only, and a million facts'
    topics tuples cost ~140 bytes a fact otherwise.
    """
    out = []
    shared = _SHARED
    if len(shared) > _SHARED_MAX:  # (a bound, should some workspace have countless names)
        shared.clear()
    for row in marshal.loads(data):  # (lists: filled in place)
        row[_TOPICS] = shared.setdefault(topics := row[_TOPICS], topics)
        row[_NAME] = shared.setdefault(name := row[_NAME], name)
        if row[_VALUE] is not None:
            row[_VALUE] = Decimal(row[_VALUE])
        if row[_DUE] is not None:
            row[_DUE] = date.fromisoformat(row[_DUE])
        mask = row[-2]  # (past the fields, the mask and the content key: the builder leaves them)
        fields_set = _SETS.get(mask)
        if fields_set is None:
            fields_set = _SETS[mask] = shared_fields_set(name for name, bit in _BIT.items() if mask & bit)
        made = _FACT(row, fields_set)
        made.keep_content_key(row[-1])
        out.append(made)
    return out


# a fields-set as a bit mask over the fields, and back
_MASKS: dict[frozenset[str], int] = {}
_SETS: dict[int, set[str]] = {}
