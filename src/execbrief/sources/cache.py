"""A per-file cache of parse results, keyed by the file's content hash.

``<workspace>/.execbrief/cache/<source>/<sha[:2]>/<sha>.json`` holds what parsing one
file's bytes produced, so a file whose bytes have not changed is not parsed again. Entries
carry a format version; an entry of another version, or one that does not load, is a miss.
The cache holds parse results only: a source must not store a file whose content looks
like a credential (see ``NotesSource``), and nothing here is ever a secret's value.

An entry no path refers to any more (the note was edited or removed) is deleted when the
index is written. A small index maps each path to (size, mtime in ns, sha256, and optionally a source's
JSON summary of the file), so an unchanged file need not even be read to learn its hash (the way git's index works). A file whose size or mtime
changed is read and hashed again, and so is one modified less than ``RACY_NS`` before the
index was written: file times are coarse, and such a file may have changed again since
without its mtime showing it (git calls this "racily clean").
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["FileCache", "RACY_NS"]

RACY_NS = 2_000_000_000


class FileCache:
    """Parse results of one source, by content hash, under the workspace's cache folder."""

    def __init__(self, workspace: Path, source: str, version: int) -> None:
        self.root = Path(workspace) / ".execbrief" / "cache" / source
        self.version = version
        self.hits = self.misses = 0
        self.error: str | None = None  # why writing failed, once; the run goes on uncached
        self._index: dict[str, list[Any]] = {}
        self._seen: dict[str, list[Any]] = {}  # this run's index: files gone since are dropped
        self._trusted_before = 0  # mtimes (ns) older than this may be trusted from the index
        self._dirs: set[Path] = set()
        try:
            index = self.root / "index.json"
            self._trusted_before = index.stat().st_mtime_ns - RACY_NS
            data = json.loads(index.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == version:
                self._index = data.get("files") or {}
        except (OSError, ValueError):
            pass  # no index yet, or a damaged one: every file is hashed

    @classmethod
    def at(cls, root: Path, version: int) -> "FileCache":
        """Entries only, without the path index: for a worker process that parses notes."""
        cache = cls.__new__(cls)
        cache.root, cache.version = root, version
        cache.hits = cache.misses = 0
        cache.error = None
        cache._index, cache._seen, cache._trusted_before = {}, {}, 0
        cache._dirs = set()
        return cache

    def _path(self, sha: str) -> Path:
        digest = sha.removeprefix("sha256:")
        return self.root / digest[:2] / f"{digest}.json"

    def known_hash(self, rel: str, size: int, mtime_ns: int) -> str | None:
        """The content hash recorded for ``rel`` if its size and mtime are unchanged."""
        return self.known(rel, size, mtime_ns)[0]

    def known(self, rel: str, size: int, mtime_ns: int) -> tuple[str | None, Any]:
        """(content hash, summary) recorded for ``rel`` if its size and mtime are unchanged."""
        entry = self._index.get(rel)
        if entry and entry[0] == size and entry[1] == mtime_ns and mtime_ns < self._trusted_before:
            return entry[2], (entry[3] if len(entry) > 3 else None)
        return None, None

    def remember(self, rel: str, size: int, mtime_ns: int, sha: str, summary: Any = None) -> None:
        """Record a file's size, mtime and content hash (and the source's summary of it) for the next run."""
        self._seen[rel] = [size, mtime_ns, sha] if summary is None else [size, mtime_ns, sha, summary]

    def get(self, sha: str) -> Any | None:
        """The cached parse result for content ``sha``, or None."""
        try:
            with open(self._path(sha), "rb") as handle:
                entry = json.loads(handle.read())
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(entry, dict) or entry.get("v") != self.version:
            self.misses += 1
            return None
        self.hits += 1
        return entry.get("data")

    def put(self, sha: str, data: Any) -> None:
        """Store the parse result for content ``sha`` (atomically; failures only disable caching)."""
        if self.error is not None:
            return
        path = self._path(sha)
        try:
            if path.parent not in self._dirs:  # one mkdir per folder, not per entry
                path.parent.mkdir(parents=True, exist_ok=True)
                self._dirs.add(path.parent)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"v": self.version, "data": data}, separators=(",", ":")),
                           encoding="utf-8")
            os.replace(tmp, path)
        except (OSError, TypeError, ValueError) as exc:
            self.error = getattr(exc, "strerror", None) or str(exc)

    def save_index(self) -> list[tuple[str, str]]:
        """Write the path index if it changed, and delete the entries of content no path has
        any more (a note edited or removed). Returns the (path, content hash) pairs the last
        index held and this one does not, for a source that keys entries its own way."""
        if self._seen == self._index or self.error is not None:
            return []
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = self.root / f"index.{os.getpid()}.tmp"
            tmp.write_text(json.dumps({"version": self.version, "files": self._seen}, separators=(",", ":")),
                           encoding="utf-8")
            os.replace(tmp, self.root / "index.json")
        except OSError as exc:
            self.error = exc.strerror or str(exc)
            return []
        dropped = [(rel, entry[2]) for rel, entry in self._index.items()
                   if rel not in self._seen or self._seen[rel][2] != entry[2]]
        self._index = dict(self._seen)
        kept = {entry[2] for entry in self._seen.values()}
        for sha in {sha for _, sha in dropped} - kept:
            try:
                self._path(sha).unlink(missing_ok=True)
            except OSError:
                pass  # (a stale entry left behind costs disk, not correctness)
        return dropped
