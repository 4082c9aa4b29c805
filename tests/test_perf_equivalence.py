"""The performance shortcuts give exactly what the plain ways gave.

Each shortcut (facts built without validation, the keyword tree, the secret scan's
substring prefilters, finance's grouped sums and packed duplicate keys) is checked against the straightforward
computation it replaced, kept here as the reference.
"""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from execbrief import redaction
from execbrief.analyzers import AnalysisContext, books, finance, ledger_rows
from execbrief.analyzers.ledger_types import classifier, profit_effect
from execbrief.vocabulary import builtin_vocabulary
from execbrief.analyzers.build import fact
from execbrief.model import Evidence, Fact, Provenance
from execbrief.transactions import TransactionTable

FACTS = [
    dict(id="f-1", kind="action", name="overdue_task", entity="biz-01", severity="high", due=date(2026, 11, 2),
         statement="Harbor: renew the lease, overdue since 2026-11-02.", recommendation="renew the lease",
         topics=("compliance", "operations"), evidence=("ev-1",), sources=("notes/a.md",)),
    dict(id="f-2", kind="finding", name="risk", entity=None, severity="medium", due=None,
         statement="Group: boiler may fail.", topics=("maintenance", "risk"), evidence=("ev-2",),
         sources=("notes/b.md:12",)),
    dict(id="f-3", kind="note", name="table_row", entity="biz-02", statement="Fleet — Vans: V1 (mileage 1200).",
         topics=("maintenance",), evidence=("ev-3",), sources=("notes/c.md",)),
    dict(id="f-4", kind="metric", name="nps", entity="biz-03", value=Decimal(83), unit="%", period="2026-10-01",
         statement="Biz nps: 83%.", topics=("kpi", "operations"), evidence=("ev-4",), sources=("notes/d.md",)),
]


@pytest.mark.parametrize("fields", FACTS, ids=[f["name"] for f in FACTS])
def test_a_fact_built_without_validation_equals_the_validated_fact(fields):
    built, validated = fact(**fields), Fact(**fields)
    assert built == validated
    assert list(built.__dict__) == list(validated.__dict__)
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_dump_json() == validated.model_dump_json()
    assert hash(built) == hash(validated)
    with pytest.raises(ValidationError):
        built.statement = "changed"  # still frozen


def test_a_fact_missing_a_field_or_with_an_unknown_one_is_refused_as_before():
    with pytest.raises(ValidationError):
        fact(id="f-1", kind="note", name="n")
    with pytest.raises(ValidationError):
        fact(id="f-1", kind="note", name="n", statement="s", colour="red")


def _reference_find(matcher, text: str) -> frozenset:
    """The vocabulary's matching the plain way: at every word start, the longest entry that
    starts there and ends well (a word: an inflection or nothing, then no letter; a stem: anything)."""
    from execbrief.vocabulary import _INFLECTIONS, _normal

    norm, found = _normal(text), set()
    entries = {**{k: "word" for k in matcher._words}, **{k: "stem" for k in matcher._stems}}
    for i in range(len(norm)):
        if i and norm[i - 1].isalnum():
            continue
        best = None
        for entry, kind in entries.items():
            if not norm.startswith(entry, i):
                continue
            rest = re.match(r"[a-z0-9]*", norm[i + len(entry):]).group(0)
            if (kind == "stem" or rest in _INFLECTIONS) and (best is None or len(entry) > len(best)):
                best = entry
        if best is not None:
            found |= matcher._with_prefixes[best]
    return frozenset(found)


def test_the_vocabulary_tree_finds_what_trying_every_entry_at_every_word_finds():
    matcher = builtin_vocabulary()._words
    words = sorted({**matcher._words, **matcher._stems})
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 "
    texts = [
        "the api key leaked in a data leak", "apps script on aws lambda", "booking.com and airbnb listings",
        "unauthenticated function url", ".env in the repo", "1099s and vat", "reviewers review the leaks",
        "Unit B vacant since October; the vacancy costs $1,450", "leaders leading the pinned pink poster",
    ]
    for _ in range(1500):
        word = rng.choice(words)
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) + word[:rng.randint(1, len(word))]
                     + rng.choice(["", " ", "x", "s", "ing", "ers", " "]) + rng.choice(words) + rng.choice(["", "ed", "ly"]))
    for text in texts:
        assert matcher._find(text) == _reference_find(matcher, text), text


# The scan as it was: every pattern over the whole text, after one regex prefilter.
_OLD_MAYBE = re.compile(r"[A-Za-z0-9+/=_\-]{16,}|PRIVATE KEY|(?i:bearer|secret|token|passw|pwd|api[_-]?key)")


def _reference_scan(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in redaction._PATTERNS:
        for m in pattern.finditer(text):
            start, end = (m.start(1), m.end(1)) if m.groups() and m.group(1) else (m.start(), m.end())
            if not any(s <= start < e or start <= s < end for s, e, _ in spans):
                spans.append((start, end, kind))
    for m in redaction._CANDIDATE.finditer(text):
        if redaction._high_entropy(m.group(0)) and not any(
                s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in spans):
            spans.append((m.start(), m.end(), "high-entropy string"))
    return [(kind, s, e) for s, e, kind in sorted(spans)]


SECRET_TEXTS = [
    "Stripe: sk_live_51HxAbCdEfGhIjKlMnOpQrStUv and rk_test_abcdefghij0123",
    "hook whsec_ABCDEFGHIJKLMNOP1234 here",
    "AKIAIOSFODNN7EXAMPLE in the wiki; ASIAABCDEFGHIJKLMNOP too",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AWS Secret Access Key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk-ant-api03-abcdefghijklmnopqrstuvwx and sk-proj-abcdefghijklmnopqrstuvwx",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789 github_pat_11ABCDEFG0123456789abcdefghij",
    "xoxb-1234567890-abcdefghij",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "Authorization: BEARER abcdefghijklmnop1234",
    "Authorization: Bearer\nabcdefghijklmnop1234",
    "password: hunter2hunter2", "PWD=correcthorsebattery", "client-secret: 'abc123def456'",
    "ſecret = abcdefgh12345678", "apı_key: abcdefgh12345678", "API-KEY=abcdefgh12345678",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
    "token 9fQ2xLm8ZrT4vBn6YcW1kJ7hD3sGa0Pe in a sentence",
    "a path aws/cloudfront/E2HARBORFLATS7Q9X2LMNOPQRS is no secret",
    "Nothing here but a risk-free plan through high season: capital, rapid, ledger.",
    "- [ ] renew the lease (due 2026-12-01)\n| van | mileage |\n|---|---|\n| V1 | 1200 |",
    "",
]


@pytest.mark.parametrize("text", SECRET_TEXTS)
def test_the_prefiltered_secret_scan_finds_what_every_pattern_over_the_whole_text_finds(text):
    found = [(h.kind, h.start, h.end) for h in redaction.scan(text)]
    assert found == _reference_scan(text)
    withheld, hits = redaction.withhold(text)
    if not _OLD_MAYBE.search(text):
        assert (withheld, hits) == (text, [])
    else:
        assert (withheld, hits) == (redaction.redact_hits(text, redaction.scan(text)), redaction.scan(text))


def test_case_folding_covers_every_character_re_matches_to_a_keyword_letter():
    letters = set("".join(n for _, caseless in redaction._NEEDLES.values() for n in caseless)) | set("".join(
        redaction._KEYWORDS))
    for letter in letters:
        same = re.compile("(?i)" + re.escape(letter))
        for point in (*range(0x80, 0x250), 0x130, 0x131, 0x17F, 0x212A, 0x212B):
            if same.fullmatch(chr(point)):
                assert letter in redaction._folded(chr(point)), (letter, hex(point))


def _ledger(amounts: list[str], seed: int = 3) -> list[Evidence]:
    rng = random.Random(seed)
    rows = []
    for line, amount in enumerate(amounts, start=2):
        path = rng.choice(["ledger/a.csv", "ledger/b.csv"])
        rows.append(Evidence(
            id=f"ev-{line}", source="ledger", kind="transaction", entity=rng.choice(["alpha", "beta", None]),
            record={"date": f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}", "amount": amount,
                    "account": rng.choice(["Sales", "Rent", "", "Wages", "sales", "Owner draw", "Transfer to savings",
                                           "Mortgage principal", "Interest", "Refunds"]),
                    "category": rng.choice(["x", "", "revenue", "cost of sales"]),
                    "memo": rng.choice(["", "Acme - Oct", "acme - oct", "Rent"])},
            provenance=Provenance(source="ledger", path=path, line_start=line, line_end=line),
        ))
    rng.shuffle(rows)  # the rules may not depend on the order evidence arrives in
    return rows


def _in_date_order(rows: list[Evidence]) -> list[Evidence]:
    return sorted(rows, key=lambda e: (e.record["date"], e.provenance.path, e.provenance.line_start))


def _plain_sums(rows: list[Evidence], as_of: str = "2026-12") -> dict:
    """finance's sums as the rules once made them: row by row, in date order, from Decimal(0),
    each row where its transaction type counts (profit's revenue or costs, or what moves cash)."""
    out: dict = {}
    types = classifier()
    for ev in _in_date_order(rows):
        month, amount, account = ev.record["date"][:7], Decimal(ev.record["amount"]), ev.record["account"]
        if month >= as_of:
            continue
        kind = types(ev.record["category"], account, (amount > 0) - (amount < 0))
        effect = profit_effect(kind, amount)
        for key in (("month", ev.entity, month), ("month", ledger_rows.ALL, month), ("all", ev.entity, None),
                    ("all", ledger_rows.ALL, None), ("account", ev.entity, account or ev.provenance.path)):
            acc = out.setdefault(key, [Decimal(0), Decimal(0), set(), set(), 0, {}])
            if effect is None:
                moved = acc[5].setdefault(kind, [Decimal(0), 0])
                moved[0] += amount
                moved[1] += 1
            else:
                acc[effect[0]] += effect[1]
            acc[2].add(ev.provenance.path)
            acc[3].add(month)
            acc[4] += 1
    return out


def _sums(out: dict) -> dict:
    return {k: [v[0], str(v[0]), v[1], str(v[1]), sorted(v[2]), sorted(v[3]), v[4],
                {t: (m[0], str(m[0]), m[1]) for t, m in v[5].items()}] for k, v in out.items()}


AMOUNTS = [f"{random.Random(n).choice(['', '-'])}{random.Random(n).randint(0, 99999)}"
           f"{random.Random(n).choice(['', '.5', '.25', '.125', '.00', '.10'])}" for n in range(3000)]
AMOUNTS += ["0", "-0.00", "0.000", "12.5", "7", "-0.0000001", "1E+3", "123456789012345678901"]


def test_finance_group_sums_equal_the_row_by_row_totals_in_value_digits():
    rows = _ledger(AMOUNTS)
    book = ledger_rows.ledger(rows)
    assert book.exact and len(book.groups) < len(rows)
    assert _sums(ledger_rows.aggregate(book.groups)) == _sums(_plain_sums(rows, as_of="2027-01"))


def test_finance_sums_that_would_round_are_added_row_by_row_as_before():
    amounts = ["1234567890123456789012345.678", "0.0000000000000000000001", "-99999999999999999999999.99"] * 50
    rows = _ledger(amounts)
    book = ledger_rows.ledger(rows)
    assert not book.exact
    assert _sums(ledger_rows.aggregate(book.groups)) == _sums(_plain_sums(rows, as_of="2027-01"))


@pytest.mark.parametrize("amounts", [AMOUNTS, ["1234567890123456789012345.678", "-0.01", "3"] * 40])
def test_cash_and_unit_figures_from_groups_equal_the_row_by_row_sums(amounts):
    rows = _ledger(amounts, seed=11)
    groups = ledger_rows.ledger(rows).groups
    ordered = _in_date_order(rows)
    for since in ("2026-01-01", "2026-04-15", "2026-09-30"):
        plain = sum((Decimal(e.record["amount"]) for e in ordered if e.record["date"] >= since), Decimal(0))
        grouped = sum((g.amount for g in groups if g.day.isoformat() >= since), Decimal(0))
        assert (grouped, str(grouped)) == (plain, str(plain))
    for sign in (1, 0, -1):
        plain = sum((Decimal(e.record["amount"]) for e in ordered
                     if (Decimal(e.record["amount"]) > 0) - (Decimal(e.record["amount"]) < 0) == sign), Decimal(0))
        grouped = sum((g.amount for g in groups if g.sign == sign), Decimal(0))
        assert (grouped, str(grouped)) == (plain, str(plain))
        assert sum(g.count for g in groups if g.sign == sign) == sum(
            1 for e in rows if (Decimal(e.record["amount"]) > 0) - (Decimal(e.record["amount"]) < 0) == sign)


def test_duplicates_found_by_packed_keys_are_the_rows_identical_in_the_plain_key():
    amounts = [random.Random(n).choice(["10", "10.00", "-5.5", "1E+3", "-0.00", "0", "123456789012345678901"])
               for n in range(8000)]
    rows = _ledger(amounts, seed=5)
    groups: dict = {}
    for ev in _in_date_order(rows):
        r = ev.record
        key = (r["date"], r["amount"], ev.entity, r["account"].lower(), r["memo"].lower())
        groups.setdefault(key, []).append(ev.id)
    plain = sorted(tuple(ids) for ids in groups.values() if len(ids) > 1)
    ctx = AnalysisContext(as_of=date(2026, 12, 1))
    found = sorted(f.evidence for f in books.duplicate_rows(ledger_rows.ledger(rows), ctx))
    assert found == plain and len(found) > 100


def test_a_ledger_table_row_prints_its_amount_as_the_source_wrote_it():
    for text in ["12.50", "-12.50", "0", "-0", "-0.00", "0.0000001", "1E+3", "123456789012345678901", "0.000001"]:
        table = TransactionTable("ledger/a.csv")
        table.append("2026-05-03", text, None, "", "", "", 2, 2)
        assert table.amount_text(0) == text
        assert (table.amount(0), str(table.amount(0))) == (Decimal(text), str(Decimal(text)))


def test_facts_dumped_and_loaded_equal_the_originals_field_for_field():
    from execbrief.analyzers.build import dump_facts, load_facts

    originals = [fact(**fields) for fields in FACTS] + [Fact(**fields) for fields in FACTS] + [
        Fact(id="f-5", kind="metric", name="x", statement="s", value=Decimal("1.50E+3")),
        Fact(id="f-6", kind="metric", name="y", statement="t", value=Decimal("-0.00"), due=date(2027, 2, 28)),
    ]

    loaded = load_facts(dump_facts(originals))

    assert loaded == originals
    assert [f.model_dump_json() for f in loaded] == [f.model_dump_json() for f in originals]
    assert [f.__pydantic_fields_set__ for f in loaded] == [f.__pydantic_fields_set__ for f in originals]
    assert str(loaded[-2].value) == "1.50E+3" and str(loaded[-1].value) == "-0.00"


def test_loaded_facts_share_one_topics_tuple_and_name_across_blobs():
    from execbrief.analyzers.build import dump_facts, load_facts

    made = [fact(id=f"f-{n}", kind="note", name="_".join(["log", str(n % 2)]), statement="s",
                 topics=tuple(["operations", "risk"][: 1 + n % 2])) for n in range(6)]
    first, second = load_facts(dump_facts(made[:3])), load_facts(dump_facts(made[3:]))

    assert first + second == made
    assert first[0].topics is second[1].topics and first[1].topics is second[0].topics
    assert first[0].name is second[1].name


def test_loaded_facts_carry_the_content_key_of_their_json_and_a_copy_makes_its_own():
    from execbrief.analyzers.build import dump_facts, load_facts
    from execbrief.model import content_key

    made = [fact(**fields) for fields in FACTS]
    loaded = load_facts(dump_facts(made))

    # the key the ledger stores each fact under, kept beside it: recording makes no JSON for it
    assert [getattr(f, "_content_key", None) for f in loaded] == [content_key(f.model_dump_json()) for f in made]
    changed = loaded[0].model_copy(update={"statement": "something else"})
    assert not hasattr(changed, "_content_key")
    assert changed.content_key() == content_key(changed.model_dump_json()) != loaded[0].content_key()


def test_a_digest_of_facts_is_equal_for_equal_facts_and_tells_a_changed_field_or_order():
    from execbrief.analyzers.build import dump_facts, facts_digest, load_facts

    made = [fact(**fields) for fields in FACTS]
    again = [Fact(**fields) for fields in FACTS]  # other objects, validated
    assert facts_digest(made) == facts_digest(again) == facts_digest(load_facts(dump_facts(made)))
    assert facts_digest(made) != facts_digest(made[::-1])
    assert facts_digest(made) != facts_digest([made[0].model_copy(update={"due": None}), *made[1:]])
    assert facts_digest(made[:2]) != facts_digest(made[:3])


def test_content_keys_of_kept_facts_and_of_facts_without_a_key_yet_are_those_of_their_json():
    from execbrief.analyzers.build import dump_facts, load_facts
    from execbrief.model import content_key, content_keys

    kept = load_facts(dump_facts([fact(**fields) for fields in FACTS]))
    fresh = [Fact(**fields) for fields in FACTS]
    expected = [content_key(f.model_dump_json()) for f in fresh]
    assert content_keys(kept) == expected  # (each read from the fact: one pass)
    assert content_keys([*kept[:2], *fresh[2:]]) == expected  # (some without one: each made)
