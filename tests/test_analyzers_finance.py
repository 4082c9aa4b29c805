"""Finance rules: monthly and window results, trends, and what the books lack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, analyze, finance
from execbrief.model import Evidence, Provenance
from ledger_helpers import Ledger, find, named

AS_OF = date(2026, 11, 23)
ENTITIES = {"alpha": ("Alpha Rentals", "rental"), "beta": ("Beta Delivery", "delivery")}


def ctx(**changes: object) -> AnalysisContext:
    fields: dict[str, object] = {"as_of": AS_OF, "entities": ENTITIES}
    fields.update(changes)
    return AnalysisContext(**fields)  # type: ignore[arg-type]


def test_monthly_revenue_costs_and_net_per_entity_are_exact_decimals():
    book = Ledger()
    book.add("2026-09-02", "1000.10")
    book.add("2026-09-15", "250.05")
    book.add("2026-09-20", "-300.33", account="Repairs", category="maintenance")
    book.add("2026-10-01", "99.99")

    facts = finance.analyze(book.rows, ctx())

    revenue = find(facts, "revenue", period="2026-09")
    costs = find(facts, "costs", period="2026-09")
    net = find(facts, "net", period="2026-09")
    assert revenue.value == Decimal("1250.15")
    assert costs.value == Decimal("300.33")
    assert net.value == Decimal("949.82")
    assert all(isinstance(f.value, Decimal) for f in (revenue, costs, net))
    assert (revenue.kind, revenue.unit) == ("metric", "USD")
    assert revenue.statement == "Alpha Rentals revenue in September 2026 was $1,250."
    assert find(facts, "revenue", period="2026-10").value == Decimal("99.99")


def test_a_loss_month_says_lost():
    book = Ledger()
    book.add("2026-10-02", "100")
    book.add("2026-10-03", "-350", account="Repairs")

    net = find(finance.analyze(book.rows, ctx()), "net", period="2026-10")

    assert net.value == Decimal("-250")
    assert net.statement == "Alpha Rentals lost $250 in October 2026."


def test_a_business_whose_latest_month_lost_money_has_a_finding_of_it():
    book = Ledger()
    book.add("2026-09-02", "2000")
    book.add("2026-09-03", "-500", account="Rent", category="Rent")
    book.add("2026-10-02", "1900")  # revenue fell 5%: the loss is costs, so it says what to check
    book.add("2026-10-03", "-2500", account="Rent", category="Rent")
    book.add("2026-10-02", "1000", entity="beta")
    book.add("2026-10-03", "-1200", entity="beta", account="Wages", category="Wages")
    book.add("2026-09-02", "3000", entity="beta")

    facts = finance.analyze(book.rows, ctx())

    loss = find(facts, "month_loss", period="2026-10")
    assert (loss.kind, loss.severity, loss.value) == ("finding", "medium", Decimal("-600"))
    assert loss.statement == "Alpha Rentals lost $600 in October 2026: revenue $1,900, costs $2,500."
    assert "season" in loss.recommendation
    beta = find(facts, "month_loss", entity="beta", period="2026-10")
    assert beta.severity == "medium" and beta.recommendation is None  # revenue fell 67%: that finding says what to do
    assert not [f for f in named(facts, "month_loss") if f.period == "2026-09"]  # only the latest month


def test_software_and_hosting_costs_are_said_for_the_cto():
    book = Ledger()
    for month in ("09", "10"):
        book.add(f"2026-{month}-01", "5000")
        book.add(f"2026-{month}-02", "-480", account="Amex", category="Software")
        book.add(f"2026-{month}-03", "-30", account="Amex", category="Web hosting")
        book.add(f"2026-{month}-04", "-1200", account="Checking", category="Rent")

    fact = find(finance.analyze(book.rows, ctx()), "software_cost")

    assert (fact.value, "tech" in fact.topics) == (Decimal("1020"), True)
    assert fact.statement == ("Alpha Rentals paid $1,020 for software and hosting over September–October 2026: "
                              "Software $960 (2 transactions); Web hosting $60.00 (2 transactions).")


def test_a_holding_company_paying_its_fees_is_no_month_lost():
    book = Ledger()
    for month in ("09", "10"):
        book.add(f"2026-{month}-28", "-25", entity="holdco", account="Bank fees", category="Bank fees")
    facts = finance.analyze(book.rows, ctx(entities={**ENTITIES, "holdco": ("Kestrel Holdings", "holding")}))

    assert find(facts, "net", entity="holdco", period="2026-10").value == Decimal("-25")  # the figure stands
    assert named(facts, "month_loss") == []  # it earns nothing by design: no shortfall, no advice to cut


def test_costs_by_category_and_what_refunds_took_from_revenue():
    book = Ledger()
    book.add("2026-10-01", "5000", category="Sales")
    book.add("2026-10-02", "-1200", account="Checking", category="Wages")
    book.add("2026-10-03", "-300", account="Checking", category="Rent")
    book.add("2026-10-04", "-1100", account="Checking", category="Rent")
    book.add("2026-10-05", "-95", account="Checking", category="Loan interest")
    book.add("2026-10-06", "-180", account="Square", category="Chargeback")
    book.add("2026-10-07", "-2000", account="Checking", category="Owner draw")  # moves cash only
    book.add("2026-10-08", "-40", entity="beta", account="Checking", category="Fuel")

    facts = finance.analyze(book.rows, ctx())

    costs = find(facts, "costs_by_category")
    assert costs.value == Decimal("2695")
    assert costs.statement == ("Alpha Rentals' costs over October 2026 by category: Rent $1,400; Wages $1,200; "
                               "Loan interest $95.00 ($2,695 in all).")
    refunds = find(facts, "revenue_reductions")
    assert refunds.statement == ("Refunds and chargebacks took $180 from Alpha Rentals' revenue over October 2026 "
                                 "(1 transaction: Chargeback $180).")
    assert not [f for f in named(facts, "costs_by_category") if f.entity == "beta"]  # one category: nothing to break down


def test_organisation_wide_monthly_facts_only_with_more_than_one_entity():
    single = Ledger()
    single.add("2026-10-02", "100")
    assert [f for f in finance.analyze(single.rows, ctx()) if f.entity is None and f.name == "revenue"] == []

    both = Ledger()
    both.add("2026-10-02", "100", "alpha")
    both.add("2026-10-03", "40.50", "beta")
    both.add("2026-10-04", "-10", "beta", account="Fuel")
    facts = finance.analyze(both.rows, ctx())

    assert find(facts, "revenue", None, "2026-10").value == Decimal("140.50")
    assert find(facts, "costs", None, "2026-10").value == Decimal("10")
    assert find(facts, "net", None, "2026-10").value == Decimal("130.50")
    assert find(facts, "revenue", None, "2026-10").statement.startswith("All businesses revenue")


def test_the_month_in_progress_is_shown_month_to_date_and_left_out_of_the_monthly_figures():
    book = Ledger()
    book.add("2026-10-02", "100")
    book.add("2026-11-01", "500")
    book.add("2026-11-20", "-80", account="Repairs")
    book.add("2026-12-01", "700")  # after the as-of month: left out, and said so

    facts = finance.analyze(book.rows, ctx())

    assert {f.period for f in named(facts, "revenue")} == {"2026-10"}
    assert find(facts, "revenue_total").value == Decimal("100")
    mtd = find(facts, "month_to_date")
    assert (mtd.kind, mtd.period, mtd.value) == ("metric", "2026-11", Decimal("420"))
    assert mtd.statement.startswith("Alpha Rentals, month to date (1–23 November 2026, 2 transactions): "
                                    "revenue $500, costs $80.00, net $420.")
    assert "not in the monthly figures yet" in mtd.statement
    later = find(facts, "rows_after_as_of", None)
    assert (later.kind, later.value) == ("note", Decimal(1))
    assert named(facts, "missing_period") == named(facts, "month_in_progress") == []


@pytest.mark.parametrize("as_of", [date(2026, 11, 30), date(2026, 11, 27)])
def test_the_as_of_month_is_complete_on_its_last_day_or_when_the_ledger_ends_on_it(as_of):
    book = Ledger()
    book.add("2026-10-02", "1000")
    book.add("2026-10-03", "-200", account="Repairs")
    book.add("2026-11-02", "1000")
    book.add("2026-11-30", "-3000", account="Repairs")  # the ledger's last day: 30 November

    facts = finance.analyze(book.rows, ctx(as_of=as_of))

    assert find(facts, "net", period="2026-11").value == Decimal("-2000")
    assert find(facts, "net_total").value == Decimal("-1200")
    assert named(facts, "month_to_date") == []


def test_a_month_with_rows_after_its_last_ledger_day_is_month_to_date_until_it_ends():
    book = Ledger()
    book.add("2026-10-02", "1000")
    book.add("2026-11-20", "500")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 29)))

    assert {f.period for f in named(facts, "revenue")} == {"2026-10"}
    assert find(facts, "month_to_date").statement.startswith("Alpha Rentals, month to date (1–29 November 2026")


def test_window_totals_and_net_margin():
    book = Ledger()
    book.add("2026-08-01", "1000")
    book.add("2026-08-02", "-250", account="Cleaning")
    book.add("2026-09-01", "1000")
    book.add("2026-10-01", "1000")
    book.add("2026-10-05", "-500", account="Repairs")

    facts = finance.analyze(book.rows, ctx())

    period = "2026-08..2026-10"
    assert find(facts, "revenue_total", period=period).value == Decimal("3000")
    assert find(facts, "costs_total", period=period).value == Decimal("750")
    net = find(facts, "net_total", period=period)
    assert (net.kind, net.value, net.severity) == ("metric", Decimal("2250"), None)
    margin = find(facts, "net_margin", period=period)
    assert (margin.value, margin.unit) == (Decimal("75.0"), "%")
    assert margin.statement == "Alpha Rentals net margin over August–October 2026 was 75.0%."


def test_loss_making_window_is_a_high_severity_net_total_finding():
    book = Ledger()
    book.add("2026-09-01", "400")
    book.add("2026-10-01", "-1000", account="Repairs")

    net = find(finance.analyze(book.rows, ctx()), "net_total")

    assert net.kind == "finding"
    assert net.severity == "high"
    assert net.value == Decimal("-600")
    assert "risk" in net.topics
    assert net.recommendation
    assert net.statement == "Alpha Rentals lost $600 over September–October 2026."


def test_a_loss_that_one_large_cost_makes_asks_whether_it_is_a_one_off_not_to_break_even_or_stop():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "3000")
        book.add(f"2026-{month}-05", "-1000", account="Mortgage interest", category="Interest")
        book.add(f"2026-{month}-09", "-4000", "beta", account="Wages")
        book.add(f"2026-{month}-10", "3500", "beta")
    book.add("2026-10-12", "-9400", account="Roof replacement")
    book.add("2026-10-30", "-4000", "beta", account="Wages")  # a month of five Fridays: not a one-off

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    roof = find(facts, "net_total")
    assert (roof.kind, roof.severity, roof.value) == ("finding", "medium", Decimal("-3400"))
    assert roof.statement == ("Alpha Rentals lost $3,400 over September–November 2026, from one large cost: Roof "
                              "replacement of $9,400 in October 2026; without it, Alpha Rentals netted $6,000.")
    assert "one-off" in roof.recommendation and "break even" not in roof.recommendation
    wages = find(facts, "net_total", "beta")
    assert (wages.severity, wages.statement) == ("high", "Beta Delivery lost $5,500 over September–November 2026.")
    # nor is the group's runway taken at a burn a third of the roof makes a month: a twelfth of it
    with_cash = finance.analyze(book.rows + [opening("5000", "2026-11-30")], ctx(as_of=date(2026, 11, 30)))
    assert find(with_cash, "monthly_burn", entity=None).value == Decimal("2966.67")  # the cash that went
    assert find(with_cash, "runway_months", entity=None).statement == (
        "Counting Alpha Rentals' $9,400 of Roof replacement in October 2026 as a year's cost, not these months', the "
        "group burned $617 a month: cash of $5,000 lasts 8.1 months, to about 2027-08-03.")  # $2,966.67 - $2,350


def test_a_business_that_opened_within_the_ledger_says_so_and_what_only_its_first_month_paid():
    book = Ledger()
    for month in ("08", "09", "10", "11"):
        book.add(f"2026-{month}-01", "3000")  # Alpha runs all along
        book.add(f"2026-{month}-05", "-1000", account="Repairs")
    for month in ("10", "11"):  # Beta opens in October
        book.add(f"2026-{month}-03", "1200", "beta")
        book.add(f"2026-{month}-09", "-1500", "beta", account="Wages")
    book.add("2026-10-04", "-2160", "beta", account="Insurance")  # a year's premium, paid once
    book.add("2026-10-06", "-640", "beta", account="Advertising")  # launch signage

    new = find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "net_total", "beta")

    assert (new.kind, new.severity, new.value) == ("finding", "medium", Decimal("-3400"))
    assert new.statement == ("Beta Delivery lost $3,400 over October–November 2026, its first 2 months (no rows "
                             "before October 2026); costs of October 2026 only, its set-up: Insurance $2,160, "
                             "Advertising $640.")
    assert "break even by" in new.recommendation and "stop" not in new.recommendation
    # its burn is a month of its own months, not of the group's before it opened
    burn = find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "monthly_burn", "beta")
    assert burn.value == Decimal("1700") and burn.period == "2026-10..2026-11"
    assert burn.statement.startswith("Beta Delivery burned $1,700 a month on average over October–November 2026")
    # a business there all along, losing the same, is told as before
    for month in ("08", "09"):
        book.add(f"2026-{month}-03", "10", "beta", account="Sales")
    assert find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "net_total", "beta").severity == "high"


def test_a_revenue_fall_the_months_costs_dwarf_or_a_holdings_is_no_finding():
    book = Ledger()
    for month, interest, fees in (("10", "3.00", "900"), ("11", "2.00", "400")):
        book.add(f"2026-{month}-01", interest, account="Interest income")
        book.add(f"2026-{month}-05", "-1000", account="Property tax")
        book.add(f"2026-{month}-02", fees, "beta")  # a fall of $500 against $1,000 of costs: material
        book.add(f"2026-{month}-09", "-1000", "beta", account="Wages")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "revenue_change").kind == "metric"  # $3 to $2 of interest beside $1,000 of costs
    assert find(facts, "revenue_change", "beta").kind == "finding"
    # a holding's earnings falling by half of its costs: still what little it earns, not a business's revenue
    fees = Ledger()
    for month, earned in (("10", "900"), ("11", "400")):
        fees.add(f"2026-{month}-01", earned, account="Management fees")
        fees.add(f"2026-{month}-05", "-1000", account="Property tax")
    holding = finance.analyze(fees.rows, ctx(as_of=date(2026, 11, 30), entities={
        "alpha": ("Alpha Holdings", "holding"), "beta": ("Beta Delivery", "delivery")}))
    assert find(holding, "revenue_change").kind == "metric"
    assert not named(holding, "net_margin")  # (what it earns is incidental: a margin of it says nothing)
    assert find(finance.analyze(fees.rows, ctx(as_of=date(2026, 11, 30))), "revenue_change").kind == "finding"


def test_a_latest_month_that_one_large_cost_makes_a_loss_says_so():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "3000")
        book.add(f"2026-{month}-05", "-1000", account="Cleaning")
    book.add("2026-11-18", "-9400", account="Roof repairs")  # the window still made money: $1,400
    book.add("2026-11-20", "-800", "beta", account="Wages")  # no large cost: a loss as ever

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    loss = find(facts, "month_loss")
    assert (loss.severity, loss.value) == ("medium", Decimal("-7400"))
    assert loss.statement == ("Alpha Rentals lost $7,400 in November 2026, from one large cost: Roof repairs of "
                              "$9,400; without it, Alpha Rentals netted $2,000 (revenue $3,000, costs $10,400).")
    assert "one-off" in loss.recommendation
    assert find(facts, "month_loss", "beta").statement == (
        "Beta Delivery lost $800 in November 2026: revenue $0.00, costs $800.")


def test_no_margin_without_revenue():
    book = Ledger()
    book.add("2026-10-01", "-100", account="Repairs")

    assert named(finance.analyze(book.rows, ctx()), "net_margin") == []


def _two_months(before: str, after: str) -> list[Fact]:
    book = Ledger()
    book.add("2026-09-10", before)
    book.add("2026-10-10", after)
    return finance.analyze(book.rows, ctx())


@pytest.mark.parametrize(
    ("after", "change", "kind", "severity"),
    [
        ("1100", "10.0", "metric", None),
        ("910", "-9.0", "metric", None),
        ("900", "-10.0", "finding", "medium"),
        ("760", "-24.0", "finding", "medium"),
        ("750", "-25.0", "finding", "high"),
        ("200", "-80.0", "finding", "high"),
    ],
)
def test_revenue_change_thresholds(after, change, kind, severity):
    fact = find(_two_months("1000", after), "revenue_change", period="2026-10")

    assert fact.value == Decimal(change)
    assert fact.unit == "%"
    assert fact.kind == kind
    assert fact.severity == severity
    assert (fact.recommendation is not None) == (severity is not None)


def test_revenue_rise_is_a_metric_saying_rose():
    fact = find(_two_months("1000", "1250"), "revenue_change")

    assert fact.kind == "metric"
    assert "rose 25.0%" in fact.statement
    assert "risk" not in fact.topics


def test_revenue_drop_statement_says_fell_with_both_amounts():
    fact = find(_two_months("1000", "700"), "revenue_change")

    assert fact.statement == (
        "Alpha Rentals revenue fell 30.0% from September 2026 to October 2026 ($1,000 to $700)."
    )


def test_revenue_that_did_not_change_is_said_unchanged_not_rose_0_percent():
    fact = find(_two_months("3700", "3700"), "revenue_change")

    assert (fact.kind, fact.value) == ("metric", Decimal("0.0"))
    assert fact.statement == "Alpha Rentals revenue was unchanged from September 2026 to October 2026 ($3,700 each month)."


def test_no_revenue_change_from_a_zero_month():
    book = Ledger()
    book.add("2026-09-10", "-50", account="Repairs")
    book.add("2026-10-10", "500")

    assert named(finance.analyze(book.rows, ctx()), "revenue_change") == []


def test_fact_ids_are_stable_across_calls():
    book = Ledger()
    book.add("2026-09-01", "100")
    book.add("2026-10-01", "-20", account="Hosting")

    first = finance.analyze(book.rows, ctx())
    second = finance.analyze(list(reversed(book.rows)), ctx())

    assert [f.id for f in first] == [f.id for f in second]
    assert first == second


def test_fact_ids_differ_across_entities_and_periods():
    book = Ledger()
    book.add("2026-09-01", "100", "alpha")
    book.add("2026-10-01", "100", "alpha")
    book.add("2026-09-01", "100", "beta")
    book.add("2026-10-01", "100", "beta")

    facts = finance.analyze(book.rows, ctx())

    revenue = named(facts, "revenue")
    assert len(revenue) == 6  # 2 entities + all businesses, 2 months each
    assert len({f.id for f in revenue}) == 6
    assert len({f.id for f in facts}) == len(facts)


def test_inflow_and_outflow_by_account_with_hosting_tagged_tech():
    book = Ledger()
    book.add("2026-09-01", "-40", account="Hosting")
    book.add("2026-10-01", "-60.50", account="Hosting")
    book.add("2026-10-02", "900", account="Rental income")

    facts = finance.analyze(book.rows, ctx())

    hosting = find(facts, "outflow_by_account")
    assert hosting.value == Decimal("-100.50")
    assert "tech" in hosting.topics
    assert "cost" in hosting.topics
    assert "operations" not in hosting.topics
    assert "paid $101 for Hosting" in hosting.statement
    income = find(facts, "inflow_by_account")
    assert income.value == Decimal("900")
    assert "revenue" in income.topics
    assert "tech" not in income.topics


def test_a_bank_account_with_money_both_ways_says_both_and_the_net():
    book = Ledger()
    book.add("2026-10-02", "19200", account="Okoro business checking", category="Consulting revenue")
    book.add("2026-10-09", "-1005", account="Okoro business checking", category="Software")

    facts = finance.analyze(book.rows, ctx())

    assert find(facts, "inflow_by_account").statement == (
        "Alpha Rentals: $19,200 of revenue came in and $1,005 of costs went out through Okoro business checking "
        "over October 2026 (2 transactions), net $18,195.")
    book.add("2026-10-12", "-95", "beta", account="Holdings Checking x4408", category="Bank fees")
    book.add("2026-10-14", "-40", "beta", account="Bank fees")
    by_account = {f.statement for f in finance.analyze(book.rows, ctx()) if f.entity == "beta"}
    # a bank's account is where costs went out through; a chart's account is what they were for
    assert "Beta Delivery: $95.00 of costs went out through Holdings Checking x4408 over October 2026 (1 transaction)." in by_account
    assert "Beta Delivery paid $40.00 for Bank fees over October 2026 (1 transaction)." in by_account


def test_no_transactions_no_facts():
    note = Evidence(id="n1", source="notes", kind="document", record={},
                    provenance=Provenance(source="notes", path="notes/a.md"))

    assert finance.analyze([note], ctx()) == []


def test_currency_from_context_is_the_unit():
    book = Ledger()
    book.add("2026-10-01", "100")

    revenue = find(finance.analyze(book.rows, ctx(currency="EUR")), "revenue")

    assert revenue.unit == "EUR"
    assert revenue.statement.endswith("was €100.")


def test_ledger_without_entities_still_gets_monthly_facts():
    book = Ledger()
    book.add("2026-09-01", "100", None)
    book.add("2026-10-01", "200", None)

    facts = finance.analyze(book.rows, ctx())

    # window facts exist for the entity-less rows, so monthly ones should too
    assert find(facts, "revenue_total", None).value == Decimal("300")
    assert find(facts, "revenue", None, "2026-10").value == Decimal("200")


# -- cash, burn and runway --------------------------------------------------------------

def opening(amount: str, day: str, line: int = 12) -> Evidence:
    """The opening-cash item the ledger source makes from execbrief.toml."""
    return Evidence(
        id="ev-opening", source="ledger", kind="resource", text="Opening cash",
        record={"type": "opening_cash", "amount": amount, "date": day},
        provenance=Provenance(source="ledger", path="execbrief.toml", line_start=line, line_end=line),
    )


def burning_book(net_per_month: str = "-1000") -> Ledger:
    """Aug-Oct 2026 with the given net per month for alpha, plus November rows."""
    book = Ledger()
    for month in ("2026-08", "2026-09", "2026-10"):
        book.add(f"{month}-05", "3000")
        book.add(f"{month}-06", str(Decimal(net_per_month) - 3000), account="Rent", category="operating")
    book.add("2026-11-10", "-500", account="Rent", category="operating")
    book.add("2026-12-02", "-9999", account="Rent", category="operating")  # after the as-of date
    return book


def test_group_burn_is_the_average_net_outflow_of_the_last_three_complete_months():
    fact = find(finance.analyze(burning_book().rows, ctx()), "monthly_burn", entity=None)

    assert (fact.value, fact.unit, fact.period) == (Decimal("1000.00"), "USD", "2026-08..2026-10")
    assert fact.statement == "The group burned $1,000 a month on average over August–October 2026 (net of revenue)."


def test_a_profitable_group_burns_nothing_and_gets_no_runway():
    book = burning_book("500")
    facts = finance.analyze(book.rows + [opening("10000", "2026-11-01")], ctx())

    assert find(facts, "monthly_burn", entity=None).value == 0
    runway = find(facts, "runway_months", entity=None)
    assert (runway.kind, runway.value) == ("note", None)
    assert "not burning cash" in runway.statement


def test_each_business_that_burns_gets_its_own_burn():
    book = burning_book()
    book.add("2026-10-07", "5000", entity="beta")

    facts = finance.analyze(book.rows, ctx())

    assert find(facts, "monthly_burn", entity="alpha").value == Decimal("1000.00")
    assert named(facts, "monthly_burn") and not [f for f in named(facts, "monthly_burn") if f.entity == "beta"]


def test_cash_is_the_opening_balance_plus_transactions_since_up_to_the_as_of_date():
    book = burning_book()
    facts = finance.analyze(book.rows + [opening("20000", "2026-10-01")], ctx())

    cash = find(facts, "cash_balance", entity=None)
    # October's +3,000 and -4,000, November's -500; the row dated after 2026-11-23 is not cash yet
    assert (cash.kind, cash.value, cash.period) == ("metric", Decimal("18500"), "2026-11-23")
    assert cash.statement == ("Cash on 2026-11-23 is $18,500: the opening balance of $20,000 on 2026-10-01 "
                              "plus a net -$1,500 from 3 transactions since.")
    assert cash.sources[0] == "execbrief.toml:12 ([sources.ledger] opening_cash)"
    assert cash.evidence == ("ev-opening",)


def test_no_opening_cash_no_cash_or_runway_facts():
    facts = finance.analyze(burning_book().rows, ctx())

    assert named(facts, "cash_balance") == named(facts, "runway_months") == named(facts, "cash_cover_months") == []


@pytest.mark.parametrize(("cash", "kind", "severity", "months"), [
    ("2000", "finding", "critical", "2.0"),
    ("5500", "finding", "high", "5.5"),
    ("9000", "finding", "medium", "9.0"),
    ("15000", "metric", None, "15.0"),
])
def test_runway_is_cash_over_burn_and_a_finding_under_a_year(cash, kind, severity, months):
    # opening on the as-of date: cash is exactly the opening balance
    facts = finance.analyze(burning_book().rows + [opening(cash, "2026-11-23")], ctx())

    runway = find(facts, "runway_months", entity=None)
    assert (runway.kind, runway.severity, runway.value, runway.unit) == (kind, severity, Decimal(months), "months")
    assert runway.statement.startswith(f"At $1,000 a month, cash of ${int(cash):,} lasts {months} months, to about 2")
    assert (runway.recommendation is None) == (severity is None)


def _profitable_book(draw: str = "0", principal: str = "0") -> Ledger:
    """Aug-Oct 2026: alpha makes $2,000 a month; the owner draws ``draw`` and a loan takes
    ``principal`` each month."""
    book = Ledger()
    for month in ("2026-08", "2026-09", "2026-10"):
        book.add(f"{month}-05", "5000")
        book.add(f"{month}-06", "-3000", account="Wages", category="operating")
        if draw != "0":
            book.add(f"{month}-28", f"-{draw}", account="Checking", category="Owner draw")
        if principal != "0":
            book.add(f"{month}-18", f"-{principal}", account="Van loan", category="Loan principal")
    return book


def test_a_loan_repaid_in_full_is_left_out_of_the_burn_runway_lasts_at():
    book = _profitable_book(draw="2500")  # burns $500 a month
    book.add("2026-07-20", "6000", account="Line of credit", category="Loan proceeds")
    book.add("2026-09-15", "-6000", account="Line of credit", category="Loan principal")  # repaid: closed
    facts = finance.analyze(book.rows + [opening("3000", "2026-11-23")], ctx())

    assert find(facts, "monthly_burn", entity=None).value == Decimal("2500.00")  # the cash that went, as it went
    runway = find(facts, "runway_months", entity=None)
    assert runway.value == Decimal("6.0")  # $3,000 at $500 a month, not at $2,500
    assert runway.statement == ("Leaving out the $6,000 repaid to close Line of credit (a loan drawn and repaid in "
                                "full, which does not come again), the group burned $500 a month: cash of $3,000 "
                                "lasts 6.0 months, to about 2027-05-24.")


def test_money_borrowed_or_put_in_is_left_out_of_the_burn_runway_lasts_at():
    book = _profitable_book(draw="2200")  # operations make $2,000 a month, the owners draw $2,200
    book.add("2026-08-10", "6000", account="Equipment loan", category="Loan proceeds")  # still owed
    book.add("2026-09-10", "-300", account="Equipment loan", category="Loan principal")
    book.add("2026-10-10", "-300", account="Equipment loan", category="Loan principal")
    book.add("2026-10-20", "900", account="Checking", category="Owner investment")
    facts = finance.analyze(book.rows + [opening("4000", "2026-11-23")], ctx())

    assert find(facts, "monthly_burn", entity=None).value == Decimal("0")  # cash rose, with the loan in it
    runway = find(facts, "runway_months", entity=None)
    # $2,000 made, $2,200 drawn and $200 of principal a month: $400 a month burned without the money raised
    assert (runway.severity, runway.value) == ("medium", Decimal("10.0"))
    assert runway.statement == ("Leaving out the $900 the owners put in and the $6,000 borrowed (money raised, not "
                                "earned), the group burned $400 a month: cash of $4,000 lasts 10.0 months, to about "
                                "2027-09-23.")


def test_a_loan_still_being_repaid_stays_in_the_burn():
    book = _profitable_book(principal="2500")  # repaid month by month: drawn before the ledger
    facts = finance.analyze(book.rows + [opening("3000", "2026-11-23")], ctx())

    runway = find(facts, "runway_months", entity=None)
    assert runway.value == Decimal("6.0") and runway.statement.startswith("At $500 a month")
    # operations make money: the loan's payments are what burns, not costs
    assert runway.recommendation == ("Operations make $2,000 a month, less than the loan payments ($2,500 a month) "
                                     "take: refinance over a longer term, or arrange financing well before 2027-05-24.")


def test_a_profitable_group_whose_owners_draw_more_is_told_to_draw_less_not_to_cut_costs():
    facts = finance.analyze(_profitable_book(draw="2200", principal="300").rows + [opening("2500", "2026-11-23")], ctx())

    runway = find(facts, "runway_months", entity=None)
    assert (runway.severity, runway.value) == ("high", Decimal("5.0"))  # $2,500 at $500 a month
    assert runway.recommendation == (
        "Operations make $2,000 a month, less than the owner draws ($2,200 a month) and loan payments take: "
        "bring the draws down to what operations leave after loan payments ($1,700 a month) or less, or "
        "arrange financing well before 2027-04-24.")


def test_owners_drawing_more_than_operations_leave_after_loan_payments_is_a_finding_however_long_the_runway():
    facts = finance.analyze(_profitable_book(draw="2200", principal="300").rows, ctx())

    draws = find(facts, "draws_over_earnings", entity=None)
    assert (draws.kind, draws.severity, draws.value) == ("finding", "medium", Decimal("500.00"))
    assert draws.statement == ("Owner draws of $2,200 a month over August–October 2026 are more than what operations "
                               "leave after loan payments ($1,700 a month): cash falls by the difference, $500 a month.")
    assert draws.recommendation.startswith("Bring the draws down to $1,700 a month or less")
    # about what is left is no finding; a short runway's advice already says it
    assert named(finance.analyze(_profitable_book(draw="1750", principal="300").rows, ctx()), "draws_over_earnings") == []
    short = finance.analyze(_profitable_book(draw="2200", principal="300").rows + [opening("2500", "2026-11-23")], ctx())
    assert named(short, "draws_over_earnings") == [] and find(short, "runway_months", entity=None).severity == "high"
    # with nothing left after the loan, the draws come on top (not "are more than nothing")
    none_left = find(finance.analyze(_profitable_book(draw="1000", principal="2500").rows, ctx()), "draws_over_earnings",
                     entity=None)
    assert (none_left.severity, none_left.statement) == ("high", (
        "Owner draws of $1,000 a month over August–October 2026 come on top of operations that do not cover the loan "
        "payments: cash falls by the draws and more."))


def test_a_group_whose_operations_lose_money_is_told_to_cut_costs():
    facts = finance.analyze(burning_book().rows + [opening("5500", "2026-11-23")], ctx())

    assert find(facts, "runway_months", entity=None).recommendation.startswith("Cut the largest costs or raise prices now")


def test_a_loan_between_two_businesses_closed_is_no_one_off_for_the_group():
    book = _profitable_book(draw="2500")
    book.add("2026-08-01", "4000", account="Loan from Beta", category="Loan proceeds")
    book.add("2026-08-01", "-4000", "beta", account="Loan to Alpha", category="Loan principal")
    book.add("2026-10-01", "-4000", account="Loan from Beta", category="Loan principal")
    book.add("2026-10-01", "4000", "beta", account="Loan to Alpha", category="Loan principal")
    facts = finance.analyze(book.rows + [opening("3000", "2026-11-23")], ctx())

    runway = find(facts, "runway_months", entity=None)
    assert runway.statement.startswith("At $500 a month")  # nothing left the group: nothing to leave out


def test_negative_cash_is_a_critical_finding():
    facts = finance.analyze(burning_book().rows + [opening("-100", "2026-11-23")], ctx())

    cash = find(facts, "cash_balance", entity=None)
    assert (cash.kind, cash.severity) == ("finding", "critical")


def test_cash_cover_is_months_of_gross_costs_cash_would_pay():
    facts = finance.analyze(burning_book().rows + [opening("8000", "2026-11-23")], ctx())

    assert find(facts, "gross_burn", entity=None).value == Decimal("4000.00")
    assert find(facts, "cash_cover_months", entity=None).value == Decimal("2.0")


# -- unit economics and break-even --------------------------------------------------------

def charter_book(charters_per_month: int = 4, price: str = "1000", fuel: str = "-200", fixed: str = "-2400") -> Ledger:
    """A charter business: each charter is one revenue row; fuel is its cost of sales."""
    book = Ledger()
    for month in ("2026-08", "2026-09", "2026-10"):
        for n in range(charters_per_month):
            book.add(f"{month}-{n + 1:02d}", price, account="Charters", category="revenue")
            book.add(f"{month}-{n + 1:02d}", fuel, account="Fuel", category="cost_of_sales", memo=f"fuel {n}")
        book.add(f"{month}-20", fixed, account="Mooring", category="operating")
        book.add(f"{month}-21", "50", account="Interest", category="other")  # interest received
    return book


def test_contribution_is_revenue_less_cost_of_sales_and_fixed_costs_are_the_other_costs():
    facts = finance.analyze(charter_book().rows, ctx())

    contribution, fixed = find(facts, "contribution_margin"), find(facts, "fixed_costs")
    # the interest received (50 a month) is revenue too
    assert (contribution.value, contribution.unit, contribution.period) == (Decimal("3250.00"), "USD", "2026-08..2026-10")
    assert contribution.statement == ("Alpha Rentals: revenue of $12,150 less $2,400 of cost of sales over "
                                      "August–October 2026 left a contribution of $3,250 a month, a contribution "
                                      "margin of 80.2%.")
    assert fixed.value == Decimal("2400.00")  # the mooring
    assert "a unit" not in contribution.statement and "Charters sale" not in contribution.statement


def test_no_break_even_without_a_count_of_units_even_with_one_revenue_row_per_sale():
    assert named(finance.analyze(charter_book().rows, ctx()), "break_even_units") == []


def test_sales_that_cost_more_than_they_bring_in_are_a_critical_finding():
    facts = finance.analyze(charter_book(fuel="-1200").rows, ctx())

    fact = find(facts, "negative_contribution")
    assert (fact.severity, fact.value) == ("critical", Decimal("-750.00"))


def test_no_unit_economics_without_cost_of_sales_rows():
    book = Ledger()
    book.add("2026-10-01", "1000", account="Sales")
    book.add("2026-10-02", "-300", account="Rent", category="operating")

    facts = finance.analyze(book.rows, ctx())

    assert named(facts, "contribution_margin") == named(facts, "break_even_units") == []


# -- revenue concentration ---------------------------------------------------------------

def test_a_payer_over_a_quarter_of_revenue_is_a_concentration_finding():
    book = Ledger()
    for memo, amount in (("Keel Realty - Oct retainer", "3600"), ("Coastal Dental - Oct retainer", "2400"),
                         ("Birch Law - Oct retainer", "2000"), ("Stripe payout - web orders", "2000")):
        book.add("2026-10-05", amount, memo=memo)

    fact = find(finance.analyze(book.rows, ctx(entities={"alpha": ("Alpha Studio", "agency")})), "revenue_concentration")

    assert (fact.kind, fact.severity, fact.value) == ("finding", "medium", Decimal("36.0"))
    assert fact.statement == ("Keel Realty paid 36.0% of Alpha Studio's revenue over October 2026 ($3,600 of "
                              "$10,000; 3 payers named in the memos).")


def test_a_payers_share_is_of_the_revenue_left_after_refunds_and_chargebacks():
    book = Ledger()
    for month, day in (("09", "05"), ("10", "05"), ("11", "05")):
        book.add(f"2026-{month}-{day}", "4000", "beta", account="Stripe", memo="Severn Bikes - retainer")
        book.add(f"2026-{month}-{day}", "6000", "beta", account="Stripe", memo="Bedminster Bakery - retainer")
    book.add("2026-11-04", "-1200", "beta", account="Stripe", category="Chargeback",
             memo="Bedminster Bakery - dispute opened")

    fact = find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "revenue_concentration", "beta")

    # the revenue the table states, $28,800, not the $30,000 of sales before the chargeback
    assert fact.statement == ("Bedminster Bakery paid 62.5% of Beta Delivery's revenue over September–November 2026 "
                              "($18,000 of $28,800, after $1,200 of refunds and chargebacks; 2 payers named in "
                              "the memos).")
    assert find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "revenue_total", "beta").value == Decimal("28800")


def test_a_charter_business_has_no_payer_concentration():
    book = Ledger()  # one-off trips: a customer's share of them is no client to keep
    for memo, amount in (("K. Morales - Annapolis to Newport", "6200"), ("Bay Marine - Norfolk run", "3000")):
        book.add("2026-10-05", amount, memo=memo)

    assert named(finance.analyze(book.rows, ctx(entities={"alpha": ("Tern Deliveries", "charter")})),
                 "revenue_concentration") == []


def test_a_let_building_has_no_payer_concentration():
    book = Ledger()  # four flats, each tenant a unit's rent: no client to keep, whatever its share
    for memo, amount in (("M. Reyes - 1A rent", "1150"), ("T. Gallo - 2A rent", "1250"),
                         ("J. Park - 1B rent", "1150"), ("A. Whitcombe - 2B rent", "1400")):
        book.add("2026-10-01", amount, memo=memo)

    assert named(finance.analyze(book.rows, ctx()), "revenue_concentration") == []  # alpha is a rental


def test_no_concentration_when_the_memos_name_fewer_than_two_payers():
    book = Ledger()
    book.add("2026-10-05", "3000", memo="Airbnb payout - Unit 2A")
    book.add("2026-10-06", "1000", memo="Oct rent - Unit 1A")
    book.add("2026-10-07", "1000", memo="Keel Realty - retainer")

    assert named(finance.analyze(book.rows, ctx()), "revenue_concentration") == []


@pytest.mark.parametrize(("memo", "payer"), [
    ("Coastal Dental Group - Oct retainer", "Coastal Dental Group"),
    ("Marlowe & Finch Law: Nov retainer", "Marlowe & Finch Law"),
    ("Stripe payout - app and web orders", None),
    ("Stripe payouts - week 47", None),
    ("Square deposits - October", None),
    ("May rent - Unit 1A - ACH from tenant", None),
    ("Invoice 1042 paid", None),
    ("Rent September - 1A M. Reyes", None),  # what was paid, and when: not who
    ("WIRE FROM K. MORALES - delivery Annapolis", "K. MORALES"),  # how it came, then who sent it
    ("ACH from Hollins Property - turn cleans", "Hollins Property"),
    # a job, load or order by its number is what was sold, not who paid
    ("FH-1116 load - private move", None),
    ("NC-1541 2-person heavy - Ardmore Rd", None),
    ("INV 2041 - Harbor Cafe", None),
    ("Order #443 - Etsy", None),
    ("Studio 54 - launch party", "Studio 54"),
])
def test_payer_is_read_from_the_memo(memo, payer):
    from execbrief.analyzers.economics import payer as read_payer

    assert read_payer(memo) == payer


def test_cash_at_each_month_end_since_the_opening_balance():
    book = burning_book()
    facts = finance.analyze(book.rows + [opening("20000", "2026-08-01")], ctx())

    months = {f.period: f.value for f in named(facts, "cash_month_end")}
    # the month in progress (November) has no month end yet
    assert sorted(months) == ["2026-08", "2026-09", "2026-10"]
    assert months["2026-10"] == Decimal("20000") + sum(
        (Decimal(r.record["amount"]) for r in book.rows
         if r.kind == "transaction" and "2026-08" <= r.record["date"][:7] <= "2026-10"), Decimal(0))
    assert all(f.unit == "USD" for f in named(facts, "cash_month_end"))


def test_a_bank_statements_lines_name_their_payers_without_a_separator():
    from execbrief.analyzers.economics import payer

    # a name and its reference, a name alone in capitals, what the bank says of the transfer
    assert payer("HALDEN LOGISTICS LTD INV1045") == "HALDEN LOGISTICS LTD"
    assert payer("CALDER HOUSING TRUST RC-1046") == "CALDER HOUSING TRUST"
    assert payer("CHAPEL ALLERTON PHARMACY") == "CHAPEL ALLERTON PHARMACY"
    assert payer("ACH CREDIT BRIGHTLINE DENTA PAYMENT") == "BRIGHTLINE DENTA"
    # a processor's payout, what was sold, a month: no payer
    for memo in ("SQUARE INC DEP", "STRIPE TRANSFER ST-2JD9", "AIRBNB PAYOUT 12345", "Oct retainer", "Weekly rent",
                 "CARD SALES"):
        assert payer(memo) is None, memo

    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-07", "3120", "beta", account="Bank", memo="CHAPEL ALLERTON PHARMACY")
        book.add(f"2026-{month}-08", "936", "beta", account="Bank", memo="OAKWOOD BAKERY")
        book.add(f"2026-{month}-09", "624", "beta", account="Bank", memo="HEADINGLEY FLORIST")
    fact = find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "revenue_concentration", "beta")
    assert fact.statement.startswith("CHAPEL ALLERTON PHARMACY paid 66.7% of Beta Delivery's revenue")


def test_a_business_the_ledger_shows_sold_is_said_so_and_asked_for_nothing_after():
    def book_of(sale: str | None) -> Ledger:
        book = Ledger()
        for month in ("08", "09", "10"):
            book.add(f"2026-{month}-05", "3000", "beta", account="Stripe", memo="Ennis Pharmacy - deliveries")
            book.add(f"2026-{month}-06", "2000", "beta", account="Stripe", memo="Lough Bakery - deliveries")
            book.add(f"2026-{month}-20", "-3000", "beta", account="Bank", category="Rider wages")
            book.add(f"2026-{month}-01", "4000", "alpha", account="Bank", category="Rent received")
        book.add("2026-11-01", "4000", "alpha", account="Bank", category="Rent received")  # the group goes on
        if sale:
            book.add("2026-10-31", "14000", "beta", account="Bank", category=sale, memo="Swiftcycle Couriers")
        return book

    facts = finance.analyze(book_of("Sale of business").rows, ctx(as_of=date(2026, 11, 30)))
    sold = find(facts, "business_sold", "beta")

    assert sold.statement == ("Beta Delivery was sold in October 2026 (Sale of business $14,000: cash in, not "
                              "revenue); the ledger has no revenue of it since, so its results end there and the "
                              "months after are no fall.")
    assert (sold.period, sold.value) == ("2026-10", Decimal("14000"))
    assert find(facts, "revenue_total", "beta").value == Decimal("15000")  # the sale is no revenue
    # no client to win for a business sold, nor a break-even to reach, nor a fall in November
    assert [f.name for f in facts if f.entity == "beta" and f.name in
            ("revenue_concentration", "break_even", "contribution_margin", "revenue_change") and f.kind == "finding"] == []
    kept = finance.analyze(book_of(None).rows, ctx(as_of=date(2026, 11, 30)))
    assert named(kept, "business_sold") == [] and find(kept, "revenue_concentration", "beta")
    # a van sold is no business sold; and a business that trades after a sale was not sold
    assert named(finance.analyze(book_of("Sale of equipment").rows, ctx(as_of=date(2026, 11, 30))), "business_sold") == []
    later = book_of("Sale of business")
    later.add("2026-11-12", "900", "beta", account="Stripe", memo="Ennis Pharmacy - deliveries")
    assert named(finance.analyze(later.rows, ctx(as_of=date(2026, 11, 30))), "business_sold") == []


def test_a_sold_business_is_asked_for_no_kpis_and_its_notes_of_the_sale_are_no_risks():
    book = Ledger()
    for month in ("09", "10"):
        book.add(f"2026-{month}-05", "5000", "beta", account="Stripe", memo="Ennis Pharmacy - deliveries")
    book.add("2026-10-31", "14000", "beta", account="Bank", category="Sale of business")
    prov = Provenance(source="notes", path="notes/bikes/handover.md", line_start=3, line_end=3)
    section = Evidence(id="ev-handover", source="notes", kind="section", entity="beta", text="Handover",
                       record={"heading": "Handover", "level": 2, "parents": [], "bullets": [
                           {"text": "Sold to Swiftcycle Couriers, completed 31 October. The insurance was cancelled "
                                    "from 10/31.", "line": 4},
                           {"text": "Swiftcycle still owes the last $2,000 of the price, overdue since 11/15.", "line": 5},
                           {"text": "Brennan Bikes LLC still has to be dissolved with the state by Dec 15.", "line": 6,
                            "due": "2026-12-15"}]},
                       provenance=prov)
    document = Evidence(id="ev-handover-doc", source="notes", kind="document", entity="beta", text="Handover",
                        record={"title": "Handover", "tags": [], "status": "active", "updated": "2026-11-20",
                                "kpis": {}}, provenance=prov)
    entities = {"beta": ("Beta Delivery", "delivery")}
    facts, failures = analyze([*book.rows, document, section],
                              ctx(as_of=date(2026, 11, 30), entities=entities,
                                  expected_kpis=(("cost_per_delivery", ("delivery",)),)))
    assert failures == {}
    by_line = {f.sources[0]: f for f in facts if f.sources and f.sources[0].startswith("notes/")}

    assert (by_line["notes/bikes/handover.md:4"].kind, by_line["notes/bikes/handover.md:4"].name) == ("note", "after_the_sale")
    assert by_line["notes/bikes/handover.md:5"].kind == "finding"  # what the sale left owing is still a problem
    assert by_line["notes/bikes/handover.md:6"].kind == "action"  # and what it left to do
    assert "compliance" in by_line["notes/bikes/handover.md:6"].topics  # a company dissolved with the state
    assert named(facts, "missing_kpi") == []  # nothing to track of a business sold


def test_a_problem_whose_only_money_is_a_crumb_of_its_businesss_revenue_is_no_high_one():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-05", "10800", "beta", account="Stripe", memo="Cleans")
    prov = Provenance(source="notes", path="notes/clean.md", line_start=3, line_end=3)
    section = Evidence(id="ev-clean", source="notes", kind="section", entity="beta", text="Week",
                       record={"heading": "Week", "level": 2, "parents": [], "bullets": [
                           {"text": "The Patels cancelled their biweekly clean and we refunded the $130 visit.", "line": 4},
                           {"text": "Hollins cancelled: $4,600 a month gone.", "line": 5},
                           {"text": "Complaints about late cleans rising: 3 in September, 12 in November, refunded $90.",
                            "line": 6},
                           {"text": "The Stripe password is cancelled and written here, $30 fee.", "line": 7}]},
                       provenance=prov)
    entities = {"beta": ("Beta Delivery", "delivery")}
    facts, failures = analyze([*book.rows, section], ctx(as_of=date(2026, 11, 30), entities=entities))
    assert failures == {}
    severity = {f.sources[0]: f.severity for f in facts if f.sources and f.sources[0].startswith("notes/")}

    assert severity["notes/clean.md:4"] == "medium"  # $130 of $10,800 a month
    assert severity["notes/clean.md:5"] == "high"  # a big client
    assert severity["notes/clean.md:6"] == "high"  # counts more than the sum it names
    assert severity["notes/clean.md:7"] == "high"  # security: no matter of money


def test_a_group_problem_is_weighed_against_the_groups_revenue_and_a_reference_counts_nothing():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-05", "3000", "beta", account="Stripe", memo="Cleans")
        book.add(f"2026-{month}-06", "3000", "alpha", account="Stripe", memo="Stays")
    prov = Provenance(source="notes", path="notes/weekly.md", line_start=3, line_end=3)
    section = Evidence(id="ev-week", source="notes", kind="section", entity=None, text="Money bits",
                       record={"heading": "Money bits", "level": 2, "parents": [], "bullets": [
                           {"text": "Booking.com still haven't credited the £41.40 they charged us on a cancelled "
                                    "booking (SAL-49, res 4240051183).", "line": 4},
                           {"text": "Booking.com cancelled 3 bookings and charged us £41.40.", "line": 5}]},
                       provenance=prov)
    entities = {"beta": ("Beta Delivery", "delivery"), "alpha": ("Alpha Lets", "short-let")}
    facts, failures = analyze([*book.rows, section], ctx(as_of=date(2026, 11, 30), entities=entities))
    assert failures == {}
    severity = {f.sources[0]: f.severity for f in facts if f.sources and f.sources[0].startswith("notes/")}

    assert severity["notes/weekly.md:4"] == "medium"  # £41.40 of the group's £6,000 a month; SAL-49 counts nothing
    assert severity["notes/weekly.md:5"] == "high"  # three bookings cancelled: more than the sum
