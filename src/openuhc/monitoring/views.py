"""Dashboards, KPI pages with exports, the public open-data page and the store refresh page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core import exports, jobs
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import format_month, thai_active
from openuhc.core.query import month_param
from openuhc.geo.models import Province, Region
from openuhc.monitoring import services, store
from openuhc.monitoring.kpis import DIMENSIONS, KPIS, Filters, Kpi, Row, for_role

ALL_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.LOCALFUND, Role.CENTRE, Role.ANALYST, Role.SECRETARIAT,
             Role.PAO)
PUBLIC_KPIS = ("coverage_rate", "registered_population", "op_visits_per_py", "admissions_per_1000",
               "case_mix_index", "rate_per_adjrw", "localfund_unspent_share", "complaints_on_time")
PUBLIC_DIMS = ("all", "month", "region", "province")


# --- scope → filters -----------------------------------------------------------------------------------

def scope_filters(scope: Any) -> Filters:
    """What part of the country a user's figures cover (aggregates only, but still scoped)."""
    role = scope.role
    if role in (Role.NATIONAL, Role.ANALYST):
        return Filters()
    if role == Role.REGIONAL and scope.region is not None:
        return Filters(region=str(scope.region.number))
    if role == Role.HOSPITAL:
        codes = tuple(sorted(scope.units().values_list("code", flat=True)))
        return Filters(hcodes=codes)
    if role == Role.LOCALFUND and scope.fund is not None and scope.fund.local_government_id:
        return Filters(province=scope.fund.local_government.province.code)
    if role == Role.CENTRE and scope.centre is not None:
        return Filters(region=str(scope.centre.region.number))
    # a provincial health committee's secretariat and a PAO plan for their province; an area board for its region
    if role == Role.SECRETARIAT and scope.secretariat is not None:
        if scope.secretariat.province_id:
            return Filters(province=scope.secretariat.province.code)
        if scope.secretariat.region_id:
            return Filters(region=str(scope.secretariat.region.number))
    if role == Role.PAO and scope.local_government is not None:
        return Filters(province=scope.local_government.province.code)
    return Filters(hcodes=())


def years_in_store() -> list[int]:
    try:
        rows = store.query('SELECT DISTINCT fy FROM "population" ORDER BY fy DESC', facts=["population"])
    except Exception:  # noqa: BLE001 - no store yet: no years to offer
        return []
    return [int(r["fy"]) for r in rows]


def latest_year_with_data(years: list[int], base: Filters, kpis: list[Kpi]) -> int | None:
    """The latest fiscal year in which one of these KPIs has a figure for the user's part of the country (a page
    opens on it rather than on an empty year); the latest year of the store when none has."""
    for year in years:
        scoped = Filters(fy=year, region=base.region, province=base.province, hcodes=base.hcodes)
        for kpi in kpis:
            if kpi.available() and any(row.value is not None for row in kpi.compute(scoped, "all")):
                return year
    return years[0] if years else None


def _request_filters(request: HttpRequest, base: Filters, *, allow_geo: bool,
                     kpis: list[Kpi] | None = None) -> tuple[Filters, dict[str, Any]]:
    years = years_in_store()
    fy = request.GET.get("fy", "")
    chosen = fy.isdigit() and int(fy) in years
    fy_value = int(fy) if chosen else latest_year_with_data(years, base, kpis or [])
    region = base.region
    province = base.province
    if allow_geo and not region:
        asked = request.GET.get("region", "")
        region = asked if asked.isdigit() and Region.objects.filter(number=int(asked)).exists() else None
    if allow_geo and not province:
        asked = request.GET.get("province", "")
        province = asked if asked and Province.objects.filter(code=asked).exists() else None
    chosen_month = month_param(request.GET, "month")
    month = chosen_month.strftime("%Y-%m") if chosen_month else None
    filters = Filters(fy=fy_value, region=region, province=province, hcodes=base.hcodes, month=month)
    regions = Region.objects.order_by("number") if allow_geo and not base.region else Region.objects.none()
    provinces = Province.objects.order_by("code")
    if region:
        provinces = provinces.filter(region__number=int(region))
    if base.province:
        provinces = provinces.none()
    return filters, {"years": years, "fy": fy_value, "fy_chosen": chosen, "regions": regions, "provinces": provinces,
                     "region": region or "", "province": province or "", "month": month or "",
                     "month_label": format_month(month) if month else ""}


# --- labels ---------------------------------------------------------------------------------------------

def key_labels(by: str, keys: list[str]) -> dict[str, str]:
    if by == "month":
        return {k: format_month(k) for k in keys}
    if by == "region":
        names = {str(r.number): str(r) for r in Region.objects.filter(number__in=[int(k) for k in keys if k.isdigit()])}
        return {k: names.get(k, k or _("(none)")) for k in keys}
    if by == "province":
        names = {p.code: f"{p.code} {p.name_th if thai_active() else p.name_en}"
                 for p in Province.objects.filter(code__in=keys)}
        return {k: names.get(k, k or _("(none)")) for k in keys}
    if by == "hcode":
        from openuhc.providers.models import HealthUnit

        names = {u.code: f"{u.code} {u.name_th if thai_active() else (u.name_en or u.name_th)}"
                 for u in HealthUnit.objects.filter(code__in=keys)}
        return {k: names.get(k, k or _("(not registered)")) for k in keys}
    if by == "all":
        return {k: _("Total") for k in keys}
    return {k: k or _("(none)") for k in keys}


def records_link(kpi: Kpi, by: str, key: str, filters: Filters, scope: Any) -> str | None:
    """Where the records behind one figure are: a unit's page, a province's page, or the figure broken down
    further. Pages behind the link check the user's scope again; analysts get aggregate pages only."""
    try:
        if by == "hcode" and key:
            return reverse("providers:detail", args=[key])
        if by == "province" and key:
            return reverse("monitoring:kpi", args=[kpi.code]) + "?" + urlencode(
                _query(filters, by="hcode", province=key))
        if by == "region" and key:
            return reverse("monitoring:kpi", args=[kpi.code]) + "?" + urlencode(
                _query(filters, by="province", region=key))
        if by == "month" and key:
            return reverse("monitoring:kpi", args=[kpi.code]) + "?" + urlencode(
                _query(filters, by="hcode" if "hcode" in kpi.dims else "province", month=key))
    except NoReverseMatch:
        return None
    return None


def _query(filters: Filters, **extra: Any) -> dict[str, str]:
    q = {"fy": filters.fy or "", "region": filters.region or "", "province": filters.province or "",
         "month": filters.month or ""}
    q.update({k: v for k, v in extra.items() if v is not None})
    return {k: str(v) for k, v in q.items() if v}


def _chart(kpi: Kpi, by: str, rows: list[Row], labels: dict[str, str], suffix: str = "") -> Chart:
    kind = "line" if by == "month" else "bar"
    return Chart(f"{kpi.code}{suffix}", kpi.name, labels=[labels[r.key] for r in rows],
                 series=[Series(kpi.unit, [r.value for r in rows])], kind=kind, unit=str(kpi.unit))


# --- pages ----------------------------------------------------------------------------------------------

@role_required(*ALL_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = request.scope
    base = scope_filters(scope)
    filters, form = _request_filters(request, base, allow_geo=scope.role in (Role.NATIONAL, Role.ANALYST,
                                                                             Role.REGIONAL, Role.CENTRE),
                                     kpis=for_role(scope.role))
    cards = []
    for kpi in for_role(scope.role):
        total = kpi.compute(filters, "all")
        by_month = kpi.compute(filters, "month") if "month" in kpi.dims and not filters.month else []
        chart = _chart(kpi, "month", by_month, key_labels("month", [r.key for r in by_month])) if by_month else None
        cards.append({"kpi": kpi, "total": total[0] if total else None, "chart": chart,
                      "available": kpi.available(), "target": kpi.target() if kpi.target else None})
    return render(request, "monitoring/dashboard.html", {
        "cards": cards, "form": form, "filters": filters, "refreshed": services.last_refresh(),
        "scope_label": scope.label})


@role_required(*ALL_ROLES)
def kpi_page(request: HttpRequest, code: str) -> HttpResponse:
    scope = request.scope
    kpi = KPIS.get(code)
    if kpi is None or scope.role not in kpi.roles:
        raise Http404
    base = scope_filters(scope)
    filters, form = _request_filters(request, base, allow_geo=scope.role in (Role.NATIONAL, Role.ANALYST,
                                                                             Role.REGIONAL, Role.CENTRE), kpis=[kpi])
    by = request.GET.get("by", "")
    dims = ["all", *kpi.dims]
    if by not in dims:
        by = "month" if "month" in kpi.dims else "all"
    rows = kpi.compute(filters, by)
    labels = key_labels(by, [r.key for r in rows])
    table = [{"row": r, "label": labels[r.key], "link": records_link(kpi, by, r.key, filters, scope)} for r in rows]
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        header = [str(DIMENSIONS[by]), "key", _("numerator"), _("denominator"), f"{kpi.name} ({kpi.unit})"]
        data = [[t["label"], t["row"].key, t["row"].numerator, t["row"].denominator, t["row"].value] for t in table]
        name = f"{kpi.code}-{by}-{filters.fy or 'all'}"
        if fmt == "csv":
            return exports.csv_response(f"{name}.csv", header, data)
        return exports.xlsx_response(f"{name}.xlsx", {str(kpi.name)[:31]: (header, data)})
    return render(request, "monitoring/kpi.html", {
        "kpi": kpi, "by": by, "dims": [(d, DIMENSIONS[d]) for d in dims], "table": table,
        "chart": _chart(kpi, by, rows, labels) if rows and by != "all" else None, "form": form,
        "filters": filters, "available": kpi.available(), "refreshed": services.last_refresh()})


def open_data(request: HttpRequest) -> HttpResponse:
    """The public page: aggregate figures by region and province, no login, no personal data."""
    filters, form = _request_filters(request, Filters(), allow_geo=True, kpis=[KPIS[c] for c in PUBLIC_KPIS])
    by = request.GET.get("by", "region")
    if by not in PUBLIC_DIMS:
        by = "region"
    code = request.GET.get("kpi", "")
    if code and code in PUBLIC_KPIS and request.GET.get("format") == "csv":
        kpi = KPIS[code]
        rows = kpi.compute(filters, by)
        labels = key_labels(by, [r.key for r in rows])
        header = [str(DIMENSIONS[by]), "key", f"{kpi.name} ({kpi.unit})", "numerator", "denominator"]
        return exports.csv_response(f"openuhc-{kpi.code}-{by}-{filters.fy or 'all'}.csv", header,
                                    [[labels[r.key], r.key, r.value, r.numerator, r.denominator] for r in rows])
    cards = []
    for kpi_code in PUBLIC_KPIS:
        kpi = KPIS[kpi_code]
        if not kpi.available():
            continue
        rows = kpi.compute(filters, by if by in ("all", *kpi.dims) else "all")
        labels = key_labels(by, [r.key for r in rows])
        cards.append({"kpi": kpi, "rows": [(labels[r.key], r) for r in rows],
                      "chart": _chart(kpi, by, rows, labels, "-open") if rows and by != "all" else None,
                      "csv": "?" + urlencode({**_query(filters), "by": by, "kpi": kpi.code, "format": "csv"})})
    return render(request, "monitoring/open.html", {
        "cards": cards, "form": form, "by": by, "dims": [(d, DIMENSIONS[d]) for d in PUBLIC_DIMS],
        "refreshed": services.last_refresh()})


@role_required(Role.NATIONAL)
def store_page(request: HttpRequest) -> HttpResponse:
    from openuhc.monitoring.models import StoreRefresh

    return render(request, "monitoring/store.html", {
        "refreshes": StoreRefresh.objects.select_related("actor")[:20], "facts": store.facts_present(),
        "folder": store.store_dir()})


@require_POST
@role_required(Role.NATIONAL)
def refresh(request: HttpRequest) -> HttpResponse:
    actor = request.user

    def work(progress: Any) -> dict[str, Any]:
        record = services.refresh(actor=actor, trigger="page", progress=progress)
        return {"rows": record.rows, "seconds": record.seconds}

    job = jobs.start(kind="monitoring.refresh", title=_("Refresh the analytics store"), work=work, actor=actor)
    messages.info(request, _("The analytics store is being refreshed."))
    return redirect("core:job", job.pk)

