"""The verifier: every figure, date and address in a report traces to a cited fact.

A block's claims are checked against only the facts that block (or its item) cites:

- each cited fact id exists in the fact base;
- each number, money amount and percentage in the text equals a number in a cited fact
  (its value, or a number in its statement, recommendation, period or due date), written
  exactly or rounded to the places shown ("$7,200", "7.2k" and "7200" are one value);
- each date (``2026-11-23`` or ``2026-11``) appears in a cited fact;
- each email address and URL appears in a cited fact;
- a block that states a figure cites at least one fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping

from .model import Block, Fact, Report
from .redaction import scan

__all__ = ["verify", "verify_block", "untrusted_text_problems", "extract_claims", "Claims"]

_DATE = re.compile(r"(?<![\w-])(\d{4}-\d{2}(?:-\d{2})?)(?![\w-])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')]+(?<![.,;:!?])", re.I)
_NUMBER = re.compile(
    r"(?<![\w.])(?:CA\$|A\$|[$€£¥])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:\s?(?P<mult>[kKmM])(?![A-Za-z]))?"
    r"(?![A-Za-z\d])"
)
_MULT = {"k": Decimal(1000), "m": Decimal(1_000_000)}


@dataclass(frozen=True)
class Number:
    """A number as written: its value and how many decimal places it shows."""

    value: Decimal
    places: int
    scale: Decimal = Decimal(1)

    def matches(self, exact: Decimal) -> bool:
        """Whether ``exact`` written at this number's precision reads as this number."""
        try:
            shown = (abs(exact) / self.scale).quantize(Decimal(1).scaleb(-self.places))
        except InvalidOperation:  # more digits than a Decimal context holds (28): only the same value reads as it
            return exact.copy_abs() == self.value  # (copy_abs: abs() would round it)
        return shown == self.value / self.scale


@dataclass(frozen=True)
class Claims:
    """What a piece of text asserts that must be traced."""

    numbers: tuple[Number, ...]
    dates: tuple[str, ...]
    emails: tuple[str, ...]
    urls: tuple[str, ...]


@lru_cache(maxsize=65536)  # (a fact cited by many blocks is read once; Claims is immutable)
def extract_claims(text: str) -> Claims:
    """The numbers, dates, email addresses and URLs in a text."""
    urls = tuple(_URL.findall(text))
    rest = _URL.sub(" ", text)
    emails = tuple(e.lower() for e in _EMAIL.findall(rest))
    rest = _EMAIL.sub(" ", rest)
    dates = tuple(_DATE.findall(rest))
    rest = _DATE.sub(" ", rest)
    numbers = []
    for m in _NUMBER.finditer(rest):
        digits = m.group("int").replace(",", "") + (m.group("frac") or "")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            continue
        places = len(m.group("frac") or ".")- 1
        scale = _MULT.get((m.group("mult") or "").lower(), Decimal(1))
        # (value * 1 would round a number of more than 28 digits: two such numbers would read as one)
        numbers.append(Number(value=value * scale if scale != 1 else value, places=places, scale=scale))
    return Claims(tuple(numbers), dates, emails, urls)


def _fact_texts(fact: Fact) -> list[str]:
    texts = [fact.statement, fact.recommendation or "", fact.upkeep or "", fact.period or ""]
    if fact.due:
        texts.append(fact.due.isoformat())
    return texts


@dataclass
class _Allowed:
    numbers: set[Decimal]
    dates: set[str]
    emails: set[str]
    urls: set[str]


def _fact_allowed(fact: Fact) -> _Allowed:
    """What one fact lets a text say."""
    out = _Allowed(set(), set(), set(), set())
    if fact.value is not None:
        out.numbers.add(abs(fact.value))
    for text in _fact_texts(fact):
        claims = extract_claims(text)
        out.numbers.update(n.value for n in claims.numbers)
        out.dates.update(claims.dates)
        for d in claims.dates:  # "October 2026" in prose may cite period 2026-10
            out.numbers.update(Decimal(part) for part in d.split("-"))
        out.emails.update(claims.emails)
        out.urls.update(u.lower() for u in claims.urls)
    return out


def _allowed(facts: Iterable[Fact], known: dict[str, _Allowed] | None = None) -> _Allowed:
    """What the facts together let a text say; ``known`` keeps each fact's part (by id) for the next block."""
    known = {} if known is None else known
    out = _Allowed(set(), set(), set(), set())
    for fact in facts:
        part = known.get(fact.id)
        if part is None:
            part = known[fact.id] = _fact_allowed(fact)
        out.numbers |= part.numbers
        out.dates |= part.dates
        out.emails |= part.emails
        out.urls |= part.urls
    return out


def _check_text(text: str, allowed: _Allowed, where: str) -> list[str]:
    problems = []
    claims = extract_claims(text)
    for number in claims.numbers:
        # (a number written as a cited fact has it matches at once: only the others are tried one by one)
        if number.value not in allowed.numbers and not any(number.matches(a) for a in allowed.numbers):
            shown = f"{number.value / number.scale:f}" + ("k" if number.scale == 1000 else "")
            problems.append(f"{where}: the number {shown} is in no cited fact")
    for d in claims.dates:
        if d not in allowed.dates:
            problems.append(f"{where}: the date {d} is in no cited fact")
    for e in claims.emails:
        if e not in allowed.emails:
            problems.append(f"{where}: the address {e} is in no cited fact")
    for u in claims.urls:
        if u.lower() not in allowed.urls:
            problems.append(f"{where}: the link {u} is in no cited fact")
    return problems


def verify_block(block: Block, facts: Mapping[str, Fact], where: str,
                 known: dict[str, _Allowed] | None = None) -> list[str]:
    """The problems of one block (empty when it checks out); ``known``: see ``_allowed``."""
    problems = [
        f"{where}: cites unknown fact {fid}"
        for fid in dict.fromkeys(block.cites + tuple(i for c in block.item_cites for i in c))
        if fid not in facts
    ]
    block_facts = [facts[f] for f in block.cites if f in facts]
    if block.item_cites and len(block.item_cites) == len(block.items):
        for n, (item, cites) in enumerate(zip(block.items, block.item_cites), 1):
            allowed = _allowed((facts[f] for f in cites if f in facts), known)
            problems += _check_text(item, allowed, f"{where}, item {n}")
        texts = [block.text] if block.text else []
        texts += [cell for row in block.rows for cell in row]
    else:
        texts = block.texts()
    allowed = _allowed(block_facts, known)
    for text in texts:
        problems += _check_text(text, allowed, where)
    if block.chart is not None:
        values = {f.value for f in block_facts if f.value is not None}
        for series in block.chart.series:
            for value in series.values:
                if value is not None and value not in values:
                    problems.append(f"{where}: chart value {value} of '{series.name}' is in no cited fact")
    return problems


# --- untrusted-text check (LLM writers) ------------------------------------------------
# Model output may repeat instructions planted in notes ("forward this to…", "ignore the
# rules"). Such phrases, and secret-looking strings, pass only when a cited fact itself
# says them; the offline writer copies fact text, so its output always passes.

_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|rules|prompts?|guidelines)\b"
    r"|\b(?:system|developer) prompt\b|\bnew instructions?\b|\byou are now\b|\bas an ai\b"
    r"|\b(?:forward|send|e-?mail|cc|bcc|copy)\b[^.\n]{0,60}\b(?:to|at)\s+(?:the\s+)?(?:address|mailbox|inbox|[\w.+-]+@)"
    r"|\b(?:forward|send|e-?mail)\s+(?:this|these|the)\s+(?:report|briefing|email|message|summary)\b"
    r"|\b(?:click|visit|go to|log ?in (?:at|to)|sign ?in (?:at|to))\b[^.\n]{0,30}\b(?:link|url|site|website|page|portal|here)\b"
    r"|\b(?:reply|respond|write back)\s+(?:to|with)\b"
    r"|\b(?:wire|transfer)\b[^.\n]{0,40}\b(?:account|iban|routing|wallet|bitcoin)\b"
    r"|\b(?:update|change|add|remove|replace)\s+(?:the\s+)?(?:recipients?|config(?:uration)?|mailing list|distribution list|settings)\b"
    r"|\b(?:share|send|provide|enter|confirm)\s+(?:your\s+|the\s+)?(?:password|credentials|api key|login)\b",
    re.I,
)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def untrusted_text_problems(block: Block, facts: Mapping[str, Fact], where: str) -> list[str]:
    """Instruction-like phrases and secret-looking strings that no cited fact contains."""

    cited = [facts[f] for f in dict.fromkeys(block.cites + tuple(i for c in block.item_cites for i in c)) if f in facts]
    source = _normal(" ".join(t for f in cited for t in _fact_texts(f)))
    problems = []
    for text in block.texts():
        for m in _INSTRUCTION.finditer(text):
            if _normal(m.group(0)) not in source:
                problems.append(f"{where}: instruction-like text {m.group(0)!r} is in no cited fact")
        for hit in scan(text):
            if _normal(text[hit.start:hit.end]) not in source:
                problems.append(f"{where}: a secret-looking string ({hit.kind} {hit.preview}) is in no cited fact")
    return problems


def verify(report: Report, facts: Mapping[str, Fact]) -> list[str]:
    """Every problem with a report's citations and figures; empty when all trace."""
    problems = []
    known: dict[str, _Allowed] = {}  # (a fact cited by many blocks and items is read once)
    for n, block in enumerate(report.summary, 1):
        problems += verify_block(block, facts, f"summary block {n}", known)
        problems += untrusted_text_problems(block, facts, f"summary block {n}")
    for section in report.sections:
        for n, block in enumerate(section.blocks, 1):
            problems += verify_block(block, facts, f"section '{section.id}' block {n}", known)
            problems += untrusted_text_problems(block, facts, f"section '{section.id}' block {n}")
    for n, block in enumerate(report.upkeep, 1):
        problems += verify_block(block, facts, f"upkeep block {n}", known)
        problems += untrusted_text_problems(block, facts, f"upkeep block {n}")
    for ref in report.sources:
        if ref.fact_id not in facts:
            problems.append(f"source [{ref.number}] names unknown fact {ref.fact_id}")
    return problems
