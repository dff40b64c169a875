"""Browser tests: Playwright driving Debian's chromium, headless. The root conftest loads this module as a
plugin, so every test can ask for the `browser_page` fixture:

    from openuhc.testing.browser import ARTIFACTS, needs_chromium
    pytestmark = needs_chromium

    def test_something(transactional_db, world, live_server, browser_page): ...
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database work is in
    # other threads, and the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(locale="en-GB", viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
        # ORM calls made while Playwright runs use a connection of their own context: close it, or
        # PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def menu(page, label: str) -> None:  # noqa: ANN001
    """Follow a menu item by its words, opening its section's list first (sections fold their items)."""
    link = page.locator("header.site nav.sections a", has_text=label).first
    if not link.is_visible():
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()


def log_in(page, base_url: str, username: str, password: str) -> None:  # noqa: ANN001
    """Log in through the login page as a person would, and wait for the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")
