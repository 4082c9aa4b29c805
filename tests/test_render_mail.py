"""What mail systems read: automatic-message headers, Message-ID, unsubscribe, inline charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from email import message_from_bytes, policy

import pytest

from execbrief.config import ConfigError, load_settings
from execbrief.delivery import build_message
from execbrief.delivery.parts import plan_parts
from execbrief.model import Block, Chart, ChartSeries, Report, ReportSection, SourceRef
from execbrief.render import render

SENDER = "briefings@tidewater.example.com"


def chart_report() -> Report:
    chart = Chart(id="cfo-trend", title="Net by business", kind="line", unit="USD",
                  categories=("August 2026", "September 2026", "October 2026"),
                  series=(ChartSeries(name="Alpha", values=(Decimal("2500"), Decimal("5000"), Decimal("7500"))),))
    block = Block(kind="chart", chart=chart, columns=("Series", *chart.categories),
                  rows=(("Alpha", "$2,500", "$5,000", "$7,500"),), cites=("f-net",))
    return Report(lens="cfo", key="cfo", title="CFO briefing", audience="CFO", organization="Tidewater",
                  period="2026-W48", as_of=date(2026, 11, 23), summary=(),
                  sections=(ReportSection(id="trend", title="Net", blocks=(block,)),),
                  sources=(SourceRef(number=1, fact_id="f-net", label="ledger/t.csv, August–October 2026"),),
                  status="verified")


def build(report: Report, **changes: object):
    args: dict[str, object] = dict(sender=SENDER, to=["cfo@example.com"], bcc=["audit@tidewater.example.com"],
                                   period="2026-W48", workspace="/srv/briefings/tidewater")
    args.update(changes)
    return build_message(render(report), report, **args)  # type: ignore[arg-type]


def headers(message) -> object:
    return message_from_bytes(message.mime, policy=policy.default)


def test_briefings_say_they_are_automatic_so_out_of_office_replies_stay_away():
    parsed = headers(build(chart_report()))
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Auto-Response-Suppress"] == "All"
    assert parsed["Reply-To"] is None


def test_reply_to_is_set_when_configured():
    parsed = headers(build(chart_report(), reply_to="owner@tidewater.example.com"))
    assert parsed["Reply-To"] == "owner@tidewater.example.com"


def test_message_id_is_unique_per_workspace_and_stable_within_one():
    report = chart_report()
    here, again = build(report), build(report)
    elsewhere = build(report, workspace="/srv/briefings/other-client")
    assert headers(here)["Message-ID"] == headers(again)["Message-ID"]
    assert headers(here)["Message-ID"] != headers(elsewhere)["Message-ID"]
    assert headers(here)["Message-ID"].endswith("@tidewater.example.com>")
    # the idempotency key is the same for the same content, and travels in our own header
    assert headers(here)["X-Execbrief-Key"].strip() == headers(elsewhere)["X-Execbrief-Key"].strip() == here.idempotency_key
    assert here.idempotency_key.split(":")[1][:32] not in headers(here)["Message-ID"]


def test_chart_images_are_inline_parts_named_by_content_id():
    pytest.importorskip("matplotlib")
    parsed = headers(build(chart_report()))
    images = [p for p in parsed.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    assert images[0]["Content-Disposition"].startswith("inline")
    assert images[0]["Content-ID"] == "<chart-cfo-trend@execbrief>"
    html = next(p for p in parsed.walk() if p.get_content_type() == "text/html").get_content()
    assert 'src="cid:chart-cfo-trend@execbrief"' in html


def test_one_click_unsubscribe_goes_on_reader_copies_and_never_on_the_audit_copy():
    message = build(chart_report())
    uris = ["mailto:leave@tidewater.example.com", "https://tidewater.example.com/unsubscribe?list=cfo"]
    readers, audit = plan_parts(message, max_recipients=50, list_unsubscribe=uris)
    shown = headers(readers.message)
    assert shown["List-Unsubscribe"] == f"<{uris[0]}>, <{uris[1]}>"
    assert shown["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert audit.audit and audit.message.bcc == ("audit@tidewater.example.com",)
    hidden = headers(audit.message)
    assert hidden["List-Unsubscribe"] is None and hidden["List-Unsubscribe-Post"] is None


def test_a_mailto_unsubscribe_alone_has_no_one_click_post_header():
    (readers, _) = plan_parts(build(chart_report()), max_recipients=50, list_unsubscribe="mailto:leave@example.com")
    assert headers(readers.message)["List-Unsubscribe"] == "<mailto:leave@example.com>"
    assert headers(readers.message)["List-Unsubscribe-Post"] is None


def test_config_accepts_https_and_mailto_unsubscribe_and_a_reply_to(workspace):
    config = workspace.root / "execbrief.toml"
    text = config.read_text()
    config.write_text(text.replace("[delivery]\n", '[delivery]\nreply_to = "owner@example.com"\n'
                                   'list_unsubscribe = ["mailto:leave@example.com", "https://example.com/u"]\n'))
    settings = load_settings(workspace.root)
    assert settings.delivery.reply_to == "owner@example.com"
    assert settings.delivery.list_unsubscribe == ["mailto:leave@example.com", "https://example.com/u"]
    config.write_text(text.replace("[delivery]\n", '[delivery]\nreply_to = "not an address"\n'))
    with pytest.raises(ConfigError, match="reply_to"):
        load_settings(workspace.root)


def test_chart_images_are_transparent_at_twice_their_shown_width_with_exact_money_ticks():
    pytest.importorskip("matplotlib")
    import io

    from matplotlib.image import imread

    from execbrief.render.charts import _formatter, chart_png

    png = chart_png(chart_report().sections[0].blocks[0].chart)
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[1] >= 2 * 544 and pixels.shape[2] == 4  # shown at 544 px: sharp on 2x screens
    assert pixels[0, 0, 3] == 0  # transparent: it sits on the light or the dark card
    money = _formatter("USD")
    assert [money(v, 0) for v in (0, 2500, 7500, 125000)] == ["$0", "$2,500", "$7,500", "$125,000"]
    assert _formatter("%").format_pct(67, 100) == "67%" and _formatter(None)(1250, 0) == "1,250"
    assert chart_png(chart_report().sections[0].blocks[0].chart) == png  # same chart, same bytes


def test_demo_charts_have_at_most_four_series_and_one_idea_each(demo_workspace):
    from execbrief.ledger import Ledger
    from execbrief.pipeline import run

    result = run(demo_workspace.settings(), dry_run=True)
    with Ledger.for_workspace(demo_workspace.root) as ledger:
        _, reports = ledger.reports(result.run_id)
    charts = {r.key: [b.chart for b in r.blocks() if b.chart is not None] for r in reports}
    assert all(len(c.series) <= 4 for found in charts.values() for c in found)
    # the CFO's eight series (four businesses, revenue and net) become three charts
    assert [c.title for c in charts["cfo"]] == [
        "All businesses: revenue, net", "Revenue by business", "Net by business"]
    assert [s.name for s in charts["cfo"][2].series] == ["Brightline Studio", "Harbor Flats", "QuickRoute Delivery"]
    assert [s.name for s in charts["client-portfolio"][0].series] == ["Revenue", "Costs", "Net"]
