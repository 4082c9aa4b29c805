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


def infer_topics(*texts: str | None, tags: Iterable[str] = ()) -> tuple[str, ...]:
    """Topics for a piece of text: tags as given, plus those whose words appear."""
    found = {t.strip().lower() for t in tags if t and t.strip()}
    blob = " ".join(t for t in texts if t).lower()
    for topic, pattern in _PATTERNS.items():
        if pattern.search(blob):
            found.add(topic)
    if "channels" in found or "audiences" in found or "listings" in found:
        found.add("marketing")
    if not found & {"security", "tech", "marketing", "finance", "accounting", "compliance"}:
        found.add("operations")
    return tuple(sorted(found))
