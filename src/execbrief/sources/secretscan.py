"""The scanner behind the repositories source: a small rule set of our own, behind an engine interface.

The rules come from the public formats of the keys they look for (Stripe ``sk_live_``,
``rk_live_`` and test keys, AWS ``AKIA``/``ASIA`` key ids with their 40-character secrets,
PEM private keys), plus keyword-named high-entropy assignments in config files, credentials
in ``.env`` files and Google Apps Script web endpoints that never check a token.
detect-secrets is not used: it misses unquoted ``.env`` values and is slow on large trees.

A secret's value never leaves ``scan()``: a ``Hit`` carries its sha256 and a masked
preview (``sk_live_…9f2c``) only. Another engine (say, a compiled multi-pattern matcher)
plugs in through ``add_engine`` and ``[sources.repos] engine``. The repositories source
caches each file's hits keyed by the engine's name, its optional ``version`` attribute and
the sha256 of its module's source, so a change of rules invalidates the cache.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Protocol

from ..model import content_hash
from ..redaction import MIN_SECRET_LENGTH, mask

__all__ = [
    "Hit", "ScanEngine", "BuiltinEngine", "ENGINES", "add_engine", "engine_names", "make_engine",
    "mask", "shannon_entropy", "is_env_file", "is_config_file",
]

# Shannon entropy (bits per character) above which a keyword-named value counts as a
# secret. Random base62/base64 tokens of 16+ characters score 3.7-5; words, paths and
# repeated placeholders score below 3.5.
ENTROPY_THRESHOLD = 3.5


@dataclass(frozen=True)
class Hit:
    """One finding in one file: the rule, the line, and the secret as hash and preview only."""

    rule: str
    line: int
    preview: str | None = None
    secret_sha256: str | None = None
    variable: str | None = None
    detail: str | None = None


class ScanEngine(Protocol):
    """Finds secrets and open endpoints in one file's bytes."""

    name: str

    def scan(self, path: str, data: bytes) -> list[Hit]:
        """Every hit in ``data``; ``path`` is repo-relative and decides which rules apply."""
        ...


# -- masking and entropy ------------------------------------------------------------

def shannon_entropy(value: str) -> float:
    """Bits of entropy per character of ``value``."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _sha(value: str) -> str:
    return content_hash(value)


# -- which rules apply to which files ------------------------------------------------

_CONFIG_SUFFIXES = frozenset((
    ".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".config", ".properties",
    ".xml", ".tfvars", ".plist", ".npmrc", ".pypirc", ".netrc",
))
_CONFIG_STEM = re.compile(r"(config|settings|secrets?|credentials?|local_settings|application)", re.I)
_CODE_SUFFIXES = frozenset((".js", ".ts", ".mjs", ".cjs", ".py", ".php", ".rb", ".go", ".java", ".cs"))
_ENV_TEMPLATES = ("example", "sample", "template", "dist", "defaults")


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.production``, ``prod.env``; not ``.env.example`` and friends."""
    lower = name.lower()
    if not (lower == ".env" or lower.startswith(".env.") or lower.endswith(".env")):
        return False
    return not any(lower.endswith("." + t) or lower.endswith("-" + t) for t in _ENV_TEMPLATES)


def is_config_file(name: str) -> bool:
    """A file whose assignments are configuration: by suffix, or a code file named like config."""
    lower = name.lower()
    dot = lower.rfind(".")
    suffix = lower[dot:] if dot > 0 else lower
    if suffix in _CONFIG_SUFFIXES or lower in (".npmrc", ".pypirc", ".netrc"):
        return True
    return suffix in _CODE_SUFFIXES and bool(_CONFIG_STEM.search(lower[:dot]))


# -- the rules -----------------------------------------------------------------------

_STRIPE = re.compile(rb"(?<![A-Za-z0-9])((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{24,247})(?![0-9A-Za-z])")
_STRIPE_RULES = {b"sk_live_": "stripe_live_secret", b"rk_live_": "stripe_live_restricted"}
_AWS_ID = re.compile(rb"(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])")
# "=" may come before a secret (AWS_SECRET_ACCESS_KEY=… in an env file or a shell script),
# not after it (base64 padding: the run is part of something longer)
_AWS_SECRET_ENTROPY = 4.0
_AWS_SECRET = re.compile(rb"(?<![A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])")
_PEM = re.compile(rb"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----")
_PEM_BODY_JUNK = re.compile(rb"\\n|\\r|\s|\"|'|,")  # escapes and quoting of keys pasted into JSON
# matched against the lower-cased file: several times faster than re.IGNORECASE
_KEYWORD = re.compile(
    rb"secret|token|passw|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|signing[_-]?key"
)
_ASSIGN = re.compile(
    rb"""(?<![A-Za-z0-9_\-])["']?([A-Za-z_$][A-Za-z0-9_.\-]*)["']?\s*(?::=|=>|[:=])\s*"""
    rb"""["'`]?([^\s"'`#,;<>(){}\[\]]{16,})"""
)
_KEY_NAME = re.compile(
    r"(?i)secret|token|passw|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|signing[_-]?key"
)
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(.*?)\s*$")
_ENV_KEY = re.compile(
    r"(?i)secret|token|passw|pwd|pass$|api_?key|apikey|access_?key|private_?key|_key$|^key$"
    r"|credential|auth|dsn|signing"
)
_URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.I)
_PLACEHOLDER = re.compile(
    r"(?i)^(?:true|false|yes|no|on|off|none|null|nil|undefined|\*+|x+|\.+|-+)$"
    r"|your[_-]|changeme|change[_-]me|placeholder|^example|(?-i:EXAMPLE)|<[^>]*>|^\$\{|^\$\(|^\{\{|^%\("
    r"|^(?:process\.env|os\.environ|env\(|getenv)"
)
_IDENTIFIER = re.compile(r"^(?:[A-Za-z_$][A-Za-z0-9_$]*\.)+[A-Za-z_$][A-Za-z0-9_$]*$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_APPS_SCRIPT_HINTS = (b"ContentService", b"SpreadsheetApp", b"HtmlService", b"PropertiesService", b"UrlFetchApp")
_HANDLER = re.compile(rb"\bfunction\s+(doPost|doGet)\s*\(\s*([A-Za-z_$][\w$]*)?\s*\)")
_NEXT_FUNCTION = re.compile(rb"\n\s*(?:async\s+)?function\s+[A-Za-z_$]")
_AUTH_CHECK = re.compile(rb"(?i)token|secret|api_?key|apikey|signature|hmac|passw|auth|\bkey\b")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _safe_name(name: str) -> str | None:
    """A variable name fit to show; None when it might itself be a secret."""
    if len(name) > 64 or any(p in name for p in ("sk_live_", "rk_live_", "sk_test_", "AKIA", "ASIA")):
        return None
    return name


def _looks_secret(value: str) -> bool:
    """Whether a keyword-named value is a real, high-entropy secret rather than a reference."""
    if len(value) < MIN_SECRET_LENGTH or _PLACEHOLDER.search(value) or _IDENTIFIER.match(value):
        return False
    if "://" in value and not _URL_WITH_PASSWORD.match(value):
        return False  # an endpoint URL, not a credential
    if value.startswith(("/", "./", "~/")):
        return False  # a path to a secret is not the secret
    # real tokens mix letters and digits; prose-like values (my_secret_password) do not
    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
        return False
    return shannon_entropy(value) >= ENTROPY_THRESHOLD


def _stripe(data: bytes, hits: list[Hit], lines: set[int]) -> None:
    for m in _STRIPE.finditer(data):
        raw = m.group(1)
        rule = _STRIPE_RULES.get(raw[:8], "stripe_test_key")
        value = _text(raw)
        line = _line_of(data, m.start())
        lines.add(line)
        hits.append(Hit(rule, line, mask(value), _sha(value), detail=value[:7]))


def _aws(data: bytes, hits: list[Hit], lines: set[int]) -> None:
    ids = [m for m in _AWS_ID.finditer(data) if b"EXAMPLE" not in m.group(1)]  # AWS's documented samples
    secrets = []
    for m in _AWS_SECRET.finditer(data):
        start = data.rfind(b"\n", 0, m.start()) + 1
        prefix = data[start:m.start()].lower()
        value = _text(m.group(1))
        # a 40-character run is only an AWS secret when its line names it (a git sha is 40
        # too); without a key id in the file, the line must also say "aws"
        named = b"secret" in prefix and (ids or b"aws" in prefix)
        # 40 random base64 characters score 4.15 or more (the lowest of 200,000 draws); 40 hex
        # characters (a sha1) at most 3.97: 4.0 tells them apart (4.3 missed ~1 real key in 2,500)
        if named and b"EXAMPLE" not in m.group(1) and shannon_entropy(value) >= _AWS_SECRET_ENTROPY:
            secrets.append((m, value))
    for n, m in enumerate(ids):
        key_id = _text(m.group(1))
        line = _line_of(data, m.start())
        lines.add(line)
        if n < len(secrets):
            secret = secrets[n][1]
            lines.add(_line_of(data, secrets[n][0].start()))
            # the pair is named by its secret; its detail is the key id's hash, so the id
            # found alone elsewhere (an older commit) is known to be this key's
            hits.append(Hit("aws_access_key_pair", line, mask(key_id), _sha(secret), detail=_sha(key_id)))
        else:
            hits.append(Hit("aws_access_key_id", line, mask(key_id), _sha(key_id)))
    for m, secret in secrets[len(ids):]:
        line = _line_of(data, m.start())
        lines.add(line)
        hits.append(Hit("aws_secret_key", line, mask(secret), _sha(secret)))


def _private_keys(data: bytes, hits: list[Hit], lines: set[int]) -> None:
    for m in _PEM.finditer(data):
        end = data.find(b"-----END", m.end())
        body = data[m.end(): end if end >= 0 else m.end() + 8192]
        encrypted = b"ENCRYPTED" in m.group(1) or b"ENCRYPTED" in body[:200]
        body = _PEM_BODY_JUNK.sub(b"", body)
        if len(body) < 64:
            continue  # a header in docs or a test stub, not key material
        value = _text(body)
        label = _text(m.group(1)).strip()
        line = _line_of(data, m.start())
        lines.add(line)
        # no PEM armour in the preview: other scanners (the verifier's, the prompt's) would flag it
        preview = f"{label + ' ' if label else ''}PRIVATE KEY …{value[-4:]}"
        hits.append(Hit("private_key", line, preview, _sha(value), detail="encrypted" if encrypted else label or None))


def _assignments(data: bytes, hits: list[Hit], lines: set[int]) -> None:
    last_line_start = -1
    for k in _KEYWORD.finditer(data.lower()):  # same offsets: lower() keeps every byte in place
        start = data.rfind(b"\n", 0, k.start()) + 1
        if start == last_line_start:
            continue  # one look per line
        last_line_start = start
        end = data.find(b"\n", k.end())
        line_bytes = data[start: end if end >= 0 else len(data)]
        line = None
        for m in _ASSIGN.finditer(line_bytes):
            name, value = _text(m.group(1)), _text(m.group(2))
            if not _KEY_NAME.search(name) or not _looks_secret(value):
                continue
            line = line or _line_of(data, start)
            if line in lines:
                break  # a specific rule already reported this line
            hits.append(Hit("high_entropy_assignment", line, mask(value), _sha(value), variable=_safe_name(name)))


def _env_value(raw: str) -> str:
    if raw[:1] in ("'", '"'):
        close = raw.find(raw[0], 1)
        return raw[1:close] if close > 0 else raw[1:]
    hash_at = raw.find(" #")
    return (raw[:hash_at] if hash_at >= 0 else raw).strip()


def _env_file(data: bytes, hits: list[Hit]) -> None:
    for n, raw_line in enumerate(_text(data).splitlines(), 1):
        m = _ENV_LINE.match(raw_line)
        if not m or raw_line.lstrip().startswith("#"):
            continue
        name, value = m.group(1), _env_value(m.group(2))
        if not value or _PLACEHOLDER.search(value) or value.startswith(("pk_live_", "pk_test_")):
            continue  # empty, a placeholder, or a publishable (public) Stripe key
        known = bool(_STRIPE.search(value.encode()) or _AWS_ID.search(value.encode()))
        if _ENV_KEY.search(name) or known or _URL_WITH_PASSWORD.match(value):
            hits.append(Hit("env_credential", n, mask(value), _sha(value), variable=_safe_name(name)))


def _apps_script(path: str, data: bytes, hits: list[Hit]) -> None:
    if not (path.endswith(".gs") or any(h in data for h in _APPS_SCRIPT_HINTS)):
        return
    for m in _HANDLER.finditer(data):
        nxt = _NEXT_FUNCTION.search(data, m.end())
        body = data[m.end(): nxt.start() if nxt else len(data)]
        if not _AUTH_CHECK.search(body):
            hits.append(Hit("apps_script_no_auth", _line_of(data, m.start()), detail=_text(m.group(1))))


class BuiltinEngine:
    """The default engine: cheap substring checks decide which regexes run at all."""

    name = "builtin"

    def scan(self, path: str, data: bytes) -> list[Hit]:
        """Every hit in one file's bytes (``path`` is repo-relative, ``/``-separated)."""
        hits: list[Hit] = []
        lines: set[int] = set()  # lines a specific rule reported; the generic rule skips them
        if b"_live_" in data or b"_test_" in data:
            _stripe(data, hits, lines)
        if b"AKIA" in data or b"ASIA" in data or (b"ecret" in data and b"aws" in data.lower()):
            _aws(data, hits, lines)
        if b"PRIVATE KEY" in data:
            _private_keys(data, hits, lines)
        name = path.rsplit("/", 1)[-1]
        if is_env_file(name):
            _env_file(data, hits)
        elif is_config_file(name):
            _assignments(data, hits, lines)
        if b"doPost" in data or b"doGet" in data:
            _apps_script(path, data, hits)
        return hits


ENGINES: dict[str, Callable[[], ScanEngine]] = {"builtin": BuiltinEngine}


def add_engine(name: str, factory: Callable[[], ScanEngine]) -> None:
    """Make another scan engine available as ``[sources.repos] engine = NAME``."""
    ENGINES[name] = factory


def engine_names() -> list[str]:
    """The names ``[sources.repos] engine`` accepts."""
    return sorted(ENGINES)


def make_engine(name: str) -> ScanEngine:
    """The engine registered as ``name``; KeyError when there is none."""
    return ENGINES[name]()
