"""In a real browser: a fund officer submits a project, records the committee meeting, and approves it."""

from __future__ import annotations

from decimal import Decimal

from openuhc.localfund.models import Project
from openuhc.localfund.tests.conftest import YEAR, fund_money, make_committee
from openuhc.testing.browser import ARTIFACTS, menu, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_a_fund_officer_submits_a_project_and_the_committee_approves_it(transactional_db, world, live_server,
                                                                        browser_page):
    fund_money(world.fund, "80000.00")
    committee = make_committee(world.fund)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "localfund")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")

    menu(page, "My fund")
    page.wait_for_selector("#balances")
    page.goto(f"{live_server.url}/funds/{world.fund.code}/?year={YEAR}")
    assert "80,000.00" in page.locator("#balances").inner_text()

    page.click("#new-project")
    page.fill("input[name=title]", "เดินวิ่งเพื่อสุขภาพ")
    page.select_option("select[name=category]", "2")
    page.select_option("select[name=proposer_kind]", "community")
    page.fill("input[name=proposer_name]", "ชมรมเดินวิ่งบ้านทดสอบ")
    page.fill("textarea[name=objectives]", "เพิ่มกิจกรรมทางกาย")
    page.fill("input[name=target_group]", "ประชาชนอายุ 15 ปีขึ้นไป")
    page.fill("input[name=submitted_on]", "01/11/2025")
    page.fill("input[name=lines-0-description]", "ค่าเสื้อ")
    page.fill("input[name=lines-0-amount]", "6000")
    page.fill("input[name=lines-1-description]", "ค่าน้ำดื่ม")
    page.fill("input[name=lines-1-amount]", "1500.50")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector("#project-status")
    assert page.locator("#project-status").inner_text() == "submitted"
    assert "7,500.50" in page.locator("#project-money").inner_text()
    project_url = page.url

    page.click("text=Committee and meetings")
    page.click("#new-meeting summary")
    page.fill("input[name=held_on]", "20/11/2025")
    for member in committee.members[:4]:
        page.check(f"input[name=attendees][value='{member.pk}']")
    page.click("#save-meeting")
    page.wait_for_selector("text=quorum met")

    page.goto(project_url)
    page.select_option("#action-decide select[name=meeting]", index=1)
    page.select_option("#action-decide select[name=decision]", "approve")
    page.click("#submit-decide")
    page.wait_for_selector("text=The project was approved.")
    assert page.locator("#project-status").inner_text() == "approved"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "localfund-project-approved.png"), full_page=True)

    project = Project.objects.get(fund=world.fund)
    assert (project.status, project.approved_amount) == ("approved", Decimal("7500.50"))
    assert project.created_by.username == "localfund"
