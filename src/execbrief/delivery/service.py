"""The idempotent send loop: each message is sent once, recorded before and after.

For every part of every message (see ``parts.py``) the loop:

1. skips it if its idempotency key is already ``sent`` (in any run);
2. finds it in doubt if a previous process died between recording ``pending`` and
   recording the provider's answer: then it is sent again and flagged as a possible
   duplicate (``in_doubt = "resend"``, a report twice beats a report lost) or held for
   ``execbrief resend --held`` (``in_doubt = "hold"``);
3. leaves out suppressed addresses (hard bounces, complaints);
4. records ``pending`` (with the MIME, so ``resend`` can send exactly this), sends within
   the channel's rate, retries throttling with exponential backoff, and records ``sent``
   with the provider's message id, or ``failed`` with the provider's words.

The whole loop runs under the workspace's delivery lock in the ledger, so two processes
(two schedulers firing at once) cannot both send.
"""

from __future__ import annotations

import json
import random
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from ..config import Settings
from ..errors import DeliveryError, DeliveryInDoubt, DeliveryRejected
from ..failures import describe
from ..ledger import Ledger
from ..ledger.continuity import remember_ledger, unknown_deliveries
from ..ledger.deliveries import DeliveryLedger
from ..model import Message
from .parts import Part, mark_update, plan_parts

__all__ = ["DeliveryService", "Sent", "RateLimiter", "deliver_run", "summarize", "part_from_row"]

HEARTBEAT_S = 30.0
BACKOFF_CAP_S = 30.0
# Sends are spaced for 2% under the limit: network jitter can bunch arrivals at the
# provider, and it is the provider's count of any one second that must stay within it.
RATE_HEADROOM = 0.98


class RateLimiter:
    """Keeps every one-second window at or under ``rate`` units (messages or recipients).

    A log of the last second's sends is the exact form of that rule: a slow send (a
    provider hiccup, a disk flush) may be caught up afterwards, so the average stays at
    the limit, while no second ever carries more. Sends are also kept ``1/(2·rate)``
    apart, so catching up is a brisk pace rather than a burst.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate = rate * RATE_HEADROOM
        self.clock = clock
        self.sleep = sleep
        self.log: deque[tuple[float, int]] = deque()
        self.next_at = 0.0
        self.last: tuple[float, int] = (float("-inf"), 0)

    def _wake_at(self, now: float, cost: int) -> float:
        while self.log and self.log[0][0] <= now - 1.0:
            self.log.popleft()
        used = sum(c for _, c in self.log)
        at = self.next_at
        if used + cost > self.rate:
            if cost > self.rate:
                # one send above a whole second's allowance: alone in its second, and
                # spaced by its own size (2 recipients at 1/s: every 2 s)
                at = max(at, self.log[-1][0] + 1.0 if self.log else at, self.last[0] + self.last[1] / self.rate)
            else:
                # wait until enough of the window's oldest sends have aged out
                excess = used + cost - self.rate
                for started, spent in self.log:
                    excess -= spent
                    if excess <= 1e-9:
                        at = max(at, started + 1.0)
                        break
        return at

    def wait(self, cost: int = 1) -> None:
        """Block until a send of ``cost`` units is allowed, then book it."""
        now = self.clock()
        while (at := self._wake_at(now, cost)) > now:
            self.sleep(at - now)
            now = self.clock()
        self.log.append((now, cost))
        self.last = (now, cost)
        self.next_at = now + cost / (2 * self.rate)


@dataclass
class Sent:
    """What became of one part: its status, the provider's id, attempts and last error."""

    part: Part
    status: str
    channel: str
    provider_message_id: str | None = None
    attempts: int = 0
    error: str | None = None
    in_doubt: bool = False
    suppressed: tuple[str, ...] = ()
    detail: str | None = None

    def entries(self) -> list[dict[str, Any]]:
        """One JSON entry per recipient, as ``execbrief run --json`` lists deliveries."""
        message = self.part.message
        base = {
            "lens": message.lens, "key": self.part.report_key, "part": message.key, "channel": self.channel,
            "message_id": self.provider_message_id, "attempts": self.attempts, "in_doubt": self.in_doubt,
            "error": self.error,
        }
        return [
            dict(base, recipient=a, audit=a in message.bcc,
                 status="suppressed" if a in self.suppressed else self.status)
            for a in (*message.to, *message.bcc)
        ]


@dataclass
class DeliveryService:
    """Sends parts through one channel, recording every step in the ledger."""

    settings: Settings
    channel: Any
    ledger: Ledger
    in_doubt: str | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    progress: Callable[[str, dict[str, Any]], None] | None = None
    store: DeliveryLedger = field(init=False)
    limiter: RateLimiter | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.store = DeliveryLedger(self.ledger)
        self.in_doubt = self.in_doubt or self.settings.delivery.in_doubt
        self._beat = self.clock()

    def plan(self, messages: list[Message], run_id: str, period: str) -> list[Part]:
        """The parts to send for these messages, marked as updates where a changed version went out."""
        limit = getattr(self.channel, "max_recipients", None)
        unsubscribe = self.settings.delivery.list_unsubscribe
        parts: list[Part] = []
        for message in messages:
            planned = plan_parts(message, max_recipients=limit, list_unsubscribe=unsubscribe)
            if self.store.sent_other_version(message.key, period, run_id, self.channel.name):
                planned = [mark_update(p) for p in planned]
            parts += planned
        return parts

    def deliver(self, messages: list[Message], run_id: str, period: str) -> list[Sent]:
        """Send every message of a run once, under the workspace lock."""
        with self.store.lock(run_id):
            try:
                return [self._one(part, run_id, period) for part in self.plan(messages, run_id, period)]
            finally:
                self._close()

    def resend(self, run_id: str, which: str, only_run: str | None = None) -> list[Sent]:
        """Send again what ``failed`` (or what is ``held`` in doubt), exactly as it was built."""
        with self.store.lock(run_id):
            try:
                rows = self.store.pending_retries(which, only_run, self.channel.name)
                return [self._one(part_from_row(row), run_id, row["period"] or "", release=True) for row in rows]
            finally:
                self._close()

    def _close(self) -> None:
        self.store.flush()
        close = getattr(self.channel, "close", None)
        if callable(close):
            close()

    def _say(self, event: str, data: dict[str, Any]) -> None:
        if self.progress:
            self.progress(event, data)

    def _record(self, part: Part, run_id: str, period: str, status: str, **extra: Any) -> str:
        return self.store.record(
            run_id, part.message, status=status, channel=self.channel.name, period=period,
            report_key=part.report_key, parent_key=part.parent_key, audit=part.audit, **extra,
        )

    def _one(self, part: Part, run_id: str, period: str, release: bool = False) -> Sent:
        key = part.message.idempotency_key
        self._say("deliver", {"key": part.message.key})
        self._heartbeat(run_id)
        state, row = self.store.state(key, self.channel.name)
        if state == "sent":
            assert row is not None
            detail = f"already sent in run {row['run_id']}"
            self._record(part, run_id, period, "skipped", provider_message_id=row["provider_message_id"],
                         detail=detail, defer=True)
            return Sent(part, "skipped", self.channel.name, row["provider_message_id"], detail=detail)
        doubt = state == "in_doubt"
        if doubt:
            self.store.settle_stale(key)
            if self.in_doubt == "hold" and not release:
                detail = ("an earlier send may have reached the provider before its process stopped: "
                          "held; `execbrief resend --held` sends it")
                self._record(part, run_id, period, "held", in_doubt=True, detail=detail, store_body=True)
                return Sent(part, "held", self.channel.name, in_doubt=True, detail=detail)
        dropped = self.store.suppressed(part.envelope)
        live = part.without(set(dropped))
        if not live.envelope:
            detail = "every recipient is on the suppression list: " + ", ".join(f"{a} ({r})" for a, r in dropped.items())
            self._record(part, run_id, period, "suppressed", suppressed=tuple(dropped), detail=detail, store_body=True)
            return Sent(part, "suppressed", self.channel.name, suppressed=tuple(dropped), detail=detail)
        # the row keeps the full recipient lists; suppressed_json says who was left out
        row_id = self._record(part, run_id, period, "pending", in_doubt=doubt, suppressed=tuple(dropped), store_body=True)
        return self._send(part, live, row_id, run_id, doubt, tuple(dropped))

    def _send(self, part: Part, live: Part, row_id: str, run_id: str, doubt: bool, dropped: tuple[str, ...]) -> Sent:
        attempts, error = 0, None
        cost = len(live.envelope) if getattr(self.channel, "rate_unit", "message") == "recipient" else 1
        limit = self.settings.delivery.max_attempts
        while True:
            attempts += 1
            self._wait(cost)
            try:
                receipt = self.channel.send(live.message, run_id)
            except DeliveryRejected as exc:
                # a permanent refusal: record the provider's words, never retry it here
                self.store.finish(row_id, "failed", error=str(exc))
                return Sent(part, "failed", self.channel.name, attempts=attempts, error=str(exc),
                            in_doubt=doubt, suppressed=dropped)
            except DeliveryInDoubt as exc:
                doubt, error = True, str(exc)
                if self.in_doubt == "hold":
                    self.store.finish(row_id, "held", error=error)
                    return Sent(part, "held", self.channel.name, attempts=attempts, error=error, in_doubt=True,
                                suppressed=dropped)
                self.store.attempt(row_id, error, in_doubt=True)
            except DeliveryError as exc:
                error = str(exc)
                self.store.attempt(row_id, error)
            except Exception as exc:
                # a channel's bug, not a provider's answer: trying again would fail the same way
                error = f"the {self.channel.name} channel failed: {describe(exc)}"
                self.store.finish(row_id, "failed", error=error)
                return Sent(part, "failed", self.channel.name, attempts=attempts, error=error,
                            in_doubt=doubt, suppressed=dropped)
            else:
                # committed with the next message's pending row (or the final flush)
                self.store.finish(row_id, "sent", provider_message_id=receipt.message_id, path=receipt.path,
                                  detail=receipt.detail, defer=True)
                return Sent(part, "sent", self.channel.name, receipt.message_id, attempts, error or receipt.detail,
                            doubt, dropped)
            if attempts >= limit:
                self.store.finish(row_id, "failed", attempted=False)
                return Sent(part, "failed", self.channel.name, attempts=attempts, error=error, in_doubt=doubt,
                            suppressed=dropped)
            self.sleep(self._backoff(attempts))

    def _backoff(self, attempt: int) -> float:
        base = self.settings.delivery.retry_base_s * 2 ** (attempt - 1)
        # jitter, so parallel senders that were throttled together do not retry together
        return min(BACKOFF_CAP_S, base) * (0.5 + random.random() / 2)

    def _wait(self, cost: int) -> None:
        if self.limiter is None:
            rate = self.channel.max_rate() if hasattr(self.channel, "max_rate") else None
            if not rate:
                return
            self.limiter = RateLimiter(float(rate), self.clock, self.sleep)
        self.limiter.wait(cost)

    def _heartbeat(self, run_id: str) -> None:
        if self.clock() - self._beat > HEARTBEAT_S:
            self.store.heartbeat(run_id)
            self._beat = self.clock()


def part_from_row(row: dict[str, Any]) -> Part:
    """Rebuild a part from its ledger row and stored MIME, exactly as it was first sent."""
    message = Message(
        key=row["key"], lens=row["lens"], sender=row["sender"], to=tuple(json.loads(row["to_json"])),
        bcc=tuple(json.loads(row["bcc_json"])), subject=row["subject"], mime=bytes(row["mime"]),
        idempotency_key=row["idempotency_key"],
    )
    return Part(message=message, report_key=row["report_key"] or row["key"],
                parent_key=row["parent_key"] or row["idempotency_key"], audit=bool(row["audit"]))


def deliver_run(
    settings: Settings, channel: Any, ledger: Ledger, run_id: str, period: str, messages: list[Message], *,
    in_doubt: str | None = None, progress: Callable[[str, dict[str, Any]], None] | None = None,
    accept_new_ledger: bool = False,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Preflight, then send: the deliveries (one entry per recipient) and the failures of a run.

    A ledger that did not record the workspace's earlier deliveries (a new one, after the
    old was moved aside) cannot tell what was sent: nothing is sent until the user confirms
    with ``accept_new_ledger`` (``run --accept-new-ledger``).
    """
    from .preflight import run_checks

    unknown = unknown_deliveries(settings.workspace, ledger, settings.resolve(settings.delivery.outbox))
    if unknown and not accept_new_ledger:
        ledger.record_event(run_id, "new_ledger_refused", {"why": unknown})
        return [], [f"delivery refused: {unknown}, so it cannot tell which briefings were sent already: "
                    "run again with --accept-new-ledger to deliver anyway (a recipient may get a briefing "
                    "of this period twice)"]
    checks = run_checks(settings, channel, messages, ledger)
    ledger.record_event(run_id, "preflight", {"checks": [c.to_json() for c in checks]})
    failed = [c for c in checks if c.status == "fail"]
    if failed:
        # nothing is sent when any check fails: the reports stay rendered for the next run
        return [], [f"preflight {c.name}: {c.detail}" + (f" (fix: {c.fix})" if c.fix else "") for c in failed]
    service = DeliveryService(settings, channel, ledger, in_doubt=in_doubt, progress=progress)
    try:
        results = service.deliver(messages, run_id, period)
    except DeliveryError as exc:
        return [], [f"delivery: {exc}"]
    sent = sum(1 for r in results if r.status == "sent")
    if sent or accept_new_ledger:
        remember_ledger(settings.workspace, ledger, sent)
    return summarize(results)


def summarize(results: list[Sent]) -> tuple[list[dict[str, Any]], list[str]]:
    """JSON entries per recipient, and one failure line per part that failed or is held."""
    entries: list[dict[str, Any]] = []
    failures: list[str] = []
    for result in results:
        entries += result.entries()
        if result.status in ("failed", "held"):
            failures.append(f"delivery {result.part.message.key}: {result.status}: {result.error or result.detail}")
    return entries, failures
