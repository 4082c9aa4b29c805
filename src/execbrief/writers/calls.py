"""Calling a provider safely: response cache, token budgets, a hard cost cap, retries.

``Caller.call`` is what the LLM writer uses for every request. It answers from the cache
when it can; otherwise it checks the lens's token budget (estimate) and the run's cost cap
(worst case) before the call, retries rate limits (honouring Retry-After) and transient
faults with backoff, refuses to retry auth and context-length errors, and charges the real
usage afterwards. Every request, cache hit and refusal becomes a ``CallRecord``.
"""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal
from typing import Any, Callable

from ..ledger.llm_calls import CallRecord
from .cache import ResponseCache, cache_key
from .prompts import estimate_tokens, redact
from .provider import LLMRequest, LLMResponse, Provider, ProviderError

__all__ = ["Caller", "Refused"]

BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 60.0


class Refused(Exception):
    """No answer for this request: budget, cost cap, a fatal provider error, or retries spent."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Caller:
    """Makes the calls of one run for one provider, thread-safe."""

    def __init__(
        self, provider: Provider, settings: Any, cache: ResponseCache,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.provider = provider
        self.writer = settings.writer
        self.cache = cache
        self.sleep = sleep
        self.collected: dict[str, LLMResponse] = {}  # batch results collected by this run
        self.records: list[CallRecord] = []
        self.spent = Decimal(0)
        self.reserved = Decimal(0)
        self.used: dict[str, int] = {}
        self.fatal: ProviderError | None = None  # an auth error stops every later call
        self._lock = threading.Lock()

    def key(self, request: LLMRequest) -> str:
        """The cache key of a request."""
        return cache_key(self.provider.name, self.provider.model, request)

    def cached(self, request: LLMRequest) -> bool:
        """Whether the request would be answered without a call."""
        key = self.key(request)
        return key in self.collected or self.cache.get(key) is not None

    def _record(self, request: LLMRequest, key: str, status: str, **fields: Any) -> CallRecord:
        record = CallRecord(
            report_key=request.key, kind=request.kind, provider=self.provider.name, model=self.provider.model,
            cache_key=key, status=status, system=request.system, user=request.user, **fields,
        )
        with self._lock:
            self.records.append(record)
        return record

    def budget_problem(self, request: LLMRequest) -> str | None:
        """Why the report's token budget would refuse a request (None if it would not)."""
        with self._lock:
            return self._over_budget(request, self.used.get(request.key, 0))

    def _over_budget(self, request: LLMRequest, used: int) -> str | None:
        estimate = estimate_tokens(request.system) + estimate_tokens(request.user)
        limit = self.writer.max_tokens_per_lens
        if request.kind != "prime" and used + estimate + request.max_tokens > limit:
            return (f"report {request.key}: the call needs about {estimate + request.max_tokens} tokens and "
                    f"{used} are used of its budget of {limit} ([writer] max_tokens_per_lens)")
        return None

    def _reserve(self, request: LLMRequest, key: str) -> Decimal:
        estimate = estimate_tokens(request.system) + estimate_tokens(request.user)
        prices = self.provider.prices
        worst = (estimate * max(prices.input, prices.cache_write) + request.max_tokens * prices.output) / Decimal(1_000_000)
        with self._lock:
            if self.fatal is not None:
                raise self._refuse(request, key, "fatal", f"not called: {self.fatal}", locked=True)
            over = self._over_budget(request, self.used.get(request.key, 0))
            if over:
                raise self._refuse(request, key, "budget", over, locked=True)
            cap = self.writer.max_cost_usd
            if cap is not None and self.spent + self.reserved + worst > cap:
                raise self._refuse(request, key, "cost_cap", (
                    f"report {request.key}: the run's cost cap of ${cap} ([writer] max_cost_usd) would be "
                    f"exceeded (spent ${self.spent:.4f}, this call up to ${worst:.4f})"
                ), locked=True)
            self.reserved += worst
        return worst

    def _refuse(self, request: LLMRequest, key: str, kind: str, message: str, locked: bool = False) -> Refused:
        record = CallRecord(
            report_key=request.key, kind=request.kind, provider=self.provider.name, model=self.provider.model,
            cache_key=key, status="skipped", system=request.system, user=request.user, error_kind=kind, error=message,
        )
        if locked:
            self.records.append(record)
        else:
            with self._lock:
                self.records.append(record)
        return Refused(kind, message)

    def call(self, request: LLMRequest, use_cache: bool = True) -> LLMResponse:
        """The answer to a request, from the cache or the provider; raises ``Refused``."""
        key = self.key(request)
        hit = self.collected.get(key) or (self.cache.get(key) if use_cache else None)
        if hit is not None:
            self._record(request, key, "cached", response=hit.to_json())
            return hit
        reservation = self._reserve(request, key)
        retries, started = 0, time.monotonic()
        try:
            while True:
                try:
                    response = self.provider.complete(request)
                    break
                except ProviderError as exc:
                    if exc.kind == "auth":
                        with self._lock:
                            self.fatal = exc
                    if not exc.retryable or retries >= self.writer.max_retries:
                        self._record(
                            request, key, "error", error_kind=exc.kind, error=redact(str(exc)), retries=retries,
                            latency_ms=int((time.monotonic() - started) * 1000),
                        )
                        raise Refused(exc.kind, str(exc)) from None
                    self.sleep(self._wait(exc, retries))
                    retries += 1
        finally:
            with self._lock:
                self.reserved -= reservation
        latency = int((time.monotonic() - started) * 1000)
        usage = response.usage
        cost = self.provider.prices.cost(usage)
        with self._lock:
            self.spent += cost
            self.used[request.key] = self.used.get(request.key, 0) + usage.total()
        self._record(
            request, key, "ok", response={**response.to_json(), "text": redact(response.text)},
            tokens_in=usage.input_tokens, tokens_out=usage.output_tokens, tokens_cached=usage.cache_read_tokens,
            tokens_cache_write=usage.cache_write_tokens, cost_usd=cost, latency_ms=latency, retries=retries,
        )
        if request.kind != "prime" and response.stop_reason not in ("max_tokens", "length"):
            self.cache.put(key, response)
        return response

    @staticmethod
    def _wait(exc: ProviderError, attempt: int) -> float:
        if exc.retry_after is not None:
            return min(exc.retry_after, BACKOFF_MAX_S * 5)
        # no hint: exponential backoff with jitter, longer for rate limits
        base = BACKOFF_BASE_S * (4 if exc.kind == "rate_limit" else 1)
        return min(BACKOFF_MAX_S, base * 2**attempt) * (0.5 + random.random() / 2)
