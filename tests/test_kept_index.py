"""A fact base's index kept with it and told beside the next base (``execbrief.lenses.kept``).

An index told beside a kept one must be the index made from the facts: the same positions
by value, the same columns, and the same briefings of every built-in lens. Each case records
real fact bases in a real ledger, which says where two bases differ.
"""

from __future__ import annotations

import random
from array import array
from datetime import timedelta
from decimal import Decimal

import pytest

from execbrief.ledger import Ledger
from execbrief.lenses import FactIndex, build_view, load_lenses
from execbrief.lenses.kept import index_of_base
from execbrief.model import SEVERITIES, Fact, FactBase

from test_lens_selection import AS_OF, generated


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / ".execbrief" / "ledger.db") as opened:
        yield opened


def plain(index: FactIndex) -> tuple[dict, dict]:
    """An index's parts with every list of positions a list (made ones are lists, kept ones arrays)."""
    positions, columns = index.parts()
    return ({field: {value: list(at) for value, at in by_value.items()} if field != "dated" else dict(by_value)
             for field, by_value in positions.items()}, columns)


def views(index: FactIndex, lenses) -> list:
    return [build_view(lens, index, key=lens.id, period="2026-W48", as_of=AS_OF, organization="Org",
                       entities={"alpha": "Alpha Rentals", "beta": "Beta Delivery"}) for lens in lenses.values()]


def edited(facts: list[Fact], seed: int) -> list[Fact]:
    """Some facts changed, some gone and some new (first, last and between), in id order."""
    rng = random.Random(seed)
    out = []
    for n, f in enumerate(facts):
        roll = rng.random()
        if roll < 0.015:
            continue  # gone
        if roll < 0.04:
            f = f.model_copy(update={"severity": rng.choice(SEVERITIES), "statement": f.statement + " (worse)",
                                     "due": AS_OF + timedelta(days=rng.randint(0, 40)),
                                     "value": Decimal(rng.randint(1, 500)), "unit": "USD",
                                     "topics": (*f.topics, "newtopic")})
        out.append(f)
        if roll > 0.985:  # a new fact right after it
            out.append(f.model_copy(update={"id": f"{f.id}-new{seed}", "name": "brand_new_name", "entity": "gamma"}))
    out += [facts[0].model_copy(update={"id": f"a-first-{seed}"}), facts[-1].model_copy(update={"id": f"z-last-{seed}"})]
    return sorted(out, key=lambda f: f.id)


def index_of(facts, base, tmp_path, ledger, code="code-1") -> FactIndex:
    return index_of_base(facts, base, tmp_path / "fact-index", code, ledger.bases_differ)


def told(index: FactIndex) -> bool:
    return index.told_beside is not None


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("as_a_run_gives", [True, False])
def test_an_index_told_beside_the_kept_one_is_the_index_made_from_the_facts(seed, as_a_run_gives, ledger, tmp_path):
    lenses = load_lenses()
    first = sorted(generated(seed, lenses), key=lambda f: f.id)
    bases = [first]
    for n in range(3):  # three edits in turn, each told beside the base kept first
        bases.append(edited(bases[-1], seed * 10 + n))
    if as_a_run_gives:  # (a run's facts come with their ids: ``model.FactBase``)
        bases = [FactBase({f.id: f for f in facts}) for facts in bases]
    for n, facts in enumerate(bases):
        run = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})
        base = ledger.record_fact_base(run, facts)
        index = index_of(facts, base, tmp_path, ledger)
        assert told(index) == (n > 0), n
        made = FactIndex(facts)
        # (the views first: a told index moves a value's positions only when a section asks for it)
        assert views(index, lenses) == views(made, lenses), n
        assert plain(index) == plain(made), n
        assert dict(index.by_id) == {f.id: f for f in facts}


def test_the_kept_index_is_told_beside_the_same_base_and_none_of_another_code_or_a_damaged_file(ledger, tmp_path):
    facts = sorted(generated(7, load_lenses()), key=lambda f: f.id)
    base = ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), facts)
    assert not told(index_of(facts, base, tmp_path, ledger))  # made, and kept
    assert told(index_of(facts, base, tmp_path, ledger))
    assert not told(index_of(facts, base, tmp_path, ledger, code="code-2"))  # (new code: made again, and kept)
    (tmp_path / "fact-index").write_bytes(b"\x00not an index")
    index = index_of(facts, base, tmp_path, ledger, code="code-2")
    assert not told(index) and plain(index) == plain(FactIndex(facts))
    assert told(index_of(facts, base, tmp_path, ledger, code="code-2"))


def test_a_base_the_ledger_cannot_tell_beside_the_kept_one_gets_an_index_of_its_own(ledger, tmp_path):
    lenses = load_lenses()
    first = sorted(generated(1, lenses), key=lambda f: f.id)
    other = sorted(generated(2, lenses), key=lambda f: f.id)  # (all new: stored whole, beside nothing)
    one = ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), first)
    two = ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), other)
    assert ledger.bases_differ(one, two) is None and ledger.bases_differ(one, one) == set()
    index_of(first, one, tmp_path, ledger)
    index = index_of(other, two, tmp_path, ledger)
    assert not told(index) and plain(index) == plain(FactIndex(other))
    assert told(index_of(other, two, tmp_path, ledger))


def test_facts_that_are_not_what_the_ledger_says_get_an_index_made_from_them(ledger, tmp_path):
    lenses = load_lenses()
    facts = sorted(generated(3, lenses), key=lambda f: f.id)
    base = ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), facts)
    index_of(facts, base, tmp_path, ledger)
    fewer = facts[:-5]  # (the ledger says the base is ``base``: these are not its facts)
    index = index_of(fewer, base, tmp_path, ledger)
    assert not told(index) and plain(index) == plain(FactIndex(fewer))


def test_positions_kept_are_four_bytes_each(ledger, tmp_path):
    facts = sorted(generated(4, load_lenses()), key=lambda f: f.id)
    base = ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), facts)
    index_of(facts, base, tmp_path, ledger)
    positions, _ = index_of(facts, base, tmp_path, ledger).parts()
    assert all(isinstance(at, array) and at.itemsize == 4 for by_value in positions.values()
               if by_value is not positions["dated"] for at in by_value.values())
