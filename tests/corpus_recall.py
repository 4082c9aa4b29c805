"""Recall of the corpus workspaces' expected findings: what an analyst listed, found or not.

Each ``tests/corpus/<workspace>/expected.toml`` was written by someone who had not read the
code, before any briefing of it existed (see ``tests/corpus/README.md``). An ``[[expect]]``
is found in a lens's briefing when every one of its patterns matches one item of it (a
bullet, an action, a table row, a paragraph); an ``[[absent]]`` is violated when one item
matches all of its patterns.

Run it as a script for the whole table: ``python tests/corpus_recall.py [WORKSPACE ...]``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

CORPUS = Path(__file__).parent / "corpus"


@dataclass
class Recall:
    """What one workspace's briefings showed of what its analyst expected."""

    workspace: str
    found: dict[str, list[str]] = field(default_factory=dict)  # lens → expectation ids found
    missed: dict[str, list[str]] = field(default_factory=dict)  # lens → expectation ids missed
    violations: list[tuple[str, str, str]] = field(default_factory=list)  # (lens, absent id, item)
    misattributed: list[tuple[str, str, str]] = field(default_factory=list)  # (lens, expect id, item)

    @property
    def expected(self) -> int:
        return sum(map(len, self.found.values())) + sum(map(len, self.missed.values()))

    @property
    def share(self) -> float:
        return sum(map(len, self.found.values())) / self.expected if self.expected else 1.0


def workspaces() -> list[str]:
    """The corpus workspaces that have an ``expected.toml``."""
    return sorted(p.parent.name for p in CORPUS.glob("*/expected.toml"))


def _items(report) -> list[str]:
    out = []
    for block in report.blocks():
        if block.text:
            out.append(block.text)
        out.extend(block.items)
        # a table row as its reader reads it: each cell under its column's name ("Costs: $7,823")
        out.extend(" | ".join(f"{name}: {cell}" if name else cell for name, cell in zip(block.columns, row))
                   if block.columns else " | ".join(row) for row in block.rows)
    return out


def _hit(patterns: list[str], items: list[str]) -> str | None:
    return next(iter(_hits(patterns, items)), None)


def _hits(patterns: list[str], items: list[str]) -> list[str]:
    """Every item all the patterns match, in order."""
    compiled = [re.compile(p, re.I) for p in patterns]
    return [item for item in items if all(c.search(item) for c in compiled)]


def measure(name: str, into: Path | None = None, adjust: Callable[[Any], Any] | None = None) -> Recall:
    """Run the workspace offline (a dry run, in a copy) and match its expectations.

    ``adjust`` may change the settings first (the reader's tests point ``[reader]`` at a
    local server)."""
    from execbrief.config import load_settings
    from execbrief.ledger import Ledger
    from execbrief.pipeline import run

    source = CORPUS / name
    expected = tomllib.loads((source / "expected.toml").read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = (into or Path(tmp)) / name
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("expected.toml", ".execbrief"))
        settings = load_settings(root, environ={})
        if adjust is not None:
            settings = adjust(settings)
        result = run(settings, dry_run=True)
        with Ledger.for_workspace(root) as ledger:
            _, reports = ledger.reports(result.run_id)
        names = {e.id: e.name for e in settings.entities}
    items: dict[str, list[str]] = {}
    audits: dict[tuple[str, str], list[str]] = {}  # (lens, entity): a lens's briefing of one business of several
    for r in reports:  # (two audits of one lens: its briefings together)
        items.setdefault(r.lens, []).extend(_items(r))
        lens, _, entity = r.key.partition("--")
        if entity in names:
            audits[(lens, entity)] = _items(r)

    def shown(lens: str, entity: str | None) -> list[str]:
        """What an entry is matched against: with one briefing of its lens per business, the
        one of its business; else every briefing of its lens."""
        return audits.get((lens, entity or ""), items.get(lens, []))

    recall = Recall(name)
    for exp in expected.get("expect", []):
        for lens in exp["lenses"]:
            hit = _hit(exp["match"], shown(lens, exp.get("entity")))
            (recall.found if hit else recall.missed).setdefault(lens, []).append(exp["id"])
            entity = exp.get("entity")
            if hit and entity and entity != "group" and entity in names:
                others = [n for e, n in names.items() if e != entity]

                def elsewhere(item: str) -> bool:  # ("Fernery Workshops …" is not Fernery's)
                    return item.startswith("Group") or (any(item.startswith(o) for o in others)
                                                        and not item.startswith(names[entity]))

                # (two audits of one lens, or two businesses with alike items: the item about
                # this business, if one matches, is the one the expectation means)
                if elsewhere(hit) and all(elsewhere(item) for item in _hits(exp["match"], shown(lens, entity))):
                    recall.misattributed.append((lens, exp["id"], hit))
    for absent in expected.get("absent", []):
        for lens in absent["lenses"]:
            hit = _hit(absent["match"], shown(lens, absent.get("entity")))
            if hit:
                recall.violations.append((lens, absent["id"], hit))
    return recall


def table(results: list[Recall]) -> str:
    """found/expected per workspace and lens, as text."""
    lenses = sorted({lens for r in results for lens in (*r.found, *r.missed)})
    lines = ["workspace".ljust(26) + "".join(lens[:10].rjust(11) for lens in lenses) + "      all"]
    for r in results:
        cells = []
        for lens in lenses:
            f, m = len(r.found.get(lens, [])), len(r.missed.get(lens, []))
            cells.append((f"{f}/{f + m}" if f + m else "-").rjust(11))
        lines.append(r.workspace.ljust(26) + "".join(cells) + f"  {r.share:6.1%}")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Recall of the corpus workspaces' expected findings, "
                                     "per workspace and lens, with every miss, absent-violation and misattribution.")
    parser.add_argument("workspace", nargs="*", help=f"workspaces under {CORPUS} (default: all of them)")
    chosen = parser.parse_args().workspace or workspaces()
    measured = [measure(name) for name in chosen]
    print(table(measured))
    for r in measured:
        for lens, ids in sorted(r.missed.items()):
            print(f"missed  {r.workspace} {lens}: {', '.join(ids)}")
        for lens, ident, item in r.violations:
            print(f"absent  {r.workspace} {lens}: {ident}: {item[:120]}")
        for lens, ident, item in r.misattributed:
            print(f"misattr {r.workspace} {lens}: {ident}: {item[:120]}")
