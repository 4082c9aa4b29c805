"""Each built-in lens's demo briefing contains what its audience needs, drawn from facts,
and leaves out what other lenses cover."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from execbrief.config import load_settings
from execbrief.ledger import Ledger
from execbrief.model import Report
from execbrief.pipeline import run

DEMO = Path(str(resources.files("execbrief") / "demo" / "workspace"))


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory) -> dict[str, Report]:
    root = tmp_path_factory.mktemp("lens-content") / "demo"
    shutil.copytree(DEMO, root)
    result = run(load_settings(root, environ={}), dry_run=True)
    assert all(r.status == "verified" for r in result.reports)
    with Ledger.for_workspace(root) as ledger:
        _, reports = ledger.reports(result.run_id)
    return {r.key: r for r in reports}


def section(report: Report, section_id: str) -> str:
    """All the text of one section, flattened."""
    (found,) = [s for s in report.sections if s.id == section_id]
    return "\n".join(t for b in found.blocks for t in b.texts())


def stated(report: Report, section_id: str) -> str:
    """A section's text after the summary's: a finding the summary states is not repeated below."""
    return "\n".join(t for b in report.summary for t in b.texts()) + "\n" + section(report, section_id)


def body(report: Report) -> str:
    return "\n".join(t for b in report.blocks() for t in b.texts())


def test_ceo_has_shortfalls_missing_kpis_utilisation_and_a_dated_plan(demo_reports):
    ceo = demo_reports["ceo"]
    shortfalls = stated(ceo, "shortfalls")
    assert "Critical: Group: A Stripe live secret key" in shortfalls  # it names two businesses: the group's
    assert "Critical: Harbor Flats: The boiler failed city inspection" in shortfalls
    assert "No customer acquisition cost is tracked." in section(ceo, "kpis_missing")
    assert "No cash balance is tracked." not in body(ceo)  # computed from opening_cash and the ledger
    assert "Harbor Flats occupancy rate: 67.0%" in section(ceo, "utilisation")
    plan = section(ceo, "plan")
    assert "2026-11-15 (overdue): Harbor Flats: Rotate the Harbor Flats Stripe live key" in plan
    assert "Brightline Studio netted $49,834 over May–October 2026" not in body(ceo)  # table, not prose
    assert "$49,834" in section(ceo, "results")


def test_cto_has_security_gaps_with_fixes_stack_and_engineering_actions(demo_reports):
    cto = demo_reports["cto"]
    security = stated(cto, "security")
    assert security.index("Critical:") < security.index("High:") < security.index("Medium:")
    assert "function URL with auth type NONE" in security
    assert "QuickRoute Delivery paid $2,310 for Software" in section(cto, "cloud_cost")
    assert "Rotate the Harbor Flats Stripe live key" in section(cto, "actions")
    assert "Pinewood Brewing" not in body(cto)  # a billing problem is not the CTO's


def test_cfo_has_monthly_results_totals_movements_cost_audit_and_path(demo_reports):
    cfo = demo_reports["cfo"]
    monthly = [b for s in cfo.sections if s.id == "monthly" for b in s.blocks][0]
    assert monthly.columns == ("Business", "Period", "Revenue", "Costs", "Net")
    assert {row[1] for row in monthly.rows} == {"August 2026", "September 2026", "October 2026"}
    assert "Brightline Studio revenue fell 9.9% from September 2026 to October 2026" in section(cfo, "trend")
    assert "paid" in section(cfo, "cost_audit") and "Driver wages" in section(cfo, "cost_audit")
    chart = [b for s in cfo.sections if s.id == "trend_chart" for b in s.blocks][0]
    assert chart.kind == "chart" and len(chart.chart.categories) == 6
    assert "Stripe" not in section(cfo, "trend")


def test_cmo_has_channels_audiences_listings_and_a_30_60_90_sequence(demo_reports):
    cmo = demo_reports["cmo"]
    assert "Instagram" in section(cmo, "channels")  # idle accounts: a problem, about a channel
    assert "Instagram" not in section(cmo, "problems")  # shown once
    assert "Corporate relocation and travel nurses" in section(cmo, "audiences")
    assert "Google profile" in section(cmo, "listings") + body(cmo)  # (or in the summary, not repeated)
    (sequence,) = [b for s in cmo.sections if s.id == "sequence" for b in s.blocks]
    assert [label for label, _ in sequence.groups] == ["Next 30 days", "Days 31\u201360", "Days 61\u201390"]
    assert "Stripe live secret key" not in body(cmo)


def test_accounting_has_flows_coverage_reconciliation_gaps_and_a_checklist(demo_reports):
    accounting = demo_reports["accounting"]
    assert "received" in section(accounting, "inflows")
    assert "paid" in section(accounting, "outflows")
    assert "of 147 transactions carry a category" in section(accounting, "chart_of_accounts")
    gaps = stated(accounting, "reconciliation")
    assert "The ledger has no Harbor Flats transactions for July 2026." in gaps
    assert "2 identical Fuel entries of -$467 on 2026-09-14" in gaps
    assert "uncategorised transactions" in gaps
    assert "identical Fuel" not in section(accounting, "bookkeeping")  # the ledger's, not the notes'
    assert "No bank account has been reconciled" in stated(accounting, "bookkeeping")
    assert section(accounting, "checklist").count(": ") >= 3


@pytest.mark.parametrize("key, entity, other", [
    ("rental-property", "Harbor Flats", "QuickRoute"),
    ("delivery-service", "QuickRoute Delivery", "Harbor Flats"),
    ("client-portfolio", "Brightline Studio", "QuickRoute"),
])
def test_audits_cover_one_business_model_kpis_gaps_records_and_backlog(demo_reports, key, entity, other):
    audit = demo_reports[key]
    model = [b for s in audit.sections if s.id == "model" for b in s.blocks][0]
    assert {row[0] for row in model.rows} == {entity}
    assert entity in section(audit, "kpis") or "Nothing to report" in section(audit, "kpis")
    if key == "delivery-service":  # every KPI of a courier is stated: the rating in words, in a marketing note
        assert "QuickRoute Delivery customer rating: 3.9 (stated in notes/org/marketing.md:32" in stated(audit, "kpis")
        assert "Nothing to report" in section(audit, "kpi_gaps")
    else:
        assert "is tracked for " + entity in section(audit, "kpi_gaps")
    assert section(audit, "records").startswith(entity)
    assert other not in section(audit, "risks")


def test_client_portfolio_audit_shows_the_roster_and_churn_risk(demo_reports):
    audit = demo_reports["client-portfolio"]
    assert "Pinewood Brewing" in section(audit, "records")
    # the unpaid $2,800 once, from the roster under billing: the note saying the same is not repeated
    assert "Pinewood Brewing Co. last paid on 2026-09-08" in stated(audit, "billing")
    assert "Pinewood" not in section(audit, "risks")
