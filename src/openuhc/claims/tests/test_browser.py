"""In a real browser: a hospital user sends a month's claim files, watches the check, reads the problems."""

from __future__ import annotations

from openuhc.claims.models import Submission
from openuhc.claims.tests.conftest import clean_builder
from openuhc.testing.browser import ARTIFACTS, menu, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_a_hospital_user_uploads_claims_and_sees_the_rejected_visit(transactional_db, world, live_server,
                                                                      browser_page, tmp_path, settings):
    settings.OPENUHC_JOBS_MODE = "thread"
    builder = clean_builder(world)
    next(r for r in builder.rows["CHT"] if r["SEQ"] == "V1")["TOTAL"] = "999.00"
    upload = tmp_path / "claims-2568-09.zip"
    upload.write_bytes(builder.zip_bytes(encoding="cp874"))
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "hospital")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")
    menu(page, "Claim submissions")
    page.set_input_files("input[name=file]", str(upload))
    page.click("#send")
    page.wait_for_url("**/claims/submissions/*/")
    page.wait_for_selector("#claims tbody tr", timeout=60_000)
    assert page.locator("#rejected").inner_text() == "1"
    assert "CHT.TOTAL is 999.00" in page.locator("#problems").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "claims-submission.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#report-csv")
    assert download.value.suggested_filename.endswith("-problems.csv")
    assert Submission.objects.get().status == "processed"
