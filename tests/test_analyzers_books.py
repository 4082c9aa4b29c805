"""Chart-of-accounts coverage: categorised share, accounts in use, inconsistent mappings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, books
from execbrief.analyzers.books import analyze
from execbrief.model import Evidence, Provenance
from ledger_helpers import Ledger, find, named

CTX = AnalysisContext(as_of=date(2026, 11, 23), entities={"alpha": ("Alpha Rentals", "rental")})


def tx(line: int, account: str, category: str, amount: str = "-10.00") -> Evidence:
    return Evidence(
        id=f"ev-{line}", source="ledger", kind="transaction", entity="alpha",
        record={"date": "2026-10-01", "amount": amount, "account": account, "category": category, "memo": ""},
        provenance=Provenance(source="ledger", path="ledger/t.csv", line_start=line, line_end=line),
    )


def test_coverage_is_the_share_of_categorised_transactions_with_the_account_count():
    facts = analyze([tx(2, "Repairs", "operating"), tx(3, "Repairs", ""), tx(4, "Utilities", "operating"),
                     tx(5, "Rent", "revenue", "100.00")], CTX)
    (coverage,) = [f for f in facts if f.name == "category_coverage"]
    assert coverage.value == Decimal("75.0") and coverage.unit == "%"
    assert coverage.statement == "Alpha Rentals: 75.0% of 4 transactions carry a category, across 3 accounts."


def test_an_account_booked_under_two_categories_is_a_finding():
    facts = analyze([tx(2, "Repairs", "operating"), tx(3, "Repairs", "cost_of_sales")], CTX)
    (finding,) = [f for f in facts if f.name == "inconsistent_account_category"]
    assert finding.severity == "low" and "Repairs" in finding.statement
    assert finding.recommendation.startswith("Map Repairs to one category")


def test_consistent_accounts_give_no_finding():
    facts = analyze([tx(2, "Repairs", "operating"), tx(3, "Repairs", "operating", "-12.00")], CTX)
    assert [f.name for f in facts] == ["category_coverage"]


ENTITIES = {"alpha": ("Alpha Rentals", "rental"), "beta": ("Beta Delivery", "delivery")}


def ctx(**changes: object) -> AnalysisContext:
    fields: dict[str, object] = {"as_of": date(2026, 11, 23), "entities": ENTITIES}
    fields.update(changes)
    return AnalysisContext(**fields)  # type: ignore[arg-type]


def test_uncategorised_rows_give_one_finding_per_entity_with_count():
    book = Ledger()
    book.add("2026-10-01", "100", "alpha", category="")
    book.add("2026-10-02", "-40", "alpha", category="  ")
    book.add("2026-10-03", "60", "alpha", category="income")
    book.add("2026-10-04", "-25", "beta", category="")

    facts = books.analyze(book.rows, ctx())

    alpha = find(facts, "uncategorised_transactions", "alpha")
    beta = find(facts, "uncategorised_transactions", "beta")
    assert len(named(facts, "uncategorised_transactions")) == 2
    assert (alpha.kind, alpha.severity, alpha.value) == ("finding", "medium", Decimal(2))
    assert alpha.evidence == ("ev-ledger/t.csv-2", "ev-ledger/t.csv-3")
    assert alpha.sources == ("ledger/t.csv, lines 2, 3",)
    assert "2 uncategorised transactions worth $140" in alpha.statement
    assert beta.value == Decimal(1)


def test_a_file_with_no_categories_at_all_is_one_finding_not_one_per_business():
    book = Ledger("ledger/bank.csv")  # a bank's export: a description, no category
    book.add("2026-10-01", "100", "alpha", memo="SQUARE INC DEP")
    book.add("2026-10-02", "-40", "beta", memo="ADP PAYROLL")

    facts = books.analyze(book.rows, ctx())
    (bare,) = named(facts, "uncategorised_transactions")
    assert find(facts, "category_coverage", "alpha").value == Decimal("0.0")  # a description is no category

    assert (bare.entity, bare.value, bare.sources) == (None, Decimal(2), ("ledger/bank.csv",))
    assert bare.statement.startswith("ledger/bank.csv has no categories: its 2 transactions are told apart by "
                                     "their descriptions alone")


def test_a_file_whose_accounts_are_its_chart_of_accounts_is_categorised_by_them():
    """A Xero "Account Transactions" export has an account per row (Sales, Drawings, Repairs and
    Maintenance) and no category column: the account is what each row is for."""
    book = Ledger("ledger/xero.csv")
    book.add("2026-10-01", "120", "alpha", account="Sales", memo="Etsy payout")
    book.add("2026-10-02", "-40", "alpha", account="Repairs and Maintenance", memo="Boiler valve")
    book.add("2026-10-03", "-600", "alpha", account="Drawings", memo="To J Penrose")
    book.add("2026-10-04", "-12", "alpha", account="", memo="Bank charge")  # booked to nothing

    facts = books.analyze(book.rows, ctx())

    coverage = find(facts, "category_coverage", "alpha")
    assert coverage.value == Decimal("75.0")
    assert "(their account in the chart of accounts: the export has no category column)" in coverage.statement
    (bare,) = named(facts, "uncategorised_transactions")  # the row with no account, not the file
    assert (bare.entity, bare.value) == ("alpha", Decimal(1))

    banks = Ledger("ledger/bank.csv")  # accounts that are where money is kept say nothing of what it is for
    for n, account in enumerate(("Chase checking", "Amex card", "Chase savings")):
        banks.add(f"2026-10-0{n + 1}", "-40", "alpha", account=account, memo="ADP PAYROLL")
    assert named(books.analyze(banks.rows, ctx()), "uncategorised_transactions")[0].statement.startswith(
        "ledger/bank.csv has no categories")


def test_exact_duplicate_rows_are_reported_with_both_lines():
    book = Ledger()
    book.add("2026-10-05", "-120", account="Hosting", memo="Server bill")
    book.add("2026-10-06", "50")
    book.add("2026-10-05", "-120", account="hosting", memo="server bill")

    facts = books.analyze(book.rows, ctx())

    dup = find(facts, "duplicate_transactions")
    assert (dup.kind, dup.severity) == ("finding", "medium")
    assert dup.sources == ("ledger/t.csv, lines 2, 4",)
    assert dup.evidence == ("ev-ledger/t.csv-2", "ev-ledger/t.csv-4")
    assert dup.period == "2026-10-05"
    assert "2 identical" in dup.statement


def test_rows_differing_in_memo_are_not_duplicates():
    book = Ledger()
    book.add("2026-10-05", "-120", account="Hosting", memo="October")
    book.add("2026-10-05", "-120", account="Hosting", memo="November")

    assert named(books.analyze(book.rows, ctx()), "duplicate_transactions") == []


def test_a_month_missing_from_a_business_with_a_row_every_month_is_a_gap():
    book = Ledger()
    for month in ("05", "06", "07", "09", "10"):
        book.add(f"2026-{month}-01", "100")
    book.add("2026-11-02", "100")  # the month in progress is never a gap

    facts = books.analyze(book.rows, ctx())

    gaps = named(facts, "missing_period")
    assert [(g.entity, g.period, g.kind, g.severity) for g in gaps] == [("alpha", "2026-08", "gap", "high")]
    assert "August 2026" in gaps[0].statement


def test_missing_periods_run_across_a_year_end():
    book = Ledger()
    for month in ("2025-09", "2025-10", "2025-11", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
                  "2026-07", "2026-08", "2026-09", "2026-10"):
        book.add(f"{month}-01", "100")

    facts = books.analyze(book.rows, ctx())

    assert [g.period for g in named(facts, "missing_period")] == ["2025-12", "2026-01"]


def test_a_seasonal_business_with_a_few_jobs_a_year_has_no_missing_months():
    book = Ledger()
    for day in ("2026-05-12", "2026-06-20", "2026-09-03", "2026-10-15"):  # a delivery now and then
        book.add(day, "5800", "beta", account="Delivery fees")
        book.add(day, "-1900", "beta", account="Crew and fuel", category="cost of sales")
    for month in ("05", "06", "07", "08", "09", "10"):  # a neighbour with a row every month
        book.add(f"2026-{month}-01", "1250")

    facts = books.analyze(book.rows, ctx())

    assert named(facts, "missing_period") == []


def test_a_business_that_stops_is_a_gap_only_after_a_year_of_monthly_rows():
    book = Ledger()
    for month in ("05", "06", "07", "08"):  # a season, or a business that closed: not a gap
        book.add(f"2026-{month}-01", "100", "alpha")
    for n in range(14):  # a year and more of monthly rows, then none for two months
        year, month = (2025, n + 7) if n < 6 else (2026, n - 5)
        book.add(f"{year}-{month:02d}-03", "100", "beta")
    for month in ("09", "10"):
        book.add(f"2026-{month}-02", "100", "gamma")

    gaps = named(books.analyze(book.rows, ctx()), "missing_period")

    assert [(g.entity, g.period) for g in gaps] == [("beta", "2026-09"), ("beta", "2026-10")]


def test_regular_cadence_needs_most_months_and_three_in_a_row():
    assert books.regular_cadence({"2026-05", "2026-06", "2026-07", "2026-09"})
    assert not books.regular_cadence({"2026-05", "2026-07", "2026-09", "2026-10"})  # no run of three
    assert not books.regular_cadence({"2026-04", "2026-07", "2026-09"})  # a few jobs a year
    assert not books.regular_cadence({"2026-09", "2026-10"})  # too short to tell


def test_rows_of_no_business_are_one_unassigned_finding_never_a_business():
    book = Ledger()
    for month in ("06", "07", "08", "09", "10"):
        book.add(f"2026-{month}-01", "1000", "alpha")
    book.add("2026-09-23", "-45", None, account="Bank fees", memo="INCOMING WIRE FEE")
    book.add("2026-10-02", "120", None, account="Sales", memo="cash sale")
    book.add("2026-10-05", "-80", None, account="Fuel").record["business"] = "Alpah Rentals"  # a misspelling
    book.add("2026-10-06", "-20", None, account="Fuel").record["business"] = "Zeta Farm"

    facts = books.analyze(book.rows, ctx())

    (unassigned,) = named(facts, "unassigned_transactions")
    assert (unassigned.kind, unassigned.severity, unassigned.entity) == ("finding", "medium", None)
    assert unassigned.statement == (
        "4 ledger transactions name no configured business: 2 rows with a blank business column ($120 in, $45.00 "
        "out; ledger/t.csv lines 7, 8); 1 row with “Alpah Rentals” in it, which is no business in [[entities]] but "
        "looks like Alpha Rentals ($80.00 out; ledger/t.csv line 9); 1 row with “Zeta Farm” in it, which is no "
        "business in [[entities]] ($20.00 out; ledger/t.csv line 10). Unassigned, they count in the group's totals only.")
    assert unassigned.recommendation == ("Fill in the business column of the blank rows and correct the rows' "
                                         "business, or add the name they use as an alias of its business in [[entities]].")
    assert unassigned.evidence == tuple(f"ev-ledger/t.csv-{n}" for n in (7, 8, 9, 10))
    assert {f.entity for f in facts} == {"alpha", None}
    assert [f for f in facts if f.entity is None and f.name in ("missing_period", "category_coverage")] == []


def test_without_configured_businesses_rows_of_none_are_the_organisation_s_own():
    book = Ledger()
    book.add("2026-10-01", "100", None)
    facts = books.analyze(book.rows, ctx(entities={}))
    assert named(facts, "unassigned_transactions") == []
    assert find(facts, "category_coverage", None).value == Decimal("0.0")


def test_a_bank_account_carrying_every_kind_of_row_is_not_asked_to_map_to_one_category():
    from execbrief.analyzers.books import inconsistent_accounts
    from execbrief.analyzers.ledger_rows import Group

    def rows(account: str, *categories: str) -> list:
        return [Group(entity="alpha", account=account, category=c, month="2026-10", day=date(2026, 10, 1),
                      amount=Decimal(-1), count=1, sign=-1, type="operating_expense", path="ledger/x.csv")
                for c in categories]

    flagged = inconsistent_accounts("alpha", rows("Loft checking", "Cleaning", "HOA") + rows("Stripe", "Sales", "Fees")
                                    + rows("Till", "Sales", "Refunds", "Wages", "Rent"), ctx())

    assert [f.statement.split(" is booked")[0] for f in flagged] == ["Alpha Rentals: the account Stripe"]
