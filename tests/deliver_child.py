"""A delivering process for the crash and concurrency tests.

    python deliver_child.py WORKSPACE COUNT IN_DOUBT

Builds COUNT small briefings (one reader each, plus the workspace's audit copy) and
delivers them with the real service, ledger and SMTP channel, as a run would. Prints a
JSON summary; exits 1 when delivery could not start (the workspace lock is held).
"""

from __future__ import annotations

import json
import sys
from datetime import date

from execbrief.config import load_settings
from execbrief.delivery import build_message
from execbrief.delivery.service import DeliveryService
from execbrief.errors import DeliveryError
from execbrief.ledger import Ledger
from execbrief.model import Block, Message, Rendered, Report
from execbrief.registry import registry

PERIOD = "2026-W48"


def messages(settings, count: int) -> list[Message]:
    """``count`` distinct briefings, the same ones on every call."""
    out = []
    for n in range(count):
        report = Report(
            lens="ceo", key=f"r{n:03d}", title=f"Briefing {n}", audience="CEO", organization="Test Org",
            period=PERIOD, as_of=date(2026, 11, 23),
            summary=(Block(kind="paragraph", text=f"Briefing number {n}."),), sections=(),
        )
        rendered = Rendered(key=report.key, subject=f"Briefing {n}", html=f"<p>Briefing {n}</p>", text=f"Briefing {n}")
        out.append(build_message(rendered, report, sender=settings.delivery.sender, to=[f"reader{n:03d}@example.com"],
                                 bcc=list(settings.delivery.audit_bcc), period=PERIOD))
    return out


def main(workspace: str, count: int, in_doubt: str) -> int:
    settings = load_settings(workspace)
    channel = registry.get("channels", settings.delivery.method)(settings)
    with Ledger.for_workspace(settings.workspace) as ledger:
        run_id = ledger.start_run(settings.workspace, PERIOD, "2026-11-23", {"test": "child"})
        try:
            results = DeliveryService(settings, channel, ledger, in_doubt=in_doubt).deliver(
                messages(settings, count), run_id, PERIOD)
        except DeliveryError as exc:
            print(json.dumps({"run_id": run_id, "error": str(exc)}))
            return 1
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    print(json.dumps({"run_id": run_id, "statuses": statuses}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
