"""``Evidence`` and ``Provenance`` built without validation, from data a source already trusts.

Validating a million ledger rows would cost 10 s and 2.5 GB; sources build their items from
values they parsed themselves (right types, known kinds). See ``execbrief.construct``.
``tests/test_sources_ledger.py`` checks that what this builds equals validated models.
"""

from __future__ import annotations

from typing import Any

from ..construct import Builder, shared_fields_set
from ..model import Evidence, Provenance

__all__ = ["evidence", "provenance"]

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
