"""Whole workspaces with one input damaged at random (issue 13, item 5), through the CLI:
no traceback, exit 0, 1 or 2, one JSON document with --json, the damage named by a
warning or an error, and every report the undamaged inputs allow is still written."""

from __future__ import annotations

import json
import shutil
import tempfile
import tomllib
from pathlib import Path

from hypothesis import event, given, settings
from hypothesis import strategies as st

from execbrief.lenses import builtin_lens_data
from fuzzing import examples, json_values, ledger_rows, mutated, note_bytes, toml_document
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
