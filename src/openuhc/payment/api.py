"""Payment API: runs a caller may see and a unit's statement for a month (same scope rules as the pages)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.core.query import month_param
from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.payment.navitems import PAYMENT_ROLES

router = Router(tags=["payment"])


class RunOut(Schema):
    id: int
    scheme: str
    region: int
    period: str
    kind: str
    status: str
    units: int
    population: int
    claims: int
    gross: str
    deductions: str
    net: str
    checksum: str


def _run_out(run) -> dict:  # noqa: ANN001
    return {"id": run.pk, "scheme": run.scheme.code, "region": run.region.number, "period": run.period.isoformat(),
            "kind": run.kind, "status": run.status, "units": run.units, "population": run.population,
            "claims": run.claims, "gross": str(run.gross), "deductions": str(run.deductions), "net": str(run.net),
            "checksum": run.checksum}


@router.get("runs", response=list[RunOut], summary="Payment runs the caller may see")
def runs(request: HttpRequest, period: str | None = Query(None, description="a month, YYYY-MM"),
         kind: PaymentRun.Kind | None = None) -> list[dict]:
    scope = api_scope(request, *PAYMENT_ROLES)
    found = services.runs_for(scope).order_by("-period", "region__number", "kind", "id")
    if period:
        found = found.filter(period=month_param({"period": period[:7]}, "period"))
    if kind:
        found = found.filter(kind=kind)
    return [_run_out(run) for run in found[:500]]


class LineOut(Schema):
    run: int
    kind: str
    population: int
    claims: int
    gross: str
    rti_deduction: str
    salary_deduction: str
    net: str


class StatementOut(Schema):
    unit: str
    period: str
    net: str
    lines: list[LineOut]
    capitation: list[dict]


@router.get("statements/{code}/{month}", response=StatementOut, summary="A unit's published payments for a month")
def statement(request: HttpRequest, code: str, month: str) -> dict:
    from openuhc.providers.models import HealthUnit

    scope = api_scope(request, *PAYMENT_ROLES)
    unit = get_object_or_404(HealthUnit.objects.select_related("subdistrict__district__province"), code=code)
    if not services.may_see_statement(scope, unit):
        raise PermissionDenied
    try:
        period = date.fromisoformat(f"{month[:7]}-01")
    except ValueError:
        raise Http404 from None
    data = services.statement(unit=unit, period=period)
    return {"unit": unit.code, "period": period.isoformat(), "net": str(data["totals"]["net"]),
            "lines": [{"run": p.run_id, "kind": p.run.kind, "population": p.population, "claims": p.claims,
                       "gross": str(p.gross), "rti_deduction": str(p.rti_deduction),
                       "salary_deduction": str(p.salary_deduction), "net": str(p.net)} for p in data["payments"]],
            "capitation": [{"run": c.run_id, "age_group": c.age_group, "population": c.population,
                            "weight": str(c.weight), "amount": str(c.amount)} for c in data["capitation"]]}
