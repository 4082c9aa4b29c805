"""Assets rules: occupancy and vacancy, maintenance backlog, service, on-time delivery, job margins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, assets
from execbrief.model import Evidence, Provenance
from note_evidence import named, one, table_row

AS_OF = date(2026, 11, 23)
ENTITIES = {"flats": ("Harbor Flats", "rental"), "vans": ("Quick Vans", "delivery")}


def ctx() -> AnalysisContext:
    return AnalysisContext(as_of=AS_OF, entities=ENTITIES)


def row(line: int, entity: str = "flats", path: str | None = None, **cells: str) -> Evidence:
    return table_row(line, path=path or f"notes/{entity}/table.md", entity=entity, heading="Table", **cells)


def unit(line: int, name: str, status: str, rent: str = "$1,000/month") -> Evidence:
    return row(line, unit=name, status=status, rent=rent)


def backlog(heading: str, *items: str, entity: str = "flats") -> Evidence:
    return Evidence(
        id=f"sec-{heading}", source="notes", kind="section", entity=entity, text="\n".join(items),
        record={"heading": heading, "level": 2, "parents": [],
                "bullets": [{"text": t, "line": 30 + n} for n, t in enumerate(items)]},
        provenance=Provenance(source="notes", path=f"notes/{entity}/log.md", line_start=29, line_end=29 + len(items)),
    )


UNITS = [
    unit(10, "1A", "Let (long-term)", "$1,250/month"),
    unit(11, "2A", "Short-term rental", "$138/night"),
    unit(12, "3A", "Vacant since 2026-10-01", "$1,275/month (asking)"),
    unit(13, "3B", "Maintenance (leak repair)", "$134/night before closure"),
]


def test_units_table_gives_occupancy_as_a_kpi():
    fact = one(assets.analyze(UNITS, ctx()), "occupancy_rate")

    assert (fact.entity, fact.value, fact.unit) == ("flats", Decimal("50.0"), "%")
    assert fact.statement == "Harbor Flats: 2 of 4 units are earning (50.0% occupancy); 1 vacant, 1 closed for work."
    assert "kpi" not in fact.topics  # computed: it counts as the KPI, but KPI sections show what notes state


def test_a_nightly_lets_rooms_table_says_which_are_open_for_bookings_not_an_occupancy():
    # a B&B's rooms: "open" is bookable, not occupied; its occupancy is the nights' share
    rooms = [row(10, entity="bnb", room="1", status="open", rate="€118 per night"),
             row(11, entity="bnb", room="2", status="open (shower fixed 9-11)", rate="€104 per night"),
             row(12, entity="bnb", room="3", status="closed 16-11 → 31-12, bathroom renovation", rate="€132 per night")]
    context = AnalysisContext(as_of=AS_OF, entities={**ENTITIES, "bnb": ("Grachtzicht B&B", "short-let")})

    facts = assets.analyze(rooms, context)

    assert named(facts, "occupancy_rate") == []
    assert one(facts, "units_in_service").statement == (
        "Grachtzicht B&B: 2 of its 3 rooms are open for bookings; room 3 closed for work.")
    assert one(facts, "vacancy").statement.startswith("Grachtzicht B&B: room 3 is closed for work")


def test_vacant_unit_with_monthly_rent_loses_rent_counted_from_its_start():
    fact = next(f for f in named(assets.analyze(UNITS, ctx()), "vacancy") if "3A" in f.statement)

    assert (fact.kind, fact.severity, fact.value) == ("finding", "high", Decimal("1275.00"))
    assert fact.statement == ("Harbor Flats: unit 3A is vacant since 2026-10-01 (53 days): $1,275 a month of rent "
                              "is not coming in, about $2,253 so far.")
    assert fact.sources == ("notes/flats/table.md:12",)


def test_closed_nightly_unit_states_its_nightly_rate():
    fact = next(f for f in named(assets.analyze(UNITS, ctx()), "vacancy") if "3B" in f.statement)

    assert fact.value == Decimal("134")
    assert fact.statement == ("Harbor Flats: unit 3B is closed for work; every night it stays shut forgoes up to "
                              "$134, its rate a night.")


def test_lost_rent_a_month_sums_the_empty_monthly_units():
    fact = one(assets.analyze(UNITS, ctx()), "vacancy_lost_revenue")

    assert fact.value == Decimal("1275.00")


def test_fully_let_building_has_full_occupancy_and_no_vacancy():
    facts = assets.analyze([unit(10, "1A", "Let"), unit(11, "1B", "Occupied")], ctx())

    assert one(facts, "occupancy_rate").value == Decimal("100.0")
    assert named(facts, "vacancy") == named(facts, "vacancy_lost_revenue") == []


def test_bullets_under_a_backlog_heading_are_the_maintenance_backlog_with_quotes():
    section = backlog("Open backlog (3)", "Replace the boiler. Harbor Mechanical quoted $6,800.",
                      "Retile 3B: the total quote is $3,900.", "Fix the loose handrail.")

    fact = one(assets.analyze([section], ctx()), "maintenance_backlog")

    assert (fact.value, fact.unit) == (Decimal(3), "items")
    assert fact.statement == "Harbor Flats has 3 open maintenance items; 2 carry quotes totalling $10,700."


def test_bullets_under_other_headings_are_no_backlog():
    assert named(assets.analyze([backlog("Completed work", "Painted 3A")], ctx()), "maintenance_backlog") == []


@pytest.mark.parametrize(("last", "status", "severity"), [
    ("2026-03-01", "In service", "medium"),               # 267 days: overdue by age
    ("2026-10-21", "Brake warning light", "high"),        # recent, but the status raises an alarm
])
def test_asset_overdue_for_service_by_age_or_status(last, status, severity):
    fleet = [row(10, "vans", van="Van 2", mileage="118,640", last_service=last, status=status),
             row(11, "vans", van="Van 1", mileage="48,210", last_service="2026-09-12", status="In service")]

    fact = one(assets.analyze(fleet, ctx()), "service_overdue")

    assert fact.severity == severity
    assert fact.statement.startswith(f"Quick Vans: Van 2 was last serviced on {last}")


def test_jobs_table_gives_on_time_rate_and_margin_per_job():
    jobs = [
        row(10, "vans", job="J-1", due="2026-11-02", delivered="2026-11-02", price="$200", cost="$120"),
        row(11, "vans", job="J-2", due="2026-11-03", delivered="2026-11-05", price="$150", cost="$180"),
        row(12, "vans", job="J-3", due="2026-11-04", delivered="2026-11-03", price="$250", cost="$100"),
    ]

    facts = assets.analyze(jobs, ctx())

    on_time = one(facts, "on_time_rate")
    assert (on_time.kind, on_time.severity, on_time.value) == ("finding", "medium", Decimal("66.7"))
    assert on_time.statement == "Quick Vans delivered 2 of 3 recorded jobs on time (66.7%)."
    margin = one(facts, "job_margin")
    assert margin.value == Decimal("33.3")  # (600 - 400) / 600
    loss = one(facts, "loss_making_job")
    assert loss.statement == "Quick Vans: job J-2 cost $180 and was billed $150, a loss of $30.00."


def test_a_job_listed_again_in_a_later_note_counts_once():
    week = dict(due="2026-11-02", delivered="2026-11-04", price="$200", cost="$120")
    jobs = [row(10, "vans", path="notes/vans/week-1.md", job="J-1", **week),
            row(10, "vans", path="notes/vans/week-2.md", job="J-1", **week),
            row(11, "vans", path="notes/vans/week-2.md", job="J-2", due="2026-11-09", delivered="2026-11-09")]

    on_time = one(assets.analyze(jobs, ctx()), "on_time_rate")

    assert on_time.statement == "Quick Vans delivered 1 of 2 recorded jobs on time (50.0%)."


def test_all_jobs_on_time_is_a_metric_not_a_finding():
    jobs = [row(10, "vans", job="J-1", due="2026-11-02", delivered="2026-11-01")]

    fact = one(assets.analyze(jobs, ctx()), "on_time_rate")

    assert (fact.kind, fact.severity, fact.value) == ("metric", None, Decimal("100.0"))


def test_no_tables_no_asset_facts():
    assert assets.analyze([row(10, client="A Co", monthly_fee="$100")], ctx()) == []


@pytest.mark.parametrize(("status", "state"), [
    ("Let (long-term)", "earning"), ("Short-term rental", "earning"), ("Vacant", "vacant"),
    ("Available from 1 Dec", "vacant"), ("Closed for renovation", "offline"), ("Out of service", "offline"),
    ("Unknown", None),
])
def test_unit_status_words(status, state):
    assert assets.unit_state(status) == state
