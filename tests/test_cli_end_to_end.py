"""The CLI end to end on real workspaces: the demo, the JSON contract, exit codes, bad input."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

BUILTIN_LENSES = {
    "ceo", "cto", "cfo", "cmo", "accounting", "rental-property", "delivery-service", "client-portfolio",
}


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_json(root: Path, *extra: str) -> tuple[int, dict]:
    result = invoke("run", "--workspace", str(root), "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture
def demo_run(demo_workspace):
    code, data = run_json(demo_workspace.root)
    return demo_workspace, code, data


def test_demo_writes_all_eight_builtin_reports_verified(demo_run):
    ws, code, data = demo_run
    assert code == 0, data["failures"]
    assert {r["lens"] for r in data["reports"]} == BUILTIN_LENSES
    assert all(r["status"] == "verified" for r in data["reports"])
    assert data["facts"] > 100


def test_each_demo_report_is_a_valid_eml_with_text_and_html_citing_facts(demo_run):
    ws, _, data = demo_run
    for report in data["reports"]:
        raw = Path(report["files"]["eml"]).read_bytes()
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert msg.get_content_type() == "multipart/alternative"
        types = [part.get_content_type() for part in msg.iter_parts()]
        assert types[0] == "text/plain" and types[1] in ("text/html", "multipart/related")
        if types[1] == "multipart/related":  # charts: inline PNGs named in the HTML by cid
            html_part = list(msg.iter_parts())[1]
            for image in [p for p in html_part.iter_parts() if p.get_content_type() == "image/png"]:
                assert f"cid:{image['Content-ID'].strip('<>')}" in html_part.get_body(("html",)).get_content()
        assert msg["To"] == report["recipients"][0]
        assert "Bcc" not in msg  # audit copies travel on the envelope only
        html = msg.get_body(("html",)).get_content()
        text = msg.get_body(("plain",)).get_content()
        assert "Sources" in html and "[1]" in text  # numbered citations and a source list


def test_outbox_holds_one_message_per_report_and_an_envelope_with_the_audit_copy(demo_run):
    ws, _, data = demo_run
    outbox = ws.root / "outbox" / data["run_id"]
    envelope = json.loads((outbox / "envelope.json").read_text())
    assert {e["key"] for e in envelope} == {r["key"] for r in data["reports"]}
    assert all(e["bcc"] == ["audit@tidewater.example.com"] for e in envelope)
    for entry in envelope:
        for suffix in ("eml", "html", "txt"):
            assert (outbox / f"{entry['key']}.{suffix}").is_file()
    sent = [d for d in data["deliveries"] if d["status"] == "sent"]
    assert len([d for d in sent if d["audit"]]) == 8
    assert len([d for d in sent if not d["audit"]]) == 8


def test_rerun_in_the_same_period_skips_messages_already_sent(demo_run):
    ws, _, first = demo_run
    code, second = run_json(ws.root)
    assert code == 0
    assert {d["status"] for d in second["deliveries"]} == {"skipped"}
    assert not (ws.root / "outbox" / second["run_id"]).exists()
    firsts = {d["key"]: d["message_id"] for d in first["deliveries"]}
    assert all(d["message_id"] == firsts[d["key"]] for d in second["deliveries"])


def test_history_lists_the_run_with_its_reports_and_messages(demo_run):
    ws, _, data = demo_run
    result = invoke("history", "--workspace", str(ws.root), "--json", "--deliveries")
    runs = json.loads(result.stdout)
    assert runs[0]["id"] == data["run_id"]
    assert runs[0]["reports"] == 8 and runs[0]["sent"] == 8
    assert len(runs[0]["messages"]) == 8
    human = invoke("history", "--workspace", str(ws.root))
    assert data["run_id"] in human.stdout


def test_demo_lenses_show_what_their_audience_needs(demo_run):
    ws, _, data = demo_run
    texts = {r["lens"]: Path(r["files"]["text"]).read_text() for r in data["reports"]}
    assert "Stripe live secret key" in texts["cto"]
    assert "Stripe live secret key" not in texts["cmo"]
    # a long-let rental is asked for its arrears, not for a booking conversion rate
    assert "No arrears figure is tracked for Harbor Flats" in texts["rental-property"]
    assert "booking conversion" not in texts["rental-property"]
    assert "The ledger has no Harbor Flats transactions for July 2026" in texts["accounting"]
    assert "QuickRoute" not in texts["rental-property"].split("Sources")[0]
    assert "Google Business Profile" in texts["cmo"]


def test_dry_run_renders_but_delivers_nothing(demo_workspace):
    code, data = run_json(demo_workspace.root, "--dry-run")
    assert code == 0
    assert data["deliveries"] == []
    assert not (demo_workspace.root / "outbox").exists()
    assert all(Path(r["files"]["html"]).is_file() for r in data["reports"])


def test_only_limits_the_run_to_one_lens(demo_workspace):
    code, data = run_json(demo_workspace.root, "--only", "cfo", "--dry-run")
    assert code == 0
    assert [r["lens"] for r in data["reports"]] == ["cfo"]


def test_only_with_an_unconfigured_lens_is_a_usage_error(demo_workspace):
    result = invoke("run", "--workspace", str(demo_workspace.root), "--only", "nope")
    assert result.exit_code == 2
    assert "Error: --only 'nope'" in result.stderr


def test_missing_config_exits_2_with_one_line(tmp_path):
    result = invoke("run", "--workspace", str(tmp_path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no execbrief.toml")


def test_invalid_config_exits_2_naming_the_key(workspace):
    workspace.write("execbrief.toml", (workspace.root / "execbrief.toml").read_text() + "\n[writer]\nkind = 'gpt'\n")
    result = invoke("run", "--workspace", str(workspace.root))
    assert result.exit_code == 2
    assert "writer.kind" in result.stderr and "execbrief.toml" in result.stderr


BAD_INPUTS = {
    "notes/binary.md": b"\x00\x01\x02 binary",
    "notes/latin1.md": "# Caf\xe9 notes\n\n- [ ] Pay the caf\xe9 (due 2026-12-01)\n".encode("latin-1"),
    "notes/empty.md": b"",
    "notes/broken.md": b"---\ntitle: [unclosed\n---\n# Body\n\n- [ ] Still read\n",
}


def test_bad_input_becomes_warnings_and_the_run_goes_on(workspace):
    for path, content in BAD_INPUTS.items():
        workspace.write(path, content)
    workspace.write("ledger/t.csv", (
        "date,amount,entity,account,category,memo\n"
        "2026-10-01,1000.00,alpha,Rental income,revenue,October rent\n"
        "2026-13-01,50.00,alpha,Rental income,revenue,bad date\n"
        "2026-10-02,12x,alpha,Repairs,operating,bad amount\n"
        "2026-10-03,-200.00,alpha,Repairs,operating,boiler\n"
    ))
    code, data = run_json(workspace.root)
    assert code == 0
    by_path: dict[str, list[dict]] = {}
    for warning in data["warnings"]:
        by_path.setdefault(warning["path"], []).append(warning)
    for path in BAD_INPUTS:
        assert path in by_path, f"no warning for {path}"
    ledger_lines = {w["line"] for w in by_path["ledger/t.csv"]}
    assert ledger_lines == {3, 4}
    ceo = Path(next(r for r in data["reports"] if r["lens"] == "ceo")["files"]["text"]).read_text()
    assert "For whoever keeps the data" in ceo and "notes/binary.md" in ceo
    cfo = Path(next(r for r in data["reports"] if r["lens"] == "cfo")["files"]["text"]).read_text()
    assert "$1,000" in cfo  # the good rows still count


def test_init_creates_a_workspace_that_runs(tmp_path):
    target = tmp_path / "new"
    result = invoke("init", str(target), "--name", "Acme")
    assert result.exit_code == 0
    assert (target / "execbrief.toml").is_file()
    assert (target / "notes" / "weekly.md").is_file()
    code, data = run_json(target, "--dry-run")
    assert code == 0
    assert {r["lens"] for r in data["reports"]} == {"ceo", "cfo"}
    again = invoke("init", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr


def test_demo_command_refuses_a_folder_that_is_not_a_demo(tmp_path):
    (tmp_path / "stuff.txt").write_text("mine")
    result = invoke("demo", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert (tmp_path / "stuff.txt").read_text() == "mine"


def test_demo_command_copies_and_runs(tmp_path):
    out = tmp_path / "demo"
    result = invoke("demo", "--out", str(out), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["reports"]) == 8
    assert (out / "outbox" / data["run_id"] / "envelope.json").is_file()


def test_lenses_lists_builtins_and_shows_one_as_toml(tmp_path):
    import tomllib

    listing = invoke("lenses", "--workspace", str(tmp_path))
    assert all(name in listing.stdout for name in BUILTIN_LENSES)
    shown = invoke("lenses", "--workspace", str(tmp_path), "--show", "cto")
    assert tomllib.loads(shown.stdout)["id"] == "cto"
    missing = invoke("lenses", "--workspace", str(tmp_path), "--show", "nope")
    assert missing.exit_code == 2


def test_financial_lenses_carry_chart_images_and_the_rest_do_not(demo_run):
    ws, _, data = demo_run
    with_charts = set()
    for report in data["reports"]:
        msg = email.message_from_bytes(Path(report["files"]["eml"]).read_bytes(), policy=policy.default)
        if any(part.get_content_type() == "image/png" for part in msg.walk()):
            with_charts.add(report["lens"])
    assert with_charts == {"cto", "cfo", "rental-property", "delivery-service", "client-portfolio"}


def test_rendered_html_of_each_demo_report_is_under_100_kb_before_images(demo_run):
    ws, _, data = demo_run
    for report in data["reports"]:
        msg = email.message_from_bytes(Path(report["files"]["eml"]).read_bytes(), policy=policy.default)
        html = msg.get_body(("html",)).get_content()
        assert len(html.encode()) < 100_000, report["lens"]


def test_init_config_examples_are_valid_when_uncommented(tmp_path):
    import re

    from execbrief.config import load_settings

    target = tmp_path / "new"
    invoke("init", str(target))
    text = (target / "execbrief.toml").read_text()
    uncommented = re.sub(r"^# (\[|[a-z_]+ = )", r"\1", text, flags=re.M)
    assert uncommented != text
    (target / "execbrief.toml").write_text(uncommented)
    settings = load_settings(target, environ={})
    assert settings.delivery.smtp.host == "smtp.example.com"
    assert settings.sources.aws.enabled and settings.sources.repos.paths == ["~/code/*"]
    assert settings.delivery.list_unsubscribe.startswith("mailto:")


def test_progress_on_a_terminal_runs_no_thread(monkeypatch):
    # a refresh thread would keep the notes source from forking its parsers
    import io
    import threading

    from rich.console import Console

    from execbrief.cli import output

    screen = io.StringIO()
    monkeypatch.setattr(output, "stderr", Console(file=screen, force_terminal=True, width=80))
    with output.progress_reporter() as progress:
        progress("source", {"name": "notes"})
        assert threading.active_count() == 1
        progress("analyze", {"evidence": 12, "parts": 3})
    assert "reading notes" in screen.getvalue() and "analyzing 12 evidence items and 3 notes" in screen.getvalue()
