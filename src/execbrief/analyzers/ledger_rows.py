"""The ledger as the finance rules read it: rows grouped, summed exactly, once.

The ledger source hands over each file's rows as a ``TransactionTable``. The rules need
sums per business, month, day, account and category, never one object per row, so one
pass over the columns adds the rows of each (business, day, account, category, sign)
group as integers of the row's own scale, and each group becomes one ``Group`` with one
exact ``Decimal`` sum. The few rules that name rows (uncategorised and duplicate entries,
the first row of a period) look at the columns again for just those rows.

Why the groups' sums equal the plain ones: an exact sum of Decimals has the smallest
exponent of its terms (zero, for sums that start at ``Decimal(0)``) and is never -0, and
a group adds rows of one exponent. While no sum of absolute values reaches the context's
precision, every partial sum is exact in any order. When one would (28 digits), every row
is its own group, in date order (date, file, line), and the rules add them one by one as
they always did, rounding at the same steps.
"""

from __future__ import annotations

import re
from itertools import repeat
from operator import ne
from datetime import date
from decimal import Decimal, getcontext
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple, Sequence

from ..model import Evidence
from ..transactions import TransactionTable
from .ledger_types import Classifier, classifier, profit_effect
from .remarks import Remark, pick, remarks as read_remarks

if TYPE_CHECKING:
    from .base import AnalysisContext

__all__ = ["ALL", "Group", "Ledger", "Retyped", "Row", "BUSINESS_SOLD", "aggregate", "closed_loans", "sold_businesses", "first_months", "first_open_month", "ledger", "month_after", "month_before",
           "month_seq", "regular_cadence", "opening_cash", "shared_ledger", "with_group"]


class Group(NamedTuple):
    """Rows of one business, day (or month), account, category and sign, with their exact sum."""

    entity: str | None
    month: str  # "2026-10"
    day: date  # the rows' day; the 1st of the month for a group of a whole month (see Ledger)
    account: str
    category: str
    path: str
    amount: Decimal
    count: int
    sign: int  # 1 inflows, 0 zero amounts, -1 outflows
    type: str  # the rows' transaction type (see ledger_types)
    described: bool = False  # the rows name neither category nor account: ``category`` is their memo


class Row(NamedTuple):
    """One row, for the rules that name rows: where it is, and what it says."""

    day: date
    path: str
    line: int
    table: TransactionTable
    n: int  # the row's position in its table

    @property
    def id(self) -> str:
        return self.table.row_id(self.n)

    @property
    def amount(self) -> Decimal:
        return self.table.amount(self.n)

    @property
    def entity(self) -> str | None:
        return self.table.entities[self.table.entity[self.n]]

    @property
    def account(self) -> str:
        return self.table.strings[self.table.account[self.n]]

    @property
    def memo(self) -> str:
        return self.table.strings[self.table.memo[self.n]]


class Retyped(NamedTuple):
    """A row a note's remark retypes: what its words made it, what it is, and the remark."""

    row: Row
    was: str
    remark: Remark
    type: str


_DAYS: dict[str, tuple[date, str]] = {}


def _day(iso: str) -> tuple[date, str]:
    found = _DAYS.get(iso)
    if found is None:
        day = date.fromisoformat(iso)
        found = _DAYS[iso] = (day, f"{day.year:04d}-{day.month:02d}")
    return found


class Ledger:
    """The ledger's transactions: their tables, and their groups."""

    def __init__(self, tables: list[TransactionTable], by_day: Callable[[str], bool] = lambda month: True,
                 types: Classifier | None = None, remarks: Sequence[Remark] = ()) -> None:
        """Group rows by day in the months ``by_day`` names, by month in the others; ``types``
        gives each group its transaction type (the defaults when None), except for the rows
        the notes' ``remarks`` name (see ``analyzers.remarks``): ``retyped`` says which."""
        self.tables = tables
        self.exact = _exact(tables)
        self.types = types or classifier()
        # each table's category column as the rules read it (a bank's description where a row
        # has neither category nor account: ``labels``)
        self.labels = {id(t): labels(t) for t in tables}
        self.retyped: list[Retyped] = _retyped(self, remarks) if remarks else []
        over: dict[int, dict[int, str]] = {}
        for r in self.retyped:
            over.setdefault(id(r.row.table), {})[r.row.n] = r.type
        self.groups: list[Group] = _to_lenders((_groups(tables, by_day, self.types, self.labels, over) if self.exact
                                                else _row_groups(tables, self.types, self.labels, over)))
        self.last_day = max((_day(iso)[0] for t in tables for iso in t.days), default=None)

    def first_path(self, month: Callable[[str], bool]) -> str | None:
        """The file of the first row (by date, then file) among rows of the months ``month`` picks."""
        first = None
        for table in self.tables:
            days = [_day(table.days[d]) for d in set(table.day)]
            found = min((day for day, m in days if month(m)), default=None)
            if found is not None and (first is None or (found, table.path) < first):
                first = (found, table.path)
        return None if first is None else first[1]

    def label(self, row: Row) -> str:
        """A row's category as the rules read it (its description, where it has no category or account)."""
        return row.table.strings[self.labels[id(row.table)][row.n]]

    def type_of(self, row: Row) -> str:
        """A row's transaction type as its words give it (not as a note may retype it)."""
        table, n = row.table, row.n
        label = self.labels[id(table)][n]
        amount = table.amount(n)
        return self.types(table.strings[label], table.strings[table.account[n]], (amount > 0) - (amount < 0),
                          label != table.category[n])

    def rows(self, keep: Callable[[TransactionTable], Iterable[int]]) -> list[Row]:
        """The rows ``keep`` picks from each table, in date order (date, file, line)."""
        out = []
        for table in self.tables:
            days, day, line = table.days, table.day, table.line
            out += [Row(_day(days[day[n]])[0], table.path, line[n], table, n) for n in keep(table)]
        out.sort(key=lambda r: (r.day, r.path, r.line))
        return out

    def payers(self, months: dict[str | None, set[str]], payer: Callable[[str], str | None]) -> list[tuple]:
        """(entity, payer, amount, day, path, line) of inflows in each business's ``months``, in date order.

        A payer is read from the memo by ``payer``; rows of one memo and day add up first.
        """
        parts: list[tuple] = []
        for table in self.tables:
            revenue = self.revenue_pairs(table)
            category = self.labels[id(table)]
            days = [_day(iso) for iso in table.days]
            wanted = [{d for d, (_, month) in enumerate(days) if month in months[entity]} if entity in months else set()
                      for entity in table.entities]
            names: dict[int, str | None] = {}
            strings = table.strings
            if not self.exact:
                for n, (e, d, m) in enumerate(zip(table.entity, table.day, table.memo)):
                    if d in wanted[e] and (table.account[n], category[n]) in revenue:
                        amount = table.amount(n)
                        who = names[m] if m in names else names.setdefault(m, payer(strings[m]))
                        if amount > 0 and who:
                            parts.append((table.entities[e], who, amount, days[d][0], table.path, table.line[n]))
                continue
            sums: dict[tuple, list] = {}
            rows = zip(table.entity, table.day, table.memo, table.exp, table.coef, table.line, table.account,
                       category)
            for e, d, m, x, k, line, a, c in rows:  # rows of amounts held as text have k == 0: below
                if k > 0 and d in wanted[e] and (a, c) in revenue:
                    key = (e, d, m, x)
                    part = sums.get(key)
                    if part is None:
                        sums[key] = [k, line]
                    else:
                        part[0] += k
                        if line < part[1]:
                            part[1] = line
            for (e, d, m, x), (total, line) in sums.items():
                who = names[m] if m in names else names.setdefault(m, payer(strings[m]))
                if who:
                    parts.append((table.entities[e], who, Decimal(f"{total}E{x}"), days[d][0], table.path, line))
            for n in table.odd:
                e, d, m = table.entity[n], table.day[n], table.memo[n]
                amount = table.amount(n)
                who = payer(strings[m])
                if amount > 0 and who and d in wanted[e] and (table.account[n], category[n]) in revenue:
                    parts.append((table.entities[e], who, amount, days[d][0], table.path, table.line[n]))
        parts.sort(key=lambda p: (p[3], p[4], p[5]))
        return parts

    def revenue_pairs(self, table: TransactionTable) -> set[tuple[int, int]]:
        """(account, category) positions of a table whose money in is revenue."""
        strings, types = table.strings, self.types
        return {(a, c) for a, c, own in set(zip(table.account, self.labels[id(table)], table.category))
                if types(strings[c], strings[a], 1, c != own) == "revenue"}


def _retyped(book: Ledger, remarks: Sequence[Remark]) -> list[Retyped]:
    """The rows the remarks name (``analyzers.remarks``), each with the first remark that
    names it, in date order. One pass over each table for every sum the remarks state, in
    or out."""
    sums = {s for r in remarks for a in r.amounts for s in (a, -a)}
    hits: dict[int, list[int]] = {}  # table id → its rows of those sums
    for table in book.tables:
        wanted = set()  # (coefficient, exponent) of each sum at each scale the table holds
        for x in set(table.exp):
            for a in sums:
                k = a.scaleb(-x)
                if k == k.to_integral_value():
                    wanted.add((int(k), x))
        coefs = {k for k, _ in wanted}
        found = [n for n, k in enumerate(table.coef) if k in coefs and (k, table.exp[n]) in wanted and n not in table.odd]
        hits[id(table)] = found + [n for n in table.odd if table.amount(n) in sums]
    by_sum: dict[Decimal, list[tuple[Row, str]]] = {}  # sum → its rows, with their type by their words
    for row in book.rows(lambda t: hits[id(t)]):
        by_sum.setdefault(row.amount, []).append((row, book.type_of(row)))
    out: dict[tuple[int, int], Retyped] = {}
    for remark in remarks:
        for amount in remark.amounts:
            rows = [(r.day, f"{book.label(r)} {r.memo}", Retyped(r, was, remark, kind))
                    for r, was in (*by_sum.get(-amount, ()), *by_sum.get(amount, ()))
                    if (id(r.table), r.n) not in out and (kind := remark.retypes(was, 1 if r.amount > 0 else -1))]
            for chosen in pick(remark, rows):
                out[id(chosen.row.table), chosen.row.n] = chosen
    return sorted(out.values(), key=lambda r: (r.row.day, r.row.path, r.row.line))


def _exact(tables: Sequence[TransactionTable]) -> bool:
    """Whether every sum of any rows is exact: their absolute values add up within the precision."""
    limit = 10 ** getcontext().prec
    odd = [t.amount(n) for t in tables for n in t.odd]
    if not all(a.is_finite() for a in odd):
        return False
    floor = min([0] + [min(t.exp) for t in tables if len(t)] + [a.as_tuple().exponent for a in odd])  # type: ignore[misc]
    total = sum(abs(int(a.scaleb(-floor))) for a in odd)
    for table in tables:
        if not len(table):
            continue
        if min(table.exp) == max(table.exp):  # the usual case: one scale for the whole file
            total += sum(map(abs, table.coef)) * 10 ** (table.exp[0] - floor)
            continue
        by_exp: dict[int, int] = {}
        for x, k in zip(table.exp, table.coef):
            by_exp[x] = by_exp.get(x, 0) + (k if k > 0 else -k)
        total += sum(v * 10 ** (x - floor) for x, v in by_exp.items())
    return total < limit


def labels(table: TransactionTable) -> Sequence[int]:
    """The table's category column as the rules read it: where a row has neither a category nor
    an account, its memo, which is all a raw bank export says of a row ("ONLINE TRANSFER TO CHK
    ...4471", "ZELLE TO ALEX KIM OWNER DRAW", "SECURITY DEPOSIT - UNIT 2"); the column itself
    where every row has one or the other."""
    blank = {n for n, text in enumerate(table.strings) if not text.strip()}
    if not blank or blank.isdisjoint(set(table.category)):
        return table.category
    return [m if c in blank and a in blank else c for a, c, m in zip(table.account, table.category, table.memo)]


# words of a loan row's label that name no lender
_NOT_LENDERS = frozenset("""
loan loans advance advanced proceeds drawdown draw drawn deposit funding funded from online transfer payment
credit line business equipment capital working term bank ach wire incoming received note payable the and for
""".split())
_FEES = re.compile(r"\b(?:fees?|charges?|interest|insurance)\b", re.I)


def _to_lenders(groups: list[Group]) -> list[Group]:
    """``groups`` with money out to a lender the ledger shows lending typed a loan payment, not a
    cost: a raw bank export's "KABBAGE PMT" after its "LOAN ADVANCE - KABBAGE" (rows with no
    account, whose label is all they say; a fee or interest stays a cost)."""
    lenders = {w for g in groups if g.type == "loan_proceeds" and not g.account
               for w in re.findall(r"[a-z]{4,}", g.category.lower()) if w not in _NOT_LENDERS}
    if not lenders:
        return groups
    return [g._replace(type="loan_payment")
            if g.type == "operating_expense" and not g.account and g.sign < 0 and not _FEES.search(g.category)
            and not lenders.isdisjoint(re.findall(r"[a-z]{4,}", g.category.lower())) else g
            for g in groups]


def _groups(tables: Sequence[TransactionTable], by_day: Callable[[str], bool], types: Classifier,
            labels_of: dict[int, Sequence[int]], over: dict[int, dict[int, str]]) -> list[Group]:
    """Each table's rows in groups; a row ``over`` retypes (table id → row → type) a group of its own."""
    out = []
    for table in tables:
        # each day's position, or its month's: (day, month) of the group, "day" being the 1st for a month
        spans: list[tuple[date, str]] = []
        where: dict[tuple[date, str], int] = {}
        bucket = []
        for iso in table.days:
            day, month = _day(iso)
            span = (day if by_day(month) else day.replace(day=1), month)
            bucket.append(where.setdefault(span, len(where)))
            if len(spans) < len(where):
                spans.append(span)
        fine: dict[tuple, list] = {}
        get = fine.get
        category = labels_of[id(table)]
        # (whether a row's label is its memo, where some are: ``labels``)
        described = repeat(False) if category is table.category else map(ne, category, table.category)
        for e, d, a, c, x, k, m in zip(table.entity, table.day, table.account, category, table.exp, table.coef,
                                       described):
            key = (e, bucket[d], a, c, x, (k > 0) - (k < 0), m)
            part = get(key)
            if part is None:
                fine[key] = [k, 1]
            else:
                part[0] += k
                part[1] += 1
        extra: list[tuple[tuple[int, int, int, int], bool, Decimal, int, str | None]] = []
        retyped = over.get(id(table), {})
        for n, text in table.odd.items():  # held as 0 above: move each to a group of its own
            key = (table.entity[n], bucket[table.day[n]], table.account[n], category[n], 0, 0,
                   category[n] != table.category[n])
            fine[key][1] -= 1
            amount = Decimal(text)
            extra.append((key[:4], key[6], amount, (amount > 0) - (amount < 0), retyped.get(n)))
        for n, kind in retyped.items():  # (a few rows a note retypes: each a group of its own)
            if n in table.odd:
                continue
            k, x = table.coef[n], table.exp[n]
            key = (table.entity[n], bucket[table.day[n]], table.account[n], category[n], x, (k > 0) - (k < 0),
                   category[n] != table.category[n])
            fine[key][0] -= k
            fine[key][1] -= 1
            extra.append((key[:4], key[6], Decimal(f"{k}E{x}"), key[5], kind))
        entities, strings, path = table.entities, table.strings, table.path
        for (e, d, a, c, x, sign, m), (total, count) in fine.items():
            if count:
                day, month = spans[d]
                out.append(Group(entities[e], month, day, strings[a], strings[c], path,
                                 Decimal(f"{total}E{x}"), count, sign, types(strings[c], strings[a], sign, m), m))
        for (e, d, a, c), m, amount, sign, kind in extra:
            day, month = spans[d]
            out.append(Group(entities[e], month, day, strings[a], strings[c], path, amount, 1, sign,
                             kind or types(strings[c], strings[a], sign, m), m))
    return out


def _row_groups(tables: Sequence[TransactionTable], types: Classifier,
                labels_of: dict[int, Sequence[int]], over: dict[int, dict[int, str]]) -> list[Group]:
    """Every row its own group, in date order: sums then round where they always did."""
    keyed = []
    for table in tables:
        days = [_day(iso) for iso in table.days]
        labelled = labels_of[id(table)]
        retyped = over.get(id(table), {})
        for n in range(len(table)):
            day, month = days[table.day[n]]
            amount = table.amount(n)
            account, category = table.strings[table.account[n]], table.strings[labelled[n]]
            described = labelled[n] != table.category[n]
            sign = (amount > 0) - (amount < 0)
            keyed.append(((day, table.path, table.line[n]), Group(
                table.entities[table.entity[n]], month, day, account, category, table.path, amount, 1, sign,
                retyped.get(n) or types(category, account, sign, described), described)))
    keyed.sort(key=lambda kg: kg[0])
    return [g for _, g in keyed]


def _from_rows(rows: list[Evidence]) -> list[TransactionTable]:
    """Tables of loose ``transaction`` items (one per row), one table per file."""
    tables: dict[str, TransactionTable] = {}
    for ev in rows:
        prov, r = ev.provenance, ev.record
        table = tables.get(prov.path)
        if table is None:
            table = tables[prov.path] = TransactionTable(prov.path, prov.sha256, prov.observed_at)
            table.ids = []
        table.append(_iso(r["date"]), str(r["amount"]), ev.entity, (r.get("account") or "").strip(),
                     (r.get("category") or "").strip(), (r.get("memo") or "").strip(),
                     prov.line_start or 0, prov.line_end or prov.line_start or 0)
        if ev.entity is None and r.get("business"):  # (the business cell, where it names no configured one)
            table.named[len(table) - 1] = str(r["business"])
        table.ids.append(ev.id)  # type: ignore[union-attr]
    for table in tables.values():
        table.drop_index()
    return list(tables.values())


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso(raw: str) -> str:
    return raw if _ISO.fullmatch(raw) else date.fromisoformat(raw).isoformat()


def ledger(evidence: Sequence[Evidence], as_of: date | None = None,
           types: tuple[tuple[str, str], ...] = ()) -> Ledger:
    """The ledger among the evidence: ``transactions`` tables, and loose ``transaction`` rows,
    with the rows the notes' ``ledger_remark`` items retype (``analyzers.remarks``).

    Rows are grouped by month, except where a rule compares their days with a date: in the
    month of the opening cash balance, and from the month of ``as_of`` on (every month, when
    ``as_of`` is None). ``types`` are the workspace's own (label, transaction type) pairs.
    """
    tables = [ev.record["table"] for ev in evidence if ev.kind == "transactions"]
    loose = [ev for ev in evidence if ev.kind == "transaction"]
    if loose:
        tables += _from_rows(loose)
    said = read_remarks(evidence) if tables else []
    if as_of is None:
        out = Ledger(tables, types=classifier(types), remarks=said)
    else:
        current = f"{as_of.year:04d}-{as_of.month:02d}"
        found = opening_cash(evidence)
        opening = found[1].isoformat()[:7] if found else None
        out = Ledger(tables, lambda month: month >= current or month == opening, classifier(types), said)
    return out


def shared_ledger(evidence: Sequence[Evidence], ctx: "AnalysisContext") -> Ledger:
    """``ledger(evidence, ctx.as_of)``, made once per analysis for every rule that reads it."""
    return ctx.shared("ledger", evidence, lambda: ledger(evidence, ctx.as_of, ctx.ledger_types))


def month_after(month: str) -> str:
    """``2026-12`` → ``2027-01``."""
    year, number = map(int, month.split("-"))
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def month_before(month: str) -> str:
    """``2027-01`` → ``2026-12``."""
    year, number = map(int, month.split("-"))
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def month_seq(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included."""
    out = []
    while first <= last:
        out.append(first)
        first = month_after(first)
    return out


# A business's months are regular when it has rows in at least this share of the months from
# its first to its last, and in some run of this many months in a row
CADENCE_SHARE = Decimal("0.75")
CADENCE_RUN = 3


def regular_cadence(months: set[str]) -> bool:
    """Whether a business's history shows a row every month: rows in most months from its
    first to its last, with some run of ``CADENCE_RUN`` months in a row (a seasonal business
    with a few jobs a year has neither)."""
    span = month_seq(min(months), max(months))
    if len(span) < CADENCE_RUN or Decimal(len(months)) < CADENCE_SHARE * len(span):
        return False
    run = best = 0
    for month in span:
        run = run + 1 if month in months else 0
        best = max(best, run)
    return best >= CADENCE_RUN


def first_open_month(book: Ledger, as_of: date) -> str:
    """The first month not complete on ``as_of``: its own month, unless ``as_of`` is that
    month's last day or the ledger's last row is dated on it (then the month after)."""
    current = f"{as_of.year:04d}-{as_of.month:02d}"
    month_end = date.fromisoformat(f"{month_after(current)}-01").toordinal() - 1
    if as_of.toordinal() == month_end or (book.last_day is not None and book.last_day.toordinal() == month_end):
        return month_after(current)
    return current


def opening_cash(evidence: Sequence[Evidence]) -> tuple[Decimal, date, Evidence] | None:
    """The configured opening balance, its date and its evidence item, if any."""
    for ev in evidence:
        if ev.kind == "resource" and ev.source == "ledger" and ev.record.get("type") == "opening_cash":
            return Decimal(ev.record["amount"]), date.fromisoformat(ev.record["date"]), ev
    return None


ALL = "\x00group"  # the key of all businesses together in ``aggregate`` (None is a business: rows without one)


ORG = None  # the entity of the group's facts


def aggregate(groups: Sequence[Group]) -> dict[tuple[str, str | None, str | None], list]:
    """One pass over the groups of rows: [revenue, costs, paths, months, rows, moves] per set of rows.

    Revenue and costs are profit's (``ledger_types.profit_effect``); ``moves`` holds the
    rows that only move cash (owner draws, capital, loans, transfers): type → [signed sum,
    rows, sum in, sum out (negative), earned] (earned: money paid ahead that became revenue,
    ``prepaid_earned``, not in the sum out). Sets: ("month", entity, month), ("all", entity, None) and ("account", entity,
    account), with ``ALL`` as the entity of all businesses together (month and all only):
    there transfers between the businesses add up to what left or joined the group; a row
    that names no account is its file's (a bank's export is one account's). Each
    sum adds the groups in order, as the rows were once added one by one (see ``Ledger``).
    """
    out: dict[tuple[str, str | None, str | None], list] = {}
    get = out.get
    refunded = tax_refunds(groups)
    releasable = prepaid_earned(groups)  # (business, account, day) → paid ahead, earned there
    for g in groups:
        entity, month, amount = g.entity, g.month, g.amount
        effect = profit_effect(g.type, amount)
        earned = Decimal(0)
        if g.type == "prepayment" and amount < 0 and releasable:
            spot = (entity, g.account or g.path, g.day)
            earned = min(-amount, releasable.get(spot, Decimal(0)))
            if earned:
                releasable[spot] -= earned
        for key in (("month", entity, month), ("month", ALL, month), ("all", entity, None),
                    ("all", ALL, None), ("account", entity, g.account or g.path)):  # (no account: its file is it)
            acc = get(key)
            if acc is None:
                acc = out[key] = [Decimal(0), Decimal(0), set(), set(), 0, {}]
            if effect is None:
                moved = acc[5].get(g.type)
                if moved is None:
                    moved = acc[5][g.type] = [amount, g.count, Decimal(0), Decimal(0), Decimal(0)]
                else:
                    moved[0] += amount
                    moved[1] += g.count
                # (tax given back to a customer with a refund lessens what was collected; it was
                # not paid over to the tax office; money paid ahead and earned went nowhere)
                moved[4] += earned
                moved[2 if amount > 0 or (g.entity, g.category) in refunded else 3] += amount + earned
            else:
                acc[effect[0]] += effect[1]
            acc[2].add(g.path)
            acc[3].add(month)
            acc[4] += g.count
    return out


def prepaid_earned(groups: Sequence[Group]) -> dict[tuple[str | None, str, date], Decimal]:
    """(business, account, day) → money paid ahead that was earned there: an account that holds
    only payments made ahead and revenue (a caterer's *Customer deposits*), where a deposit
    moved out and the same day's revenue moved in (the event served: -$4,800 deposit, +$4,800
    revenue) took no money anywhere. In an account that holds anything else, money out of a
    deposit is what went back to the customer, as ever."""
    types: dict[tuple[str | None, str], set[str]] = {}
    out: dict[tuple[str | None, str, date], Decimal] = {}
    came: dict[tuple[str | None, str, date], Decimal] = {}
    for g in groups:
        account = g.account or g.path
        types.setdefault((g.entity, account), set()).add(g.type)
        spot = (g.entity, account, g.day)
        if g.type == "prepayment" and g.amount < 0:
            out[spot] = out.get(spot, Decimal(0)) - g.amount
        elif g.type == "revenue" and g.amount > 0:
            came[spot] = came.get(spot, Decimal(0)) + g.amount
    return {spot: min(amount, came[spot]) for spot, amount in out.items()
            if spot in came and types[spot[:2]] <= {"prepayment", "revenue"}}


def tax_refunds(groups: Sequence[Group]) -> frozenset[tuple[str | None, str]]:
    """(business, category) of sales tax collected whose money out went back to customers:
    where a business books the tax it collects in one category ("BTW ontvangen") and pays it
    over in another ("BTW afdracht", only money out), a row out of the first is the tax of a
    refund. With one category for both, money out is what was paid over, as ever."""
    sums: dict[tuple[str | None, str], list[Decimal]] = {}
    for g in groups:
        if g.type == "sales_tax":
            acc = sums.setdefault((g.entity, g.category), [Decimal(0), Decimal(0)])
            acc[0 if g.amount > 0 else 1] += g.amount
    paying = {entity for (entity, _), (came, went) in sums.items() if came == 0 and went < 0}
    return frozenset(key for key, (came, went) in sums.items() if key[0] in paying and went < 0 < came + went)


def one_large_cost(txns: Sequence[Group], entity: str | None, costs: Decimal, months: int) -> tuple[str, str, Decimal, int] | None:
    """(category, month, amount, rows) of the business's largest cost of one category in one
    month, where that alone is more than a usual month's costs and three times what the
    category cost in the other months: a roof paid for at once, not the running of the
    business; None where there is no such cost."""
    found: dict[tuple[str, str], list] = {}
    for g in txns:
        if g.entity != entity:
            continue
        effect = profit_effect(g.type, g.amount)
        if effect is None or effect[0] != 1 or effect[1] <= 0:
            continue
        acc = found.setdefault((g.category or g.account or "(no category)", g.month), [Decimal(0), 0])
        acc[0] += effect[1]
        acc[1] += g.count
    if not found or months < 3:  # (a one-off needs usual months to stand out from)
        return None
    (category, month), (amount, rows) = max(found.items(), key=lambda kv: (kv[1][0], kv[0]))
    usual = (costs - amount) / months  # a month's costs, that one aside
    # (not a cost the business pays every month, wages in a month of five Fridays: the same
    # category in its other months is a third of it or less, on average)
    again = sum((v[0] for (c, m), v in found.items() if c == category and m != month), Decimal(0)) / (months - 1)
    return (category, month, amount, rows) if 0 < usual < amount and 3 * again <= amount else None


# an asset sale that is the business itself: "Sale of business", "Sale of the trade and assets"
BUSINESS_SOLD = re.compile(r"(?i)\bsale of (?:the )?(?:business|company|trade(?: and assets)?|goodwill)\b"
                            r"|\b(?:business|goodwill) (?:sale|sold|disposal)\b")


def sold_businesses(groups: Sequence[Group]) -> dict[str, tuple[str, str, Decimal]]:
    """The businesses the ledger shows sold: an asset sale whose category or account says the
    business itself went ("Sale of business"), with no revenue after its month. Business →
    (month, what the rows say, amount)."""
    sales: dict[str, list] = {}
    last_revenue: dict[str, str] = {}
    for g in groups:
        if g.entity is None:
            continue
        if g.type == "asset_sale" and g.amount > 0 and (BUSINESS_SOLD.search(g.category) or BUSINESS_SOLD.search(g.account)):
            found = sales.setdefault(g.entity, [g.month, g.category or g.account, Decimal(0)])
            found[0] = max(found[0], g.month)
            found[2] += g.amount
        elif g.type == "revenue" and g.amount > 0 and g.month > last_revenue.get(g.entity, ""):
            last_revenue[g.entity] = g.month
    return {entity: (month, said, amount) for entity, (month, said, amount) in sales.items()
            if last_revenue.get(entity, "") <= month}


def closed_loans(groups: Sequence[Group]) -> dict[tuple[str | None, str], Decimal]:
    """The loans the ledger shows closed, drawn and repaid in full (an account of a business
    whose loan rows add up to nothing, with money drawn into it), and the principal repaid to
    each, by (business, month): the line of credit drawn in August and repaid on 15 October.
    A repayment that closes a loan does not come again: no month lost money by it, and no
    burn goes on at it. Keys: (business, account) → {(business, month): principal repaid}."""
    totals: dict[tuple[str | None, str], Decimal] = {}
    drawn: set[tuple[str | None, str]] = set()
    for g in groups:
        if g.type in ("loan_proceeds", "loan_principal") and g.account:
            key = (g.entity, g.account)
            totals[key] = totals.get(key, Decimal(0)) + g.amount
            if g.type == "loan_proceeds" and g.amount > 0:
                drawn.add(key)
    closed = {key for key, total in totals.items() if total == 0 and key in drawn}
    out: dict = {}
    for g in groups:
        if g.type == "loan_principal" and g.amount < 0 and (g.entity, g.account) in closed:
            repaid = out.setdefault((g.entity, g.account), {})
            repaid[g.entity, g.month] = repaid.get((g.entity, g.month), Decimal(0)) - g.amount
    return out


def first_months(sums: dict) -> dict[str | None, str]:
    """Each business's first month in ``aggregate``'s sums, ``ALL``'s the group's: a business
    whose first is later than the group's opened within the ledger."""
    out: dict[str | None, str] = {}
    for kind, entity, month in sums:
        if kind == "month" and (entity not in out or month < out[entity]):
            out[entity] = month
    return out


def with_group(sums: dict, kind: str, ctx: "AnalysisContext") -> dict[tuple[str | None, str | None], list]:
    """Per business; with more than one, or rows of no business, None stands for all of them
    together (with no businesses configured, None is the organisation's own rows)."""
    own = {(k[1], k[2]): v for k, v in sums.items() if k[0] == kind and k[1] != ALL and not ctx.unassigned(k[1])}
    unassigned = any(k[0] == kind and ctx.unassigned(k[1]) for k in sums)
    if unassigned or len({k[0] for k in own}) > 1:
        own.update({(ORG, k[2]): v for k, v in sums.items() if k[0] == kind and k[1] == ALL})
    return own
