"""The SQLite ledger: its migrated schema, and the records a run writes and reads back."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import date
from decimal import Decimal

import pytest

from execbrief.errors import LedgerError
from execbrief.ledger import LEDGER_PATH, MIGRATIONS, Ledger, migrate
from execbrief.model import Block, DataWarning, Fact, Report, ReportSection

TABLES = {"runs", "inputs", "run_facts", "fact_bodies", "warnings", "report_rows", "report_bodies", "messages", "events",
          "migrations", "fact_bases", "base_facts", "input_sets", "input_set_files"}


def tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows}


def migration_names(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY name")]


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / ".execbrief" / "ledger.db") as opened:
        yield opened


def make_report(period: str, text: str = "Revenue was $100.", key: str = "ceo", status: str = "verified") -> Report:
    return Report(
        lens="ceo", key=key, title="CEO briefing", audience="CEO", organization="Org", period=period,
        as_of=date(2026, 11, 23), summary=(Block(kind="paragraph", text=text, cites=("f-1",)),),
        sections=(ReportSection(id="s", title="S", blocks=(Block(kind="note", text="Nothing."),)),),
        status=status,
    )


def test_new_ledger_has_every_table_and_a_row_per_migration(ledger):
    assert TABLES <= tables(ledger.db)
    for view in ("facts", "reports"):
        assert ledger.db.execute("SELECT type FROM sqlite_master WHERE name = ?", (view,)).fetchone()[0] == "view"
    assert migration_names(ledger.db) == sorted(name for name, _ in MIGRATIONS)
    assert ledger.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_schema_uses_json_suffix_for_json_columns(ledger):
    columns = {r[1] for r in ledger.db.execute("PRAGMA table_info(runs)")}

    assert {"options_json", "summary_json", "duration_ms", "started_at", "finished_at"} <= columns


def test_ledger_for_workspace_lives_under_dot_execbrief(tmp_path):
    with Ledger.for_workspace(tmp_path) as opened:
        assert opened.path == tmp_path / LEDGER_PATH
    assert (tmp_path / ".execbrief" / "ledger.db").is_file()


def test_opening_twice_applies_nothing_the_second_time(tmp_path):
    path = tmp_path / "ledger.db"
    Ledger(path).close()

    db = sqlite3.connect(path, isolation_level=None)
    try:
        before = db.execute("SELECT name, applied_at FROM migrations ORDER BY name").fetchall()
        assert migrate(db) == []
        after = db.execute("SELECT name, applied_at FROM migrations ORDER BY name").fetchall()
    finally:
        db.close()
    assert before == after
    with Ledger(path) as again:
        assert len(migration_names(again.db)) == len(MIGRATIONS)


def test_migrate_on_an_empty_database_applies_every_migration_in_order(tmp_path):
    db = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    try:
        assert migrate(db) == [name for name, _ in MIGRATIONS]
    finally:
        db.close()


def test_failing_migration_rolls_back_with_no_partial_table_or_record(tmp_path, monkeypatch):
    path = tmp_path / "ledger.db"
    Ledger(path).close()

    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        db.execute("INSERT INTO runs (id) VALUES ('x')")  # violates NOT NULL: fails mid-migration

    monkeypatch.setattr("execbrief.ledger.migrations.MIGRATIONS", [*MIGRATIONS, ("m999_broken", m999_broken)])

    with pytest.raises(LedgerError) as info:
        Ledger(path)
    assert "cannot open the ledger" in str(info.value)

    db = sqlite3.connect(path)
    try:
        assert "half_done" not in tables(db)
        assert "m999_broken" not in migration_names(db)
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    finally:
        db.close()


def test_failing_first_open_leaves_only_the_earlier_migrations(tmp_path, monkeypatch):
    def m999_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr("execbrief.ledger.migrations.MIGRATIONS", [*MIGRATIONS, ("m999_broken", m999_broken)])
    path = tmp_path / "ledger.db"

    with pytest.raises(Exception, match="boom"):
        Ledger(path)

    db = sqlite3.connect(path)
    try:
        assert "half_done" not in tables(db)
        assert migration_names(db) == [name for name, _ in MIGRATIONS]
        assert "runs" in tables(db)
    finally:
        db.close()


def test_start_run_finish_run_and_runs_round_trip(ledger, tmp_path):
    run_id = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {"only": ["ceo"], "dry_run": True})

    [running] = ledger.runs()
    assert running["id"] == run_id
    assert running["status"] == "running"
    assert running["finished_at"] is None
    assert running["summary"] is None
    assert running["options"] == {"only": ["ceo"], "dry_run": True}

    ledger.record_facts(run_id, [Fact(id="f-1", kind="metric", name="revenue", value=Decimal("100"),
                                      statement="Revenue was $100.")])
    ledger.record_warnings(run_id, [DataWarning(source="ledger", path="ledger/t.csv", line=3, message="bad")])
    ledger.record_report(run_id, make_report("2026-W48"))
    ledger.finish_run(run_id, "ok", {"facts": 1}, 1234)

    [done] = ledger.runs()
    assert (done["id"], done["status"], done["duration_ms"]) == (run_id, "ok", 1234)
    assert done["summary"] == {"facts": 1}
    assert done["finished_at"] is not None and done["finished_at"].endswith("Z")
    assert (done["period"], done["as_of"], done["workspace"]) == ("2026-W48", "2026-11-23", str(tmp_path))
    assert (done["facts"], done["warnings"], done["reports"], done["sent"]) == (1, 1, 1, 0)


def test_runs_are_newest_first(ledger, tmp_path):
    first = ledger.start_run(tmp_path, "2026-W47", "2026-11-16", {})
    time.sleep(0.002)  # ids sort by millisecond
    second = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})

    assert [r["id"] for r in ledger.runs()] == [second, first]
    assert [r["id"] for r in ledger.runs(limit=1)] == [second]


def test_recorded_fact_reads_back_equal(ledger, tmp_path):
    run_id = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})
    fact = Fact(id="f-1", kind="action", name="remediation", entity="alpha", value=Decimal("12345.67"),
                unit="USD", due=date(2026, 12, 7), statement="By 2026-12-07: Fix it.", topics=("finance",))

    ledger.record_facts(run_id, [fact])

    row = ledger.db.execute("SELECT kind, name, entity, fact_json FROM facts WHERE run_id = ?", (run_id,)).fetchone()
    assert (row["kind"], row["name"], row["entity"]) == ("action", "remediation", "alpha")
    assert Fact.model_validate_json(row["fact_json"]) == fact


def test_a_fact_computed_by_many_runs_is_stored_once(ledger, tmp_path):
    same = Fact(id="f-1", kind="metric", name="mrr", entity="alpha", value=Decimal("15500.00"), unit="USD",
                statement="Alpha bills $15,500 a month.")
    first, second = (ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(2))
    changed = same.model_copy(update={"value": Decimal("16000.00"), "statement": "Alpha bills $16,000 a month."})

    ledger.record_facts(first, [same])
    ledger.record_facts(second, [changed, same.model_copy(update={"id": "f-2"})])
    ledger.record_facts(second, [same.model_copy(update={"id": "f-3"})])  # (a run may record more later)

    assert ledger.facts(first) == [same]
    assert [f.value for f in ledger.facts(second)] == [Decimal("16000.00"), Decimal("15500.00"), Decimal("15500.00")]
    assert ledger.db.execute("SELECT COUNT(*) FROM fact_bodies").fetchone()[0] == 4  # f-1, its change, f-2, f-3
    third = ledger.start_run(tmp_path, "2026-W49", "2026-11-30", {})
    ledger.record_facts(third, [same, same.model_copy(update={"id": "f-2"})])
    assert ledger.db.execute("SELECT COUNT(*) FROM fact_bodies").fetchone()[0] == 4  # nothing new to store
    assert {r["id"]: r["facts"] for r in ledger.runs()} == {first: 1, second: 3, third: 2}


def test_facts_recorded_before_content_keys_are_kept_by_the_migration(tmp_path):
    path = tmp_path / "ledger.db"
    db = sqlite3.connect(path, isolation_level=None)
    old = [(name, fn) for name, fn in MIGRATIONS if name < "m004"]
    for name, fn in old:  # a ledger as the release before this one left it
        db.execute("BEGIN")
        fn(db)
        db.execute("COMMIT")
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    db.executemany("INSERT INTO migrations VALUES (?, '2026-11-20')", [(name,) for name, _ in old])
    fact = Fact(id="f-1", kind="finding", name="risk", entity="alpha", severity="high", statement="The roof leaks.")
    for run in ("r1", "r2"):
        db.execute("INSERT INTO runs (id, started_at, status, workspace, period, as_of) VALUES (?, 'x', 'ok', '.', 'p', 'a')",
                   (run,))
        db.execute("INSERT INTO facts VALUES (?, 'f-1', 'finding', 'risk', 'alpha', ?)", (run, fact.model_dump_json()))
    db.close()

    with Ledger(path) as ledger:
        assert ledger.facts("r1") == ledger.facts("r2") == [fact]
        assert ledger.db.execute("SELECT COUNT(*) FROM fact_bodies").fetchone()[0] == 1
        row = ledger.db.execute("SELECT kind, name, entity FROM facts WHERE run_id = 'r2'").fetchone()
        assert tuple(row) == ("finding", "risk", "alpha")


def test_recorded_report_keeps_its_digest(ledger, tmp_path):
    run_id = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})
    report = make_report("2026-W48")

    ledger.record_report(run_id, report)

    row = ledger.db.execute("SELECT content_sha256, status, writer FROM reports").fetchone()
    assert row["content_sha256"] == report.digest()
    assert (row["status"], row["writer"]) == ("verified", "offline")


def test_record_event_stores_json_data(ledger, tmp_path):
    run_id = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})

    ledger.record_event(run_id, "analyzer_failed", {"analyzer": "finance", "when": date(2026, 11, 23)})

    row = ledger.db.execute("SELECT kind, data_json FROM events WHERE run_id = ?", (run_id,)).fetchone()
    assert row["kind"] == "analyzer_failed"
    assert row["data_json"] == '{"analyzer": "finance", "when": "2026-11-23"}'


def test_write_to_an_unknown_run_is_a_ledger_error(ledger):
    with pytest.raises(LedgerError):
        ledger.record_warnings("no-such-run", [DataWarning(source="notes", message="x")])


def test_unopenable_path_is_a_ledger_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")

    with pytest.raises(LedgerError) as info:
        Ledger(blocker / "ledger.db")

    assert str(blocker / "ledger.db") in str(info.value)


def test_a_fact_base_and_an_input_list_are_stored_once_however_many_runs_name_them(ledger, tmp_path):
    from execbrief.sources import InputFile

    facts = [Fact(id=f"f-{n}", kind="note", name="item", entity="alpha", statement=f"Item {n}.") for n in range(3)]
    inputs = [InputFile(source="notes", path="a.md", sha256="sha256:aa", size=3)]
    runs = [ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(2)]
    bases = [ledger.record_fact_base(run, facts, "sha256:k") for run in runs]
    for run in runs:
        ledger.record_inputs(run, inputs)
    assert bases[0] == bases[1] and ledger.fact_base_for("sha256:k") == bases[0]
    assert ledger.db.execute("SELECT COUNT(*) FROM base_facts").fetchone()[0] == 3
    assert ledger.db.execute("SELECT COUNT(*) FROM input_set_files").fetchone()[0] == 1
    third = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})
    ledger.use_fact_base(third, bases[0])
    change = Fact(id="f-c", kind="note", name="change", statement="New: item 1.")
    ledger.record_facts(third, [change])  # (a run's own facts beside its base)
    assert ledger.facts(third) == sorted([*facts, change], key=lambda f: f.id)
    assert ledger.inputs(runs[1]) == [{"source": "notes", "path": "a.md", "sha256": "sha256:aa", "size": 3}]
    assert {r["id"]: r["facts"] for r in ledger.runs()} == {runs[0]: 3, runs[1]: 3, third: 4}


def test_reports_recorded_before_their_content_was_shared_read_back_after_the_migration(tmp_path):
    path = tmp_path / "ledger.db"
    db = sqlite3.connect(path, isolation_level=None)
    old = [(name, fn) for name, fn in MIGRATIONS if name < "m006"]
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, fn in old:  # a ledger as the release before this one left it
        db.execute("BEGIN")
        fn(db)
        db.execute("INSERT INTO migrations VALUES (?, '2026-11-20')", (name,))
        db.execute("COMMIT")
    report = make_report("2026-W48")
    for run in ("r1", "r2"):
        db.execute("INSERT INTO runs (id, started_at, status, workspace, period, as_of) VALUES (?, 'x', 'ok', '.', 'p', 'a')",
                   (run,))
        db.execute("INSERT INTO reports VALUES (?, 'ceo', 'ceo', '2026-W48', 'CEO briefing', 'verified', 'offline', ?, ?, ?)",
                   (run, report.digest(), report.model_dump_json(), f"2026-11-2{run[1]}"))
    db.close()

    with Ledger(path) as ledger:
        assert ledger.reports("r1") == ("r1", [report]) and ledger.reports() == ("r2", [report])
        assert ledger.db.execute("SELECT COUNT(*) FROM report_bodies").fetchone()[0] == 1
        row = ledger.db.execute("SELECT content_sha256, status FROM reports WHERE run_id = 'r2'").fetchone()
        assert tuple(row) == (report.digest(), "verified")


def test_a_run_read_beside_another_fact_base_is_the_run_as_recorded(ledger, tmp_path):
    from execbrief.lenses import FactIndex

    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n}", kind="finding", name="risk", entity="alpha", severity="high",
                    statement=f"Risk {n}{text}.")

    then = [fact(1), fact(2), fact(3, " (as it was)"), fact(4)]
    now = [fact(1), fact(2), fact(3, " (worse now)"), fact(5)]
    old_run, new_run = (ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(2))
    ledger.record_fact_base(old_run, then)
    ledger.record_facts(old_run, [Fact(id="f-c", kind="note", name="change", statement="New: risk 4.")])
    base = ledger.record_fact_base(new_run, now)

    removed, added = ledger.differences(old_run, base)
    assert removed == {"f-3", "f-5", "f-c"} and sorted(f.statement for f in added) == [
        "New: risk 4.", "Risk 3 (as it was).", "Risk 4."]  # (the shared facts are not read)
    old = FactIndex(now).beside(removed, added)
    assert list(old) == ledger.facts(old_run)
    assert [f.statement for f in old] == ["Risk 1.", "Risk 2.", "Risk 3 (as it was).", "Risk 4.", "New: risk 4."]
    assert list(FactIndex(now).beside(*ledger.differences(new_run, base))) == now
    assert ledger.differences(old_run, None) is None


def test_a_fact_base_differing_a_little_from_the_last_is_stored_as_the_difference(ledger, tmp_path):
    from execbrief.lenses import FactIndex
    from execbrief.ledger.prune import prune

    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n:02d}", kind="finding", name="risk", entity="alpha", severity="high",
                    statement=f"Risk {n}{text}.")

    def rows(base: str) -> int:
        return ledger.db.execute("SELECT COUNT(*) FROM base_facts WHERE base = ?", (base,)).fetchone()[0]

    def parent(base: str) -> str | None:
        return ledger.db.execute("SELECT parent FROM fact_bases WHERE id = ?", (base,)).fetchone()[0]

    first = [fact(n) for n in range(40)]
    edited = [fact(n, " (worse)") if n == 3 else fact(n) for n in range(40) if n != 7] + [fact(40)]
    other = [fact(n, " (another)") for n in range(20)]
    runs = []
    for _ in range(4):  # (ids in the order started: prune keeps the newest by id)
        runs.append(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}))
        time.sleep(0.002)
    whole = ledger.record_fact_base(runs[0], first)
    edit = ledger.record_fact_base(runs[1], edited)  # one changed, one gone, one new: three rows
    again = ledger.record_fact_base(runs[2], other)  # (a base mostly new is stored whole)
    edit_again = ledger.record_fact_base(runs[3], [*other[:-1], fact(50)])

    assert (rows(whole), parent(whole), rows(edit), parent(edit)) == (40, None, 3, whole)
    assert (rows(again), parent(again), rows(edit_again), parent(edit_again)) == (20, None, 2, again)
    assert ledger.facts(runs[0]) == first and ledger.facts(runs[1]) == edited
    assert ledger.facts(runs[3]) == sorted([*other[:-1], fact(50)], key=lambda f: f.id)
    assert {r["id"]: r["facts"] for r in ledger.runs()} == {runs[0]: 40, runs[1]: 40, runs[2]: 20, runs[3]: 20}
    by_base = {whole: first, edit: edited, again: other, edit_again: ledger.facts(runs[3])}
    for run, theirs in zip(runs, by_base):  # each run beside each base: the run's facts as recorded
        for base, facts in by_base.items():
            assert list(FactIndex(facts).beside(*ledger.differences(run, base))) == by_base[theirs], (run, base)
    removed, added = ledger.differences(runs[0], edit)
    assert removed == {"f-03", "f-40"} and sorted(f.statement for f in added) == ["Risk 3.", "Risk 7."]

    prune(ledger, keep=1, vacuum=False)  # (the newest run's base is a difference: its parent stays)
    assert ledger.facts(runs[3]) == by_base[edit_again] and ledger.facts(runs[0]) == []


def test_prune_keeps_what_delivery_and_what_changed_need_and_frees_the_rest(tmp_path):
    from click.testing import CliRunner

    from execbrief.cli import cli
    from execbrief.ledger.prune import prune

    with Ledger(tmp_path / ".execbrief" / "ledger.db") as ledger:
        runs = []
        for n in range(4):  # four runs, each with a fact base of its own; the second delivered its report
            run = ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {})
            ledger.record_fact_base(run, [Fact(id=f"f-{n}-{i}", kind="note", name="item", statement=f"Item {n} {i}.")
                                          for i in range(50)], f"sha256:{n}")
            ledger.record_report(run, make_report("2026-W48"))
            ledger.finish_run(run, "ok", {"facts": 50}, 1)
            runs.append(run)
            time.sleep(0.002)
        ledger.db.execute(
            "INSERT INTO messages (id, run_id, key, lens, idempotency_key, channel, sender, to_json, bcc_json, subject,"
            " status, created_at, updated_at) VALUES ('m', ?, 'ceo', 'ceo', 'k', 'outbox', 's@example.com', '[]',"
            " '[]', 'S', 'sent', 'x', 'x')", (runs[1],))
        kept_facts = ledger.facts(runs[1])

        done = prune(ledger, keep=1)

        assert (done["runs_pruned"], done["fact_bases_removed"], done["fact_rows_removed"]) == (2, 2, 100)
        assert ledger.facts(runs[0]) == [] and ledger.facts(runs[2]) == []
        assert ledger.facts(runs[1]) == kept_facts and len(ledger.facts(runs[3])) == 50
        assert ledger.db.execute("SELECT COUNT(*) FROM fact_bodies").fetchone()[0] == 100
        assert ledger.reports(runs[0]) is not None and len(ledger.messages()) == 1  # (the audit trail stays)
        assert ledger.fact_base_for("sha256:0") is None  # (a pruned run is reused by no later run)
    (tmp_path / "execbrief.toml").write_text("[organization]\nname = 'X'\n[delivery]\nsender = 'a@example.com'\n")
    out = CliRunner().invoke(cli, ["history", "-w", str(tmp_path), "--prune", "--json"], catch_exceptions=False)
    assert out.exit_code == 0 and json.loads(out.stdout)["runs_pruned"] == 0


@pytest.mark.parametrize("members", ["kept", "gone", "damaged", "another base's"])
def test_a_fact_base_is_told_from_its_parent_alike_whether_its_members_are_kept_apart_or_not(tmp_path, members):
    """The newest base stored whole keeps its ids and keys in a file beside the ledger (read
    instead of its rows); without that file, or with a damaged or stale one, the same
    differences are stored under the same names."""
    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n:03d}", kind="finding", name="risk", entity="alpha", statement=f"Risk {n}{text}.")

    first = [fact(n) for n in range(200)]
    same_ids = [fact(n, " (worse)") if n in (3, 150) else fact(n) for n in range(200)]
    moved = [fact(n) for n in range(200) if n != 7] + [fact(300)]
    results = {}
    for case in ("reference", members):
        with Ledger(tmp_path / case / "ledger.db") as ledger:
            runs = [ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(3)]
            whole = ledger.record_fact_base(runs[0], first)
            kept = tmp_path / case / "cache" / "fact-base-members"
            assert kept.is_file()
            if case == "gone":
                kept.unlink()
            elif case == "damaged":
                kept.write_bytes(kept.read_bytes()[:100])
            elif case == "another base's":
                with Ledger(tmp_path / "other" / "ledger.db") as other:
                    other.record_fact_base(other.start_run(tmp_path, "2026-W48", "2026-11-23", {}), moved)
                kept.write_bytes((tmp_path / "other" / "cache" / "fact-base-members").read_bytes())
            edits = [ledger.record_fact_base(runs[1], same_ids), ledger.record_fact_base(runs[2], moved)]
            rows = {base: sorted(map(tuple, ledger.db.execute("SELECT fact_id, key FROM base_facts WHERE base = ?", (base,))))
                    for base in edits}
            parents = [ledger.db.execute("SELECT parent FROM fact_bases WHERE id = ?", (b,)).fetchone()[0] for b in edits]
            assert parents == [whole, whole]
            assert [fact_id for fact_id, _ in rows[edits[0]]] == ["f-003", "f-150"]
            assert sorted(fact_id for fact_id, _ in rows[edits[1]]) == ["f-007", "f-300"]
            assert ledger.facts(runs[1]) == same_ids and ledger.facts(runs[2]) == moved
            results[case] = (whole, edits, rows)
    assert results["reference"] == results[members]


@pytest.mark.parametrize("seed", range(4))
def test_facts_new_gone_and_changed_anywhere_are_told_alike_with_or_without_the_members_file(tmp_path, seed):
    """The members file's way of telling a base from its parent (ids found as sets, keys
    compared in runs between them) stores what reading the parent's rows stores."""
    import random

    rng = random.Random(seed)

    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n:04d}", kind="note", name="item", statement=f"Item {n}{text}.")

    first = [fact(n) for n in range(0, 3000, 2)]
    edits = []
    for round_ in range(3):
        kept = [fact(n, f" (edit {round_})") if rng.random() < 0.01 else fact(n)
                for n in range(0, 3000, 2) if rng.random() > 0.01]
        new = [fact(n) for n in rng.sample(range(1, 3001, 2), 12)] + [fact(-1 - round_)]  # (one before every id)
        edits.append(sorted(kept + new, key=lambda f: f.id))
    results = {}
    for case in ("members", "rows"):
        with Ledger(tmp_path / case / "ledger.db") as ledger:
            ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), first)
            bases = []
            for facts in edits:
                if case == "rows":
                    (tmp_path / case / "cache" / "fact-base-members").unlink(missing_ok=True)
                bases.append(ledger.record_fact_base(ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}), facts))
            results[case] = [(base, sorted(map(tuple, ledger.db.execute(
                "SELECT fact_id, key FROM base_facts WHERE base = ?", (base,))))) for base in bases]
    assert results["members"] == results["rows"]
    assert all(rows for _, rows in results["members"])


def test_a_run_read_beside_a_base_that_restates_most_of_its_facts_is_the_run_as_recorded(ledger, tmp_path):
    """(an upgrade that restates half a million facts: their bodies are read a batch at a time)"""
    from execbrief.lenses import FactIndex

    def fact(n: int, text: str = "") -> Fact:
        return Fact(id=f"f-{n:05d}", kind="finding", name="risk", entity="alpha", statement=f"Risk {n}{text}.")

    then = [fact(n) for n in range(1_300)]
    now = [fact(n, " (restated)") if n % 3 else fact(n) for n in range(1, 1_301)]
    old_run, new_run = (ledger.start_run(tmp_path, "2026-W48", "2026-11-23", {}) for _ in range(2))
    ledger.record_fact_base(old_run, then)
    base = ledger.record_fact_base(new_run, now)
    removed, added = ledger.differences(old_run, base)
    assert len(added) > 800 and list(FactIndex(now).beside(removed, added)) == ledger.facts(old_run) == then
