"""The ledger source: CSV exports → transaction evidence."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import conftest
import pytest

from execbrief.redaction import mask
from execbrief.config import load_settings
from execbrief.errors import ConfigError
from execbrief.model import Evidence, content_hash, stable_id
from execbrief.registry import Registry
from execbrief.sources import SourceResult
from execbrief.sources.ledger import MAX_ROW_WARNINGS, LedgerSource, register

ORG_TOML = """
[organization]
name = "Test Org"

[delivery]
sender = "briefs@example.com"
"""

ENTITIES_TOML = """
[[entities]]
id = "acme"
name = "Acme Corporation"
aliases = ["Acme Inc"]

[[entities]]
id = "globex"
name = "Globex"
"""

MAPPED_COLUMNS = """
[sources.ledger.columns]
date = "Txn Date"
amount = "Value"
entity = "Client"
account = "Acct"
category = "Type"
memo = "Description"
"""

HEADER = "date,amount,entity,account,category,memo\n"


class Workspace(conftest.Workspace):
    """A tmp workspace whose files are written byte for byte, read by the ledger source."""

    dedent = False

    def collect(self, extra_toml: str = "", entities: bool = True) -> SourceResult:
        """The source's result, each file's table of rows shown as the rows' own evidence."""
        return rows(self.collect_tables(extra_toml, entities))

    def collect_tables(self, extra_toml: str = "", entities: bool = True) -> SourceResult:
        toml = ORG_TOML + (ENTITIES_TOML if entities else "") + extra_toml
        (self.root / "execbrief.toml").write_text(toml, encoding="utf-8")
        return LedgerSource(load_settings(self.root, environ={})).collect()


def rows(result: SourceResult) -> SourceResult:
    """``result`` with each ``transactions`` item replaced by its rows' ``transaction`` items."""
    evidence: list[Evidence] = []
    for ev in result.evidence:
        if ev.kind == "transactions":
            table = ev.record["table"]
            assert (ev.record["rows"], ev.provenance.path) == (len(table), table.path)
            evidence.extend(table.rows())
        else:
            evidence.append(ev)
    return SourceResult(evidence=evidence, warnings=result.warnings, inputs=result.inputs)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def one(items: list):
    assert len(items) == 1, items
    return items[0]


def test_rows_become_transactions_through_the_column_mapping(ws):
    path = ws.write("ledger/bank.csv", (
        " Description ,TXN DATE,Value,Client,Acct,Type\n"
        "Invoice 1042 paid,2026-05-03,\"$1,450.00\",Acme Inc,Checking,Revenue\n"
        "AWS bill,2026-05-04,-250.5,globex,Card,Cloud\n"
    ))
    os.utime(path, (1_780_000_000, 1_780_000_000))
    result = ws.collect(MAPPED_COLUMNS)
    assert result.warnings == []
    first, second = result.evidence
    assert (first.source, first.kind, first.entity, first.text) == (
        "ledger", "transaction", "acme", "Invoice 1042 paid")
    assert first.record == {"date": "2026-05-03", "amount": "1450.00", "account": "Checking",
                            "category": "Revenue", "memo": "Invoice 1042 paid"}
    assert second.entity == "globex"
    assert second.record["amount"] == "-250.5"
    assert first.id == stable_id("ev", "ledger", "ledger/bank.csv", 2)
    prov = second.provenance
    assert (prov.source, prov.path, prov.line_start, prov.line_end) == (
        "ledger", "ledger/bank.csv", 3, 3)
    assert prov.observed_at == "2026-05-28T20:26:40Z"
    assert prov.sha256 == content_hash(path.read_bytes())


def test_input_files_record_hash_and_size(ws):
    a = ws.write("ledger/a.csv", HEADER + "2026-05-03,1,acme,,,x\n")
    b = ws.write("ledger/2025/b.csv", HEADER)
    result = ws.collect()
    assert sorted((i.source, i.path, i.sha256, i.size) for i in result.inputs) == [
        ("ledger", "ledger/2025/b.csv", content_hash(b.read_bytes()), len(HEADER)),
        ("ledger", "ledger/a.csv", content_hash(a.read_bytes()), a.stat().st_size),
    ]


@pytest.mark.parametrize("raw, expected", [
    ("1450", "1450"),
    ("-250.5", "-250.5"),
    ('"$1,450.00"', "1450.00"),
    ('"-$1,450.00"', "-1450.00"),
    ("(250.00)", "-250.00"),
    ("+12.10", "12.10"),
    ("$ 99", "99"),
])
def test_amount_formats_parse_to_signed_decimal_strings(ws, raw, expected):
    ws.write("ledger/a.csv", HEADER + f"2026-05-03,{raw},acme,Checking,Sales,memo\n")
    result = ws.collect()
    assert result.warnings == []
    assert one(result.evidence).record["amount"] == expected


@pytest.mark.parametrize("raw", ["12abc", "1 450,00", "1,45", "", "$", "--5", "(-5)", "1e3", "NaN"])
def test_bad_amount_row_is_skipped_with_warning(ws, raw):
    ws.write("ledger/a.csv", HEADER + f'2026-05-03,"{raw}",acme,,,bad\n2026-05-04,10,acme,,,good\n')
    result = ws.collect()
    assert [e.text for e in result.evidence] == ["good"]
    warning = one(result.warnings)
    assert (warning.source, warning.path, warning.line) == ("ledger", "ledger/a.csv", 2)
    assert warning.message.startswith(f"bad amount {raw!r}")


@pytest.mark.parametrize("raw", ["2026-05-03", "2026/05/03", "2026-05-03T10:00:00",
                                 "2026-05-03T23:59:59+02:00"])
def test_iso_and_slash_dates_parse_to_iso_dates(ws, raw):
    ws.write("ledger/a.csv", HEADER + f"{raw},10,acme,,,x\n")
    result = ws.collect()
    assert result.warnings == []
    assert one(result.evidence).record["date"] == "2026-05-03"


@pytest.mark.parametrize("raw", ["13/13/2026", "2026-02-30", "next Tuesday", "5/3", ""])
def test_bad_date_row_is_skipped_with_warning(ws, raw):
    ws.write("ledger/a.csv", HEADER + f"2026-05-01,5,acme,,,good\n{raw},10,acme,,,bad\n")
    result = ws.collect()
    assert [e.text for e in result.evidence] == ["good"]
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("ledger/a.csv", 3)
    assert warning.message.startswith(f"bad date {raw!r}: use YYYY-MM-DD")


def test_a_bank_s_dates_are_read_in_the_order_its_file_shows(ws):
    ws.write("ledger/us.csv", HEADER + "09/01/2026,1,acme,,,a\n9/25/26,2,acme,,,b\n\"Sep 30, 2026\",3,acme,,,c\n")
    ws.write("ledger/uk.csv", HEADER + "01/09/2026,4,acme,,,d\n25/09/2026,5,acme,,,e\n30 Sep 2026,6,acme,,,f\n")
    ws.write("ledger/de.csv", HEADER + "01.09.2026,7,acme,,,g\n30.09.2026,8,acme,,,h\n")
    ws.write("ledger/nl.csv", HEADER + "01-09-2026,9,acme,,,i\n30-09-2026,10,acme,,,j\n")
    result = ws.collect()

    assert result.warnings == []
    assert {e.text: e.record["date"] for e in result.evidence} == {
        "a": "2026-09-01", "b": "2026-09-25", "c": "2026-09-30", "d": "2026-09-01", "e": "2026-09-25",
        "f": "2026-09-30", "g": "2026-09-01", "h": "2026-09-30", "i": "2026-09-01", "j": "2026-09-30"}


def test_a_file_whose_dates_cannot_tell_their_order_reads_them_as_configured_and_says_so(ws):
    ws.write("ledger/a.csv", HEADER + "03/05/2026,1,acme,,,a\n04/05/2026,2,acme,,,b\n")
    result = ws.collect()
    assert [e.record["date"] for e in result.evidence] == ["2026-03-05", "2026-04-05"]
    assert one(result.warnings).message == (
        "dates such as '03/05/2026' read month first, as [organization] date_order = \"mdy\" says: set it to "
        "\"dmy\" if they are day first")



def test_missing_required_column_skips_file_with_warning_naming_the_config_key(ws):
    ws.write("ledger/a.csv", "Txn Date,Total,Description\n2026-05-03,10,x\n")
    ws.write("ledger/b.csv", "Txn Date,Value,Client,Description\n2026-05-03,10,acme,kept\n")
    result = ws.collect(MAPPED_COLUMNS)
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("ledger/a.csv", 1)
    assert "'Value'" in warning.message
    assert "sources.ledger.columns.amount" in warning.message
    assert "date" not in warning.message.split("header:")[0].replace("Txn Date", "")
    assert [(e.provenance.path, e.text) for e in result.evidence] == [("ledger/b.csv", "kept")]


def test_both_required_columns_missing_give_one_warning_naming_both(ws):
    ws.write("ledger/a.csv", "when,how much\n2026-05-03,10\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert "sources.ledger.columns.date" in warning.message
    assert "sources.ledger.columns.amount" in warning.message
    assert result.evidence == []


def test_missing_optional_columns_give_none_and_empty_strings(ws):
    ws.write("ledger/a.csv", "date,amount\n2026-05-03,10\n")
    result = ws.collect(entities=False)
    assert result.warnings == []
    tx = one(result.evidence)
    assert tx.entity is None
    assert tx.text == ""
    assert tx.record == {"date": "2026-05-03", "amount": "10", "account": "",
                         "category": "", "memo": ""}


def test_rows_of_an_unknown_or_blank_business_are_unassigned_with_one_warning_naming_them(ws):
    rows = "2026-05-03,1,Initech LLC,,,a\n2026-05-04,2,Initech LLC,,,b\n2026-05-05,3,acme,,,c\n2026-05-06,4,,,,d\n"
    ws.write("ledger/a.csv", HEADER + rows)
    ws.write("ledger/b.csv", HEADER + rows)
    result = ws.collect()
    assert [e.entity for e in result.evidence] == [None, None, "acme", None] * 2  # never a business of their own
    (warning,) = result.warnings
    assert (warning.path, warning.line) == ("ledger/a.csv", 2)
    assert warning.message.startswith("6 rows with a blank business column or a business not in [[entities]] "
                                      "('Initech LLC') count as Unassigned")
    assert "ledger/a.csv lines 2, 3, 5; ledger/b.csv lines 2, 3, 5" in warning.message
    again = ws.collect()  # from the parse cache: the same one warning
    assert [w.message for w in again.warnings] == [warning.message]
    # what a row under an unknown name says is kept for the bookkeeper's finding (cache or not)
    for result in (ws.collect_tables(), ws.collect_tables()):
        tables = [ev.record["table"] for ev in result.evidence if ev.kind == "transactions"]
        assert [t.named for t in tables] == [{0: "Initech LLC", 1: "Initech LLC"}] * 2


def test_the_unassigned_warning_names_a_dozen_rows_and_counts_the_rest(ws):
    ws.write("ledger/a.csv", HEADER + "".join(f"2026-05-03,{n},,,,row {n}\n" for n in range(1, 31)))
    (warning,) = ws.collect().warnings
    assert "ledger/a.csv lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 and 18 more" in warning.message
    assert "30 rows with a blank business column count as Unassigned" in warning.message


def test_entity_values_are_kept_silently_when_no_entities_are_configured(ws):
    ws.write("ledger/a.csv", HEADER + "2026-05-03,1,Initech LLC,,,a\n2026-05-03,1,,,,b\n")
    result = ws.collect(entities=False)
    assert result.warnings == []
    assert [e.entity for e in result.evidence] == ["initech-llc", None]


def test_quoted_multiline_field_keeps_physical_line_numbers(ws):
    ws.write("ledger/a.csv", HEADER + (
        '2026-05-03,10,acme,,,"first line\nsecond line"\n'
        "2026-05-04,20,acme,,,next\n"
    ))
    result = ws.collect()
    first, second = result.evidence
    assert first.text == "first line\nsecond line"
    assert (first.provenance.line_start, first.provenance.line_end) == (2, 3)
    assert (second.provenance.line_start, second.provenance.line_end) == (4, 4)
    assert second.id == stable_id("ev", "ledger", "ledger/a.csv", 4)


def test_blank_lines_are_skipped_silently_and_lines_stay_physical(ws):
    ws.write("ledger/a.csv", "\n" + HEADER + "\n2026-05-03,10,acme,,,x\n,,,,,\n\n")
    result = ws.collect()
    assert result.warnings == []
    assert one(result.evidence).provenance.line_start == 4


def test_row_with_wrong_number_of_fields_is_skipped_with_warning(ws):
    ws.write("ledger/a.csv", HEADER + (
        "2026-05-03,-$1,450.00,acme,,,unquoted comma\n"
        "2026-05-04,5,acme\n"
        "2026-05-05,7,acme,,,trailing empties,,\n"
    ))
    result = ws.collect()
    assert [e.text for e in result.evidence] == ["trailing empties"]
    assert [w.line for w in result.warnings] == [2, 3]
    assert result.warnings[0].message.startswith("row has 7 fields, header has 6: ")
    assert "must be quoted" in result.warnings[0].message
    assert result.warnings[1].message.startswith("row has 3 fields, header has 6: ")


def test_non_utf8_ledger_is_decoded_as_cp1252_with_warning(ws):
    ws.write("ledger/a.csv", (HEADER + "2026-05-03,10,acme,,,ok\n2026-05-04,5,acme,,,Café €\n")
             .encode("cp1252"))
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("ledger/a.csv", 3)
    assert warning.message == "not UTF-8; decoded as cp1252: re-save as UTF-8"
    assert [e.text for e in result.evidence] == ["ok", "Café €"]


def test_utf8_bom_before_the_header_is_read_silently(ws):
    ws.write("ledger/a.csv", b"\xef\xbb\xbf" + (HEADER + "2026-05-03,10,acme,,,x\n").encode())
    result = ws.collect()
    assert result.warnings == []
    assert one(result.evidence).record["date"] == "2026-05-03"


def test_a_utf16_csv_with_its_bom_is_read_not_skipped_as_binary(ws):
    ws.write("ledger/utf16.csv", (HEADER + "2026-05-03,10,acme,,,Café\n").encode("utf-16"))
    result = ws.collect()
    assert result.warnings == []
    row = one(result.evidence).record
    assert (row["date"], row["memo"]) == ("2026-05-03", "Café")


def test_a_file_separated_by_semicolons_is_read_with_its_decimal_commas(ws):
    ws.write("ledger/export.csv", HEADER.replace(",", ";")
             + '2026-05-03;1.450,00;acme;Bank;Rent;"Flat 2; May"\n2026-05-04;-12,50;acme;;;fee\n2026-05-05;(80,25);acme;;;\n')
    result = ws.collect()
    assert result.warnings == []
    assert [(e.record["date"], e.record["amount"]) for e in result.evidence] == [
        ("2026-05-03", "1450.00"), ("2026-05-04", "-12.50"), ("2026-05-05", "-80.25")]
    assert result.evidence[0].record["memo"] == "Flat 2; May"


def test_a_file_separated_by_tabs_is_read(ws):
    ws.write("ledger/export.csv", HEADER.replace(",", "\t") + "2026-05-03\t1450.00\tacme\tBank\tRent\tmay rent\n")
    result = ws.collect()
    assert result.warnings == []
    assert one(result.evidence).record["amount"] == "1450.00"


def test_binary_file_is_skipped_with_warning(ws):
    ws.write("ledger/export.csv", b"PK\x03\x04\x00\x00binary zip")
    ws.write("ledger/good.csv", HEADER + "2026-05-03,10,acme,,,x\n")
    result = ws.collect()
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("ledger/export.csv", None)
    assert "binary" in warning.message
    assert [e.provenance.path for e in result.evidence] == ["ledger/good.csv"]


def test_file_over_the_size_limit_is_skipped_with_warning_naming_the_key(ws):
    ws.write("ledger/big.csv", HEADER + "2026-05-03,10,acme,,,x\n" * 200)
    ws.write("ledger/small.csv", HEADER + "2026-05-03,10,acme,,,x\n")
    result = ws.collect('\n[sources.ledger]\npaths = ["ledger"]\nmax_file_mb = 0.001\n')
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("ledger/big.csv", None)
    assert "sources.ledger.max_file_mb" in warning.message
    assert [e.provenance.path for e in result.evidence] == ["ledger/small.csv"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_file_whose_read_fails_is_skipped_with_warning(ws):
    # /proc/self/mem stats as a file but reading it fails with EIO, even for root.
    ws.write("ledger/good.csv", HEADER + "2026-05-03,10,acme,,,x\n")
    result = ws.collect('\n[sources]\nallow_outside = true\n[sources.ledger]\npaths = ["ledger", "/proc/self/mem"]\n')
    warning = one(result.warnings)
    assert (warning.path, warning.line) == ("/proc/self/mem", None)
    assert "cannot read" in warning.message
    assert len(result.evidence) == 1


def test_configured_path_matching_nothing_warns_naming_it(ws):
    ws.write("ledger/a.csv", HEADER + "2026-05-03,10,acme,,,x\n")
    result = ws.collect('\n[sources.ledger]\npaths = ["ledger", "exports/*.csv"]\n')
    warning = one(result.warnings)
    assert "'exports/*.csv'" in warning.message and "sources.ledger.paths" in warning.message
    assert len(result.evidence) == 1


def test_unclosed_quote_that_overruns_the_field_limit_keeps_earlier_rows(ws):
    ws.write("ledger/a.csv", HEADER + "2026-05-03,10,acme,,,before\n"
             + '2026-05-04,5,acme,,,"never closed\n' + ("x" * 200 + "\n") * 800)
    result = ws.collect()
    assert [e.text for e in result.evidence] == ["before"]
    warning = one(result.warnings)
    assert warning.path == "ledger/a.csv" and "CSV syntax error" in warning.message


def test_row_warnings_are_capped_per_file_with_a_count_of_the_rest(ws):
    bad = "".join(f"2026-05-03,oops,acme,,,r{n}\n" for n in range(MAX_ROW_WARNINGS + 7))
    ws.write("ledger/a.csv", HEADER + bad + "2026-05-03,1,acme,,,good\n")
    result = ws.collect()
    assert [e.text for e in result.evidence] == ["good"]
    assert len(result.warnings) == MAX_ROW_WARNINGS + 1
    assert result.warnings[-1].message.startswith("7 more rows were skipped")


def test_register_adds_the_ledger_source():
    registry = Registry()
    register(registry)
    assert registry.sources["ledger"] is LedgerSource
    assert LedgerSource.name == "ledger"


# -- debit and credit columns -------------------------------------------------------------

SPLIT_COLUMNS = """
[sources.ledger.columns]
date = "Date"
debit = "Money Out"
credit = "Money In"
memo = "Description"
"""


def test_debit_and_credit_columns_become_one_signed_amount(ws):
    ws.write("ledger/bank.csv", (
        "Date,Description,Money Out,Money In\n"
        "2026-05-03,Invoice 1042 paid,,\"$1,450.00\"\n"
        "2026-05-04,Boiler repair,250.50,\n"
        "2026-05-05,Card fee,-3.10,\n"      # some banks sign their debits
        "2026-05-06,Refund and fee,10.00,4.00\n"
    ))
    result = ws.collect(SPLIT_COLUMNS, entities=False)
    assert [e.record["amount"] for e in result.evidence] == ["1450.00", "-250.50", "-3.10", "-6.00"]
    assert result.warnings == []


def test_row_with_neither_debit_nor_credit_or_a_bad_one_is_skipped_with_warning(ws):
    ws.write("ledger/bank.csv", "Date,Description,Money Out,Money In\n2026-05-03,Nothing,,\n2026-05-04,Bad,12x,\n"
                                "2026-05-05,Good,,5\n")
    result = ws.collect(SPLIT_COLUMNS, entities=False)
    assert [e.record["amount"] for e in result.evidence] == ["5"]
    assert [(w.line, w.message.split(":")[0]) for w in result.warnings] == [
        (2, "row has neither a debit nor a credit amount"), (3, "bad amount '12x'")]


def test_split_columns_missing_from_the_header_skip_the_file_naming_the_keys(ws):
    ws.write("ledger/bank.csv", "Date,Description,Amount\n2026-05-03,x,1\n")
    warning = one(ws.collect(SPLIT_COLUMNS).warnings)
    assert "sources.ledger.columns.debit" in warning.message
    assert "sources.ledger.columns.credit" in warning.message


def test_debit_without_credit_is_a_config_error_naming_the_key(ws):
    with pytest.raises(ConfigError, match=r"sources\.ledger\.columns.*both debit and credit"):
        ws.collect('\n[sources.ledger.columns]\ndebit = "Out"\n')


# -- opening cash --------------------------------------------------------------------------

def test_opening_cash_becomes_one_resource_citing_its_config_line(ws):
    ws.write("ledger/t.csv", HEADER + "2026-05-03,10,acme,Sales,revenue,x\n")
    result = ws.collect('\n[sources.ledger]\nopening_cash = 18250.50\nopening_cash_date = 2026-11-01\n')
    cash = one([e for e in result.evidence if e.kind == "resource"])
    assert cash.record == {"type": "opening_cash", "amount": "18250.5", "date": "2026-11-01"}
    lines = (ws.root / "execbrief.toml").read_text().splitlines()
    assert lines[cash.provenance.line_start - 1].startswith("opening_cash =")
    assert cash.provenance.path == "execbrief.toml"


def test_opening_cash_without_its_date_is_a_config_error(ws):
    with pytest.raises(ConfigError, match=r"sources\.ledger.*opening_cash_date"):
        ws.collect("\n[sources.ledger]\nopening_cash = 100\n")


# -- evidence built without validation equals validated evidence ---------------------------

def test_fast_built_evidence_equals_validated_models(ws):
    ws.write("ledger/t.csv", HEADER + "2026-05-03,\"$1,450.00\",acme,Sales,revenue,Invoice 1\n")
    result = ws.collect()
    for ev in result.evidence:
        again = Evidence.model_validate(ev.model_dump())
        assert again == ev
        assert again.model_dump(mode="json") == ev.model_dump(mode="json")
        assert ev.model_copy(update={"entity": "globex"}).entity == "globex"
        assert ev.model_fields_set == again.model_fields_set


# The parse cache: a file whose bytes and settings have not changed is not parsed again.

SECRET = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
OLD = 1_700_000_000  # an mtime well before any index write: the index may trust it


def _source(ws: Workspace, extra_toml: str = "") -> LedgerSource:
    (ws.root / "execbrief.toml").write_text(ORG_TOML + ENTITIES_TOML + extra_toml, encoding="utf-8")
    return LedgerSource(load_settings(ws.root, environ={}))


def _everything(result: SourceResult) -> tuple:
    """All a result says, in order: evidence (tables as their rows), warnings, inputs."""
    expanded = rows(result)
    return ([e.model_dump(mode="json") for e in expanded.evidence],
            [w.model_dump() for w in result.warnings], result.inputs)


def _ledger_files(ws: Workspace) -> None:
    for name in ("a", "b"):
        path = ws.write(f"ledger/{name}.csv", HEADER + "".join(
            f"2026-{m:02d}-{d:02d},{(-1) ** d * (d * 37 + m)}.{d:02d},{'acme' if d % 3 else 'Acme Inc'},"
            f"{'Sales' if d % 2 else 'Rent'},{'' if d % 5 == 0 else 'income'},\"Client {d % 4} - invoice\"\n"
            for m in range(1, 12) for d in range(1, 29)
        ) + "2026-05-03,12abc,acme,,,bad amount\n" + f"2026-05-04,-9.99,globex,Card,,key {SECRET} leaked\n"
                     + "2026-05-04,-9.99,globex,Card,,dup\n2026-05-04,-9.99,globex,Card,,dup\n")
        os.utime(path, (OLD, OLD))


def _facts(result: SourceResult) -> list:
    from datetime import date

    from execbrief.analyzers import AnalysisContext, books, finance, leaks

    ctx = AnalysisContext(as_of=date(2026, 11, 23), entities={"acme": ("Acme", None), "globex": ("Globex", None)})
    evidence = list(result.evidence)
    return [f.model_dump() for f in finance.analyze(evidence, ctx) + books.analyze(evidence, ctx)
            + leaks.analyze(evidence, ctx)]


def test_a_cached_run_gives_the_same_evidence_warnings_and_facts_as_a_parse(ws):
    _ledger_files(ws)
    cold_source = _source(ws)
    cold = cold_source.collect()
    warm_source = _source(ws)
    warm = warm_source.collect()
    assert (cold_source.cache_hits, warm_source.cache_hits) == (0, 2)
    assert _everything(warm) == _everything(cold)
    assert any("bad amount '12abc'" in w.message for w in warm.warnings)
    assert _facts(warm) == _facts(cold)
    assert {f["name"] for f in _facts(warm)} >= {"duplicate_transactions", "secret_in_text",
                                                 "uncategorised_transactions", "revenue"}


def test_a_changed_ledger_file_is_parsed_again(ws):
    _ledger_files(ws)
    first = _source(ws).collect()
    path = ws.write("ledger/a.csv", HEADER + "2026-05-03,77.70,acme,Sales,income,changed\n")
    os.utime(path, (OLD + 10, OLD + 10))
    source = _source(ws)
    second = rows(source.collect())
    assert source.cache_hits == 1  # b.csv only
    assert [e.record["amount"] for e in second.evidence if e.provenance.path == "ledger/a.csv"] == ["77.70"]
    assert second.inputs != first.inputs


def test_a_file_rewritten_within_the_racy_window_is_hashed_again(ws):
    path = ws.write("ledger/a.csv", HEADER + "2026-05-03,11.10,acme,Sales,income,one\n")
    stat = path.stat()  # just written: modified within the racy window of the index write
    _source(ws).collect()
    ws.write("ledger/a.csv", HEADER + "2026-05-03,22.20,acme,Sales,income,two\n")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [e.text for e in rows(_source(ws).collect()).evidence] == ["two"]


def test_a_change_to_the_column_mapping_or_the_entities_is_a_new_parse(ws):
    _ledger_files(ws)
    _source(ws).collect()
    source = _source(ws, '\n[[entities]]\nid = "initech"\nname = "Initech"\naliases = ["globex"]\n')
    result = rows(source.collect())
    assert source.cache_hits == 0
    assert "initech" in {e.entity for e in result.evidence}


def test_the_cache_never_holds_a_secret_from_a_memo_or_a_warning(ws):
    _ledger_files(ws)
    ws.write("ledger/c.csv", HEADER + f"2026-05-03,{SECRET},acme,,,amount cell holds a key\n")
    cold = _source(ws).collect()
    (warning,) = [w for w in cold.warnings if w.path == "ledger/c.csv"]
    assert SECRET not in warning.message and mask(SECRET) in warning.message  # the cell is quoted masked
    stored = [p for p in (ws.root / ".execbrief").rglob("*") if p.is_file()]
    assert len(stored) >= 4  # the index and the entries of a.csv, b.csv and c.csv
    for path in stored:
        data = path.read_bytes()
        assert SECRET.encode() not in data and SECRET[8:].encode() not in data, path
    warm_source = _source(ws)
    warm = warm_source.collect()
    assert warm_source.cache_hits == 3  # c.csv's warning holds no secret now: it is cached too
    assert _everything(warm) == _everything(cold)
    assert sum(1 for e in warm.evidence if e.kind == "scan_hit") == 2


@pytest.mark.parametrize("damage", [b"", b"not marshal data", None])
def test_a_corrupt_cache_entry_is_ignored_and_rewritten(ws, damage):
    _ledger_files(ws)
    cold = _source(ws).collect()
    entries = list((ws.root / ".execbrief" / "cache" / "ledger").rglob("*.bin"))
    assert len(entries) == 2
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if damage is None else damage)
    source = _source(ws)
    assert _everything(source.collect()) == _everything(cold)
    assert source.cache_hits == 0
    again = _source(ws)
    assert _everything(again.collect()) == _everything(cold)
    assert again.cache_hits == 2


def test_the_entries_of_a_changed_or_removed_file_are_deleted(ws):
    _ledger_files(ws)
    _source(ws).collect()
    folder = ws.root / ".execbrief" / "cache" / "ledger"
    before = set(folder.rglob("*.bin"))
    path = ws.root / "ledger" / "a.csv"
    path.write_text(path.read_text() + "2026-12-01,10.00,acme,Sales,income,one more\n")
    os.utime(path, (OLD, OLD + 60))
    (ws.root / "ledger" / "b.csv").unlink()

    _source(ws).collect()

    after = set(folder.rglob("*.bin"))
    assert len(after) == 1 and not after & before  # a.csv's new parse only


def test_a_workspace_of_notes_alone_gets_no_ledger_warning_but_a_path_that_finds_nothing_does(ws):
    assert ws.collect().warnings == []  # no ledger folder, no [sources.ledger] paths: nothing to say

    (ws.root / "ledger").mkdir()
    assert [w.message for w in ws.collect().warnings] == [
        "ledger path 'ledger' matches no .csv files: fix it or remove it from sources.ledger.paths"]
    assert [w.message for w in ws.collect('\n[sources.ledger]\npaths = ["books"]\n').warnings] == [
        "ledger path 'books' matches no .csv files: fix it or remove it from sources.ledger.paths"]


def test_a_business_cell_written_another_way_is_still_that_business(ws):
    (ws.root / "execbrief.toml").parent.mkdir(exist_ok=True)
    ws.write("ledger/tx.csv", HEADER + "2026-11-01,1500,Fenwick Rd Duplex,Rent,revenue,\n"
                                       "2026-11-02,-90,GLOBEX,Water,operating,\n2026-11-03,-10,Initech,Fees,operating,\n")

    result = ws.collect('\n[[entities]]\nid = "fenwick"\nname = "Fenwick Road Duplex"\n')

    assert [e.entity for e in result.evidence if e.kind == "transaction"] == ["fenwick", "globex", None]


def test_a_business_the_business_column_writes_two_ways_is_read_as_one_and_warned_of(ws):
    """(a Xero export: "Gull's Rest" on every row but one, tracked "Gulls Rest")"""
    ws.write("ledger/a.csv", HEADER + "2026-05-03,1,Acme Inc,,,a\n2026-05-04,2,Globex,,,b\n"
             "2026-05-05,3,ACME INC.,,,c\n2026-05-06,4,Acme Inc,,,d\n2026-05-07,5,acme,,,e\n")
    ws.write("ledger/b.csv", HEADER + "2026-05-03,1,Globex,,,a\n2026-05-04,2,Acme Inc,,,b\n")
    for result in (ws.collect(), ws.collect()):  # (and from the parse cache)
        assert [e.entity for e in result.evidence] == ["acme", "globex", "acme", "acme", "acme", "globex", "acme"]
        (warning,) = result.warnings
        assert (warning.path, warning.line) == ("ledger/a.csv", 4)
        assert warning.message == (
            "the business column writes Acme Corporation 3 ways (“Acme Inc” first on line 2, “ACME INC.” first on "
            "line 4, “acme” first on line 6): each is read as Acme Corporation; write it one way in the books, whose "
            "own reports split it, or add the others as aliases in [[entities]]")


def test_the_books_say_which_business_a_file_writes_more_than_one_way_and_how_to_mend_it(ws):
    from datetime import date

    from execbrief.analyzers import AnalysisContext, books

    ws.write("ledger/a.csv", HEADER + "2026-05-03,1,Acme Corporation,,,a\n2026-05-04,2,Globex,,,b\n"
             "2026-05-05,3,Acme Inc,,,c\n2026-05-06,4,Acme Corporation,,,d\n")
    context = AnalysisContext(as_of=date(2026, 6, 30), entities={"acme": ("Acme Corporation", None),
                                                                 "globex": ("Globex", None)})
    for result in (ws.collect_tables(), ws.collect_tables()):  # (and from the parse cache)
        (table,) = [ev.record["table"] for ev in result.evidence if ev.kind == "transactions"]
        assert table.spelt == {0: "Acme Corporation", 2: "Acme Inc"}
        (finding,) = [f for f in books.analyze(result.evidence, context) if f.name == "business_spelt_apart"]
        assert (finding.entity, finding.severity, finding.evidence) == ("acme", "low", (table.row_id(0), table.row_id(2)))
        assert finding.statement == (
            "ledger/a.csv writes Acme Corporation 2 ways in its business column: “Acme Corporation” (first on line 2) "
            "and “Acme Inc” (first on line 4). Every row counts for Acme Corporation here, but the books' own reports "
            "by business split them.")
        assert finding.recommendation == "Correct the rows written “Acme Inc” to “Acme Corporation” in the books."


def test_a_bank_export_and_a_card_export_are_read_each_by_its_own_header_when_both_ways_are_set(ws):
    ws.write("ledger/checking.csv", "Date,Description,Money Out,Money In\n2026-05-03,Square,,450.00\n"
                                    "2026-05-04,AMEX EPAYMENT,120.00,\n")
    ws.write("ledger/amex.csv", "Date,Description,Amount\n2026-05-02,Shell Oil,-58.90\n2026-05-04,PAYMENT - THANK YOU,120.00\n")
    result = ws.collect(SPLIT_COLUMNS + 'amount = "Amount"\n', entities=False)

    assert sorted(e.record["amount"] for e in result.evidence) == ["-120.00", "-58.90", "120.00", "450.00"]
    assert result.warnings == []
    # with only debit and credit set, a file of one signed column is skipped, naming the keys
    skipped = ws.collect(SPLIT_COLUMNS, entities=False)
    assert [w.path for w in skipped.warnings] == ["ledger/amex.csv"]
