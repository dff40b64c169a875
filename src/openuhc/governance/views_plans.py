"""Staff pages of local health strategic plans: the list, a new plan, a plan with its tree, projects, budgets,
adoption and monitoring rounds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.dates import fiscal_year, today
from openuhc.governance import forms as F
from openuhc.governance import plans as PL
from openuhc.governance import scope as S
from openuhc.governance.charts import indicator_charts
from openuhc.governance.models import Goal, Indicator, Resolution, StrategicPlan
from openuhc.governance.views_common import run_form


@role_required(*S.VIEW_ROLES)
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    return render(request, "governance/plans.html", {
        "plans": S.plans(scope).select_related("local_government", "province", "region"),
        "can_create": scope.role in (Role.PAO, Role.SECRETARIAT)})


@role_required(Role.PAO, Role.SECRETARIAT)
def plan_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = F.PlanForm(request.POST or None)
    if request.method == "POST":
        if scope.role == Role.PAO:
            owner: dict[str, Any] = {"local_government": scope.local_government}
        else:
            owner = {"province": scope.secretariat.province, "region": scope.secretariat.region}
        plan = run_form(request, form, lambda d: PL.create_plan(actor=request.user, **owner, **d),
                        _("Plan recorded."))
        if plan:
            return redirect("governance:plan", pk=plan.pk)
    return render(request, "governance/plan_new.html", {"form": form})


def _plan(request: HttpRequest, pk: int) -> StrategicPlan:
    plan = get_object_or_404(StrategicPlan.objects.select_related("local_government", "province", "region",
                                                                  "adopted_by__body"), pk=pk)
    if not S.plans(request.scope).filter(pk=plan.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    return plan


def area_resolutions(plan: StrategicPlan) -> Any:
    """Resolutions of bodies of the plan's area: what may adopt it."""
    area = Q(body__province=plan.province_id) if plan.province_id else (
        Q(body__region=plan.region_id) | Q(body__province__region=plan.region_id))
    return Resolution.objects.filter(area).select_related("body").order_by("-year", "-number")


@role_required(*S.VIEW_ROLES)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    can_edit = S.can_edit_plan(request.scope, plan)  # type: ignore[attr-defined]
    units = PL.own_units(plan).select_related("unit_type").order_by("code")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        _plan_action(request, plan, units)
        return redirect("governance:plan", pk=plan.pk)
    strategies = plan.strategies.prefetch_related(Prefetch("goals", Goal.objects.prefetch_related(
        "indicators__targets")))
    projects = plan.projects.select_related("goal__strategy").prefetch_related("units", "budgets")
    forms: dict[str, Any] = {}
    if can_edit:
        forms = {"strategy": F.StrategyForm(), "goal": F.GoalForm(plan=plan), "indicator": F.IndicatorForm(plan=plan),
                 "target": F.TargetForm(plan=plan), "project": F.ProjectForm(plan=plan, units=units),
                 "budget": F.BudgetForm(plan=plan)}
        if plan.status == StrategicPlan.Status.DRAFT:
            forms["adopt"] = F.AdoptPlanForm(resolutions=area_resolutions(plan))
    table = PL.indicator_table(plan)
    transferred = PL.transfer_dates(units)
    return render(request, "governance/plan.html", {
        "plan": plan, "strategies": strategies, "projects": projects, "table": table, "forms": forms,
        "can_edit": can_edit, "units": [(u, transferred.get(u.pk)) for u in units], "charts": indicator_charts(table),
        "budgets": PL.budget_by_year(plan), "rounds": plan.rounds.order_by("-year", "-number"),
    })


def _plan_action(request: HttpRequest, plan: StrategicPlan, units: Any) -> None:
    kind = request.POST.get("form")
    user = request.user
    actions = {
        "strategy": (F.StrategyForm(request.POST), lambda d: PL.add_strategy(actor=user, plan=plan, **d),
                     _("Strategy added.")),
        "goal": (F.GoalForm(request.POST, plan=plan), lambda d: PL.add_goal(actor=user, **d), _("Goal added.")),
        "indicator": (F.IndicatorForm(request.POST, plan=plan), lambda d: PL.add_indicator(actor=user, **d),
                      _("Indicator added.")),
        "target": (F.TargetForm(request.POST, plan=plan), lambda d: PL.set_target(actor=user, **d),
                   _("Target saved.")),
        "project": (F.ProjectForm(request.POST, plan=plan, units=units),
                    lambda d: PL.add_project(actor=user, plan=plan, **d), _("Project added.")),
        "budget": (F.BudgetForm(request.POST, plan=plan), lambda d: PL.set_budget(actor=user, **d),
                   _("Budget saved.")),
        "adopt": (F.AdoptPlanForm(request.POST, resolutions=area_resolutions(plan)),
                  lambda d: PL.adopt_plan(actor=user, plan=plan, resolution=d["resolution"]), _("Plan adopted.")),
    }
    if kind not in actions:
        raise PermissionDenied
    run_form(request, *actions[kind])


@role_required(*S.VIEW_ROLES)
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not S.can_edit_plan(request.scope, plan):  # type: ignore[attr-defined]
        raise PermissionDenied
    indicators = list(Indicator.objects.filter(goal__strategy__plan=plan).select_related("goal__strategy").order_by(
        "goal__strategy__number", "goal__number", "number"))
    year = min(max(fiscal_year(today()), plan.first_year), plan.last_year)
    form = F.RoundForm(request.POST or None, plan=plan, indicators=indicators,
                       initial={"year": year, "as_of": today()})
    if request.method == "POST":
        def record(d: dict[str, Any]) -> Any:
            return PL.record_round(actor=request.user, plan=plan, year=d["year"], as_of=d["as_of"], note=d["note"],
                                   values={i.pk: d[f"value_{i.pk}"] for i in indicators},
                                   notes={i.pk: d[f"note_{i.pk}"] for i in indicators})

        if run_form(request, form, record, _("Monitoring round recorded.")):
            return redirect("governance:plan", pk=plan.pk)
    return render(request, "governance/round_new.html", {"plan": plan, "form": form})

