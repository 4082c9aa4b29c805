"""What changed since the last briefing: baselines, new and resolved items, moved metrics."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.ledger import Ledger
from execbrief.lenses.changes import compare
from execbrief.model import Fact, Report
from execbrief.pipeline import run

NOTE = """\
---
title: Alpha operations
updated: 2026-11-20
entity: alpha
---
# Alpha operations

## Risks
- [high] The roof needs replacing before winter.

## Tasks
- [ ] Get three roofing quotes (due 2027-02-01)
"""

LEDGER = """\
date,amount,entity,account,category,memo
2026-09-01,5000.00,alpha,Rental income,revenue,September rent
2026-09-10,-1200.00,alpha,Repairs,operating,Gutter repair
2026-10-01,5200.00,alpha,Rental income,revenue,October rent
2026-10-12,-800.00,alpha,Repairs,operating,Boiler service
2026-09-03,7000.00,beta,Delivery revenue,revenue,September jobs
2026-10-03,7100.00,beta,Delivery revenue,revenue,October jobs
"""


def _report(workspace, result, key: str) -> Report:
    with Ledger.for_workspace(workspace.root) as ledger:
        row = ledger.db.execute(
            "SELECT report_json FROM reports WHERE run_id = ? AND key = ?", (result.run_id, key)
        ).fetchone()
    return Report.model_validate_json(row[0])


def _changes(workspace, result, key: str) -> tuple[str, list[str]]:
    section = _report(workspace, result, key).sections[0]
    assert section.id == "changes"
    block = section.blocks[0]
    return section.title, list(block.items) if block.kind == "bullets" else [block.text]


def test_first_briefing_says_it_has_no_baseline(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    result = run(workspace.settings(), as_of=date(2026, 11, 23))
    title, items = _changes(workspace, result, "ceo")
    assert title == "What changed"
    assert items == ["First briefing of this kind: there is no earlier briefing to compare with."]


def test_second_period_shows_exactly_the_note_and_ledger_month_changes(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    first = run(workspace.settings(), as_of=date(2026, 11, 23))
    assert first.status == "ok"

    workspace.write("notes/alpha.md", NOTE.replace(
        "## Tasks", "- [critical] The insurer will not renew without a roof survey.\n\n## Tasks"))
    workspace.write("ledger/t.csv", LEDGER.replace("2026-10-12,-800.00", "2026-10-12,-1800.00"))
    second = run(workspace.settings(), as_of=date(2026, 11, 30))
    assert second.period == "2026-W49"

    title, ceo_items = _changes(workspace, second, "ceo")
    assert title == "What changed since 2026-W48"
    # a new critical finding leads the summary, marked new there, and is not listed twice
    summary = _report(workspace, second, "ceo").summary[0].items
    assert "New: Critical: Alpha Rentals: The insurer will not renew without a roof survey." in summary
    assert not any("roof survey" in i for i in ceo_items)

    _, cfo_items = _changes(workspace, second, "cfo")
    assert any(i.startswith("Worse: Alpha Rentals costs in October 2026 were $1,800 (was $800)") for i in cfo_items)
    assert any(i.startswith("Worse: Alpha Rentals netted $3,400 in October 2026 (was $4,400)") for i in cfo_items)
    # only the edited month and the totals that contain it moved: nothing about September or Beta
    assert not any("in September 2026" in i for i in cfo_items)
    assert not any("Beta" in i for i in cfo_items if "All businesses" not in i)
    assert not any(i.startswith("Resolved") for i in cfo_items + ceo_items)
    assert all(r.status == "verified" for r in second.reports)


def test_rerun_in_the_same_period_compares_with_the_same_baseline_and_is_identical(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    run(workspace.settings(), as_of=date(2026, 11, 23))
    workspace.write("ledger/t.csv", LEDGER.replace("5200.00", "5300.00"))
    second = run(workspace.settings(), as_of=date(2026, 11, 30), dry_run=True)
    third = run(workspace.settings(), as_of=date(2026, 11, 30), dry_run=True)
    for a, b in zip(second.reports, third.reports):
        assert open(a.files["html"]).read() == open(b.files["html"]).read()
        assert open(a.files["text"]).read() == open(b.files["text"]).read()
    assert _changes(workspace, second, "ceo")[0] == "What changed since 2026-W48"


def test_resolved_findings_and_moved_severity_are_reported():
    risk = Fact(id="f-1", kind="finding", name="risk", severity="medium", statement="Roof leaks.")
    task = Fact(id="f-2", kind="action", name="open_task", severity="low", statement="Paint.")
    worse = risk.model_copy(update={"severity": "high"})
    changes = compare([worse], [risk, task], key="ceo", baseline_period="2026-W47")
    statements = [c.statement for c in changes]
    assert statements == ["Worse: Roof leaks. (was medium, now high)", "Resolved: Paint."]
    assert all(c.kind == "note" and c.name == "change" for c in changes)


def test_metric_direction_decides_better_or_worse():
    before = Fact(id="f-r", kind="metric", name="revenue", value=Decimal(100), unit="USD", statement="R $100.")
    cost_before = Fact(id="f-c", kind="metric", name="costs", value=Decimal(50), unit="USD", statement="C $50.")
    after = before.model_copy(update={"value": Decimal(120), "statement": "R $120."})
    cost_after = cost_before.model_copy(update={"value": Decimal(70), "statement": "C $70."})
    changes = compare([after, cost_after], [before, cost_before], key="cfo", baseline_period="2026-W47")
    assert [c.statement for c in changes] == ["Worse: C $70 (was $50.00).", "Better: R $120 (was $100)."]


def test_unchanged_metrics_and_new_metrics_are_not_changes():
    metric = Fact(id="f-r", kind="metric", name="revenue", value=Decimal(100), unit="USD", statement="R.")
    fresh = Fact(id="f-n", kind="metric", name="revenue", value=Decimal(5), unit="USD", statement="N.")
    assert compare([metric, fresh], [metric], key="cfo", baseline_period="2026-W47") == []


def _sent(workspace, result, key: str) -> list[dict]:
    with Ledger.for_workspace(workspace.root) as ledger:
        return [m for m in ledger.messages(result.run_id) if m.get("report_key", m.get("key")) == key]


def test_an_update_in_the_same_period_says_what_changed_since_the_briefing_it_updates(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    first = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",))
    assert [m["status"] for m in _sent(workspace, first, "cfo")] and _changes(workspace, first, "cfo")[1] == [
        "First briefing of this kind: there is no earlier briefing to compare with."]

    workspace.write("ledger/t.csv", LEDGER.replace("2026-10-12,-800.00", "2026-10-12,-1800.00"))
    update = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",))
    assert update.period == first.period
    subjects = {m["subject"] for m in _sent(workspace, update, "cfo") if m["status"] == "sent"}
    assert subjects and all(s.startswith("[Update] ") for s in subjects)
    _, items = _changes(workspace, update, "cfo")
    assert not any(i.startswith("First briefing") for i in items)
    assert any(i.startswith("Worse: Alpha Rentals costs in October 2026 were $1,800 (was $800)") for i in items)
    # and unchanged after the update: the same report (it compares with what the update did), not sent
    again = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",))
    assert _report(workspace, again, "cfo").digest() == _report(workspace, update, "cfo").digest()
    assert not [m for m in _sent(workspace, again, "cfo") if m["status"] == "sent"]


def test_an_unchanged_rerun_after_delivery_compares_as_the_delivered_one_did_and_is_not_sent_again(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    first = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",))
    again = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",))
    assert _report(workspace, again, "cfo").digest() == _report(workspace, first, "cfo").digest()
    assert not [m for m in _sent(workspace, again, "cfo") if m["status"] == "sent"]


def test_a_briefing_that_was_never_delivered_is_no_baseline(workspace):
    workspace.write("notes/alpha.md", NOTE)
    workspace.write("ledger/t.csv", LEDGER)
    run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",), dry_run=True)
    workspace.write("ledger/t.csv", LEDGER.replace("2026-10-12,-800.00", "2026-10-12,-1800.00"))
    later = run(workspace.settings(), as_of=date(2026, 11, 30), only=("cfo",))
    same = run(workspace.settings(), as_of=date(2026, 11, 23), only=("cfo",), dry_run=True)
    for result in (later, same):
        assert _changes(workspace, result, "cfo")[1] == [
            "First briefing of this kind: there is no earlier briefing to compare with."]


def test_a_baseline_is_told_beside_the_nearest_fact_base_read(tmp_path):
    """After an upgrade that restates most facts, the briefings delivered earlier in the period
    differ from this run's facts in all of them and from each other in a few: each is told
    beside the one read before it, to the facts it recorded."""
    from execbrief.lenses import FactIndex
    from execbrief.pipeline import Baselines

    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n:03d}", kind="finding", name="risk", entity="alpha", statement=f"Risk {n}{text}.")

    monday = [fact(n) for n in range(200)]
    tuesday = [fact(n, " (worse)") if n == 3 else fact(n) for n in range(1, 200)]  # two facts apart
    upgraded = [fact(n, " (restated)") for n in range(200)]  # every fact apart
    with Ledger(tmp_path / "ledger.db") as ledger:
        runs = [ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(3)]
        bases = [ledger.record_fact_base(r, facts) for r, facts in zip(runs, (monday, tuesday, upgraded))]
        ledger.record_facts(runs[1], [Fact(id="f-chg", kind="note", name="change", statement="Worse: risk 3.")])
        now = FactIndex(upgraded)
        baselines = Baselines()
        assert baselines.nearest(ledger, (now, bases[2]), bases[0]) == (now, bases[2])  # (none read yet)
        first = now.beside(*ledger.differences(runs[0], bases[2]))
        baselines.read.append((first, bases[0]))
        near, near_base = baselines.nearest(ledger, (now, bases[2]), bases[1])
        assert near is first and near_base == bases[0]  # (two facts apart, not two hundred)
        removed, added = ledger.differences(runs[1], near_base)
        assert len(added) == 2  # (its change note, and risk 3 as it was on Tuesday)
        told = near.beside(removed, [f for f in added if f.name != "change"])
        assert list(told) == [f for f in ledger.facts(runs[1]) if f.name != "change"] == tuesday
        # a base this run's differs from in few facts is told beside this run's own
        assert baselines.nearest(ledger, (FactIndex(tuesday), bases[1]), bases[1])[1] == bases[1]
