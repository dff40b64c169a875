"""The round workflow: draft → checked → approved → published, by permitted roles, as append-only events; rounds
numbered per region, kind and fiscal year."""

from __future__ import annotations

from datetime import date

import pytest

from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError
from openuhc.payment import services
from openuhc.payment.models import PaymentRun, RunEvent
from openuhc.payment.tests.conftest import JAN
from openuhc.registry.models import Scheme


def start(world, user="regional", period=JAN, kind=PaymentRun.Kind.CAPITATION, region=None, corrects=None,
          cutoff=None):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=region or world.province.region, period=period, kind=kind, corrects=corrects,
                              cutoff=cutoff)


def test_a_run_goes_through_each_step_by_a_permitted_role_and_every_step_is_an_event(world, population, officers):
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    run = services.advance(actor=world.users["national"], run=run)
    assert run.status == "checked"
    run = services.advance(actor=world.users["national2"], run=run)
    run = services.advance(actor=world.users["national"], run=run)
    assert PaymentRun.objects.get(pk=run.pk).status == "published"
    events = list(run.events.values_list("action", "to_status", "actor__username"))
    assert events == [("started", "draft", "regional"), ("computed", "draft", "regional"),
                      ("checked", "checked", "national"), ("approved", "approved", "national2"),
                      ("published", "published", "national")]
    with pytest.raises(DomainError, match="cannot be moved on"):
        services.advance(actor=world.users["national2"], run=run)
    with pytest.raises(AppendOnlyError):
        RunEvent.objects.filter(run=run).update(note="changed")


@pytest.mark.parametrize(("user", "message"), [
    ("hospital", "Your role may not start"), ("regional2", "Your role may not start"),
    ("analyst", "Your role may not start"), ("localfund", "Your role may not start")])
def test_only_national_and_the_regions_own_officers_start_runs(world, budget, user, message):
    with pytest.raises(DomainError, match=message):
        start(world, user=user)
    assert not PaymentRun.objects.exists()


def test_a_regional_officer_checks_but_only_a_national_officer_approves(world, population, officers):
    run = services.compute_capitation(actor=world.users["national"], run=start(world, user="national"))
    with pytest.raises(DomainError, match="may not"):
        services.advance(actor=world.users["regional2"], run=run)
    run = services.advance(actor=world.users["regional"], run=run)
    with pytest.raises(DomainError, match="may not"):
        services.advance(actor=world.users["regional"], run=run)
    assert PaymentRun.objects.get(pk=run.pk).status == "checked"


def test_the_same_person_cannot_do_two_steps_in_a_row(world, population, officers):
    run = services.compute_capitation(actor=world.users["national"], run=start(world, user="national"))
    with pytest.raises(DomainError, match="someone other than the person who computed it"):
        services.advance(actor=world.users["national"], run=run)
    run = services.advance(actor=world.users["national2"], run=run)
    with pytest.raises(DomainError, match="someone other than the person who checked it"):
        services.advance(actor=world.users["national2"], run=run)


def test_an_uncomputed_run_cannot_be_checked(world, budget):
    run = start(world)
    with pytest.raises(DomainError, match="compute it first"):
        services.advance(actor=world.users["national"], run=run)


def test_a_second_run_for_the_same_period_is_refused_by_the_database(world, budget):
    first = start(world)
    with pytest.raises(DomainError, match=f"There is already a capitation run .* \\(run {first.pk}\\)"):
        start(world, user="national")
    assert PaymentRun.objects.count() == 1
    start(world, period=date(2026, 2, 1))  # another month is another run
    start(world, kind=PaymentRun.Kind.IP, period=None, cutoff=date(2026, 1, 20))  # and so is another kind


def test_inpatient_and_fee_rounds_need_a_cut_off_and_are_numbered_in_their_fiscal_year(world, budget):
    with pytest.raises(DomainError, match="cut-off") as error:
        start(world, kind=PaymentRun.Kind.IP, period=None)
    assert error.value.code == "payment_cutoff_required" and error.value.message_th
    rounds = [start(world, kind=PaymentRun.Kind.IP, period=None, cutoff=cutoff)
              for cutoff in (date(2025, 10, 15), date(2025, 10, 31), date(2026, 9, 30), date(2026, 10, 15))]
    assert [(r.fiscal_year, r.number, r.period) for r in rounds] == [
        (2569, 1, date(2025, 10, 1)), (2569, 2, date(2025, 10, 1)), (2569, 3, date(2026, 9, 1)),
        (2570, 1, date(2026, 10, 1))]
    assert rounds[1].label == "FY2569 round 2"
    fee = start(world, kind=PaymentRun.Kind.FEE, period=None, cutoff=date(2025, 11, 5))
    assert (fee.fiscal_year, fee.number) == (2569, 1)  # each kind has its own numbers


def test_a_period_is_a_month(world, budget):
    with pytest.raises(DomainError, match="first day"):
        start(world, period=date(2026, 1, 15))


def test_a_correction_is_an_adjustment_run_of_a_published_run(world, population, officers):
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    with pytest.raises(DomainError, match="An adjustment corrects a published run"):
        start(world, kind=PaymentRun.Kind.ADJUSTMENT, corrects=run)
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    first = start(world, kind=PaymentRun.Kind.ADJUSTMENT, corrects=run)
    second = start(world, kind=PaymentRun.Kind.ADJUSTMENT, corrects=run)
    assert {first.corrects_id, second.corrects_id} == {run.pk}
    assert PaymentRun.objects.get(pk=run.pk).net == run.net  # the published run itself is never changed
