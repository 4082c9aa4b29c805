"""Chart-of-accounts coverage: categorised share, accounts in use, inconsistent mappings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.books import analyze
from execbrief.model import Evidence, Provenance

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
    facts = analyze([tx(2, "Repairs", "operating"), tx(3, "Repairs", "operating")], CTX)
    assert [f.name for f in facts] == ["category_coverage"]
