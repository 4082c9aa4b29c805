"""What the notes say a ledger row is, where the books' words say otherwise.

A raw bank export types a row by its description: "IRS USATAXPYMT" is a tax, a cost of the
business whose account paid it. The owners' notes know better: "IRS USATAXPYMT on 9/15
($3,500) is our personal 1040-ES estimate… It is NOT a cafe expense." Such a line reaches
the ledger's rules as a ``ledger_remark`` (the notes source sieves lines with a sum of money
and words of this kind); this module reads what it says and which rows it names.

A remark retypes a row when it says plainly what the row is, and names it:

- **what**: personal, an owner's draw, the owners paying themselves (an owner draw); or
  money moved between the owners' accounts or businesses that is not a cost (a transfer).
  A question or a guess ("personal?", "looks personal, ask Ada") retypes nothing.
- **which**: money out of exactly the sum it states, counted as a cost today; on a day it
  names (a bank posts a payment up to ``POSTING_DAYS`` after it is made), or, naming no day,
  with a word of the row's description in it ("ZELLE TO J DOE" and "the Zelle to Jo
  Doe"). Of several rows near a named day, the one whose words the remark shares, else the
  one on the day itself; still several, none (the remark cannot say which).

Only money out that profit counts as a cost is retyped, to a type that moves cash only: a
note can take a sum out of costs it names, never put one in, nor touch revenue. Each row
retyped is a finding of its own (``books.retyped_rows``), so the reader sees why.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple, Sequence

from ..model import Evidence
from ..sources.values import parse_money

__all__ = ["POSTING_DAYS", "Remark", "read"]

POSTING_DAYS = 3

# a guess or a question: nothing to act on
_HEDGED = re.compile(r"(?i)\?|\b(?:looks?|seems?|maybe|perhaps|probably|might|not sure|unsure|ask|if so|"
                     r"i think|guess|wonder|could be|should be)\b")
_PERSONAL = re.compile(
    r"(?i)\b(?:(?:is|was|were|are|it's|that's|all)\s+(?:(?:our|my|their|his|her|a|the)\s+)?(?:own\s+)?personal"
    r"|personal\s+(?:expenses?|spend(?:ing)?|purchases?|payments?|bills?|tax(?:es)?|estimates?|charges?|costs?)"
    r"|priv[ée](?:-?opname)?|owners?'?\s*draws?|drawings|(?:paying|paid|pay)\s+(?:ourselves|myself|themselves))\b")
_BETWEEN = re.compile(r"(?i)\b(?:intercompany|inter-company|(?:transfer\w*|mov(?:ed|ing)(?: money)?)\b[^.;]{0,40}?"
                      r"\bbetween\s+(?:our|your|my|the|two|both))\b")
_NOT_COST = re.compile(r"(?i)\bnot\s+(?:a|an|our|the|my|any)\b[^.;:]{0,40}?\b(?:expense|cost)s?\b")
_MONEY = re.compile(r"(?:(?:USD|EUR|GBP|CAD|AUD)\s?)?(?:CA\$|A\$|[$€£])\s?\d[\d,]*(?:\.\d+)?(?:\s?[kK](?![a-z]))?"
                    r"|\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|AUD)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
# words of a bank line that name nothing in particular
_PLAIN = frozenset("""
the and for from with our out pmt payment payments ach debit credit online transfer card purchase pos
web ppd ccd des ind txn ref inc llc ltd co corp bank checking savings account acct fee
""".split())


class Remark(NamedTuple):
    """A note's line that says what sums of money are."""

    id: str  # its evidence id
    path: str
    line: int
    type: str  # what the rows it names are: owner_draw or transfer
    amounts: tuple[Decimal, ...]
    days: tuple[date, ...]
    words: frozenset[str]  # its words, lower-case, for a row's description to share

    def names_day(self, day: date) -> bool:
        """Whether the row of this day is one the remark's days name (posted within a few days)."""
        return any(0 <= (day - d).days <= POSTING_DAYS or 0 <= (d - day).days <= 1 for d in self.days)

    def shares_words(self, *texts: str) -> bool:
        """Whether a row's description has a word of the remark's in it (its plain words aside)."""
        return any(w in self.words for text in texts for w in words(text))


def words(text: str) -> set[str]:
    """The words of a description that can name it, lower-case: ``IRS USATAXPYMT 2706…`` → irs, usataxpymt."""
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in _PLAIN}


def verdict(text: str) -> str | None:
    """The type a remark says its sums are, or None where it says none plainly."""
    if _HEDGED.search(text):
        return None
    if _PERSONAL.search(text):
        return "owner_draw"
    if _BETWEEN.search(text) and _NOT_COST.search(text):
        return "transfer"
    return None


def read(ev: Evidence) -> Remark | None:
    """The remark a ``ledger_remark`` item makes, or None where it makes none."""
    text = ev.text or ""
    kind = verdict(text)
    if kind is None:
        return None
    amounts = []
    for m in _MONEY.finditer(text):
        found = parse_money(m.group().strip())
        if found is not None and found[1] is None and found[0] > 0:
            amounts.append(found[0])
    if not amounts:
        return None
    days = []
    for iso in ev.record.get("dates") or ():
        try:
            days.append(date.fromisoformat(iso))
        except (TypeError, ValueError):
            continue
    return Remark(ev.id, ev.provenance.path, ev.provenance.line_start or 0, kind, tuple(dict.fromkeys(amounts)),
                  tuple(days), frozenset(w.lower() for w in _WORD.findall(text)))


def remarks(evidence: Sequence[Evidence]) -> list[Remark]:
    """The remarks among the evidence that say what some sum is, in the evidence's order."""
    out = []
    for ev in evidence:
        if ev.kind == "ledger_remark":
            try:
                found = read(ev)
            except (InvalidOperation, ValueError):
                found = None
            if found is not None:
                out.append(found)
    return out
