"""Secrets in a git repository's history: the lines each commit added, scanned once per commit.

A key committed and deleted later is gone from the working tree but not from the
repository: anyone with a clone can read it back. For a folder that is a git work tree,
``git rev-list --all`` lists every commit reachable from a branch, tag or other ref; the
commits not scanned before are shown by one ``git log -p -U0`` (no context lines, no
rename detection, no diff of merges), and the lines each one added to each file are handed
to the same scan engine as the working tree. Only hits that carry a secret are kept (an
open endpoint is about the code as it is now, not its past).

git runs with the options that keep a scanned repository's own configuration from running
anything (``--no-ext-diff``, ``--no-textconv``, ``core.fsmonitor=false``, no signature
check) and with fixed diff prefixes, so a ``diff.noprefix`` or ``diff.mnemonicPrefix`` set
in the repository does not change what is parsed.

What each commit gave is cached by commit id (``HistoryCache``): a commit never changes, so
a rerun scans only commits that are new since the last run, and a commit that is no longer
reachable (history rewritten) is dropped from the cache. Hits hold a secret's sha256 and
masked preview only, never its value.
"""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .gitstatus import git_env
from .repocache import load_sealed, save_sealed
from .secretscan import Hit, ScanEngine

__all__ = ["HistoryHit", "HistoryScan", "HistoryCache", "scan_history", "GIT_LOG_OPTIONS"]

# Bump when what is derived per commit, or how, changes.
_FORMAT = 1
_MAGIC = b"execbrief-history-cache\0"  # the NUL makes a scan of the cache folder skip it as binary

# `git log` options: what is shown, and what a repository's config may not change or run.
GIT_LOG_OPTIONS = (
    "--no-walk=unsorted", "--stdin",  # exactly the commits given, in the order given
    "-p", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--diff-merges=off",
    "--diff-filter=d", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative", "--no-show-signature",
    "--no-abbrev", "--format=%x00%H %ct",
)
_GIT_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.quotepath=off", "-c", "log.showSignature=false")
_CHUNK = 1 << 20

_ADDED = re.compile(rb"^\+(.*)$", re.M)
_HUNK_OR_ADDED = re.compile(rb"^(?:@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@.*|\+(.*))$", re.M)
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}

HitTuple = tuple[str, str, int, Any, Any, Any, Any]  # (path, rule, line, preview, sha256, variable, detail)


class HistoryError(Exception):
    """git could not list or show a repository's commits; the message says why and what to do."""


@dataclass(frozen=True)
class HistoryHit:
    """A secret one commit added to one file: the commit, its time (unix seconds) and the hit."""

    commit: str
    committed_at: int
    path: str
    hit: Hit


@dataclass
class HistoryScan:
    """What the history of one repository holds, and what the scan of it cost."""

    hits: list[HistoryHit] = field(default_factory=list)
    commits: int = 0  # reachable commits
    scanned: int = 0  # commits scanned by this run (the rest came from the cache)
    skipped: int = 0  # commits left unscanned (over the limit)
    oversize: int = 0  # files whose added lines were over the size limit in some commit
    failed: int = 0  # files the scan engine failed on
    cache_error: str | None = None


class HistoryCache:
    """What the scan found in each commit of one repository, by commit id."""

    def __init__(self, path: Path, key: tuple[Any, ...]) -> None:
        self.path = path
        self.key = (_FORMAT, *key)
        self.commits: dict[str, tuple[int, tuple[HitTuple, ...]]] = {}
        self._load()

    def _load(self) -> None:
        loaded = load_sealed(self.path, _MAGIC)  # None: no cache, or a damaged one: scan every commit
        if loaded is not None and isinstance(loaded[0], tuple) and len(loaded[0]) == 2:
            key, commits = loaded[0]
            if key == self.key and isinstance(commits, dict):
                self.commits = commits

    def save(self, commits: dict[str, tuple[int, tuple[HitTuple, ...]]]) -> str | None:
        """Write ``commits`` as the cache; the reason when writing failed."""
        error = save_sealed(self.path, _MAGIC, (self.key, commits))
        if error is None:
            self.commits = commits
        return error


def _git(root: Path, *args: str) -> list[str]:
    return ["git", *_GIT_CONFIG, "-C", str(root), *args]


def _failure(what: str, stderr: bytes, code: int) -> HistoryError:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    detail = lines[0] if lines else f"exit code {code}"
    hint = ""
    if "dubious ownership" in detail:
        hint = " (the folder belongs to another user: run as its owner, or add it to git's safe.directory)"
    return HistoryError(f"`git {what}` failed: {detail}{hint}")


def list_commits(root: Path, timeout: float) -> list[str]:
    """Every commit reachable from a ref, newest first (none for a repository without commits)."""
    try:
        done = subprocess.run(_git(root, "rev-list", "--all"), capture_output=True, env=git_env(),
                              timeout=timeout, check=False)
    except FileNotFoundError:
        raise HistoryError("git is not installed: install git to scan the repository's history") from None
    except subprocess.TimeoutExpired:
        raise HistoryError(f"`git rev-list` took over {timeout:g} s") from None
    if done.returncode != 0:
        if b"bad revision" in done.stderr or b"unknown revision" in done.stderr:
            return []
        raise _failure("rev-list", done.stderr, done.returncode)
    return done.stdout.decode("ascii", "replace").split()


def _commit_chunks(root: Path, commits: list[str], timeout: float) -> Iterator[bytes]:
    """``git log -p`` of ``commits``, one commit at a time (header line, then its diff)."""
    try:
        proc = subprocess.Popen(
            _git(root, "log", *GIT_LOG_OPTIONS), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=git_env(),
        )
    except FileNotFoundError:
        raise HistoryError("git is not installed: install git to scan the repository's history") from None
    # the commit list goes in from a thread of its own: git may fill its output pipe first
    def feed() -> None:
        try:
            proc.stdin.write(("\n".join(commits) + "\n").encode("ascii"))  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass  # git stopped early: its exit code says why

    errors: list[bytes] = []
    feeder = threading.Thread(target=feed, daemon=True)
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    feeder.start()
    drain.start()
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        proc.kill()

    killer = threading.Timer(timeout, kill)
    killer.start()
    try:
        pending = b""
        out = proc.stdout
        assert out is not None
        while chunk := out.read(_CHUNK):
            pending += chunk
            # a commit starts with a NUL at the start of a line: diff lines start with
            # a prefix character, so "\n\0" is never inside one
            parts = pending.split(b"\n\0")
            pending = parts.pop()
            for part in parts:
                if part:
                    yield part
        if pending:
            yield pending
        code = proc.wait()
    finally:
        killer.cancel()
        killer.join()  # no thread of ours outlives the scan (forking is safe only without any)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        feeder.join()
        drain.join()
    if timed_out.is_set():
        raise HistoryError(f"`git log` took over {timeout:g} s")
    if code != 0:
        raise _failure("log", b"".join(errors), code)


def _unquote(raw: bytes) -> bytes:
    """A path as git prints it: C-quoted (``"b/a\\tb"``) when it holds unusual bytes."""
    if not raw.startswith(b'"') or not raw.endswith(b'"') or len(raw) < 2:
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i:i + 1]
        if ch == b"\\" and i + 1 < len(body):
            nxt = body[i + 1:i + 2]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if body[i + 1:i + 4].isdigit():  # octal: a byte of a non-ASCII name
                out.append(int(body[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
        out += ch
        i += 1
    return bytes(out)


def _path(line: bytes) -> str | None:
    """The repo-relative path of a ``+++ b/path`` line; None for ``/dev/null``."""
    raw = line[4:]
    if raw.endswith(b"\t"):  # git ends the name with a tab when it holds a space
        raw = raw[:-1]
    raw = _unquote(raw)
    if not raw.startswith(b"b/"):
        return None
    return raw[2:].decode("utf-8", "surrogateescape")


def _added_line_numbers(section: bytes) -> list[int]:
    """The new-file line number of each added line of one file's hunks, in order."""
    numbers: list[int] = []
    nxt = 0
    for m in _HUNK_OR_ADDED.finditer(section):
        if m.group(1) is not None:
            nxt = int(m.group(1))
        else:
            numbers.append(nxt)
            nxt += 1
    return numbers


def _scan_commit(chunk: bytes, engine: ScanEngine, wanted: Callable[[str], bool],
                 limit: int, scan: HistoryScan) -> tuple[str, int, tuple[HitTuple, ...]]:
    header, _, body = chunk.lstrip(b"\0").partition(b"\n")
    commit, _, when = header.decode("ascii", "replace").partition(" ")
    committed_at = int(when) if when.strip().isdigit() else 0
    found: list[HitTuple] = []
    # a file's diff starts with "diff --git" at the start of a line; lines of content
    # start with a prefix character, so the split never cuts inside one
    for section in (b"\n" + body).split(b"\ndiff --git ")[1:]:
        plus = section.find(b"\n+++ ")
        if plus < 0:
            continue  # binary, mode-only or empty file: no added lines
        end = section.find(b"\n", plus + 1)
        path = _path(section[plus + 1: end if end >= 0 else len(section)])
        if path is None or not wanted(path) or end < 0:
            continue
        hunks = section[end + 1:]
        lines = _ADDED.findall(hunks)
        if not lines:
            continue
        data = b"\n".join(lines) + b"\n"
        if len(data) > limit:
            scan.oversize += 1
            continue
        try:
            hits = [h for h in engine.scan(path, data) if h.secret_sha256]
        except Exception:  # a bug in one engine rule must not cost the other files
            scan.failed += 1
            continue
        if not hits:
            continue
        numbers = _added_line_numbers(hunks)
        for h in hits:
            line = numbers[h.line - 1] if 0 < h.line <= len(numbers) else h.line
            found.append((path, h.rule, line, h.preview, h.secret_sha256, h.variable, h.detail))
    return commit, committed_at, tuple(found)


def scan_history(
    root: Path, engine: ScanEngine, cache: HistoryCache, *, wanted: Callable[[str], bool],
    limit: int, max_commits: int, timeout: float = 600.0,
) -> HistoryScan:
    """The secrets the commits of ``root`` added, scanning only commits the cache lacks.

    ``wanted`` says whether a path is scanned at all (vendored folders, binaries are not);
    ``limit`` is the most bytes of added lines scanned per file and commit; at most
    ``max_commits`` commits not yet cached are scanned, newest first.
    """
    scan = HistoryScan()
    commits = list_commits(root, timeout)
    scan.commits = len(commits)
    known = cache.commits
    todo = [c for c in commits if c not in known]
    if len(todo) > max_commits:
        scan.skipped = len(todo) - max_commits
        todo = todo[:max_commits]
    fresh: dict[str, tuple[int, tuple[HitTuple, ...]]] = {}
    if todo:
        for chunk in _commit_chunks(root, todo, timeout):
            commit, committed_at, found = _scan_commit(chunk, engine, wanted, limit, scan)
            fresh[commit] = (committed_at, found)
        for commit in todo:  # git leaves out a commit that adds nothing (a deletion, a merge)
            fresh.setdefault(commit, (0, ()))
        scan.scanned = len(todo)
    reachable = {c: known[c] for c in commits if c in known}
    reachable.update(fresh)
    if fresh or len(reachable) != len(known):
        scan.cache_error = cache.save(reachable)
    for commit in commits:  # newest first
        entry = reachable.get(commit)
        if entry is None:
            continue
        committed_at, found = entry
        for path, rule, line, preview, sha, variable, detail in found:
            scan.hits.append(HistoryHit(commit, committed_at, path,
                                        Hit(rule, line, preview, sha, variable, detail)))
    return scan

