"""Figures said in words, as a transcribed voice memo or a chatty note has them.

"That's twelve hundred a month gone", "listed at twelve ninety-five a month", "the quote for
the roof is eighty-four hundred", "up fifteen percent", "the business checking is at about
eleven grand": ``spoken_figures`` writes such figures as digits ("$1,200 a month", "$1,295 a
month", "$8,400", "15%", "$11,000"), so the rules that read figures in notes (an item's
amount, a KPI stated in prose) read these too. The note's own words are what a briefing
quotes; this text is only read.

A figure is money when money words follow it ("bucks", "dollars", "grand", "a month",
"total") or come shortly before it ("the quote … is", "rent", "pays", "tax"); a percentage
when "percent" follows. Said the way prices are ("twelve ninety-five": 1,295), a figure
under ten hundred is read so only beside money words: "five twenty-five" is as likely a
latte at $5.25 as $525. Small plain numbers ("two showings", "three weeks") stay words.
"""

from __future__ import annotations

import re

__all__ = ["spoken_figures"]

_UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
_WORD = "|".join(sorted((*_UNITS, *_TENS, "hundred", "thousand"), key=len, reverse=True))
# a run of number words ("a hundred and ten", "eighty-four hundred", "eleven thousand two hundred")
_RUN = re.compile(rf"(?<![\w$])(?:an?[ -](?=hundred|thousand))?(?:{_WORD})(?:(?:[ -]|[ -]and[ -])(?:{_WORD}))*(?![\w-])", re.I)
# what a text that says a figure in words holds (a figure under ten is read only beside money or
# percent words): plain substring tests, ~20x cheaper than a regex over every item of a note
_HINTS = ("hundred", "thousand", "grand", "percent", "per cent", "bucks", "dollar", "teen", "twenty", "thirty",
          "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "eleven", "twelve", "ten ")
_AFTER_MONEY = re.compile(
    r"\W{0,2}(?P<word>bucks|dollars|grand|k\b|(?:a|per|each|every)\W+(?:month|year|week|night|head|day|visit|hour)"
    r"|/(?:mo|month|yr|year|wk|week|night)\b|monthly\b|total\b)", re.I)
_PERCENT = re.compile(r"[ -]?(?:percent|per cent)\b", re.I)
_BEFORE_MONEY = re.compile(
    r"\b(?:quoted?|quotes|invoice[sd]?|fees?|rent|price[sd]?|costs?|costing|charged?|charges|pays?|paid|paying|"
    r"owed?|owes|tax|taxes|insurance|deposit|retainer|checking|balance|budget|worth|salary|wages?|bill|"
    r"spent|spend|refund|earned|made|revenue|income|profit|loss|lost)\b[^.;!?]{0,40}$", re.I)


def _value(tokens: list[str]) -> tuple[int, bool] | None:
    """The number a run of number words says, and whether it was said as a price is
    ("twelve ninety-five": two groups, no hundred); None when the words make no number."""
    groups: list[object] = []  # ints below 100, "h" (hundred), "k" (thousand)
    for token in tokens:
        if token in ("hundred", "thousand"):
            groups.append("h" if token == "hundred" else "k")
        elif token in _TENS:
            groups.append(_TENS[token])
        else:
            n = 1 if token in ("a", "an") else _UNITS[token]
            if groups and isinstance(groups[-1], int) and groups[-1] % 10 == 0 and 20 <= groups[-1] <= 90 and n < 10:
                groups[-1] += n  # "ninety five"
            else:
                groups.append(n)
    if "h" not in groups and "k" not in groups:
        if len(groups) == 1:
            return int(groups[0]), False  # type: ignore[call-overload]
        if len(groups) == 2 and 1 <= groups[0] <= 99 and 10 <= groups[1] <= 99:  # type: ignore[operator]
            return int(groups[0]) * 100 + int(groups[1]), True  # type: ignore[call-overload]
        return None
    total = current = 0
    last: object = None
    for group in groups:
        if group == "h":
            if last in ("h", "k"):
                return None
            current = (current or 1) * 100
        elif group == "k":
            if last == "k":
                return None
            total += (current or 1) * 1000
            current = 0
        else:
            if isinstance(last, int):
                return None  # "two three hundred"
            current += int(group)  # type: ignore[call-overload]
        last = group
    return total + current, False


def spoken_figures(text: str) -> str:
    """``text`` with the figures it says in words written as digits (see the module's doc);
    the same text when it says none."""
    low = text.lower()
    if not any(hint in low for hint in _HINTS):
        return text
    out, at = [], 0
    for m in _RUN.finditer(text):
        tokens = [t for t in re.split(r"[ -]+", m.group(0).lower()) if t != "and"]
        found = _value(tokens)
        if found is None:
            continue
        value, priced = found
        rest = text[m.end():]
        after = _AFTER_MONEY.match(rest)
        if (said := _PERCENT.match(rest)):
            out.append(text[at:m.start()] + f"{value}%")
            at = m.end() + said.end()
            continue
        if after or (value >= 10 and _BEFORE_MONEY.search(text[max(0, m.start() - 60):m.start()])):
            word = after.group("word").lower() if after else ""
            if word in ("grand", "k"):
                value *= 1000
            elif priced and value < 1000 and not after:
                continue  # "patch it for six fifty": $650 or $6.50, said this way either can be
            figure = f"${value:,}"
            if word in ("bucks", "dollars", "grand", "k"):
                out.append(text[at:m.start()] + figure)
                at = m.end() + after.end()  # type: ignore[union-attr]
                continue
        elif value >= 10 and (not priced or value >= 1000):
            figure = f"{value:,}"
        else:
            continue
        out.append(text[at:m.start()] + figure)
        at = m.end()
    if not out:
        return text
    return "".join(out) + text[at:]
