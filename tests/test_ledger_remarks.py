"""What the notes say a ledger row is: a sum the books count as a cost that the owners say is
personal is an owner draw (``analyzers.remarks``), read from the notes as people write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analyzers import AnalysisContext, books, finance
from execbrief.analyzers.remarks import verdict
from execbrief.sources.notes import _of_sums
from execbrief.model import Evidence, Provenance
from ledger_helpers import Ledger, find, named

ENTITIES = {"cafe": ("Copper Kettle Cafe", "retail"), "studio": ("Kim Web Studio", "agency"),
            "flats": ("Mill Lane Flats", "rental")}
AS_OF = date(2026, 11, 30)


def ctx() -> AnalysisContext:
    return AnalysisContext(as_of=AS_OF, entities=ENTITIES)


def remark(text: str, days: tuple[str, ...] = (), line: int = 23) -> Evidence:
    """A ``ledger_remark`` as the notes source makes it (``test_the_notes_source_...`` below)."""
    return Evidence(id=f"ev-remark-{line}", source="notes", kind="ledger_remark", text=text,
                    record={"dates": list(days)},
                    provenance=Provenance(source="notes", path="notes/money-notes.md", line_start=line, line_end=line))


def bank() -> Ledger:
    """Three months of a cafe's raw bank export (descriptions only), with a tax payment in September."""
    book = Ledger("ledger/chase-4471.csv")
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-03", "9000", "cafe", account="", memo="SQUARE INC DEPOSIT")
        book.add(f"2026-{month}-05", "-4000", "cafe", account="", memo="SYSCO CORP ACH DEBIT")
        book.add(f"2026-{month}-28", "-2000", "cafe", account="", memo="ZELLE TO ALEX KIM OWNER DRAW")
    book.add("2026-09-15", "-3500", "cafe", account="", memo="IRS USATAXPYMT 270657512345678")
    return book


@pytest.mark.parametrize(("text", "kinds"), [
    ("IRS USATAXPYMT on 9/15 ($3,500) is our personal 1040-ES estimate. It is NOT a cafe expense.", {"owner_draw"}),
    ("The $146 Costco run on 11/22 was personal, not the café's.", {"owner_draw"}),
    ("Mom and Dad take $2,000 a month out for themselves; that's our owner draw.", {"owner_draw"}),
    ("The $1,200 check in October (1043) was Maya's fall tuition at St. Hedwig. Wrong checkbook. Personal.",
     {"owner_draw"}),
    ("The $1,500 online transfers to ...0932 on the 1st and the 15th are my pay from the shop.", {"owner_draw"}),
    # a bookkeeper's question and the owner's answer, cell by cell: the question is no doubt of the answer's
    ("| 09/08 | shop | POS DEBIT DELTA AIR | $1,386.40 | Supplier trip? | Tess: no, that's our fall-break trip. "
     "Family vacation, nothing to do with the shop. |", {"owner_draw"}),
    ("The $3,000 Zelle from me into the duplex account on 11/6. That came out of our savings.",
     {"capital_contribution"}),
    ("The $5,000 ONLINE TRANSFER FROM SAV on 10/5 is our own savings going into the business account.",
     {"capital_contribution"}),
    ("Brightline cancelled the rebrand and I sent their $600 deposit back.", {"refund"}),  # (revenue when it came)
    ("The $1,400 Zelle to Dana Whitlock on 11/11 is her security deposit going back.", {"deposit"}),
    ("The $1,200 to Ada on 10/30 (ZELLE PAYMENT TO ADA OKAFOR) is her draw. Same on 9/30 and 11/27.", {"owner_draw"}),
    ("Holdings gets the businesses' money (Haulage $4,500, Books $3,000) and it pays our draw of $7,500.", set()),
    ("The $2,000 Zelle on the 1st is my own pay, not a contractor.", {"owner_draw"}),
    ("Gave the Hendersons their money back: $450 on 11/3.", {"refund"}),
    ("Transfer of $3,000 between our businesses on 11/3: not an Okoro expense.", {"transfer"}),
    # a question or a guess says nothing yet, nor a line that doubts which of two it was
    ("Costco $146 on the café card (11/22): personal? If so I'll book it as a draw.", set()),
    ("Looks personal (kids' birthday stuff), ask Ada about the $146.", set()),
    ("Amazon, 11/18, $189.99: the monitor arm or the kids' Christmas stuff? I genuinely don't know yet.", set()),
    ("Sam: Jorge, $350. Either the gutters at Maple or me paying him back for personal tickets.", set()),
    # a transfer that does not say it is no cost, and words that only sound like it
    ("ONLINE TRANSFER between accounts, $4,000 on 10/2.", set()),
    ("The Parks' $1,500 deposit is sitting in my personal savings account.", set()),
    ("Moved £6,000 from the Vine Events account to the brasserie on 07/10. That's just our own money moving.", set()),
    ("The $900 quote is not a good price.", set()),
])
def test_a_remark_says_what_its_sums_are_only_when_it_says_so_plainly(text, kinds):
    assert verdict(text) == kinds
    if kinds:  # the notes source's sieve lets through every line a reading starts from
        assert _of_sums(text), text


def test_a_tax_the_owners_say_was_their_own_is_an_owner_draw_not_a_cost_and_a_finding_says_why():
    book = bank()
    said = remark("IRS USATAXPYMT on 9/15 ($3,500) is our personal 1040-ES estimate (joint, for both of us). "
                  "It came out of the cafe account because that's where the cash was. It is NOT a cafe expense.",
                  ("2026-09-15",))
    before = finance.analyze(book.rows, ctx())
    facts = finance.analyze([*book.rows, said], ctx())

    assert find(before, "costs", "cafe", "2026-09").value == Decimal("7500")
    assert find(facts, "costs", "cafe", "2026-09").value == Decimal("4000")
    assert find(facts, "costs_total", "cafe").value == Decimal("12000")
    assert find(facts, "owner_draws", "cafe").value == Decimal("-9500")  # cash still left: a draw
    (found,) = named(books.analyze([*book.rows, said], ctx()), "retyped_by_note")
    assert found.entity == "cafe" and found.value == Decimal("3500") and found.period == "2026-09-15"
    assert found.evidence == (book.rows[-1].id, said.id)
    assert found.statement == (
        "Copper Kettle Cafe: “IRS USATAXPYMT 270657512345678” of 15 September 2026 ($3,500, ledger/chase-4471.csv "
        "line 11) is counted as an owner draw, not as operating expense, as the notes say it is the owners' own: "
        "personal spending or their pay, not the business's (notes/money-notes.md line 23).")
    assert found.recommendation == ("Book “IRS USATAXPYMT 270657512345678” of 15 September 2026 ($3,500) as an owner "
                                    "draw in the books, so their own reports agree.")


def test_a_remark_names_its_row_by_sum_and_day_or_by_sum_and_words():
    book = bank()
    book.add("2026-10-14", "-3500", "cafe", account="", memo="HOBART SERVICE REPAIR")  # the same sum, another day
    # a bank posts a payment a day or two after it is made
    late = remark("The IRS payment of $3,500 made 9/13 was our personal estimate.", ("2026-09-13",))
    assert find(finance.analyze([*book.rows, late], ctx()), "costs", "cafe", "2026-09").value == Decimal("4000")
    assert find(finance.analyze([*book.rows, late], ctx()), "costs", "cafe", "2026-10").value == Decimal("7500")
    # naming no day, the row whose words it shares: every such row
    words = remark("The $3,500 to IRS USATAXPYMT is personal tax, paid from the cafe account.")
    facts = finance.analyze([*book.rows, words], ctx())
    assert find(facts, "costs", "cafe", "2026-09").value == Decimal("4000")
    assert find(facts, "costs", "cafe", "2026-10").value == Decimal("7500")
    # a sum no row of the ledger has, or a day no row of that sum is near, retypes nothing
    for elsewhere in (remark("The $3,400 on 9/15 was personal.", ("2026-09-15",)),
                      remark("The $3,500 on 8/1 was personal.", ("2026-08-01",))):
        assert not named(books.analyze([*book.rows, elsewhere], ctx()), "retyped_by_note")


def test_of_two_rows_a_remark_cannot_tell_apart_it_retypes_neither():
    book = bank()
    book.add("2026-09-15", "-3500", "cafe", account="", memo="HOBART SERVICE REPAIR")
    vague = remark("The $3,500 on 9/15 was personal.", ("2026-09-15",))
    assert not named(books.analyze([*book.rows, vague], ctx()), "retyped_by_note")
    named_by_words = remark("The IRS $3,500 on 9/15 was personal.", ("2026-09-15",))
    (found,) = named(books.analyze([*book.rows, named_by_words], ctx()), "retyped_by_note")
    assert "IRS USATAXPYMT" in found.statement


def test_a_remark_never_makes_revenue_a_draw_nor_retypes_money_that_is_already_no_cost():
    book = bank()
    # each names its row by its sum, day and words: only the type of the row keeps it as it is
    said = [remark("The $9,000 SQUARE deposit on 9/3 is personal, not a cafe expense.", ("2026-09-03",), 3),
            remark("The $2,000 ZELLE TO ALEX KIM on 9/28 is personal.", ("2026-09-28",), 4)]
    assert not named(books.analyze([*book.rows, *said], ctx()), "retyped_by_note")
    assert find(finance.analyze([*book.rows, *said], ctx()), "revenue_total", "cafe").value == Decimal("27000")


def test_the_owners_money_put_in_is_capital_their_pay_a_draw_and_a_refund_names_whom_it_went_back_to():
    book = bank()
    book.add("2026-11-06", "3000", "cafe", account="", memo="ZELLE FROM NOWAK SAMUEL")  # savings put in
    for day in ("2026-09-01", "2026-10-01", "2026-11-01"):
        book.add(day, "-1500", "cafe", account="", memo="ONLINE TRANSFER TO CHK ...0932")  # the owner's pay
    book.add("2026-11-12", "-600", "cafe", account="", memo="ZELLE TO BRIGHTLINE YOGA LLC")
    book.add("2026-11-12", "-600", "cafe", account="", memo="SYSCO CORP ACH DEBIT")  # the same sum, a supplier
    said = [remark("Same idea with the $3,000 Zelle from me on 11/6. That came out of our savings.", ("2026-11-06",), 3),
            remark("The $1,500 online transfers to ...0932 on the 1st and the 15th are my pay.", (), 4),
            remark("Brightline cancelled and I refunded their $600 deposit on 11/12.", ("2026-11-12",), 5)]
    facts = finance.analyze([*book.rows, *said], ctx())
    found = {f.statement.split(" counted as ")[1].split(", not")[0]: f
             for f in named(books.analyze([*book.rows, *said], ctx()), "retyped_by_note")}

    # one finding for each line of the notes, however many rows it names: one thing to book
    assert sorted(found) == ["a refund", "capital put in by the owners", "owner draws"]
    assert found["owner draws"].value == Decimal("4500")
    assert found["owner draws"].statement == (
        "Copper Kettle Cafe: 3 rows, $4,500 from 1 September 2026 to 1 November 2026 (“ONLINE TRANSFER TO CHK ...0932”; "
        "ledger/chase-4471.csv lines 13, 14, 15), are counted as owner draws, not as transfers, as the notes say they "
        "are the owners' own: personal spending or their pay, not the business's (notes/money-notes.md line 4).")
    assert found["owner draws"].recommendation == (
        "Book the 3 rows of ledger/chase-4471.csv lines 13, 14, 15 as owner draws in the books, so their own reports agree.")
    assert find(facts, "capital_contributions", "cafe").value == Decimal("3000")
    assert find(facts, "owner_draws", "cafe").value == Decimal("-10500")  # three Zelles and three transfers
    assert not named(facts, "transfers")
    assert find(facts, "revenue_total", "cafe").value == Decimal("26400")  # the refund lessens revenue
    assert find(facts, "costs", "cafe", "2026-11").value == Decimal("4600")  # Sysco's $600 stays a cost


def test_a_row_that_states_several_sums_and_days_names_only_rows_that_share_its_words():
    book = bank()
    book.add("2026-10-15", "-6000", "cafe", account="", memo="GUSTO PAYROLL")
    row = remark("| 12/05/2026 | Lone Star Fintech | holiday party | $6,000 | $3,000 (10/15) refunded 11/10 | cancelled |",
                 ("2026-12-05", "2026-10-15", "2026-11-10"))
    assert not named(books.analyze([*book.rows, row], ctx()), "retyped_by_note")


def test_a_question_in_the_notes_retypes_nothing():
    book = bank()
    asked = remark("IRS USATAXPYMT $3,500 on 9/15: personal? Ask Dana.", ("2026-09-15",))
    assert not named(books.analyze([*book.rows, asked], ctx()), "retyped_by_note")


BANK = """Date,Description,Debit,Credit,Balance,Business
09/03/2026,SQUARE INC DEPOSIT,,9000.00,39000.00,Copper Kettle Cafe
09/05/2026,SYSCO CORP ACH DEBIT,4000.00,,35000.00,Copper Kettle Cafe
09/15/2026,IRS USATAXPYMT 270657512345678,3500.00,,31500.00,Copper Kettle Cafe
10/03/2026,SQUARE INC DEPOSIT,,9000.00,40500.00,Copper Kettle Cafe
10/05/2026,SYSCO CORP ACH DEBIT,4000.00,,36500.00,Copper Kettle Cafe
"""

MONEY_NOTES = """---
title: Money notes (shared)
updated: 2026-10-29
---

# Money notes

## How to read the bank export

- IRS USATAXPYMT on 9/15 ($3,500) is our personal 1040-ES estimate (joint, for both of us).
  It came out of the cafe account because that's where the cash was. It is NOT a cafe
  expense.
- SBA EIDL PMT is the cafe's old 2020 EIDL loan, $731 a month.

## Weekly

We paid the Hobart repair, $640 on 10/14. The $3,500 to the IRS on 9/15 was personal. It was not a cafe cost.

| Date | Description | Amount | Question | Answer |
|---|---|---|---|---|
| 09/15 | IRS USATAXPYMT | $3,500.00 | What tax is this? | Our personal estimate, not the cafe's. |
"""

CONFIG = """[organization]
name = "Kim & Morales"
currency = "USD"

[[entities]]
id = "cafe"
name = "Copper Kettle Cafe"
kind = "retail"

[sources.notes]
paths = ["notes"]

[sources.ledger]
paths = ["ledger"]

[sources.ledger.columns]
date = "Date"
debit = "Debit"
credit = "Credit"
entity = "Business"
memo = "Description"

[delivery]
method = "outbox"
sender = "briefings@example.com"

[run]
as_of = "2026-10-31"
"""


def test_the_notes_source_hands_the_ledger_what_its_lines_say_of_sums_and_the_runner_keeps_it(tmp_path):
    """Bullets and prose alike; the incremental runner reads remarks without building a note,
    and gives what a full analysis gives, before and after the note changes."""
    from test_incremental import _age, full, incremental

    (tmp_path / "notes").mkdir()
    (tmp_path / "ledger").mkdir()
    (tmp_path / "execbrief.toml").write_text(CONFIG)
    (tmp_path / "ledger/chase-4471.csv").write_text(BANK)
    note = tmp_path / "notes/money-notes.md"
    note.write_text(MONEY_NOTES)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            _age(path)
    as_of = date(2026, 10, 31)
    from execbrief.config import load_settings
    from execbrief.registry import registry

    result = registry.get("sources", "notes")(load_settings(tmp_path, environ={})).collect_parts()
    (part,) = result.parts
    said = [(ev.provenance.line_start, ev.record["dates"], ev.entity) for ev in part.hits if ev.kind == "ledger_remark"]
    assert said == [(10, ["2026-09-15"], "cafe"), (17, ["2026-09-15"], "cafe"), (21, ["2026-09-15"], "cafe")]
    # (the bullet, the prose's sentence, the bookkeeper's table row)
    assert [ev.id for ev in part.evidence() if ev.kind == "ledger_remark"] == [ev.id for ev in part.hits
                                                                                 if ev.kind == "ledger_remark"]

    facts, _ = incremental(tmp_path, as_of)
    assert facts == full(tmp_path, as_of)
    assert find(facts, "costs", "cafe", "2026-09").value == Decimal("4000")
    assert len(named(facts, "retyped_by_note")) == 1  # the first remark that names it

    facts, stats = incremental(tmp_path, as_of)  # nothing changed: nothing built
    assert stats.notes_built == 0 and "finance" in stats.reused

    note.write_text(MONEY_NOTES.replace("is our personal 1040-ES estimate", "is the cafe's 941 deposit")
                    .replace("was personal. It was not a cafe cost.", "was the payroll tax.")
                    .replace("Our personal estimate, not the cafe's.", "The cafe's payroll tax."))
    _age(note)
    facts, stats = incremental(tmp_path, as_of)
    assert facts == full(tmp_path, as_of)
    assert find(facts, "costs", "cafe", "2026-09").value == Decimal("7500")
    assert not named(facts, "retyped_by_note") and "finance" in stats.computed


def test_a_remark_naming_several_days_of_one_sum_names_a_row_each_day():
    book = Ledger("ledger/checking.csv")
    for month in ("09", "10", "11"):
        book.add(f"2026-{month}-03", "3000", "flats", account="", memo="ZELLE PAYMENT FROM M DIALLO")
        book.add(f"2026-{month}-28", "-1200", "flats", account="", memo="ZELLE PAYMENT TO ADA OKAFOR")
    book.add("2026-11-11", "-1400", "flats", account="", memo="ZELLE PAYMENT TO DANA WHITLOCK")
    said = [remark("The $1,200 to Ada on 10/28 (ZELLE PAYMENT TO ADA OKAFOR) is her draw. Same on 9/28 and 11/28.",
                   ("2026-10-28", "2026-09-28", "2026-11-28")),
            remark("The $1,400 Zelle to Dana Whitlock on 11/11 is her security deposit going back.", ("2026-11-11",), 4)]
    facts = finance.analyze([*book.rows, *said], ctx())

    assert find(facts, "costs_total", "flats").value == Decimal("0")  # draws and a deposit back: no costs
    assert find(facts, "owner_draws", "flats").statement.startswith("Mill Lane Flats: owner draws of $3,600")
    assert find(facts, "deposits_held", "flats").value == Decimal("-1400")

    # money in from the owners' own savings is capital, whatever the bank calls the move
    book.add("2026-10-05", "5000", "flats", account="", memo="ONLINE TRANSFER FROM SAV ...4471")
    savings = remark("The $5,000 ONLINE TRANSFER FROM SAV on 10/5 is our own savings going into the business account.",
                     ("2026-10-05",), 5)
    facts = finance.analyze([*book.rows, *said, savings], ctx())
    assert find(facts, "capital_contributions", "flats").value == Decimal("5000")
    assert not [f for f in facts if f.name == "transfers" and f.entity == "flats"]
