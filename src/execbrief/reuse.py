"""What a run's work depends on, as two digests, so a run that would repeat the last one reuses it.

- ``facts_key``: everything the fact base depends on: the sources' evidence and parts (a
  part's key changes whenever its file's evidence could), the analysis context (as-of date,
  businesses and their kinds, KPIs, vocabulary), the sources' configuration and execbrief's
  own code and data files. Two runs with the same ``facts_key`` have the same fact base, so
  the ledger records it once and the second run points at it.
- ``run_key``: ``facts_key`` and everything the reports depend on besides: the reports
  planned (lens definitions, recipients, scope), the whole configuration (writer, delivery),
  the period, the formats asked for and the data warnings the reports quote. A run with the
  ``run_key`` of an earlier run that finished cleanly, when nothing was delivered or alerted
  since (the ledger's side of "what changed"), writes the reports that run wrote: it takes
  them from the ledger instead of analysing, selecting, writing and verifying again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from .analyzers import AnalysisContext
from .model import DataWarning, Evidence
from .sources import SourceResult

__all__ = ["code_digest", "facts_key", "run_key"]

_CODE_SUFFIXES = (".py", ".toml", ".html", ".j2", ".css", ".txt", ".json", ".md")


@cache
def code_digest() -> str:
    """A digest of execbrief's code and the data files it ships (vocabulary, lenses, templates)."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()
                       and "demo" not in p.relative_to(root).parts[:1]):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _plain(value: object) -> str:
    if isinstance(value, (date, Decimal)):
        return f"{type(value).__name__}:{value}"
    digest = getattr(value, "content_digest", None)
    if callable(digest):
        return f"{type(value).__name__}:{digest()}"
    return f"{type(value).__name__}:{value!r}"


def _evidence(ev: Evidence) -> list[Any]:
    p = ev.provenance
    # a ledger file's rows are a function of its bytes (and of the code and settings, keyed
    # apart): its content hash stands for them, instead of hashing a million rows
    record: object = p.sha256 if ev.kind == "transactions" and p.sha256 else ev.record
    return [ev.id, ev.source, ev.kind, ev.entity, ev.text, record, p.source, p.path, p.line_start, p.line_end,
            p.observed_at, p.sha256]


def facts_key(results: Sequence[SourceResult], context: AnalysisContext, settings_digest: str) -> str:
    """The digest of everything the fact base depends on (see the module docstring)."""
    digest = hashlib.sha256(code_digest().encode() + b"\0" + settings_digest.encode() + b"\0")
    values = {f.name: getattr(context, f.name) for f in fields(context) if f.compare}
    digest.update(json.dumps(values, sort_keys=True, default=_plain).encode())
    for result in results:
        digest.update(b"\0result")
        for part in result.parts:
            digest.update(f"\0{part.source}\0{part.path}\0{part.key}".encode())
        digest.update(json.dumps([_evidence(ev) for ev in result.evidence], separators=(",", ":"),
                                 default=_plain).encode())
    return "sha256:" + digest.hexdigest()


def run_key(facts: str, *, settings_json: str, reports: Iterable[tuple[str, str, Sequence[str], Any]], period: str,
            only: Sequence[str], formats: Sequence[str], warnings: Sequence[DataWarning]) -> str:
    """The digest of everything a run's reports depend on (see the module docstring).

    ``reports``: (report key, lens definition JSON, recipients, scope) of each planned report.
    """
    text = json.dumps({
        "facts": facts, "settings": settings_json, "period": period, "only": list(only), "formats": list(formats),
        "reports": [[key, lens, list(to), sorted(scope) if scope is not None else None]
                    for key, lens, to, scope in reports],
        "warnings": [w.model_dump(mode="json") for w in warnings],
    }, sort_keys=True, default=_plain)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
