"""A run that would repeat an earlier one reuses its work: the same reports, byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.ledger import Ledger


def run(root: Path, *extra: str) -> dict:
    result = CliRunner().invoke(cli, ["run", "-w", str(root), "--json", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def files(summary: dict) -> dict[tuple[str, str], bytes]:
    """Each report's rendered files (html, text, md) by (report, kind): the .eml carries the time it was built."""
    return {(r["key"], kind): Path(path).read_bytes() for r in summary["reports"]
            for kind, path in r["files"].items() if kind != "eml"}


def test_an_unchanged_rerun_writes_the_same_reports_as_computing_them_again(demo_workspace):
    root = demo_workspace.root
    first = run(root, "--dry-run")
    again = run(root, "--dry-run")
    slow = run(root, "--dry-run", "--no-reuse")
    assert (first["reused"], again["reused"], slow["reused"]) == (False, True, False)
    assert files(again) == files(first) == files(slow)
    assert again["facts"] == first["facts"] == slow["facts"]
    assert again["stages_ms"]["selection"] == again["stages_ms"]["writing"] == 0  # (nothing analysed or written)
    with Ledger.for_workspace(root) as ledger:
        assert ledger.facts(again["run_id"]) == ledger.facts(first["run_id"]) == ledger.facts(slow["run_id"])
        assert ledger.db.execute("SELECT COUNT(*) FROM fact_bases").fetchone()[0] == 1
        assert ledger.db.execute("SELECT COUNT(DISTINCT body) FROM report_rows").fetchone()[0] == len(first["reports"])


def test_a_changed_note_is_analysed_and_written_again(demo_workspace):
    root = demo_workspace.root
    first = run(root, "--dry-run")
    note = sorted((root / "notes").rglob("*.md"))[0]
    note.write_text(note.read_text(encoding="utf-8") + "\n- Risk: the lift is out of service until March (critical)\n",
                    encoding="utf-8")
    changed = run(root, "--dry-run")
    assert changed["reused"] is False and changed["facts"] != first["facts"]
    with Ledger.for_workspace(root) as ledger:
        assert ledger.db.execute("SELECT COUNT(*) FROM fact_bases").fetchone()[0] == 2


def test_reused_reports_are_delivered_exactly_once(demo_workspace):
    root = demo_workspace.root
    rehearsal = run(root, "--dry-run")
    sent = run(root)  # (the rehearsal's reports, delivered)
    rerun = run(root)
    assert (rehearsal["reused"], sent["reused"], rerun["reused"]) == (False, True, True)
    assert {d["status"] for d in sent["deliveries"]} == {"sent"}
    assert {d["status"] for d in rerun["deliveries"]} == {"skipped"}
    assert len(list((root / "outbox").rglob("*.eml"))) == len({d["key"] for d in sent["deliveries"]}) == 8


def test_a_delivery_since_the_earlier_run_means_computing_again(demo_workspace):
    root = demo_workspace.root
    run(root, "--dry-run")
    with Ledger.for_workspace(root) as ledger:  # (as `execbrief resend` or another run would leave it)
        ledger.db.execute("INSERT INTO runs (id, started_at, status, workspace, period, as_of) VALUES"
                          " ('20990101T000000000Z-aaaaaa', 'x', 'ok', '.', 'p', 'a')")
        ledger.db.execute(
            "INSERT INTO messages (id, run_id, key, lens, idempotency_key, channel, sender, to_json, bcc_json, subject,"
            " status, created_at, updated_at) VALUES ('m', '20990101T000000000Z-aaaaaa', 'ceo', 'ceo', 'k', 'outbox',"
            " 's@example.com', '[]', '[]', 'S', 'failed', '2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z')")
    assert run(root, "--dry-run")["reused"] is False


def test_a_workspace_copied_and_run_without_reuse_gives_the_same_reports_after_an_edit(demo_workspace, tmp_path):
    fast = demo_workspace.root
    slow = tmp_path / "slow"
    shutil.copytree(fast, slow)
    for root, extra in ((fast, ()), (slow, ("--no-reuse",))):
        run(root, *extra)  # delivered, so the next run has a baseline for "what changed"
    for root in (fast, slow):
        note = sorted((root / "notes").rglob("*.md"))[-1]
        note.write_text(note.read_text(encoding="utf-8") + "\n- [ ] Renew the fire certificate (due 2026-11-30)\n",
                        encoding="utf-8")
    after_fast = run(fast)
    shutil.rmtree(slow / ".execbrief" / "cache" / "render", ignore_errors=True)
    after_slow = run(slow, "--no-reuse")
    assert files(after_fast) == files(after_slow)


def test_an_index_told_beside_the_kept_one_gives_the_reports_an_index_made_from_the_facts_gives(demo_workspace, tmp_path):
    """After an edit, the run tells its fact base's index beside the one kept with the last
    base (``execbrief.lenses.kept``); a copy whose kept index is gone makes it from the facts.
    The reports are the same, byte for byte."""
    import marshal

    fast = demo_workspace.root
    first = run(fast, "--dry-run")
    kept = fast / ".execbrief" / "cache" / "fact-index"
    with Ledger.for_workspace(fast) as ledger:
        first_base = ledger.db.execute("SELECT fact_base FROM runs WHERE id = ?", (first["run_id"],)).fetchone()[0]
    assert marshal.loads(kept.read_bytes())["base"] == first_base
    slow = tmp_path / "slow"
    shutil.copytree(fast, slow)
    for root in (fast, slow):
        note = sorted((root / "notes").rglob("*.md"))[0]
        note.write_text(note.read_text(encoding="utf-8") + "\n- Risk: the lift is out of service until March (critical)\n",
                        encoding="utf-8")
    (slow / ".execbrief" / "cache" / "fact-index").unlink()
    told, made = run(fast, "--dry-run"), run(slow, "--dry-run")
    assert marshal.loads(kept.read_bytes())["base"] == first_base  # (told beside it: the kept one stays)
    assert marshal.loads((slow / ".execbrief" / "cache" / "fact-index").read_bytes())["base"] != first_base  # (made)
    assert told["facts"] == made["facts"] != first["facts"]
    assert files(told) == files(made)
