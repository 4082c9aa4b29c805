"""Ledger semantics: each row's transaction type, profit apart from cash, and rows of no business."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, analyze, finance
from execbrief.analyzers.ledger_types import Classifier, profit_effect
from execbrief.model import Evidence, Provenance
from ledger_helpers import Ledger, find, named

ENTITIES = {"flats": ("Mill Lane Flats", "rental"), "holdco": ("Kestrel Holdings", "holding"),
            "boats": ("Tern Deliveries", "charter")}


def opening_cash(amount: str, day: str = "2026-09-01") -> Evidence:
    """The opening-cash item the ledger source makes from execbrief.toml."""
    return Evidence(id="ev-opening", source="ledger", kind="resource", text="Opening cash",
                    record={"type": "opening_cash", "amount": amount, "date": day},
                    provenance=Provenance(source="ledger", path="execbrief.toml", line_start=9, line_end=9))


def ctx(**changes: object) -> AnalysisContext:
    fields: dict[str, object] = {"as_of": date(2026, 11, 23), "entities": ENTITIES}
    fields.update(changes)
    return AnalysisContext(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("category", "account", "sign", "kind"), [
    ("revenue", "Rental income", 1, "revenue"),
    ("", "Rental income", 1, "revenue"),
    ("revenue", "Stripe transfer", 1, "revenue"),  # the category says what it is
    ("operating", "Mortgage interest", -1, "interest"),  # a generic category lets the account say more
    ("operating", "Mortgage principal", -1, "loan_principal"),
    ("Mortgage capital", "Starling - Boathouse", -1, "loan_principal"),  # a UK lender's word for it
    ("Capital repayment", "Nationwide BTL", -1, "loan_principal"),
    ("Mortgage", "Starling - Boathouse", -1, "loan_payment"),  # (not split: both together)
    ("", "Truck loan", -1, "loan_principal"),
    ("", "Truck loan", 1, "loan_proceeds"),
    ("", "Line of credit", 1, "loan_proceeds"),
    ("Liability", "SBA microloan", 1, "loan_proceeds"),  # a category that names the liability
    ("Liability", "Van loan - Ally", -1, "loan_principal"),
    ("Liability", "Amex card payment", -1, "loan_principal"),
    ("Equity", "Owner draw - D. Marsh", -1, "owner_draw"),
    ("Equity", "Partner", -1, "owner_draw"),
    ("", "Loan interest", -1, "interest"),
    ("", "Interest income", 1, "interest"),
    ("equity", "Owner draw", -1, "owner_draw"),
    ("", "Owner's draw - J. Hale", -1, "owner_draw"),
    ("", "Distributions", -1, "owner_draw"),
    ("", "Capital contribution", 1, "capital_contribution"),
    ("equity", "Owner investment", 1, "capital_contribution"),
    ("", "Transfer to Mill Lane", -1, "transfer"),
    ("intercompany", "Kestrel Holdings", 1, "transfer"),
    ("bank charges", "Wire transfer fee", -1, "operating_expense"),  # a fee, not a transfer
    ("Credit card payment", "Business Checking", -1, "transfer"),  # the statement paid from the bank
    ("", "STRIPE TRANSFER ST-8XK2", 1, "revenue"),  # a processor's payout of sales, not a transfer
    ("", "GUSTO NET PAY TRANSFER", -1, "operating_expense"),  # wages
    ("", "SBA EIDL PMT", -1, "loan_payment"),  # principal and interest together
    ("Credit card payment", "Amex Business Card", 1, "transfer"),  # and the card's side of it
    ("", "AMEX EPAYMENT ACH PMT W4812", -1, "transfer"),  # a raw bank line paying the card
    ("", "CHASE CREDIT CRD AUTOPAY", -1, "transfer"),
    ("", "ONLINE PAYMENT - THANK YOU", 1, "transfer"),  # the card's own line of it
    ("", "CARD PAYMENT TO TESCO STORES", -1, "operating_expense"),  # a UK bank's debit card purchase
    ("", "T-MOBILE PCS SVC AUTOPAY", -1, "operating_expense"),  # a bill paid by autopay
    ("", "AMEX late payment fee", -1, "operating_expense"),
    ("Credit card fees", "Stripe", -1, "operating_expense"),
    ("", "Customer refunds", -1, "refund"),
    ("", "Estimated tax payment", -1, "tax"),
    ("Loft checking", "Damage deposit held", 1, "deposit"),  # owed back to the guest
    ("", "Security deposit returned", -1, "deposit"),
    ("", "Deposit forfeited - damage", 1, "revenue"),  # kept: the host's
    ("Larkspur checking", "Sale of equipment", 1, "asset_sale"),  # a one-off, not the café's sales
    ("Square", "Gift cards sold", 1, "prepayment"),  # hires still owed
    ("", "Customer deposit", 1, "prepayment"),  # towards a party still to be served
    ("", "Deposit for the Halvorsen party", 1, "prepayment"),
    ("", "Mobile deposit", 1, "revenue"),  # a bank's word for takings paid in
    ("", "Sale of business", 1, "asset_sale"),  # the business itself sold: no sales of its
    ("", "Insurance claim", 1, "asset_sale"),  # an insurer paying a claim
    ("", "Insurance", -1, "operating_expense"),
    ("", "Council grant - shop front", 1, "grant"),
    ("", "Sales tax collected", 1, "sales_tax"),
    ("Financing", "Mortgage", -1, "loan_payment"),  # principal and interest together
    ("", "CHESAPEAKE CMTY BK MTG PMT", -1, "loan_payment"),
    ("", "VAT", -1, "sales_tax"),  # collected from customers, passed on: not a cost
    ("tax", "HMRC VAT Q3", -1, "sales_tax"),
    ("", "NC sales and use tax", -1, "sales_tax"),
    ("", "Sales tax collected", 1, "sales_tax"),
    ("", "VAT late payment penalty", -1, "tax"),  # a penalty is a cost
    ("operating", "Property tax", -1, "operating_expense"),
    ("cost_of_sales", "Fuel", -1, "cost_of_sales"),
    ("", "Van lease", -1, "operating_expense"),
    ("", "Rent", 1, "revenue"),  # a landlord's
    ("", "Rent", -1, "operating_expense"),  # a tenant's
    ("", "", 1, "revenue"),
    ("", "Ask my accountant", -1, "operating_expense"),
])
def test_a_rows_type_comes_from_its_category_then_its_account(category, account, sign, kind):
    assert Classifier()(category, account, sign) == kind


def test_the_workspace_names_its_own_categories_and_accounts_first():
    types = Classifier((("Kestrel Holdings", "transfer"), ("JH personal", "owner_draw"), ("sales", "refund")))
    assert types("", "Kestrel Holdings", -1) == "transfer"
    assert types("", "jh  personal", -1) == "owner_draw"  # case and spaces aside
    assert types("sales", "Rental income", 1) == "refund"


def test_a_name_the_workspace_maps_counts_in_a_bank_lines_description_where_its_words_are():
    types = Classifier((("STRIPE TRANSFER", "transfer"), ("Northpass Ventures", "capital_contribution"),
                        ("Rent", "operating_expense")))
    # a raw bank export's line is its description: the mapped name's words in it decide
    assert types("STRIPE TRANSFER ST-0907X TALLYHO LABS", "", 1, described=True) == "transfer"
    assert types("NORTHPASS VENTURES SAFE WIRE", "", 1, described=True) == "capital_contribution"
    # a category is matched whole only: "Rent income" is not the mapped "Rent"
    assert types("Rent income", "", 1) == "revenue"
    assert types("STRIPE TRANSFER ST-0907X TALLYHO LABS", "", 1) == "revenue"  # (the rules: a processor's payout)

    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "4000", "alpha", account="", memo=f"STRIPE TRANSFER ST-{month}02X")
    book.add("2026-10-08", "50000", "alpha", account="", memo="NORTHPASS VENTURES SAFE WIRE")
    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), ledger_types=(
        ("STRIPE TRANSFER", "transfer"), ("Northpass Ventures", "capital_contribution"))))
    assert find(facts, "revenue_total").value == Decimal("0")  # neither the payouts nor the investment is revenue
    assert find(facts, "capital_contributions").value == Decimal("50000")


def test_refunds_and_interest_count_in_profit_by_direction():
    assert profit_effect("refund", Decimal("-40")) == (0, Decimal("-40"))  # paid back to a customer: less revenue
    assert profit_effect("refund", Decimal("25")) == (1, Decimal("-25"))  # from a supplier: less cost
    assert profit_effect("interest", Decimal("-60")) == (1, Decimal("60"))
    assert profit_effect("interest", Decimal("5")) == (0, Decimal("5"))
    assert profit_effect("owner_draw", Decimal("-500")) is None


def draws_and_loans() -> Ledger:
    """A long-let duplex with a mortgage and owner draws, June to October 2026."""
    book = Ledger()
    for month in ("06", "07", "08", "09", "10"):
        book.add(f"2026-{month}-01", "2400", "flats", account="Rent", category="revenue", memo="rent, both units")
        book.add(f"2026-{month}-05", "-620", "flats", account="Mortgage interest", category="operating")
        book.add(f"2026-{month}-05", "-840", "flats", account="Mortgage principal", category="operating")
        book.add(f"2026-{month}-08", "-150", "flats", account="Insurance", category="operating")
        book.add(f"2026-{month}-28", "-1500", "flats", account="Owner draw", category="equity")
    return book


def test_draws_and_loan_principal_are_not_costs_but_leave_the_cash():
    facts = finance.analyze(draws_and_loans().rows, ctx())

    assert find(facts, "costs_total", "flats").value == Decimal("3850")  # interest and insurance only
    net = find(facts, "net_total", "flats")
    assert (net.kind, net.value) == ("metric", Decimal("8150"))
    assert find(facts, "net_margin", "flats").value == Decimal("67.9")
    assert find(facts, "costs", "flats", "2026-10").value == Decimal("770")
    draws = find(facts, "owner_draws", "flats")
    assert draws.value == Decimal("-7500")
    assert draws.statement == ("Mill Lane Flats: owner draws of $7,500 over June–October 2026 (5 transactions): "
                               "cash out, not a cost.")
    principal = find(facts, "loan_principal", "flats")
    assert principal.statement == ("Mill Lane Flats: $4,200 of loan principal was repaid over June–October 2026 "
                                   "(5 transactions): cash out, not a cost.")
    assert not [f for f in facts if "cost" in f.topics and ("draw" in f.statement.lower()
                                                            or "principal" in f.statement.lower())]
    assert {f.subject for f in named(facts, "movement_by_account")} == {"owner_draw", "loan_principal"}
    assert not [f for f in named(facts, "outflow_by_account") if "Owner draw" in f.statement]


def test_cash_burn_counts_draws_and_principal_shown_apart_and_runway_uses_it():
    book = draws_and_loans()
    facts = finance.analyze(book.rows, ctx())

    burn = find(facts, "monthly_burn", None)
    # operations make 1,630 a month; draws (1,500) and principal (840) take 2,340: 710 a month of cash
    assert burn.value == Decimal("710.00")
    assert burn.statement == ("The group burned $710 of cash a month on average over August–October 2026: "
                              "operations made $1,630 a month; loan principal $840, owner draws $1,500 went out.")
    operating = find(facts, "operating_burn", None)
    assert operating.value == 0 and "operations made $1,630 a month" in operating.statement
    assert find(facts, "gross_burn", None).value == Decimal("770.00")  # costs only


def test_a_profitable_business_with_draws_and_principal_is_never_told_to_break_even_or_stop():
    facts = analyze(draws_and_loans().rows, ctx())[0]
    assert not [f for f in facts if "break even or stop" in (f.recommendation or "")]


def group_with_a_holding() -> Ledger:
    book = draws_and_loans()
    book.add("2026-06-02", "20000", "holdco", account="Capital contribution", category="equity")
    book.add("2026-08-05", "-12000", "holdco", account="Transfer to Mill Lane", category="transfer")
    book.add("2026-08-05", "12000", "flats", account="Transfer from Kestrel Holdings", category="transfer")
    for month in ("06", "07", "08", "09", "10"):
        book.add(f"2026-{month}-20", "-25", "holdco", account="Bank fees", category="admin")
    book.add("2026-09-15", "-950", "holdco", account="Accountant", category="professional fees")
    return book


def test_transfers_between_the_groups_businesses_net_out_and_capital_is_not_revenue():
    facts = finance.analyze(group_with_a_holding().rows, ctx())

    assert find(facts, "revenue_total", "flats").value == Decimal("12000")  # rent only, not the transfer
    assert find(facts, "revenue_total", "holdco").value == 0
    assert find(facts, "costs_total", "holdco").value == Decimal("1075")
    assert find(facts, "revenue_total", None).value == Decimal("12000")
    assert find(facts, "transfers", "flats").value == Decimal("12000")
    assert find(facts, "transfers", "holdco").value == Decimal("-12000")
    assert [f for f in named(facts, "transfers") if f.entity is None] == []  # nothing left the group
    capital = find(facts, "capital_contributions", "holdco")
    assert "not revenue" in capital.statement and capital.value == Decimal("20000")


def test_a_holding_company_without_revenue_is_not_told_to_break_even_or_stop():
    facts = finance.analyze(group_with_a_holding().rows, ctx())

    net = find(facts, "net_total", "holdco")
    assert (net.kind, net.severity, net.recommendation) == ("metric", None, None)
    assert net.statement == ("Kestrel Holdings lost $1,075 over June–October 2026: a holding company's costs, "
                             "which the group carries.")
    assert named(facts, "net_margin") and not [f for f in named(facts, "net_margin") if f.entity == "holdco"]


def test_another_business_with_costs_and_no_revenue_is_asked_where_its_revenue_is():
    book = Ledger()
    book.add("2026-09-03", "-400", "boats", account="Mooring", category="operating")
    book.add("2026-10-03", "-400", "boats", account="Mooring", category="operating")

    net = find(finance.analyze(book.rows, ctx()), "net_total", "boats")

    assert (net.kind, net.severity) == ("finding", "medium")
    assert "no revenue in the ledger" in net.statement
    assert "break even or stop" not in net.recommendation


def test_rows_of_no_business_count_for_the_group_only_never_as_a_business():
    book = draws_and_loans()
    book.add("2026-09-23", "-45", None, account="Bank fees", memo="INCOMING WIRE FEE")

    facts, failures = analyze(book.rows, ctx())

    assert failures == {}
    assert find(facts, "costs_total", None).value == Decimal("3895")  # the group: the duplex's 3,850 and the fee
    assert find(facts, "costs_total", "flats").value == Decimal("3850")
    assert len(named(facts, "unassigned_transactions")) == 1
    assert named(facts, "missing_period") == []
    assert not [f for f in facts if "has no transactions" in f.statement or "no All businesses" in f.statement]
    assert not [f for f in facts if f.entity is None and f.name in ("revenue_change", "category_coverage",
                                                                    "inflow_by_account", "outflow_by_account")]


def test_vat_paid_over_to_the_tax_office_is_neither_revenue_nor_cost_but_leaves_the_cash():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-03", "7000", "boats", account="Takings", category="sales")
        book.add(f"2026-{month}-09", "-4000", "boats", account="Fuel", category="cost_of_sales")
    book.add("2026-11-07", "-1642", "boats", account="HMRC", category="VAT")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "costs_total", "boats").value == Decimal("12000")
    assert find(facts, "net_total", "boats").value == Decimal("9000")
    vat = find(facts, "sales_tax_passed_on", "boats")
    assert vat.statement == ("Tern Deliveries: £1,642 of sales tax or VAT collected from customers was paid over to "
                             "the tax office over September–November 2026 (1 transaction): cash out, not a cost.".replace("£", "$"))


def test_a_mortgage_payment_not_split_is_debt_service_flagged_and_each_month_says_what_it_left():
    book = Ledger()
    for month, rent in (("08", "2950"), ("09", "2950"), ("10", "1500")):
        book.add(f"2026-{month}-01", rent, "flats", account="Rent", category="revenue")
        book.add(f"2026-{month}-01", "-2300", "flats", account="Mortgage", category="Financing")
        book.add(f"2026-{month}-12", "-95", "flats", account="Water", category="operating")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    # profit leaves the payment out (its principal is no cost), and says the interest in it is missing
    assert find(facts, "net", "flats", "2026-10").value == Decimal("1405")
    assert find(facts, "loan_payments", "flats").statement == (
        "Mill Lane Flats: $6,900 of mortgage payments went out (principal and interest together: the ledger does "
        "not split them) over August–October 2026 (3 transactions): cash out, the interest in it a cost the ledger "
        "does not show apart.")
    flag = find(facts, "unsplit_loan_payments", "flats")
    assert (flag.kind, flag.severity) == ("finding", "medium") and "Split Mill Lane Flats' mortgage" in flag.recommendation
    # what a month kept after the mortgage: the latest month, and any the payment took below zero
    after = {f.period: f for f in named(facts, "net_after_debt")}
    assert sorted(after) == ["2026-10"]
    assert after["2026-10"].statement == (
        "Mill Lane Flats lost $895 in October 2026 after $2,300 of loan payments (netted $1,405 before them).")


def test_a_loan_closed_in_one_payment_is_no_month_lost_after_its_payments():
    book = Ledger()
    for month in ("08", "09", "10"):
        book.add(f"2026-{month}-05", "6000", "boats", account="Charters", category="revenue")
        book.add(f"2026-{month}-18", "-900", "boats", account="Truck loan principal", category="Loan principal")
    book.add("2026-08-04", "10000", "boats", account="Line of credit", category="Loan proceeds")
    book.add("2026-10-15", "-10000", "boats", account="Line of credit", category="Loan principal")  # repaid in full

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    # October kept $5,100 after the truck's $900; the $10,000 that closed the line of credit is no loss
    after = {f.period: f for f in named(facts, "net_after_debt")}
    assert sorted(after) == ["2026-10"]
    assert after["2026-10"].statement == (
        "Tern Deliveries kept $5,100 in October 2026 after $900 of loan payments (netted $6,000 before them).")
    assert find(facts, "loan_principal", "boats").value == Decimal("-12700")  # the cash still went: shown apart


def test_a_holding_company_paying_the_groups_loan_says_its_latest_month_only():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-05", "-600", "holdco", account="Checking", category="SBA loan interest")
        book.add(f"2026-{month}-05", "-1250", "holdco", account="Checking", category="Loan principal")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    # every month of a holding loses by design: the latest says it, not three lines of the same
    assert [f.period for f in named(facts, "net_after_debt")] == ["2026-11"]


def test_a_one_off_says_what_its_rows_were():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-05", "6000", "boats", account="Charters", category="revenue")
    # an insurance payout for a stolen bike, booked as an asset sale: the category says which
    book.add("2026-11-24", "4250", "boats", account="Bank", category="Insurance payout")
    types = (("Insurance payout", "asset_sale"),)

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), ledger_types=types))

    assert find(facts, "asset_sales", "boats").statement == (
        "Tern Deliveries: $4,250 came in as an insurer's payout on a claim (a one-off) over "
        "September–November 2026 (1 transaction: Insurance payout $4,250): cash in, not revenue.")

    book.add("2026-10-31", "14000", "boats", account="Bank", category="Sale of business")  # the rules' own reading
    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), ledger_types=types))
    assert find(facts, "asset_sales", "boats").statement.startswith(
        "Tern Deliveries: $18,250 came in as one-offs (a business sold, an insurer's payout) over "
        "September–November 2026 (2 transactions: ")
    book = Ledger()
    book.add("2026-10-05", "6000", "boats", account="Charters", category="revenue")
    book.add("2026-10-31", "14000", "boats", account="Bank", category="Sale of business")
    assert find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "asset_sales", "boats").statement.startswith(
        "Tern Deliveries: $14,000 came in from selling the business (a one-off)")


def test_money_lent_and_returned_within_the_window_is_said_to_net_to_nothing():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "3000", "flats", account="Rent", category="revenue")
    book.add("2026-09-09", "-4000", "flats", account="Checking", category="Transfer")
    book.add("2026-10-21", "4000", "flats", account="Checking", category="Transfer")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "transfers", "flats").statement == (
        "Mill Lane Flats: $4,000 came in by transfer from the group's other businesses or accounts and $4,000 went "
        "out to them over September–November 2026 (2 transactions), netting to nothing: cash, neither revenue nor "
        "a cost.")  # not "$0.00 came in by transfer"
    assert find(facts, "movement_by_account", "flats").statement == (
        "Mill Lane Flats received $4,000 and paid out $4,000 through Checking over September–November 2026 "
        "(2 transactions), netting to nothing: transfers, neither revenue nor a cost.")


def test_deposits_held_and_equipment_sold_are_neither_revenue_nor_cost():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "3000", "flats", account="Airbnb income", category="revenue")
        book.add(f"2026-{month}-03", "400", "flats", account="Loft checking", category="Damage deposit held")
    book.add("2026-11-20", "-400", "flats", account="Loft checking", category="Damage deposit returned")
    book.add("2026-10-14", "1800", "flats", account="Checking", category="Sale of equipment")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "revenue_total", "flats").value == Decimal("9000")
    assert find(facts, "costs_total", "flats").value == Decimal("0")
    assert find(facts, "deposits_held", "flats").statement == (
        "Mill Lane Flats: $1,200 of deposits came in from tenants and $400 went back to them over "
        "September–November 2026 (4 transactions: Damage deposit held $1,200; Damage deposit returned $400), $800 "
        "more in than out, owed back to them: cash, neither revenue nor a cost.")
    # the accounting officer's account line says what is left too: the deposits still owed
    assert "(4 transactions: Damage deposit held $1,200; Damage deposit returned $400), $800 more in than out, " \
           "owed back to them: deposits held for " in next(
               f.statement for f in named(facts, "movement_by_account") if "Loft checking" in f.statement)
    assert find(facts, "asset_sales", "flats").value == Decimal("1800")


def test_money_paid_ahead_is_owed_to_whoever_paid_it():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "2000", "studio", account="Retainers", category="revenue")
        book.add(f"2026-{month}-02", "900", "shop", account="Sales", category="revenue")
    book.add("2026-10-01", "4500", "studio", account="Checking", category="Client prepayment")
    book.add("2026-11-20", "600", "shop", account="Till", category="Gift cards sold")
    entities = {"studio": ("Lumen Works", "agency"), "shop": ("The Spoke Shed", "retail")}

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), entities=entities))

    said = {f.entity: f.statement for f in named(facts, "prepayments")}
    assert "paid ahead by clients, for what is not yet delivered" in said["studio"]  # no gift cards at an agency
    assert "gift cards or vouchers not yet redeemed" in said["shop"]


def test_deposits_are_held_for_whoever_pays_the_business():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "2400", "flats", account="Rent", category="revenue")
        book.add(f"2026-{month}-04", "1800", "cottage", account="Airbnb income", category="revenue")
    book.add("2026-10-01", "2400", "flats", account="Checking", category="Security deposit held")
    book.add("2026-11-06", "300", "cottage", account="Checking", category="Damage deposit held")
    entities = {**ENTITIES, "cottage": ("Gull Cottage", "short-let")}

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), entities=entities))

    said = {f.entity: f.statement for f in named(facts, "deposits_held")}
    assert "held for tenants" in said["flats"]  # a long-let's tenants
    assert "held for guests (owed back)" in said["cottage"]  # a holiday let has guests, no tenants
    assert "held for guests or tenants (owed back)" in said[None]  # the group's: both


def test_interest_paid_is_said_apart_for_each_business_and_the_group():
    facts = finance.analyze(draws_and_loans().rows, ctx())

    interest = named(facts, "interest_paid")
    assert [(f.entity, f.value) for f in interest] == [("flats", Decimal("3100"))]  # one business: no group line
    assert interest[0].statement == ("Mill Lane Flats paid $3,100 of interest over June–October 2026 (5 transactions): "
                                     "what its debts cost, counted in its costs.")


def test_a_raw_bank_export_is_read_by_its_descriptions():
    """Rows with neither category nor account say what they are in the bank's description."""
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "3000", "flats", account="", memo=f"ZELLE FROM R PATEL RENT {month}")
        book.add(f"2026-{month}-03", "1456.20", "flats", account="", memo="STRIPE TRANSFER ST-8XK2")  # sales
        book.add(f"2026-{month}-05", "-2150", "flats", account="", memo="ROCKET MORTGAGE PMT")
        book.add(f"2026-{month}-06", "-731", "flats", account="", memo="SBA EIDL PMT")
        book.add(f"2026-{month}-20", "-925", "flats", account="", memo="KABBAGE PMT")  # the lender below
        book.add(f"2026-{month}-21", "-25", "flats", account="", memo="KABBAGE LATE FEE")  # a fee is a cost
        book.add(f"2026-{month}-28", "-1000", "flats", account="", memo="ZELLE TO ALEX KIM OWNER DRAW")
    book.add("2026-09-08", "20000", "flats", account="", memo="LOAN ADVANCE - KABBAGE")
    book.add("2026-10-02", "-4000", "flats", account="", memo="ONLINE TRANSFER TO CHK ...9902")
    book.add("2026-11-28", "1200", "flats", account="", memo="SECURITY DEPOSIT - UNIT 2")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "revenue_total", "flats").value == Decimal("13368.60")  # rent and Stripe, nothing else
    assert find(facts, "costs_total", "flats").value == Decimal("75")  # the fees
    assert find(facts, "loan_payments", "flats").value == Decimal("-11418")  # mortgage, EIDL and Kabbage
    assert find(facts, "loan_proceeds", "flats").value == Decimal("20000")
    assert find(facts, "owner_draws", "flats").value == Decimal("-3000")
    assert find(facts, "transfers", "flats").value == Decimal("-4000")
    assert find(facts, "deposits_held", "flats").value == Decimal("1200")
    # the bank's file is the account its rows name none of
    assert {f.statement.split(" over ")[0] for f in named(facts, "movement_by_account")} >= {
        "Mill Lane Flats paid out $3,000 through ledger/t.csv"}


def test_sales_tax_paid_over_with_none_collected_is_inside_the_sales():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "10825", "flats", account="", memo="SQUARE INC DEP")  # gross takings
        book.add(f"2026-{month}-20", "-825", "flats", account="", memo="STATE COMPTROLLER SALES TAX")
        book.add(f"2026-{month}-02", "1000", "boats", account="Sales")
        book.add(f"2026-{month}-03", "80", "boats", account="Sales tax collected")  # collected apart
        book.add(f"2026-{month}-20", "-80", "boats", account="Sales tax remitted")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    inside = find(facts, "sales_tax_in_revenue", "flats")
    assert (inside.kind, inside.severity, inside.value) == ("finding", "medium", Decimal("2475"))
    assert "the ledger shows none collected: the tax is inside its sales" in inside.statement
    assert named(facts, "sales_tax_in_revenue") == [inside]  # the charter books it apart


def test_tax_given_back_with_a_refund_lessens_what_was_collected_not_what_was_paid_over():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "1000", "boats", account="Bank", category="Sales")
        book.add(f"2026-{month}-02", "90", "boats", account="Bank", category="VAT collected")
    book.add("2026-10-07", "-200", "boats", account="Bank", category="Refunds")
    book.add("2026-10-07", "-18", "boats", account="Bank", category="VAT collected")  # the refund's tax
    book.add("2026-10-30", "-180", "boats", account="Bank", category="VAT remitted")  # paid over
    # one category for both: money out is what was paid over, as ever
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "1000", "flats", account="Bank", category="Sales")
        book.add(f"2026-{month}-03", "80", "flats", account="Bank", category="Sales tax")
    book.add("2026-10-20", "-160", "flats", account="Bank", category="Sales tax")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    boats = find(facts, "sales_tax_passed_on", "boats").statement
    assert "$252 of sales tax or VAT was collected from customers and $180 paid over" in boats
    flats = find(facts, "sales_tax_passed_on", "flats").statement
    assert "$240 of sales tax or VAT was collected from customers and $160 paid over" in flats


def test_a_deposit_earned_when_the_event_is_served_went_back_to_no_one():
    book = Ledger()
    # a caterer's deposit account: deposits in, and on the event day the deposit moved to revenue
    book.add("2026-09-10", "3600", "boats", account="Customer deposits", category="Deferred revenue")
    book.add("2026-11-04", "4800", "boats", account="Customer deposits", category="Deferred revenue")
    book.add("2026-10-15", "3000", "boats", account="Customer deposits", category="Deferred revenue")
    book.add("2026-11-07", "-3600", "boats", account="Customer deposits", category="Deferred revenue")
    book.add("2026-11-07", "3600", "boats", account="Customer deposits", category="Catering revenue")
    book.add("2026-11-10", "-3000", "boats", account="Customer deposits", category="Deferred revenue")  # refunded
    book.add("2026-11-07", "3600", "boats", account="Checking", category="Catering revenue")  # the balance

    types = (("Deferred revenue", "prepayment"), ("Catering revenue", "revenue"))
    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), ledger_types=types))

    held = find(facts, "prepayments", "boats")
    assert held.statement == (
        "Tern Deliveries: $11,400 came in paid ahead by charter guests over September–November 2026 (5 transactions: "
        "Deferred revenue $11,400 in, $6,600 out); "
        "$3,600 was earned as the work was delivered (now revenue) and $3,000 went back to them; $4,800 of it still "
        "held, owed to them until delivered: cash, not revenue until earned.")
    account = next(f for f in named(facts, "movement_by_account") if "Customer deposits" in f.statement)
    assert account.statement.startswith("Tern Deliveries received $11,400 through Customer deposits over "
                                        "September–November 2026 (5 transactions: Deferred revenue $11,400 in, "
                                        "$6,600 out), of which $3,600 was earned")
    assert find(facts, "revenue_total", "boats").value == Decimal("7200")


def test_a_card_paid_from_the_bank_whose_purchases_the_ledger_lacks_is_a_finding():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "5000", "flats", account="Checking", category="Rent received")
        book.add(f"2026-{month}-06", "-900", "flats", account="Checking", category="Credit card payment")
        book.add(f"2026-{month}-02", "3000", "boats", account="Checking", category="Charter income")
        book.add(f"2026-{month}-06", "-400", "boats", account="Checking", category="Credit card payment")
        book.add(f"2026-{month}-06", "400", "boats", account="Amex", category="Credit card payment")
        book.add(f"2026-{month}-09", "-400", "boats", account="Amex", category="Fuel")  # the card's own rows

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    (unseen,) = named(facts, "card_purchases_unseen")
    assert (unseen.entity, unseen.severity, unseen.value) == ("flats", "medium", Decimal("2700"))
    assert "the ledger holds none of the card's purchases" in unseen.statement

    # a card's own export, a file named for the card with no account column, holds its purchases
    card = Ledger("ledger/amex.csv")
    card.add("2026-10-09", "-310", "flats", account="", memo="HOME DEPOT #1942")
    assert named(finance.analyze([*book.rows, *card.rows], ctx(as_of=date(2026, 11, 30))), "card_purchases_unseen") == []


def test_a_cost_with_no_category_is_named_by_its_account():
    book = Ledger()  # a Xero export mapped as account = "Account Name", with no category column
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-02", "3000", "flats", account="Holiday Let Income")
        book.add(f"2026-{month}-05", "-250", "flats", account="Cleaning")
        book.add(f"2026-{month}-09", "-140", "flats", account="Light, Power, Heating")

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30)))

    assert find(facts, "costs_by_category", "flats").statement.startswith(
        "Mill Lane Flats' costs over September–November 2026 by category: Cleaning $750; Light, Power, Heating $420")


@pytest.mark.parametrize(("category", "account", "sign", "kind"), [
    ("Turnover - Paint & Cleaning", "", -1, "operating_expense"),  # a landlord's work between two tenants
    ("", "Turnover", 1, "revenue"),  # a British shop's sales
    ("", "Capital Improvements", -1, "asset_purchase"),  # a roof, paid at once
    ("Equipment purchase", "Checking", -1, "asset_purchase"),
    ("Fixed assets", "Van", -1, "asset_purchase"),
    ("Renovation - Boathouse", "Starling - Boathouse", -1, "asset_purchase"),  # a new kitchen, booked apart
    ("Refurbishment", "", -1, "asset_purchase"),
    ("Shop fit-out", "", -1, "asset_purchase"),
    ("Repairs & maintenance", "", -1, "operating_expense"),  # the running repairs stay costs
    ("Client ad spend - rebilled", "Chase", 1, "pass_through"),  # a client's media, bought at cost and re-billed
    ("Client ad spend - Google Ads", "Chase", -1, "pass_through"),
    ("Disbursements", "", -1, "pass_through"),  # a solicitor's, paid on for a client
    ("Ad management fees", "", 1, "revenue"),  # the agency's own fee for managing it
    ("Rebilled hours", "", 1, "revenue"),  # (time billed is sales)
    ("Equipment rental", "", -1, "operating_expense"),  # hired, not bought
    ("", "Capital Improvements", 1, "revenue"),  # (money in is no purchase)
])
def test_what_a_business_buys_to_keep_is_capital_spending_and_unit_turnover_a_cost(category, account, sign, kind):
    assert Classifier()(category, account, sign) == kind


def test_capital_spending_is_no_cost_of_its_month_and_runway_burns_without_it():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "1650", "flats", account="Rent Income")
        book.add(f"2026-{month}-15", "-680", "flats", account="Repairs & Maintenance")
    book.add("2026-10-16", "-14800", "flats", account="Capital Improvements")  # a new roof

    facts = finance.analyze([*book.rows, opening_cash("16500")], ctx(as_of=date(2026, 11, 30)))

    # October made $970 like the other months: the roof is not its cost
    assert find(facts, "net", "flats", "2026-10").value == Decimal("970")
    assert find(facts, "costs_total", "flats").value == Decimal("2040")
    assert not named(facts, "month_loss")
    assert find(facts, "asset_purchases", "flats").statement == (
        "Mill Lane Flats: $14,800 went on equipment, vehicles or improvements (capital spending: an investment that "
        "lasts years, not a cost of these months) over September–November 2026 (1 transaction: Capital Improvements "
        "$14,800): cash out, not a cost.")
    # the cash went, and the burn says where; runway's burn leaves the one purchase out, saying so
    assert "capital spending (equipment, vehicles, improvements) $4,933" in find(facts, "monthly_burn", None).statement
    assert find(facts, "runway_months", None).statement.startswith(
        "Leaving out the $14,800 of capital spending (an investment that lasts years, not a monthly cost)")


@pytest.mark.parametrize(("costs", "kind", "severity"), [("-900", "finding", "medium"), ("-720", "metric", None)])
def test_a_latest_month_short_of_its_mortgage_by_a_quarter_of_it_or_more_is_a_shortfall(costs, kind, severity):
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "1000", "flats", account="Rent", category="revenue")
        book.add(f"2026-{month}-03", costs, "flats", account="Repairs", category="operating")
        book.add(f"2026-{month}-05", "-300", "flats", account="Mortgage principal", category="Loan principal")

    after = find(finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30))), "net_after_debt", "flats", "2026-11")

    # $100 made, $300 of principal: $200 short, two thirds of the payments; $280 made: $20 short, noise
    assert (after.kind, after.severity) == (kind, severity)
    if kind == "finding":
        assert after.statement == ("Mill Lane Flats lost $200 in November 2026 after $300 of loan payments "
                                   "(netted $100 before them).")
        assert after.recommendation.startswith("Find what keeps Mill Lane Flats from covering its mortgage payments")


def test_money_held_for_others_and_paid_on_is_left_out_of_runways_burn():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-28", "2000", "flats", account="Business current", category="Co-hosting commission")
        book.add(f"2026-{month}-10", "-900", "flats", account="Business current", category="Cleaners")
    # the owners' money: held at the start, taken in and paid on, more out than in over the months
    book.add("2026-09-05", "-22000", "flats", account="Client account", category="Owner payouts")
    book.add("2026-10-12", "12000", "flats", account="Client account", category="Guest payments held for owners")
    book.add("2026-11-05", "-9000", "flats", account="Client account", category="Owner payouts")
    types = (("Owner payouts", "deposit"), ("Guest payments held for owners", "deposit"),
             ("Co-hosting commission", "revenue"))

    facts = finance.analyze([*book.rows, opening_cash("30000")], ctx(as_of=date(2026, 11, 30), ledger_types=types))

    # the cash fell $15,700, but the business made $1,100 a month: no runway to warn of
    runway = find(facts, "runway_months", None)
    assert runway.severity is None and runway.statement.startswith(
        "Leaving out the $19,000 of deposits paid back (money held for others, not the business's), runway is not "
        "computed: the group is not burning cash")


def test_media_bought_for_clients_and_re_billed_at_cost_is_neither_revenue_nor_cost():
    book = Ledger()
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-01", "5000", "studio", account="Checking", category="Retainer income")
        book.add(f"2026-{month}-10", "-8000", "studio", account="Checking", category="Client ad spend - Google Ads")
        book.add(f"2026-{month}-20", "7000", "studio", account="Checking", category="Client ad spend - rebilled")
    entities = {"studio": ("Lumen Works", "agency")}

    facts = finance.analyze(book.rows, ctx(as_of=date(2026, 11, 30), entities=entities))

    assert find(facts, "revenue_total", "studio").value == Decimal("15000")
    assert find(facts, "costs_total", "studio").value == Decimal("0")
    assert find(facts, "passed_through", "studio").statement == (
        "Lumen Works: $21,000 came in from clients to be paid on for them and $24,000 went out bought for them at "
        "cost (re-billed) over September–November 2026 (6 transactions: Client ad spend - Google Ads $24,000; Client "
        "ad spend - rebilled $21,000), $3,000 more out than in, paid ahead of the clients' money: owed by them: "
        "cash, neither revenue nor a cost.")
