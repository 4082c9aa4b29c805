"""The offline writer: deterministic, fully cited reports that the verifier accepts."""

from __future__ import annotations

from datetime import date

import pytest

from execbrief.analyzers import AnalysisContext, analyze
from execbrief.lenses import build_view, load_lenses
from execbrief.model import DataWarning, Evidence, Fact, Lens, LensSection, Provenance, Selector
from execbrief.verify import verify
from execbrief.writers.offline import OfflineWriter

AS_OF = date(2026, 11, 23)
ENTITIES = {"alpha": ("Alpha Rentals", "rental"), "beta": ("Beta Delivery", "delivery")}
NAMES = {k: v[0] for k, v in ENTITIES.items()}


def _tx(line: int, day: str, amount: str, entity: str, account: str = "Sales", category: str = "income") -> Evidence:
    return Evidence(
        id=f"tx-{line}", source="ledger", kind="transaction", entity=entity,
        record={"date": day, "amount": amount, "account": account, "category": category, "memo": ""},
        provenance=Provenance(source="ledger", path="ledger/t.csv", line_start=line, line_end=line),
    )


def _note(kind: str, line: int, record: dict, text: str | None = None, entity: str = "alpha") -> Evidence:
    path = f"notes/{entity}/ops.md"
    return Evidence(
        id=f"n-{entity}-{kind}-{line}", source="notes", kind=kind, entity=entity, text=text, record=record,
        provenance=Provenance(source="notes", path=path, line_start=line, line_end=line),
    )


def sample_facts() -> list[Fact]:
    """A realistic fact base from analyzers: money, tasks, risks, KPIs, gaps."""
    evidence = [
        _tx(2, "2026-08-03", "4100.50", "alpha"),
        _tx(3, "2026-08-09", "-1200.25", "alpha", "Repairs", "maintenance"),
        _tx(4, "2026-09-03", "3900", "alpha"),
        _tx(5, "2026-10-03", "2500", "alpha"),
        _tx(6, "2026-10-12", "-310.40", "alpha", "Hosting", ""),
        _tx(7, "2026-08-05", "900", "beta"),
        _tx(8, "2026-10-05", "-1400", "beta", "Fuel", "vehicles"),
        _tx(9, "2026-10-05", "-1400", "beta", "Fuel", "vehicles"),
        _tx(10, "2026-11-02", "700", "beta"),
        _note("document", 1, {"title": "Ops", "tags": [], "status": "active", "updated": "2026-08-01",
                              "kpis": {"occupancy_rate": "83%", "average_nightly_rate": "$142.50"}}, "Ops"),
        _note("task", 10, {"done": False, "heading": "To do", "due": "2026-11-01"}, "Renew the boiler contract"),
        _note("task", 11, {"done": False, "heading": "To do", "due": "2026-12-01"}, "Call the insurer"),
        _note("task", 12, {"done": False, "heading": "To do", "due": None}, "Paint the hallway"),
        _note("section", 20, {"heading": "Risks", "bullets": [
            {"text": "[critical] Stripe live key in the website repo", "line": 21},
            {"text": "Roof over unit 3B needs work before winter", "line": 22},
        ]}),
        _note("section", 30, {"heading": "Marketing channels", "bullets": [
            {"text": "Instagram brings 60% of enquiries", "line": 31},
        ]}),
    ]
    context = AnalysisContext(
        as_of=AS_OF, entities=ENTITIES,
        expected_kpis=(("cash_balance", ()), ("occupancy_rate", ("rental",)), ("cost_per_drop", ("delivery",))),
    )
    facts, failures = analyze(evidence, context)
    assert failures == {}
    return facts


def view_for(lens: Lens, facts: list[Fact], scope: set[str] | None = None, warnings=()):
    return build_view(lens, facts, key=lens.id, period="2026-W48", as_of=AS_OF, organization="Test Org",
                      entities=NAMES, scope=scope, warnings=warnings)


BUILTINS = ("ceo", "cto", "cfo", "cmo", "accounting", "rental-property", "delivery-service", "client-portfolio")


def test_writing_the_same_view_twice_gives_equal_reports():
    facts = sample_facts()
    view = view_for(load_lenses()["ceo"], facts)

    first, second = OfflineWriter().write(view), OfflineWriter().write(view)

    assert first == second
    assert first.digest() == second.digest()
    assert first.digest().startswith("sha256:")
    assert first.writer == "offline"


def test_reports_from_reanalysed_facts_are_identical():
    lens = load_lenses()["cfo"]

    first = OfflineWriter().write(view_for(lens, sample_facts()))
    second = OfflineWriter().write(view_for(lens, sample_facts()))

    assert first.model_dump_json() == second.model_dump_json()


@pytest.mark.parametrize("lens_id", BUILTINS)
def test_every_block_with_content_cites_facts_and_verifies(lens_id):
    facts = sample_facts()
    by_id = {f.id: f for f in facts}
    lens = load_lenses()[lens_id]
    scope = {"alpha"} if lens.entity_kinds else None

    view = view_for(lens, facts, scope=scope)
    report = OfflineWriter().write(view)

    for block in report.blocks():
        if block.kind != "note":
            assert block.cites, block
            assert all(c in by_id for c in block.cites)
    assert verify(report, by_id) == []
    shown = [s.id for s in lens.sections if view.sections.get(s.id) or not s.optional]
    assert [s.id for s in report.sections] == ["changes"] + shown


def test_source_list_numbers_each_cited_fact_once_in_citation_order():
    facts = sample_facts()
    report = OfflineWriter().write(view_for(load_lenses()["ceo"], facts))

    assert [r.fact_id for r in report.sources] == report.cited_ids()
    assert [r.number for r in report.sources] == list(range(1, len(report.sources) + 1))


def test_empty_section_yields_a_note_block():
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="empty", title="Nothing", directive="d", select=Selector(names=("no_such_fact",))),
    ))

    report = OfflineWriter().write(view_for(lens, sample_facts()))

    (block,) = report.sections[1].blocks
    assert block.kind == "note"
    assert block.cites == ()
    assert "Nothing to report" in (block.text or "")


def test_summary_is_a_note_without_high_findings():
    fact = Fact(id="f-1", kind="finding", name="risk", severity="low", statement="Minor thing.")
    lens = Lens(id="t", title="T", audience="A", sections=(LensSection(id="s", title="S", directive="d"),))

    report = OfflineWriter().write(view_for(lens, [fact]))

    assert [b.kind for b in report.summary] == ["note"]


def test_summary_lists_the_most_severe_findings_first():
    facts = sample_facts()
    report = OfflineWriter().write(view_for(load_lenses()["ceo"], facts))

    (block,) = report.summary
    assert block.kind == "bullets"
    assert 3 <= len(block.items) <= 5
    assert block.items[0].startswith("Critical: ")
    assert "Stripe live key" in block.items[0]


def test_limit_yields_omitted_on_the_block():
    facts = [Fact(id=f"f-{n}", kind="finding", name="risk", severity="low", statement=f"Risk number {n}.")
             for n in range(5)]
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="s", title="S", directive="d", select=Selector(limit=2)),
    ))

    report = OfflineWriter().write(view_for(lens, facts))

    (block,) = report.sections[1].blocks
    assert block.omitted == 3
    assert len(block.items) == 2
    assert block.item_cites == tuple((c,) for c in block.cites)


def test_actions_are_ordered_by_due_date_with_undated_last():
    facts = [
        Fact(id="f-a", kind="action", name="remediation", severity="low", due=date(2027, 1, 22),
             statement="By 2027-01-22: Tidy the books.", recommendation="Tidy the books"),
        Fact(id="f-b", kind="action", name="open_task", severity="low",
             statement="Alpha Rentals: Paint hallway, no due date.", recommendation="Paint hallway"),
        Fact(id="f-c", kind="action", name="overdue_task", severity="high", due=date(2026, 11, 1),
             statement="Alpha Rentals: Renew lease, overdue since 2026-11-01.", recommendation="Renew lease"),
        Fact(id="f-d", kind="action", name="remediation", severity="critical", due=date(2026, 11, 30),
             statement="By 2026-11-30: Rotate the key.", recommendation="Rotate the key"),
    ]
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="plan", title="Plan", directive="d", style="actions", select=Selector(kinds=("action",))),
    ))

    report = OfflineWriter().write(view_for(lens, facts))

    (block,) = report.sections[1].blocks
    assert block.kind == "actions"
    assert block.cites == ("f-c", "f-d", "f-a", "f-b")
    assert block.items == (
        "2026-11-01 (overdue): Group: Renew lease.",
        "2026-11-30: Group: Rotate the key.",
        "2027-01-22: Group: Tidy the books.",
        "No date: Group: Paint hallway.",
    )
    assert verify(report, {f.id: f for f in facts}) == []


def test_metrics_section_is_a_table_with_one_row_per_business_and_period():
    facts = sample_facts()
    lens = load_lenses()["ceo"]

    report = OfflineWriter().write(view_for(lens, facts))

    results = next(s for s in report.sections if s.id == "results")
    (table,) = results.blocks
    assert table.kind == "table"
    assert table.columns == ("Business", "Period", "Revenue", "Costs", "Net", "Margin")
    assert [row[0] for row in table.rows] == ["Alpha Rentals", "Beta Delivery", "All businesses"]
    alpha = table.rows[0]
    assert alpha[1] == "August–October 2026"
    assert alpha[2] == "$10,501"  # 4,100.50 + 3,900 + 2,500


def test_finding_bullets_carry_severity_and_fix():
    fact = Fact(id="f-1", kind="finding", name="risk", severity="low", statement="Boiler may fail.",
                recommendation="Service the boiler.")
    lens = Lens(id="t", title="T", audience="A", sections=(LensSection(id="s", title="S", directive="d"),))

    report = OfflineWriter().write(view_for(lens, [fact]))

    assert report.sections[1].blocks[0].items == ("Low: Boiler may fail. Fix: Service the boiler.",)


def test_a_fix_that_only_says_the_finding_again_is_not_repeated():
    task = Fact(id="f-1", kind="finding", name="risk", severity="low",
                statement="Group: SumUp login has no two-factor. Turn it on (it pays out all the card takings).",
                recommendation="SumUp login has no two-factor. Turn it on (it pays out all the card takings)")
    lens = Lens(id="t", title="T", audience="A", sections=(LensSection(id="s", title="S", directive="d"),))

    report = OfflineWriter().write(view_for(lens, [task]))

    assert report.sections[1].blocks[0].items == (
        "Low: Group: SumUp login has no two-factor. Turn it on (it pays out all the card takings).",)


def test_data_warnings_become_the_data_quality_note():
    warning = DataWarning(source="ledger", path="ledger/t.csv", line=7, message="bad amount 'x'")
    lens = Lens(id="t", title="T", audience="A", sections=(LensSection(id="s", title="S", directive="d"),))

    report = OfflineWriter().write(view_for(lens, [], warnings=(warning,)))

    assert report.data_quality == ("ledger/t.csv:7: bad amount 'x'",)


def test_reports_written_from_the_demo_workspace_all_verify(demo_workspace):
    from execbrief.pipeline import run

    result = run(demo_workspace.settings(), dry_run=True)

    assert result.reports, "the demo configures eight reports"
    assert len(result.reports) == 8
    assert {r.key: r.status for r in result.reports} == {r.key: "verified" for r in result.reports}
    assert all(r.problems == [] for r in result.reports)
    assert result.facts > 0


def test_demo_reports_recorded_in_the_ledger_verify_against_recorded_facts(demo_workspace):
    import json

    from execbrief.ledger import Ledger
    from execbrief.model import Report
    from execbrief.pipeline import run

    settings = demo_workspace.settings()
    result = run(settings, dry_run=True)

    with Ledger.for_workspace(settings.workspace) as ledger:
        facts = {
            row["fact_id"]: Fact.model_validate_json(row["fact_json"])
            for row in ledger.db.execute("SELECT fact_id, fact_json FROM facts WHERE run_id = ?", (result.run_id,))
        }
        reports = [
            Report.model_validate_json(row["report_json"])
            for row in ledger.db.execute("SELECT report_json FROM reports WHERE run_id = ?", (result.run_id,))
        ]
    assert len(reports) == 8
    for report in reports:
        assert verify(report, facts) == [], report.key
        for block in report.blocks():
            if block.kind != "note":
                assert block.cites, (report.key, block)
    assert json.loads(json.dumps(result.to_json()))["status"] == "ok"



def test_bucketed_actions_are_grouped_by_days_from_the_as_of_date():
    facts = [
        Fact(id=f"f-{n}", kind="action", name="open_task", severity="low", due=due,
             statement=f"Task {n}.", recommendation=f"Do task {n}")
        for n, due in enumerate([date(2026, 12, 1), date(2027, 1, 10), date(2027, 2, 15), date(2027, 6, 1)])
    ] + [Fact(id="f-x", kind="action", name="open_task", severity="low", statement="Undated.", recommendation="Undated")]
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="seq", title="Sequence", directive="d", style="actions", buckets=(30, 60, 90),
                    select=Selector(kinds=("action",), limit=10)),
    ))

    report = OfflineWriter().write(view_for(lens, facts))

    (block,) = report.sections[1].blocks
    assert block.groups == (
        ("Next 30 days", 1), ("Days 31\u201360", 1), ("Days 61\u201390", 1), ("After day 90", 1), ("No date", 1),
    )
    assert verify(report, {f.id: f for f in facts}) == []


def test_a_remediation_action_cites_the_finding_it_addresses():
    finding = Fact(id="f-find", kind="finding", name="risk", severity="high", statement="Alpha: the boiler may fail.",
                   recommendation="Replace the boiler", topics=("maintenance",))
    action = Fact(id="f-act", kind="action", name="remediation", severity="high", due=date(2026, 12, 7),
                  statement="By 2026-12-07: Replace the boiler.", recommendation="Replace the boiler",
                  evidence=("f-find",))
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="plan", title="Plan", directive="d", style="actions", select=Selector(kinds=("action",))),
    ))

    report = OfflineWriter().write(view_for(lens, [finding, action]))

    (block,) = report.sections[1].blocks
    assert block.item_cites == (("f-act", "f-find"),)
    assert {ref.fact_id for ref in report.sources} == {"f-act", "f-find"}


def test_an_optional_section_with_no_facts_is_left_out():
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="kept", title="Kept", directive="d", select=Selector(names=("nothing",))),
        LensSection(id="gone", title="Gone", directive="d", optional=True, select=Selector(names=("nothing",))),
    ))
    report = OfflineWriter().write(view_for(lens, []))
    assert [s.id for s in report.sections] == ["changes", "kept"]


# the summary: three to five lines an executive acts on, not repeated below


def _demo_reports(demo_workspace):
    from execbrief.ledger import Ledger
    from execbrief.pipeline import run

    result = run(demo_workspace.settings(), dry_run=True)
    with Ledger.for_workspace(demo_workspace.root) as ledger:
        _, reports = ledger.reports(result.run_id)
    return reports


def test_every_demo_summary_has_three_to_five_lines_that_no_section_repeats(demo_workspace):
    reports = _demo_reports(demo_workspace)
    assert len(reports) == 8
    for report in reports:
        (block,) = report.summary
        assert 3 <= len(block.items) <= 5, (report.key, block.items)
        for section in report.sections:
            for shown in section.blocks:
                if shown.kind != "bullets":
                    continue  # tables, charts and the dated plan show other facts
                for item, cites in zip(shown.items, shown.item_cites):
                    assert not set(cites) & {block.item_cites[n][0] for n in range(len(block.items))}, (
                        f"{report.key}: section {section.id} repeats a summary fact: {item}")
                    for line in block.items:
                        assert line not in item and item not in line, (report.key, section.id, item)


def test_each_summary_line_carries_money_or_a_date(demo_workspace):
    import re

    dated = re.compile(r"\$[\d,]+|\d{4}-\d{2}-\d{2}|\b(?:January|February|March|April|May|June|July|August"
                       r"|September|October|November|December)\b")
    lines = [line for report in _demo_reports(demo_workspace) for line in report.summary[0].items]
    with_figure = [line for line in lines if dated.search(line)]
    # a finding with no money, no date and no action to date it is still said, but rarely
    assert len(with_figure) >= 0.85 * len(lines), [line for line in lines if line not in with_figure]


def test_a_summary_line_takes_its_date_from_the_action_that_fixes_it_and_cites_both():
    finding = Fact(id="f-key", kind="finding", name="leak", severity="critical", entity="alpha",
                   statement="A live key (sk_live_…9f2c) is in config.php:6 (not a git repository): anyone can "
                             "take payments.",
                   recommendation="Roll the key in the dashboard, load the new one from a secret manager, then purge "
                                  "it from the repository history with git filter-repo.")
    action = Fact(id="f-act", kind="action", name="remediation", severity="critical", entity="alpha",
                  due=date(2026, 11, 30), statement="By 2026-11-30: Roll the key.", evidence=("f-key",))
    lens = Lens(id="t", title="T", audience="A", sections=(
        LensSection(id="risks", title="Risks", directive="d", select=Selector(kinds=("finding",))),
        LensSection(id="plan", title="Plan", directive="d", style="actions", select=Selector(kinds=("action",))),
    ))

    report = OfflineWriter().write(view_for(lens, [finding, action]))

    (block,) = report.summary
    # an aside with neither money, date nor masked key is left out; the long fix stays in the plan
    assert block.items == ("Critical: A live key (sk_live_…9f2c) is in config.php:6: anyone can take payments. "
                           "Act by 30 November 2026.",)
    assert block.item_cites == (("f-key", "f-act"),)
    assert verify(report, {f.id: f for f in (finding, action)}) == []
    risks = report.sections[1].blocks[0]
    assert risks.kind == "note" and "in the summary above" in (risks.text or "")
    assert report.sections[2].blocks[0].item_cites[0][0] == "f-act"  # the plan keeps its action


def test_operator_instructions_go_to_the_footer_not_the_executive_lines(demo_workspace):
    ceo = next(r for r in _demo_reports(demo_workspace) if r.key == "ceo")
    executive = [t for b in [*ceo.summary, *(b for s in ceo.sections for b in s.blocks)] for t in b.texts()]
    assert not [t for t in executive if "front matter" in t or "kpis:" in t]
    (footer,) = ceo.upkeep
    assert any("front matter (kpis: {customer_acquisition_cost: ...})" in item for item in footer.items)
    assert all(cites for cites in footer.item_cites)
