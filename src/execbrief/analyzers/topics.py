"""Topic tags inferred from words, so lenses can select facts by what they are about."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

__all__ = ["infer_topics"]

# topic → words (lower-case, matched at word starts). Kept small and explicit: a lens
# selects by these names, so each is documented in the README's lens reference.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "security": (
        "security", "credential", "password", "secret", "api key", "stripe key", "live key",
        "waf", "vulnerab", "breach", "2fa", "mfa", "token", "exposed", "data leak", "leaked", "plaintext",
        "unauthenticated", "no auth", "phishing", "firewall", "encrypt",
    ),
    "tech": (
        "aws", "lambda", "server", "hosting", "deploy", "repo", "github", "api", "website",
        "app", "apps script", "database", "backup", "stack", "software", "domain", "dns",
        "function url", "cloud", "saas", "wordpress", "stripe", ".env",
    ),
    "marketing": (
        "marketing", "channel", "instagram", "facebook", "seo", "listing", "airbnb",
        "booking.com", "google business", "review", "campaign", "ads", "advertis",
        "audience", "referral", "linkedin", "newsletter", "brand", "local search", "tiktok",
    ),
    "channels": ("channel", "instagram", "linkedin", "facebook", "referral", "newsletter", "ads", "tiktok"),
    "audiences": ("audience", "segment", "untapped", "persona", "prospect"),
    "listings": ("listing", "airbnb", "booking.com", "google business", "local search", "seo", "review"),
    "finance": (
        "revenue", "cash", "invoice", "payment", "price", "pricing", "margin", "budget", "loan",
        "profit", "runway", "burn", "fee", "overdue", "paid",
    ),
    "accounting": (
        "bookkeep", "reconcil", "receipt", "uncategor", "tax", "audit", "accountant", "books",
        "ledger", "chart of accounts", "vat", "1099",
    ),
    "compliance": ("insurance", "license", "licence", "permit", "inspection", "regulat", "gdpr", "tax", "lease"),
    "maintenance": ("maintenance", "repair", "boiler", "hvac", "leak", "van", "mileage", "service", "plumb"),
    "people": ("hire", "hiring", "staff", "driver", "bookkeeper", "schedule", "contractor", "payroll"),
    "clients": ("client", "churn", "retainer", "contract", "customer", "account manager"),
    "risk": ("risk", "problem", "issue", "blocker", "concern"),
}

# One pass instead of one search per topic (a 20,000-note run asks ~a million times). The
# lookahead finds a keyword at every word start, overlapping ones too ("leak" inside "data
# leak"); where several keywords start at one place the longest is found, and every shorter
# keyword there is a prefix of it, so each keyword carries its prefixes' topics too.
_TOPICS_OF: dict[str, set[str]] = {}
for _topic, _words_of_topic in KEYWORDS.items():
    for _w in _words_of_topic:
        _TOPICS_OF.setdefault(_w, set()).add(_topic)
_WITH_PREFIXES = {w: frozenset().union(*(_TOPICS_OF[v] for v in _TOPICS_OF if w.startswith(v))) for w in _TOPICS_OF}


def _trie(words: Iterable[str]) -> str:
    """One alternation as a prefix tree: ``leak(?:ed)?`` instead of ``leaked|leak``.

    Python's ``re`` tries alternatives one by one; a tree tries one branch per character.
    Branches start with distinct characters and optional tails are greedy, so at each
    place it finds the same (longest) keyword the flat longest-first alternation finds.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


_KEYWORD = re.compile(r"(?=(?<![a-z0-9])(" + _trie(_TOPICS_OF) + "))")


DOMAINS = {"security", "tech", "marketing", "finance", "accounting", "compliance"}


@lru_cache(maxsize=65536)  # headings, table columns and many bullets repeat across notes
def _words(text: str) -> frozenset[str]:
    found: set[str] = set()
    for m in _KEYWORD.finditer(text.lower()):
        found |= _WITH_PREFIXES[m.group(1)]
    return frozenset(found)


@lru_cache(maxsize=1024)  # a note's tags are asked about for every item in it
def _tag_topics(tags: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t.strip().lower() for t in tags if t and t.strip())


def infer_topics(body: str | None, *, heading: str | None = None, tags: Iterable[str] = ()) -> tuple[str, ...]:
    """Topics for an item: its note's tags, its heading's words, and its own words.

    Tags and the heading say what an item is about; its own words add a domain only when
    they are silent ("our own website" in a Channels list is marketing, not tech), except
    security, which is always worth a CTO's look.
    """
    return _combine(_tag_topics(tuple(tags)) | _words(heading or ""), _words(body or ""))


@lru_cache(maxsize=4096)  # few distinct (context, own words) pairs: the sets are small
def _combine(context: frozenset[str], own: frozenset[str]) -> tuple[str, ...]:
    found = set(context)
    if found & DOMAINS:
        own = frozenset(t for t in own if t not in DOMAINS or t == "security")
    found |= own
    if "channels" in found or "audiences" in found or "listings" in found:
        found.add("marketing")
    if not found & DOMAINS:
        found.add("operations")
    return tuple(sorted(found))
