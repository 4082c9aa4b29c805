"""Note evidence as the notes source makes it, and fact lookups, for the analyzer tests."""

from __future__ import annotations

from execbrief.model import Evidence, Fact, Provenance
from execbrief.sources.values import typed_cells


def table_row(line: int, *, path: str, entity: str | None, heading: str, **cells: str) -> Evidence:
    """A table row: its raw cells plus their typed readings."""
    record = {"heading": heading, "cells": cells}
    record.update(typed_cells(cells))
    return Evidence(
        id=f"row-{path}-{line}", source="notes", kind="table_row", entity=entity, text="| … |", record=record,
        provenance=Provenance(source="notes", path=path, line_start=line, line_end=line),
    )


def named(facts: list[Fact], name: str) -> list[Fact]:
    return [f for f in facts if f.name == name]


def one(facts: list[Fact], name: str) -> Fact:
    found = named(facts, name)
    assert len(found) == 1, found
    return found[0]
