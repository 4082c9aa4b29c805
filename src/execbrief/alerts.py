"""Alerts: a new finding that matches an ``[[alerts]]`` rule is sent at once, once per finding id.

``check_alerts`` reads the sources and analyses them exactly as a run would (so the
incremental cache answers for an unchanged workspace), and matches every finding against
the rules. A finding the ledger's ``alerts`` table says was already alerted to the same
rule is left alone; the others each become one short message (what, where, the fix, the
citation) sent through the same delivery as briefings: preflight checks, the idempotency
key (finding id + recipients, so a rerun or a second process never sends it twice), the
ledger, and the audit copy. Nothing is recorded when nothing is new, so a check of an
unchanged workspace writes nothing.

When an alerted finding is gone, the next briefing's "What changed" says it was resolved
(``ledger.alerts.resolved_alerts``, read by the pipeline).
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .config import AlertRule, Settings
from .delivery import message_id_for
from .delivery.service import deliver_run
from .incremental import analyze_incremental
from .ledger import Ledger, utc_now
from .ledger.alerts import alerted, record_alerts
from .lenses import lens_pool, load_lenses
from .model import SEVERITIES, Fact, Message, content_hash
from .reader import get_reader
from .pipeline import (
    PlannedReport, analysis_cache, analysis_context, collect_sources, plan_reports, settings_digest,
    workspace_vocabulary,
)
from .registry import registry

__all__ = ["Alert", "AlertCheck", "alert_message", "check_alerts", "matches", "rule_name"]

ALERT_PERIOD = "alert"
_SUBJECT_MAX = 140


@dataclass(frozen=True)
class Alert:
    """One finding to alert on, under one rule, to its recipients."""

    rule: str
    fact: Fact
    to: tuple[str, ...]


@dataclass
class AlertCheck:
    """What one check found and sent."""

    as_of: date
    facts: int
    matched: int
    alerts: list[Alert] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    run_id: str | None = None
    duration_ms: int = 0
    computed: list[str] = field(default_factory=list)  # analyzers not answered by the cache

    @property
    def status(self) -> str:
        """``ok`` or ``failed`` (an alert not delivered is tried again at the next check)."""
        return "failed" if self.failures else "ok"

    def to_json(self) -> dict[str, Any]:
        """The ``alerts check --json`` document."""
        return {
            "as_of": self.as_of.isoformat(), "status": self.status, "run_id": self.run_id, "facts": self.facts,
            "matched": self.matched, "duration_ms": self.duration_ms, "computed": self.computed,
            "new": [{"rule": a.rule, "finding": a.fact.id, "severity": a.fact.severity, "entity": a.fact.entity,
                     "statement": a.fact.statement, "to": list(a.to)} for a in self.alerts],
            "deliveries": self.deliveries, "failures": self.failures,
        }


def rule_name(rule: AlertRule, n: int) -> str:
    """A rule's name: its ``name``, else ``alerts[N]``."""
    return rule.name or f"alerts[{n}]"


def matches(rule: AlertRule, fact: Fact) -> bool:
    """Whether a fact is one the rule alerts on."""
    if fact.kind not in rule.kinds or fact.severity is None:
        return False
    if SEVERITIES.index(fact.severity) > SEVERITIES.index(rule.min_severity):
        return False
    if rule.topics and not set(rule.topics) & set(fact.topics):
        return False
    return rule.entities is None or fact.entity in rule.entities


def _readers(fact: Fact, plans: list[PlannedReport], as_of: date) -> tuple[str, ...]:
    """Who reads about this fact: the recipients of the briefings that would show it,
    else of every briefing covering the whole organisation (nothing critical goes unread)."""
    shown = [p for p in plans if p.to and lens_pool(p.lens, [fact], as_of=as_of,
                                                     scope=set(p.scope) if p.scope is not None else None)]
    chosen = shown or [p for p in plans if p.to and p.scope is None]
    return tuple(sorted({address for p in chosen for address in p.to}))


def alert_message(alert: Alert, settings: Settings, as_of: date) -> Message:
    """The email for one alert: what, where, the fix and the citation, in text and HTML."""
    fact = alert.fact
    entity = settings.entity_names().get(fact.entity or "", fact.entity or settings.organization.name)
    severity = (fact.severity or "").capitalize()
    bcc = list(settings.delivery.audit_bcc)
    key = content_hash("\n".join(["alert", fact.id, ",".join(sorted([*alert.to, *bcc]))]))
    subject = f"[Alert] {severity}: {entity}: {fact.statement}"
    if len(subject) > _SUBJECT_MAX:
        subject = subject[: _SUBJECT_MAX - 1].rstrip() + "…"
    lines = [
        ("What", fact.statement), ("Where", entity), ("Fix", fact.recommendation or "no fix is recorded with this finding: see its source"),
        ("Source", "; ".join(fact.sources) or "the analysis of " + as_of.isoformat()),
    ]
    footer = (f"{settings.organization.name} · alert rule {alert.rule} · finding {fact.id} · as of "
              f"{as_of.isoformat()}. You get this once; the next briefing says when it is resolved.")
    text = f"{severity} finding: {entity}\n\n" + "\n".join(f"{k}: {v}" for k, v in lines) + f"\n\n{footer}\n"
    rows = "".join(
        f'<tr><th align="left" valign="top" style="padding:4px 12px 4px 0">{k}</th>'
        f'<td style="padding:4px 0">{html.escape(v)}</td></tr>' for k, v in lines
    )
    body = (f'<!doctype html><html><body style="font-family:Arial,sans-serif;font-size:15px;color:#1a1a1a">'
            f'<p style="font-size:18px;font-weight:bold;color:#b00020">{html.escape(severity)} finding: '
            f'{html.escape(entity)}</p><table role="presentation" cellpadding="0" cellspacing="0">{rows}</table>'
            f'<p style="font-size:12px;color:#555">{html.escape(footer)}</p></body></html>')
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = settings.delivery.sender
    msg["To"] = ", ".join(alert.to)
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")
    msg["Date"] = formatdate(time.time(), usegmt=True)
    msg["Message-ID"] = message_id_for(key, settings.delivery.sender)
    msg["X-Execbrief-Lens"] = "alert"
    msg["X-Execbrief-Key"] = key
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(body, subtype="html", charset="utf-8")
    return Message(key=f"alert-{fact.id}", lens="alert", sender=settings.delivery.sender, to=alert.to,
                   bcc=tuple(bcc), subject=msg["Subject"], mime=msg.as_bytes(policy=policy.SMTP),
                   idempotency_key=key)


def _today(settings: Settings, now: datetime | None) -> date:
    when = now or datetime.now(timezone.utc)
    return settings.run.as_of or when.astimezone(ZoneInfo(settings.organization.timezone)).date()


def check_alerts(
    settings: Settings, *, now: datetime | None = None, dry_run: bool = False, in_doubt: str | None = None,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> AlertCheck:
    """Analyse the workspace as a run would, and send each new finding that matches a rule."""
    started = time.monotonic()
    say = progress or (lambda event, data: None)
    as_of = _today(settings, now)
    settings = settings.model_copy(update={"run": settings.run.model_copy(update={"as_of": as_of})})
    plans = plan_reports(settings, load_lenses(settings.workspace, workspace_vocabulary(settings)))
    reader = get_reader(settings)
    results, _, _, failures = collect_sources(settings, say)
    # the same context and labels as a run's, so the analyzers' cache answers for what did not change
    context = analysis_context(settings, plans, as_of)
    with Ledger.for_workspace(settings.workspace) as ledger:
        results = reader.read(results, context.vocabulary, ledger=ledger, progress=say).results
    facts, analyzer_failures, reuse = analyze_incremental(
        results, context, cache=analysis_cache(settings), settings_digest=settings_digest(settings))
    del results
    check = AlertCheck(as_of=as_of, facts=len(facts), matched=0, computed=list(reuse.computed),
                       failures=[*failures, *(f"analyzer {n}: {e}" for n, e in analyzer_failures.items())])
    candidates = [(rule_name(rule, n), rule, fact) for n, rule in enumerate(settings.alerts)
                  for fact in facts if matches(rule, fact)]
    check.matched = len(candidates)
    with Ledger.for_workspace(settings.workspace) as ledger:
        done = alerted(ledger)
        for name, rule, fact in candidates:
            if (fact.id, name) not in done:
                to = tuple(rule.to) if rule.to else _readers(fact, plans, as_of)
                if to:
                    check.alerts.append(Alert(name, fact, to))
        if check.alerts and not dry_run:
            _send(settings, ledger, check, in_doubt, say)
    check.duration_ms = int((time.monotonic() - started) * 1000)
    return check


def _send(settings: Settings, ledger: Ledger, check: AlertCheck, in_doubt: str | None, say: Any) -> None:
    channel = registry.get("channels", settings.delivery.method)(settings)
    messages = [alert_message(alert, settings, check.as_of) for alert in check.alerts]
    run_id = ledger.start_run(settings.workspace, ALERT_PERIOD, check.as_of.isoformat(),
                              {"alerts": True, "delivery": settings.delivery.method})
    check.run_id = run_id
    ledger.record_facts(run_id, {a.fact.id: a.fact for a in check.alerts}.values())
    deliveries, failures = deliver_run(settings, channel, ledger, run_id, ALERT_PERIOD, messages,
                                       in_doubt=in_doubt, progress=say)
    check.deliveries, check.failures = deliveries, check.failures + failures
    now = utc_now()
    rows = []
    for alert, message in zip(check.alerts, messages):
        statuses = {d["status"] for d in deliveries if d["key"] == message.key and not d["audit"]}
        status = "sent" if statuses and statuses <= {"sent", "skipped", "suppressed"} else "failed"
        rows.append((alert.fact.id, alert.rule, message.idempotency_key, run_id, alert.fact.severity,
                     alert.fact.entity, alert.fact.model_dump_json(), status, now, now))
    record_alerts(ledger, rows)
    summary = check.to_json()
    ledger.finish_run(run_id, check.status, summary, int(summary["duration_ms"]))
