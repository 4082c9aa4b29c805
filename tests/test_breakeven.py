"""Break-even in units: only with fixed costs and a count of units, compared unrounded, in named units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, analyze
from execbrief.model import Evidence, Fact, Provenance
from ledger_helpers import Ledger, find, named

ENTITIES = {"tern": ("Tern Charters", "charter"), "vans": ("Van Couriers", "delivery"),
            "holdco": ("Kestrel Holdings", "holding")}


def ctx(**changes: object) -> AnalysisContext:
    fields: dict[str, object] = {"as_of": date(2026, 11, 23), "entities": ENTITIES}
    fields.update(changes)
    return AnalysisContext(**fields)  # type: ignore[arg-type]


def charters(per_month: tuple[int, ...] = (2, 1, 2), fixed: str = "-1280", entity: str = "tern") -> Ledger:
    """Charters at $1,500 with $500 of cost of sales each, and fixed costs every month, Aug-Oct."""
    book = Ledger()
    for month, count in zip(("08", "09", "10"), per_month):
        for n in range(count):
            book.add(f"2026-{month}-{n + 3:02d}", "1500", entity, account="Charter income", category="revenue",
                     memo=f"Charter {month}-{n} - Wills family")
            book.add(f"2026-{month}-{n + 3:02d}", "-500", entity, account="Crew and fuel", category="cost of sales")
        if fixed:
            book.add(f"2026-{month}-28", fixed, entity, account="Mooring and insurance", category="operating")
    return book


def test_break_even_is_worked_out_unrounded_and_said_as_above_or_below_by_units():
    # 5 charters in three months (1.67 a month) at a contribution of $1,000 each; fixed costs of
    # $1,280 a month need 1.28 charters: above break-even, though 1.7 is less than 2
    facts, _ = analyze(charters().rows, ctx(units={"tern": "charter"}))

    fact = find(facts, "break_even_units", "tern")
    assert (fact.kind, fact.severity, fact.value, fact.unit) == ("metric", None, Decimal("1.3"), "charters/month")
    assert fact.statement == ("Tern Charters is above break-even by 0.4 charters a month: fixed costs of $1,280 a month "
                              "need 1.3 charters a month at a contribution of $1,000 a charter; it sold 1.7 a month "
                              "over August–October 2026 (one revenue row each).")
    rows = find(facts, "revenue_rows", "tern")
    assert (rows.value, rows.subject) == (Decimal(5), "charter")  # "Charter 08-0 - Wills family"
    assert set(fact.evidence) == {find(facts, "contribution_margin", "tern").id, find(facts, "fixed_costs", "tern").id,
                                  rows.id}


def test_selling_fewer_units_than_break_even_is_a_high_finding_with_the_gap_in_units():
    facts, _ = analyze(charters(per_month=(1, 0, 1), fixed="-1000").rows, ctx(units={"tern": "charter"}))

    fact = find(facts, "break_even_units", "tern")
    assert (fact.kind, fact.severity) == ("finding", "high")
    # two charters in three months (0.67 a month) against fixed costs that need one a month
    assert fact.statement.startswith("Tern Charters is below break-even by 0.3 charters a month: fixed costs of "
                                     "$1,000 a month need 1 charter a month at a contribution of $1,000 a charter; "
                                     "it sold 0.7 a month")
    assert fact.recommendation.startswith("Close the gap of 0.3 charters a month")


def test_no_break_even_without_fixed_costs():
    facts, _ = analyze(charters(fixed="").rows, ctx(units={"tern": "charter"}))

    assert named(facts, "break_even_units") == named(facts, "fixed_costs") == []
    assert named(facts, "contribution_margin")
    assert not [f for f in facts if "$0.00" in f.statement and "fixed" in f.statement and "need" in f.statement]


def test_no_break_even_without_a_counted_unit_and_never_in_an_account_name():
    facts, _ = analyze(charters().rows, ctx())

    assert named(facts, "break_even_units") == []
    assert not [f for f in facts if "Charter income sale" in f.statement]


def couriers() -> Ledger:
    """A courier paid by weekly platform payouts: a row is many deliveries."""
    book = Ledger()
    for month in ("08", "09", "10"):
        book.add(f"2026-{month}-14", "4000", "vans", account="Delivery revenue", category="revenue",
                 memo="Stripe payout - app orders")
        book.add(f"2026-{month}-15", "-900", "vans", account="Fuel", category="cost of sales")
        book.add(f"2026-{month}-16", "-1800", "vans", account="Van lease", category="operating")
    return book


def test_rows_that_bundle_many_sales_are_not_units_even_with_a_unit_configured():
    facts, _ = analyze(couriers().rows, ctx(units={"vans": "delivery"}))

    assert named(facts, "revenue_rows") == named(facts, "break_even_units") == []


def kpi(name: str, value: str, entity: str, period: str = "2026-11-18") -> Fact:
    return Fact(id=f"f-kpi-{name}-{period}", kind="metric", name=name, entity=entity, value=Decimal(value),
                period=period, statement=f"{name}: {value}", topics=("kpi",))


def test_units_counted_in_the_notes_name_the_unit_and_give_break_even():
    from execbrief.analyzers import breakeven, finance

    context = ctx()
    facts = finance.analyze(couriers().rows, context) + [kpi("deliveries_per_week", "60", "vans"),
                                                     kpi("deliveries_per_week", "40", "vans", "2026-09-01")]
    (fact,) = breakeven.analyze(facts, context)

    # 60 a week is 260 a month; each brings in 3,100 / 260; fixed costs of 1,800 need 150.97
    assert fact.statement == ("Van Couriers is above break-even by 109 deliveries a month: fixed costs of $1,800 a "
                              "month need 151 deliveries a month at a contribution of $11.92 a delivery; the notes "
                              "put it at 60 deliveries per week (260 a month).")


def test_a_holding_company_gets_no_break_even():
    facts, _ = analyze(charters(entity="holdco").rows, ctx(units={"holdco": "charter"}))
    assert named(facts, "break_even_units") == []


def test_a_count_of_money_a_week_is_not_a_count_of_units():
    from execbrief.analyzers.breakeven import units_kpi

    context = ctx()
    assert units_kpi(kpi("deliveries_per_week", "60", "vans"), context) == ("delivery", Decimal(260))
    money = Fact(id="f-1", kind="metric", name="revenue_per_week", entity="vans", value=Decimal("900"),
                 unit="USD", statement="s")
    assert units_kpi(money, context) is None
    assert units_kpi(kpi("cost_per_delivery", "7.5", "vans"), context) is None
    assert units_kpi(kpi("bookings_per_month", "12", "tern"), ctx(units={"tern": "charter"})) == ("charter", Decimal(12))


def test_the_opening_cash_item_does_not_disturb_break_even():
    opening = Evidence(id="ev-open", source="ledger", kind="resource", text="Opening cash",
                       record={"type": "opening_cash", "amount": "5000", "date": "2026-08-01"},
                       provenance=Provenance(source="ledger", path="execbrief.toml", line_start=3, line_end=3))
    facts, _ = analyze(charters().rows + [opening], ctx(units={"tern": "charter"}))
    assert len(named(facts, "break_even_units")) == 1


def note(entity: str, text: str) -> Fact:
    return Fact(id=f"f-note-{abs(hash(text))}", kind="note", name="how_we_work", entity=entity, statement=text)


def test_a_note_saying_one_row_is_one_unit_names_the_unit_and_counts_the_rows():
    from execbrief.analyzers import breakeven, finance

    context = ctx()
    facts = finance.analyze(charters().rows, context)
    said = note("tern", "Tern Charters — How we work: Each trip is one line in the books.")
    (fact,) = breakeven.analyze(facts + [said], context)

    assert "above break-even by 0.4 trips a month" in fact.statement and said.id in fact.evidence
    assert breakeven.analyze(facts + [note("vans", "Each trip is one line in the books.")], context) == []


def test_a_unit_the_notes_price_by_counts_rows_only_where_every_memo_names_it():
    from execbrief.analyzers import breakeven, finance

    context = ctx()
    facts = finance.analyze(charters().rows, context)  # every memo reads "Charter 08-0 - Wills family"

    (fact,) = breakeven.analyze(facts + [note("tern", "Priced per charter: $1,500 a day.")], context)
    assert "charters a month" in fact.statement
    assert breakeven.analyze(facts + [note("tern", "Priced per hour of sailing.")], context) == []


def test_a_seasonal_business_s_contribution_is_over_every_month_since_its_first():
    book = Ledger()
    for day, price in (("2026-05-12", "5800"), ("2026-07-20", "6900"), ("2026-09-03", "4200")):  # a few jobs a year
        book.add(day, price, "tern", account="Delivery fees", category="revenue", memo="delivery")
        book.add(day, "-2000", "tern", account="Crew", category="cost of sales")
    book.add("2026-10-15", "-300", "tern", account="Dockage", category="operating")

    facts, _ = analyze(book.rows, ctx())

    contribution = find(facts, "contribution_margin", "tern")
    assert contribution.period == "2026-05..2026-10"  # not the last three months, which hold one job
    assert contribution.value == Decimal("1816.67")  # (16,900 - 6,000) / 6


def test_a_unit_the_notes_price_by_counts_rows_that_each_name_their_own_job():
    from execbrief.analyzers import breakeven, finance

    book = Ledger()
    for month in ("08", "09", "10"):
        for n in range(3):
            book.add(f"2026-{month}-{n + 2:02d}", "160", "vans", account="Delivery income", category="Income",
                     memo=f"NC-{month}{n:02d} Zone C - Bayside Furniture")
        book.add(f"2026-{month}-20", "-100", "vans", account="Fuel", category="Cost of Goods Sold")
        book.add(f"2026-{month}-21", "-150", "vans", account="Yard rent", category="Expense")
    context = ctx()
    facts = finance.analyze(book.rows, context)
    rows = find(facts, "revenue_rows", "vans")
    assert (rows.value, rows.unit) == (Decimal(9), "jobs")

    (fact,) = breakeven.analyze(facts + [note("vans", "Priced per delivery by zone, paid when booked.")], context)
    # 3 deliveries a month bring in 480 less 100 of fuel; 150 of fixed costs need 1.2 a month
    assert fact.statement.startswith("Van Couriers is above break-even by 1.8 deliveries a month: fixed costs of "
                                     "$150 a month need 1.2 deliveries a month")


def test_the_unit_words_prefilter_finds_what_the_expressions_find_on_their_own():
    import re

    from execbrief.analyzers import breakeven

    for point in range(0x80, 0x10000):  # every other character (?i) takes for an ASCII letter
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if re.fullmatch("(?i)" + letter, chr(point)):
                assert breakeven._folded(chr(point)) == letter, hex(point)
    statements = ["Harbor — Ops: each charter is one line in the books.", "EACH LOAD HAS ITS OWN ROW.",
                  "One entry per job.", "priced per load", "Charged by the pallet.", "We are ınvoıced a month.",
                  "Each delivery gets a single tranſaction.", "ONE LİNE FOR EVERY TRIP", "Billed for each hour",
                  "Each charter is one thing.", "nothing here", "One row a night"]
    for text in statements:
        fact = Fact(id="f-1", kind="note", name="n", entity="a", statement=text)
        plain = [(m["unit"].lower(), True) for p in breakeven.ONE_ROW for m in p.finditer(text)]
        plain += [(m["unit"].lower(), False) for m in breakeven.PRICED.finditer(text)]
        assert [(u, one) for u, one, _ in breakeven.notes_unit(fact)] == [
            (breakeven._singular(u), one) for u, one in plain], text
    assert len(breakeven.notes_unit(Fact(id="f-2", kind="note", name="n", statement=statements[-1]))) == 1
    assert len(breakeven.notes_unit(Fact(id="f-3", kind="note", name="n", statement=statements[5]))) == 1
