"""What a ledger row is: its transaction type, from its category and account.

Profit (revenue, costs, net, margin, operating burn, break-even) counts the profit-and-loss
types only; cash (cash flow, cash burn, runway) counts every row, and shows owner draws,
capital, loans, transfers, sales tax or VAT passed on to the tax office, deposits held for
others, one-off sales of equipment and capital spending (a roof, a van) apart from operations. The words that give a row its type
are data (``analyzers/transaction_types.toml``); a workspace maps its own category and
account names in ``[sources.ledger.types]``, which win.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping

from ..business_kinds import customers
from ..formatting import money

__all__ = ["CASH_ONLY", "COST_TYPES", "PROFIT_TYPES", "TYPES", "Classifier", "classifier", "profit_effect",
           "type_label", "what_is_left"]

TYPES = ("revenue", "cost_of_sales", "operating_expense", "interest", "tax", "refund",
         "owner_draw", "capital_contribution", "loan_proceeds", "loan_principal", "transfer", "sales_tax",
         "loan_payment", "deposit", "asset_sale", "prepayment", "grant", "asset_purchase", "pass_through")
PROFIT_TYPES = frozenset(TYPES[:6])  # what profit counts
CASH_ONLY = frozenset(TYPES[6:])  # what only cash counts: never revenue, never a cost
COST_TYPES = frozenset({"cost_of_sales", "operating_expense", "interest", "tax"})
_LABELS = {
    "revenue": "revenue", "cost_of_sales": "cost of sales", "operating_expense": "operating expense",
    "interest": "interest", "tax": "tax", "refund": "refund", "owner_draw": "owner draws",
    "capital_contribution": "capital contributions", "loan_proceeds": "loan proceeds",
    "loan_principal": "loan principal", "transfer": "transfers", "sales_tax": "sales tax and VAT passed on",
    "loan_payment": "loan or mortgage payments (principal and interest not split)",
    "deposit": "deposits (held for customers, or paid: owed back)", "asset_sale": "asset sales and insurance payouts",
    "prepayment": "money paid ahead (gift cards, clients' prepayments: owed until delivered)", "grant": "grants and subsidies",
    "asset_purchase": "capital spending (equipment, vehicles, improvements)",
    "pass_through": "money paid on for clients (bought for them at cost and re-billed)",
}


def type_label(kind: str, business: str | None = None) -> str:
    """``owner_draw`` → ``owner draws``: a type as a statement names it; of a business of the
    kind ``business``, as it would (a landlord's unsplit loan payments are the mortgage's)."""
    if kind == "loan_payment" and business is not None:
        return f"{debt_word(business)} payments (principal and interest not split)"
    if kind in ("deposit", "prepayment") and business is not None:
        # whose the money is: a long-let's tenants', a holiday let's guests', a shop's customers'
        whom = customers(business, "customers")
        if kind == "deposit":
            return f"deposits held for {whom}"
        return ("gift cards and vouchers (owed until redeemed)" if business == "retail"
                else f"payments made ahead by {whom} (owed to them until delivered)")
    return _LABELS[kind]


def what_is_left(kind: str, moved: Decimal, currency: str) -> str:
    """What money of a type that went both ways leaves ("netting to nothing", "$800 more in than
    out, owed back to them"): whose it is, where someone is owed it or owes it."""
    if moved == 0:
        return "netting to nothing"
    whose = ""
    if kind in ("deposit", "prepayment") and moved > 0:
        whose = ", owed back to them"
    elif kind == "pass_through":  # (paid for clients ahead of their money: the float they owe)
        whose = ", still to be paid on for them" if moved > 0 else ", paid ahead of the clients' money: owed by them"
    return f"{money(abs(moved), currency)} more {'in than out' if moved > 0 else 'out than in'}{whose}"


def debt_word(business: str | None) -> str:
    """What a business of this kind repays month by month: a landlord's mortgage, others' loan."""
    return "mortgage" if business in ("rental", "short-let") else "loan"


def _plain(label: str) -> str:
    return " ".join(label.lower().replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class _Rule:
    type: str
    words: re.Pattern[str]
    unless: re.Pattern[str] | None
    sign: int  # 1 money in only, -1 money out only, 0 either
    weak: bool

    def matches(self, label: str, sign: int) -> bool:
        if self.sign and sign != self.sign:
            return False
        return bool(self.words.search(label)) and not (self.unless is not None and self.unless.search(label))


@lru_cache(maxsize=1)
def _default_rules() -> tuple[_Rule, ...]:
    text = (resources.files("execbrief.analyzers") / "transaction_types.toml").read_text(encoding="utf-8")
    rules = []
    for n, entry in enumerate(tomllib.loads(text)["rules"]):
        if entry["type"] not in TYPES:
            raise ValueError(f"transaction_types.toml rule {n + 1}: unknown type {entry['type']!r}")
        unless = entry.get("unless")
        rules.append(_Rule(
            entry["type"], re.compile("|".join(entry["words"])),
            re.compile("|".join(unless)) if unless else None,
            {"in": 1, "out": -1}.get(entry.get("sign", ""), 0), bool(entry.get("weak")),
        ))
    return tuple(rules)


class Classifier:
    """Gives (category, account, sign) its transaction type; each distinct triple is worked out once."""

    def __init__(self, mapping: Iterable[tuple[str, str]] = ()) -> None:
        self.mapping: Mapping[str, str] = {_plain(label): kind for label, kind in mapping}
        self.rules = _default_rules()
        self._seen: dict[tuple[str, str, int, bool], str] = {}
        # the workspace's names as words a bank line holds ("STRIPE TRANSFER" in "STRIPE TRANSFER
        # ST-0907X TALLYHO LABS"), the longest first
        keys = sorted((k for k in self.mapping if k), key=len, reverse=True)
        self._within = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, keys)) + r")(?![a-z0-9])") if keys else None

    def __call__(self, category: str, account: str, sign: int, described: bool = False) -> str:
        """The type of a row of this category and account, money in (1), out (-1) or zero (0);
        ``described``: the category is the row's description (a raw bank export's line), in
        which a name the workspace maps counts where its words are."""
        key = (category, account, sign, described)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._classify(_plain(category), _plain(account), sign, described)
        return found

    def _classify(self, category: str, account: str, sign: int, described: bool = False) -> str:
        for label in (category, account):
            if label and label in self.mapping:
                return self.mapping[label]
        if described and self._within is not None and (named := self._within.search(category)):
            return self.mapping[named.group(1)]
        weak = None
        if category:
            rule = self._first(category, sign)
            if rule is not None and not rule.weak:
                return rule.type
            weak = rule
        if account:
            rule = self._first(account, sign)
            if rule is not None:
                return rule.type
        if weak is not None:
            return weak.type
        return "revenue" if sign > 0 else "operating_expense"

    def _first(self, label: str, sign: int) -> _Rule | None:
        return next((r for r in self.rules if r.matches(label, sign)), None)


@lru_cache(maxsize=32)
def classifier(mapping: tuple[tuple[str, str], ...] = ()) -> Classifier:
    """The classifier for a workspace's ``[sources.ledger.types]`` (as sorted pairs)."""
    return Classifier(mapping)


def profit_effect(kind: str, amount: Decimal) -> tuple[int, Decimal] | None:
    """Where a row of this type and amount counts in profit: (0, what it adds to revenue) or
    (1, what it adds to costs); None for the types only cash counts.

    Refunds and interest count by direction: a refund paid out takes from revenue, one
    received takes from costs; interest paid is a cost, interest received is revenue.
    """
    if kind == "revenue":
        return 0, amount
    if kind in ("cost_of_sales", "operating_expense", "tax"):
        return 1, -amount
    if kind == "refund":
        return (0, amount) if amount < 0 else (1, -amount)
    if kind == "interest":
        return (0, amount) if amount > 0 else (1, -amount)
    return None
