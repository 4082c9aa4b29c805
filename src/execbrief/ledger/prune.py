"""Pruning the ledger: the fact bases of old runs go, what delivery and "what changed" need stays.

A run's fact base is most of the ledger (a million facts at 20,000 notes, stored once per
distinct base, but a week's edits make a new one). ``prune`` keeps the facts of the newest
``keep`` runs and of every run a later run may compare with (for each report, the runs that
delivered it in the two newest periods it was delivered in), and removes the rest: fact
bases no kept run names (nor a kept base stored as a difference from them), the facts those runs added of their own, the fact contents
nothing names any more, and the per-run input lists of runs from before input lists were
shared. Runs, reports, messages, deliveries, warnings and events are never removed: they
are the audit trail and what keeps delivery exactly-once. A pruned run keeps its reports;
``history`` shows it with 0 facts, and no later run reuses it.

SQLite keeps freed pages in the file for later runs; ``VACUUM`` gives them back to the disk.
"""

from __future__ import annotations

from typing import Any

from .store import Ledger

__all__ = ["prune"]


def _needed(ledger: Ledger, keep: int) -> set[str]:
    """The runs whose facts later runs may read."""
    db = ledger.db
    needed = {row[0] for row in db.execute("SELECT id FROM runs ORDER BY id DESC LIMIT ?", (keep,))}
    delivered: dict[str, dict[str, set[str]]] = {}
    for key, period, run_id in db.execute(
            "SELECT r.key, r.period, r.run_id FROM reports r WHERE r.status != 'rejected' AND EXISTS"
            " (SELECT 1 FROM messages m WHERE m.run_id = r.run_id AND m.key = r.key AND m.status = 'sent')"):
        delivered.setdefault(key, {}).setdefault(period, set()).add(run_id)
    for periods in delivered.values():
        for period in sorted(periods)[-2:]:  # (this period's baselines, and the last period's for the next one)
            needed |= periods[period]
    return needed


def prune(ledger: Ledger, keep: int = 10, vacuum: bool = True) -> dict[str, Any]:
    """Remove the facts no later run needs (see the module docstring); what was removed, in numbers."""
    db = ledger.db
    needed = _needed(ledger, keep)
    pruned = [row[0] for row in db.execute(
        "SELECT id FROM runs WHERE fact_base IS NOT NULL OR EXISTS (SELECT 1 FROM run_facts f WHERE f.run_id = runs.id)"
        " OR EXISTS (SELECT 1 FROM inputs i WHERE i.run_id = runs.id)") if row[0] not in needed]
    before = _used_bytes(ledger)
    with ledger.transaction(immediate=True) as tx:
        tx.execute("CREATE TEMP TABLE pruned_runs (id TEXT PRIMARY KEY)")
        tx.executemany("INSERT INTO pruned_runs VALUES (?)", [(run_id,) for run_id in pruned])
        facts = tx.execute("DELETE FROM run_facts WHERE run_id IN (SELECT id FROM pruned_runs)").rowcount
        tx.execute("DELETE FROM inputs WHERE run_id IN (SELECT id FROM pruned_runs)")
        tx.execute("UPDATE runs SET fact_base = NULL, facts_key = NULL, run_key = NULL"
                   " WHERE id IN (SELECT id FROM pruned_runs)")
        tx.execute("CREATE TEMP TABLE named_bases AS SELECT fact_base AS id FROM runs WHERE fact_base IS NOT NULL")
        bases = tx.execute("DELETE FROM fact_bases WHERE id NOT IN (SELECT id FROM named_bases) AND id NOT IN"
                           " (SELECT parent FROM fact_bases WHERE id IN (SELECT id FROM named_bases)"
                           " AND parent IS NOT NULL)").rowcount  # (a base stored as a difference keeps its parent)
        facts += tx.execute("DELETE FROM base_facts WHERE base NOT IN (SELECT id FROM fact_bases)").rowcount
        bodies = tx.execute("DELETE FROM fact_bodies WHERE key NOT IN (SELECT key FROM base_facts)"
                            " AND key NOT IN (SELECT key FROM run_facts)").rowcount
        tx.execute("DROP TABLE pruned_runs")
        tx.execute("DROP TABLE named_bases")
    freed = before - _used_bytes(ledger)
    if vacuum:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"runs_pruned": len(pruned), "runs_kept": len(needed), "fact_bases_removed": bases,
            "fact_rows_removed": facts, "fact_bodies_removed": bodies, "bytes_freed": max(freed, 0),
            "file_bytes": ledger.path.stat().st_size, "vacuumed": vacuum}


def _used_bytes(ledger: Ledger) -> int:
    pages, free, size = (ledger.db.execute(f"PRAGMA {name}").fetchone()[0]
                         for name in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size
