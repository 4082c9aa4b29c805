"""Books: how well the ledger covers a chart of accounts.

Per business: the share of transactions that carry a category, how many accounts are in
use, and accounts booked under more than one category (an inconsistent mapping makes
every category total unreliable).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Sequence

from ..formatting import percent
from ..model import Evidence, Fact, stable_id
from .base import AnalysisContext, rule
from .views import LEDGER
from .ledger_rows import Group, shared_ledger

__all__ = ["analyze", "category_coverage", "inconsistent_accounts"]

TOPICS = ("accounting", "compliance")


@rule(reads=LEDGER)
def analyze(evidence: Sequence[Evidence], ctx: AnalysisContext) -> list[Fact]:
    """Chart-of-accounts coverage facts for the ledger transactions in ``evidence``."""
    by_entity: dict[str | None, list[Group]] = defaultdict(list)
    for t in shared_ledger(evidence, ctx).groups:
        by_entity[t.entity].append(t)
    facts: list[Fact] = []
    for entity, rows in sorted(by_entity.items(), key=lambda kv: kv[0] or ""):
        facts.append(category_coverage(entity, rows, ctx))
        facts.extend(inconsistent_accounts(entity, rows, ctx))
    return facts


def _source(rows: Sequence[Group]) -> tuple[str, ...]:
    return tuple(sorted({t.path for t in rows}))


def category_coverage(entity: str | None, rows: Sequence[Group], ctx: AnalysisContext) -> Fact:
    """The share of a business's transactions that carry a category, and its accounts."""
    categorised = sum(t.count for t in rows if t.category)
    total = sum(t.count for t in rows)
    share = (Decimal(categorised) / Decimal(total) * 100).quantize(Decimal("0.1"))
    accounts = sorted({t.account for t in rows if t.account})
    who = ctx.entity_name(entity)
    return Fact(
        id=stable_id("f", "category_coverage", entity),
        kind="metric", name="category_coverage", entity=entity, value=share, unit="%",
        statement=(
            f"{who}: {percent(share)} of {total} transactions carry a category, "
            f"across {len(accounts)} accounts."
        ),
        topics=TOPICS, sources=_source(rows),
    )


def inconsistent_accounts(entity: str | None, rows: Sequence[Group], ctx: AnalysisContext) -> list[Fact]:
    """Accounts booked under more than one category."""
    categories: dict[str, set[str]] = defaultdict(set)
    for t in rows:
        if t.account and t.category:
            categories[t.account].add(t.category)
    who = ctx.entity_name(entity)
    facts = []
    for account, used in sorted(categories.items()):
        if len(used) < 2:
            continue
        names = ", ".join(sorted(used))
        facts.append(Fact(
            id=stable_id("f", "inconsistent_account", entity, account),
            kind="finding", name="inconsistent_account_category", entity=entity, severity="low",
            statement=f"{who}: the account {account} is booked under several categories ({names}).",
            recommendation=f"Map {account} to one category and recategorise its other rows.",
            topics=TOPICS, sources=_source(rows),
        ))
    return facts
