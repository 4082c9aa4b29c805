"""Each analyzer rule registers once (``analyzers.base.rule``): what it reads, the kinds it serves."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import execbrief.analyzers as analyzers
from execbrief.analyzers import FACTS, AnalysisContext, Reads, analyze, registered, rule
from execbrief.analyzers import base
from execbrief.analyzers.views import NOTES
from execbrief.construct import evidence, provenance
from execbrief.model import Fact, stable_id

PACKAGE = Path(analyzers.__file__).parent


def test_every_builtin_module_registers_its_rule_and_they_run_in_order():
    rules = registered()
    names = [r.name for r in rules]
    assert names[: len(base.BUILTIN)] == list(base.BUILTIN)  # over evidence, then kpis, then plan
    assert [r.name for r in rules if r.over_facts] == ["associates", "resolution", "restated", "drops", "seasons", "sold", "materiality", "vacant", "breakeven", "kpis", "plan"]
    assert all(isinstance(r.reads, Reads) for r in rules if not r.over_facts)


def test_no_analyzer_imports_from_the_package_it_belongs_to():
    """The analyzers import ``base``; the package ``__init__`` only hands names on (no circle)."""
    submodules = {p.stem for p in PACKAGE.glob("*.py")}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module is None:
                names = {alias.name for alias in node.names}
                assert names <= submodules, f"{path.name} imports {names - submodules} from the package"


def test_a_second_rule_under_a_taken_name_is_refused(monkeypatch):
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))

    def analyze(evidence, ctx):  # named like finance's entry point, from another module
        return []

    analyze.__module__ = "someone.finance"
    with pytest.raises(ValueError, match="two analyzer rules are named 'finance'"):
        rule(reads=NOTES)(analyze)


def test_a_rule_reads_a_view_or_the_facts():
    with pytest.raises(ValueError, match="Reads view or FACTS"):
        rule(reads="ledger")


def _note(entity: str | None, n: int):
    prov = provenance("notes", f"notes/{n}.md", 1, 1, "2026-11-01T00:00:00Z", "sha256:0")
    return evidence(f"e-{n}", "notes", "section", entity, f"item {n}", {}, prov)


def test_a_rule_with_kinds_reads_only_the_businesses_of_those_kinds_and_runs_after_the_builtins(monkeypatch):
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))
    seen: list = []

    @rule(reads=Reads("vacancy notes", ("notes",), lambda ev: ev.source == "notes"), kinds=("rental",),
          name="vacancy_probe")
    def probe(items, ctx):
        seen.extend(ev.entity for ev in items)
        return [Fact(id=stable_id("f", "probe", ev.id), kind="finding", name="probe", entity=ev.entity,
                     severity="low", statement=f"{ev.text} seen.") for ev in items]

    ctx = AnalysisContext(as_of=date(2026, 11, 30), entities={
        "duplex": ("Duplex", "rental"), "yacht": ("Yacht", "charter"), "shop": ("Shop", None)})
    facts, failures = analyze([_note("duplex", 1), _note("yacht", 2), _note("shop", 3), _note(None, 4)], ctx)

    assert failures == {}
    assert seen == ["duplex", "shop", None]  # a rental, a business of no kind, the group: not the charter
    assert {f.entity for f in facts if f.name == "probe"} == {"duplex", "shop", None}
    assert [r.name for r in registered()][-12:] == ["vacancy_probe", "associates", "resolution", "restated", "drops", "seasons", "sold", "materiality", "vacant", "breakeven", "kpis", "plan"]


def test_a_rule_over_facts_reads_the_facts_made_before_it_in_their_order(monkeypatch):
    monkeypatch.setattr(base, "_REGISTRY", dict(base._REGISTRY))
    counted: list[list[str]] = []

    @rule(reads=FACTS, name="fact_counter")
    def count(facts, ctx):
        counted.append([f.name for f in facts if f.name.startswith("made_")])
        return []

    @rule(reads=NOTES, name="fact_maker")  # registered later, over evidence: runs before it
    def make(items, ctx):
        return [Fact(id=stable_id("f", name), kind="note", name=name, statement="s.") for name in ("made_b", "made_a")]

    analyze([_note("shop", 1)], AnalysisContext(as_of=date(2026, 11, 30)))
    assert counted == [["made_b", "made_a"]]
