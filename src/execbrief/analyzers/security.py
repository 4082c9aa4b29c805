"""Security findings in code: committed keys, plaintext credential files, open endpoints.

Each rule is a small pure function over the ``scan_hit`` evidence of the repositories
source, named after the finding it produces. A finding says where the problem is
(file:line), why it matters and how to fix it. Statements show a secret's masked preview
only; the scanner never hands over a value, so none can reach a report.

A fix matches the evidence: purging the git history is advised only for a secret the
history holds (the history scan found it, or git tracks its file where the history was
not scanned), never for a folder that is not a git repository or a file never committed.
A secret that only the history still holds is ``secret_in_git_history``.
"""

from __future__ import annotations

from typing import Callable, Sequence

from ..model import SEVERITIES, Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import REPOS

__all__ = ["analyze", "RULES"]

TOPICS = ("security", "tech")
_FILTER_REPO = "purge it from history with git filter-repo"
_OUTSIDE_GIT = "keep the file out of version control"

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


def _committed(group: Sequence[Evidence]) -> Evidence | None:
    """The hit whose secret the history scan found in a commit, if any."""
    return next((ev for ev in group if ev.record.get("in_history") and ev.record.get("commit")), None)


def _in_history(group: Sequence[Evidence]) -> bool:
    """Whether the git history holds the secret: a commit added it, or (history not
    scanned) git tracks its file."""
    return any(ev.record.get("in_history") or (ev.record.get("in_history") is None
                                                and ev.record.get("git_status") == "tracked") for ev in group)


def _exposure(group: Sequence[Evidence], status: str | None) -> str:
    """How exposed the secret is: its file's git status, and the commit that added it."""
    phrase = _status_phrase(status, bool(group[0].record.get("git_repo", False)))
    added = _committed(group)
    if added is None:
        return phrase
    when = f"{str(added.record['commit'])[:10]} on {str(added.record.get('committed_at') or '')[:10]}"
    if status == "tracked":
        return f"{phrase} since commit {when}"
    return f"{phrase}, but committed in {when}, so the git history still holds it"


def _then_purge(group: Sequence[Evidence]) -> str:
    """The last step of a secret's fix: purge the history where it holds the secret."""
    if _in_history(group):
        return f", then {_FILTER_REPO}"
    if not group[0].record.get("git_repo"):
        return f", and {_OUTSIDE_GIT}"
    return ""


def _step_down(severity: str, status: str | None, group: Sequence[Evidence] = ()) -> str:
    """One level less severe when git ignores the file: it is on disk, not in the repository
    (unless a commit put it in the history all the same)."""
    if status != "ignored" or _committed(group) is not None:
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
            "committed_live_payment_key", group, _step_down("critical", status, group),
            f"A Stripe live {kind} ({first.record.get('preview')}) is in {_where(group)} "
            f"({_exposure(group, status)}): anyone who can read the code can {power}.",
            "Roll the key in the Stripe dashboard (Developers, API keys), load the new one from an "
            f"environment variable or a secret manager{_then_purge(group)}.",
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
            f"({_exposure(group, status)}): it moves no real money, "
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
        phrase = _exposure(group, status)
        preview = first.record.get("preview")
        if first.record["rule"] == "aws_access_key_id":
            severity = _step_down("medium", status, group)
            statement = (
                f"An AWS access key id ({preview}) is in {_where(group)} ({phrase}); its secret is not "
                "beside it, but the id names an IAM user and its account."
            )
            fix = ("Check in IAM whether the key is still active; if it is, rotate it, look for its secret "
                   "elsewhere, and keep key ids out of code.")
        else:
            severity = _step_down("critical", status, group)
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
                   f"standard credential chain{_then_purge(group)}.")
        facts.append(_finding("cloud_key_in_code", group, severity, statement, fix, ctx))
    return facts


def private_key_in_code(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A PEM private key in the code: critical, high when passphrase-protected or ignored."""
    facts = []
    for group in _groups(hits, {"private_key"}, _same_secret):
        first, status = group[0], _worst_status(group)
        encrypted = first.record.get("detail") == "encrypted"
        severity = _step_down("high" if encrypted else "critical", status, group)
        guard = " (it is passphrase-protected, which only slows an attacker)" if encrypted else ""
        facts.append(_finding(
            "private_key_in_code", group, severity,
            f"A private key ({first.record.get('preview')}) is in {_where(group)} "
            f"({_exposure(group, status)}){guard}: anyone who can read "
            "the code can impersonate the server or user it belongs to.",
            "Issue a new key pair and revoke the old key wherever it is trusted, keep the new private key "
            f"in a secret manager{_then_purge(group)}.",
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
            "high_entropy_secret", group, _step_down("high", status, group),
            f"{holder} in {_where(group)} holds what looks like a secret ({first.record.get('preview')}; "
            f"{_exposure(group, status)}).",
            "Find out what the value unlocks and rotate it there, read it from an environment variable or a "
            f"secret manager instead{_then_purge(group)}.",
            ctx,
        ))
    return facts


_MAX_NAMED = 5


def plaintext_credential_file(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """An env file with credentials in plaintext, one finding per file, by its git status."""
    facts = []
    for group in _groups(hits, {"env_credential"}, _same_file):
        first, status = group[0], _worst_status(group)
        severity = {"tracked": "critical", "ignored": "medium"}.get(status or "", "high")
        if status != "tracked" and _committed(group) is not None:
            severity = "high"  # out of the working tree's commits, but still in the history
        names = [str(ev.record.get("variable") or "a value") for ev in group]
        shown = ", ".join(names[:_MAX_NAMED]) + (" …" if len(names) > _MAX_NAMED else "")
        count = f"{len(group)} credential{'s' if len(group) > 1 else ''}"
        if status == "tracked":
            fix = ("Rotate every credential in the file, remove the file from the repository (git rm --cached, "
                   f"then add it to .gitignore) and {_FILTER_REPO}; keep the values in a secret manager.")
        elif _in_history(group):
            fix = ("Rotate every credential in the file (a commit put them in the git history) and "
                   f"{_FILTER_REPO}; keep the values in a secret manager.")
        elif status == "ignored":
            fix = ("Move the values into a password or secret manager instead of a plaintext file on disk, and "
                   "rotate any that were shared along with the file.")
        else:
            fix = ("Add the file to .gitignore before anyone commits it, rotate credentials that were shared "
                   "along with it, and keep the values in a password or secret manager.")
        facts.append(_finding(
            "plaintext_credential_file", group, severity,
            f"The env file {_label(first)} holds {count} in plaintext ({shown}; "
            f"{_exposure(group, status)}): anyone with a copy of the folder can use them.",
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


# What a secret the history still holds is, how bad, and what undoes it (before the purge).
_HISTORY = {
    "stripe_live_secret": ("A Stripe live secret key", "critical",
                           "Roll the key in the Stripe dashboard (Developers, API keys): treat it as leaked"),
    "stripe_live_restricted": ("A Stripe live restricted key", "critical",
                               "Roll the key in the Stripe dashboard (Developers, API keys): treat it as leaked"),
    "aws_access_key_pair": ("An AWS access key and its secret", "critical",
                            "Deactivate and delete the key in IAM and check CloudTrail for its use"),
    "aws_secret_key": ("An AWS secret access key", "critical",
                       "Deactivate and delete the key in IAM and check CloudTrail for its use"),
    "aws_access_key_id": ("An AWS access key id", "medium",
                          "Check in IAM whether the key is still active and rotate it if it is"),
    "private_key": ("A private key", "critical",
                    "Issue a new key pair and revoke the old key wherever it is trusted"),
    "high_entropy_assignment": ("A secret-looking setting", "high",
                                "Find out what the value unlocks and rotate it there"),
    "env_credential": ("A credential in an env file", "high", "Rotate the credential where it was issued"),
    "stripe_test_key": ("A Stripe test key", "low", "Roll the test key in the Stripe dashboard"),
}


def secret_in_git_history(hits: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """A secret a commit added that the working tree no longer holds: whoever has a clone can
    read it back, so it must be rotated, then purged from the history."""
    facts = []
    past = [ev for ev in hits if ev.record.get("history")]

    def by(ev: Evidence) -> object:  # an env file's credentials are one finding, as in the working tree
        return ("file", ev.provenance.path) if ev.record.get("rule") == "env_credential" else _same_secret(ev)

    for group in _groups(past, set(_HISTORY), by):
        # the commit that added it first names it; the others are listed as places
        group = sorted(group, key=lambda ev: (str(ev.record.get("committed_at")), ev.provenance.path,
                                              ev.provenance.line_start or 0))
        first = group[0]
        rule_name = first.record["rule"]
        what, severity, undo = _HISTORY[rule_name]
        if rule_name == "private_key" and first.record.get("detail") == "encrypted":
            severity = "high"
        if rule_name == "env_credential":
            names = list(dict.fromkeys(str(ev.record.get("variable") or "a value") for ev in group))
            shown = ", ".join(names[:_MAX_NAMED]) + (" …" if len(names) > _MAX_NAMED else "")
            what = f"The env file {first.provenance.path}, with {len(names)} credential{'s' if len(names) > 1 else ''} ({shown}),"
            undo = "Rotate every credential the file held"
        elif rule_name == "high_entropy_assignment" and first.record.get("variable"):
            what = f"The setting {first.record['variable']}, which looks like a secret"
        commits = len({ev.record.get("commit") for ev in group})
        again = f", and again in {commits - 1} later commit{'s' if commits > 2 else ''}" if commits > 1 else ""
        shown_at = _label(first) if rule_name != "env_credential" else first.provenance.path
        preview = f" ({first.record.get('preview')})" if rule_name != "env_credential" else ""
        facts.append(_finding(
            "secret_in_git_history", group, severity,
            f"{what}{preview} was committed to {shown_at} in {str(first.record.get('commit'))[:10]} on "
            f"{str(first.record.get('committed_at'))[:10]}{again}; it is gone from the working tree but the git "
            "history still holds it: anyone with a clone of the repository can read it back.",
            f"{undo} first, then {_FILTER_REPO} (git filter-repo --replace-text or --invert-paths), "
            "force-push every branch and tag, and have everyone clone again.",
            ctx, key=by(first),
        ))
    return facts


RULES: dict[str, Callable[[Sequence[Evidence], AnalysisContext], list[Fact]]] = {
    rule.__name__: rule
    for rule in (
        committed_live_payment_key, test_payment_key_in_code, cloud_key_in_code, private_key_in_code,
        high_entropy_secret, plaintext_credential_file, unauthenticated_endpoint, secret_in_git_history,
    )
}


@rule(reads=REPOS)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Every code security finding in the repositories' scan hits."""
    hits = [ev for ev in evidence if ev.kind == "scan_hit" and ev.source == "repos"]
    # the working tree's rules read its own hits; the history's rule sorts out its own
    tree = [ev for ev in hits if not ev.record.get("history")]
    facts: list[Fact] = []
    for name, check in RULES.items():
        facts.extend(check(hits if name == "secret_in_git_history" else tree, ctx))
    return facts
