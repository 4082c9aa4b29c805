"""What the notes say a ledger row is, where the books' words say otherwise.

A raw bank export types a row by its description: "IRS USATAXPYMT" is a cost of the business
whose account paid it. The owners' notes know better: "IRS USATAXPYMT on 9/15 ($3,500) is our
personal 1040-ES estimate… It is NOT a cafe expense." Such a line reaches the ledger's rules as
a ``ledger_remark`` (the notes source sieves lines with a sum of money and words of this kind,
``sources.notes._remark_texts``); this module reads what it says and which rows it names.

A remark retypes a row when it says plainly what the row is, and names it:

- **what** (``verdict``): personal spending or the owners' pay (an owner draw); their own
  money put in (capital); money given back to a customer (a refund); money moved between the
  owners' accounts or businesses that it says is no cost (a transfer). Each sentence or table
  cell is read on its own: a question or a guess in it ("personal?", "looks personal, ask Ada")
  says nothing, and a line that doubts which of two it was ("either … or") says nothing at all.
- **which** (``pick``): exactly the sum it states, in or out as the reading says, of a type the
  reading may change (``_RETYPES``: costs and transfers out, revenue in; never a cost into
  revenue or the other way round); on a day it names (a bank posts a payment up to
  ``POSTING_DAYS`` after it is made), or, naming no day, with a word or an account's or
  check's number of the row's description in it. A remark of several sums or days, or a
  refund, names only rows that share its words. Of several rows near a named day, the one
  whose words the remark shares, else the one on the day itself; still several, none.

The rows retyped are findings, one for each line of the notes (``books.retyped_rows``), so
the reader sees why.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence, TypeVar

from ..model import Evidence
from ..sources.values import parse_money
from .ledger_types import COST_TYPES

__all__ = ["POSTING_DAYS", "Remark", "pick", "read", "remarks", "verdict", "words"]

T = TypeVar("T")

POSTING_DAYS = 3

# a guess or a question, in the sentence or table cell that says what a sum is: nothing to act on
_HEDGED = re.compile(r"(?i)\?|\b(?:looks?|seems?|maybe|perhaps|probably|might|not sure|unsure|ask|if so|"
                     r"i think|guess|wonder|could be|should be)\b")
# doubt anywhere in the line: which of two things it was is not known yet
_UNSURE = re.compile(r"(?i)\b(?:not sure|unsure|don'?t (?:remember|know)|do not (?:remember|know)|no idea|"
                     r"would have to (?:look|check)|need to (?:look|check)|i'?ll check|either\b[^.|]{0,80}\bor)\b")
# the owners' own money: personal spending, an owner's draw or pay ("personal" as what a sum is,
# not where it sits: "my personal savings account" is an account)
_PERSONAL = re.compile(
    r"(?i)\b(?:personal(?!\s+(?:savings|checking|current|bank|account|acct|card|credit card|debit card|phone|"
    r"e-?mail|guarantee|loan|line)\b)"
    r"|priv[ée](?:-?opname)?|owners?'?\s*draws?|drawings"
    # what a sum is, said of it: "The $1,200 to Ada on 10/30 is her draw", "… are my draws" (not
    # "it pays our draw of $7,500", a line of several sums)
    r"|(?:is|are|was|were)\s+(?:my|our|her|his|their|[a-z]+'s)\s+(?:monthly\s+)?draws?"
    r"|(?:paying|paid|pay)\s+(?:ourselves|myself|themselves)|(?:my|our)\s+(?:own\s+)?pay\b|(?:me|us)\s+getting\s+paid"
    r"|family\s+(?:vacation|holiday|trip)"
    r"|nothing\s+to\s+do\s+with\s+(?:the|our|my)\s+(?:shop|business|company|studio|caf[eé]|store|firm|practice|"
    r"agency|restaurant|salon))\b")
# the owners' money put in: "That came out of our savings", "us putting our own money in"
_CAPITAL = re.compile(
    r"(?i)\b(?:(?:our|my)\s+own\s+(?:money(?!\s+mov)|savings)|(?:from|out\s+of)\s+(?:our|my)\s+(?:own\s+)?(?:savings|personal\s+"
    r"(?:account|savings|checking))|owners?'?\s+(?:investment|contribution|capital)|capital\s+(?:injection|"
    r"contribution|introduced))\b")
# a deposit held for a tenant or a guest, given back: "her security deposit going back", "returned
# the Garcias' damage deposit" (theirs all along: neither a cost nor less revenue; a client's
# deposit sent back, "I sent their deposit back", was revenue when it came: a refund)
_DEPOSIT_BACK = re.compile(r"(?i)\b(?:(?:security|damage|tenant'?s?|guest'?s?)\s+deposit\s+(?:going\s+|went\s+|"
                           r"sent\s+|paid\s+)?(?:back|returned|refunded)|(?:returned|refunded|gave\s+back)\s+(?:[\w$€£.,']+\s+){0,3}"
                           r"(?:security|damage)\s+deposit)\b")
# money given back to a customer: less revenue, not a cost
_REFUND = re.compile(r"(?i)\b(?:refund(?:ed|ing)?|(?:sent|paid|gave)\s+(?:[\w$€£.,']+\s+){0,3}(?:deposit|money)\s+back)\b")
_BETWEEN = re.compile(r"(?i)\b(?:intercompany|inter-company|(?:transfer\w*|mov(?:ed|ing)(?: money)?)\b[^.;]{0,40}?"
                      r"\bbetween\s+(?:our|your|my|the|two|both))\b")
_NOT_COST = re.compile(r"(?i)\bnot\s+(?:a|an|our|the|my|any)\b[^.;:]{0,40}?\b(?:expense|cost)s?\b")
# where a line says one thing: its sentences, and a table row's cells
_SEGMENT = re.compile(r"(?<=[.!])\s+|\s*\|\s*")
_MONEY = re.compile(r"(?:(?:USD|EUR|GBP|CAD|AUD)\s?)?(?:CA\$|A\$|[$€£])\s?\d[\d,]*(?:\.\d+)?(?:\s?[kK](?![a-z]))?"
                    r"|\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|AUD)\b")
# the words that can name a row: a word of three letters or more, or an account's or a
# check's number ("...0932", "CHECK 1043"), not a year
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}|(?<![\d,])(?<!\d\.)(?!(?:19|20)\d\d(?!\d))\d{4,}(?![\d,])")
# words of a bank line that name nothing in particular
_PLAIN = frozenset("""
the and for from with our out pmt payment payments ach debit credit online transfer card purchase pos
web ppd ccd des ind txn ref inc llc ltd co corp bank checking savings account acct fee chk transaction
zelle venmo paypal check wire
""".split())
# what each reading may retype: a row of money out (-1) or in (1) of these types, counted so today
_RETYPES = {
    ("owner_draw", -1): COST_TYPES | {"transfer"},  # (money moved to the owners' own account: their pay)
    ("refund", -1): COST_TYPES,
    ("deposit", -1): COST_TYPES,
    ("transfer", -1): COST_TYPES,
    ("transfer", 1): frozenset({"revenue"}),
    # (money in from the owners' own savings is theirs put in, whatever the bank calls the move;
    # "that's just our own money moving" between the businesses is no capital: _CAPITAL says so)
    ("capital_contribution", 1): frozenset({"revenue", "transfer"}),
}


class Remark(NamedTuple):
    """A note's line that says what sums of money are."""

    id: str  # its evidence id
    path: str
    line: int
    kinds: frozenset[str]  # what the rows it names are: owner_draw, capital_contribution, refund, deposit, transfer
    amounts: tuple[Decimal, ...]
    days: tuple[date, ...]
    words: frozenset[str]  # its words, lower-case, for a row's description to share

    @property
    def vague(self) -> bool:
        """Whether the rows it names must share its words: it states several sums or days (a
        table row's "$6,000 | $3,000 (10/15) refunded 11/10"), or a refund (to whom)."""
        return len(self.amounts) > 1 or len(self.days) > 1 or "refund" in self.kinds

    def retypes(self, was: str, sign: int) -> str | None:
        """What a row of type ``was``, money out (-1) or in (1), is by this remark, if it retypes it."""
        found = [k for k in sorted(self.kinds) if was in _RETYPES.get((k, sign), ())]
        return found[0] if len(found) == 1 else None

    def names_day(self, day: date) -> bool:
        """Whether the row of this day is one the remark's days name (posted within a few days)."""
        return any(_posted(d, day) for d in self.days)

    def shares_words(self, text: str) -> bool:
        """Whether a row's description has a word of the remark's in it (its plain words aside)."""
        return not self.words.isdisjoint(words(text))


def words(text: str) -> set[str]:
    """The words of a description that can name it, lower-case: ``CHECK 1043`` → check, 1043;
    ``IRS USATAXPYMT`` → irs, usataxpymt."""
    return {w for w in (m.lower() for m in _WORD.findall(text)) if w not in _PLAIN}


def verdict(text: str) -> frozenset[str]:
    """What a remark says its sums are (``_RETYPES``' kinds): each sentence or cell that says
    it plainly, not as a question or a guess; nothing where the line doubts which it was."""
    if _UNSURE.search(text):
        return frozenset()
    found = set()
    for segment in _SEGMENT.split(text):
        if not segment or _HEDGED.search(segment):
            continue
        if _PERSONAL.search(segment):
            found.add("owner_draw")
        if _CAPITAL.search(segment):
            found.add("capital_contribution")
        if _DEPOSIT_BACK.search(segment):
            found.add("deposit")
        elif _REFUND.search(segment):
            found.add("refund")
    if _BETWEEN.search(text) and _NOT_COST.search(text) and not _HEDGED.search(text):
        found.add("transfer")
    return frozenset(found)


def read(ev: Evidence) -> Remark | None:
    """The remark a ``ledger_remark`` item makes, or None where it makes none."""
    text = ev.text or ""
    kinds = verdict(text)
    if not kinds:
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
    return Remark(ev.id, ev.provenance.path, ev.provenance.line_start or 0, kinds, tuple(dict.fromkeys(amounts)),
                  tuple(days), frozenset(w.lower() for w in _WORD.findall(text)))


def remarks(evidence: Sequence[Evidence]) -> list[Remark]:
    """The remarks among the evidence that say what some sum is, in the evidence's order."""
    return [found for ev in evidence if ev.kind == "ledger_remark" and (found := read(ev)) is not None]


def pick(remark: Remark, rows: Sequence[tuple[date, str, T]]) -> list[T]:
    """Of the rows of a sum the remark states and a type it may change, as (day, description,
    row), those it names (see the module's docstring)."""
    if remark.vague:  # (which sum went with which day, or who was refunded: the row's own words say)
        rows = [r for r in rows if remark.shares_words(r[1])]
    if not remark.days:  # naming no day, every row it names by its words (a sum paid every month)
        return [row for _, text, row in rows if remark.shares_words(text)]
    picked: list[T] = []
    for day in remark.days:  # ("$1,200 to Ada on 10/30 … Same on 9/30 and 11/27": a row each day)
        near = [r for r in rows if _posted(day, r[0])]
        if len(near) > 1:  # of several, the one it names by its words, else by its very day
            near = [r for r in near if remark.shares_words(r[1])] or [r for r in near if r[0] == day]
        if len(near) == 1 and not any(near[0][2] is p for p in picked):
            picked.append(near[0][2])
    return picked


def _posted(said: date, day: date) -> bool:
    """Whether a row of ``day`` is the one of a day a remark says (posted within a few days)."""
    return 0 <= (day - said).days <= POSTING_DAYS or 0 <= (said - day).days <= 1
