"""Anthropic Messages API through the official ``anthropic`` SDK (extra ``anthropic``).

The answer comes back as the input of a forced tool call whose schema is the report
schema. The shared prefix is marked with ``cache_control`` so the reports of one run pay
for it about once; batches go through the Message Batches API at half price.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..provider import TOOL_NAME, LLMRequest, LLMResponse, Prices, Provider, ProviderError, Usage, answer_shape, sdk_errors

__all__ = ["AnthropicProvider"]


class AnthropicOptions(BaseModel):
    """``[writer.options]`` for the anthropic writer."""

    model_config = ConfigDict(extra="forbid")

    cache_ttl: Literal["5m", "1h"] = "5m"
    temperature: float | None = None


class AnthropicProvider(Provider):
    """Claude models via the Messages API."""

    name = "anthropic"
    key_env_var = "ANTHROPIC_API_KEY"
    extra = "anthropic"
    default_model = "claude-sonnet-4-6"
    list_prices = {
        "claude-sonnet": Prices(input=Decimal(3), output=Decimal(15), cache_read=Decimal("0.30"), cache_write=Decimal("3.75")),
        "claude-haiku": Prices(input=Decimal(1), output=Decimal(5), cache_read=Decimal("0.10"), cache_write=Decimal("1.25")),
        "claude-opus": Prices(input=Decimal(5), output=Decimal(25), cache_read=Decimal("0.50"), cache_write=Decimal("6.25")),
    }
    supports_prompt_cache = True
    supports_batch = True
    Options = AnthropicOptions

    def make_client(self) -> Any:
        """An ``anthropic.Anthropic`` client; our own loop retries, so the SDK's does not."""
        sdk = self.sdk("anthropic")
        base_url = self.settings.writer.base_url or self.settings.env.get("ANTHROPIC_BASE_URL") or None
        return sdk.Anthropic(
            api_key=self.api_key(), base_url=base_url, max_retries=0, timeout=self.settings.writer.timeout_s,
        )

    def params(self, request: LLMRequest) -> dict[str, Any]:
        """The Messages API parameters of a request."""
        cache: dict[str, Any] = {"type": "ephemeral"}
        if self.options.cache_ttl != "5m":
            cache["ttl"] = self.options.cache_ttl
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": request.max_tokens,
            "system": [{"type": "text", "text": request.system, "cache_control": cache}],
            "messages": [{"role": "user", "content": request.user}],
            "tools": [{"name": TOOL_NAME, "description": "Write the briefing as structured blocks citing fact ids.",
                       "input_schema": request.schema}],
            "tool_choice": {"type": "tool", "name": TOOL_NAME},
        }
        if self.options.temperature is not None:
            params["temperature"] = self.options.temperature
        return params

    def complete(self, request: LLMRequest) -> LLMResponse:
        """One Messages API call."""
        sdk = self.sdk("anthropic")
        with sdk_errors(sdk, "Anthropic API", self.settings.writer.timeout_s):
            message = self.client.messages.create(**self.params(request))
        with answer_shape("Anthropic API"):
            return _response(message)

    def submit_batch(self, requests: list[tuple[str, LLMRequest]]) -> str:
        """Submit the requests to the Message Batches API."""
        sdk = self.sdk("anthropic")
        with sdk_errors(sdk, "Anthropic API", self.settings.writer.timeout_s):
            batch = self.client.messages.batches.create(
                requests=[{"custom_id": cid, "params": self.params(r)} for cid, r in requests]
            )
        return batch.id

    def collect_batch(self, batch_id: str) -> dict[str, LLMResponse | ProviderError] | None:
        """The batch's results once it has ended."""
        sdk = self.sdk("anthropic")
        with sdk_errors(sdk, "Anthropic API", self.settings.writer.timeout_s):
            batch = self.client.messages.batches.retrieve(batch_id)
            if batch.processing_status != "ended":
                return None
            out: dict[str, LLMResponse | ProviderError] = {}
            for entry in self.client.messages.batches.results(batch_id):
                if entry.result.type == "succeeded":
                    out[entry.custom_id] = _response(entry.result.message)
                else:
                    out[entry.custom_id] = ProviderError("server", f"batch request {entry.result.type}")
            return out


def _response(message: Any) -> LLMResponse:
    text = ""
    for block in message.content:
        if block.type == "tool_use":
            text = json.dumps(block.input)
            break
        if block.type == "text":
            text += block.text
    usage = message.usage
    return LLMResponse(
        text=text,
        usage=Usage(
            input_tokens=usage.input_tokens or 0, output_tokens=usage.output_tokens or 0,
            cache_read_tokens=getattr(usage, "cache_read_input_tokens", 0) or 0,
            cache_write_tokens=getattr(usage, "cache_creation_input_tokens", 0) or 0,
        ),
        stop_reason=message.stop_reason, id=message.id,
    )
