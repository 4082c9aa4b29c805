"""Typed values in free text: money amounts, dates and plain numbers.

Shared by the notes source (table cells, dated lines, dates in bullets) and the ledger
source (amount columns). Every parser returns ``None`` for text it does not recognise;
deciding whether that deserves a warning is the caller's business. ``parse_money`` and
``parse_number`` do not recognise a number ``implausible`` refuses (NaN, infinite, more
than ``MAX_DIGITS`` digits); the ledger asks ``implausible`` of its amounts, to say why.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "MAX_DIGITS",
    "implausible",
    "parse_amount",
    "parse_money",
    "parse_number",
    "parse_day",
    "find_dates",
    "leading_date",
    "heading_days",
    "month_heading",
    "months_named",
    "resolve_day",
    "typed_cells",
]

_AMOUNT = re.compile(r"^([+-])?\$?[ \t]*([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$")

_MONTHS = {
    m: n for n, names in enumerate((
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
    ), 1) for m in names
}
_MONTH = r"(?P<{}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# Every date form: ISO (2026-11-03, 2026/11/03), day-month (3 Nov 2026, 3 November) and
# month-day (Nov 3, 2026; November 3), for a date at a known position (leading_date). A
# missing year is resolved later, against a reference date the caller knows (a note's own date).
_DATES = re.compile(
    r"(?<![^\W_])(?<![/-])(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![^\W_])(?![/-])"
    r"|(?<![^\W_])(?<![:.-])(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("m2")
    + r"(?:,?\s+(?P<y2>\d{4}))?(?![^\W_])(?!-)"
    r"|(?<![^\W_])(?<!-)" + _MONTH.format("m3") + r"\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y3>\d{4}))?"
    r"(?![^\W_])(?![:-])",
    re.IGNORECASE,
)
# the pieces find_dates tries where a run of digits starts
# (an underscore around a date is markdown emphasis, so it does not count as a word character)
_RUN = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
_ISO_AT = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![^\W_])(?![/-])")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?(?![^\W_])(?!-)")
# ("Nov 23-25, 2026": a range is read as the day it starts)
_DAY_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?(?:[-–]\d{1,2}(?:st|nd|rd|th)?(?!\d))?(?:,?\s+(\d{4}))?(?![^\W_])(?![:-])")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
_NUMERIC_ANY = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
# a day and month with a dash or dot and a whole year: "Ma 2-11-2026" (a Dutch heading), "30.09.2026"
# (without the year, "9-11" is as often a range of hours or days)
_DASHED = re.compile(r"(\d{1,2})([.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/-]|\.\d)")
_MONTH_BEFORE = re.compile(r"([A-Za-z]{3,9})\.?\s+$")
_MONEY = re.compile(
    r"^(?P<neg>-)?\s*(?:(?P<code>USD|EUR|GBP|CAD|AUD)\s?)?(?P<sym>CA\$|A\$|[$€£¥])?\s?(?P<neg2>-)?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<k>\s?[kK](?![a-z]))?"
    r"(?:\s?(?P<code2>USD|EUR|GBP|CAD|AUD))?"
    r"(?:\s*(?:/|\bper\s|\ban?\s)\s*(?P<per>month|mo|night|week|wk|year|yr|hour|hr|day|visit|job|delivery|unit))?\b",
    re.IGNORECASE,
)
_PER = {"mo": "month", "wk": "week", "yr": "year", "hr": "hour"}

# Digits an amount or a number may have before its point: up to 999 trillion. More is a
# typo or hostile input, and past 28 digits Decimal arithmetic (and quantize) fails.
MAX_DIGITS = 15


def implausible(value: Decimal) -> str | None:
    """Why a number cannot be a figure in a briefing (NaN, infinite, absurdly large), or None."""
    if not value.is_finite():
        return "is not a finite number"
    if not value.is_zero() and value.adjusted() >= MAX_DIGITS:
        return f"has {value.adjusted() + 1} digits before the point (at most {MAX_DIGITS}: a typo?)"
    return None
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_amount(raw: str) -> Decimal | None:
    """``1450``, ``-250.5``, ``$1,450.00``, ``-$1,450.00``, ``(250.00)`` → Decimal; else None."""
    text, negative = raw.strip(), False
    if text.startswith("(") and text.endswith(")"):  # accounting notation for a negative
        text, negative = text[1:-1].strip(), True
    match = _AMOUNT.match(text)
    if not match:
        return None
    sign_before, sign_after, whole, fraction = match.groups()
    if (sign_before and sign_after) or (negative and (sign_before or sign_after)):
        return None
    if not whole and not fraction:
        return None
    amount = Decimal((whole or "0").replace(",", "") + (fraction or ""))
    if negative or "-" in (sign_before, sign_after):
        amount = -amount
    return amount.copy_abs() if amount.is_zero() else amount


def parse_money(text: str) -> tuple[Decimal, str | None] | None:
    """A money amount at the start of ``text`` and the period it is per, if any.

    ``$2,400`` → (2400, None); ``$1,250/month`` → (1250, "month"); ``$138/night (Oct
    average)`` → (138, "night"); ``1.2k EUR a month`` → (1200, "month"). A bare number is
    not money: the amount needs a currency symbol or code.
    """
    m = _MONEY.match(text.strip())
    if not m or not (m.group("sym") or m.group("code") or m.group("code2")):
        return None
    value = Decimal(m.group("int").replace(",", "") + (m.group("frac") or ""))
    if implausible(value * 1000):  # (before any arithmetic: 30 digits would not quantize)
        return None
    if m.group("k"):
        value = (value * 1000).quantize(Decimal(1)) if (value * 1000) % 1 == 0 else value * 1000
    if m.group("neg") or m.group("neg2"):
        value = -value
    per = (m.group("per") or "").lower() or None
    return value, _PER.get(per, per) if per else None


def parse_number(text: str) -> Decimal | None:
    """A cell that is a plain number (``48,210``, ``3``, ``-2.5``) → Decimal; else None."""
    text = text.strip()
    if not text or not _NUMBER.match(text):
        return None
    value = Decimal(text.replace(",", ""))
    return None if implausible(value) else value


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 2026-02-30 has the shape of a date but is none
        return None


def find_dates(text: str, numeric: str | None = None, *,
               yearless: bool = False) -> list[tuple[int | None, int, int]]:
    """Every date written in ``text`` as (year or None, month, day), in order.

    A year-less date ("by 15 December") keeps ``None`` for its year: resolve it with
    ``resolve_day`` against a date the caller trusts. Impossible dates are left out.
    ``numeric`` ("mdy" or "dmy", as the organisation writes them) also reads all-figure
    dates with a year, ``10/25/2026``, ``9/27/26``, ``2-11-2026``, ``30.09.2026``, and with ``yearless`` those without
    one, ``10/25`` (a caller that knows the text speaks of days: "2/3 of the flats" is a
    fraction elsewhere); a caller that does not know the order leaves them out.
    The scan is driven by runs of digits (every date form has one), which is ~10x faster
    than one regex of every form tried at every position.
    """
    out: list[tuple[int | None, int, int]] = []
    pos = 0
    for run in _RUN.finditer(text):
        i = run.start()
        if i < pos:
            continue  # inside the date just read
        before = text[i - 1] if i else " "
        if run.end() - i == 4:
            iso = None if before.isalnum() or before in "/-" else _ISO_AT.match(text, i)
            if iso:
                pos = iso.end()
                found: tuple[int | None, int, int] = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
                if _day(*found) is not None:  # type: ignore[arg-type]
                    out.append(found)
            continue
        if run.end() - i > 2 or before.isalnum() or before in ":.-":
            continue
        if numeric and before != "/" and (nm := (_NUMERIC_ANY if yearless else _NUMERIC).match(text, i)):
            pos = nm.end()
            first, second = int(nm.group(1)), int(nm.group(2))
            year = int(nm.group(3)) + (2000 if len(nm.group(3)) == 2 else 0) if nm.group(3) else None
            month, day = (second, first) if numeric == "dmy" else (first, second)
            if _day(year or 2000, month, day) is not None:
                out.append((year, month, day))
            continue
        if numeric and before != "/" and (nd := _DASHED.match(text, i)):
            pos = nd.end()
            first, second, year = int(nd.group(1)), int(nd.group(3)), int(nd.group(4))
            month, day = (second, first) if numeric == "dmy" else (first, second)
            if _day(year, month, day) is not None:
                out.append((year, month, day))
            continue
        dm = _DAY_MONTH.match(text, i)
        if dm and dm.group(2).lower() in _MONTHS:
            pos = dm.end()
            found = (int(dm.group(3)) if dm.group(3) else None, _MONTHS[dm.group(2).lower()], int(dm.group(1)))
        elif before.isspace() and (word := _MONTH_BEFORE.search(text, max(0, i - 12), i)) \
                and word.group(1).lower() in _MONTHS \
                and (word.start() == 0 or not text[word.start() - 1].isalnum()) \
                and (md := _DAY_YEAR.match(text, i)):
            pos = md.end()
            found = (int(md.group(2)) if md.group(2) else None, _MONTHS[word.group(1).lower()], int(md.group(1)))
        else:
            continue
        if _day(found[0] or 2000, found[1], found[2]) is not None:  # 2000 is a leap year: 29 Feb passes
            out.append(found)
    return out


_MONTH_ONLY = re.compile(r"\W*([A-Za-z]{3,9})\.?(?:\s+(\d{4}))?\W*$")
_MONTH_WORD = re.compile(r"(?i)\b" + _MONTH.format("m") + r"(?!\w)")


def months_named(text: str) -> list[int]:
    """The months a text names, in order, as numbers: "shut from 2 Nov to 15 Dec" → [11, 12]
    ("may" in lower case is the verb: "we may close")."""
    return [_MONTHS[m.group("m").lower().rstrip(".")] for m in _MONTH_WORD.finditer(text) if m.group("m") != "may"]


_MONTHS_BACK = 9  # a month heading without a year further back than this is the one ahead


def month_heading(text: str, reference: date) -> date | None:
    """The day a heading that is a month alone ("October", "November 2026", "Oct") stands
    for: the month's last day, or ``reference`` in its own month; a month without a year is
    the latest one not after ``reference``, unless that is most of a year back: "## December"
    in a checklist of late November is the month ahead, whose items are plans, not a log of
    last December (None)."""
    m = _MONTH_ONLY.match(text)
    month = _MONTHS.get(m.group(1).lower()) if m else None
    if month is None:
        return None
    year = int(m.group(2)) if m.group(2) else reference.year - (month > reference.month)  # type: ignore[union-attr]
    if not m.group(2) and (reference.year - year) * 12 + reference.month - month > _MONTHS_BACK:  # type: ignore[union-attr]
        return None
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(following - timedelta(days=1), reference)


def leading_date(text: str, *, yearless: bool = False) -> tuple[int | None, int, int] | None:
    """The date ``text`` starts with, if any; one without a year only when ``yearless``."""
    m = _DATES.match(text)
    if not m:
        return None
    if m.group("y"):
        found: tuple[int | None, int, int] = (int(m.group("y")), int(m.group("m")), int(m.group("d")))
    elif m.group("m2"):
        found = (int(m.group("y2")) if m.group("y2") else None, _MONTHS[m.group("m2").lower().rstrip(".")],
                 int(m.group("d2")))
    else:
        found = (int(m.group("y3")) if m.group("y3") else None, _MONTHS[m.group("m3").lower().rstrip(".")],
                 int(m.group("d3")))
    if _day(found[0] or 2000, found[1], found[2]) is None or (found[0] is None and not yearless):
        return None
    return found


def resolve_day(found: tuple[int | None, int, int], reference: date | None) -> date | None:
    """A found date as a ``date``; a year-less one takes the year that puts it nearest ``reference``."""
    year, month, day = found
    if year is not None:
        return _day(year, month, day)
    if reference is None:
        return None
    options = [d for y in (reference.year - 1, reference.year, reference.year + 1)
               if (d := _day(y, month, day)) is not None]
    return min(options, key=lambda d: (abs((d - reference).days), d)) if options else None


def parse_day(text: str) -> date | None:
    """The one full date a short text holds (``2026-11-03``, ``3 Nov 2026``); else None."""
    if len(text) == 10 and text[4] == "-" and _ISO_DAY.match(text):  # the common case, checked in C
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    found = [f for f in find_dates(text) if f[0] is not None]
    if len(found) != 1:
        return None
    return resolve_day(found[0], None)


def typed_cells(cells: dict[str, str]) -> dict[str, dict[str, str]]:
    """Money, per-period, date and number readings of table cells, as JSON-safe strings.

    Returns only the non-empty groups among ``amounts`` (``{"rent": "1250"}``), ``per``
    (``{"rent": "month"}``), ``dates`` (``{"lease_end": "2027-05-31"}``) and ``numbers``
    (``{"mileage": "48210"}``). The raw cells stay as they were.
    """
    amounts: dict[str, str] = {}
    per: dict[str, str] = {}
    dates: dict[str, str] = {}
    numbers: dict[str, str] = {}
    for key, cell in cells.items():
        if not cell or not _DIGIT.search(cell):
            continue  # most cells are words: skip the regexes
        if len(cell) == 10 and cell[4] == "-":  # most date cells are ISO: try that first
            day = parse_day(cell)
            if day is not None:
                dates[key] = day.isoformat()
                continue
        number = parse_number(cell)
        if number is not None:
            numbers[key] = str(number)
            continue
        money = parse_money(cell)
        if money is not None:
            amounts[key] = str(money[0])
            if money[1]:
                per[key] = money[1]
            continue
        day = parse_day(cell)
        if day is not None:
            dates[key] = day.isoformat()
    out = {}
    for name, group in (("amounts", amounts), ("per", per), ("dates", dates), ("numbers", numbers)):
        if group:
            out[name] = group
    return out


@lru_cache(maxsize=4096)  # a section's items share their heading
def heading_days(heading: str, dmy: bool = False, reference: date | None = None) -> tuple[date, ...]:
    """The days a heading gives ("Week of 2 November 2026", "Sunday 10/25/2026 — Zoom"); with a
    ``reference`` (the note's day), a heading that opens with a day and no year too ("Mon 11/16",
    "16 nov", "Nov 16 — call"), in the year that puts it nearest."""
    if not any(c.isdigit() for c in heading):
        return ()
    order = "dmy" if dmy else "mdy"
    found = tuple(d for f in find_dates(heading, order) if (d := resolve_day(tuple(f), None)))
    if found or reference is None:
        return found
    opening = _OPENING_DAY.match(heading)
    if opening is None:
        return ()
    return tuple(d for f in find_dates(opening.group(1), order, yearless=True) if (d := resolve_day(tuple(f), reference)))


# a heading that opens with a day, a weekday before it or not: "Mon 11/16", "16 nov", "Nov 16 — call"
_OPENING_DAY = re.compile(r"(?i)\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
                          r"(\d{1,2}/\d{1,2}(?![/\d])|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?|[a-z]{3,9}\.?\s+\d{1,2}(?!\d))"
                          r"(?=\W|$)")
