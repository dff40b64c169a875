"""A unit's claims (รายการเบิกของหน่วยบริการ): every visit and admission it sent, newest service date first, with
filters (status, kind, month of service) and keyset pages, so that page 1,000 of a hospital's claims costs what
page 1 does."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.claims.access import seen_claims
from openuhc.claims.models import Claim
from openuhc.claims.views import VIEW_ROLES
from openuhc.core.access import record_access
from openuhc.core.keyset import Key, paginate
from openuhc.core.query import choice_param, month_param
from openuhc.providers.models import HealthUnit
from openuhc.registry.models import PersonAccess

PAGE = 100
# served by the index claims_unit_service_page (unit, service_date, id) and its status and kind variants
ORDER = (Key("service_date", descending=True, nullable=True), Key("id", descending=True))


def _unit(request: HttpRequest) -> HealthUnit | None:
    scope = request.scope  # type: ignore[attr-defined]
    code = request.GET.get("unit", "").strip()
    if not code:  # a hospital user's own unit; the others name one
        return scope.unit if scope.role == Role.HOSPITAL else None
    unit = HealthUnit.objects.filter(code=code).first()
    if unit is not None and not scope.can_see_unit(unit):
        raise PermissionDenied
    return unit


@role_required(*VIEW_ROLES)
def claim_list(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    # a filter that is not one of the page's choices is a bad parameter (400, with the reason), not ignored
    status = choice_param(request.GET, "status", Claim.Status.values)
    kind = choice_param(request.GET, "kind", Claim.Kind.values)
    month = month_param(request.GET, "month")
    context: dict[str, Any] = {"unit": unit, "unit_code": request.GET.get("unit", "").strip(), "page": None,
                               "statuses": Claim.Status.choices, "kinds": Claim.Kind.choices, "status": status,
                               "kind": kind, "month": month.strftime("%Y-%m") if month else ""}
    if unit is not None:
        rows = Claim.objects.filter(unit=unit)
        if status:
            rows = rows.filter(status=status)
        if kind:
            rows = rows.filter(kind=kind)
        if month is not None:  # a range on service_date, which the list's indexes serve
            rows = rows.filter(service_date__gte=month,
                               service_date__lt=date(month.year + month.month // 12, month.month % 12 + 1, 1))
        page = paginate(rows.select_related("submission"), ORDER, size=PAGE, after_cursor=request.GET.get("after", ""),
                        before_cursor=request.GET.get("before", ""), last=request.GET.get("last") == "1")
        record_access(request, seen_claims(page.object_list), action=PersonAccess.Action.VIEW)  # HNs of the page
        context["page"] = page
    return render(request, "claims/list.html", context)
