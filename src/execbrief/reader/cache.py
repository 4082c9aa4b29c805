"""The reader's labels, kept per note so an unchanged note is never read twice.

One SQLite file, ``<workspace>/.execbrief/cache/reader/labels.sqlite``: a note's labels
(by item fingerprint) under a key made of everything they depend on (see ``label_key``).
Labels hold only ids and enumerated values, never the note's text. A cache that cannot be
opened or written is no cache: every run reads its new notes again, and says so.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import StageError
from ..model import content_hash
from ..sources.notes import CACHE_VERSION, SUMMARY_VERSION

__all__ = ["LabelCache", "label_context", "label_key", "load", "CACHE_FILE", "READER_VERSION"]

CACHE_FILE = Path(".execbrief") / "cache" / "reader" / "labels.sqlite"
READER_VERSION = 1  # bump when the prompt or what a label holds changes


def label_context(vocabulary_digest: str, entities: Iterable[Any], provider: str, model: str) -> str:
    """What every note's labels depend on besides the note: the vocabulary's digest, the
    businesses (ids, names, kinds, aliases), the provider and model, and the versions of
    the reader and of the notes parser (which decides what the items are)."""
    material = [READER_VERSION, CACHE_VERSION, SUMMARY_VERSION, vocabulary_digest,
                [[e.id, e.name, e.kind, list(e.aliases)] for e in entities], provider, model]
    return content_hash(json.dumps(material, sort_keys=True))


def label_key(context: str, note_sha: str, path: str) -> str:
    """The key of a note's labels: ``label_context``, the note's content hash and its path."""
    return content_hash(f"{context}\x1f{note_sha}\x1f{path}")


class LabelCache:
    """Labels by note key; ``enabled=False`` (``[reader] cache = false``) keeps nothing.

    A rerun needs of each note only its labels' digest and the businesses they name (what
    its part's key and groups are made of): the labels themselves are loaded (``load``)
    only for a note whose evidence the run builds.
    """

    def __init__(self, workspace: Path, enabled: bool = True) -> None:
        self.path = workspace / CACHE_FILE
        self.error: str | None = None
        self.db: sqlite3.Connection | None = None
        if not enabled:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.execute("CREATE TABLE IF NOT EXISTS note_labels (key TEXT PRIMARY KEY, digest TEXT NOT NULL,"
                            " entities_json TEXT NOT NULL, labels_json TEXT NOT NULL)")
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)

    def _fail(self, exc: Exception) -> None:
        self.error = self.error or str(exc)
        if self.db is not None:
            self.db.close()
        self.db = None

    def get_many(self, keys: Iterable[str]) -> dict[str, tuple[str, tuple[str | None, ...]]]:
        """(labels digest, businesses they name) of the kept labels of these keys."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, tuple[str, tuple[str | None, ...]]] = {}
        if self.db is None or not wanted:
            return out
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows = self.db.execute("SELECT key, digest, entities_json FROM note_labels WHERE key IN "
                                       f"({','.join('?' * len(chunk))})", chunk)
                for key, digest, entities in rows:
                    try:
                        out[key] = (digest, tuple(json.loads(entities)))
                    except (ValueError, TypeError):  # a damaged entry: a miss
                        continue
        except sqlite3.Error as exc:
            self._fail(exc)
        return out

    def put(self, key: str, digest: str, entities: Iterable[str | None], labels: Mapping[str, Mapping[str, Any]]) -> None:
        """Keep a note's labels (none too: the note was read, and nothing it said was usable)."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO note_labels VALUES (?, ?, ?, ?)", (
                    key, digest, json.dumps(sorted(set(entities), key=lambda e: e or "")),
                    json.dumps(labels, sort_keys=True)))
        except sqlite3.Error as exc:
            self._fail(exc)

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the labels of notes that changed or went (every key but these)."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM live")
                self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", [(k,) for k in keys])
                self.db.execute("DELETE FROM note_labels WHERE key NOT IN (SELECT key FROM live)")
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        """Close the file."""
        if self.db is not None:
            self.db.close()
            self.db = None


def load(path: Path, key: str, digest: str) -> dict[str, dict[str, Any]]:
    """A note's kept labels, as ``get_many`` described them (in whatever process builds it)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT labels_json FROM note_labels WHERE key = ? AND digest = ?", (key, digest)).fetchone()
        finally:
            db.close()
        labels = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError) as exc:
        raise StageError(f"{path} could not be read ({exc}): run again") from None
    if not isinstance(labels, dict):
        raise StageError(f"{path} lost a note's labels while the run read it (deleted?): run again")
    return labels
