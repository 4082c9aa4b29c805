"""One runner of the rules, for the plain analysis and the incremental one.

Rules run in the order ``registered()`` gives; a rule over facts reads the facts made
before it, in the order they were made. A failing rule costs its own facts only: its error
is returned so the run can record the failed stage and deliver what the rest found. The
first fact made under an id is the one kept, except that a settling rule's facts take the
place of those with their ids (``resolution``: a problem a later note says is over).
"""

from __future__ import annotations

import time
from typing import Callable, Sequence

from .. import gcpolicy
from ..model import Fact
from .base import AnalysisContext, Rule

__all__ = ["run_rules"]


def run_rules(rules: Sequence[Rule], over_evidence: Callable[[Rule], list[Fact]], context: AnalysisContext,
              seconds: dict[str, float] | None = None,
              over_facts: Callable[[Rule, Callable[[], list[Fact]]], list[Fact]] | None = None,
              ) -> tuple[dict[str, Fact], dict[str, str]]:
    """Each rule's facts, by id in the order made, and failures by rule: ``over_evidence(rule)``
    for a rule over evidence, and for a rule over facts ``over_facts(rule, facts_so_far)``
    (default: the rule run over them); wall seconds per rule go into ``seconds`` if given."""
    facts: dict[str, Fact] = {}
    failures: dict[str, str] = {}
    if over_facts is None:
        over_facts = lambda r, so_far: r.run(so_far(), context)  # noqa: E731
    try:
        with gcpolicy.paused():  # millions of long-lived evidence items and facts, and no cycles
            for r in rules:
                started = time.perf_counter()
                try:
                    produced = over_facts(r, lambda: list(facts.values())) if r.over_facts else over_evidence(r)
                except Exception as exc:  # a bug in one rule must not cost the whole run
                    failures[r.name] = f"{type(exc).__name__}: {exc}"
                    continue
                finally:
                    if seconds is not None:
                        seconds[r.name] = time.perf_counter() - started
                if r.settles:  # its facts take the place of those they settle
                    facts.update((fact.id, fact) for fact in produced if fact.id in facts)
                    continue
                for fact in produced:
                    facts.setdefault(fact.id, fact)
    finally:
        context.derived.clear()  # it holds the evidence, which the run no longer needs
    return facts, failures
