"""In a real browser: a person files a complaint through the public form, staff answer it, the person follows it."""

from __future__ import annotations

from openuhc.rights.models import Case
from openuhc.testing.browser import ARTIFACTS, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_a_person_files_a_complaint_and_follows_it_to_its_outcome(transactional_db, world, live_server,
                                                                  browser_page):
    from openuhc.rights.models import CaseCategory

    page = browser_page
    page.goto(f"{live_server.url}/rights/complain/")
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=province]", str(world.province.pk))
    page.select_option("select[name=category]", str(CaseCategory.objects.get(code="charged.fees").pk))
    page.fill("input[name=unit]", "56001")
    page.fill("input[name=subject]", "ถูกเรียกเก็บค่ายา")
    page.fill("textarea[name=description]", "โรงพยาบาลเรียกเก็บค่ายา 300 บาท")
    page.click("#send")
    page.wait_for_selector("#case-secret")
    number = page.locator("#case-number").inner_text()
    secret = page.locator("#case-secret").inner_text()
    page.screenshot(path=str(ARTIFACTS / "public-complaint-filed.png"), full_page=True)

    # centre staff acknowledge and close it in their own browser session
    staff = page.context.browser.new_context().new_page()
    staff.goto(f"{live_server.url}/accounts/login/")
    staff.fill("input[name=username]", "centre")
    staff.fill("input[name=password]", PASSWORD)
    staff.click("main button[type=submit]")
    staff.wait_for_url("**/accounts/home/")
    staff.goto(f"{live_server.url}/rights/cases/")
    staff.click(f"text={number}")
    staff.click("#submit-acknowledge")
    staff.wait_for_selector("#case-status")
    staff.select_option("#action-close select[name=outcome]", "resolved")
    staff.fill("#action-close textarea[name=outcome_text]", "โรงพยาบาลคืนเงิน 300 บาทแล้ว")
    staff.click("#submit-close")
    staff.wait_for_selector("#outcome")
    staff.close()

    # the person comes back later, on a fresh device, with the two codes
    follower = page.context.browser.new_context().new_page()
    follower.goto(f"{live_server.url}/rights/follow/")
    follower.fill("input[name=number]", number)
    follower.fill("input[name=secret]", secret)
    follower.click("#follow")
    follower.wait_for_selector("#outcome")
    assert "โรงพยาบาลคืนเงิน 300 บาทแล้ว" in follower.locator("#outcome").inner_text()
    follower.check("input[name=score][value='5']")
    follower.click("#rate")
    follower.wait_for_selector(".messages")
    follower.screenshot(path=str(ARTIFACTS / "public-complaint-followed.png"), full_page=True)
    assert Case.objects.get(number=number).satisfaction == 5
