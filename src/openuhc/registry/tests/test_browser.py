"""In a real browser (Playwright driving Debian's chromium, headless): a hospital user's first minutes."""

from __future__ import annotations

from openuhc.registry.ids import format_citizen_id, mask_citizen_id
from openuhc.registry.models import PersonAccess
from openuhc.testing.browser import ARTIFACTS, menu, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_a_hospital_user_searches_sees_a_masked_id_and_is_refused_another_unit(transactional_db, world, live_server,
                                                                                  browser_page):
    page = browser_page
    person = world.people["a"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "hospital")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")
    assert "Your units" in page.content()

    menu(page, "Find a person")
    page.fill("input[name=q]", person.first_name_th)
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("#results")
    row = page.locator("#results tbody tr").first
    assert row.locator(".cid").inner_text() == mask_citizen_id(person.citizen_id)
    assert person.citizen_id not in page.content()

    row.locator("a").click()
    page.wait_for_selector("#registration-history")
    assert page.locator("#citizen-id").inner_text() == mask_citizen_id(person.citizen_id)
    page.click("#reveal-id")
    # a locator waits without evaluating a string in the page (the Content-Security-Policy forbids eval)
    page.locator("#citizen-id", has_text=format_citizen_id(person.citizen_id)).wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hospital-person.png"), full_page=True)

    response = page.goto(f"{live_server.url}/units/56002/")
    assert response.status == 403
    assert "Not allowed" in page.content()

    logged = PersonAccess.objects.filter(person=person, actor_username="hospital")
    actions = set(logged.values_list("action", flat=True))
    assert actions == {"search", "view", "reveal_id"}
