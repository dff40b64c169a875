"""Capitation runs: registered population by age group × weight × rate, with the counts on the statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from openuhc.payment import services
from openuhc.payment.models import CapitationLine, PaymentRun, RunEvent, UnitPayment
from openuhc.payment.tests.conftest import JAN, register
from openuhc.registry import services as registry
from openuhc.registry.models import Scheme
from openuhc.testing.world import add_person


def start(world, user="regional", period=JAN):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, period=period, kind=PaymentRun.Kind.CAPITATION)


def test_each_cup_is_paid_its_population_by_age_group_times_weight_times_the_monthly_rate(world, population):
    from openuhc.core import params

    # the weights as configured (a dated parameter; normalised below)
    params.set_value("payment.capitation_normalise_weights", False, valid_from=date(2025, 10, 1))
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    a = UnitPayment.objects.get(run=run, unit=world.hospital_a)
    # CUP A: one child (weight 1.95), one adult (0.70), one elder (1.90) = 4.55 weighted heads;
    # OP capitation 1,426.69 baht per head per year → 4.55 × 1,426.69 / 12 = 540.953... → 540.95
    assert a.population == 3
    assert a.gross == D("540.95")
    # Hospital A is owned by the Ministry: 25 % salary deduction (FY2569 demo configuration)
    assert a.salary_deduction == D("135.24") and a.net == D("405.71")
    lines = {line.age_group: line for line in CapitationLine.objects.filter(run=run, unit=world.hospital_a)}
    assert {k: v.population for k, v in lines.items()} == {"0-4": 1, "5-14": 0, "15-59": 1, "60+": 1}
    assert sum(line.amount for line in lines.values()) == a.gross
    b = UnitPayment.objects.get(run=run, unit=world.hospital_b)
    assert b.population == 1 and b.gross == D("83.22")  # 0.70 × 1,426.69 / 12 = 83.2236
    # the far unit is in region 2: not in this run
    assert not UnitPayment.objects.filter(run=run, unit=world.far_unit).exists()
    assert run.gross == a.gross + b.gross and run.net == a.net + b.net and run.population == 4


def test_the_population_is_counted_on_the_first_day_of_the_month(world, population):
    sub = world.shph_a.subdistrict
    # Registered with A from 15 January: not in January's count; moved from B to A on 10 January: counted with B.
    late = register(add_person(subdistrict=sub, first="มาใหม่"), world.hospital_a, world.shph_a, on=date(2026, 1, 15))
    mover = register(add_person(subdistrict=sub, first="ย้าย"), world.hospital_b, world.shph_b)
    registry.register(actor=None, person=mover, main_unit=world.hospital_a, primary_unit=world.shph_a,
                      referral_unit=world.hospital_a, effective_from=date(2026, 1, 10))
    dead = register(add_person(subdistrict=sub, first="เสียชีวิต"), world.hospital_a, world.shph_a)
    registry.record_death(actor=None, person=dead, death_date=date(2025, 12, 20))
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    counts = dict(UnitPayment.objects.filter(run=run).values_list("unit__code", "population"))
    assert counts == {"56001": 3, "56002": 2}
    assert late.pk and mover.pk


def test_people_of_other_schemes_are_not_counted(world, population):
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    # world.people["sss"] lives in A's sub-district but is under social security and not registered
    assert UnitPayment.objects.get(run=run, unit=world.hospital_a).population == 3


def test_computing_a_run_again_changes_nothing(world, population, officers):
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    before = (run.checksum, run.net, CapitationLine.objects.count(), UnitPayment.objects.count(),
              RunEvent.objects.count())
    # new people arrive, but the run keeps what it counted
    register(add_person(subdistrict=world.shph_a.subdistrict, first="ใหม่"), world.hospital_a, world.shph_a)
    again = services.compute_capitation(actor=world.users["regional"], run=run)
    assert (again.checksum, again.net, CapitationLine.objects.count(), UnitPayment.objects.count(),
            RunEvent.objects.count()) == before
    for user in ("national", "national2", "national"):
        services.advance(actor=world.users[user], run=run)
    finished = services.compute_capitation(actor=world.users["national"], run=run)
    assert finished.status == "published" and finished.checksum == before[0]
    assert CapitationLine.objects.count() == before[2]


def test_a_month_without_configuration_is_refused_clearly(world, population):
    run = start(world, period=date(2024, 1, 1))
    try:
        services.compute_capitation(actor=world.users["regional"], run=run)
    except Exception as error:  # noqa: BLE001 - the message is what the user reads
        assert "No budget configuration of scheme UCS is in force" in str(error)
    else:
        raise AssertionError("expected a refusal")
    assert not UnitPayment.objects.filter(run=run).exists()
    assert PaymentRun.objects.get(pk=run.pk).computed_at is None


def test_which_owners_count_as_public_is_a_dated_parameter(world, population):
    from openuhc.core import params

    params.set_value("payment.salary_owner_kinds", "local_government", valid_from=date(2025, 10, 1))
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    a = UnitPayment.objects.get(run=run, unit=world.hospital_a)
    assert a.salary_deduction == D("0.00") and a.net == a.gross  # hospital A belongs to the Ministry


def test_normalised_weights_pay_exactly_the_op_sub_fund_for_the_people_counted(world, population):
    """Reference §2.3: unit = OP budget × Σ N_unit·w ÷ Σ N_nation·w. The small world counts 4 people in CUPs
    (weighted heads 1.95 + 0.70 + 1.90 in CUP A, 0.70 in CUP B = 5.25): the factor is 4 ÷ 5.25."""
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))
    assert run.summary["normalised"] is True and run.summary["national_population"] == 4
    assert run.summary["factor"] == "0.76190476"
    a = UnitPayment.objects.get(run=run, unit=world.hospital_a)
    b = UnitPayment.objects.get(run=run, unit=world.hospital_b)
    # 4.55 × 4/5.25 × 1,426.69 / 12 = 412.1549… and 0.70 × 4/5.25 × 1,426.69 / 12 = 63.4084…
    assert (a.gross, b.gross) == (D("412.15"), D("63.41"))
    # together: the OP sub-fund for the 4 people, 4 × 1,426.69 / 12 = 475.5633…, to within a satang per unit
    assert abs(run.gross - D(4) * D("1426.69") / 12) <= D("0.01")
    # the lines keep the configured weights; the amounts follow the factor
    assert CapitationLine.objects.get(run=run, unit=world.hospital_a, age_group="0-4").weight == D("1.9500")


def test_normalised_capitation_of_the_regions_adds_up_to_the_sub_fund(world, population):
    from openuhc.providers import services as providers

    providers.create_cup(actor=None, main_unit=world.far_unit, since=date(2010, 10, 1))
    total = D(0)
    for user, region in (("regional", world.province.region), ("regional2", world.other_province.region)):
        run = services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"), region=region,
                                 period=JAN, kind=PaymentRun.Kind.CAPITATION)
        run = services.compute_capitation(actor=world.users[user], run=run)
        assert run.summary["national_population"] == 5
        total += run.gross
    assert abs(total - D(5) * D("1426.69") / 12) <= D("0.02")  # one satang of rounding per unit at most


def test_the_months_regional_rounds_count_the_country_once_until_the_registry_changes(world, population,
                                                                                    django_assert_max_num_queries):
    from openuhc.budget.services import in_force
    from openuhc.payment.capitation import national_counts, stored_counts
    from openuhc.payment.models import PopulationCount

    ucs, groups = Scheme.objects.get(code="UCS"), in_force("UCS", JAN).config.age_groups
    first = stored_counts(scheme=ucs, on=JAN, groups=groups)
    assert first == national_counts(scheme=ucs, on=JAN, groups=groups) and sum(first.values()) == 4
    with django_assert_max_num_queries(9):  # the fingerprint's newest ids and the stored count: no counting
        assert stored_counts(scheme=ucs, on=JAN, groups=groups) == first
    assert PopulationCount.objects.count() == 1
    register(add_person(subdistrict=world.shph_b.subdistrict, birth=date(1990, 1, 1), first="ใหม่"),
             world.hospital_b, world.shph_b)  # the registry changed: the next round counts again
    again = stored_counts(scheme=ucs, on=JAN, groups=groups)
    assert again == national_counts(scheme=ucs, on=JAN, groups=groups) and sum(again.values()) == 5
    assert PopulationCount.objects.count() == 2
    assert stored_counts(scheme=ucs, on=date(2026, 2, 1), groups=groups) == national_counts(
        scheme=ucs, on=date(2026, 2, 1), groups=groups)  # another count date: its own count


def test_a_round_pays_the_same_from_a_stored_count(world, population):
    far = services.start_run(actor=world.users["national"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.far_unit.subdistrict.district.province.region, period=JAN,
                             kind=PaymentRun.Kind.CAPITATION)
    from openuhc.providers import services as providers

    providers.create_cup(actor=None, main_unit=world.far_unit, since=date(2010, 10, 1))
    services.compute_capitation(actor=world.users["national"], run=far)  # counts and stores
    run = services.compute_capitation(actor=world.users["regional"], run=start(world))  # from the stored count
    a = UnitPayment.objects.get(run=run, unit=world.hospital_a)
    assert (a.population, UnitPayment.objects.get(run=run, unit=world.hospital_b).population) == (3, 1)
    assert run.population == 4
