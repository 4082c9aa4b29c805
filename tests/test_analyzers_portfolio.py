"""Portfolio rules: MRR, billing gaps, contracts past end and churn risks from client tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, portfolio
from execbrief.model import Evidence, Provenance
from note_evidence import named, one, table_row

AS_OF = date(2026, 11, 23)
ENTITIES = {"studio": ("Bright Studio", "agency"), "other": ("Other Co", "agency")}
PATH = "notes/studio/clients.md"


def ctx() -> AnalysisContext:
    return AnalysisContext(as_of=AS_OF, entities=ENTITIES)


def doc(path: str = PATH, updated: str = "2026-11-20", entity: str = "studio", status: str = "active") -> Evidence:
    return Evidence(
        id=f"doc-{path}", source="notes", kind="document", entity=entity, text="Clients",
        record={"title": "Clients", "updated": updated, "status": status, "kpis": {}, "tags": []},
        provenance=Provenance(source="notes", path=path, line_start=1, line_end=40),
    )


def row(line: int, path: str = PATH, entity: str = "studio", **cells: str) -> Evidence:
    return table_row(line, path=path, entity=entity, heading="Clients", **cells)


def client(line: int, name: str, fee: str, end: str = "2027-06-30", paid: str = "2026-11-05", **more: str) -> Evidence:
    return row(line, client=name, monthly_fee=fee, contract_end=end, last_paid=paid, **more)


def test_roster_gives_mrr_and_client_count_as_kpis():
    facts = portfolio.analyze([doc(), client(10, "Acme Dental", "$2,400"), client(11, "Birch Law", "$1,100")], ctx())

    mrr = one(facts, "mrr")
    assert (mrr.entity, mrr.value, mrr.unit, mrr.kind) == ("studio", Decimal("3500.00"), "USD", "metric")
    assert mrr.statement == "Bright Studio bills $3,500 a month in recurring fees (its MRR, monthly recurring revenue) to 2 clients (client table)."
    assert "kpi" not in mrr.topics  # computed: it counts as the KPI, but KPI sections show what notes state
    assert mrr.sources == (f"{PATH}, lines 10-11",)
    assert one(facts, "client_count").value == 2


def test_yearly_and_weekly_fees_count_as_monthly_and_nightly_rates_do_not():
    facts = portfolio.analyze([client(10, "A Co", "$12,000/year"), client(11, "B Co", "$100/week"),
                               client(12, "C Co", "$90/night")], ctx())

    assert one(facts, "mrr").value == Decimal("1433.33")  # 1,000 + 433.33; the nightly rate is no retainer


def test_clients_marked_as_left_are_not_counted():
    facts = portfolio.analyze([client(10, "A Co", "$1,000"), client(11, "Gone Co", "$5,000", status="Churned")], ctx())

    assert one(facts, "mrr").value == Decimal("1000.00")
    assert not [f for f in facts if "Gone Co" in f.statement]


def test_a_client_not_renewing_pays_until_its_contract_ends_and_is_a_churn_risk():
    facts = portfolio.analyze([client(10, "A Co", "$1,000"),
                               client(11, "Leaving Co", "$1,850", end="2026-12-31", status="not renewing"),
                               client(12, "Ended Co", "$700", end="2026-10-31", paid="2026-10-02", status="not renewing")],
                              ctx())

    assert one(facts, "mrr").value == Decimal("2850.00")  # Leaving Co still pays; Ended Co has gone
    assert [f for f in facts if f.kind == "finding" and "Leaving Co" in f.statement and "not renewing" in f.statement]


def test_the_latest_note_wins_when_a_client_is_in_two_rosters():
    old = row(5, path="notes/studio/old.md", client="A Co", monthly_fee="$900")
    new = client(10, "A Co", "$1,500")

    facts = portfolio.analyze([doc(), doc(path="notes/studio/old.md", updated="2026-01-01"), old, new], ctx())

    assert one(facts, "mrr").value == Decimal("1500.00")


def test_a_largest_client_over_a_quarter_of_fees_is_a_concentration_finding():
    facts = portfolio.analyze([client(10, "Big Co", "$3,000"), client(11, "Small Co", "$1,000")], ctx())

    fact = one(facts, "client_concentration")
    assert (fact.kind, fact.severity, fact.value) == ("finding", "high", Decimal("75.0"))
    assert fact.statement == "Big Co is 75.0% of Bright Studio's recurring fees ($3,000 of $4,000 a month)."
    assert fact.recommendation == "Grow Bright Studio's other accounts so no one client is 75.0% of its fees."
    works = AnalysisContext(as_of=AS_OF, entities={"studio": ("Lumen Works", "agency")})
    assert one(portfolio.analyze([client(10, "Big Co", "$3,000"), client(11, "Small Co", "$1,000")], works),
               "client_concentration").recommendation.startswith("Grow Lumen Works' other accounts")


def test_an_even_roster_has_concentration_as_a_metric_only():
    facts = portfolio.analyze([client(10 + n, f"Co {n}", "$1,000") for n in range(5)], ctx())

    fact = one(facts, "client_concentration")
    assert (fact.kind, fact.severity) == ("metric", None)


def test_client_served_after_its_contract_ended_is_a_finding():
    facts = portfolio.analyze([client(10, "Lapsed Law", "$2,200", end="2026-10-31"),
                               client(11, "Current Co", "$1,000", end="2027-10-31")], ctx())

    fact = one(facts, "contract_past_end")
    assert (fact.severity, fact.value, fact.period) == ("medium", Decimal(23), "2026-10-31")
    assert fact.statement == ("Bright Studio still serves Lapsed Law ($2,200 a month), whose contract ended on "
                              "2026-10-31, 23 days ago.")
    assert fact.sources == (f"{PATH}:10",)


def test_contract_ended_over_60_days_ago_is_high():
    facts = portfolio.analyze([client(10, "Old Co", "$500", end="2026-09-01")], ctx())

    assert one(facts, "contract_past_end").severity == "high"


def test_unpaid_accounts_are_bucketed_over_30_60_and_90_days():
    facts = portfolio.analyze([
        client(10, "Paid Co", "$1,000", paid="2026-11-05"),   # 18 days: current
        client(11, "Late Co", "$1,800", paid="2026-10-02"),   # 52 days
        client(12, "Later Co", "$1,400", paid="2026-09-08"),  # 76 days
        client(13, "Lost Co", "$500", paid="2026-08-01"),     # 114 days
    ], ctx())

    due = {f.statement.split(": ")[1].split(" last")[0]: f for f in named(facts, "invoice_past_due")}
    assert sorted(due) == ["Late Co", "Later Co", "Lost Co"]
    assert (due["Late Co"].severity, due["Late Co"].value) == ("medium", Decimal("1800.00"))
    assert (due["Later Co"].severity, due["Later Co"].value) == ("high", Decimal("2800.00"))
    assert (due["Lost Co"].severity, due["Lost Co"].value) == ("critical", Decimal("1500.00"))
    assert due["Later Co"].statement == ("Bright Studio: Later Co last paid on 2026-09-08, 76 days ago; about $2,800 "
                                         "(2 monthly fees of $1,400) is unpaid, over 60 days.")
    aging = one(facts, "receivables_past_due")
    assert aging.value == Decimal("6100.00")
    assert aging.statement == ("Bright Studio is owed about $6,100 by 3 clients who are behind: $1,800 over 30 days; "
                               "$2,800 over 60 days; $1,500 over 90 days.")


def test_no_past_due_facts_when_everyone_paid_this_month():
    facts = portfolio.analyze([client(10, "A Co", "$1,000", paid="2026-11-01"), client(11, "B Co", "$900")], ctx())

    assert named(facts, "invoice_past_due") == named(facts, "receivables_past_due") == []


def test_contract_ending_soon_and_long_unpaid_are_churn_risks():
    facts = portfolio.analyze([
        client(10, "Top Co", "$3,600", end="2027-01-31"),
        client(11, "Slow Co", "$1,400", paid="2026-09-08"),
        client(12, "Safe Co", "$1,000", end="2027-09-30"),
        client(13, "Tiny Co", "$200", end="2027-09-30"),
        client(14, "Tinier Co", "$100", end="2026-12-31"),
    ], ctx())

    risks = {f.statement.split(": ")[1].split(" (")[0]: f for f in named(facts, "churn_risk")}
    assert sorted(risks) == ["Slow Co", "Tinier Co", "Top Co"]
    assert risks["Top Co"].severity == "high"  # one of the three largest fees
    assert risks["Top Co"].statement == ("Bright Studio: Top Co ($3,600 a month) may leave: its contract ends on "
                                         "2027-01-31, in 69 days.")
    assert risks["Tinier Co"].severity == "medium"
    assert risks["Top Co"].recommendation == "Meet Top Co before 2027-01-31 to agree a renewal."
    assert risks["Slow Co"].recommendation == "Call Slow Co this week about what it needs to stay."


def test_a_worried_status_is_a_churn_risk():
    facts = portfolio.analyze([client(10, "A Co", "$100", status="Asked for agency review")], ctx())

    assert "its status reads 'Asked for agency review'" in one(facts, "churn_risk").statement


def test_a_client_whose_status_says_it_is_leaving_is_leaving_and_its_money_is_to_replace():
    leaving = one(portfolio.analyze([client(10, "Bright Acre Farms", "$1,800", end="2026-12-31", status="Leaving")],
                                    ctx()), "churn_risk")

    assert leaving.statement == ("Bright Studio: Bright Acre Farms ($1,800 a month) is leaving: its contract ends on "
                                 "2026-12-31, in 38 days; its status reads 'Leaving'.")
    assert leaving.recommendation == ("Replace Bright Acre Farms' $1,800 a month after 2026-12-31: win a client of "
                                      "that size, or ask why it is leaving.")  # not "agree a renewal"


def test_unpaid_invoice_rows_past_due_are_findings_and_paid_ones_are_not():
    rows = [
        row(20, invoice="INV-101", client="A Co", amount="$2,000", due_date="2026-10-01", status="Unpaid"),
        row(21, invoice="INV-102", client="B Co", amount="$500", due_date="2026-10-01", status="Paid"),
        row(22, invoice="INV-103", client="C Co", amount="$700", due_date="2026-11-10", status="Sent"),
    ]

    fact = one(portfolio.analyze(rows, ctx()), "invoice_past_due")

    assert (fact.severity, fact.value, fact.period) == ("medium", Decimal("2000"), "2026-10-01")
    assert fact.statement == ("Bright Studio: invoice INV-101 to A Co for $2,000 was due on 2026-10-01 and is "
                              "unpaid, over 30 days.")


def test_an_invoice_listed_again_is_read_from_its_latest_note():
    old, new = "notes/studio/week-45.md", "notes/studio/week-47.md"
    invoice = {"invoice": "INV-101", "client": "A Co", "amount": "$2,000", "due_date": "2026-10-01"}
    rows = [doc(new, updated="2026-11-20"), row(9, path=new, status="Paid", **invoice),  # the later note first
            doc(old, updated="2026-11-06"), row(30, path=old, status="Unpaid", **invoice),
            row(31, path=old, status="Unpaid", **{**invoice, "invoice": "INV-102"})]

    facts = named(portfolio.analyze(rows, ctx()), "invoice_past_due")

    assert [f.statement.split(" to ")[0] for f in facts] == ["Bright Studio: invoice INV-102"]  # 101 is paid now
    assert facts[0].sources == (f"{old}:31",)


def test_rows_of_an_archived_note_are_ignored():
    facts = portfolio.analyze([doc(status="archived"), client(10, "A Co", "$1,000", end="2026-01-01")], ctx())

    assert facts == []


def test_tables_without_a_client_and_fee_column_give_nothing():
    rows = [row(10, unit="1A", status="Let", rent="$900/month"), row(11, client="A Co", notes="friendly")]

    assert portfolio.analyze(rows, ctx()) == []
