"""The analysis context the pipeline builds from the configured reports.

Its ``note_sections`` let operations skip note facts no lens section can show. The
guarantee that matters: every report sees exactly the facts it would have seen had every
note fact been made.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from execbrief.analyzers import analyze
from execbrief.config import load_settings
from execbrief.lenses import lens_pool, load_lenses
from execbrief.pipeline import analysis_context, plan_reports
from execbrief.registry import registry


def _facts_and_plans(root, *, every_note: bool):
    settings = load_settings(root, environ={})
    plans = plan_reports(settings, load_lenses(settings.workspace))
    as_of = settings.run.as_of or date(2026, 11, 23)
    context = analysis_context(settings, plans, as_of)
    if every_note:
        context = dataclasses.replace(context, note_sections=None)
    evidence = [ev for name in settings.sources.enabled() for ev in registry.get("sources", name)(settings).collect().evidence]
    facts, failures = analyze(evidence, context)
    assert failures == {}
    return facts, plans, as_of


def test_every_report_sees_the_same_facts_as_when_every_note_fact_is_made(demo_workspace):
    shown, plans, as_of = _facts_and_plans(demo_workspace.root, every_note=False)
    every, _, _ = _facts_and_plans(demo_workspace.root, every_note=True)

    assert len(shown) < len(every)  # the demo has note bullets no lens shows
    for plan in plans:
        scope = set(plan.scope) if plan.scope is not None else None
        assert lens_pool(plan.lens, shown, as_of=as_of, scope=scope) == lens_pool(plan.lens, every, as_of=as_of, scope=scope), plan.key


def test_note_sections_come_from_sections_that_can_select_notes(demo_workspace):
    settings = load_settings(demo_workspace.root, environ={})
    context = analysis_context(settings, plan_reports(settings, load_lenses(settings.workspace)), date(2026, 11, 23))

    assert ((), ("channels",)) in context.note_sections  # CMO: notes and metrics about channels
    assert (("table_row",), ()) in context.note_sections  # the audits' records
    assert all(names or topics for names, topics in context.note_sections)  # no lens asks for every note
    assert context.expected_kpis


def test_a_note_fact_a_section_matches_is_one_the_context_says_is_shown():
    from execbrief.analyzers import AnalysisContext
    from execbrief.lenses import matches, note_selectors
    from execbrief.model import Fact

    lenses = list(load_lenses(None).values())
    context = AnalysisContext(as_of=date(2026, 11, 23), note_sections=note_selectors(lenses))
    names = {n for lens in lenses for s in lens.sections for n in s.select.names} | {"log", "this_month"}
    topics = [(), ("channels",), ("security", "tech"), ("finance",), ("operations",), ("marketing", "listings")]
    for name in sorted(names):
        for chosen in topics:
            fact = Fact(id="f-1", kind="note", name=name, statement="s", topics=chosen)
            shown = any(matches(fact, section.select) for lens in lenses for section in lens.sections)
            assert context.shows_note(name, chosen) == shown, (name, chosen)
