"""Secrets written in notes and ledger rows: withheld at the source, reported as findings."""

from __future__ import annotations

import pytest

from datetime import date

from execbrief.analyzers import AnalysisContext
from execbrief.analyzers.leaks import analyze as leaks
from execbrief.pipeline import run
from execbrief.sources.ledger import LedgerSource

# built at run time so no key-shaped literal sits in the source
STRIPE = "sk_live_" + "51HxQ2eZvKYlo2C" + "9f8a7b6c5d4e3f2g"
AWS_ID = "AKIA" + "Q3EGRTZ5XW7LMN4P"


def test_a_key_in_a_ledger_memo_is_withheld_and_becomes_a_scan_hit(workspace):
    workspace.write("ledger/t.csv", (
        "date,amount,entity,account,category,memo\n"
        f"2026-10-01,-10.00,alpha,Software,tech,Stripe fee {STRIPE}\n"
        f"2026-10-02,-12.00,alpha,Software,tech,Stripe fee {STRIPE}\n"
        "2026-10-03,-12.00,alpha,Software,tech,Plain memo that is long enough\n"
    ))
    result = LedgerSource(workspace.settings()).collect()
    (table,) = [ev.record["table"] for ev in result.evidence if ev.kind == "transactions"]
    rows = list(table.rows())
    memos = [ev.record["memo"] for ev in rows]
    assert memos[0] == "Stripe fee [secret withheld: sk_live_…3f2g]"
    assert memos[2] == "Plain memo that is long enough"
    hits = [ev for ev in result.evidence if ev.kind == "scan_hit"]
    assert [(h.provenance.line_start, h.record["field"]) for h in hits] == [(2, "memo"), (3, "memo")]
    assert all(STRIPE not in repr(ev) for ev in result.evidence + rows)
    assert all(STRIPE not in text for text in table.strings)


def test_the_same_secret_in_two_places_is_one_critical_finding(workspace):
    workspace.write("ledger/t.csv", (
        "date,amount,entity,account,category,memo\n"
        f"2026-10-01,-10.00,alpha,Software,tech,Stripe fee {STRIPE}\n"
        f"2026-10-02,-12.00,alpha,Software,tech,Stripe fee {STRIPE}\n"
    ))
    evidence = LedgerSource(workspace.settings()).collect().evidence
    ctx = AnalysisContext(as_of=date(2026, 11, 23), entities={"alpha": ("Alpha Rentals", "rental")})
    (finding,) = leaks(evidence, ctx)
    assert finding.severity == "critical" and finding.name == "secret_in_text"
    assert "sk_live_…3f2g" in finding.statement and "ledger/t.csv:2 and 1 other places" in finding.statement
    assert STRIPE not in finding.model_dump_json()


def test_no_secret_no_finding(workspace):
    workspace.write("ledger/t.csv", "date,amount,entity,account,category,memo\n2026-10-01,-10.00,alpha,Rent,ops,October rent\n")
    ctx = AnalysisContext(as_of=date(2026, 11, 23))
    assert leaks(LedgerSource(workspace.settings()).collect().evidence, ctx) == []


def test_a_key_pasted_in_a_note_reaches_no_file_the_run_writes_and_the_cto_hears_of_it(demo_workspace):
    demo_workspace.write("notes/org/handover.md", (
        "---\ntitle: Handover\nupdated: 2026-11-20\ntags: [tech]\n---\n# Handover\n\n"
        f"## Access\n- The AWS key for backups is {AWS_ID}.\n"
    ))
    result = run(demo_workspace.settings())
    written = b"".join(
        p.read_bytes() for folder in (".execbrief", "outbox")
        for p in (demo_workspace.root / folder).rglob("*") if p.is_file()
    )
    assert AWS_ID.encode() not in written
    cto = open(next(r for r in result.reports if r.lens == "cto").files["text"]).read()
    assert "AKIA…MN4P" in cto and "notes/org/handover.md:9" in cto


@pytest.mark.parametrize("text, kept", [
    ("Dispatch tablet PIN is 1234, written on tape on the back", "Dispatch tablet PIN is [secret withheld: …], written on tape on the back"),
    ("Key safe code: 4471 for the cleaner", "Key safe code: [secret withheld: …] for the cleaner"),
    ("The wifi password is Gull2024 on the fridge", "The wifi password is [secret withheld: …] on the fridge"),
    ("The password is in the shared spreadsheet", "The password is in the shared spreadsheet"),
    ("Pin the rota to the board; zip code is 12345", "Pin the rota to the board; zip code is 12345"),
    ("[08:15] luis: the gate admin login for the PTI portal is admin / Ridgeway#2291 if the tech asks",
     "[08:15] luis: the gate admin login for the PTI portal is admin / [secret withheld: …] if the tech asks"),
    ("username/password: dana / Harbor2024", "username/password: dana / [secret withheld: …]"),
    ("The login page is /admin / settings", "The login page is /admin / settings"),
    ("QBO accountant account: priya@fennfamily.example, pw: Maple!Leaf42 (Priya, please change it)",
     "QBO accountant account: priya@fennfamily.example, pw: [secret withheld: …] (Priya, please change it)"),
    ("PW = hunter22", "PW = [secret withheld: …]"),
    ("pass: approved by Dana; bypass: 12345678", "pass: approved by Dana; bypass: 12345678"),
    # a code said aloud, a lock or door in the same sentence
    ("so the lockbox on the side door, the code is 7316, for the plumber",
     "so the lockbox on the side door, the code is [secret withheld: …], for the plumber"),
    ("Guest access: key safe by the back door, code 5580 (changed 1 Nov)",
     "Guest access: key safe by the back door, code [secret withheld: …] (changed 1 Nov)"),
    ("code 4471 opens the gate", "code [secret withheld: …] opens the gate"),
    ("a 10% off code for Gull Cottage guests; door 12", "a 10% off code for Gull Cottage guests; door 12"),
    # a password's shape beside words of logging in, however it is introduced
    ("[11/18 18:02] Dev: the Onfleet login is the same for everyone. it's hop@lumenhop.example / Bikes4Days!",
     "[11/18 18:02] Dev: the Onfleet login is the same for everyone. it's hop@lumenhop.example / [secret withheld: …]"),
    ("it's in the 1Password vault... just use it and I'll rotate after: `lumen-admin` / `Halvorsen!Pine44`",
     "it's in the 1Password vault... just use it and I'll rotate after: `lumen-admin` / `[secret withheld: …ne44]`"),
    ("Login page redesign shipped! Q4results were great.", "Login page redesign shipped! Q4results were great."),
    ("We rotate the tyres every 5,000 miles!", "We rotate the tyres every 5,000 miles!"),
    # a key safe's code said without "code"; a login pasted as "address / password", or the
    # password alone on the line after the address
    ("Priya: Key safe at Kingsway is 4471. Put the keys back after pls",
     "Priya: Key safe at Kingsway is [secret withheld: …]. Put the keys back after pls"),
    ("Sam: bookings@swiftmanandvan.co.uk / SwiftVan2024! same as always",
     "Sam: bookings@swiftmanandvan.co.uk / [secret withheld: …] same as always"),
    ("Dev: Greene & Co M365 admin\nadmin@greeneco-law.co.uk\nGreeneCo!Admin2026\n",
     "Dev: Greene & Co M365 admin\nadmin@greeneco-law.co.uk\n[secret withheld: …2026]\n"),
    ("write to sales@example.com / 2024 report attached", "write to sales@example.com / 2024 report attached"),
    ("the keypad is fine now", "the keypad is fine now"),
    # a Wi-Fi network and its password, or its key named; the network's name and a speed stay
    ("- Guest wifi: Grachtzicht-Gasten / Kanaal#Eend2026", "- Guest wifi: Grachtzicht-Gasten / [secret withheld: …]"),
    ("wifi key: Eend2026! (on the fridge)", "wifi key: [secret withheld: …] (on the fridge)"),
    ("Staff wifi: network \"Spokeshave-Staff\", wifi password is Spokes2026. Same since June",
     "Staff wifi: network \"Spokeshave-Staff\", wifi password is [secret withheld: …]. Same since June"),
    ("Guest wifi: Grachtzicht-Gasten, 200/50 Mbit since the upgrade",
     "Guest wifi: Grachtzicht-Gasten, 200/50 Mbit since the upgrade"),
    # a connection string's password (pasted from an old .env); the host, user and a plain URL stay
    ("    DATABASE_URL=postgres://tallyho_app:Fake-Pa55word-9931@tallyho-prod.example.com:5432/tallyho",
     "    DATABASE_URL=postgres://tallyho_app:[secret withheld: …9931]@tallyho-prod.example.com:5432/tallyho"),
    ("redis://:s3cr3t-cache@cache.internal:6379/0", "redis://:[secret withheld: …]@cache.internal:6379/0"),
    ("see https://example.com/a:b@c and http://host:8080/path", "see https://example.com/a:b@c and http://host:8080/path"),
])
def test_codes_and_passwords_as_people_write_them_in_notes_are_withheld(text, kept):
    from execbrief.redaction import withhold

    assert withhold(text)[0] == kept


@pytest.mark.parametrize("secret", ["rKlKs2YigOaRfFR2fWhcdp6b5ffNHdZ2vatF3eA+", "rKlKs2YigOaRfFR2fWhcdp6b5ffNHdZ2vatF3eA/",
                                    "rKlKs2YigOaRfFR2fWhcdp6b5ffNHdZ2vatF3eA="])
def test_an_aws_secret_ending_in_a_symbol_is_still_named_so(secret):
    from execbrief.redaction import scan

    assert [h.kind for h in scan(f"aws_secret_access_key = {secret}\nnext line")] == ["AWS secret access key"]


def test_a_table_column_of_passwords_or_codes_is_withheld_cell_by_cell():
    from execbrief.redaction import withhold

    note = ("| What | Login | Password / code |\n|---|---|---|\n"
            "| Chase checking | rosa.c | Fettuccine#1962 |\n| Lockbox (front door) | — | 4417 |\n"
            "| QuickBooks | rosa@example.com | same as Chase |\n\n"
            "| Product | Code | Price |\n|---|---|---|\n| Fettuccine | FET-500 | $7 |\n")

    kept, hits = withhold(note)

    assert "Fettuccine#1962" not in kept and "4417" not in kept
    assert [h.kind for h in hits] == ["password in a table", "password in a table"]
    assert "| QuickBooks | rosa@example.com | same as Chase |" in kept  # no secret: words
    assert "| Fettuccine | FET-500 | $7 |" in kept  # a product code is no access code
