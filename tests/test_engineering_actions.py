"""The CTO's engineering actions and security gaps come from technical items only.

A note full of upkeep (a plumbing quote due tomorrow, a plumber for the server-room leak, a
pipe that leaked into a flat) beside real engineering tasks: the CTO sees the engineering,
the CEO's plan still sees everything due, and every technical finding's fix is an
engineering action.
"""

from __future__ import annotations

from datetime import date

from execbrief.ledger import Ledger
from execbrief.model import Report
from execbrief.pipeline import run
from repo_helpers import enable_repos, stripe_key, write_files

AS_OF = date(2026, 11, 23)

NOTE = """\
---
title: Harbor operations
updated: 2026-11-20
entity: alpha
---
# Harbor operations

## Risks
- [high] The pipe under flat 2 leaked into flat 1 again; the plumber's backup pump is broken.
- [high] The booking site's admin password is shared by five people.

## Tasks
- [ ] Get a plumbing quote for the boiler at the Harbor site (due 2026-11-24)
- [ ] Call the plumber about the server room leak (due 2026-11-25)
- [ ] Approve the roofer's quote for the app-controlled skylight (due 2026-11-26)
- [ ] Rotate the AWS deploy key (due 2026-11-27)
- [ ] Replace the expiring SSL certificate on the booking site (due 2026-12-01)
"""


def _reports(workspace, result) -> dict[str, Report]:
    with Ledger.for_workspace(workspace.root) as ledger:
        rows = ledger.db.execute("SELECT key, report_json FROM reports WHERE run_id = ?", (result.run_id,))
        return {key: Report.model_validate_json(body) for key, body in rows}


def _items(report: Report, section_id: str) -> list[str]:
    [section] = [s for s in report.sections if s.id == section_id]
    return [item for block in section.blocks for item in block.items]


def test_upkeep_never_reaches_the_ctos_engineering_actions_or_security_gaps(workspace):
    workspace.write("notes/alpha/ops.md", NOTE)
    config = workspace.root / "execbrief.toml"
    config.write_text(config.read_text() + '\n[[reports]]\nlens = "cto"\nto = ["cto@example.com"]\n')
    enable_repos(workspace)
    write_files(workspace.root / "repos" / "alpha-site", {"pay.js": f"k = '{stripe_key()}'\n"})
    result = run(workspace.settings(), as_of=AS_OF, only=("cto", "ceo"), dry_run=True)
    reports = _reports(workspace, result)

    actions = _items(reports["cto"], "actions")
    assert actions[0].startswith("2026-11-27: Alpha Rentals: Rotate the AWS deploy key")
    assert any("Replace the expiring SSL certificate" in a for a in actions)
    assert any("Roll the key in the Stripe dashboard" in a for a in actions)  # the repo's finding's fix
    text = " ".join(actions + _items(reports["cto"], "security")).lower()
    assert "plumb" not in text and "roofer" not in text and "flat 1" not in text
    assert "admin password is shared" in " ".join(_items(reports["cto"], "security") + [
        line for block in reports["cto"].summary for line in block.items])

    # the upkeep is still the CEO's to plan: it is due within the 30 days
    plan = " ".join(_items(reports["ceo"], "plan"))
    assert "plumbing quote" in plan and "server room leak" in plan and "Rotate the AWS deploy key" in plan
