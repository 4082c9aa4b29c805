"""``execbrief doctor`` and the preflight every delivering run makes before its first send."""

from __future__ import annotations

import json

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.delivery.preflight import check_size
from execbrief.delivery.ses import SesChannel
from execbrief.model import Message


def doctor(workspace, *extra: str):
    return CliRunner().invoke(cli, ["doctor", "-w", str(workspace.root), *extra])


def checks(result) -> dict[str, dict]:
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_doctor_prints_a_line_per_check_and_passes_on_a_sound_workspace(demo_workspace):
    result = doctor(demo_workspace)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("execbrief doctor:") and "delivery via outbox" in lines[0]
    for name in ("config valid", "sender pinned", "recipient domains", "suppression list", "message size"):
        assert any(line.split()[0] == "ok" and name in line for line in lines[1:]), name
    # before the first run nothing was rendered: the sizes come from a dry render
    assert any("message size" in line and "measured a dry render" in line for line in lines)
    assert lines[-1] == "All checks passed."


def test_doctor_checks_every_configured_report_not_only_the_last_run(demo_workspace):
    assert CliRunner().invoke(cli, ["run", "-w", str(demo_workspace.root), "--only", "ceo"]).exit_code == 0
    found = checks(doctor(demo_workspace, "--json"))
    # nine recipients (eight reports and the audit copy), though the last run had two
    assert found["recipient domains"]["detail"].startswith("9 recipients")
    size = found["message size"]
    assert size["status"] == "ok" and "KB" in size["detail"] and "dry render" in size["detail"]


def test_doctor_measures_the_newest_message_of_each_report_once_all_were_rendered(demo_workspace):
    assert CliRunner().invoke(cli, ["run", "-w", str(demo_workspace.root)]).exit_code == 0
    assert CliRunner().invoke(cli, ["run", "-w", str(demo_workspace.root), "--only", "ceo",
                                    "--dry-run"]).exit_code == 0
    size = checks(doctor(demo_workspace, "--json"))["message size"]
    assert size["status"] == "ok" and "KB" in size["detail"] and "dry render" not in size["detail"]
    runs = list((demo_workspace.root / ".execbrief" / "runs").iterdir())
    assert len(runs) == 2  # no third run: what was rendered is enough


def test_a_sender_from_the_environment_that_differs_is_refused(workspace, monkeypatch):
    monkeypatch.setenv("EXECBRIEF_DELIVERY_SENDER", "ceo-impersonator@example.com")
    result = doctor(workspace, "--json")
    assert result.exit_code == 1
    sender = checks(result)["sender pinned"]
    assert sender["status"] == "fail" and "EXECBRIEF_DELIVERY_SENDER" in sender["detail"]
    run = CliRunner().invoke(cli, ["run", "-w", str(workspace.root), "--json"])
    assert run.exit_code == 1
    data = json.loads(run.stdout)
    assert data["deliveries"] == [] and any("sender pinned" in f for f in data["failures"])
    assert not (workspace.root / "outbox").exists()


def test_a_sender_override_in_dot_env_is_refused_too_and_an_equal_one_is_fine(workspace):
    workspace.write(".env", "EXECBRIEF_SENDER=other@example.com\n")
    assert doctor(workspace).exit_code == 1
    workspace.write(".env", "EXECBRIEF_SENDER=Briefings@Example.com\n")
    assert doctor(workspace).exit_code == 0


def test_an_audit_copy_outside_the_allowed_domains_fails(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace("audit@example.com", "audit@elsewhere.org")
    (workspace.root / "execbrief.toml").write_text(text)
    result = doctor(workspace, "--json")
    assert result.exit_code == 1
    domains = checks(result)["recipient domains"]
    assert domains["status"] == "fail" and "audit@elsewhere.org" in domains["detail"]


def test_any_domain_allowed_is_a_warning_not_a_failure(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace('allowed_recipient_domains = ["example.com"]\n', "")
    (workspace.root / "execbrief.toml").write_text(text)
    result = doctor(workspace)
    assert result.exit_code == 0
    assert "warn  recipient domains" in result.stderr and "fix: set [delivery] allowed_recipient_domains" in result.stderr


def test_an_invalid_config_fails_with_exit_2_and_names_the_key(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace("[delivery]\n", '[delivery]\nin_doubt = "maybe"\n')
    (workspace.root / "execbrief.toml").write_text(text)
    result = doctor(workspace)
    assert result.exit_code == 2
    assert "config valid" in result.stderr and "delivery.in_doubt" in result.stderr


def test_list_unsubscribe_must_be_a_mailto_uri_or_an_https_url(workspace):
    text = (workspace.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", '[delivery]\nlist_unsubscribe = "http://example.com/unsub"\n')
    (workspace.root / "execbrief.toml").write_text(text)
    result = doctor(workspace)
    assert result.exit_code == 2 and "mailto:" in result.stderr and "https://" in result.stderr


def test_message_size_is_checked_after_base64_against_the_api_in_use(workspace):
    channel = SesChannel(workspace.settings())
    big = Message(key="ceo", lens="ceo", sender="briefings@example.com", to=("ceo@example.com",), subject="s",
                  mime=b"x" * (8 * 1024 * 1024), idempotency_key="k")  # 8 MB raw, 10.7 MB in base64
    assert check_size(channel, [big]).status == "ok"  # v2: 40 MB
    channel.use_v1 = True
    failed = check_size(channel, [big])
    assert failed.status == "fail" and "10.0 MB" in failed.detail
