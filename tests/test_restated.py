"""KPIs in money the notes state again: the latest figure stands, earlier ones are history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, restated
from execbrief.model import Fact

CTX = AnalysisContext(as_of=date(2026, 11, 30), entities={"flats": ("Mill Lane Flats", "rental")})


def stated(fact_id: str, value: str, day: str, entity: str | None = None, name: str = "cash_balance",
           unit: str = "USD") -> Fact:
    return Fact(id=fact_id, kind="metric", name=name, entity=entity, value=Decimal(value), unit=unit, period=day,
                statement=f"Group {name}: {value} (stated in notes/weekly.md:3 on {day}).", topics=("cash", "kpi"))


def run(facts: list[Fact]) -> list[Fact]:
    out = []
    for part in restated.parts(facts).values():
        out += restated.analyze(part, CTX)
    return out


def test_the_latest_balance_stands_and_the_earlier_ones_become_notes():
    facts = [stated("f-1", "20373", "2026-11-06"), stated("f-2", "15190", "2026-11-20"),
             stated("f-3", "18030", "2026-11-30"), stated("f-flats", "2340", "2026-11-02", entity="flats")]

    earlier = {f.id: f for f in run(facts)}

    assert sorted(earlier) == ["f-1", "f-2"]  # each business's own: the flats' one balance stands
    assert (earlier["f-1"].kind, earlier["f-1"].name, "kpi" in earlier["f-1"].topics) == ("note", "stated_before", False)
    assert earlier["f-1"].statement.endswith("; a later figure replaces it.")


def test_the_ledgers_cash_on_a_later_day_replaces_an_older_stated_balance():
    ledger = Fact(id="f-ledger", kind="metric", name="cash_balance", value=Decimal("42367"), unit="USD",
                  period="2026-11-30", statement="Cash on 2026-11-30 is $42,367: the opening balance plus …")
    facts = [stated("f-old", "51000", "2026-11-06"), ledger]

    assert [f.id for f in run(facts)] == ["f-old"]  # the ledger's own figure is never replaced


def test_a_rate_stated_month_after_month_is_a_series_and_stays():
    facts = [stated("f-sep", "66", "2026-10-02", name="occupancy_rate", unit="%"),
             stated("f-oct", "58", "2026-11-02", name="occupancy_rate", unit="%")]

    assert run(facts) == []


def test_a_balance_no_day_dates_yields_to_one_a_day_does():
    undated = Fact(id="f-recap", kind="metric", name="cash_balance", value=Decimal("52000"), unit="USD", period=None,
                   statement="Group cash balance: $52,000 (stated in notes/2025-season-recap.md:21).",
                   topics=("cash", "kpi"))
    ledger = Fact(id="f-ledger", kind="metric", name="cash_balance", value=Decimal("46544"), unit="USD",
                  period="2026-11-30", statement="Cash on 2026-11-30 is $46,544: the opening balance plus …")

    assert [(f.id, f.name) for f in run([undated, ledger])] == [("f-recap", "stated_before")]
    assert run([undated]) == []  # alone, it is the only figure there is
