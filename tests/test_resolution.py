"""A problem or task a later note says is over is not shown as open (analyzers/resolution.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from execbrief.analyzers import AnalysisContext, analyze, associates
from execbrief.model import Evidence, Fact, Provenance

AS_OF = date(2026, 11, 30)
ENTITIES = {"van": ("Sudsy Paws Grooming", "delivery"), "loft": ("Fore St Loft", "short-let")}


def ctx() -> AnalysisContext:
    return AnalysisContext(as_of=AS_OF, entities=ENTITIES)


def day(path: str, heading: str, *bullets: str, entity: str | None = "van", tasks: tuple = ()) -> list[Evidence]:
    """One dated log entry: a section of bullets, and checked or open tasks under it."""
    prov = Provenance(source="notes", path=path, line_start=1, line_end=20)
    out = [Evidence(id=f"ev-{path}-doc", source="notes", kind="document", entity=entity, text=heading,
                    record={"title": heading, "tags": [], "status": "active", "updated": None, "updated_from": "mtime"},
                    provenance=prov),
           Evidence(id=f"ev-{path}-sec", source="notes", kind="section", entity=entity, text=heading,
                    record={"heading": heading, "level": 1, "parents": [],
                            "bullets": [{"text": b, "line": 3 + n} for n, b in enumerate(bullets)]},
                    provenance=prov)]
    for n, (text, done) in enumerate(tasks):
        out.append(Evidence(id=f"ev-{path}-task-{n}", source="notes", kind="task", entity=entity, text=text,
                            record={"done": done, "heading": heading, "due": None},
                            provenance=Provenance(source="notes", path=path, line_start=10 + n, line_end=10 + n)))
    return out


def facts_of(*days: list[Evidence]) -> dict[str, Fact]:
    facts, failures = analyze([ev for d in days for ev in d], ctx())
    assert failures == {}
    return {f.sources[0]: f for f in facts if f.sources and f.sources[0].startswith("notes/")}


def test_a_problem_a_later_entry_says_is_fixed_becomes_a_note_citing_both():
    found = facts_of(
        day("notes/2026-11-17.md", "2026-11-17 tue", "van water heater DEAD this am. no hot water = no baths, -$285",
            "-> get quote from coastal rv for the water heater"),
        day("notes/2026-11-20.md", "2026-11-20 fri", "van back!! water heater replaced at coastal rv, $640 paid"),
    )

    dead, quote = found["notes/2026-11-17.md:3"], found["notes/2026-11-17.md:4"]
    assert (dead.kind, dead.name, dead.severity) == ("note", "resolved_later", None)
    assert dead.statement == (
        "Sudsy Paws Grooming: van water heater DEAD this am. no hot water = no baths, -$285 — resolved by "
        "2026-11-20: van back!! water heater replaced at coastal rv, $640 paid (notes/2026-11-20.md:3).")
    assert dead.sources == ("notes/2026-11-17.md:3", "notes/2026-11-20.md:3")
    assert "risk" not in dead.topics
    assert quote.kind == "note" and "resolved by 2026-11-20" in quote.statement


def test_a_checked_task_settles_the_open_task_of_an_earlier_meeting():
    found = facts_of(
        day("notes/minutes-11-18.md", "Partners meeting — 2026-11-18", entity=None,
            tasks=(("Send the Q3 P&L for both businesses to Reyes CPA — owner: Priya", False),)),
        day("notes/minutes-11-25.md", "Partners meeting — 2026-11-25", entity=None,
            tasks=(("Q3 P&L sent to Reyes CPA on 11/20 (Priya). Done.", True),)),
    )

    sent = found["notes/minutes-11-18.md:10"]
    assert (sent.kind, sent.name) == ("note", "resolved_later") and sent.recommendation is None


def test_nothing_is_settled_backwards_across_businesses_on_common_words_or_by_what_is_still_open():
    found = facts_of(
        # fixed on the 20th: it cannot settle what broke on the 24th
        day("notes/2026-11-20.md", "2026-11-20 fri", "dryer fan replaced, $90"),
        day("notes/2026-11-24.md", "2026-11-24 tue", "dryer fan broken again, grinding"),
        # the loft's heater is not the van's
        day("notes/2026-11-25.md", "2026-11-25 wed", "loft water heater leaking into the unit below", entity="loft"),
        day("notes/2026-11-26.md", "2026-11-26 thu", "water heater replaced, $640 paid"),
        # one shared word is not the same thing
        day("notes/2026-11-27.md", "2026-11-27 fri", "van insurance renewal up 18%, broker late"),
        day("notes/2026-11-28.md", "2026-11-28 sat", "van wash done"),
        # a checked task that says it is not over
        day("notes/2026-11-10.md", "2026-11-10 tue", "Brightwater invoice FN-2031 unpaid, 40 days"),
        day("notes/2026-11-12.md", "2026-11-12 thu", tasks=(("Called Brightwater about FN-2031. Still not paid.", True),)),
    )

    assert found["notes/2026-11-24.md:3"].kind == "finding"
    assert found["notes/2026-11-25.md:3"].kind == "finding"
    assert found["notes/2026-11-27.md:3"].kind == "finding"
    assert found["notes/2026-11-10.md:3"].kind == "finding"
    assert not [f for f in found.values() if f.name == "resolved_later"]


def test_a_status_boards_done_column_does_not_settle_its_backlog_written_the_same_day():
    found = facts_of(day("notes/board.md", "Board — 2026-11-28", "BL: Flat 3 deposit £950 not protected yet, DPS login locked",
                         "BL: chase Connor (Flat 2) for November rent £875", "✅ BL: Flat 2 boiler replaced, £2,400 paid",
                         entity="loft"))

    assert not [f for f in found.values() if f.name == "resolved_later"]


def chat(path: str, *lines: tuple[str, str], entity: str = "van") -> list[Evidence]:
    """A chat export's section: each line a prose item with the time it was written."""
    prov = Provenance(source="notes", path=path, line_start=1, line_end=20)
    return [Evidence(id=f"ev-{path}-doc", source="notes", kind="document", entity=entity, text="chat",
                     record={"title": "chat", "tags": [], "status": "active", "updated": None, "updated_from": "mtime"},
                     provenance=prov),
            Evidence(id=f"ev-{path}-sec", source="notes", kind="section", entity=entity, text="",
                     record={"heading": "", "level": 0, "parents": [],
                             "paras": [{"text": text, "line": 3 + n, "para": n, "said": said}
                                       for n, (said, text) in enumerate(lines)]},
                     provenance=prov)]


def test_a_fix_later_the_same_day_settles_where_both_lines_say_their_time():
    found = facts_of(chat("notes/ops-chat.md",
                          ("2026-11-19T08:05", "luis: gate keypad is down, tenants can't get in, controller board again"),
                          ("2026-11-19T16:05", "luis: gate back up. PTI replaced the controller board, all working")))

    down = found["notes/ops-chat.md:3"]
    assert down.name == "resolved_later" and "resolved by 2026-11-19T16:05" in down.statement
    # the other way round (the fix written before the problem) settles nothing
    backwards = facts_of(chat("notes/ops-chat.md",
                              ("2026-11-19T16:05", "luis: gate keypad is down, tenants can't get in, controller board again"),
                              ("2026-11-19T08:05", "luis: gate back up. PTI replaced the controller board, all working")))
    assert backwards["notes/ops-chat.md:3"].name == "risk"


def test_a_word_every_item_of_a_small_business_uses_still_tells_its_items_apart():
    # four items about one furnace: "furnace" is what they are about, not a common word
    found = facts_of(
        day("notes/2026-11-09.md", "2026-11-09 mon", "furnace at Birch Lane dead, no heat, Northside coming", entity="loft"),
        day("notes/2026-11-12.md", "2026-11-12 thu", "furnace quote from Northside $4,200 ok'd", entity="loft"),
        day("notes/2026-11-14.md", "2026-11-14 sat", "furnace install on the 18th, tenants on space heaters", entity="loft"),
        day("notes/2026-11-19.md", "2026-11-19 thu", "Birch Lane furnace replaced by Northside, heat back on", entity="loft"),
    )

    assert found["notes/2026-11-09.md:3"].name == "resolved_later"


def test_an_amount_said_in_words_and_a_possessive_are_words_a_problem_and_its_end_share():
    found = facts_of(
        day("notes/2026-11-03.md", "2026-11-03", "His deposit, I owe him eleven hundred bucks, need to send that by the 20th"),
        day("notes/2026-11-16.md", "2026-11-16", "Kenji's deposit, I still haven't sent it, need to do that by Friday"),
        day("notes/2026-11-20.md", "2026-11-20", "Okay sent Kenji his deposit back, $1,100 by Zelle, done"),
    )

    assert found["notes/2026-11-03.md:3"].name == "resolved_later"  # "deposit", and $1,100 said in words
    assert found["notes/2026-11-16.md:3"].name == "resolved_later"  # "deposit", and Kenji's is Kenji


def test_a_group_item_naming_someone_only_one_business_deals_with_becomes_that_business():
    found = facts_of(
        day("notes/a.md", "2026-11-05", "Brookside called, they are moving to another groomer, $300 a month gone"),
        day("notes/b.md", "2026-11-09", "Brookside still has not paid October, $300 late"),
        day("notes/c.md", "2026-11-10", "Okay so Gary at Brookside wants the invoices resent, need to do it by Friday",
            entity=None),
        # Zelle: named by one item of the van only; Stripe: by both businesses
        day("notes/d.md", "2026-11-11", "paid the mechanic by Zelle, $90 left over"),
        day("notes/e.md", "2026-11-12", "payout from Stripe late again, $200 missing"),
        day("notes/f.md", "2026-11-12", "payout from Stripe late again for the guests, $150 missing", entity="loft"),
        day("notes/g.md", "2026-11-13", "sent the rest by Zelle, need to check it landed", entity=None),
        day("notes/h.md", "2026-11-13", "a refund from Stripe is missing, $40", entity=None),
    )

    moved = found["notes/c.md:3"]
    assert moved.entity == "van"
    assert moved.statement.startswith("Sudsy Paws Grooming — 2026-11-10: Okay so Gary at Brookside")
    assert found["notes/g.md:3"].entity is None  # a name one item uses is not yet an associate
    assert found["notes/h.md:3"].entity is None  # a name two businesses use says nothing


def test_a_group_item_naming_someone_another_business_deals_with_too_stays_the_groups():
    found = facts_of(
        day("notes/a.md", "2026-11-05", "Brookside called, they are moving to another groomer, $300 a month gone"),
        day("notes/b.md", "2026-11-09", "Brookside still has not paid October, $300 late"),
        # Ray: the loft's handyman, twice, and once in a line of the van's; the item names both
        day("notes/c.md", "2026-11-06", "deck railing loose, asked Ray for a quote", entity="loft"),
        day("notes/d.md", "2026-11-08", "quote from Ray for the railing came in at $450", entity="loft"),
        day("notes/e.md", "2026-11-09", "get a W-9 from Ray before January"),
        day("notes/f.md", "2026-11-20", "To pay in December: the Brookside credit $300, Ray for the railing $450",
            entity=None),
        # ZenMaid: a name though it starts the line, the van's twice
        day("notes/g.md", "2026-11-10", "ZenMaid invoices are wrong again, $49 for nothing"),
        day("notes/h.md", "2026-11-11", "Cancel ZenMaid before the renewal, nobody uses it"),
        day("notes/i.md", "2026-11-19", "ZenMaid renews on Dec 1, $49, cancel it by then", entity=None),
        day("notes/k.md", "2026-11-10", "Semrush reports for the listing, $140", entity="loft"),
        day("notes/l.md", "2026-11-12", "Cancel the Semrush seat, nobody logs in", entity="loft"),
        day("notes/j.md", "2026-11-20", "Cancel ZenMaid and Semrush this month, $189 a month", entity=None),
        day("notes/m.md", "2026-11-21", "renew the listing plan + Semrush before Friday, $140", entity=None),
    )

    assert found["notes/f.md:3"].entity is None  # Brookside is the van's, Ray the loft's
    assert found["notes/i.md:3"].entity == "van"
    assert found["notes/j.md:3"].entity is None  # ZenMaid the van's, Semrush the loft's
    assert found["notes/m.md:3"].entity == "loft"  # a name after "+" is a name


def test_sales_tax_said_in_a_group_item_is_the_business_whose_ledger_collects_it():
    tax = Fact(id="f-tax", kind="metric", name="sales_tax_passed_on", entity="van", value=Decimal("1432"),
               unit="USD", statement="Sudsy Paws Grooming: $1,432 of sales tax or VAT was collected from customers.")
    found = facts_of(day("notes/memo.md", "2026-11-30", "$1,432 is November sales tax collected, due Dec 15",
                         entity=None))
    moved = associates.analyze([*found.values(), tax], ctx())

    assert [(f.id, f.entity) for f in moved] == [(found["notes/memo.md:3"].id, "van")]
    # with two businesses collecting it, the line names neither
    other = tax.model_copy(update={"id": "f-tax2", "entity": "loft"})
    assert associates.analyze([*found.values(), tax, other], ctx()) == []


def test_weekly_headings_without_a_year_date_their_items_so_a_later_week_settles_an_earlier_one():
    # one running note: "## Mon 11/9" and "## Mon 11/16", no year; the note itself is of 11/30
    found = facts_of(
        day("notes/ops-a.md", "Mon 11/9", "Catering: Lone Star Fintech cancelled the 12/5 party, we owe them the "
                                          "$3,000 deposit back"),
        day("notes/ops-b.md", "Mon 11/16", "Refunded Lone Star Fintech's $3,000 deposit on 11/10, done."),
    )

    assert found["notes/ops-a.md:3"].name == "resolved_later"
    assert found["notes/ops-b.md:3"].period == "2026-11-16"


def test_a_group_item_naming_a_payer_of_one_business_in_the_ledger_becomes_that_business():
    rows = [Evidence(id=f"ev-ledger-{n}", source="ledger", kind="transaction", entity="van", text=memo,
                     record={"date": day_, "amount": amount, "account": "Checking", "category": "Sales", "memo": memo},
                     provenance=Provenance(source="ledger", path="ledger/t.csv", line_start=n + 2, line_end=n + 2))
            for n, (day_, amount, memo) in enumerate([
                ("2026-09-04", "180", "Lakeside Realty - job 1004"), ("2026-10-04", "900", "Bayview Dental - job 1011"),
                ("2026-11-04", "900", "Bayview Dental - job 1020")])]  # (the largest payer is another)
    found = facts_of(
        day("notes/memo.md", "Open items", "Lakeside Realty INV-1079 ($640) is now 40 days past its due date.",
            entity=None),
        rows)

    assert found["notes/memo.md:3"].entity == "van"  # the ledger says Lakeside Realty pays the van


def test_a_two_word_name_is_one_word_a_problem_and_its_end_share():
    found = facts_of(
        day("notes/a.md", "2026-11-06", "MRR now $9,900 (Halvorsen 2,500, Bright Acre 1,800, Mosaic 900); Mosaic still unpaid"),
        day("notes/b.md", "2026-11-12", "Bright Acre refund $600 sent. ✅"),
    )

    assert found["notes/a.md:3"].name != "resolved_later"  # a refund to one client ends no note of them all


def test_a_unit_and_its_letter_are_one_word_and_an_end_that_starts_later_settles_nothing_yet():
    found = facts_of(
        day("notes/a.md", "2026-10-02", "Tran (unit B) gave notice: moving out 31 October. Advertising at $1,375."),
        day("notes/b.md", "2026-11-03", "Unit B re-let with no gap: Achebe, 12-month lease from 1 November at $1,375."),
        day("notes/c.md", "2026-11-03", "Flat 4 vacant since October, asking $1,450"),
        day("notes/d.md", "2026-11-20", "Signed the lease for flat 4 at $1,450, starts December first"),
    )

    assert found["notes/a.md:3"].name == "resolved_later"  # "unit B" and $1,375
    assert found["notes/c.md:3"].name == "risk"  # vacant until the lease starts, after the as-of date


def test_the_name_a_done_line_is_labelled_with_and_a_units_kind_are_not_what_it_shares_with_a_problem():
    found = facts_of(
        day("notes/a.md", "2026-09-27", "Marco wants to put flat 3 up at $1,350 (was $1,250 for the Garcias)",
            "Garcias moving out of flat 3 on 9/30; their deposit is $1,200, has to go back within 30 days",
            "Tess is doing the restaurant drops in van 1 for free, nobody decided whether to bill",
            "Tess — van 1 to Dom's", entity=None),
        day("notes/b.md", "2026-11-08", "Marco: Garcia deposit back (sent 11/6). Done.",
            "Tess: van 1 check engine light (O2 sensor at Dom's). Fixed.", entity=None),
        day("notes/c.md", "2026-10-01", "Rent check: Flat 1 ✅ Flat 3 ✅ Flat 2 ❌ (£875, 22 days late today)", entity=None),
        day("notes/d.md", "2026-11-02", "✅ EPCs: Flat 1 C, Flat 2 D, Flat 3 C, valid to 2031", entity=None),
    )

    assert found["notes/a.md:3"].name != "resolved_later"  # shares only "Marco" (a label) and "Garcia"
    assert found["notes/a.md:4"].name == "resolved_later"  # Garcia, deposit, back
    assert found["notes/a.md:5"].name != "resolved_later"  # "Tess" and "van 1": who and which van, not what
    assert found["notes/a.md:6"].name == "resolved_later"  # van 1 and Dom's
    assert found["notes/c.md:3"].name != "resolved_later"  # the same three flats, listed: a roll, not a matter


def test_items_of_one_day_are_ordered_by_the_days_their_words_tell():
    found = facts_of(
        day("notes/a.md", "2026-11-30", "The Square reader died on 10/25, lost the card sales.",
            "The new Square reader came on 11/2 and it has worked since, so that's fixed.",
            "The walk-in freezer died on 11/20, compressor gone.",
            "Walk-in freezer compressor replaced 11/12, fixed.", entity=None),
    )

    assert found["notes/a.md:3"].name == "resolved_later"  # died 10/25, fixed 11/2
    assert found["notes/a.md:5"].name != "resolved_later"  # a fix told before the problem settles nothing


def test_two_words_said_together_by_a_problem_and_a_later_fix_settle_it_where_a_third_is_not_shared():
    found = facts_of(
        day("notes/2026-10-31.md", "2026-10-31", "Quint left a poor review: hot tub was lukewarm all weekend.",
            "Guest asked about the tub towels, the hot water pressure in the shower and a late checkout on Sunday",
            entity="loft"),
        day("notes/2026-11-21.md", "2026-11-21", "Hot tub circulation pump replaced by Terry, heating to 102°F again, invoice paid, fixed",
            entity="loft"),
    )

    review, towels = found["notes/2026-10-31.md:3"], found["notes/2026-10-31.md:4"]
    assert review.name == "resolved_later" and "resolved by 2026-11-21" in review.statement
    # "tub" and "hot", but never said together: another thing
    assert towels.name != "resolved_later"


def test_what_starts_after_the_as_of_date_settles_a_problem_that_wanted_it_by_then_only():
    opened = [ev.model_copy(update={"record": {**ev.record, "due": "2026-12-02"}}) if ev.kind == "task" else ev
              for ev in day("notes/a.md", "2026-11-16", "Plow driver vacancy: Tomás covering two routes, overtime piling up",
                            tasks=(("Hire one seasonal plow driver by Dec 2", False),))]
    found = facts_of(opened, day("notes/b.md", "2026-11-25",
                                 "Ray B. accepted the seasonal plow driver job, starts December first"))

    hire, cover = found["notes/a.md:10"], found["notes/a.md:3"]
    assert hire.name == "resolved_later"  # wanted by 2 December; he starts on the 1st
    assert cover.name != "resolved_later"  # no date it was wanted by: open until he starts


def test_a_unit_and_an_amount_both_say_settle_a_problem_where_a_third_of_its_words_are_not_shared():
    found = facts_of(
        day("notes/a.md", "2026-10-02", "Tran (unit B) gave notice on 9/28: moving out 31 October. "
                                        "We will start advertising at $1,375."),
        day("notes/b.md", "2026-11-03", "Unit B re-let with no gap: Daniel Achebe, 12-month lease from 1 November at $1,375."),
        day("notes/c.md", "2026-10-02", "Unit C gave notice on 9/28, moving out 31 October. Asking $1,375 again."),
    )

    assert found["notes/a.md:3"].name == "resolved_later"
    assert found["notes/c.md:3"].name != "resolved_later"  # another unit, the same rent


def test_business_said_anywhere_and_a_name_with_of_in_it_are_no_words_a_problem_and_an_end_share():
    found = facts_of(
        day("notes/a.md", "2026-11-19", "No owner draws in December, for any of the three businesses. "
                                        "Revisit at the January 7 sync", entity=None),
        day("notes/b.md", "2026-11-20", "Sync broken between the apps, business Sudsy Paws, done", entity=None),
        day("notes/c.md", "2026-11-18", "Refit in January, quote $14,800, to be paid with the Bank of Larch money"),
        day("notes/d.md", "2026-11-30", "Bank of Larch repayment sent: $423 principal + $92 interest"),
    )

    assert found["notes/a.md:3"].name != "resolved_later"  # a decision, not a broken sync
    assert found["notes/c.md:3"].name != "resolved_later"  # a repayment to the bank ends no refit


def test_a_payer_named_alike_settles_what_it_owed_once_an_end_says_it_paid():
    found = facts_of(
        day("notes/a.md", "2026-10-26", "Pinewood Auto Body hasn't paid October's $900, due on the 15th, "
                                        "Stripe retry failed on their card.", "Summit Ridge still owes October ($725)."),
        day("notes/b.md", "2026-11-18", "Pinewood paid Oct + Nov ($1,800) on 11/18 ✅"),
        day("notes/c.md", "2026-11-20", "Paid the Summit plumber ✅"),
    )

    assert found["notes/a.md:3"].name == "resolved_later"
    assert found["notes/a.md:4"].name != "resolved_later"  # "Summit" is another payee's name here: one word, no pay-off


def test_a_task_about_one_invoice_is_not_settled_by_one_about_another():
    found = facts_of(
        day("notes/todo-11-20.md", "Todo — 2026-11-20", entity=None,
            tasks=(("Chase Halden INV-1049 £8,580 (Oct days)", False),)),
        day("notes/todo-11-23.md", "Todo — 2026-11-23", entity=None,
            tasks=(("Chase Halden INV-1045 £9,360", True), ("Chase Pennine RC-1050 £1,800", True))),
        day("notes/todo-11-25.md", "Todo — 2026-11-25", entity=None, tasks=(("Chase Halden INV-1049: paid", True),)),
    )

    chased = found["notes/todo-11-20.md:10"]
    # the one about INV-1049 ends it, on the 25th; INV-1045's did not, on the 23rd
    assert chased.name == "resolved_later" and "resolved by 2026-11-25" in chased.statement


def test_a_balance_a_note_states_is_where_it_stood_not_a_matter_a_later_payment_ends():
    found = facts_of(
        day("notes/2026-11-06.md", "2026-11-06 fri", "Loan: Bank of Larch loan balance after the 11/5 payment: $14,157 "
            "($15,000 − $420 − $423)", entity="loft"),
        day("notes/2026-11-30.md", "2026-11-30 mon", entity="loft",
            tasks=(("Bank of Larch repayment 11/5: $423 principal + $92 interest", True),)),
    )

    balance = found["notes/2026-11-06.md:3"]
    assert balance.kind == "note" and balance.name != "resolved_later" and "resolved" not in balance.statement


def test_a_later_tick_that_says_it_was_done_weeks_before_a_problem_was_written_settles_nothing():
    problem = "tenant ID scans (passports, Right to Rent checks) sit in a Drive folder anyone can open, not sensible"
    found = facts_of(
        day("notes/2026-11-26.md", "2026-11-26 thu", problem),
        day("notes/2026-11-30.md", "2026-11-30 mon", "✅ Right to Rent check, Lucy Park: 28/10/2026"),
    )
    assert found["notes/2026-11-26.md:3"].name == "risk"  # a check done in October is another matter

    found = facts_of(
        day("notes/2026-11-26.md", "2026-11-26 thu", problem),
        day("notes/2026-11-30.md", "2026-11-30 mon", "✅ Right to Rent check scans moved, folder locked: 29/11/2026"),
    )
    assert found["notes/2026-11-26.md:3"].name == "resolved_later"  # done after it was written

    feed = "bank feed in QBO broken since 11/10, Chase keeps rejecting the connection, can't reconcile"
    found = facts_of(
        day("notes/2026-11-12.md", "2026-11-12 thu", feed),
        day("notes/2026-11-19.md", "2026-11-19 thu", "bank feed back up, re-authorized Chase and the feed is fixed, "
                                                     "backfilled from 11/1"),
    )
    assert found["notes/2026-11-12.md:3"].name == "resolved_later"  # 11/1 is what was backfilled, not when


def test_a_tick_and_its_status_first_close_an_item_whatever_words_of_the_matter_follow():
    found = facts_of(
        day("notes/2026-09-15.md", "2026-09-15 tue", "decide: hire a third rider for the Ennis weekend run, about $1,100 a month"),
        day("notes/2026-10-13.md", "2026-10-13 tue",
            "✅ Closed — Third rider for the Ennis weekend run: dropped, moot now that the business is being sold",
            "Pipe damage all sorted since September: floor redone, insurer paid $4,800. About $950 of stock was ruined."),
    )

    closed, pipe = found["notes/2026-10-13.md:3"], found["notes/2026-10-13.md:4"]
    assert (closed.kind, closed.name) == ("note", "resolved")  # "dropped" is the decision's end, not a fall
    assert found["notes/2026-09-15.md:3"].name == "resolved_later"
    assert (pipe.kind, pipe.name) == ("note", "resolved")  # what it cost is told after it is over
