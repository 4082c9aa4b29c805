"""Models built without validation, from values their maker computed and trusts.

Validating an item costs ~4-10 µs and, through ``model_construct``, a fields-set of its own.
Sources make one ``Evidence`` per note item and analyzers one ``Fact`` per shown bullet:
hundreds of thousands in a large workspace. They build from values of the right types and
known kinds, so they may skip validation. What ``Builder`` makes equals the validated model
(same ``__dict__``, in declaration order, and the same fields-set; ``tests/test_perf_equivalence.py``
and ``tests/test_sources_ledger.py`` check it), and costs less memory too: the new object's
own ``__dict__`` filled in declaration order shares one key table with every other
instance's, and fields-sets are shared (pydantic copies a model's set before changing it,
in ``model_copy``).
"""

from __future__ import annotations

from typing import Any, Generic, Iterable, TypeVar

from pydantic import BaseModel

from .model import Evidence, Provenance

__all__ = ["Builder", "evidence", "provenance", "shared_fields_set"]

M = TypeVar("M", bound=BaseModel)

_new = object.__new__
_set = object.__setattr__
# pydantic keeps a model's state in these slots; if a release changes them, build with
# model_construct rather than make objects pydantic would not recognise
_SLOTS = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_SHARED: dict[frozenset[str], set[str]] = {}


def shared_fields_set(names: Iterable[str]) -> set[str]:
    """One set per combination of field names, shared by every model that set those fields."""
    key = frozenset(names)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = set(key)
    return found


class Builder(Generic[M]):
    """Makes ``cls`` instances from every field's value, in declaration order."""

    def __init__(self, cls: type[M]) -> None:
        self.cls = cls
        self.names = tuple(cls.model_fields)
        decorators = cls.__pydantic_decorators__
        self.fast = (
            tuple(BaseModel.__slots__) == _SLOTS and not cls.__pydantic_post_init__
            and not cls.__private_attributes__ and not decorators.field_validators
            and not decorators.model_validators
        )

    def __call__(self, values: Iterable[Any], fields_set: set[str]) -> M:
        """An instance from ``values`` (one per field, in order; extra trailing values are
        ignored) that had ``fields_set`` given (a set from ``shared_fields_set``)."""
        if not self.fast:
            return self.cls.model_construct(_fields_set=set(fields_set), **dict(zip(self.names, values)))
        model = _new(self.cls)
        model.__dict__.update(zip(self.names, values))
        _set(model, "__pydantic_fields_set__", fields_set)
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model


# Sources make their items with these (a million ledger rows validated would cost 10 s and
# 2.5 GB), and a ledger table makes the items of the rows a fact cites.
_EVIDENCE, _PROVENANCE = Builder(Evidence), Builder(Provenance)
_EVIDENCE_FIELDS = shared_fields_set(Evidence.model_fields)  # every field given, every time
_PROVENANCE_FIELDS = shared_fields_set(Provenance.model_fields)


def provenance(source: str, path: str, line_start: int | None = None, line_end: int | None = None,
               observed_at: str | None = None, sha256: str | None = None) -> Provenance:
    """A ``Provenance`` without validation (the caller passes the right types)."""
    return _PROVENANCE((source, path, line_start, line_end, observed_at, sha256), _PROVENANCE_FIELDS)


def evidence(id: str, source: str, kind: str, entity: str | None, text: str | None,
             record: dict[str, Any], prov: Provenance) -> Evidence:
    """An ``Evidence`` without validation (``kind`` must be one of the model's kinds)."""
    return _EVIDENCE((id, source, kind, entity, text, record, prov), _EVIDENCE_FIELDS)
