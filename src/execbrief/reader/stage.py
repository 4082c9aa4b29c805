"""The reader stage, between the sources and the analyzers: who labels the notes' items.

``[reader] kind = "rules"`` (the default) passes the sources' results on as they are: the
analyzers label items from the vocabulary. ``kind = "llm"`` has a model read each new or
changed note once and label its items (entity, topics, kind, severity, due date); the
labels ride on the note's evidence (``reader.items``) and the analyzers apply them where
present, so the rules' labels stand wherever the model's are missing or not allowed
(``reader.prompt.check_answer``). A note's labels are kept by its content hash, the
vocabulary, the businesses and the model (``reader.cache``); a labelled note's part gets
a key of its own, so the incremental runner analyses it again when its labels change.

The model is one of the LLM writers' providers, with the writer's provider, model and
base URL unless ``[reader]`` names its own, and every call goes through the writer's
``Caller`` (retries, cost cap): its calls, tokens and cost are in the ledger's
``llm_calls`` (kind ``read``, report key ``reader:<note path>``).
"""

from __future__ import annotations

import time
from functools import partial
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..errors import ConfigError, StageError
from ..model import DataWarning
from ..registry import registry
from ..sources import Part, SourceResult
from ..vocabulary import Vocabulary
from ..writers.cache import ResponseCache
from ..writers.calls import Caller, Refused
from ..writers.prompts import run_nonce
from ..writers.provider import LLMRequest, LLMResponse, Provider
from .cache import LabelCache, label_context, label_key, load
from .items import Item, Note, label_entities, labelled_part, labels_digest, note_items
from .prompt import answer_schema, check_answer, note_prompt, system_prompt

__all__ = ["Reading", "RulesReader", "LLMReader", "get_reader"]

CHUNK = 40  # items per request: a long note is read in several calls, each answer short
_UNBOUNDED = 10**12  # the writer's per-report token budget does not apply to a note


@dataclass
class Reading:
    """What the reader hands the analyzers: the results (labelled), and what it has to say."""

    results: list[SourceResult]
    warnings: list[DataWarning] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


class RulesReader:
    """``[reader] kind = "rules"``: the analyzers label every item from the vocabulary."""

    name = "rules"

    def read(self, results: Sequence[SourceResult], vocabulary: Vocabulary, **_: Any) -> Reading:
        """The results, unchanged."""
        return Reading(list(results))


def get_reader(settings: Any, *, sleep: Callable[[float], None] = time.sleep) -> RulesReader | LLMReader:
    """The reader ``[reader] kind`` names (a ``ConfigError`` if its model cannot be used)."""
    if settings.reader.kind == "llm":
        return LLMReader(settings, sleep=sleep)
    return RulesReader()


def _reader_settings(settings: Any) -> Any:
    """The settings with ``[writer]`` made of ``[reader]``: what the provider and caller read."""
    from ..config import Writer

    r, w = settings.reader, settings.writer
    kind = r.provider or w.kind
    same = kind == w.kind
    base = w if same else Writer(kind=kind)
    prices = r.prices if any(v is not None for v in r.prices.model_dump().values()) else base.prices
    writer = base.model_copy(update={
        "model": r.model or (base.model if same else None),
        "base_url": r.base_url or (base.base_url if same else None),
        "options": r.options if r.options is not None else (base.options if same else {}),
        "prices": prices, "concurrency": r.concurrency, "max_cost_usd": r.max_cost_usd,
        "timeout_s": r.timeout_s, "max_retries": r.max_retries, "max_output_tokens": r.max_output_tokens,
        "max_tokens_per_lens": _UNBOUNDED, "cache": False,
    })
    return settings.model_copy(update={"writer": writer})


def _provider(settings: Any) -> Provider:
    """The provider of the LLM writer ``[reader] provider`` (or ``[writer] kind``) names."""
    kind = settings.writer.kind
    try:
        made = registry.get("writers", kind)(settings)
    except ConfigError as exc:
        raise ConfigError(f"[reader]: {exc}") from None
    provider = getattr(made, "provider", None)
    if not isinstance(provider, Provider):
        raise ConfigError(f"[reader] provider {kind!r} is a writer with no model provider the reader can use: "
                          "set [reader] provider = \"anthropic\", \"openai\" or \"bedrock\"")
    return provider


@dataclass
class _Pending:
    """A note sent to the model: its part, key, items and the answers to come."""

    part: Part
    key: str
    note: Note
    chunks: list[Sequence[Item]]
    answers: list[Future]


class LLMReader:
    """``[reader] kind = "llm"``: a model labels the items of each new or changed note."""

    def __init__(self, settings: Any, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.own = _reader_settings(settings)
        self.provider = _provider(self.own)
        self.name = f"llm:{self.provider.label}"
        self.caller = Caller(self.provider, self.own, ResponseCache(settings.workspace, enabled=False), sleep)

    def read(self, results: Sequence[SourceResult], vocabulary: Vocabulary, *, ledger: Any = None,
             run_id: str | None = None, progress: Callable[[str, dict[str, Any]], None] | None = None) -> Reading:
        """The results with every notes part labelled (from the cache, or read now)."""
        settings = self.settings
        entities = settings.entities
        ids = frozenset(e.id for e in entities)
        cache = LabelCache(settings.workspace, settings.reader.cache)
        context = label_context(vocabulary.digest, entities, self.provider.name, self.provider.model)
        keys = {part.key: label_key(context, part.digest, part.path)
                for r in results for part in r.parts if part.source == "notes" and part.digest}
        # key → (labels digest, businesses they name, how to get the labels)
        known: dict[str, tuple[str, tuple[str | None, ...], Callable[[], Any]]] = {
            key: (digest, entities, partial(load, cache.path, key, digest))
            for key, (digest, entities) in cache.get_many(keys.values()).items()}
        todo = [p for r in results for p in r.parts if p.key in keys and keys[p.key] not in known]
        stats: Counter[str] = Counter(notes=len(keys), cached=len(keys) - len(todo))
        rejected: Counter[str] = Counter()
        failed: dict[str, list[str]] = {}  # why → note paths
        if todo and progress is not None:
            progress("read", {"notes": len(todo)})
        system = system_prompt(entities, vocabulary)
        schema = answer_schema(ids, vocabulary)
        state = settings.workspace / ".execbrief" / "llm"
        window: deque[_Pending] = deque()

        def finish(pending: _Pending) -> None:
            labels: dict[str, dict[str, Any]] = {}
            complete = True
            for chunk, answer in zip(pending.chunks, pending.answers):
                got = answer.result()
                if isinstance(got, Refused):
                    failed.setdefault(got.kind, []).append(f"{pending.note.path}: {got}")
                    complete = False
                    continue
                checked = check_answer(got.text, chunk, ids, vocabulary)
                rejected.update(checked.rejected)
                if got.stop_reason in ("max_tokens", "length"):
                    rejected["answers cut off at [reader] max_output_tokens"] += 1
                complete = complete and checked.parsed
                labels.update(checked.labels)
            stats["labelled items"] += len(labels)
            digest, entities = labels_digest(labels), label_entities(labels)
            if complete:
                cache.put(pending.key, digest, entities, labels)
                stats["read"] += 1
            known[pending.key] = (digest, entities, lambda: labels)  # (incomplete: used now, read again next run)

        with ThreadPoolExecutor(max_workers=settings.reader.concurrency) as pool:
            for part in todo:
                if self.caller.fatal is not None or "cost_cap" in failed:
                    failed.setdefault("not sent", []).append(part.path)  # no call could be made
                    continue
                try:
                    note = note_items(part.evidence())
                except StageError as exc:  # (moved or edited during the run: the analyzers say so)
                    failed.setdefault("unreadable", []).append(f"{part.path}: {exc}")
                    continue
                if note is None or not note.items:
                    cache.put(keys[part.key], "", (), {})
                    continue
                chunks = [note.items[n:n + CHUNK] for n in range(0, len(note.items), CHUNK)]
                nonce = run_nonce(state, keys[part.key])
                answers = [pool.submit(self._ask, LLMRequest(
                    key=f"reader:{note.path}", system=system, user=note_prompt(note, chunk, nonce), schema=schema,
                    max_tokens=settings.reader.max_output_tokens, kind="read")) for chunk in chunks]
                window.append(_Pending(part, keys[part.key], note, chunks, answers))
                while len(window) > 4 * settings.reader.concurrency:  # (a few notes' items held at a time)
                    finish(window.popleft())
            while window:
                finish(window.popleft())
        cache.keep_only(keys.values())
        cache.close()
        out = []
        for r in results:
            parts = []
            for part in r.parts:
                found = known.get(keys.get(part.key, ""))
                parts.append(labelled_part(part, *found) if found else part)
            out.append(SourceResult(evidence=r.evidence, warnings=r.warnings, inputs=r.inputs, parts=parts))
        warnings = self._warnings(failed, rejected, cache)
        summary = {"reader": self.name, **stats, "failed": {k: len(v) for k, v in failed.items()},
                   "rejected": dict(rejected), "cost_usd": str(self.caller.spent)}
        if ledger is not None:
            from ..ledger.llm_calls import record_calls

            record_calls(ledger, run_id, self._take_records())
            ledger.record_event(run_id, "reader", summary)
            ledger.record_warnings(run_id, warnings)
        return Reading(out, warnings, summary)

    def _ask(self, request: LLMRequest) -> LLMResponse | Refused:
        try:
            return self.caller.call(request, use_cache=False)
        except Refused as exc:
            return exc

    def _take_records(self) -> list[Any]:
        with self.caller._lock:
            records, self.caller.records = self.caller.records, []
        return records

    def _warnings(self, failed: dict[str, list[str]], rejected: Counter[str], cache: LabelCache) -> list[DataWarning]:
        """What the run summary says of the notes the model did not read, and labels not used."""
        out = []
        cap = self.settings.reader.max_cost_usd
        if "cost_cap" in failed or "not sent" in failed:
            n = len(failed.pop("cost_cap", [])) + len(failed.pop("not sent", []))
            why = (f"the reader's cost cap of ${cap} ([reader] max_cost_usd) was reached"
                   if self.caller.fatal is None else f"the model cannot be used ({self.caller.fatal})")
            out.append(DataWarning(source="reader", message=(
                f"{why}: {n} notes keep the rules' labels this run and are read by a later run"
                + (" (raise the cap to read them now)" if self.caller.fatal is None else ""))))
        for kind, notes in sorted(failed.items()):
            out.append(DataWarning(source="reader", path=notes[0].split(":", 1)[0], message=(
                f"{len(notes)} notes were not read by the model ({notes[0].split(': ', 1)[-1]}): the rules' "
                "labels stand for them; a later run reads them again")))
        if rejected:
            reasons = ", ".join(f"{why} ({n})" for why, n in rejected.most_common())
            out.append(DataWarning(source="reader", message=(
                f"the model's answers held labels that were not used: {reasons}; the rules' labels stand there")))
        if cache.error:
            out.append(DataWarning(source="reader", path=str(cache.path), message=(
                f"cannot keep the reader's labels ({cache.error}): every run reads its notes again; check that "
                "the workspace's .execbrief folder is writable")))
        return out
