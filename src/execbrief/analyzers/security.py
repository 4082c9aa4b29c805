"""Security findings in code: committed keys, plaintext credential files, open endpoints.

Each rule is a small pure function over the ``scan_hit`` evidence of the repositories
source, named after the finding it produces. A finding says where the problem is
(file:line), why it matters and how to fix it. Statements show a secret's masked preview
only; the scanner never hands over a value, so none can reach a report.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..model import SEVERITIES, Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import REPOS

__all__ = ["analyze", "RULES"]

TOPICS = ("security", "tech")
_FILTER_REPO = "purge it from history with git filter-repo"

# Worst first: how exposed a file is, by its git status.
_EXPOSURE = ("tracked", "untracked", "not_ignored", "ignored")


def _status_phrase(status: str | None, in_git: bool) -> str:
    if status == "tracked":
        return "tracked by git"
    if status == "untracked":
        return "not committed yet, and not ignored by .gitignore either"
    if status == "ignored":
        return "ignored by git" if in_git else "not a git repository; .gitignore excludes it"
    if status == "not_ignored":
        return "not a git repository, and no .gitignore excludes it"
    return "git status unknown"


def _worst_status(group: Sequence[Evidence]) -> str | None:
    statuses = [ev.record.get("git_status") for ev in group]
    ranked = [s for s in _EXPOSURE if s in statuses]
    return ranked[0] if ranked else None


def _step_down(severity: str, status: str | None) -> str:
    """One level less severe when git ignores the file: it is on disk, not in the repository."""
    if status != "ignored":
        return severity
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _label(ev: Evidence) -> str:
    return ev.provenance.label()


def _where(group: Sequence[Evidence]) -> str:
    first = _label(group[0])
    others = len({_label(ev) for ev in group}) - 1
    return first if not others else f"{first} and {others} other place{'s' if others > 1 else ''}"


def _groups(hits: Sequence[Evidence], rules: set[str], by: Callable[[Evidence], object]) -> list[list[Evidence]]:
    """Hits of some rules grouped (one finding per group), each group and the list in a stable order."""
    groups: dict[tuple[object, object], list[Evidence]] = {}
    for ev in hits:
        if ev.record.get("rule") in rules:
            groups.setdefault((ev.record.get("repo_path"), by(ev)), []).append(ev)
    ordered = [sorted(g, key=lambda ev: (ev.provenance.path, ev.provenance.line_start or 0)) for g in groups.values()]
    return sorted(ordered, key=lambda g: (g[0].provenance.path, g[0].provenance.line_start or 0))


def _same_secret(ev: Evidence) -> object:
    return ev.record.get("secret_sha256") or _label(ev)


def _same_file(ev: Evidence) -> object:
    return ev.provenance.path


def _entity(ev: Evidence, ctx: AnalysisContext) -> str | None:
    if ev.entity:
        return ev.entity
    repo = str(ev.record.get("repo") or "").lower()
    for entity in sorted(ctx.entities, key=len, reverse=True):
        if repo == entity or repo.startswith(entity + "-"):
            return entity
    return None


def _finding(name: str, group: Sequence[Evidence], severity: str, statement: str, fix: str,
             ctx: AnalysisContext, key: object = None) -> Fact:
    first = group[0]
    return Fact(
        id=stable_id("f", name, first.record.get("repo_path"), key or _same_secret(first)),
        kind="finding", name=name, entity=_entity(first, ctx), topics=TOPICS, severity=severity,  # type: ignore[arg-type]
        statement=statement, recommendation=fix,
        evidence=tuple(ev.id for ev in group), sources=tuple(dict.fromkeys(_label(ev) for ev in group)),
    )


# -- the rules ---------------------------------------------------------------------------


def committed_live_payment_key(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A Stripe live secret or restricted key in the code: critical unless git ignores the file."""
    facts = []
    for group in _groups(hits, {"stripe_live_secret", "stripe_live_restricted"}, _same_secret):
        first, status = group[0], _worst_status(group)
        restricted = first.record["rule"] == "stripe_live_restricted"
        kind, power = (
            ("restricted key", "use every permission the key was given on the live account")
            if restricted else ("secret key", "take payments, issue refunds and read customer data")
        )
        facts.append(_finding(
            "committed_live_payment_key", group, _step_down("critical", status),
            f"A Stripe live {kind} ({first.record.get('preview')}) is in {_where(group)} "
            f"({_status_phrase(status, first.record.get('git_repo', False))}): anyone who can read the "
            f"code can {power}.",
            "Roll the key in the Stripe dashboard (Developers, API keys), load the new one from an "
            f"environment variable or a secret manager, then {_FILTER_REPO}.",
            ctx,
        ))
    return facts


def test_payment_key_in_code(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A Stripe test key in the code: low, since it moves no money, but a habit to break."""
    facts = []
    for group in _groups(hits, {"stripe_test_key"}, _same_secret):
        first, status = group[0], _worst_status(group)
        facts.append(_finding(
            "test_payment_key_in_code", group, "low",
            f"A Stripe test key ({first.record.get('preview')}) is in {_where(group)} "
            f"({_status_phrase(status, first.record.get('git_repo', False))}): it moves no real money, "
            "but it shows payment keys are kept in code.",
            "Load the test key from an environment variable as well, so the live key never follows it into the code.",
            ctx,
        ))
    return facts


def cloud_key_in_code(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """AWS access keys in the code: critical with their secret, medium for a key id alone."""
    facts = []
    for group in _groups(hits, {"aws_access_key_pair", "aws_secret_key", "aws_access_key_id"}, _same_secret):
        first, status = group[0], _worst_status(group)
        phrase = _status_phrase(status, first.record.get("git_repo", False))
        preview = first.record.get("preview")
        if first.record["rule"] == "aws_access_key_id":
            severity = _step_down("medium", status)
            statement = (
                f"An AWS access key id ({preview}) is in {_where(group)} ({phrase}); its secret is not "
                "beside it, but the id names an IAM user and its account."
            )
            fix = ("Check in IAM whether the key is still active; if it is, rotate it, look for its secret "
                   "elsewhere, and keep key ids out of code.")
        else:
            severity = _step_down("critical", status)
            what = "An AWS access key" if first.record["rule"] == "aws_access_key_pair" else "An AWS secret access key"
            statement = (
                f"{what} ({preview}) and its secret are in {_where(group)} ({phrase}): anyone who can read "
                "the code can act as that IAM user in the AWS account."
                if first.record["rule"] == "aws_access_key_pair" else
                f"{what} ({preview}) is in {_where(group)} ({phrase}): with its key id, anyone who can "
                "read the code can act as that IAM user."
            )
            fix = ("Deactivate and delete the key in IAM (aws iam update-access-key --status Inactive, then "
                   "delete-access-key), check CloudTrail for its use, switch the code to an IAM role or the "
                   f"standard credential chain, then {_FILTER_REPO}.")
        facts.append(_finding("cloud_key_in_code", group, severity, statement, fix, ctx))
    return facts


def private_key_in_code(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A PEM private key in the code: critical, high when passphrase-protected or ignored."""
    facts = []
    for group in _groups(hits, {"private_key"}, _same_secret):
        first, status = group[0], _worst_status(group)
        encrypted = first.record.get("detail") == "encrypted"
        severity = _step_down("high" if encrypted else "critical", status)
        guard = " (it is passphrase-protected, which only slows an attacker)" if encrypted else ""
        facts.append(_finding(
            "private_key_in_code", group, severity,
            f"A private key ({first.record.get('preview')}) is in {_where(group)} "
            f"({_status_phrase(status, first.record.get('git_repo', False))}){guard}: anyone who can read "
            "the code can impersonate the server or user it belongs to.",
            "Issue a new key pair and revoke the old key wherever it is trusted, keep the new private key "
            f"in a secret manager, then {_FILTER_REPO}.",
            ctx,
        ))
    return facts


def high_entropy_secret(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A keyword-named, high-entropy value in a config file: high unless git ignores the file."""
    facts = []
    for group in _groups(hits, {"high_entropy_assignment"}, _same_secret):
        first, status = group[0], _worst_status(group)
        name = first.record.get("variable")
        holder = f"The setting {name}" if name else "A setting"
        facts.append(_finding(
            "high_entropy_secret", group, _step_down("high", status),
            f"{holder} in {_where(group)} holds what looks like a secret ({first.record.get('preview')}; "
            f"{_status_phrase(status, first.record.get('git_repo', False))}).",
            "Find out what the value unlocks and rotate it there, read it from an environment variable or a "
            f"secret manager instead, then {_FILTER_REPO}.",
            ctx,
        ))
    return facts


_MAX_NAMED = 5


def plaintext_credential_file(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """An env file with credentials in plaintext, one finding per file, by its git status."""
    facts = []
    for group in _groups(hits, {"env_credential"}, _same_file):
        first, status = group[0], _worst_status(group)
        in_git = bool(first.record.get("git_repo", False))
        severity = {"tracked": "critical", "ignored": "medium"}.get(status or "", "high")
        names = [str(ev.record.get("variable") or "a value") for ev in group]
        shown = ", ".join(names[:_MAX_NAMED]) + (" …" if len(names) > _MAX_NAMED else "")
        count = f"{len(group)} credential{'s' if len(group) > 1 else ''}"
        if status == "tracked":
            fix = ("Rotate every credential in the file, remove the file from the repository (git rm --cached, "
                   f"then add it to .gitignore) and {_FILTER_REPO}; keep the values in a secret manager.")
        elif status == "ignored":
            fix = ("Move the values into a password or secret manager instead of a plaintext file on disk, and "
                   "rotate any that were shared along with the file.")
        else:
            fix = ("Add the file to .gitignore before anyone commits it, rotate credentials that were shared "
                   "along with it, and keep the values in a password or secret manager.")
        facts.append(_finding(
            "plaintext_credential_file", group, severity,
            f"The env file {_label(first)} holds {count} in plaintext ({shown}; "
            f"{_status_phrase(status, in_git)}): anyone with a copy of the folder can use them.",
            fix, ctx, key=first.provenance.path,
        ))
    return facts


def unauthenticated_endpoint(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A Google Apps Script doPost/doGet that never checks a token: anyone with the URL can call it."""
    facts = []
    for group in _groups(hits, {"apps_script_no_auth"}, _label):
        first = group[0]
        handler = first.record.get("detail") or "doPost"
        writes = handler == "doPost"
        facts.append(_finding(
            "unauthenticated_endpoint", group, "high" if writes else "medium",
            f"The Google Apps Script web endpoint {handler}(e) at {_label(first)} never checks a token or "
            f"shared secret: anyone who finds its URL can {'submit data to it' if writes else 'read what it returns'}.",
            f"Have callers send a secret token, compare it in {handler} against one kept in Script Properties "
            "(PropertiesService) and reject requests without it, then redeploy; put rate limiting or a "
            "CAPTCHA on the form in front of it.",
            ctx,
        ))
    return facts


RULES: dict[str, Callable[[Sequence[Evidence], AnalysisContext], list[Fact]]] = {
    rule.__name__: rule
    for rule in (
        committed_live_payment_key, test_payment_key_in_code, cloud_key_in_code, private_key_in_code,
        high_entropy_secret, plaintext_credential_file, unauthenticated_endpoint,
    )
}


@rule(reads=REPOS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Every code security finding in the repositories' scan hits."""
    hits = [ev for ev in evidence if ev.kind == "scan_hit" and ev.source == "repos"]
    facts: list[Fact] = []
    for rule in RULES.values():
        facts.extend(rule(hits, ctx))
    return facts
