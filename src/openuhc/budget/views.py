"""Pages: every officer reads a fiscal year's configuration; national officers add versions (form or Excel)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import ALL_ROLES, Role
from openuhc.accounts.scope import role_required
from openuhc.budget import exchange, services
from openuhc.budget.config import PAID_BY
from openuhc.budget.defaults import year_config
from openuhc.budget.models import BudgetVersion
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, parse_date, today
from openuhc.core.errors import DomainError
from openuhc.core.exports import XLSX
from openuhc.core.query import FY_HIGH, FY_LOW, int_param

BLANK_ROWS = 3
LABELS = {
    "code": gettext_lazy("code"), "name_th": gettext_lazy("name (Thai)"), "name_en": gettext_lazy("name (English)"),
    "per_capita": gettext_lazy("baht per head per year"), "paid_by": gettext_lazy("paid by"),
    "min_age": gettext_lazy("from age"), "max_age": gettext_lazy("to age (empty: no limit)"),
    "weight": gettext_lazy("weight"), "region": gettext_lazy("NHSO region"),
    "ip_budget": gettext_lazy("inpatient budget (baht)"), "from_days": gettext_lazy("from days late"),
    "percent": gettext_lazy("paid %"), "price": gettext_lazy("price (baht)"),
    "sex": gettext_lazy("sex (0 any, 1 male, 2 female)"), "cap_count": gettext_lazy("cap: units per person"),
    "cap_amount": gettext_lazy("cap: baht per person"), "cap_period": gettext_lazy("cap period (year or month)"),
    "factor": gettext_lazy("factor"), "ip_base_rate": gettext_lazy("inpatient base rate (baht per AdjRW)"),
    "ip_max_rate": gettext_lazy("ceiling on the year-end rate (empty: none)"),
    "salary_op_percent": gettext_lazy("salary deduction of public units, capitation (%)"),
    "salary_ip_percent": gettext_lazy("salary deduction of public units, inpatients (%)"),
    "rti_deduct": gettext_lazy("deduct what road-traffic insurance paid"),
    "rti_cap": gettext_lazy("road-traffic deduction cap per claim (baht)"),
}
SECTIONS = {
    "sub_funds": gettext_lazy("Sub-funds of the per-capita amount"),
    "age_groups": gettext_lazy("OP capitation age groups and weights"),
    "ip_regions": gettext_lazy("Regional inpatient global budgets"),
    "ip_multipliers": gettext_lazy("Inpatient multipliers"),
    "late_rules": gettext_lazy("Late-submission percentages"),
    "fee_items": gettext_lazy("Fee schedule"),
}


@role_required(*ALL_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    from openuhc.registry.models import Scheme

    wanted_scheme = request.GET.get("scheme", "")
    wanted_fy = int_param(request.GET, "fy", low=FY_LOW, high=FY_HIGH)
    if request.scope.is_national and wanted_fy and Scheme.objects.filter(  # type: ignore[attr-defined]
            code=wanted_scheme).exists():
        return redirect("budget:edit", scheme=wanted_scheme, fy=wanted_fy)
    years = (BudgetVersion.objects.values("scheme__code", "scheme__name_th", "scheme__name_en", "fiscal_year")
             .distinct().order_by("-fiscal_year", "scheme__code"))
    return render(request, "budget/index.html", {
        "years": list(years), "schemes": Scheme.objects.filter(is_active=True),
        "current_fy": fiscal_year(today()), "can_edit": request.scope.is_national})  # type: ignore[attr-defined]


def _version(scheme: str, fy: int, query: Any) -> BudgetVersion:
    versions = BudgetVersion.objects.filter(scheme__code=scheme, fiscal_year=fy).select_related("scheme")
    number = int_param(query, "v", low=1)
    if number:
        version = versions.filter(number=number).first()
    else:
        start, end = fiscal_year_bounds(fy)
        on = min(max(today(), start), end)
        version = versions.filter(valid_from__lte=on).order_by("-valid_from", "-number").first() or versions.order_by(
            "number").first()
    if version is None:
        raise Http404
    return version


@role_required(*ALL_ROLES)
def year(request: HttpRequest, scheme: str, fy: int) -> HttpResponse:
    try:
        version = _version(scheme, fy, request.GET)
    except Http404:
        if request.scope.is_national:  # type: ignore[attr-defined]
            return redirect("budget:edit", scheme=scheme, fy=fy)
        raise
    config = version.config
    return render(request, "budget/year.html", {
        "version": version, "config": config, "versions": services.versions(scheme, fy),
        "capitation": config.capitation_per_head, "ip_total": sum(r.ip_budget for r in config.ip_regions),
        "can_edit": request.scope.is_national})  # type: ignore[attr-defined]


@role_required(*ALL_ROLES)
def export(request: HttpRequest, scheme: str, fy: int) -> HttpResponse:
    version = _version(scheme, fy, request.GET)
    response = HttpResponse(exchange.to_xlsx(version.data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="budget-{scheme}-{fy}-v{version.number}.xlsx"'
    return response


def _rows(post: Any, section: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    pattern = re.compile(rf"^{section}-(\d+)-(\w+)$")
    found: dict[int, dict[str, Any]] = {}
    for key in post:
        match = pattern.match(key)
        if match and match.group(2) in fields:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = post.get(key, "").strip()
    rows = []
    for index in sorted(found):
        row = found[index]
        if any(value for value in row.values()):
            rows.append({k: (v if v != "" else None) for k, v in row.items()})
    return rows


def _data_from_post(post: Any) -> dict[str, Any]:
    data: dict[str, Any] = {key: (post.get(key, "").strip() or None) for key in exchange.SCALARS}
    data["rti_deduct"] = post.get("rti_deduct") == "on"
    for section, fields in exchange.LISTS.items():
        data[section] = _rows(post, section, fields)
    data["ip_multipliers"] = {r["code"]: r.get("factor") for r in _rows(post, "ip_multipliers", ("code", "factor"))
                              if r.get("code")}
    return data


def _form_context(scheme: str, fy: int, data: dict[str, Any], valid_from: str, note: str,
                  error: str = "") -> dict[str, Any]:
    def padded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [*rows, *({} for _ in range(BLANK_ROWS))]

    lists = {name: {"fields": fields, "rows": padded(list(data.get(name) or []))}
             for name, fields in exchange.LISTS.items()}
    multipliers = [{"code": k, "factor": v} for k, v in (data.get("ip_multipliers") or {}).items()]
    lists["ip_multipliers"] = {"fields": ("code", "factor"), "rows": padded(multipliers)}
    return {"scheme": scheme, "fy": fy, "data": data, "lists": lists, "valid_from": valid_from, "note": note,
            "error": error, "paid_by": PAID_BY, "scalars": [s for s in exchange.SCALARS if s != "rti_deduct"],
            "labels": LABELS, "sections": SECTIONS}


@role_required(Role.NATIONAL)
def edit(request: HttpRequest, scheme: str, fy: int) -> HttpResponse:
    start, end = fiscal_year_bounds(fy)
    if request.method == "POST":
        data = _data_from_post(request.POST)
        valid_text = request.POST.get("valid_from", "")
        note = request.POST.get("note", "")
        try:
            valid_from = parse_date(valid_text).value
            version = services.add_version(actor=request.user, scheme=scheme, fiscal_year=fy, valid_from=valid_from,
                                           data=data, note=note)
        except DomainError as error:
            context = _form_context(scheme, fy, data, valid_text, note, error.message)
            return render(request, "budget/edit.html", context, status=400)
        messages.success(request, _("Version %(n)s of fiscal year %(fy)s is saved.") % {"n": version.number, "fy": fy})
        return redirect(f"/budget/{scheme}/{fy}/?v={version.number}")
    this_year = services.latest(scheme, fy)
    latest = this_year or services.latest(scheme, fy - 1)
    data = latest.data if latest is not None else year_config(fy)
    # a year's first version starts with the year; a later one, today (within the year)
    valid_from = max(start, min(today(), end)) if this_year is not None else start
    from openuhc.core.dates import format_date_numeric

    return render(request, "budget/edit.html", _form_context(scheme, fy, data, format_date_numeric(valid_from),
                                                             "", ""))


@role_required(Role.NATIONAL)
@require_POST
def import_file(request: HttpRequest, scheme: str, fy: int) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(exchange.BudgetError.BAD_FILE, detail="no file", detail_th="ไม่ได้เลือกไฟล์")
        data = exchange.from_xlsx(upload.read())
        valid_from = parse_date(request.POST.get("valid_from", "")).value
        version = services.add_version(actor=request.user, scheme=scheme, fiscal_year=fy, valid_from=valid_from,
                                       data=data, note=request.POST.get("note", "") or upload.name)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("budget:edit", scheme=scheme, fy=fy)
    messages.success(request, _("Version %(n)s of fiscal year %(fy)s is saved.") % {"n": version.number, "fy": fy})
    return redirect(f"/budget/{scheme}/{fy}/?v={version.number}")
