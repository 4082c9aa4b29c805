"""Rules know where they apply: kinds of business, inferred when not set, and what each expects."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, assets, finance, kpis, portfolio
from execbrief.analyzers.kinds import applies, infer_kinds, kinds, revenue_drop, serves
from execbrief.errors import ConfigError
from execbrief.lenses import load_lenses
from execbrief.model import Evidence, Fact, Provenance
from execbrief.pipeline import analysis_context, plan_reports
from execbrief.registry import registry
from ledger_helpers import Ledger, find, named
from note_evidence import table_row

AS_OF = date(2026, 11, 23)


def test_the_documented_kinds_each_say_what_they_expect():
    known = kinds()
    assert {"rental", "short-let", "charter", "delivery", "agency", "retail", "saas", "holding"} <= set(known)
    assert {"occupancy_rate", "rent_roll", "arrears", "maintenance_backlog"} == set(known["rental"].kpis)
    assert "average_nightly_rate" not in known["rental"].kpis and "average_nightly_rate" in known["short-let"].kpis
    assert known["holding"].kpis == ()


def test_a_rule_marked_for_some_kinds_applies_to_those_and_to_businesses_of_no_known_kind():
    @serves("rental", "short-let")
    def lets(): ...

    @serves(exclude=("holding",))
    def trading(): ...

    assert applies(lets, "rental") and applies(lets, None) and not applies(lets, "charter")
    assert applies(trading, "charter") and not applies(trading, "holding")


def test_a_long_let_rental_is_expected_to_track_rent_roll_and_arrears_not_a_nightly_rate():
    ctx = AnalysisContext(as_of=AS_OF, entities={"duplex": ("Elm Duplex", "rental"), "stays": ("Sea Stays", "short-let"),
                                                 "vine": ("Vineyard", "vineyard")},
                          expected_kpis=(("arrears", ("rental", "short-let", "vineyard")),
                                         ("average_nightly_rate", ("rental", "short-let", "vineyard")),
                                         ("booking_conversion_rate", ("rental", "short-let", "vineyard"))))
    gaps = {(f.entity, f.statement) for f in kpis.analyze([], ctx)}

    assert ("duplex", "No arrears figure is tracked for Elm Duplex.") in gaps
    assert not [s for e, s in gaps if e == "duplex" and ("nightly" in s or "booking" in s)]
    assert ("stays", "No average nightly rate is tracked for Sea Stays.") in gaps
    assert {e for e, _ in gaps if e == "vine"} == {"vine"}  # a kind the vocabulary does not know: what the lens lists
    (nps,) = kpis.analyze([], AnalysisContext(as_of=AS_OF, expected_kpis=(("nps", ()),)))
    assert nps.statement == "No NPS is tracked."


def test_a_rent_drop_at_a_rental_is_not_put_down_to_clients_or_channels():
    book = Ledger()
    book.add("2026-09-01", "3000", "alpha", account="Rent")
    book.add("2026-10-01", "1500", "alpha", account="Rent")
    book.add("2026-09-02", "5000", "beta", account="Retainers")
    book.add("2026-10-02", "3000", "beta", account="Retainers")
    ctx = AnalysisContext(as_of=AS_OF, entities={"alpha": ("Elm Duplex", "rental"), "beta": ("Bright Studio", "agency")})

    facts = finance.analyze(book.rows, ctx)

    rental = find(facts, "revenue_change", "alpha")
    assert "clients or channels" not in rental.recommendation
    assert rental.recommendation == ("Find which units stopped paying Elm Duplex rent (a vacancy, arrears or a unit "
                                     "out of service) and re-let or collect on the largest.")
    assert find(facts, "revenue_change", "beta").recommendation == (
        "Find out which clients or channels drove Bright Studio's drop and act on the largest.")
    assert revenue_drop(None, "Acme") == "Find out which customers or channels drove Acme's drop and act on the largest."


def _ledger(*rows: tuple[str, ...]) -> list[Evidence]:
    from execbrief.transactions import TransactionTable

    table = TransactionTable("ledger/t.csv")
    for n, (entity, account, category, amount, *memo) in enumerate(rows):
        table.append("2026-10-01", amount, entity, account, category, "".join(memo), n + 2, n + 2)
    table.drop_index()
    return [Evidence(id="ev-t", source="ledger", kind="transactions", record={"table": table, "rows": len(table)},
                     provenance=Provenance(source="ledger", path="ledger/t.csv"))]


def test_a_kind_not_set_comes_from_the_audit_lens_then_the_revenue_accounts_then_the_name():
    ledger = _ledger(("boats", "Charter income", "revenue", "5800"), ("boats", "Fuel", "cost of sales", "-900"),
                     ("flats", "Rent received", "", "1200"), ("holdco", "Capital contribution", "equity", "20000"),
                     ("holdco", "Bank fees", "", "-25"), ("misc", "Sundry", "", "-10"))
    found = infer_kinds([("boats", "Tern Yachts", None), ("flats", "Mill Lane", None), ("holdco", "Kestrel", None),
                         ("group", "Harbour Holdings", None), ("audited", "Sea Stays", None),
                         ("set", "Set Kind", "agency"), ("misc", "Misc", None)],
                        {"audited": "short-let", "set": "rental"}, ledger)

    assert found == {"boats": "charter", "flats": "rental", "holdco": "holding", "group": "holding",
                     "audited": "short-let", "set": "agency", "misc": None}


def test_the_analysis_context_carries_kinds_units_and_ledger_types(workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text() + """
[[entities]]
id = "tern"
name = "Tern Yachts"
unit = "Delivery"

[[entities]]
id = "elm"
name = "Elm Duplex"

[sources.ledger.types]
"Kestrel Holdings" = "transfer"

[[reports]]
lens = "rental-property"
entities = ["elm"]
to = ["owner@example.com"]
""")
    workspace.write("ledger/t.csv", "date,amount,entity,account,category,memo\n"
                                    "2026-10-01,5800,tern,Delivery fees,revenue,Antigua to Newport\n")
    settings = workspace.settings()
    ledger = registry.get("sources", "ledger")(settings).collect().evidence
    ctx = analysis_context(settings, plan_reports(settings, load_lenses(settings.workspace)), AS_OF, ledger)

    assert ctx.entities["tern"] == ("Tern Yachts", "delivery")  # from "Delivery fees"
    assert ctx.entities["elm"] == ("Elm Duplex", "rental")  # the rental audit reports on it alone
    assert ctx.entities["alpha"] == ("Alpha Rentals", "rental")  # as configured
    assert ctx.units == {"tern": "delivery"}
    assert ctx.ledger_types == (("Kestrel Holdings", "transfer"),)


def test_an_unknown_transaction_type_is_a_config_error_naming_the_key(workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text()
                    + '\n[sources.ledger.types]\n"Owner draws" = "drawings"\n')
    with pytest.raises(ConfigError) as info:
        workspace.settings()
    message = str(info.value)
    assert "sources.ledger.types" in message and "'drawings'" in message and "owner_draw" in message


# -- rosters, contracts and units ----------------------------------------------------------

PATH = "notes/studio/clients.md"


def doc() -> Evidence:
    return Evidence(id="doc", source="notes", kind="document", entity="studio", text="Clients",
                    record={"title": "Clients", "updated": "2026-11-20", "status": "active", "kpis": {}, "tags": []},
                    provenance=Provenance(source="notes", path=PATH, line_start=1, line_end=40))


def studio() -> AnalysisContext:
    return AnalysisContext(as_of=AS_OF, entities={"studio": ("Bright Studio", "agency")})


def test_a_table_of_one_off_jobs_is_no_client_roster():
    jobs = [table_row(10 + n, path=PATH, entity="studio", heading="Jobs", job=f"J-{n}", customer=name, due=due,
                      price=price)
            for n, (name, due, price) in enumerate([("Acme Dental", "2026-11-02", "$4,400"), ("Birch Law", "2026-11-09", "$900"),
                                                    ("Cove Cafe", "2026-11-20", "$4,500")])]

    facts = portfolio.analyze([doc(), *jobs], studio())

    assert named(facts, "mrr") == named(facts, "client_concentration") == named(facts, "client_count") == []


def test_a_fee_column_that_states_its_period_makes_a_roster():
    rows = [table_row(10, path=PATH, entity="studio", heading="Clients", client="Acme Dental", fee="$2,400/month"),
            table_row(11, path=PATH, entity="studio", heading="Clients", client="Birch Law", fee="$900/month"),
            table_row(12, path=PATH, entity="studio", heading="Clients", client="Cove Cafe", fee="$450")]

    facts = portfolio.analyze([doc(), *rows], studio())

    assert find(facts, "mrr", "studio").value == Decimal("3300.00")  # the one-off $450 is no recurring fee


def client(line: int, name: str, end: str, paid: str, fee: str = "$1,500", status: str = "") -> Evidence:
    return table_row(line, path=PATH, entity="studio", heading="Clients", client=name, monthly_fee=fee,
                     contract_end=end, last_paid=paid, status=status)


def test_a_client_whose_contract_ended_is_not_owed_for_nor_a_churn_risk():
    facts = portfolio.analyze([doc(), client(10, "Ended Co", "2026-07-31", "2026-08-15"),  # served, unpaid since
                               client(11, "Live Co", "2027-06-30", "2026-11-05"),
                               client(12, "Gone Co", "2026-06-30", "2026-06-01"),  # ended, no payment since: gone
                               client(13, "Marked Co", "2027-06-30", "2026-07-01", status="Gone")], studio())

    assert not [f for f in facts if f.name in ("invoice_past_due", "receivables_past_due", "churn_risk")]
    assert [f.statement.split(",")[0] for f in named(facts, "contract_past_end")] == [
        "Bright Studio still serves Ended Co ($1"]
    assert find(facts, "mrr", "studio").value == Decimal("3000.00")  # Ended Co and Live Co
    assert not [f for f in facts if "Gone Co" in f.statement or "Marked Co" in f.statement]


def test_rent_roll_is_the_monthly_rent_of_the_let_units_and_only_where_units_are_let():
    units = [table_row(10 + n, path="notes/flats/units.md", entity=entity, heading="Units", unit=u, status=s, rent=r)
             for n, (entity, u, s, r) in enumerate([("flats", "1A", "Let", "$1,250/month"), ("flats", "1B", "Let", "$1,200"),
                                                    ("flats", "2A", "Vacant since 2026-10-01", "$1,250/month"),
                                                    ("flats", "2B", "Short-term rental", "$140/night"),
                                                    ("vans", "Unit 4", "Let", "$300/month")])]
    ctx = AnalysisContext(as_of=AS_OF, entities={"flats": ("Elm Flats", "rental"), "vans": ("Van Couriers", "delivery")})

    facts = assets.analyze(units, ctx)

    roll = find(facts, "rent_roll", "flats")
    assert roll.value == Decimal("2450.00")
    assert roll.statement == "Elm Flats' rent roll is $2,450 a month: the rent of its 2 let units on monthly terms."
    assert [f for f in facts if f.entity == "vans"] == []  # a courier's "unit" column lets nothing


def test_the_kinds_vocabulary_and_the_lenses_agree_on_kpi_names():
    lenses = load_lenses(None)
    every = {kpi for kind in kinds().values() for kpi in kind.kpis}
    listed = {kpi for lens in lenses.values() if lens.entity_kinds for kpi in lens.kpis}
    assert listed <= every  # a KPI an audit lens expects that no kind expects would never be asked for
    assert isinstance(next(iter(kinds().values())).kpis, tuple) and Fact


def test_a_rental_paid_by_the_night_is_a_short_let_and_the_run_says_why():
    ledger = _ledger(("cottage", "Rental income", "Booking income", "2940", "VRBO PAYOUT"),
                     ("cottage", "Rental income", "Booking income", "1980", "VRBO PAYOUT"),
                     ("cottage", "Rental income", "", "450", "Airbnb payout"),
                     ("cottage", "Cleaning", "", "-95", "VRBO cleaning fee"),  # a cost: no vote
                     ("duplex", "Rental income", "", "1500", "Parks rent"),
                     ("duplex", "Rental income", "", "1500", "Parks rent"),
                     ("duplex", "Rental income", "", "200", "airbnb for a weekend"),  # one in three: still a long let
                     ("building", "Rental income", "", "1250", "May rent - Unit 1A"),
                     ("building", "Rental income", "", "700", "Airbnb payout - Unit 2A"),
                     ("building", "Rental income", "", "680", "Airbnb payout - Unit 2B"),
                     ("building", "Rental income", "", "540", "Booking.com payout - Unit 2A"),  # 61%: flats of both
                     ("stays", "Rent", "", "900", "Airbnb"))  # one row is no pattern
    refined: dict[str, str] = {}

    found = infer_kinds([("cottage", "Gull Cottage", "rental"), ("duplex", "Elm Duplex", "rental"),
                         ("stays", "Sea Stays", "rental"), ("boats", "Tern", "charter"),
                         ("building", "Harbor Flats", "rental")], {}, ledger, (), refined)

    assert found == {"cottage": "short-let", "duplex": "rental", "stays": "rental", "boats": "charter",
                     "building": "rental"}
    assert refined == {"cottage": "3 of its 3 revenue rows in the ledger, 100% of its revenue, are stays sold "
                                  "by the night (Airbnb, VRBO, Booking.com, nightly)"}
