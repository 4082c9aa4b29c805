"""Self-hosted OpenAI-compatible servers (llama.cpp, Ollama, vLLM, LM Studio): what each can
do, asked once and remembered.

Such a server may not take ``json_schema`` structured output, may have a 4–32k context,
and costs nothing per token. ``ServerMemory`` keeps, per ``base_url`` and model, the
structured-output mode that worked and the context size the server reported, in
``.execbrief/cache/llm/servers.json`` beside the response cache; delete the file (or set
``[writer] structured`` and ``context_tokens``) after changing the server.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

__all__ = ["ServerMemory", "is_private", "server_root", "ask_context", "ask_token_count", "MODES"]

# the ways to ask for the answer's shape, strongest first
MODES = ("json_schema", "json_object", "none")


def is_private(base_url: str | None) -> bool:
    """Whether a base URL names this machine or a private network (a server one runs oneself)."""
    if not base_url:
        return False
    host = (urlsplit(base_url if "//" in base_url else f"//{base_url}").hostname or "").lower()
    if host in ("localhost", "host.docker.internal") or host.endswith((".localhost", ".local", ".internal", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def server_root(base_url: str) -> str:
    """The server's root URL: the base URL without its ``/v1``."""
    return re.sub(r"/v1/?$", "", base_url.rstrip("/"))


class ServerMemory:
    """What was learnt of each server and model, kept in a small JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def get(self, key: str) -> dict[str, Any]:
        """What is remembered of a server and model (empty if nothing, or the file is damaged)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            entry = data.get(key) if isinstance(data, dict) else None
        except (OSError, ValueError):
            return {}
        return dict(entry) if isinstance(entry, dict) else {}

    def update(self, key: str, **fields: Any) -> None:
        """Remember fields of a server and model (written atomically; a failure to write costs nothing)."""
        with self._lock:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                data = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                data = {}
            entry = data.get(key) if isinstance(data.get(key), dict) else {}
            if all(entry.get(k) == v for k, v in fields.items()):
                return
            data[key] = {**entry, **fields}
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(data, handle, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
            except OSError:
                pass  # a read-only workspace asks again next run


Fetch = Callable[[str, str, dict[str, Any] | None], Any]  # (method, url, json body) → parsed JSON or None


def _number(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def ask_context(fetch: Fetch, base_url: str, model: str) -> int | None:
    """The context size the server reports for the model: llama.cpp ``/props``, Ollama
    ``/api/show`` (its ``num_ctx``, else Ollama's default of 4096), LM Studio
    ``/api/v0/models/{model}``, vLLM ``/v1/models``."""
    root = server_root(base_url)
    props = fetch("GET", f"{root}/props", None)
    if isinstance(props, dict):
        settings = props.get("default_generation_settings")
        n_ctx = _number(settings.get("n_ctx")) if isinstance(settings, dict) else None
        if n_ctx := n_ctx or _number(props.get("n_ctx")):
            return n_ctx
    show = fetch("POST", f"{root}/api/show", {"model": model})
    if isinstance(show, dict) and ("model_info" in show or "parameters" in show):
        found = re.search(r"(?m)^\s*num_ctx\s+(\d+)", str(show.get("parameters") or ""))
        if found:
            return int(found.group(1))
        # Ollama runs a model at 4096 tokens unless num_ctx says otherwise, whatever it was trained for
        trained = next((_number(v) for k, v in (show.get("model_info") or {}).items() if k.endswith(".context_length")), None)
        return min(trained or 4096, 4096)
    studio = fetch("GET", f"{root}/api/v0/models/{model}", None)  # LM Studio: the size it loaded the model with
    if isinstance(studio, dict) and _number(studio.get("loaded_context_length")):
        return _number(studio["loaded_context_length"])
    models = fetch("GET", f"{base_url.rstrip('/')}/models", None)
    if isinstance(models, dict) and isinstance(models.get("data"), list):
        for entry in models["data"]:
            if isinstance(entry, dict) and entry.get("id") == model and _number(entry.get("max_model_len")):
                return _number(entry["max_model_len"])
    return None


def ask_token_count(fetch: Fetch, base_url: str, model: str, text: str,
                    known: str | None = None) -> tuple[int | None, str | None]:
    """The server's own token count of a text — llama.cpp's or vLLM's ``/tokenize``, or
    llama-cpp-python's ``/extras/tokenize`` — and the path that answered, which is asked
    first next time (``known``): a llama-cpp-python server would otherwise answer 404 once
    a count."""
    root = server_root(base_url)
    for path in sorted(_TOKENIZE, key=lambda p: p != known):
        answer = fetch("POST", f"{root}{path}", _TOKENIZE[path](text, model))
        if isinstance(answer, dict):
            count = len(answer["tokens"]) if isinstance(answer.get("tokens"), list) else _number(answer.get("count"))
            if count is not None:
                return count, path
    return None, None


_TOKENIZE: dict[str, Callable[[str, str], dict[str, Any]]] = {  # path → request body
    "/tokenize": lambda text, model: {"content": text, "model": model, "prompt": text},
    "/extras/tokenize": lambda text, model: {"input": text, "model": model},
}
