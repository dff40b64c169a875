"""Payment pages: runs and their workflow, statements per unit and month (page, PDF, Excel), charts."""

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
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import fiscal_year, format_month, today
from openuhc.core.errors import DomainError
from openuhc.core.exports import pdf_response, xlsx_response
from openuhc.payment import engine_runs, services
from openuhc.payment.models import CapitationLine, ClaimPayment, PaymentRun, UnitPayment
from openuhc.payment.navitems import PAYMENT_ROLES

WORKERS = (Role.NATIONAL, Role.REGIONAL)
# The kinds started and computed from the pages (adjustments of a published run are made by the services).
COMPUTABLE = (PaymentRun.Kind.CAPITATION, PaymentRun.Kind.IP, PaymentRun.Kind.FEE, PaymentRun.Kind.YEAR_END)


def _month_label(value: date) -> str:
    return format_month(value)




@role_required(*PAYMENT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    from openuhc.geo.models import Region
    from openuhc.registry.models import Scheme

    scope = request.scope  # type: ignore[attr-defined]
    runs = services.runs_for(scope).order_by("-period", "region__number", "kind", "-id")
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
        "months": [(m, _month_label(m)) for m in months]})


def _run(request: HttpRequest, pk: int) -> PaymentRun:
    run = services.runs_for(request.scope).filter(pk=pk).first()  # type: ignore[attr-defined]
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

    try:
        scheme = get_object_or_404(Scheme, code=request.POST.get("scheme", "UCS"))
        region = get_object_or_404(Region, number=request.POST.get("region") or 0)
        period = date.fromisoformat(request.POST.get("period", ""))
    except ValueError:
        messages.error(request, _("Choose a month."))
        return redirect("payment:index")
    try:
        kind = request.POST.get("kind") or PaymentRun.Kind.CAPITATION
        if kind not in COMPUTABLE:
            raise Http404
        run = services.start_run(actor=request.user, scheme=scheme, region=region, period=period, kind=kind)
        run = _compute(request, run)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("payment:index")
    messages.success(request, _("The run is computed; check it and pass it on."))
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
    ip_claims = ClaimPayment.objects.filter(run=run, claim_type="ip").values_list("claim_id", flat=True)
    demo = demo_tables_used(list(ip_claims[:5000])) if run.kind in (PaymentRun.Kind.IP, PaymentRun.Kind.YEAR_END) \
        else ""
    return render(request, "payment/run.html", {
        "run": run, "payments": payments, "demo_tables": demo, "events": run.events.select_related("actor"),
        "can_step": can_step,
        "next_status": step[0] if step else None, "can_compute": run.computed_at is None and scope.role in WORKERS
        and run.kind in COMPUTABLE, "corrections": run.adjustments.all(),
        "year": run.summary if run.kind == PaymentRun.Kind.YEAR_END else None,
        "months": run.summary.get("months", []) if run.kind == PaymentRun.Kind.IP else [],
        "pricing": engine_runs.progress(run), "engine_page": scope.role == Role.NATIONAL})


@role_required(*WORKERS)
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    try:
        _compute(request, run)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("payment:run", pk=run.pk)


def _compute(request: HttpRequest, run: PaymentRun) -> PaymentRun:
    if run.kind == PaymentRun.Kind.IP:
        from openuhc.payment.claims_runs import compute_ip_from_claims

        return compute_ip_from_claims(actor=request.user, run=run)
    if run.kind == PaymentRun.Kind.FEE:
        from openuhc.payment.fee_runs import compute_fee

        return compute_fee(actor=request.user, run=run)
    if run.kind == PaymentRun.Kind.YEAR_END:
        from openuhc.payment.year_end import compute_year_end

        return compute_year_end(actor=request.user, run=run)
    return services.compute_capitation(actor=request.user, run=run)


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
    if not services.may_see_statement(request.scope, unit):  # type: ignore[attr-defined]
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
    data = services.statement(unit=unit, period=period, published_only=scope.role not in WORKERS)
    data["month_label"] = _month_label(period)
    data["month"] = month
    data["demo_tables"] = demo_tables_used([c.claim_id for c in data["claims"] if c.claim_type == "ip"])
    data["can_open_claims"] = scope.role in (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL)
    return data


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
        return xlsx_response(f"{name}.xlsx", _statement_sheets(context))
    return render(request, "payment/statement.html", context)


def _statement_sheets(context: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    summary = [[p.run_id, p.run.get_kind_display(), p.run.get_status_display(), p.population, p.claims, p.gross,
                p.rti_deduction, p.salary_deduction, p.net] for p in context["payments"]]
    totals = context["totals"]
    summary.append([_("Total"), "", "", context["population"], "", totals["gross"], totals["rti_deduction"],
                    totals["salary_deduction"], totals["net"]])
    capitation = [[c.run_id, c.age_group, c.min_age, c.max_age, c.population, c.weight, c.amount]
                  for c in context["capitation"]]
    claims = [[c.run_id, c.claim_id, c.detail.get("drg", ""), c.detail.get("rw", ""), c.detail.get("adjrw", ""),
               c.detail.get("adjrw2", ""), c.detail.get("exact", ""), c.detail.get("late_percent", ""),
               c.detail.get("rate", ""), c.gross, c.rti_deduction, c.salary_deduction, c.net,
               c.detail.get("reasons", c.detail.get("reason", ""))] for c in context["claims"]]
    notice = {_("Not official"): ([_("notice")], [[_("The inpatient lines of this statement were grouped with the "
                                                 "invented table set %(version)s: the amounts are a demonstration, "
                                                 "not a payment.") % {"version": context["demo_tables"]}]])} \
        if context.get("demo_tables") else {}
    return {
        **notice,
        _("Summary"): ([_("run"), _("kind"), _("status"), _("population"), _("claims"), _("gross"),
                        _("road-traffic insurance"), _("salary deduction"), _("net")], summary),
        _("Capitation"): ([_("run"), _("age group"), _("from age"), _("to age"), _("population"), _("weight"),
                           _("amount")], capitation),
        _("Claims"): ([_("run"), _("claim"), "DRG", "RW", "AdjRW", "AdjRW2", _("exact"), _("late %"), _("rate"),
                       _("amount"), _("road-traffic insurance"), _("salary deduction"), _("net"), _("reasons")],
                      claims),
    }


# --- charts -----------------------------------------------------------------------------------------------------

def _yyyymm_label(month: int) -> str:
    return _month_label(date(month // 100, month % 100, 1))


def ip_charts(scope: Any) -> list[Chart]:
    """Inpatient charts of the published IP runs a user may see: the rate per AdjRW by region and month, the
    money paid against the budget by month, the units with the most AdjRW (hospital staff: their own units)."""
    runs = list(services.runs_for(scope).filter(status=PaymentRun.Status.PUBLISHED, kind=PaymentRun.Kind.IP)
                .order_by("period", "region__number"))
    if not runs:
        return []
    rates: dict[int, dict[int, Decimal]] = {}
    money: dict[int, list[Decimal]] = {}
    for run in runs:
        for m in run.summary.get("months", []):
            rates.setdefault(m["region"], {})[m["month"]] = Decimal(m["rate"])
            paid = money.setdefault(m["month"], [Decimal(0), Decimal(0)])
            paid[0] += Decimal(m["budget"])
            paid[1] += Decimal(m["total"])
    months = sorted(money)
    labels = [_yyyymm_label(m) for m in months]
    rate_chart = Chart("ip-rate-by-region", _("Rate per AdjRW by region and month (baht)"), labels=labels,
                       kind="line", series=[Series(_("region %(n)s") % {"n": region},
                                                   [rates[region].get(m) for m in months])
                                            for region in sorted(rates)])
    budget_chart = Chart("ip-paid-against-budget", _("Inpatient money paid against the budget, by month (baht)"),
                         labels=labels, series=[Series(_("budget"), [money[m][0] for m in months]),
                                                Series(_("paid"), [money[m][1] for m in months])])
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
    runs = services.runs_for(scope).filter(status=PaymentRun.Status.PUBLISHED, kind=PaymentRun.Kind.CAPITATION)
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
