"""How numbers, money and periods are written in statements and reports.

Analyzers and writers share these so a figure reads the same everywhere, and the verifier
can trace it back to the fact it came from.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["money", "percent", "number", "month_label", "month_range_label", "humanize", "long_date", "SYMBOLS"]

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def _grouped(value: Decimal, places: int) -> str:
    quant = Decimal(1).scaleb(-places)
    rounded = value.quantize(quant, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{places}f}"


def money(value: Decimal, currency: str = "USD") -> str:
    """``$12,346`` (whole units from 100 up, cents below); negatives as ``-$250.50``."""
    places = 0 if abs(value) >= 100 else 2
    symbol = SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{_grouped(abs(value), places)}"


def percent(value: Decimal, places: int = 1) -> str:
    """``12.5%``; the value is already in percent."""
    return f"{_grouped(value, places)}%"


def number(value: Decimal) -> str:
    """A plain number with thousands separators and no needless decimals."""
    if value == value.to_integral_value():
        return _grouped(value, 0)
    return _grouped(value, 2).rstrip("0").rstrip(".")


def month_label(period: str) -> str:
    """``2026-10`` → ``October 2026``."""
    year, month = period.split("-")
    return f"{_MONTHS[int(month) - 1]} {year}"


def month_range_label(first: str, last: str) -> str:
    """``2026-05``, ``2026-10`` → ``May–October 2026`` (or with both years)."""
    if first == last:
        return month_label(first)
    (y1, m1), (y2, m2) = first.split("-"), last.split("-")
    if y1 == y2:
        return f"{_MONTHS[int(m1) - 1]}–{_MONTHS[int(m2) - 1]} {y2}"
    return f"{month_label(first)}–{month_label(last)}"


ACRONYMS = {"mrr", "arr", "nps", "kpi", "cac", "ltv", "sla", "aws", "api", "seo", "waf", "roi"}


def humanize(name: str) -> str:
    """``booking_conversion_rate`` → ``booking conversion rate``; ``mrr`` → ``MRR``."""
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(w.upper() if w.lower() in ACRONYMS else w for w in words)


def day(value: date) -> str:
    """An ISO date, the one form every reader and the verifier agree on."""
    return value.isoformat()


def long_date(value: date) -> str:
    """``30 June 2024``: unambiguous everywhere and independent of the process locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
