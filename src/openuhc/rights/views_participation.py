"""Pages for participation (networks, activities with attendance, public hearings) and the charts overview."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.dates import fiscal_year, today
from openuhc.core.errors import DomainError
from openuhc.core.forms import FlexibleDateField, flash_form_errors
from openuhc.rights import assistance, participation, reports, services
from openuhc.rights import forms as F
from openuhc.rights.models import Activity, Centre, Hearing, HearingIssue, Network, Participant

READ_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.ANALYST)


def _region_of(scope: Any) -> Any:
    if scope.role == Role.REGIONAL:
        return scope.region
    if scope.role == Role.CENTRE and scope.centre is not None:
        return scope.centre.region
    return None


@role_required(*READ_ROLES)
def participation_page(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    region = _region_of(scope)
    networks = Network.objects.select_related("group", "region", "province")
    hearings = Hearing.objects.select_related("region").annotate(
        n_issues=Count("issues"), n_answered=Count("issues", filter=~_blank_answer()))
    centres = Centre.objects.select_related("region").prefetch_related("provinces", "networks")
    if region is not None:
        networks, hearings, centres = (networks.filter(region=region), hearings.filter(region=region),
                                       centres.filter(region=region))
    activities = participation.activities_in_scope(scope)
    can_write = scope.role in participation.WRITE_ROLES
    form = F.ActivityForm(request.POST or None)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = participation.create_activity(
                    actor=request.user, kind=data["kind"], title=data["title"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], place=data["place"], is_international=data["is_international"],
                    region=region or (scope.centre.region if scope.centre else None) or _default_region(),
                    centre=scope.centre if scope.role == Role.CENTRE else None)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                return redirect("rights:activity", pk=activity.pk)
        else:
            flash_form_errors(request, form)
    rows = [(a, participation.attendance_summary(a)) for a in activities[:100]]
    return render(request, "rights/participation.html", {
        "networks": networks, "rows": rows, "hearings": hearings, "centres": centres,
        "form": form if can_write else None,
        "hearing_form": F.HearingForm(initial={"fiscal_year": fiscal_year(today()), "region": region,
                                               "held_on": today()})
        if scope.role in (Role.NATIONAL, Role.REGIONAL) else None,
        "charts": reports.participation_charts(activities, networks),
    })


def _blank_answer() -> Q:
    return Q(issues__answer="")


def _default_region() -> Any:
    from openuhc.geo.models import Region

    return Region.objects.order_by("number").first()


@role_required(*READ_ROLES)
def activity_page(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    activity = get_object_or_404(participation.activities_in_scope(scope), pk=pk)
    participants = activity.participants.select_related("network").prefetch_related("attendance")
    days = [activity.starts_on + timedelta(days=i) for i in range(activity.days)]
    grid = [(p, [any(a.day == d for a in p.attendance.all()) for d in days]) for p in participants]
    return render(request, "rights/activity.html", {
        "activity": activity, "days": days, "grid": grid, "summary": participation.attendance_summary(activity),
        "can_write": participation.can_edit_activity(scope, activity), "form": F.ParticipantForm(),
        # an analyst sees the counts, not the names
        "names": scope.role != Role.ANALYST,
    })


@require_POST
@role_required(*participation.WRITE_ROLES)
def activity_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    activity = get_object_or_404(Activity, pk=pk)
    if not participation.can_edit_activity(scope, activity):
        raise PermissionDenied
    try:
        if action == "participant":
            form = F.ParticipantForm(request.POST)
            if not form.is_valid():
                flash_form_errors(request, form)
                return redirect("rights:activity", pk=pk)
            participation.add_participant(activity, actor=request.user, **form.cleaned_data)
        elif action == "attendance":
            day = FlexibleDateField().clean(request.POST.get("day"))
            present = {int(x) for x in request.POST.getlist("present") if x.isdigit()}
            for participant in Participant.objects.filter(activity=activity, pk__in=present):
                participation.record_attendance(participant, actor=request.user, day=day)
        else:
            raise PermissionDenied
    except DomainError as error:
        messages.error(request, error.message)
    except ValidationError as error:  # a day the form could not read
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("rights:activity", pk=pk)


@require_POST
@role_required(Role.NATIONAL, Role.REGIONAL)
def hearing_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = F.HearingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if scope.role == Role.REGIONAL and data["region"] != scope.region:
            raise PermissionDenied
        try:
            hearing = participation.record_hearing(actor=request.user, **data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("rights:hearing", pk=hearing.pk)
    else:
        flash_form_errors(request, form)
    return redirect("rights:participation")


@role_required(*READ_ROLES)
def hearing_page(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    hearing = get_object_or_404(Hearing.objects.select_related("region"), pk=pk)
    region = _region_of(scope)
    if region is not None and hearing.region_id != region.pk:
        raise PermissionDenied
    can_write = scope.role == Role.NATIONAL or (scope.role == Role.REGIONAL and hearing.region_id == scope.region.pk)
    return render(request, "rights/hearing.html", {
        "hearing": hearing, "issues": hearing.issues.all(), "can_write": can_write, "issue_form": F.IssueForm(),
        "answer_form": F.AnswerForm(initial={"answered_on": today()}),
    })


@require_POST
@role_required(Role.NATIONAL, Role.REGIONAL)
def hearing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    hearing = get_object_or_404(Hearing, pk=pk)
    if scope.role == Role.REGIONAL and hearing.region_id != scope.region.pk:
        raise PermissionDenied
    try:
        if action == "issue":
            form = F.IssueForm(request.POST)
            if form.is_valid():
                participation.raise_issue(hearing, actor=request.user, **form.cleaned_data)
            else:
                flash_form_errors(request, form)
        elif action == "answer":
            issue = get_object_or_404(HearingIssue, pk=request.POST.get("issue"), hearing=hearing)
            form = F.AnswerForm(request.POST)
            if form.is_valid():
                participation.answer_issue(issue, actor=request.user, **form.cleaned_data)
            else:
                flash_form_errors(request, form)
        else:
            raise PermissionDenied
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("rights:hearing", pk=pk)


@role_required(*READ_ROLES)
def overview(request: HttpRequest) -> HttpResponse:
    """Charts of the rights work for the scope: aggregates only (an analyst sees nothing more)."""
    scope = request.scope  # type: ignore[attr-defined]
    region = _region_of(scope)
    cases = services.cases_for_figures(scope)
    year = fiscal_year(today())
    activities = participation.activities_in_scope(scope)
    charts = [*reports.case_charts(cases), reports.s41_chart(region=region),
              *reports.participation_charts(activities)]
    return render(request, "rights/overview.html", {
        "figures": reports.case_figures(cases), "charts": charts, "year": year,
        "can_open_cases": scope.role in services.STAFF_ROLES,
        "ceilings": assistance.ceilings(today()),
    })
