"""Helpers for the repository scanner tests: fake keys made at run time, and real git repos.

No key literal sits in the test sources: every fake key is built here by concatenating a
public prefix with random characters, so secret scanners do not flag this repository.
"""

from __future__ import annotations

import random
import string
import subprocess
from pathlib import Path

_BASE62 = string.ascii_letters + string.digits
_BASE64 = _BASE62 + "+/"
_BASE32 = string.ascii_uppercase + "234567"


def token(length: int, alphabet: str = _BASE62, seed: object = None) -> str:
    """Random characters; the same seed gives the same token."""
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    chars = [rng.choice(alphabet) for _ in range(length)]
    if alphabet in (_BASE62, _BASE64) and length >= 8:
        # real keys mix cases and digits; a rare all-letter draw would read as a word, not a key
        chars[rng.randrange(2, length)] = rng.choice(string.digits)
        chars[0], chars[1] = rng.choice(string.ascii_lowercase), rng.choice(string.ascii_uppercase)
    return "".join(chars)


def stripe_key(mode: str = "live", kind: str = "sk") -> str:
    """A format-valid fake Stripe key: ``sk_live_`` + 32 characters."""
    return kind + "_" + mode + "_" + token(32)


def aws_key_id() -> str:
    """A format-valid fake AWS access key id (AKIA + 16 base32 characters)."""
    return "AK" + "IA" + token(16, _BASE32)


def aws_secret() -> str:
    """A fake 40-character AWS secret access key."""
    return token(40, _BASE64)


def private_key(label: str = "RSA ") -> tuple[str, str]:
    """A fake PEM private key block, and its body (the part that is secret)."""
    body = "\n".join(token(64, _BASE64) for _ in range(6))
    dashes = "-" * 5
    block = f"{dashes}BEGIN {label}PRIVATE KEY{dashes}\n{body}\n{dashes}END {label}PRIVATE KEY{dashes}\n"
    return block, body


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a throwaway identity; return its output."""
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
         "-c", "commit.gpgsign=false", *args],
        cwd=root, check=True, capture_output=True, text=True,
    )
    return done.stdout


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write ``files`` (relative path → content) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def git_repo(root: Path, committed: dict[str, str | bytes], loose: dict[str, str | bytes] | None = None) -> Path:
    """A real git repository: ``committed`` files in one commit, ``loose`` ones written after."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    write_files(root, committed)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    write_files(root, loose or {})
    return root


def enable_repos(workspace, paths: str = '["repos/*"]', extra: str = "") -> None:
    """Add a ``[sources.repos]`` section to a test workspace's execbrief.toml."""
    config = workspace.root / "execbrief.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\n[sources.repos]\npaths = {paths}\n{extra}", encoding="utf-8"
    )
