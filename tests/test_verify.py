"""The verifier: every figure, date, address and link traces to a cited fact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.model import Block, Fact, Report, ReportSection, SourceRef
from execbrief.verify import extract_claims, verify

COSTS = Fact(
    id="f-costs", kind="metric", name="costs", entity="alpha", value=Decimal("7200"), unit="USD",
    period="2026-10", statement="Alpha Rentals costs in October 2026 were $7,200.",
)
REVENUE = Fact(
    id="f-revenue", kind="metric", name="revenue", entity="alpha", value=Decimal("12345.67"), unit="USD",
    period="2026-10", statement="Alpha Rentals revenue in October 2026 was $12,346.",
)
CONTACT = Fact(
    id="f-contact", kind="note", name="contacts", entity="alpha",
    statement="Alpha Rentals — Contacts: ops@alpha.example.com, status page https://status.alpha.example.com.",
)
ACTION = Fact(
    id="f-action", kind="action", name="remediation", entity="alpha", severity="high", due=date(2026, 12, 7),
    statement="By 2026-12-07: Service the boiler.", recommendation="Service the boiler",
)
FACTS = {f.id: f for f in (COSTS, REVENUE, CONTACT, ACTION)}


def report(*blocks: Block, summary: tuple[Block, ...] = (), sources: tuple[SourceRef, ...] = ()) -> Report:
    return Report(
        lens="ceo", key="ceo", title="CEO briefing", audience="CEO", organization="Org", period="2026-W48",
        as_of=date(2026, 11, 23), summary=summary,
        sections=(ReportSection(id="s", title="S", blocks=blocks),), sources=sources,
    )


def problems(text: str, *cites: str) -> list[str]:
    return verify(report(Block(kind="paragraph", text=text, cites=cites)), FACTS)


def test_cited_unknown_fact_id_is_flagged():
    found = problems("The boiler needs service.", "f-nope")

    assert found == ["section 's' block 1: cites unknown fact f-nope"]


def test_unknown_fact_in_item_cites_is_flagged():
    block = Block(kind="bullets", items=("Costs were $7,200.",), cites=("f-costs",), item_cites=(("f-gone",),))

    found = verify(report(block), FACTS)

    assert "section 's' block 1: cites unknown fact f-gone" in found


def test_source_list_naming_unknown_fact_is_flagged():
    ref = SourceRef(number=1, fact_id="f-gone", label="x")

    assert verify(report(sources=(ref,)), FACTS) == ["source [1] names unknown fact f-gone"]


def test_number_in_no_cited_fact_is_flagged():
    found = problems("Costs were $9,999 in October 2026.", "f-costs")

    assert found == ["section 's' block 1: the number 9999 is in no cited fact"]


@pytest.mark.parametrize("written", ["$7,200", "7.2k", "7200", "$7,200.00", "7,200", "$7.2k"])
def test_the_same_value_written_in_several_ways_is_accepted(written):
    assert problems(f"Costs were {written}.", "f-costs") == []


def test_rounded_money_is_accepted():
    assert problems("Revenue was $12,346.", "f-revenue") == []
    assert problems("Revenue was $12,345.67.", "f-revenue") == []


def test_wrongly_rounded_money_is_flagged():
    assert problems("Revenue was $12,345.68.", "f-revenue") != []
    assert problems("Revenue was $12,347.", "f-revenue") != []


def test_number_only_in_an_uncited_fact_is_flagged():
    found = problems("Revenue was $12,346.", "f-costs")

    assert found == ["section 's' block 1: the number 12346 is in no cited fact"]


def test_figure_without_any_citation_is_flagged():
    assert problems("Costs were $7,200.") == ["section 's' block 1: the number 7200 is in no cited fact"]


def test_text_without_figures_needs_no_citation():
    assert problems("The boiler needs service soon.") == []


def test_date_the_cited_facts_lack_is_flagged():
    assert problems("Service the boiler by 2026-12-08.", "f-action") == [
        "section 's' block 1: the date 2026-12-08 is in no cited fact"
    ]
    assert problems("Service the boiler by 2026-12-07.", "f-action") == []


def test_email_address_the_cited_facts_lack_is_flagged():
    assert problems("Write to ceo@alpha.example.com.", "f-contact") == [
        "section 's' block 1: the address ceo@alpha.example.com is in no cited fact"
    ]
    assert problems("Write to OPS@alpha.example.com.", "f-contact") == []


def test_url_the_cited_facts_lack_is_flagged():
    found = problems("See https://evil.example.net/pay for details.", "f-contact")

    assert found == ["section 's' block 1: the link https://evil.example.net/pay is in no cited fact"]


def test_url_the_cited_fact_has_is_accepted_in_the_same_form():
    assert problems("Status page https://status.alpha.example.com.", "f-contact") == []


def test_url_ending_a_fact_sentence_is_accepted_mid_sentence():
    assert problems("See https://status.alpha.example.com for updates.", "f-contact") == []


def test_email_in_a_fact_that_is_not_cited_is_still_flagged():
    assert problems("Write to ops@alpha.example.com.", "f-costs") != []


def test_item_cites_are_checked_per_item():
    block = Block(
        kind="bullets",
        items=("Costs were $7,200.", "Revenue was $12,346."),
        cites=("f-costs", "f-revenue"),
        item_cites=(("f-costs",), ("f-costs",)),
    )

    found = verify(report(block), FACTS)

    assert found == ["section 's' block 1, item 2: the number 12346 is in no cited fact"]


def test_item_cites_each_tracing_pass():
    block = Block(
        kind="bullets",
        items=("Costs were $7,200.", "Revenue was $12,346."),
        cites=("f-costs", "f-revenue"),
        item_cites=(("f-costs",), ("f-revenue",)),
    )

    assert verify(report(block), FACTS) == []


def test_table_cells_are_checked_against_block_cites():
    block = Block(kind="table", columns=("Business", "Costs"), rows=(("Alpha Rentals", "$7,200"), ("Beta", "$1,111")),
                  cites=("f-costs",))

    assert verify(report(block), FACTS) == ["section 's' block 1: the number 1111 is in no cited fact"]


def test_summary_blocks_are_checked_and_named():
    found = verify(report(summary=(Block(kind="paragraph", text="Costs were $8,000.", cites=("f-costs",)),)), FACTS)

    assert found == ["summary block 1: the number 8000 is in no cited fact"]


def test_extract_claims_finds_each_kind():
    claims = extract_claims("On 2026-10-05 pay $1,250.50 (12%) to a@b.example.com, see https://x.example.com/a now")

    assert claims.dates == ("2026-10-05",)
    assert claims.emails == ("a@b.example.com",)
    assert claims.urls == ("https://x.example.com/a",)
    assert sorted(n.value for n in claims.numbers) == [Decimal("12"), Decimal("1250.50")]


def test_digits_inside_words_are_not_numbers():
    assert extract_claims("Unit 3B and the 2FA rollout in W48").numbers == ()


@pytest.mark.parametrize("digits", [29, 40, 4301])
def test_a_number_longer_than_decimal_precision_is_checked_not_a_crash(digits):
    huge = "9" * digits
    quoted = Fact(id="f-huge", kind="note", name="note_item", entity="alpha",
                  statement=f"Alpha Rentals: reference {huge} on the roof quote.")
    facts = {**FACTS, quoted.id: quoted}

    def check(text: str, *cites: str) -> list[str]:
        return verify(report(Block(kind="paragraph", text=text, cites=cites)), facts)

    assert check(f"The roof quote has reference {huge}.", "f-huge") == []
    assert check("Costs were $7,200.", "f-costs", "f-huge") == []  # (each allowed number is compared)
    assert check(f"Reference {huge[:-1]}8.", "f-huge")  # a different long number is still flagged
