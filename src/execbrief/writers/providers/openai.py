"""OpenAI Chat Completions through the official ``openai`` SDK (extra ``openai``).

Works with any OpenAI-compatible server through ``[writer] base_url`` (Ollama, llama.cpp's
server, vLLM, LM Studio); then the key is optional. The answer's shape is asked for the
strongest way the server takes (``[writer] structured``, "auto" by default): ``json_schema``
structured output, else ``json_object`` with the schema beside it (as llama.cpp-family
servers accept it), else plain text (the prompt always shows the JSON skeleton). A server
that refuses a ``response_format`` is answered with the next mode at once, and what worked is
remembered per server and model (``servers.ServerMemory``). A self-hosted server is asked
its context size and token counts, is sent ``max_tokens`` (OpenAI's own API takes
``max_completion_tokens``) and is priced at zero unless ``[writer.prices]`` says otherwise.
OpenAI caches long shared prefixes by itself; ``prompt_cache_key`` keeps the eight
requests of a run on the same cache. Batches go through the Batch API at half price.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ...model import content_hash
from ..cache import CACHE_DIR
from ..provider import LLMRequest, LLMResponse, Prices, Provider, ProviderError, Usage, answer_shape, sdk_errors
from .servers import MODES, ServerMemory, ask_context, ask_token_count, is_private

__all__ = ["OpenAIProvider"]


class OpenAIOptions(BaseModel):
    """``[writer.options]`` for the openai writer."""

    model_config = ConfigDict(extra="forbid")

    # the older name of [writer] structured: "json_schema" or "json_object" only, and no fallback
    response_format: Literal["json_schema", "json_object"] | None = None
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
    default_context_tokens = 128_000
    Options = OpenAIOptions
    LOCAL_CONTEXT_TOKENS = 8192  # a self-hosted server that does not say its context size

    def __init__(self, settings: Any, client: Any = None) -> None:
        self.base_url = (settings.writer.base_url or settings.env.get("OPENAI_BASE_URL") or "").rstrip("/") or None
        super().__init__(settings, client)
        self.memory = ServerMemory(settings.workspace / CACHE_DIR / "servers.json")
        self.memory_key = f"{self.base_url or 'https://api.openai.com/v1'}|{self.model}"
        self._context: int | None = None
        self._lock = threading.Lock()
        self._probe = threading.Lock()

    @property
    def self_hosted(self) -> bool:
        """A base URL on this machine or a private network: a server the user runs."""
        return is_private(self.base_url)

    @property
    def openai_itself(self) -> bool:
        """Whether the server is OpenAI's own API (which takes ``max_completion_tokens``)."""
        return self.base_url is None or "api.openai.com" in self.base_url

    def make_client(self) -> Any:
        """An ``openai.OpenAI`` client; our own loop retries, so the SDK's does not."""
        sdk = self.sdk("openai")
        # a self-hosted OpenAI-compatible server usually needs no key
        key = self.api_key(required=self.base_url is None) or "not-needed"
        return sdk.OpenAI(api_key=key, base_url=self.base_url, max_retries=0, timeout=self.settings.writer.timeout_s)

    # what the server can do

    def modes(self) -> tuple[str, ...]:
        """The structured-output modes to try, in order: the configured one, or the ladder from
        the strongest the server is not known to refuse."""
        chosen = self.options.response_format or self.settings.writer.structured
        if chosen != "auto":
            return (chosen,)
        remembered = self.memory.get(self.memory_key).get("structured")
        return MODES[MODES.index(remembered):] if remembered in MODES else MODES

    def _fetch(self, method: str, url: str, body: dict[str, Any] | None) -> Any:
        """A JSON answer from the server beside the API (None when it has no such endpoint)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=min(10.0, self.settings.writer.timeout_s)) as response:
                return json.loads(response.read(1_000_000)) if response.status == 200 else None
        except (OSError, ValueError):  # no such endpoint (HTTPError is an OSError), or no JSON: not known
            return None

    def context_tokens(self) -> int:
        """``[writer] context_tokens``; else what a self-hosted server says (asked once, remembered);
        else 8192 for a server other than OpenAI's, the model's window for OpenAI's."""
        if self.settings.writer.context_tokens:
            return self.settings.writer.context_tokens
        if self.openai_itself:
            return self.default_context_tokens
        with self._lock:
            if self._context is None:
                asked = ask_context(self._fetch, self.base_url or "", self.model)
                if asked:
                    self.memory.update(self.memory_key, context_tokens=asked)
                self._context = asked or self.memory.get(self.memory_key).get("context_tokens") or self.LOCAL_CONTEXT_TOKENS
            return self._context

    def count_tokens(self, text: str) -> int | None:
        """The server's own count (llama.cpp or vLLM ``/tokenize``), for a server other than OpenAI's."""
        known = self.memory.get(self.memory_key).get("tokenize")
        if self.openai_itself or known is False:
            return None
        count, path = ask_token_count(self._fetch, self.base_url or "", self.model, text,
                                      known if isinstance(known, str) else None)
        if count is None:
            self.memory.update(self.memory_key, tokenize=False)
        elif path != known:
            self.memory.update(self.memory_key, tokenize=path)  # the path that answers, asked first
        return count

    # requests

    def params(self, request: LLMRequest, mode: str | None = None) -> dict[str, Any]:
        """The Chat Completions parameters of a request in a structured-output mode."""
        mode = mode or self.modes()[0]
        params: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": request.system}, {"role": "user", "content": request.user}],
        }
        # OpenAI's own API takes max_completion_tokens; llama.cpp, Ollama and vLLM read max_tokens
        params["max_completion_tokens" if self.openai_itself else "max_tokens"] = request.max_tokens
        if mode == "json_schema":
            params["response_format"] = {
                "type": "json_schema", "json_schema": {"name": "briefing", "schema": request.schema, "strict": True},
            }
        elif mode == "json_object":
            # llama.cpp's server and llama-cpp-python constrain the answer to a schema given here
            params["response_format"] = {"type": "json_object", "schema": request.schema}
        send_key = self.options.prompt_cache_key
        if send_key is None:
            send_key = self.base_url is None
        if send_key:
            params["prompt_cache_key"] = "execbrief-" + content_hash(request.system)[7:23]
        if self.options.temperature is not None:
            params["temperature"] = self.options.temperature
        return params

    def _create(self, sdk: Any, request: LLMRequest, mode: str) -> Any:
        with sdk_errors(sdk, "OpenAI API", self.settings.writer.timeout_s):
            return self.client.chat.completions.create(**self.params(request, mode))

    def complete(self, request: LLMRequest) -> LLMResponse:
        """One Chat Completions call, in the strongest structured-output mode the server takes."""
        auto = not self.options.response_format and self.settings.writer.structured == "auto"
        if auto and "structured" not in self.memory.get(self.memory_key):
            with self._probe:  # concurrent reports wait for the first to learn what the server takes
                return self._complete(request, auto)
        return self._complete(request, auto)

    def _complete(self, request: LLMRequest, auto: bool) -> LLMResponse:
        sdk = self.sdk("openai")
        modes = self.modes()
        for mode in modes[:-1]:
            try:
                completion = self._create(sdk, request, mode)
            except ProviderError as exc:
                if exc.kind == "unsupported":
                    continue  # a capability answer, not a fault: ask the next way at once
                raise
            return self._answer(completion, mode, auto)
        try:
            completion = self._create(sdk, request, modes[-1])
        except ProviderError as exc:
            if exc.kind == "unsupported" and not auto:
                raise ProviderError("unsupported", f"{exc}; set [writer] structured = \"auto\" and execbrief "
                                                   "finds the way this server takes") from None
            raise
        return self._answer(completion, modes[-1], auto)

    def _answer(self, completion: Any, mode: str, remember: bool) -> LLMResponse:
        if remember:
            self.memory.update(self.memory_key, structured=mode)
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
