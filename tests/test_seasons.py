"""A revenue fall the business's own notes call its quiet season is said so, not a problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, seasons
from execbrief.model import Fact
from execbrief.sources.values import months_named

CTX = AnalysisContext(as_of=date(2026, 11, 30), entities={"cottage": ("Gull's Rest", "short-let")})


def fall() -> Fact:
    return Fact(id="f-fall", kind="finding", name="revenue_change", entity="cottage", period="2026-11", severity="high",
                value=Decimal("-76.3"), unit="%", topics=("finance", "revenue", "risk"),
                statement="Gull's Rest revenue fell 76.3% from October 2026 to November 2026 (£2,325 to £550).",
                recommendation="Compare occupancy with last year.")


def note(n: int, text: str) -> Fact:
    return Fact(id=f"f-note-{n}", kind="note", name="diary", entity="cottage", topics=("occupancy",),
                statement=f"Gull's Rest — Diary: {text}", sources=(f"notes/diary.md:{n}",))


def run(facts: list[Fact]) -> list[Fact]:
    return [f for part in seasons.parts(facts).values() for f in seasons.analyze(part, CTX)]


def test_a_fall_in_the_month_the_notes_call_quiet_is_no_finding():
    (said,) = run([fall(), note(1, "November is always quiet down here, last year was 3 stays.")])

    assert (said.id, said.kind, said.severity, said.recommendation) == ("f-fall", "metric", None, None)
    assert said.statement.endswith(': its quiet season, as the notes say ("November is always quiet down here, '
                                   'last year was 3 stays").')
    assert "risk" not in said.topics and said.evidence == ("f-note-1",)


def test_another_month_or_a_fall_worse_than_usual_stays_a_finding():
    assert run([fall(), note(1, "January is always quiet down here.")]) == []
    assert run([fall(), note(2, "November is always quiet, but this is worse than usual.")]) == []


def test_a_month_the_notes_call_our_slow_one_the_tail_end_of_the_season_is_quiet_too():
    (said,) = run([fall(), note(1, "November is always our slow month, the tail end of the landscaping season.")])
    assert said.kind == "metric" and "its quiet season" in said.statement
    (tail,) = run([fall(), note(2, "November is the tail end of the season for us.")])
    assert tail.kind == "metric"


def loss() -> Fact:
    return Fact(id="f-loss", kind="finding", name="month_loss", entity="cottage", period="2026-11", severity="high",
                value=Decimal("-908"), unit="GBP", topics=("finance", "profitability", "risk"),
                statement="Gull's Rest lost £908 in November 2026: revenue £0.00, costs £908.")


def test_a_fall_and_a_loss_in_a_month_the_notes_say_it_was_shut_are_what_the_closing_does():
    shut = note(1, "Gull's Rest is shut from 2 Nov to 15 Dec for the new kitchen and shower room.")
    said = {f.id: f for f in run([fall(), loss(), shut])}

    assert {f.kind for f in said.values()} == {"metric"}
    assert said["f-loss"].statement == (
        "Gull's Rest lost £908 in November 2026: revenue £0.00, costs £908: shut that month, as the notes say "
        '("Gull\'s Rest is shut from 2 Nov to 15 Dec for the new kitchen and shower room").')
    assert said["f-fall"].evidence == ("f-note-1",) and "risk" not in said["f-loss"].topics


def test_a_closing_covers_the_months_between_the_two_it_names_and_no_other():
    def said(text: str) -> set[str]:
        return {f.id for f in run([fall(), loss(), note(1, text)])}

    assert said("Closed for the refit from October to January.") == {"f-fall", "f-loss"}
    assert said("Shut over Christmas, 24 Dec to 2 Jan.") == set()
    assert said("Closed the old account in November.") == set()  # no closing of the business
    assert said("The water is shut off until the plumber comes in November.") == set()


def test_a_loss_without_a_fall_in_revenue_is_no_closings():
    # (a business shut for a month has its revenue fall: only those businesses' notes are read)
    assert run([loss(), note(1, "Closed for the refit in November.")]) == []


def test_the_months_a_closing_names_in_order():
    assert months_named("shut from 2 Nov to 15 Dec for the new kitchen") == [11, 12]
    assert months_named("Closed for the refit from October to January, Sept. aside") == [10, 1, 9]
    assert months_named("we may close early; May is quiet") == [5]
