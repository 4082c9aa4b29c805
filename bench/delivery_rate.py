"""Delivery rate benchmark: 1,000 messages through moto's SES and through aiosmtpd at 50/s.

    .venv/bin/python bench/delivery_rate.py [--messages 1000] [--rate 50] [--json]

Runs the real delivery service (ledger, lock, rate limiter, idempotency) against local
servers only, each in its own process. SES: moto behind the test suite's fault layer, which answers GetAccount with
an account max rate of 200/s, so the configured ``[delivery.ses] max_rate`` is the limit.
SMTP: an aiosmtpd server, ``[delivery.smtp] max_rate``. Arrival times are taken at the
server. Reports the achieved rate, the most messages that arrived in any one second, and
duplicates (messages that arrived more than once); then reruns and checks nothing is sent.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the local servers the tests use

from aiosmtpd.controller import Controller  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from execbrief.config import load_settings  # noqa: E402
from execbrief.delivery import build_message  # noqa: E402
from execbrief.delivery.service import DeliveryService  # noqa: E402
from execbrief.ledger import Ledger  # noqa: E402
from execbrief.model import Block, Rendered, Report  # noqa: E402
from execbrief.registry import registry  # noqa: E402
from mailservers import RecordingHandler, SesFaultProxy, free_port, moto_raw_messages  # noqa: E402

CONFIG = """\
[organization]
name = "Bench Org"

[delivery]
method = "{method}"
sender = "briefings@example.com"
allowed_recipient_domains = ["example.com"]

[delivery.ses]
max_rate = {rate}

[delivery.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
max_rate = {rate}
"""


def messages(settings, count: int):
    """``count`` distinct briefings of about 4 KB, one reader each."""
    out = []
    for n in range(count):
        report = Report(lens="ceo", key=f"r{n:04d}", title=f"Briefing {n}", audience="CEO", organization="Bench Org",
                        period="2026-W48", as_of=date(2026, 11, 23),
                        summary=(Block(kind="paragraph", text=f"Briefing number {n}."),), sections=())
        body = f"Briefing {n}. " + "Revenue, cost and risks in plain words. " * 80
        rendered = Rendered(key=report.key, subject=f"Briefing {n}", html=f"<p>{body}</p>", text=body)
        out.append(build_message(rendered, report, sender=settings.delivery.sender,
                                 to=[f"reader{n:04d}@example.com"], bcc=[], period="2026-W48"))
    return out


def deliver(root: Path, count: int) -> tuple[float, Counter]:
    """Run the delivery service once; the wall time and the statuses."""
    settings = load_settings(root, environ={})
    channel = registry.get("channels", settings.delivery.method)(settings)
    batch = messages(settings, count)
    with Ledger.for_workspace(root) as ledger:
        run_id = ledger.start_run(root, "2026-W48", "2026-11-23", {"bench": True})
        started = time.monotonic()
        results = DeliveryService(settings, channel, ledger).deliver(batch, run_id, "2026-W48")
        took = time.monotonic() - started
    return took, Counter(r.status for r in results)


def figures(arrivals: list[float], ids: list[str], limit: float) -> dict:
    """Achieved rate, the busiest one-second window, duplicates."""
    arrivals = sorted(arrivals)
    span = arrivals[-1] - arrivals[0]
    achieved = (len(arrivals) - 1) / span if span else float("inf")
    busiest, j = 0, 0
    for i, start in enumerate(arrivals):
        while j < len(arrivals) and arrivals[j] < start + 1.0:
            j += 1
        busiest = max(busiest, j - i)
    duplicates = sum(n - 1 for n in Counter(ids).values() if n > 1)
    return {"messages": len(arrivals), "limit_per_s": limit, "achieved_per_s": round(achieved, 2),
            "within_10pct": achieved >= 0.9 * limit, "never_above": busiest <= limit,
            "busiest_second": busiest, "duplicates": duplicates}


def _ses_servers(conn) -> None:
    """In its own process (its own GIL): moto and the fault layer; report arrivals on request."""
    moto_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    proxy = SesFaultProxy(moto_port)
    proxy.set_production(rate=200)  # the account allows 200/s: the configured max_rate is the limit
    conn.send(proxy.endpoint)
    conn.recv()
    conn.send([t for t, _, _ in proxy.sends])
    proxy.stop()
    moto.stop()


def bench_ses(count: int, rate: float) -> dict:
    parent, child = multiprocessing.Pipe()
    servers = multiprocessing.Process(target=_ses_servers, args=(child,), daemon=True)
    servers.start()
    endpoint = parent.recv()
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_ENDPOINT_URL=endpoint)
    try:
        import boto3

        boto3.client("ses", region_name="us-east-1").verify_domain_identity(Domain="example.com")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "execbrief.toml").write_text(CONFIG.format(method="ses", rate=rate, port=25))
            took, statuses = deliver(root, count)
            rerun_took, rerun = deliver(root, count)
        ids = [message_from_bytes(m["raw_data"].encode(), policy=policy.compat32)["Message-ID"]
               for m in moto_raw_messages(endpoint)]
        parent.send("stop")
        arrivals = parent.recv()
        return {"channel": "ses (moto)", **figures(arrivals, ids, rate), "wall_s": round(took, 2),
                "statuses": dict(statuses), "rerun_statuses": dict(rerun), "rerun_wall_s": round(rerun_took, 2)}
    finally:
        servers.join(timeout=10)
        if servers.is_alive():
            servers.terminate()


class TimedHandler(RecordingHandler):
    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        self.arrivals.append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)


def _smtp_server(conn) -> None:
    """In its own process: aiosmtpd; report arrivals and Message-IDs on request."""
    handler = TimedHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    conn.send(controller.port)
    conn.recv()
    conn.send((handler.arrivals, [str(handler.parsed(n)["Message-ID"]) for n in range(len(handler.messages))]))
    controller.stop()


def bench_smtp(count: int, rate: float) -> dict:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_smtp_server, args=(child,), daemon=True)
    server.start()
    port = parent.recv()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "execbrief.toml").write_text(CONFIG.format(method="smtp", rate=rate, port=port))
            took, statuses = deliver(root, count)
            rerun_took, rerun = deliver(root, count)
        parent.send("stop")
        arrivals, ids = parent.recv()
        return {"channel": "smtp (aiosmtpd)", **figures(arrivals, ids, rate), "wall_s": round(took, 2),
                "statuses": dict(statuses), "rerun_statuses": dict(rerun), "rerun_wall_s": round(rerun_took, 2)}
    finally:
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [bench_ses(args.messages, args.rate), bench_smtp(args.messages, args.rate)]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("| channel | messages | limit/s | achieved/s | busiest 1 s | duplicates | wall s | rerun sends |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['channel']} | {r['messages']} | {r['limit_per_s']:g} | {r['achieved_per_s']} | "
              f"{r['busiest_second']} | {r['duplicates']} | {r['wall_s']} | "
              f"{r['rerun_statuses'].get('sent', 0)} (skipped {r['rerun_statuses'].get('skipped', 0)}) |")


if __name__ == "__main__":
    main()
