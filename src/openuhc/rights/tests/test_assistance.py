"""Section 41 assistance: request → evidence → decision within the ceiling → payment from the reserve; appeals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.rights import assistance
from openuhc.rights.models import AssistancePayment, Decision

COMMITTEE = "คณะอนุกรรมการเขต 1"


def _request(world, received=date(2026, 3, 2), known=date(2026, 2, 20), incident=date(2026, 2, 1)):
    return assistance.file_request(
        actor=world.users["centre"], region=world.province.region, centre=world.centre, requester_kind="heir",
        requester_name="นางญาติ", injured_name="นายผู้เสียหาย", unit=world.hospital_a, incident_on=incident,
        known_on=known, received_on=received, description="เสียชีวิตหลังคลอด")


def _complete(world, req):
    assistance.add_evidence(req, actor=world.users["centre"], kind="เวชระเบียน", received_on=date(2026, 3, 5))
    return assistance.mark_complete(req, actor=world.users["regional"], on=date(2026, 3, 6))


@pytest.fixture
def funded(world):
    assistance.allocate_reserve(actor=world.users["national"], fiscal_year=2569, region=world.province.region,
                                amount="1000000.00", on=date(2025, 10, 1))
    return world


def test_a_request_goes_from_filing_to_payment(funded):
    world = funded
    req = _complete(world, _request(world))
    assert req.decide_by == date(2026, 4, 5)  # 30 days after the file was complete
    assistance.decide(req, actor=world.users["regional"], approved=True, decided_on=date(2026, 3, 20),
                      committee=COMMITTEE, reason="เข้าเกณฑ์", category="death", amount="400000.00")
    req.refresh_from_db()
    assert req.status == "approved" and req.appeal_by == date(2026, 4, 19)
    assistance.pay(req, actor=world.users["regional"], paid_on=date(2026, 3, 27), reference="TRF001")
    req.refresh_from_db()
    assert req.status == "paid" and assistance.paid_total(req) == Decimal("400000.00")
    reserve = assistance.reserve(2569, world.province.region)
    assert reserve.by_category["death"] == Decimal("400000.00") and reserve.left == Decimal("600000.00")
    with pytest.raises(DomainError) as error:
        assistance.pay(req, actor=world.users["regional"], paid_on=date(2026, 3, 28), reference="TRF002")
    assert error.value.code == "rights_s41_wrong_status"
    assert AssistancePayment.objects.count() == 1


@pytest.mark.parametrize(("category", "ceiling"), [("death", "400000.00"), ("organ", "240000.00"),
                                                   ("injury", "100000.00")])
def test_an_amount_above_the_categorys_ceiling_is_refused_and_the_ceiling_itself_is_allowed(funded, category,
                                                                                           ceiling):
    world = funded
    req = _complete(world, _request(world))
    over = Decimal(ceiling) + Decimal("0.01")
    with pytest.raises(DomainError) as error:
        assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 3, 20), committee=COMMITTEE,
                          reason="x", category=category, amount=over)
    assert error.value.code == "rights_s41_over_ceiling" and f"{over:,.2f}" in error.value.message
    assert not Decision.objects.exists()
    assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 3, 20), committee=COMMITTEE,
                      reason="x", category=category, amount=ceiling)


def test_ceilings_are_configuration_valid_from_a_date(funded):
    world = funded
    params.set_value("rights.s41_ceilings", {"death": "500000", "organ": "300000", "injury": "120000"},
                     valid_from=date(2026, 4, 1))
    req = _complete(world, _request(world))
    with pytest.raises(DomainError):
        assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 3, 31), committee=COMMITTEE,
                          reason="x", category="injury", amount="120000")
    decision = assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 4, 1), committee=COMMITTEE,
                                 reason="x", category="injury", amount="120000")
    assert decision.ceiling == Decimal("120000.00")


def test_a_request_filed_more_than_a_year_after_the_damage_was_known_is_refused(world):
    with pytest.raises(DomainError) as error:
        _request(world, received=date(2026, 3, 2), known=date(2025, 3, 1), incident=date(2025, 2, 1))
    assert error.value.code == "rights_s41_filed_late"
    with pytest.raises(DomainError) as order:
        _request(world, received=date(2026, 3, 2), known=date(2026, 1, 1), incident=date(2026, 2, 1))
    assert order.value.code == "rights_s41_dates_order"


def test_the_file_cannot_be_complete_without_evidence(world):
    with pytest.raises(DomainError) as error:
        assistance.mark_complete(_request(world), actor=None, on=date(2026, 3, 6))
    assert error.value.code == "rights_s41_no_evidence"


def test_an_appeal_within_the_period_can_raise_the_amount_and_the_difference_is_paid(funded):
    world = funded
    req = _complete(world, _request(world))
    assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 3, 20), committee=COMMITTEE,
                      reason="x", category="injury", amount="30000")
    assistance.pay(req, actor=None, paid_on=date(2026, 3, 25), reference="T1")
    with pytest.raises(DomainError) as late:
        assistance.appeal(req, actor=None, filed_on=date(2026, 4, 20), reason="น้อยไป")
    assert late.value.code == "rights_s41_appeal_late"
    assistance.appeal(req, actor=None, filed_on=date(2026, 4, 19), reason="น้อยไป")
    assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 5, 10), committee="คณะกรรมการ",
                      reason="อุทธรณ์ฟังขึ้น", category="injury", amount="80000")
    req.refresh_from_db()
    assert req.status == "approved" and assistance.still_due(req) == Decimal("50000.00")
    assistance.pay(req, actor=None, paid_on=date(2026, 5, 15), reference="T2")
    req.refresh_from_db()
    assert req.status == "paid" and assistance.paid_total(req) == Decimal("80000.00")
    with pytest.raises(DomainError) as final:
        assistance.appeal(req, actor=None, filed_on=date(2026, 5, 16), reason="อีกครั้ง")
    assert final.value.code == "rights_s41_final"


def test_a_payment_beyond_the_reserve_is_refused(world):
    assistance.allocate_reserve(actor=None, fiscal_year=2569, region=world.province.region, amount="50000",
                                on=date(2025, 10, 1))
    req = _complete(world, _request(world))
    assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 3, 20), committee=COMMITTEE,
                      reason="x", category="organ", amount="60000")
    with pytest.raises(DomainError) as error:
        assistance.pay(req, actor=None, paid_on=date(2026, 3, 25), reference="T1")
    assert error.value.code == "rights_s41_reserve_short"
    assistance.pay(req, actor=None, paid_on=date(2026, 3, 25), reference="T1", amount="50000")
    req.refresh_from_db()
    assert req.status == "approved" and assistance.still_due(req) == Decimal("10000.00")


def test_centre_staff_file_requests_but_only_the_region_decides_and_pays(funded, client_for):
    world = funded
    req = _complete(world, _request(world))
    decision = {"approved": "yes", "category": "injury", "amount": "10000", "decided_on": "20/03/2569",
                "committee": COMMITTEE, "reason": "x"}
    assert client_for("centre").post(f"/rights/assistance/{req.number}/decide/", decision).status_code == 403
    assert client_for("regional2").get(f"/rights/assistance/{req.number}/").status_code == 403
    assert client_for("hospital").get("/rights/assistance/").status_code == 403
    assert client_for("regional").post(f"/rights/assistance/{req.number}/decide/", decision).status_code == 302
    assert assistance.current_decision(req).amount == Decimal("10000.00")
    page = client_for("regional").post(f"/rights/assistance/{req.number}/pay/",
                                       {"paid_on": "25/03/2569", "reference": "TRF9", "amount": ""}, follow=True)
    assert "TRF9" in page.content.decode()
    req.refresh_from_db()
    assert req.status == "paid"


def test_an_over_ceiling_amount_on_the_page_gives_a_clear_message(funded, client_for):
    world = funded
    req = _complete(world, _request(world))
    page = client_for("regional").post(f"/rights/assistance/{req.number}/decide/", {
        "approved": "yes", "category": "injury", "amount": "100000.01", "decided_on": "20/03/2569",
        "committee": COMMITTEE, "reason": "x"}, follow=True)
    assert "above the ceiling of 100,000.00 baht" in page.content.decode()


def test_only_the_national_office_allocates_the_reserve(world, client_for):
    form = {"fiscal_year": "2569", "region": world.province.region.pk, "amount": "500000",
            "allocated_on": "01/10/2568", "note": ""}
    assert client_for("regional").post("/rights/assistance/reserve/", form).status_code == 403
    assert client_for("national").post("/rights/assistance/reserve/", form).status_code == 302
    assert assistance.reserve(2569, world.province.region).allocated == Decimal("500000.00")


def test_the_filing_window_is_a_calendar_year(world):
    # known on 1 March 2023: a year later is 1 March 2024, 366 days on (2024 has a 29 February)
    assert _request(world, received=date(2024, 3, 1), known=date(2023, 3, 1), incident=date(2023, 2, 20)).number
    with pytest.raises(DomainError) as error:
        _request(world, received=date(2024, 3, 2), known=date(2023, 3, 1), incident=date(2023, 2, 20))
    assert error.value.code == "rights_s41_filed_late"
