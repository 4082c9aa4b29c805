"""``execbrief.toml`` plus the environment → typed ``Settings``.

The workspace root holds ``execbrief.toml``; a ``.env`` file beside it is read if present
(process environment wins over it). Environment variables may override a few keys, listed
in ``ENV_OVERRIDES``; the sender and recipients come only from the TOML file, so nothing
in the environment (or in any ingested note) can redirect a briefing.

Every validation problem becomes a ``ConfigError`` naming the key and the file, and
saying how to fix it.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from .addresses import ascii_domain, parse_mailbox
from .errors import ConfigError, storage_problem

__all__ = ["CONFIG_FILE", "ENV_OVERRIDES", "Settings", "configured_paths", "load_settings"]

CONFIG_FILE = "execbrief.toml"

# environment variable → (section, key). Only these keys may come from the environment.
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "EXECBRIEF_WRITER_KIND": ("writer", "kind"),
    "EXECBRIEF_WRITER_MODEL": ("writer", "model"),
    "EXECBRIEF_WRITER_BASE_URL": ("writer", "base_url"),
    "EXECBRIEF_DELIVERY_METHOD": ("delivery", "method"),
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


FIRST_AS_OF, LAST_AS_OF = date(1970, 1, 1), date(2999, 12, 31)


class _Keyed(ValueError):
    """A check across keys that names the key to fix (the ``key`` of the --json error document)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def plausible_as_of(value: date | None) -> date | None:
    """An as-of date within 1970–2999 (the date arithmetic of a briefing stays far from year 9999)."""
    if value is not None and not FIRST_AS_OF <= value <= LAST_AS_OF:
        raise ValueError(f"{value.isoformat()} is out of range: use a date from {FIRST_AS_OF} to {LAST_AS_OF}")
    return value


def _check_email(value: str) -> str:
    """The address of ``name@example.com`` or ``Name <name@example.com>`` (lower case, IDNA domain)."""
    return parse_mailbox(value).address


def _display_names(data: Any, keys: tuple[str, ...]) -> dict[str, str]:
    """Address → display name, of the given keys of a table as written (already validated)."""
    names: dict[str, str] = {}
    if not isinstance(data, dict):
        return names
    for key in keys:
        value = data.get(key)
        for raw in value if isinstance(value, list) else [value]:
            try:
                mailbox = parse_mailbox(raw)
            except ValueError:
                continue
            if mailbox.name:
                names[mailbox.address] = mailbox.name
    return names


def _check_zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name like 'Europe/Lisbon')")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Addressed(_Section):
    """A section whose addresses may be written with display names: the fields hold the
    bare addresses (for envelopes, pinning, allow-lists), ``names`` the names for headers."""

    _names: dict[str, str] = PrivateAttr(default_factory=dict)
    _named_keys: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="wrap")
    @classmethod
    def _keep_names(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        model._names = _display_names(data, cls._named_keys)
        return model

    @property
    def names(self) -> dict[str, str]:
        """Address → display name, for the addresses written with one."""
        return dict(self._names)


class Organization(_Section):
    name: str
    timezone: str = "UTC"
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    # how notes write a numeric date: 12/8 is 8 December ("mdy") or 12 August ("dmy")
    date_order: Literal["mdy", "dmy"] = "mdy"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)


class EntityConfig(_Section):
    id: str
    name: str
    # rental, short-let, charter, delivery, agency, retail, saas, holding (kinds.toml);
    # another word is kept, and rules for particular kinds do not recognise it
    kind: str | None = None
    # what one unit sold is called ("charter"): with it, each revenue row of the business is one unit
    unit: str | None = None
    aliases: list[str] = []

    @field_validator("kind", "unit")
    @classmethod
    def _plain_word(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty: leave it out instead")
        return None if value is None else value.strip().lower()

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(f"{value!r} must be lower-case letters, digits, '-' or '_'")
        return value


class NotesSource(_Section):
    paths: list[str] = ["notes"]
    max_file_mb: float = Field(default=5.0, gt=0)
    include_archived: bool = False


class LedgerColumns(_Section):
    date: str = "date"
    amount: str = "amount"
    entity: str = "entity"
    account: str = "account"
    category: str = "category"
    memo: str = "memo"
    # a bank-statement export: money out in one column, money in in another (instead of amount)
    debit: str | None = None
    credit: str | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> "LedgerColumns":
        if (self.debit is None) != (self.credit is None):
            raise ValueError("set both debit and credit (money out and money in), or neither to use amount")
        return self


class LedgerSource(_Section):
    paths: list[str] = ["ledger"]
    columns: LedgerColumns = LedgerColumns()
    max_file_mb: float = Field(default=200.0, gt=0)
    opening_cash: Decimal | None = None
    opening_cash_date: date | None = None
    # category or account name (either, case-insensitive) → transaction type, over the defaults
    types: dict[str, str] = {}

    @field_validator("types")
    @classmethod
    def _known_types(cls, value: dict[str, str]) -> dict[str, str]:
        from .analyzers.ledger_types import TYPES

        for label, kind in value.items():
            if kind not in TYPES:
                raise ValueError(f"{label!r} = {kind!r} is no transaction type (known: {', '.join(TYPES)})")
        return value

    @field_validator("opening_cash")
    @classmethod
    def _plausible_cash(cls, value: Decimal | None) -> Decimal | None:
        from .sources.values import implausible

        why = implausible(value) if value is not None else None
        if why:
            raise ValueError(f"the balance {why}")
        return value

    @model_validator(mode="after")
    def _cash_needs_date(self) -> "LedgerSource":
        if self.opening_cash is not None and self.opening_cash_date is None:
            raise ValueError("opening_cash needs opening_cash_date: the day the balance was counted (YYYY-MM-DD)")
        return self


class ReposSource(_Section):
    paths: list[str] = []
    max_file_mb: float = Field(default=2.0, gt=0)
    engine: str = "builtin"
    history: bool = True  # also scan what every commit of a git repository added
    history_max_commits: int = Field(default=20000, ge=1)  # commits scanned per repository and run

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        from .sources.secretscan import engine_names  # engines may be added at run time

        if value not in engine_names():
            raise ValueError(f"unknown scan engine {value!r} (known: {', '.join(engine_names())})")
        return value


class AwsSource(_Section):
    enabled: bool = False
    regions: list[str] = ["us-east-1"]
    profile: str | None = None
    snapshot: str | None = None


class Sources(_Section):
    notes: NotesSource = NotesSource()
    ledger: LedgerSource = LedgerSource()
    repos: ReposSource = ReposSource()
    aws: AwsSource = AwsSource()
    # paths outside the workspace (~/code/*, /srv/exports) are read only when this says so
    allow_outside: bool = False

    def enabled(self) -> list[str]:
        """The sources this configuration reads, in the order they run."""
        names = ["notes", "ledger"]
        if self.repos.paths:
            names.append("repos")
        if self.aws.enabled or self.aws.snapshot:
            names.append("aws")
        return names


class WriterPrices(_Section):
    """USD per million tokens; an unset price is the provider's list price for its default model."""

    input: Decimal | None = Field(default=None, ge=0, le=1_000_000)
    output: Decimal | None = Field(default=None, ge=0, le=1_000_000)
    cache_read: Decimal | None = Field(default=None, ge=0, le=1_000_000)
    cache_write: Decimal | None = Field(default=None, ge=0, le=1_000_000)


class Writer(_Section):
    # any installed writer (built-in: offline, anthropic, openai, bedrock; plugins add more)
    kind: str = "offline"
    model: str | None = None
    base_url: str | None = None
    concurrency: int = Field(default=4, ge=1, le=32)
    max_cost_usd: Decimal | None = Field(default=None, ge=0, le=1_000_000_000)
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=4, ge=0, le=10)
    max_output_tokens: int = Field(default=4000, ge=64)
    max_tokens_per_lens: int = Field(default=60000, ge=1000)
    cache: bool = True
    prices: WriterPrices = WriterPrices()
    options: dict[str, Any] = {}
    # how the answer's shape is asked for: "auto" tries json_schema, then json_object with the
    # schema, then plain text, and remembers per server and model what worked
    structured: Literal["auto", "json_schema", "json_object", "none"] = "auto"
    # the model's context window in tokens; default: the hosted model's, or what a local
    # server says (llama.cpp /props, Ollama /api/show, vLLM /v1/models), else 8192
    context_tokens: int | None = Field(default=None, ge=1024, le=10_000_000)

    @field_validator("kind")
    @classmethod
    def _installed(cls, value: str) -> str:
        from .registry import registry

        known = registry.load().writers
        if value not in known:
            raise ValueError(f"unknown writer (installed: {', '.join(sorted(known))})")
        return value


class Reader(_Section):
    """``[reader]``: who labels note items. ``rules`` (the vocabulary) or ``llm`` (a model
    reads each new or changed note once; the rules stand wherever its answer does not)."""

    kind: Literal["rules", "llm"] = "rules"
    # an LLM writer kind (anthropic, openai, bedrock, or a plugin's); default: [writer] kind
    provider: str | None = None
    model: str | None = None  # default: [writer] model when the provider is the writer's
    base_url: str | None = None  # default: [writer] base_url when the provider is the writer's
    # the most a run spends on reading; notes left unread are read by later runs
    max_cost_usd: Decimal | None = Field(default=Decimal("1.00"), ge=0)
    concurrency: int = Field(default=4, ge=1, le=32)
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    max_output_tokens: int = Field(default=4000, ge=256)
    cache: bool = True
    prices: WriterPrices = WriterPrices()
    options: dict[str, Any] | None = None  # default: [writer.options] when the provider is the writer's

    @field_validator("provider")
    @classmethod
    def _llm_writer(cls, value: str | None) -> str | None:
        from .registry import registry

        known = sorted(k for k in registry.load().writers if k != "offline")
        if value is not None and value not in known:
            raise ValueError(f"unknown provider (an LLM writer kind: {', '.join(known)})")
        return value


class SesDelivery(_Section):
    region: str = "us-east-1"
    configuration_set: str | None = None
    # a ceiling below the account's own max send rate (which is always respected)
    max_rate: float | None = Field(default=None, gt=0)
    # the only SNS topic whose bounce/complaint notifications `events ingest` accepts
    events_topic_arn: str | None = Field(default=None, pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$")


class SmtpDelivery(_Section):
    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username_env: str | None = None
    password_env: str | None = None
    max_rate: float = Field(default=5.0, gt=0)


class Delivery(_Addressed):
    _named_keys = ("sender", "reply_to", "audit_bcc")

    method: Literal["outbox", "ses", "smtp"] = "outbox"
    sender: str
    audit_bcc: list[str] = []
    allowed_recipient_domains: list[str] = []
    outbox: str = "outbox"
    period: Literal["day", "week", "month"] = "week"
    ses: SesDelivery = SesDelivery()
    smtp: SmtpDelivery = SmtpDelivery()
    list_unsubscribe: str | list[str] | None = None
    reply_to: str | None = None
    in_doubt: Literal["resend", "hold"] = "resend"
    max_attempts: int = Field(default=4, ge=1, le=10)
    retry_base_s: float = Field(default=1.0, ge=0)

    @field_validator("list_unsubscribe")
    @classmethod
    def _unsubscribe(cls, value: str | list[str] | None) -> str | list[str] | None:
        # a mailto: URI, an https:// URL (RFC 8058 one-click), or a list of both
        for uri in [value] if isinstance(value, str) else value or []:
            if any(c in uri for c in "\r\n<> ,") or not uri.startswith(("mailto:", "https://")):
                raise ValueError(
                    f"{uri!r} must be a mailto: URI like 'mailto:unsubscribe@example.com' or an https:// URL "
                    "(one-click unsubscribe), or a list of both")
            if uri.startswith("mailto:"):
                _check_email(uri.removeprefix("mailto:").split("?", 1)[0])
        return value

    @field_validator("reply_to")
    @classmethod
    def _reply_to(cls, value: str | None) -> str | None:
        return _check_email(value) if value is not None else None

    @field_validator("sender")
    @classmethod
    def _sender_email(cls, value: str) -> str:
        return _check_email(value)

    @field_validator("audit_bcc")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return [_check_email(v) for v in values]

    @field_validator("allowed_recipient_domains")
    @classmethod
    def _domains(cls, values: list[str]) -> list[str]:
        return [ascii_domain(v.lstrip("@")) for v in values]  # bücher.example → xn--bcher-kva.example


class ReportConfig(_Addressed):
    _named_keys = ("to",)

    lens: str
    to: list[str] = Field(min_length=1)
    entities: list[str] | None = None
    # cron (five fields or @weekly-style), read in `timezone` (default: the organisation's)
    schedule: str | None = None
    timezone: str | None = None

    @field_validator("to")
    @classmethod
    def _emails(cls, values: list[str]) -> list[str]:
        return [_check_email(v) for v in values]

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        from .schedule import check_expression

        return None if value is None else check_expression(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_zone(value)


class AlertRule(_Section):
    """One ``[[alerts]]`` rule: which new findings are alerted at once, and to whom."""

    name: str | None = None
    min_severity: Literal["critical", "high", "medium", "low", "info"] = "critical"
    kinds: list[Literal["finding", "gap", "action"]] = Field(default=["finding"], min_length=1)
    topics: list[str] = []
    entities: list[str] | None = None
    # default: the readers whose briefing would show the finding
    to: list[str] | None = Field(default=None, min_length=1)

    @field_validator("to")
    @classmethod
    def _emails(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else [_check_email(v) for v in values]


class RunConfig(_Section):
    as_of: date | None = None
    stale_days: int = Field(default=45, ge=1, le=36_500)

    @field_validator("as_of")
    @classmethod
    def _plausible_day(cls, value: date | None) -> date | None:
        return plausible_as_of(value)


class TopicWords(_Section):
    words: list[str] = []
    headings: list[str] = []
    implies: list[str] = []
    domain: bool | None = None


class Settings(_Section):
    """The validated configuration of one workspace."""

    organization: Organization
    entities: list[EntityConfig] = []
    sources: Sources = Sources()
    writer: Writer = Writer()
    reader: Reader = Reader()
    delivery: Delivery
    reports: list[ReportConfig] = []
    alerts: list[AlertRule] = []
    run: RunConfig = RunConfig()
    # words a workspace adds to the vocabulary: [topics.hiring] words = ["recruit", ...]
    topics: dict[str, TopicWords] = {}

    workspace: Path = Field(default=Path("."), exclude=True)
    config_path: Path = Field(default=Path(CONFIG_FILE), exclude=True)
    env: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)

    @model_validator(mode="after")
    def _cross_checks(self) -> "Settings":
        ids = [e.id for e in self.entities]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise _Keyed(f"entities[{ids.index(dupes[0], ids.index(dupes[0]) + 1)}].id",
                         f"entity id {dupes[0]!r} is defined twice in [[entities]]")
        if self.reader.kind == "llm" and (self.reader.provider or self.writer.kind) == "offline":
            raise _Keyed(
                "reader.provider", '[reader] kind = "llm" needs a model: set [reader] provider = "anthropic", "openai" or '
                '"bedrock" (or an LLM [writer] kind, which it then reuses), or use kind = "rules"'
            )
        allowed = self.delivery.allowed_recipient_domains
        for n, report in enumerate(self.reports):
            for entity in report.entities or []:
                if entity not in ids:
                    raise _Keyed(
                        f"reports[{n}].entities", f"reports[{n}].entities names {entity!r}, which is not an [[entities]] id"
                    )
            for address in report.to:
                if allowed and address.rsplit("@", 1)[1] not in allowed:
                    raise _Keyed(
                        f"reports[{n}].to", f"reports[{n}].to has {address!r}, outside allowed_recipient_domains "
                        f"{allowed}: fix the address or add its domain"
                    )
        for n, rule in enumerate(self.alerts):
            for entity in rule.entities or []:
                if entity not in ids:
                    raise _Keyed(f"alerts[{n}].entities", f"alerts[{n}].entities names {entity!r}, which is not an [[entities]] id")
            for address in rule.to or []:
                if allowed and address.rsplit("@", 1)[1] not in allowed:
                    raise _Keyed(
                        f"alerts[{n}].to", f"alerts[{n}].to has {address!r}, outside allowed_recipient_domains "
                        f"{allowed}: fix the address or add its domain"
                    )
        return self

    def display_names(self) -> dict[str, str]:
        """Address → display name, of every address written with one (sender, readers, audit copies)."""
        names = {}
        for report in self.reports:
            names.update(report.names)
        names.update(self.delivery.names)
        return names

    def entity_names(self) -> dict[str, str]:
        """Entity id → display name."""
        return {e.id: e.name for e in self.entities}

    def resolve(self, relative: str) -> Path:
        """A path from the config, relative to the workspace."""
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.workspace / path


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe(error: dict[str, Any], origin: str, env_keys: dict[str, str]) -> str:
    loc = tuple(p for p in error["loc"] if p not in ("function-after",))
    key = _loc(loc)
    where = env_keys.get(key, origin)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{key}' in {where}: remove it or check its spelling"
    if kind == "missing":
        return f"missing required key '{key}' in {where}: add it (see `execbrief init` for an example)"
    message = error["msg"].removeprefix("Value error, ")
    if not key:
        return f"{where}: {message}"
    got = error.get("input")
    shown = "" if isinstance(got, (dict, list)) or got is None else f" (got {got!r})"
    return f"key '{key}' in {where}: {message}{shown}"


def load_settings(workspace: str | Path, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate ``<workspace>/execbrief.toml`` with its ``.env`` and environment."""
    root = Path(workspace).expanduser().resolve()
    path = root / CONFIG_FILE
    if not root.is_dir():
        raise ConfigError(f"workspace {root} does not exist: create it with `execbrief init {workspace}`", path=root)
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_FILE} in {root}: create one with `execbrief init {workspace}`", path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {storage_problem(exc) or exc.strerror or exc}", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text: save it as UTF-8", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", path=path) from None
    except RecursionError:  # (tables or arrays nested thousands deep)
        raise ConfigError(f"{path} is not valid TOML: it is nested too deeply", path=path) from None

    try:
        dotenv = dotenv_values(root / ".env")
    except (OSError, UnicodeDecodeError) as exc:
        why = storage_problem(exc) if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise ConfigError(f"cannot read {root / '.env'}: {why or exc}", path=root / ".env") from None
    env = {k: v for k, v in dotenv.items() if v is not None}
    env.update(os.environ if environ is None else environ)

    env_keys: dict[str, str] = {}
    for var, (section, key) in ENV_OVERRIDES.items():
        if env.get(var):
            table = data.setdefault(section, {})
            if not isinstance(table, dict):
                raise ConfigError(f"[{section}] in {path} must be a table", key=section, path=path)
            table[key] = env[var]
            env_keys[f"{section}.{key}"] = f"environment variable {var}"

    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = _describe(errors[0], str(path), env_keys)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        key = _loc(tuple(p for p in errors[0]["loc"] if p not in ("function-after",))) or None
        cause = (errors[0].get("ctx") or {}).get("error")
        key = key or getattr(cause, "key", None)  # a check across keys names the one to fix
        raise ConfigError(first + more, key=key, path=None if key in env_keys else path) from None
    settings = settings.model_copy(update={"workspace": root, "config_path": path, "env": env})
    if not settings.sources.allow_outside:
        _confine(settings)
    return settings


def configured_paths(settings: Settings) -> list[tuple[str, str]]:
    """(key, path) of every file or folder the configuration names (sources and the outbox)."""
    sources = settings.sources
    found = [(f"sources.{name}.paths[{n}]", p) for name in ("notes", "ledger", "repos")
             for n, p in enumerate(getattr(sources, name).paths)]
    if sources.aws.snapshot:
        found.append(("sources.aws.snapshot", sources.aws.snapshot))
    found.append(("delivery.outbox", settings.delivery.outbox))
    return found


def _confine(settings: Settings) -> None:
    """Every configured path lies inside the workspace (as written: a link inside it may lead out).

    A configuration copied from elsewhere must not read ``/etc/passwd`` into a briefing, nor
    write the outbox into ``/dev/null``: reading or writing outside takes a decision,
    ``[sources] allow_outside = true``.
    """
    root = str(settings.workspace)
    for key, written in configured_paths(settings):
        full = os.path.normpath(os.path.join(root, os.path.expanduser(written)))
        if full != root and not full.startswith(root.rstrip(os.sep) + os.sep):
            raise ConfigError(
                f"key '{key}' in {settings.config_path}: {written!r} is outside the workspace {root}: "
                "keep it inside (a symbolic link inside the workspace may point elsewhere), or set "
                "[sources] allow_outside = true to read and write outside it", key=key, path=settings.config_path)
