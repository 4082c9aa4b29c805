"""Secrets written in notes: an AWS key id with its secret beside it is one key pair."""

from __future__ import annotations

from datetime import date

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.leaks import analyze
from execbrief.sources.notes import NotesSource
from repo_helpers import aws_key_id, aws_secret, stripe_key

CTX = AnalysisContext(as_of=date(2026, 11, 23), entities={"alpha": ("Alpha Rentals", "rental")})


def findings(workspace):
    result = NotesSource(workspace.settings()).collect()
    evidence = [*result.evidence, *(hit for part in result.parts for hit in part.hits)]
    return analyze(evidence, CTX)


def test_an_aws_key_id_with_its_secret_on_the_next_line_of_a_note_is_one_key_pair(workspace):
    key_id, secret = aws_key_id(), aws_secret()
    workspace.write("notes/alpha/deploy.md", (
        "---\ntitle: Deploy\nentity: alpha\n---\n# Deploy\n\n"
        f"AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={secret}\n"
    ))
    [fact] = findings(workspace)
    assert fact.severity == "critical" and len(fact.evidence) == 2
    assert f"an AWS access key (AKIA…{key_id[-4:]}) and its secret access key" in fact.statement
    assert "notes/alpha/deploy.md:7 and notes/alpha/deploy.md:8" in fact.statement
    assert "Deactivate and delete the key in IAM" in fact.recommendation
    assert secret not in fact.model_dump_json() and key_id not in fact.model_dump_json()


def test_an_aws_key_id_alone_and_a_secret_in_another_note_are_not_a_pair(workspace):
    workspace.write("notes/alpha/a.md", f"# A\n\nThe backup key id is {aws_key_id()}.\n")
    workspace.write("notes/alpha/b.md", f"# B\n\naws_secret_access_key = {aws_secret()}\n{stripe_key()}\n")
    statements = sorted(f.statement for f in findings(workspace))
    assert len(statements) == 3 and not any("and its secret access key" in s for s in statements)
    assert any(": an AWS access key id (AKIA…" in s for s in statements)
    assert any(": an AWS secret access key (" in s for s in statements)
    assert any(": a Stripe key (sk_live_…" in s for s in statements)


def test_an_unlabelled_secret_on_the_line_after_a_key_id_is_its_pair_and_one_far_away_is_not(workspace):
    key_id = aws_key_id()
    workspace.write("notes/alpha/portal.md", (
        "# Upload portal\n\nIAM user `portal-uploader`, keys below (I know, I know):\n\n"
        f"{key_id}\n{aws_secret()}\n\nCosts $13-16 a month.\n"
    ))
    [fact] = findings(workspace)
    assert f"an AWS access key (AKIA…{key_id[-4:]}) and its secret access key" in fact.statement
    assert "notes/alpha/portal.md:5 and notes/alpha/portal.md:6" in fact.statement

    workspace.write("notes/alpha/portal.md", (
        f"# Upload portal\n\n{aws_key_id()}\n" + "\nSome prose about the portal.\n" * 4 + f"\n{aws_secret()}\n"))
    kinds = sorted(f.statement.split(": ", 1)[1].split(" (")[0] for f in findings(workspace))
    assert kinds == ["a high-entropy string", "an AWS access key id"]


def test_secrets_of_one_kind_in_one_file_are_one_finding_naming_their_lines(workspace):
    workspace.write("notes/alpha/logins.md", (
        "# Logins\n\n| What | Login | Password / code |\n|---|---|---|\n"
        "| Bank | rosa | Fettuccine#1962 |\n| Square | gina@example.com | Rigatoni!2291 |\n"
        "| Dispatch | dispatch@example.com | Vans2019!blue |\n| QuickBooks | rosa@example.com | same as Bank |\n"
    ))
    workspace.write("notes/alpha/deploy.md", f"# Deploy\n\n{stripe_key()}\n")
    by_kind = {f.statement.split(", each ")[-1].split(",")[0] if "secrets, each" in f.statement else "one": f
               for f in findings(workspace)}

    table = by_kind["a password in a table"]
    assert table.statement.startswith("Alpha Rentals: 3 secrets, each a password in a table")
    assert "notes/alpha/logins.md lines 5, 6 and 7; anyone who can read them can use them." in table.statement
    assert len(table.evidence) == 3 and table.severity == "high"
    assert table.recommendation.startswith("Roll each of the 3 secrets in notes/alpha/logins.md with its provider")
    assert "Fettuccine" not in table.model_dump_json()
    assert ": a Stripe key (sk_live_…" in by_kind["one"].statement  # one secret alone: as before


def test_a_door_code_is_changed_at_the_lock_not_rolled_with_a_provider(workspace):
    workspace.write("notes/alpha/access.md", "# Access\n\nKey safe at the flats is 4471, put the keys back.\n")

    [fact] = findings(workspace)

    assert ": a key safe or lock code (" in fact.statement
    assert fact.recommendation.startswith("Change the key safe or lock code, delete it from the notes")
    assert "4471" not in fact.model_dump_json()


def test_a_secret_in_a_note_of_no_business_is_the_business_its_line_names(workspace):
    workspace.write("notes/family-chat.md", (
        "# Family chat\n\n[18/09/2026, 10:24:15] Priya: Key safe at Alpha Rentals is 4471. Put the keys back after pls\n"
        "[18/09/2026, 10:30:00] Sam: the old code was 1234 lol\n"))

    by_line = {f.sources[0]: f for f in findings(workspace)}

    assert by_line["notes/family-chat.md:3"].entity == "alpha"  # its line names the business
    assert by_line["notes/family-chat.md:3"].statement.startswith("Alpha Rentals: a key safe or lock code")
