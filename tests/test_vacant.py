"""A let unit the notes say is empty, where no unit table says so, is a vacancy with its rent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, registered, vacant
from execbrief.model import Fact

CTX = AnalysisContext(as_of=date(2026, 11, 30), entities={"flats": ("Marsh Lane Flats", "rental"),
                                                           "crew": ("Quayside Cleaning", "delivery")})


def risk(n: int, entity: str, text: str, day: str = "2026-11-16") -> Fact:
    return Fact(id=f"f-risk-{n}", kind="finding", name="risk", entity=entity, severity="high", period=day,
                statement=f"{CTX.entity_name(entity)}: {text}", topics=("occupancy", "risk"), sources=(f"notes/x.md:{n}",))


def run(facts: list[Fact]) -> list[Fact]:
    rule = next(r for r in registered() if r.name == "vacant")  # (its parts, for the businesses it serves)
    return [f for part in rule.parts(facts, CTX).values() for f in vacant.analyze(part, CTX)]


def test_a_unit_the_notes_call_vacant_with_its_asking_rent_is_a_vacancy():
    facts = [risk(1, "flats", "Flat 2 has been vacant since 1 November. Listed at $1,300 a month on Zillow."),
             risk(2, "flats", "Flats are damp in winter, $400 for a dehumidifier."),  # no unit said empty
             risk(3, "crew", "Unit 4 of the depot is empty, $900 a month.")]  # a courier lets nothing

    (found,) = run(facts)

    assert (found.name, found.kind, found.entity, found.value, found.severity) == (
        "vacancy", "finding", "flats", Decimal("1300"), "high")
    assert found.statement == ("Marsh Lane Flats: Flat 2 has been vacant since 1 November. Listed at $1,300 a month on "
                               "Zillow — Flat 2 is vacant: $1,300 a month of rent is not coming in.")
    assert found.evidence == ("f-risk-1",)


def test_a_unit_table_s_vacancies_are_the_record():
    tabled = Fact(id="f-vac", kind="finding", name="vacancy", entity="flats", severity="high", value=Decimal("1250"),
                  unit="USD", statement="Marsh Lane Flats: unit Flat 3 is vacant.", topics=("revenue",))
    facts = [tabled, risk(1, "flats", "Flat 2 has been vacant since 1 November, asking $1,300 a month.")]

    assert run(facts) == []


def note(n: int, entity: str, text: str, day: str = "2026-11-03") -> Fact:
    return Fact(id=f"f-note-{n}", kind="note", name="diary", entity=entity, period=day,
                statement=f"{CTX.entity_name(entity)} — Diary: {text}", sources=(f"notes/p{n}.md:9",))


def test_a_vacancy_line_without_its_rent_takes_the_rent_another_line_asks_for_the_unit():
    facts = [risk(1, "flats", "FR - Flat B vacant since 11/1."),
             note(2, "flats", "Listed Flat B on Zillow + the FB group, asking $1,400 a month, same as Dana paid."),
             note(3, "flats", "Council tax for Flat C is on us while it's empty. $138 a month."),  # no rent
             risk(4, "flats", "Flat C vacant too.")]

    (found,) = run(facts)

    assert (found.value, found.evidence, found.sources) == (
        Decimal("1400"), ("f-risk-1", "f-note-2"), ("notes/x.md:1", "notes/p2.md:9"))
    assert found.statement == ("Marsh Lane Flats: FR - Flat B vacant since 11/1 — Flat B is vacant: $1,400 a month of "
                               "rent is not coming in (its asking rent, as notes/p2.md:9 says).")
