"""Nothing twice, nothing lost: reruns, updates, the workspace lock, and SIGKILL at many points."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from conftest import Workspace
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.delivery.parts import mark_update, plan_parts, set_headers
from execbrief.delivery.service import RateLimiter
from execbrief.errors import DeliveryError
from execbrief.ledger import Ledger
from execbrief.ledger.deliveries import DeliveryLedger
from execbrief.model import Message
from mailservers import RecordingHandler, free_port

CHILD = Path(__file__).with_name("deliver_child.py")


class KillingHandler(RecordingHandler):
    """Records messages and SIGKILLs the sending process at a chosen message."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: subprocess.Popen | None = None
        self.kill_at: tuple[str, int] | None = None  # ("rcpt" | "data", reader number)

    def arm(self, victim: subprocess.Popen, kill_at: tuple[str, int] | None) -> None:
        self.victim, self.kill_at = victim, kill_at

    def _maybe_kill(self, phase: str, addresses: list[str]) -> None:
        numbers = {int(a[6:9]) for a in addresses if a.startswith("reader")}
        if self.victim is None or not self.kill_at:
            return
        if self.kill_at[0] == "after":
            # a kill on a timer started by the run's first message: it lands anywhere
            threading.Timer(self.kill_at[1], os.kill, (self.victim.pid, signal.SIGKILL)).start()
            self.kill_at = None
        elif self.kill_at[0] == phase and self.kill_at[1] in numbers:
            os.kill(self.victim.pid, signal.SIGKILL)
            self.kill_at = None

    async def handle_RCPT(self, server, session, envelope, address, options):
        self._maybe_kill("rcpt", [address])  # before the message reaches the server
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        self._maybe_kill("data", envelope.rcpt_tos)  # the server has the message; the sender never hears so
        return reply

    def counts(self) -> Counter:
        return Counter(a for m in self.messages for a in m["rcpt_tos"] if a.startswith("reader"))

    def reached(self) -> int:
        """The highest reader number the server has seen a message for (-1 for none)."""
        return max((int(a[6:9]) for a in self.counts()), default=-1)


@pytest.fixture
def server():
    handler = KillingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


def child_workspace(workspace, port: int, extra: str = ""):
    text = (workspace.root / "execbrief.toml").read_text()
    text = text.replace("[delivery]\n", f'[delivery]\nmethod = "smtp"\nretry_base_s = 0\n{extra}\n', 1)
    text += f'\n[delivery.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nmax_rate = 100000\n'
    (workspace.root / "execbrief.toml").write_text(text)
    return workspace


def start_child(workspace, count: int, in_doubt: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.Popen([sys.executable, str(CHILD), str(workspace.root), str(count), in_doubt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def deliver(server, workspace, count: int, in_doubt: str = "resend", kill_at=None):
    proc = start_child(workspace, count, in_doubt)
    server.arm(proc, kill_at)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


ledger_rows = Workspace.messages  # the ledger's message rows, oldest first


def reader_of(row: dict) -> str:
    return json.loads(row["to_json"])[0]


# Kill points in a 200-message run, by message number: during RCPT (nothing reached the
# server yet) and right after the server took the DATA (it has the message; the sender
# never heard), at the start, the middle and the end. Kills on a timer (started by a run's
# first message) land anywhere, including between a send and its ledger update. The late
# points are counted from where the timed kills left off; the last is the last message.
EARLY = [("data", 0), ("rcpt", 19), ("data", 40)]
TIMED = [0.1, 0.05]
LATE = [("data", 3), ("data", 4), ("rcpt", 25), ("data", 500)]


def test_sigkill_at_many_points_loses_nothing_and_every_duplicate_is_recorded_in_doubt(server, workspace):
    child_workspace(workspace, server.port)
    killed = 0
    for kill_at in EARLY:
        assert deliver(server, workspace, 200, kill_at=kill_at)[0] == -signal.SIGKILL, kill_at
        killed += 1
    for seconds in TIMED:
        killed += deliver(server, workspace, 200, kill_at=("after", seconds))[0] == -signal.SIGKILL
    for phase, ahead in LATE:
        # counted from where the timed kills left off, so each point is still ahead
        kill_at = (phase, min(199, server.reached() + ahead))
        assert deliver(server, workspace, 200, kill_at=kill_at)[0] == -signal.SIGKILL, kill_at
        killed += 1
    assert killed >= len(EARLY) + 1 + len(LATE)
    code, out, err = deliver(server, workspace, 200)
    assert code == 0, err

    counts = server.counts()
    assert set(counts) == {f"reader{n:03d}@example.com" for n in range(200)}  # every message arrived
    twice = {reader for reader, n in counts.items() if n > 1}
    in_doubt = {reader_of(r) for r in ledger_rows(workspace) if r["in_doubt"] or r["status"] == "in_doubt"}
    assert twice <= in_doubt
    assert len(twice) >= 2  # the DATA kills did cause duplicates, and they are among those flagged
    with Ledger.for_workspace(workspace.root) as ledger:
        store = DeliveryLedger(ledger)
        assert all(store.state(r["idempotency_key"], "smtp")[0] == "sent" for r in ledger_rows(workspace))
    # a last run sends nothing at all
    before = len(server.messages)
    assert deliver(server, workspace, 200)[0] == 0
    assert len(server.messages) == before


def test_with_in_doubt_hold_a_crash_never_causes_a_duplicate(server, workspace):
    child_workspace(workspace, server.port)
    for kill_at in [("data", 5), ("rcpt", 120)]:
        assert deliver(server, workspace, 200, "hold", kill_at=kill_at)[0] == -signal.SIGKILL
    code, out, _ = deliver(server, workspace, 200, "hold")
    assert code == 0

    counts = server.counts()
    assert max(counts.values()) == 1  # none arrived twice
    held = {reader_of(r) for r in ledger_rows(workspace) if r["status"] == "held"}
    assert len(held) == 2
    assert set(counts) | held == {f"reader{n:03d}@example.com" for n in range(200)}  # the rest arrived
    # the operator releases them: every message has now arrived at least once
    result = CliRunner().invoke(cli, ["resend", "--held", "-w", str(workspace.root), "--json"])
    assert result.exit_code == 0, result.output
    assert set(server.counts()) == {f"reader{n:03d}@example.com" for n in range(200)}


def test_a_held_lock_stops_a_second_process_from_sending(server, workspace):
    child_workspace(workspace, server.port)
    with Ledger.for_workspace(workspace.root) as ledger:
        store = DeliveryLedger(ledger)
        store.acquire("run-in-progress")
        code, out, _ = deliver(server, workspace, 5)
        assert code == 1
        assert "another execbrief process is delivering" in json.loads(out)["error"]
        assert server.messages == []
        store.release("run-in-progress")
    assert deliver(server, workspace, 5)[0] == 0
    assert len(server.messages) == 5


def test_a_lock_left_by_a_dead_process_is_taken_over(server, workspace):
    child_workspace(workspace, server.port)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with Ledger.for_workspace(workspace.root) as ledger:
        ledger.db.execute(
            "INSERT INTO locks (name, owner, pid, pid_started, host, acquired_at, heartbeat_at)"
            " VALUES ('delivery', 'crashed-run', ?, NULL, ?, '2026-11-27T00:00:00Z', '2026-11-27T00:00:00Z')",
            (dead.pid, os.uname().nodename),
        )
    assert deliver(server, workspace, 5)[0] == 0
    assert len(server.messages) == 5


def test_two_processes_started_together_deliver_each_message_once(server, workspace):
    child_workspace(workspace, server.port)
    first, second = start_child(workspace, 60, "resend"), start_child(workspace, 60, "resend")
    outputs = [p.communicate(timeout=60) for p in (first, second)]
    codes = sorted([first.returncode, second.returncode])
    assert codes in ([0, 0], [0, 1]), outputs
    assert sorted(server.counts().values()) == [1] * 60


def test_lock_is_refused_to_a_second_owner_while_held(tmp_path):
    with Ledger(tmp_path / "ledger.db") as one, Ledger(tmp_path / "ledger.db") as two:
        DeliveryLedger(one).acquire("run-a")
        with pytest.raises(DeliveryError, match="run run-a"):
            DeliveryLedger(two).acquire("run-b")
        DeliveryLedger(one).release("run-a")
        DeliveryLedger(two).acquire("run-b")


def test_rerun_in_the_same_period_sends_nothing_twice(server, workspace):
    ws = child_workspace(workspace, server.port)
    first = CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--json"])
    second = CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--json"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert {d["status"] for d in json.loads(second.stdout)["deliveries"]} == {"skipped"}
    assert len(server.messages) == 2


def test_changed_content_in_the_same_period_is_sent_again_marked_as_an_update(server, workspace):
    ws = child_workspace(workspace, server.port)
    assert CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--only", "ceo"]).exit_code == 0
    ws.write("notes/new.md", "---\ntitle: Memo\nentity: alpha\n---\n# Risks\n- [high] The roof leaks.\n")
    result = CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--only", "ceo", "--json"])
    assert result.exit_code == 0, result.output
    assert len(server.messages) == 2
    first, second = server.parsed(0)["Subject"], server.parsed(1)["Subject"]
    assert not first.startswith("[Update]")
    assert second == "[Update] " + first
    third = CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--only", "ceo", "--json"])
    assert {d["status"] for d in json.loads(third.stdout)["deliveries"]} == {"skipped"}


def test_a_failed_message_is_sent_by_the_next_run_and_the_sent_one_is_not(server, workspace):
    ws = child_workspace(workspace, server.port, "max_attempts = 1")
    server.data_replies = ["250 ok", "554 5.7.1 no thanks"]
    first = json.loads(CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--json"]).stdout)
    assert sorted({(d["key"], d["status"]) for d in first["deliveries"]}) == [("ceo", "sent"), ("cfo", "failed")]
    second = json.loads(CliRunner().invoke(cli, ["run", "-w", str(ws.root), "--json"]).stdout)
    assert sorted({(d["key"], d["status"]) for d in second["deliveries"]}) == [("ceo", "skipped"), ("cfo", "sent")]
    assert [sorted(m["rcpt_tos"]) for m in server.messages] == [["audit@example.com", "ceo@example.com"]] + [
        ["audit@example.com", "cfo@example.com"]]


def test_rate_limiter_never_allows_more_than_the_rate_in_any_second():
    now = [0.0]
    starts: list[float] = []
    limiter = RateLimiter(50, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    for n in range(500):
        limiter.wait(1)
        starts.append(now[0])
        now[0] += 0.004 if n % 7 else 0.05  # sends of uneven length
    windows = [sum(1 for t in starts if s <= t < s + 1.0) for s in starts]
    assert max(windows) <= 50
    assert starts[-1] - starts[0] >= 499 / 50


def fake_time():
    now = [0.0]
    return now, (lambda: now[0]), (lambda seconds: now.__setitem__(0, now[0] + seconds))


def test_rate_limiter_counts_ses_recipients_not_messages():
    now, clock, sleep = fake_time()
    limiter = RateLimiter(10, clock=clock, sleep=sleep)
    limiter.wait(5)
    limiter.wait(5)  # 10 recipients would exceed 10/s less the 2% headroom: wait out the second
    assert now[0] == pytest.approx(1.0)
    now, clock, sleep = fake_time()
    messages = RateLimiter(10, clock=clock, sleep=sleep)
    messages.wait(1)
    messages.wait(1)
    assert now[0] < 0.1


def test_a_send_bigger_than_a_seconds_allowance_is_spaced_by_its_size():
    now, clock, sleep = fake_time()
    limiter = RateLimiter(1, clock=clock, sleep=sleep)  # the SES sandbox: 1 recipient a second
    starts = []
    for _ in range(3):
        limiter.wait(2)  # a reader and the audit copy
        starts.append(now[0])
    assert starts[1] - starts[0] >= 2 and starts[2] - starts[1] >= 2


def test_rate_limiter_catches_up_after_a_slow_send_without_exceeding_the_rate():
    now, clock, sleep = fake_time()
    limiter = RateLimiter(50, clock=clock, sleep=sleep)
    starts = []
    for n in range(200):
        limiter.wait(1)
        starts.append(now[0])
        now[0] += 0.3 if n == 10 else 0.005  # one send hangs for 300 ms
    windows = [sum(1 for t in starts if s <= t < s + 1.0) for s in starts]
    assert max(windows) <= 49
    assert starts[-1] - starts[0] < 199 / 49 + 0.1  # the slow send did not cost the average


def test_a_week_previewed_in_the_outbox_is_still_sent_by_smtp(server, workspace):
    assert CliRunner().invoke(cli, ["run", "-w", str(workspace.root)]).exit_code == 0  # outbox
    child_workspace(workspace, server.port)
    result = CliRunner().invoke(cli, ["run", "-w", str(workspace.root), "--json"])
    assert {d["status"] for d in json.loads(result.stdout)["deliveries"]} == {"sent"}
    assert len(server.messages) == 2


def test_delivery_migration_adds_its_tables_and_columns(tmp_path):
    with Ledger(tmp_path / "ledger.db") as ledger:
        tables = {r[0] for r in ledger.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {r[1] for r in ledger.db.execute("PRAGMA table_info(messages)")}
        names = [r[0] for r in ledger.db.execute("SELECT name FROM migrations")]
    assert {"message_bodies", "suppressions", "locks", "delivery_events"} <= tables
    assert {"attempts", "last_error", "in_doubt", "period", "parent_key", "report_key", "audit",
            "suppressed_json"} <= columns
    assert "m002_delivery" in names


def make_message(to: list[str], bcc: list[str] = ["audit@example.com"]) -> Message:
    from datetime import date

    from execbrief.delivery import build_message
    from execbrief.model import Block, Rendered, Report

    report = Report(lens="ceo", key="ceo", title="CEO briefing", audience="CEO", organization="Org",
                    period="2026-W48", as_of=date(2026, 11, 23), summary=(Block(kind="paragraph", text="Hi."),),
                    sections=())
    rendered = Rendered(key="ceo", subject="CEO briefing: Org, 2026-W48", html="<p>Hi.</p>", text="Hi.")
    return build_message(rendered, report, sender="briefings@example.com", to=to, bcc=bcc, period="2026-W48")


def test_a_message_that_fits_is_one_part_with_the_messages_own_key_and_bytes():
    message = make_message(["ceo@example.com"])
    (part,) = plan_parts(message, max_recipients=50, list_unsubscribe=None)
    assert part.message.idempotency_key == message.idempotency_key and part.message.mime == message.mime
    assert part.envelope == ("ceo@example.com", "audit@example.com")


def test_split_parts_have_stable_keys_and_the_audit_copy_once():
    readers = [f"r{n}@example.com" for n in range(7)]
    parts = plan_parts(make_message(readers), max_recipients=3, list_unsubscribe=None)
    again = plan_parts(make_message(list(reversed(readers))), max_recipients=3, list_unsubscribe=None)
    assert [p.message.key for p in parts] == ["ceo", "ceo.2", "ceo.3", "ceo.audit"]
    assert sorted(a for p in parts for a in p.envelope) == sorted([*readers, "audit@example.com"])
    assert len({p.message.idempotency_key for p in parts}) == 4
    # the same recipients, in any order, always split into the same parts and keys
    assert [p.message.idempotency_key for p in parts] == [p.message.idempotency_key for p in again]
    other = plan_parts(make_message(readers[:-1]), max_recipients=3, list_unsubscribe=None)
    assert parts[0].message.idempotency_key != other[0].message.idempotency_key


def test_header_rewrites_keep_the_body_byte_for_byte_and_refuse_line_breaks():
    message = make_message(["ceo@example.com"])
    rewritten = set_headers(message.mime, {"To": "undisclosed-recipients:;", "List-Unsubscribe": "<mailto:x@example.com>"})
    assert rewritten.split(b"\r\n\r\n", 1)[1] == message.mime.split(b"\r\n\r\n", 1)[1]
    assert b"\r\nTo: undisclosed-recipients:;\r\n" in rewritten and b"ceo@example.com" not in rewritten.split(b"\r\n\r\n")[0]
    with pytest.raises(DeliveryError, match="line break"):
        set_headers(message.mime, {"Subject": "Hi\r\nBcc: thief@evil.example"})
    updated = mark_update(plan_parts(message, max_recipients=None, list_unsubscribe=None)[0])
    assert updated.message.subject == "[Update] CEO briefing: Org, 2026-W48"
    assert b"Subject: [Update] CEO briefing: Org, 2026-W48" in updated.message.mime
