"""Payment pages: rounds and their workflow, statements per unit and round or month (page, PDF, Excel), charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import fiscal_year, format_date, format_month, parse_date, today
from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_response, pdf_response, xlsx_response
from openuhc.payment import engine_runs, services
from openuhc.payment import statements as statement_data
from openuhc.payment.models import CapitationLine, ClaimPayment, PaymentRun, UnitPayment
from openuhc.payment.navitems import PAYMENT_ROLES

WORKERS = (Role.NATIONAL, Role.REGIONAL)
STATEMENT_LINES = 200  # claim lines per screen of a statement
# The kinds started and computed from the pages (adjustments of a published round are made by the services).
COMPUTABLE = services.COMPUTABLE


def _month_label(value: date) -> str:
    return format_month(value)

@role_required(*PAYMENT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    from openuhc.geo.models import Region
    from openuhc.registry.models import Scheme

    scope = request.scope  # type: ignore[attr-defined]
    runs = statement_data.runs_for(scope).order_by("-period", "region__number", "kind", "-number", "-id")
    kind = request.GET.get("kind", "")
    if kind in PaymentRun.Kind.values:
        runs = runs.filter(kind=kind)
    regions = Region.objects.all() if scope.role == Role.NATIONAL else Region.objects.filter(
        pk=getattr(scope.region, "pk", None))
    fy = fiscal_year(today())
    months = services.fiscal_year_months(fy) + services.fiscal_year_months(fy - 1)
    return render(request, "payment/index.html", {
        "page": Paginator(runs.select_related("region", "scheme"), 50).get_page(request.GET.get("page")),
        "kind": kind, "kinds": PaymentRun.Kind.choices, "can_start": scope.role in WORKERS,
        "regions": regions, "schemes": Scheme.objects.filter(registers_with_unit=True),
        "months": [(m, _month_label(m)) for m in months], "today": today()})


def _run(request: HttpRequest, pk: int) -> PaymentRun:
    run = statement_data.runs_for(request.scope).filter(pk=pk).first()  # type: ignore[attr-defined]
    if run is None:
        if PaymentRun.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    return run


@role_required(*WORKERS)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    from openuhc.geo.models import Region
    from openuhc.registry.models import Scheme

    kind = request.POST.get("kind") or PaymentRun.Kind.CAPITATION
    if kind not in COMPUTABLE:
        raise Http404
    try:
        scheme = get_object_or_404(Scheme, code=request.POST.get("scheme", "UCS"))
        region = get_object_or_404(Region, number=request.POST.get("region") or 0)
        by_cutoff = kind in (PaymentRun.Kind.IP, PaymentRun.Kind.FEE)
        period = None if by_cutoff else date.fromisoformat(request.POST.get("period", ""))
        cutoff = parse_date(request.POST.get("cutoff", "")).value if by_cutoff else None
    except ValueError:
        messages.error(request, _("Choose a month."))
        return redirect("payment:index")
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payment:index")
    try:
        run = services.start_run(actor=request.user, scheme=scheme, region=region, period=period, cutoff=cutoff,
                                 kind=kind)
        run = services.compute(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payment:index")
    messages.success(request, _("The round is computed; check it and pass it on."))
    return redirect("payment:run", pk=run.pk)


@role_required(*PAYMENT_ROLES)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    run = _run(request, pk)
    payments = run.unit_payments.select_related("unit").order_by("unit__code")
    if scope.role == Role.HOSPITAL:
        payments = payments.filter(unit__in=scope.hospital_unit_ids)
    step = services.STEPS.get(run.status)
    can_step = bool(step and run.computed_at and services.may_work_on(scope, run.region, step[2])
                    and services.four_eyes_problem(run, request.user) is None)
    demo = demo_tables_used(_ip_claim_ids(ClaimPayment.objects.filter(run=run))) \
        if run.kind in (PaymentRun.Kind.IP, PaymentRun.Kind.YEAR_END) else ""
    return render(request, "payment/run.html", {
        "run": run, "payments": payments, "demo_tables": demo, "events": run.events.select_related("actor"),
        "can_step": can_step,
        "next_status": step[0] if step else None, "can_compute": run.computed_at is None and scope.role in WORKERS
        and run.kind in COMPUTABLE, "corrections": run.adjustments.all(),
        "year": run.summary if run.kind == PaymentRun.Kind.YEAR_END else None,
        "years": run.summary.get("years", []) if run.kind == PaymentRun.Kind.IP else [],
        "held": _held(run.summary.get("held") or {}), "capitation": run.summary
        if run.kind == PaymentRun.Kind.CAPITATION and run.summary.get("normalised") else None,
        "pricing": engine_runs.progress(run), "engine_page": scope.role == Role.NATIONAL})


@role_required(*WORKERS)
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        services.compute(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("payment:run", pk=run.pk)


HELD_REASONS = {"year_closed": _lazy("its fiscal year was reconciled already"),
                "no_configuration": _lazy("its fiscal year has no payment configuration")}


def _held(held: dict[str, dict[str, int]]) -> list[tuple[str, str, int]]:
    """Claims a round held back: (why, fiscal year, how many)."""
    return [(str(HELD_REASONS.get(reason, reason)), fy, count) for reason, years in sorted(held.items())
            for fy, count in sorted(years.items())]


@role_required(*WORKERS)
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        run = services.advance(actor=request.user, run=run, note=request.POST.get("note", "")[:500])
        messages.success(request, _("The run is now %(status)s.") % {"status": run.get_status_display()})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("payment:run", pk=run.pk)


# --- statements ----------------------------------------------------------------------------------------------

def _statement_unit(request: HttpRequest, code: str) -> Any:
    from openuhc.providers.models import HealthUnit

    unit = get_object_or_404(HealthUnit.objects.select_related("subdistrict__district__province"), code=code)
    if not statement_data.may_see_statement(request.scope, unit):  # type: ignore[attr-defined]
        raise PermissionDenied
    return unit


@role_required(*PAYMENT_ROLES)
def statements(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    rows = UnitPayment.objects.filter(run__status=PaymentRun.Status.PUBLISHED)
    if scope.role == Role.HOSPITAL:
        rows = rows.filter(unit__in=scope.hospital_unit_ids)
    elif scope.role == Role.REGIONAL:
        rows = rows.filter(run__region=scope.region)
    periods = sorted(set(rows.values_list("run__period", flat=True)), reverse=True)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(Q(unit__code__startswith=query) | Q(unit__name_th__icontains=query)
                           | Q(unit__name_en__icontains=query))
    month = request.GET.get("month", "")
    if month:
        rows = rows.filter(run__period=date.fromisoformat(f"{month}-01")) if _is_month(month) else rows.none()
    months = (rows.values("unit__code", "unit__name_th", "unit__name_en", "run__period")
              .annotate(net=Sum("net"), gross=Sum("gross")).order_by("-run__period", "unit__code"))
    page = Paginator(months, 50).get_page(request.GET.get("page"))
    return render(request, "payment/statements.html", {"page": page, "q": query, "month": month,
                                                       "periods": periods})


def _is_month(text: str) -> bool:
    try:
        date.fromisoformat(f"{text}-01")
    except ValueError:
        return False
    return True


def _statement_context(request: HttpRequest, code: str, month: str) -> dict[str, Any]:
    unit = _statement_unit(request, code)
    try:
        period = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    scope = request.scope  # type: ignore[attr-defined]
    data = statement_data.statement(unit=unit, period=period, published_only=scope.role not in WORKERS)
    data["month_label"] = _month_label(period)
    data["month"] = month
    data["demo_tables"] = demo_tables_used(_ip_claim_ids(data["claims"]))
    data["can_open_claims"] = scope.role in (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL)
    return data


def _ip_claim_ids(lines: Any) -> list[int]:
    """The admissions among claim payment lines (at most 5,000: enough to tell which table set grouped them)."""
    return list(lines.filter(claim_type="ip").values_list("claim_id", flat=True)[:5000])


def _paged_lines(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    """On screen a statement shows its claim lines STATEMENT_LINES at a time (a hospital's month can hold tens of
    thousands); the totals above them are the whole statement's, and the PDF, Excel and CSV downloads hold every
    line."""
    page = Paginator(context["claims"], STATEMENT_LINES).get_page(request.GET.get("page"))
    return {**context, "claims": page.object_list, "claims_page": page}


def demo_tables_used(claim_ids: list[int]) -> str:
    """The demonstration table set the claims were grouped with, or "" (pages and statements then say that
    their inpatient amounts are not official)."""
    from openuhc.drg.claims import latest_adjrw
    from openuhc.drg.demoset import is_demo

    versions = {g.table_version for g in latest_adjrw(claim_ids).values()} if claim_ids else set()
    return next((v for v in sorted(versions) if is_demo(v)), "")


@role_required(*PAYMENT_ROLES)
def statement(request: HttpRequest, code: str, month: str) -> HttpResponse:
    context = _statement_context(request, code, month)
    fmt = request.GET.get("format")
    name = f"statement-{code}-{month}"
    if fmt == "pdf":
        return pdf_response(f"{name}.pdf", "payment/statement_pdf.html", {**context, "pdf": True})
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", statement_data.sheets(context))
    return render(request, "payment/statement.html", _paged_lines(request, context))


@role_required(*PAYMENT_ROLES)
def round_statement(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A unit's statement of one round (page, ?format=pdf, ?format=xlsx, ?format=csv)."""
    run = _run(request, pk)
    unit = _statement_unit(request, code)
    context = statement_data.round_statement(unit=unit, run=run)
    context.update(month_label=f"{run.label} · {run.get_kind_display()}", month=run.period.strftime("%Y-%m"))
    context["demo_tables"] = demo_tables_used(_ip_claim_ids(context["claims"]))
    context["can_open_claims"] = request.scope.role in (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL)  # type: ignore[attr-defined]
    name = f"statement-{code}-round-{run.pk}"
    fmt = request.GET.get("format")
    if fmt == "pdf":
        return pdf_response(f"{name}.pdf", "payment/statement_pdf.html", {**context, "pdf": True})
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", statement_data.sheets(context))
    if fmt == "csv":
        return csv_response(f"{name}.csv", statement_data.claim_header(),
                            [statement_data.claim_row(c) for c in context["claims"]])
    return render(request, "payment/statement.html", _paged_lines(request, context))


# --- charts -----------------------------------------------------------------------------------------------------

def ip_charts(scope: Any) -> list[Chart]:
    """Inpatient charts of the published rounds a user may see: the rate per AdjRW by region and round cut-off,
    the money paid against each fiscal year's budget, the units with the most AdjRW (hospital staff: their own
    units)."""
    runs = list(statement_data.runs_for(scope).filter(status=PaymentRun.Status.PUBLISHED, kind=PaymentRun.Kind.IP)
                .order_by("cutoff", "region__number", "id"))
    if not runs:
        return []
    rates: dict[int, dict[Any, Decimal]] = {}
    money: dict[int, list[Decimal]] = {}
    budgets: dict[tuple[int, int], Decimal] = {}
    for run in runs:
        for y in run.summary.get("years", []):
            rates.setdefault(y["region"], {})[run.cutoff] = Decimal(y["rate"])
            budgets[(y["region"], y["fiscal_year"])] = Decimal(y["budget"])
            money.setdefault(y["fiscal_year"], [Decimal(0), Decimal(0)])[1] += Decimal(y["total"])
    for (_region, fy), budget in budgets.items():
        money[fy][0] += budget
    cutoffs = sorted({run.cutoff for run in runs})
    rate_chart = Chart("ip-rate-by-region", _("Rate per AdjRW by region and round cut-off (baht)"),
                       labels=[format_date(c) for c in cutoffs], kind="line",
                       series=[Series(_("region %(n)s") % {"n": region}, [rates[region].get(c) for c in cutoffs])
                               for region in sorted(rates)])
    years = sorted(money)
    budget_chart = Chart("ip-paid-against-budget", _("Inpatient money paid against the budget, by fiscal year (baht)"),
                         labels=[f"FY{fy}" for fy in years],
                         series=[Series(_("budget"), [money[fy][0] for fy in years]),
                                 Series(_("paid"), [money[fy][1] for fy in years])])
    payments = UnitPayment.objects.filter(run__in=[r.pk for r in runs])
    if scope.role == Role.HOSPITAL:
        payments = payments.filter(unit__in=scope.hospital_unit_ids)
    top = list(payments.values("unit__code", "unit__name_th").annotate(adjrw=Sum("adjrw"), net=Sum("net"))
               .order_by("-adjrw", "unit__code")[:15])
    units_chart = Chart("ip-units-adjrw", _("Units with the most AdjRW (published inpatient runs)"),
                        labels=[f"{r['unit__code']} {r['unit__name_th']}" for r in top],
                        series=[Series(_("AdjRW"), [r["adjrw"] for r in top])], options={"indexAxis": "y"})
    return [rate_chart, budget_chart, units_chart]


@role_required(*PAYMENT_ROLES)
def charts(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    runs = statement_data.runs_for(scope).filter(status=PaymentRun.Status.PUBLISHED,
                                                 kind=PaymentRun.Kind.CAPITATION)
    payments = UnitPayment.objects.filter(run__in=runs)
    if scope.role == Role.HOSPITAL:
        payments = payments.filter(unit__in=scope.hospital_unit_ids)
    by_month = list(payments.values("run__period").annotate(gross=Sum("gross"), net=Sum("net"),
                                                             people=Sum("population")).order_by("run__period"))
    labels = [_month_label(r["run__period"]) for r in by_month]
    monthly = Chart("capitation-by-month", _("Capitation paid by month (baht)"), labels=labels, kind="line",
                    series=[Series(_("gross"), [r["gross"] for r in by_month]),
                            Series(_("net after salary deduction"), [r["net"] for r in by_month])])
    latest = by_month[-1]["run__period"] if by_month else None
    top = list(payments.filter(run__period=latest).values("unit__code", "unit__name_th").annotate(
        net=Sum("net")).order_by("-net")[:15]) if latest else []
    units = Chart("capitation-units", _("Units with the most capitation, latest month (baht)"),
                  labels=[f"{r['unit__code']} {r['unit__name_th']}" for r in top],
                  series=[Series(_("net"), [r["net"] for r in top])], options={"indexAxis": "y"})
    groups = list(CapitationLine.objects.filter(run__in=runs, run__period=latest).filter(
        unit__in=payments.values("unit")).values("age_group", "min_age").annotate(
        people=Sum("population")).order_by("min_age")) if latest else []
    ages = Chart("capitation-ages", _("Population counted by age group, latest month"),
                 labels=[r["age_group"] for r in groups],
                 series=[Series(_("population"), [r["people"] for r in groups])])
    total = sum((r["net"] for r in by_month), Decimal(0))
    return render(request, "payment/charts.html", {"charts": [monthly, units, ages], "total": total,
                                                   "latest": latest, "ip_charts": ip_charts(scope)})
