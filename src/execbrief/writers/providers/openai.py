"""OpenAI Chat Completions through the official ``openai`` SDK (extra ``openai``).

Works with any OpenAI-compatible server through ``[writer] base_url`` (Ollama, vLLM,
LM Studio); then the key is optional. The answer is structured output (``json_schema``,
strict). OpenAI caches long shared prefixes by itself; ``prompt_cache_key`` keeps the
eight requests of a run on the same cache. Batches go through the Batch API at half price.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ...model import content_hash
from . import LLMRequest, LLMResponse, Prices, Provider, ProviderError, Usage, answer_shape, sdk_errors

__all__ = ["OpenAIProvider"]


class OpenAIOptions(BaseModel):
    """``[writer.options]`` for the openai writer."""

    model_config = ConfigDict(extra="forbid")

    response_format: Literal["json_schema", "json_object"] = "json_schema"
    prompt_cache_key: bool | None = None  # default: on for api.openai.com, off for other servers
    temperature: float | None = None


class OpenAIProvider(Provider):
    """GPT models, or any OpenAI-compatible server."""

    name = "openai"
    key_env_var = "OPENAI_API_KEY"
    extra = "openai"
    default_model = "gpt-5-mini"
    list_prices = {
        "gpt-5-mini": Prices(input=Decimal("0.25"), output=Decimal(2), cache_read=Decimal("0.025"), cache_write=Decimal("0.25")),
        "gpt-5": Prices(input=Decimal("1.25"), output=Decimal(10), cache_read=Decimal("0.125"), cache_write=Decimal("1.25")),
        "gpt-4.1-mini": Prices(input=Decimal("0.40"), output=Decimal("1.60"), cache_read=Decimal("0.10"), cache_write=Decimal("0.40")),
        "gpt-4.1": Prices(input=Decimal(2), output=Decimal(8), cache_read=Decimal("0.50"), cache_write=Decimal(2)),
        "gpt-4o-mini": Prices(input=Decimal("0.15"), output=Decimal("0.60"), cache_read=Decimal("0.075"), cache_write=Decimal("0.15")),
        "gpt-4o": Prices(input=Decimal("2.50"), output=Decimal(10), cache_read=Decimal("1.25"), cache_write=Decimal("2.50")),
    }
    supports_prompt_cache = True
    supports_batch = True
    Options = OpenAIOptions

    def make_client(self) -> Any:
        """An ``openai.OpenAI`` client; our own loop retries, so the SDK's does not."""
        sdk = self.sdk("openai")
        base_url = self.settings.writer.base_url or self.settings.env.get("OPENAI_BASE_URL") or None
        # a self-hosted OpenAI-compatible server usually needs no key
        key = self.api_key(required=base_url is None) or "not-needed"
        return sdk.OpenAI(api_key=key, base_url=base_url, max_retries=0, timeout=self.settings.writer.timeout_s)

    def params(self, request: LLMRequest) -> dict[str, Any]:
        """The Chat Completions parameters of a request."""
        if self.options.response_format == "json_schema":
            response_format: dict[str, Any] = {
                "type": "json_schema",
                "json_schema": {"name": "briefing", "schema": request.schema, "strict": True},
            }
        else:
            response_format = {"type": "json_object"}
        params: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": request.system}, {"role": "user", "content": request.user}],
            "max_completion_tokens": request.max_tokens,
            "response_format": response_format,
        }
        send_key = self.options.prompt_cache_key
        if send_key is None:
            send_key = not (self.settings.writer.base_url or self.settings.env.get("OPENAI_BASE_URL"))
        if send_key:
            params["prompt_cache_key"] = "execbrief-" + content_hash(request.system)[7:23]
        if self.options.temperature is not None:
            params["temperature"] = self.options.temperature
        return params

    def complete(self, request: LLMRequest) -> LLMResponse:
        """One Chat Completions call."""
        sdk = self.sdk("openai")
        with sdk_errors(sdk, "OpenAI API", self.settings.writer.timeout_s):
            completion = self.client.chat.completions.create(**self.params(request))
        with answer_shape("OpenAI API"):
            return _response(completion)

    def submit_batch(self, requests: list[tuple[str, LLMRequest]]) -> str:
        """Upload the requests as JSONL and start a Batch API job."""
        sdk = self.sdk("openai")
        lines = [
            json.dumps({"custom_id": cid, "method": "POST", "url": "/v1/chat/completions", "body": self.params(r)})
            for cid, r in requests
        ]
        with sdk_errors(sdk, "OpenAI API", self.settings.writer.timeout_s):
            upload = self.client.files.create(file=("execbrief-batch.jsonl", "\n".join(lines).encode()), purpose="batch")
            batch = self.client.batches.create(
                input_file_id=upload.id, endpoint="/v1/chat/completions", completion_window="24h"
            )
        return batch.id

    def collect_batch(self, batch_id: str) -> dict[str, LLMResponse | ProviderError] | None:
        """The batch's results once it has completed (or failed, expired, been cancelled)."""
        sdk = self.sdk("openai")
        with sdk_errors(sdk, "OpenAI API", self.settings.writer.timeout_s):
            batch = self.client.batches.retrieve(batch_id)
            if batch.status not in ("completed", "failed", "expired", "cancelled"):
                return None
            out: dict[str, LLMResponse | ProviderError] = {}
            if batch.output_file_id:
                for line in self.client.files.content(batch.output_file_id).text.splitlines():
                    if not line.strip():
                        continue
                    entry = json.loads(line)
                    response = entry.get("response") or {}
                    if response.get("status_code") == 200:
                        completion = sdk.types.chat.ChatCompletion.model_validate(response["body"])
                        out[entry["custom_id"]] = _response(completion)
                    else:
                        out[entry["custom_id"]] = ProviderError("server", f"batch request failed: {entry.get('error')}")
            return out


def _response(completion: Any) -> LLMResponse:
    if not completion.choices:  # some OpenAI-compatible servers answer 200 with nothing in it
        raise ProviderError("malformed", "the answer has no choices (HTTP 200 with an empty \"choices\" list)")
    choice = completion.choices[0]
    usage = completion.usage
    cached = 0
    if usage is not None and getattr(usage, "prompt_tokens_details", None) is not None:
        cached = usage.prompt_tokens_details.cached_tokens or 0
    prompt = usage.prompt_tokens if usage is not None else 0
    return LLMResponse(
        text=choice.message.content or "",
        usage=Usage(
            input_tokens=max(0, prompt - cached), output_tokens=usage.completion_tokens if usage else 0,
            cache_read_tokens=cached,
        ),
        stop_reason=choice.finish_reason, id=completion.id,
    )
