"""The provider interface: one abstract method (``complete``), capabilities as attributes.

A provider turns one ``LLMRequest`` (a shared, cacheable system prefix, one user message
and a JSON schema for the answer) into one ``LLMResponse`` (the answer as JSON text and
the token usage). Errors are mapped to ``ProviderError`` with a ``kind`` the writer acts
on: rate limits and server faults are retried, context-length and auth errors are not.

It knows nothing of the writer that uses it: the built-in providers are registered as
writers by ``execbrief.writers.providers`` (the entry point), as a plugin's would be.
"""

from __future__ import annotations

import email.utils
import math
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from contextlib import contextmanager
from typing import Any, ClassVar, Iterator, Mapping

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import ConfigError, StageError

__all__ = [
    "LLMRequest", "LLMResponse", "Usage", "Prices", "Provider", "ProviderError",
    "answer_shape", "classify_status", "retry_after_seconds", "sdk_errors", "TOOL_NAME",
]

TOOL_NAME = "write_briefing"
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class LLMRequest:
    """One call: the shared prefix (cacheable), the per-lens message, and the answer's schema."""

    key: str
    system: str
    user: str
    schema: dict[str, Any]
    max_tokens: int
    kind: str = "write"  # write | repair | prime

    def fingerprint(self) -> dict[str, Any]:
        """What identifies the request for the response cache (the prompt and the schema)."""
        return {"system": self.system, "user": self.user, "schema": self.schema, "max_tokens": self.max_tokens}


@dataclass
class Usage:
    """Tokens of one call; ``input_tokens`` excludes tokens read from or written to the cache."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def total(self) -> int:
        """Every token the call consumed, cached or not."""
        return self.input_tokens + self.output_tokens + self.cache_read_tokens + self.cache_write_tokens


@dataclass
class LLMResponse:
    """The answer as JSON text (tool input or structured output) and its usage."""

    text: str
    usage: Usage = field(default_factory=Usage)
    stop_reason: str | None = None
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain-data copy for the cache and the ledger."""
        return {"text": self.text, "usage": asdict(self.usage), "stop_reason": self.stop_reason, "id": self.id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "LLMResponse":
        """The inverse of ``to_json``."""
        return cls(text=data["text"], usage=Usage(**data.get("usage", {})),
                   stop_reason=data.get("stop_reason"), id=data.get("id"))


class Prices(BaseModel):
    """List prices in USD per million tokens."""

    model_config = ConfigDict(frozen=True)

    input: Decimal
    output: Decimal
    cache_read: Decimal
    cache_write: Decimal

    def cost(self, usage: Usage, discount: Decimal = Decimal(1)) -> Decimal:
        """The USD cost of a call's usage (times ``discount`` for batch calls)."""
        total = (
            usage.input_tokens * self.input + usage.output_tokens * self.output
            + usage.cache_read_tokens * self.cache_read + usage.cache_write_tokens * self.cache_write
        )
        return (total * discount / MILLION).quantize(Decimal("0.000001"))


class ProviderError(StageError):
    """A provider call failed; ``kind`` says whether trying again can help."""

    RETRYABLE = frozenset({"rate_limit", "server", "timeout", "connection", "malformed"})

    def __init__(self, kind: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Rate limits and transient faults are worth another try; auth and size errors are not."""
        return self.kind in self.RETRYABLE


_CONTEXT_HINTS = ("context length", "context_length", "too long", "too many tokens", "maximum context",
                  "prompt is too long", "input is too long", "exceeds the context", "context size",
                  "context window", "exceed_context_size")

# what servers say when they do not take a response_format (llama-cpp-python answers HTTP 500
# "Input should be 'text' or 'json_object'"; others 400 or 422)
UNSUPPORTED_HINTS = ("response_format", "response format", "json_schema", "json_object", "structured output",
                     "guided_json", "input should be 'text'")


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The wait a response asks for: ``retry-after-ms``, or ``Retry-After`` in seconds or as a date."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    seconds = _seconds(lower.get("retry-after-ms"))
    if seconds is not None:
        return seconds / 1000
    value = lower.get("retry-after")
    if not value:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):  # "soon", or any other word: as if there were no header
        return None
    return max(0.0, parsed.timestamp() - time.time())


def _seconds(value: str | None) -> float | None:
    """A finite, non-negative number of a header, or None (``nan``, ``inf`` and words are none)."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return max(0.0, number) if number is not None and math.isfinite(number) else None


def classify_status(status: int, message: str, headers: Mapping[str, str] | None = None) -> ProviderError:
    """A ``ProviderError`` for an HTTP status and error message, by what the caller should do."""
    text = message.lower()
    wait = retry_after_seconds(headers)
    if status == 429:
        return ProviderError("rate_limit", f"rate limited (HTTP 429): {message}", wait)
    if status in (401, 403):
        return ProviderError("auth", f"the provider refused the credentials (HTTP {status}): {message}")
    if status == 413 or (status in (400, 500) and any(h in text for h in _CONTEXT_HINTS)):
        return ProviderError("context_length", f"the prompt is too long for the model (HTTP {status}): {message}")
    if status in (400, 404, 415, 422, 500, 501) and any(h in text for h in UNSUPPORTED_HINTS):
        # a capability answer (say, no json_schema structured output), not a fault to retry
        return ProviderError("unsupported", f"the server does not take this request (HTTP {status}): {message}")
    if status >= 500 or status in (408, 409):
        return ProviderError("server", f"provider error (HTTP {status}): {message}", wait)
    return ProviderError("bad_request", f"the provider rejected the request (HTTP {status}): {message}")


def sdk_error_message(exc: Any) -> str:
    """The provider's own error message from an SDK exception (with its code, if any)."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            code = f" [{error['code']}]" if error.get("code") else ""
            return str(error["message"]) + code
    return str(getattr(exc, "message", exc))


@contextmanager
def sdk_errors(sdk: Any, service: str, timeout_s: float) -> Iterator[None]:
    """Turn an official SDK's exceptions into ``ProviderError`` by what the caller should do.

    The anthropic and openai SDKs share one exception hierarchy (both are generated by
    Stainless), so one translation serves both.
    """
    try:
        yield
    except sdk.APIStatusError as exc:
        raise classify_status(exc.status_code, sdk_error_message(exc), dict(exc.response.headers)) from None
    except sdk.APITimeoutError:  # before APIConnectionError, its base class
        raise ProviderError("timeout", f"no answer within {timeout_s}s") from None
    except sdk.APIConnectionError as exc:
        raise ProviderError("connection", f"cannot reach the {service}: {exc}") from None
    except (sdk.APIResponseValidationError, ValueError) as exc:
        raise ProviderError("malformed", f"the response was not valid JSON: {exc}") from None


@contextmanager
def answer_shape(service: str) -> Iterator[None]:
    """An answer the SDK let through but of another shape than the API's (a ``null`` body, a
    list where an object belongs, from a proxy or an OpenAI-compatible server) is a malformed
    answer, retried like one, never an ``AttributeError`` in the writer."""
    try:
        yield
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        raise ProviderError("malformed", f"the {service} answer has an unexpected shape "
                                         f"({type(exc).__name__}: {exc})") from None


class Provider(ABC):
    """An LLM API. Subclasses set the capabilities and implement ``complete``."""

    name: ClassVar[str]
    key_env_var: ClassVar[str | None] = None
    extra: ClassVar[str | None] = None  # the pip extra that installs the SDK
    default_model: ClassVar[str]
    list_prices: ClassVar[dict[str, Prices]] = {}  # model-name prefix → prices
    supports_prompt_cache: ClassVar[bool] = False
    supports_batch: ClassVar[bool] = False
    batch_discount: ClassVar[Decimal] = Decimal("0.5")
    default_context_tokens: ClassVar[int] = 200_000  # the hosted models' window

    class Options(BaseModel):
        """Provider-specific ``[writer.options]``."""

        model_config = ConfigDict(extra="forbid")

    def __init__(self, settings: Any, client: Any = None) -> None:
        self.settings = settings
        self.model: str = settings.writer.model or self.default_model
        try:
            self.options = self.Options.model_validate(settings.writer.options)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(p) for p in error["loc"])
            raise ConfigError(
                f"key 'writer.options.{key}' in {settings.config_path}: {error['msg']} "
                f"(the {self.name} writer accepts: {', '.join(self.Options.model_fields) or 'no options'})"
            ) from None
        self.prices = self._prices()
        self.client = client if client is not None else self.make_client()

    @property
    def self_hosted(self) -> bool:
        """Whether the model runs on a server of the user's own (priced at zero unless told)."""
        return False

    def _prices(self) -> Prices:
        configured = self.settings.writer.prices
        base = next((p for prefix, p in sorted(self.list_prices.items(), key=lambda kv: -len(kv[0]))
                     if self.model.startswith(prefix)), None) or next(iter(self.list_prices.values()))
        if self.self_hosted:
            base = Prices(input=Decimal(0), output=Decimal(0), cache_read=Decimal(0), cache_write=Decimal(0))
        return Prices(**{k: getattr(configured, k) if getattr(configured, k) is not None else getattr(base, k)
                         for k in ("input", "output", "cache_read", "cache_write")})

    def api_key(self, required: bool = True) -> str | None:
        """The key from the settings' environment (``.env`` merged with the process's)."""
        key = self.settings.env.get(self.key_env_var or "", "") if self.key_env_var else ""
        if not key and required:
            raise ConfigError(
                f"no {self.key_env_var}: set it in the environment or in "
                f"{self.settings.workspace / '.env'}, or use [writer] kind = \"offline\" (no key needed)"
            )
        return key or None

    def sdk(self, module: str) -> Any:
        """Import the provider's SDK, or say which extra installs it."""
        import importlib

        try:
            return importlib.import_module(module)
        except ImportError:
            raise ConfigError(
                f"the {self.name} writer needs the {module} SDK: pip install 'execbrief[{self.extra}]' "
                f"(or use [writer] kind = \"offline\")"
            ) from None

    @property
    def label(self) -> str:
        """``provider:model`` as shown on reports."""
        return f"{self.name}:{self.model}"

    def make_client(self) -> Any:
        """The SDK client (created when the writer is, never at import)."""
        raise NotImplementedError

    def context_tokens(self) -> int:
        """The model's context window: ``[writer] context_tokens``, else the provider's default."""
        return self.settings.writer.context_tokens or self.default_context_tokens

    def count_tokens(self, text: str) -> int | None:
        """The model's own token count of a text where the API offers one (else None: estimate)."""
        return None

    @abstractmethod
    def complete(self, request: LLMRequest) -> LLMResponse:
        """Send one request and return the structured answer, or raise ``ProviderError``."""

    # batch API: only for providers with ``supports_batch``

    def submit_batch(self, requests: list[tuple[str, LLMRequest]]) -> str:
        """Submit ``(custom_id, request)`` pairs as one batch; return the provider's batch id."""
        raise ConfigError(f"the {self.name} writer has no batch API: run without --batch")

    def collect_batch(self, batch_id: str) -> dict[str, LLMResponse | ProviderError] | None:
        """Results by custom id once the batch has ended; ``None`` while it is still running."""
        raise ConfigError(f"the {self.name} writer has no batch API")
