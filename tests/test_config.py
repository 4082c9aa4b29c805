"""execbrief.toml + environment → Settings, and the errors a bad configuration gets."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from execbrief.config import load_settings
from execbrief.errors import ConfigError, ExecbriefError


def _edit(workspace, old: str, new: str) -> None:
    """Replace one piece of the workspace's execbrief.toml (which must contain it)."""
    path = workspace.root / "execbrief.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture config no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(workspace, extra: str) -> None:
    path = workspace.root / "execbrief.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")


def _error(workspace, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(workspace.root, environ=environ or {})
    return str(info.value)


def test_minimal_config_loads_with_defaults(workspace):
    settings = workspace.settings()

    assert settings.organization.name == "Test Org"
    assert settings.organization.currency == "USD"
    assert [e.id for e in settings.entities] == ["alpha", "beta"]
    assert settings.entity_names() == {"alpha": "Alpha Rentals", "beta": "Beta Delivery"}
    assert settings.writer.kind == "offline"
    assert settings.writer.model is None
    assert settings.delivery.method == "outbox"
    assert settings.delivery.sender == "briefings@example.com"
    assert settings.sources.notes.paths == ["notes"]
    assert settings.sources.ledger.paths == ["ledger"]
    assert settings.sources.ledger.columns.amount == "amount"
    assert settings.run.as_of == date(2026, 11, 23)
    assert settings.run.stale_days == 45
    assert [(r.lens, r.to, r.entities) for r in settings.reports] == [
        ("ceo", ["ceo@example.com"], None),
        ("cfo", ["cfo@example.com"], None),
    ]
    assert settings.workspace == workspace.root.resolve()
    assert settings.config_path == workspace.root.resolve() / "execbrief.toml"
    assert settings.resolve("notes") == workspace.root.resolve() / "notes"


def test_unknown_key_names_dotted_key_and_file_and_says_how_to_fix(workspace):
    _append(workspace, "[sources.notes]\npathz = ['notes']\n")

    message = _error(workspace)

    assert "'sources.notes.pathz'" in message
    assert str(workspace.root.resolve() / "execbrief.toml") in message
    assert "remove it or check its spelling" in message


def test_unknown_key_inside_a_report_names_its_index(workspace):
    _edit(workspace, 'lens = "cfo"', 'lens = "cfo"\nlenz = "cto"')

    message = _error(workspace)

    assert "'reports[1].lenz'" in message


def test_wrong_type_names_the_key_and_the_bad_value(workspace):
    _append(workspace, '[writer]\nkind = "gpt"\n')

    message = _error(workspace)

    assert "'writer.kind'" in message
    assert "'gpt'" in message
    assert "execbrief.toml" in message


def test_missing_required_sender_is_named(workspace):
    _edit(workspace, 'sender = "briefings@example.com"\n', "")

    message = _error(workspace)

    assert "missing required key 'delivery.sender'" in message
    assert "execbrief.toml" in message


def test_invalid_toml_names_the_file(workspace):
    workspace.write("execbrief.toml", "[organization\nname = 'x'\n")

    message = _error(workspace)

    assert str(workspace.root.resolve() / "execbrief.toml") in message
    assert "not valid TOML" in message


def test_missing_config_file_says_to_run_init(workspace):
    (workspace.root / "execbrief.toml").unlink()

    message = _error(workspace)

    assert "execbrief.toml" in message
    assert "`execbrief init" in message


def test_missing_workspace_folder_says_to_run_init(tmp_path):
    missing = tmp_path / "nowhere"

    with pytest.raises(ConfigError) as info:
        load_settings(missing, environ={})

    assert "does not exist" in str(info.value)
    assert "`execbrief init" in str(info.value)
    assert not missing.exists()


def test_bad_email_in_report_recipients_names_the_key(workspace):
    _edit(workspace, 'to = ["ceo@example.com"]', 'to = ["ceo-at-example.com"]')

    message = _error(workspace)

    assert "'reports[0].to'" in message
    assert "'ceo-at-example.com'" in message
    assert "not an email address" in message


def test_recipient_outside_allowed_domains_names_report_index(workspace):
    _edit(workspace, 'to = ["cfo@example.com"]', 'to = ["cfo@elsewhere.org"]')

    message = _error(workspace)

    assert "reports[1].to" in message
    assert "cfo@elsewhere.org" in message
    assert "allowed_recipient_domains" in message


def test_recipient_domain_check_ignores_case(workspace):
    _edit(workspace, 'to = ["cfo@example.com"]', 'to = ["CFO@Example.COM"]')

    settings = workspace.settings()

    assert settings.reports[1].to == ["cfo@example.com"]


def test_duplicate_entity_id_is_an_error(workspace):
    _edit(workspace, 'id = "beta"', 'id = "alpha"')

    message = _error(workspace)

    assert "entity id 'alpha' is defined twice" in message
    assert "execbrief.toml" in message


def test_report_entities_must_name_known_entities(workspace):
    _edit(workspace, 'lens = "cfo"', 'lens = "cfo"\nentities = ["gamma"]')

    message = _error(workspace)

    assert "reports[1].entities" in message
    assert "'gamma'" in message


def test_report_entities_naming_known_entity_load(workspace):
    _edit(workspace, 'lens = "cfo"', 'lens = "cfo"\nentities = ["beta"]')

    assert workspace.settings().reports[1].entities == ["beta"]


def test_unknown_time_zone_names_the_key(workspace):
    _edit(workspace, 'timezone = "UTC"', 'timezone = "Mars/Olympus_Mons"')

    message = _error(workspace)

    assert "'organization.timezone'" in message
    assert "unknown time zone 'Mars/Olympus_Mons'" in message


def test_env_override_of_writer_kind_applies(workspace):
    settings = load_settings(workspace.root, environ={"EXECBRIEF_WRITER_KIND": "anthropic"})

    assert settings.writer.kind == "anthropic"


def test_invalid_env_override_names_the_environment_variable(workspace):
    message = _error(workspace, environ={"EXECBRIEF_WRITER_KIND": "gpt"})

    assert "environment variable EXECBRIEF_WRITER_KIND" in message
    assert "'writer.kind'" in message
    assert "'gpt'" in message
    assert "execbrief.toml" not in message


def test_environment_cannot_set_the_sender(workspace):
    settings = load_settings(workspace.root, environ={"EXECBRIEF_DELIVERY_SENDER": "evil@attacker.test"})

    assert settings.delivery.sender == "briefings@example.com"


def test_dotenv_beside_the_toml_supplies_an_override(workspace):
    workspace.write(".env", "EXECBRIEF_WRITER_KIND=openai\n")

    assert workspace.settings().writer.kind == "openai"


def test_passed_environ_wins_over_dotenv(workspace):
    workspace.write(".env", "EXECBRIEF_WRITER_KIND=openai\n")

    settings = load_settings(workspace.root, environ={"EXECBRIEF_WRITER_KIND": "bedrock"})

    assert settings.writer.kind == "bedrock"


def test_settings_env_holds_dotenv_values_but_is_not_dumped(workspace):
    workspace.write(".env", "ANTHROPIC_API_KEY=sk-ant-test-123\nOTHER=value\n")

    settings = load_settings(workspace.root, environ={"FROM_ENVIRON": "1"})

    assert settings.env["ANTHROPIC_API_KEY"] == "sk-ant-test-123"
    assert settings.env["OTHER"] == "value"
    assert settings.env["FROM_ENVIRON"] == "1"
    dumped = settings.model_dump()
    assert "env" not in dumped
    assert "workspace" not in dumped
    assert "sk-ant-test-123" not in settings.model_dump_json()
    assert "sk-ant-test-123" not in repr(settings)


def test_config_error_exits_with_code_two():
    assert ConfigError.exit_code == 2
    assert issubclass(ConfigError, ExecbriefError)
    assert ConfigError("x").exit_code == 2


def test_several_problems_report_the_first_and_count_the_rest(workspace):
    _append(workspace, '[writer]\nkind = "gpt"\nmodle = "x"\n')

    message = _error(workspace)

    assert re.search(r"\(and 1 more\)$", message)


def test_resolve_keeps_absolute_paths(workspace, tmp_path):
    settings = workspace.settings()

    assert settings.resolve(str(tmp_path / "x")) == tmp_path / "x"
    assert isinstance(settings.resolve("ledger"), Path)
