"""What the memo keys kept facts by: digests of the code, the context and the evidence read.

A kept fact holds only while everything it was made from is the same: execbrief's own code
(``code_digest``), the analysis context (``context_digest``) and the items its analyzer read
(``items_digest``, over what an analyzer may read of each item).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..analyzers import AnalysisContext
from ..model import Evidence

__all__ = ["code_digest", "context_digest", "items_digest"]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of execbrief's own source files: new code never reuses old facts."""
    root = Path(__file__).parent.parent  # (the execbrief package, not this one)
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def context_digest(context: AnalysisContext) -> str:
    """What the analysis context says (all of it but what analyzers derive as they go)."""
    values = {f.name: getattr(context, f.name) for f in fields(context) if f.compare}
    return json.dumps(values, sort_keys=True, default=str)


def _item(ev: Evidence) -> list:
    """What an analyzer may read of an item: all of it but its provenance's hash and time,
    and a document's last line (its length: a line added to a note is not a new document)."""
    p = ev.provenance
    end = None if ev.kind == "document" else p.line_end
    return [ev.id, ev.source, ev.kind, ev.entity, ev.text, ev.record, p.source, p.path, p.line_start, end]


def _plain(value: object) -> str:
    """A JSON stand-in for a value JSON has no form for; TypeError if it has no exact one."""
    if isinstance(value, (date, Decimal)):
        return f"{type(value).__name__}:{value}"
    digest = getattr(value, "content_digest", None)  # e.g. a ledger file's TransactionTable
    if callable(digest):
        return f"{type(value).__name__}:{digest()}"
    raise TypeError(f"no digest for {type(value).__name__}")


def items_digest(items: Sequence[Evidence]) -> str:
    """A digest of what an analyzer may read of these items, in their order; TypeError if
    some value has no exact digest."""
    # (keys in the order the source wrote them: the same evidence, the same order)
    text = json.dumps([_item(ev) for ev in items], separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()
