"""Topic tags inferred from words, so lenses can select facts by what they are about."""

from __future__ import annotations

import re
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

_PATTERNS = {
    topic: re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + ")")
    for topic, words in KEYWORDS.items()
}


DOMAINS = {"security", "tech", "marketing", "finance", "accounting", "compliance"}


def _words(text: str) -> set[str]:
    blob = text.lower()
    return {topic for topic, pattern in _PATTERNS.items() if pattern.search(blob)}


def infer_topics(body: str | None, *, heading: str | None = None, tags: Iterable[str] = ()) -> tuple[str, ...]:
    """Topics for an item: its note's tags, its heading's words, and its own words.

    Tags and the heading say what an item is about; its own words add a domain only when
    they are silent ("our own website" in a Channels list is marketing, not tech), except
    security, which is always worth a CTO's look.
    """
    found = {t.strip().lower() for t in tags if t and t.strip()}
    found |= _words(heading or "")
    own = _words(body or "")
    if found & DOMAINS:
        own = {t for t in own if t not in DOMAINS or t == "security"}
    found |= own
    if "channels" in found or "audiences" in found or "listings" in found:
        found.add("marketing")
    if not found & DOMAINS:
        found.add("operations")
    return tuple(sorted(found))
