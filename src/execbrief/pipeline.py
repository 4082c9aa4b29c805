"""Runs the stages in order: sources → analyzers → lenses → writer → verifier → renderer → delivery.

Everything a run does is recorded in the ledger. A failing source becomes a warning; a
failing analyzer, report or delivery marks the run failed (exit 1) while everything that
did finish is still written, recorded and delivered.
"""

from __future__ import annotations

import time
from collections import ChainMap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from .analyzers import AnalysisContext
from .analyzers.kinds import infer_kinds
from .gcpolicy import bulk_allocation, keep_to_exit, thaw_at_exit
from .incremental import IncrementalStats, analyze_incremental, code_digest
from .config import ReportConfig, Settings
from .delivery import build_message
from .delivery.service import deliver_run
from .errors import ConfigError, LedgerError, LensError, UsageError
from .failures import Boundary, describe
from .ledger import Ledger
from .ledger.alerts import resolved_alerts
from .ledger.continuity import remember_ledger
from .reader import RulesReader, get_reader
from .vocabulary import Vocabulary, load_vocabulary
from .lenses import FactIndex, build_view, compare, lens_pool, load_lenses, pools_apart
from .lenses.kept import index_of_base
from .model import DataWarning, Evidence, Fact, Lens, LensView, Message, Report
from .registry import registry
from .reuse import facts_key as digest_facts, run_key as digest_run
from .ledger.deliveries import DeliveryLedger
from .render import RenderCache, update_between
from .render.update import Update
from .sources import InputFile, SourceResult
from .stageclock import StageClock
from .verify import verify
from .workers import fork_call
from .writers.offline import OfflineWriter

__all__ = [
    "RunResult", "ReportOutcome", "PlannedReport", "analysis_cache", "analysis_context", "collect_sources",
    "plan_reports", "settings_digest", "reporting_period", "run",
]

Progress = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True)
class PlannedReport:
    """One report the run will write: a lens, its recipients and its scope."""

    key: str
    lens: Lens
    to: tuple[str, ...]
    scope: frozenset[str] | None


@dataclass
class ReportOutcome:
    """What became of one planned report."""

    lens: str
    key: str
    title: str
    status: str
    writer: str
    recipients: list[str]
    files: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    """The outcome of a run, as `execbrief run --json` prints it."""

    run_id: str
    period: str
    as_of: str
    status: str
    reports: list[ReportOutcome]
    warnings: list[DataWarning]
    deliveries: list[dict[str, Any]]
    failures: list[str]
    facts: int
    duration_ms: int
    stages_ms: dict[str, int] = field(default_factory=dict)
    stages_cpu_ms: dict[str, int] = field(default_factory=dict)
    reused: bool = False  # the reports of an earlier run with the same inputs (execbrief.reuse)

    def to_json(self) -> dict[str, Any]:
        """The run summary as plain JSON data (the `--json` contract)."""
        return {
            "run_id": self.run_id,
            "period": self.period,
            "as_of": self.as_of,
            "status": self.status,
            "facts": self.facts,
            "reused": self.reused,
            "duration_ms": self.duration_ms,
            "stages_ms": self.stages_ms,
            "stages_cpu_ms": self.stages_cpu_ms,
            "reports": [asdict(r) for r in self.reports],
            "warnings": [w.model_dump() for w in self.warnings],
            "deliveries": self.deliveries,
            "failures": self.failures,
        }


def reporting_period(as_of: date, kind: str = "week") -> str:
    """The reporting period of an as-of date: ``2026-11-23``, ``2026-W48`` or ``2026-11``."""
    if kind == "day":
        return as_of.isoformat()
    if kind == "month":
        return f"{as_of.year:04d}-{as_of.month:02d}"
    year, week, _ = as_of.isocalendar()
    return f"{year}-W{week:02d}"


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.organization.timezone)).date()


def _report_key(report: ReportConfig, duplicated: bool) -> str:
    if duplicated and report.entities:
        return f"{report.lens}--{'-'.join(report.entities)}"
    return report.lens


def analysis_context(settings: Settings, plans: list[PlannedReport], as_of: date,
                     ledger: Sequence[Evidence] = (), warnings: list[DataWarning] | None = None) -> AnalysisContext:
    """What the analyzers may know besides the evidence, shaped by every configured report.

    Each report's lens adds the KPIs it expects (missing ones become gaps). Which facts a
    lens shows is the lenses' business: every item of the notes is a fact. A business with no
    kind configured gets one from the lens that audits it alone, else from ``ledger`` (the
    ledger's ``transactions`` evidence: the words of its revenue accounts), see
    ``analyzers.kinds``. A configured kind the ledger contradicts (a ``rental`` paid by the
    night) is refined, with a line in ``warnings`` saying why.
    """
    lenses = {p.lens.id: p.lens for p in plans}.values()
    expected = {(kpi, lens.entity_kinds) for lens in lenses for kpi in lens.kpis}
    audited: dict[str, str] = {}
    for plan in plans:
        if plan.lens.entity_kinds and plan.scope is not None and len(plan.scope) == 1:
            audited.setdefault(next(iter(plan.scope)), plan.lens.entity_kinds[0])
    types = tuple(sorted(settings.sources.ledger.types.items()))
    refined: dict[str, str] = {}
    kinds = infer_kinds(((e.id, e.name, e.kind) for e in settings.entities), audited, ledger, types, refined)
    names = {e.id: e.name for e in settings.entities}
    for eid, why in sorted(refined.items()):
        if warnings is not None:
            warnings.append(DataWarning(
                source="config", path="execbrief.toml",
                message=f"{names[eid]} is kind = \"rental\" (a long let, rent by the month), but {why}: it is treated "
                        f"as a short-let; set kind = \"short-let\" for {eid!r} in [[entities]] to say so"))
    return AnalysisContext(
        as_of=as_of, currency=settings.organization.currency,
        entities={e.id: (e.name, kinds[e.id]) for e in settings.entities},
        aliases={e.id: tuple(e.aliases) for e in settings.entities if e.aliases},
        units={e.id: e.unit for e in settings.entities if e.unit},
        ledger_types=types,
        stale_days=settings.run.stale_days, expected_kpis=tuple(sorted(expected)),
        vocabulary=workspace_vocabulary(settings), dmy=settings.organization.date_order == "dmy",
    )


def workspace_vocabulary(settings: Settings) -> Vocabulary:
    """The built-in vocabulary with the workspace's ``lenses/topics.toml`` and ``[topics]``."""
    return load_vocabulary(settings.workspace, {
        name: spec.model_dump(exclude_none=True) for name, spec in settings.topics.items()})


def plan_reports(settings: Settings, lenses: dict[str, Lens], only: tuple[str, ...] = ()) -> list[PlannedReport]:
    """The reports a run writes, from ``[[reports]]`` (or every lens, undelivered, if none)."""
    configured = settings.reports or [
        ReportConfig.model_construct(lens=lens_id, to=[], entities=None) for lens_id in lenses
    ]
    for n, report in enumerate(configured):
        if report.lens not in lenses:
            raise LensError(
                f"reports[{n}].lens in {settings.config_path} is {report.lens!r}, which is no known lens "
                f"(known: {', '.join(lenses)}): see `execbrief lenses`"
            )
    kinds = {e.id: e.kind for e in settings.entities}
    counts: dict[str, int] = {}
    for report in configured:
        counts[report.lens] = counts.get(report.lens, 0) + 1
    # --only names lenses; a scheduled run (run --due) names report keys
    named = {r.lens for r in configured} | {_report_key(r, counts[r.lens] > 1) for r in configured}
    unknown = [name for name in only if name not in named]
    if unknown:
        raise UsageError(f"--only {unknown[0]!r} is not a configured report lens: see `execbrief lenses`")
    planned, keys = [], set()
    for report in configured:
        if only and report.lens not in only and _report_key(report, counts[report.lens] > 1) not in only:
            continue
        lens = lenses[report.lens]
        if report.entities:
            scope: frozenset[str] | None = frozenset(report.entities)
        elif lens.entity_kinds:
            scope = frozenset(e for e, k in kinds.items() if k in lens.entity_kinds)
        else:
            scope = None
        key = _report_key(report, counts[report.lens] > 1)
        if key in keys:
            raise UsageError(f"two [[reports]] entries would both be called {key!r}: give them different entities")
        keys.add(key)
        planned.append(PlannedReport(key=key, lens=lens, to=tuple(report.to), scope=scope))
    return planned


def collect_sources(settings: Settings, progress: Progress) -> tuple[list[SourceResult], list[DataWarning], list[InputFile], list[str]]:
    """Every enabled source's result, in order; a source that can defers building evidence (parts).

    The sources read at the same time: those with small results in processes of their own,
    the others in threads while the notes source works in this one; the threads start only
    once the notes source says its parser processes are started (forking while other
    threads run is unsafe). So the repositories wait on the disk while the notes are parsed
    and the ledger read.
    """
    names = settings.sources.enabled()

    def read(name: str, ready: Callable[[], None] | None = None) -> SourceResult | Exception:
        try:
            source = registry.get("sources", name)(settings)
            return source.collect_parts(ready) if hasattr(source, "collect_parts") else source.collect()
        except Exception as exc:  # one broken source must not stop the others
            return exc
        finally:
            if ready is not None:
                ready()  # (a second call does nothing)

    outcomes: dict[str, Any] = {}
    # A source whose result is small (``separate_process``: the repositories, AWS) reads in a
    # process of its own, forked now, before any thread runs; the notes and the ledger then
    # have this interpreter to themselves (threads share one: a rerun's repository walk and
    # notes summary took their sum, not their maximum).
    waiting: dict[str, Callable[[], Any]] = {}
    for name in names:
        if name != "notes" and getattr(registry.get("sources", name), "separate_process", False):
            wait = fork_call(lambda name=name: read(name))
            if wait is not None:
                waiting[name] = wait
    rest = [n for n in names if n != "notes" and n not in waiting]
    with ThreadPoolExecutor(max(len(rest), 1)) as pool:
        started: list[bool] = []

        def start_rest() -> None:
            if not started:
                started.append(True)
                for name in rest:
                    outcomes[name] = pool.submit(read, name)

        if "notes" in names:
            progress("source", {"name": "notes"})
            outcomes["notes"] = read("notes", start_rest)
        start_rest()
        others = [n for n in names if n != "notes"]
        if others:
            progress("source", {"name": ", ".join(others)})
        outcomes.update((name, outcomes[name].result()) for name in rest)
    outcomes.update((name, wait()) for name, wait in waiting.items())
    results: list[SourceResult] = []
    warnings: list[DataWarning] = []
    inputs: list[InputFile] = []
    failures: list[str] = []
    for name in names:
        outcome = outcomes[name]
        if isinstance(outcome, Exception):
            why = describe(outcome)
            warnings.append(DataWarning(source=name, message=f"source failed, its inputs are missing from every report: {why}"))
            failures.append(f"source {name}: {why}")
            continue
        results.append(outcome)
        warnings += outcome.warnings
        inputs += outcome.inputs
    return results, warnings, inputs, failures


def analysis_cache(settings: Settings) -> Path:
    """Where a workspace keeps its analyzers' facts for the next run (``execbrief.incremental``)."""
    return settings.workspace / ".execbrief" / "cache" / "analysis.sqlite"


def index_cache(settings: Settings) -> Path:
    """Where a workspace keeps a fact base's index for the next run (``execbrief.lenses.kept``)."""
    return settings.workspace / ".execbrief" / "cache" / "fact-index"


def render_cache(settings: Settings) -> Path:
    """Where a workspace keeps rendered reports and chart images (``render.RenderCache``)."""
    return settings.workspace / ".execbrief" / "cache" / "render"


def settings_digest(settings: Settings) -> str:
    """The configuration evidence depends on besides the files: sources, entities, organisation."""
    return settings.model_dump_json(include={"sources", "entities", "organization"})


def run(
    settings: Settings,
    *,
    only: tuple[str, ...] = (),
    dry_run: bool = False,
    as_of: date | None = None,
    progress: Progress | None = None,
    formats: tuple[str, ...] = (),
    in_doubt: str | None = None,
    batch: bool = False,
    resume: bool = False,
    period: str | None = None,
    accept_new_ledger: bool = False,
    reuse_earlier: bool = True,
) -> RunResult:
    """Run the whole pipeline for a workspace and return what happened.

    ``formats`` may add ``"md"``: a Markdown export beside each report's HTML and text.
    ``in_doubt`` (``resend`` or ``hold``) overrides ``[delivery] in_doubt`` for messages a
    crashed run may or may not have sent. ``period`` replaces the ``[delivery] period`` of
    the as-of date (a scheduled run reports on its schedule's period). ``accept_new_ledger``
    lets a ledger that did not record the workspace's earlier deliveries deliver (and become
    the workspace's ledger), see ``ledger.continuity``. ``reuse_earlier=False`` computes
    everything again although an earlier run had the same inputs (``execbrief.reuse``).
    """
    say = progress or (lambda event, data: None)
    started = time.monotonic()
    clock = StageClock()  # wall and CPU time per stage, in the summary and `execbrief history`
    lenses = load_lenses(settings.workspace, workspace_vocabulary(settings))
    # every configured report shapes the fact base (its lens's KPIs); --only picks what is written
    configured = plan_reports(settings, lenses)
    planned = plan_reports(settings, lenses, only) if only else configured
    as_of = as_of or settings.run.as_of or _today(settings)
    # sources that date what they read (cost windows, staleness) see the run's date
    settings = settings.model_copy(update={"run": settings.run.model_copy(update={"as_of": as_of})})
    period = period or reporting_period(as_of, settings.delivery.period)
    failures: list[str] = []
    started_late: list[tuple[str, str, BaseException]] = []  # failures before the ledger is open
    writer = _start("writers", settings.writer.kind, settings, started_late)
    if writer is None:
        writer = OfflineWriter(settings)
    try:
        reader = get_reader(settings)
    except ConfigError:
        raise
    except Exception as exc:  # an LLM reader that cannot start: the rules read the notes
        started_late.append(("readers", settings.reader.kind, exc))
        reader = RulesReader()
    _check_batch(writer, batch, resume)
    channel = None if dry_run else _start("channels", settings.delivery.method, settings, started_late)

    with Ledger.for_workspace(settings.workspace) as ledger, thaw_at_exit():
        run_id = ledger.start_run(
            settings.workspace, period, as_of.isoformat(),
            {"only": list(only), "dry_run": dry_run, "writer": settings.writer.kind,
             "delivery": settings.delivery.method, "in_doubt": in_doubt or settings.delivery.in_doubt},
        )
        guard = Boundary(failures, lambda kind, data: ledger.record_event(run_id, kind, data))
        for kind, name, exc in started_late:
            then = {"writers": "; every report is written offline",
                    "readers": "; the rules label every note"}.get(kind, "; nothing is delivered")
            guard.fail(kind[:-1], name, exc, then)
        say("run", {"run_id": run_id, "reports": len(planned)})
        with bulk_allocation():  # evidence and facts: up to millions of objects
            with clock("sources"):
                results, warnings, inputs, source_failures = collect_sources(settings, say)
            failures += source_failures
            with clock("recording"):
                ledger.record_inputs(run_id, inputs)
                ledger.record_warnings(run_id, warnings)
            with clock("analyzers"):
                ledger_tables = [ev for r in results for ev in r.evidence
                                 if ev.source == "ledger" and ev.kind == "transactions"]
                kind_warnings: list[DataWarning] = []
                context = analysis_context(settings, configured, as_of, ledger_tables, kind_warnings)
            warnings.extend(kind_warnings)
            with clock("recording"):
                ledger.record_warnings(run_id, kind_warnings)
            # the reader stage: an LLM reader labels the items of new or changed notes (rules: as they are)
            read_warnings: list[DataWarning] = []  # (the run's, not the briefings' data)
            try:
                with clock("reader"):
                    reading = reader.read(results, context.vocabulary, ledger=ledger, run_id=run_id, progress=say)
                results, read_warnings = reading.results, reading.warnings
                del reading
            except LedgerError:
                raise
            except Exception as exc:
                guard.fail("reader", None, exc, "; the rules label every note")

            # a run that would repeat an earlier one takes its reports (execbrief.reuse)
            with clock("analyzers"):
                facts_key, run_key = _keys(results, context, settings, planned, period, only, formats,
                                           [*warnings, *read_warnings])
            reused = _reusable(ledger, run_key, planned) if reuse_earlier and not (batch or resume or failures) else None
            analysed = reused is None
            if analysed:
                say("analyze", {"evidence": sum(len(r.evidence) for r in results),
                                "parts": sum(len(r.parts) for r in results)})
            try:
                with clock("analyzers"):
                    facts, analyzer_failures, reuse = analyze_incremental(
                        results, context, cache=analysis_cache(settings), settings_digest=settings_digest(settings),
                    ) if analysed else ([], {}, IncrementalStats())
            except Exception as exc:  # (each rule has a boundary of its own inside)
                guard.fail("analysis", None, exc, "; the reports have no facts")
                facts, analyzer_failures, reuse = [], {}, IncrementalStats()
                facts_key = None  # (not the fact base these inputs give)
            del results  # the evidence is not needed past here
        if reuse.error:
            warnings.append(DataWarning(source="analysis", path=".execbrief/cache/analysis.sqlite", message=(
                f"cannot keep the analyzers' results ({reuse.error}): every run analyses everything "
                "again; check that the workspace's .execbrief folder is writable")))
            ledger.record_warnings(run_id, warnings[-1:])
        failures += [f"analyzer {name}: {error}" for name, error in analyzer_failures.items()]
        base: str | None = None  # this run's fact base (ledger.fact_bases)
        with clock("recording"):
            if reused is not None:
                previous = reused[0]
                if previous["fact_base"]:
                    ledger.use_fact_base(run_id, previous["fact_base"], facts_key)
                ledger.copy_run_facts(previous["id"], run_id)  # (what changed, as it wrote it)
            else:
                base = _record_fact_base(ledger, run_id, facts, None if analyzer_failures else facts_key, reuse_earlier)
            for name, error in analyzer_failures.items():
                ledger.record_event(run_id, "analyzer_failed", {"analyzer": name, "error": error})

        out_dir = settings.workspace / ".execbrief" / "runs" / run_id
        out_dir.mkdir(parents=True, exist_ok=True)
        outcomes: list[ReportOutcome] = []
        messages: list[Message] = []
        # run id → its facts, read once for all reports (beside this run's: only what differs is read)
        baselines = Baselines()
        with clock("selection"):
            indexed = _index_of(facts, base, ledger, settings)  # one index of the fact base for every report's sections
            changed: dict[str, Fact] = {}  # the changes the reports add, looked up before the fact base
            by_id = ChainMap(changed, indexed.by_id)
            views: list[LensView] = []
            for plan in planned if analysed else ():
                try:
                    views.append(_view_for(plan, indexed, warnings, settings, period, as_of, ledger, run_id,
                                           baselines, clock, base))
                except LedgerError:
                    raise  # the ledger cannot record the run: nothing further is safe
                except Exception as exc:
                    guard.fail("lens", plan.key, exc, "; report not written")
            for view in views:
                changed.update((f.id, f) for f in view.changes)
        warnings += read_warnings
        with clock("writing"):
            waiting = _batch_step(writer, views, ledger, run_id, batch, resume) if batch or resume else None
            if waiting:
                warnings.append(DataWarning(source="writer", message=waiting))
                ledger.record_warnings(run_id, warnings[-1:])
                views = []  # the reports are written when the batch is collected
            written = _write_many(writer, views, warnings, ledger, run_id, guard)
        plans = {plan.key: plan for plan in planned}
        renders = RenderCache(render_cache(settings))
        kept = [(plans[key], report) for key, report in reused[1].items()] if reused is not None else []
        for plan, report in kept:  # an earlier run's reports, as it verified them: rendered (from the cache)
            say("report", {"key": plan.key})
            outcome, message = _render_kept(plan, period, report, settings, out_dir, ledger, run_id, formats, guard,
                                            clock, renders)
            outcomes.append(outcome)
            if message:
                messages.append(message)
        for view in views:
            plan = plans[view.key]
            say("report", {"key": plan.key})
            outcome, message = _write_report(plan, view, by_id, settings, writer, out_dir, ledger, run_id, formats,
                                             written.get(plan.key), guard, clock, renders)
            outcomes.append(outcome)
            failures += [f"report {plan.key}: {p}" for p in outcome.problems[:1]]
            if message:
                messages.append(message)
        with clock("rendering"):
            renders.prune()

        deliveries: list[dict[str, Any]] = []
        if channel is not None and messages:
            # preflight (execbrief doctor), then the idempotent send loop under the workspace lock
            try:
                with clock("delivery"):
                    deliveries, delivery_failures = deliver_run(
                        settings, channel, ledger, run_id, period, messages, in_doubt=in_doubt, progress=say,
                        accept_new_ledger=accept_new_ledger,
                    )
                failures += delivery_failures
            except LedgerError:
                raise
            except Exception as exc:
                guard.fail("delivery", channel.name if hasattr(channel, "name") else settings.delivery.method, exc)
        elif accept_new_ledger:
            remember_ledger(settings.workspace, ledger, 0)  # confirmed without sending (a dry run)

        status = "failed" if failures else ("pending" if waiting else "ok")
        if run_key is not None and status == "ok":
            ledger.set_run_key(run_id, run_key)
        duration = int((time.monotonic() - started) * 1000)
        result = RunResult(
            run_id=run_id, period=period, as_of=as_of.isoformat(), status=status, reports=outcomes,
            warnings=warnings, deliveries=deliveries, failures=failures,
            facts=len(facts) if reused is None else reused[0]["summary"]["facts"], reused=reused is not None,
            duration_ms=duration, stages_ms=clock.wall_ms(), stages_cpu_ms=clock.cpu_ms(),
        )
        summary = {k: v for k, v in result.to_json().items() if k not in ("warnings",)}
        ledger.finish_run(run_id, status, summary, duration)
        keep_to_exit(facts, indexed, baselines, views)  # (the command's process: not freed one by one)
    return result


def _keys(results: Sequence[SourceResult], context: AnalysisContext, settings: Settings, planned: list[PlannedReport],
          period: str, only: tuple[str, ...], formats: tuple[str, ...],
          warnings: list[DataWarning]) -> tuple[str | None, str | None]:
    """(facts key, run key) of this run (``execbrief.reuse``); (None, None) if its inputs cannot be digested."""
    try:
        facts = digest_facts(results, context, settings_digest(settings))
        return facts, digest_run(
            facts, settings_json=settings.model_dump_json(), period=period, only=only, formats=formats,
            reports=[(p.key, p.lens.model_dump_json(), p.to, p.scope) for p in planned], warnings=warnings)
    except (TypeError, ValueError, OSError):  # (then nothing is reused: the run computes everything)
        return None, None


def _reusable(ledger: Ledger, run_key: str | None, planned: list[PlannedReport]) -> tuple[dict, dict[str, Report]] | None:
    """The earlier run with this run key and its verified reports, when it wrote every planned one."""
    previous = ledger.reusable_run(run_key) if run_key else None
    if previous is None or not isinstance(previous.get("summary"), dict):
        return None
    found = ledger.reports(previous["id"])
    reports = {r.key: r for r in found[1]} if found else {}
    if any(reports.get(p.key) is None or reports[p.key].status not in ("verified", "corrected", "fallback")
           for p in planned):
        return None
    return previous, {p.key: reports[p.key] for p in planned}


def _record_fact_base(ledger: Ledger, run_id: str, facts: list[Fact], facts_key: str | None, reuse: bool) -> str:
    """Name the fact base an earlier run recorded for the same inputs, else record this one (once); its id."""
    known = ledger.fact_base_for(facts_key) if facts_key and reuse else None
    if known is not None:
        ledger.use_fact_base(run_id, known, facts_key)
        return known
    return ledger.record_fact_base(run_id, facts, facts_key)


def _index_of(facts: list[Fact], base: str | None, ledger: Ledger, settings: Settings) -> FactIndex:
    """The index of this run's facts: the one kept with an earlier fact base, told beside this
    one (``execbrief.lenses.kept``), or made from the facts (and kept for later runs)."""
    if base is None:
        return FactIndex(facts)
    return index_of_base(facts, base, index_cache(settings), code_digest(), ledger.bases_differ)


@dataclass
class Baselines:
    """Earlier runs' facts, each read once for all of this run's reports (``indexes``: run id →
    its index), and the indexes read so far with their fact bases (``read``)."""

    indexes: dict[str, FactIndex] = field(default_factory=dict)
    read: list[tuple[FactIndex, str | None]] = field(default_factory=list)

    def nearest(self, ledger: Ledger, own: tuple[FactIndex, str | None], base: str | None) -> tuple[FactIndex, str | None]:
        """The index (with its base) to tell a run of fact base ``base`` beside: this run's
        (``own``), unless one read earlier differs from it in a quarter as many facts or
        fewer, as the ledger tells from its rows. After an upgrade that restates half a
        million facts, every briefing delivered earlier in the period differs from this run's
        facts in all of them, and from each other in a few: each told beside this run's cost
        ~30 s and a gigabyte; beside the one read before it, a few facts."""
        if base is None or own[1] is None:
            return own
        direct = ledger.bases_differ(own[1], base)
        best, fewest = own, None if direct is None else len(direct) / 4
        for index, theirs in self.read:
            apart = ledger.bases_differ(theirs, base) if theirs is not None else None
            if apart is not None and (fewest is None or len(apart) < fewest):
                best, fewest = (index, theirs), len(apart)
        return best


def _view_for(
    plan: PlannedReport, facts: FactIndex, warnings: list[DataWarning], settings: Settings,
    period: str, as_of: date, ledger: Ledger, run_id: str, baselines: Baselines,
    clock: StageClock | None = None, base: str | None = None,
) -> LensView:
    """The writer's input for one report, with what changed since its baseline briefing.

    The baseline is the last delivered briefing of the same report: one delivered earlier in
    this period, when this briefing's facts differ from it (this one updates it); else the
    baseline that one had (so an unchanged rerun gives the same report, not sent again); the
    first of a period compares with the last one delivered for an earlier period.
    """
    scope = set(plan.scope) if plan.scope is not None else None

    def index_of(run: str | None) -> FactIndex:
        """What an earlier run's facts were (this run's, for None), its "what changed" notes
        left out: they are part of its facts, not of what it reports on."""
        if run is None:
            return facts
        if run not in baselines.indexes:  # (told by what differs from the nearest base read, where both name one)
            theirs = ledger.fact_base_of(run)
            near, near_base = baselines.nearest(ledger, (facts, base), theirs)
            differ = ledger.differences(run, near_base)
            baselines.indexes[run] = (near.beside(differ[0], [f for f in differ[1] if f.name != "change"]) if differ
                                      else FactIndex([f for f in ledger.facts(run) if f.name != "change"]))
            baselines.read.append((baselines.indexes[run], theirs))
        return baselines.indexes[run]

    def apart(first: FactIndex, second: FactIndex, also: frozenset[str] = frozenset()) -> tuple[list[Fact], list[Fact]]:
        """What the report showed, or could have, in two runs, where they may differ (and at
        ``also``) only: what both hold alike tells no change, so a million facts need not be
        compared."""
        one, two = pools_apart(plan.lens, first, second, as_of=as_of, scope=scope, also=also)
        return [f for f in one if f.name != "change"], [f for f in two if f.name != "change"]

    baseline = ledger.baseline(plan.key, period)
    sent_at: str | None = None
    # each briefing delivered in this period had the baseline this rule gives it in turn
    last: tuple[str, str, str] | None = None
    for sent in [*ledger.delivered(plan.key, period, other_than=run_id), None]:
        if last is not None:
            older, newer = apart(index_of(last[0]), index_of(sent[0] if sent else None))
            if older != newer:  # it updates the one before it
                baseline, sent_at = (last[0], last[1]), last[2]
        last = sent
    changes: list[Fact] = []
    if baseline is not None:
        base_run, _ = baseline
        # a finding alerted since the baseline and gone now was resolved in between
        gone = lens_pool(plan.lens, resolved_alerts(ledger, base_run, facts.by_id), as_of=as_of, scope=scope)
        now, before = apart(facts, index_of(base_run), also=frozenset(f.id for f in gone))
        known = {b.id for b in before}
        before += [f for f in gone if f.id not in known]
        changes = compare(now, before, key=plan.key, baseline_period=baseline[1])
        with (clock or StageClock())("recording"):
            ledger.record_facts(run_id, changes)
    return build_view(
        plan.lens, facts, key=plan.key, period=period, as_of=as_of,
        organization=settings.organization.name, entities=settings.entity_names(),
        scope=scope, warnings=warnings, baseline=baseline[1] if baseline else None, changes=changes,
        baseline_sent_at=sent_at,
    )


def _check_batch(writer: Any, batch: bool, resume: bool) -> None:
    if (batch or resume) and not getattr(writer, "supports_batch", False):
        raise UsageError(
            "--batch and --resume need an LLM writer with a batch API: set [writer] kind = \"anthropic\" or \"openai\""
        )


def _batch_step(writer: Any, views: list[LensView], ledger: Ledger, run_id: str, batch: bool, resume: bool) -> str | None:
    """``--resume`` collects submitted batches, ``--batch`` submits one; a note when writing must wait."""
    if resume:
        _, pending = writer.collect_batches(ledger, run_id)
        if pending:
            return f"{pending} batch(es) still processing at the provider: run `execbrief run --resume` later"
    if batch:
        submitted = writer.submit_batch(views, ledger, run_id)
        if submitted:
            return f"{submitted} reports submitted as a batch: collect them with `execbrief run --resume`"
    return None


def _start(kind: str, name: str, settings: Settings, failed: list[tuple[str, str, BaseException]]) -> Any:
    """The writer or channel the settings name; None (and why, in ``failed``) if it cannot start.

    A configuration error (a missing key, an unknown name) stops the run with exit code 2;
    anything else a plugin raises costs the writer (reports are written offline) or the
    channel (nothing is delivered), not the run.
    """
    factory = registry.get(kind, name)
    try:
        return factory(settings)
    except ConfigError:
        raise
    except Exception as exc:
        failed.append((kind, name, exc))
        return None


def _write_many(writer: Any, views: list[LensView], warnings: list[DataWarning], ledger: Ledger, run_id: str,
                guard: Boundary) -> dict[str, Report]:
    """All reports at once when the writer can (LLM writers share a prompt prefix and run concurrently)."""
    if not views or not hasattr(writer, "write_many"):
        return {}
    try:
        reports = writer.write_many(views, ledger=ledger, run_id=run_id)
    except LedgerError:
        raise
    except Exception as exc:
        guard.fail("writer", getattr(writer, "name", None), exc, "; each report is written on its own")
        reports = []
    new, writer.warnings = list(getattr(writer, "warnings", ())), []
    warnings.extend(new)
    ledger.record_warnings(run_id, new)
    return {report.key: report for report in reports}


def _update(report: Report, ledger: Ledger, period: str, channel: str) -> Update | None:
    """What changed since the version of this report already sent in the period, if one was."""
    sent = DeliveryLedger(ledger).sent_version(report.key, period, report.digest(), channel)
    if sent is None:
        return None
    previous, at = sent
    return update_between(previous, report, date.fromisoformat(at[:10]))


def _write_report(
    plan: PlannedReport, view: LensView, by_id: Mapping[str, Fact], settings: Settings, writer: Any,
    out_dir: Path, ledger: Ledger, run_id: str, formats: tuple[str, ...] = (), written: Report | None = None,
    guard: Boundary | None = None, clock: StageClock | None = None, renders: RenderCache | None = None,
) -> tuple[ReportOutcome, Message | None]:
    """Write, verify, render and build the message of one report, each step behind a boundary."""
    guard = guard or Boundary([])
    clock = clock or StageClock()
    failed = ReportOutcome(lens=plan.lens.id, key=plan.key, title=plan.lens.title, status="failed",
                           writer=getattr(writer, "name", "?"), recipients=list(plan.to), files={})
    report = written
    if report is None:
        try:
            with clock("writing"):
                report = writer.write(view)
        except LedgerError:
            raise
        except Exception as exc:
            # the offline writer is the fallback of every writer: the report still goes out
            guard.fail("writer", f"{getattr(writer, 'name', '?')} on report {plan.key}", exc,
                       "; written offline instead")
            try:
                with clock("writing"):
                    report = OfflineWriter(settings).write(view)
            except Exception as again:
                guard.fail("writer", f"offline on report {plan.key}", again, "; report not written")
                return failed, None
            report = report.model_copy(update={"status": "fallback"})
    try:
        with clock("verification"):
            problems = verify(report, by_id)
    except Exception as exc:  # a report the verifier cannot check is never delivered
        problems = [f"the verifier failed on it: {describe(exc)}"]
    try:
        with clock("rendering"):
            return _render_report(plan, view.period, report, problems, settings, out_dir, ledger, run_id, formats,
                                  clock, renders)
    except LedgerError:
        raise
    except Exception as exc:
        guard.fail("render", f"report {plan.key}", exc, "; report not delivered")
        failed.title, failed.writer = report.title, report.writer
        return failed, None


def _render_kept(
    plan: PlannedReport, period: str, report: Report, settings: Settings, out_dir: Path, ledger: Ledger, run_id: str,
    formats: tuple[str, ...], guard: Boundary, clock: StageClock, renders: RenderCache,
) -> tuple[ReportOutcome, Message | None]:
    """Render and build the message of a report an earlier run wrote and verified, behind the render boundary."""
    try:
        with clock("rendering"):
            return _render_report(plan, period, report, [], settings, out_dir, ledger, run_id, formats, clock, renders)
    except LedgerError:
        raise
    except Exception as exc:
        guard.fail("render", f"report {plan.key}", exc, "; report not delivered")
        return ReportOutcome(lens=plan.lens.id, key=plan.key, title=report.title, status="failed", writer=report.writer,
                             recipients=list(plan.to), files={}), None


def _render_report(
    plan: PlannedReport, period: str, report: Report, problems: list[str], settings: Settings, out_dir: Path,
    ledger: Ledger, run_id: str, formats: tuple[str, ...], clock: StageClock, renders: RenderCache | None = None,
) -> tuple[ReportOutcome, Message | None]:
    # an LLM writer's "corrected" or "fallback" survives verification; a draft becomes "verified"
    passed = "verified" if report.status == "draft" else report.status
    report = report.model_copy(update={"status": "rejected" if problems else passed})
    with clock("recording"):
        ledger.record_report(run_id, report)
    outcome = ReportOutcome(
        lens=plan.lens.id, key=plan.key, title=report.title, status=report.status,
        writer=report.writer, recipients=list(plan.to), files={}, problems=problems,
    )
    if problems:
        # an unverified report is never rendered for delivery: record why and move on
        with clock("recording"):
            ledger.record_event(run_id, "report_rejected", {"key": plan.key, "problems": problems})
        return outcome, None
    update = _update(report, ledger, period, settings.delivery.method)
    # (drawn once per distinct report and update; its charts once per distinct data)
    drawn = (renders or RenderCache(None)).render(report, update, markdown="md" in formats)
    rendered = drawn.rendered
    files = {"html": out_dir / f"{plan.key}.html", "text": out_dir / f"{plan.key}.txt"}
    files["html"].write_text(drawn.page, encoding="utf-8")
    files["text"].write_text(rendered.text, encoding="utf-8")
    if drawn.markdown is not None:
        files["md"] = out_dir / f"{plan.key}.md"
        files["md"].write_text(drawn.markdown, encoding="utf-8")
    message = None
    if plan.to:
        message = build_message(
            rendered, report, sender=settings.delivery.sender, to=list(plan.to),
            bcc=list(settings.delivery.audit_bcc), period=period, workspace=str(settings.workspace.resolve()),
            reply_to=settings.delivery.reply_to, names=settings.display_names(),
        )
        files["eml"] = out_dir / f"{plan.key}.eml"
        files["eml"].write_bytes(message.mime)
    outcome.files = {k: str(v) for k, v in files.items()}
    return outcome, message
