"""A headless Chromium driven by Playwright, for tests marked ``browser``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are plain synchronous code, so let Django allow them.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


# Reports each Content Security Policy violation (a blocked inline script or style, say)
# to the console, where the page fixture collects it.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""
CSP_VIOLATIONS: dict[int, list[str]] = {}  # by id() of the page's browser context


def csp_violations(page: object) -> list[str]:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    return CSP_VIOLATIONS.get(id(page.context), [])


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page; the test fails if any page it opens breaks the Content Security Policy."""
    from playwright.sync_api import Browser, ConsoleMessage

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = CSP_VIOLATIONS[id(context)] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    del CSP_VIOLATIONS[id(context)]
    assert violations == [], "Content Security Policy violations"


def screenshot(page: object, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/ for people to look at."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def checked(page: object, name: str) -> None:
    """The page keeps to the CSP, passes axe-core, fits 375 px without scrolling sideways; saved."""
    from playwright.sync_api import Page

    from tests.web.axe import serious_violations

    assert isinstance(page, Page)
    assert csp_violations(page) == []
    assert serious_violations(page) == []
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways at 375 px"
    assert serious_violations(page) == []
    assert csp_violations(page) == []
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
