"""Projects through their lifecycle, with the committee's quorum, the caps and the money checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.localfund import services
from openuhc.localfund.models import Account, LedgerEntry, Project, ProjectEvent, Resolution
from openuhc.localfund.tests.conftest import YEAR, fund_money, make_committee, submit


def test_a_project_goes_from_submission_to_closure_and_unused_money_comes_back(world, committee):
    fund = world.fund
    fund_money(fund, "100000.00")
    project = services.submit_project(
        actor=None, fund=fund, year=YEAR, title="ออกกำลังกายผู้สูงอายุ", category="2", proposer_kind="community",
        proposer_name="ชมรมผู้สูงอายุ", objectives="ลดความดัน", target_group="ผู้สูงอายุ",
        budget_lines=[("ค่าอาหาร", "6000.00"), ("ค่าวิทยากร", "4000.50")], submitted_on=date(2025, 11, 1))
    assert (project.number, project.requested_amount, project.status) == (1, Decimal("10000.50"), "submitted")

    meeting = committee.meeting(fund)
    assert meeting.quorum_met
    services.decide_project(actor=None, project=project, meeting=meeting, decision="approve", amount="9000")
    services.sign_agreement(actor=None, project=project, agreement_no="1/2569", agreement_date=date(2025, 11, 25))
    services.disburse(actor=None, project=project, amount="5000", paid_on=date(2025, 12, 1))
    services.disburse(actor=None, project=project, amount="4000", paid_on=date(2026, 2, 1))
    assert services.balance(fund) == Decimal("91000.00")
    services.report_progress(actor=None, project=project, kind="progress", reported_on=date(2026, 1, 5),
                             text="จัดกิจกรรมแล้ว 4 ครั้ง", spent_to_date="4000")
    services.report_progress(actor=None, project=project, kind="final", reported_on=date(2026, 3, 1),
                             text="ผู้สูงอายุ 40 คนความดันลดลง", spent_to_date="8250.25", people_reached=40)
    services.close_project(actor=None, project=project, closed_on=date(2026, 3, 10))

    project.refresh_from_db()
    assert project.status == "closed"
    assert project.actual_spending == Decimal("8250.25")
    refund = LedgerEntry.objects.get(project=project, kind="refund")
    assert refund.amount == Decimal("749.75")
    assert services.balance(fund) == Decimal("100000.00") - Decimal("8250.25")
    assert list(ProjectEvent.objects.filter(project=project).values_list("to_status", flat=True)) == [
        "submitted", "approved", "agreed", "reported", "closed"]
    assert Resolution.objects.get(project=project).meeting == meeting


def test_an_administration_project_above_15_percent_of_receipts_is_refused_with_a_clear_message(world, committee):
    fund = world.fund
    fund_money(fund, "100000.00")  # cap: 15,000
    meeting = committee.meeting(fund)
    first = submit(fund, category="4", amount="12000.00")
    services.decide_project(actor=None, project=first, meeting=meeting, decision="approve")
    second = submit(fund, category="4", amount="3000.01")
    with pytest.raises(DomainError) as caught:
        services.decide_project(actor=None, project=second, meeting=meeting, decision="approve")
    assert caught.value.code == "fund_cap_exceeded"
    assert "15,000.00" in caught.value.message_en and "15,000.01" in caught.value.message_en
    assert "เพดานร้อยละ 15" in caught.value.message_th
    second.refresh_from_db()
    assert second.status == "submitted"
    assert not Resolution.objects.filter(project=second).exists()
    # Exactly up to the cap is fine, and other categories are not capped.
    services.decide_project(actor=None, project=second, meeting=meeting, decision="approve", amount="3000.00")
    services.decide_project(actor=None, project=submit(fund, category="1", amount="50000"), meeting=meeting,
                            decision="approve")


def test_the_cap_is_a_parameter(world, committee):
    params.set_value("localfund.category_caps", {"4": "20", "3": "5"}, valid_from=date(2025, 10, 1))
    fund_money(world.fund, "100000.00")
    meeting = committee.meeting(world.fund)
    services.decide_project(actor=None, project=submit(world.fund, category="4", amount="20000"), meeting=meeting,
                            decision="approve")
    with pytest.raises(DomainError, match="cap"):
        services.decide_project(actor=None, project=submit(world.fund, category="3", amount="5000.01"),
                                meeting=meeting, decision="approve")


def test_a_meeting_without_quorum_cannot_decide(world, committee):
    fund_money(world.fund)
    meeting = committee.meeting(world.fund, present=2)  # 2 of 6
    assert not meeting.quorum_met
    project = submit(world.fund)
    with pytest.raises(DomainError) as caught:
        services.decide_project(actor=None, project=project, meeting=meeting, decision="approve")
    assert caught.value.code == "fund_no_quorum"
    assert "2 of 6" in caught.value.message_en
    assert committee.meeting(world.fund, present=3).quorum_met  # half is enough by default


def test_members_whose_term_ended_do_not_count_for_the_quorum(world):
    committee = make_committee(world.fund, size=4)
    for member in committee.members[:3]:
        type(member).objects.filter(pk=member.pk).update(term_end=date(2025, 9, 30))
    meeting = committee.meeting(world.fund, present=1)
    assert (meeting.members_in_office, meeting.members_present, meeting.quorum_met) == (1, 0, False)


def test_another_funds_meeting_cannot_decide(world, other_fund):
    fund_money(world.fund)
    meeting = make_committee(other_fund).meeting(other_fund)
    with pytest.raises(DomainError) as caught:
        services.decide_project(actor=None, project=submit(world.fund), meeting=meeting, decision="approve")
    assert caught.value.code == "fund_meeting_other_fund"


def test_approval_cannot_commit_more_money_than_the_fund_holds(world, committee):
    fund_money(world.fund, "10000.00")
    meeting = committee.meeting(world.fund)
    services.decide_project(actor=None, project=submit(world.fund, amount="7000"), meeting=meeting, decision="approve")
    with pytest.raises(DomainError) as caught:
        services.decide_project(actor=None, project=submit(world.fund, amount="3000.01"), meeting=meeting,
                                decision="approve")
    assert caught.value.code == "fund_not_enough_money"
    assert "3,000.00" in caught.value.message_en


def test_payments_never_exceed_the_approved_amount(world, committee):
    fund_money(world.fund)
    project = submit(world.fund, amount="5000")
    services.decide_project(actor=None, project=project, meeting=committee.meeting(world.fund), decision="approve")
    with pytest.raises(DomainError) as caught:
        services.disburse(actor=None, project=project, amount="100", paid_on=date(2025, 12, 1))
    assert caught.value.code == "fund_wrong_status"  # no agreement yet
    services.sign_agreement(actor=None, project=project, agreement_no="A1", agreement_date=date(2025, 11, 25))
    services.disburse(actor=None, project=project, amount="4000", paid_on=date(2025, 12, 1))
    with pytest.raises(DomainError) as caught:
        services.disburse(actor=None, project=project, amount="1000.01", paid_on=date(2025, 12, 2))
    assert caught.value.code == "fund_over_approved"
    assert services.paid(project) == Decimal("4000.00")


def test_a_payment_that_would_overdraw_the_account_is_refused(world, committee):
    fund_money(world.fund, "5000")
    params.set_value("localfund.approval_within_balance", False, valid_from=date(2025, 10, 1))
    project = submit(world.fund, amount="8000")
    services.decide_project(actor=None, project=project, meeting=committee.meeting(world.fund), decision="approve")
    services.sign_agreement(actor=None, project=project, agreement_no="A1", agreement_date=date(2025, 11, 25))
    with pytest.raises(DomainError) as caught:
        services.disburse(actor=None, project=project, amount="5000.01", paid_on=date(2025, 12, 1))
    assert caught.value.code == "fund_overdrawn"
    services.disburse(actor=None, project=project, amount="5000", paid_on=date(2025, 12, 1))
    assert services.balance(world.fund, account=Account.MAIN) == 0


def test_a_returned_project_can_come_back_and_a_decided_one_cannot_be_decided_twice(world, committee):
    fund_money(world.fund)
    meeting = committee.meeting(world.fund)
    project = submit(world.fund, amount="5000")
    services.decide_project(actor=None, project=project, meeting=meeting, decision="return",
                            conditions="ลดค่าอาหาร")
    services.resubmit_project(actor=None, project=project, submitted_on=date(2025, 11, 20),
                              budget_lines=[("ค่าอาหาร", "4000")])
    assert (project.status, project.requested_amount) == ("submitted", Decimal("4000.00"))
    services.decide_project(actor=None, project=project, meeting=meeting, decision="reject")
    stale = Project.objects.get(pk=project.pk)
    stale.status = "submitted"  # a second tab still showing the old status
    with pytest.raises(DomainError) as caught:
        services.decide_project(actor=None, project=stale, meeting=meeting, decision="approve")
    assert caught.value.code == "fund_wrong_status"
    assert Project.objects.get(pk=project.pk).status == "rejected"


def test_a_final_report_cannot_claim_more_spending_than_was_paid(world, committee):
    fund_money(world.fund)
    project = submit(world.fund, amount="5000")
    services.decide_project(actor=None, project=project, meeting=committee.meeting(world.fund), decision="approve")
    services.sign_agreement(actor=None, project=project, agreement_no="A1", agreement_date=date(2025, 11, 25))
    services.disburse(actor=None, project=project, amount="2000", paid_on=date(2025, 12, 1))
    with pytest.raises(DomainError) as caught:
        services.report_progress(actor=None, project=project, kind="final", reported_on=date(2026, 1, 1), text="x",
                                 spent_to_date="2000.01")
    assert caught.value.code == "fund_spent_more_than_paid"


def test_a_project_needs_a_known_category_and_budget_lines(world):
    with pytest.raises(DomainError, match="category 9"):
        submit(world.fund, category="9")
    with pytest.raises(DomainError) as caught:
        services.submit_project(actor=None, fund=world.fund, year=YEAR, title="x", category="1", proposer_kind="x",
                                proposer_name="x", objectives="x", target_group="x", budget_lines=[("", "")],
                                submitted_on=date(2025, 11, 1))
    assert caught.value.code == "fund_no_budget_lines"


def test_projects_are_numbered_per_fund_and_year(world, other_fund):
    assert [submit(world.fund).number, submit(world.fund).number, submit(other_fund).number] == [1, 2, 1]
    assert submit(world.fund, year=YEAR + 1).number == 1
