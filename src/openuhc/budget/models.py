"""Versioned fiscal-year payment configuration (การตั้งค่างบประมาณรายปี): versions are added, never edited."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.budget.config import YearConfig, parse
from openuhc.core.models_base import AppendOnly


class BudgetVersion(AppendOnly):
    """One version of a scheme's configuration for a fiscal year, in force from `valid_from`.

    The version in force on a date is the newest `valid_from` on or before it within that date's fiscal year
    (ties: the higher number). A change is a new version; old versions stay as they were, so a run can always
    show the exact numbers it used.
    """

    scheme = models.ForeignKey("registry.Scheme", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("in force from"))
    per_capita = models.DecimalField(_("per-capita amount"), max_digits=16, decimal_places=2)
    ip_base_rate = models.DecimalField(_("inpatient base rate per AdjRW"), max_digits=16, decimal_places=2)
    data = models.JSONField(_("configuration"))
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["scheme", "fiscal_year", "number"]
        constraints = [
            # Two people saving at once both compute "last + 1": the database lets only one of them have it.
            models.UniqueConstraint(fields=["scheme", "fiscal_year", "number"], name="budget_one_version_number"),
        ]
        indexes = [models.Index(fields=["scheme", "fiscal_year", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.scheme_id} FY{self.fiscal_year} v{self.number}"

    @cached_property
    def config(self) -> YearConfig:
        return parse(self.data)


class Scenario(models.Model):
    """A saved what-if design of a year's per-capita budget: its inputs and what they give.

    Saved scenarios are never edited: changing one saves a new scenario that names the one it started from."""

    name = models.CharField(_("name"), max_length=200)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"))
    inputs = models.JSONField(_("inputs"))
    per_capita = models.DecimalField(_("per capita (baht)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total budget (baht)"), max_digits=18, decimal_places=2)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="variants")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (FY{self.fiscal_year})"
