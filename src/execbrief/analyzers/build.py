"""``Fact`` built without validation in analyzers' hot loops, and facts as compact rows.

Operations makes one fact per shown bullet and task (hundreds of thousands at 20,000
notes) from values it computed itself; see ``execbrief.construct``. The incremental runner
keeps facts as marshalled rows of plain values (``dump_facts``/``load_facts``).
``tests/test_perf_equivalence.py`` checks both against validated facts.
"""

from __future__ import annotations

import marshal
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from pydantic_core import PydanticUndefined

from ..construct import Builder, shared_fields_set
from ..model import Fact

__all__ = ["fact", "dump_facts", "load_facts"]

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


def dump_facts(facts: Sequence[Fact]) -> bytes:
    """Facts as bytes: each a tuple of plain values (a Decimal as its string, a date as ISO)."""
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
        rows.append(tuple(row))
    return marshal.dumps(rows)


def load_facts(data: bytes) -> list[Fact]:
    """The facts ``dump_facts`` wrote, equal to them field for field (and fields-set)."""
    out = []
    for row in marshal.loads(data):
        if row[_VALUE] is not None or row[_DUE] is not None:
            values = list(row)
            if values[_VALUE] is not None:
                values[_VALUE] = Decimal(values[_VALUE])
            if values[_DUE] is not None:
                values[_DUE] = date.fromisoformat(values[_DUE])
            row = values
        mask = row[-1]  # (the last item, past the fields: the builder leaves it)
        fields_set = _SETS.get(mask)
        if fields_set is None:
            fields_set = _SETS[mask] = shared_fields_set(name for name, bit in _BIT.items() if mask & bit)
        out.append(_FACT(row, fields_set))
    return out


# a fields-set as a bit mask over the fields, and back
_MASKS: dict[frozenset[str], int] = {}
_SETS: dict[int, set[str]] = {}
