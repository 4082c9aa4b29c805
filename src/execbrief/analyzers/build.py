"""Fast construction of ``Fact`` in the hot loops of analyzers (one fact per note item).

Validating a fact costs ~4 µs; operations makes one per bullet, task and table row (646k
at 20,000 notes). Its rules build facts from values they computed themselves (right
types, known kinds), so they may skip validation, as pydantic's ``model_construct`` does,
but without its per-field default handling. The result is equal to the validated model,
with the same ``__dict__`` order and the same fields-set (the names passed).

``tests/test_perf_equivalence.py`` checks that what this builds equals validated facts.
"""

from __future__ import annotations

import marshal
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from ..model import Fact

__all__ = ["fact", "dump_facts", "load_facts"]

_new = object.__new__
_set = object.__setattr__
# pydantic keeps a model's state in these slots; if a release changes them, or Fact gains
# a validator, fall back to validation rather than build objects pydantic would not recognise.
_FAST = (
    tuple(BaseModel.__slots__) == ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    and not Fact.__pydantic_post_init__ and not Fact.__private_attributes__
    and not Fact.__pydantic_decorators__.field_validators and not Fact.__pydantic_decorators__.model_validators
)
_SHARED_SETS: dict[frozenset[str], set[str]] = {}
# every field in declaration order (as validation fills ``__dict__``) and its default
_FIELDS = tuple((name, info.default) for name, info in Fact.model_fields.items())
_NAMES = frozenset(name for name, _ in _FIELDS)
_REQUIRED = frozenset(name for name, default in _FIELDS if default is PydanticUndefined)


def fact(**fields: Any) -> Fact:
    """A ``Fact`` without validation: the caller passes the right types (tuples, dates, Decimals)."""
    if not _FAST or not _REQUIRED <= fields.keys() or not fields.keys() <= _NAMES:
        return Fact(**fields)  # let pydantic say what is missing or unknown
    f = _new(Fact)
    # The new object's own ``__dict__`` filled in declaration order: CPython then shares one
    # key table across every fact's ``__dict__`` (~20% less memory a fact than a dict of its own).
    f.__dict__.update([(name, fields[name] if name in fields else default) for name, default in _FIELDS])
    # one fields-set per combination of fields, shared (a set of ten names is ~500 bytes;
    # pydantic copies a model's set before changing it, in model_copy)
    fields_set = _SHARED_SETS.get(key := frozenset(fields))
    if fields_set is None:
        fields_set = _SHARED_SETS[key] = set(key)
    _set(f, "__pydantic_fields_set__", fields_set)
    _set(f, "__pydantic_extra__", None)
    _set(f, "__pydantic_private__", None)
    return f


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
    sets = _FIELDS_SETS
    for row in marshal.loads(data):
        if row[_VALUE] is not None or row[_DUE] is not None:
            values = list(row)
            if values[_VALUE] is not None:
                values[_VALUE] = Decimal(values[_VALUE])
            if values[_DUE] is not None:
                values[_DUE] = date.fromisoformat(values[_DUE])
            row = values
        mask = row[-1]
        fields_set = sets.get(mask)
        if fields_set is None:
            fields_set = sets[mask] = {name for name, bit in _BIT.items() if mask & bit}
        if not _FAST:
            out.append(Fact.model_construct(_fields_set=set(fields_set), **dict(zip(_ORDER, row))))
            continue
        f = _new(Fact)
        f.__dict__.update(zip(_ORDER, row))  # the row's last item, the mask, has no name: zip stops
        _set(f, "__pydantic_fields_set__", fields_set)
        _set(f, "__pydantic_extra__", None)
        _set(f, "__pydantic_private__", None)
        out.append(f)
    return out


# Facts of one rule set the same fields: one fields-set per mask, shared by every fact
# loaded with it (pydantic copies a model's set before changing it, in model_copy).
_FIELDS_SETS: dict[int, set[str]] = {}
_MASKS: dict[frozenset[str], int] = {}
