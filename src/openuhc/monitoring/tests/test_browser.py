"""In a real browser: an analyst opens the dashboard and the charts draw."""

from __future__ import annotations

from datetime import date

from openuhc.monitoring import facts, services
from openuhc.testing.browser import ARTIFACTS, menu, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_the_dashboard_draws_its_charts_with_tables_under_them(transactional_db, world, live_server, browser_page,
                                                               settings, tmp_path):
    settings.OPENUHC_ANALYTICS_DIR = str(tmp_path / "analytics")
    services.refresh(months=facts.months_between(2569, date(2026, 3, 31)))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")
    menu(page, "Dashboard")
    page.wait_for_selector("#kpi-registered_population canvas[data-rendered='true']")
    assert page.locator("#kpi-registered_population .kpi-value .value").inner_text() == "3"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analyst-dashboard.png"), full_page=True)
    # the chart's numbers are also in a table, per month
    page.locator("#kpi-registered_population summary").click()
    assert page.locator("#kpi-registered_population .chart-table tbody tr").count() == 6
    # a figure leads to the breakdown behind it
    page.click("#kpi-registered_population header a")
    page.select_option("select[name=by]", "region")
    page.click("main form.filters button[type=submit]")
    page.wait_for_selector("#kpi-rows")
    assert page.locator("#kpi-rows tbody tr").count() == 2
