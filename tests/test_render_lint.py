"""The demo e-mails linted against caniemail.com's data for Apple Mail, Gmail and Outlook.

Uses ``@jsx-email/doiuse-email`` from npm, run by node. .ci/run installs it into
``.ci/lint/node_modules`` where npm exists (``npm install --prefix .ci/lint
@jsx-email/doiuse-email``); without node or the package the test skips and says why, so CI
never fails for want of node. What the linter reports for Outlook and Gmail's other apps is
recorded in the README ("E-mail client support").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from execbrief.ledger import Ledger
from execbrief.pipeline import run
from execbrief.render import render

ROOT = Path(__file__).parent.parent
MODULES = Path(os.environ.get("EXECBRIEF_LINT_MODULES", ROOT / ".ci" / "lint" / "node_modules"))
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="no node on PATH: the e-mail linter needs it"),
    pytest.mark.skipif(not (MODULES / "@jsx-email" / "doiuse-email").is_dir(),
                       reason=f"@jsx-email/doiuse-email is not in {MODULES}: npm install --prefix .ci/lint it"),
]

# What these clients cannot do and the e-mail does not depend on: the narrow-screen cards
# and dark palette are @media rules, and without them the inlined layout still reads.
ALLOWED = {"`@media`"}
STRICT = ("apple-mail.macos", "apple-mail.ios", "gmail.desktop-webmail")


def lint(pages: dict[str, str], clients: str) -> dict[str, dict[str, list[str]]]:
    done = subprocess.run(
        [NODE, str(ROOT / "tests" / "email_lint.js")], input=json.dumps(pages), capture_output=True, text=True,
        env={**os.environ, "NODE_PATH": str(MODULES), "CLIENTS": clients}, timeout=120, check=True,
    )
    return json.loads(done.stdout)


def test_demo_emails_use_nothing_apple_mail_or_gmail_desktop_lacks(demo_workspace):
    result = run(demo_workspace.settings(), dry_run=True)
    with Ledger.for_workspace(demo_workspace.root) as ledger:
        _, reports = ledger.reports(result.run_id)
    pages = {r.key: render(r).html for r in reports}
    found = lint(pages, ",".join(STRICT))
    assert set(found) == set(pages)
    for key, report in found.items():
        errors = [e for e in report["errors"] if e.split(" is not supported")[0] not in ALLOWED]
        assert errors == [], f"{key}: {errors}"
