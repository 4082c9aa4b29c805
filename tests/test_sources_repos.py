"""The repositories source: secrets, env files, endpoints, git status, skipping and bad input."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from execbrief.config import load_settings
from execbrief.errors import ConfigError
from execbrief.model import content_hash
from execbrief.registry import Registry
from execbrief.sources import secretscan
from execbrief.sources.repos import ReposSource
from execbrief.sources.secretscan import Hit, mask, shannon_entropy
from repo_helpers import (
    aws_key_id, aws_secret, enable_repos, git, git_repo, private_key, stripe_key, token, write_files,
)


def collect(workspace):
    return ReposSource(workspace.settings()).collect()


def by_rule(result, rule):
    return [ev for ev in result.evidence if ev.record["rule"] == rule]


def dump(result) -> str:
    return json.dumps([ev.model_dump(mode="json") for ev in result.evidence])


@pytest.fixture
def ws(workspace):
    enable_repos(workspace)
    return workspace


# -- secrets with a public format -----------------------------------------------------


def test_live_stripe_key_committed_to_git_is_tracked_with_masked_preview_and_hash_only(ws):
    key = stripe_key("live")
    git_repo(ws.root / "repos" / "shop", {"src/config.js": f"// payments\nconst stripe = '{key}';\n"})
    result = collect(ws)
    [ev] = by_rule(result, "stripe_live_secret")
    assert ev.kind == "scan_hit" and ev.source == "repos"
    assert ev.record["file"] == "src/config.js" and ev.record["line"] == 2
    assert ev.record["repo"] == "shop" and ev.record["git_status"] == "tracked" and ev.record["git_repo"] is True
    assert ev.record["preview"] == "sk_live_…" + key[-4:]
    assert ev.record["secret_sha256"] == content_hash(key)
    assert ev.provenance.label() == "repos/shop/src/config.js:2"
    assert key not in dump(result)


def test_restricted_and_test_stripe_keys_have_their_own_rules(ws):
    restricted, test_key = stripe_key("live", "rk"), stripe_key("test")
    git_repo(ws.root / "repos" / "shop", {"a.py": f"R = '{restricted}'\nT = '{test_key}'\n"})
    result = collect(ws)
    assert [ev.record["line"] for ev in by_rule(result, "stripe_live_restricted")] == [1]
    assert [ev.record["line"] for ev in by_rule(result, "stripe_test_key")] == [2]
    assert not by_rule(result, "stripe_live_secret")


def test_aws_key_id_and_secret_in_one_file_are_one_pair_hashed_by_the_secret(ws):
    key_id, secret = aws_key_id(), aws_secret()
    git_repo(ws.root / "repos" / "infra", {
        "deploy.py": f"AWS_ACCESS_KEY_ID = '{key_id}'\naws_secret_access_key = '{secret}'\n",
        "lonely.txt": f"id only: {key_id[:-1]}Z\n",
        "docs.md": "AWS's sample key " + "AKIA" + "IOSFODNN7" + "EXAMPLE is not a finding\n",
    })
    result = collect(ws)
    [pair] = by_rule(result, "aws_access_key_pair")
    assert pair.record["file"] == "deploy.py" and pair.record["secret_sha256"] == content_hash(secret)
    assert pair.record["preview"] == "AKIA…" + key_id[-4:]
    assert [ev.record["file"] for ev in by_rule(result, "aws_access_key_id")] == ["lonely.txt"]
    assert secret not in dump(result)


def test_private_key_block_is_found_and_a_header_alone_is_not(ws):
    block, body = private_key()
    encrypted, _ = private_key("ENCRYPTED ")
    git_repo(ws.root / "repos" / "ops", {
        "deploy/id_rsa": block,
        "keys/backup.pem": encrypted,
        "README.md": "Paste the key that starts with -----BEGIN RSA PRIVATE KEY----- here.\n",
    })
    result = collect(ws)
    found = {ev.record["file"]: ev for ev in by_rule(result, "private_key")}
    assert set(found) == {"deploy/id_rsa", "keys/backup.pem"}
    assert found["keys/backup.pem"].record["detail"] == "encrypted"
    assert found["deploy/id_rsa"].record["secret_sha256"] == content_hash(body.replace("\n", ""))
    assert body.splitlines()[0] not in dump(result)


# -- generic secrets and env files ------------------------------------------------------


def test_high_entropy_assignment_in_config_file_is_found_but_not_placeholders_or_code(ws):
    secret = token(32)
    git_repo(ws.root / "repos" / "app", {
        "config/settings.yaml": (
            f"api_key: {secret}\n"
            "password: changeme-changeme-changeme\n"
            "client_secret: ${CLIENT_SECRET_FROM_ENV}\n"
            "token_url: https://oauth2.example.com/token/v1\n"
            "session_token: aaaaaaaaaaaaaaaa1111111111\n"
        ),
        "src/main.py": f"api_key = '{token(32)}'  # not a config file: the generic rule stays quiet\n",
    })
    result = collect(ws)
    [ev] = by_rule(result, "high_entropy_assignment")
    assert (ev.record["file"], ev.record["line"], ev.record["variable"]) == ("config/settings.yaml", 1, "api_key")
    assert ev.record["preview"] == "…" + secret[-4:]


def test_env_file_values_are_parsed_unquoted_quoted_and_exported(ws):
    api, pw, url_pw = token(24), "hunter2-" + token(6), token(10)
    git_repo(ws.root / "repos" / "app", {".gitignore": "node_modules/\n"}, loose={".env": (
        "# comment\n"
        f"ONFLEET_API_KEY={api}\n"
        f'export DB_PASSWORD="{pw}"  # quoted\n'
        f"DATABASE_URL=postgres://app:{url_pw}@db.internal:5432/app\n"
        "STRIPE_PUBLISHABLE_KEY=pk_live_" + token(24) + "\n"
        "AUTH_ENABLED=true\n"
        "SECRET_KEY=\n"
        "API_TOKEN=your-token-here\n"
        "REGION=us-east-1\n"
    )})
    result = collect(ws)
    hits = by_rule(result, "env_credential")
    assert [(ev.record["variable"], ev.record["line"]) for ev in hits] == [
        ("ONFLEET_API_KEY", 2), ("DB_PASSWORD", 3), ("DATABASE_URL", 4),
    ]
    assert hits[1].record["secret_sha256"] == content_hash(pw)
    assert {ev.record["git_status"] for ev in hits} == {"untracked"}
    text = dump(result)
    assert api not in text and pw not in text and url_pw not in text


def test_env_example_templates_are_not_credential_files(ws):
    git_repo(ws.root / "repos" / "app", {".env.example": f"API_KEY={token(24)}\n"})
    assert not by_rule(collect(ws), "env_credential")


def test_tracked_untracked_and_ignored_env_files_come_from_one_git_call(ws, monkeypatch):
    repo = git_repo(ws.root / "repos" / "app", {
        ".gitignore": ".env\nsecrets/\n",
        ".env.production": f"API_KEY={token(24)}\n",
    }, loose={
        ".env": f"API_KEY={token(24)}\n",
        "secrets/.env": f"TOKEN={token(24)}\n",
        ".env.staging": f"TOKEN={token(24)}\n",
    })
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a[0]) or real_run(*a, **k))
    result = collect(ws)
    status = {ev.record["file"]: ev.record["git_status"] for ev in by_rule(result, "env_credential")}
    assert status == {".env.production": "tracked", ".env": "ignored", "secrets/.env": "ignored",
                      ".env.staging": "untracked"}
    assert len([c for c in calls if "ls-files" in c]) == 1
    assert all(str(repo) in c for c in calls)


def test_folder_that_is_not_a_git_repo_uses_its_gitignore_files_as_git_would(ws, tmp_path):
    files = {
        ".gitignore": "*.env\n!keep.env\nlocal/\n*.secret\n",
        "prod.env": f"API_KEY={token(24)}\n",
        "keep.env": f"API_KEY={token(24)}\n",
        "local/.env": f"API_KEY={token(24)}\n",
        "sub/.gitignore": "!.env.secret\n",
        "sub/.env.secret": f"API_KEY={token(24)}\n",
        "other/.env.secret": f"API_KEY={token(24)}\n",
    }
    write_files(ws.root / "repos" / "site", files)
    result = collect(ws)
    status = {ev.record["file"]: ev.record["git_status"] for ev in by_rule(result, "env_credential")}
    assert status == {"prod.env": "ignored", "keep.env": "not_ignored", "local/.env": "ignored",
                      "sub/.env.secret": "not_ignored", "other/.env.secret": "ignored"}
    assert all(ev.record["git_repo"] is False for ev in result.evidence)
    # the same tree under real git gives the same verdicts
    real = tmp_path / "real"
    write_files(real, files)
    git(real, "init", "-q")
    unignored = set(git(real, "ls-files", "--others", "--exclude-standard").split())
    assert {f for f in status if status[f] == "not_ignored"} == unignored - {".gitignore", "sub/.gitignore"}


def test_apps_script_do_post_without_token_check_is_an_open_endpoint(ws):
    write_files(ws.root / "repos" / "forms", {
        "Code.gs": (
            "function doPost(e) {\n"
            "  SpreadsheetApp.getActive().getSheetByName('Orders').appendRow([e.parameter.name]);\n"
            "}\n"
            "function helper_() { return 1; }\n"
        ),
        "Checked.gs": (
            "function doPost(e) {\n"
            "  if (e.parameter.token !== PropertiesService.getScriptProperties().getProperty('TOKEN')) {\n"
            "    return ContentService.createTextOutput('denied');\n"
            "  }\n"
            "}\n"
        ),
    })
    result = collect(ws)
    [ev] = by_rule(result, "apps_script_no_auth")
    assert (ev.record["file"], ev.record["line"], ev.record["detail"]) == ("Code.gs", 1, "doPost")
    assert ev.record["preview"] is None and ev.record["secret_sha256"] is None


# -- what is skipped, and bad input ---------------------------------------------------


def test_vendored_folders_and_binary_files_are_not_scanned(ws):
    key = stripe_key("live")
    write_files(ws.root / "repos" / "app", {
        "node_modules/pkg/index.js": f"k = '{key}'\n",
        "vendor/lib.php": f"k = '{key}'\n",
        "dist/bundle.js": f"k = '{key}'\n",
        "logo.png": f"k = '{key}'\n",
        "data.bin.txt": b"\x00\x01" + f"k = '{key}'".encode(),
        "src/app.js": "console.log('clean');\n",
    })
    result = collect(ws)
    assert result.evidence == []
    assert [i.path for i in result.inputs] == ["repos/app"]


def test_oversize_files_are_skipped_with_one_warning_per_repo(workspace):
    ws = workspace
    enable_repos(ws, extra="max_file_mb = 0.001\n")
    write_files(ws.root / "repos" / "app", {
        "big1.js": "x" * 2000 + stripe_key(), "big2.js": "y" * 2000, "small.js": "ok\n",
    })
    result = collect(ws)
    assert result.evidence == []
    [warning] = result.warnings
    assert warning.path == "repos/app" and "2 file(s)" in warning.message and "max_file_mb" in warning.message


def test_each_file_is_read_once_even_when_configured_paths_overlap(workspace, monkeypatch):
    enable_repos(workspace, paths='["repos", "repos/*", "repos/app", "repos/app/"]')
    write_files(workspace.root / "repos" / "app", {"a.js": f"k='{stripe_key()}'\n", "b.js": "clean\n"})
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda f, *a, **k: opened.append(str(f)) or real_open(f, *a, **k))
    result = collect(workspace)
    scanned = [p for p in opened if "/repos/app/" in p]
    assert len(scanned) == len(set(scanned)) == 2
    assert len(by_rule(result, "stripe_live_secret")) == 1


def test_unreadable_repository_and_file_become_warnings_and_the_rest_is_scanned(ws, monkeypatch):
    write_files(ws.root / "repos" / "locked", {"a.js": f"k='{stripe_key()}'\n"})
    write_files(ws.root / "repos" / "open", {"a.js": f"k='{stripe_key()}'\n", "b.js": f"k='{stripe_key()}'\n"})
    locked, bad_file = str(ws.root / "repos" / "locked"), str(ws.root / "repos" / "open" / "b.js")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path="."):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(file, *args, **kwargs):
        if str(file) == bad_file:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)  # root ignores file modes, so deny at the OS call
    monkeypatch.setattr(os, "open", open_)
    result = collect(ws)
    assert [ev.record["file"] for ev in result.evidence] == ["a.js"]
    messages = {w.path: w.message for w in result.warnings}
    assert "Permission denied" in messages["repos/locked"] and "repository skipped" in messages["repos/locked"]
    assert "check its permissions" in messages["repos/open/b.js"]


def test_broken_git_metadata_falls_back_to_gitignore_with_a_warning(ws):
    write_files(ws.root / "repos" / "app", {
        ".git": "gitdir: /nonexistent/place\n", ".gitignore": ".env\n", ".env": f"API_KEY={token(24)}\n",
    })
    result = collect(ws)
    [ev] = by_rule(result, "env_credential")
    assert ev.record["git_status"] == "ignored" and ev.record["git_repo"] is False
    [warning] = result.warnings
    assert "git ls-files" in warning.message and ".gitignore patterns instead" in warning.message


def test_path_that_matches_no_folder_is_a_warning(ws):
    result = collect(ws)
    assert result.evidence == []
    assert "matches no folder" in result.warnings[0].message


def test_repo_folder_named_after_an_entity_belongs_to_it(ws):
    for name in ("alpha", "alpha-website", "beta_app", "alphabet"):
        write_files(ws.root / "repos" / name, {"k.js": f"k='{stripe_key()}'\n"})
    result = collect(ws)
    assert {ev.record["repo"]: ev.entity for ev in result.evidence} == {
        "alpha": "alpha", "alpha-website": "alpha", "beta_app": "beta", "alphabet": None,
    }


# -- engine, config and registration ---------------------------------------------------


def test_unknown_engine_is_a_config_error_naming_the_key(workspace):
    enable_repos(workspace, extra='engine = "hyperscan"\n')
    with pytest.raises(ConfigError, match=r"sources\.repos\.engine.*execbrief\.toml.*known: builtin"):
        load_settings(workspace.root, environ={})


class _FirstLineEngine:
    """A stand-in third-party engine: reports every file's first line."""

    name = "firstline"

    def scan(self, path: str, data: bytes) -> list[Hit]:
        return [Hit("stripe_test_key", 1, "first…", None)]


def test_another_engine_plugs_in_behind_the_same_interface(workspace, monkeypatch):
    ws = workspace
    monkeypatch.setitem(secretscan.ENGINES, "firstline", _FirstLineEngine)
    enable_repos(ws, extra='engine = "firstline"\n')
    write_files(ws.root / "repos" / "app", {"a.txt": "x\n", "b.txt": "y\n"})
    result = collect(ws)
    assert [(ev.record["file"], ev.record["engine"]) for ev in result.evidence] == [
        ("a.txt", "firstline"), ("b.txt", "firstline"),
    ]


class _FailingEngine:
    """An engine with a bug that quotes what it read in its error."""

    name = "failing"

    def scan(self, path: str, data: bytes) -> list[Hit]:
        if path == "bad.txt":
            raise ValueError(f"cannot parse {data!r}")
        return [Hit("stripe_test_key", 1, "ok…", None)]


def test_an_engine_failing_on_one_file_is_a_warning_that_quotes_nothing(workspace, monkeypatch):
    monkeypatch.setitem(secretscan.ENGINES, "failing", _FailingEngine)
    enable_repos(workspace, extra='engine = "failing"\n')
    secret = stripe_key()
    write_files(workspace.root / "repos" / "app", {"bad.txt": secret, "good.txt": "x\n"})
    result = collect(workspace)
    assert [ev.record["file"] for ev in result.evidence] == ["good.txt"]
    [warning] = result.warnings
    assert warning.path == "repos/app/bad.txt" and "ValueError" in warning.message
    assert secret not in warning.message


def test_repos_source_registers_through_the_entry_point_group():
    assert Registry().load().sources["repos"] is ReposSource


def test_mask_and_entropy_helpers():
    key = stripe_key()
    assert mask(key) == "sk_live_…" + key[-4:]
    assert mask("short-pass") == "…"
    assert mask("postgres://u:" + "p" * 20 + "@h/db").startswith("postgres://…")
    assert shannon_entropy("aaaaaaaa") == 0.0
    assert shannon_entropy(token(64)) > 4.5
