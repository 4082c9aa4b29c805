"""Secrets written where they do not belong: in notes and in ledger memos.

The notes and ledger sources withhold any secret they read (the text keeps only a masked
preview) and report it as a ``scan_hit``. Anyone who can read the notes or the ledger
export can use such a key, so each one is a finding with a fix.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import TEXT_HITS

__all__ = ["analyze", "secret_in_text"]

_SEVERITY = {
    "Stripe key": "critical", "AWS access key id": "critical", "AWS secret access key": "critical",
    "private key": "critical", "GitHub token": "high", "Slack token": "high", "Anthropic key": "high",
    "OpenAI key": "high", "Stripe webhook secret": "high",
}


@rule(reads=TEXT_HITS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """One finding per secret (by hash) found in notes or ledger text."""
    seen: dict[str, list[Evidence]] = {}
    for ev in evidence:
        if ev.kind == "scan_hit" and ev.source in ("notes", "ledger"):
            seen.setdefault(ev.record.get("secret_sha256") or ev.id, []).append(ev)
    return [secret_in_text(group, ctx) for _, group in sorted(seen.items())]


def secret_in_text(group: Sequence[Evidence], ctx: AnalysisContext) -> Fact:
    """A secret that sits in plain text a whole team can read."""
    first = sorted(group, key=lambda ev: (ev.provenance.path, ev.provenance.line_start or 0))[0]
    kind = first.record.get("kind", "secret")
    where = first.provenance.label() + (f" and {len(group) - 1} other places" if len(group) > 1 else "")
    place = "the ledger" if first.source == "ledger" else "the notes"
    severity = _SEVERITY.get(kind, "high")
    who = ctx.entity_name(first.entity) if first.entity else "Group"
    return Fact(
        id=stable_id("f", "secret_in_text", first.record.get("secret_sha256"), first.provenance.path),
        kind="finding", name="secret_in_text", entity=first.entity, severity=severity,
        statement=(
            f"{who}: a {kind} ({first.record.get('preview', '…')}) is written in {place} at {where}; "
            "anyone who can read it can use it."
        ),
        recommendation=(
            f"Roll the {kind} with its provider, delete it from {place}, and keep keys in a password "
            "manager or secret store."
        ),
        topics=("security", "tech"), evidence=tuple(ev.id for ev in group),
        sources=tuple(sorted({ev.provenance.label() for ev in group})),
    )
