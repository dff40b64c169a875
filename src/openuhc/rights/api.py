"""JSON API of rights protection: cases as each caller may see them (the unit never learns who complained
without consent), and the aggregate figures."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.core.access import record_access
from openuhc.core.api import limit_param
from openuhc.registry.models import PersonAccess
from openuhc.rights import reports, services
from openuhc.rights.models import Case

router = Router(tags=["rights"])


class CaseOut(Schema):
    number: str
    kind: str
    channel: str
    status: str
    category: str
    unit: str | None
    subject: str
    received_at: datetime
    acknowledge_by: datetime
    outcome_by: datetime
    closed_at: datetime | None
    overdue: bool
    escalated: bool
    outcome: str
    complainant_name: str | None
    complainant_contact: str | None
    identity_withheld: bool


def _out(scope: object, case: Case) -> dict:
    view = services.case_view(scope, case)
    return {
        "number": case.number, "kind": case.kind, "channel": case.channel, "status": case.status,
        "category": case.category.code, "unit": case.unit.code if case.unit else None, "subject": case.subject,
        "received_at": case.received_at, "acknowledge_by": case.acknowledge_by, "outcome_by": case.outcome_by,
        "closed_at": case.closed_at, "overdue": services.is_overdue(case, timezone.now()),
        "escalated": case.escalated_at is not None, "outcome": case.outcome,
        "complainant_name": view.complainant_name if view.identity else None,
        "complainant_contact": view.complainant_contact if view.identity else None,
        "identity_withheld": view.has_identity and not view.identity,
    }


@router.get("cases", response=list[CaseOut], summary="Cases in the caller's scope (open ones first by deadline)")
def list_cases(request: HttpRequest, status: str = Query("open", description="open, all, or a status: "
                                                         + ", ".join(Case.Status.values)),
               limit: int = limit_param(100, most=1000)) -> list[dict]:
    scope = api_scope(request, *services.VIEW_ROLES)
    cases = services.cases_in_scope(scope).select_related("category", "unit")
    if status == "open":
        cases = cases.exclude(status=Case.Status.CLOSED)
    elif status in Case.Status.values:
        cases = cases.filter(status=status)
    found = list(cases.select_related("person").order_by("outcome_by", "id")[:limit])
    record_access(request, services.seen_complainants(services.case_view(scope, c) for c in found),
                  action=PersonAccess.Action.API)
    return [_out(scope, c) for c in found]


@router.get("cases/{number}", response=CaseOut, summary="One case as the caller may see it")
def get_case(request: HttpRequest, number: str) -> dict:
    scope = api_scope(request, *services.VIEW_ROLES)
    case = get_object_or_404(services.cases_in_scope(scope).select_related("category", "unit", "person"),
                             number=number)
    record_access(request, services.seen_complainants([services.case_view(scope, case)]),
                  action=PersonAccess.Action.API)
    return _out(scope, case)


class FiguresOut(Schema):
    received: int
    open: int
    closed: int
    closed_on_time: int
    on_time_share: str | None
    escalated: int


@router.get("figures", response=FiguresOut, summary="Case counts and the share closed within the deadline")
def figures(request: HttpRequest) -> dict:
    scope = api_scope(request, *services.STAFF_ROLES, "analyst")
    f = reports.case_figures(services.cases_for_figures(scope))
    return {"received": f.received, "open": f.open, "closed": f.closed, "closed_on_time": f.closed_on_time,
            "on_time_share": None if f.on_time_share is None else str(f.on_time_share), "escalated": f.escalated}


