"""Fast construction of ``Evidence`` and ``Provenance`` from data a source already trusts.

Validating every item costs ~5-10 µs and ~2.5 KB; a million ledger rows would spend 10 s
and 2.5 GB on it. Sources build their items from values they parsed themselves (right
types, known kinds), so they may skip validation, as pydantic's ``model_construct`` does.
Two more savings: one shared fields-set per class (``model_construct`` makes a set per
item), and attributes set one by one, which lets CPython share one key table across every
instance's ``__dict__`` (~740 bytes an item instead of ~2,600).

``tests/test_sources_ledger.py`` checks that what this builds equals validated models.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..model import Evidence, Provenance

__all__ = ["evidence", "provenance"]

_new = object.__new__
_set = object.__setattr__
# pydantic keeps a model's state in these slots; if a release changes them, fall back to
# model_construct rather than build objects pydantic would not recognise.
_FAST = (
    tuple(BaseModel.__slots__) == ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
    and not Evidence.__pydantic_post_init__ and not Provenance.__pydantic_post_init__
    and not Evidence.__private_attributes__ and not Provenance.__private_attributes__
)
# Shared by every instance. A set, not a frozenset: model_copy copies it, then updates the copy.
_EVIDENCE_FIELDS = set(Evidence.model_fields)
_PROVENANCE_FIELDS = set(Provenance.model_fields)


def provenance(source: str, path: str, line_start: int | None = None, line_end: int | None = None,
               observed_at: str | None = None, sha256: str | None = None) -> Provenance:
    """A ``Provenance`` without validation (the caller passes the right types)."""
    if not _FAST:
        return Provenance.model_construct(
            source=source, path=path, line_start=line_start, line_end=line_end,
            observed_at=observed_at, sha256=sha256)
    p = _new(Provenance)
    _set(p, "source", source)
    _set(p, "path", path)
    _set(p, "line_start", line_start)
    _set(p, "line_end", line_end)
    _set(p, "observed_at", observed_at)
    _set(p, "sha256", sha256)
    _set(p, "__pydantic_fields_set__", _PROVENANCE_FIELDS)
    _set(p, "__pydantic_extra__", None)
    _set(p, "__pydantic_private__", None)
    return p


def evidence(id: str, source: str, kind: str, entity: str | None, text: str | None,
             record: dict[str, Any], prov: Provenance) -> Evidence:
    """An ``Evidence`` without validation (``kind`` must be one of the model's kinds)."""
    if not _FAST:
        return Evidence.model_construct(id=id, source=source, kind=kind, entity=entity, text=text,
                                        record=record, provenance=prov)
    e = _new(Evidence)
    _set(e, "id", id)
    _set(e, "source", source)
    _set(e, "kind", kind)
    _set(e, "entity", entity)
    _set(e, "text", text)
    _set(e, "record", record)
    _set(e, "provenance", prov)
    _set(e, "__pydantic_fields_set__", _EVIDENCE_FIELDS)
    _set(e, "__pydantic_extra__", None)
    _set(e, "__pydantic_private__", None)
    return e
