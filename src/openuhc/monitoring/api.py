"""KPIs as JSON: the same figures as the dashboard, scoped the same way."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.core.errors import DomainError
from openuhc.core.query import FY_HIGH, FY_LOW
from openuhc.monitoring.errors import MonitoringError
from openuhc.monitoring.kpis import KPIS, Filters, for_role
from openuhc.monitoring.views import ALL_ROLES, scope_filters

router = Router(tags=["monitoring"])


class KpiOut(Schema):
    code: str
    name: str
    description: str
    unit: str
    breakdowns: list[str]
    available: bool


class KpiRowOut(Schema):
    key: str
    numerator: str | None
    denominator: str | None
    value: str | None


class KpiValuesOut(Schema):
    code: str
    by: str
    fy: int | None
    rows: list[KpiRowOut]


@router.get("kpis", response=list[KpiOut], summary="The KPIs your role sees")
def kpi_list(request: HttpRequest) -> list[dict]:
    scope = api_scope(request, *ALL_ROLES)
    return [{"code": k.code, "name": str(k.name), "description": str(k.description), "unit": str(k.unit),
             "breakdowns": ["all", *k.dims], "available": k.available()} for k in for_role(scope.role)]


@router.get("kpis/{code}", response=KpiValuesOut, summary="A KPI's figures, broken down by month, region, ...")
def kpi_values(request: HttpRequest, code: str, by: str = "all", fy: int | None = Query(None, ge=FY_LOW, le=FY_HIGH),
               region: str | None = None, province: str | None = None) -> dict:
    scope = api_scope(request, *ALL_ROLES)
    kpi = KPIS.get(code)
    if kpi is None or scope.role not in kpi.roles:
        raise DomainError(MonitoringError.UNKNOWN_KPI, code=code)
    if by != "all" and by not in kpi.dims:
        raise DomainError(MonitoringError.BAD_BREAKDOWN, by=by, allowed=", ".join(["all", *kpi.dims]))
    base = scope_filters(scope)
    # a scoped user's own region / province / units always win over what they ask for
    filters = Filters(fy=fy, region=base.region or region, province=base.province or province, hcodes=base.hcodes)
    rows = kpi.compute(filters, by)
    return {"code": kpi.code, "by": by, "fy": fy, "rows": [
        {"key": r.key, "numerator": _s(r.numerator), "denominator": _s(r.denominator), "value": _s(r.value)}
        for r in rows]}


def _s(value: object) -> str | None:
    return None if value is None else str(value)
