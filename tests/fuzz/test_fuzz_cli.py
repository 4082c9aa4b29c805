"""Whole workspaces with one input damaged at random (issue 13, item 5), through the CLI:
no traceback, exit 0, 1 or 2, one JSON document with --json, the damage named by a
warning or an error, and every report the undamaged inputs allow is still written."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import tomllib
from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from execbrief.lenses import builtin_lens_data
from fuzzing import examples, json_values, junk, ledger_rows, mutated, note_bytes, toml_document
from hostile import SMALL_CONFIG, run, small_workspace


# numbers a valid config may set to odd values of their own type
RICH_CONFIG = SMALL_CONFIG.replace("[delivery]\n", """\
[sources.ledger]
opening_cash = 18250.0
opening_cash_date = 2026-11-01

[writer]
kind = "offline"
max_output_tokens = 4000
max_tokens_per_lens = 60000

[delivery]
max_attempts = 2
retry_base_s = 0.0
""").replace("[run]\n", "[run]\nstale_days = 45\n")


def _csv(rows) -> str:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([["date", "amount", "entity", "account", "category", "memo"], *rows])
    return buffer.getvalue()


# one kind of damage each: (the file it hits, how to write it, the path a warning or error names)
DAMAGE = st.one_of(
    note_bytes().map(lambda data: ("notes/alpha/operations.md", data)),
    note_bytes().map(lambda data: ("notes/beta/ops.md", data)),
    mutated(builtin_lens_data()["cfo"], times=4, typed=True).map(
        lambda lens: ("lenses/cfo.toml", toml_document(lens).encode())),
    ledger_rows().map(lambda rows: ("ledger/transactions.csv", _csv(rows).encode())),
    mutated(json.loads((Path(__file__).parent.parent.parent / "src/execbrief/demo/workspace/aws-snapshot.json")
                       .read_text()), replacement=json_values(), times=3)
    .map(lambda snap: ("aws-snapshot.json", json.dumps(snap).encode())),
    mutated(builtin_lens_data()["cto"], times=3).map(lambda lens: ("lenses/cto.toml", toml_document(lens).encode())),
    mutated(tomllib.loads(SMALL_CONFIG), times=2).map(lambda cfg: ("execbrief.toml", toml_document(cfg).encode())),
    mutated(tomllib.loads(RICH_CONFIG), times=3, typed=True).map(
        lambda cfg: ("execbrief.toml", toml_document(cfg).encode())),
)


@settings(max_examples=examples(ci=20, long=150))
@given(DAMAGE)
def test_one_damaged_input_never_breaks_the_contract(damage):
    rel, data = damage
    root = Path(tempfile.mkdtemp(prefix="fuzz-ws-")) / "ws"
    try:
        ws = small_workspace(root)
        ws.write(rel, data)

        out = run(root, "--dry-run")  # (run holds the contract: exit code, one document, no traceback)
        event(f"{rel}: exit {out.code}")

        if out.code == 2:  # a configuration error: the config or the lens file, named
            assert rel == "execbrief.toml" or rel.startswith("lenses/"), out.data
            assert out.data["error"]["path"] and out.data["error"]["path"].endswith(rel)
            return
        assert out.code == 0, out.failures  # damaged data costs items, with warnings, never a stage
        if rel == "execbrief.toml":
            return  # a valid config, changed: it may ask for other reports
        assert {r["key"] for r in out.data["reports"]} == {"ceo", "cfo", "cto"}
        assert {r["status"] for r in out.data["reports"]} <= {"verified"}
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


# files and disks: the ledger database damaged in any way


@functools.lru_cache(maxsize=1)
def _delivered_workspace() -> Path:
    """A small workspace that delivered once (its ledger holds runs, facts and messages)."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-ledger-")) / "ws"
    small_workspace(root)
    assert run(root).code == 0
    return root


LEDGER_DAMAGE = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 0.999)),
    st.tuples(st.just("overwrite"), st.floats(0, 0.999), st.binary(min_size=1, max_size=4096)),
    st.tuples(st.just("header"), st.integers(0, 99), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("replace"), st.binary(max_size=9000)),
)


@settings(max_examples=examples(ci=3, long=80))  # (each example is a whole run; the explicit ones below always run)
@given(LEDGER_DAMAGE)
@example(("header", 44, b"\x00\x00\x00\x09"))  # a schema format SQLite does not know: "unsupported file format"
@example(("header", 18, b"\x09"))  # a write version from the future: "attempt to write a readonly database"
@example(("replace", b""))  # a 0-byte ledger: a new one, which must not deliver again
def test_a_damaged_ledger_is_named_with_how_to_recover_or_still_read(damage):
    root = Path(tempfile.mkdtemp(prefix="fuzz-ledger-")) / "ws"
    try:
        shutil.copytree(_delivered_workspace(), root)
        ledger = root / ".execbrief" / "ledger.db"
        data = bytearray(ledger.read_bytes())
        if damage[0] == "truncate":
            data = data[:int(len(data) * damage[1])]
        elif damage[0] == "overwrite":
            start = int(len(data) * damage[1])
            data[start:start + len(damage[2])] = damage[2]
        elif damage[0] == "header":
            data[damage[1]:damage[1] + len(damage[2])] = damage[2]
        else:
            data = bytearray(damage[1])
        ledger.write_bytes(bytes(data))

        out = run(root)  # (run holds the contract: exit code, one document, no traceback)
        event(f"{damage[0]}: exit {out.code}")

        if "error" in out.data:  # the damage was found: named, with the way out
            message = out.data["error"]["message"]
            assert out.code == 1 and out.data["error"]["path"] == str(ledger), out.data
            assert "is damaged" in message and "move it aside" in message, message
        else:  # the damage missed what a run reads, or the file is a new ledger: nothing is sent twice
            assert out.code in (0, 1), out.failures
            sent = [d for d in out.data["deliveries"] if d["status"] == "sent"]
            assert not sent or damage[0] != "replace", sent
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


# contracts: any command line


OPTION_WORDS = ["--json", "--bogus", "-n", "--limit", "--show", "--only", "--as-of", "--deliveries", "--costs", "-w",
                "--in-doubt", "--dry-run", "--run", "ceo", "0", "-1", "9999-12-31", "2026-02-30", "resend"]
ARGUMENT = st.sampled_from(OPTION_WORDS) | junk(12).filter(lambda t: not t.startswith("-"))
COMMANDS = [("history",), ("lenses",), ("schedule",), ("events", "ingest"), ("run", "--only", "no-such-lens")]


@settings(max_examples=examples(ci=40, long=400))
@given(st.sampled_from(COMMANDS), st.lists(ARGUMENT, max_size=5), st.booleans())
def test_any_command_line_is_one_line_and_one_document(command, words, as_json):
    from hostile import cli

    args = [*command, "-w", str(_delivered_workspace()), *words, *(["--json"] if as_json else [])]

    out = cli(*args)  # (cli holds the contract: no traceback, exit 0/1/2, one document with --json)

    if out.code == 2:
        assert out.stderr.count("\n") == 1 and out.stderr.startswith("Error: "), out.stderr
        if "--json" in args:
            assert out.data["error"]["code"] == 2
