"""In a real browser: the pages pass the Content-Security-Policy (no script, style or handler is blocked, no
script error), and the behaviour moved out of inline handlers still works."""

from __future__ import annotations

from openuhc.testing.browser import log_in, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium

PAGES = ["/accounts/home/", "/people/?q=a", "/people/eligibility/", "/units/", "/claims/", "/drg/", "/payment/",
         "/funds/", "/rights/", "/rights/cases/", "/rights/assistance/", "/budget/", "/budget/designer/",
         "/monitoring/", "/monitoring/open/", "/rights/complain/", "/api/docs", "/imports/"]


def test_the_pages_pass_the_content_security_policy(transactional_db, world, live_server, browser_page):
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    log_in(page, live_server.url, "national", PASSWORD)
    for path in [*PAGES, f"/people/{world.people['a'].pk}/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("networkidle")
    assert problems == []


def test_a_choice_still_submits_its_form_without_an_inline_handler(transactional_db, world, live_server,
                                                                   browser_page):
    page = browser_page
    log_in(page, live_server.url, "national", PASSWORD)
    page.goto(f"{live_server.url}/rights/assistance/")  # the Section 41 list's status choice submits itself
    choice = "form[method=get] select[data-autosubmit]"
    value = page.locator(f"{choice} option").all()[-1].get_attribute("value")
    with page.expect_navigation():
        page.select_option(choice, value)
    assert f"status={value}" in page.url
