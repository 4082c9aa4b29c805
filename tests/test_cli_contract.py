"""Errors for scripts too (issue 13, item 2): one line on stderr, one JSON document with
--json, a damaged ledger named, a new ledger confirmed before it delivers, read-only and
full disks named, permanent delivery errors not retried."""

from __future__ import annotations

import json
import os
import shlex

import pytest

from hostile import cli, execbrief_command, run, run_without_privileges, sandbox, small_workspace


@pytest.fixture
def ws(tmp_path):
    return small_workspace(tmp_path / "ws")


def test_a_config_error_with_json_prints_an_error_document_naming_key_and_file(workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text().replace(
        'timezone = "UTC"', 'timezone = "Mars/Olympus"'))

    out = run(workspace.root)

    assert out.code == 2
    assert out.data == {"error": {
        "code": 2, "message": out.stderr.removeprefix("Error: ").strip(),
        "key": "organization.timezone", "path": str(workspace.root / "execbrief.toml"),
    }}
    assert "unknown time zone 'Mars/Olympus'" in out.data["error"]["message"]


def test_a_missing_workspace_with_json_is_a_document_too(tmp_path):
    out = run(tmp_path / "nowhere")

    assert out.code == 2 and out.data["error"]["code"] == 2
    assert "does not exist" in out.data["error"]["message"]


@pytest.mark.parametrize("args, says", [
    (("run", "--bogus"), "No such option '--bogus' (see `execbrief run --help`)"),
    (("run", "--as-of", "tomorrow"), "'tomorrow' does not match the format '%Y-%m-%d'"),
    (("frobnicate",), "No such command 'frobnicate' (see `execbrief --help`)"),
    (("events", "ingest"), "Missing argument 'FILE' (see `execbrief events ingest --help`)"),
])
def test_click_usage_errors_are_one_line_and_exit_2(args, says):
    out = cli(*args, json_doc=False)

    assert out.code == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith("Error: ")
    assert says in out.stderr


def test_a_usage_error_with_json_is_also_a_document():
    out = cli("run", "--bogus", "--json")

    assert out.code == 2
    assert out.data["error"]["code"] == 2 and "--bogus" in out.data["error"]["message"]


def test_an_unexpected_exception_is_one_line_naming_it_not_a_traceback(ws, monkeypatch):
    import execbrief.cli.run as command

    def broken(*args, **kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(command, "execute", broken)

    out = run(ws.root)

    assert out.code == 1
    assert out.data["error"]["message"].startswith("internal error (KeyError: 'surprise'")
    assert "EXECBRIEF_DEBUG=1" in out.stderr


# the ledger


def test_a_random_ledger_file_is_named_as_damaged_with_how_to_recover(ws):
    (ws.root / ".execbrief").mkdir()
    (ws.root / ".execbrief" / "ledger.db").write_bytes(os.urandom(8192))

    out = run(ws.root)

    assert out.code == 1
    message = out.data["error"]["message"]
    assert "is damaged" in message and "move it aside" in message and "--accept-new-ledger" in message
    assert out.data["error"]["path"] == str(ws.root / ".execbrief" / "ledger.db")


def test_a_truncated_ledger_is_named_as_damaged(ws):
    assert run(ws.root, "--dry-run").code == 0
    ledger = ws.root / ".execbrief" / "ledger.db"
    for leftover in ledger.parent.glob("ledger.db-*"):  # the write-ahead log holds no pages after close
        leftover.unlink()
    os.truncate(ledger, ledger.stat().st_size // 3)

    out = run(ws.root)

    assert out.code == 1 and "is damaged" in out.data["error"]["message"]


def test_a_new_ledger_in_a_workspace_that_delivered_refuses_to_deliver_until_confirmed(ws):
    first = run(ws.root)
    assert first.code == 0 and len(first.data["deliveries"]) == 6
    ledger = ws.root / ".execbrief" / "ledger.db"
    ledger.rename(ledger.with_name("ledger.db.damaged"))  # as the damaged-ledger message advises

    refused = run(ws.root)

    assert refused.code == 1 and refused.data["deliveries"] == []
    assert "--accept-new-ledger" in refused.failures[0] and "another ledger" in refused.failures[0]
    assert {r["status"] for r in refused.data["reports"]} == {"verified"}  # written, just not sent

    accepted = run(ws.root, "--accept-new-ledger")
    assert accepted.code == 0 and {d["status"] for d in accepted.data["deliveries"]} == {"sent"}

    after = run(ws.root)
    assert after.code == 0 and {d["status"] for d in after.data["deliveries"]} == {"skipped"}


def test_with_the_marker_gone_too_the_outbox_shows_what_a_new_ledger_never_recorded(ws):
    assert run(ws.root).code == 0
    for path in sorted((ws.root / ".execbrief").glob("*"), reverse=True):
        if path.is_file():
            path.unlink()  # ledger and delivered.json: as if .execbrief were wiped but the outbox kept

    refused = run(ws.root)
    assert refused.code == 1 and "the outbox" in refused.failures[0] and refused.data["deliveries"] == []

    confirmed = run(ws.root, "--dry-run", "--accept-new-ledger")  # confirm without sending anything
    assert confirmed.code == 0 and confirmed.data["deliveries"] == []
    assert run(ws.root).code == 0


def test_a_first_run_in_a_new_workspace_needs_no_confirmation(ws):
    out = run(ws.root)

    assert out.code == 0 and {d["status"] for d in out.data["deliveries"]} == {"sent"}


# disks


def test_an_unwritable_outbox_is_a_permanent_error_not_retried(workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", '[delivery]\noutbox = "not-a-folder"\nretry_base_s = 30\n'))
    workspace.write("not-a-folder", "a file where the outbox folder should be")

    out = run(workspace.root)  # four attempts 30 s apart would time the test out

    assert out.code == 1
    failed = [d for d in out.data["deliveries"] if d["status"] == "failed"]
    assert failed and {d["attempts"] for d in failed} == {1}
    assert "cannot write to the outbox" in failed[0]["error"]


def test_a_read_only_workspace_is_named(ws):
    assert run(ws.root, "--dry-run").code == 0
    root = shlex.quote(str(ws.root))
    done = sandbox(execbrief_command("run", "-w", str(ws.root), "--json"),
                   mounts=f"mount --bind {root} {root}\nmount -o remount,bind,ro {root}")

    assert done.returncode == 1, done.stderr
    error = json.loads(done.stdout)["error"]
    assert "read-only" in error["message"] and "Traceback" not in done.stderr


def test_a_full_disk_is_named(ws):
    state = ws.root / ".execbrief"
    state.mkdir()
    done = sandbox(execbrief_command("run", "-w", str(ws.root), "--json"),
                   mounts=f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(state))}")

    assert done.returncode == 1, done.stderr
    error = json.loads(done.stdout)["error"]
    assert "disk is full" in error["message"] and "Traceback" not in done.stderr


def test_a_full_disk_while_writing_reports_is_named_per_report(ws):
    assert run(ws.root, "--dry-run").code == 0  # the ledger and caches exist; reports need room
    runs = ws.root / ".execbrief" / "runs"
    done = sandbox(execbrief_command("run", "-w", str(ws.root), "--json", "--dry-run"),
                   mounts=f"mount -t tmpfs -o size=8k tmpfs {shlex.quote(str(runs))}")

    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["failures"] and all("the disk is full" in f for f in data["failures"])
    assert "Traceback" not in done.stderr


def test_an_unreadable_config_is_named(ws):
    (ws.root / "execbrief.toml").chmod(0)
    try:
        out = run_without_privileges(ws.root)
    finally:
        (ws.root / "execbrief.toml").chmod(0o644)

    assert out.code == 2 and "permission denied" in out.data["error"]["message"]


def test_a_ledger_folder_the_user_may_not_write_is_named_as_permission_not_read_only(ws):
    assert run(ws.root, "--dry-run").code == 0
    state = ws.root / ".execbrief"
    state.chmod(0o500)
    try:
        out = run_without_privileges(ws.root)
    finally:
        state.chmod(0o755)

    assert out.code == 1
    message = out.data["error"]["message"]
    assert "permission denied" in message and "read-only" not in message, message


def test_a_workspace_the_user_cannot_read_is_a_usage_error_naming_it(ws):
    ws.root.chmod(0)
    try:
        out = run_without_privileges(ws.root)
    finally:
        ws.root.chmod(0o755)

    assert out.code == 2
    assert "is not readable" in out.data["error"]["message"] and out.data["error"]["key"] == "--workspace"


@pytest.mark.parametrize("added, key", [
    ('\n[reader]\nkind = "llm"\n', "reader.provider"),
    ('\n[[reports]]\nlens = "ceo"\nto = ["x@elsewhere.example"]\n', "reports[2].to"),
    ('\n[[reports]]\nlens = "ceo"\nentities = ["nope"]\nto = ["x@example.com"]\n', "reports[2].entities"),
    ('\n[[entities]]\nid = "alpha"\nname = "Again"\n', "entities[2].id"),
    ('\n[[alerts]]\nmin_severity = "critical"\nto = ["x@elsewhere.example"]\n', "alerts[0].to"),
])
def test_a_check_across_keys_names_the_key_to_fix_in_the_error_document(added, key, workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text() + added)

    out = run(workspace.root)

    assert out.code == 2
    assert out.data["error"]["key"] == key and out.data["error"]["path"] == str(workspace.root / "execbrief.toml")


def test_a_cache_folder_the_user_may_not_write_costs_the_kept_facts_not_the_facts(ws):
    assert run(ws.root, "--dry-run").code == 0
    cache = ws.root / ".execbrief" / "cache"
    for path in [ws.root / ".execbrief", *(ws.root / ".execbrief").rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    cache.chmod(0o555)  # the ledger may be written; the analysis cache's folder may not
    ws.write("notes/beta/ops.md", (ws.root / "notes/beta/ops.md").read_text() + "- [ ] Book the van service by 2026-12-09\n")
    # (a changed note: an unchanged rerun would reuse the last run's work and read no cache)
    try:
        out = run_without_privileges(ws.root, "--dry-run")
    finally:
        cache.chmod(0o755)
    code, data = out.code, out.data

    assert code == 0, data  # was 'analysis: cannot use …/analysis.sqlite: permission denied; the reports have no facts'
    assert data["facts"] > 10 and not data["failures"]
    assert [w for w in data["warnings"] if w["source"] == "analysis" and "cannot keep the analyzers' results" in w["message"]]


def test_a_full_disk_under_the_outbox_fails_each_message_once_naming_it(ws):
    assert run(ws.root, "--dry-run").code == 0  # ledger, caches and reports have room; the outbox has none
    outbox = ws.root / "outbox"
    outbox.mkdir()
    done = sandbox(execbrief_command("run", "-w", str(ws.root), "--json"),
                   mounts=f"mount -t tmpfs -o size=8k tmpfs {shlex.quote(str(outbox))}")

    assert done.returncode == 1, done.stderr
    deliveries = json.loads(done.stdout)["deliveries"]
    assert deliveries and {d["status"] for d in deliveries} == {"failed"} and {d["attempts"] for d in deliveries} == {1}
    assert all("the disk is full" in d["error"] for d in deliveries), deliveries[0]["error"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("marker", ['[1, 2', '{"ledger": 5}', "[" * 50_000, "\xff"])
def test_a_damaged_delivery_marker_is_named_and_delivery_waits_for_confirmation(marker, ws):
    assert run(ws.root).code == 0
    (ws.root / ".execbrief" / "delivered.json").write_text(marker, encoding="latin-1")

    refused = run(ws.root)

    assert refused.code == 1 and refused.data["deliveries"] == []
    assert "delivered.json, which names the ledger" in refused.failures[0] and "is damaged" in refused.failures[0]
    assert "--accept-new-ledger" in refused.failures[0]
    confirmed = run(ws.root, "--dry-run", "--accept-new-ledger")  # rewrites the marker for this ledger
    assert confirmed.code == 0 and run(ws.root).code == 0
