"""The ledger: one SQLite file per workspace recording everything a run did.

``<workspace>/.execbrief/ledger.db`` holds runs, their input file hashes, facts, warnings,
reports and messages. What runs share is stored once: a fact's content (``fact_bodies``, by
``content_key``), a fact base (``fact_bases``: the keys of its facts, named by a digest of
them; a run names its base in ``runs.fact_base``, and lists in ``run_facts`` only the facts
it adds, what changed), an input list (``input_sets``) and a report's content
(``report_bodies``). The ``facts`` and ``reports`` views join them back. It migrates itself
on open. Secrets never reach it: sources keep a detected secret as a hash and a masked
preview only, and nothing else is stored.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import secrets
import sqlite3
from datetime import datetime, timezone
from bisect import bisect_left
from itertools import islice
from operator import attrgetter, lt
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from .. import gcpolicy
from ..errors import LedgerDamaged, LedgerError, storage_problem
from ..model import DataWarning, Fact, FactBase, Report, content_key, content_keys
from .migrations import migrate

__all__ = ["Ledger", "LEDGER_PATH", "content_key", "ledger_error", "new_run_id", "utc_now"]

LEDGER_PATH = Path(".execbrief") / "ledger.db"
_BULK_CACHE_KIB = 64 * 1024  # SQLite's page cache while a fact base is recorded
_ID = attrgetter("id")
_CHUNK = 65_536  # facts a run at a time, where a fact base is digested or compared
_KEY_BYTES = 16  # a content key's length (``model.content_key``)
_MEMBERS_VERSION = 1  # of the members file (``Ledger._keep_members``)


def utc_now() -> str:
    """The current UTC time, ISO-8601 to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_run_id() -> str:
    """A sortable, readable run id: ``20261127T201500123Z-a1b2c3``."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z-" + secrets.token_hex(3)


_ERROR, _CORRUPT, _NOTADB, _READONLY, _FULL, _CANTOPEN, _IOERR = 1, 11, 26, 8, 13, 14, 10  # SQLite result codes


def ledger_error(exc: sqlite3.Error | OSError, path: Path, doing: str = "open") -> LedgerError:
    """What a database or file error on the ledger means for the user, and what to do."""
    if isinstance(exc, OSError):
        return LedgerError(f"cannot {doing} the ledger at {path}: {storage_problem(exc) or exc}", path=path)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if _is_damage(exc, code, path):
        return LedgerDamaged(
            f"the ledger at {path} is damaged ({exc}): move it aside (mv {path} {path}.damaged) and run again "
            "to start a new ledger; the new ledger does not know what was sent before, so a delivering run "
            "asks you to confirm with --accept-new-ledger", path=path)
    folder = path.parent
    if code == _READONLY or (code == _CANTOPEN and folder.is_dir() and not os.access(folder, os.W_OK)):
        if not _read_only(folder):  # a file system that takes writes, but not from this user
            return LedgerError(
                f"cannot {doing} the ledger at {path}: permission denied ({exc}): give the user running execbrief "
                f"read and write access to {folder} and the files in it", path=path)
        return LedgerError(
            f"cannot {doing} the ledger at {path}: the workspace is read-only ({exc}): make {folder} writable "
            "(execbrief records every run there)", path=path)
    if code == _FULL or (code in (_IOERR, _CANTOPEN) and _nearly_full(folder)):
        return LedgerError(f"cannot {doing} the ledger at {path}: the disk is full ({exc}): free some space "
                            "and run again", path=path)
    if code == _IOERR:
        return LedgerError(f"cannot {doing} the ledger at {path}: the disk failed a read or write ({exc}): "
                            "check the disk has space and works", path=path)
    return LedgerError(f"cannot {doing} the ledger at {path}: {exc}", path=path)


def _is_damage(exc: sqlite3.Error, code: int, path: Path) -> bool:
    """Whether a database error says the file itself is damaged (its header or its pages)."""
    if code in (_CORRUPT, _NOTADB):
        return True
    if code == _ERROR and "unsupported file format" in str(exc):  # a header byte out of range
        return True
    # a file whose header forbids writing (a write version from the future), though this user
    # may write it and its folder on a writable file system
    folder = path.parent
    return (code == _READONLY and os.access(path, os.W_OK) and os.access(folder, os.W_OK)
            and not _read_only(folder))


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` is on a file system mounted read-only (else: true when unknown)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return True


def _nearly_full(folder: Path) -> bool:
    """Whether the file system holding ``folder`` has less than a megabyte left for us."""
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return stat.f_bavail * stat.f_frsize < 1024 * 1024


class _Connection(sqlite3.Connection):
    """A connection that names a damaged database wherever a statement finds the damage."""

    def execute(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().execute(*args)
        except sqlite3.DatabaseError as exc:
            raise _damaged(exc, self) from exc

    def executemany(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().executemany(*args)
        except sqlite3.DatabaseError as exc:
            raise _damaged(exc, self) from exc


def _damaged(exc: sqlite3.DatabaseError, db: sqlite3.Connection) -> Exception:
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code not in (_CORRUPT, _NOTADB, _ERROR, _READONLY):  # (a constraint, a lock: no damage)
        return exc
    row = sqlite3.Connection.execute(db, "PRAGMA database_list").fetchone()
    path = Path(row[2]) if row else LEDGER_PATH
    if not _is_damage(exc, code, path):
        return exc
    return ledger_error(exc, path, "read")


def _differing(key_bytes: bytes, mine: int, theirs: bytes, at: int, count: int) -> list[int]:
    """The positions among ``count`` facts from ``mine`` whose keys (``key_bytes``) differ from
    those from ``at`` in ``theirs``: compared a run of keys at a time, then one by one where a
    run differs."""
    changed: list[int] = []
    for start in range(0, count, _CHUNK):
        n = min(_CHUNK, count - start)
        one = key_bytes[(mine + start) * _KEY_BYTES:(mine + start + n) * _KEY_BYTES]
        two = theirs[(at + start) * _KEY_BYTES:(at + start + n) * _KEY_BYTES]
        if one != two:
            changed += [mine + start + k for k in range(n)
                        if one[k * _KEY_BYTES:(k + 1) * _KEY_BYTES] != two[k * _KEY_BYTES:(k + 1) * _KEY_BYTES]]
    return changed


_BODIES_AT_ONCE = 500  # content keys a query reads at once (SQLite's older builds allow 999 parameters)


class Ledger:
    """A connection to one workspace's ledger."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30, factory=_Connection)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            migrate(self.db)
        except (sqlite3.Error, OSError) as exc:
            raise ledger_error(exc, path) from exc
        except LedgerError:
            self.db.close()
            raise

    @classmethod
    def for_workspace(cls, workspace: Path) -> "Ledger":
        """Open (creating and migrating if needed) the ledger of a workspace."""
        return cls(workspace / LEDGER_PATH)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, immediate: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed if the block ends normally, else rolled back.

        ``immediate`` takes the write lock at the start (for a read-then-write another
        process must not interleave). A database error is a ``LedgerError``.
        """
        try:
            self.db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise ledger_error(exc, self.path, "write to") from exc
            raise

    def write(self, statements: Iterable[tuple[str, Iterable[tuple[Any, ...]]]], *, immediate: bool = False) -> None:
        """Run each (SQL, rows) in one transaction; all or nothing is written."""
        with self.transaction(immediate=immediate) as db:
            for sql, rows in statements:
                db.executemany(sql, rows)

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        self.write([(sql, rows)])

    # runs

    def start_run(self, workspace: Path, period: str, as_of: str, options: dict[str, Any]) -> str:
        """Record the start of a run and return its id."""
        run_id = new_run_id()
        self._write(
            "INSERT INTO runs (id, started_at, status, workspace, period, as_of, options_json)"
            " VALUES (?, ?, 'running', ?, ?, ?, ?)",
            [(run_id, utc_now(), str(workspace), period, as_of, json.dumps(options, sort_keys=True))],
        )
        return run_id

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any], duration_ms: int) -> None:
        """Record how a run ended."""
        self._write(
            "UPDATE runs SET finished_at = ?, status = ?, summary_json = ?, duration_ms = ? WHERE id = ?",
            [(utc_now(), status, json.dumps(summary, sort_keys=True), duration_ms, run_id)],
        )

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The most recent runs, newest first."""
        rows = self.db.execute(
            "SELECT r.*,"
            " (SELECT COUNT(*) FROM reports WHERE run_id = r.id) AS reports,"
            " (SELECT COUNT(*) FROM messages WHERE run_id = r.id AND status = 'sent') AS sent,"
            " (SELECT COUNT(*) FROM warnings WHERE run_id = r.id) AS warnings,"
            " (SELECT COUNT(*) FROM run_facts WHERE run_id = r.id)"
            " + COALESCE((SELECT facts FROM fact_bases WHERE id = r.fact_base), 0) AS facts"
            " FROM runs r ORDER BY r.id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["options"] = json.loads(item.pop("options_json") or "{}")
            item["summary"] = json.loads(item.pop("summary_json") or "null")
            out.append(item)
        return out

    # what a run read and computed

    def record_inputs(self, run_id: str, inputs: Iterable[Any]) -> None:
        """Record the files a run read, with their content hashes (a list read before is stored once)."""
        rows = sorted({(i.source, i.path): (i.source, i.path, i.sha256, i.size) for i in inputs}.values())
        set_id = "blake2b:" + hashlib.blake2b(json.dumps(rows).encode(), digest_size=20).hexdigest()
        with self.transaction() as db:
            if db.execute("INSERT OR IGNORE INTO input_sets (id, inputs, created_at) VALUES (?, ?, ?)",
                          (set_id, len(rows), utc_now())).rowcount:
                db.executemany("INSERT INTO input_set_files (input_set, source, path, sha256, size)"
                               " VALUES (?, ?, ?, ?, ?)", ((set_id, *row) for row in rows))
            db.execute("UPDATE runs SET input_set = ? WHERE id = ?", (set_id, run_id))

    def inputs(self, run_id: str) -> list[dict[str, Any]]:
        """The files a run read: source, path, sha256, size."""
        rows = self.db.execute(
            "SELECT source, path, sha256, size FROM input_set_files WHERE input_set = (SELECT input_set FROM runs"
            " WHERE id = ?) UNION ALL SELECT source, path, sha256, size FROM inputs WHERE run_id = ?"
            " ORDER BY source, path", (run_id, run_id))
        return [dict(row) for row in rows]

    def fact_base_for(self, facts_key: str) -> str | None:
        """The fact base an earlier run recorded for the same ``facts_key`` (``execbrief.reuse``), if any."""
        row = self.db.execute(
            "SELECT r.fact_base FROM runs r JOIN fact_bases b ON b.id = r.fact_base WHERE r.facts_key = ?"
            " ORDER BY r.id DESC LIMIT 1", (facts_key,)).fetchone()
        return row[0] if row else None

    def use_fact_base(self, run_id: str, base: str, facts_key: str | None = None) -> None:
        """Name ``base`` (recorded already) as the fact base of a run."""
        self._write("UPDATE runs SET fact_base = ?, facts_key = ? WHERE id = ?", [(base, facts_key, run_id)])

    def record_fact_base(self, run_id: str, facts: Iterable[Fact], facts_key: str | None = None) -> str:
        """Record a run's fact base, stored once however many runs computed it; return its id.

        Facts are turned into JSON one at a time as SQLite takes them (a million facts' JSON
        held at once would be ~0.4 GB), in content-key order: the contents' B-tree is then
        written page after page rather than at random (a million new contents: 24 → 7.5 s, and
        a sixth smaller). Only ids and content keys are kept; a fact kept in the analysis memo
        has its key already (``Fact.content_key``). A base that differs from the newest stored
        whole in at most a quarter of its facts is stored as that difference
        (``fact_bases.parent``): one edited note writes a few rows, not a million.
        """
        ordered = facts if isinstance(facts, list) else list(facts)
        with gcpolicy.bulk_allocation():  # (a million ids and keys, and no cycles)
            ids = ordered.ids if isinstance(ordered, FactBase) else list(map(_ID, ordered))
            keys = content_keys(ordered)
        id_bytes, key_bytes = "\0".join(ids).encode(), b"".join(keys)
        parent = self._newest_whole_base()
        kept = self._kept_members(parent) if parent is not None else None
        # (a run's FactBase is in id order by construction: only other lists are checked)
        if not isinstance(ordered, FactBase) and (kept is None or kept[0] != id_bytes) \
                and not all(map(lt, ids, islice(ids, 1, None))):
            ordered = sorted(ordered, key=_ID)  # (a run's facts come in id order, as the base keeps them)
            ids, keys = list(map(_ID, ordered)), content_keys(ordered)
            id_bytes, key_bytes = "\0".join(ids).encode(), b"".join(keys)
        changed, gone = self._differ(parent, ids, keys, kept, id_bytes, key_bytes)
        new = sorted(changed, key=keys.__getitem__)

        with self.transaction() as db, self._pages_cached(_BULK_CACHE_KIB):
            db.executemany(
                "INSERT OR IGNORE INTO fact_bodies (key, kind, name, entity, fact_json) VALUES (?, ?, ?, ?, ?)",
                ((keys[n], f.kind, f.name, f.entity, f.model_dump_json()) for n in new for f in (ordered[n],)))
            del new
            # its name: a digest of its facts' ids (a zero byte apart) and their keys (16 bytes each)
            base = "blake2b:" + hashlib.blake2b(id_bytes + b"\1" + key_bytes, digest_size=20).hexdigest()
            rows: Iterable[tuple[str, bytes]] = zip(ids, keys)
            if parent is not None:
                differ = [(ids[n], keys[n]) for n in changed] + [(fact_id, b"") for fact_id in gone]  # (gone: no key)
                if 4 * len(differ) <= len(ids):
                    rows = differ
                else:
                    parent = None
            if db.execute("INSERT OR IGNORE INTO fact_bases (id, facts, created_at, parent) VALUES (?, ?, ?, ?)",
                          (base, len(ids), utc_now(), parent)).rowcount:
                db.executemany("INSERT OR IGNORE INTO base_facts (base, fact_id, key) VALUES (?, ?, ?)",
                               ((base, fact_id, key) for fact_id, key in rows))
            db.execute("UPDATE runs SET fact_base = ?, facts_key = ? WHERE id = ?", (base, facts_key, run_id))
        if parent is None:
            self._keep_members(base, id_bytes, key_bytes)
        return base

    def _members_file(self) -> Path:
        """Where the newest fact base stored whole keeps its members (ids, content keys) apart
        from SQLite: a cache, read instead of its million rows when the next base is told
        beside it (~1.3 s at a million), and never needed (gone or stale: the rows are read)."""
        return self.path.parent / "cache" / "fact-base-members"

    def _keep_members(self, base: str, id_bytes: bytes, key_bytes: bytes) -> None:
        path = self._members_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")
            with open(partial, "wb") as out:
                marshal.dump((_MEMBERS_VERSION, base, id_bytes, key_bytes), out)
            os.replace(partial, path)
        except OSError:  # (a cache: the next run reads the base's rows instead)
            pass

    def _kept_members(self, base: str) -> tuple[bytes, bytes] | None:
        """The members ``_keep_members`` kept of this base (its ids joined by zero bytes, its
        keys one after another), if they are its and can be read."""
        try:
            with open(self._members_file(), "rb") as handle:
                version, kept, id_bytes, key_bytes = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if version != _MEMBERS_VERSION or kept != base or not isinstance(id_bytes, bytes) \
                or not isinstance(key_bytes, bytes) or len(key_bytes) % _KEY_BYTES:
            return None
        return id_bytes, key_bytes

    def _differ(self, parent: str | None, ids: list[str], keys: list[bytes], kept: tuple[bytes, bytes] | None,
                id_bytes: bytes, key_bytes: bytes) -> tuple[list[int], list[str]]:
        """Where a fact base (``ids`` ascending, their ``keys``; each joined as the members file
        keeps them) differs from ``parent`` (its ``kept`` members, if read): the positions of
        facts it lacks or holds otherwise, and the ids of its facts that are gone; every position
        when there is no parent."""
        if parent is None:
            return list(range(len(ids))), []
        if kept is not None and kept[0] == id_bytes and len(kept[1]) == len(key_bytes):
            # the same facts (most runs): their keys compared a run at a time, then one by one where a run differs
            return _differing(key_bytes, 0, kept[1], 0, len(ids)), []
        if kept is not None:
            # some facts new or gone: the ids each has alone found as sets, and the keys of the
            # runs of ids both have between them compared as above (a dict of a million was ~1.4 s)
            theirs = kept[0].decode().split("\0") if kept[0] else []
            mine_set, theirs_set = set(ids), set(theirs)  # (one set apiece: set from set hashes no id again)
            fresh = sorted(bisect_left(ids, fact_id) for fact_id in mine_set - theirs_set)
            gone = sorted(theirs_set - mine_set)
            del mine_set, theirs_set
            gone_at = [bisect_left(theirs, fact_id) for fact_id in gone]
            changed: list[int] = []
            mine = at = 0  # (positions in this base and in the parent, of a fact both have)
            fi = gi = 0
            while mine < len(ids) or at < len(theirs):
                next_fresh = fresh[fi] if fi < len(fresh) else len(ids)
                next_gone = gone_at[gi] if gi < len(gone_at) else len(theirs)
                run = min(next_fresh - mine, next_gone - at)
                if run > 0:
                    changed += _differing(key_bytes, mine, kept[1], at, run)
                    mine, at = mine + run, at + run
                if fi < len(fresh) and mine == next_fresh:
                    changed.append(mine)
                    mine, fi = mine + 1, fi + 1
                elif gi < len(gone_at) and at == next_gone:
                    at, gi = at + 1, gi + 1
                elif run <= 0:  # (members that do not add up: cannot happen for sorted, distinct ids)
                    break
            return changed, gone
        known = dict(self.db.execute("SELECT fact_id, key FROM base_facts WHERE base = ?", (parent,)))
        changed = [n for n, (fact_id, key) in enumerate(zip(ids, keys)) if known.get(fact_id) != key]
        # (gone: counted first, as most runs lose no fact)
        if len(known) > len(ids) - sum(1 for n in changed if ids[n] not in known):
            mine_ids = set(ids)
            return changed, [fact_id for fact_id in known if fact_id not in mine_ids]
        return changed, []

    @contextmanager
    def _pages_cached(self, kib: int) -> Iterator[None]:
        """SQLite's page cache at ``kib`` for a bulk write, then as it was: a million contents go
        into a B-tree ordered by content key, each to a page at random, which the default 2 MB
        cache has to read again."""
        before = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = -{int(kib)}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA cache_size = {int(before)}")

    def _newest_whole_base(self) -> str | None:
        """The base stored whole that the newest run's fact base is, or is stored beside."""
        row = self.db.execute(
            "SELECT COALESCE(b.parent, b.id) FROM runs r JOIN fact_bases b ON b.id = r.fact_base"
            " ORDER BY r.id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def _over_whole(self, base: str) -> tuple[str, dict[str, bytes]]:
        """The base stored whole beneath ``base`` (itself, if stored whole) and ``base``'s rows
        over it, by fact id (an empty key: a fact it does not have)."""
        row = self.db.execute("SELECT parent FROM fact_bases WHERE id = ?", (base,)).fetchone()
        if row is None or row[0] is None:
            return base, {}
        return row[0], dict(self.db.execute("SELECT fact_id, key FROM base_facts WHERE base = ?", (base,)))

    def _base_keys(self, base: str) -> dict[str, bytes]:
        """Every fact of a base, by id: its content key."""
        whole, over = self._over_whole(base)
        keys = dict(self.db.execute("SELECT fact_id, key FROM base_facts WHERE base = ?", (whole,)))
        keys.update(over)
        return {fact_id: key for fact_id, key in keys.items() if key}

    def reusable_run(self, run_key: str) -> dict[str, Any] | None:
        """The newest run with this ``run_key`` that finished cleanly, if nothing was delivered or
        alerted after it finished (its reports are then the ones a run would write again)."""
        row = self.db.execute(
            "SELECT * FROM runs WHERE run_key = ? AND status = 'ok' AND finished_at IS NOT NULL"
            " ORDER BY id DESC LIMIT 1", (run_key,)).fetchone()
        if row is None:
            return None
        later = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE updated_at > ?)"
            " OR EXISTS (SELECT 1 FROM alerts WHERE updated_at > ?)", (row["finished_at"], row["finished_at"])
        ).fetchone()[0]
        if later:
            return None
        item = dict(row)
        item["summary"] = json.loads(item.pop("summary_json") or "null")
        return item

    def set_run_key(self, run_id: str, run_key: str) -> None:
        """Record the digest of what a run's reports depend on (``execbrief.reuse``)."""
        self._write("UPDATE runs SET run_key = ? WHERE id = ?", [(run_key, run_id)])

    def copy_run_facts(self, from_run: str, to_run: str) -> None:
        """Give ``to_run`` the facts ``from_run`` added of its own (what changed; a few rows)."""
        self._write("INSERT OR IGNORE INTO run_facts (run_id, fact_id, key) SELECT ?, fact_id, key FROM run_facts"
                    " WHERE run_id = ?", [(to_run, from_run)])

    def record_facts(self, run_id: str, facts: Iterable[Fact]) -> None:
        """Record facts of a run's own (``record_fact_base`` records its fact base): the run
        lists them by content key, and each fact's content is stored once."""
        rows = sorted(((f, f.model_dump_json()) for f in facts), key=lambda row: row[0].id)  # (appended in key order)
        keys = [content_key(text) for _, text in rows]
        with self.transaction() as db:
            # most of a run's facts are the last run's: their content is stored already
            previous = db.execute("SELECT MAX(run_id) FROM run_facts WHERE run_id < ?", (run_id,)).fetchone()[0]
            known = {k for (k,) in db.execute("SELECT key FROM run_facts WHERE run_id = ?", (previous,))}
            db.executemany(
                "INSERT OR IGNORE INTO fact_bodies (key, kind, name, entity, fact_json) VALUES (?, ?, ?, ?, ?)",
                ((k, f.kind, f.name, f.entity, text) for k, (f, text) in zip(keys, rows) if k not in known))
            db.executemany("INSERT OR REPLACE INTO run_facts (run_id, fact_id, key) VALUES (?, ?, ?)",
                           ((run_id, f.id, k) for k, (f, _) in zip(keys, rows)))

    def record_warnings(self, run_id: str, warnings: Iterable[DataWarning]) -> None:
        """Record the data warnings of a run."""
        self._write(
            "INSERT INTO warnings (run_id, source, path, line, message) VALUES (?, ?, ?, ?, ?)",
            [(run_id, w.source, w.path, w.line, w.message) for w in warnings],
        )

    def record_report(self, run_id: str, report: Report) -> None:
        """Record a written (and verified or rejected) report."""
        text = report.model_dump_json()
        body = content_key(text)
        self.write([
            ("INSERT OR IGNORE INTO report_bodies (key, report_json) VALUES (?, ?)", [(body, text)]),
            ("INSERT OR REPLACE INTO report_rows (run_id, key, lens, period, title, status, writer,"
             " content_sha256, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             [(run_id, report.key, report.lens, report.period, report.title, report.status,
               report.writer, report.digest(), body, utc_now())]),
        ])

    def record_event(self, run_id: str | None, kind: str, data: dict[str, Any]) -> None:
        """Record something that happened (a stage failure, a skipped delivery)."""
        self._write(
            "INSERT INTO events (id, run_id, at, kind, data_json) VALUES (?, ?, ?, ?, ?)",
            [(new_run_id(), run_id, utc_now(), kind, json.dumps(data, sort_keys=True, default=str))],
        )

    # messages

    def messages(self, run_id: str | None = None) -> list[dict[str, Any]]:
        """Messages, oldest first, for one run or all."""
        sql = "SELECT * FROM messages"
        args: tuple[Any, ...] = ()
        if run_id:
            sql += " WHERE run_id = ?"
            args = (run_id,)
        return [dict(r) for r in self.db.execute(sql + " ORDER BY created_at, key", args)]

    def baseline(self, key: str, before_period: str) -> tuple[str, str] | None:
        """(run id, period) of the newest delivered report of ``key`` for an earlier period."""
        row = self.db.execute(
            "SELECT r.run_id, r.period FROM reports r WHERE r.key = ? AND r.period < ?"
            " AND r.status != 'rejected' AND EXISTS (SELECT 1 FROM messages m WHERE m.run_id = r.run_id"
            " AND m.key = r.key AND m.status = 'sent') ORDER BY r.period DESC, r.created_at DESC LIMIT 1",
            (key, before_period),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def delivered(self, key: str, period: str, *, other_than: str) -> list[tuple[str, str, str]]:
        """(run id, period, when sent) of each report of ``key`` for ``period`` that a run other
        than ``other_than`` delivered, oldest first."""
        rows = self.db.execute(
            "SELECT r.run_id, r.period, MAX(m.updated_at) AS sent FROM reports r JOIN messages m"
            " ON m.run_id = r.run_id AND m.key = r.key AND m.status = 'sent'"
            " WHERE r.key = ? AND r.period = ? AND r.run_id != ? AND r.status != 'rejected'"
            " GROUP BY r.run_id ORDER BY sent, r.run_id",
            (key, period, other_than),
        ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def facts(self, run_id: str) -> list[Fact]:
        """The fact base a run recorded."""
        rows = self.db.execute("SELECT fact_json FROM facts WHERE run_id = ? ORDER BY fact_id", (run_id,))
        return [Fact.model_validate_json(r[0]) for r in rows]

    def fact_base_of(self, run_id: str) -> str | None:
        """The fact base a run recorded, if any."""
        row = self.db.execute("SELECT fact_base FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row[0] if row else None

    def differences(self, run_id: str, base: str | None) -> tuple[set[str], list[Fact]] | None:
        """A run's facts told by how they differ from the fact base ``base``: (the ids of
        ``base``'s facts the run does not have as they are, the run's facts ``base`` does not
        have as they are); None when the run or ``base`` names no fact base.

        Facts the two bases share (same id, same content key) are found in SQL and never
        read: a baseline run a week old differs from this run's facts in a few thousand of a
        million. ``FactIndex.beside`` makes the run's facts of it, the same as ``facts(run_id)``.
        """
        theirs = self.fact_base_of(run_id)
        if base is None or theirs is None:
            return None
        own = [Fact.model_validate_json(r[0]) for r in self.db.execute(
            "SELECT b.fact_json FROM run_facts r JOIN fact_bodies b ON b.key = r.key WHERE r.run_id = ?", (run_id,))]
        removed = {f.id for f in own}  # (its own facts replace any of the base's with their ids)
        added: dict[str, Fact] = {}
        if theirs != base:
            mine, other = self._keys_beside(base, theirs)
            removed.update(fact_id for fact_id, key in mine.items() if key and key != other.get(fact_id))
            wanted = {key for fact_id, key in other.items() if key and key != mine.get(fact_id)}
            added.update((fact.id, fact) for fact in self._bodies(wanted))
        added.update((f.id, f) for f in own)
        return removed, list(added.values())

    def _bodies(self, keys: Iterable[bytes]) -> Iterator[Fact]:
        """The facts stored under these content keys, read a batch of keys at a time in key
        order (one query a key was ~45 µs: after an upgrade that restates half a million facts,
        a baseline's were ~20 s of queries alone)."""
        ordered = sorted(keys)
        for start in range(0, len(ordered), _BODIES_AT_ONCE):
            batch = ordered[start:start + _BODIES_AT_ONCE]
            query = f"SELECT fact_json FROM fact_bodies WHERE key IN ({','.join('?' * len(batch))})"
            yield from (Fact.model_validate_json(text) for (text,) in self.db.execute(query, batch))

    def bases_differ(self, base: str, other: str) -> set[str] | None:
        """The ids of the facts two fact bases may not hold alike (one has it and the other
        not, or they differ), when their rows beside one base stored whole tell it (or one
        of them is that base): a few rows, not a million facts. None when they cannot."""
        if base == other:
            return set()
        (whole, mine), (their_whole, theirs) = self._over_whole(base), self._over_whole(other)
        if whole != their_whole:
            return None
        return {fact_id for fact_id in mine.keys() | theirs.keys() if mine.get(fact_id) != theirs.get(fact_id)}

    def _keys_beside(self, base: str, theirs: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """The content keys of two bases' facts, by id, for (at least) every fact they do not
        share as it is; a missing key or an empty one: the base does not have that fact."""
        (whole, mine), (their_whole, other) = self._over_whole(base), self._over_whole(theirs)
        if whole == their_whole:  # (beside one base stored whole: they differ only where their rows are)
            ids = mine.keys() | other.keys()
            shared = {fact_id: row[0] for fact_id in ids if (row := self.db.execute(
                "SELECT key FROM base_facts WHERE base = ? AND fact_id = ?", (whole, fact_id)).fetchone())}
            return {**shared, **mine}, {**shared, **other}
        if not mine and not other:  # two bases stored whole: what differs is found in SQL
            query = ("SELECT c.fact_id, c.key FROM base_facts c WHERE c.base = ? AND NOT EXISTS (SELECT 1"
                     " FROM base_facts b WHERE b.base = ? AND b.fact_id = c.fact_id AND b.key = c.key)")
            return dict(self.db.execute(query, (base, theirs))), dict(self.db.execute(query, (theirs, base)))
        return self._base_keys(base), self._base_keys(theirs)

    def reports(self, run_id: str | None = None) -> tuple[str, list[Report]] | None:
        """The reports of a run (default: the newest run that wrote any), in order written."""
        if run_id is None:
            row = self.db.execute("SELECT run_id FROM reports ORDER BY run_id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            run_id = row[0]
        rows = self.db.execute(
            "SELECT report_json FROM reports WHERE run_id = ? ORDER BY created_at, key", (run_id,)
        ).fetchall()
        if not rows:
            return None
        return run_id, [Report.model_validate_json(r[0]) for r in rows]
