"""In a real browser, every page of every demo role fits a laptop (1366×768) and a phone (390×844) without
scrolling sideways, and the first page of every menu entry has no serious or critical accessibility problem
(axe-core, shipped inside the pinned `axe-playwright-python` wheel: nothing is fetched from a CDN)."""

from __future__ import annotations

import pytest
from django.conf import settings

from openuhc.testing.browser import ARTIFACTS, needs_chromium
from openuhc.testing.crawl import crawl

pytestmark = needs_chromium

ROLES = ["national", "region1", "hospital", "localfund", "centre", "analyst", "secretariat", "pao", None]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# What sticks out: elements whose right edge passes the window, outside the boxes that scroll on purpose.
WIDER = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width + 1) { return []; }
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".scroll")) { continue; }
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : ""));
    }
    if (out.length > 5) { break; }
  }
  return out.length ? out : ["(the page is " + document.documentElement.scrollWidth + " px wide)"];
}"""


@pytest.fixture
def demo(transactional_db, geography):
    from openuhc.demo.loader import load_demo

    return load_demo(seed=2569, people=300)


def _login(browser, base: str, username: str | None, language: str):  # noqa: ANN001, ANN202
    from openuhc.demo.loader import DEMO_PASSWORD

    context = browser.new_context(viewport=LAPTOP, locale="th-TH" if language == "th" else "en-GB")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    if username:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
    return context, page


def _fetch(page, base: str):  # noqa: ANN001, ANN202
    def fetch(url: str) -> tuple[int, str, str]:
        from playwright.sync_api import Error

        try:
            response = page.goto(base + url)
        except Error as error:
            # a link that downloads a file (minutes as PDF, exports) is not a page to look at
            if "Download is starting" in str(error):
                return 200, "application/octet-stream", ""
            raise
        if response is None:
            return 0, "", ""
        content_type = response.headers.get("content-type", "")
        return response.status, content_type, page.content() if content_type.startswith("text/html") else ""
    return fetch


def test_no_page_of_any_role_scrolls_sideways_on_a_laptop_or_a_phone(demo, live_server, browser_page):
    browser = browser_page.context.browser
    problems, visited = [], 0
    for username in ROLES:
        language = "th" if username != "analyst" else "en"
        context, page = _login(browser, live_server.url, username, language)
        wide: list[str] = []

        def fetch(url: str, page=page, wide=wide, username=username) -> tuple[int, str, str]:  # noqa: ANN001
            status, content_type, body = _fetch(page, live_server.url)(url)
            if status == 200 and body:
                for size, name in ((LAPTOP, "1366"), (PHONE, "390")):
                    page.set_viewport_size(size)
                    sticking_out = page.evaluate(WIDER)
                    if sticking_out:
                        wide.append(f"{username} {url} at {name} px: {sticking_out}")
                page.set_viewport_size(LAPTOP)
            return status, content_type, body

        start = ["/accounts/home/"] if username else ["/monitoring/open/", "/funds/public/", "/rights/complain/"]
        visited += len(crawl(fetch, start).pages)
        problems.extend(wide)
        context.close()
    assert visited > 150
    assert problems == []


def test_the_first_page_of_every_menu_entry_has_no_serious_accessibility_problem(demo, live_server, browser_page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    browser = browser_page.context.browser
    problems, checked = [], set()
    for username in ROLES:
        context, page = _login(browser, live_server.url, username, "th")
        page.goto(f"{live_server.url}/accounts/home/" if username else f"{live_server.url}/monitoring/open/")
        urls = [page.url.replace(live_server.url, "")] + page.eval_on_selector_all(
            "header.site nav.sections a", "links => links.map(a => a.getAttribute('href'))")
        for url in urls:
            if (username, url) in checked:
                continue
            checked.add((username, url))
            page.goto(live_server.url + url)
            for size in (LAPTOP, PHONE):
                page.set_viewport_size(size)
                results = axe.run(page)
                for violation in results.response["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        targets = [n["target"] for n in violation["nodes"][:3]]
                        problems.append(f"{username} {url} {size['width']}px: {violation['id']} "
                                        f"({violation['impact']}): {violation['help']} {targets}")
            page.set_viewport_size(LAPTOP)
        if username == "national":
            ARTIFACTS.mkdir(exist_ok=True)
            page.goto(f"{live_server.url}/accounts/home/")
            page.screenshot(path=str(ARTIFACTS / "national-home-th.png"), full_page=True)
        context.close()
    assert len(checked) > 30
    assert problems == []
