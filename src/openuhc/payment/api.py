"""Payment API: rounds a caller may see, a unit's statement of a round or of a month (same scope rules as the
pages)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.core.api import id_param
from openuhc.core.query import month_param
from openuhc.payment import statements as services
from openuhc.payment.models import PaymentRun
from openuhc.payment.navitems import PAYMENT_ROLES

router = Router(tags=["payment"])


class RunOut(Schema):
    id: int
    scheme: str
    region: int
    period: str
    fiscal_year: int
    number: int
    cutoff: str | None
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
            "fiscal_year": run.fiscal_year, "number": run.number,
            "cutoff": run.cutoff.isoformat() if run.cutoff else None, "kind": run.kind, "status": run.status,
            "units": run.units, "population": run.population,
            "claims": run.claims, "gross": str(run.gross), "deductions": str(run.deductions), "net": str(run.net),
            "checksum": run.checksum}


@router.get("runs", response=list[RunOut], summary="Payment rounds the caller may see")
def runs(request: HttpRequest, period: str | None = Query(None, description="a month, YYYY-MM"),
         kind: PaymentRun.Kind | None = None) -> list[dict]:
    scope = api_scope(request, *PAYMENT_ROLES)
    found = services.runs_for(scope).order_by("-period", "region__number", "kind", "-number", "id")
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


class ClaimLineOut(Schema):
    claim: int
    claim_type: str
    is_adjustment: bool
    gross: str
    rti_deduction: str
    salary_deduction: str
    net: str
    detail: dict


class RoundStatementOut(Schema):
    unit: str
    run: RunOut
    net: str
    lines: list[LineOut]
    claims: list[ClaimLineOut]
    capitation: list[dict]


@router.get("runs/{run_id}/statements/{code}", response=RoundStatementOut, summary="A unit's statement of a round")
def round_statement(request: HttpRequest, code: str, run_id: int = id_param()) -> dict:
    from openuhc.providers.models import HealthUnit

    scope = api_scope(request, *PAYMENT_ROLES)
    run = services.runs_for(scope).filter(pk=run_id).first()
    unit = get_object_or_404(HealthUnit.objects.select_related("subdistrict__district__province"), code=code)
    if run is None or not services.may_see_statement(scope, unit):
        raise PermissionDenied
    data = services.round_statement(unit=unit, run=run)
    return {"unit": unit.code, "run": _run_out(run), "net": str(data["totals"]["net"]),
            "lines": [{"run": p.run_id, "kind": p.run.kind, "population": p.population, "claims": p.claims,
                       "gross": str(p.gross), "rti_deduction": str(p.rti_deduction),
                       "salary_deduction": str(p.salary_deduction), "net": str(p.net)} for p in data["payments"]],
            "claims": [{"claim": c.claim_id, "claim_type": c.claim_type, "is_adjustment": c.is_adjustment,
                        "gross": str(c.gross), "rti_deduction": str(c.rti_deduction),
                        "salary_deduction": str(c.salary_deduction), "net": str(c.net), "detail": c.detail}
                       for c in data["claims"]],
            "capitation": [{"run": c.run_id, "age_group": c.age_group, "population": c.population,
                            "weight": str(c.weight), "amount": str(c.amount)} for c in data["capitation"]]}
