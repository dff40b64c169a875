"""In a real browser: a citizen proposes an issue on the public form, the secretariat screens it, drafts the
resolution and records its adoption and a progress update, and the public register shows the clause's progress."""

from __future__ import annotations

from datetime import timedelta

from openuhc.core.dates import today
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance.models import Phase, Proposal, ResolutionClause
from openuhc.governance.tests.conftest import body_type
from openuhc.testing.browser import ARTIFACTS, needs_chromium
from openuhc.testing.world import PASSWORD

pytestmark = needs_chromium


def test_a_public_proposal_becomes_a_resolution_whose_progress_the_register_shows(transactional_db, gov,
                                                                                   live_server, browser_page):
    organiser = B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                              code="ORG-56", name_th="คณะกรรมการจัดสมัชชาสุขภาพจังหวัดพะเยา",
                              province=gov.world.province)
    now = today()
    cycle = A.create_cycle(actor=None, body=organiser, code="PHA-56-NOW", title_th="สมัชชาสุขภาพจังหวัดพะเยา",
                           title_en="Phayao Provincial Health Assembly", year=2570,
                           phases={Phase.Kind.CALL: (now - timedelta(5), now + timedelta(5)),
                                   Phase.Kind.SCREENING: (now, now + timedelta(6)),
                                   Phase.Kind.ASSEMBLY: (now, now + timedelta(7))})
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)

    # a citizen, without an account
    page.goto(f"{live_server.url}/governance/public/")
    page.click("#propose-link")
    page.fill("input[name=title]", "ไฟส่องทางเข้าหมู่บ้านเพื่อรถฉุกเฉิน")
    page.fill("textarea[name=problem]", "ถนนเข้าหมู่บ้านมืด รถฉุกเฉินหาทางไม่พบในเวลากลางคืน")
    page.fill("textarea[name=evidence]", "มีผู้ป่วยฉุกเฉินรอรถนานกว่า 40 นาที 3 ครั้งในปีนี้")
    page.fill("input[name=proposer_name]", "นายทดสอบ เสนอเรื่อง")
    page.select_option("select[name=proposer_kind]", "citizen")
    page.click("#send")
    page.wait_for_selector("#proposal-reference")
    assert "PHA-56-NOW-001" in page.locator("#proposal-reference").inner_text()

    # the secretariat screens it, drafts the resolution, records its adoption and a first update
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "secretariat")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/home/")
    page.goto(f"{live_server.url}/governance/cycles/{cycle.code}/")
    page.click("#proposals >> text=ไฟส่องทางเข้าหมู่บ้าน")
    for criterion, score in (("importance", "5"), ("size", "4"), ("public_interest", "5"), ("feasibility", "4")):
        page.select_option(f"select[name=score_{criterion}]", score)
    page.select_option("select[name=decision]", "accept")
    page.fill("#screen textarea[name=answer]", "รับเป็นระเบียบวาระการประชุมสมัชชา")
    page.click("#save-screen")
    page.wait_for_selector("text=Screening answer recorded.")
    assert page.locator("#proposal-status").inner_text() == "accepted for the agenda"
    page.fill("#new-draft textarea[name=clauses]",
              "ให้องค์การบริหารส่วนจังหวัดติดตั้งไฟส่องทางเข้าหมู่บ้านทุกแห่ง\n\n"
              "ให้หน่วยกู้ชีพมีแผนที่เส้นทางเข้าหมู่บ้านที่เป็นปัจจุบัน")
    page.click("#save-draft")
    page.wait_for_selector("#draft-status")
    page.click("#adopt summary")
    page.click("#save-adopt")
    page.wait_for_selector("text=The resolution was adopted.")
    page.click("#update-1 summary")
    page.select_option("#update-1 select[name$=status]", "in_progress")
    page.fill("#update-1 input[name$=progress]", "40")
    page.fill("#update-1 textarea[name$=note]", "อบจ. ติดตั้งไฟแล้ว 12 หมู่บ้าน")
    page.click("#update-1 button[type=submit]")
    page.wait_for_selector("text=Progress recorded.")
    page.click("form[action$='logout/'] button")

    # anyone reads the register
    page.goto(f"{live_server.url}/governance/public/register/")
    clause = ResolutionClause.objects.get(number=1)
    row = page.locator(f"#register-{clause.pk}")
    assert row.locator(".status").inner_text() == "in progress"
    assert row.locator(".progress").inner_text() == "40 %"
    page.screenshot(path=str(ARTIFACTS / "governance-register.png"), full_page=True)
    page.click(f"#register-{clause.pk} a")
    assert "อบจ. ติดตั้งไฟแล้ว 12 หมู่บ้าน" in page.locator("#clause-1").inner_text()
    assert "นายทดสอบ" not in page.content()  # a citizen proposer's name is not published

    proposal = Proposal.objects.get()
    assert (proposal.channel, proposal.status) == ("public", "adopted")
    assert list(proposal.answers.values_list("stage", flat=True)) == ["screening", "assembly"]
