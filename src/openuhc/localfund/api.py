"""JSON API of the local funds: a fund's year in figures and its projects (scoped like the pages)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.core.query import FY_HIGH, FY_LOW
from openuhc.localfund import reports, services
from openuhc.localfund.models import Fund, Project
from openuhc.localfund.views import VIEW_ROLES, funds_in_scope

router = Router(tags=["localfund"])


class AccountOut(Schema):
    account: str
    brought_forward: str
    receipts: str
    paid_to_projects: str
    refunds: str
    balance: str
    committed: str


class FundYearOut(Schema):
    code: str
    name_th: str
    year: int
    closed: bool
    accounts: list[AccountOut]
    cofunding_required: str
    cofunding_contributed: str
    cofunding_compliant: bool
    warnings: list[str]


def _fund(request: HttpRequest, code: str) -> Fund:
    scope = api_scope(request, *VIEW_ROLES)
    fund = get_object_or_404(Fund, code=code)
    if not funds_in_scope(scope).filter(pk=fund.pk).exists():
        raise PermissionDenied
    return fund


@router.get("{code}/years/{year}", response=FundYearOut, summary="A fund's fiscal year: balances per "
            "sub-account (the sum of ledger entries), co-funding compliance, warnings")
def fund_year(request: HttpRequest, code: str, year: int = Path(..., ge=FY_LOW, le=FY_HIGH)) -> dict:
    fund = _fund(request, code)
    s = reports.year_summary(fund, year)
    return {
        "code": fund.code, "name_th": fund.name_th, "year": year, "closed": s.is_closed,
        "accounts": [{"account": a.account, "brought_forward": str(a.carry_in), "receipts": str(a.total_receipts),
                      "paid_to_projects": str(a.disbursed), "refunds": str(a.refunds),
                      "balance": str(a.before_carry_out), "committed": str(a.committed)} for a in s.accounts.values()],
        "cofunding_required": str(s.cofunding.required), "cofunding_contributed": str(s.cofunding.contributed),
        "cofunding_compliant": s.cofunding.compliant, "warnings": s.warnings,
    }


class ProjectOut(Schema):
    reference: str
    title: str
    category: str
    status: str
    requested: str
    approved: str | None
    paid: str
    actual_spending: str | None


@router.get("{code}/projects", response=list[ProjectOut], summary="A fund's projects of a fiscal year")
def projects(request: HttpRequest, code: str, year: int = Query(..., ge=FY_LOW, le=FY_HIGH)) -> list[dict]:
    fund = _fund(request, code)
    rows = Project.objects.filter(fund=fund, year=year).order_by("number")
    paid = reports.paid_by_project(rows)
    return [{"reference": p.reference, "title": p.title, "category": p.category, "status": p.status,
             "requested": str(p.requested_amount), "approved": None if p.approved_amount is None else
             str(p.approved_amount), "paid": str(paid.get(p.pk, services.ZERO)),
             "actual_spending": None if p.actual_spending is None else str(p.actual_spending)} for p in rows]
