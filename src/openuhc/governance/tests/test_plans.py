"""Strategic plans: who owns them, their units (the PAO's transferred ones), budgets to the satang, targets,
indicators whose actuals fill themselves from a monitoring KPI, rounds that never change, adoption once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError
from openuhc.governance import bodies as B
from openuhc.governance import plans as PL
from openuhc.governance.models import IndicatorActual, MonitoringRound, StrategicPlan
from openuhc.providers import services as providers

FY = 2569


def make_plan(gov, **kwargs):  # noqa: ANN001, ANN201
    return PL.create_plan(actor=None, title_th="แผนยุทธศาสตร์สุขภาพ อบจ.พะเยา", first_year=2568, last_year=2571,
                          local_government=gov.pao, **kwargs)


def indicator(plan, **kwargs):  # noqa: ANN001, ANN201
    strategy = PL.add_strategy(actor=None, plan=plan, title="ระบบบริการปฐมภูมิเข้มแข็ง")
    goal = PL.add_goal(actor=None, strategy=strategy, title="ประชาชนเข้าถึงบริการ")
    return PL.add_indicator(actor=None, goal=goal, **{"name": "ความครอบคลุมสิทธิ", "unit": "%", **kwargs})


def test_a_pao_plan_lives_in_the_paos_province_and_one_per_start_year(gov):
    plan = make_plan(gov)
    assert plan.province == gov.world.province and plan.years == [2568, 2569, 2570, 2571]
    with pytest.raises(DomainError) as caught:
        make_plan(gov)
    assert caught.value.code == "gov_plan_exists"
    with pytest.raises(DomainError) as caught:
        PL.create_plan(actor=None, title_th="x", first_year=2570, last_year=2569, local_government=gov.pao)
    assert caught.value.code == "gov_plan_period"
    with pytest.raises(DomainError) as caught:
        PL.create_plan(actor=None, title_th="x", first_year=2569, last_year=2570, local_government=gov.world.lg)
    assert caught.value.code == "gov_not_a_pao"


def test_strategies_goals_and_indicators_are_numbered_in_the_tree(gov):
    plan = make_plan(gov)
    first = indicator(plan)
    second = PL.add_indicator(actor=None, goal=first.goal, name="อัตราการมารับบริการ")
    assert (first.reference, second.reference) == ("1.1.1", "1.1.2")
    with pytest.raises(DomainError) as caught:
        PL.add_indicator(actor=None, goal=first.goal, name="x", kpi_code="no_such_kpi")
    assert caught.value.code == "gov_unknown_kpi"


def test_targets_are_per_fiscal_year_of_the_plan(gov):
    plan = make_plan(gov)
    ind = indicator(plan)
    PL.set_target(actor=None, indicator=ind, year=2569, value="95.5")
    PL.set_target(actor=None, indicator=ind, year=2569, value="96")  # replaced, not added
    assert list(ind.targets.values_list("year", "value")) == [(2569, Decimal("96"))]
    with pytest.raises(DomainError) as caught:
        PL.set_target(actor=None, indicator=ind, year=2575, value="1")
    assert caught.value.code == "gov_year_outside_plan"
    with pytest.raises(DomainError) as caught:
        PL.set_target(actor=None, indicator=ind, year=2570, value="มาก")
    assert caught.value.code == "gov_bad_number"
    PL.set_target(actor=None, indicator=ind, year=2569, value="")
    assert not ind.targets.exists()


def test_projects_concern_only_the_units_transferred_to_the_pao(gov):
    world = gov.world
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2023, 10, 1))
    plan = make_plan(gov)
    assert list(PL.own_units(plan)) == [world.shph_a]
    assert PL.transfer_dates([world.shph_a]) == {world.shph_a.pk: date(2023, 10, 1)}
    project = PL.add_project(actor=None, plan=plan, title="พัฒนา รพ.สต. ที่ถ่ายโอน", owner="กองสาธารณสุข อบจ.",
                             units=[world.shph_a])
    assert list(project.units.all()) == [world.shph_a]
    with pytest.raises(DomainError) as caught:
        PL.add_project(actor=None, plan=plan, title="x", owner="y", units=[world.shph_b])
    assert caught.value.code == "gov_unit_not_transferred"


def test_budgets_are_exact_to_the_satang_and_sum_per_year(gov):
    plan = make_plan(gov)
    project = PL.add_project(actor=None, plan=plan, title="คัดกรองเบาหวาน", owner="อบจ.")
    PL.set_budget(actor=None, project=project, year=2569, source="งบ อบจ.", amount="1,250,000.50")
    PL.set_budget(actor=None, project=project, year=2569, source="กปท.", amount="49999.50")
    PL.set_budget(actor=None, project=project, year=2570, source="งบ อบจ.", amount="1300000")
    assert PL.budget_by_year(plan) == {2568: Decimal("0.00"), 2569: Decimal("1300000.00"),
                                       2570: Decimal("1300000.00"), 2571: Decimal("0.00")}
    for bad in ("10.005", "-1", "ไม่ทราบ"):
        with pytest.raises(DomainError) as caught:
            PL.set_budget(actor=None, project=project, year=2569, source="งบ อบจ.", amount=bad)
        assert caught.value.code == "gov_bad_money"


def test_an_indicator_linked_to_a_kpi_fills_its_actual_from_the_store(gov):
    from openuhc.monitoring import facts, services

    services.refresh(months=facts.months_between(FY, date(2026, 3, 31)))
    plan = make_plan(gov)
    linked = indicator(plan, kpi_code="coverage_rate")
    typed = PL.add_indicator(actor=None, goal=linked.goal, name="รพ.สต. ผ่านเกณฑ์มาตรฐาน", unit="แห่ง")
    PL.set_target(actor=None, indicator=linked, year=FY, value="99")
    # before any round, the KPI is read for the plan's province now
    row = next(r for r in PL.indicator_table(plan) if r.indicator == linked)
    cell = next(c for c in row.cells if c.year == FY)
    assert (cell.actual, cell.source, cell.met(linked.direction)) == (Decimal("100.00"), "live", True)
    round_ = PL.record_round(actor=None, plan=plan, year=FY, as_of=date(2026, 3, 31),
                             values={linked.pk: "12", typed.pk: "7"}, notes={typed.pk: "ตรวจประเมินแล้ว"})
    actuals = {a.indicator_id: (a.value, a.source) for a in round_.actuals.all()}
    # the KPI wins over a typed value; the other indicator keeps what was typed
    assert actuals == {linked.pk: (Decimal("100.00"), "kpi"), typed.pk: (Decimal("7"), "entered")}


def test_rounds_are_dated_in_their_year_and_never_changed(gov):
    plan = make_plan(gov)
    indicator(plan)
    with pytest.raises(DomainError) as caught:
        PL.record_round(actor=None, plan=plan, year=2569, as_of=date(2026, 10, 1))
    assert caught.value.code == "gov_round_date"
    first = PL.record_round(actor=None, plan=plan, year=2569, as_of=date(2026, 3, 31))
    second = PL.record_round(actor=None, plan=plan, year=2569, as_of=date(2026, 9, 30), note="สิ้นปี")
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(AppendOnlyError):
        MonitoringRound.objects.filter(pk=first.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        IndicatorActual.objects.filter(round=first).delete()


def test_a_plan_is_adopted_once_by_a_resolution_of_its_area(gov):
    plan = make_plan(gov)
    meeting = gov.meeting(held_on=today() - timedelta(days=3))
    resolution = B.add_resolution(actor=None, meeting=meeting, text="เห็นชอบแผนยุทธศาสตร์")
    PL.adopt_plan(actor=None, plan=plan, resolution=resolution)
    plan.refresh_from_db()
    assert (plan.status, plan.adopted_on, plan.adopted_by) == (StrategicPlan.Status.ADOPTED, meeting.held_on,
                                                               resolution)
    with pytest.raises(DomainError) as caught:
        PL.adopt_plan(actor=None, plan=plan, resolution=resolution)
    assert caught.value.code == "gov_plan_adopted"
    elsewhere = PL.create_plan(actor=None, title_th="แผนพิษณุโลก", first_year=2569, last_year=2572,
                               local_government=gov.other_pao)
    with pytest.raises(DomainError) as caught:
        PL.adopt_plan(actor=None, plan=elsewhere, resolution=resolution)
    assert caught.value.code == "gov_resolution_other_area"
