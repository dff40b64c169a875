"""Pages: who may see and change what; a fund officer's work through the pages; the overview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.localfund import services
from openuhc.localfund.models import LedgerEntry, Meeting, Project
from openuhc.localfund.tests.conftest import YEAR, fund_money, submit


def url(fund, suffix=""):  # noqa: ANN001, ANN201
    return f"/funds/{fund.code}/{suffix}"


def test_a_fund_officer_goes_straight_to_their_fund(client_for, world):
    response = client_for("localfund").get("/funds/")
    assert response.status_code == 302 and response["Location"] == url(world.fund)
    page = client_for("localfund").get(url(world.fund), {"year": YEAR})
    assert page.status_code == 200
    assert world.fund.name_th in page.content.decode()


@pytest.mark.parametrize("path", ["", "ledger/", "committee/", "plan/", "projects/new/", f"statement/{YEAR}.xlsx"])
def test_a_fund_officer_is_refused_another_funds_pages(client_for, world, other_fund, path):
    assert client_for("localfund").get(url(other_fund, path)).status_code == 403
    assert client_for("localfund2").get(url(other_fund, path)).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [("hospital", 403), ("centre", 403), ("analyst", 403),
                                                  ("regional2", 403), ("regional", 200), ("national", 200)])
def test_fund_pages_follow_the_users_scope(client_for, world, persona, status):
    assert client_for(persona).get(url(world.fund)).status_code == status


def test_anonymous_users_are_sent_to_log_in(client_for, world):
    response = client_for(None).get(url(world.fund))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_national_and_regional_officers_read_but_do_not_record(client_for, world):
    for persona in ("national", "regional"):
        response = client_for(persona).post(url(world.fund, "income/"), {
            "year": YEAR, "kind": "interest", "received_on": "1/11/2568", "amount": "10"})
        assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


def test_another_funds_officer_cannot_record_income_or_decide(client_for, world, other_fund, committee):
    response = client_for("localfund2").post(url(world.fund, "income/"), {
        "year": YEAR, "kind": "interest", "received_on": "1/11/2568", "amount": "10"})
    assert response.status_code == 403
    fund_money(world.fund)
    project = submit(world.fund)
    meeting = committee.meeting(world.fund)
    response = client_for("localfund2").post(url(world.fund, f"projects/{project.pk}/decide/"), {
        "meeting": meeting.pk, "decision": "approve"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).status == "submitted"


def test_an_officer_records_income_with_a_buddhist_era_date_through_the_page(client_for, world):
    client = client_for("localfund")
    response = client.post(url(world.fund, "income/"), {
        "year": YEAR, "kind": "national_transfer", "received_on": "20/10/2568", "amount": ""}, follow=True)
    assert "National transfer (per head) of 90.00 baht recorded." in response.content.decode()
    entry = LedgerEntry.objects.get()
    assert (entry.entry_date, entry.amount, entry.created_by.username) == (date(2025, 10, 20), Decimal("90.00"),
                                                                           "localfund")


def test_a_refused_income_shows_the_reason(client_for, world):
    response = client_for("localfund").post(url(world.fund, "income/"), {
        "year": YEAR, "kind": "interest", "received_on": "20/10/2569", "amount": "5"}, follow=True)
    assert "is not in fiscal year 2569" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_an_officer_takes_a_project_through_the_pages(client_for, world, committee):
    fund_money(world.fund, "50000")
    client = client_for("localfund")
    response = client.post(url(world.fund, f"projects/new/?year={YEAR}"), {
        "year": YEAR, "title": "คัดกรองเบาหวาน", "category": "1", "proposer_kind": "health_unit",
        "proposer_name": "รพ.สต.เอ", "objectives": "คัดกรอง", "target_group": "อายุ 35 ปีขึ้นไป",
        "submitted_on": "1/11/2568",
        "lines-TOTAL_FORMS": 4, "lines-INITIAL_FORMS": 0, "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000,
        "lines-0-description": "แถบตรวจน้ำตาล", "lines-0-amount": "3000", "lines-1-description": "ค่าอาหาร",
        "lines-1-amount": "1500.50"})
    project = Project.objects.get()
    assert response.status_code == 302 and project.requested_amount == Decimal("4500.50")
    client.post(url(world.fund, "committee/"), {"form": "meeting", "held_on": "20/11/2568", "agenda": "x",
                                                "attendees": [m.pk for m in committee.members[:4]]})
    meeting = Meeting.objects.get(fund=world.fund)
    steps = [("decide", {"meeting": meeting.pk, "decision": "approve", "amount": ""}),
             ("agree", {"agreement_no": "7/2569", "agreement_date": "25/11/2568"}),
             ("disburse", {"amount": "4500.50", "paid_on": "1/12/2568"}),
             ("report", {"kind": "final", "reported_on": "1/3/2569", "text": "คัดกรอง 300 คน",
                         "spent_to_date": "4000", "people_reached": "300"}),
             ("close", {"closed_on": "10/3/2569"})]
    for action, data in steps:
        response = client.post(url(world.fund, f"projects/{project.pk}/{action}/"), data, follow=True)
        assert "errorlist" not in response.content.decode()
    project.refresh_from_db()
    assert project.status == "closed"
    assert services.balance(world.fund) == Decimal("46000.00")
    page = client.get(url(world.fund, f"projects/{project.pk}/")).content.decode()
    assert "final report received" in page and "closed" in page


def test_a_cap_refusal_is_shown_on_the_project_page(client_for, world, committee):
    fund_money(world.fund, "10000")
    project = submit(world.fund, category="4", amount="1500.01")
    meeting = committee.meeting(world.fund)
    response = client_for("localfund").post(url(world.fund, f"projects/{project.pk}/decide/"), {
        "meeting": meeting.pk, "decision": "approve"}, follow=True)
    assert "above its cap of 15 %" in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == "submitted"


def test_a_meeting_without_quorum_is_flagged(client_for, world, committee):
    response = client_for("localfund").post(url(world.fund, "committee/"), {
        "form": "meeting", "held_on": "20/11/2568", "attendees": [committee.members[0].pk]}, follow=True)
    assert "recorded without a quorum" in response.content.decode()


def test_the_overview_shows_charts_and_only_the_region_of_a_regional_officer(client_for, world, other_fund):
    fund_money(world.fund, "1000")
    far = other_fund.local_government
    far.province = world.other_province
    far.save()
    national = client_for("national").get("/funds/overview/", {"year": YEAR})
    regional = client_for("regional").get("/funds/overview/", {"year": YEAR})
    assert national.status_code == regional.status_code == 200
    assert other_fund.name_th in national.content.decode()
    assert other_fund.name_th not in regional.content.decode()
    assert world.fund.name_th in regional.content.decode()
    assert 'id="chart-fund-money"' in regional.content.decode()
    assert client_for("localfund").get("/funds/overview/").status_code == 403
    assert client_for("hospital").get("/funds/overview/").status_code == 403


def test_the_overview_query_count_does_not_grow_with_the_number_of_funds(client_for, world, other_fund,
                                                                        django_assert_max_num_queries):
    fund_money(world.fund, "1000")
    fund_money(other_fund, "1000")
    client = client_for("national")
    with django_assert_max_num_queries(20):
        client.get("/funds/overview/", {"year": YEAR})


def test_the_api_is_scoped_like_the_pages(client_for, world, other_fund):
    fund_money(world.fund, "1000")
    ok = client_for("localfund").get(f"/api/v1/funds/{world.fund.code}/years/{YEAR}")
    assert ok.status_code == 200
    assert ok.json()["accounts"][0]["balance"] == "1000.00"
    assert client_for("localfund2").get(f"/api/v1/funds/{world.fund.code}/years/{YEAR}").status_code == 403
    assert client_for("hospital").get(f"/api/v1/funds/{world.fund.code}/projects?year={YEAR}").status_code \
        == 403
