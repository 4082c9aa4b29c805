"""Secrets written where they do not belong: in notes and in ledger memos.

The notes and ledger sources withhold any secret they read (the text keeps only a masked
preview) and report it as a ``scan_hit``. Anyone who can read the notes or the ledger
export can use such a key, so each one is a finding with a fix. An AWS access key id and a
secret access key written in the same file are one key pair: one finding, not a key id said
to be alone and a secret beside it.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import TEXT_HITS

__all__ = ["analyze", "aws_key_pair_in_text", "secret_in_text", "secrets_in_file"]

_AWS_ID, _AWS_SECRET = "AWS access key id", "AWS secret access key"

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
    groups = [sorted(group, key=_place) for _, group in sorted(seen.items())]
    pairs = _key_pairs(groups)
    paired = {id(g) for pair in pairs for g in pair}
    # secrets of one kind in one file (a passwords table, a .env pasted whole) are one finding
    # naming their lines: one thing to fix, not four lines saying the same thing
    by_file: dict[tuple[str, str, str], list[Sequence[Evidence]]] = {}
    for group in groups:
        if id(group) not in paired:
            first = group[0]
            by_file.setdefault((first.provenance.path, first.record.get("kind", "secret"), first.entity or ""),
                               []).append(group)
    facts = [secret_in_text(found[0], ctx) if len(found) == 1 else secrets_in_file(found, ctx)
             for found in by_file.values()]
    facts += [aws_key_pair_in_text(key_id, secret, ctx) for key_id, secret in pairs]
    return sorted(facts, key=lambda f: f.id)


def _place(ev: Evidence) -> tuple[str, int]:
    return ev.provenance.path, ev.provenance.line_start or 0


def _key_pairs(groups: Sequence[Sequence[Evidence]]) -> list[tuple[Sequence[Evidence], Sequence[Evidence]]]:
    """AWS key ids and secret access keys written in the same file, each id with the nearest
    secret after it (or before it), each used once."""
    ids = [g for g in groups if g[0].record.get("kind") == _AWS_ID]
    secrets = [g for g in groups if g[0].record.get("kind") == _AWS_SECRET]
    pairs = []
    for key_id in ids:
        path, line = _place(key_id[0])
        near = [(abs(_place(s[0])[1] - line), _place(s[0])[1] < line, n) for n, s in enumerate(secrets)
                if any(ev.provenance.path == path for ev in s)]
        if near:
            pairs.append((key_id, secrets.pop(min(near)[2])))
    return pairs


def _where(group: Sequence[Evidence]) -> str:
    return group[0].provenance.label() + (f" and {len(group) - 1} other places" if len(group) > 1 else "")


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeio" else "a"


def secret_in_text(group: Sequence[Evidence], ctx: AnalysisContext) -> Fact:
    """A secret that sits in plain text a whole team can read."""
    first = sorted(group, key=_place)[0]
    kind = first.record.get("kind", "secret")
    where = _where(sorted(group, key=_place))
    place = "the ledger" if first.source == "ledger" else "the notes"
    severity = _SEVERITY.get(kind, "high")
    who = ctx.entity_name(first.entity) if first.entity else "Group"
    return Fact(
        id=stable_id("f", "secret_in_text", first.record.get("secret_sha256"), first.provenance.path),
        kind="finding", name="secret_in_text", entity=first.entity, severity=severity,
        statement=(
            f"{who}: {_article(kind)} {kind} ({first.record.get('preview', '…')}) is written in {place} at {where}; "
            "anyone who can read it can use it."
        ),
        recommendation=_fix(kind, place),
        topics=("security", "tech"), evidence=tuple(ev.id for ev in group),
        sources=tuple(sorted({ev.provenance.label() for ev in group})),
    )


# what opens a door, not an account, as its fix names it: changed at the lock, not rolled
# with a provider
_CODES = {"PIN or access code": "code", "access code in words": "code", "key safe or lock code": "key safe or lock code"}


def _fix(kind: str, place: str) -> str:
    """How to make a secret of this kind found in ``place`` safe again."""
    if kind in _CODES:
        return (f"Change the {_CODES[kind]}, delete it from {place}, and share codes in person or through a "
                "password manager.")
    return f"Roll the {kind} with its provider, delete it from {place}, and keep keys in a password manager or secret store."


def secrets_in_file(found: Sequence[Sequence[Evidence]], ctx: AnalysisContext) -> Fact:
    """Several secrets of one kind written in one file: one finding naming their lines."""
    first = found[0][0]
    kind = first.record.get("kind", "secret")
    path = first.provenance.path
    place = "the ledger" if first.source == "ledger" else "the notes"
    every = sorted((ev for group in found for ev in group), key=_place)
    lines = sorted({ev.provenance.line_start for ev in every if ev.provenance.path == path and ev.provenance.line_start})
    elsewhere = len({ev.provenance.label() for ev in every if ev.provenance.path != path})
    shown = [p for group in found[:3] if (p := group[0].record.get("preview", "…")) != "…"]
    previews = f" ({', '.join(shown)}{', …' if len(found) > len(shown) else ''})" if shown else ""
    who = ctx.entity_name(first.entity) if first.entity else "Group"
    return Fact(
        id=stable_id("f", "secret_in_text", path, kind, first.entity or ""),
        kind="finding", name="secret_in_text", entity=first.entity, severity=_SEVERITY.get(kind, "high"),
        statement=(
            f"{who}: {len(found)} secrets, each {_article(kind)} {kind}{previews}, are written in {place} at "
            f"{path}" + (f" {_lines(lines)}" if lines else "")
            + (f" and {elsewhere} other places" if elsewhere else "") + "; anyone who can read them can use them."
        ),
        recommendation=(
            f"Roll each of the {len(found)} secrets in {path} with its provider, delete them from {place}, and keep them in a "
            "password manager or secret store."
        ),
        topics=("security", "tech"), evidence=tuple(ev.id for ev in every),
        sources=tuple(sorted({ev.provenance.label() for ev in every})),
    )


def _lines(numbers: Sequence[int]) -> str:
    """``lines 7, 8, 9 and 11``."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return "lines " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def aws_key_pair_in_text(key_id: Sequence[Evidence], secret: Sequence[Evidence], ctx: AnalysisContext) -> Fact:
    """An AWS access key id with its secret access key in the same file: a usable key pair."""
    first = key_id[0]
    place = "the ledger" if first.source == "ledger" else "the notes"
    who = ctx.entity_name(first.entity) if first.entity else "Group"
    both = [*key_id, *secret]
    return Fact(
        id=stable_id("f", "secret_in_text", first.record.get("secret_sha256"), first.provenance.path, "pair"),
        kind="finding", name="secret_in_text", entity=first.entity, severity="critical",
        statement=(
            f"{who}: an AWS access key ({first.record.get('preview', '…')}) and its secret access key are "
            f"written in {place} at {_where(key_id)} and {secret[0].provenance.label()}; anyone who can read "
            "them can act as that IAM user in the AWS account."
        ),
        recommendation=(
            "Deactivate and delete the key in IAM (aws iam update-access-key --status Inactive, then "
            f"delete-access-key), check CloudTrail for its use, delete both from {place}, and keep keys in a "
            "password manager or secret store."
        ),
        topics=("security", "tech"), evidence=tuple(ev.id for ev in both),
        sources=tuple(sorted({ev.provenance.label() for ev in both})),
    )
