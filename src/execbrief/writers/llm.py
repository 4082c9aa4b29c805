"""The LLM writer: prose around facts, grounded, verified block by block.

For each lens the model gets the facts (a shared prefix for the whole run, so providers
cache it; or, when that does not fit the model's context, the report's own facts, most
important first) and the lens's directives, and answers with structured blocks citing
fact handles (``F12``), mapped back to fact ids. Each part of the answer (the summary,
each section) is verified against the facts of this briefing: its numbers (verify.py)
and its claims about whom and how bad (claims.py); a failing part is repaired once by
sending the model the exact problems and the answer's shape, then replaced by the
offline writer's text for the same part. A report never leaves with an unverified
number: its status says ``corrected`` when a part was repaired or replaced, and
``fallback`` when no answer could be had (budget, cost cap, provider error).
"""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from ..claims import business_patterns, claim_problems
from ..ledger.llm_calls import CallRecord, mark_batch, pending_batches, record_batch, record_calls
from ..model import Block, DataWarning, Fact, LensSection, LensView, Report, ReportSection, content_hash
from ..verify import untrusted_text_problems, verify_block
from .cache import ResponseCache
from .calls import Caller, Refused
from .offline import OfflineWriter, briefing_facts, changes_section, data_quality, section_blocks, sources_for
from .prompts import PromptBuilder, estimate_tokens, ranked_facts, redact, report_schema, skeleton_for
from .provider import LLMRequest, LLMResponse, Provider, ProviderError

__all__ = ["LLMWriter", "parse_answer"]

MIN_OUTPUT_TOKENS = 1024  # the least a call asks to write, whatever the context
MARGIN_PER_TEXT = 8  # a server's count of a text alone misses the tokens around it in the chat template

PRIME = "Cache warm-up only: answer with an empty summary and no sections."

REPAIR = """

Your previous answer was:
<<<PREVIOUS {nonce}>>>
{previous}
<<<END PREVIOUS {nonce}>>>
It failed verification:
{problems}
Answer again in full. For each problem: cite the fact that holds the figure, date, address or
link and copy it exactly as the fact writes it, or leave the claim out. Name a business only
with a fact of that business cited; call something critical, a risk, a shortfall or a loss, or
say it fell or grew, only as the cited facts say; put fact handles only in "cites". Cite only
the facts listed for this briefing. Keep the parts that had no problem as they were.

{skeleton}
"""


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = ""
    cites: list[str] = []


class _SectionAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    lead: _Item = _Item()
    items: list[_Item] = []


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    summary: list[_Item] = []
    sections: list[_SectionAnswer] = []


def _json(text: str) -> Any:
    """The JSON of an answer: the whole text, or the object in it (a model answering in plain
    text may put a sentence or a code fence around it)."""
    body = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise
        try:
            return json.loads(text[start:end + 1])
        except json.JSONDecodeError:
            raise exc from None


def parse_answer(text: str, fact_id: Callable[[str], str] | None = None) -> _Answer:
    """The model's answer (its cites mapped by ``fact_id``: handles to fact ids), or ``ValueError``
    saying what is wrong with it."""
    try:
        answer = _Answer.model_validate(_json(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"the answer does not match the schema ({where}: {first['msg']})") from None
    if fact_id is not None:
        for item in _items(answer):
            item.cites = [fact_id(c) for c in item.cites]
    return answer


def _items(answer: _Answer) -> list[_Item]:
    return [*answer.summary, *(s.lead for s in answer.sections), *(i for s in answer.sections for i in s.items)]


def _quoted(text: str) -> str:
    return " ".join(text.split()).casefold()


def _cite_quoted(answer: _Answer, facts: Sequence[Fact]) -> None:
    """An item that cites nothing but quotes a fact's statement word for word cites that fact.

    Small models copy statements and leave "cites" out; the fact such an item rests on is then
    beyond doubt, and its numbers and claims are still checked against it."""
    statements = [(_quoted(f.statement), f.id) for f in facts if len(f.statement) >= 20]
    for item in _items(answer):
        if item.cites or not item.text.strip():
            continue
        text = _quoted(item.text)
        item.cites = [fid for statement, fid in statements if statement in text]


def _bullets(items: list[_Item], omitted: int) -> Block:
    kept = [i for i in items if i.text.strip()]
    return Block(
        kind="bullets", items=tuple(i.text.strip() for i in kept),
        cites=tuple(dict.fromkeys(c for i in kept for c in i.cites)),
        item_cites=tuple(tuple(dict.fromkeys(i.cites)) for i in kept), omitted=omitted,
    )


@dataclass(frozen=True)
class _Fitted:
    """A report's write request as fitted to the model's context, and the facts left out of it."""

    request: LLMRequest
    left_out: list[Fact]
    window: int


def _left_out_note(view: LensView, fitted: _Fitted) -> tuple[str, ...]:
    """The report's own word on the facts its model did not see (the offline tables still list them)."""
    if not fitted.left_out:
        return ()
    shown = len(view.facts) + len(view.changes) - len(fitted.left_out)
    return (f"The model saw the {max(shown, 0)} most important facts of this briefing; "
            f"{len(fitted.left_out)} less important ones did not fit its context of {fitted.window} tokens "
            "and are not in its text (raise [writer] context_tokens on a server with a larger context).",)


@dataclass
class _Part:
    """The summary or one section: verified, repaired and replaced as a unit."""

    id: str
    blocks: tuple[Block, ...]
    problems: list[str] = field(default_factory=list)


class LLMWriter:
    """Writes reports with an LLM provider, falling back to offline text part by part."""

    def __init__(self, settings: Any, provider: Provider, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.provider = provider
        self.name = provider.label
        self.supports_batch = provider.supports_batch
        self.cache = ResponseCache.for_workspace(settings.workspace, settings.writer.cache)
        self.caller = Caller(provider, settings, self.cache, sleep)
        self.offline = OfflineWriter(settings)
        self.state_dir = settings.workspace / ".execbrief" / "llm"
        self.warnings: list[DataWarning] = []
        self.businesses = business_patterns({e.id: [e.name, *e.aliases] for e in settings.entities})
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    # the Writer protocol

    def write(self, view: LensView) -> Report:
        """The report for one view (``write_many`` shares the prompt prefix across views)."""
        return self.write_many([view])[0]

    def write_many(self, views: Sequence[LensView], ledger: Any = None, run_id: str | None = None) -> list[Report]:
        """The reports for several views, written concurrently (``[writer] concurrency``)."""
        if not views:
            return []
        try:
            builder = PromptBuilder(views, self.state_dir)
            self._warn(*builder.warnings)
            fits = [self._fit(builder, view) for view in views]
            self._prime([f.request for f in fits])
            workers = min(self.settings.writer.concurrency, len(views))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                return list(pool.map(lambda pair: self._write_one(builder, *pair), zip(views, fits)))
        finally:  # what was tried is in the ledger even when the writer fails and the run goes offline
            if ledger is not None:
                record_calls(ledger, run_id, self.take_records())

    def take_records(self) -> list[CallRecord]:
        """The call records made so far, once."""
        with self.caller._lock:
            records, self.caller.records = self.caller.records, []
        return records

    # fitting prompts to the model's context

    def count(self, text: str) -> int:
        """Tokens of a text: the server's own count where it has one, else a conservative estimate."""
        key = content_hash(text)
        with self._lock:
            if key in self._counts:
                return self._counts[key]
        counted = self.provider.count_tokens(text) if len(text) > 200 else None
        n = counted + MARGIN_PER_TEXT if counted is not None else estimate_tokens(text)
        with self._lock:
            self._counts[key] = n
        return n

    def _window(self) -> tuple[int, int]:
        """The model's context and the output tokens a call asks for within it."""
        window = self.provider.context_tokens()
        out = min(self.settings.writer.max_output_tokens, max(MIN_OUTPUT_TOKENS, window // 3))
        return window, out

    def _fit(self, builder: PromptBuilder, view: LensView, limit: int | None = None) -> _Fitted:
        """The write request of a view, fitted to the model's context (and to ``limit`` tokens
        after the server said a prompt was too long for it)."""
        window, out = self._window()
        room = window - out - window // 50 - 64  # chat template and role tokens
        room = min(room, limit) if limit is not None else room
        prompt, left_out = builder.fitted(view, room, self.count)
        request = LLMRequest(key=view.key, system=prompt.system, user=prompt.user, schema=report_schema(),
                             max_tokens=out)
        return _Fitted(request, left_out, window)

    def _prime(self, requests: list[LLMRequest]) -> None:
        # Concurrent requests all miss a prompt cache nobody has written yet; one tiny call
        # first writes it, so the reports that follow read the shared prefix from the cache.
        misses = [r for r in requests if not self.caller.cached(r)]
        shared = [r for r in misses if r.system == misses[0].system] if misses else []
        if not self.provider.supports_prompt_cache or len(shared) < 2 or estimate_tokens(shared[0].system) < 1024:
            return
        first = shared[0]
        prime = LLMRequest(key="(shared)", system=first.system, user=PRIME, schema=first.schema, max_tokens=1, kind="prime")
        try:
            self.caller.call(prime, use_cache=False)
        except Refused:
            pass  # only an optimisation; the real calls report their own errors

    def _repair_request(self, builder: PromptBuilder, view: LensView, fitted: _Fitted, previous: str,
                        problems: str) -> tuple[LLMRequest | None, str]:
        """The repair request, fitted to the context and to the report's token budget; or why
        none is made. It is the first request with the repair appended when that fits with the full
        output: a server's prompt cache then holds all but the repair, which on a CPU saves minutes.
        Else the facts the answer cited come first, fewer facts if the previous answer needs the
        room, and if need be an output capped near the previous answer's length."""
        window, out = self._window()
        previous = previous[:30000]
        extra = redact(REPAIR.format(nonce=builder.nonce, previous=previous, problems=problems,
                                     skeleton=skeleton_for(builder, view, example=False)))
        first = fitted.request
        if self.count(first.system) + self.count(first.user) <= window - out - window // 50 - 64 - self.count(extra):
            repair = LLMRequest(key=view.key, system=first.system, user=first.user + extra, schema=first.schema,
                                max_tokens=out, kind="repair")
            over = self.caller.budget_problem(repair)
            return (None, over) if over else (repair, "")
        try:
            answer = parse_answer(previous, builder.fact_id)
            cited = {c for item in _items(answer) for c in item.cites}
        except ValueError:
            cited = set()
        # the full output first; if not even the briefing's frame fits beside it, an output near
        # the previous answer's length (a repair rewrites that answer)
        near = max(MIN_OUTPUT_TOKENS, min(out, int(self.count(previous) * 1.25) + 128))
        hidden = {f.id for f in fitted.left_out}
        ranked = [f for f in ranked_facts(view) if f.id not in hidden]
        among = [f for f in ranked if f.id in cited] + [f for f in ranked if f.id not in cited]
        for out in dict.fromkeys((out, near)):
            room = window - out - window // 50 - 64 - self.count(extra)
            prompt, _ = builder.fitted(view, room, self.count, among=among)
            if self.count(prompt.system) + self.count(prompt.user) <= room:
                break
        else:
            return None, f"a repair would not fit the model's context of {window} tokens ([writer] context_tokens)"
        repair = LLMRequest(key=view.key, system=prompt.system, user=prompt.user + extra, schema=fitted.request.schema,
                            max_tokens=out, kind="repair")
        over = self.caller.budget_problem(repair)
        return (None, over) if over else (repair, "")

    def _write_one(self, builder: PromptBuilder, view: LensView, fitted: _Fitted) -> Report:
        offline = self.offline.write(view)
        scope = briefing_facts(view)
        try:
            response = self.caller.call(fitted.request)
        except Refused as exc:
            if exc.kind != "context_length":
                return self._fallback(view, offline, exc)
            # the server counts more tokens than we did (or has less room than it says): once more,
            # at once, in 60% of the tokens we counted
            sent = self.count(fitted.request.system) + self.count(fitted.request.user)
            fitted = self._fit(builder, view, limit=int(sent * 0.6))
            try:
                response = self.caller.call(fitted.request)
            except Refused as again:
                return self._fallback(view, offline, again)
        if fitted.left_out:
            self._warn(DataWarning(source="writer", message=(
                f"report {view.key}: {len(fitted.left_out)} less important facts did not fit the model's context "
                f"of {fitted.window} tokens and were left out of its prompt ([writer] context_tokens)"
            )))
        hidden = frozenset(f.id for f in fitted.left_out)
        parts = self._parts(view, response, scope, builder, hidden)
        repaired: set[str] = set()
        failing = [p for p in parts if p.problems]
        attempted = False
        if failing:
            problems = "\n".join(f"- {p}" for part in failing for p in part.problems[:10])
            repair, why_not = self._repair_request(builder, view, fitted, response.text, problems)
            if repair is not None:
                try:
                    fixed = self.caller.call(repair)
                    attempted = True
                    second = self._parts(view, fixed, scope, builder, hidden)
                    for n, part in enumerate(parts):
                        if part.problems and not second[n].problems:
                            parts[n] = second[n]
                            repaired.add(part.id)
                except Refused as exc:
                    why_not = str(exc)
            if why_not:
                self._warn(DataWarning(source="writer", message=f"report {view.key}: no repair: {why_not}"))
        replaced = [p for p in parts if p.problems]
        if replaced:
            offline_parts = self._offline_parts(view, offline)
            self._warn(DataWarning(source="writer", message=(
                f"report {view.key}: {', '.join(p.id for p in replaced)} failed verification"
                f"{' after one repair' if attempted else ''} and "
                f"{'was' if len(replaced) == 1 else 'were'} replaced by the offline text: {replaced[0].problems[0]}"
            )))
            parts = [offline_parts[n] if p.problems else p for n, p in enumerate(parts)]
        if len(replaced) == len(parts):
            status = "fallback"
        else:
            status = "corrected" if repaired or replaced else "draft"
        summary = parts[0].blocks
        # the model's summary marks no change: the changes section lists them all
        sections = (changes_section(view),) + tuple(
            ReportSection(id=s.id, title=s.title, blocks=part.blocks)
            for s, part in zip(view.lens.sections, parts[1:])
            # an optional section with no facts is left out, as the offline writer does, whatever
            # the model wrote for it ("Nothing to report" under a heading the offline text has not)
            if not s.optional or view.sections.get(s.id)
        )
        blocks = list(summary) + [b for s in sections for b in s.blocks] + list(offline.upkeep)
        return Report(
            lens=view.lens.id, key=view.key, title=view.lens.title, audience=view.lens.audience,
            organization=view.organization, period=view.period, as_of=view.as_of, summary=summary,
            sections=sections, upkeep=offline.upkeep, sources=sources_for(blocks, scope),
            data_quality=data_quality(view) + _left_out_note(view, fitted), writer=self.name, status=status,
        )

    def _fallback(self, view: LensView, offline: Report, exc: Refused) -> Report:
        self._warn(DataWarning(source="writer", message=f"report {view.key} was written offline: {exc}"))
        return offline.model_copy(update={"writer": self.name, "status": "fallback"})

    def _offline_parts(self, view: LensView, offline: Report) -> list[_Part]:
        # an optional section with no facts is one the offline writer leaves out: nothing replaces
        # it; a replaced section lists all its facts, since the model's summary may not state them
        return [_Part("summary", offline.summary)] + [
            _Part(s.id, section_blocks(s, view) if view.sections.get(s.id) or not s.optional else ())
            for s in view.lens.sections
        ]

    def _parts(self, view: LensView, response: LLMResponse, scope: dict[str, Fact], builder: PromptBuilder,
               hidden: frozenset[str] = frozenset()) -> list[_Part]:
        """The answer split into verified parts: the summary, then each lens section (the cited
        handles mapped back to fact ids; a section none of whose facts the model saw is the offline one)."""
        try:
            answer = parse_answer(response.text, builder.fact_id)
        except ValueError as exc:
            cut = " (cut off at [writer] max_output_tokens)" if response.stop_reason in ("max_tokens", "length") else ""
            return [_Part(pid, (), [f"{exc}{cut}"]) for pid in ["summary", *(s.id for s in view.lens.sections)]]
        _cite_quoted(answer, [f for fid, f in scope.items() if fid not in hidden and fid not in builder.withheld])
        parts = [self._checked("summary", [_bullets(answer.summary, 0)] if answer.summary else [], scope, True)]
        given = {s.id: s for s in answer.sections}
        for section in view.lens.sections:
            facts = view.sections.get(section.id, ())
            if facts and all(f.id in hidden for f in facts):
                parts.append(_Part(section.id, section_blocks(section, view)))  # left out of the prompt for space
                continue
            got = given.get(section.id)
            if got is None:
                parts.append(_Part(section.id, (), [f"section '{section.id}' is missing from the answer"]))
                continue
            parts.append(self._section(section, got, view, scope))
        return parts

    def _section(self, section: LensSection, got: _SectionAnswer, view: LensView, scope: dict[str, Fact]) -> _Part:
        has_facts = bool(view.sections.get(section.id))
        written: list[Block] = []
        if got.lead.text.strip():
            written.append(Block(kind="paragraph", text=got.lead.text.strip(), cites=tuple(dict.fromkeys(got.lead.cites))))
        if section.style == "bullets" and got.items:
            written.append(_bullets(got.items, view.omitted.get(section.id, 0)))
        part = self._checked(section.id, written, scope, has_facts)
        if section.style != "bullets" and has_facts:
            # tables and dated action lists come from code; the model writes only the lead
            part.blocks = part.blocks + section_blocks(section, view)
        return part

    def _checked(self, part_id: str, blocks: list[Block], scope: dict[str, Fact], needs_cites: bool) -> _Part:
        label = "summary" if part_id == "summary" else f"section '{part_id}'"
        if not blocks:
            return _Part(part_id, (), [f"{label} is empty"] if needs_cites else [])
        problems: list[str] = []
        for n, block in enumerate(blocks, 1):
            where = f"{label} block {n}"
            problems += verify_block(block, scope, where) + untrusted_text_problems(block, scope, where)
            problems += claim_problems(block, scope, where, self.businesses)
            if needs_cites and not block.cites:
                problems.append(f"{where} cites no fact")
            for i, cites in enumerate(block.item_cites, 1):
                if not cites:
                    problems.append(f"{where}, item {i} cites no fact")
        return _Part(part_id, tuple(blocks), problems)

    def _warn(self, *warnings: DataWarning) -> None:
        with self._lock:
            self.warnings.extend(warnings)

    # batches: submit now, collect on a later run (--batch, --resume)

    def submit_batch(self, views: Sequence[LensView], ledger: Any, run_id: str) -> int:
        """Submit the uncached requests of the views as one provider batch; how many went."""
        builder = PromptBuilder(views, self.state_dir)
        self._warn(*builder.warnings)
        todo = [r for r in (self._fit(builder, v).request for v in views) if not self.caller.cached(r)]
        if not todo:
            return 0
        ids = {f"r{n}-{self.caller.key(r)[7:31]}": r for n, r in enumerate(todo)}
        batch_id = self.provider.submit_batch(list(ids.items()))
        record_batch(ledger, run_id, self.provider.name, self.provider.model, batch_id, {
            cid: {"report_key": r.key, "cache_key": self.caller.key(r)} for cid, r in ids.items()
        })
        return len(todo)

    def collect_batches(self, ledger: Any, run_id: str) -> tuple[int, int]:
        """Fetch the results of submitted batches into the cache: (collected, still pending)."""
        collected = pending = 0
        for batch in pending_batches(ledger, self.provider.name):
            results = self.provider.collect_batch(batch["batch_id"])
            if results is None:
                pending += 1
                continue
            records = []
            for cid, info in batch["requests"].items():
                result = results.get(cid)
                base = dict(report_key=info["report_key"], kind="write", provider=self.provider.name,
                            model=batch["model"], cache_key=info["cache_key"], system="", user="", batch_id=batch["batch_id"])
                if isinstance(result, LLMResponse):
                    self.caller.collected[info["cache_key"]] = result
                    self.cache.put(info["cache_key"], result)
                    u = result.usage
                    records.append(CallRecord(
                        status="ok", response={**result.to_json(), "text": redact(result.text)},
                        tokens_in=u.input_tokens, tokens_out=u.output_tokens, tokens_cached=u.cache_read_tokens,
                        tokens_cache_write=u.cache_write_tokens,
                        cost_usd=self.provider.prices.cost(u, self.provider.batch_discount), **base,
                    ))
                else:
                    error = result if isinstance(result, ProviderError) else ProviderError("server", "no result in the batch")
                    records.append(CallRecord(status="error", error_kind=error.kind, error=str(error), **base))
            record_calls(ledger, run_id, records)
            mark_batch(ledger, batch["id"], "collected", run_id)
            collected += 1
        return collected, pending
