"""Local health strategic plans: their tree (strategies, goals, indicators, targets), projects with budgets and
units, adoption by a body's resolution, and monitoring rounds whose actuals fill themselves from the monitoring
KPIs where an indicator points at one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from openuhc.core import committees, params
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, today
from openuhc.core.errors import DomainError
from openuhc.core.money import baht
from openuhc.geo.models import LocalGovernment
from openuhc.governance import params as P
from openuhc.governance.bodies import check_pao, text_required
from openuhc.governance.errors import GovError
from openuhc.governance.models import (
    Goal,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    MonitoringRound,
    PlanProject,
    ProjectBudget,
    Resolution,
    StrategicPlan,
    Strategy,
)
from openuhc.providers.models import HealthUnit, Ownership


def number(value: Any, what: str, what_th: str) -> Decimal | None:
    """A figure typed by a person ("1,234.5"), or None when empty."""
    if value is None or str(value).strip() == "":
        return None
    try:
        result = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(GovError.BAD_NUMBER, what=what, what_th=what_th, value=value) from None
    if not result.is_finite():
        raise DomainError(GovError.BAD_NUMBER, what=what, what_th=what_th, value=value)
    return result


def money(value: Any) -> Decimal:
    """Baht, not negative, exact to the satang (never rounded silently)."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(GovError.BAD_MONEY, value=value) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(GovError.BAD_MONEY, value=value)
    return baht(amount)


def _check_year(plan: StrategicPlan, year: int) -> None:
    if not plan.first_year <= year <= plan.last_year:
        raise DomainError(GovError.YEAR_OUTSIDE_PLAN, year=year, first=plan.first_year, last=plan.last_year)


# --- the plan and its tree ----------------------------------------------------------------------------------
@transaction.atomic
def create_plan(*, actor: Any, title_th: str, first_year: int, last_year: int,
                local_government: LocalGovernment | None = None, province: Any = None, region: Any = None,
                title_en: str = "", summary: str = "") -> StrategicPlan:
    """A plan of a PAO (its province) or of an area (a province or a health region) for a period of years."""
    most = params.get(P.PLAN_MAX_YEARS.key, on=today())
    if not (2400 < first_year <= last_year < 2800 and last_year - first_year < most):
        raise DomainError(GovError.PLAN_PERIOD, first=first_year, last=last_year, most=most)
    if local_government is not None:
        check_pao(local_government)
        province, region = local_government.province, None
    if province is None and region is None:
        raise DomainError(GovError.PLAN_AREA)
    try:
        with transaction.atomic():
            return StrategicPlan.objects.create(
                title_th=text_required(title_th, "title", "ชื่อแผน"), title_en=title_en.strip(),
                local_government=local_government, province=province, region=None if province else region,
                first_year=first_year, last_year=last_year, summary=summary.strip(), created_by=actor)
    except IntegrityError:
        raise DomainError(GovError.PLAN_EXISTS, owner=local_government.name if local_government else "",
                          year=first_year) from None


def _next(rows: QuerySet) -> int:
    return committees.next_number(rows)


@transaction.atomic
def add_strategy(*, actor: Any, plan: StrategicPlan, title: str) -> Strategy:
    StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    return Strategy.objects.create(plan=plan, number=_next(plan.strategies.all()),
                                   title=text_required(title, "strategy", "ยุทธศาสตร์"))


@transaction.atomic
def add_goal(*, actor: Any, strategy: Strategy, title: str) -> Goal:
    StrategicPlan.objects.select_for_update().get(pk=strategy.plan_id)
    return Goal.objects.create(strategy=strategy, number=_next(strategy.goals.all()),
                               title=text_required(title, "goal", "เป้าประสงค์"))


def check_kpi(code: str) -> str:
    from openuhc.monitoring.kpis import KPIS

    code = (code or "").strip()
    if code and code not in KPIS:
        raise DomainError(GovError.UNKNOWN_KPI, code=code)
    return code


@transaction.atomic
def add_indicator(*, actor: Any, goal: Goal, name: str, unit: str = "", direction: str = Indicator.Direction.UP,
                  kpi_code: str = "", baseline: Any = None, baseline_year: int | None = None) -> Indicator:
    """An indicator; with a monitoring KPI code its actual value is read from the analytics store."""
    StrategicPlan.objects.select_for_update().get(pk=goal.strategy.plan_id)
    return Indicator.objects.create(
        goal=goal, number=_next(goal.indicators.all()), name=text_required(name, "indicator", "ตัวชี้วัด"),
        unit=unit.strip(), direction=direction, kpi_code=check_kpi(kpi_code),
        baseline=number(baseline, "The baseline", "ค่าฐาน"), baseline_year=baseline_year)


@transaction.atomic
def set_target(*, actor: Any, indicator: Indicator, year: int, value: Any) -> IndicatorTarget | None:
    """The target of a fiscal year; an empty value removes it."""
    plan = indicator.goal.strategy.plan
    _check_year(plan, year)
    figure = number(value, "The target", "ค่าเป้าหมาย")
    if figure is None:
        IndicatorTarget.objects.filter(indicator=indicator, year=year).delete()
        return None
    target, _created = IndicatorTarget.objects.update_or_create(indicator=indicator, year=year,
                                                                defaults={"value": figure})
    return target


# --- projects ----------------------------------------------------------------------------------------------
def own_units(plan: StrategicPlan) -> QuerySet:
    """The units a plan's projects may concern: a PAO's own units (those transferred to it, as the provider
    ownership history keeps the current owner), or the units of an area plan's area."""
    units = HealthUnit.objects.filter(is_active=True)
    if plan.local_government_id:
        return units.filter(owner__local_government=plan.local_government_id)
    if plan.province_id:
        return units.filter(subdistrict__district__province=plan.province_id)
    return units.filter(subdistrict__district__province__region=plan.region_id)


def transfer_dates(units: Iterable[HealthUnit]) -> dict[int, date]:
    """The day each unit came to its current owner (from the ownership history)."""
    found: dict[int, date] = {}
    for unit_id, valid_from in Ownership.objects.filter(unit__in=list(units)).order_by(
            "unit", "valid_from", "id").values_list("unit", "valid_from"):
        found[unit_id] = valid_from  # the latest entry wins
    return found


def _check_units(plan: StrategicPlan, units: Iterable[HealthUnit]) -> list[HealthUnit]:
    units = list(units)
    allowed = set(own_units(plan).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
    for unit in units:
        if unit.pk not in allowed:
            if plan.local_government_id:
                raise DomainError(GovError.UNIT_NOT_TRANSFERRED, unit=str(unit), owner=plan.local_government.name)
            raise DomainError(GovError.UNIT_OUTSIDE_AREA, unit=str(unit))
    return units


@transaction.atomic
def add_project(*, actor: Any, plan: StrategicPlan, title: str, owner: str, goal: Goal | None = None,
                description: str = "", units: Iterable[HealthUnit] = ()) -> PlanProject:
    StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    if goal is not None and goal.strategy.plan_id != plan.pk:
        raise DomainError(GovError.OTHER_PLAN)
    chosen = _check_units(plan, units)
    project = PlanProject.objects.create(plan=plan, goal=goal, number=_next(plan.projects.all()),
                                         title=text_required(title, "project", "โครงการ"),
                                         owner=text_required(owner, "owner", "ผู้รับผิดชอบ"),
                                         description=description.strip())
    project.units.set(chosen)
    return project


@transaction.atomic
def set_units(*, actor: Any, project: PlanProject, units: Iterable[HealthUnit]) -> PlanProject:
    project.units.set(_check_units(project.plan, units))
    return project


@transaction.atomic
def set_budget(*, actor: Any, project: PlanProject, year: int, source: str, amount: Any) -> ProjectBudget:
    """The money planned for a project in a year from one source (replaces what was planned before)."""
    _check_year(project.plan, year)
    row, _created = ProjectBudget.objects.update_or_create(
        project=project, year=year, source=text_required(source, "budget source", "แหล่งงบประมาณ"),
        defaults={"amount": money(amount)})
    return row


@transaction.atomic
def adopt_plan(*, actor: Any, plan: StrategicPlan, resolution: Resolution) -> StrategicPlan:
    """The plan adopted by a resolution of a body of its area (once)."""
    body = resolution.body
    same_area = (body.province_id == plan.province_id if plan.province_id else
                 body.region_id == plan.region_id or (body.province_id and body.province.region_id == plan.region_id))
    if not same_area:
        raise DomainError(GovError.RESOLUTION_OTHER_AREA)
    on = resolution.meeting.held_on
    changed = StrategicPlan.objects.filter(pk=plan.pk, status=StrategicPlan.Status.DRAFT).update(
        status=StrategicPlan.Status.ADOPTED, adopted_by=resolution, adopted_on=on)
    if changed != 1:
        raise DomainError(GovError.PLAN_ADOPTED)
    plan.status, plan.adopted_by, plan.adopted_on = StrategicPlan.Status.ADOPTED, resolution, on
    return plan


# --- actuals -----------------------------------------------------------------------------------------------
def area_filters(plan: StrategicPlan, year: int) -> Any:
    from openuhc.monitoring.kpis import Filters

    if plan.province_id:
        return Filters(fy=year, province=plan.province.code)
    return Filters(fy=year, region=str(plan.region.number))


def kpi_value(indicator: Indicator, year: int, plan: StrategicPlan | None = None) -> Decimal | None:
    """The monitoring KPI's value for the plan's area and the fiscal year, or None when the store has none."""
    from openuhc.monitoring.kpis import KPIS

    kpi = KPIS.get(indicator.kpi_code)
    if kpi is None:
        return None
    rows = kpi.compute(area_filters(plan or indicator.goal.strategy.plan, year), "all")
    return rows[0].value if rows else None


@transaction.atomic
def record_round(*, actor: Any, plan: StrategicPlan, year: int, as_of: date, values: dict[int, Any] | None = None,
                 notes: dict[int, str] | None = None, note: str = "") -> MonitoringRound:
    """A monitoring round: every indicator's actual as of a day of the year. Indicators linked to a KPI take the
    KPI's value (a typed value is used only when the store has none); the others take what was typed."""
    _check_year(plan, year)
    start, end = fiscal_year_bounds(year)
    if not start <= as_of <= min(end, today()):
        raise DomainError(GovError.ROUND_DATE, year=year)
    values, notes = values or {}, notes or {}
    StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    round_ = MonitoringRound.objects.create(plan=plan, year=year, number=_next(plan.rounds.filter(year=year)),
                                            as_of=as_of, note=note.strip(), created_by=actor)
    actuals = []
    for indicator in Indicator.objects.filter(goal__strategy__plan=plan):
        typed = number(values.get(indicator.pk), "The actual", "ค่าผลงาน")
        value, source = typed, IndicatorActual.Source.ENTERED
        if indicator.kpi_code:
            read = kpi_value(indicator, year, plan)
            if read is not None:
                value, source = read, IndicatorActual.Source.KPI
        actuals.append(IndicatorActual(round=round_, indicator=indicator, value=value, source=source,
                                       note=(notes.get(indicator.pk) or "").strip()[:500]))
    IndicatorActual.objects.bulk_create(actuals)
    return round_


@dataclass
class YearCell:
    year: int
    target: Decimal | None = None
    actual: Decimal | None = None
    source: str = ""  # kpi, entered, live (read from the KPI now, no round yet)

    def met(self, direction: str) -> bool | None:
        if self.target is None or self.actual is None:
            return None
        return self.actual >= self.target if direction == Indicator.Direction.UP else self.actual <= self.target


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[YearCell] = field(default_factory=list)

    @property
    def latest(self) -> YearCell | None:
        with_actual = [c for c in self.cells if c.actual is not None]
        return with_actual[-1] if with_actual else None


def indicator_table(plan: StrategicPlan) -> list[IndicatorRow]:
    """Each indicator with its target and actual per fiscal year of the plan: the actual of the year's latest
    round, or — for an indicator linked to a KPI, in a year not yet closed by a round — the KPI read now."""
    indicators = list(Indicator.objects.filter(goal__strategy__plan=plan).select_related("goal__strategy")
                      .order_by("goal__strategy__number", "goal__number", "number"))
    targets = {(t.indicator_id, t.year): t.value for t in IndicatorTarget.objects.filter(indicator__in=indicators)}
    latest_round: dict[int, int] = {}
    for round_ in MonitoringRound.objects.filter(plan=plan).order_by("year", "number"):
        latest_round[round_.year] = round_.pk
    actuals = {(a.indicator_id, a.round_id): a for a in IndicatorActual.objects.filter(
        round__in=list(latest_round.values()))}
    this_year = fiscal_year(today())
    rows = []
    for indicator in indicators:
        row = IndicatorRow(indicator)
        for year in plan.years:
            cell = YearCell(year, targets.get((indicator.pk, year)))
            actual = actuals.get((indicator.pk, latest_round.get(year)))
            if actual is not None and actual.value is not None:
                cell.actual, cell.source = actual.value, actual.source
            elif indicator.kpi_code and year <= this_year:
                cell.actual = kpi_value(indicator, year, plan)
                cell.source = "live" if cell.actual is not None else ""
            row.cells.append(cell)
        rows.append(row)
    return rows


def budget_by_year(plan: StrategicPlan) -> dict[int, Decimal]:
    totals = {year: Decimal("0.00") for year in plan.years}
    for year, amount in ProjectBudget.objects.filter(project__plan=plan).values_list("year", "amount"):
        totals[year] = totals.get(year, Decimal("0.00")) + amount
    return totals
