"""Checked-out code repositories → ``scan_hit`` evidence: committed secrets and open endpoints.

Each folder named (or matched by a glob) in ``[sources.repos] paths`` is one repository.
Its files are walked once, vendored folders and binary files skipped, and each file is
read once and handed to the scan engine (``secretscan``). Whether a file with a hit is
tracked, untracked or ignored comes from one ``git ls-files`` call per repository, or,
for a folder that is not a git repository, from its ``.gitignore`` files.

What the scan found in each file is cached per repository (``repocache``): a file whose
size, mtime and inode are unchanged since the last run is not opened again, so a rerun on
an unchanged tree costs little more than the walk itself.

For a git repository, the lines every commit added are scanned too (``githistory``, once
per commit, cached by commit id), beside the walk. A secret the history holds but the
working tree no longer does becomes evidence of its own, with the commit and path that
added it; a secret in the working tree says whether it was ever committed, so a finding
advises purging the history only where the history holds it.

A secret's value never leaves the engine: evidence holds its sha256 and a masked preview.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..entities import EntityResolver
from ..errors import ConfigError
from ..model import DataWarning, Evidence, Provenance, stable_id
from . import InputFile, SourceResult
from .githistory import HistoryCache, HistoryError, HistoryHit, HistoryScan, scan_history
from .gitstatus import GitStatusError, compile_gitignores, git_status, gitignore_status, is_git_repo
from .repocache import RepoCache, cache_folder
from .secretscan import Hit, ScanEngine, engine_names, make_engine

__all__ = ["ReposSource", "register", "SKIP_DIRS", "RULE_TITLES"]

# Folders of third-party or generated code: their secrets are not ours to fix, and
# node_modules alone can hold more files than the rest of a repository.
SKIP_DIRS = frozenset((
    ".git", "node_modules", "vendor", ".venv", "venv", "dist", "build", "third_party",
    "bower_components", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache", ".next",
))
# Binary by name: skipped without reading. Anything else with a NUL byte near its start
# is skipped after reading.
BINARY_SUFFIXES = frozenset((
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".psd", ".ai",
    ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".war", ".whl",
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".mov", ".avi", ".webm", ".wav",
    ".so", ".dll", ".dylib", ".exe", ".bin", ".o", ".a", ".class", ".pyc", ".sqlite", ".db",
))
_BINARY_SNIFF = 8192
_WORKERS = 4  # file reads release the GIL: a few threads keep a cold disk busy
_GIT_WORKERS = 2  # `git ls-files` runs: mostly waiting on the child process
# Bump when what this module derives per file, or how, changes: cached results of another
# format are ignored. The engine's rules are covered by the key (see _cache_key).
_CACHE_FORMAT = 1

RULE_TITLES = {
    "stripe_live_secret": "Stripe live secret key",
    "stripe_live_restricted": "Stripe live restricted key",
    "stripe_test_key": "Stripe test key",
    "aws_access_key_pair": "AWS access key id with its secret key",
    "aws_access_key_id": "AWS access key id",
    "aws_secret_key": "AWS secret access key",
    "private_key": "private key",
    "high_entropy_assignment": "high-entropy secret",
    "env_credential": "plaintext credential in an env file",
    "apps_script_no_auth": "Apps Script web endpoint without a token check",
}


def register(registry: Any) -> None:
    """Register the repositories source under the name ``repos``."""
    registry.add_source("repos", ReposSource)


@dataclass
class _Repo:
    """What one repository's walk gathered."""

    root: Path
    rel: str
    cache: RepoCache  # what the last run found in each file
    hits: list[tuple[str, Hit]] = field(default_factory=list)
    files: dict[str, tuple[str, float]] = field(default_factory=dict)  # rel → (sha256, mtime)
    gitignores: dict[str, bytes] = field(default_factory=dict)  # folder → .gitignore bytes
    oversize: list[str] = field(default_factory=list)
    digests: list[tuple[str, bytes]] = field(default_factory=list)  # rel → sha256 of each scanned file
    warnings: list[DataWarning] = field(default_factory=list)
    size: int = 0
    cache_error: str | None = None  # why the cache could not be written
    status: Future[tuple[dict[str, str], bool]] | None = None  # git status of the files with hits
    status_warnings: list[DataWarning] = field(default_factory=list)
    history: Future[HistoryScan | None] | None = None  # what the commits added (git repositories)
    history_error: str | None = None  # why git could not show the history


class ReposSource:
    """Scans the repositories named by ``[sources.repos] paths``."""

    name = "repos"
    separate_process = True  # its result is small: a run may read it in a process of its own

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.config = settings.sources.repos
        self.workspace = Path(settings.workspace)
        try:
            self.engine: ScanEngine = make_engine(self.config.engine)
        except KeyError:
            raise ConfigError(
                f"key 'sources.repos.engine' in {settings.config_path}: unknown scan engine "
                f"{self.config.engine!r} (known: {', '.join(engine_names())})"
            ) from None
        self._limit = int(self.config.max_file_mb * 1024 * 1024)
        self._cache_key = _cache_key(self.engine)
        self._resolver = EntityResolver(settings.entities)

    def collect(self) -> SourceResult:
        """Scan every repository; return its evidence, warnings and one input hash per repo."""
        result = SourceResult()
        folder = cache_folder(self.workspace)
        repos = [_Repo(root, self._relative(root), RepoCache(folder, root, self._cache_key))
                 for root in self._roots(result)]
        nested = {str(repo.root) for repo in repos}
        # Threads overlap the waits of a cold disk; each repository is walked by one thread
        # into its own _Repo, and results are merged in config order, so output is stable.
        # When every repository has a cache, a rerun is mostly stat calls, and threads
        # contending for the GIL on each one cost more CPU than they save: one thread walks.
        workers = min(_WORKERS, len(repos))
        if all(repo.cache.old for repo in repos):
            workers = 1
        # git runs beside the walk, in threads of its own, as each repository is done
        with ThreadPoolExecutor(_GIT_WORKERS, thread_name_prefix="execbrief-git") as git_pool:
            if self.config.history:
                for repo in repos:
                    if is_git_repo(repo.root):
                        repo.history = git_pool.submit(self._history, repo)

            def walk(repo: _Repo) -> bool:
                ok = self._walk(repo, nested)
                if ok and repo.hits:
                    repo.status = git_pool.submit(self._status, repo)
                return ok

            if workers > 1:
                with ThreadPoolExecutor(workers, thread_name_prefix="execbrief-repos") as pool:
                    readable = list(pool.map(walk, repos))
            else:
                readable = [walk(repo) for repo in repos]
        cache_errors = []
        for repo, ok in zip(repos, readable):
            result.warnings.extend(repo.warnings)
            if repo.cache_error:
                cache_errors.append(repo.cache_error)
            if not ok:
                continue
            # one input per repository (not per file): a hash over its sorted (path, file hash) pairs
            digest = hashlib.sha256()
            for rel, file_digest in sorted(repo.digests):
                digest.update(rel.encode("utf-8", "surrogateescape") + b"\0" + file_digest)
            result.inputs.append(InputFile(
                source="repos", path=repo.rel, sha256="sha256:" + digest.hexdigest(), size=repo.size,
            ))
            if repo.oversize:
                shown = ", ".join(repo.oversize[:3]) + (" …" if len(repo.oversize) > 3 else "")
                result.warnings.append(self._warn(repo.rel, None, (
                    f"{len(repo.oversize)} file(s) over the {self.config.max_file_mb:g} MB limit were not "
                    f"scanned ({shown}): raise sources.repos.max_file_mb to scan them"
                )))
            result.evidence.extend(self._evidence(repo, result))
            history_cache_error = self._history_warnings(repo, result)
            if history_cache_error:
                cache_errors.append(history_cache_error)
        live = {path.name for repo in repos for path in (repo.cache.path, _history_path(repo.cache))}
        try:  # the caches of repositories no longer configured, or gone
            for stale in [*folder.glob("*.bin"), *folder.glob("*.history")]:
                if stale.name not in live:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass  # (a stale cache left behind costs disk, not correctness)
        if cache_errors:
            result.warnings.append(self._warn(".execbrief/cache/repos", None, (
                f"cannot write the repos cache ({cache_errors[0]}): every file is read again on every "
                "run; check that the workspace's .execbrief folder is writable"
            )))
        return result

    # -- finding the repositories ------------------------------------------------------

    def _roots(self, result: SourceResult) -> list[Path]:
        roots: dict[Path, None] = {}
        for pattern in self.config.paths:
            base = self.settings.resolve(pattern)
            if any(ch in pattern for ch in "*?["):
                matches = sorted(Path(base.anchor).glob(str(base.relative_to(base.anchor))))
            else:
                matches = [base]
            # a glob like repos/* may also match loose files: only folders are repositories
            folders = [m for m in matches if m.is_dir()]
            if not folders:
                result.warnings.append(self._warn(None, None, (
                    f"repos path {pattern!r} matches no folder: fix it or remove it from sources.repos.paths"
                )))
            for folder in folders:
                roots.setdefault(folder.resolve(), None)  # the same folder by two paths is one repo
        return list(roots)

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.workspace).as_posix()
        except ValueError:
            return path.as_posix()

    def _warn(self, path: str | None, line: int | None, message: str) -> DataWarning:
        return DataWarning(source="repos", path=path, line=line, message=message)

    def _entity(self, repo_name: str) -> str | None:
        """The business a repository's folder name names (``quickroute-app``, ``elm_st_site``)."""
        return self._resolver.in_name(repo_name)

    # -- one repository ----------------------------------------------------------------

    def _walk(self, repo: _Repo, roots: set[str]) -> bool:
        """Scan every file of one repository; False when the folder itself cannot be read.

        Folders are read in the order the file system lists them, not sorted: on a cold
        cache that order follows the disk layout and reads several times faster. Results
        are sorted afterwards, so the evidence does not depend on it. A configured
        repository inside this one is left to its own walk.
        """
        seen: set[int] = set()  # inodes (in the repository's device): a hard-linked file is read once
        cache = repo.cache
        limit, digests = self._limit, repo.digests
        top = str(repo.root)
        stack = [""]
        while stack:
            folder = stack.pop()
            where = f"{top}/{folder}" if folder else top
            try:
                with os.scandir(where) as it:
                    entries = list(it)
            except OSError as exc:
                rel = f"{repo.rel}/{folder}" if folder else repo.rel
                what = "repository folder" if not folder else "folder"
                repo.warnings.append(self._warn(rel, None, (
                    f"cannot read {what} ({exc.strerror or type(exc).__name__}): check its permissions; "
                    + ("repository skipped" if not folder else "its files were not scanned")
                )))
                if not folder:
                    return False
                continue
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in SKIP_DIRS and f"{top}/{rel}" not in roots:
                            stack.append(rel)
                    elif entry.is_file(follow_symlinks=False):  # symlinks may point anywhere: skipped
                        inode = entry.inode()
                        if inode in seen:
                            continue
                        seen.add(inode)
                        # the hot path of a rerun: an unchanged file costs one stat, no open
                        cached = cache.lookup(rel, entry)
                        if cached is None or cached[0] > limit:
                            self._scan_file(repo, rel, entry)
                        elif cached[3] is not None:  # None: a binary file, skipped as before
                            repo.size += cached[0]
                            digests.append((rel, cached[3]))
                            if cached[4] or entry.name == ".gitignore":
                                self._reuse(repo, rel, entry, cached)
                except OSError as exc:
                    repo.warnings.append(self._warn(f"{repo.rel}/{rel}", None, (
                        f"cannot read file ({exc.strerror or type(exc).__name__}): check its permissions; skipped"
                    )))
        repo.hits.sort(key=lambda pair: (pair[0], pair[1].line, pair[1].rule))
        repo.oversize.sort()
        repo.warnings.sort(key=lambda w: w.path or "")
        repo.cache_error = repo.cache.save()
        return True

    def _reuse(self, repo: _Repo, rel: str, entry: os.DirEntry[str], cached: tuple[Any, ...]) -> None:
        """The rest of an unchanged file's cached result: its hits, or a .gitignore's patterns."""
        stat = entry.stat(follow_symlinks=False)  # DirEntry keeps the stat the cache look-up made
        if cached[4]:
            repo.files[rel] = ("sha256:" + cached[3].hex(), stat.st_mtime)
            repo.hits.extend((rel, Hit(*hit)) for hit in cached[4])
        if entry.name == ".gitignore":  # a folder outside git needs its patterns: read them
            fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                repo.gitignores[rel.rpartition("/")[0]] = _read(fd, stat.st_size)
            finally:
                os.close(fd)

    def _scan_file(self, repo: _Repo, rel: str, entry: os.DirEntry[str]) -> None:
        dot = entry.name.rfind(".")
        if dot > 0 and entry.name[dot:].lower() in BINARY_SUFFIXES:
            return
        cache = repo.cache
        # one open per file; its fstat gives size and mtime without a second path lookup
        fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            stat = os.fstat(fd)
            if stat.st_size > self._limit:
                repo.oversize.append(rel)
                return
            data = _read(fd, stat.st_size)
        finally:
            os.close(fd)
        # a file that changed while it was read is not cached: the next run reads it again
        cacheable = len(data) == stat.st_size
        if b"\0" in data[:_BINARY_SNIFF]:
            if cacheable:
                cache.put(rel, stat, None, ())
            return
        repo.size += len(data)
        sha = hashlib.sha256(data)
        repo.digests.append((rel, sha.digest()))
        if entry.name == ".gitignore":
            repo.gitignores[rel.rpartition("/")[0]] = data
        try:
            hits = self.engine.scan(rel, data)
        except Exception as exc:  # a bug in one engine rule must not cost the other files
            # the type only: an engine's message could quote the file, secrets included
            repo.warnings.append(self._warn(f"{repo.rel}/{rel}", None, (
                f"the {self.engine.name!r} scan engine failed on this file ({type(exc).__name__}); "
                "skipped: report it with the file's type and size"
            )))
            return
        if cacheable:
            cache.put(rel, stat, sha.digest(), tuple(
                (h.rule, h.line, h.preview, h.secret_sha256, h.variable, h.detail) for h in hits
            ))
        if hits:
            repo.files[rel] = ("sha256:" + sha.hexdigest(), stat.st_mtime)
            repo.hits.extend((rel, hit) for hit in hits)

    def _status(self, repo: _Repo) -> tuple[dict[str, str], bool]:
        """Tracked/ignored status per file with a hit, and whether the repo is a git work tree."""
        files = set(repo.files)
        if is_git_repo(repo.root):
            try:
                return git_status(repo.root, files), True
            except GitStatusError as exc:
                repo.status_warnings.append(self._warn(repo.rel, None, (
                    f"{exc}; tracked/ignored status comes from .gitignore patterns instead"
                )))
        return gitignore_status(files, compile_gitignores(repo.gitignores)), False

    def _history(self, repo: _Repo) -> HistoryScan | None:
        """The secrets the repository's commits added (None, with a warning, when git fails)."""
        try:
            return scan_history(
                repo.root, self.engine, HistoryCache(_history_path(repo.cache), self._cache_key),
                wanted=_wanted, limit=self._limit, max_commits=self.config.history_max_commits,
            )
        except HistoryError as exc:
            repo.history_error = str(exc)
            return None

    def _history_warnings(self, repo: _Repo, result: SourceResult) -> str | None:
        """Warnings about the history scan of one repository; the cache error, if any."""
        scan = repo.history.result() if repo.history is not None else None
        if repo.history_error:
            result.warnings.append(self._warn(repo.rel, None, (
                f"{repo.history_error}; its history was not scanned for secrets, only its working tree"
            )))
        if scan is None:
            return None
        if scan.skipped:
            result.warnings.append(self._warn(repo.rel, None, (
                f"{scan.skipped} of its {scan.commits} commits were not scanned for secrets yet (at most "
                f"{self.config.history_max_commits} a run, newest first; the next runs go on): raise "
                "sources.repos.history_max_commits to scan them at once"
            )))
        if scan.oversize:
            result.warnings.append(self._warn(repo.rel, None, (
                f"{scan.oversize} file change(s) in its history added over {self.config.max_file_mb:g} MB and "
                "were not scanned: raise sources.repos.max_file_mb to scan them"
            )))
        if scan.failed:
            result.warnings.append(self._warn(repo.rel, None, (
                f"the {self.engine.name!r} scan engine failed on {scan.failed} file change(s) in its history; "
                "skipped: report it with the files' types"
            )))
        return scan.cache_error

    def _evidence(self, repo: _Repo, result: SourceResult) -> list[Evidence]:
        scan = repo.history.result() if repo.history is not None else None
        if not repo.hits and not (scan and scan.hits):
            return []
        if repo.status_warnings and repo.history_error:  # one warning for one broken repository
            repo.status_warnings = [w.model_copy(update={"message": w.message + (
                "; its history was not scanned for secrets either")}) for w in repo.status_warnings]
            repo.history_error = None
        result.warnings.extend(repo.status_warnings)
        status, in_git = repo.status.result() if repo.status else ({}, False)
        name = repo.root.name
        entity = self._entity(name)
        # the oldest commit that added each secret; where history was not (fully) scanned,
        # whether a secret was ever committed is not known (None)
        first: dict[str, HistoryHit] = {}
        for hh in scan.hits if scan else ():  # newest first: the last one seen is the oldest
            first[hh.hit.secret_sha256 or ""] = hh
        complete = scan is not None and not scan.skipped
        has_git = in_git or is_git_repo(repo.root)  # (also one whose status git could not give)
        out = []
        for rel, hit in repo.hits:
            sha, mtime = repo.files[rel]
            path = f"{repo.rel}/{rel}"
            provenance = Provenance(
                source="repos", path=path, line_start=hit.line, line_end=hit.line,
                observed_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime)), sha256=sha,
            )
            title = RULE_TITLES.get(hit.rule, hit.rule.replace("_", " "))
            shown = f" {hit.preview}" if hit.preview else ""
            out.append(Evidence(
                id=stable_id("ev", "repos", path, hit.line, hit.rule, hit.secret_sha256 or hit.detail),
                source="repos", kind="scan_hit", entity=entity,
                text=f"{title}{shown} at {provenance.label()}",
                record={
                    "rule": hit.rule, "repo": name, "repo_path": repo.rel, "file": rel, "line": hit.line,
                    "preview": hit.preview, "secret_sha256": hit.secret_sha256, "variable": hit.variable,
                    "detail": hit.detail, "git_status": status.get(rel), "git_repo": in_git,
                    "engine": self.engine.name, **self._committed(hit, first, complete, has_git),
                },
                provenance=provenance,
            ))
        if scan is not None:
            out.extend(self._history_evidence(repo, scan, entity))
        return out

    @staticmethod
    def _committed(hit: Hit, first: dict[str, HistoryHit], complete: bool, in_git: bool) -> dict[str, Any]:
        """Whether a working-tree secret is in the git history too, and the commit that added it."""
        added = first.get(hit.secret_sha256 or "") if hit.secret_sha256 else None
        if added is not None:
            return {"in_history": True, "commit": added.commit, "committed_at": _iso(added.committed_at),
                    "history_file": added.path}
        # never in a repository's history: known when this is no git repository, or its
        # history was scanned in full
        known = not in_git or complete
        return {"in_history": False if known and hit.secret_sha256 else None}

    def _history_evidence(self, repo: _Repo, scan: HistoryScan, entity: str | None) -> list[Evidence]:
        """One item per secret a commit added that the working tree no longer holds."""
        present = {hit.secret_sha256 for _, hit in repo.hits if hit.secret_sha256}
        present |= {hit.detail for _, hit in repo.hits if hit.rule == "aws_access_key_pair" and hit.detail}
        name = repo.root.name
        out = []
        for hh in sorted(scan.hits, key=lambda h: (h.committed_at, h.commit, h.path, h.hit.line, h.hit.rule)):
            hit = hh.hit
            if hit.secret_sha256 in present:
                continue
            path = f"{repo.rel}/{hh.path}"
            when = _iso(hh.committed_at)
            provenance = Provenance(source="repos", path=path, line_start=hit.line, line_end=hit.line,
                                    observed_at=when)
            title = RULE_TITLES.get(hit.rule, hit.rule.replace("_", " "))
            shown = f" {hit.preview}" if hit.preview else ""
            out.append(Evidence(
                id=stable_id("ev", "repos", "history", path, hh.commit, hit.line, hit.rule, hit.secret_sha256),
                source="repos", kind="scan_hit", entity=entity,
                text=f"{title}{shown} added at {provenance.label()} in commit {hh.commit[:12]}, gone from the working tree",
                record={
                    "rule": hit.rule, "repo": name, "repo_path": repo.rel, "file": hh.path, "line": hit.line,
                    "preview": hit.preview, "secret_sha256": hit.secret_sha256, "variable": hit.variable,
                    "detail": hit.detail, "git_status": None, "git_repo": True, "engine": self.engine.name,
                    "history": True, "in_history": True, "commit": hh.commit, "committed_at": when,
                },
                provenance=provenance,
            ))
        return out


def _cache_key(engine: ScanEngine) -> tuple[object, ...]:
    """What the cached results depend on besides the files: this module's format and the engine.

    The engine's rules are named by its ``version`` attribute, if it has one, and by the
    sha256 of its module's source and of ``redaction`` (which masks previews), so editing
    a rule invalidates the cache without anyone remembering to bump a number.
    """
    sources = []
    for module in sorted({type(engine).__module__, "execbrief.redaction"}):
        path = getattr(sys.modules.get(module), "__file__", None)
        try:
            sources.append(hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None)
        except OSError:
            sources.append(None)
    return (_CACHE_FORMAT, engine.name, str(getattr(engine, "version", "")), _BINARY_SNIFF, *sources)


def _history_path(cache: RepoCache) -> Path:
    """Where the history scan of a repository keeps what each commit added."""
    return cache.path.with_suffix(".history")


def _wanted(path: str) -> bool:
    """Whether a file in a commit is scanned: not vendored, not binary by name (as in the walk)."""
    parts = path.split("/")
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return False
    name = parts[-1]
    dot = name.rfind(".")
    return not (dot > 0 and name[dot:].lower() in BINARY_SUFFIXES)


def _iso(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _read(fd: int, size: int) -> bytes:
    """A file's bytes; a raw os.read skips the buffered-file setup that dominates for small files."""
    data = os.read(fd, size + 1)
    if len(data) != size:  # a short read, or the file changed since fstat: read to the end
        parts = [data]
        while chunk := os.read(fd, 1 << 20):
            parts.append(chunk)
        data = b"".join(parts)
    return data
