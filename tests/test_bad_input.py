"""Validation at the edge (issue 13, item 3): each hostile input reproduced, and what
happens now — a clear error naming the file and key, or a warning that costs the item
and not its file or source."""

from __future__ import annotations

from pathlib import Path

import pytest

from execbrief.errors import LensError
from execbrief.lenses import load_lenses
from hostile import LEDGER, NOTE_ALPHA, run, small_workspace


@pytest.fixture
def ws(tmp_path):
    return small_workspace(tmp_path / "ws")


# lens files


SECTION = '[[sections]]\nid = "a"\ntitle = "A"\ndirective = "Say it."\n'


@pytest.mark.parametrize("text, says", [
    ('id = 5\ntitle = "X"\naudience = "x"\n' + SECTION, "key 'id': Input should be a valid string (got 5)"),
    ('id = [1]\ntitle = "X"\naudience = "x"\n' + SECTION, "key 'id': Input should be a valid string (got [1])"),
    ('id = "x"\ntitle = "X"\naudience = "x"\nsections = ["oops"]\n', "key 'sections.0' must be a table"),
    ('id = "ceo"\nsections = ["oops"]\n', "key 'sections.0' must be a table"),
    ('id = "x"\nextends = 7\n', "key 'extends': Input should be a valid string (got 7)"),
    ('id = "x"\ntitle = "X"\naudience = "x"\n[[sections]]\nid = 1\n', "key 'sections.0.id'"),
    ('id = "x"\ntitle = 5\naudience = "x"\n' + SECTION, "key 'title': Input should be a valid string (got 5)"),
    ('id = "x"\ntitle = "X"\naudience = "x"\n' + SECTION + "[sections.select]\ndue_within_days = 1000000000\n",
     "key 'sections.0.select.due_within_days': Input should be less than or equal to 36500"),
])
def test_a_malformed_lens_file_is_an_error_naming_the_file_and_key(text, says, ws):
    path = ws.write("lenses/x.toml", text)

    with pytest.raises(LensError) as caught:
        load_lenses(ws.root)

    assert str(path) in str(caught.value) and says in str(caught.value)
    out = run(ws.root)
    assert out.code == 2 and out.data["error"]["path"] == str(path)


def test_a_section_topic_nobody_knows_is_an_error_naming_the_file_and_key(ws):
    path = ws.write("lenses/x.toml", 'id = "x"\nextends = "cfo"\n' + SECTION + '[sections.select]\ntopics = ["cashflw"]\n')

    out = run(ws.root)

    assert out.code == 2
    assert out.data["error"]["path"] == str(path) and out.data["error"]["key"] == "sections.a.select.topics"
    assert "names unknown topic 'cashflw'" in out.data["error"]["message"]


def test_an_extends_cycle_is_named_as_a_cycle(ws):
    ws.write("lenses/a.toml", 'id = "a"\nextends = "b"\n')
    ws.write("lenses/b.toml", 'id = "b"\nextends = "a"\n')

    with pytest.raises(LensError, match=r"extends makes a cycle \(a → b → a\)"):
        load_lenses(ws.root)


def test_a_lens_may_extend_another_workspace_lens_whatever_the_file_order(ws):
    ws.write("lenses/a-board.toml", 'id = "board"\nextends = "short-ceo"\ntitle = "Board"\n')
    ws.write("lenses/b-short.toml", 'id = "short-ceo"\nextends = "ceo"\nmax_items = 3\n')

    lenses = load_lenses(ws.root)

    assert lenses["board"].title == "Board" and lenses["board"].max_items == 3
    assert [s.id for s in lenses["board"].sections] == [s.id for s in lenses["ceo"].sections]


def test_two_lens_files_with_one_id_are_an_error(ws):
    ws.write("lenses/one.toml", 'id = "mine"\nextends = "ceo"\n')
    ws.write("lenses/two.toml", 'id = "mine"\nextends = "cfo"\n')

    with pytest.raises(LensError, match="both define lens 'mine'"):
        load_lenses(ws.root)


# dates


def test_an_as_of_date_near_the_end_of_time_is_a_usage_error_not_an_overflow(ws):
    out = run(ws.root, "--as-of", "9999-12-31")

    assert out.code == 2 and "--as-of 9999-12-31 is out of range" in out.data["error"]["message"]


def test_the_latest_allowed_as_of_date_runs(ws):
    out = run(ws.root, "--as-of", "2999-12-31", "--dry-run")

    assert out.code == 0, out.failures


def test_an_as_of_in_the_config_out_of_range_names_the_key(ws):
    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace("as_of = 2026-11-23", "as_of = 0001-01-01"))

    out = run(ws.root)

    assert out.code == 2 and out.data["error"]["key"] == "run.as_of"


# ledger values


def test_a_4301_digit_amount_costs_its_row_not_the_ledger(ws):
    ws.write("ledger/transactions.csv", LEDGER + "2026-10-20," + "9" * 4301 + ",alpha,Sales,revenue,Typo\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    (warning,) = [w for w in out.warnings if "transactions.csv:7:" in w]
    assert "4301 digits" in warning and "row skipped" in warning and "9" * 40 not in warning
    assert not [w for w in out.warnings if "source failed" in w]


@pytest.mark.parametrize("amount", ["9" * 27, "1" + "0" * 15, "-123456789012345678", "1e30"])
def test_an_absurd_amount_is_a_warning_naming_the_row(amount, ws):
    ws.write("ledger/transactions.csv", LEDGER + f"2026-10-20,{amount},alpha,Sales,revenue,Typo\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if "transactions.csv:7:" in w and "row skipped" in w]


def test_the_largest_plausible_amount_is_kept(ws):
    ws.write("ledger/transactions.csv", LEDGER + "2026-10-20,999999999999999.99,alpha,Sales,revenue,Big deal\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert not [w for w in out.warnings if "transactions.csv:7:" in w]


@pytest.mark.parametrize("debit, credit", [("NaN", ""), ("", "Infinity"), ("9" * 30, "")])
def test_debit_and_credit_columns_are_bounded_too(debit, credit, ws):
    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", '[sources.ledger.columns]\ndebit = "out"\ncredit = "in"\n\n[delivery]\n'))
    ws.write("ledger/transactions.csv", "date,out,in,entity,account,category,memo\n"
             "2026-10-01,,2400.00,alpha,Rent,revenue,October rent\n"
             f"2026-10-02,{debit},{credit},alpha,Repairs,cost,Typo\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if "transactions.csv:3:" in w and "row skipped" in w]


def test_an_empty_ledger_file_is_a_warning(ws):
    ws.write("ledger/empty.csv", "")

    out = run(ws.root, "--dry-run")

    assert out.code == 0
    assert [w for w in out.warnings if w.startswith("ledger/empty.csv") and "empty" in w]


def test_a_number_longer_than_decimal_precision_in_a_note_costs_no_report(ws):
    ws.write("notes/alpha/operations.md", NOTE_ALPHA + "- [ ] Pay the roofer, invoice 9" + "9" * 39 + " by 2026-12-01\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures  # the verifier raised InvalidOperation and rejected the report
    assert {r["status"] for r in out.data["reports"]} == {"verified"}
    shown = [r["key"] for r in out.data["reports"] if "9" * 40 in Path(r["files"]["html"]).read_text()]
    assert shown  # (the number is in a report, so the verifier did check it)


# AWS snapshots


def _snapshot(ws):
    import json

    path = ws.root / "aws-snapshot.json"
    return path, json.loads(path.read_text())


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", '"NaN"', '"1e400"', '"' + "9" * 40 + '"'])
def test_a_cost_amount_that_is_no_finite_plausible_number_costs_its_line(amount, ws):
    path, data = _snapshot(ws)
    data["costs"]["months"][0]["services"][0]["amount"] = "PLACEHOLDER"
    import json

    path.write_text(json.dumps(data).replace('"PLACEHOLDER"', amount))

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if "costs.months[0].services[0].amount" in w and "cost line skipped" in w]
    assert not [f for f in out.failures if "analyzer" in f]


@pytest.mark.parametrize("change, says", [
    (lambda d: d["resources"][0]["attributes"].update(public_statements="everyone"),
     "resources[0].attributes.public_statements: should be a valid list: resource skipped"),
    (lambda d: d["resources"][0]["attributes"].update(is_logging="false"),
     "resources[0].attributes.is_logging: should be a valid boolean: resource skipped"),
    (lambda d: d["resources"][0].update(arn=["a"]), "resources[0].arn: should be a valid string: resource skipped"),
    (lambda d: d.update(resources={"a": 1}), "snapshot.resources: should be a valid list: ignored, the rest is read"),
    (lambda d: d["costs"].update(months="2026-10"), "snapshot.costs.months: should be a valid list: ignored"),
    (lambda d: d.update(account=111122223333), "snapshot.account: should be a valid string: it holds no usable inventory"),
])
def test_a_snapshot_field_of_the_wrong_type_is_a_warning_naming_it(change, says, ws):
    import json

    path, data = _snapshot(ws)
    change(data)
    path.write_text(json.dumps(data))

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if says in w], out.warnings


# SES events


def _bounce(address="gone@example.com", **mail):
    return {"notificationType": "Bounce", "mail": {"messageId": "0100-abc", "timestamp": "2026-11-23T10:00:00Z", **mail},
            "bounce": {"bounceType": "Permanent", "bounceSubType": "General",
                       "bouncedRecipients": [{"emailAddress": address}], "timestamp": "2026-11-23T10:01:00Z"}}


@pytest.mark.parametrize("bad, says", [
    (_bounce(messageId=["0100-abc"]), "mail.messageId: should be a valid string"),
    ({**_bounce(), "bounce": {"bounceType": "Permanent", "bouncedRecipients": 5}},
     "bounce.bouncedRecipients: should be a valid list"),
    ({**_bounce(), "bounce": {"bounceType": "Permanent", "bouncedRecipients": [], "timestamp": {}}},
     "bounce.timestamp: should be a valid string"),
    (_bounce(address=12345), "bounce.bouncedRecipients[0].emailAddress: should be a valid string"),
    (_bounce(address="not an address"), "bounce.bouncedRecipients[0].emailAddress"),
    ({**_bounce(), "mail": "x"}, "mail: should be an object"),
])
def test_a_malformed_ses_event_is_refused_naming_the_field_and_the_others_are_recorded(bad, says, ws):
    import json

    ws.write("events.jsonl", "\n".join(json.dumps(d) for d in (bad, _bounce("other@example.com"))) + "\n")

    out = cli_ingest(ws)

    assert out.code == 1
    (refused,) = out.data["rejected"]
    assert refused["line"] == 1 and says in refused["message"], refused
    assert out.data["suppressed"] == ["other@example.com"]  # the good event on line 2 still counts


def test_an_sns_envelope_with_a_field_of_the_wrong_type_is_refused_before_any_fetch(ws):
    import json

    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", '[delivery]\n', 1) + '\n[delivery.ses]\nevents_topic_arn = "arn:aws:sns:us-east-1:123456789012:ses"\n')
    envelope = {"Type": "Notification", "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses", "MessageId": ["m"],
                "Message": "{}", "Timestamp": "2026-11-23T10:00:00Z", "SignatureVersion": "1", "Signature": "x",
                "SigningCertURL": "https://sns.us-east-1.amazonaws.com/x.pem"}
    ws.write("events.json", json.dumps(envelope))

    out = cli_ingest(ws, "events.json", unsigned=False)

    assert out.code == 1
    assert out.data["rejected"][0]["message"] == "SNS envelope refused: MessageId: should be a valid string"


def cli_ingest(ws, name="events.jsonl", unsigned=True):
    from hostile import cli

    return cli("events", "ingest", str(ws.root / name), "-w", str(ws.root), "--json", *(["--unsigned"] if unsigned else []))


# notes and folders


def test_an_impossible_front_matter_date_costs_its_field_not_every_note(ws):
    ws.write("notes/alpha/operations.md", "---\nupdated: 2026-02-30\nentity: alpha\n---\n" + NOTE_ALPHA)

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if w.startswith("notes/alpha/operations.md:2:")
            and "front matter updated '2026-02-30' is not a date" in w]
    assert not [w for w in out.warnings if "source failed" in w]
    from execbrief.ledger import Ledger

    with Ledger.for_workspace(ws.root) as ledger:
        statements = " ".join(f.statement.lower() for f in ledger.facts(out.data["run_id"]))
    assert "roof leak" in statements and "van insurance" in statements  # both notes still count


def test_nul_bytes_after_the_first_8_kib_of_a_note_are_a_warning_naming_the_line(ws):
    filler = "".join(f"- Line {n} of the weekly log.\n" for n in range(400))
    ws.write("notes/beta/log.md", "# Beta Delivery log\n" + filler + "tail \x00\x00 garbage\n- [ ] Call the insurer by 2026-12-03\n")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    (warning,) = [w for w in out.warnings if w.startswith("notes/beta/log.md:")]
    assert warning.startswith("notes/beta/log.md:402:") and "NUL bytes" in warning


def test_a_symbolic_link_loop_in_the_notes_is_a_warning(ws):
    import os

    os.symlink("loop.md", ws.root / "notes" / "loop.md")
    os.symlink("nowhere.md", ws.root / "notes" / "dangling.md")

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if w.startswith("notes/loop.md:") and "symbolic link loop" in w]
    assert [w for w in out.warnings if w.startswith("notes/dangling.md:") and "does not exist" in w]
    assert not [w for w in out.warnings if "source failed" in w]


def test_a_notes_folder_that_cannot_be_listed_is_a_warning_not_a_silence(ws):
    import os
    import shlex

    from hostile import execbrief_command, sandbox

    (ws.root / "notes" / "beta").chmod(0)
    try:
        if os.geteuid() != 0:
            out = run(ws.root, "--dry-run")
            warnings = out.warnings
        else:  # root lists anything; in a user namespace without capabilities it cannot
            import json

            done = sandbox(execbrief_command("run", "-w", str(ws.root), "--json", "--dry-run"), unprivileged=True)
            warnings = [f"{w.get('path')}: {w['message']}" for w in json.loads(done.stdout)["warnings"]]
    finally:
        (ws.root / "notes" / "beta").chmod(0o755)
    assert [w for w in warnings if w.startswith("notes/beta") and "cannot list this folder" in w], warnings
    del shlex


# config paths


@pytest.mark.parametrize("written, key", [
    ('[sources.ledger]\npaths = ["/etc/passwd"]', "sources.ledger.paths[0]"),
    ('[sources.notes]\npaths = ["notes", "../elsewhere"]', "sources.notes.paths[1]"),
    ('[sources.repos]\npaths = ["~/code/*"]', "sources.repos.paths[0]"),
])
def test_a_config_path_outside_the_workspace_is_refused_naming_the_key(written, key, ws):
    text = (ws.root / "execbrief.toml").read_text().replace('[sources.repos]\npaths = ["repos/*"]\n', "")
    ws.write("execbrief.toml", text.replace("[delivery]\n", f"{written}\n\n[delivery]\n"))

    out = run(ws.root)

    assert out.code == 2, out.data
    assert out.data["error"]["key"] == key and "allow_outside = true" in out.data["error"]["message"]


def test_a_snapshot_outside_the_workspace_is_refused(ws):
    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace(
        'snapshot = "aws-snapshot.json"', 'snapshot = "/tmp/snapshot.json"'))

    out = run(ws.root)

    assert out.code == 2 and out.data["error"]["key"] == "sources.aws.snapshot"


def test_an_outbox_outside_the_workspace_is_refused(ws):
    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace("[delivery]\n", '[delivery]\noutbox = "/dev/null"\n'))

    out = run(ws.root)

    assert out.code == 2 and out.data["error"]["key"] == "delivery.outbox"


def test_allow_outside_reads_outside_and_a_link_inside_the_workspace_needs_nothing(ws, tmp_path):
    import os

    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    (elsewhere / "bank.csv").write_text(LEDGER.replace("alpha", "beta"))
    os.symlink(elsewhere, ws.root / "ledger" / "linked")  # a link inside: the user put it there
    assert run(ws.root, "--dry-run").code == 0

    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", f'[sources]\nallow_outside = true\n\n[sources.ledger]\npaths = ["ledger", "{elsewhere}"]\n\n[delivery]\n'))
    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures


@pytest.mark.parametrize("line, key", [
    ("opening_cash = 1e30", "sources.ledger.opening_cash"),
    ("opening_cash = nan", "sources.ledger.opening_cash"),
])
def test_an_absurd_opening_balance_is_a_config_error_not_an_analyzer_crash(line, key, ws):
    ws.write("execbrief.toml", (ws.root / "execbrief.toml").read_text().replace(
        "[delivery]\n", f"[sources.ledger]\n{line}\nopening_cash_date = 2026-11-01\n\n[delivery]\n"))

    out = run(ws.root)

    assert out.code == 2 and out.data["error"]["key"] == key


def test_a_ledger_file_the_parser_fails_on_costs_that_file_only(ws, monkeypatch):
    from execbrief.sources import ledger

    real = ledger.LedgerSource._parse_file

    def flaky(self, path, *args, **kwargs):
        if path.name == "broken.csv":
            raise RecursionError("injected")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(ledger.LedgerSource, "_parse_file", flaky)
    ws.write("ledger/broken.csv", LEDGER)

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    (warning,) = [w for w in out.warnings if w.startswith("ledger/broken.csv")]
    assert "cannot be read (RecursionError: injected" in warning
    assert not [w for w in out.warnings if "source failed" in w]


# nesting no reader expects, bytes that are not text

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("rel", ["execbrief.toml", "lenses/deep.toml", "lenses/topics.toml"])
def test_toml_nested_thousands_deep_is_an_error_naming_the_file_not_an_internal_error(rel, ws):
    path = ws.root / rel
    ws.write(rel, (path.read_text() if path.exists() else "") + f"\nx = {DEEP}\n")

    out = run(ws.root)

    assert out.code == 2 and out.data["error"]["path"] == str(path)
    assert "nested too deeply" in out.data["error"]["message"]


def test_a_snapshot_nested_thousands_deep_is_a_warning_not_a_failed_source(ws):
    ws.write("aws-snapshot.json", DEEP)

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    assert [w for w in out.warnings if w.startswith("aws-snapshot.json") and "nested too deeply" in w]


@pytest.mark.parametrize("data, code, says", [
    (DEEP.encode(), 1, "the file is nested too deeply to be JSON events"),
    (b'{"notificationType": "Bounce"}\n' + DEEP.encode() + b"\n", 1, "line 2 is nested too deeply to be an event"),
    (b"\xff\xfe" + "[]".encode("utf-16-le"), 2, "is not UTF-8 text (byte 0)"),
])
def test_an_events_file_nested_too_deeply_or_not_text_is_named_not_an_internal_error(data, code, says, ws):
    (ws.root / "events.jsonl").write_bytes(data)

    out = cli_ingest(ws)

    assert out.code == code
    messages = [r["message"] for r in out.data["rejected"]] if code == 1 else [out.data["error"]["message"]]
    assert any(says in m for m in messages), messages


def test_a_quote_left_open_in_the_ledger_is_a_warning_naming_its_line_not_a_silent_loss(ws):
    ws.write("ledger/transactions.csv", LEDGER + '2026-10-20,99.00,alpha,Sales,revenue,"Unclosed memo\n'
                                                 "2026-10-21,-45.00,beta,Fuel,cost,Fuel card\n"
                                                 "2026-10-22,-30.00,beta,Fuel,cost,Fuel card\n")
    ws.write("ledger/multiline.csv", 'date,amount,entity,account,category,memo\n'
                                     '2026-10-02,10.00,alpha,Sales,revenue,"two\nlines"\n2026-10-03,5.00,alpha,Sales,revenue,x\n')

    out = run(ws.root, "--dry-run")

    assert out.code == 0, out.failures
    (warning,) = [w for w in out.warnings if w.startswith("ledger/transactions.csv:7:")]
    assert "runs to the end of the file (lines 7-9)" in warning and "close its quote" in warning
    assert not [w for w in out.warnings if w.startswith("ledger/multiline.csv")]  # a quoted value may span lines
