"""The public page of a fund: no login, projects with money and results, no personal data."""

from __future__ import annotations

from datetime import date

from openuhc.localfund import services
from openuhc.localfund.tests.conftest import YEAR, fund_money, submit


def test_anyone_sees_a_funds_projects_amounts_and_results_but_no_personal_data(client_for, world, committee):
    fund = world.fund
    fund_money(fund, "50000")
    shown = submit(fund, amount="12000", title="ลดเสี่ยงลดโรค", contact="นางสาวติดต่อ ลับมาก")
    services.decide_project(actor=None, project=shown, meeting=committee.meeting(fund), decision="approve")
    services.sign_agreement(actor=None, project=shown, agreement_no="1", agreement_date=date(2025, 11, 25))
    services.disburse(actor=None, project=shown, amount="12000", paid_on=date(2025, 12, 1))
    services.report_progress(actor=None, project=shown, kind="final", reported_on=date(2026, 1, 1),
                             text="กลุ่มเสี่ยงลดลงร้อยละ 20", spent_to_date="12000", people_reached=80)
    hidden = submit(fund, amount="3000", title="โครงการที่ยังไม่อนุมัติ")

    response = client_for(None).get(f"/funds/public/{fund.code}/", {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ลดเสี่ยงลดโรค" in page and "12,000.00" in page and "กลุ่มเสี่ยงลดลงร้อยละ 20" in page
    assert "ประเภทที่ 2" in page or "Type 2" in page
    assert hidden.title not in page
    assert "ติดต่อ" not in page and "ลับมาก" not in page
    for member in committee.members:
        assert member.name not in page
    for person in world.people.values():
        assert person.citizen_id not in page and person.first_name_th not in page


def test_the_public_list_needs_no_login_and_finds_a_fund(client_for, world):
    response = client_for(None).get("/funds/public/", {"q": "ทดสอบ"})
    assert response.status_code == 200 and world.fund.code in response.content.decode()


def test_an_unknown_fund_is_not_found(client_for, world):
    assert client_for(None).get("/funds/public/NOPE/").status_code == 404
