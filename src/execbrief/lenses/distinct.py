"""One item per thing said: near-duplicates left out of a section.

The same problem often reaches the fact base more than once: written in two notes (a weekly
update and the accountant's list), or written once and found again by a rule ("Pinewood
Brewing has not paid … $2,800 outstanding" in a note; "Pinewood Brewing Co. last paid on
2026-09-08 … about $2,800 is unpaid" from the client roster). A briefing that lists both
spends two of its few lines on one thing. Two facts are the same thing when they are about
the same business, state the same amount of money, name no different numbered thing ("unit
3" and "unit 4" are two vacancies, whatever else they share), and share distinctive words
besides the businesses' names: three, or two that are 40% of the shorter fact's. Facts
without an amount of money are merged only where both are problems the notes tell that name
one day in full and three distinctive words besides ("Declan's food hygiene certificate
expires January 15, 2027" in the kitchen note and in the board pack's risks): two lines that
agree only in words, or in a count, are not taken to be one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..wording import words
from ..model import Fact

__all__ = ["distinct"]

# a number naming a thing ("unit 3", "u3", "Van 2", "flat 4B", "inv SW-1042", "#1142")
_LABEL_NUMBER = re.compile(r"(?:\b(?:unit|u|van|v|flat|apt|apartment|room|suite|lot|bay|truck|site|invoice|inv|"
                           r"no\.?|number)\s?[#-]?\s?|#|\b[a-z]{2,4}-)(\d[0-9a-z]{0,5})\b", re.I)


_NOTES_FINDING = "risk"  # the name of a finding read from the notes (analyzers/operations.py)
_ENDED = frozenset({"resolved", "resolved_later"})  # a problem that ended, and what ended it


# a day written in full, with its year ("January 15, 2027", "15 January 2027", "2027-01-15",
# "1/15/2027"): two lines about one deadline say it alike
_FULL_DAY = re.compile(r"\b(?:[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]{2,8}\.?,? \d{4}"
                       r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})\b")


@dataclass(frozen=True)
class _Said:
    words: frozenset[str]
    numbers: frozenset[str]
    days: frozenset[str]


@lru_cache(maxsize=65536)
def _said(statement: str, names: frozenset[str]) -> _Said:
    text = statement.partition(". Fix:")[0]
    days = frozenset(d.lower().replace(",", "").replace(".", "") for d in _FULL_DAY.findall(text)) if _YEAR.search(text) else frozenset()
    return _Said(words(text, names), frozenset(n.lower() for n in _LABEL_NUMBER.findall(text)), days)


_YEAR = re.compile(r"\d{4}")


def _ended(fact: Fact) -> bool:
    """Whether a fact tells of a problem that has ended (analyzers/resolution.py)."""
    return fact.name in _ENDED


def _money(fact: Fact) -> bool:
    unit = fact.unit or ""
    return fact.value is not None and len(unit) == 3 and unit.isupper()


def same_thing(a: Fact, b: Fact, names: frozenset[str] = frozenset()) -> bool:
    """Whether two facts state one thing (see the module docstring); ``names`` are the words
    of the businesses' names, which say nothing about what a fact is about."""
    if a.entity != b.entity:
        return False
    if not _money(a) or not a.value or a.value != b.value or a.unit != b.unit:
        # (nothing, $0, is no amount two facts can be told alike by); two of the notes' problems
        # may still be told alike by the deadline both name in full ("Declan's food hygiene
        # certificate expires January 15, 2027" in the kitchen note and in the board pack's risks)
        return _one_deadline(a, b, names)
    if _ended(a) != _ended(b):
        return False  # what has ended is not what is still open, whatever they share
    if a.kind == "finding" and b.kind == "metric":
        return False  # a table's figure says what; a finding says it is a problem and what to do
    if a.kind == b.kind == "metric" and a.period and b.period and a.period != b.period:
        return False  # two periods' figures: November's MRR is not September's revenue, however alike
    if a.name == b.name and a.id != b.id and a.kind != "note" and a.name != _NOTES_FINDING:
        return False  # (a rule states each thing once: two clients leaving at $600 share its wording)
    x, y = _said(a.statement, names), _said(b.statement, names)
    if x.numbers and y.numbers and not x.numbers & y.numbers:
        return False
    shared = len(x.words & y.words)
    # three words, or two and 40% of the shorter ("Copper Kettle Café gave notice … $600/month gone"
    # and the roster's "Copper Kettle Café ($600 a month) may leave": a long item shares a small part)
    return shared >= 3 or shared >= 2 and 5 * shared >= 2 * min(len(x.words), len(y.words))


def _one_deadline(a: Fact, b: Fact, names: frozenset[str]) -> bool:
    """Whether two of the notes' open problems name one day in full and three distinctive words
    besides: one deadline written twice."""
    if not (a.name == b.name == _NOTES_FINDING and a.kind == b.kind == "finding" and a.id != b.id):
        return False
    x, y = _said(a.statement, names), _said(b.statement, names)
    if not (x.days & y.days) or x.numbers and y.numbers and not x.numbers & y.numbers:
        return False
    return len(x.words & y.words) >= 3


def _anchored(fact: Fact) -> bool:
    """Whether a fact can be told alike with another: by its amount of money, or, one of the
    notes' problems, by a day it names in full."""
    return _money(fact) or fact.name == _NOTES_FINDING and fact.kind == "finding" and bool(_FULL_DAY.search(fact.statement))


def distinct(ranked: Iterable[Fact], shown: Iterable[Fact] = (),
             names: Iterable[str] = ()) -> tuple[list[Fact], int]:
    """``ranked`` without the facts that state what an earlier one (or one of ``shown``, the
    report's other sections) already does; and how many were left out. ``names``: the
    businesses' names."""
    said_names = frozenset(w for name in names for w in re.findall(r"[a-z0-9]+", name.lower()))
    kept: list[Fact] = []
    earlier = [f for f in shown if _anchored(f)]
    dropped = 0
    for fact in ranked:
        if _anchored(fact) and any(same_thing(fact, other, said_names) for other in earlier):
            dropped += 1
            continue
        kept.append(fact)
        if _anchored(fact):
            earlier.append(fact)
    return kept, dropped
