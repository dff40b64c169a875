"""Statements (รายงานการจ่ายเงิน): what a unit receives from one round, or from every round filed under a month,
and who may read them. The pages, the API and `openuhc payment statement` read them from here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import Scope
from openuhc.core.dates import format_date
from openuhc.payment.models import CapitationLine, ClaimPayment, PaymentRun, UnitPayment

Status = PaymentRun.Status
Kind = PaymentRun.Kind


def runs_for(scope: Scope) -> Any:
    """The rounds a user may see: every region for national officers and analysts, their region for regional
    officers, published rounds paying their units for hospital staff."""
    runs = PaymentRun.objects.select_related("scheme", "region")
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return runs
    if scope.role == Role.REGIONAL and scope.region is not None:
        return runs.filter(region=scope.region)
    if scope.role == Role.HOSPITAL:
        return runs.filter(status=Status.PUBLISHED, unit_payments__unit__in=scope.hospital_unit_ids).distinct()
    return runs.none()


def may_see_statement(scope: Scope, unit: Any) -> bool:
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return True
    if scope.role == Role.REGIONAL:
        return scope.region is not None and unit.subdistrict.district.province.region_id == scope.region.pk
    if scope.role == Role.HOSPITAL:
        return unit.pk in scope.hospital_unit_ids
    return False


def _body(unit: Any, payments: list[UnitPayment]) -> dict[str, Any]:
    run_ids = [p.run_id for p in payments]
    capitation = list(CapitationLine.objects.filter(unit=unit, run_id__in=run_ids).order_by("run_id", "min_age"))
    # a queryset, not a list: the page shows one page of it, the downloads every line
    claims = ClaimPayment.objects.filter(unit=unit, run_id__in=run_ids).order_by("run_id", "claim_id", "id")
    totals = {key: sum((getattr(p, key) for p in payments), Decimal(0))
              for key in ("gross", "rti_deduction", "salary_deduction", "net")}
    return {"unit": unit, "payments": payments, "capitation": capitation, "claims": claims, "totals": totals,
            "population": sum(p.population for p in payments if p.run.kind == Kind.CAPITATION)}


def statement(*, unit: Any, period: date, published_only: bool = True) -> dict[str, Any]:
    """Everything a unit received from the rounds filed under a month: per round its total, capitation lines and
    claim lines."""
    payments = UnitPayment.objects.filter(unit=unit, run__period=period).select_related("run", "run__scheme").order_by(
        "run__kind", "run_id")
    if published_only:
        payments = payments.filter(run__status=Status.PUBLISHED)
    return {**_body(unit, list(payments)), "period": period, "period_label": format_date(period)}


def round_statement(*, unit: Any, run: PaymentRun) -> dict[str, Any]:
    """What a unit receives from one round (its statement of that round)."""
    payments = list(UnitPayment.objects.filter(unit=unit, run=run).select_related("run", "run__scheme"))
    return {**_body(unit, payments), "run": run, "period": run.period, "period_label": format_date(run.period)}


def claim_row(line: ClaimPayment) -> list[Any]:
    d = line.detail
    return [line.run_id, line.claim_id, d.get("drg", d.get("item", "")), d.get("rw", ""), d.get("adjrw", ""),
            d.get("adjrw2", ""), d.get("exact", ""), d.get("discharged", d.get("service_date", "")),
            d.get("received", ""), d.get("late_days", ""), d.get("late_percent", ""), d.get("rate", d.get("price", "")),
            line.gross, line.rti_deduction, line.salary_deduction, line.net, d.get("reasons", d.get("reason", ""))]


def claim_header() -> list[str]:
    return [_("round"), _("claim"), "DRG", "RW", "AdjRW", "AdjRW2", _("exact"), _("discharged"),
            pgettext("date", "received"), _("days late"), _("late %"), _("rate"), _("amount"),
            _("road-traffic insurance"), _("salary deduction"), _("net"), _("reasons")]


def sheets(context: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """A statement as spreadsheet sheets: Summary, Capitation, Claims (first a notice when the inpatient lines were
    grouped with a demonstration table set)."""
    summary = [[p.run_id, p.run.label, p.run.get_kind_display(), p.run.get_status_display(), p.population, p.claims,
                p.gross, p.rti_deduction, p.salary_deduction, p.net] for p in context["payments"]]
    totals = context["totals"]
    summary.append([_("Total"), "", "", "", context["population"], "", totals["gross"], totals["rti_deduction"],
                    totals["salary_deduction"], totals["net"]])
    capitation = [[c.run_id, c.age_group, c.min_age, c.max_age, c.population, c.weight, c.amount]
                  for c in context["capitation"]]
    notice = {_("Not official"): ([_("notice")], [[_("The inpatient lines of this statement were grouped with the "
                                                 "invented table set %(version)s: the amounts are a demonstration, "
                                                 "not a payment.") % {"version": context["demo_tables"]}]])} \
        if context.get("demo_tables") else {}
    return {
        **notice,
        _("Summary"): ([_("round"), _("name"), _("kind"), _("status"), _("population"), _("claims"), _("gross"),
                        _("road-traffic insurance"), _("salary deduction"), _("net")], summary),
        _("Capitation"): ([_("round"), _("age group"), _("from age"), _("to age"), _("population"), _("weight"),
                           _("amount")], capitation),
        _("Claims"): (claim_header(), [claim_row(c) for c in context["claims"]]),
    }
