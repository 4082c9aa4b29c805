"""Ledger evidence for the analyzer tests: rows with increasing CSV line numbers."""

from __future__ import annotations

from execbrief.model import Evidence, Fact, Provenance


class Ledger:
    """Builds transaction evidence with increasing CSV line numbers."""

    def __init__(self, path: str = "ledger/t.csv") -> None:
        self.path = path
        self.line = 1  # line 1 is the header
        self.rows: list[Evidence] = []

    def add(self, day: str, amount: str, entity: str | None = "alpha", *, account: str = "Sales",
            category: str = "", memo: str = "") -> Evidence:
        self.line += 1
        ev = Evidence(
            id=f"ev-{self.path}-{self.line}", source="ledger", kind="transaction", entity=entity,
            record={"date": day, "amount": amount, "account": account, "category": category, "memo": memo},
            provenance=Provenance(source="ledger", path=self.path, line_start=self.line, line_end=self.line),
        )
        self.rows.append(ev)
        return ev


def find(facts: list[Fact], name: str, entity: str | None = "alpha", period: str | None = None) -> Fact:
    found = [f for f in facts if f.name == name and f.entity == entity and (period is None or f.period == period)]
    assert len(found) == 1, f"expected one {name} for {entity} {period}, got {found}"
    return found[0]


def named(facts: list[Fact], name: str) -> list[Fact]:
    return [f for f in facts if f.name == name]
