"""The distinctive words of a line of notes: what two items must share to be about the same
thing ("water heater", "Coastal RV"), without the words every line uses, numbers, days,
months, a business's own name, or a plural or past-tense ending; an amount of a hundred or
more is a word ("$1,100", or "eleven hundred" said), and so is a unit with its number or
letter ("unit B", "bike 3"). Used to match a problem
with the later line that ends it (``analyzers/resolution.py``) and to tell near-duplicate
lines of a briefing apart (``lenses/distinct.py``)."""

from __future__ import annotations

import re

from .sources.spoken import spoken_figures

__all__ = ["TOKEN", "has_amount", "phrases", "words"]

TOKEN = re.compile(r"[a-z0-9][a-z0-9&]*(?:[.'][a-z0-9&]+)*")
# a run of figures (the regex starts at a digit, so the engine jumps from one to the next);
# ``_amounts`` keeps those that are amounts: "$1,100", "1,100.00", "640", not "12/8" or "3.5"
_RUN = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ANY_DIGIT = re.compile(r"\d")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_UNIT_KINDS = ("unit", "flat", "apt", "apartment", "suite", "room", "van", "bike", "truck", "lot", "plot", "bay",
               "stall", "slip", "berth")
_UNIT = re.compile(rf"\b({'|'.join(_UNIT_KINDS)})\s*#?\s*([a-z]|\d{{1,4}})\b(?![.,:/]\d)")  # (lower-case text)
_NUMBER_WORD = re.compile(r"(?i)\b(?:hundred|thousand|grand)\b")
_CONTRACTION = re.compile(r"(?:n't|'d|'ll|'re|'ve|'m)$|^(?:it|that|there|here|what|who|he|she|let)'s$")
# words that say nothing about *what* an item is about
_COMMON = frozenset("""
a about after again all also am an and any are as at back be been before being both but by can
could did do does done due each even for from get got had has have he her here him his how i if in
into is it its just last let me more most my need needs new next no not now of off on once one only
or our out over per pm put really same she should so some still than that the their them then there
these they this those to today too up us very via was we week were what when where which while who
will with would yet you your
mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
september october november december
done fixed resolved sorted replaced repaired renewed renew sent send submitted filed finally
working turned switched enabled installed completed closed signed ordered order cleared caught paid pay
call called ask asked chase chased check checked email emailed follow make made look looked take took
owner assigned friday eow eom tomorrow asap soon open opened
start starts starting started begin begins beginning until
month months monthly year years yearly day days week weeks
business businesses status statu notes note tags tag
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
""".split())


def _amounts(text: str) -> list[str]:
    """The amounts of a hundred or more a text gives, as digits ("1100" for "$1,100.00"); a
    year-shaped figure only with "$" or a comma; no date, time, ratio or decimal."""
    out = []
    for m in _RUN.finditer(text):
        run, start, end = m.group(0), m.start(), m.end()
        if start and text[start - 1] in ".,/:-" or end < len(text) and text[end] in "/:-":
            continue
        run = run.rstrip(",")
        whole, _, cents = run.partition(".")
        if cents and cents != "00":
            continue
        if "," in whole and not _GROUPED.fullmatch(whole):
            continue
        digits = whole.replace(",", "")
        if len(digits) < 3 or int(digits) < 100:
            continue
        dollar = text[max(0, start - 2):start].rstrip().endswith("$")
        if 1900 <= int(digits) <= 2099 and not dollar and "," not in whole:
            continue
        out.append(digits)
    return out


def has_amount(text: str) -> bool:
    """Whether a text may state an amount ``words`` counts as a word."""
    if _ANY_DIGIT.search(text):
        return bool(_amounts(text)) or _NUMBER_WORD.search(text) is not None
    low = text.lower()
    return ("hundred" in low or "thousand" in low or "grand" in low) and _NUMBER_WORD.search(text) is not None


def words(text: str, names: frozenset[str] = frozenset()) -> frozenset[str]:
    """The distinctive words of an item: lower-case, without common words, numbers, days,
    its business's own name, and a plural or past-tense ending."""
    out = set()
    low = text.lower()
    kinds: set[str] = set()
    for m in _UNIT.finditer(low):  # "unit B", "flat 3", "bike 2": one word
        out.add(f"{m.group(1)}#{m.group(2)}")
        kinds.add(m.group(1))
    if _ANY_DIGIT.search(text) or "hundred" in low or "thousand" in low or "grand" in low:
        # an amount is as good a word as any: "$1,100 deposit" is the "eleven hundred" sent back
        out.update("#" + digits for digits in _amounts(spoken_figures(text)))
    known = _KNOWN
    for token in TOKEN.findall(low):
        if token[0].isdigit():
            continue  # a number, a date, "1st"
        said = known.get(token, _UNSEEN)
        if said is _UNSEEN:
            said = _word(token)
        if said is not None and said[0] not in names:
            out.add(said[1])
    # "van 1" is one word, not "van" and "van 1": two items about van 1 share one thing
    return frozenset(out - _COMMON - kinds)


def phrases(text: str, names: frozenset[str] = frozenset()) -> frozenset[tuple[str, str]]:
    """Each two distinctive words (stems, as ``words`` gives them) an item says one right after
    the other, with only spaces or a hyphen between: "hot tub", "plow driver", "check-engine"."""
    out = set()
    before: tuple[int, str] | None = None  # (where the last word ended, its stem)
    low = text.lower()
    for m in TOKEN.finditer(low):
        token = m.group()
        said = None if token[0].isdigit() else _KNOWN.get(token, _UNSEEN)
        if said is _UNSEEN:
            said = _word(token)
        stem = said[1] if said is not None and said[0] not in names and said[1] not in _COMMON else None
        if stem is not None and before is not None and not low[before[0]:m.start()].strip(" -"):
            out.add((before[1], stem))
        before = (m.end(), stem) if stem is not None else None
    return frozenset(out)


_UNSEEN = object()
_KNOWN: dict[str, tuple[str, str] | None] = {}  # a token → (the word, its stem), None if it says nothing


def _word(token: str) -> tuple[str, str] | None:
    """A token as a word (a possessive's owner: "kenji's" is "kenji") and its stem; None for a
    contraction ("haven't", "they're") or a common or one-letter word. Kept: a workspace's
    words are a few tens of thousands, and each costs a few steps once, not at every item."""
    if len(_KNOWN) > 200_000:
        _KNOWN.clear()
    said: tuple[str, str] | None
    word = token
    if "'" in token and _CONTRACTION.search(token):
        said = None  # words of grammar, not of subject
    else:
        word = token.removesuffix("'s") if "'" in token else token
        said = None if word in _COMMON or len(word) < 2 else (word, _stem(word))  # (no digit first: see words)
    _KNOWN[token] = said
    return said


def _stem(token: str) -> str:  # (its only caller, _word, keeps what it gives)
    for ending in ("ing", "ed", "es", "s"):
        if len(token) > len(ending) + 3 and token.endswith(ending) and not token.endswith("ss"):
            return token[: -len(ending)]
    return token
