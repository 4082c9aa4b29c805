"""Alerts: a new finding matching an [[alerts]] rule is sent once, through the delivery guarantees."""

from __future__ import annotations

import email
import json
from datetime import datetime, timezone
from email import policy

import pytest
from click.testing import CliRunner

from execbrief.alerts import check_alerts, matches
from execbrief.cli import cli
from execbrief.config import AlertRule
from execbrief.errors import ConfigError
from execbrief.ledger import Ledger
from execbrief.model import Fact
from execbrief.unattended import run_due

UTC = timezone.utc
BOILER = """\
    # Alpha Rentals maintenance

    ## Risks

    - [critical] The boiler failed city inspection twice; replace it before the city issues a violation.
    """
HANDRAIL = """\
    # Alpha Rentals upkeep

    ## Risks

    - [medium] The handrail on the exterior stair is loose.
    """


def with_alerts(workspace, rules: str = '[[alerts]]\nmin_severity = "critical"\n') -> None:
    config = (workspace.root / "execbrief.toml").read_text()
    workspace.write("execbrief.toml", config + "\n" + rules)


def alert_rows(workspace) -> list[dict]:
    with Ledger.for_workspace(workspace.root) as ledger:
        return [dict(r) for r in ledger.db.execute("SELECT * FROM alerts ORDER BY finding_id")]


def alert_messages(workspace) -> list[dict]:
    return [m for m in workspace.messages() if m["lens"] == "alert"]


def check(workspace, **kwargs):
    return check_alerts(workspace.settings(), now=datetime(2026, 11, 23, 12, tzinfo=UTC), **kwargs)


def test_a_new_critical_finding_is_alerted_once_within_one_due_cycle_and_not_again(workspace):
    with_alerts(workspace)
    workspace.write("notes/alpha/upkeep.md", HANDRAIL)
    first = run_due(workspace.settings(), datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert first.alerts["new"] == [] and first.status == "ok"
    workspace.write("notes/alpha/maintenance.md", BOILER)
    cycle = run_due(workspace.settings(), datetime(2026, 11, 23, 12, 15, tzinfo=UTC))
    assert cycle.status == "ok"
    (new,) = cycle.alerts["new"]
    assert (new["severity"], new["entity"], new["to"]) == ("critical", "alpha", ["ceo@example.com"])
    sent = alert_messages(workspace)
    # sent once, with the audit copy on the envelope
    assert [(json.loads(m["to_json"]), json.loads(m["bcc_json"]), m["status"]) for m in sent] == [
        (["ceo@example.com"], ["audit@example.com"], "sent")]
    again = run_due(workspace.settings(), datetime(2026, 11, 23, 12, 30, tzinfo=UTC))
    assert again.alerts["new"] == [] and again.alerts["matched"] == 1
    assert len(alert_messages(workspace)) == 1
    assert [r["status"] for r in alert_rows(workspace)] == ["sent"]


def test_the_alert_says_what_where_the_fix_and_cites_the_source(workspace):
    with_alerts(workspace)
    workspace.write("notes/alpha/maintenance.md", BOILER)
    result = check(workspace)
    assert result.status == "ok" and len(result.alerts) == 1
    (eml,) = (workspace.root / "outbox").glob("*/alert-*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["Subject"].startswith("[Alert] Critical: Alpha Rentals: ")
    assert message["To"] == "ceo@example.com" and message["Bcc"] is None
    text = message.get_body(("plain",)).get_content()
    assert "What: " in text and "boiler failed city inspection" in text
    assert "Where: Alpha Rentals" in text
    assert "Fix: " in text
    assert "Source: notes/alpha/maintenance.md:5" in text
    html = message.get_body(("html",)).get_content()
    assert "notes/alpha/maintenance.md:5" in html


def test_an_unchanged_workspace_is_answered_by_the_cache_and_records_nothing(workspace):
    with_alerts(workspace)
    workspace.write("notes/alpha/maintenance.md", BOILER)
    check(workspace)
    with Ledger.for_workspace(workspace.root) as ledger:
        runs = len(ledger.runs(100))
    quiet = check(workspace)
    assert quiet.alerts == [] and quiet.computed == []
    with Ledger.for_workspace(workspace.root) as ledger:
        assert len(ledger.runs(100)) == runs


def test_an_alert_that_could_not_be_delivered_is_tried_again_at_the_next_check(workspace):
    with_alerts(workspace)
    workspace.write("notes/alpha/maintenance.md", BOILER)
    config = (workspace.root / "execbrief.toml").read_text()
    workspace.write("execbrief.toml", config.replace(
        'allowed_recipient_domains = ["example.com"]',
        'allowed_recipient_domains = ["example.com"]\nmethod = "smtp"\nmax_attempts = 1\n'
        '[delivery.smtp]\nhost = "127.0.0.1"\nport = 9\nsecurity = "none"'))
    failed = check(workspace)
    assert failed.status == "failed" and len(failed.alerts) == 1
    assert [r["status"] for r in alert_rows(workspace)] == ["failed"]
    workspace.write("execbrief.toml", config)
    retried = check(workspace)
    assert retried.status == "ok" and len(retried.alerts) == 1
    assert [r["status"] for r in alert_rows(workspace)] == ["sent"]


def test_a_dry_run_check_sends_and_records_nothing(workspace):
    with_alerts(workspace)
    workspace.write("notes/alpha/maintenance.md", BOILER)
    assert len(check(workspace, dry_run=True).alerts) == 1
    assert alert_messages(workspace) == [] and alert_rows(workspace) == []


def fact(**kwargs) -> Fact:
    base = {"id": "f-1", "kind": "finding", "name": "risk", "entity": "alpha", "severity": "high",
            "topics": ("security",), "statement": "x"}
    return Fact(**{**base, **kwargs})


@pytest.mark.parametrize("rule, fact_kwargs, expected", [
    ({}, {}, False),                                              # high is below the default critical
    ({}, {"severity": "critical"}, True),
    ({"min_severity": "high"}, {}, True),
    ({"min_severity": "high"}, {"severity": "medium"}, False),
    ({"min_severity": "high", "entities": ["beta"]}, {}, False),
    ({"min_severity": "high", "topics": ["security"]}, {}, True),
    ({"min_severity": "high", "topics": ["cost"]}, {}, False),
    ({"min_severity": "high"}, {"kind": "gap"}, False),           # findings only, unless kinds says
    ({"min_severity": "high", "kinds": ["gap"]}, {"kind": "gap"}, True),
    ({"min_severity": "info"}, {"kind": "metric", "severity": None}, False),
])
def test_a_rule_matches_by_severity_kind_topic_and_entity(rule, fact_kwargs, expected):
    assert matches(AlertRule(**rule), fact(**fact_kwargs)) is expected


def test_a_rule_with_recipients_sends_to_them_and_the_finding_once_per_rule(workspace):
    with_alerts(workspace, '[[alerts]]\nname = "ops"\nto = ["ops@example.com"]\n\n'
                           '[[alerts]]\nname = "board"\nto = ["ops@example.com", "board@example.com"]\n')
    workspace.write("notes/alpha/maintenance.md", BOILER)
    result = check(workspace)
    assert sorted((a.rule, a.to) for a in result.alerts) == [
        ("board", ("ops@example.com", "board@example.com")), ("ops", ("ops@example.com",))]
    assert check(workspace).alerts == []


def test_a_finding_alerted_and_gone_before_the_next_briefing_is_reported_resolved(workspace):
    with_alerts(workspace)
    config = (workspace.root / "execbrief.toml").read_text().replace("as_of = 2026-11-23\n", "")
    workspace.write("execbrief.toml", config)
    assert workspace.run("--as-of", "2026-11-16", "--only", "ceo")[0] == 0  # the baseline briefing
    workspace.write("notes/alpha/maintenance.md", BOILER)
    alerted = check_alerts(workspace.settings(), now=datetime(2026, 11, 18, 12, tzinfo=UTC))
    assert len(alerted.alerts) == 1
    (workspace.root / "notes/alpha/maintenance.md").unlink()  # fixed before the next briefing
    code, summary = workspace.run("--as-of", "2026-11-23", "--only", "ceo")
    assert code == 0
    text = open(summary["reports"][0]["files"]["text"], encoding="utf-8").read()
    changed = text[text.index("What changed since 2026-W47"):]
    assert "- Resolved: Alpha Rentals: The boiler failed city inspection" in changed


def test_alerts_config_is_checked_like_reports(workspace):
    config = (workspace.root / "execbrief.toml").read_text()
    with_alerts(workspace, '[[alerts]]\nentities = ["gamma"]\n')
    with pytest.raises(ConfigError, match=r"alerts\[0\]\.entities names 'gamma'"):
        workspace.settings()
    workspace.write("execbrief.toml", config)
    with_alerts(workspace, '[[alerts]]\nto = ["x@elsewhere.org"]\n')
    with pytest.raises(ConfigError, match="outside allowed_recipient_domains"):
        workspace.settings()


def test_alerts_cli_checks_lists_and_needs_a_rule(workspace):
    runner = CliRunner()
    refused = runner.invoke(cli, ["alerts", "check", "-w", str(workspace.root)])
    assert refused.exit_code == 2 and "no [[alerts]] rules" in refused.output
    with_alerts(workspace)
    workspace.write("notes/alpha/maintenance.md", BOILER)
    result = runner.invoke(cli, ["alerts", "check", "-w", str(workspace.root), "--json"])
    assert result.exit_code == 0, result.output
    assert [a["entity"] for a in json.loads(result.stdout)["new"]] == ["alpha"]
    listed = runner.invoke(cli, ["alerts", "list", "-w", str(workspace.root), "--json"])
    assert [(r["status"], r["rule"]) for r in json.loads(listed.stdout)] == [("sent", "alerts[0]")]
