"""The built-in LLM providers (Anthropic, OpenAI and OpenAI-compatible servers, Bedrock),
registered as writers through the ``execbrief`` entry-point group, the way a third-party
package would register its own. The provider interface is ``execbrief.writers.provider``;
its names are handed on here for code that imported them from this package.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..llm import LLMWriter
from ..provider import (
    TOOL_NAME, LLMRequest, LLMResponse, Prices, Provider, ProviderError, Usage, answer_shape, classify_status,
    retry_after_seconds, sdk_errors,
)

__all__ = [
    "register", "BUILTIN", "LLMRequest", "LLMResponse", "Usage", "Prices", "Provider", "ProviderError",
    "answer_shape", "classify_status", "retry_after_seconds", "sdk_errors", "TOOL_NAME",
]

# writer kind → the provider class (imported when the writer is made, so a missing SDK costs only its writer)
BUILTIN = {
    "anthropic": "execbrief.writers.providers.anthropic.AnthropicProvider",
    "openai": "execbrief.writers.providers.openai.OpenAIProvider",
    "bedrock": "execbrief.writers.providers.bedrock.BedrockProvider",
}


def _factory(provider_path: str) -> Any:
    def make(settings: Any) -> LLMWriter:
        module, _, cls = provider_path.rpartition(".")
        provider_cls = getattr(importlib.import_module(module), cls)
        return LLMWriter(settings, provider_cls(settings))

    return make


def register(registry: Any) -> None:
    """Entry point: register the built-in LLM writers (SDKs are imported only when used)."""
    for kind, path in BUILTIN.items():
        registry.add_writer(kind, _factory(path))
