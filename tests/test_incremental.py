"""The incremental runner gives the fact base a full analysis gives, and reuses what it may.

Each case edits the demo workspace the way a user would, then compares the runner's facts
(with the memo of earlier runs in place) against ``analyzers.analyze`` over all of the
freshly collected evidence: equal, fact for fact. Then it checks what was reused, so a
runner that recomputed everything (correct, but slow) would fail too.
"""

from __future__ import annotations

import os
import random
import sqlite3
from datetime import date

import pytest

from execbrief.analyzers import Reads, analyze, registered
from execbrief.analyzers.tables import LatestRows
from execbrief.config import load_settings
from execbrief.incremental import _digest, analyze_incremental
from execbrief.lenses import load_lenses
from execbrief.model import Evidence
from execbrief.pipeline import analysis_cache, analysis_context, plan_reports, settings_digest
from execbrief.registry import registry
from execbrief.workers import can_fork, cpus

AS_OF = date(2026, 11, 23)
CLIENTS = "notes/brightline/clients.md"


def _context(settings, as_of=AS_OF):
    return analysis_context(settings, plan_reports(settings, load_lenses(settings.workspace)), as_of)


def full(root, as_of=AS_OF):
    """The reference: every source collected in full, every analyzer over all of it."""
    settings = load_settings(root, environ={})
    evidence = [ev for name in settings.sources.enabled() for ev in registry.get("sources", name)(settings).collect().evidence]
    facts, failures = analyze(evidence, _context(settings, as_of))
    assert failures == {}
    return facts


def incremental(root, as_of=AS_OF, cache=None):
    settings = load_settings(root, environ={})
    results = []
    for name in settings.sources.enabled():
        source = registry.get("sources", name)(settings)
        results.append(source.collect_parts() if hasattr(source, "collect_parts") else source.collect())
    facts, failures, stats = analyze_incremental(
        results, _context(settings, as_of), cache=cache or analysis_cache(settings),
        settings_digest=settings_digest(settings))
    assert failures == {}
    return facts, stats


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text()
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1))
    _age(path)


def _age(path):
    """Back-date a file's mtime past the cache's racy window, as if edited minutes ago."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))


@pytest.fixture
def demo(demo_workspace):
    for path in demo_workspace.root.rglob("*"):
        if path.is_file():
            _age(path)
    return demo_workspace.root


def test_cold_and_warm_runs_equal_a_full_analysis_and_the_warm_one_builds_nothing(demo):
    reference = full(demo)

    cold, cold_stats = incremental(demo)
    warm, warm_stats = incremental(demo)

    assert cold == reference and warm == reference
    assert cold_stats.notes_reused == 0 and cold_stats.reused == []
    assert warm_stats.notes_built == 0  # no note's evidence was built
    assert warm_stats.notes_reused == cold_stats.notes_built == 12
    assert warm_stats.computed == [] and {"finance", "portfolio", "assets", "records", "security"} <= set(warm_stats.reused)
    assert warm_stats.fact_base_key == cold_stats.fact_base_key is not None  # the same inputs, the same digest
    # the rules over facts read the same facts as last time: their facts are kept too
    assert {"kpis", "plan", "breakeven"} <= set(warm_stats.reused) and {"kpis", "plan"} <= set(cold_stats.computed)


def test_a_line_added_below_the_tables_rebuilds_that_note_only(demo):
    # (a line added above a table moves its rows, whose lines the facts cite: the table
    # rules then run again, as they must)
    incremental(demo)
    path = demo / CLIENTS
    path.write_text(path.read_text() + "\n- [ ] Call Lumen Yoga about renewing (due 2026-11-30)\n")
    _age(path)

    facts, stats = incremental(demo)

    assert facts == full(demo)
    assert stats.notes_built == 1 and stats.notes_reused == 11
    assert {"portfolio", "assets", "records", "finance"} <= set(stats.reused)  # the tables did not change
    assert {"kpis", "plan", "breakeven"} <= set(stats.computed)  # a note's facts changed: they read them again
    assert any("Call Lumen Yoga" in f.statement for f in facts)


def test_the_fact_base_key_changes_with_a_note_and_is_the_same_again_for_the_same_inputs(demo):
    _, before = incremental(demo)
    edit(demo, CLIENTS, "| Pinewood Brewing Co. | $1,400 |", "| Pinewood Brewing Co. | $1,900 |")

    runs = [incremental(demo) for _ in range(2)]

    assert runs[0][0] == runs[1][0] == full(demo)
    assert runs[0][1].fact_base_key == runs[1][1].fact_base_key not in (None, before.fact_base_key)


def test_a_changed_table_cell_recomputes_the_table_rules(demo):
    incremental(demo)
    edit(demo, CLIENTS, "| Pinewood Brewing Co. | $1,400 |", "| Pinewood Brewing Co. | $1,900 |")

    facts, stats = incremental(demo)

    assert facts == full(demo)
    assert {"portfolio", "records", "assets"} <= set(stats.computed)
    assert "finance" in stats.reused


@pytest.mark.parametrize("change", ["archive", "delete", "add", "updated", "ledger", "as_of", "entity"])
def test_other_edits_give_the_full_analysis(demo, change):
    incremental(demo)
    as_of = AS_OF
    if change == "archive":
        edit(demo, CLIENTS, "status: active", "status: archived")
    elif change == "delete":
        (demo / "notes/quickroute/fleet.md").unlink()
    elif change == "add":
        (demo / "notes/brightline/new.md").write_text("---\nupdated: 2026-11-22\n---\n# New\n\n## Risks\n\n- Lumen may leave\n")
    elif change == "updated":  # the latest note of a business changes, and with it rows that win
        edit(demo, "notes/quickroute/fleet.md", "updated:", "updated: 2026-11-22\nold_updated:")
    elif change == "ledger":
        ledger = demo / "ledger/transactions.csv"
        ledger.write_text(ledger.read_text() + "2026-10-15,2100.00,brightline,Retainers,revenue,Lumen Yoga October\n")
        _age(ledger)
    elif change == "as_of":
        as_of = date(2026, 12, 2)
    elif change == "entity":  # configuration the evidence depends on
        edit(demo, "execbrief.toml", 'name = "Brightline Studio"', 'name = "Brightline Studio Ltd"')

    facts, stats = incremental(demo, as_of)

    assert facts == full(demo, as_of)
    if change in ("as_of", "entity"):
        assert stats.reused == [] and stats.notes_reused == 0


def test_each_analyzer_gives_the_same_facts_from_its_view_alone_whatever_the_provenance_times(demo):
    settings = load_settings(demo, environ={})
    evidence = [ev for name in settings.sources.enabled() for ev in registry.get("sources", name)(settings).collect().evidence]
    context = _context(settings)
    rng = random.Random(7)

    def restamped(ev: Evidence) -> Evidence:  # another content hash and time: a touched file
        update = {"sha256": f"sha256:{rng.getrandbits(64):x}", "observed_at": "2027-01-01T00:00:00Z"}
        if ev.kind == "document":  # and a longer note
            update["line_end"] = (ev.provenance.line_end or 1) + 5
        prov = ev.provenance.model_copy(update=update)
        return ev.model_copy(update={"provenance": prov})

    for r in registered():
        if r.over_facts:
            continue
        view = [restamped(ev) for ev in evidence if r.reads.accepts(ev)]
        assert r.run(view, context) == r.run(evidence, context), r.name


JOBS_AND_INVOICES = """---
updated: 2026-11-10
---
# Jobs and invoices

| Job | Due | Delivered | Price | Cost |
|-----|-----|-----------|-------|------|
| J-1 | 2026-11-02 | 2026-11-04 | $200 | $260 |
| J-2 | 2026-11-03 | 2026-11-03 | $150 | $90 |

| Invoice | Client | Amount | Due date | Status |
|---------|--------|--------|----------|--------|
| INV-7 | Lumen Yoga | $2,100 | 2026-09-01 | Unpaid |
| INV-8 | Lumen Yoga | $2,100 | 2026-10-01 | Sent |
"""


def _copies(root):
    """An older and a newer copy of every demo note with a table, changed in between (a weekly
    roster copied forward, a fee raised, a unit let, an invoice paid): most rows are superseded
    copies."""
    (root / "notes/quickroute/jobs.md").write_text(JOBS_AND_INVOICES)
    for note in sorted((root / "notes").rglob("*.md")):
        text = note.read_text()
        if "\n|" not in text or "updated:" not in text:
            continue
        for suffix, day in (("old", "2026-01-05"), ("new", "2026-11-22")):
            copy = text.replace("updated:", f"updated: {day}\nprevious_update:", 1)
            if suffix == "new":
                copy = copy.replace("| $1,400 |", "| $1,900 |").replace("| Vacant", "| Let").replace("| Unpaid |", "| Paid |")
            (note.parent / f"{note.stem}-{suffix}.md").write_text(copy)


def test_a_narrowed_view_gives_its_analyzers_the_facts_of_the_whole_view(demo):
    _copies(demo)
    settings = load_settings(demo, environ={})
    context = _context(settings)
    result = registry.get("sources", "notes")(settings).collect_parts()
    fn = {r.name: r.run for r in registered()}
    narrowed = [(r.name, r.reads, r.keys) for r in registered() if isinstance(r.reads, Reads) and r.reads.narrow]
    assert {name for name, _, _ in narrowed} == {"records", "portfolio", "assets"}
    for name, spec, keys in narrowed:
        narrowing = spec.narrow()
        whole = []
        for n, part in enumerate(result.parts):  # note by note, as the runner feeds it
            items = [ev for ev in part.evidence() if spec.accepts(ev)]
            narrowing.add((0, n), items)
            whole += items
        kept = narrowing.items()
        rows = [ev for ev in whole if ev.kind == "table_row"]
        assert len([ev for ev in kept if ev.kind == "table_row"]) < len(rows) / 2  # most copies let go
        assert [ev for ev in kept if ev.kind != "table_row"] == [ev for ev in whole if ev.kind != "table_row"]
        assert kept == [ev for ev in whole if ev in kept]  # in the view's order
        facts = fn[name](kept, context)
        assert facts and facts == fn[name](whole, context), name
        # and each rule reads rows through the keys it registered alone (none leans on another's)
        own = LatestRows(keys)
        for n, part in enumerate(result.parts):
            own.add((0, n), [ev for ev in part.evidence() if spec.accepts(ev)])
        assert fn[name](own.items(), context) == facts, name


def test_a_view_kept_per_business_gives_each_business_its_facts_from_its_own_items(demo):
    _copies(demo)
    settings = load_settings(demo, environ={})
    context = _context(settings)
    result = registry.get("sources", "notes")(settings).collect_parts()
    # what grouping rests on: a part names the businesses of its rows (a note covering two
    # businesses under their own headings names both), and its document dates each one's rows
    assert all(ev.entity in part.entity_groups() for part in result.parts for ev in part.evidence()
               if ev.kind == "table_row")
    per_entity = [r for r in registered() if isinstance(r.reads, Reads) and r.reads.per_entity]
    assert {r.name for r in per_entity} == {"records", "portfolio", "assets"}
    for r in per_entity:
        name, fn, spec = r.name, r.run, r.reads
        groups: dict = {}
        for part in result.parts:
            for ev in part.evidence():
                if spec.accepts(ev):
                    for group in (part.entity_groups() if ev.kind == "document" else (ev.entity,)):
                        groups.setdefault(group, []).append(ev)
        evidence = [ev for part in result.parts for ev in part.evidence()]
        apart = [f for items in groups.values() for f in fn(items, context)]
        together = fn([ev for ev in evidence if spec.accepts(ev)], context)
        assert len(groups) > 2 and together
        assert sorted(apart, key=lambda f: f.id) == sorted(together, key=lambda f: f.id), name
        assert fn([], context) == [], name


def test_the_runner_with_copies_of_every_table_gives_the_full_analysis(demo):
    _copies(demo)

    cold, cold_stats = incremental(demo)
    edit(demo, "notes/brightline/clients-new.md", "| Coastal Dental Group | $2,400 |", "| Coastal Dental Group | $2,600 |")
    warm, stats = incremental(demo)

    assert cold != warm and warm == full(demo)
    # the table rules ran again for that business alone, from its notes alone
    assert {k: n for k, n in stats.groups_computed.items() if n} == {"records": 1, "portfolio": 1, "assets": 1}
    assert stats.notes_built == len(list((demo / "notes/brightline").glob("*.md"))) < cold_stats.notes_built


def test_notes_built_in_worker_processes_give_the_full_analysis(demo, monkeypatch):
    import execbrief.incremental.jobs as runner

    _copies(demo)
    monkeypatch.setattr(runner, "PARALLEL_MIN", 2)  # 22 notes are enough to use the workers
    monkeypatch.setattr(runner, "CHUNK", 3)  # and each narrows a few notes' tables, merged after

    cold, cold_stats = incremental(demo)
    assert cold == full(demo)
    edit(demo, "notes/brightline/clients-old.md", "| Coastal Dental Group | $2,400 |", "| Coastal Dental Group | $2,600 |")
    warm, warm_stats = incremental(demo)  # the table rules' view is built again, in the workers

    assert warm == full(demo)
    assert warm_stats.notes_built == len(list((demo / "notes/brightline").glob("*.md"))) and "records" in warm_stats.computed
    if can_fork() and cpus() > 1:
        assert cold_stats.workers > 1 and warm_stats.workers > 1


def test_a_worker_process_that_dies_costs_speed_not_facts(demo, monkeypatch):
    import dataclasses

    import execbrief.analyzers.base as base
    import execbrief.incremental.jobs as runner

    _copies(demo)
    reference = full(demo)
    monkeypatch.setattr(runner, "PARALLEL_MIN", 2)
    monkeypatch.setattr(runner, "CHUNK", 3)
    operations = next(r for r in registered() if r.name == "operations")
    parent, real = os.getpid(), operations.fn

    def killed_in_workers(evidence, context):  # as if the kernel killed every worker
        if os.getpid() != parent:
            os._exit(9)
        return real(evidence, context)

    monkeypatch.setitem(base._REGISTRY, "operations", dataclasses.replace(operations, fn=killed_in_workers))
    facts, stats = incremental(demo)

    assert facts == reference and stats.workers == 1  # all built here, in the end


def test_after_a_rule_fails_the_rules_over_facts_run_again_every_time(demo, monkeypatch):
    import dataclasses

    import execbrief.analyzers.base as base

    records = next(r for r in registered() if r.name == "records")

    def broken(evidence, context):
        raise RuntimeError("a bug")

    monkeypatch.setitem(base._REGISTRY, "records", dataclasses.replace(records, fn=broken))
    settings = load_settings(demo, environ={})
    runs = []
    for _ in range(2):
        results = [registry.get("sources", name)(settings).collect() for name in settings.sources.enabled()]
        runs.append(analyze_incremental(results, _context(settings), cache=analysis_cache(settings),
                                        settings_digest=settings_digest(settings)))

    for facts, failures, stats in runs:
        assert "records" in failures
        assert {"kpis", "plan", "breakeven"} <= set(stats.computed)  # never kept for facts a failure left out
        assert stats.fact_base_key is None
    assert runs[0][0] == runs[1][0]


def test_a_damaged_memo_is_started_afresh(demo, tmp_path):
    damaged = tmp_path / "memo.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)

    facts, stats = incremental(demo, cache=damaged)
    again, again_stats = incremental(demo, cache=damaged)

    assert facts == again == full(demo)
    assert stats.reused == [] and stats.error is None
    assert again_stats.notes_reused == 12 and again_stats.computed == []


def test_a_memo_that_cannot_be_written_costs_speed_not_facts(demo, tmp_path):
    (tmp_path / "file").write_text("a file where the cache folder should be")

    facts, stats = incremental(demo, cache=tmp_path / "file" / "memo.sqlite")
    again, _ = incremental(demo, cache=tmp_path / "file" / "memo.sqlite")

    assert facts == again == full(demo)
    assert stats.error and stats.reused == []


def test_the_memo_forgets_notes_that_are_gone(demo):
    incremental(demo)
    settings = load_settings(demo, environ={})
    before = sqlite3.connect(analysis_cache(settings)).execute("SELECT count(*) FROM parts").fetchone()[0]
    (demo / "notes/quickroute/fleet.md").unlink()
    edit(demo, CLIENTS, "status: active", "status: active\nowner: Priya")

    incremental(demo)

    after = sqlite3.connect(analysis_cache(settings)).execute("SELECT count(*) FROM parts").fetchone()[0]
    assert after == before - 1


def test_the_memo_forgets_the_table_facts_of_a_business_that_is_gone(demo):
    incremental(demo)
    memo = analysis_cache(load_settings(demo, environ={}))
    labels = {row[0] for row in sqlite3.connect(memo).execute("SELECT analyzer FROM whole")}
    assert {"records@brightline", "portfolio@brightline", "finance"} <= labels
    for note in (demo / "notes/brightline").glob("*.md"):
        note.unlink()

    facts, _ = incremental(demo)

    assert facts == full(demo)
    left = {row[0] for row in sqlite3.connect(memo).execute("SELECT analyzer FROM whole")}
    assert not {label for label in left if label.endswith("@brightline")} and "records@harbor-flats" in left


def test_a_pipeline_run_keeps_its_memo_and_a_second_run_gives_the_same_facts(demo):
    from execbrief.pipeline import run

    settings = load_settings(demo, environ={})
    first = run(settings, dry_run=True, as_of=AS_OF)
    second = run(settings, dry_run=True, as_of=AS_OF)

    assert first.facts == second.facts == len(full(demo))
    assert analysis_cache(settings).exists()


def test_an_item_no_digest_describes_is_analysed_every_run(tmp_path):
    from execbrief.analyzers import AnalysisContext
    from execbrief.sources import SourceResult
    from execbrief.construct import evidence, provenance

    class Opaque:  # a value with no exact digest: the runner must not guess one
        pass

    item = evidence("ev-1", "ledger", "resource", None, None, {"type": "other", "value": Opaque()},
                    provenance("ledger", "execbrief.toml"))
    context = AnalysisContext(as_of=AS_OF)
    runs = [analyze_incremental([SourceResult(evidence=[item])], context, cache=tmp_path / "memo.sqlite")
            for _ in range(2)]

    assert all(facts == analyze([item], context)[0] and failures == {} for facts, failures, _ in runs)
    assert "finance" in runs[1][2].computed and "cloud" in runs[1][2].reused


def test_sources_read_together_give_what_each_gives_alone(demo):
    # enough notes for the notes source to fork its parsers; the other sources start after
    from execbrief.pipeline import collect_sources

    for n in range(450):
        (demo / "notes" / "org" / f"log-{n:03d}.md").write_text(
            f"---\nupdated: 2026-11-{1 + n % 20:02d}\n---\n# Log {n}\n\n## Risks\n\n- [high] Boiler {n} may fail\n")
    settings = load_settings(demo, environ={})
    events = []

    forked = []
    import execbrief.pipeline as pipeline
    real_fork_call = pipeline.fork_call

    def fork_call(fn):
        wait = real_fork_call(fn)
        forked.append(wait is not None)
        return wait

    pipeline.fork_call = fork_call
    try:
        results, warnings, inputs, failures = collect_sources(settings, lambda event, data: events.append(data["name"]))
    finally:
        pipeline.fork_call = real_fork_call

    alone = [registry.get("sources", name)(settings).collect() for name in settings.sources.enabled()]
    assert failures == [] and events[0] == "notes"
    assert [r.inputs for r in results] == [r.inputs for r in alone]
    together = [[ev for part in r.parts for ev in part.evidence()] + r.evidence for r in results]
    assert [_digest(evidence) for evidence in together] == [_digest(r.evidence) for r in alone]
    assert len(together[0]) > 450 * 3  # the notes and their items are all there
    if can_fork() and cpus() > 1:
        assert forked == [True, True]  # the repositories and AWS were read in processes of their own


def test_derived_data_is_made_once_per_evidence_list_and_let_go_after_analysis():
    from execbrief.analyzers import AnalysisContext

    context = AnalysisContext(as_of=AS_OF)
    made = []
    evidence, other = [], []
    first = context.shared("rows", evidence, lambda: made.append(1) or ["rows"])
    again = context.shared("rows", evidence, lambda: made.append(1) or ["rows"])
    context.shared("rows", other, lambda: made.append(1) or ["rows"])

    assert first is again and len(made) == 2
    analyze([], context)
    assert context.derived == {}  # nothing of the analysis is held past it


def test_an_edit_in_one_business_settles_that_business_and_the_group_again_and_keeps_the_rest(demo):
    _, cold = incremental(demo)
    edit(demo, CLIENTS, "| Pinewood Brewing Co. | $1,400 |", "| Pinewood Brewing Co. | $1,900 |")

    facts, stats = incremental(demo)

    assert facts == full(demo)
    ran, kept = stats.parts_computed.get("resolution", []), stats.parts_reused.get("resolution", [])
    assert sorted(cold.parts_computed["resolution"]) == sorted(ran + kept)  # every part, run or kept
    assert set(ran) <= {"brightline", ""} and kept and not (set(ran) & set(kept)), (ran, kept)  # the other businesses' parts are as they were


def test_a_memo_an_earlier_version_kept_fact_ids_in_lets_that_table_go(tmp_path):
    from execbrief.incremental.memo import Memo

    path = tmp_path / "analysis.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE fact_ids (one INTEGER PRIMARY KEY CHECK (one = 1), ids BLOB)")
        db.execute("INSERT INTO fact_ids VALUES (1, ?)", (b"f-1\0f-2",))
    memo = Memo(path)
    assert memo.error is None
    tables = {name for (name,) in memo.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "fact_ids" not in tables and {"parts", "whole"} <= tables
    memo.close()
