"""In a real browser: a regional officer computes January's capitation, a national officer checks, approves and
publishes it with a colleague, and the hospital reads its statement and its chart."""

from __future__ import annotations

from openuhc.payment.models import PaymentRun
from openuhc.testing.browser import ARTIFACTS, menu, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")


def logout(page):
    page.click("header button:has-text('Log out')")


def test_a_capitation_run_from_start_to_the_hospitals_statement(transactional_db, world, population, officers,
                                                                  live_server, browser_page):
    page = browser_page
    login(page, live_server.url, "regional")
    menu(page, "Payment runs")
    page.select_option("select[name=period]", "2026-01-01")
    page.select_option("select[name=kind]", "capitation")
    page.click("text=Start and compute the round")
    page.wait_for_selector("#unit-payments")
    assert "412.15" in page.locator("#unit-payments").inner_text()
    run = PaymentRun.objects.get()
    logout(page)
    for username in ("national", "national2", "national"):
        login(page, live_server.url, username)
        page.goto(f"{live_server.url}/payment/runs/{run.pk}/")
        page.click("#advance")
        page.wait_for_selector("#run-status")
        logout(page)
    assert PaymentRun.objects.get().status == "published"
    login(page, live_server.url, "hospital")
    page.goto(f"{live_server.url}/payment/statements/56001/2026-01/")
    assert page.locator("#statement-net").inner_text() == "309.11"
    assert "60+" in page.locator("#capitation-lines").inner_text()
    page.goto(f"{live_server.url}/payment/charts/")
    page.wait_for_selector("#chart-capitation-by-month[data-rendered=true]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "payment-charts.png"), full_page=True)
