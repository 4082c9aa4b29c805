"""Properties of every reader of untrusted input (issue 13, item 5): whatever the bytes, a
reader returns (with warnings) or raises the project's own error naming the input; it
never raises anything else, and what it reads from unrelated good input is still there.

These are fast, library-level properties; ``test_fuzz_cli.py`` runs whole workspaces."""

from __future__ import annotations

import json
import tempfile
import tomllib
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO, MINIMAL_CONFIG
from execbrief.addresses import parse_mailbox
from execbrief.analyzers import AnalysisContext, analyze
from execbrief.config import load_settings
from execbrief.errors import ConfigError, LensError
from execbrief.lenses import builtin_lens_data, load_lenses
from execbrief.sources.aws import inventory_evidence
from execbrief.sources.ledger import LedgerSource
from execbrief.sources.notes import NotesSource, parse_note
from fuzzing import amount_text, examples, json_values, junk, ledger_rows, mutated, note_bytes, note_lines, numbers, toml_document
from hostile import LEDGER, NOTE_BETA

CONFIG = tomllib.loads(MINIMAL_CONFIG)
CONTEXT = AnalysisContext(as_of=date(2026, 11, 23), entities={"alpha": ("Alpha Rentals", "rental"),
                                                              "beta": ("Beta Delivery", "delivery")})


def workspace(files: dict[str, bytes | str], config: str = MINIMAL_CONFIG) -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    (root / "notes").mkdir()
    (root / "ledger").mkdir()
    (root / "execbrief.toml").write_text(config, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def no_analyzer_fails(evidence) -> list:
    facts, failures = analyze(evidence, CONTEXT)
    assert failures == {}, failures
    return facts


@given(mutated(CONFIG))
def test_a_mangled_config_loads_or_is_a_config_error(config):
    root = workspace({}, toml_document(config))
    try:
        load_settings(root, environ={})
    except ConfigError as exc:
        assert "execbrief.toml" in str(exc) or exc.key or "workspace" in str(exc)


@given(st.binary(max_size=300) | junk(300).map(lambda t: t.encode("utf-8")))
def test_config_bytes_that_are_not_toml_are_a_config_error(data):
    root = workspace({})
    (root / "execbrief.toml").write_bytes(data)
    try:
        load_settings(root, environ={})
    except ConfigError:
        pass


LENS = builtin_lens_data()["cfo"]


@given(mutated(LENS, times=4), st.sampled_from(["board", "cfo", None]))
def test_a_mangled_lens_file_loads_or_is_a_lens_error_naming_it(lens, lens_id):
    if lens_id is not None:
        lens["id"] = lens_id
    root = workspace({"lenses/x.toml": toml_document(lens)})
    try:
        load_lenses(root)
    except LensError as exc:
        assert str(root / "lenses" / "x.toml") in str(exc)


@given(note_bytes())
def test_parse_note_never_raises(data):
    parsed = parse_note(data)
    assert isinstance(parsed, dict)


@given(st.lists(note_bytes(), min_size=1, max_size=3))
def test_bad_notes_cost_themselves_and_leave_a_good_note_whole(notes):
    files = {f"notes/fuzz-{n}.md": data for n, data in enumerate(notes)}
    files["notes/beta/ops.md"] = NOTE_BETA
    root = workspace(files)
    result = NotesSource(load_settings(root, environ={})).collect()
    facts = no_analyzer_fails(result.evidence)
    assert any("van insurance" in f.statement.lower() for f in facts)


@given(ledger_rows(), st.booleans())
def test_bad_ledger_rows_cost_themselves_and_leave_a_good_file_whole(rows, header):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(["date", "amount", "entity", "account", "category", "memo"])
    writer.writerows(rows)
    root = workspace({"ledger/fuzz.csv": buffer.getvalue(), "ledger/good.csv": LEDGER})
    result = LedgerSource(load_settings(root, environ={})).collect()
    good = [ev for ev in result.evidence if ev.kind == "transactions" and ev.provenance.path == "ledger/good.csv"]
    assert good and good[0].record["rows"] == 5
    no_analyzer_fails(result.evidence)


SNAPSHOT = json.loads((DEMO / "aws-snapshot.json").read_text())


@given(mutated(SNAPSHOT, replacement=json_values(), times=4))
def test_a_mangled_aws_snapshot_costs_its_parts_and_never_an_analyzer(snapshot):
    evidence, warnings = inventory_evidence(snapshot, "aws-snapshot.json")
    no_analyzer_fails(evidence)
    for warning in warnings:
        assert warning.message and warning.path


@given(st.lists(mutated({
    "notificationType": "Bounce",
    "mail": {"messageId": "0100-abc", "timestamp": "2026-11-23T10:00:00Z"},
    "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "timestamp": "2026-11-23T10:01:00Z",
               "bouncedRecipients": [{"emailAddress": "gone@example.com"}]},
}, replacement=json_values()), min_size=1, max_size=4))
def test_mangled_ses_events_are_refused_or_recorded_and_only_addresses_are_suppressed(events):
    from execbrief.delivery.events import ingest
    from execbrief.ledger import Ledger
    from execbrief.ledger.deliveries import DeliveryLedger

    root = workspace({})
    settings = load_settings(root, environ={})
    with Ledger.for_workspace(root) as ledger:
        result = ingest(settings, ledger, "\n".join(json.dumps(e) for e in events), source="events.jsonl",
                        allow_unsigned=True)
        suppressed = [row["address"] for row in DeliveryLedger(ledger).suppressions()]
    assert len(result.recorded) + result.duplicates + len(result.rejected) == len(events)
    for address in suppressed:
        assert parse_mailbox(address).address == address


@settings(max_examples=200)
@given(junk(60) | st.from_regex(r"[^@<>]{0,12}<[a-z.]{1,8}@[a-zé.]{1,12}>", fullmatch=True))
def test_parse_mailbox_returns_a_mailbox_or_a_value_error(text):
    try:
        mailbox = parse_mailbox(text)
    except ValueError:
        return
    assert mailbox.address.isascii() and "@" in mailbox.address and "\n" not in mailbox.formatted()


@given(st.lists(note_lines().map(" ".join) | amount_text() | numbers().map(str) | st.integers(27, 4400).map(lambda n: "9" * n),
                min_size=1, max_size=3).map(" ".join))
def test_a_block_quoting_its_cited_fact_verifies_whatever_numbers_it_holds(text):
    from execbrief.model import Block, Fact, Report, ReportSection
    from execbrief.verify import verify

    fact = Fact(id="f-1", kind="note", name="note_item", entity="alpha", statement=text or "-")
    block = Block(kind="paragraph", text=fact.statement, cites=(fact.id,))
    report = Report(lens="ceo", key="ceo", title="CEO", audience="CEO", organization="Org", period="2026-W48",
                    as_of=date(2026, 11, 23), summary=(), sections=(ReportSection(id="s", title="S", blocks=(block,)),))
    # (a 29-digit number in a note made the verifier raise and reject the whole report)
    assert verify(report, {fact.id: fact}) == []


def _with_marker(document, marker: str, pick: int):
    """``document`` (plain JSON data) with its ``pick``-th string or number replaced by ``marker``."""
    leaves = []

    def walk(node, parent, key):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, node, k)
        elif isinstance(node, list):
            for n, v in enumerate(node):
                walk(v, node, n)
        elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
            leaves.append((parent, key))

    walk(document, None, None)
    parent, key = leaves[pick % len(leaves)]
    parent[key] = marker
    return document


PLACES = ["front matter updated", "front matter date", "front matter entity", "front matter title",
          "ledger cell", "snapshot value", "snapshot format"]


@settings(max_examples=examples(ci=30, long=300))
@given(st.sampled_from(PLACES), st.from_regex(r"[A-Za-z][A-Za-z ,.:'/-]{39,80}", fullmatch=True),
       st.integers(0, 10_000), ledger_rows())
def test_no_warning_copies_more_than_a_fragment_of_an_input(place, marker, pick, rows):
    """A warning names a bad value and cuts it short: warnings reach every report's data-quality
    note, so copying a value whole would mail a file's content to every reader (issue 13)."""
    import csv
    import io

    from execbrief.sources.aws import AwsSource
    from hostile import SMALL_CONFIG

    files: dict[str, bytes | str] = {"notes/beta/ops.md": NOTE_BETA, "ledger/good.csv": LEDGER}
    snapshot = json.loads(json.dumps(SNAPSHOT))
    if place.startswith("front matter"):
        key = place.split()[-1]
        files["notes/fuzz.md"] = f"---\n{key}: {marker}\n---\n# Notes\n\n- An item.\n"
    elif place == "ledger cell":
        rows = [list(r) for r in rows] or [["2026-10-01", "12.00", "alpha", "Sales", "revenue", "memo"]]
        rows[pick % len(rows)][(pick // 7) % 6] = marker
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["date", "amount", "entity", "account", "category", "memo"], *rows])
        files["ledger/fuzz.csv"] = buffer.getvalue()
    elif place == "snapshot format":
        snapshot["format"] = marker
    else:
        _with_marker(snapshot, marker, pick)
    files["aws-snapshot.json"] = json.dumps(snapshot)
    root = workspace(files, SMALL_CONFIG)
    settings_ = load_settings(root, environ={})

    warnings = [*NotesSource(settings_).collect().warnings, *LedgerSource(settings_).collect().warnings,
                *AwsSource(settings_).collect().warnings]

    for warning in warnings:
        assert marker not in warning.message and marker[:30] not in warning.message, warning.label()


TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events"
ENVELOPE = {
    "Type": "Notification", "TopicArn": TOPIC, "MessageId": "m-1", "Timestamp": "2026-11-23T10:00:00Z",
    "Message": json.dumps({"notificationType": "Bounce", "mail": {"messageId": "0100-abc"},
                           "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "a@example.com"}]}}),
    "SignatureVersion": "1", "Signature": "c2lnbmF0dXJl",
    "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem",
}


@given(st.lists(mutated(ENVELOPE, replacement=json_values()), min_size=1, max_size=3))
def test_mangled_sns_envelopes_are_refused_and_no_foreign_certificate_url_is_fetched(envelopes):
    import re

    from execbrief.delivery.events import ingest
    from execbrief.ledger import Ledger

    fetched: list[str] = []

    def fetch(url: str) -> bytes:  # (never the network: the test records what would be fetched)
        fetched.append(url)
        return b"-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n"

    root = workspace({}, MINIMAL_CONFIG + f'\n[delivery.ses]\nevents_topic_arn = "{TOPIC}"\n')
    with Ledger.for_workspace(root) as ledger:
        result = ingest(load_settings(root, environ={}), ledger, "\n".join(json.dumps(e) for e in envelopes),
                        source="events.jsonl", fetch=fetch)

    assert len(result.recorded) + result.duplicates + len(result.rejected) == len(envelopes)
    assert not result.recorded  # no envelope here carries a valid signature
    for url in fetched:
        assert re.fullmatch(r"https://sns\.us-east-1\.amazonaws\.com/[^?#@]*\.pem", url), url
