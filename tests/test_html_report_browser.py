"""The HTML report in a real browser: highlights, hover/focus tooltips, and no script runs.

Needs the Debian ``chromium`` package and Playwright for Python (the pip package only; its
own browser download is never used). Skipped with a reason when Chromium is not installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.report import ReportContext, render
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTICLE = """# Sleep and coffee

Drinking coffee late produced a remarkable drop in sleep quality in a small trial.
Click here to buy our sleep gummies today.

The effect <script>alert(1)</script> was measured over <img src=x onerror=alert(1)> two weeks.
"""
SECOND = """# Walking

A brisk daily walk is a promising habit for older adults, a cohort study reports.
"""


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def _report(tmp_path: Path) -> Path:
    ruleset = load_ruleset()
    docs = [process_text(ARTICLE, ruleset, "markdown"), process_text(SECOND, ruleset, "markdown")]
    assert any(d.removals for d in docs), "the test article needs a removal"
    path = tmp_path / "report.html"
    path.write_text(render("html", docs, ReportContext(rules=ruleset.rules)), encoding="utf-8")
    return path


def test_report_shows_spans_tooltips_and_runs_no_script(browser_context, tmp_path):
    page = browser_context.new_page()
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(_report(tmp_path).as_uri())

    assert page.locator("del").count() >= 1
    assert page.locator("mark").count() >= 2
    assert page.locator("nav a[href='#doc-2']").count() == 1  # several documents: an index

    claim = page.locator(".hit.claim").first
    tip = claim.locator(".tip")
    assert not tip.is_visible()
    claim.hover()
    assert tip.is_visible()
    assert "Hype.Remarkable" in tip.inner_text()
    page.mouse.move(0, 0)
    assert not tip.is_visible()

    removal = page.locator(".hit.removal").first
    removal.focus()
    assert removal.locator(".tip").is_visible()
    assert "Promo." in removal.locator(".tip").inner_text()
    assert "Promo." in removal.locator(".rule-label").inner_text()

    claim.focus()
    page.keyboard.press("Tab")  # keyboard users reach the next span and see its tooltip
    focused_tip = page.locator(".hit:focus .tip")
    assert focused_tip.count() == 1 and focused_tip.is_visible()
    assert not tip.is_visible()

    body = page.locator("body").inner_text()
    assert "<script>alert(1)</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    csp = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert "default-src 'none'" in csp

    page.mouse.click(1, 1)  # drop keyboard focus so that only the hovered tooltip shows
    claim.hover()
    shot = tmp_path / "html_report.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 0
    page.wait_for_timeout(200)  # give any stray handler time to fire before checking
    assert dialogs == []
    assert console == []
