"""Every demo report in headless Chromium at phone, tablet and desktop widths, light and dark.

At 320, 375, 600 and 1200 px, in light and dark mode: no sideways scroll, no console error,
no request beyond the file itself, every image loaded with alt text, every citation link
landing on its source, and the dark palette applied in dark mode. A screenshot of each is
saved to the test's temporary folder (the whole page at 375 and 1200 px in light mode, the
first screen otherwise), to look at by eye.

Needs Debian's chromium package (.ci/run installs it) and the playwright package (a dev
extra; it drives the system Chromium, it downloads no browser). Without them the test skips
and says why. One browser serves every page, so the whole test takes seconds.
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
WIDTHS = (320, 375, 600, 1200)

# where each citation link lands, and whether that place is in the Sources block
ANCHORS = """() => Array.from(document.querySelectorAll('a[href^="#"]')).map(a => {
  const target = document.getElementById(a.getAttribute('href').slice(1));
  return [a.textContent, !!target && !!target.closest('.eb-sources')];
})"""
# the widest element, to name the culprit when a page scrolls sideways
WIDEST = """() => { let worst = null, right = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; worst = el.tagName + '.' + el.className + ': ' + (el.textContent || '').slice(0, 60); }
  }
  return worst; }"""


def test_every_demo_report_reads_at_every_width_in_light_and_dark(demo_workspace, tmp_path):
    result = run(demo_workspace.settings(), dry_run=True)
    assert len(result.reports) == 8
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for scheme in ("light", "dark"):
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page = context.new_page()
                    errors: list[str] = []
                    requests: list[str] = []
                    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.on("request", lambda r: requests.append(r.url))
                    for report in result.reports:
                        where = f"{report.key} at {width} px ({scheme})"
                        errors.clear()
                        requests.clear()
                        url = f"file://{report.files['html']}"
                        page.goto(url)
                        page.wait_for_load_state("load")
                        external = [u for u in requests if u != url and not u.startswith("data:")]
                        assert external == [], f"{where} loads {external}"
                        assert errors == [], f"{where} logs {errors}"
                        scroll, client = page.evaluate(
                            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                        )
                        assert scroll <= client, (
                            f"{where} scrolls sideways ({scroll} > {client}): widest is {page.evaluate(WIDEST)}")
                        images = page.evaluate("Array.from(document.images).map(i => [i.alt, i.naturalWidth])")
                        assert all(alt and natural > 0 for alt, natural in images), f"{where}: {images}"
                        anchors = page.evaluate(ANCHORS)
                        assert anchors and all(found for _, found in anchors), f"{where}: dangling {anchors}"
                        background = page.evaluate(
                            "getComputedStyle(document.querySelector('.eb-container')).backgroundColor")
                        dark = background == "rgb(24, 28, 34)"
                        assert dark == (scheme == "dark"), f"{where}: container background {background}"
                        # the whole page for a phone and a desktop in light mode; elsewhere the first
                        # screen (quicker, and where a layout or palette problem shows first)
                        page.screenshot(path=str(shots / f"{report.key}-{width}-{scheme}.png"),
                                        full_page=scheme == "light" and width in (375, 1200))
                    context.close()
        finally:
            browser.close()
    assert len(list(shots.glob("*.png"))) == 8 * len(WIDTHS) * 2
