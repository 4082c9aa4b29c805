"""Security fixes that match the evidence: git history, folders outside git, AWS key pairs.

Each case runs the real repositories source on real folders and git repositories made in
the test, then the security analyzer; each statement is held on a fixture that plants the
case and on one that must not produce it.
"""

from __future__ import annotations

from datetime import date

import pytest

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.security import analyze
from execbrief.sources.repos import ReposSource
from repo_helpers import (
    aws_key_id, aws_secret, enable_repos, git, git_repo, private_key, stripe_key, token, write_files,
)

CTX = AnalysisContext(as_of=date(2026, 11, 23))

# files that hold a secret, by the rule they plant
SECRETS = {
    "committed_live_payment_key": lambda: {"config/payments.php": f"<?php\ndefine('K', '{stripe_key()}');\n"},
    "cloud_key_in_code": lambda: {"deploy.py": f"KEY_ID = '{aws_key_id()}'\naws_secret = '{aws_secret()}'\n"},
    "private_key_in_code": lambda: {"certs/server.key": private_key()[0]},
    "high_entropy_secret": lambda: {"settings.json": f'{{"api_key": "{token(32)}"}}\n'},
    "plaintext_credential_file": lambda: {".env": f"API_KEY={token(32)}\n"},
}


def facts_of(workspace, extra: str = ""):
    enable_repos(workspace, extra=extra)
    return analyze(ReposSource(workspace.settings()).collect().evidence, CTX)


def commit_all(root, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_a_secret_in_a_folder_that_is_not_a_git_repository_is_never_told_to_purge_history(workspace, name):
    write_files(workspace.root / "repos" / "site", SECRETS[name]())
    [fact] = [f for f in facts_of(workspace) if f.name == name]
    assert "not a git repository" in fact.statement
    assert "history" not in fact.recommendation and "filter-repo" not in fact.recommendation


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_a_secret_never_committed_in_a_git_repository_is_never_told_to_purge_history(workspace, name):
    git_repo(workspace.root / "repos" / "site", {"README.md": "site\n"}, loose=SECRETS[name]())
    [fact] = [f for f in facts_of(workspace) if f.name == name]
    assert "not committed yet" in fact.statement
    assert "history" not in fact.recommendation and "filter-repo" not in fact.recommendation


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_a_committed_secret_is_told_to_purge_history_and_names_the_commit(workspace, name):
    root = git_repo(workspace.root / "repos" / "site", SECRETS[name]())
    added = git(root, "rev-parse", "HEAD").strip()
    [fact] = [f for f in facts_of(workspace) if f.name == name]
    assert f"tracked by git since commit {added[:10]}" in fact.statement
    assert "purge it from history with git filter-repo" in fact.recommendation


def test_a_tracked_secret_is_told_to_purge_history_when_the_history_scan_is_off(workspace):
    git_repo(workspace.root / "repos" / "site", SECRETS["committed_live_payment_key"]())
    [fact] = facts_of(workspace, extra="history = false\n")
    assert "tracked by git" in fact.statement and "since commit" not in fact.statement
    assert "git filter-repo" in fact.recommendation


def test_a_file_now_ignored_but_committed_before_keeps_its_severity_and_the_purge(workspace):
    root = git_repo(workspace.root / "repos" / "shop", {"local.js": f"k = '{stripe_key()}'\n"})
    git(root, "rm", "-q", "--cached", "local.js")
    write_files(root, {".gitignore": "local.js\n"})
    commit_all(root)
    [fact] = facts_of(workspace)
    assert (fact.name, fact.severity) == ("committed_live_payment_key", "critical")
    assert "ignored by git, but committed in" in fact.statement and "history still holds it" in fact.statement
    assert "git filter-repo" in fact.recommendation


def test_a_key_deleted_from_the_working_tree_but_in_history_is_a_finding_with_commit_and_path(workspace):
    key = stripe_key()
    root = git_repo(workspace.root / "repos" / "client-sites", {"README.md": "sites\n"})
    write_files(root, {"sites/harbor/config/payments.php": f"<?php\n$k = '{key}';\n"})
    added = commit_all(root, "billing")
    (root / "sites/harbor/config/payments.php").unlink()
    commit_all(root, "oops")
    [fact] = facts_of(workspace)
    assert (fact.name, fact.severity) == ("secret_in_git_history", "critical")
    assert "repos/client-sites/sites/harbor/config/payments.php:2" in fact.statement
    assert added[:10] in fact.statement and "sk_live_…" + key[-4:] in fact.statement
    assert "gone from the working tree but the git history still holds it" in fact.statement
    assert fact.recommendation.startswith("Roll the key") and "filter-repo" in fact.recommendation
    assert key not in fact.model_dump_json()


def test_a_key_still_in_the_working_tree_is_not_a_history_finding_too(workspace):
    git_repo(workspace.root / "repos" / "shop", {"pay.js": f"k = '{stripe_key()}'\n"})
    assert [f.name for f in facts_of(workspace)] == ["committed_live_payment_key"]


def test_an_env_file_removed_from_git_is_one_history_finding_naming_its_credentials(workspace):
    root = git_repo(workspace.root / "repos" / "ops", {
        ".env.production": f"API_KEY={token(32)}\nDB_PASSWORD=pw{token(12)}\n", "README.md": "ops\n"})
    git(root, "rm", "-q", ".env.production")
    commit_all(root)
    [fact] = facts_of(workspace)
    assert (fact.name, fact.severity) == ("secret_in_git_history", "high")
    assert "The env file repos/ops/.env.production, with 2 credentials (API_KEY, DB_PASSWORD)" in fact.statement
    assert len(fact.evidence) == 2


@pytest.mark.parametrize("text", [
    "AWS_ACCESS_KEY_ID={id}\nAWS_SECRET_ACCESS_KEY={secret}\n",               # an env file, unquoted
    "export AWS_ACCESS_KEY_ID={id}\nexport AWS_SECRET_ACCESS_KEY={secret}\n",  # a shell script
    "[default]\naws_access_key_id={id}\naws_secret_access_key={secret}\n",      # ~/.aws/credentials
    "aws_access_key_id = {id}\naws_secret_access_key = {secret}\n",
    '{{"AccessKeyId": "{id}",\n "SecretAccessKey": "{secret}"}}\n',           # create-access-key output
])
@pytest.mark.parametrize("name", ["deploy.sh", "credentials", "config.py"])
def test_an_aws_key_id_with_its_secret_on_the_next_line_is_a_key_pair(workspace, text, name):
    key_id = aws_key_id()
    write_files(workspace.root / "repos" / "infra", {name: text.format(id=key_id, secret=aws_secret())})
    [fact] = [f for f in facts_of(workspace) if f.name == "cloud_key_in_code"]
    assert fact.severity == "critical" and "and its secret are in" in fact.statement
    assert "not beside it" not in fact.statement and "AKIA…" + key_id[-4:] in fact.statement


def test_an_aws_key_id_alone_says_its_secret_is_not_beside_it(workspace):
    write_files(workspace.root / "repos" / "infra", {
        "deploy.sh": f"export AWS_ACCESS_KEY_ID={aws_key_id()}\n# the secret is in the vault\n",
        "build.txt": f"commit {token(40, 'abcdef0123456789')} by ci\n",  # 40 characters, but no secret
    })
    [fact] = facts_of(workspace)
    assert fact.severity == "medium" and "its secret is not beside it" in fact.statement


def test_a_random_secret_of_modest_entropy_pairs_and_a_hex_digest_named_secret_does_not(workspace):
    from execbrief.sources.secretscan import shannon_entropy

    # 40 characters scoring 4.0-4.3 bits, as a real key's random draw sometimes does
    modest = token(40, "ABCDEFGHJKLMmnpqrstu234567", seed=3)
    assert 4.0 <= shannon_entropy(modest) < 4.3
    digest = token(40, "0123456789abcdef", seed=4)  # a sha1: at most 3.97 bits a character
    write_files(workspace.root / "repos" / "infra", {
        "a/credentials": f"aws_access_key_id={aws_key_id()}\naws_secret_access_key={modest}\n",
        "b/deploy.sh": f"export AWS_ACCESS_KEY_ID={aws_key_id()}\nAWS_SECRET_SHA1={digest}\n",
    })
    severities = sorted((f.sources[0].split("/")[2], f.severity) for f in facts_of(workspace))
    assert severities == [("a", "critical"), ("b", "medium")]
