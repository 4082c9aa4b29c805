"""The response cache: an unchanged lens on an unchanged fact base makes no call.

Responses are stored as JSON files under ``<workspace>/.execbrief/cache/llm/``, keyed by
a hash of (provider, model, prompt, schema). Prompts are redacted before they are built,
so the cache holds no secrets; only successful answers are stored.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..model import content_hash
from .provider import LLMRequest, LLMResponse

__all__ = ["ResponseCache", "cache_key", "CACHE_DIR"]

CACHE_DIR = Path(".execbrief") / "cache" / "llm"


def cache_key(provider: str, model: str, request: LLMRequest) -> str:
    """``sha256:…`` of the provider, the model, the prompt and the schema."""
    material = {"provider": provider, "model": model, **request.fingerprint()}
    return content_hash(json.dumps(material, sort_keys=True, separators=(",", ":")))


class ResponseCache:
    """A folder of cached responses; ``enabled=False`` makes every lookup miss."""

    def __init__(self, root: Path, enabled: bool = True) -> None:
        self.root = root
        self.enabled = enabled

    @classmethod
    def for_workspace(cls, workspace: Path, enabled: bool = True) -> "ResponseCache":
        """The cache of a workspace."""
        return cls(workspace / CACHE_DIR, enabled)

    def _path(self, key: str) -> Path:
        digest = key.split(":", 1)[-1]
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> LLMResponse | None:
        """The cached response for a key, if any (a damaged entry counts as a miss)."""
        if not self.enabled:
            return None
        try:
            data: dict[str, Any] = json.loads(self._path(key).read_text(encoding="utf-8"))
            return LLMResponse.from_json(data["response"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, response: LLMResponse) -> None:
        """Store a response; written atomically so a crash never leaves half a file."""
        if not self.enabled:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"key": key, "response": response.to_json()}, handle)
        os.replace(tmp, path)
