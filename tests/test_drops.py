"""A fall in revenue a client who left explains names the client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, drops
from execbrief.model import Fact

CTX = AnalysisContext(as_of=date(2026, 11, 30), entities={"studio": ("Kim Web Studio", "agency"),
                                                           "flats": ("Mill Lane Flats", "rental")})


def revenue(entity: str, month: str, value: str) -> Fact:
    return Fact(id=f"f-rev-{entity}-{month}", kind="metric", name="revenue", entity=entity, period=month,
                value=Decimal(value), unit="USD", statement=f"revenue in {month} was {value}.", topics=("finance",))


def fall(entity: str) -> Fact:
    return Fact(id=f"f-fall-{entity}", kind="finding", name="revenue_change", entity=entity, period="2026-11",
                severity="high", value=Decimal("-33.6"), unit="%", topics=("finance", "revenue", "risk"),
                statement="Kim Web Studio revenue fell 33.6% from October 2026 to November 2026 ($5,956 to $3,956).",
                recommendation="Find out which clients or channels drove Kim Web Studio's drop and act on the largest.")


def row(entity: str, n: int, text: str) -> Fact:
    return Fact(id=f"f-row-{entity}-{n}", kind="note", name="table_row", entity=entity, topics=("clients",),
                statement=f"Kim Web Studio — Kim Web Studio clients (Alex): {text}.")


def run(facts: list[Fact]) -> dict[str, Fact]:
    out = {}
    for part in drops.parts(facts).values():
        out.update((f.id, f) for f in drops.analyze(part, CTX))
    return out


def test_a_fall_the_gone_clients_fees_add_up_to_names_them():
    facts = [revenue("studio", "2026-10", "5956.20"), revenue("studio", "2026-11", "3956.20"), fall("studio"),
             row("studio", 1, "Brightline Dental (monthly fee $2,500/month; paid by ACH; status active)"),
             row("studio", 2, "Pecan Street Realty (monthly fee $2,000/month; paid by ACH; status gone, left end of October)")]

    (explained,) = run(facts).values()

    assert explained.id == "f-fall-studio" and explained.severity == "high"  # it takes the finding's place
    assert explained.statement.endswith(": Pecan Street Realty ($2,000 a month) left, as the client table says, "
                                        "which is the fall.")
    assert explained.recommendation == "Replace the $2,000 a month Pecan Street Realty paid: a new client, or more work from the others."


def test_fees_that_do_not_add_up_to_the_fall_or_a_let_building_s_fall_are_left_alone():
    small = [revenue("studio", "2026-10", "9000"), revenue("studio", "2026-11", "4000"), fall("studio"),
             row("studio", 2, "Pecan Street Realty (monthly fee $2,000/month; status gone)")]
    flats = [revenue("flats", "2026-10", "3950"), revenue("flats", "2026-11", "2700"), fall("flats"),
             row("flats", 2, "Unit 2 (rent $1,250/month; status gone)")]

    assert run(small) == {} and run(flats) == {}


def test_a_let_buildings_fall_its_units_unpaid_rent_adds_up_to_names_them():
    facts = [revenue("flats", "2026-10", "3950"), revenue("flats", "2026-11", "2700"), fall("flats"),
             row("flats", 1, "Unit 1 (tenant A. Osei; rent $1,400/month; status let)"),
             row("flats", 2, "Unit 2 (tenant C. Dwyer; rent $1,250/month; status 🔴 arrears; notes November rent unpaid)")]

    (explained,) = run(facts).values()

    assert explained.id == "f-fall-flats"
    assert explained.statement.endswith(": Unit 2's $1,250 a month is unpaid (in arrears, as the unit table says), "
                                        "which is the fall.")
    assert explained.recommendation == ("Collect the $1,250 of rent Unit 2 owes: chase the tenant, and send a formal "
                                        "arrears letter if it is still unpaid.")
    assert explained.evidence[-1] == "f-row-flats-2"
    # rent unpaid that is not the fall, or a client late to pay an agency: no reading of the fall
    small = [*facts[:3], row("flats", 2, "Unit 2 (rent $400/month; status late)")]
    studio = [revenue("studio", "2026-10", "5956"), revenue("studio", "2026-11", "3956"), fall("studio"),
              row("studio", 2, "Pecan Street Realty (monthly fee $2,000/month; status late)")]
    assert run(small) == {} and run(studio) == {}


def test_a_unit_whose_tenant_owes_rent_or_has_given_notice_is_let():
    from execbrief.analyzers.assets import unit_state

    for status in ("🔴 arrears", "late", "nov unpaid (#1142)", "notice given, moving out 2026-12-15", "leaving"):
        assert unit_state(status) == "earning", status
    assert unit_state("vacant since 2026-10-01") == "vacant" and unit_state("closed for repairs") == "offline"


def test_two_units_unpaid_rents_that_are_the_fall_are_named_together():
    facts = [revenue("flats", "2026-10", "3950"), revenue("flats", "2026-11", "1800"), fall("flats"),
             row("flats", 1, "Unit 1 (rent $1,000/month; status late)"),
             row("flats", 2, "Unit 2 (rent $1,150/month; status 🔴 arrears)")]
    (explained,) = run(facts).values()
    assert explained.statement.endswith(": Unit 1's $1,000 a month and Unit 2's $1,150 a month are unpaid (in "
                                        "arrears, as the unit table says), which is the fall.")
    assert explained.recommendation.startswith("Collect the $2,150 of rent Unit 1 and Unit 2 owe: ")
