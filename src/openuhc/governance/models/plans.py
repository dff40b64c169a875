"""Local health strategic plans: strategies → goals → indicators (targets per fiscal year, actuals per monitoring
round, or read from a monitoring KPI) and projects with an owner, a budget per year and the units concerned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import LocalGovernment
from openuhc.governance.models.bodies import Area, Resolution, Titled, one_area
from openuhc.providers.models import HealthUnit

MONEY = {"max_digits": 16, "decimal_places": 2}
FIGURE = {"max_digits": 18, "decimal_places": 4}


class StrategicPlan(Titled, Area):
    """A local health strategic plan of a PAO (or of an area) for a period of fiscal years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    local_government = models.ForeignKey(LocalGovernment, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("local government"))
    first_year = models.PositiveSmallIntegerField(_("first fiscal year (BE)"))
    last_year = models.PositiveSmallIntegerField(_("last fiscal year (BE)"))
    summary = models.TextField(_("summary"), blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_by = models.ForeignKey(Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("adopted by resolution"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-first_year", "id"]
        constraints = [
            one_area("governance_plan_one_area"),
            models.CheckConstraint(condition=models.Q(province__isnull=False) | models.Q(region__isnull=False),
                                   name="governance_plan_has_area"),
            models.CheckConstraint(condition=models.Q(last_year__gte=models.F("first_year")),
                                   name="governance_plan_period_ordered"),
            # One plan per PAO for a period that starts in a given year.
            models.UniqueConstraint(fields=["local_government", "first_year"],
                                    condition=models.Q(local_government__isnull=False),
                                    name="governance_one_plan_per_lg_and_start"),
        ]

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def __str__(self) -> str:
        return f"{self.title} {self.first_year}–{self.last_year}"


class Strategy(models.Model):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="strategies")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("strategy"), max_length=500)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="governance_one_strategy_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Goal(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("goal"), max_length=500)

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="governance_one_goal_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.strategy.number}.{self.number}"


class Indicator(models.Model):
    """An indicator of a goal, with a baseline and a target per fiscal year. With `kpi_code` its actual value is
    the monitoring KPI of that code for the plan's area and the year."""

    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("indicator"), max_length=500)
    unit = models.CharField(_("unit of measure"), max_length=100, blank=True, default="")
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, default=Direction.UP)
    kpi_code = models.CharField(_("monitoring KPI"), max_length=60, blank=True, default="")
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **FIGURE)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year (BE)"), null=True, blank=True)

    class Meta:
        ordering = ["goal", "number"]
        constraints = [models.UniqueConstraint(fields=["goal", "number"], name="governance_one_indicator_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        return f"{self.goal.reference}.{self.number}"


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    value = models.DecimalField(_("target"), **FIGURE)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="governance_one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class PlanProject(models.Model):
    """A project of the plan: owner, budget per year, the units it concerns."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="projects")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects",
                             verbose_name=_("goal"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("project"), max_length=500)
    owner = models.CharField(_("responsible organisation"), max_length=300)
    description = models.TextField(_("description"), blank=True, default="")
    units = models.ManyToManyField(HealthUnit, blank=True, related_name="+", verbose_name=_("units concerned"))

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="governance_one_project_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProjectBudget(models.Model):
    """Money for a project in a fiscal year from one source (PAO budget, national fund, local fund, ...)."""

    project = models.ForeignKey(PlanProject, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    source = models.CharField(_("budget source"), max_length=200)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        ordering = ["project", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "source"], name="governance_one_budget_per_source"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="governance_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source}: {self.amount}"


class MonitoringRound(AppendOnly):
    """A monitoring round (รอบติดตาม) of a plan in a fiscal year: the indicators' actuals as of a date.
    Never changed: a correction is a later round."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveSmallIntegerField(_("round"))
    as_of = models.DateField(_("as of"))
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["plan", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "year", "number"], name="governance_one_round_number")]

    def __str__(self) -> str:
        return _("Round %(number)s of FY%(year)s") % {"number": self.number, "year": self.year}


class IndicatorActual(AppendOnly):
    class Source(models.TextChoices):
        KPI = "kpi", _("monitoring KPI")
        ENTERED = "entered", _("entered")

    round = models.ForeignKey(MonitoringRound, on_delete=models.PROTECT, related_name="actuals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="actuals")
    value = models.DecimalField(_("actual"), null=True, blank=True, **FIGURE)
    source = models.CharField(_("where the figure comes from"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["round", "indicator"]
        constraints = [models.UniqueConstraint(fields=["round", "indicator"], name="governance_one_actual_per_round")]
