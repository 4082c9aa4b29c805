"""The SQLite ledger of runs, inputs, facts, reports and messages."""

from .migrations import MIGRATIONS, migrate
from .store import LEDGER_PATH, Ledger, new_run_id, utc_now

__all__ = ["LEDGER_PATH", "Ledger", "MIGRATIONS", "migrate", "new_run_id", "utc_now"]
