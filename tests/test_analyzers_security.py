"""Security rules over the repositories source's scan hits: each planted, each absent, and severities."""

from __future__ import annotations

from datetime import date

import pytest

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers import analyze as analyze_all
from execbrief.analyzers.security import RULES, analyze
from execbrief.sources.repos import ReposSource
from repo_helpers import (
    aws_key_id, aws_secret, enable_repos, git_repo, private_key, stripe_key, token, write_files,
)

CTX = AnalysisContext(
    as_of=date(2026, 11, 23), entities={"alpha": ("Alpha Rentals", "rental"), "beta": ("Beta Delivery", "delivery")},
)


def _open_script(check: str = "") -> str:
    return (
        "function doPost(e) {\n" + check +
        "  SpreadsheetApp.getActive().getSheetByName('Orders').appendRow([e.parameter.name]);\n}\n"
    )


# rule → (files that plant it, similar files that must not produce it)
CASES = {
    "committed_live_payment_key": (
        lambda: {"config.js": f"const stripe = require('stripe')('{stripe_key()}');\n"},
        lambda: {"config.js": "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);\n"},
    ),
    "test_payment_key_in_code": (
        lambda: {"checkout.js": f"const key = '{stripe_key('test')}';\n"},
        lambda: {"checkout.js": f"const publishable = '{'pk' + '_test_' + token(32)}';\n"},
    ),
    "cloud_key_in_code": (
        lambda: {"deploy.py": f"KEY_ID = '{aws_key_id()}'\nSECRET = '{aws_secret()}'  # aws secret\n"},
        lambda: {"deploy.py": "session = boto3.Session()  # credentials from the standard chain\n"},
    ),
    "private_key_in_code": (
        lambda: {"certs/server.key": private_key()[0]},
        lambda: {"certs/server.pub": "-----BEGIN PUBLIC KEY-----\n" + token(64) + "\n-----END PUBLIC KEY-----\n"},
    ),
    "high_entropy_secret": (
        lambda: {"settings.json": f'{{"api_key": "{token(32)}"}}\n'},
        lambda: {"settings.json": '{"api_key": "${API_KEY}", "retries": 3}\n'},
    ),
    "plaintext_credential_file": (
        lambda: {".env": f"ONFLEET_API_KEY={token(32)}\nDB_PASSWORD=hunter2{token(4)}\n"},
        lambda: {".env.example": "ONFLEET_API_KEY=\nDB_PASSWORD=changeme\n", ".env": "REGION=us-east-1\n"},
    ),
    "unauthenticated_endpoint": (
        lambda: {"Code.gs": _open_script()},
        lambda: {"Code.gs": _open_script("  if (e.parameter.token !== TOKEN) throw new Error('denied');\n")},
    ),
}


def scan(workspace, repos: dict[str, dict[str, str]], git: bool = False):
    """Write the repos, run the real source, and return its evidence and the security facts."""
    enable_repos(workspace)
    for name, files in repos.items():
        root = workspace.root / "repos" / name
        git_repo(root, files) if git else write_files(root, files)
    evidence = ReposSource(workspace.settings()).collect().evidence
    return evidence, analyze(evidence, CTX)


def test_every_rule_has_a_planted_and_a_clean_case():
    # secret_in_git_history needs commits: its cases are in test_analyzers_security_evidence.py
    assert set(CASES) | {"secret_in_git_history"} == set(RULES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_produces_its_finding_from_a_planted_file(workspace, name):
    _, facts = scan(workspace, {"alpha-site": CASES[name][0]()})
    found = [f for f in facts if f.name == name]
    assert len(found) == 1
    fact = found[0]
    assert fact.kind == "finding" and fact.severity and fact.entity == "alpha"
    assert {"security", "tech"} <= set(fact.topics)
    assert fact.sources[0].startswith("repos/alpha-site/") and fact.sources[0] in fact.statement
    assert fact.recommendation and fact.evidence


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_produces_nothing_without_its_problem(workspace, name):
    _, facts = scan(workspace, {"alpha-site": CASES[name][1]()})
    assert [f.name for f in facts if f.name == name] == []


def test_live_key_finding_names_file_line_and_preview_never_the_key(workspace):
    key = stripe_key()
    _, [fact] = scan(workspace, {"shop": {"src/pay.php": f"<?php\ndefine('STRIPE_SECRET', '{key}');\n"}}, git=True)
    assert fact.severity == "critical" and fact.entity is None
    assert "repos/shop/src/pay.php:2" in fact.statement and "sk_live_…" + key[-4:] in fact.statement
    assert "tracked by git" in fact.statement
    assert "Stripe dashboard" in fact.recommendation and "git filter-repo" in fact.recommendation
    assert key not in fact.model_dump_json()


def test_live_key_in_a_file_git_ignores_is_one_level_less_severe(workspace):
    enable_repos(workspace)
    git_repo(workspace.root / "repos" / "shop", {".gitignore": "local.js\n"},
             loose={"local.js": f"k = '{stripe_key()}'\n"})
    [fact] = analyze(ReposSource(workspace.settings()).collect().evidence, CTX)
    assert (fact.name, fact.severity) == ("committed_live_payment_key", "high")
    assert "ignored by git" in fact.statement


def test_the_same_key_in_two_files_is_one_finding_with_both_places(workspace):
    key = stripe_key()
    _, facts = scan(workspace, {"shop": {"a.js": f"k='{key}'\n", "b/c.js": f"\n\nk='{key}'\n"}})
    [fact] = facts
    assert fact.sources == ("repos/shop/a.js:1", "repos/shop/b/c.js:3")
    assert "and 1 other place" in fact.statement and len(fact.evidence) == 2


@pytest.mark.parametrize(("committed", "loose", "severity", "phrase"), [
    ({".env": "API_KEY=" + token(24) + "\n"}, {}, "critical", "tracked by git"),
    ({"README.md": "app\n"}, {".env": "API_KEY=" + token(24) + "\n"}, "high", "not committed yet"),
    ({".gitignore": ".env\n"}, {".env": "API_KEY=" + token(24) + "\n"}, "medium", "ignored by git"),
])
def test_plaintext_credential_file_severity_follows_git_status(workspace, committed, loose, severity, phrase):
    enable_repos(workspace)
    git_repo(workspace.root / "repos" / "beta-dispatch", committed, loose=loose)
    facts = analyze(ReposSource(workspace.settings()).collect().evidence, CTX)
    [fact] = [f for f in facts if f.name == "plaintext_credential_file"]
    assert fact.severity == severity and phrase in fact.statement
    assert fact.entity == "beta" and "API_KEY" in fact.statement and ".env" in fact.statement


def test_env_file_with_several_credentials_is_one_finding_naming_them(workspace):
    _, facts = scan(workspace, {"ops": {".env": f"A_TOKEN={token(20)}\nB_SECRET={token(20)}\nC_PASSWORD=pw{token(6)}\n"}})
    [fact] = [f for f in facts if f.name == "plaintext_credential_file"]
    assert "3 credentials" in fact.statement and "A_TOKEN, B_SECRET, C_PASSWORD" in fact.statement
    assert "repos/ops/.env:1 " in fact.statement and "no .gitignore excludes it" in fact.statement


def test_lesser_variants_get_lower_severities(workspace):
    _, facts = scan(workspace, {"ops": {
        "keys/backup.pem": private_key("ENCRYPTED ")[0],
        "notes.txt": f"old key id {aws_key_id()}\n",
        "Code.gs": "function doGet(e) {\n  return ContentService.createTextOutput(SHEET.getRange('A1').getValue());\n}\n",
        "test.js": f"k = '{stripe_key('test')}'\n",
    }})
    severity = {f.name: f.severity for f in facts}
    assert severity == {"private_key_in_code": "high", "cloud_key_in_code": "medium",
                        "unauthenticated_endpoint": "medium", "test_payment_key_in_code": "low"}


def test_security_runs_with_the_other_analyzers_and_ids_are_stable(workspace):
    evidence, _ = scan(workspace, {"alpha-site": {"Code.gs": _open_script(), "k.js": f"k='{stripe_key()}'\n"}})
    first, failures = analyze_all(evidence, CTX)
    again, _ = analyze_all(evidence, CTX)
    assert failures == {}
    names = {f.name for f in first}
    assert {"unauthenticated_endpoint", "committed_live_payment_key"} <= names
    assert [f.id for f in first] == [f.id for f in again]


def test_hits_from_other_sources_are_not_this_analyzers_business(workspace):
    evidence, _ = scan(workspace, {"shop": {"a.js": f"k='{stripe_key()}'\n"}})
    foreign = [ev.model_copy(update={"source": "aws"}) for ev in evidence]
    assert analyze(foreign, CTX) == []
