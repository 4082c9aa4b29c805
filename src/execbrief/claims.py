"""Claims checked beyond numbers: what a model's sentence says about whom, and how bad.

``verify`` traces every figure, date and address to a cited fact. A model can still be
wrong without a number: "No customer rating is tracked for Brightline Studio" citing a fact
of another business, or "high net margins" called a critical shortfall. For each piece of
model prose (a bullet with its own cites, or a paragraph with the block's) these checks ask:

- **who**: a business the text names (by name or alias) is the business of a cited fact, or
  is named in a cited fact's text;
- **how bad, which way**: "critical" needs a cited fact of critical severity; "risk" a finding,
  a gap or a fact of medium severity or worse; "shortfall", "loss", "deficit" and "below
  break-even" a cited fact below zero or saying so; "fell", "declined", "dropped" a fact below
  zero or saying it fell; "grew", "rose", "increased" a fact saying it rose; "above
  break-even" a fact saying so. A word under a negation ("no critical finding") asks nothing;
- **no ids in prose**: fact ids (``f-0a7d811dd80a``) and prompt handles (``F12``) belong in
  the cites, never in the text.

Offline text copies fact statements and cites them, so it passes (tests/test_claims.py runs the
checks over the demo's offline reports) when the checks read the cited facts from every fact
the briefing may cite (``writers.offline.briefing_facts``: with each section's reserve). The LLM
writer repairs or replaces a failing part exactly as it does a wrong number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

from .model import Block, Fact

__all__ = ["claim_problems", "business_patterns"]

_SEVERE = ("critical", "high", "medium")
# a negation up to three words before, within the same sentence
_NEGATION = re.compile(r"\b(?:no|not|none|nothing|never|without|neither|nor|zero)\b(?:[^\w.;:!?]+\w+){0,3}[^\w.;:!?]*$", re.I)
_HANDLE_OR_ID = re.compile(r"(?<![\w-])(?:f-[0-9a-f]{6,}|F\d{1,5})(?![\w-])")

_FALL = r"fell|falls?|falling|declin(?:e|ed|es|ing)|drop(?:s|ped|ping)?|decreas(?:e|ed|es|ing)|shr[ai]nk(?:s|ing)?|shrunk|lower than"
_RISE = r"grew|grow(?:s|ing|th)?|rose|ris(?:e|es|ing)|increas(?:e|ed|es|ing)|up from|higher than|climb(?:s|ed|ing)?"
_SHORT = r"shortfall|deficit|loss(?:es)?|losing|negative|below break-even|under break-even|short of|in the red"


def _normal(text: str) -> str:
    text = re.sub(r"break[\s-]?even", "break-even", text.lower())
    return " ".join(text.split())


def _fact_text(fact: Fact) -> str:
    return _normal(" ".join(t for t in (fact.statement, fact.recommendation or "") if t))


def _says(pattern: str) -> Callable[[Fact], bool]:
    compiled = re.compile(rf"\b(?:{pattern})\b")
    return lambda fact: bool(compiled.search(_fact_text(fact)))


def _below_zero(fact: Fact) -> bool:
    return fact.value is not None and fact.value < 0


@dataclass(frozen=True)
class _Word:
    """A severity or direction word, and what a cited fact must be for it to stand."""

    pattern: re.Pattern[str]
    needs: str  # said in the problem: what no cited fact is
    holds: Callable[[Fact], bool]


_WORDS = (
    _Word(re.compile(r"\bcritical(?:ly)?\b", re.I), "of critical severity",
          lambda f: f.severity == "critical" or _says("critical")(f)),
    _Word(re.compile(r"\b(?:at risk|risks?|risky)\b", re.I), "a finding, a gap or of medium severity or worse",
          lambda f: f.kind in ("finding", "gap") or f.severity in _SEVERE or _says(r"risks?|risky")(f)),
    _Word(re.compile(rf"\b(?:{_SHORT})\b", re.I), "below zero or saying so",
          lambda f: _below_zero(f) or _says(_SHORT)(f)),
    _Word(re.compile(rf"\b(?:{_FALL})\b", re.I), "below zero or saying it fell",
          lambda f: _below_zero(f) or _says(_FALL)(f)),
    _Word(re.compile(rf"\b(?:{_RISE})\b", re.I), "saying it rose", _says(_RISE)),
    _Word(re.compile(r"\babove break[\s-]?even\b", re.I), "saying it is above break-even",
          _says(r"above break-even|over break-even")),
)


def business_patterns(names: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, re.Pattern[str]]]:
    """Per business id (names: its display name first, then its aliases): that name and a pattern
    matching any of them (case- and punctuation-insensitive, whole words)."""
    out = {}
    for entity, aliases in names.items():
        words = sorted({a.strip() for a in aliases if a and len(a.strip()) >= 3}, key=len, reverse=True)
        if not words:
            continue
        alternatives = "|".join(r"[\W_]*".join(re.escape(part) for part in re.split(r"[\W_]+", w) if part) for w in words)
        out[entity] = (aliases[0], re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I))
    return out


def _pieces(block: Block) -> Iterator[tuple[int | None, str, tuple[str, ...]]]:
    """The block's prose with the cites each piece rests on (an item its own, else the block's)."""
    if block.item_cites and len(block.item_cites) == len(block.items):
        if block.text:
            yield None, block.text, block.cites
        for n, (item, cites) in enumerate(zip(block.items, block.item_cites), 1):
            yield n, item, cites
        return
    for text in ([block.text] if block.text else []) + list(block.items):
        yield None, text, block.cites


def claim_problems(block: Block, facts: Mapping[str, Fact], where: str,
                   businesses: Mapping[str, tuple[str, re.Pattern[str]]]) -> list[str]:
    """What a block's prose claims that its cited facts do not bear out (empty when all stands)."""
    problems: list[str] = []
    for n, text, cites in _pieces(block):
        at = f"{where}, item {n}" if n is not None else where
        cited = [facts[c] for c in cites if c in facts]
        said = " ".join(_fact_text(f) for f in cited)
        for m in _HANDLE_OR_ID.finditer(text):
            if m.group(0).lower() not in said:
                problems.append(f"{at}: the fact id {m.group(0)} is in the text: put it in \"cites\", never in the prose")
        for entity, (name, pattern) in businesses.items():
            if pattern.search(text) and not any(f.entity == entity or pattern.search(_fact_text(f)) for f in cited):
                problems.append(f"{at}: it names {name} but cites no fact of {name}")
        for word in _WORDS:
            for m in word.pattern.finditer(text):
                if _NEGATION.search(text[: m.start()]):
                    continue  # "no critical finding" claims nothing critical
                if not any(word.holds(f) for f in cited):
                    problems.append(f"{at}: '{m.group(0)}' is not what the cited facts say (none is {word.needs})")
                break
    return problems
