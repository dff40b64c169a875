"""The demo holds rights work at every step, made through the services, and keeps their rules."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone

from openuhc.core.dates import fiscal_year, today
from openuhc.demo.loader import load_demo
from openuhc.rights import assistance, participation, services
from openuhc.rights.models import (
    Activity,
    AssistancePayment,
    AssistanceRequest,
    Case,
    Decision,
    Hearing,
    HearingIssue,
    Network,
)


def test_the_demo_has_cases_assistance_and_participation_that_obey_the_rules(geography):
    load_demo(seed=2569, people=1500)
    now = timezone.now()
    cases = Case.objects.all()
    assert cases.count() > 150
    assert set(cases.values_list("kind", flat=True)) == {"complaint", "grievance", "advice", "coordination"}
    assert cases.filter(status="closed").count() > 100 and cases.exclude(status="closed").exists()
    # every open overdue case was escalated, and every escalated case missed a deadline at the time
    for case in cases.exclude(status="closed"):
        if services.is_overdue(case, now):
            assert case.escalated_at is not None
    for case in cases.filter(escalated_at__isnull=False):
        assert case.escalated_at > min(case.outcome_by, case.acknowledge_by)
    late = [c for c in cases.filter(status="closed") if not c.closed_on_time]
    assert late and len(late) < cases.filter(status="closed").count() / 2
    statuses = set(AssistanceRequest.objects.values_list("status", flat=True))
    assert {"received", "complete", "approved", "rejected", "paid"} <= statuses
    for decision in Decision.objects.filter(approved=True):
        assert decision.amount <= assistance.ceiling(decision.category, decision.decided_on)
    for request in AssistanceRequest.objects.all():
        assert assistance.paid_total(request) <= (assistance.current_decision(request).amount
                                                 if assistance.current_decision(request) else 0)
    assert Decision.objects.filter(stage="appeal").exists()
    year = fiscal_year(today())
    region = Case.objects.first().region
    for fy in (year - 1, year):
        reserve = assistance.reserve(fy, region)
        paid = AssistancePayment.objects.filter(fiscal_year=fy).aggregate(s=Sum("amount"))["s"] or 0
        assert reserve.paid == paid and reserve.left >= 0
    training = Activity.objects.get(kind="training")
    summary = participation.attendance_summary(training)
    assert (summary.participants, summary.days, summary.new_leaders) == (30, 2, 30)
    workshop = Activity.objects.get(kind="workshop", is_international=True)
    assert (participation.attendance_summary(workshop).participants,
            participation.attendance_summary(workshop).countries) == (22, 9)
    assert Network.objects.count() >= 10 and Hearing.objects.count() == 2
    assert HearingIssue.objects.exclude(answer="").exists() and HearingIssue.objects.filter(answer="").exists()
