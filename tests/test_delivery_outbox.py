"""MIME building and the outbox channel: what would be sent is exactly what lands on disk."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from execbrief.config import load_settings
from execbrief.delivery import Channel, build_message, idempotency_key
from execbrief.delivery.outbox import OutboxChannel, register
from execbrief.errors import DeliveryError
from execbrief.model import Block, Message, Rendered, Report, ReportSection, SourceRef
from execbrief.registry import Registry
from execbrief.render import render

SENDER = "briefings@acme.example"
TO = ["ceo@acme.example", "chair@acme.example"]
AUDIT = ["audit@acme.example"]


def make_report(**changes: object) -> Report:
    """A small briefing with non-ASCII text, a citation and a source."""
    fields: dict[str, object] = dict(
        lens="ceo",
        key="ceo",
        title="CEO briefing",
        audience="CEO",
        organization="Acme Holdings",
        period="2024-06",
        as_of=date(2024, 6, 30),
        summary=(Block(kind="paragraph", text="Revenue rose 12% to €184,200 in June.", cites=("f-rev",)),),
        sections=(
            ReportSection(
                id="actions",
                title="Next 30 days",
                blocks=(Block(kind="actions", items=("Rotate the leaked Stripe key.",), cites=("f-rev",)),),
            ),
        ),
        sources=(SourceRef(number=1, fact_id="f-rev", label="ledger/2024-06.csv: revenue"),),
        status="verified",
    )
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


def make_message(report: Report | None = None, rendered: Rendered | None = None, **changes: object) -> Message:
    report = report or make_report()
    args: dict[str, object] = dict(sender=SENDER, to=TO, bcc=AUDIT, period="2024-06")
    args.update(changes)
    return build_message(rendered or render(report), report, **args)  # type: ignore[arg-type]


def parse(message: Message):
    return message_from_bytes(message.mime, policy=policy.default)


def test_message_is_multipart_alternative_with_text_then_html():
    parsed = parse(make_message())
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    rendered = render(make_report())
    assert parts[0].get_content().replace("\r\n", "\n") == rendered.text
    assert parts[1].get_content().replace("\r\n", "\n") == rendered.html


def test_message_headers_name_sender_recipients_subject_and_lens():
    message = make_message()
    parsed = parse(message)
    assert parsed["From"] == SENDER
    assert parsed["To"] == ", ".join(TO)
    assert parsed["Subject"] == "CEO briefing: Acme Holdings, 2024-06"
    assert parsed["X-Execbrief-Lens"] == "ceo"
    # The key is longer than 78 columns, so it is folded onto a continuation line, and
    # the stdlib parser keeps the fold's leading space.
    assert parsed["X-Execbrief-Key"].strip() == message.idempotency_key
    assert parsed["Date"].datetime.tzinfo is not None
    assert message.to == tuple(TO) and message.bcc == tuple(AUDIT)


def test_bcc_addresses_appear_in_no_header():
    message = make_message()
    parsed = parse(message)
    assert "Bcc" not in parsed
    for name, value in parsed.items():
        assert AUDIT[0] not in str(value), name
    header_block = message.mime.split(b"\r\n\r\n", 1)[0]
    assert AUDIT[0].encode() not in header_block


def test_message_id_derives_from_the_workspace_the_idempotency_key_and_sender_domain():
    from execbrief.model import content_hash

    message = make_message(workspace="/srv/acme")
    hexdigest = content_hash("/srv/acme\n" + message.idempotency_key).removeprefix("sha256:")
    assert parse(message)["Message-ID"] == f"<{hexdigest[:32]}@acme.example>"


def test_same_input_gives_same_key_and_message_id_at_any_time():
    early = make_message(sent_at=datetime(2024, 7, 1, 6, 0, tzinfo=timezone.utc))
    late = make_message(sent_at=datetime(2024, 7, 2, 9, 30, tzinfo=timezone.utc))
    assert early.idempotency_key == late.idempotency_key
    assert parse(early)["Message-ID"] == parse(late)["Message-ID"]
    assert parse(early)["Date"] != parse(late)["Date"]


def test_changed_content_or_recipients_change_the_key_and_message_id():
    base = make_message()
    changed = make_report(title="CEO briefing (revised)")
    other_content = make_message(changed, render(changed))
    other_recipients = make_message(to=["ceo@acme.example"])
    keys = {base.idempotency_key, other_content.idempotency_key, other_recipients.idempotency_key}
    ids = {parse(m)["Message-ID"] for m in (base, other_content, other_recipients)}
    assert len(keys) == 3 and len(ids) == 3


def test_idempotency_key_ignores_recipient_order():
    report = make_report()
    assert idempotency_key(report, to=TO, bcc=AUDIT, period="2024-06") == idempotency_key(
        report, to=list(reversed(TO)), bcc=AUDIT, period="2024-06"
    )


def test_subject_with_a_line_break_is_refused_as_header_injection():
    report = make_report()
    rendered = render(report).model_copy(update={"subject": "Briefing\r\nBcc: thief@evil.example"})
    with pytest.raises(DeliveryError, match="line break"):
        make_message(report, rendered)
    lf_only = rendered.model_copy(update={"subject": "Briefing\nX-Evil: 1"})
    with pytest.raises(DeliveryError):
        make_message(report, lf_only)


def test_message_without_recipients_is_refused():
    with pytest.raises(DeliveryError, match="no recipients"):
        make_message(to=[])


@pytest.fixture
def settings(tmp_path: Path):
    (tmp_path / "execbrief.toml").write_text(
        '[organization]\nname = "Acme Holdings"\n\n'
        f'[delivery]\nsender = "{SENDER}"\naudit_bcc = ["{AUDIT[0]}"]\noutbox = "out"\n',
        encoding="utf-8",
    )
    return load_settings(tmp_path, environ={})


def test_outbox_writes_eml_html_and_txt_for_the_message(settings):
    channel = OutboxChannel(settings)
    message = make_message()
    receipt = channel.send(message, "run-01")
    folder = settings.workspace / "out" / "run-01"
    rendered = render(make_report())
    assert (folder / "ceo.eml").read_bytes() == message.mime
    assert (folder / "ceo.html").read_text(encoding="utf-8") == rendered.html
    assert (folder / "ceo.txt").read_text(encoding="utf-8") == rendered.text
    assert receipt.key == "ceo" and receipt.channel == "outbox" and receipt.status == "sent"
    assert receipt.message_id == parse(message)["Message-ID"]
    assert receipt.path == str(folder / "ceo.eml")


def test_outbox_envelope_lists_bcc_and_stays_sorted_by_key(settings):
    channel = OutboxChannel(settings)
    cfo = make_report(lens="cfo", key="cfo", title="CFO briefing")
    channel.send(make_message(cfo, render(cfo)), "run-01")
    message = make_message()
    channel.send(message, "run-01")
    channel.send(message, "run-01")  # a resend replaces its entry, never duplicates it

    envelope = json.loads((settings.workspace / "out" / "run-01" / "envelope.json").read_text())
    assert [e["key"] for e in envelope] == ["ceo", "cfo"]
    assert envelope[0] == {
        "key": "ceo",
        "lens": "ceo",
        "sender": SENDER,
        "to": TO,
        "bcc": AUDIT,
        "subject": "CEO briefing: Acme Holdings, 2024-06",
        "idempotency_key": message.idempotency_key,
        "message_id": parse(message)["Message-ID"],
        "file": "ceo.eml",
    }
    leftovers = [p.name for p in (settings.workspace / "out" / "run-01").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_outbox_refuses_a_key_that_would_escape_the_run_folder(settings):
    report = make_report(key="../ceo")
    with pytest.raises(DeliveryError, match="file name"):
        OutboxChannel(settings).send(make_message(report, render(report)), "run-01")
    assert not (settings.workspace / "out" / "ceo.eml").exists()


def test_outbox_is_a_channel_registered_by_name(settings):
    registry = Registry()
    register(registry)
    channel = registry.channels["outbox"](settings)
    assert isinstance(channel, Channel)
    assert channel.name == "outbox"


def test_delivery_package_exports_its_public_api():
    import execbrief.delivery as package

    assert {"Channel", "build_message"} <= set(package.__all__)
    assert all(hasattr(package, name) for name in package.__all__)
