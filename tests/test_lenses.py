"""Lens definitions (built-in and user TOML) and their application to the fact base."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal

import pytest

from execbrief.errors import LensError
from execbrief.lenses import build_view, compare, lens_to_toml, load_lenses, matches, pools_apart, rank
from execbrief.model import Fact, Lens, LensSection, Selector

AS_OF = date(2026, 11, 23)
BUILTINS = ("ceo", "cto", "cfo", "cmo", "accounting", "rental-property", "delivery-service", "client-portfolio")


def fact(id: str, **changes: object) -> Fact:
    fields: dict[str, object] = {"kind": "finding", "name": "risk", "statement": f"Statement {id}."}
    fields.update(changes)
    return Fact(id=id, **fields)  # type: ignore[arg-type]


def lens_with(*sections: LensSection, max_items: int = 6, focus: tuple[str, ...] = ()) -> Lens:
    return Lens(id="test", title="Test", audience="Tester", sections=sections, max_items=max_items, focus=focus)


def view_of(lens: Lens, facts: list[Fact], scope: set[str] | None = None):
    return build_view(
        lens, facts, key=lens.id, period="2026-W48", as_of=AS_OF, organization="Org",
        entities={"alpha": "Alpha Rentals", "beta": "Beta Delivery"}, scope=scope,
    )


def picked(select: Selector, facts: list[Fact], style: str = "bullets") -> list[str]:
    lens = lens_with(LensSection(id="s", title="S", directive="d", style=style, select=select), max_items=50)
    return [f.id for f in view_of(lens, facts).sections["s"]]


# loading


def test_the_eight_builtin_lenses_load_with_sections():
    lenses = load_lenses()

    assert sorted(lenses) == sorted(BUILTINS)
    for lens_id in BUILTINS:
        lens = lenses[lens_id]
        assert lens.id == lens_id
        assert lens.origin == "builtin"
        assert lens.sections, lens_id
        assert len({s.id for s in lens.sections}) == len(lens.sections)


def test_workspace_without_lenses_folder_gives_the_builtins(workspace):
    assert sorted(load_lenses(workspace.root)) == sorted(BUILTINS)


def test_user_lens_with_builtin_id_overrides_keys_and_replaces_and_adds_sections(workspace):
    path = workspace.write("lenses/cto.toml", """\
        id = "cto"
        max_items = 3

        [[sections]]
        id = "security"
        title = "Security, worst first"
        directive = "Only the worst."
        [sections.select]
        min_severity = "critical"

        [[sections]]
        id = "vendors"
        title = "Vendors"
        directive = "Who we pay for software."
        [sections.select]
        names = ["outflow_by_account"]
        """)
    builtin = load_lenses()["cto"]

    lens = load_lenses(workspace.root)["cto"]

    assert lens.max_items == 3
    assert lens.title == builtin.title
    assert lens.origin == str(path)
    assert [s.id for s in lens.sections] == [s.id for s in builtin.sections] + ["vendors"]
    security = lens.sections[0]
    assert security.title == "Security, worst first"
    assert security.select == Selector(min_severity="critical")
    assert lens.sections[1:-1] == builtin.sections[1:]
    assert lens.sections[-1].select.names == ("outflow_by_account",)


def test_user_lens_without_id_takes_its_file_name(workspace):
    workspace.write("lenses/cfo.toml", 'title = "Money"\n')

    assert load_lenses(workspace.root)["cfo"].title == "Money"


def test_extends_makes_a_new_lens_from_a_builtin(workspace):
    workspace.write("lenses/cto-lite.toml", """\
        id = "cto-lite"
        extends = "cto"
        title = "CTO in brief"
        max_items = 2
        """)

    lenses = load_lenses(workspace.root)

    lite, cto = lenses["cto-lite"], lenses["cto"]
    assert (lite.id, lite.title, lite.max_items) == ("cto-lite", "CTO in brief", 2)
    assert lite.sections == cto.sections
    assert lite.audience == cto.audience
    assert cto.title == "CTO briefing"  # the built-in is untouched


def test_extends_unknown_lens_is_a_lens_error(workspace):
    path = workspace.write("lenses/x.toml", 'id = "x"\nextends = "cxo"\n')

    with pytest.raises(LensError) as info:
        load_lenses(workspace.root)

    assert "'cxo'" in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_key_in_user_lens_names_file_and_key(workspace):
    path = workspace.write("lenses/cto.toml", """\
        [[sections]]
        id = "security"
        [sections.select]
        topicz = ["security"]
        """)

    with pytest.raises(LensError) as info:
        load_lenses(workspace.root)

    message = str(info.value)
    assert str(path) in message
    assert "topicz" in message
    assert "unknown key" in message


def test_standalone_user_lens_missing_title_names_the_key(workspace):
    workspace.write("lenses/board.toml", """\
        audience = "Board"
        [[sections]]
        id = "a"
        title = "A"
        directive = "d"
        """)

    with pytest.raises(LensError) as info:
        load_lenses(workspace.root)

    assert "missing required key 'title'" in str(info.value)


def test_invalid_toml_in_user_lens_is_a_lens_error(workspace):
    path = workspace.write("lenses/bad.toml", "id = \n")

    with pytest.raises(LensError) as info:
        load_lenses(workspace.root)

    assert str(path) in str(info.value)
    assert "not valid TOML" in str(info.value)


def test_lens_error_exits_with_code_two():
    assert LensError.exit_code == 2


# selectors


def test_kinds_selector():
    facts = [fact("f-1", kind="finding"), fact("f-2", kind="metric"), fact("f-3", kind="gap")]

    assert sorted(picked(Selector(kinds=("finding", "gap")), facts)) == ["f-1", "f-3"]


def test_names_selector():
    facts = [fact("f-1", name="revenue"), fact("f-2", name="costs")]

    assert picked(Selector(names=("costs",)), facts) == ["f-2"]


def test_topics_selector_needs_any_one_topic():
    facts = [fact("f-1", topics=("security", "tech")), fact("f-2", topics=("tech",)), fact("f-3", topics=())]

    assert sorted(picked(Selector(topics=("security", "finance")), facts)) == ["f-1"]
    assert matches(facts[1], Selector(topics=("tech",)))
    assert not matches(facts[2], Selector(topics=("tech",)))


def test_empty_selector_matches_everything():
    assert matches(fact("f-1", kind="note", severity=None), Selector())


def test_min_severity_selector_keeps_that_level_and_worse():
    facts = [fact(f"f-{s}", severity=s) for s in ("critical", "high", "medium", "low")] + [fact("f-none")]

    assert picked(Selector(min_severity="high"), facts) == ["f-critical", "f-high"]


def test_last_periods_selector_keeps_the_latest_periods():
    facts = [fact(f"f-{p}", kind="metric", name="revenue", period=p) for p in ("2026-07", "2026-08", "2026-09", "2026-10")]
    facts.append(fact("f-undated", kind="metric", name="revenue"))

    chosen = picked(Selector(last_periods=2), facts, style="metrics")

    assert sorted(chosen) == ["f-2026-09", "f-2026-10"]


def test_due_within_days_selector_keeps_overdue_and_due_soon_actions():
    facts = [
        fact("f-overdue", kind="action", due=date(2026, 11, 1)),
        fact("f-edge", kind="action", due=date(2026, 12, 23)),
        fact("f-later", kind="action", due=date(2026, 12, 24)),
        fact("f-undated", kind="action"),
    ]

    assert sorted(picked(Selector(due_within_days=30), facts)) == ["f-edge", "f-overdue"]


# ranking, limits and scope


def test_rank_orders_by_severity_then_money_at_stake():
    facts = [
        fact("f-low", severity="low", value=Decimal("99999"), unit="USD"),
        fact("f-high-small", severity="high", value=Decimal("-100"), unit="USD"),
        fact("f-high-big", severity="high", value=Decimal("-5000"), unit="USD"),
        fact("f-high-pct", severity="high", value=Decimal("90"), unit="%"),
        fact("f-critical", severity="critical"),
        fact("f-none"),
    ]

    assert [f.id for f in rank(facts)] == ["f-critical", "f-high-big", "f-high-small", "f-high-pct", "f-low", "f-none"]


def test_rank_orders_by_severity_then_money_at_stake_then_the_lens_focus():
    money = fact("f-a", severity="high", value=Decimal("900"), unit="USD")
    focused, other = fact("f-b", severity="high", topics=("security",)), fact("f-0", severity="high")
    worse = fact("f-z", severity="critical")

    assert [f.id for f in rank([other, focused, money, worse], focus=("security",))] == ["f-z", "f-a", "f-b", "f-0"]


def test_limit_keeps_the_top_facts_and_records_the_omitted_count():
    facts = [fact(f"f-{n}", severity="high", value=Decimal(n * 100), unit="USD") for n in range(1, 6)]
    lens = lens_with(LensSection(id="s", title="S", directive="d", select=Selector(limit=2)))

    view = view_of(lens, facts)

    assert [f.id for f in view.sections["s"]] == ["f-5", "f-4"]
    assert view.omitted == {"s": 3}
    assert set(view.facts) == {"f-5", "f-4"}


def test_lens_max_items_is_the_default_limit():
    facts = [fact(f"f-{n}") for n in range(4)]
    lens = lens_with(LensSection(id="s", title="S", directive="d"), max_items=3)

    view = view_of(lens, facts)

    assert len(view.sections["s"]) == 3
    assert view.omitted == {"s": 1}


def test_no_omitted_entry_when_everything_fits():
    lens = lens_with(LensSection(id="s", title="S", directive="d", select=Selector(limit=5)))

    assert view_of(lens, [fact("f-1")]).omitted == {}


def test_scope_excludes_other_entities_and_organisation_wide_facts():
    facts = [fact("f-alpha", entity="alpha"), fact("f-beta", entity="beta"), fact("f-org", entity=None)]
    lens = lens_with(LensSection(id="s", title="S", directive="d"))

    view = view_of(lens, facts, scope={"alpha"})

    assert [f.id for f in view.sections["s"]] == ["f-alpha"]
    assert view.entities == {"alpha": "Alpha Rentals"}
    assert sorted(f.id for f in view_of(lens, facts).sections["s"]) == ["f-alpha", "f-beta", "f-org"]


# lens_to_toml


@pytest.mark.parametrize("lens_id", BUILTINS)
def test_lens_to_toml_parses_back_to_the_same_lens(lens_id):
    lens = load_lenses()[lens_id]

    data = tomllib.loads(lens_to_toml(lens))

    again = Lens.model_validate({**data, "origin": lens.origin})
    assert again.sections == lens.sections
    assert again == lens


def test_lens_to_toml_of_a_user_override_names_its_origin(workspace):
    path = workspace.write("lenses/ceo.toml", 'max_items = 2\ntitle = "The \\"real\\" CEO view"\n')
    lens = load_lenses(workspace.root)["ceo"]

    text = lens_to_toml(lens)

    assert str(path) in text.splitlines()[0]
    data = tomllib.loads(text)
    assert data["max_items"] == 2
    assert data["title"] == 'The "real" CEO view'


def test_lens_to_toml_round_trips_a_multiline_directive(workspace):
    workspace.write("lenses/cto.toml", '''\
        [[sections]]
        id = "security"
        directive = """Each gap, worst first.
        Say where it is and how to fix it."""
        ''')
    lens = load_lenses(workspace.root)["cto"]

    data = tomllib.loads(lens_to_toml(lens))

    assert data["sections"][0]["directive"] == lens.sections[0].directive


def _reference_sections(lens, facts, scope, as_of):
    """Each section's facts the plain way: test every fact, sort them all, cut at the limit."""
    from datetime import timedelta

    pool = [f for f in facts if scope is None or f.entity in scope]
    out, selected = {}, set()

    def pick(sel):
        picked = [f for f in pool if matches(f, sel)]
        if sel.due_within_days is not None:
            picked = [f for f in picked if f.due is not None and f.due <= as_of + timedelta(days=sel.due_within_days)]
        if sel.last_periods:
            periods = sorted({f.period for f in picked if f.period})[-sel.last_periods:]
            picked = [f for f in picked if f.period in periods]
        return picked

    def is_list(section):  # a ranked list: its room is its limit
        return section.style not in ("metrics", "chart") and not (
            section.style == "actions" and section.select.due_within_days is not None) and not section.select.rest

    # a list section with nothing gives its room to fuller lists, each up to twice its own
    spare = sum(s.select.limit or lens.max_items for s in lens.sections if is_list(s) and not pick(s.select))
    listed = set()  # what the lists and plans so far show
    for section in lens.sections:
        sel = section.select
        picked = pick(sel)
        if sel.rest:  # what no earlier section shows
            picked = [f for f in picked if f.id not in selected]
        if section.style in ("metrics", "chart"):
            out[section.id] = tuple(sorted(picked, key=lambda f: (f.entity or "~", f.period or "", f.name)))
        elif section.style == "actions" and sel.due_within_days is not None:  # a plan: by date, all of it
            by_date = sorted(rank(picked, lens.focus), key=lambda f: f.due)
            out[section.id] = tuple(by_date[: sel.limit or len(by_date)])
        else:
            picked = [f for f in picked if f.id not in listed]  # never listed twice
            limit = sel.limit or lens.max_items
            if is_list(section) and len(picked) > limit:
                extra = min(spare, limit, len(picked) - limit)
                limit, spare = limit + extra, spare - extra
            out[section.id] = tuple(rank(picked, lens.focus)[:limit])
        selected.update(f.id for f in out[section.id])
        if section.style not in ("metrics", "chart"):
            listed.update(f.id for f in out[section.id])
    return out


def test_the_indexed_selection_picks_what_testing_every_fact_picks():
    from execbrief.lenses import FactIndex, lens_pool

    as_of = date(2026, 11, 23)
    combos = [(k, sv) for k, sv in (("finding", "high"), ("finding", "low"), ("metric", None), ("action", "medium"),
                                    ("note", None), ("gap", "medium"))]
    facts = [
        Fact(id=f"f-{n:04d}", kind=kind, name=name, entity=entity, statement="s", topics=topics,
             severity=severity, value=Decimal(n % 7), unit="USD", period=f"2026-{1 + n % 12:02d}",
             due=as_of.replace(day=1 + n % 28) if kind == "action" else None,
             recommendation="fix it" if kind == "finding" else None, evidence=(f"f-{n - 1:04d}",))
        for n, (kind, severity, name, entity, topics) in enumerate(
            (k, sv, nm, e, t) for k, sv in combos
            for nm in ("revenue", "risk", "table_row", "remediation", "cloud_cost_service", "missing_kpi")
            for e in (None, "alpha", "beta")
            for t in ((), ("channels",), ("security", "tech"), ("finance", "kpi"), ("marketing", "listings")))
    ]
    index = FactIndex(facts)
    for lens in load_lenses(None).values():
        for scope in (None, {"alpha"}):
            view = build_view(lens, index, key=lens.id, period="2026-W48", as_of=as_of, organization="Org",
                              entities={"alpha": "Alpha", "beta": "Beta"}, scope=scope)
            assert dict(view.sections) == _reference_sections(lens, facts, scope, as_of), (lens.id, scope)
            reference_pool = sorted({f.id for chosen in _reference_sections_unlimited(lens, facts, scope, as_of) for f in chosen})
            assert [f.id for f in lens_pool(lens, index, as_of=as_of, scope=scope)] == reference_pool
    # another run's facts, told by what differs: the same pools as those facts indexed afresh
    removed = {f.id for f in facts[::5]}
    added = [f.model_copy(update={"severity": "critical", "topics": ("security",), "period": "2027-01"})
             for f in facts[::10]] + [facts[1].model_copy(update={"id": "f-new", "kind": "action", "due": as_of})]
    beside = index.beside(removed, added)
    then = sorted([f for f in facts if f.id not in removed and f.id not in {a.id for a in added}] + added,
                  key=lambda f: f.id)
    assert list(beside) == then
    for lens in load_lenses(None).values():
        for scope in (None, {"alpha"}):
            assert lens_pool(lens, beside, as_of=as_of, scope=scope) == \
                lens_pool(lens, FactIndex(then), as_of=as_of, scope=scope), (lens.id, scope)
            # a report of the facts told beside: made whole, ranked by positions in it
            assert dict(build_view(lens, beside, key=lens.id, period="2026-W48", as_of=as_of, organization="Org",
                                   entities={"alpha": "Alpha", "beta": "Beta"}, scope=scope).sections) == \
                _reference_sections(lens, then, scope, as_of), (lens.id, scope)
    # the two pools where they may differ: what compares them sees the same as in the whole pools
    told = 0
    for lens in load_lenses(None).values():
        for scope in (None, {"alpha"}):
            whole = [lens_pool(lens, i, as_of=as_of, scope=scope) for i in (index, beside)]
            part = pools_apart(lens, index, beside, as_of=as_of, scope=scope)
            for got, full_pool in zip(part, whole):
                assert {f.id for f in got} <= {f.id for f in full_pool} and len(got) < len(full_pool) or not full_pool
            changes = compare(*part, key="k", baseline_period="p")
            assert changes == compare(*whole, key="k", baseline_period="p")
            told += len(changes)
            assert (part[0] == part[1]) == (whole[0] == whole[1])
            assert pools_apart(lens, index, index, as_of=as_of, scope=scope) == ([], [])  # alike: nothing apart
    assert told  # (the two bases differ in what the lenses show)


def _reference_sections_unlimited(lens, facts, scope, as_of):
    unlimited = lens.model_copy(update={"max_items": 10**6, "sections": tuple(
        s.model_copy(update={"select": s.select.model_copy(update={"limit": None})}) for s in lens.sections)})
    return _reference_sections(unlimited, facts, scope, as_of).values()


def test_a_section_naming_an_unknown_topic_is_an_error_naming_the_file_and_the_known_topics(workspace):
    workspace.write("lenses/people.toml", (
        'id = "people"\ntitle = "People"\naudience = "HR"\n'
        '[[sections]]\nid = "hiring"\ntitle = "Hiring"\ndirective = "Open roles."\n'
        '[sections.select]\ntopics = ["hiring"]\n'
    ))
    with pytest.raises(LensError) as caught:
        load_lenses(workspace.root)
    message = str(caught.value)
    assert "people.toml" in message and "'hiring'" in message and "sections.hiring.select.topics" in message
    assert "marketing" in message  # the known topics are listed

    workspace.write("lenses/topics.toml", '[topics.hiring]\nwords = ["recruit*", "job ad"]\n')
    assert load_lenses(workspace.root)["people"].sections[0].select.topics == ("hiring",)


def test_facts_by_id_are_the_same_whether_the_fact_base_is_in_id_order_or_not():
    from execbrief.lenses import FactIndex

    facts = [Fact(id=f"f-{n:03d}", kind="note", name="n", statement=f"s{n}") for n in range(0, 40, 3)]
    ordered, shuffled = FactIndex(facts), FactIndex(facts[::2] + facts[1::2])
    for index in (ordered, shuffled):
        assert {i: index.by_id[i] for i in index.by_id} == {f.id: f for f in facts}
        assert len(index.by_id) == len(facts)
        assert "f-003" in index.by_id and "f-004" not in index.by_id and "g" not in index.by_id and "" not in index.by_id
        assert index.by_id.get("f-999") is None and index.among(["f-006", "f-004", "f-000"]) == [facts[0], facts[2]]
    with pytest.raises(KeyError):
        ordered.by_id["f-001"]


def test_the_pool_among_many_ids_is_what_looking_at_each_fact_finds():
    from execbrief.lenses import FactIndex, lens_pool
    from execbrief.lenses.select import _MANY, lens_within

    kinds = (("finding", "high"), ("finding", "low"), ("metric", None), ("action", "medium"), ("note", None), ("gap", "medium"))
    facts = [Fact(id=f"f-{n:05d}", kind=kinds[n % 6][0], severity=kinds[n % 6][1], entity=(None, "alpha", "beta")[n % 3],
                  name=("revenue", "risk", "table_row", "remediation", "missing_kpi")[n % 5], statement="s",
                  topics=((), ("channels",), ("security", "tech"), ("finance", "kpi"), ("clients", "compliance"))[n % 5],
                  value=Decimal(n % 7), unit="USD", period=f"2026-{1 + n % 12:02d}",
                  due=AS_OF.replace(day=1 + n % 28) if n % 6 == 3 else None)
             for n in range(3 * _MANY)]
    index = FactIndex(facts)
    few, many = ({f.id for f in facts[::step]} for step in (7, 2))
    assert len(few) < _MANY <= len(many)  # (each fact looked at; the index's picks)
    for lens in load_lenses(None).values():
        for scope in (None, {"alpha"}):
            pool = lens_pool(lens, index, as_of=AS_OF, scope=scope)
            for ids in (few, many):
                assert lens_within(lens, index, ids, as_of=AS_OF, scope=scope) == [f for f in pool if f.id in ids], lens.id


def test_pools_apart_of_indexes_told_beside_one_another_in_turn_are_the_whole_pools_apart():
    """(briefings delivered in turn: each told beside the one read before it)"""
    from execbrief.lenses import FactIndex, lens_pool

    kinds = (("finding", "high"), ("finding", "low"), ("metric", None), ("action", "medium"), ("note", None), ("gap", "medium"))
    facts = [Fact(id=f"f-{n:04d}", kind=kinds[n % 6][0], severity=kinds[n % 6][1], entity=(None, "alpha", "beta")[n % 3],
                  name=("revenue", "risk", "table_row", "remediation", "missing_kpi")[n % 5], statement=f"s {n}",
                  topics=((), ("channels",), ("security", "tech"), ("finance", "kpi"), ("clients", "compliance"))[n % 5],
                  value=Decimal(n % 7), unit="USD", period=f"2026-{1 + n % 12:02d}",
                  due=AS_OF.replace(day=1 + n % 28) if n % 6 == 3 else None)
             for n in range(1_200)]
    now = FactIndex(facts)
    worse = lambda fs: [f.model_copy(update={"severity": "critical", "statement": f.statement + " (worse)"}) for f in fs]  # noqa: E731
    monday = now.beside({f.id for f in facts[::3]}, worse(facts[::3]))  # a third apart from now
    tuesday = monday.beside({"f-0009", "f-0010"}, worse(facts[10:11]))  # two apart from Monday
    wednesday = tuesday.beside({"f-0100"}, [])
    assert monday.differs_from(tuesday) == {"f-0009", "f-0010"} and tuesday.differs_from(wednesday) == {"f-0100"}
    assert len(now.differs_from(wednesday)) == 402 and FactIndex(facts[:5]).differs_from(monday) is None
    for first, second in ((monday, tuesday), (tuesday, wednesday), (monday, wednesday), (now, wednesday), (wednesday, now)):
        made = [FactIndex(list(index)) for index in (first, second)]  # (the same facts, indexed afresh)
        for lens in load_lenses(None).values():
            for scope in (None, {"alpha"}):
                part = pools_apart(lens, first, second, as_of=AS_OF, scope=scope)
                whole = [lens_pool(lens, index, as_of=AS_OF, scope=scope) for index in made]
                assert compare(*part, key="k", baseline_period="p") == compare(*whole, key="k", baseline_period="p")
                assert (part[0] == part[1]) == (whole[0] == whole[1]), lens.id
