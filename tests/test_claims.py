"""Claims checked beyond numbers (claims.py): each check with prose that breaks it and prose
that stands, then the LLM writer repairing or replacing a part that breaks one."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from execbrief.claims import business_patterns, claim_problems
from execbrief.config import load_settings
from execbrief.ledger.store import Ledger
from execbrief.model import Block, Fact, Report
from execbrief.pipeline import run
from execbrief.writers.llm import LLMWriter
from execbrief.writers.offline import OfflineWriter, briefing_facts
from execbrief.writers.providers.openai import OpenAIProvider
from llm_helpers import Sleeps, settings_for, views_for
from llm_server import Fault, LLMServer

BUSINESSES = business_patterns({
    "brightline": ["Brightline Studio", "Brightline"],
    "harbor-flats": ["Harbor Flats", "the Flats"],
    "quickroute": ["QuickRoute Delivery", "QuickRoute", "Quick Route"],
})

FACTS = {f.id: f for f in [
    Fact(id="f-margin", kind="metric", name="net_margin", entity="brightline", value=Decimal("31"), unit="%",
         statement="Brightline Studio's net margin was 31% in October."),
    Fact(id="f-rating", kind="gap", name="no_rating", entity="harbor-flats", severity="medium",
         statement="No customer rating is tracked for Harbor Flats."),
    Fact(id="f-cash", kind="metric", name="cash_change", entity="quickroute", value=Decimal("-4200"), unit="USD",
         statement="QuickRoute Delivery's cash changed by -$4,200 in October."),
    Fact(id="f-key", kind="finding", name="leaked_key", entity="brightline", severity="critical",
         statement="An AWS access key is in the Brightline site repository."),
    Fact(id="f-revenue", kind="metric", name="revenue_change", entity="harbor-flats", value=Decimal("8"), unit="%",
         statement="Harbor Flats rent collected rose 8% on September."),
    Fact(id="f-breakeven", kind="metric", name="break_even", entity="quickroute", value=Decimal("1260.8"),
         statement="QuickRoute Delivery is above break-even by 82.5 deliveries a month."),
    Fact(id="f-group", kind="note", name="group_note", entity=None,
         statement="Brightline and Harbor Flats share one bookkeeper."),
]}


def problems(text: str, *cites: str) -> list[str]:
    return claim_problems(Block(kind="paragraph", text=text, cites=cites), FACTS, "summary", BUSINESSES)


# who the sentence is about


def test_a_sentence_naming_a_business_must_cite_a_fact_of_that_business():
    (problem,) = problems("No customer rating is tracked for Brightline Studio.", "f-rating")
    assert "names Brightline Studio but cites no fact of Brightline Studio" in problem


@pytest.mark.parametrize("text, cites", [
    ("No customer rating is tracked for Harbor Flats.", ("f-rating",)),
    ("No customer rating is tracked for the flats.", ("f-rating",)),  # an alias, any case
    ("Brightline and Harbor Flats share one bookkeeper.", ("f-group",)),  # a group fact naming both
])
def test_a_business_named_by_a_cited_fact_stands(text, cites):
    assert problems(text, *cites) == []


def test_an_alias_with_other_punctuation_is_still_the_business():
    assert problems("Quick-Route spends more than it takes in.", "f-rating")


# severity and direction words


def test_high_margins_called_a_critical_shortfall_fail_twice():
    found = problems("Brightline Studio's high net margins are a critical shortfall.", "f-margin")
    assert any("'critical'" in p for p in found) and any("'shortfall'" in p for p in found)


@pytest.mark.parametrize("text, cites, word", [
    ("Brightline Studio has a critical problem with its margin.", ("f-margin",), "critical"),
    ("Harbor Flats rent collected fell 8%.", ("f-revenue",), "fell"),
    ("QuickRoute Delivery's cash grew in October.", ("f-cash",), "grew"),
    ("Brightline Studio's margin puts it at risk.", ("f-margin",), "at risk"),
    ("QuickRoute Delivery is below break-even.", ("f-breakeven",), "below break-even"),
    ("Harbor Flats is above break-even.", ("f-revenue",), "above break-even"),
    ("Brightline Studio made a loss in October.", ("f-margin",), "loss"),
])
def test_a_severity_or_direction_word_the_cited_facts_do_not_bear_out_fails(text, cites, word):
    found = problems(text, *cites)
    assert any(f"'{word}'" in p for p in found), found


@pytest.mark.parametrize("text, cites", [
    ("A critical AWS key is exposed at Brightline.", ("f-key",)),
    ("QuickRoute Delivery's cash fell by $4,200: a shortfall to watch.", ("f-cash",)),
    ("Harbor Flats rent collected grew 8%.", ("f-revenue",)),
    ("QuickRoute Delivery is above break-even.", ("f-breakeven",)),
    ("Harbor Flats has a reputation risk: no rating is tracked.", ("f-rating",)),
    ("Brightline Studio has no critical problem with its margin.", ("f-margin",)),  # negated: claims nothing
])
def test_words_the_cited_facts_bear_out_stand(text, cites):
    assert problems(text, *cites) == []


def test_a_negation_in_an_earlier_sentence_does_not_excuse_the_word():
    assert problems("Margins did not change. Brightline Studio is in critical shape.", "f-margin")


# no ids in prose


@pytest.mark.parametrize("text", ["Cash fell at QuickRoute Delivery (F12).", "Cash fell at QuickRoute Delivery (f-a8d3587e6245)."])
def test_fact_ids_and_handles_never_appear_in_prose(text):
    (problem,) = problems(text, "f-cash")
    assert "is in the text" in problem


def test_each_item_is_checked_against_its_own_cites():
    block = Block(kind="bullets", items=("Harbor Flats tracks no rating.", "Harbor Flats cash fell."),
                  item_cites=(("f-rating",), ("f-cash",)), cites=("f-rating", "f-cash"))
    found = claim_problems(block, FACTS, "section 'x' block 1", BUSINESSES)
    assert found and all("item 2" in p for p in found)


# the LLM writer repairs, or replaces, a part that breaks a check


def _wrong_business(answer):
    item = answer["summary"][0]
    item["text"] = "Brightline Studio and Harbor Flats and QuickRoute Delivery are all in critical shape."


def _id_in_prose(answer):
    item = answer["summary"][0]
    item["text"] = item["text"] + f" (see {item['cites'][0]})"


@pytest.mark.parametrize("change, expected", [
    (_wrong_business, "cites no fact of"),
    (_id_in_prose, "is in the text"),
])
def test_a_claim_that_fails_is_sent_back_once_then_the_part_passes(change, expected, demo_workspace):
    with LLMServer() as server:
        server.enqueue(Fault.answer(change))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        (report,) = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    assert len(server.model_calls) == 2 and expected in server.model_calls[1]["user"]
    assert report.status == "corrected"
    text = json.dumps(report.model_dump(mode="json"))
    assert "all in critical shape" not in text and "(see F" not in text


def test_a_claim_failing_again_after_repair_is_replaced_by_the_offline_text(demo_workspace):
    with LLMServer() as server:
        server.enqueue(Fault.answer(_wrong_business), Fault.answer(_wrong_business))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings)
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        (report,) = writer.write_many(views)

    assert report.status == "corrected" and "all in critical shape" not in json.dumps(report.model_dump(mode="json"))
    assert any("after one repair" in w.message and "cites no fact of" in w.message for w in writer.warnings)


def _drop_cites(answer):
    for item in [*answer["summary"], *(i for s in answer["sections"] for i in [s["lead"], *s["items"]])]:
        item.pop("cites", None)


def _drop_cites_and_reword(answer):
    _drop_cites(answer)
    answer["summary"][0]["text"] = "In short: " + answer["summary"][0]["text"][:40].lower()


def test_an_item_quoting_a_fact_word_for_word_without_cites_cites_that_fact(demo_workspace):
    # what Qwen2.5-Coder-1.5B did: copied statements and left "cites" out of its items
    with LLMServer() as server:
        server.enqueue(Fault.answer(_drop_cites))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cmo",))
        (report,) = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps()).write_many(views)

    assert len(server.model_calls) == 1 and report.status == "draft"
    (view,) = views
    statements = {f.id: " ".join(f.statement.split()) for f in view.facts.values()}
    items = [(text, cites) for b in report.summary for text, cites in zip(b.items, b.item_cites)]
    assert items and all(cites and all(statements[c] in " ".join(text.split()) for c in cites) for text, cites in items)


def test_an_item_without_cites_that_quotes_no_fact_still_fails(demo_workspace):
    with LLMServer() as server:
        server.enqueue(Fault.answer(_drop_cites_and_reword), Fault.answer(_drop_cites_and_reword))
        settings = settings_for(demo_workspace, "openai", server)
        views, _ = views_for(settings, ("cmo",))
        writer = LLMWriter(settings, OpenAIProvider(settings), sleep=Sleeps())
        (report,) = writer.write_many(views)

    assert len(server.model_calls) == 2 and "summary block 1, item 1 cites no fact" in server.model_calls[1]["user"]
    assert report.status == "corrected" and not any("In short:" in i for b in report.summary for i in b.items)


# the offline writer's text, which replaces a failing part, passes every check itself


def _blocks(report: Report) -> list[Block]:
    return [*report.summary, *(b for s in report.sections for b in s.blocks), *report.upkeep]


def _problems_of(report: Report, facts, businesses) -> list[str]:
    return [p for n, block in enumerate(_blocks(report), 1)
            for p in claim_problems(block, facts, f"{report.key} block {n}", businesses)]


def test_the_demo_offline_reports_pass_every_claim_check(demo_workspace):
    settings = load_settings(demo_workspace.root, environ={})
    businesses = business_patterns({e.id: [e.name, *e.aliases] for e in settings.entities})
    result = run(settings, dry_run=True)
    with Ledger.for_workspace(demo_workspace.root) as ledger:
        _, reports = ledger.reports(result.run_id)
        facts = {f.id: f for f in ledger.facts(result.run_id)}

    assert len(reports) == 8 and {r.writer for r in reports} == {"offline"}
    assert [p for r in reports for p in _problems_of(r, facts, businesses)] == []
    # the checks had claims to check: many lines name a business or say how bad something is
    texts = [t for r in reports for b in _blocks(r) for t in (b.text, *b.items) if t]
    assert sum(1 for t in texts if any(p.search(t) for _, p in businesses.values())) > 20
    assert sum(1 for t in texts if t.startswith(("Critical:", "High:"))) > 5


def test_an_offline_report_cites_only_facts_its_claims_are_checked_against(demo_workspace):
    # a list that leaves a fact to the summary shows the section's next (reserve) fact instead;
    # the claim checks read the cited facts from the briefing's facts, which must hold it
    settings = load_settings(demo_workspace.root, environ={})
    businesses = business_patterns({e.id: [e.name, *e.aliases] for e in settings.entities})
    views, _ = views_for(settings, only=())
    reserve_cited = 0
    for view in views:
        report = OfflineWriter(settings).write(view)
        scope = briefing_facts(view)
        assert [c for b in _blocks(report) for c in b.cites if c not in scope] == []
        assert _problems_of(report, scope, businesses) == []
        reserve = {f.id for facts in view.reserve.values() for f in facts}
        reserve_cited += sum(1 for b in _blocks(report) for c in b.cites if c in reserve)
    assert reserve_cited > 0
