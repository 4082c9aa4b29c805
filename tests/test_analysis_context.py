"""The analysis context the pipeline builds from the configuration.

Analyzers state, lenses select: which lenses are configured never decides which facts the
notes give, so a lens added later finds every item already there.
"""

from __future__ import annotations

from datetime import date

from execbrief.analyzers import analyze
from execbrief.config import load_settings
from execbrief.lenses import build_view, load_lenses
from execbrief.pipeline import analysis_context, plan_reports
from execbrief.registry import registry


def _facts(root):
    settings = load_settings(root, environ={})
    plans = plan_reports(settings, load_lenses(settings.workspace))
    context = analysis_context(settings, plans, settings.run.as_of or date(2026, 11, 23))
    evidence = [ev for name in settings.sources.enabled()
                for ev in registry.get("sources", name)(settings).collect().evidence]
    facts, failures = analyze(evidence, context)
    assert failures == {}
    return facts, context


def test_a_note_item_no_lens_shows_is_still_a_fact_a_lens_added_later_finds(workspace):
    workspace.write("notes/ops.md", (
        "# Ops\n\n## Odds and ends\n- The forklift certificate hangs in the back office\n"
    ))
    facts, _ = _facts(workspace.root)
    assert any("forklift certificate" in f.statement for f in facts)  # no configured lens shows it

    workspace.write("lenses/site.toml", (
        'id = "site"\ntitle = "Site"\naudience = "Site manager"\n'
        '[[sections]]\nid = "all"\ntitle = "Everything"\ndirective = "All notes."\n'
        '[sections.select]\nkinds = ["note"]\nlimit = 50\n'
    ))
    lens = load_lenses(workspace.root)["site"]
    after, _ = _facts(workspace.root)
    view = build_view(lens, after, key="site", period="2026-W48", as_of=date(2026, 11, 23),
                      organization="Test", entities={})
    shown = [f.statement for facts in view.sections.values() for f in facts]
    assert any("forklift certificate" in s for s in shown)
    assert {f.id for f in after} == {f.id for f in facts}  # the lens changed no fact


def test_the_context_carries_the_expected_kpis_and_the_workspace_vocabulary(workspace):
    workspace.write("lenses/topics.toml", '[topics.hiring]\nwords = ["recruit*", "job ad"]\n')
    settings = load_settings(workspace.root, environ={})
    context = analysis_context(settings, plan_reports(settings, load_lenses(settings.workspace)), date(2026, 11, 23))

    assert context.expected_kpis
    assert "hiring" in context.vocabulary.names
    assert "hiring" in context.vocabulary.topics_for("Recruiting a second driver")
