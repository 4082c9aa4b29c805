"""The repositories source's per-file cache: a rerun reuses what an unchanged file gave, and nothing else."""

from __future__ import annotations

import json
import marshal
import os
import time

import pytest

from execbrief.sources import secretscan
from execbrief.sources.repocache import _MAGIC, cache_folder
from execbrief.sources.repos import ReposSource
from execbrief.sources.secretscan import Hit
from repo_helpers import aws_key_id, aws_secret, enable_repos, git_repo, private_key, stripe_key, token, write_files


def collect(workspace):
    return ReposSource(workspace.settings()).collect()


def snapshot(result) -> str:
    """Everything the source returns, as one comparable string."""
    return json.dumps({
        "evidence": [ev.model_dump(mode="json") for ev in result.evidence],
        "inputs": [vars(i) for i in result.inputs],
        "warnings": [w.model_dump(mode="json") for w in result.warnings],
    }, sort_keys=True, default=str)


def age(root, seconds: float = 60) -> None:
    """Set every file's mtime in the past, out of the racily-clean window."""
    past = time.time() - seconds
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), (past, past))


@pytest.fixture
def opened(monkeypatch):
    """Paths passed to os.open (how the source reads a file) during the test."""
    paths: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda f, *a, **k: paths.append(str(f)) or real_open(f, *a, **k))
    return paths


@pytest.fixture
def ws(workspace):
    enable_repos(workspace)
    return workspace


def _files(files: int = 6) -> dict[str, str]:
    out = {f"src/mod{i}.js": f"export const n{i} = {i};\n" for i in range(files)}
    out["src/config.js"] = f"const stripe = '{stripe_key()}';\n"
    out[".env"] = f"API_KEY={token(24)}\nDATABASE_URL=postgres://app:{token(20)}@db:5432/app\n"
    out["logo.bin.txt"] = "\0binary\0"
    return out


def test_warm_scan_equals_cold_scan_and_opens_no_unchanged_file(ws, opened):
    git_repo(ws.root / "repos" / "shop", _files(), loose={"notes.txt": "todo\n"})
    write_files(ws.root / "repos" / "plain", {".gitignore": ".env\n", ".env": f"SECRET={token(30)}\n",
                                              "a.py": "x = 1\n"})
    age(ws.root / "repos")
    cold = collect(ws)
    assert len(cold.evidence) == 4 and len(cold.inputs) == 2
    opened.clear()
    warm = collect(ws)
    assert snapshot(warm) == snapshot(cold)
    # only a .gitignore is read again (its patterns decide the status outside git); no file is scanned
    assert [os.path.basename(p) for p in opened if "/repos/" in p] == [".gitignore"]


def test_changed_file_is_rescanned_new_secret_found_and_removed_secret_gone(ws, opened):
    repo = git_repo(ws.root / "repos" / "shop", _files())
    age(repo)
    first = collect(ws)
    old_key = next(ev for ev in first.evidence if ev.record["rule"] == "stripe_live_secret")
    new_key = stripe_key()
    (repo / "src" / "config.js").write_text(f"// rotated\nconst stripe = '{new_key}';\n")
    (repo / "src" / "mod1.js").write_text(f"const other = '{stripe_key()}';\n")
    second = collect(ws)
    found = {(ev.record["file"], ev.record["line"], ev.record["preview"])
             for ev in second.evidence if ev.record["rule"] == "stripe_live_secret" and not ev.record.get("history")}
    assert ("src/config.js", 2, "sk_live_…" + new_key[-4:]) in found and len(found) == 2
    assert old_key.record["preview"] not in {p for _, _, p in found}
    # (the old key is still in the commit that added it: the history scan reports it apart)
    [past] = [ev for ev in second.evidence if ev.record.get("history")]
    assert past.record["preview"] == old_key.record["preview"]
    assert second.inputs[0].sha256 != first.inputs[0].sha256
    # and the change is cached in turn: once the files' times have settled, a run gives the
    # same findings scanning no file
    age(repo)
    collect(ws)
    opened.clear()
    later = collect(ws)
    assert [(ev.id, ev.record) for ev in later.evidence] == [(ev.id, ev.record) for ev in second.evidence]
    assert [os.path.basename(p) for p in opened if "/repos/" in p] in ([], [".gitignore"])


def test_deleted_file_hits_disappear_and_new_file_is_scanned(ws):
    repo = git_repo(ws.root / "repos" / "shop", _files())
    age(repo)
    first = collect(ws)
    (repo / ".env").unlink()
    write_files(repo, {"deploy/settings.py": f"STRIPE = '{stripe_key()}'\n"})
    second = collect(ws)
    assert not [ev for ev in second.evidence if ev.record["file"] == ".env" and not ev.record.get("history")]
    assert [ev for ev in first.evidence if ev.record["file"] == ".env"]
    # (the file was committed: its credentials are still in the history, reported apart)
    assert {ev.record["file"] for ev in second.evidence if ev.record.get("history")} == {".env"}
    [new] = [ev for ev in second.evidence if ev.record["file"] == "deploy/settings.py"]
    assert new.record["rule"] == "stripe_live_secret" and new.record["git_status"] == "untracked"
    assert second.inputs[0].sha256 != first.inputs[0].sha256


def test_file_changed_without_size_or_mtime_changing_keeps_its_cached_result(ws):
    # the documented trade-off (as git's index and the notes cache): size, mtime and inode
    # are trusted, so a same-size rewrite whose mtime is set back is not seen until it changes
    repo = git_repo(ws.root / "repos" / "shop", _files())
    config = repo / "src" / "config.js"
    age(repo)
    before = config.stat()
    cold = collect(ws)
    text = config.read_text()
    with open(config, "r+", encoding="utf-8") as handle:  # in place: same inode, same size
        handle.write(text.replace("stripe", "STRIPE"))
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert snapshot(collect(ws)) == snapshot(cold)


def test_file_modified_just_before_the_cache_was_written_is_read_again(ws, opened):
    repo = git_repo(ws.root / "repos" / "shop", _files())
    age(repo)
    (repo / "src" / "fresh.js").write_text("export const fresh = 1;\n")  # mtime: now, racily clean
    cold = collect(ws)
    opened.clear()
    assert snapshot(collect(ws)) == snapshot(cold)
    assert [os.path.basename(p) for p in opened if "/repos/" in p] == ["fresh.js"]


def test_planted_secrets_never_appear_in_any_byte_of_the_cache(ws):
    _, pem_body = key_pair = private_key()
    secrets = [stripe_key(), stripe_key("live", "rk"), aws_key_id(), aws_secret(), token(32), token(28)]
    git_repo(ws.root / "repos" / "shop", {
        "src/config.js": f"const s = '{secrets[0]}';\nconst r = '{secrets[1]}';\n",
        "deploy/aws.py": f"AWS_ACCESS_KEY_ID = '{secrets[2]}'\nAWS_SECRET_ACCESS_KEY = '{secrets[3]}'\n",
        "settings.json": json.dumps({"api_token": secrets[4]}),
        ".env.production": f"DB_PASSWORD={secrets[5]}\n",
        "keys/id_rsa.pem": key_pair[0],
    })
    result = collect(ws)
    assert {ev.record["rule"] for ev in result.evidence} >= {
        "stripe_live_secret", "stripe_live_restricted", "aws_access_key_pair", "high_entropy_assignment",
        "env_credential", "private_key",
    }
    cached = [p for p in (ws.root / ".execbrief").rglob("*") if p.is_file()]
    assert cached
    blob = b"".join(p.read_bytes() for p in cached)
    for secret in [*secrets, pem_body.replace("\n", "")[:40]]:
        assert secret.encode() not in blob


@pytest.mark.parametrize("damage", [b"", b"not a cache", "truncate", "flip"])
def test_corrupt_cache_file_is_ignored_and_rebuilt(ws, opened, damage):
    git_repo(ws.root / "repos" / "shop", _files())
    age(ws.root / "repos")
    cold = collect(ws)
    [cache_file] = cache_folder(ws.root).glob("*.bin")
    good = cache_file.read_bytes()
    if damage == "truncate":
        cache_file.write_bytes(good[: len(good) // 2])
    elif damage == "flip":
        cache_file.write_bytes(good[:-10] + bytes([good[-10] ^ 0xFF]) + good[-9:])
    else:
        cache_file.write_bytes(damage)
    opened.clear()
    assert snapshot(collect(ws)) == snapshot(cold)
    assert len([p for p in opened if "/repos/shop/" in p]) == len(_files())  # every file read again
    # rebuilt: the same entries (marshal may write equal data with other bytes: it shares
    # objects by reference count, which other threads of the scan can change)
    assert marshal.loads(cache_file.read_bytes()[len(_MAGIC) + 32:]) == marshal.loads(good[len(_MAGIC) + 32:])
    opened.clear()
    collect(ws)
    assert [p for p in opened if "/repos/shop/" in p] == []


def test_unreadable_repository_with_a_cache_still_becomes_a_warning(ws, monkeypatch):
    write_files(ws.root / "repos" / "locked", {"a.js": f"k='{stripe_key()}'\n"})
    write_files(ws.root / "repos" / "open", {"a.js": f"k='{stripe_key()}'\n"})
    age(ws.root / "repos")
    assert len(collect(ws).evidence) == 2
    locked, real_scandir = str(ws.root / "repos" / "locked"), os.scandir

    def scandir(path="."):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = collect(ws)
    assert [ev.record["repo"] for ev in result.evidence] == ["open"]
    assert [i.path for i in result.inputs] == ["repos/open"]
    [warning] = result.warnings
    assert warning.path == "repos/locked" and "repository skipped" in warning.message


class _VersionedEngine:
    """A third-party engine whose rules are named by a version."""

    name = "versioned"
    version = "1"

    def scan(self, path: str, data: bytes) -> list[Hit]:
        return [Hit("stripe_test_key", 1, f"v{self.version}…", None)]


def test_a_new_engine_rules_version_invalidates_the_cache(workspace, monkeypatch, opened):
    monkeypatch.setitem(secretscan.ENGINES, "versioned", _VersionedEngine)
    enable_repos(workspace, extra='engine = "versioned"\n')
    write_files(workspace.root / "repos" / "app", {"a.txt": "x\n"})
    age(workspace.root / "repos")
    assert [ev.record["preview"] for ev in collect(workspace).evidence] == ["v1…"]
    monkeypatch.setattr(_VersionedEngine, "version", "2")
    opened.clear()
    assert [ev.record["preview"] for ev in collect(workspace).evidence] == ["v2…"]
    assert [os.path.basename(p) for p in opened if "/repos/" in p] == ["a.txt"]


def test_a_lower_size_limit_applies_to_cached_files(workspace):
    enable_repos(workspace)
    write_files(workspace.root / "repos" / "app", {"big.js": f"k='{stripe_key()}'\n" + "x" * 4000})
    age(workspace.root / "repos")
    assert len(collect(workspace).evidence) == 1
    config = workspace.root / "execbrief.toml"
    config.write_text(config.read_text() + "max_file_mb = 0.001\n")
    result = collect(workspace)
    assert result.evidence == [] and "over the 0.001 MB limit" in result.warnings[0].message


def test_cache_that_cannot_be_written_is_a_warning_and_the_scan_goes_on(ws):
    write_files(ws.root / "repos" / "app", {"a.js": f"k='{stripe_key()}'\n"})
    (ws.root / ".execbrief" / "cache").mkdir(parents=True)
    (ws.root / ".execbrief" / "cache" / "repos").write_text("a file where the folder should be")
    result = collect(ws)
    assert len(result.evidence) == 1
    [warning] = result.warnings
    assert warning.path == ".execbrief/cache/repos" and "cannot write the repos cache" in warning.message


def test_the_cache_of_a_repository_that_is_gone_is_deleted(ws):
    for name in ("shop", "site"):
        write_files(ws.root / "repos" / name, {"app.py": "print('hello')\n"})
    collect(ws)
    assert len(list(cache_folder(ws.root).glob("*.bin"))) == 2
    for path in (ws.root / "repos" / "site").iterdir():
        path.unlink()
    (ws.root / "repos" / "site").rmdir()

    collect(ws)

    assert len(list(cache_folder(ws.root).glob("*.bin"))) == 1
