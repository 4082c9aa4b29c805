"""Ledger rows of LLM writers: every call (redacted), its tokens, cost, latency and retries.

Kept apart from ``store.py`` so the LLM writer's bookkeeping lives beside its schema
(migration ``m003_llm_calls``). Prompts reach here already redacted by the prompt builder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from ..model import content_hash
from .store import Ledger, new_run_id, utc_now

__all__ = ["CallRecord", "record_calls", "record_batch", "pending_batches", "mark_batch", "costs"]


@dataclass
class CallRecord:
    """One LLM request of a report (or a cache hit standing in for one)."""

    report_key: str
    kind: str  # write | repair | prime (writer), read (the LLM reader)
    provider: str
    model: str
    cache_key: str
    status: str  # ok | cached | error | skipped
    system: str
    user: str
    response: dict[str, Any] | None = None
    error_kind: str | None = None
    error: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    tokens_cached: int = 0
    tokens_cache_write: int = 0
    cost_usd: Decimal = Decimal(0)
    latency_ms: int = 0
    retries: int = 0
    batch_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)




def record_calls(ledger: Ledger, run_id: str | None, calls: Iterable[CallRecord]) -> None:
    """Append call records; the shared prompt prefix is stored once, by hash."""
    prompts: dict[str, str] = {}
    rows = []
    for call in calls:
        system_hash = content_hash(call.system)
        prompts[system_hash] = call.system
        request = {"system_ref": system_hash, "user": call.user, **call.extra}
        rows.append((
            new_run_id(), run_id, call.report_key, call.kind, call.provider, call.model, call.cache_key,
            call.status, call.error_kind, call.error, json.dumps(request, sort_keys=True),
            json.dumps(call.response, sort_keys=True) if call.response is not None else None,
            call.tokens_in, call.tokens_out, call.tokens_cached, call.tokens_cache_write, str(call.cost_usd),
            call.latency_ms, call.retries, call.batch_id, utc_now(),
        ))
    now = utc_now()
    ledger.write([
        ("INSERT OR IGNORE INTO llm_prompts (sha256, text, created_at) VALUES (?, ?, ?)",
         [(h, t, now) for h, t in prompts.items()]),
        ("INSERT INTO llm_calls (id, run_id, report_key, kind, provider, model, cache_key, status, error_kind,"
         " error, request_json, response_json, tokens_in, tokens_out, tokens_cached, tokens_cache_write,"
         " cost_usd, latency_ms, retries, batch_id, created_at)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows),
    ])


def record_batch(ledger: Ledger, run_id: str, provider: str, model: str, batch_id: str,
                 requests: dict[str, dict[str, Any]]) -> None:
    """Record a submitted batch: custom id → report key and cache key of each request."""
    ledger.write([(
        "INSERT INTO llm_batches (id, run_id, provider, model, batch_id, status, requests_json, created_at)"
        " VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?)",
        [(new_run_id(), run_id, provider, model, batch_id, json.dumps(requests, sort_keys=True), utc_now())],
    )])


def pending_batches(ledger: Ledger, provider: str) -> list[dict[str, Any]]:
    """Submitted batches of a provider not yet collected, oldest first."""
    rows = ledger.db.execute(
        "SELECT * FROM llm_batches WHERE provider = ? AND status = 'submitted' ORDER BY created_at", (provider,)
    ).fetchall()
    return [{**dict(r), "requests": json.loads(r["requests_json"])} for r in rows]


def mark_batch(ledger: Ledger, row_id: str, status: str, run_id: str | None) -> None:
    """Mark a batch collected (or failed) by a run."""
    ledger.write([(
        "UPDATE llm_batches SET status = ?, collected_at = ?, collected_by = ? WHERE id = ?",
        [(status, utc_now(), run_id, row_id)],
    )])


def costs(ledger: Ledger, run_id: str) -> dict[str, Any]:
    """Calls, tokens and cost of one run, in total and per report."""
    rows = ledger.db.execute(
        "SELECT report_key, status, error_kind, error, tokens_in, tokens_out, tokens_cached, tokens_cache_write,"
        " cost_usd, latency_ms, retries FROM llm_calls WHERE run_id = ? ORDER BY report_key, created_at", (run_id,)
    ).fetchall()

    def empty() -> dict[str, Any]:
        return {"calls": 0, "cache_hits": 0, "errors": 0, "not_made": 0, "last_error": None, "tokens_in": 0,
                "tokens_out": 0, "tokens_cached": 0, "tokens_cache_write": 0, "cost_usd": Decimal(0),
                "latency_ms": 0, "retries": 0}

    total, per = empty(), {}
    for row in rows:
        for bucket in (total, per.setdefault(row["report_key"], empty())):
            if row["status"] == "cached":
                bucket["cache_hits"] += 1
            elif row["status"] == "skipped":  # refused before the call: budget, cost cap, an earlier auth error
                bucket["not_made"] += 1
            else:
                bucket["calls"] += 1
            if row["status"] in ("error", "skipped"):
                bucket["errors"] += row["status"] == "error"
                bucket["last_error"] = f"{row['error_kind']}: {(row['error'] or '')[:160]}"
            for k in ("tokens_in", "tokens_out", "tokens_cached", "tokens_cache_write", "latency_ms", "retries"):
                bucket[k] += row[k]
            bucket["cost_usd"] += Decimal(row["cost_usd"])
    for bucket in (total, *per.values()):
        bucket["cost_usd"] = str(bucket["cost_usd"])
    return {**total, "reports": per}
