"""Permission tests: the unit complained about never learns who complained without consent; others see nothing."""

from __future__ import annotations

import pytest

from openuhc.rights import services
from openuhc.rights.tests.conftest import at, open_complaint


@pytest.fixture
def secret_case(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"), named=True, share=False)
    services.complainant_message(case, text="ฉันชื่อนางลับ โทร 0812345678", now=at("2026-03-03 09:00"))
    return case


def test_the_unit_concerned_reads_the_case_but_not_who_complained(secret_case, client_for):
    page = client_for("hospital").get(f"/rights/cases/{secret_case.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert secret_case.subject in html
    assert "นางลับ" not in html and "0812345678" not in html  # nor in the complainant's own messages
    assert "Withheld" in html


def test_the_api_withholds_the_identity_from_the_unit_too(secret_case, client_for):
    data = client_for("hospital").get(f"/api/v1/rights/cases/{secret_case.number}").json()
    assert data["complainant_name"] is None and data["complainant_contact"] is None
    assert data["identity_withheld"] is True
    staff = client_for("centre").get(f"/api/v1/rights/cases/{secret_case.number}").json()
    assert staff["complainant_name"] == "นางลับ ไม่เปิดเผย" and staff["identity_withheld"] is False


def test_with_consent_the_unit_sees_who_complained(world, client_for):
    case = open_complaint(world, now=at("2026-03-02 09:00"), named=True, share=True)
    html = client_for("hospital").get(f"/rights/cases/{case.number}/").content.decode()
    assert "นางลับ ไม่เปิดเผย" in html and "0812345678" in html


def test_centre_staff_see_the_complainant(secret_case, client_for):
    html = client_for("centre").get(f"/rights/cases/{secret_case.number}/").content.decode()
    assert "นางลับ ไม่เปิดเผย" in html


@pytest.mark.parametrize("persona", ["hospital2", "localfund", "analyst", "regional2"])
def test_people_outside_the_case_cannot_open_it(secret_case, client_for, persona):
    response = client_for(persona).get(f"/rights/cases/{secret_case.number}/")
    assert response.status_code == 403
    listing = client_for(persona).get("/rights/cases/")
    assert secret_case.number not in listing.content.decode()


def test_a_centre_of_another_region_cannot_open_or_change_the_case(secret_case, client_for, other_centre):
    client = client_for("centre2")
    assert client.get(f"/rights/cases/{secret_case.number}/").status_code == 403
    assert client.post(f"/rights/cases/{secret_case.number}/close/",
                       {"outcome": "resolved", "outcome_text": "x"}).status_code == 403


def test_the_unit_may_reply_but_not_close_or_read_staff_notes(secret_case, world, client_for):
    services.add_note(secret_case, actor=world.users["centre"], text="บันทึกภายในของศูนย์", audience="staff")
    client = client_for("hospital")
    assert client.post(f"/rights/cases/{secret_case.number}/close/",
                       {"outcome": "resolved", "outcome_text": "x"}).status_code == 403
    assert client.post(f"/rights/cases/{secret_case.number}/reply/", {"text": "ได้คืนเงินแล้ว"}).status_code == 302
    assert secret_case.events.filter(kind="unit_reply", audience="unit").exists()
    html = client.get(f"/rights/cases/{secret_case.number}/").content.decode()
    assert "บันทึกภายในของศูนย์" not in html and "ได้คืนเงินแล้ว" in html


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_api_refuses(secret_case, client_for):
    anonymous = client_for(None)
    assert anonymous.get(f"/rights/cases/{secret_case.number}/").status_code == 302
    assert anonymous.get("/api/v1/rights/cases").status_code == 401
