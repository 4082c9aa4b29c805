"""Helpers for the LLM writer tests: workspaces pointed at the local server, and lens views."""

from __future__ import annotations

from datetime import date

from execbrief.analyzers import AnalysisContext, analyze
from execbrief.config import load_settings
from execbrief.lenses import build_view, load_lenses
from execbrief.pipeline import plan_reports
from execbrief.registry import registry
from llm_server import LLMServer, environ_for

AS_OF = date(2026, 11, 23)


def configure(ws, **writer: object) -> None:
    """Add keys to the demo workspace's [writer] table."""
    path = ws.root / "execbrief.toml"
    text = path.read_text(encoding="utf-8")
    extra = []
    for key, value in writer.items():
        if isinstance(value, bool):
            extra.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, (int, float)):
            extra.append(f"{key} = {value}")
        elif isinstance(value, dict):
            extra.append(f"{key} = {{ " + ", ".join(f'{k} = "{v}"' for k, v in value.items()) + " }")
        else:
            extra.append(f'{key} = "{value}"')
    assert '[writer]\nkind = "offline"' in text
    path.write_text(text.replace('[writer]\nkind = "offline"', '[writer]\nkind = "offline"\n' + "\n".join(extra)), encoding="utf-8")


def settings_for(ws, kind: str, server: LLMServer, **extra: str):
    """Settings of a workspace with the writer pointed at the local server."""
    return load_settings(ws.root, environ=environ_for(kind, server, **extra))


def views_for(settings, only: tuple[str, ...] = ("ceo",)):
    """The lens views the pipeline would hand the writer (sources and analyzers really run)."""
    evidence = []
    for name in settings.sources.enabled():
        evidence += registry.get("sources", name)(settings).collect().evidence
    context = AnalysisContext(
        as_of=AS_OF, currency=settings.organization.currency,
        entities={e.id: (e.name, e.kind) for e in settings.entities}, stale_days=settings.run.stale_days,
        expected_kpis=(),
    )
    facts, _ = analyze(evidence, context)
    views = []
    for plan in plan_reports(settings, load_lenses(settings.workspace), only):
        views.append(build_view(
            plan.lens, facts, key=plan.key, period="2026-W48", as_of=AS_OF,
            organization=settings.organization.name, entities=settings.entity_names(),
            scope=set(plan.scope) if plan.scope is not None else None,
        ))
    return views, {f.id: f for f in facts}


class Sleeps(list):
    """Records the waits the writer asks for instead of sleeping (no test waits for real)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
