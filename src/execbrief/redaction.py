"""Secrets in text: find them, name them without revealing them, and withhold them.

One scanner for every stage that handles text: sources withhold secrets from what they
read (notes, ledger memos), the prompt builder from what it sends, and the verifier from
what a writer returns. A secret is only ever kept as its sha256 and a masked preview
(``sk_live_…9f2c``). The repositories source has a file-level engine of its own
(``sources/secretscan.py``) and shares ``mask`` with this module.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["MIN_SECRET_LENGTH", "REDACTED", "SecretHit", "mask", "quoted", "redact", "redact_hits", "scan",
           "withhold"]

MIN_SECRET_LENGTH = 16

_KNOWN_PREFIXES = (
    "sk_live_", "rk_live_", "sk_test_", "rk_test_", "whsec_", "AKIA", "ASIA",
    "ghp_", "github_pat_", "xoxb-", "xoxp-", "AIza", "SG.",
)
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def mask(value: str) -> str:
    """A preview that identifies a secret without revealing it: ``sk_live_…9f2c``."""
    value = value.strip()
    if value.startswith("-----BEGIN"):
        # only the header: the key body may sit on the same line
        header = re.match(r"-----BEGIN[A-Z0-9 ]*-----", value)
        return (header.group(0) if header else "-----BEGIN") + "…"
    prefix = next((p for p in _KNOWN_PREFIXES if value.startswith(p)), "")
    if not prefix:
        scheme = _URL_SCHEME.match(value)
        prefix = scheme.group(0) if scheme else ""
    # the last four characters only when at least 12 others stay hidden
    if len(value) - len(prefix) >= MIN_SECRET_LENGTH:
        return f"{prefix}…{value[-4:]}"
    return f"{prefix}…"


# (kind, pattern); the first group, when present, is the secret itself
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)")),
    ("Stripe key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}\b")),
    ("Stripe webhook secret", re.compile(r"\bwhsec_[0-9A-Za-z]{16,}\b")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("AWS secret access key", re.compile(r"(?i)aws_?secret_?access_?key\W{0,4}([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])")),
    ("Anthropic key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}")),
    ("OpenAI key", re.compile(r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("JSON web token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("bearer token", re.compile(r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{16,}=*)")),
    # a connection string with its password: "postgres://app:Fake-Pa55word@db.example.com:5432/app",
    # "redis://:s3cret-pass@cache:6379" (the scheme, user and host are no secret)
    ("password in a URL", re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s/:@]*:([^\s/@]{4,})@[^\s/@]")),
    ("password or key assignment", re.compile(
        r"(?i)\b(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|client[_-]?secret)\b\s*[:=]\s*['\"]?([^\s'\"`]{8,})")),
    # as people write them in notes: "the tablet PIN is 1234", "door code: 4471#", "wifi password is Gull2024!"
    ("PIN or access code", re.compile(
        r"(?i)\b(?:pin|pin code|passcode|(?:lock|door|gate|alarm|master|key ?safe|lockbox|access) code)s?"
        r"(?:\s+(?:is|was|=|:)|\s*[:=])\s*['\"]?(\d{4,8}#?)\b")),
    # said, not labelled: "the lockbox on the side door, the code is 7316", "key safe by the back
    # door, code 5580", "code 4471 opens the gate" (a lock or door in the same sentence)
    ("access code in words", re.compile(
        r"(?i)\b(?:lock\w*|key ?safe|door|gate|alarm|keypad|garage|safe|entry|padlock)\b[^.\n]{0,60}?"
        r"\b(?:code|pin|combo|combination)\b\s*(?:is|was|=|:|,)?\s*['\"]?(\d{4,8}#?)\b"
        r"|(?i:\b(?:code|pin|combo|combination)\b\s*(?:is|=|:)?\s*['\"]?(\d{4,8}#?)\b(?=[^.\n]{0,40}?"
        r"\b(?:lock\w*|key ?safe|door|gate|alarm|keypad|garage|padlock)\b))")),
    # a lock's code said without "code": "Key safe at Kingsway is 4471", "the lockbox is 7316"
    ("key safe or lock code", re.compile(
        r"(?i)\b(?:key ?safe|lock ?box|keypad|padlock)\b[^.\n]{0,40}?\b(?:is|was|=|:)\s*['\"]?(\d{4,8}#?)\b")),
    # an address and a password-shaped word after a slash, or alone on the next line, as a
    # login is pasted in a chat: "bookings@swiftmanandvan.co.uk / SwiftVan2024! same as always",
    # "admin@greeneco-law.co.uk" then "GreeneCo!Admin2026"
    ("login and password", re.compile(
        r"(?i)(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:\s*/\s*['\"`]?((?=[^\s'\"`]*[a-z])(?=[^\s'\"`]*\d)"
        r"[^\s'\"`,;]{6,32})|[ \t]*\n[ \t]*['\"`]?((?=[^\s'\"`]*[a-z])(?=[^\s'\"`]*\d)(?=[^\s'\"`]*[!#$%^&*?~+=])"
        r"[^\s'\"`]{8,32})['\"`]?[ \t]*(?:\n|$))")),
    # a Wi-Fi network and its password, "Guest wifi: Grachtzicht-Gasten / Kanaal#Eend2026", or
    # its key named: "wifi key: Eend2026!" (the network's name is no secret)
    ("Wi-Fi password", re.compile(
        r"(?i)\b(?:wi-?fi|wlan|wireless)\b(?:[^\n/]{0,40}?(?:[:=]|\bis\b)\s*['\"`]?[^\s/'\"`]{1,40}['\"`]?\s*/"
        r"|\s+(?:key|code|pass(?:word)?|pw)\s*(?:\bis\b|[:=]))\s*['\"`]?"
        r"((?=[^\s'\"`]*[\d!#$%^&*?~+=])[^\s'\"`,;]{5,39}[^\s'\"`,;.)])")),  # (not a sentence's full stop)
    ("password in words", re.compile(
        r"(?i)\bpassw(?:or)?d\s+(?:is|was)\s+['\"]?((?=[^\s'\"`]*\d)[^\s'\"`.,;]{6,})")),
    # "pw: Maple!Leaf42", "pass = Gull2024": a short name for a password, so the value must look
    # like one (a digit or a symbol in it; "pass: approved" is no secret)
    ("password, abbreviated", re.compile(
        r"(?i)(?<![\w-])(?:pw|pwd|pword|pass)\s*[:=]\s*['\"]?((?=[^\s'\"`]*[\d!@#$%^&*])[^\s'\"`,;)]{6,})")),
    # "the gate admin login for the PTI portal is admin / Ridgeway#2291", "creds: ops@ / Van2024!"
    ("login in words", re.compile(
        r"(?i)\b(?:log-?ins?|credentials?|creds|user(?:name)?\s*/\s*pass(?:word)?|u/p)\b[^\n]{0,60}?"
        r"(?:\bis\b|\bare\b|[:=])\s*['\"]?[^\s/'\"]{1,60}\s*/\s*['\"]?((?=[^\s'\"`]*[\d#!@$%^&*])[^\s'\"`,;]{6,})")),
    # a password's shape (letters, a digit and a symbol: "Halvorsen!Pine44", "Bikes4Days!") in a line
    # that speaks of logging in: "the Onfleet login is … it's hop@x.example / Bikes4Days!",
    # "it's in the 1Password vault … just use it: `lumen-admin` / `Halvorsen!Pine44`"
    ("password beside a login", re.compile(
        r"(?i)(?=[^\n]*\b(?:\w*passw(?:or)?d|pw|log-?in|sign-?in|creds|credentials|vault|rotate)\b)[^\n]*?"
        r"(?<![\w@./:+=-])[`'\"]?((?=[^\s`'\"]*[a-z])(?=[^\s`'\"]*\d)(?=[^\s`'\"]*[!#$%^&*?~+=])"
        r"[A-Za-z0-9!#$%^&*?~+=._-]{8,32}?)[`'\"]?(?=[\s.,;:)]*(?:\s|$))")),
]
# What each pattern cannot match without: (exact substrings, case-folded substrings); a
# pattern runs only on text holding one of them. ``str.__contains__`` is ~50x cheaper than
# a regex pass, and most text holds none (a note paid ~1.3 ms for the twelve passes).
_NEEDLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "private key": (("PRIVATE KEY",), ()),
    "Stripe key": (("k_live_", "k_test_"), ()),
    "Stripe webhook secret": (("whsec_",), ()),
    "AWS access key id": (("AKIA", "ASIA", "ABIA", "ACCA"), ()),
    "AWS secret access key": ((), ("aws",)),
    "Anthropic key": (("sk-ant-",), ()),
    "OpenAI key": (("sk-",), ()),
    "GitHub token": (("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), ()),
    "Slack token": (("xox",), ()),
    "JSON web token": (("eyJ",), ()),
    "bearer token": ((), ("bearer",)),
    "password in a URL": (("://",), ()),
    "password or key assignment": ((), ("api", "secret", "token", "passw", "pwd")),
    "PIN or access code": ((), ("pin", "code")),
    "key safe or lock code": ((), ("key safe", "keysafe", "lockbox", "lock box", "keypad", "padlock")),
    "login and password": (("@",), ()),
    "Wi-Fi password": ((), ("wifi", "wi-fi", "wlan", "wireless")),
    "password in words": ((), ("passw",)),
    "access code in words": ((), ("code", "pin", "combo", "combination")),
    "login in words": ((), ("login", "log-in", "cred", "user", "u/p")),
    "password, abbreviated": ((), ("pw", "pass")),
    "password beside a login": ((), ("passw", "pw", "login", "log-in", "sign", "cred", "vault", "rotate")),
}


def _folded(text: str) -> str:
    # casefold maps every character (?i) matches to an ASCII letter onto that letter, but
    # for the dotless ı, which re matches to "i"
    return text.casefold().replace("\u0131", "i")


_CANDIDATE = re.compile(r"[A-Za-z0-9+/=_\-]{24,}")
REDACTED = re.compile(r"\[secret withheld: [^\]]*\]")


@dataclass(frozen=True)
class SecretHit:
    """A secret found in a text: where, what kind, and how it may be named (hash, preview)."""

    kind: str
    start: int
    end: int
    sha256: str
    preview: str


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _high_entropy(token: str) -> bool:
    # random keys mix cases and digits; long words, paths and hex digests do not reach 4.2 bits
    if "/" in token and any(re.fullmatch(r"[a-z][a-z._-]{2,}", seg) for seg in token.split("/")):
        return False  # a path or resource name ("aws/cloudfront/E2HARBORFLATS7"), not base64
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes == 3 and _entropy(token) >= 4.2


_AWS_SECRET_SHAPE = re.compile(r"[A-Za-z0-9/+]{40}")
_NEAR_LINES = 3


def _aws_secrets_beside_ids(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A random 40-character base64 token within a few lines of an AWS access key id is that
    key's secret ("keys below:" and the two on the next lines), not an unnamed string."""
    ids = [text.count("\n", 0, start) for start, _, kind in spans if kind == "AWS access key id"]
    if not ids:
        return spans
    out = []
    for start, end, kind in spans:
        if kind == "high-entropy string" and _AWS_SECRET_SHAPE.fullmatch(text, start, end):
            line = text.count("\n", 0, start)
            if any(abs(line - at) <= _NEAR_LINES for at in ids):
                kind = "AWS secret access key"
        out.append((start, end, kind))
    return out


def scan(text: str) -> list[SecretHit]:
    """Every secret-looking string in a text (known key formats, then high-entropy tokens)."""
    spans: list[tuple[int, int, str]] = []
    folded = None
    for kind, pattern in _PATTERNS:
        exact, caseless = _NEEDLES[kind]
        if not any(n in text for n in exact):
            if not caseless:
                continue
            if folded is None:
                folded = _folded(text)
            if not any(n in folded for n in caseless):
                continue
        for m in pattern.finditer(text):
            # (the secret is the first group that matched, else the whole match)
            start, end = m.span(next((k for k in range(1, len(m.groups()) + 1) if m.group(k)), 0))
            if not any(s <= start < e or start <= s < end for s, e, _ in spans):
                spans.append((start, end, kind))
    if "|" in text:
        for start, end in _table_secrets(text):
            if not any(s <= start < e or start <= s < end for s, e, _ in spans):
                spans.append((start, end, "password in a table"))
    for m in _CANDIDATE.finditer(text):
        if _high_entropy(m.group(0)) and not any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in spans):
            spans.append((m.start(), m.end(), "high-entropy string"))
    spans = _aws_secrets_beside_ids(text, spans)
    hits = []
    for start, end, kind in sorted(spans):
        value = text[start:end]
        hits.append(SecretHit(kind, start, end, "sha256:" + hashlib.sha256(value.encode()).hexdigest(), mask(value)))
    return hits


# a table column of secrets: "| What | Login | Password / code |", "| Account | PIN |"
_SECRET_COLUMN = re.compile(r"(?i)\b(?:passw(?:or)?ds?|passcodes?|pw|pwd|pins?|secrets?|tokens?|api keys?|"
                            r"(?:access|secret) keys?|(?:access|door|lock|gate|alarm|entry|key ?safe|lockbox) codes?)\b")


def secret_column(name: str) -> bool:
    """Whether a table column's name says its cells are passwords, PINs or codes
    ("Password / code", ``password_code``, "Door code")."""
    return bool(_SECRET_COLUMN.search(name.replace("_", " ")))


_TABLE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_RULE_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    """The spans of a table line's cells (without the pipes and the spaces around)."""
    out, at = [], line.index("|") + 1
    for part in line[at:].rstrip().rstrip("|").split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((offset + at + lead, offset + at + len(part.rstrip())))
        at += len(part) + 1
    return out


def _table_secrets(text: str) -> list[tuple[int, int]]:
    """The cells of the columns a table's header names as passwords, PINs or codes: each a
    secret, when it is one word of four characters or more ("4417", "Vans2019!blue"; not "—",
    "same as Chase")."""
    out: list[tuple[int, int]] = []
    block: list[re.Match[str]] = []  # the table lines read so far, one after another
    last_end = -2
    for m in _TABLE_LINE.finditer(text):
        if m.start() != last_end + 1:
            block = []  # a line between: another table
        last_end = m.end()
        block.append(m)
        if len(block) < 3:
            continue
        header, rule = block[0].group(0), block[1].group(0)
        if not all(_RULE_CELL.match(rule[a:b]) for a, b in _cells(rule, 0) if b > a):
            continue
        columns = [n for n, (a, b) in enumerate(_cells(header, 0)) if _SECRET_COLUMN.search(header[a:b])]
        cells = _cells(m.group(0), m.start())
        for n in columns:
            if n < len(cells):
                a, b = cells[n]
                value = text[a:b].strip("`")
                if len(value) >= 4 and not any(c.isspace() for c in value) and value.lower() not in ("n/a", "none"):
                    shift = text[a:b].index(value)
                    out.append((a + shift, a + shift + len(value)))
    return out


# A cheap test first: text with no long token and no secret keyword cannot hold a secret,
# and most memos and note lines are like that.
# (Substring tests for the keywords: one case-insensitive alternation tried at every
# place cost ~0.7 ms on an 8 KB note; a wider test than the scan's own only costs a scan.)
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]{16,}")
_KEYWORDS = ("bearer", "secret", "token", "pass", "pw", "api", "pin", "code", "login", "log-in", "cred", "user", "u/p",
             "safe", "lockbox", "lock box", "keypad", "padlock", "@", "wifi", "wi-fi", "wlan", "wireless")


def _maybe(text: str) -> bool:
    if "PRIVATE KEY" in text or _LONG_TOKEN.search(text):
        return True
    folded = _folded(text)
    return any(word in folded for word in _KEYWORDS)


def withhold(text: str) -> tuple[str, list[SecretHit]]:
    """The text with its secrets replaced by masked previews, and the secrets found."""
    if not text or not _maybe(text):
        return text, []
    hits = scan(text)
    return (redact_hits(text, hits), hits) if hits else (text, [])


def redact_hits(text: str, hits: list[SecretHit]) -> str:
    """The text with the given hits replaced by ``[secret withheld: <preview>]``."""
    out, last = [], 0
    for hit in hits:
        out += [text[last:hit.start], f"[secret withheld: {hit.preview}]"]
        last = hit.end
    out.append(text[last:])
    return "".join(out)


def redact(text: str) -> str:
    """The text with every secret replaced by ``[secret withheld: <preview>]``."""
    return redact_hits(text, scan(text))


def quoted(value: object, width: int = 24) -> str:
    """A value from an input file as a warning quotes it: any secret in it withheld, the rest cut
    to ``width`` characters. A warning names a value; it never copies the file, and warnings reach
    every report's data-quality note."""
    text = str(value)
    if len(text) >= MIN_SECRET_LENGTH:  # every secret pattern is at least this long
        masked, hits = withhold(text)
        if hits:
            text, width = masked, width + 32 * len(hits)  # (room for each "[secret withheld: …]")
    return repr(text if len(text) <= width else text[:width] + "…")
