"""A briefing says one thing once: near-duplicates left out of a section (lenses/distinct.py)."""

from __future__ import annotations

from decimal import Decimal

from execbrief.lenses.distinct import distinct, same_thing
from execbrief.model import Fact


def finding(n: int, statement: str, value: str | None, entity: str = "studio", unit: str = "USD") -> Fact:
    return Fact(id=f"f-{n}", kind="finding", name="risk", entity=entity, severity="high", statement=statement,
                value=Decimal(value) if value else None, unit=unit if value else None)


NOTE = finding(1, "Brightline Studio: Pinewood Brewing Co. has not paid since 8 September and owes $2,800.", "2800")
OTHER_NOTE = finding(2, "Brightline Studio: Pinewood Brewing has not paid its October or November retainer, so $2,800 is "
                        "outstanding. Its owner says cash is tight until the holiday season.", "2800")
ROSTER = finding(3, "Brightline Studio: Pinewood Brewing Co. last paid on 2026-09-08, 76 days ago; about $2,800 "
                    "(2 monthly fees of $1,400) is unpaid. Fix: Call Pinewood Brewing Co.", "2800.00")
NAMES = ("Brightline Studio",)


def test_the_same_debt_written_twice_and_found_by_a_rule_is_shown_once():
    kept, dropped = distinct([NOTE, OTHER_NOTE, ROSTER], names=NAMES)

    assert kept == [NOTE] and dropped == 2
    # what another section of the report already shows is not shown again either
    assert distinct([ROSTER], shown=[NOTE], names=NAMES) == ([], 1)


def test_different_things_that_share_words_or_an_amount_are_all_kept():
    unit3 = finding(4, "Birch Lane: u3 vacant since 10/1, asking $1,395/mo", "1395", "birch")
    unit4 = finding(5, "Birch Lane: unit 4 vacant since 11/1, asking $1,395/mo", "1395", "birch")
    other_business = finding(6, "Harbor Flats: Pinewood Brewing Co. owes $2,800.", "2800", "flats")
    other_amount = finding(7, "Brightline Studio: Pinewood Brewing Co. owes $1,400 for October.", "1400")
    no_money = finding(8, "Brightline Studio: Pinewood Brewing Co. has not paid since 8 September.", None)
    count = finding(9, "Brightline Studio: Pinewood Brewing Co. has 4 sites.", "4", unit="site")
    count_again = finding(10, "Brightline Studio: Pinewood Brewing Co. runs 4 sites.", "4", unit="site")

    assert not same_thing(unit3, unit4)  # two numbered things
    kept, dropped = distinct([NOTE, other_business, other_amount, no_money, count, count_again], names=NAMES)
    assert dropped == 0 and len(kept) == 6
    assert distinct([unit3, unit4]) == ([unit3, unit4], 0)


def test_a_long_item_sharing_three_words_and_the_amount_with_another_is_the_same_thing():
    notice = finding(11, "Ledgerlight: Copper Kettle Café gave notice on November 4: December is their last month, "
                         "$600/month gone from January. They're moving their books to a cousin.", "600", "ledger")
    roster = finding(12, "Ledgerlight: Copper Kettle Café ($600 a month) may leave: its contract ends on 2026-12-31, "
                         "in 31 days; its status reads 'Leaving'.", "600", "ledger")
    other = finding(13, "Ledgerlight: Bright Acre Farms ($600 a month) may leave: its contract ends on 2026-12-31.",
                    "600", "ledger")  # (the same amount and words, another client: two shared words, few)

    rule_made = [f.model_copy(update={"name": "churn_risk"}) for f in (roster, other)]

    assert same_thing(notice, roster, frozenset({"ledgerlight"}))
    assert not same_thing(notice, other, frozenset({"ledgerlight"}))
    assert not same_thing(*rule_made, frozenset({"ledgerlight"}))  # one rule's two findings: two clients
    assert same_thing(rule_made[0], rule_made[0])  # (one fact, shown in an earlier section)


def test_nothing_and_an_ended_problem_are_no_amount_to_tell_two_facts_alike_by():
    burn = Fact(id="m-burn", kind="metric", name="monthly_burn", statement="The group burned no cash over "
                "August–October 2026: net cash flow was $6,005 a month.", value=Decimal(0), unit="USD")
    runway = Fact(id="m-runway", kind="metric", name="runway_months", statement="Runway is not computed: the group "
                  "is not burning cash ($18,030 cash, $0.00 monthly burn).", value=Decimal(0), unit="USD")
    deposit = finding(14, "Fenwick Road: Unit B deposit. Daniel Achebe's $1,375 security deposit is still in the "
                          "operating account.", "1375", "fenwick")
    relet = Fact(id="f-relet", kind="note", name="resolved_later", entity="fenwick", value=Decimal(1375), unit="USD",
                 statement="Fenwick Road: Tran (unit B) gave notice — resolved by 2026-11-03: Unit B re-let with no "
                           "gap: Daniel Achebe, $1,375 a month, deposit $1,375.")

    assert not same_thing(burn, runway)
    assert not same_thing(deposit, relet)


def test_a_finding_is_shown_though_a_table_of_the_report_states_its_figure():
    # the monthly table's row and the loss it makes a problem of: the finding says what to do
    row = Fact(id="f-net", kind="metric", name="net", entity="bnb", period="2026-11", value=Decimal("-10370"),
               unit="EUR", statement="Grachtzicht B&B lost €10,370 in November 2026.")
    loss = Fact(id="f-loss", kind="finding", name="month_loss", entity="bnb", period="2026-11", severity="high",
                value=Decimal("-10370"), unit="EUR",
                statement="Grachtzicht B&B lost €10,370 in November 2026: revenue €4,198, costs €14,568.")

    assert distinct([loss], shown=[row], names=("Grachtzicht B&B",)) == ([loss], 0)
    assert distinct([row], shown=[loss], names=("Grachtzicht B&B",)) == ([], 1)  # (the figure, said already)


def test_two_periods_figures_alike_are_two_things():
    def metric(n: int, name: str, period: str, statement: str) -> Fact:
        return Fact(id=f"m-{n}", kind="metric", name=name, entity="studio", period=period, value=Decimal("8850"),
                    unit="USD", statement=statement)

    mrr = metric(1, "mrr", "2026-11-30", "Studio bills $8,850 a month in recurring fees (its MRR, monthly "
                                         "recurring revenue) to 9 clients (client table).")
    september = metric(2, "revenue", "2026-09", "Studio revenue in September 2026 was $8,850 (monthly revenue).")
    assert not same_thing(mrr, september)
    assert same_thing(september, metric(3, "revenue_again", "2026-09", "Studio revenue in September 2026: $8,850 "
                                                                       "(monthly revenue)."))


def test_two_of_the_notes_problems_naming_one_deadline_in_full_are_one_thing():
    kitchen = finding(11, "Brennan Events: Declan's food hygiene certificate expires January 15, 2027. Course dates "
                          "Dec 8 or Jan 6, $179. Book the December one.", "179", "events")
    pack = finding(12, "Brennan Events: Declan's food hygiene certificate (ServSafe Manager) expires January 15, 2027; "
                       "the kitchen will not let us cook without a certified manager.", None, "events")
    other_day = finding(13, "Brennan Events: Declan's food hygiene certificate expires March 2, 2027.", None, "events")
    other_matter = finding(14, "Brennan Events: the van's insurance renews January 15, 2027.", None, "events")

    assert distinct([kitchen, pack], names=("Brennan Events",)) == ([kitchen], 1)
    assert distinct([kitchen, other_day, other_matter], names=("Brennan Events",)) == ([kitchen, other_day, other_matter], 0)
