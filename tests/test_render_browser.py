"""Every demo report in headless Chromium: no console errors, no external requests, 600 px wide.

Needs Debian's chromium package (.ci/run installs it) and the playwright package (a dev
extra; it drives the system Chromium, it downloads no browser). Without them the test skips
and says why.
"""

from __future__ import annotations

import shutil

import pytest

from execbrief.pipeline import run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: apt-get install chromium")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def test_every_demo_report_renders_cleanly_at_600px(demo_workspace, tmp_path):
    result = run(demo_workspace.settings(), dry_run=True)
    assert len(result.reports) == 8
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 600, "height": 900})
            errors: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            for report in result.reports:
                errors.clear()
                requests.clear()
                url = f"file://{report.files['html']}"
                page.goto(url)
                page.wait_for_load_state("load")
                external = [u for u in requests if u != url and not u.startswith("data:")]
                assert external == [], f"{report.key} loads {external}"
                assert errors == [], f"{report.key} logs {errors}"
                scroll, client = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert scroll <= client, f"{report.key} scrolls sideways at 600 px ({scroll} > {client})"
                images = page.evaluate(
                    "Array.from(document.images).map(i => [i.alt, i.naturalWidth])"
                )
                assert all(alt and width > 0 for alt, width in images), f"{report.key}: {images}"
                page.screenshot(path=str(tmp_path / f"{report.key}.png"), full_page=True)
        finally:
            browser.close()
    assert len(list(tmp_path.glob("*.png"))) == 8
