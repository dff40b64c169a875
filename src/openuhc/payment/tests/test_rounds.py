"""Inpatient rounds from stored claims: what a round takes (grouped, unpaid, received by the cut-off, whatever the
discharge month), each year's budget shared by the rounds that charge it, rounds priced at the same moment, and a
reconciled year's late claims held back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.claims.samples import SubmissionBuilder
from openuhc.payment import services
from openuhc.payment.models import ClaimPayment, PaymentRun
from openuhc.registry.models import Scheme

pytestmark = pytest.mark.django_db


def send(world, tmp_path, an, discharged, sent, *, adjrw="1.0000", group=True):
    """Hospital A sends admission `an`; it is grouped exactly (as the grouper records it) unless `group` is off."""
    from openuhc.claims import services as claims
    from openuhc.claims.lifecycle import record_grouping
    from openuhc.claims.models import Claim
    from openuhc.drg.models import ClaimGrouping

    a = world.people["a"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    builder.admission(hn="H1", an=an, admitted=discharged - timedelta(days=1), discharged=discharged,
                      diagnoses=["J189"])
    submission = claims.submit(builder.write(tmp_path / an), unit_code="56001", actor=world.users["hospital"])
    type(submission).objects.filter(pk=submission.pk).update(received_at=sent)
    claim = Claim.objects.get(kind="IP", key=an, is_current=True)
    if group:
        ClaimGrouping.objects.create(claim=claim, table_version="6.3", drg="04520", rw=D(adjrw), adjrw=D(adjrw),
                                     los=2, exact=True, reason="test")
        record_grouping(claim, drg="04520", exact=True, actor=None, detail={})
    return claim


def ip_round(world, cutoff, user="regional"):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, cutoff=cutoff, kind=PaymentRun.Kind.IP)


def at(day):
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def test_a_round_takes_what_was_received_by_its_cut_off_whatever_the_month(world, budget, tmp_path):
    october = send(world, tmp_path, "A1", date(2025, 10, 10), at(date(2025, 11, 5)))
    december = send(world, tmp_path, "A2", date(2025, 12, 3), at(date(2025, 12, 20)))
    ungrouped = send(world, tmp_path, "A3", date(2025, 12, 8), at(date(2025, 12, 20)), group=False)
    after = send(world, tmp_path, "A4", date(2025, 12, 12), at(date(2026, 1, 2)))
    run = services.compute(actor=world.users["regional"], run=ip_round(world, date(2025, 12, 31)))
    paid = set(ClaimPayment.objects.filter(run=run).values_list("claim_id", flat=True))
    assert paid == {october.pk, december.pk}  # not the ungrouped one, not the one received after the cut-off
    assert ungrouped.pk not in paid and after.pk not in paid
    line = ClaimPayment.objects.get(claim_id=october.pk)
    # 26 days from discharge to receipt: on time
    assert (line.detail["late_days"], line.detail["late_percent"], line.detail["received"]) == (26, "100.00",
                                                                                               "2025-11-05")
    nxt = services.compute(actor=world.users["regional"], run=ip_round(world, date(2026, 1, 15)))
    assert set(ClaimPayment.objects.filter(run=nxt).values_list("claim_id", flat=True)) == {after.pk}


def test_the_rounds_of_a_year_share_its_budget_and_the_last_one_floats_down(world, tmp_path):
    data = year_config(2569)
    data["ip_regions"] = [{**r, "ip_budget": "12000.00"} if r["region"] == 1 else r for r in data["ip_regions"]]
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=data)
    send(world, tmp_path, "A1", date(2025, 10, 10), at(date(2025, 10, 20)))
    first = services.compute(actor=world.users["regional"], run=ip_round(world, date(2025, 10, 31)))
    assert first.gross == D("8350.00")
    send(world, tmp_path, "A2", date(2025, 11, 10), at(date(2025, 11, 20)))
    second = services.compute(actor=world.users["regional"], run=ip_round(world, date(2025, 11, 30)))
    # 3,650 baht left of the year's 12,000: the rate floats down to 3,650 per AdjRW, the budget is not exceeded
    year = second.summary["years"][0]
    assert (year["spent"], year["left"], year["rate"], year["floated"]) == ("8350.00", "3650.00", "3650.00", True)
    assert second.gross == D("3650.00") and "RATE_FLOATED" in ClaimPayment.objects.get(run=second).detail["reasons"]


def test_a_round_priced_while_another_paid_the_same_admissions_is_priced_again_without_them(world, budget, tmp_path):
    from openuhc.engine import runner
    from openuhc.engine.models import Run
    from openuhc.payment.inpatient import record_ip, start_ip_pricing

    first = send(world, tmp_path, "A1", date(2025, 10, 10), at(date(2025, 10, 20)))
    slow = start_ip_pricing(actor=world.users["regional"], run=ip_round(world, date(2025, 11, 30)), claims=None)
    quick = services.compute(actor=world.users["regional"], run=ip_round(world, date(2025, 10, 31), "national"))
    assert quick.claims == 1
    second = send(world, tmp_path, "A2", date(2025, 11, 10), at(date(2025, 11, 20)))
    engine = runner.resume(Run.objects.get(pk=slow.engine_run))
    assert record_ip(actor=world.users["regional"], run=slow, engine=engine).computed_at is None  # let go
    slow = services.compute(actor=world.users["regional"], run=slow)
    assert set(ClaimPayment.objects.filter(run=slow).values_list("claim_id", flat=True)) == {second.pk}
    assert ClaimPayment.objects.filter(claim_id=first.pk).count() == 1
    assert slow.summary["years"][0]["spent"] == "8350.00"


def test_a_reconciled_years_late_admissions_are_held_back_and_said_so(world, officers, tmp_path, client_for):
    from openuhc.payment.year_end import compute_year_end

    data = year_config(2569)  # a small regional budget: the year's final rate stays a sensible number
    data["ip_regions"] = [{**r, "ip_budget": "120000.00"} if r["region"] == 1 else r for r in data["ip_regions"]]
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=data)
    send(world, tmp_path, "A1", date(2026, 9, 10), at(date(2026, 9, 20)))
    run = services.compute(actor=world.users["regional"], run=ip_round(world, date(2026, 9, 30)))
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    year_end = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                                  region=world.province.region, period=date(2026, 9, 1), kind="year_end")
    compute_year_end(actor=world.users["regional"], run=year_end)
    add_version(actor=None, scheme="UCS", fiscal_year=2570, valid_from=date(2026, 10, 1), data=year_config(2570))
    late = send(world, tmp_path, "A2", date(2026, 9, 25), at(date(2026, 11, 2)))
    later = services.compute(actor=world.users["regional"], run=ip_round(world, date(2026, 11, 15)))
    assert later.claims == 0 and later.summary["held"] == {"year_closed": {"2569": 1}}
    assert not ClaimPayment.objects.filter(claim_id=late.pk).exists()
    page = client_for("regional").get(f"/payment/runs/{later.pk}/").content.decode()
    assert 'id="held"' in page and "1 claim(s) of FY2569: its fiscal year was reconciled already." in page
