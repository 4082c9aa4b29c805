"""The git history scan: secrets that commits added, found once per commit, on real git repositories."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from execbrief.model import content_hash
from execbrief.sources.githistory import HistoryCache, scan_history
from execbrief.sources.repocache import cache_folder
from execbrief.sources.repos import ReposSource
from execbrief.sources.secretscan import BuiltinEngine
from repo_helpers import aws_key_id, aws_secret, enable_repos, git, git_repo, private_key, stripe_key, token, write_files


def collect(workspace):
    return ReposSource(workspace.settings()).collect()


def history(result):
    return [ev for ev in result.evidence if ev.record.get("history")]


def tree(result):
    return [ev for ev in result.evidence if not ev.record.get("history")]


def dump(result) -> str:
    return json.dumps([ev.model_dump(mode="json") for ev in result.evidence] +
                      [w.model_dump(mode="json") for w in result.warnings])


def commit(root, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def ws(workspace):
    enable_repos(workspace)
    return workspace


def test_key_committed_then_deleted_is_reported_with_its_commit_and_path_as_hash_and_preview(ws):
    key = stripe_key()
    repo = git_repo(ws.root / "repos" / "shop", {"README.md": "shop\n"})
    write_files(repo, {"config/payments.js": f"// billing\n\nmodule.exports = {{ key: '{key}' }};\n"})
    added = commit(repo, "add billing")
    (repo / "config" / "payments.js").unlink()
    commit(repo, "remove the key")
    result = collect(ws)
    assert tree(result) == []
    [ev] = history(result)
    assert ev.record["rule"] == "stripe_live_secret" and ev.record["commit"] == added
    assert ev.record["file"] == "config/payments.js" and ev.record["line"] == 3
    assert ev.record["preview"] == "sk_live_…" + key[-4:] and ev.record["secret_sha256"] == content_hash(key)
    assert ev.provenance.label() == "repos/shop/config/payments.js:3"
    assert ev.record["committed_at"].endswith("Z") and ev.provenance.observed_at == ev.record["committed_at"]
    assert added[:12] in ev.text and key not in dump(result)


def test_secret_still_in_the_working_tree_is_one_item_that_names_the_commit_that_added_it(ws):
    key = stripe_key()
    repo = git_repo(ws.root / "repos" / "shop", {"src/config.js": f"const k = '{key}';\n"})
    first = git(repo, "rev-parse", "HEAD").strip()
    write_files(repo, {"src/other.js": "export const x = 1;\n"})
    commit(repo)
    result = collect(ws)
    assert history(result) == []
    [ev] = tree(result)
    assert ev.record["in_history"] is True and ev.record["commit"] == first
    assert ev.record["history_file"] == "src/config.js"


def test_secret_never_committed_says_so_in_git_and_outside_it(ws):
    repo = git_repo(ws.root / "repos" / "shop", {"a.py": "x = 1\n"}, loose={"local.js": f"k = '{stripe_key()}'\n"})
    write_files(ws.root / "repos" / "plain", {"pay.js": f"k = '{stripe_key()}'\n"})
    result = collect(ws)
    by_repo = {ev.record["repo"]: ev for ev in result.evidence}
    assert by_repo["shop"].record["git_status"] == "untracked" and by_repo["shop"].record["in_history"] is False
    assert by_repo["plain"].record["git_repo"] is False and by_repo["plain"].record["in_history"] is False
    assert "commit" not in by_repo["shop"].record
    assert len(result.evidence) == 2 and repo.exists()


def test_secret_on_another_branch_and_an_aws_pair_in_history_are_found(ws):
    key_id, secret = aws_key_id(), aws_secret()
    repo = git_repo(ws.root / "repos" / "infra", {"README.md": "infra\n"})
    git(repo, "checkout", "-q", "-b", "experiment")
    write_files(repo, {"deploy.sh": f"export AWS_ACCESS_KEY_ID={key_id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n"})
    on_branch = commit(repo)
    git(repo, "checkout", "-q", "main")
    [ev] = history(collect(ws))
    assert ev.record["rule"] == "aws_access_key_pair" and ev.record["commit"] == on_branch
    assert ev.record["secret_sha256"] == content_hash(secret) and ev.record["preview"] == "AKIA…" + key_id[-4:]


def test_only_added_lines_count_and_each_commit_reports_what_it_added(ws):
    old, new = stripe_key(), stripe_key()
    repo = git_repo(ws.root / "repos" / "shop", {"pay.js": f"a\nb\nk = '{old}'\n"})
    write_files(repo, {"pay.js": f"a\nb\nk = '{new}'\nc\n"})  # the old key removed, the new one added
    rotated = commit(repo)
    write_files(repo, {"pay.js": "a\nb\nk = process.env.STRIPE\nc\n"})
    commit(repo)
    found = {ev.record["preview"]: ev for ev in history(collect(ws))}
    assert set(found) == {"sk_live_…" + old[-4:], "sk_live_…" + new[-4:]}
    assert found["sk_live_…" + new[-4:]].record["commit"] == rotated and found["sk_live_…" + new[-4:]].record["line"] == 3


def test_vendored_and_binary_paths_in_history_are_skipped_as_in_the_walk(ws):
    repo = git_repo(ws.root / "repos" / "shop", {
        "node_modules/pkg/index.js": f"k = '{stripe_key()}'\n", "img/logo.png.txt": "x\n",
        "dist/app.js": f"k = '{stripe_key()}'\n",
    })
    for path in ("node_modules", "dist"):
        git(repo, "rm", "-r", "-q", path)
    commit(repo)
    assert collect(ws).evidence == []


def test_env_file_committed_once_and_private_key_are_found_in_history(ws):
    block, body = private_key()
    repo = git_repo(ws.root / "repos" / "app", {
        ".env.production": f"API_KEY={token(32)}\nDB_PASSWORD=pw{token(12)}\nREGION=us-east-1\n",
        "keys/deploy_key": block,
    })
    git(repo, "rm", "-q", ".env.production", "keys/deploy_key")
    write_files(repo, {".gitignore": ".env*\n"})
    commit(repo)
    result = collect(ws)
    rules = sorted((ev.record["rule"], ev.record["file"], ev.record["line"]) for ev in history(result))
    assert rules == [("env_credential", ".env.production", 1), ("env_credential", ".env.production", 2),
                     ("private_key", "keys/deploy_key", 1)]
    assert body.splitlines()[0] not in dump(result)


def test_unusual_file_names_are_decoded_from_git_quoting(ws):
    repo = git_repo(ws.root / "repos" / "shop", {"README.md": "x\n"})
    names = ["my config/pay ment.js", "tab\there.js", "caf\u00e9/cl\u00e9.js", 'quote"d.js']
    write_files(repo, {name: f"k = '{stripe_key()}'\n" for name in names})
    commit(repo)
    for name in names:
        (repo / name).unlink()
    commit(repo)
    assert sorted(ev.record["file"] for ev in history(collect(ws))) == sorted(names)


def test_rescan_reads_only_new_commits_and_forgets_rewritten_ones(tmp_path):
    repo = git_repo(tmp_path / "shop", {"a.js": f"k = '{stripe_key()}'\n"})
    cache_path = tmp_path / "cache.history"

    def scan():
        cache = HistoryCache(cache_path, ("test",))
        return scan_history(repo, BuiltinEngine(), cache, wanted=lambda p: True, limit=1 << 20, max_commits=100)

    first = scan()
    assert (first.commits, first.scanned, len(first.hits)) == (1, 1, 1)
    again = scan()
    assert (again.commits, again.scanned, len(again.hits)) == (1, 0, 1)
    write_files(repo, {"b.js": f"k = '{stripe_key()}'\n"})
    commit(repo)
    grown = scan()
    assert (grown.commits, grown.scanned, len(grown.hits)) == (2, 1, 2)
    git(repo, "reset", "-q", "--hard", "HEAD~1")  # the second commit is no longer reachable
    rewritten = scan()
    assert (rewritten.commits, rewritten.scanned, len(rewritten.hits)) == (1, 0, 1)
    assert len(HistoryCache(cache_path, ("test",)).commits) == 1
    assert len(HistoryCache(cache_path, ("other rules",)).commits) == 0  # another engine: scanned again


def test_history_over_the_commit_limit_is_scanned_over_several_runs_with_a_warning(workspace):
    enable_repos(workspace, extra="history_max_commits = 2\n")
    repo = git_repo(workspace.root / "repos" / "shop", {"a.txt": "0\n"})
    keys = []
    for n in range(3):
        keys.append(stripe_key())
        write_files(repo, {f"k{n}.js": f"k = '{keys[-1]}'\n"})
        commit(repo)
        (repo / f"k{n}.js").unlink()
        commit(repo)
    skipped = []
    for _ in range(4):  # 7 commits, 2 a run, newest first
        result = collect(workspace)
        skipped.append([w.message.split(" of its")[0] for w in result.warnings])
    assert skipped == [["5"], ["3"], ["1"], []]
    assert "history_max_commits" in collect_warning(workspace, repo, keys)
    assert {ev.record["preview"] for ev in history(result)} == {"sk_live_…" + k[-4:] for k in keys}


def collect_warning(workspace, repo, keys) -> str:
    """The warning of a fresh scan (the cache deleted), which sees only the newest commits."""
    for path in cache_folder(workspace.root).glob("*.history"):
        path.unlink()
    result = collect(workspace)
    [warning] = result.warnings
    assert warning.path == "repos/shop" and len(history(result)) == 1  # the newest key only
    assert history(result)[0].record["preview"] == "sk_live_…" + keys[-1][-4:] and repo.exists()
    return warning.message


def test_history_scan_can_be_switched_off(workspace):
    enable_repos(workspace, extra="history = false\n")
    repo = git_repo(workspace.root / "repos" / "shop", {"a.js": f"k = '{stripe_key()}'\n"})
    (repo / "a.js").write_text(f"k = '{stripe_key()}'\n")
    commit(repo)
    result = collect(workspace)
    [ev] = result.evidence
    assert ev.record["in_history"] is None  # not known: nobody looked
    assert not list(cache_folder(workspace.root).glob("*.history"))


def test_a_repository_config_cannot_make_the_history_scan_run_commands(ws, tmp_path):
    marker = tmp_path / "ran"
    repo = git_repo(ws.root / "repos" / "shop", {".gitattributes": "*.js diff=evil\n", "a.js": "x = 1\n"})
    write_files(repo, {"a.js": f"k = '{stripe_key()}'\n"})
    commit(repo)
    write_files(repo, {"a.js": "k = process.env.K\n"})
    commit(repo)
    script = f"sh -c 'touch {marker}'"  # set last: git add and commit would run some of these
    for key, value in (("diff.evil.textconv", script), ("diff.external", script), ("core.fsmonitor", script),
                       ("diff.evil.command", script), ("gpg.program", script), ("log.showSignature", "true"),
                       ("diff.noprefix", "true"), ("diff.mnemonicPrefix", "true"), ("core.pager", script)):
        git(repo, "config", key, value)
    [ev] = history(collect(ws))
    assert ev.record["file"] == "a.js"
    assert not marker.exists()


def test_without_git_the_working_tree_is_still_scanned_with_one_warning(ws, monkeypatch, tmp_path):
    repo = git_repo(ws.root / "repos" / "shop", {"a.js": f"k = '{stripe_key()}'\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = collect(ws)
    [ev] = result.evidence
    assert ev.record["in_history"] is None
    [warning] = result.warnings
    assert "git is not installed" in warning.message and "history was not scanned" in warning.message
    assert repo.exists()


def test_history_cache_never_holds_a_secret(ws):
    secrets = [stripe_key(), aws_secret(), token(32)]
    repo = git_repo(ws.root / "repos" / "shop", {
        "pay.js": f"k = '{secrets[0]}'\n",
        "deploy.py": f"ID = '{aws_key_id()}'\naws_secret = '{secrets[1]}'\n",
        ".env": f"API_KEY={secrets[2]}\n",
    })
    git(repo, "rm", "-q", "pay.js", "deploy.py", ".env")
    commit(repo)
    assert len(history(collect(ws))) == 3
    [cache] = cache_folder(ws.root).glob("*.history")
    blob = cache.read_bytes()
    assert all(secret.encode() not in blob for secret in secrets)


def test_a_repository_without_commits_has_no_history_and_no_warning(ws):
    root = ws.root / "repos" / "empty"
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    write_files(root, {"a.js": f"k = '{stripe_key()}'\n"})
    result = collect(ws)
    assert [ev.record["git_status"] for ev in result.evidence] == ["untracked"]
    assert result.evidence[0].record["in_history"] is False and result.warnings == []
    assert os.path.isdir(root / ".git")


def test_an_aws_key_id_committed_before_its_secret_is_still_in_the_working_tree_as_a_pair(ws):
    key_id = aws_key_id()
    repo = git_repo(ws.root / "repos" / "infra", {"deploy.py": f"KEY_ID = '{key_id}'\n"})
    write_files(repo, {"deploy.py": f"KEY_ID = '{key_id}'\naws_secret = '{aws_secret()}'\n"})
    commit(repo)
    result = collect(ws)
    assert history(result) == []  # the id alone in the first commit is this pair's key
    [pair] = tree(result)
    assert pair.record["rule"] == "aws_access_key_pair" and pair.record["in_history"] is True


@pytest.mark.parametrize("damage", [b"", b"not a cache", "flip"])
def test_a_damaged_history_cache_is_scanned_again_and_rebuilt(tmp_path, damage):
    repo = git_repo(tmp_path / "shop", {"a.js": f"k = '{stripe_key()}'\n"})
    path = tmp_path / "c.history"

    def scan():
        return scan_history(repo, BuiltinEngine(), HistoryCache(path, ("k",)), wanted=lambda p: True,
                            limit=1 << 20, max_commits=10)

    first = scan()
    good = path.read_bytes()
    path.write_bytes(good[:-3] + bytes([good[-3] ^ 0xFF]) + good[-2:] if damage == "flip" else damage)
    again = scan()
    assert again.scanned == 1 and again.hits == first.hits
    assert len(HistoryCache(path, ("k",)).commits) == 1 and scan().scanned == 0  # rebuilt
