"""What the secret scanner found in each file of one repository, kept for the next run.

``<workspace>/.execbrief/cache/repos/<hash of the repository's path>.bin`` holds, per
repo-relative path, the file's (size, mtime in ns, inode) when it was read, the sha256 of
its bytes (None for a file found to be binary) and its scan hits: rule, line, masked
preview, sha256 of the secret, variable name and detail, which is all a ``Hit`` carries. A
secret's value is never in a hit, so it is never in the cache.

A file whose size, mtime and inode all match its entry is not opened again: its hits and
hash are taken from the entry (the way git's index and the notes cache work). A file
modified less than ``RACY_NS`` before the cache was written is read again all the same,
since file times are coarse and it may have changed since without its mtime showing it.
The trade-off, as for notes: a file rewritten in place with the same size whose mtime is
then set back (``touch -d``, ``os.utime``) keeps its old result until it changes again;
delete ``.execbrief/cache/repos/`` to force a full scan.

One file per repository, written whole and atomically with ``marshal`` (fast to load and,
unlike pickle, unable to run code). It starts with a key naming the cache format and the
scan engine's rules; a file with another key, a bad checksum or a body that does not load
is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import threading
from pathlib import Path
from typing import Any

from .cache import RACY_NS

__all__ = ["RepoCache", "cache_folder", "load_sealed", "save_sealed"]

# The NUL byte makes a scan of the cache folder itself treat the file as binary.
_MAGIC = b"execbrief-repos-cache\0"
_DIGEST = 32

Entry = tuple[Any, ...]  # (size, mtime_ns, inode, sha256 bytes | None, hits as tuples)


def load_sealed(path: Path, magic: bytes) -> tuple[Any, int] | None:
    """(the value, the file's mtime in ns) of a file ``save_sealed`` wrote; None when it is
    missing, damaged, truncated or of another kind."""
    try:
        with open(path, "rb") as handle:
            mtime_ns = os.fstat(handle.fileno()).st_mtime_ns
            raw = handle.read()
    except OSError:
        return None
    head = len(magic)
    body = raw[head + _DIGEST:]
    if raw[:head] != magic or hashlib.sha256(body).digest() != raw[head:head + _DIGEST]:
        return None
    try:
        return marshal.loads(body), mtime_ns
    except (EOFError, ValueError, TypeError):
        return None


def save_sealed(path: Path, magic: bytes, value: Any) -> str | None:
    """Write ``value`` whole and atomically, marshalled after ``magic`` and its checksum;
    the reason when writing failed."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        body = marshal.dumps(value)  # ValueError: a value of a type marshal cannot write
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(magic + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)
    except (OSError, ValueError) as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        return getattr(exc, "strerror", None) or type(exc).__name__
    return None


def cache_folder(workspace: Path) -> Path:
    """Where the repositories source keeps its per-repository cache files."""
    return Path(workspace) / ".execbrief" / "cache" / "repos"


class RepoCache:
    """The cached scan results of one repository's files, by repo-relative path."""

    def __init__(self, folder: Path, repo_root: Path, key: tuple[Any, ...]) -> None:
        name = hashlib.sha256(os.fsencode(str(repo_root))).hexdigest()[:32]
        self.path = folder / f"{name}.bin"
        self.key = key
        self.old: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.changed = False  # a file was scanned again (or is new): the cache must be written
        self._trusted_before = 0  # mtimes (ns) older than this may be trusted
        self._load()

    def _load(self) -> None:
        loaded = load_sealed(self.path, _MAGIC)
        if loaded is None:
            return  # no cache yet, or damaged or truncated: every file is read, and it is rebuilt
        (key, files), mtime_ns = loaded
        if key == self.key and isinstance(files, dict):
            self.old = files
            self._trusted_before = mtime_ns - RACY_NS

    def lookup(self, rel: str, entry: os.DirEntry[str]) -> Entry | None:
        """The entry of ``rel`` if the file's size, mtime and inode are unchanged; else None."""
        cached = self.old.get(rel)
        if cached is None:
            return None
        stat = entry.stat(follow_symlinks=False)
        mtime_ns = stat.st_mtime_ns
        if cached[1] == mtime_ns and cached[0] == stat.st_size and cached[2] == stat.st_ino \
                and mtime_ns < self._trusted_before:
            self.new[rel] = cached
            return cached
        return None

    def put(self, rel: str, stat: os.stat_result, sha: bytes | None, hits: tuple[tuple[Any, ...], ...]) -> None:
        """Record what one freshly read file gave, for the next run."""
        self.changed = True
        self.new[rel] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, sha, hits)

    def save(self) -> str | None:
        """Write this run's entries if anything changed; the reason when writing failed."""
        # every entry of `new` that was not read again came from `old` unchanged, so with no
        # reads and no files gone the file on disk is already right
        if not self.changed and self.new.keys() == self.old.keys():
            return None
        return save_sealed(self.path, _MAGIC, (self.key, self.new))  # (an engine's hit of an odd type: ValueError)
