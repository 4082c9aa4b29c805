"""The items a reader would pick: severity first in every section, every task of a plan's window.

Each statement is held on facts that plant the case (high findings beside medium ones, tasks
due in two and four days beside remediations due in two weeks) and on the eight built-in
lenses over many generated fact bases.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from execbrief.lenses import build_view, load_lenses
from execbrief.lenses.select import is_plan
from execbrief.model import SEVERITIES, Fact, Lens, LensSection, Selector
from execbrief.vocabulary import builtin_vocabulary
from execbrief.writers.offline import section_block

AS_OF = date(2026, 11, 23)
RANK = {s: n for n, s in enumerate(SEVERITIES)}


def fact(id: str, **changes: object) -> Fact:
    fields: dict[str, object] = {"kind": "finding", "name": "risk", "statement": f"Statement {id}."}
    fields.update(changes)
    return Fact(id=id, **fields)  # type: ignore[arg-type]


def view(lens: Lens, facts: list[Fact]):
    return build_view(lens, facts, key=lens.id, period="2026-W48", as_of=AS_OF, organization="Org",
                      entities={"alpha": "Alpha Rentals", "beta": "Beta Delivery"})


def unlimited_section(lens: Lens, section_id: str) -> Lens:
    """``lens`` with one section's limit lifted, the others' as they are (what a list shows
    depends on what the lists before it show: nothing is listed twice)."""
    return lens.model_copy(update={"sections": tuple(
        s.model_copy(update={"select": s.select.model_copy(update={"limit": 10**6})}) if s.id == section_id else s
        for s in lens.sections)})


def generated(seed: int, lenses: dict[str, Lens]) -> list[Fact]:
    """Facts of every kind, name and topic the built-in lenses select, at random severities,
    money, due dates and periods."""
    rng = random.Random(seed)
    names = sorted({n for lens in lenses.values() for s in lens.sections for n in s.select.names} | {"risk", "task"})
    topics = sorted({t for lens in lenses.values() for s in lens.sections for t in s.select.topics}
                    | {t for lens in lenses.values() for t in lens.focus})
    out = []
    for n in range(400):
        kind = rng.choice(("finding", "gap", "action", "metric", "note"))
        money = rng.random() < 0.3
        out.append(fact(
            f"f-{seed}-{n:03d}", kind=kind, name=rng.choice(names), entity=rng.choice((None, "alpha", "beta")),
            topics=tuple(rng.sample(topics, rng.randint(1, 3))),
            severity=None if kind in ("metric", "note") else rng.choice(SEVERITIES),
            value=Decimal(rng.randint(1, 9000)) if money or kind == "metric" else None,
            unit="USD" if money or kind == "metric" else None,
            due=AS_OF + timedelta(days=rng.randint(-20, 120)) if kind == "action" and rng.random() < 0.9 else None,
            period=f"2026-{rng.randint(1, 11):02d}" if rng.random() < 0.5 else None,
        ))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_no_builtin_section_shows_an_item_while_hiding_a_more_severe_one(seed):
    lenses = load_lenses()
    facts = generated(seed, lenses)
    cut = 0
    for lens in lenses.values():
        shown = view(lens, facts)
        listed: set[str] = set()
        for section in lens.sections:  # a ranked list repeats nothing an earlier list or plan shows
            if section.style in ("metrics", "chart"):
                continue
            ids = {f.id for f in shown.sections[section.id]}
            assert is_plan(section) or not ids & listed, (lens.id, section.id)
            listed |= ids
        for section in lens.sections:
            if section.style in ("metrics", "chart") or section.select.rest:
                continue  # (a rest section's pool depends on what the sections before it show)
            full = view(unlimited_section(lens, section.id), facts)
            kept = {f.id for f in shown.sections[section.id]}
            hidden = [f for f in full.sections[section.id] if f.id not in kept]
            if section.style == "actions" and section.select.due_within_days is not None:
                # a plan takes its window up to its limit, cutting the latest actions
                latest = max((f.due for f in shown.sections[section.id]), default=None)
                assert all(latest is not None and f.due >= latest for f in hidden), (lens.id, section.id)
                assert shown.omitted.get(section.id, 0) == len(hidden)
                cut += bool(hidden)
                continue
            cut += bool(hidden)
            worst_hidden = min((RANK.get(f.severity or "", len(RANK)) for f in hidden), default=len(RANK))
            least_shown = max((RANK.get(f.severity or "", len(RANK)) for f in shown.sections[section.id]), default=0)
            assert worst_hidden >= least_shown, (lens.id, section.id)
            # what a later "rest" section shows (the CEO's watch list) is not counted as left out
            after = lens.sections[lens.sections.index(section) + 1:]
            later = {f.id for other in after if other.select.rest for f in shown.sections[other.id]}
            assert shown.omitted.get(section.id, 0) == len([f for f in hidden if f.id not in later])
    assert cut  # the budgets did cut somewhere: the check above was tested


def test_high_findings_are_shown_before_medium_ones_and_money_orders_them_then_due_then_recency():
    section = LensSection(id="s", title="S", directive="d", select=Selector(kinds=("finding",), limit=5))
    lens = Lens(id="t", title="T", audience="A", sections=(section,), focus=("security",))
    facts = [
        fact("f-med-money", severity="medium", value=Decimal("90000"), unit="USD"),
        fact("f-high-none", severity="high", topics=("security",)),
        fact("f-high-due", severity="high", due=AS_OF + timedelta(days=3)),
        fact("f-high-new", severity="high", period="2026-10"),
        fact("f-high-money", severity="high", value=Decimal("-2800"), unit="USD"),
        fact("f-crit", severity="critical"),
        fact("f-low", severity="low", value=Decimal("500000"), unit="USD"),
    ]
    got = view(lens, facts)
    assert [f.id for f in got.sections["s"]] == ["f-crit", "f-high-money", "f-high-due", "f-high-new", "f-high-none"]
    assert got.omitted == {"s": 2}  # the medium and the low, however much money they name


def test_a_span_of_months_is_as_new_as_its_last_month():
    section = LensSection(id="s", title="S", directive="d", select=Selector(kinds=("finding",), limit=2))
    lens = Lens(id="t", title="T", audience="A", sections=(section,))
    facts = [fact("f-october", severity="high", period="2026-10-20"),
             fact("f-window", severity="high", period="2026-09..2026-11"),  # says how it stood up to November
             fact("f-september", severity="high", period="2026-09-25")]

    assert [f.id for f in view(lens, facts).sections["s"]] == ["f-window", "f-october"]


def test_the_ceo_plan_takes_every_task_due_within_30_days_overdue_first_then_by_date():
    ceo = load_lenses()["ceo"]
    day = lambda n: AS_OF + timedelta(days=n)  # noqa: E731
    tasks = [
        fact("t-overdue", kind="action", name="overdue_task", severity="high", due=day(-3)),
        fact("t-in-2", kind="action", name="open_task", severity="medium", due=day(2)),
        fact("t-in-4", kind="action", name="open_task", severity="medium", due=day(4), evidence=("f-risk",)),
        fact("t-crit-in-2", kind="action", name="remediation", severity="critical", due=day(2)),
        *(fact(f"t-high-{n:02d}", kind="action", name="remediation", severity="high", due=day(14)) for n in range(12)),
        fact("t-in-30", kind="action", name="remediation", severity="medium", due=day(30)),
        fact("t-in-31", kind="action", name="open_task", severity="critical", due=day(31)),
        fact("t-undated", kind="action", name="open_task", severity="high"),
        fact("f-risk", severity="critical", statement="The boiler fails inspection."),
    ]
    got = view(ceo, tasks)
    plan = [f.id for f in got.sections["plan"]]
    assert plan == ["t-overdue", "t-crit-in-2", "t-in-2", "t-in-4",
                    *(f"t-high-{n:02d}" for n in range(12)), "t-in-30"]
    assert "plan" not in got.omitted  # nothing due within the window is left out
    block = section_block(next(s for s in ceo.sections if s.id == "plan"), got)
    assert block.items[0].startswith(f"{day(-3).isoformat()} (overdue):")
    assert [item[:10] for item in block.items[1:4]] == [day(2).isoformat()] * 2 + [day(4).isoformat()]


def test_a_plan_with_a_limit_cuts_the_latest_and_breaks_a_same_day_tie_by_severity():
    section = LensSection(id="p", title="P", directive="d", style="actions",
                          select=Selector(kinds=("action",), due_within_days=30, limit=3))
    lens = Lens(id="t", title="T", audience="A", sections=(section,))
    day = lambda n: AS_OF + timedelta(days=n)  # noqa: E731
    facts = [
        fact("a-low-1", kind="action", severity="low", due=day(1)),
        fact("a-crit-20", kind="action", severity="critical", due=day(20)),
        fact("a-high-5", kind="action", severity="high", due=day(5)),
        fact("a-med-5", kind="action", severity="medium", due=day(5)),
        fact("a-none", kind="action", severity="critical"),
    ]
    got = view(lens, facts)
    assert [f.id for f in got.sections["p"]] == ["a-low-1", "a-high-5", "a-med-5"]
    assert got.omitted == {"p": 1}


def test_a_section_excluding_an_unknown_topic_is_an_error_naming_the_key(workspace):
    from execbrief.errors import LensError

    workspace.write("lenses/eng.toml", (
        'id = "eng"\ntitle = "Eng"\naudience = "CTO"\n'
        '[[sections]]\nid = "todo"\ntitle = "To do"\ndirective = "Engineering tasks."\nstyle = "actions"\n'
        '[sections.select]\nkinds = ["action"]\ntopics = ["tech"]\nexclude_topics = ["plumbing"]\n'
    ))
    with pytest.raises(LensError) as caught:
        load_lenses(workspace.root)
    assert "sections.todo.select.exclude_topics" in str(caught.value) and "'plumbing'" in str(caught.value)
    workspace.write("lenses/eng.toml", (workspace.root / "lenses/eng.toml").read_text().replace('"plumbing"', '"trades"'))
    assert load_lenses(workspace.root)["eng"].sections[0].select.exclude_topics == ("trades",)


def test_an_excluded_topic_keeps_a_fact_out_of_a_section_it_otherwise_matches():
    section = LensSection(id="s", title="S", directive="d", select=Selector(topics=("tech",), exclude_topics=("trades",)))
    lens = Lens(id="t", title="T", audience="A", sections=(section,))
    facts = [fact("f-eng", severity="high", topics=("tech",)), fact("f-plumb", severity="critical", topics=("tech", "trades"))]
    got = view(lens, facts)
    assert [f.id for f in got.sections["s"]] == ["f-eng"] and got.omitted == {}


def test_an_unless_topic_keeps_a_fact_its_excluded_topic_would_leave_out():
    from execbrief.lenses import FactIndex, lens_pool

    select = Selector(kinds=("finding",), topics=("compliance",), exclude_topics=("clients",), unless_topics=("licensing",))
    lens = Lens(id="t", title="T", audience="A", sections=(LensSection(id="s", title="S", directive="d", select=select),))
    facts = [fact("f-ending", topics=("clients", "compliance")),  # a client's contract ending
             fact("f-cover", topics=("clients", "compliance", "licensing")),  # cover the client's contract requires
             fact("f-permit", topics=("compliance", "licensing")),
             fact("f-tax", topics=("compliance",))]
    assert [f.id for f in view(lens, facts).sections["s"]] == ["f-cover", "f-permit", "f-tax"]
    assert [f.id for f in lens_pool(lens, FactIndex(facts), as_of=AS_OF)] == ["f-cover", "f-permit", "f-tax"]
    with pytest.raises(ValueError, match="give exclude_topics too"):
        Selector(topics=("compliance",), unless_topics=("licensing",))


def test_a_section_keeping_an_unknown_topic_is_an_error_naming_the_key(workspace):
    from execbrief.errors import LensError

    workspace.write("lenses/books.toml", (
        'id = "books"\ntitle = "Books"\naudience = "Accounting"\n'
        '[[sections]]\nid = "gaps"\ntitle = "Gaps"\ndirective = "Lapsed licences."\n'
        '[sections.select]\ntopics = ["compliance"]\nexclude_topics = ["clients"]\nunless_topics = ["licence"]\n'
    ))
    with pytest.raises(LensError) as caught:
        load_lenses(workspace.root)
    assert "sections.gaps.select.unless_topics" in str(caught.value) and "'licence'" in str(caught.value)


def test_an_excluded_name_keeps_a_settled_problem_out_of_a_notes_section():
    from execbrief.lenses import FactIndex, lens_pool

    section = LensSection(id="s", title="S", directive="d",
                          select=Selector(kinds=("note",), topics=("accounting",), exclude_names=("resolved_later",)))
    lens = Lens(id="t", title="T", audience="A", sections=(section,))
    facts = [fact("f-booked", kind="note", name="note", topics=("accounting",)),
             fact("f-settled", kind="note", name="resolved_later", topics=("accounting",))]
    assert [f.id for f in view(lens, facts).sections["s"]] == ["f-booked"]
    assert [f.id for f in lens_pool(lens, FactIndex(facts), as_of=AS_OF)] == ["f-booked"]  # (the scan agrees)
    assert {s.id: s.select.exclude_names for s in load_lenses()["accounting"].sections}["book_notes"] == (
        "resolved_later", "stated_before")


def test_a_balance_a_later_one_replaces_is_not_money_in_the_notes_for_the_cfo():
    """Three Friday balances and this week's: the CFO's notes of money show none of the old ones
    (``restated`` made them notes), where a note of a quote still shows."""
    cfo = load_lenses(None)["cfo"]
    old = [fact(f"f-old-{n}", kind="note", name="stated_before", value=Decimal(v), unit="USD", topics=("cash", "finance"),
                statement=f"Group cash balance: ${v} (stated in notes/w.md:{n}); a later figure replaces it.")
           for n, v in enumerate(("20373", "18379", "15190"))]
    quote = fact("f-quote", kind="note", name="money", value=Decimal("450"), unit="USD", topics=("finance",),
                 statement="Group — Money: Ray quoted $450 for the railing.")
    assert [f.id for f in view(cfo, [*old, quote]).sections["notes_money"]] == ["f-quote"]


def test_what_the_summary_states_leaves_room_in_its_section_for_the_next_most_severe():
    from execbrief.writers.offline import OfflineWriter

    ceo = load_lenses()["ceo"]
    findings = [fact(f"f-high-{n:02d}", severity="high", entity="alpha", statement=f"Alpha problem number {n}.")
                for n in range(14)]
    findings += [fact("f-crit", severity="critical", entity="beta", statement="Beta is about to lose its licence.")]
    got = view(ceo, findings)
    # 15 found, and the CEO's other lists empty (no KPI gaps, no assets): their room goes to the
    # shortfalls, twice their own, 12 here; the watch list below takes the rest, none left out
    assert len(got.sections["shortfalls"]) == 12 and got.omitted["shortfalls"] == 0
    report = OfflineWriter().write(got)
    summary = [i for b in report.summary for i in b.items]
    [block] = next(s for s in report.sections if s.id == "shortfalls").blocks
    [watch] = next(s for s in report.sections if s.id == "watch").blocks
    assert block.text == "Besides those in the summary above:"
    # the next most severe fill the section, then the watch list below it takes the rest
    assert block.items == tuple(f"High: Alpha problem number {n}." for n in range(4, 11))
    assert watch.items == tuple(f"High: Alpha problem number {n}." for n in range(11, 14))
    # 15 in the pool: those in the summary, here and in the watch list, and the rest counted, none twice
    shown = [*summary, *block.items, *watch.items]
    assert len(shown) == len(set(shown)) and len(shown) + block.omitted == 15
    cited = {c for cites in block.item_cites for c in cites}
    assert cited <= {s.fact_id for s in report.sources}  # the facts it took in their place are sourced


def test_the_accounting_briefing_lists_who_owes_money_past_its_due_date():
    accounting = load_lenses(None)["accounting"]
    owed = [fact("f-ar-1", name="invoice_past_due", entity="alpha", severity="high", value=Decimal(1450), unit="USD",
                 topics=("clients", "finance", "receivables", "revenue")),  # (as analyzers/portfolio.py gives it)
            fact("f-ar-2", name="receivables_past_due", entity="beta", severity="medium", value=Decimal(1280), unit="USD",
                 topics=("finance", "receivables")),
            # what the notes say is owed ("Gary owing £1,150": vocabulary.toml's receivables words)
            fact("f-ar-3", entity="alpha", severity="medium", value=Decimal(1150), unit="USD",
                 topics=("finance", "receivables")),
            fact("f-vacant", name="vacancy_lost_revenue", kind="metric", entity="alpha", value=Decimal(1875),
                 unit="USD", topics=("finance", "revenue", "revenue-leaks"))]  # (not owed: the CFO's leaks)

    shown = view(accounting, owed).sections["receivables"]
    cfo = view(load_lenses(None)["cfo"], owed).sections["receivables"]

    assert [f.id for f in shown] == ["f-ar-1", "f-ar-2", "f-ar-3"]
    assert {f.id for f in cfo} == {"f-ar-1", "f-ar-2", "f-ar-3", "f-vacant"}


def test_what_others_owe_is_a_receivable_and_what_the_business_owes_or_a_chase_account_is_not():
    vocab = builtin_vocabulary()

    for text in ("Gary owing £1,150", "Oakfield Dental still haven't paid October", "£900 outstanding",
                 "Mr Delgado owes $3,700 in rent", "Flat 2: arrears letter", "Harlow inv SW-1042 $2,860 (Sep) unpaid"):
        assert "receivables" in vocab.topics_for(text), text
    for text in ("We still owe First Harbor the $8k", "Larkspur's Chase account is down to $2,159",
                 "Van 1 service is past due"):
        assert "receivables" not in vocab.topics_for(text), text


def test_the_cfo_briefing_lists_what_is_paid_for_and_not_used_beside_higher_risks():
    cfo = load_lenses(None)["cfo"]
    risks = [fact(f"f-risk-{n}", severity="high", entity="alpha", value=Decimal(5000 + n), unit="USD",
                  topics=("finance", "risk")) for n in range(10)]  # (more than the risks section holds)
    unused = [fact("f-zenmaid", severity="medium", entity="beta", value=Decimal(49), unit="USD",
                   topics=("finance", "risk", "savings")),
              fact("f-subscriptions", kind="note", name="table_row", entity="beta", value=Decimal(140), unit="USD",
                   topics=("cost", "savings"))]

    shown = view(cfo, [*risks, *unused]).sections

    assert [f.id for f in shown["savings"]] == ["f-zenmaid", "f-subscriptions"]
    assert {f.id for f in shown["finance_risks"]} <= {f.id for f in risks}


def test_a_customer_who_is_much_of_the_revenue_is_a_revenue_matter_however_it_is_said():
    vocab = builtin_vocabulary()

    for text in ("Westwind are about half of our delivery work this year", "Harlow ~30% of SWD rev",
                 "Greene is more than a third of my retainers", "Biggest client, 38% of MRR"):
        assert "revenue" in vocab.topics_for(text), text


def test_the_cfos_savings_take_a_dated_saving_to_make_as_well_as_what_the_notes_say():
    cfo = load_lenses()["cfo"]
    facts = [fact("f-klaviyo", kind="action", name="open_task", severity="low", topics=("marketing", "savings"),
                  statement="Downgrade or cancel Klaviyo ($100 a month) by 12/15.", due=date(2026, 12, 15)),
             fact("f-unused", kind="note", name="note", topics=("savings",), statement="ZenMaid is unused.")]
    assert [f.id for f in view(cfo, facts).sections["savings"]] == ["f-klaviyo", "f-unused"]
