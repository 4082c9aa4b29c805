"""Whether a file in a repository is tracked, untracked or ignored.

In a git work tree this is one ``git ls-files`` call per repository, never one per file.
In a folder that is not a git repository, the ``.gitignore`` files found in it are
evaluated with ``pathspec`` (git's own rules: nested files, negation, directory patterns).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Collection, Mapping
from pathlib import Path

import pathspec

__all__ = ["GitStatusError", "git_env", "TRACKED", "UNTRACKED", "IGNORED", "NOT_IGNORED", "is_git_repo",
           "git_status", "compile_gitignores", "gitignore_status"]

TRACKED = "tracked"          # committed (in the index)
UNTRACKED = "untracked"      # in a git work tree, not committed, not ignored: `git add -A` takes it
IGNORED = "ignored"          # excluded by .gitignore (or git's other exclude files)
NOT_IGNORED = "not_ignored"  # not a git repository, and no .gitignore excludes it

# The variables that would point git at another repository than the one we ask about.
_GIT_ENV_DROP = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


def git_env() -> dict[str, str]:
    """The environment git runs in: this process's, without what would redirect it elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROP}
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


class GitStatusError(Exception):
    """git could not report on a repository; the message says why and what to do."""


def is_git_repo(root: Path) -> bool:
    """Whether ``root`` is itself the top of a git work tree (``.git`` folder or file)."""
    return (root / ".git").exists()


def git_status(root: Path, files: Collection[str], timeout: float = 120.0) -> dict[str, str]:
    """TRACKED, UNTRACKED or IGNORED for each repo-relative ``/`` path in ``files``."""
    env = git_env()
    # core.fsmonitor in a scanned repo's own config could run a command: turn it off.
    # safe.directory is left alone, so git still refuses repositories owned by others.
    command = ["git", "-c", "core.fsmonitor=false", "-C", str(root),
               "ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard"]
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=timeout, check=False)
    except FileNotFoundError:
        raise GitStatusError("git is not installed: install git for exact tracked/ignored status") from None
    except subprocess.TimeoutExpired:
        raise GitStatusError(f"`git ls-files` took over {timeout:g} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[0] if reason else f"exit code {done.returncode}"
        hint = ""
        if "dubious ownership" in detail:
            hint = " (the folder belongs to another user: run as its owner, or add it to git's safe.directory)"
        raise GitStatusError(f"`git ls-files` failed: {detail}{hint}")
    tracked: set[str] = set()
    untracked: set[str] = set()
    untracked_dirs: list[str] = []  # a nested repository is listed as one "dir/" entry
    for entry in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if len(entry) < 3:
            continue
        tag, path = entry[0], entry[2:]
        if tag != "?":
            tracked.add(path)
        elif path.endswith("/"):
            untracked_dirs.append(path)
        else:
            untracked.add(path)
    out = {}
    for path in files:
        if path in tracked:
            out[path] = TRACKED
        elif path in untracked or any(path.startswith(d) for d in untracked_dirs):
            out[path] = UNTRACKED
        else:
            out[path] = IGNORED  # listed neither as cached nor as an unignored other
    return out


def compile_gitignores(contents: Mapping[str, bytes]) -> dict[str, pathspec.GitIgnoreSpec]:
    """``.gitignore`` texts by the repo-relative folder holding them → compiled specs."""
    specs = {}
    for folder, data in contents.items():
        lines = data.decode("utf-8", "replace").splitlines()
        specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
    return specs


def gitignore_status(files: Collection[str], specs: Mapping[str, pathspec.GitIgnoreSpec]) -> dict[str, str]:
    """IGNORED or NOT_IGNORED per file, by the ``.gitignore`` files of its folder and above."""
    out = {}
    for path in files:
        parts = path.split("/")
        ignored = False
        # deeper .gitignore files override shallower ones, as in git
        for depth in range(len(parts)):
            spec = specs.get("/".join(parts[:depth]))
            if spec is None:
                continue
            verdict = spec.check_file("/".join(parts[depth:])).include
            if verdict is not None:
                ignored = verdict
        out[path] = IGNORED if ignored else NOT_IGNORED
    return out
