"""The kinds of business execbrief knows: what each is, the KPIs it is expected to track, the
words of its revenue and the words that say a note's line is about one (``kinds.toml``).

Data that every stage reads: the notes source (a line that mentions "the tenant in unit B"
belongs to the one rental) and the analyzers (which rules apply to which business). It lives
here, beside the vocabulary, so no stage reaches into another for it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Kind", "customers", "kinds"]


@dataclass(frozen=True)
class Kind:
    """One kind of business (see ``kinds.toml``)."""

    name: str
    description: str
    kpis: tuple[str, ...]
    revenue: re.Pattern[str] | None
    revenue_drop: str
    mentions: tuple[str, ...] = ()  # what says a note's line is about a business of this kind
    customers: str | None = None  # who pays it: "tenants", "guests", "clients"


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    """The known kinds, by name, in the order the file lists them."""
    text = (resources.files("execbrief") / "kinds.toml").read_text(encoding="utf-8")
    out = {}
    for name, entry in tomllib.loads(text)["kinds"].items():
        words = entry.get("revenue") or []
        out[name] = Kind(name, entry["description"], tuple(entry.get("kpis", ())),
                         re.compile("|".join(words)) if words else None, entry["revenue_drop"],
                         tuple(entry.get("mentions", ())), entry.get("customers"))
    return out


def customers(kind: str | None, otherwise: str) -> str:
    """Who pays a business of this kind ("tenants" of a long-let, "guests" of a holiday let),
    or ``otherwise`` for a kind that does not say (or none: the group)."""
    known = kinds().get(kind or "")
    return known.customers if known is not None and known.customers else otherwise
