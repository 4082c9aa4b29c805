"""Books: what the ledger lacks, and how well it covers a chart of accounts.

Per business: the share of transactions that carry a category, how many accounts are in
use, and accounts booked under more than one category (an inconsistent mapping makes
every category total unreliable). Across the ledger: rows with no category, rows that
name no business, rows entered twice, and months missing from a business whose history
shows a row every month. And each row a note says is other than its words make it (a tax
the owners say was their own: ``remarks``), counted as the note says.
"""

from __future__ import annotations

import re

from collections import defaultdict
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Callable, Sequence

from ..formatting import long_date, money, month_label, percent
from ..model import Evidence, Fact, stable_id
from ..transactions import TransactionTable
from .base import AnalysisContext, rule
from .ledger_rows import Group, Ledger, Retyped, Row, first_open_month, month_after, month_seq, regular_cadence, shared_ledger
from .ledger_types import type_label
from .views import LEDGER

__all__ = ["analyze", "category_coverage", "inconsistent_accounts", "uncategorised_rows", "unassigned_rows", "spelt_apart",
           "retyped_rows", "duplicate_rows", "missing_periods", "missing_months"]

TOPICS = ("accounting", "compliance")
ZERO = Decimal(0)


@rule(reads=LEDGER)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """What the books lack, and their chart-of-accounts coverage, for the ledger in ``evidence``."""
    book = shared_ledger(evidence, ctx)
    if not book.groups:
        return []
    by_entity: dict[str | None, list[Group]] = defaultdict(list)
    for t in book.groups:
        by_entity[t.entity].append(t)
    facts: list[Fact] = []
    charted = frozenset(t.path for t in book.tables if _charted(t))  # (once a file: every rule below asks)
    for entity, rows in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        if ctx.unassigned(entity):
            continue  # rows of no business: unassigned_rows says which
        facts.append(category_coverage(entity, rows, ctx, charted))
        facts.extend(inconsistent_accounts(entity, rows, ctx))
    facts += uncategorised_rows(book, ctx, charted)
    facts += unassigned_rows(book, ctx)
    facts += spelt_apart(book, ctx)
    facts += retyped_rows(book.retyped, ctx)
    facts += duplicate_rows(book, ctx)
    open_month = first_open_month(book, ctx.as_of)
    facts += missing_periods(book, [g for g in book.groups if g.month < open_month], ctx)
    return facts


def _who(entity: str | None, ctx: AnalysisContext) -> str:
    return "Unassigned rows" if ctx.unassigned(entity) else ctx.entity_name(entity)


def _source(rows: Sequence[Group]) -> tuple[str, ...]:
    return tuple(sorted({t.path for t in rows}))


def category_coverage(entity: str | None, rows: Sequence[Group], ctx: AnalysisContext,
                      charted: frozenset[str] = frozenset()) -> Fact:
    """The share of a business's transactions that carry a category, and its accounts. In the
    files ``charted`` names (``_charted``), a row's account is its category."""
    categorised = sum(t.count for t in rows if (t.category and not t.described) or (t.account and t.path in charted))
    total = sum(t.count for t in rows)
    share = (Decimal(categorised) / Decimal(total) * 100).quantize(Decimal("0.1"))
    accounts = sorted({t.account for t in rows if t.account})
    who = ctx.entity_name(entity)
    by_account = all(t.path in charted for t in rows)
    return Fact(
        id=stable_id("f", "category_coverage", entity),
        kind="metric", name="category_coverage", entity=entity, value=share, unit="%",
        statement=(
            f"{who}: {percent(share)} of {total} transactions carry a category"
            f"{' (their account in the chart of accounts: the export has no category column)' if by_account else ''}, "
            f"across {len(accounts)} account{'s' if len(accounts) != 1 else ''}."
        ),
        topics=TOPICS, sources=_source(rows),
    )


# an account that is where money is kept, not what it is for: "Loft checking", "Starling - K&C"
_BANK = re.compile(r"\b(?:checking|chequing|savings|current (?:account|acct)|bank|credit card|debit card|card|visa|"
                   r"mastercard|amex|starling|monzo|chase|barclays|hsbc|lloyds|natwest|revolut|wise|mercury|brex|"
                   r"paypal|operating (?:account|acct)|business (?:account|acct)|op acct)\b", re.I)
_MANY = 4  # categories at which an account is where money moves, whatever its name


def inconsistent_accounts(entity: str | None, rows: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Accounts booked under more than one category."""
    categories: dict[str, set[str]] = defaultdict(set)
    for t in rows:
        if t.account and t.category:
            categories[t.account].add(t.category)
    who = ctx.entity_name(entity)
    facts = []
    for account, used in sorted(categories.items()):
        if len(used) < 2 or len(used) >= _MANY or _BANK.search(account):
            continue  # a bank account or card carries every kind of row: its categories say what each is
        names = ", ".join(sorted(used))
        facts.append(Fact(
            id=stable_id("f", "inconsistent_account", entity, account),
            kind="finding", name="inconsistent_account_category", entity=entity, severity="low",
            statement=f"{who}: the account {account} is booked under several categories ({names}).",
            recommendation=f"Map {account} to one category and recategorise its other rows.",
            topics=TOPICS, sources=_source(rows),
        ))
    return facts


def uncategorised_rows(book: Ledger, ctx: AnalysisContext, charted: frozenset[str]) -> list[Fact]:
    """Transactions with no category: each business's books are incomplete until fixed. In the
    files ``charted`` names, a row's account is its category."""
    facts = []
    groups: dict[str | None, list[Row]] = defaultdict(list)
    bare: dict[str, list[Row]] = defaultdict(list)  # a file with no category at all: a bank's export
    blank = {id(t): _blank_category(t, t.path in charted) for t in book.tables}  # (once a file, not once a row)
    for row in book.rows(lambda t: blank[id(t)]):
        (bare[row.path] if len(row.table) == len(blank[id(row.table)]) else groups[row.entity]).append(row)
    if bare:  # one finding for every such file: one thing to fix
        paths = sorted(bare)
        rows = [r for path in paths for r in bare[path]]
        several = len(paths) > 1
        facts.append(Fact(
            id=stable_id("f", "uncategorised_files", *paths),
            kind="finding", name="uncategorised_transactions", severity="medium",
            value=Decimal(len(rows)), unit="transactions",
            statement=(f"{' and '.join(paths)} {'have' if several else 'has'} no categories: {'their' if several else 'its'} "
                       f"{len(rows)} transactions are told apart by their descriptions alone (a transfer, an owner "
                       "draw, a loan, a deposit, else revenue or a cost)."),
            recommendation=("Export the ledger from your bookkeeping tool with a category column, or name what the "
                            "descriptions that recur are in [sources.ledger.types]."),
            topics=("accounting", "compliance"),
            evidence=tuple(t.id for t in rows[:50]),
            sources=tuple(paths),
        ))
    for entity, rows in sorted(groups.items(), key=lambda kv: kv[0] or ""):
        total = sum((abs(t.amount) for t in rows), ZERO)
        who = _who(entity, ctx)
        lines = ", ".join(str(t.line) for t in rows[:8])
        facts.append(Fact(
            id=stable_id("f", "uncategorised", entity),
            kind="finding", name="uncategorised_transactions", entity=entity, severity="medium",
            value=Decimal(len(rows)), unit="transactions",
            statement=(
                f"{who} has {len(rows)} uncategorised transaction{'s' if len(rows) != 1 else ''} "
                f"worth {money(total, ctx.currency)}."
            ),
            recommendation="Assign a category to each before the month is closed.",
            topics=("accounting", "compliance"),
            evidence=tuple(t.id for t in rows),
            sources=(f"{rows[0].path}, lines {lines}",),
        ))
    return facts


def _blank_category(table: TransactionTable, charted: bool) -> list[int]:
    """The rows with no category: in a file whose accounts are its chart (``charted``, see
    ``_charted``), those with no account either."""
    empty = {n for n, text in enumerate(table.strings) if not text.strip()}
    if not empty:
        return []
    if charted:
        return [n for n, (c, a) in enumerate(zip(table.category, table.account)) if c in empty and a in empty]
    return [n for n, c in enumerate(table.category) if c in empty]


_CHART_MIN = 3  # accounts, not banks or cards, at which a file's accounts are a chart of accounts


def _charted(table: TransactionTable) -> bool:
    """Whether a file's accounts are its chart of accounts, so each row's account says what it
    is for: it has no category anywhere, and names ``_CHART_MIN`` accounts or more that are not
    a bank or a card (a Xero "Account Transactions" export: Sales, Drawings, Repairs and
    Maintenance; a property manager's ledger: Rent Income, Mortgage Interest)."""
    strings = table.strings
    if any(strings[c].strip() for c in set(table.category)):
        return False
    named = {strings[a] for a in set(table.account)}
    return sum(1 for a in named if a.strip() and not _BANK.search(a)) >= _CHART_MIN


def duplicate_rows(book: Ledger, ctx: AnalysisContext) -> list[Fact]:
    """Rows identical in date, amount, business, account and memo: likely double entries."""
    doubles: dict[tuple[object, ...], list[Row]] = {}
    for row in book.rows(_repeated(book.tables)):
        # the amount as the ledger wrote it: a double import repeats it exactly
        key = (row.day, row.table.amount_text(row.n), row.entity, row.account.lower(), row.memo.lower())
        doubles.setdefault(key, []).append(row)
    facts = []
    for key, rows in sorted(doubles.items(), key=lambda kv: str(kv[0])):
        head = rows[0]
        who = _who(head.entity, ctx)
        amount = head.amount
        lines = ", ".join(str(t.line) for t in rows)
        facts.append(Fact(
            id=stable_id("f", "duplicate", *key),
            kind="finding", name="duplicate_transactions", entity=head.entity, severity="medium",
            value=amount, unit=ctx.currency, period=head.day.isoformat(),
            statement=(
                f"{who}: {len(rows)} identical {head.account or 'ledger'} entries of "
                f"{money(amount, ctx.currency)} on {head.day.isoformat()}."
            ),
            recommendation="Check the bank statement and delete the extra entry if it is a double entry.",
            topics=("accounting", "compliance"),
            evidence=tuple(t.id for t in rows),
            sources=(f"{head.path}, lines {lines}",),
        ))
    return facts


def _repeated(tables: Sequence[TransactionTable]) -> Callable[[TransactionTable], list[int]]:
    """A picker of the rows whose (day, amount, business, account, memo) occurs more than once.

    First by day and amount alone, packed into one integer per row (a million rows cost a
    set of ints, not a million tuples): only rows that share those can be doubles, and the
    rest of the key is compared for those rows only.
    """
    days: dict[str, int] = {}
    for table in tables:
        for iso in table.days:
            days.setdefault(iso, len(days))
    n_days = len(days) or 1
    seen: set = set()
    twice: set = set()
    columns = []
    for table in tables:
        dmap = [days[iso] for iso in table.days]
        column: list = [(k * 64 + x + 32) * n_days + dmap[d] for d, k, x in zip(table.day, table.coef, table.exp)]
        for n, text in table.odd.items():  # amounts held as text: a key of their own kind
            column[n] = ("odd", text, dmap[table.day[n]])
        add = seen.add
        twice.update([k for k in column if k in seen or add(k)])
        columns.append(column)
    seen.clear()
    full: dict[tuple, int] = {}
    candidates = []
    for table, column in zip(tables, columns):
        rows = [n for n, k in enumerate(column) if k in twice] if twice else []
        keys = [(column[n], table.entities[table.entity[n]], table.strings[table.account[n]].lower(),
                 table.strings[table.memo[n]].lower()) for n in rows]
        for key in keys:
            full[key] = full.get(key, 0) + 1
        candidates.append((rows, keys))
    columns.clear()
    picked = {id(table): [n for n, key in zip(rows, keys) if full[key] > 1]
              for table, (rows, keys) in zip(tables, candidates)}
    return lambda table: picked.pop(id(table))


def unassigned_rows(book: Ledger, ctx: AnalysisContext) -> list[Fact]:
    """Rows that name no business, where businesses are configured: one finding for all of
    them, which tells rows with a blank business column from rows under a name no business has
    ("Quayside Cleaners"), and says which business such a name looks like."""
    if not ctx.entities:
        return []
    rows = book.rows(_no_business)
    if not rows:
        return []
    cur = ctx.currency
    blank = [r for r in rows if r.n not in r.table.named]
    by_name: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.n in r.table.named:
            by_name[r.table.named[r.n]].append(r)
    told = ([f"{_counted(blank, 'a blank business column', cur)}"] if blank else []) + [
        _counted(named, f"“{name}” in it, which is no business in [[entities]]{_looks_like(name, ctx)}", cur)
        for name, named in sorted(by_name.items())]
    n = len(rows)
    fixes = (["fill in the business column of the blank rows"] if blank else []) + (
        ["correct the rows' business, or add the name they use as an alias of its business in [[entities]]"]
        if by_name else [])
    return [Fact(
        id=stable_id("f", "unassigned_transactions"), kind="finding", name="unassigned_transactions",
        severity="medium", value=Decimal(n), unit="transactions",
        statement=(f"{n} ledger transaction{'s' if n != 1 else ''} name{'' if n != 1 else 's'} no configured business: "
                   f"{'; '.join(told)}. Unassigned, {'they count' if n != 1 else 'it counts'} in the group's totals only."),
        recommendation=" and ".join(fixes).capitalize() + ".",
        topics=TOPICS, evidence=tuple(r.id for r in rows), sources=tuple(sorted({r.path for r in rows})),
    )]


def spelt_apart(book: Ledger, ctx: AnalysisContext) -> list[Fact]:
    """Each business a ledger file's business column writes more than one way (xero's
    "Gulls Rest" on one row, "Gull's Rest" on the rest): every row counts for the business
    here, but the books' own reports by business split it. One finding a file and business,
    naming each way and the line it first appears on."""
    out = []
    for r in book.rows(lambda table: sorted(table.spelt)) if ctx.entities else ():
        entity = r.table.entities[r.table.entity[r.n]]
        if not out or out[-1][0] != (r.path, entity):
            out.append(((r.path, entity), []))
        out[-1][1].append(r)
    facts = []
    for (path, entity), rows in sorted(out, key=lambda kv: (kv[0][0], kv[0][1] or "")):
        name = ctx.entity_name(entity)
        ways = sorted(rows, key=lambda r: r.line)
        others = [r.table.spelt[r.n] for r in ways if r.table.spelt[r.n] != name]
        said = " and ".join(f"“{r.table.spelt[r.n]}” (first on line {r.line})" for r in ways)
        facts.append(Fact(
            id=stable_id("f", "business_spelt_apart", path, entity), kind="finding", name="business_spelt_apart",
            entity=entity, severity="low", value=Decimal(len(ways)), unit="ways",
            statement=(f"{path} writes {name} {len(ways)} ways in its business column: {said}. Every row counts "
                       f"for {name} here, but the books' own reports by business split them."),
            recommendation=(f"Correct the rows written {' or '.join(f'“{o}”' for o in others)} to “{name}” in the books."
                            if len(others) < len(ways) else f"Write {name} one way in the books' business column."),
            topics=("accounting", "data-quality"), evidence=tuple(r.id for r in ways), sources=(path,),
        ))
    return facts


_AS = {  # type → (one, several, what the notes say such money is)
    "owner_draw": ("an owner draw", "owner draws", "the owners' own: personal spending or their pay, not the business's"),
    "capital_contribution": ("capital put in by the owners", "capital put in by the owners",
                             "the owners' own money put in, not earned"),
    "refund": ("a refund", "refunds", "money given back to a customer, which lessens revenue"),
    "deposit": ("a deposit given back", "deposits given back", "a deposit held for a tenant, guest or customer, "
                "owed back to them all along: not a cost"),
    "transfer": ("a transfer", "transfers", "money moved between the owners' accounts or businesses"),
}


def retyped_rows(retyped: Sequence[Retyped], ctx: AnalysisContext) -> list[Fact]:
    """The rows notes retype (``remarks``), one finding for each line of the notes and business:
    counted as the line says, and to be booked so ("my pay … on the 1st and the 15th" is six
    rows, one thing to book)."""
    by: dict[tuple[str | None, str, str, int], list[Retyped]] = {}
    for r in retyped:
        by.setdefault((r.row.entity, r.type, r.remark.path, r.remark.line), []).append(r)
    facts = []
    cur = ctx.currency
    for (entity, kind, path, line), rows in sorted(by.items(), key=lambda kv: (kv[0][0] or "", *kv[0][1:])):
        one, several, why = _AS[kind]
        who = ctx.entity_name(entity) if entity else "Rows of no business"
        total = sum((abs(r.row.amount) for r in rows), ZERO)
        was = " or ".join(sorted({type_label(r.was) for r in rows}))
        notes = sorted({(r.remark.path, r.remark.line) for r in rows})
        said = "; ".join(f"{p} line {n}" for p, n in notes)
        if len(rows) == 1:
            row = rows[0].row
            named = f"“{_label(row)}” of {long_date(row.day)} ({money(total, cur)}, {row.path} line {row.line})"
            statement = (f"{who}: {named} is counted as {one}, not as {was}, as the notes say it is {why} ({said}).")
            recommendation = (f"Book “{_label(row)}” of {long_date(row.day)} ({money(total, cur)}) as {one} in the "
                              "books, so their own reports agree.")
        else:
            labels = list(dict.fromkeys(_label(r.row) for r in rows))
            shown = ", ".join(f"“{label}”" for label in labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
            days = sorted(r.row.day for r in rows)
            where = _lines([r.row for r in rows])
            statement = (f"{who}: {len(rows)} rows, {money(total, cur)} from {long_date(days[0])} to {long_date(days[-1])} "
                         f"({shown}; {where}), are counted as {several}, not as {was}, as the notes say they are {why} "
                         f"({said}).")
            recommendation = f"Book the {len(rows)} rows of {where} as {several} in the books, so their own reports agree."
        facts.append(Fact(
            id=stable_id("f", "retyped_by_note", entity, kind, path, line), kind="finding", name="retyped_by_note",
            entity=entity, severity="low", value=total, unit=cur, period=min(r.row.day for r in rows).isoformat(),
            statement=statement, recommendation=recommendation,
            topics=("accounting", "finance", "data-quality"),
            evidence=tuple(dict.fromkeys([r.row.id for r in rows] + [r.remark.id for r in rows])),
            sources=tuple(dict.fromkeys([r.row.path for r in rows] + [path for path, _ in notes])),
        ))
    return facts


def _lines(rows: Sequence[Row]) -> str:
    """``ledger/a.csv lines 22, 47 and 74``: where rows are, file by file."""
    by: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by[r.path].append(r.line)
    return "; ".join(f"{path} line{'s' if len(lines) > 1 else ''} {', '.join(map(str, sorted(lines)))}"
                     for path, lines in sorted(by.items()))


def _label(row: Row) -> str:
    """What a row's description says: its category, else its memo, else its account."""
    return row.table.strings[row.table.category[row.n]] or row.memo or row.account


def _counted(rows: Sequence[Row], what: str, cur: str) -> str:
    """"1 row with a blank business column ($35.00 out; ledger/x.csv line 273)"."""
    inflow = sum((r.amount for r in rows if r.amount > 0), ZERO)
    outflow = -sum((r.amount for r in rows if r.amount < 0), ZERO)
    moved = ", ".join(([f"{money(inflow, cur)} in"] if inflow else []) + ([f"{money(outflow, cur)} out"] if outflow else []))
    by_path: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_path[r.path].append(r.line)
    where = "; ".join(f"{path} line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines[:10]))}"
                      f"{f' and {len(lines) - 10} more' if len(lines) > 10 else ''}" for path, lines in sorted(by_path.items()))
    n = len(rows)
    return f"{n} row{'s' if n != 1 else ''} with {what} ({moved + '; ' if moved else ''}{where})"


def _looks_like(name: str, ctx: AnalysisContext) -> str:
    """" but looks like Quayside Cleaning" where one configured business's name is close to
    ``name`` (a misspelling, a plural, a word left out); else nothing."""
    def plain(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    wanted = plain(name)
    close = [(SequenceMatcher(None, wanted, plain(known)).ratio(), known) for known, _ in ctx.entities.values()]
    near = [known for ratio, known in close if ratio >= _CLOSE]
    return f" but looks like {near[0]}" if len(near) == 1 else ""


_CLOSE = 0.8  # SequenceMatcher's ratio of two names that are one misspelt (Talis/Tallis Lofts: 0.96)


def _no_business(table: TransactionTable) -> list[int]:
    none = {n for n, entity in enumerate(table.entities) if entity is None}
    return [n for n, e in enumerate(table.entity) if e in none] if none else []


def missing_months(months: set[str], last: str) -> list[str]:
    """The months a business with a regular cadence has no rows in: between its first and last
    month; and after its last, to ``last``, only when its history covers a whole year (a
    season that ends is not a gap)."""
    if not regular_cadence(months):
        return []
    span = month_seq(min(months), max(months))
    holes = [m for m in span if m not in months]
    if len(span) >= 12 and max(months) < last:
        holes += month_seq(month_after(max(months)), last)
    return holes


def missing_periods(book: Ledger, txns: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Months with no rows for a business whose history shows a row every month (``missing_months``)."""
    months = sorted({t.month for t in txns})
    if len(months) < 2:
        return []
    last = months[-1]
    facts = []
    have_by: dict[str | None, set[str]] = defaultdict(set)
    for t in txns:  # one pass, not one per business
        have_by[t.entity].add(t.month)
    open_month = month_after(last)
    label = book.first_path(lambda m: m < open_month) or "ledger"
    for entity in sorted(have_by, key=lambda e: e or ""):
        if ctx.unassigned(entity):
            continue
        who = ctx.entity_name(entity)
        for month in missing_months(have_by[entity], last):
            facts.append(Fact(
                id=stable_id("f", "missing_period", entity, month),
                kind="gap", name="missing_period", entity=entity, period=month, severity="high",
                statement=f"The ledger has no {who} transactions for {month_label(month)}.",
                recommendation=f"Import the {month_label(month)} bank and card statements of {who}.",
                topics=("accounting", "compliance"),
                sources=(f"{label}",),
            ))
    return facts
