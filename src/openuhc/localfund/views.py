"""Pages of the local funds: a fund officer's workspace, the regional/national overview, the public page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import fiscal_year, today
from openuhc.core.errors import DomainError
from openuhc.core.exports import pdf_response, xlsx_response
from openuhc.core.forms import flash_form_errors
from openuhc.localfund import forms as F
from openuhc.localfund import reports, services
from openuhc.localfund.models import (
    CommitteeMember,
    Fund,
    HealthPlan,
    LedgerEntry,
    Meeting,
    PlanTarget,
    Project,
)

VIEW_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.LOCALFUND)
OVERVIEW_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.ANALYST)


# --- scope ----------------------------------------------------------------------------------------------------
def funds_in_scope(scope: Any) -> QuerySet:
    funds = Fund.objects.all()
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return funds
    if scope.role == Role.REGIONAL:
        return funds.filter(local_government__province__region=scope.region)
    if scope.role == Role.LOCALFUND and scope.fund is not None:
        return funds.filter(pk=scope.fund.pk)
    return funds.none()


def _fund(request: HttpRequest, code: str, *, write: bool = False) -> Fund:
    """The fund a page is about, if the user may see it; writing is for the fund's own officers only."""
    scope = request.scope  # type: ignore[attr-defined]
    fund = get_object_or_404(Fund.objects.select_related("local_government__province__region"), code=code)
    if not funds_in_scope(scope).filter(pk=fund.pk).exists():
        raise PermissionDenied
    if write and not (scope.role == Role.LOCALFUND and scope.fund and scope.fund.pk == fund.pk):
        raise PermissionDenied
    return fund


def _can_write(request: HttpRequest, fund: Fund) -> bool:
    scope = request.scope  # type: ignore[attr-defined]
    return scope.role == Role.LOCALFUND and scope.fund is not None and scope.fund.pk == fund.pk


def _year(request: HttpRequest, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2400 < year < 2800 else (default or fiscal_year(today()))


def _back(fund: Fund, year: int, anchor: str = "") -> HttpResponseRedirect:
    return redirect(f"{reverse('localfund:fund', args=[fund.code])}?year={year}{anchor}")


# --- lists and overview -------------------------------------------------------------------------------------
@role_required(*VIEW_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    if scope.role == Role.LOCALFUND:
        return redirect("localfund:fund", code=scope.fund.code)
    return redirect("localfund:overview")


@role_required(*OVERVIEW_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    funds = funds_in_scope(scope)
    years = reports.years_with_data(funds)
    year = _year(request, years[0] if years else None)
    rows = sorted(reports.overview(funds, year), key=lambda r: r.fund.code)
    by = "province" if scope.role == Role.REGIONAL else "region"
    groups = reports.group_rows(rows, by)
    query = request.GET.get("q", "").strip()
    listed = [r for r in rows if query.lower() in f"{r.fund.code} {r.fund.name_th} {r.fund.name_en}".lower()] \
        if query else rows
    labels = [g["label"] for g in groups]
    money_chart = Chart("fund-money", _("Money in and out, FY%(year)s (baht)") % {"year": year}, labels, [
        Series(_("Brought forward"), [g["available"] - g["receipts"] for g in groups]),
        Series(_("Receipts"), [g["receipts"] for g in groups]),
        Series(_("Spent"), [g["spent"] for g in groups]),
    ])
    compliant = sum(1 for r in rows if r.compliant)
    short = sum(1 for r in rows if r.compliant is False)
    no_transfer = sum(1 for r in rows if r.compliant is None)
    cofunding_chart = Chart("fund-cofunding", _("Co-funding compliance (funds)"),
                            [_("Met"), _("Short"), _("No transfer yet")],
                            [Series(_("funds"), [compliant, short, no_transfer])], kind="doughnut")
    bands = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 101)]
    shares = [r.unspent_share for r in rows if r.unspent_share is not None]
    unspent_chart = Chart("fund-unspent", _("Funds by unspent share of available money"),
                          [f"{lo}–{min(hi, 100)} %" for lo, hi in bands],
                          [Series(_("funds"), [sum(1 for s in shares if lo <= s < hi) for lo, hi in bands])])
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    return render(request, "localfund/overview.html", {"q": query,
        "year": year, "years": sorted({year, *years}, reverse=True), "groups": groups, "page": page,
        "charts": [money_chart, cofunding_chart, unspent_chart], "by": by,
        "personal": scope.role != Role.ANALYST, "totals": {
            "funds": len(rows), "available": sum((r.available for r in rows), Decimal(0)),
            "spent": sum((r.spent for r in rows), Decimal(0)),
            "end_balance": sum((r.end_balance for r in rows), Decimal(0))},
    })


# --- one fund -----------------------------------------------------------------------------------------------
@role_required(*VIEW_ROLES)
def fund_detail(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    year = _year(request, services.working_year(fund))
    summary = reports.year_summary(fund, year)
    projects = Project.objects.filter(fund=fund, year=year).order_by("number")
    can_write = _can_write(request, fund)
    return render(request, "localfund/fund.html", {
        "fund": fund, "year": year, "years": sorted({year, *reports.years_with_data(Fund.objects.filter(pk=fund.pk)),
                                                     fiscal_year(today())}, reverse=True),
        "summary": summary, "projects": projects, "paid": reports.paid_by_project(projects),
        "labels": {c: cat.label for c, cat in services.categories(year).items()},
        "transfer": services.expected_transfer(fund, year),
        "incomes": fund.incomes.filter(year=year).order_by("received_on", "id"),
        "can_write": can_write, "income_form": F.IncomeForm() if can_write else None,
    })


@role_required(Role.LOCALFUND)
@require_POST
def income_add(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code, write=True)
    year = _year(request)
    form = F.IncomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            income = services.record_income(actor=request.user, fund=fund, year=year, kind=data["kind"],
                                            received_on=data["received_on"], amount=data["amount"],
                                            basis_count=data["basis_count"], note=data["note"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(kind)s of %(amount)s baht recorded.") % {
                "kind": income.get_kind_display(), "amount": f"{income.amount:,.2f}"})
    else:
        flash_form_errors(request, form)
    return _back(fund, year, "#income")


@role_required(Role.LOCALFUND)
@require_POST
def year_close(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code, write=True)
    year = _year(request)
    try:
        services.close_year(actor=request.user, fund=fund, year=year)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("FY%(year)s is closed; its balances were carried over to FY%(next)s.") % {
            "year": year, "next": year + 1})
        year += 1
    return _back(fund, year)


@role_required(*VIEW_ROLES)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    year = _year(request, services.working_year(fund))
    entries = (LedgerEntry.objects.filter(fund=fund, year=year).select_related("project", "created_by")
               .order_by("entry_date", "id"))
    running, rows = Decimal("0.00"), []
    for entry in entries:
        running += entry.amount
        rows.append((entry, running))
    return render(request, "localfund/ledger.html", {"fund": fund, "year": year, "rows": rows,
                                                     "total": services.balance(fund, year=year)})


# --- projects -------------------------------------------------------------------------------------------------
@role_required(Role.LOCALFUND)
def project_new(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code, write=True)
    year = _year(request, services.working_year(fund))
    form = F.ProjectForm(request.POST or None, fund=fund, year=year)
    lines = F.BudgetLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            data = form.cleaned_data
            try:
                project = services.submit_project(
                    actor=request.user, fund=fund, year=year,
                    budget_lines=[(line.get("description", ""), line.get("amount"))
                                  for line in lines.cleaned_data if line],
                    **{k: data[k] for k in ("title", "category", "proposer_kind", "proposer_name", "contact_person",
                                            "objectives", "target_group", "target_count", "activities",
                                            "expected_outputs", "plan_target", "submitted_on")})
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Project %(ref)s submitted.") % {"ref": project.reference})
                return redirect("localfund:project", code=fund.code, pk=project.pk)
        else:
            flash_form_errors(request, form)
    return render(request, "localfund/project_form.html", {"fund": fund, "year": year, "form": form, "lines": lines})


def _project(fund: Fund, pk: int) -> Project:
    return get_object_or_404(Project.objects.select_related("plan_target"), fund=fund, pk=pk)


@role_required(*VIEW_ROLES)
def project_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    fund = _fund(request, code)
    project = _project(fund, pk)
    can_write = _can_write(request, fund)
    forms: dict[str, Any] = {}
    if can_write:
        status = project.status
        if status == Project.Status.SUBMITTED:
            forms["decide"] = F.DecisionForm(fund=fund)
        elif status == Project.Status.RETURNED:
            forms["resubmit"] = F.ResubmitForm()
        elif status == Project.Status.APPROVED:
            forms["agree"] = F.AgreementForm()
        elif status == Project.Status.AGREED:
            forms["disburse"] = F.DisbursementForm()
            forms["report"] = F.ReportForm()
        elif status == Project.Status.REPORTED:
            forms["close"] = F.CloseForm()
    return render(request, "localfund/project.html", {
        "fund": fund, "project": project, "year": project.year, "paid": services.paid(project),
        "category": services.category_label(project.year, project.category),
        "events": project.events.select_related("meeting", "actor"), "forms": forms, "can_write": can_write,
        "lines": project.budget_lines.all(), "disbursements": project.disbursements.all(),
        "reports": project.reports.all(), "resolutions": project.resolutions.select_related("meeting"),
    })


@role_required(Role.LOCALFUND)
@require_POST
def project_action(request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
    fund = _fund(request, code, write=True)
    project = _project(fund, pk)
    actor = request.user
    form_class = {"decide": F.DecisionForm, "resubmit": F.ResubmitForm, "agree": F.AgreementForm,
                  "disburse": F.DisbursementForm, "report": F.ReportForm, "close": F.CloseForm}.get(action)
    if form_class is None:
        raise PermissionDenied
    form = form_class(request.POST, fund=fund) if action == "decide" else form_class(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("localfund:project", code=fund.code, pk=project.pk)
    data = form.cleaned_data
    try:
        if action == "decide":
            services.decide_project(actor=actor, project=project, meeting=data["meeting"], decision=data["decision"],
                                    amount=data["amount"], conditions=data["conditions"])
            done = {"approve": _("The project was approved."), "reject": _("The project was rejected."),
                    "return": _("The project was returned with conditions.")}[data["decision"]]
        elif action == "resubmit":
            services.resubmit_project(actor=actor, project=project, submitted_on=data["submitted_on"])
            done = _("The project was submitted again.")
        elif action == "agree":
            services.sign_agreement(actor=actor, project=project, agreement_no=data["agreement_no"],
                                    agreement_date=data["agreement_date"])
            done = _("The agreement was recorded.")
        elif action == "disburse":
            row = services.disburse(actor=actor, project=project, amount=data["amount"], paid_on=data["paid_on"])
            done = _("Instalment %(n)s of %(amount)s baht paid.") % {"n": row.instalment,
                                                                       "amount": f"{row.amount:,.2f}"}
        elif action == "report":
            services.report_progress(actor=actor, project=project, kind=data["kind"], reported_on=data["reported_on"],
                                     text=data["text"], spent_to_date=data["spent_to_date"],
                                     people_reached=data["people_reached"])
            done = _("The report was recorded.")
        else:
            services.close_project(actor=actor, project=project, closed_on=data["closed_on"])
            done = _("The project is closed.")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("localfund:project", code=fund.code, pk=project.pk)


# --- committee and plan ---------------------------------------------------------------------------------------
@role_required(*VIEW_ROLES)
def committee(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    can_write = _can_write(request, fund)
    if request.method == "POST":
        fund = _fund(request, code, write=True)
        kind = request.POST.get("form")
        form = F.MemberForm(request.POST) if kind == "member" else F.MeetingForm(request.POST, fund=fund)
        if form.is_valid():
            try:
                if kind == "member":
                    services.add_member(actor=request.user, fund=fund, **form.cleaned_data)
                    messages.success(request, _("Member added."))
                else:
                    meeting = services.record_meeting(actor=request.user, fund=fund, **form.cleaned_data)
                    if meeting.quorum_met:
                        messages.success(request, _("%(meeting)s recorded: quorum met.") % {"meeting": meeting})
                    else:
                        messages.warning(request, _("%(meeting)s recorded without a quorum: it cannot decide on "
                                                    "projects.") % {"meeting": meeting})
            except DomainError as error:
                messages.error(request, error.message)
        else:
            flash_form_errors(request, form)
        return redirect("localfund:committee", code=fund.code)
    meetings = (Meeting.objects.filter(fund=fund).order_by("-held_on", "-number")
                .prefetch_related("attendees", "resolutions"))[:50]
    return render(request, "localfund/committee.html", {
        "fund": fund, "members": CommitteeMember.objects.filter(fund=fund).order_by("-term_end", "role", "name"),
        "meetings": meetings, "on": today(), "can_write": can_write,
        "member_form": F.MemberForm() if can_write else None,
        "meeting_form": F.MeetingForm(fund=fund) if can_write else None,
    })


@role_required(*VIEW_ROLES)
def plan(request: HttpRequest, code: str) -> HttpResponse:
    fund = _fund(request, code)
    year = _year(request, services.working_year(fund))
    can_write = _can_write(request, fund)
    if request.method == "POST":
        fund = _fund(request, code, write=True)
        form = F.PlanTargetForm(request.POST)
        if form.is_valid():
            services.add_plan_target(actor=request.user, fund=fund, year=year, **form.cleaned_data)
            messages.success(request, _("Target added to the health plan."))
        else:
            flash_form_errors(request, form)
        return redirect(f"{reverse('localfund:plan', args=[fund.code])}?year={year}")
    targets = (PlanTarget.objects.filter(plan__fund=fund, plan__year=year)
               .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("number"))))
    return render(request, "localfund/plan.html", {
        "fund": fund, "year": year, "plan": HealthPlan.objects.filter(fund=fund, year=year).first(),
        "targets": targets, "can_write": can_write, "form": F.PlanTargetForm() if can_write else None,
    })


# --- reports ----------------------------------------------------------------------------------------------------
@role_required(*VIEW_ROLES)
def statement_pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    fund = _fund(request, code)
    with translation.override("th"):  # the annual statement is a Thai document, whatever the page language
        return pdf_response(f"statement-{fund.code}-{year}.pdf", "localfund/statement_pdf.html",
                            reports.statement(fund, year))


@role_required(*VIEW_ROLES)
def statement_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    fund = _fund(request, code)
    return xlsx_response(f"statement-{fund.code}-{year}.xlsx", reports.statement_sheets(reports.statement(fund, year)))


# --- public pages (no login) -------------------------------------------------------------------------------
PUBLIC_STATUSES = (Project.Status.APPROVED, Project.Status.AGREED, Project.Status.REPORTED, Project.Status.CLOSED)


def public_list(request: HttpRequest) -> HttpResponse:
    funds = Fund.objects.filter(is_active=True).select_related("local_government__province")
    query = request.GET.get("q", "").strip()
    if query:
        funds = funds.filter(name_th__icontains=query) | funds.filter(name_en__icontains=query) \
            | funds.filter(code__icontains=query)
    page = Paginator(funds.order_by("code"), 100).get_page(request.GET.get("page"))
    return render(request, "localfund/public_list.html", {"page": page, "q": query})


def public_fund(request: HttpRequest, code: str) -> HttpResponse:
    """What the public may see: money in and out, approved projects with amounts, categories and results.
    No names of committee members or contact persons, no citizen IDs."""
    fund = get_object_or_404(Fund.objects.select_related("local_government"), code=code, is_active=True)
    year = _year(request, services.working_year(fund))
    summary = reports.year_summary(fund, year)
    projects = Project.objects.filter(fund=fund, year=year, status__in=PUBLIC_STATUSES).order_by("number")
    labels = {c: cat.label for c, cat in services.categories(year).items()}
    by_category: dict[str, Decimal] = {}
    for p in projects:
        by_category[p.category] = by_category.get(p.category, Decimal(0)) + (p.approved_amount or 0)
    chart = Chart("public-categories", _("Approved money by category (baht)"),
                  [labels.get(c, c) for c in by_category], [Series(_("baht"), list(by_category.values()))],
                  kind="doughnut")
    return render(request, "localfund/public_fund.html", {
        "fund": fund, "year": year, "summary": summary, "projects": projects, "labels": labels,
        "paid": reports.paid_by_project(projects), "chart": chart,
        "years": sorted({year, *reports.years_with_data(Fund.objects.filter(pk=fund.pk))}, reverse=True),
    })
