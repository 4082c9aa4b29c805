"""A local LLM API server for tests: Anthropic Messages, OpenAI Chat Completions, Bedrock Converse.

It speaks each wire format closely enough for the real SDKs (anthropic, openai, boto3),
including the Anthropic and OpenAI batch APIs. By default it answers like a careful
model: it reads the facts and sections out of the prompt and returns a grounded briefing
that cites them (``answer`` replaces that model: the reader's tests give it labellers). Faults are scripted per request: 429 with Retry-After, 500, 401, context
length, a timeout, a malformed body, or an answer that is not JSON, cites an unknown fact,
invents a number or carries planted text. It counts tokens (4 bytes a token), simulates
prompt caching (Anthropic cache_control and Bedrock cachePoint: the marked prefix; OpenAI:
any system prompt of 1,024 tokens or more) and, if asked, a fixed latency per output token.
It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import email.parser
import hashlib
import json
import math
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

__all__ = ["LLMServer", "Fault", "tokens", "grounded_answer"]


BYTES_PER_TOKEN = 4


def tokens(text: str, per_token: float = BYTES_PER_TOKEN) -> int:
    """The server's token count: 4 bytes a token unless told otherwise."""
    return math.ceil(len(text.encode("utf-8")) / per_token)


_FACT = re.compile(r"^\[(f-[0-9a-z-]+|F\d+)\] (.*)\n  statement: (.*)$", re.M)
_SECTION = re.compile(r"^- (\S+) — (.*?) — ([a-z_]+) — .*? — facts: (.*)$", re.M)


def grounded_answer(system: str, user: str) -> dict[str, Any]:
    """What a careful model answers: each fact's own statement, citing it."""
    statements = {m.group(1): m.group(3) for m in _FACT.finditer(system)}
    sections, summary = [], []
    for m in _SECTION.finditer(user.split("\n\nYour previous answer was:")[0]):
        sid, style = m.group(1), m.group(3)
        ids = [i for i in re.findall(r"f-[0-9a-z-]+|\bF\d+\b", m.group(4)) if i in statements]
        if not ids:
            sections.append({"id": sid, "lead": {"text": "Nothing to report here.", "cites": []}, "items": []})
            continue
        if style == "bullets":
            items = [{"text": statements[i], "cites": [i]} for i in ids]
            sections.append({"id": sid, "lead": {"text": "", "cites": []}, "items": items})
            summary.extend(dict(item) for item in items[:1])
        else:
            sections.append({"id": sid, "lead": {"text": statements[ids[0]], "cites": [ids[0]]}, "items": []})
    return {"summary": summary[:3], "sections": sections}


@dataclass
class Fault:
    """One scripted behaviour for the next matching model request."""

    kind: str  # status | timeout | malformed_body | body | answer
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    message: str = ""
    code: str = ""
    seconds: float = 0.0
    change: Callable[[dict[str, Any]], Any] | None = None

    @classmethod
    def rate_limit(cls, retry_after: str | None = "7") -> "Fault":
        return cls("status", 429, {"retry-after": retry_after} if retry_after else {}, "Rate limit exceeded", "rate_limit_exceeded")

    @classmethod
    def server_error(cls) -> "Fault":
        return cls("status", 500, {}, "Internal server error", "server_error")

    @classmethod
    def auth(cls) -> "Fault":
        return cls("status", 401, {}, "invalid x-api-key", "invalid_api_key")

    @classmethod
    def context_length(cls) -> "Fault":
        return cls("status", 400, {}, "prompt is too long: 250000 tokens > 200000 maximum context length",
                   "context_length_exceeded")

    @classmethod
    def timeout(cls, seconds: float = 1.5) -> "Fault":
        return cls("timeout", seconds=seconds)

    @classmethod
    def malformed_body(cls) -> "Fault":
        return cls("malformed_body")

    @classmethod
    def body(cls, payload: Any) -> "Fault":
        """Answer HTTP 200 with exactly this JSON body (say, an OpenAI answer with no choices)."""
        return cls("body", change=lambda _: payload)

    @classmethod
    def answer(cls, change: Callable[[dict[str, Any]], Any]) -> "Fault":
        """Change the grounded answer; ``change`` may return a replacement (e.g. a non-JSON string)."""
        return cls("answer", change=change)


class LLMServer:
    """The server and what it saw: requests, token counts, batches."""

    def __init__(self, latency_per_token_s: float = 0.0, bytes_per_token: float = BYTES_PER_TOKEN,
                 answer: Callable[[str, str], Any] = grounded_answer, *, flavor: str = "openai",
                 structured: tuple[str, ...] = ("json_schema", "json_object", "none"),
                 context: int | None = None) -> None:
        self.answer = answer  # (system, user) → the answer: a careful writer's by default
        # a self-hosted server's ways (OpenAI Chat Completions only): "llama.cpp" has /props and
        # /tokenize, "llama-cpp-python" /extras/tokenize, "ollama" /api/show, "lmstudio"
        # /api/v0/models/{model}, "vllm" max_model_len in /v1/models and /tokenize
        self.flavor = flavor
        self.structured = structured  # the response_format types it takes ("none": plain text only)
        self.context = context  # its context size in tokens: a longer prompt is refused as llama.cpp does
        self.latency_per_token_s = latency_per_token_s
        self.bytes_per_token = bytes_per_token
        self.faults: list[tuple[Fault, Callable[[str], bool] | None]] = []
        self.requests: list[dict[str, Any]] = []  # every request: path, headers, body
        self.model_calls: list[dict[str, Any]] = []  # model requests with their usage
        self.refused: list[dict[str, Any]] = []  # requests refused for their response_format or size
        self.batches: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.auto_finish_batches = False
        self.in_flight = 0
        self.max_in_flight = 0
        self._prefix_cache: set[str] = set()
        self._lock = threading.Lock()
        self._connections: list[tuple[socket.socket, threading.Thread]] = []
        self._ids = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server._connections.append((self.connection, threading.current_thread()))

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "LLMServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        # a client that kept its connection open (an SDK's pool) would keep a handler thread
        # alive past the test, and a live thread stops later tests from forking workers
        for connection, thread in self._connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            thread.join(timeout=2)

    def enqueue(self, *faults: Fault, match: Callable[[str], bool] | None = None) -> None:
        """Script faults for the next model requests (whose prompt ``match`` accepts, if given)."""
        with self._lock:
            self.faults.extend((f, match) for f in faults)

    def bodies(self) -> list[str]:
        """Every request body received, as text."""
        return [r["body"].decode("utf-8", "replace") for r in self.requests]

    def finish_batches(self) -> None:
        """Let every submitted batch end."""
        for batch in self.batches.values():
            batch["done"] = True

    def _next_id(self, prefix: str) -> str:
        with self._lock:
            self._ids += 1
            return f"{prefix}{self._ids}"

    # HTTP plumbing

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        with self._lock:
            self.requests.append({"method": method, "path": h.path, "headers": dict(h.headers), "body": body})
        path = h.path.split("?")[0]
        try:
            if method == "POST" and path == "/v1/messages":
                status, headers, payload = self._model("anthropic", json.loads(body))
            elif method == "POST" and path == "/v1/chat/completions":
                status, headers, payload = self._model("openai", json.loads(body))
            elif method == "POST" and re.fullmatch(r"/model/[^/]+/converse", path):
                status, headers, payload = self._model("bedrock", json.loads(body))
            elif (own := self._server_api(method, path, body)) is not None:
                status, headers, payload = own
            else:
                status, headers, payload = self._batch_api(method, path, h.headers.get("Content-Type", ""), body)
        except _Timeout as t:
            time.sleep(t.seconds)
            status, headers, payload = 500, {}, {"error": {"message": "late"}}
        self._send(h, status, headers, payload)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, headers: dict[str, str], payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            h.send_response(status)
            h.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # model requests

    def _take_fault(self, prompt: str) -> Fault | None:
        with self._lock:
            for n, (fault, match) in enumerate(self.faults):
                if match is None or match(prompt):
                    del self.faults[n]
                    return fault
        return None

    def _server_api(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], Any] | None:
        """The endpoints a self-hosted server has beside the OpenAI API (None: not this flavor's)."""
        context = self.context or 4096
        if self.flavor == "llama.cpp" and method == "GET" and path == "/props":
            return 200, {}, {"default_generation_settings": {"n_ctx": context, "params": {}}, "total_slots": 1}
        if self.flavor in ("llama.cpp", "vllm") and method == "POST" and path == "/tokenize":
            req = json.loads(body)
            text = req.get("content") or req.get("prompt") or ""
            n = tokens(text, self.bytes_per_token)
            return 200, {}, ({"tokens": list(range(n))} if self.flavor == "llama.cpp" else {"count": n, "max_model_len": context})
        if self.flavor == "llama-cpp-python" and method == "POST" and path == "/extras/tokenize":
            n = tokens(json.loads(body).get("input") or "", self.bytes_per_token)
            return 200, {}, {"tokens": list(range(n))}
        if self.flavor == "ollama" and method == "POST" and path == "/api/show":
            return 200, {}, {"parameters": f"num_ctx {context}\nstop \"<|im_end|>\"",
                             "model_info": {"qwen2.context_length": 32768}, "details": {"family": "qwen2"}}
        if self.flavor == "lmstudio" and method == "GET" and path.startswith("/api/v0/models/"):
            return 200, {}, {"id": path.rsplit("/", 1)[1], "type": "llm", "state": "loaded",
                             "max_context_length": 32768, "loaded_context_length": context}
        if self.flavor == "llama.cpp" and method == "GET" and path == "/v1/models":  # the trained size, not n_ctx
            return 200, {}, {"object": "list", "data": [{"id": "model.gguf", "object": "model", "owned_by": "llamacpp",
                                                         "meta": {"n_ctx_train": 32768}}]}
        if self.flavor in ("vllm", "openai") and method == "GET" and path == "/v1/models":
            # as vLLM says it; the plain server says a hosted model's window, so prompts are not cut
            size = self.context or (4096 if self.flavor == "vllm" else 200_000)
            return 200, {}, {"object": "list", "data": [{"id": m, "object": "model", "max_model_len": size}
                                                        for m in ("local-model", "gpt-5-mini", "gpt-5")]}
        return None

    def _refusal(self, req: dict[str, Any], system: str, user: str) -> tuple[int, dict[str, str], Any] | None:
        """What a self-hosted server answers to a response_format or a prompt it does not take."""
        wanted = (req.get("response_format") or {}).get("type") or "none"
        if wanted == "json_schema" and "json_schema" not in self.structured:
            # llama-cpp-python's answer, word for word (pydantic's literal error, as HTTP 500)
            detail = [{"type": "literal_error", "loc": ["body", "response_format", "type"],
                       "msg": "Input should be 'text' or 'json_object'", "input": "json_schema",
                       "ctx": {"expected": "'text' or 'json_object'"}}]
            return 500, {}, {"error": {"message": str(detail), "type": "internal_server_error", "param": None, "code": None}}
        if wanted == "json_object" and "json_object" not in self.structured:
            return 400, {}, {"error": {"message": "response_format of type json_object is not supported by this model",
                                       "type": "invalid_request_error", "param": "response_format", "code": None}}
        if self.context is not None:
            n_prompt = tokens(system, self.bytes_per_token) + tokens(user, self.bytes_per_token)
            if n_prompt >= self.context:  # llama.cpp's server, word for word
                return 400, {}, {"error": {"code": 400, "message": "the request exceeds the available context size, "
                                           "try increasing it", "type": "exceed_context_size_error",
                                           "n_prompt_tokens": n_prompt, "n_ctx": self.context}}
        return None

    def _model(self, api: str, req: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        system, user, prefix, max_tokens = _read_request(api, req)
        if api == "openai":
            refused = self._refusal(req, system, user)
            if refused is not None:
                with self._lock:
                    self.refused.append({"response_format": req.get("response_format"), "status": refused[0]})
                return refused
            if self.context is not None:  # a model stops where its context ends
                max_tokens = min(max_tokens, self.context - tokens(system, self.bytes_per_token)
                                 - tokens(user, self.bytes_per_token))
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return self._answer(api, req, system, user, prefix, max_tokens)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, api: str, req: dict[str, Any], system: str, user: str, prefix: str | None,
                max_tokens: int) -> tuple[int, dict[str, str], Any]:
        fault = self._take_fault(system + user)
        if fault is not None and fault.kind == "status":
            headers = dict(fault.headers)
            if api == "bedrock":  # botocore reads the error code from this header
                headers["x-amzn-ErrorType"] = {429: "ThrottlingException", 401: "AccessDeniedException",
                                               400: "ValidationException"}.get(fault.status, "InternalServerException")
            return fault.status, headers, _error(api, fault)
        if fault is not None and fault.kind == "timeout":
            raise _Timeout(fault.seconds)
        if fault is not None and fault.kind == "malformed_body":
            return 200, {}, b'{"id": "broken", "content": [{"type": "tool_use", "input": {"summ'
        if fault is not None and fault.kind == "body":
            return 200, {}, fault.change({}) if fault.change else {}
        answer: Any = self.answer(system, user)
        if fault is not None and fault.change is not None:
            changed = fault.change(answer)
            answer = answer if changed is None else changed
        text = answer if isinstance(answer, str) else json.dumps(answer)
        plain = api == "openai" and not req.get("response_format")
        if plain and not isinstance(answer, str):  # no constraint: a model wraps its JSON in words
            text = f"Here is the briefing as JSON:\n```json\n{text}\n```\nLet me know if you need changes."
        out = tokens(text, self.bytes_per_token)
        if out > max_tokens:  # cut off, as a real model would be
            text, out = text[: max_tokens * 4], max_tokens
        usage = self._usage(api, system, user, prefix, req)
        usage["output"] = out
        if self.latency_per_token_s:
            time.sleep(out * self.latency_per_token_s)
        with self._lock:
            self.model_calls.append({"api": api, "usage": usage, "max_tokens": max_tokens, "user": user, "system": system,
                                     "response_format": req.get("response_format"),
                                     "prompt_tokens": tokens(system, self.bytes_per_token) + tokens(user, self.bytes_per_token),
                                     "asked_max_tokens": req.get("max_tokens") or req.get("max_completion_tokens"),
                                     "max_tokens_key": next((k for k in ("max_completion_tokens", "max_tokens") if k in req), None)})
            if usage.get("prefix_key"):
                self._prefix_cache.add(usage["prefix_key"])  # written once the response is done
        stop = "max_tokens" if out >= max_tokens else None
        return 200, {}, _success(api, req, text, answer if not isinstance(answer, str) else None, usage, stop, self._next_id("id"))

    def _usage(self, api: str, system: str, user: str, prefix: str | None, req: dict[str, Any]) -> dict[str, Any]:
        tools = json.dumps(req.get("tools") or req.get("toolConfig") or req.get("response_format") or "")
        count = lambda text: tokens(text, self.bytes_per_token)  # noqa: E731
        total = count(tools) + count(system) + count(user)
        if prefix is None:
            return {"input": total, "cache_read": 0, "cache_write": 0, "total_in": total}
        key = hashlib.sha256((tools + prefix).encode()).hexdigest()
        size = count(tools) + count(prefix)
        with self._lock:
            hit = key in self._prefix_cache
        if api == "openai":  # automatic caching: no write surcharge, cached part reported
            return {"input": total - (size if hit else 0), "cache_read": size if hit else 0, "cache_write": 0,
                    "total_in": total, "prefix_key": key}
        return {"input": total - size, "cache_read": size if hit else 0, "cache_write": 0 if hit else size,
                "total_in": total, "prefix_key": key}

    # batch APIs (Anthropic Message Batches, OpenAI files + batches)

    def _batch_api(self, method: str, path: str, ctype: str, body: bytes) -> tuple[int, dict[str, str], Any]:
        if method == "POST" and path == "/v1/messages/batches":
            bid = self._next_id("msgbatch_")
            self.batches[bid] = {"api": "anthropic", "requests": json.loads(body)["requests"], "done": self.auto_finish_batches}
            return 200, {}, self._anthropic_batch(bid)
        m = re.fullmatch(r"/v1/messages/batches/([^/]+)(/results)?", path)
        if method == "GET" and m and m.group(1) in self.batches:
            bid = m.group(1)
            if not m.group(2):
                return 200, {}, self._anthropic_batch(bid)
            lines = []
            for item in self.batches[bid]["requests"]:
                status, _, message = self._model("anthropic", item["params"])
                result = {"type": "succeeded", "message": message} if status == 200 else {"type": "errored", "error": message}
                lines.append(json.dumps({"custom_id": item["custom_id"], "result": result}))
            return 200, {"Content-Type": "application/x-jsonl"}, "\n".join(lines).encode()
        if method == "POST" and path == "/v1/files":
            fid = self._next_id("file-")
            parsed = email.parser.BytesParser().parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + body)
            content = next(p.get_payload(decode=True) for p in parsed.get_payload() if p.get_param("name", header="content-disposition") == "file")
            self.files[fid] = content
            return 200, {}, {"id": fid, "object": "file", "bytes": len(content), "created_at": 0,
                             "filename": "batch.jsonl", "purpose": "batch", "status": "processed"}
        if method == "POST" and path == "/v1/batches":
            req = json.loads(body)
            bid = self._next_id("batch_")
            self.batches[bid] = {"api": "openai", "input": req["input_file_id"], "done": self.auto_finish_batches}
            return 200, {}, self._openai_batch(bid)
        m = re.fullmatch(r"/v1/batches/([^/]+)", path)
        if method == "GET" and m and m.group(1) in self.batches:
            return 200, {}, self._openai_batch(m.group(1))
        m = re.fullmatch(r"/v1/files/([^/]+)/content", path)
        if method == "GET" and m and m.group(1) in self.files:
            return 200, {"Content-Type": "application/octet-stream"}, self.files[m.group(1)]
        return 404, {}, {"error": {"message": f"no route {method} {path}"}}

    def _anthropic_batch(self, bid: str) -> dict[str, Any]:
        batch = self.batches[bid]
        n = len(batch["requests"])
        return {
            "id": bid, "type": "message_batch", "processing_status": "ended" if batch["done"] else "in_progress",
            "request_counts": {"processing": 0 if batch["done"] else n, "succeeded": n if batch["done"] else 0,
                               "errored": 0, "canceled": 0, "expired": 0},
            "created_at": "2026-11-27T00:00:00Z", "expires_at": "2026-11-28T00:00:00Z",
            "ended_at": "2026-11-27T01:00:00Z" if batch["done"] else None, "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{self.url}/v1/messages/batches/{bid}/results" if batch["done"] else None,
        }

    def _openai_batch(self, bid: str) -> dict[str, Any]:
        batch = self.batches[bid]
        out_id = None
        if batch["done"]:
            out_id = batch.get("output")
            if out_id is None:
                lines = []
                for line in self.files[batch["input"]].decode().splitlines():
                    item = json.loads(line)
                    status, _, completion = self._model("openai", item["body"])
                    lines.append(json.dumps({"id": self._next_id("req_"), "custom_id": item["custom_id"],
                                             "response": {"status_code": status, "body": completion}, "error": None}))
                out_id = batch["output"] = self._next_id("file-")
                self.files[out_id] = "\n".join(lines).encode()
        return {
            "id": bid, "object": "batch", "endpoint": "/v1/chat/completions", "errors": None,
            "input_file_id": batch["input"], "completion_window": "24h",
            "status": "completed" if batch["done"] else "in_progress", "output_file_id": out_id,
            "error_file_id": None, "created_at": 0, "request_counts": {"total": 1, "completed": 1, "failed": 0},
        }


class _Timeout(Exception):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


def _read_request(api: str, req: dict[str, Any]) -> tuple[str, str, str | None, int]:
    """System text, user text, the cacheable prefix (if any) and max tokens of a request."""
    if api == "anthropic":
        blocks = req.get("system") or []
        blocks = [{"type": "text", "text": blocks}] if isinstance(blocks, str) else blocks
        system = "".join(b["text"] for b in blocks)
        marked = [i for i, b in enumerate(blocks) if b.get("cache_control")]
        prefix = "".join(b["text"] for b in blocks[: marked[-1] + 1]) if marked else None
        user = "".join(m["content"] if isinstance(m["content"], str) else "".join(c.get("text", "") for c in m["content"])
                       for m in req["messages"])
        return system, user, prefix, req["max_tokens"]
    if api == "openai":
        system = "".join(m["content"] for m in req["messages"] if m["role"] == "system")
        user = "".join(m["content"] for m in req["messages"] if m["role"] == "user")
        prefix = system if tokens(system) >= 1024 else None
        return system, user, prefix, req.get("max_completion_tokens") or req.get("max_tokens") or 4096
    blocks = req.get("system") or []
    system = "".join(b.get("text", "") for b in blocks)
    cut = [i for i, b in enumerate(blocks) if "cachePoint" in b]
    prefix = "".join(b.get("text", "") for b in blocks[: cut[-1]]) if cut else None
    user = "".join(c.get("text", "") for m in req["messages"] for c in m["content"])
    return system, user, prefix, req.get("inferenceConfig", {}).get("maxTokens", 4096)


def _error(api: str, fault: Fault) -> dict[str, Any]:
    if api == "anthropic":
        kind = {429: "rate_limit_error", 401: "authentication_error", 400: "invalid_request_error"}.get(fault.status, "api_error")
        return {"type": "error", "error": {"type": kind, "message": fault.message}}
    if api == "openai":
        return {"error": {"message": fault.message, "type": "error", "code": fault.code, "param": None}}
    return {"message": fault.message}


def _success(api: str, req: dict[str, Any], text: str, answer: dict[str, Any] | None, usage: dict[str, Any],
             stop: str | None, rid: str) -> dict[str, Any]:
    if api == "anthropic":
        content = ([{"type": "tool_use", "id": "toolu_" + rid, "name": req["tools"][0]["name"], "input": answer}]
                   if answer is not None and stop is None else [{"type": "text", "text": text}])
        return {
            "id": "msg_" + rid, "type": "message", "role": "assistant", "model": req["model"], "content": content,
            "stop_reason": stop or "tool_use", "stop_sequence": None,
            "usage": {"input_tokens": usage["input"], "output_tokens": usage["output"],
                      "cache_creation_input_tokens": usage["cache_write"], "cache_read_input_tokens": usage["cache_read"]},
        }
    if api == "openai":
        return {
            "id": "chatcmpl-" + rid, "object": "chat.completion", "created": 0, "model": req["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                         "finish_reason": "length" if stop else "stop", "logprobs": None}],
            "usage": {"prompt_tokens": usage["total_in"], "completion_tokens": usage["output"],
                      "total_tokens": usage["total_in"] + usage["output"],
                      "prompt_tokens_details": {"cached_tokens": usage["cache_read"]}},
        }
    content = ([{"toolUse": {"toolUseId": "t" + rid, "name": "write_briefing", "input": answer}}]
               if answer is not None and stop is None else [{"text": text}])
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": "max_tokens" if stop else "tool_use",
        "usage": {"inputTokens": usage["input"], "outputTokens": usage["output"],
                  "totalTokens": usage["total_in"] + usage["output"],
                  "cacheReadInputTokens": usage["cache_read"], "cacheWriteInputTokens": usage["cache_write"]},
        "metrics": {"latencyMs": 1},
    }


def environ_for(kind: str, server: LLMServer, **extra: str) -> dict[str, str]:
    """The environment that points an execbrief writer of ``kind`` at the local server."""
    env = {
        "EXECBRIEF_WRITER_KIND": kind,
        "EXECBRIEF_WRITER_BASE_URL": server.url + ("/v1" if kind == "openai" else ""),
        "ANTHROPIC_API_KEY": "sk-ant-test-local-server-key-000000",
        "OPENAI_API_KEY": "sk-test-local-server-key-0000000000",
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
    }
    env.update(extra)
    return env
