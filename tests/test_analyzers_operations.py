"""Operations, KPI-gap and plan rules, and the analyzer runner that ties them together."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, analyze, kpis, operations, plan, records
from execbrief.model import Evidence, Fact, Provenance

AS_OF = date(2026, 11, 23)
ENTITIES = {
    "alpha": ("Alpha Rentals", "rental"),
    "beta": ("Beta Delivery", "delivery"),
    "gamma": ("Gamma Flats", "rental"),
}
PATH = "notes/alpha/ops.md"


def ctx(**changes: object) -> AnalysisContext:
    fields: dict[str, object] = {"as_of": AS_OF, "entities": ENTITIES}
    fields.update(changes)
    return AnalysisContext(**fields)  # type: ignore[arg-type]


def note_ev(kind: str, record: dict, *, line: int = 1, text: str | None = None,
            path: str = PATH, entity: str | None = "alpha") -> Evidence:
    return Evidence(
        id=f"ev-{path}-{kind}-{line}", source="notes", kind=kind, entity=entity, text=text, record=record,
        provenance=Provenance(source="notes", path=path, line_start=line, line_end=line),
    )


def document(*, path: str = PATH, entity: str | None = "alpha", status: str = "active",
             updated: str | None = "2026-11-20", kpis: dict | None = None, tags: list | None = None,
             title: str = "Operations") -> Evidence:
    record = {"title": title, "front_matter": {}, "tags": tags or [], "status": status,
              "updated": updated, "kpis": kpis or {}}
    return note_ev("document", record, path=path, entity=entity, text=title)


def task(text: str, *, due: str | None = None, done: bool = False, line: int = 10,
         heading: str = "To do", path: str = PATH) -> Evidence:
    return note_ev("task", {"done": done, "heading": heading, "due": due}, line=line, text=text, path=path)


def section(heading: str, *bullets: str, line: int = 20, path: str = PATH) -> Evidence:
    record = {"heading": heading, "level": 2, "parents": [],
              "bullets": [{"text": b, "line": line + 1 + n} for n, b in enumerate(bullets)]}
    return note_ev("section", record, line=line, path=path)


def only(facts: list[Fact]) -> Fact:
    assert len(facts) == 1, facts
    return facts[0]


# open tasks


def test_open_task_past_due_is_a_high_overdue_task_with_due():
    fact = only(operations.analyze([document(), task("Renew the lease (due 2026-11-01)", due="2026-11-01")], ctx()))

    assert (fact.kind, fact.name, fact.severity) == ("action", "overdue_task", "high")
    assert fact.due == date(2026, 11, 1)
    assert fact.statement == "Alpha Rentals: Renew the lease, overdue since 2026-11-01."
    assert fact.recommendation == "Renew the lease"
    assert fact.sources == (f"{PATH}:10",)


def test_open_task_due_within_14_days_is_medium():
    fact = only(operations.analyze([task("Call the insurer", due="2026-12-07")], ctx()))

    assert (fact.name, fact.severity, fact.due) == ("open_task", "medium", date(2026, 12, 7))


def test_a_task_the_writer_tags_high_is_high_and_the_tag_is_not_said():
    tagged = only(operations.analyze([task("[high] Fire risk assessment is out of date. Book one before 19 Dec",
                                           due="2026-12-19")], ctx()))
    low = only(operations.analyze([task("[low] Renew the lease (due 2026-11-01)", due="2026-11-01")], ctx()))

    assert (tagged.severity, tagged.statement) == (
        "high", "Alpha Rentals: Fire risk assessment is out of date. Book one before 19 Dec, due 2026-12-19.")
    assert low.severity == "high"  # (overdue: its date says more than its tag)


def test_open_task_due_today_is_not_overdue():
    fact = only(operations.analyze([task("Call the insurer", due=AS_OF.isoformat())], ctx()))

    assert (fact.name, fact.severity) == ("open_task", "medium")


def test_open_task_due_after_14_days_is_low():
    fact = only(operations.analyze([task("Paint hallway", due="2026-12-08")], ctx()))

    assert (fact.name, fact.severity) == ("open_task", "low")


def test_a_task_about_what_renews_or_expires_within_sixty_days_is_started_a_month_before():
    renewal = only(operations.analyze([task("Public liability renews 8 Jan, no quote yet. Chase the broker",
                                            due="2027-01-08")], ctx()))
    later = only(operations.analyze([task("Public liability renews 8 Feb", due="2027-02-08")], ctx()))
    painting = only(operations.analyze([task("Paint the hallway before the new tenant", due="2027-01-08")], ctx()))

    assert (renewal.severity, renewal.due) == ("medium", date(2026, 12, 9))  # in a 30-day plan
    assert renewal.statement.endswith("due 2027-01-08: start by 2026-12-09.")
    assert (later.severity, later.due) == ("low", date(2027, 2, 8))  # 77 days away: not yet
    assert (painting.severity, painting.due) == ("low", date(2027, 1, 8))  # nothing lapses


def test_open_task_without_due_is_low():
    fact = only(operations.analyze([task("Paint hallway")], ctx()))

    assert (fact.name, fact.severity, fact.due) == ("open_task", "low", None)
    assert fact.statement.endswith("no due date.")


def test_a_done_task_is_a_note_of_what_was_done_and_settles_only_when_nothing_is_left_open():
    done = only(operations.analyze([task("Renewed the SSL certificate", due="2026-01-01", done=True)], ctx()))
    assert (done.kind, done.name, done.severity, done.due) == ("note", "resolved", None, None)
    assert done.statement == "Alpha Rentals — To do: Renewed the SSL certificate."
    # checked, but the problem it was about is not over
    called = only(operations.analyze([task("Called Brightwater 11/9. Still not paid.", done=True)], ctx()))
    assert (called.kind, called.name) == ("note", "done")


# sections


@pytest.mark.parametrize("heading", ["Risks", "Problems", "Open issues", "Blockers"])
def test_bullets_under_risk_headings_are_risk_findings(heading):
    fact = only(operations.analyze([section(heading, "Tenant may not renew")], ctx()))

    assert (fact.kind, fact.name, fact.severity) == ("finding", "risk", "medium")
    assert "risk" in fact.topics
    assert fact.statement == "Alpha Rentals: Tenant may not renew."
    assert fact.sources == (f"{PATH}:21",)


def test_what_only_may_happen_is_a_medium_problem_unless_another_sentence_says_it_high():
    facts = operations.analyze([section("Notes", "Please note that unpaid balances over 30 days may be subject to a lien.",
                                        "Tenant will not renew; if they go we lose $1,850 a month.",
                                        "They have invoked the penalty clause. If we miss the SLA again they will tender.",
                                        "Unless you tell me otherwise we will file the eviction in November.",
                                        "We filed the eviction against unit B on 11/12 for $3,400.")],
                               ctx())

    # (a critical word hedged is medium too: an eviction that may be filed, not one that was)
    assert [(f.statement.split(":")[1].split()[0], f.severity) for f in facts] == [
        ("Please", "medium"), ("Tenant", "high"), ("They", "high"), ("Unless", "medium"), ("We", "critical")]


def test_a_go_ahead_given_is_a_decision_not_a_critical_matter_of_its_own():
    facts = operations.analyze([section("Notes", "Told Dana to go ahead with the eviction on Oak Row B.",
                                        "Gave Ben the go-ahead on the lawsuit against the contractor.",
                                        "We filed the eviction against unit B on 11/12 for $3,400.")],
                               ctx())

    # (the filing is the matter; the word that the writer said go is not a second critical one)
    assert [(f.statement.split(":")[1].split()[0], f.severity) for f in facts] == [
        ("Told", "medium"), ("Gave", "medium"), ("We", "critical")]


def test_an_emails_subject_classifies_its_lines_and_says_what_a_bare_finding_is_about():
    record = {"heading": "", "level": 0, "parents": [], "paras": [
        {"text": "Hi again, just following up a second time.", "line": 6, "para": 0,
         "re": "Catering for our wedding May 15?"},
        {"text": "Your quote of $4,200 works for us.", "line": 7, "para": 0, "re": "Catering for our wedding May 15?"}]}

    finding, note = operations.analyze([note_ev("section", record, line=5)], ctx())

    assert finding.statement == "Alpha Rentals: Hi again, just following up a second time (e-mail: Catering for our wedding May 15?)."
    assert "audiences" in finding.topics  # "wedding", from the subject
    assert note.statement == "Alpha Rentals — Catering for our wedding May 15?: Your quote of $4,200 works for us."


def test_severity_tag_sets_severity_and_is_removed_from_statement():
    fact = only(operations.analyze([section("Risks", "[high] Boiler may fail this winter")], ctx()))

    assert fact.severity == "high"
    assert fact.statement == "Alpha Rentals: Boiler may fail this winter."
    assert "[high]" not in fact.statement


@pytest.mark.parametrize(
    ("bullet", "severity"),
    [
        ("Urgent: the fire alarm panel is faulty", "critical"),
        ("A serious gap in the tenant files", "high"),
        ("Minor scuff on the stairs", "low"),
        ("Tenant may not renew", "medium"),
        ("Kev is leaving at the end of December", "high"),
        ("Honestly Halden Furniture is like two thirds of the van's work now", "high"),
        ("Greene is £650 a month, that's more than a third of my retainers", "high"),
        ("Halden are reviewing all delivery partners in January", "high"),
        ("Kev leaving end of Dec, no driver for the rush", "high"),
        ("We lose money on every Valley Rx weekend run: we charge $180 and it costs about $240", "high"),
        ("The deck railing is loose. This is a liability problem if a guest leans on it.", "high"),
        ("Extension cord across the hallway, a trip hazard for the crew", "high"),
    ],
)
def test_risk_severity_from_keywords_defaults_to_medium(bullet, severity):
    assert only(operations.analyze([section("Risks", bullet)], ctx())).severity == severity


def test_bullets_elsewhere_are_notes_with_inferred_topics():
    fact = only(operations.analyze([section("Marketing channels", "Instagram brings most enquiries")], ctx()))

    assert (fact.kind, fact.name, fact.severity) == ("note", "marketing_channels", None)
    assert {"marketing", "channels"} <= set(fact.topics)
    assert fact.statement == "Alpha Rentals — Marketing channels: Instagram brings most enquiries."


def test_note_without_entity_is_attributed_to_the_group():
    ev = note_ev("section", {"heading": "Stack", "bullets": [{"text": "Website on WordPress", "line": 4}]},
                 entity=None, path="notes/org/tech.md")

    fact = only(operations.analyze([ev], ctx()))

    assert fact.statement.startswith("Group — Stack:")
    assert "tech" in fact.topics


def test_note_tags_become_topics():
    facts = operations.analyze(
        [document(tags=["Clients"], updated="2026-11-20"), section("Notes", "Weekly call on Mondays")], ctx()
    )

    assert "clients" in only([f for f in facts if f.kind == "note"]).topics


def test_roof_leak_risk_is_maintenance_not_security():
    fact = only(operations.analyze([section("Risks", "Roof leak over unit 3B")], ctx()))

    assert "maintenance" in fact.topics
    assert "security" not in fact.topics


def dated_risk(text: str, *dates: str) -> Evidence:
    record = {"heading": "Risks", "level": 2, "parents": [],
              "bullets": [{"text": text, "line": 21, "dates": list(dates)}]}
    return note_ev("section", record, line=20)


def test_risk_naming_a_coming_date_is_due_then_and_says_the_date():
    ev = dated_risk("[critical] Boiler must pass reinspection by 15 December", "2026-09-10", "2026-12-15")

    fact = only(operations.analyze([ev], ctx()))

    assert fact.due == date(2026, 12, 15)  # the past inspection date is not when the risk bites
    assert fact.statement == "Alpha Rentals: Boiler must pass reinspection by 15 December (next date: 2026-12-15)."


def test_risk_whose_text_already_has_the_iso_date_is_not_repeated():
    fact = only(operations.analyze([dated_risk("Contract ends on 2027-01-31", "2027-01-31")], ctx()))

    assert fact.due == date(2027, 1, 31)
    assert fact.statement == "Alpha Rentals: Contract ends on 2027-01-31."


def test_risk_with_only_past_dates_or_none_has_no_due():
    past = only(operations.analyze([dated_risk("Failed inspection on 10 September", "2026-09-10")], ctx()))
    plain = only(operations.analyze([section("Risks", "Boiler is old")], ctx()))

    assert past.due is None and plain.due is None
    assert "next date" not in past.statement


def row(unit: str, rent: str, *, path: str = PATH, line: int = 30, heading: str = "Units") -> Evidence:
    return note_ev("table_row", {"heading": heading, "cells": {"unit": unit, "monthly_rent": rent}}, line=line, path=path)


def test_table_row_becomes_a_note():
    fact = only(records.analyze([document(), row("1A", "1250")], ctx()))

    assert (fact.kind, fact.name) == ("note", "table_row")
    assert fact.statement == "Alpha Rentals — Units: 1A (monthly rent 1250)."
    assert operations.analyze([document(), row("1A", "1250")], ctx()) == []  # records.py makes them


def test_a_password_cell_that_points_at_another_logins_password_is_a_reuse_finding():
    def login(what: str, password: str) -> Evidence:
        cells = {"what": what, "login": "rosa@example.com", "password_code": password}
        return note_ev("table_row", {"heading": "Logins", "cells": cells}, path=PATH)

    reused = only(records.analyze([document(), login("QuickBooks", "same as Chase")], ctx()))
    assert (reused.kind, reused.name, reused.severity) == ("finding", "password_reused", "high")
    assert "security" in reused.topics and "one password for two logins" in reused.statement
    other = only(records.analyze([document(), login("Bank", "ask Rosa")], ctx()))
    assert (other.kind, other.name) == ("note", "table_row")


def test_a_record_repeated_in_several_notes_is_one_fact_from_the_latest_note():
    old, new = "notes/alpha/2026-10.md", "notes/alpha/2026-11.md"
    evidence = [
        document(path=old, updated="2026-10-01"), row("1A", "1200", path=old), row("1B", "990", path=old, line=31),
        document(path=new, updated="2026-11-01"), row("1A", "1250", path=new),
        row("1A", "700", path=new, line=40, heading="Parking"),  # another table: another record
    ]

    facts = records.analyze(evidence, ctx())

    assert sorted(f.statement for f in facts) == [
        "Alpha Rentals — Parking: 1A (monthly rent 700).",
        "Alpha Rentals — Units: 1A (monthly rent 1250).",  # the latest note's row, not October's
        "Alpha Rentals — Units: 1B (monthly rent 990).",  # only October's note has it: still current
    ]


def test_rows_of_an_archived_note_are_not_records():
    evidence = [document(status="archived"), row("1A", "1250")]

    assert records.analyze(evidence, ctx()) == []


def test_every_item_is_a_fact_whatever_lenses_exist():
    evidence = [
        section("Marketing channels", "Instagram brings most enquiries", line=20),
        section("Kitchen", "The dishwasher is a Bosch", line=40),
        section("Risks", "Roof leak over unit 2", line=60),
        task("Call the roofer", line=80),
        note_ev("table_row", {"heading": "Units", "cells": {"unit": "1A", "monthly_rent": "1250"}}, line=90),
    ]

    every = operations.analyze(evidence, ctx()) + records.analyze(evidence, ctx())

    assert sorted(f.name for f in every) == ["kitchen", "marketing_channels", "open_task", "risk", "table_row"]


def test_what_a_heading_says_decides_the_kind_of_its_items():
    evidence = [
        section("Open problems", "Gutter half off at the back", line=10),
        section("KPIs we don't track", "Occupancy rate by month", line=20),
        section("Next 30 days", "Renew the landlord policy", line=30),
        section("Done", "Fixed the late invoice run", line=40),
    ]

    kinds = {f.statement: (f.kind, f.name) for f in operations.analyze(evidence, ctx())}

    assert kinds == {
        "Alpha Rentals: Gutter half off at the back.": ("finding", "risk"),
        "Alpha Rentals: Occupancy rate by month (not tracked).": ("gap", "missing_kpi"),
        "Alpha Rentals: Renew the landlord policy, no due date.": ("action", "open_task"),
        "Alpha Rentals — Done: Fixed the late invoice run.": ("note", "done"),
    }


def test_a_kpi_nobody_tracks_is_to_be_tracked_by_its_name_not_by_the_line_again():
    gaps = operations.analyze([section("KPIs we don't track", "Online store conversion rate: Shopify shows it, "
                                       "nobody looks at it", "Occupancy rate by month")], ctx())

    assert [g.recommendation for g in gaps] == ["Start tracking online store conversion rate.",
                                                "Start tracking it: Occupancy rate by month."]


def test_a_problem_written_anywhere_is_a_finding_with_its_figure():
    evidence = [section("Pipeline", "A 2,400-person customer list has never been e-mailed", line=10),
                section("Elm St", "Unit B vacant since October, asking $1,450/month", line=20)]

    found = {f.statement: f for f in operations.analyze(evidence, ctx())}

    listed = found["Alpha Rentals: A 2,400-person customer list has never been e-mailed."]
    assert (listed.kind, listed.value, listed.unit) == ("finding", Decimal(2400), "person")
    assert {"marketing", "audiences"} <= set(listed.topics)
    vacant = found["Alpha Rentals: Unit B vacant since October, asking $1,450/month."]
    assert (vacant.kind, vacant.severity, vacant.value, vacant.unit) == ("finding", "high", Decimal(1450), "USD")
    assert "occupancy" in vacant.topics


def test_prose_sentences_that_carry_a_signal_become_facts_and_small_talk_does_not():
    record = {"heading": "Week of 16 November", "level": 2, "parents": [], "bullets": [],
              "paras": [{"text": t, "line": 12 + n // 2, "para": 0} for n, t in enumerate((
                  "Quiet week overall.", "The plumber quoted $2,300 for the boiler at Elm St.",
                  "We need to chase the insurer.", "Nice weather."))]}

    facts = operations.analyze([note_ev("section", record, line=11)], ctx())

    assert sorted(f.statement for f in facts) == [
        "Alpha Rentals — Week of 16 November: The plumber quoted $2,300 for the boiler at Elm St.",
        "Alpha Rentals — Week of 16 November: We need to chase the insurer.",
    ]
    assert facts[0].sources == (f"{PATH}:12",) and facts[1].sources == (f"{PATH}:13",)


def test_an_item_naming_its_business_keeps_it_in_a_section_of_no_business():
    record = {"heading": "This month", "level": 2, "parents": [],
              "bullets": [{"text": "Call the broker", "line": 5},
                          {"text": "Van 2 brakes squeal", "line": 6, "entity": "beta"}]}

    facts = operations.analyze([note_ev("section", record, entity=None)], ctx())

    assert {f.statement.split(":")[0]: f.entity for f in facts} == {"Group": None, "Beta Delivery": "beta"}


@pytest.mark.parametrize("text, expected", [
    ("Quote was $2,300 for 3 windows", (Decimal(2300), "USD")),
    ("Occupancy down to 62% in October", (Decimal(62), "%")),
    ("12 late deliveries since 3 November", (Decimal(12), "late")),
    ("Renewal on 15 December 2026", (None, None)),
    ("No owner draws in December (decided at the Nov 19 sync)", (None, None)),  # a day, not 19 syncs
    ("Dec. 12 meeting with 4 clients", (Decimal(4), "clients")),
])
def test_quantity_takes_money_then_percent_then_a_counted_noun(text, expected):
    assert operations.quantity(text, "USD") == expected


def test_archived_note_produces_no_facts():
    doc = document(status="Archived", updated="2025-01-01", kpis={"occupancy_rate": "90%"})
    items = [doc, task("Paint hallway", due="2026-01-01"), section("Risks", "[high] Something"),
             note_ev("table_row", {"heading": "Units", "cells": {"unit": "1A"}})]

    assert operations.analyze(items, ctx()) == []


def test_archived_note_does_not_hide_other_notes():
    items = [document(status="archived"), task("Paint hallway"), task("Fix gate", path="notes/alpha/other.md")]

    facts = operations.analyze(items, ctx())

    assert [f.sources for f in facts] == [("notes/alpha/other.md:10",)]


def test_non_note_evidence_is_ignored():
    ev = Evidence(id="t", source="ledger", kind="transaction", entity="alpha",
                  record={"date": "2026-10-01", "amount": "1"},
                  provenance=Provenance(source="ledger", path="ledger/t.csv", line_start=2))

    assert operations.analyze([ev], ctx()) == []


# KPIs in front matter


def test_front_matter_kpis_become_metrics_with_units():
    doc = document(kpis={"occupancy_rate": "83%", "cost_per_drop": "$7.40", "monthly_drops": "2,150"})

    facts = {f.name: f for f in operations.analyze([doc], ctx()) if f.kind == "metric"}

    assert (facts["occupancy_rate"].value, facts["occupancy_rate"].unit) == (Decimal("83"), "%")
    assert (facts["cost_per_drop"].value, facts["cost_per_drop"].unit) == (Decimal("7.40"), "USD")
    assert (facts["monthly_drops"].value, facts["monthly_drops"].unit) == (Decimal("2150"), None)
    assert all("kpi" in f.topics for f in facts.values())
    assert facts["cost_per_drop"].statement == "Alpha Rentals cost per drop: $7.40 (as of 2026-11-20)."
    assert facts["monthly_drops"].period == "2026-11-20"


def test_unparseable_kpi_value_is_skipped():
    doc = document(kpis={"occupancy_rate": "about half", "nps": "41"})

    names = [f.name for f in operations.analyze([doc], ctx()) if f.kind == "metric"]

    assert names == ["nps"]


def test_note_older_than_stale_days_is_a_stale_note_finding():
    doc = document(updated="2026-09-01", title="Fleet")

    fact = only(operations.analyze([doc], ctx()))

    assert (fact.kind, fact.name, fact.severity) == ("finding", "stale_note", "low")
    assert (fact.value, fact.unit) == (Decimal(83), "days")
    assert "'Fleet'" in fact.statement
    assert "2026-09-01" in fact.statement


def test_note_updated_exactly_stale_days_ago_is_not_stale():
    updated = (AS_OF - timedelta(days=45)).isoformat()

    assert operations.analyze([document(updated=updated)], ctx()) == []
    assert only(operations.analyze([document(updated=updated)], ctx(stale_days=44))).name == "stale_note"


# kpis.analyze (over the facts the other analyzers produced)


EXPECT = (("occupancy_rate", ("rental",)), ("cash_balance", ()))


def kpi_gaps(evidence: list[Evidence], context: AnalysisContext) -> list[Fact]:
    """The kpis rule as the runner calls it: over the facts of the evidence analyzers."""
    facts, _ = analyze(evidence, context)
    return [f for f in facts if f.name == "missing_kpi"]


def test_expected_kpi_missing_for_an_entity_of_that_kind_is_a_gap_naming_it():
    facts = kpi_gaps([document(kpis={"occupancy_rate": "90%"})], ctx(expected_kpis=EXPECT))

    gaps = [f for f in facts if f.entity == "gamma"]
    fact = only(gaps)
    assert (fact.kind, fact.name, fact.severity) == ("gap", "missing_kpi", "medium")
    assert fact.statement == "No occupancy rate is tracked for Gamma Flats."
    assert not [f for f in facts if f.entity in ("alpha", "beta")]


def test_expected_kpi_supplied_for_every_entity_gives_no_gap():
    docs = [
        document(kpis={"occupancy_rate": "90%"}),
        document(path="notes/gamma/ops.md", entity="gamma", kpis={"occupancy_rate": "70%"}),
    ]

    assert kpi_gaps(docs, ctx(expected_kpis=(("occupancy_rate", ("rental",)),))) == []


def test_org_wide_expectation_is_satisfied_by_any_entity():
    doc = document(path="notes/beta/x.md", entity="beta", kpis={"cash_balance": "$12,000"})

    assert kpi_gaps([doc], ctx(expected_kpis=(("cash_balance", ()),))) == []


def test_org_wide_expectation_missing_is_a_gap_without_entity():
    fact = only(kpis.analyze([], ctx(expected_kpis=(("cash_balance", ()),))))

    assert fact.entity is None
    assert fact.statement == "No cash balance is tracked."


def test_kpi_in_an_archived_note_does_not_count_as_tracked():
    docs = [document(status="archived", kpis={"cash_balance": "$5,000"})]
    context = ctx(expected_kpis=(("cash_balance", ()),))

    assert [f for f in operations.analyze(docs, context) if f.name == "cash_balance"] == []
    assert [f.name for f in kpi_gaps(docs, context)] == ["missing_kpi"]


def test_a_computed_kpi_counts_as_supplied():
    # no note states occupancy for gamma, but a units table lets the assets rule compute it
    units = note_ev("table_row", {"heading": "Units", "cells": {"unit": "1A", "status": "Let", "rent": "$900/month"}},
                    path="notes/gamma/units.md", entity="gamma", line=5)
    context = ctx(expected_kpis=(("occupancy_rate", ("rental",)),))

    assert {f.entity for f in kpi_gaps([document(kpis={"occupancy_rate": "90%"})], context)} == {"gamma"}
    assert kpi_gaps([document(kpis={"occupancy_rate": "90%"}), units], context) == []


def test_a_kpi_fact_without_a_value_does_not_count_as_supplied():
    empty = Fact(id="f-o", kind="metric", name="occupancy_rate", entity="alpha", statement="Occupancy unknown.")
    context = ctx(expected_kpis=(("occupancy_rate", ("rental",)),))

    assert {f.entity for f in kpis.analyze([empty], context)} == {"alpha", "gamma"}


# plan.analyze


@pytest.mark.parametrize(("severity", "days"), [("critical", 7), ("high", 14), ("medium", 30), ("low", 60)])
def test_finding_with_recommendation_becomes_dated_remediation(severity, days):
    finding = Fact(id="f-x", kind="finding", name="risk", entity="alpha", severity=severity,
                   statement="Boiler may fail.", recommendation="Service the boiler.", topics=("maintenance",),
                   sources=("notes/a.md:3",))

    action = only(plan.analyze([finding], ctx()))

    assert (action.kind, action.name, action.severity) == ("action", "remediation", severity)
    assert action.due == AS_OF + timedelta(days=days)
    assert action.evidence == ("f-x",)
    assert action.statement == f"By {(AS_OF + timedelta(days=days)).isoformat()}: Service the boiler."
    assert action.topics == ("maintenance",)
    assert action.sources == ("notes/a.md:3",)


def test_a_remediation_is_due_by_the_findings_own_date_when_that_is_sooner():
    def finding(due: date) -> Fact:
        return Fact(id=f"f-{due}", kind="finding", name="risk", entity="alpha", severity="medium", due=due,
                    statement="Send Sandra the year-to-date figures by 15/12.", recommendation="Send Sandra the figures.")

    soon, later, past = AS_OF + timedelta(days=9), AS_OF + timedelta(days=45), AS_OF - timedelta(days=3)

    assert [a.due for a in plan.analyze([finding(soon), finding(later), finding(past)], ctx())] == [
        soon, AS_OF + timedelta(days=30), AS_OF + timedelta(days=30)]


def test_findings_without_recommendation_and_non_findings_get_no_remediation():
    facts = [
        Fact(id="f-1", kind="finding", name="risk", severity="high", statement="x"),
        Fact(id="f-2", kind="metric", name="revenue", statement="y", recommendation="Do it."),
    ]

    assert plan.analyze(facts, ctx()) == []


def test_gap_without_severity_is_planned_as_medium():
    gap = Fact(id="f-g", kind="gap", name="missing_kpi", statement="x", recommendation="Track it.")

    assert only(plan.analyze([gap], ctx())).due == AS_OF + timedelta(days=30)


# analyzers.analyze


def _transaction(amount: str, line: int = 2) -> Evidence:
    return Evidence(
        id=f"tx-{line}", source="ledger", kind="transaction", entity="alpha",
        record={"date": "2026-10-01", "amount": amount, "account": "Sales", "category": "income", "memo": ""},
        provenance=Provenance(source="ledger", path="ledger/t.csv", line_start=line, line_end=line),
    )


def test_analyze_returns_facts_sorted_by_id_with_plan_actions():
    items = [document(), task("Paint hallway", due="2026-11-01"), section("Risks", "[high] Boiler"),
             _transaction("100"), _transaction("-300", 3)]

    facts, failures = analyze(items, ctx(expected_kpis=EXPECT))

    assert failures == {}
    assert [f.id for f in facts] == sorted(f.id for f in facts)
    names = {f.name for f in facts}
    assert {"overdue_task", "risk", "revenue", "net_total", "missing_kpi", "remediation"} <= names
    net = next(f for f in facts if f.name == "net_total")
    assert any(f.name == "remediation" and f.evidence == (net.id,) for f in facts)


def test_failing_analyzer_is_reported_without_losing_the_others():
    items = [task("Paint hallway", due="2026-11-01"), _transaction("not-a-number")]

    facts, failures = analyze(items, ctx(expected_kpis=(("cash_balance", ()),)))

    assert sorted(failures) == ["books", "finance"]  # both read the broken transaction
    assert "InvalidOperation" in failures["finance"]
    names = {f.name for f in facts}
    assert "overdue_task" in names  # operations still ran
    assert "missing_kpi" in names  # kpis still ran
    assert "remediation" in names  # plan ran over what the others found
    assert not any(f.name == "revenue" for f in facts)


def test_a_log_entry_dated_after_the_as_of_date_is_left_out():
    evidence = [section("2026-11-25", "Boiler failed again", line=10),
                section("Week of 30 November 2026", "Tenant moving out", line=20),
                section("2026-11-20", "Gutter cleared, roof leak found", line=30)]

    facts = operations.analyze(evidence, ctx())  # as of 2026-11-23

    assert [f.statement for f in facts] == ["Alpha Rentals: Gutter cleared, roof leak found."]


def test_an_item_with_a_deadline_under_no_plan_heading_is_an_open_task():
    record = {"heading": "Admin", "level": 2, "parents": [],
              "bullets": [{"text": "1099-NEC for 2 contractors due Jan 31", "line": 5, "due": "2027-01-31"},
                          {"text": "Accountant is Lind CPA", "line": 6}]}

    facts = {f.statement: (f.kind, f.due) for f in operations.analyze([note_ev("section", record)], ctx())}

    assert facts == {
        "Alpha Rentals: 1099-NEC for 2 contractors due Jan 31, due 2027-01-31.": ("action", date(2027, 1, 31)),
        "Alpha Rentals — Admin: Accountant is Lind CPA.": ("note", None),
    }


# labels an LLM reader put on the evidence (execbrief.reader): they stand where present


def test_an_item_s_label_decides_its_kind_severity_topics_business_and_due():
    record = {"heading": "Odds and ends", "level": 2, "parents": [], "bullets": [
        {"text": "Boiler quote came back at $2,300", "line": 5,
         "label": {"entity": "beta", "kind": "finding", "severity": "critical", "topics": ["maintenance"]}},
        {"text": "Insurer renewal on Dec 15", "line": 6, "dates": ["2026-12-15"],
         "label": {"kind": "action", "due": "2026-12-15", "topics": ["compliance"]}},
        {"text": "Nobody knows the cost per delivery", "line": 7, "label": {"kind": "gap", "entity": None}},
        {"text": "The van is broken again", "line": 8, "label": {"kind": "note"}},
    ], "paras": [{"text": "Quiet week overall.", "line": 10, "para": 0, "label": {"kind": "note", "topics": ["people"]}}]}

    facts = operations.analyze([note_ev("section", record)], ctx())

    boiler = only([f for f in facts if "Boiler" in f.statement])
    assert (boiler.kind, boiler.severity, boiler.entity, boiler.value) == ("finding", "critical", "beta", Decimal(2300))
    assert boiler.topics == ("maintenance", "operations", "risk")  # (no domain topic given: operations)
    renewal = only([f for f in facts if "Insurer" in f.statement])
    assert (renewal.kind, renewal.due, renewal.topics) == ("action", date(2026, 12, 15), ("compliance",))
    gap = only([f for f in facts if "cost per delivery" in f.statement])
    assert (gap.kind, gap.name, gap.entity) == ("gap", "missing_kpi", None)  # the group's
    van = only([f for f in facts if "van is broken" in f.statement])
    assert van.kind == "note"  # a problem word, but the label says it is not a finding
    quiet = only([f for f in facts if "Quiet week" in f.statement])
    assert quiet.kind == "note" and "people" in quiet.topics  # a labelled sentence is kept


def test_a_task_or_row_label_gives_topics_and_due_and_a_row_may_be_a_finding():
    labelled = task("call the insurer by Dec 15", due="2026-12-15")
    labelled = labelled.model_copy(update={"record": {**labelled.record, "label": {"kind": "finding", "topics": ["compliance"]}}})
    row = note_ev("table_row", {"heading": "Units", "cells": {"unit": "4", "status": "vacant since October"},
                                "label": {"kind": "finding", "severity": "high", "topics": ["occupancy"]}}, line=30)

    facts = operations.analyze([labelled], ctx()) + records.analyze([document(), row], ctx())

    action = only([f for f in facts if f.name == "open_task"])
    assert (action.kind, action.topics, action.due) == ("action", ("compliance",), date(2026, 12, 15))
    finding = only([f for f in facts if f.name == "table_row"])
    assert (finding.kind, finding.severity) == ("finding", "high")
    assert set(finding.topics) == {"occupancy", "operations", "risk"}


def test_an_item_that_states_an_amount_of_money_is_about_money():
    (quote,) = operations.analyze([section("Elm St", "The roofer wants $6,400 for the flat section")], ctx())

    assert "finance" in quote.topics and quote.value == Decimal(6400)


def prose(heading: str, *sentences: str, path: str = PATH) -> Evidence:
    record = {"heading": heading, "level": 2, "parents": [], "bullets": [],
              "paras": [{"text": t, "line": 12 + n, "para": n} for n, t in enumerate(sentences)]}
    return note_ev("section", record, line=11, path=path)


def test_kpis_stated_in_a_sentence_are_metrics_dated_by_their_heading_and_no_gap_asks_for_them():
    evidence = [
        document(updated=None),
        prose("Week of 2 November 2026", "The cottage had a better October than I feared: roughly 41% occupancy.",
              "We have about $14,000 in the business account, and the roof will take half.",
              "I paid $500 from the business account for the boiler.",  # spent, not a balance
              "Our contract promises 98% of orders inside the window."),  # a promise, no KPI word
    ]
    expect = ctx(expected_kpis=(("occupancy_rate", ("rental",)), ("cash_balance", ())))

    facts = operations.analyze(evidence, expect)
    stated = {f.name: f for f in facts if f.kind == "metric"}

    assert set(stated) == {"occupancy_rate", "cash_balance"}
    occupancy, cash = stated["occupancy_rate"], stated["cash_balance"]
    assert (occupancy.entity, occupancy.value, occupancy.unit, occupancy.period) == ("alpha", Decimal(41), "%", "2026-11-02")
    assert occupancy.statement == f"Alpha Rentals occupancy rate: 41% (stated in {PATH}:12 on 2026-11-02)."
    assert (cash.value, cash.unit) == (Decimal(14000), "USD") and "kpi" in cash.topics
    # the sentences stay facts of their own too
    assert any(f.kind != "metric" and "41% occupancy" in f.statement for f in facts)
    gaps = {(g.name, g.entity) for g in kpis.analyze(facts, expect)}
    assert ("missing_kpi", "alpha") not in gaps and ("missing_kpi", None) not in gaps
    assert {g.statement for g in kpis.analyze(facts, expect)} == {"No occupancy rate is tracked for Gamma Flats."}


@pytest.mark.parametrize("text, expected", [
    ("cash 11/24: op acct $11,320. payroll 12/4 ~$8,400", ("cash_balance", "money", "$11,320")),
    ("Alpine Federal operating account: about $23,400 on 11/25.", ("cash_balance", "money", "$23,400")),
    ("October occupancy 38%. November only 6 nights booked", ("occupancy_rate", "percent", "38")),
    ("on-time rate of 91% this month", ("on_time_rate", "percent", "91")),
    ("we managed 91% on time", ("on_time_rate", "percent", "91")),
    ("van utilisation at 64%", ("utilisation", "percent", "64")),
])
def test_the_vocabulary_reads_a_kpi_beside_its_figure_in_the_forms_people_write(text, expected):
    from execbrief.vocabulary import builtin_vocabulary

    assert builtin_vocabulary().stated(text) == [expected]


@pytest.mark.parametrize("text", [
    "Owes $3,700 from the bank account arrears", "occupancy is poor this winter", "paid $900 into the business account",
    "98% of orders arrive inside the window", "the 2 units at 100 Main St are let",
    "We have been below the 95% on-time target for three weeks", "a target of 95% on time", "occupancy goal 80%",
    "the contract promises 98% on time",
])
def test_a_figure_not_beside_a_kpi_or_one_that_is_spent_states_no_kpi(text):
    from execbrief.vocabulary import builtin_vocabulary

    assert builtin_vocabulary().stated(text) == []


def test_the_plan_asks_once_per_business_for_the_kpis_it_does_not_track():
    expect = ctx(expected_kpis=(("arrears", ("rental",)), ("rent_roll", ("rental",)), ("occupancy_rate", ("rental",)),
                                ("cash_balance", ()), ("website_sessions", ())))
    gaps = kpis.analyze([], expect)

    actions = sorted(plan.analyze(gaps, expect), key=lambda a: (a.entity or "", a.statement))

    assert [a.statement for a in actions] == [
        "By 2026-12-23: Name someone to track cash balance and website sessions.",
        "By 2026-12-23: Ask whoever runs Alpha Rentals to track its arrears, occupancy rate and rent roll.",
        "By 2026-12-23: Ask whoever runs Gamma Flats to track its arrears, occupancy rate and rent roll.",
    ]
    alpha = actions[1]
    assert len(alpha.evidence) == 3 and {g.id for g in gaps if g.entity == "alpha"} == set(alpha.evidence)


def test_a_checklist_item_marked_red_or_amber_is_a_problem_with_its_fix_to_do():
    red = only(operations.analyze([task("❌ Google Business Profile never claimed: shows the old address")], ctx()))
    amber = only(operations.analyze([task("🟡 23 Google reviews, never asked for one", due="2026-12-05")], ctx()))
    plain_task = only(operations.analyze([task("Post on Instagram")], ctx()))

    assert (red.kind, red.severity, red.recommendation) == (
        "finding", "high", "Google Business Profile never claimed: shows the old address")
    assert red.statement == "Alpha Rentals: Google Business Profile never claimed: shows the old address."
    assert (amber.kind, amber.severity, amber.due) == ("finding", "medium", date(2026, 12, 5))
    assert plain_task.kind == "action"
    # the plan dates the fix by its severity
    (fix,) = plan.analyze([red], ctx())
    assert fix.due == AS_OF + timedelta(days=14)


def test_a_question_a_negation_or_a_mail_clients_line_says_nothing_is_over():
    facts = {f.statement: f for f in operations.analyze([section(
        "Re: backup alerts", "Summit Realty is sorted", "Is that sorted?",
        "The nightly backup has not completed since Nov 9", "Sent from my iPhone")], ctx())}

    assert facts["Alpha Rentals — Re: backup alerts: Summit Realty is sorted."].name == "resolved"
    assert facts["Alpha Rentals — Re: backup alerts: Is that sorted?."].name != "resolved"
    assert facts["Alpha Rentals: The nightly backup has not completed since Nov 9."].kind == "finding"
    assert not [s for s in facts if "iPhone" in s]


def test_wiki_links_read_as_the_words_they_show():
    assert operations.plain("[[Hartwell wall]] still blocked; ask [[Priya Nair|Priya]] or [[Luis#Rates]]") == (
        "Hartwell wall still blocked; ask Priya or Luis")


def test_a_heading_that_is_a_business_name_gives_its_items_no_topic():
    context = ctx(entities={"gl": ("Greenline Landscaping", "landscaping")})
    record = {"heading": "Tech", "level": 2, "parents": ["Greenline Landscaping"],
              "bullets": [{"text": "greenlinelandscape.com domain expires 2026-12-12, auto-renew is OFF", "line": 9}]}

    (fact,) = operations.analyze([note_ev("section", record, line=8, entity="gl")], context)

    assert "tech" in fact.topics and "trades" not in fact.topics  # not a landscaping trade


def test_a_bookkeepers_unreconciled_items_and_open_questions_are_accounting_findings():
    unreconciled, question = operations.analyze([
        section("Unreconciled", "Costco $146 on the café debit card 11/22 is not in the export"),
        section("Questions for Ada", "Costco $146 on the café card (11/22): personal? If so I'll book it as a draw.", line=40),
    ], ctx())

    assert (unreconciled.kind, question.kind) == ("finding", "finding")
    assert "accounting" in unreconciled.topics


def test_a_task_whose_due_date_closed_it_keeps_no_dangling_comma():
    fact = only(operations.analyze([document(), task("Larkspur health permit renewal, county, $180, due 2026-12-20",
                                                     due="2026-12-20")], ctx()))

    assert fact.recommendation == "Larkspur health permit renewal, county, $180"


def test_late_in_a_date_is_when_not_lateness():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("Spring mailer to 1,200 homes, needs to go out by late February")
    assert "problem" not in vocab.signals("Call the insurer late next week")
    assert "problem" in vocab.signals("Delivery was late again")


def test_never_late_is_praise_not_lateness_and_never_missed_a_payment_no_miss():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("He's been a good tenant and the rent has never once been late.")
    assert "problem" not in vocab.signals("Never missed a payment in three years")
    assert "problem" in vocab.signals("The rent was never late before, but it is late this month")


def test_a_charge_to_be_credited_back_is_the_books_under_a_channels_label_too():
    vocab = ctx().vocabulary

    topics = vocab.topics_for("Dispute it in the extranet and get the £41.40 credited.", tags=("finance", "channels"))
    assert {"accounting", "channels"} <= set(topics)
    assert "accounting" in vocab.topics_for("Booking.com overcharged us on the October invoice", heading="Channels")


def test_a_social_account_left_to_go_quiet_is_a_problem():
    vocab = ctx().vocabulary

    assert "problem" in vocab.signals("Instagram (@saltmarsh.stays, 1,240 followers): nothing posted since August.")
    assert "problem" in vocab.signals("LinkedIn company page: last post in March.")
    assert "problem" not in vocab.signals("Instagram: 1,240 followers, three posts a week.")


def test_nobody_panic_reassures():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("Nobody panic at the empty Boathouse line in the bank feed.")
    assert "problem" in vocab.signals("Don't panic, but the boiler is leaking again")


def test_a_deposits_terms_if_nothing_is_broken_are_no_damage():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("A refundable damage deposit that goes back within 3 days of check-out "
                                          "if nothing's broken.")
    assert "problem" in vocab.signals("The lamp is broken; we kept £40 of the deposit")


def test_a_suppliers_prices_up_is_a_money_problem_and_our_own_rise_a_decision():
    vocab = ctx().vocabulary

    for line in ("CleanSource sent a letter: everything up 12% from November 1", "SYSCO prices up again on eggs"):
        assert "problem" in vocab.signals(line) and "finance" in vocab.topics_for(line)
    assert "problem" not in vocab.signals("Ada wants to put prices up 5% from January 5 (menu reprint $220)")


def test_an_offer_code_is_marketing_and_a_discount_code_no_software():
    vocab = ctx().vocabulary

    assert "marketing" in vocab.topics_for("Idea: a 10% off code for Gull Cottage guests, and leaflets at the cottage.")
    assert "tech" not in vocab.topics_for("Use discount code WINTER10 at the till")
    assert "tech" in vocab.topics_for("the code review of the booking site")


def test_one_account_for_every_business_and_a_property_tax_due_are_the_books_under_a_money_heading():
    vocab = ctx().vocabulary

    one = ("Everything goes through the one Chase business checking account for now (yes I know, the accountant "
           "says separate accounts per business, it's on the list).")
    assert "accounting" in vocab.topics_for(one, heading="Money")
    assert "accounting" in vocab.topics_for("the property tax second half ($3,100, due 1/31)", heading="Balances")


def test_no_bookings_on_purpose_is_as_it_should_be():
    vocab = ctx().vocabulary

    assert "fine" in vocab.signals("Calendars blocked since June, so there are no bookings in that window on purpose.")
    assert "fine" in vocab.signals("The studio lost a little in November only because of the one-off kiln shelf set.")


def test_a_device_stuck_on_an_old_system_is_tech():
    vocab = ctx().vocabulary

    assert "tech" in vocab.topics_for("The Lightspeed iPad at the counter is stuck on iOS 15 and can't update")
    assert "tech" in vocab.topics_for("Square drops support for the old card reader firmware in March")
    assert "tech" not in vocab.topics_for("Van 2 transmission slipping, off the road since 11/10")


def test_business_money_in_a_personal_account_is_the_bookkeepers_matter():
    vocab = ctx().vocabulary

    assert "accounting" in vocab.topics_for("The Parks' $1,500 deposit is sitting in my personal savings account")
    assert "accounting" in vocab.topics_for("Move the deposit into a separate deposit account by 12/15")


def test_a_tax_owed_is_the_accountants_under_a_money_heading_too():
    vocab = ctx().vocabulary
    line = "The November sales tax return ($3,566) is due to the Texas Comptroller on 12/20. Don't spend it."

    assert "accounting" in vocab.topics_for(line, heading="Money notes")
    # other domains still give way to the heading's: a website in a Channels list is marketing
    assert "tech" not in vocab.topics_for("Our own website needs a booking page", heading="Channels")


def test_a_spend_the_books_cannot_place_yet_is_the_bookkeepers_question():
    vocab = ctx().vocabulary
    assert "accounting" in vocab.topics_for("Not sure if the $212 Costco run on 10/9 was personal, ask Sam?")
    assert "accounting" in vocab.topics_for("Leaving it in shop supplies until I hear.")
    assert "accounting" not in vocab.topics_for("renew umbrella policy by Dec 31", heading="Personal / group")


def test_a_price_without_its_tax_is_no_former_anything():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("Severn Bikes pay by bank transfer. Amounts ex VAT.")
    assert "problem" in vocab.signals("the ex-employee still has the login")


def test_the_last_day_of_the_month_is_a_day_of_the_calendar_not_someone_leaving():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("Ada's draws from Okoro: $3,000 on the last day of each month. Those are "
                                          "draws, not salary.")
    assert "problem" not in vocab.signals("Rent is collected on the last day of the month")
    assert {"problem", "high"} <= vocab.signals("Tasha gave notice: her last day is 12/18.")
    assert "problem" in vocab.signals("Last day Friday 27th")


def test_not_knowing_where_bookings_come_from_is_marketing():
    vocab = ctx().vocabulary

    assert "marketing" in vocab.topics_for("no idea why -- we don't track where bookings come from")
    assert "marketing" in vocab.topics_for('add "how did you hear about us" to booking form')


def test_a_backup_driver_is_no_data_backup():
    vocab = ctx().vocabulary

    assert "tech" not in vocab.topics_for("Still need a backup driver for big storms")
    assert "tech" in vocab.topics_for("No backup of the client files anywhere")


def test_a_topic_word_in_another_sense_gives_no_topic_and_a_workspace_adds_its_own(tmp_path):
    from execbrief.errors import ConfigError
    from execbrief.vocabulary import load_vocabulary

    vocab = ctx().vocabulary
    # the metal, a surname, "new": no sales lead, no brand
    assert "marketing" not in vocab.topics_for("every lease there needs the signed lead-based paint disclosure")
    assert "marketing" in vocab.topics_for("three new leads from the Zillow listing")
    assert "marketing" not in vocab.topics_for("Tomas Brandt in unit 2 paid October on the 9th")
    assert "marketing" not in vocab.topics_for("a brand new van for the Tuesday route")
    assert "marketing" in vocab.topics_for("refresh the brand before spring")

    (tmp_path / "lenses").mkdir()
    topics = tmp_path / "lenses" / "topics.toml"
    topics.write_text("[other-senses]\nwhen = [\"campaign\"]\npatterns = ['\\bcampaign medals?\\b']\n")
    ours = load_vocabulary(tmp_path)
    assert "marketing" not in ours.topics_for("Grandad's campaign medals are in the office safe")
    assert "marketing" in ours.topics_for("the spring campaign is late")
    assert "tech" not in ours.topics_for("Still need a backup driver for big storms")  # the built-in ones stay
    for bad, said in (("[other-senses]\npatterns = ['(unclosed']\nwhen = ['x']\n", "is no regular expression"),
                      ("[other-senses]\npatterns = ['x']\n", "needs when"),
                      ("[other-senses]\nwords = ['x']\n", "must be a table with when")):
        topics.write_text(bad)
        with pytest.raises(ConfigError) as caught:
            load_vocabulary(tmp_path)
        assert "topics.toml" in str(caught.value) and said in str(caught.value)


def test_what_a_landlord_writes_of_an_eviction_a_late_fee_a_red_tag_and_a_missing_paper():
    vocab = ctx().vocabulary

    # an eviction filed is a problem at law, not the end of the arrears it is for
    filed = vocab.signals("we filed the eviction against Ray Tolliver (unit B) on 11/12 for $3,400")
    assert {"problem", "critical"} <= filed
    assert "problem" in vocab.signals("unit B paid nothing in October, so his balance is now $2,125")
    # a late fee the landlord charged is income, one the business paid is lateness
    assert "problem" not in vocab.signals("Tomas paid October on the 9th, so we charged the $75 late fee per his lease")
    assert "problem" in vocab.signals("We paid a $35 late fee on the insurance")
    # the utility's red tag taken off and the gas on again: over
    over, = operations.analyze([section(
        "Maple", "Maple gas leak: Rapid Rooter replaced the gas connector on 11/6 ($310), Columbia Gas came back "
                 "the same afternoon, removed the red tag and turned the gas back on.")], ctx())
    assert (over.kind, over.name) == ("note", "resolved")
    # "a signed disclosure" names a paper; "we could not find" one is a gap
    paper = vocab.signals("I could not find a signed disclosure in our files for units 1 and 4.")
    assert "problem" in paper and "resolved" not in paper
    assert "resolved" in vocab.signals("Lease signed with the new tenant on 11/20")


def test_an_item_that_ends_saying_its_problem_is_over_is_no_open_finding():
    over, still = operations.analyze([section(
        "Bank feed",
        "Feed dropped 11/18 and four Square payouts were missing. Added them 11/28 and the feed is back up.",
        "Boiler replaced in March but it is leaking again.")], ctx())

    assert (over.kind, over.name) == ("note", "resolved")
    assert (still.kind, still.name) == ("finding", "risk")


def test_a_matter_a_line_labels_and_then_says_is_fixed_is_over():
    over, still, pending = operations.analyze([section(
        "Maintenance",
        "Unit 5's leak at Linden Court: fixed November 6, confirmed dry.",
        "Flat 3 boiler: fixed 11/2 but leaking again.",
        "Van 2 brakes: replaced pads ordered, still grinding.")], ctx())

    assert (over.kind, over.name) == ("note", "resolved")
    assert (still.kind, still.name) == ("finding", "risk")  # what follows says it is not over
    assert (pending.kind, pending.name) == ("finding", "risk")


def test_customers_who_signed_up_from_a_post_are_no_price_up_from_another():
    vocab = ctx().vocabulary
    assert "problem" not in vocab.signals("Two new recurring homes signed up from the Nextdoor post ($140 a visit).")
    assert "problem" in vocab.signals("Velosure renewal: from 1/1 it's $365/month, up from $310.")


def test_reassurance_cover_for_the_sick_and_nothing_missed_are_no_problems():
    vocab = ctx().vocabulary
    for fine in ("Mum: Don't worry it will go.", "Joris does the planning and rides when someone is sick.",
                 "Hired a van for Thu and Fri so Dean could keep the route going, no drops missed."):
        assert "problem" not in vocab.signals(fine), fine
    for problem in ("Tasha is sick this week", "3 drops missed on Tuesday", "Worried about the boiler"):
        assert "problem" in vocab.signals(problem), problem


def test_a_fall_the_notes_call_the_normal_end_of_the_season_is_no_problem():
    (fall,) = operations.analyze([section(
        "Larkin Lake Boat Rentals",
        "October sales were $3,930 (weekends only, last day 10/18). September was $18,615. That drop is the normal "
        "end of the season. Nothing is wrong with demand.")], ctx())
    assert fall.kind == "note"
    (still,) = operations.analyze([section("Boats", "October sales fell from $18,615 to $3,930.")], ctx())
    assert still.kind == "finding"


def test_nothing_going_up_and_what_nobody_should_do_are_no_problems():
    vocab = ctx().vocabulary
    assert "problem" not in vocab.signals("Transfers to Holdings stop. Nothing goes up in November, as usual.")
    assert "problem" not in vocab.signals("Nobody should be asking it to make money.")
    assert "problem" in vocab.signals("The studio rent goes up 10% from January.")


def test_a_cracked_driveway_is_a_problem_and_a_cracked_heat_exchanger_a_high_one():
    vocab = ctx().vocabulary
    driveway = vocab.signals("cracked driveway at 101/102")
    assert "problem" in driveway and "high" not in driveway
    assert {"problem", "high"} <= vocab.signals("Cole HVAC says the heat exchanger is cracked. Quote $3,100 to replace.")


def test_what_comes_on_top_of_the_retainers_is_no_client_who_is_much_of_them():
    vocab = ctx().vocabulary
    assert not vocab.signals("Project work on top of the retainers comes in through Stripe invoices.")
    assert {"problem", "high"} <= vocab.signals("Greene is more than a third of my retainers")


def test_the_owners_insurance_or_mortgage_broker_is_no_audience_and_brokers_who_send_work_are():
    vocab = ctx().vocabulary
    for own in ("The broker's opinion of value is $465,000.", "Waiting on the broker for a second quote.",
                "Landlord insurance renews 2027-01-05; the broker says to expect +12%."):
        assert "audiences" not in vocab.topics_for(own), own
    assert "audiences" in vocab.topics_for("No one has pitched the yacht brokers in Annapolis")


def test_a_why_in_brackets_does_not_keep_what_was_repaid_open():
    repaid, broken = operations.analyze([section(
        "Money",
        "The $10,000 line-of-credit draw in August (plates, permits and Ridgeway paying late) was repaid in full on Oct 15.",
        "Water heater replaced (still not working).")], ctx())

    assert (repaid.kind, repaid.name) == ("note", "resolved")  # the aside is why it was drawn, not what became of it
    assert (broken.kind, broken.name) == ("finding", "risk")  # an aside at the end is what became of it


def test_a_status_after_a_comma_at_the_end_closes_the_item():
    refund, still = operations.analyze([section(
        "Cafe",
        "Catering order 2231 refunded back in October ($185), customer cancelled, that one's done.",
        "Catering order 2240 cancelled, not refunded yet, all sorted.")], ctx())

    assert (refund.kind, refund.severity) == ("note", None)
    assert still.kind == "finding"  # "not … yet" before it: not over


def test_a_heading_that_opens_with_a_done_word_is_done_whatever_follows():
    reconciled, = operations.analyze([section(
        "Done this month", "Bank, Amex and loan accounts reconciled for all three businesses.")], ctx())
    chase, = operations.analyze([section("This month", "Chase the Pier 9 invoice.")], ctx())

    assert reconciled.kind == "note"  # not an open task with no due date
    assert chase.kind == "action"


def test_a_status_standing_alone_at_the_end_says_the_item_is_over():
    fixed, complaining = operations.analyze([section(
        "Repairs",
        "Leak in Flat 3 was fixed on 11/20 by Gulf Plumbing, $285. Closed.",
        "Tenant in Flat 1 still complaining about the noise. Closed.")], ctx())

    assert (fixed.kind, fixed.name) == ("note", "resolved")
    assert fixed.severity is None
    assert fixed.kind != complaining.kind == "finding"  # nothing before the status says it was fixed


def test_what_the_writer_says_is_as_it_should_be_is_no_problem():
    season, holding, still = operations.analyze([section(
        "Bookkeeping",
        "Bluewater has no rows in August or November. That is right: no jobs in August (hurricane season).",
        "Months with no jobs have no transactions at all - there is nothing to book.",
        "The tenant says that's fine but the rent is still overdue.")], ctx())
    dead, = operations.analyze([section("Numbers", "November: 7 nights of 30. November is always dead down here, "
                                                   "we expect it.")], ctx())
    quiet, grant, deposits = operations.analyze([section(
        "Commentary",
        "The online store at $3,737 was $263 short. August is always the quiet end of summer for online.",
        "The $3,000 shopfront grant arrived on 10/15; it is grant income, not sales, and it sits below the line.",
        "Those deposits are customers' money held for events we have not yet delivered.")], ctx())

    assert (season.kind, holding.kind, dead.kind) == ("note", "note", "note")
    assert (quiet.kind, grant.kind, deposits.kind) == ("note", "note", "note")
    assert "problem" in ctx().vocabulary.signals("The new fridge has not yet been delivered")  # late: a problem
    assert (still.kind, still.severity) == ("finding", "high")  # a high word beside it: still a problem


def test_a_holding_company_with_no_customers_or_income_is_what_it_is():
    entities = {**ENTITIES, "alpha": ("Alpha Holdings", "holding")}
    holding, = operations.analyze([section("Holdings", "Holdings has no customers and no income of its own.")],
                                  ctx(entities=entities))
    shop, = operations.analyze([section("Shop", "The shop has no customers on weekdays.")], ctx())

    assert holding.kind == "note"  # it owns the others and earns little itself, by design
    assert shop.kind == "finding"  # a rental (alpha here) with no customers is a problem


def test_money_lent_that_came_back_is_over_and_a_purpose_is_no_problem():
    vocab = ctx().vocabulary

    back = vocab.signals("The $4,000 the couriers lent the studio on Sep 9 (Harbor paid their invoice three weeks late) "
                         "came back on Oct 21.")
    assert "resolved" in back and "problem" not in back  # the delay that made the loan is over with it
    assert "problem" in vocab.signals("The $4,000 we lent the studio is still not back")
    assert "problem" not in vocab.signals("Pinning this so nobody can say they didn't see it")
    assert "problem" in vocab.signals("The feed is broken, so nobody can see the November rows")  # the break stays


def test_a_client_that_went_months_ago_is_history_not_a_shortfall():
    def item(text: str, dates: list[str]) -> Evidence:
        record = {"heading": "Clients", "level": 2, "parents": [],
                  "bullets": [{"text": text, "line": 21, "dates": dates}]}
        return note_ev("section", record, line=20)

    gone, = operations.analyze([item("Fenwick Dental: contract ran to 31 July and they did not renew.", ["2026-07-31"])], ctx())
    owing, = operations.analyze([item("Fenwick Dental did not renew on 31 July and still owes $900.", ["2026-07-31"])], ctx())
    recent, = operations.analyze([item("Bayside Dental did not renew on 14 November.", ["2026-11-14"])], ctx())

    assert gone.kind == "note"  # four months before the as-of date, nothing open about it
    assert (owing.kind, recent.kind) == ("finding", "finding")  # still owing; gone this month


def test_a_bill_said_beside_last_year_with_a_rise_is_a_problem():
    vocab = ctx().vocabulary

    assert "problem" in vocab.signals("insurance renewal (hiscox) 12/15: $2,140, last yr $1,780 (+20%). shop around?")
    assert "problem" not in vocab.signals("insurance renewal 12/15: $1,640, last year $1,780")  # no rise said
    assert "problem" not in vocab.signals("Revenue $9,200, last year $7,700 (+19%)")  # revenue up is no bill


def test_cash_across_the_accounts_is_the_groups_whoever_the_line_names():
    record = {"heading": "Summary", "level": 2, "parents": [],
              "bullets": [{"text": "Cash on hand is about $23,600, but $15,000 of that is Beta's loan, so the three "
                                   "accounts would hold about $8,700.", "line": 21, "entity": "beta"}]}
    facts = operations.analyze([note_ev("section", record, line=20)], ctx())

    (cash,) = [f for f in facts if f.name == "cash_balance"]
    assert (cash.entity, cash.value) == (None, Decimal("23600"))

    record["bullets"] = [{"text": "We came into November with about $51k in the bank across everything, right "
                                  "where we were last year.", "line": 21, "entity": "beta"}]
    (cash,) = [f for f in operations.analyze([note_ev("section", record, line=20)], ctx()) if f.name == "cash_balance"]
    assert (cash.entity, cash.value) == (None, Decimal("51000"))


def test_a_problem_a_note_told_half_a_year_ago_or_more_is_history_not_a_risk_now():
    def told(updated: str) -> list[Fact]:
        return operations.analyze([document(updated=updated, title="2025 season recap"),
                                   section("Things to remember", "The dock pump failed twice and the crew quit in October.")],
                                  ctx())

    (last_year,) = [f for f in told("2025-11-21") if f.name != "stale_note"]
    (this_autumn,) = [f for f in told("2026-06-01") if f.name != "stale_note"]

    assert last_year.kind == "note" and "pump failed" in last_year.statement  # kept, as what was said then
    assert (this_autumn.kind, this_autumn.name) == ("finding", "risk")  # 175 days: still a risk to look at
    assert [f.name for f in told("2025-11-21") if f.kind == "finding"] == ["stale_note"]  # the note is asked after


def test_a_late_payment_that_was_paid_is_no_high_matter():
    vocab = ctx().vocabulary

    assert "high" not in vocab.signals("Fern & Co's late retainer at Varga Digital: paid November 12, both months.")
    assert "high" in vocab.signals("Fern & Co's retainer is late again")


def test_a_damage_deposit_is_money_held_not_damage():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("$400 is the Baptiste damage deposit, which goes back to the guest.")
    assert "problem" in vocab.signals("Water damage in the hallway ceiling after the storm")


def test_a_loan_paid_off_is_over():
    vocab = ctx().vocabulary

    for said in ("Paid off the First Harbor line of credit in full today", "Van loan fully repaid in October",
                 "The $5k advance from Mum was repaid on the 20th"):
        assert "resolved" in vocab.signals(said), said
    assert "resolved" not in vocab.signals("We still owe First Harbor the $8k we drew on the line of credit")


def test_no_arrears_and_no_damage_are_good_news_not_problems():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("No arrears at 30 November.")
    assert "problem" not in vocab.signals("Both units let, no arrears, no complaints this month.")
    assert "problem" not in vocab.signals("Unit B re-let with no gap.")
    assert "problem" in vocab.signals("Rent in arrears again, no reply")
    assert "problem" in vocab.signals("No backup of the client files anywhere")  # an absence that is the problem
    assert "problem" in vocab.signals("No arrears figure is tracked for the flats")


def test_a_chaser_sent_does_not_end_what_it_chases():
    chased, = operations.analyze([section(
        "Review of last actions", "Brightwater: still unpaid, FN-2031 now 22 days late. Second reminder sent 11/23.")], ctx())

    assert chased.name in ("risk", "open_task")  # still open: not a note of what was done


def test_a_log_row_is_of_its_day_and_a_row_marked_fixed_is_over():
    def log(day: str, issue: str, status: str, line: int) -> Evidence:
        return note_ev("table_row", {"heading": "Maintenance log", "cells": {
            "date": day, "issue": issue, "status": status}}, line=line)

    opened, fixed = records.analyze([document(), log("2026-11-08", "Rear gutter pulling off the fascia", "quote from R. Moss $420", 30),
                                     log("2026-11-19", "Rear gutter rehung, new downpipe", "fixed", 31)], ctx())

    assert (opened.name, opened.period) == ("table_row", "2026-11-08")
    assert (fixed.name, fixed.period) == ("resolved", "2026-11-19")


def test_lateness_that_is_over_is_no_problem_and_money_that_came_late_is_no_high_one():
    vocab = ctx().vocabulary

    assert "problem" not in vocab.signals("No arrears. November's late rent from unit A was received on the 12th.")
    assert vocab.signals("Pereira paid 11 days late; her hours were cut.") >= {"problem"}
    assert "high" not in vocab.signals("Pereira paid 11 days late; her hours were cut.")
    assert "high" in vocab.signals("Rent is late again, third time")
    assert not vocab.signals("Okafor's November rent was late, came in 11/10.") & {"problem", "high"}
    assert "high" in vocab.signals("Okafor's November rent was late, and still has not come in.")


def test_raising_ones_own_prices_is_a_decision_kept_as_a_note_not_a_cost_rising():
    vocab = ctx().vocabulary

    own = vocab.signals("Cart, I'm putting the oat latte up from five twenty-five to five seventy-five on the first")
    assert "problem" not in own and "action" in own  # (kept: a prose sentence needs a signal)
    assert "problem" in vocab.signals("Our landlord is putting the rent up from $600 to $750")


def test_a_rule_of_the_house_is_no_problem():
    vocab = ctx().vocabulary

    assert vocab.signals("Anything nobody opened in 60 days gets cancelled.") == frozenset()
    assert "high" in vocab.signals("Every booking got cancelled this week.")  # what happened, not a rule


def test_a_rating_stated_in_words_is_the_review_or_customer_rating_of_the_business():
    vocab = ctx().vocabulary

    assert vocab.stated("Airbnb rating 4.8 (31 reviews).") == [("review_rating", "score", "4.8")]
    assert vocab.stated("Quint gave 3 stars: hot tub was lukewarm. Rating down to 4.7") == [("review_rating", "score", "4.7")]
    assert vocab.stated_name("review_rating", "delivery") == "customer_rating"
    assert vocab.stated_name("review_rating", "short-let") == "review_rating"


def test_were_done_is_no_end_and_a_fires_list_holds_problems():
    doomed, = operations.analyze([section(
        "Notes", "Greenleaf Grocers is about 55% of our deliveries. If they go, we're done.")], ctx())
    burning, = operations.analyze([section("Burning", "No 2-step on Google Workspace admin accounts.")], ctx())

    assert doomed.name != "resolved"
    assert (burning.kind, burning.name) == ("finding", "risk") and "security" in burning.topics


def test_a_fix_on_its_way_ends_nothing_until_it_comes():
    died, = operations.analyze([section(
        "Pasta stall", "The Square reader died at the market today, lost the card sales. Gina ordered a new one.")], ctx())
    ordered, = operations.analyze([section("Van", "van dryer: ordered the new one after all, $1,180 w/ shipping")], ctx())

    assert (died.kind, died.name) == ("finding", "risk")
    assert (ordered.kind, ordered.name) == ("note", "resolved")  # no problem in it: the purchase made


def test_it_in_a_heading_is_tech_only_in_capitals():
    vocab = ctx().vocabulary

    assert "tech" not in vocab.topics_for("I think the ravioli needs to go up a dollar", heading="Pasta stall — how it's going")
    assert "tech" in vocab.topics_for("a new printer for the office", heading="IT")


def test_a_renewal_alone_is_no_client_and_no_tenant():
    vocab = ctx().vocabulary

    topics = vocab.topics_for("Velosure (bike insurance) sent the renewal: from 1/1 it's $365/month")
    assert "compliance" in topics and not {"clients", "occupancy"} & set(topics)
    assert "clients" in vocab.topics_for("Bayside's contract renewal is on 12/15")
    assert "occupancy" in vocab.topics_for("Flat 2's lease renewal is due")


def test_a_lapsed_cover_a_client_contract_requires_is_a_compliance_gap_for_the_books():
    from execbrief.lenses import load_lenses
    from execbrief.lenses.select import matches

    vocab = ctx().vocabulary
    lapse = vocab.topics_for("Goods-in-transit cover lapsed 31/10, not renewed yet. Pharmacy contract requires it.")
    ending = vocab.topics_for("Halvorsen Dental's contract ends 12/31 and they haven't said whether they'll renew")
    assert {"clients", "compliance", "licensing"} <= set(lapse)
    assert {"clients", "compliance"} <= set(ending) and "licensing" not in ending
    [gaps] = [s.select for s in load_lenses()["accounting"].sections if s.id == "compliance"]
    shown = lambda topics: matches(Fact(id="f", kind="finding", name="risk", statement="s", topics=topics), gaps)  # noqa: E731
    assert shown(tuple(lapse)) and not shown(tuple(ending))


def test_a_tenants_notice_is_the_landlords_matter_and_a_disclosure_the_law_asks_for_a_compliance_gap():
    from execbrief.lenses import load_lenses
    from execbrief.lenses.select import matches

    vocab = ctx().vocabulary
    notice = vocab.topics_for("Maria e-mailed that she is giving notice, she is buying a house and her lease ends Jan 31")
    van = vocab.topics_for("Van lease runs to August 2027; mileage is tracking 2,000 over the allowance")
    paint = vocab.topics_for("Maple was built in 1962, so every lease there needs the signed lead-based paint "
                             "disclosure. I could not find a signed disclosure for units 1 and 4.")
    registration = vocab.topics_for("The rental registration for all three properties expires 12/31, tenants or not")
    [gaps] = [s.select for s in load_lenses()["accounting"].sections if s.id == "compliance"]
    shown = lambda topics: matches(Fact(id="f", kind="finding", name="risk", statement="s", topics=topics), gaps)  # noqa: E731
    assert {"compliance", "occupancy"} <= set(notice) and not shown(tuple(notice))
    assert not shown(tuple(van))
    assert "licensing" in paint and shown(tuple(paint))
    assert shown(tuple(registration))


def test_co_hosting_holiday_lets_is_no_web_hosting_in_a_heading_or_an_item():
    vocab = ctx().vocabulary

    renewal = "Hiscox public liability renews 8 Jan and there's no renewal quote yet. Need to chase."
    # (the heading named the trade, and its 'hosting' made every item of the note tech, and no compliance)
    topics = vocab.topics_for(renewal, heading="Co-hosting handover notes (shared doc — Jess & Kit)")
    assert "tech" not in topics and {"compliance", "licensing"} <= set(topics)
    assert "tech" not in vocab.topics_for("Cove Co-Hosting needs two new cottages to replace Nick's")
    assert "tech" not in vocab.topics_for("Claire wants a cohosting proposal", heading="Owners (co-hosted)")
    assert "tech" in vocab.topics_for("The web hosting bill went up to $40 a month", heading="Co-hosting")


def test_a_heading_that_names_a_business_says_whose_its_items_are_not_what_they_are_about():
    named = ctx(entities={**ENTITIES, "green": ("Evergreen Landscaping", "agency"), "bs": ("Bluestack IT", "agency")},
                aliases={"green": ("Landscaping",)})
    # (the name's "landscaping" made every item under it a tradesperson's; "IT", in capitals, every item tech)
    for heading in ("Evergreen Landscaping", "Landscaping", "Evergreen Landscaping — end of season wrap"):
        fact = only(operations.analyze([document(), section(heading, "Trailer tabs expire 12/31.")], named))
        assert "trades" not in fact.topics and "compliance" in fact.topics, heading
    renewal = only(operations.analyze([document(), section("Bluestack IT", "The E&O insurance renews Dec 31.")], named))
    assert "tech" not in renewal.topics and "compliance" in renewal.topics
    # a heading's own words still say what its items are about, beside the name
    fixes = only(operations.analyze([document(), section("Evergreen Landscaping: repairs", "Trailer tabs expire.")], named))
    assert "maintenance" in fixes.topics
    assert "trades" in named.vocabulary.topics_for("Trailer tabs expire 12/31.", heading="Landscaping")


def test_a_return_due_is_a_filing_for_the_accountant_under_any_heading():
    vocab = ctx().vocabulary

    # (the sentence before says which tax: "We collect MN sales tax on materials … November return due 12/20")
    for said in ("November return due 12/20, it's tiny this month", "The Nov-Dec return is due by 23 January",
                 "November's return is due 12/25"):
        assert "accounting" in vocab.topics_for(said, heading="Landscaping"), said
    assert "accounting" not in vocab.topics_for("Return the ladder to Dave when it is due back")


def test_market_conditions_are_no_marketing_and_a_market_stall_day_is():
    vocab = ctx().vocabulary

    assert "marketing" not in vocab.topics_for("The increase reflects market conditions and a claim in March")
    assert "marketing" in vocab.topics_for("The Saturday market finished for the year on 11/21")


def test_a_business_with_no_website_has_a_marketing_gap():
    assert "marketing" in ctx().vocabulary.topics_for("the domain lapsed in August so there's no website")
    # a let listed only where few look: the letting sites are listings
    assert "listings" in ctx().vocabulary.topics_for("Still vacant, only on Marketplace, haven't done OpenRent yet")


def test_a_burning_heading_is_urgent_matters_not_cash():
    vocab = ctx().vocabulary

    assert "cash" not in vocab.topics_for("Bike 3 gear hub slipping", heading="Burning")
    assert "cash" in vocab.topics_for("Our monthly burn is about $4k, runway 5 months")


def test_a_stated_kpi_whose_kinds_is_not_a_table_is_a_clear_config_error():
    from execbrief.errors import ConfigError
    from execbrief.vocabulary import Vocabulary, _builtin_data

    data = _builtin_data()
    data["stated"]["review_rating"]["kinds"] = "customer_rating"
    with pytest.raises(ConfigError, match=r"stated\.review_rating kinds must name a KPI per kind"):
        Vocabulary(data)


def test_a_matter_said_not_to_be_urgent_is_a_low_one_and_a_few_late_out_of_many_is_good_news():
    owes, = operations.analyze([section(
        "Money", "Dev still owes Lumen the $5k transfer from 10/2. Not urgent but let's write it down somewhere.")], ctx())
    vocab = ctx().vocabulary

    assert (owes.kind, owes.severity) == ("finding", "low")
    assert "critical" in vocab.signals("The boiler is urgent")
    assert "problem" not in vocab.signals("Ama: on-time this week looks better, only 2 late out of ~140.")
    assert "problem" in vocab.signals("Jonas: late on 4 Greenleaf drops, rain + the bridge closure")
    assert "high" in vocab.signals("Client contracts Drive folder is 'anyone with the link'")
    assert "problem" not in vocab.signals("Present: Dad, Mom, Marco, Tess, Gina (late)")  # a roll call
    assert vocab.signals("Mum: How many are late normally?") == {"action"}  # a question asked: a note
    assert "problem" in vocab.signals("Is the boiler still leaking?")
    assert {"low", "problem"} <= vocab.signals("Oakfield haven't paid the invoice, 14 days terms so not late yet")
    assert "high" not in vocab.signals("Oakfield haven't paid the invoice, 14 days terms so not late yet")
    assert "problem" in vocab.signals("Gina was late with the market stock again")


@pytest.mark.parametrize(("text", "problem"), [
    ("Union Street Kitchen told me the kitchen rent goes from $600 to $750 a month in January", True),
    ("Genesee Mills put semolina up 18% from November", True),
    ("The cottage cleaners have put their price up by 15%, to $95 per turnover", True),
    ("Ada wants to put prices up 5% from January 5", False),  # one's own prices: a decision
    ("I think the brisket plate has to go from $14 to $15", False),
    ("We put the weekend rate up 10% in October", False),
    ("Brisket, whole packer (USDA Choice): $4.85/lb -> $5.60/lb", True),  # a supplier's list, by the pound
    ("Price: $12 → $14 a drop from Jan 1", False),  # one's own price, by the drop
])
def test_a_bill_or_a_suppliers_price_that_rises_is_a_problem_and_ones_own_price_rise_is_not(text, problem):
    assert ("problem" in ctx().vocabulary.signals(text)) is problem


@pytest.mark.parametrize(("text", "high"), [
    ("The Patels cancelled their biweekly clean on Thursday", True),  # a customer leaving
    ("Copper Kettle cancelled the retainer", True),
    ("Cancel ZenMaid and Semrush this month. Together $189 a month", False),  # a saving to make
    ("Marcus logged into Semrush twice since June, $140 a month for that. Cancel.", False),
    ("We should cancel the Adobe plan", False),
    ("ZenMaid is still charging $49 a month. Nobody has cancelled it.", False),
    ("Nobody has logged into PriceLabs since August and it's still charging £35 a month. Either use it or cancel it.",
     False),
])
def test_cancelling_what_we_pay_for_is_a_saving_and_a_customer_cancelling_is_high(text, high):
    signals = ctx().vocabulary.signals(text)
    assert "problem" in signals and ("high" in signals) is high


def test_what_is_paid_for_and_not_used_is_a_saving_and_a_savings_account_is_not():
    vocab = ctx().vocabulary

    for text in ("ZenMaid is still charging $49 a month", "Semrush, used twice since June", "Canva: nobody uses it"):
        assert "savings" in vocab.topics_for(text), text
    for text in ("The $15,000 sits in Larkspur savings for the January refit",
                 "The deposit is sitting in my personal savings account"):
        assert "savings" not in vocab.topics_for(text), text


def test_what_still_needs_doing_in_the_words_of_what_is_done_is_no_end():
    vocab = ctx().vocabulary

    for text in ("Needs: the freezer fixed or replaced (about $900), the permit renewed before the 19th, boxes ordered by 12/5",
                 "The flashing on flat 2 has to be patched before the rain", "Insurance must be renewed by 1/1"):
        assert "resolved" not in vocab.signals(text), text
    assert "resolved" in vocab.signals("Freezer replaced on 11/28, $880")
    assert "resolved" in vocab.signals("Needed a new one; the flashing was patched on 11/3")


def test_a_workspace_adds_its_own_unsaid_phrases_and_a_bad_one_is_named(tmp_path):
    from execbrief.errors import ConfigError
    from execbrief.vocabulary import load_vocabulary

    (tmp_path / "lenses").mkdir()
    topics = tmp_path / "lenses" / "topics.toml"
    topics.write_text('[unsaid.house-style]\nphrases = ["late shift", "#-day late window"]\n'
                      '[unsaid.not-pressing]\nphrases = ["whenever you get to it"]\n')
    vocab = load_vocabulary(tmp_path)

    assert "problem" not in vocab.signals("Maria is on the late shift all week")
    assert "problem" not in vocab.signals("Rent has a 5-day late window, as the lease says")
    assert "problem" in vocab.signals("Rent is 5 days late")
    assert "low" in vocab.signals("Call the plumber about the drip, whenever you get to it")
    assert "critical" not in vocab.signals("Not urgent: the gutter")  # the built-in phrases stay

    for bad, said in (('[unsaid.x]\npatterns = ["(unclosed"]\n', "is no regular expression"),
                      ('[unsaid.x]\nphrases = ["calm"]\ngives = ["mild"]\n', "'mild'"),
                      ('[unsaid.x]\ngives = ["low"]\n', "needs phrases"),
                      ('[unsaid.x]\nphrase = ["calm"]\n', "is not a key")):
        topics.write_text(bad)
        with pytest.raises(ConfigError) as caught:
            load_vocabulary(tmp_path)
        assert "topics.toml" in str(caught.value) and said in str(caught.value)


def test_a_client_comparing_quotes_before_it_renews_is_a_high_problem_wherever_it_is_said():
    fact = only(operations.analyze([section("Inbox", "The partners have asked me to get a quote from CloudNine IT "
                                                     "as well before we renew")], ctx()))

    assert (fact.kind, fact.name, fact.severity) == ("finding", "risk", "high")
    # our own shopping for a repair is no problem
    own = only(operations.analyze([section("Inbox", "Get a quote from Coastal RV for the water heater")], ctx()))
    assert own.severity is None


@pytest.mark.parametrize("text", ["No drawings in December (Mum)", "Can we all hold off taking drawings in December",
                                  "Owner draws paused until the VAT bill is paid"])
def test_what_the_owners_take_out_is_a_money_and_cash_matter(text):
    fact = only(operations.analyze([section("Shared list", text)], ctx()))

    assert {"finance", "cash"} <= set(fact.topics), fact.topics


@pytest.mark.parametrize(("bullet", "severity", "due"), [
    ("Town short-term rental permit expires 12/31/2026. Needs a fire inspection first, not booked", "high", date(2026, 12, 31)),
    ("Dale's captain licence expires 1/15/2027, renewal takes 6-8 weeks", "high", date(2027, 1, 15)),
    ("City rental registry certificate expires 3/31/2027", "medium", date(2027, 3, 31)),  # four months: time enough
    # a policy that renews soon with a problem said (no quote yet, a rise): a quote to get, or to beat
    ("General liability policy renews Jan 3, agent hasn't sent the renewal quote yet", "high", date(2027, 1, 3)),
])
def test_what_lapses_within_sixty_days_is_a_high_matter_dated_by_its_expiry(bullet, severity, due):
    # (the notes source reads the date as the line's due date, as it does "by 12/31")
    ev = section("Compliance", bullet)
    ev = ev.model_copy(update={"record": {**ev.record, "bullets": [{**ev.record["bullets"][0], "due": due.isoformat()}]}})
    fact = only(operations.analyze([ev], ctx()))

    assert (fact.kind, fact.severity, fact.due) == ("finding", severity, due)
    assert f"(next date: {due.isoformat()})" in fact.statement


@pytest.mark.parametrize(("bullet", "severity"), [
    ("The cart's propane tank certification expires in January too, I need to check which date", "high"),
    ("Van insurance runs out end of December, haven't shopped around", "high"),
    ("The liquor licence expires in June", "medium"),  # months off: time enough
])
def test_what_lapses_in_a_month_said_without_a_day_is_judged_by_the_months_first_day(bullet, severity):
    fact = only(operations.analyze([section("Compliance", bullet)], ctx()))

    assert (fact.kind, fact.severity, fact.due) == ("finding", severity, None)  # (no day: no due date)


def test_what_a_change_costs_on_top_each_period_is_a_problem_more_sales_are_not():
    rise = only(operations.analyze([section("Price update", "So that's roughly $225 more a week on brisket alone")], ctx()))
    sales = only(operations.analyze([section("Price update", "We took $2,000 more in sales in November")], ctx()))

    assert (rise.kind, rise.severity) == ("finding", "medium")
    assert sales.kind == "note"


def test_a_month_heading_dates_a_log_of_that_month_and_not_a_plan_for_the_month_ahead():
    from execbrief.sources.values import month_heading

    day = date(2026, 11, 29)
    assert month_heading("October", day) == date(2026, 10, 31)  # a running log's last month
    assert month_heading("November", day) == day  # this month: to the note's day
    assert month_heading("June", day) == date(2026, 6, 30)
    assert month_heading("December", day) is None  # a checklist's month ahead: its items are plans
    assert month_heading("December 2025", day) == date(2025, 12, 31)  # (a year says which)
    assert month_heading("December", date(2027, 1, 12)) == date(2026, 12, 31)  # last month, seen in January


def test_a_rows_date_after_its_notes_is_when_it_comes_not_when_it_was_written():
    row = note_ev("table_row", {"heading": "Cottage status", "cells": {
        "cottage": "Sandpiper", "next_guest": "Sat 5 Dec", "status": "Ready"}}, line=12)
    logged = note_ev("table_row", {"heading": "Repairs log", "cells": {
        "date": "2026-11-19", "item": "Shower valve", "status": "fixed"}}, line=13)

    ahead, past = sorted(records.analyze([document(), row, logged], ctx()), key=lambda f: f.sources)

    assert (ahead.period, ahead.due) == (None, date(2026, 12, 5))  # (nothing it says can settle what came before it)
    assert (past.period, past.due, past.name) == ("2026-11-19", None, "resolved")


def test_the_books_own_words_are_the_accountants_under_a_money_heading_and_vehicle_tabs_are_compliance():
    vocab = ctx().vocabulary

    assert "accounting" in vocab.topics_for("FIXME: October bank reconciliation still not done in QuickBooks.",
                                            heading="Money")
    assert "accounting" in vocab.topics_for("Ask Karen whether we depreciate the truck or take Section 179.",
                                            heading="Money")
    assert "compliance" in vocab.topics_for("Trailer tabs expire 12/31.", heading="Landscaping")


def test_an_item_labelled_with_its_business_name_is_not_labelled_twice():
    record = {"heading": "Risks", "level": 2, "parents": [],
              "bullets": [{"text": "Alpha Rentals: the boiler certificate expires January 15, 2027.", "line": 21}]}
    risk, = operations.analyze([note_ev("section", record, line=20)], ctx())

    assert risk.statement.startswith("Alpha Rentals: the boiler certificate expires")


def test_a_struck_out_task_is_not_open_and_settles_nothing():
    struck = note_ev("task", {"done": True, "cancelled": True, "heading": "To do", "due": None}, line=12,
                     text="~~call Erik to paint Flat B~~ -> paint is fine, just clean it")
    (fact,) = operations.analyze([struck], ctx())

    assert (fact.kind, fact.name) == ("note", "cancelled")
    assert fact.statement == ("Alpha Rentals — To do: call Erik to paint Flat B -> paint is fine, just clean it "
                              "(struck out: not to be done).")


def test_a_cost_paid_once_for_the_year_is_the_accounting_officers_to_spread():
    vocab = ctx().vocabulary

    assert "accounting" in vocab.topics_for("BV - van insurance paid today, $2,400 for the whole year -> Progressive.")
    assert "accounting" not in vocab.topics_for("BV - van insurance went up again, $2,400 now.")


def test_nobody_serious_is_no_serious_matter():
    vocab = ctx().vocabulary

    assert vocab.signals("Flat B - 2 enquiries, nobody serious yet.") == frozenset({"problem"})  # a problem, not high
    assert "problem" not in vocab.signals("the van's knock is nothing serious")
    assert "high" in vocab.signals("a serious leak in flat 2")


def test_under_a_heading_of_what_nobody_tracks_a_line_that_says_it_is_counted_is_no_gap():
    found = {f.statement: f for f in operations.analyze([section(
        "Van - what I don't track", "cost per job - never worked it out", "jobs/wk I do count (~14)",
        "Retail attach rate at the salon (how many clients buy a product with their service)")], ctx())}

    assert found["Alpha Rentals: cost per job - never worked it out (not tracked)."].kind == "gap"
    assert found["Alpha Rentals — Van - what I don't track: jobs/wk I do count (~14)."].kind == "note"
    attach = found["Alpha Rentals: Retail attach rate at the salon (how many clients buy a product with their "
                   "service) (not tracked)."]
    assert "marketing" in attach.topics and attach.recommendation == "Start tracking retail attach rate at the salon."


def test_a_return_due_in_31_to_60_days_is_prepared_a_month_before():
    vat = only(operations.analyze([task("The Nov-Dec VAT return is due by 15 January, roughly €9,500",
                                        due="2027-01-15")], ctx()))

    assert (vat.severity, vat.due) == ("medium", date(2026, 12, 16))  # (as of 23 November)


def test_a_gift_guide_is_marketing_and_a_suppliers_credit_the_accountants():
    vocab = ctx().vocabulary

    assert "marketing" in vocab.topics_for("Holiday gift guide email — 12/4")
    assert "accounting" in vocab.topics_for("Campo says they'll credit us $1,491 once they get photos of the cracks")
    assert "accounting" not in vocab.topics_for("Put the Campo pot order on the credit card")
