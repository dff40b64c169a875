from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import ELIGIBILITY_ROLES, PERSONAL_DATA_ROLES, Role
from openuhc.accounts.scope import role_required
from openuhc.core.access import Seen, record_access
from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_response
from openuhc.registry import search as search_names
from openuhc.registry import services
from openuhc.registry.audit import accesses_between, log_access
from openuhc.registry.forms import AccessLogForm, DeathForm, EligibilityForm, RegistrationChangeForm
from openuhc.registry.ids import format_citizen_id, normalize_citizen_id, validate_citizen_id
from openuhc.registry.models import Coverage, Person, PersonAccess, Registration

PAGE_SIZE = 50


def _with_today(people):  # noqa: ANN001, ANN202
    on = today()
    current = Coverage.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)).select_related("scheme")
    return people.select_related("current_registration__main_unit", "subdistrict").prefetch_related(
        Prefetch("coverages", queryset=current, to_attr="coverage_today"))


@role_required(*PERSONAL_DATA_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    query = request.GET.get("q", "").strip()
    context: dict = {"q": query, "page": None, "problem": None}
    if not query:
        context["in_scope"], context["estimated"] = search_names.people_in_scope(scope)
    if query:
        digits = normalize_citizen_id(query)
        people = scope.persons()
        if digits.isdigit():
            try:
                cid = validate_citizen_id(digits)
            except DomainError as error:
                context["problem"] = error.message
                return render(request, "registry/search.html", context)
            people = people.filter(citizen_id=cid)
            if not people.exists() and Person.objects.filter(citizen_id=cid).exists():
                context["problem"] = _(
                    "This person is not registered with the units you work for. "
                    "The eligibility check shows their coverage and registered unit.")
            people = people.order_by("last_name_th", "first_name_th", "pk")
            page = search_names.first_matches(_with_today(people), page=request.GET.get("page"), size=PAGE_SIZE)
        else:
            people = search_names.people_to_walk(scope, page_size=PAGE_SIZE)
            page = search_names.name_matches(people, query, page=request.GET.get("page"), size=PAGE_SIZE,
                                             rows=_with_today)
        log_access(actor=request.user, role=scope.role, persons=page.object_list, action=PersonAccess.Action.SEARCH,
                   request=request)
        context["page"] = page
    return render(request, "registry/search.html", context)


def _visible_person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("subdistrict__district__province__region"), pk=pk)
    if not request.scope.can_see_person(person):  # type: ignore[attr-defined]
        raise PermissionDenied
    return person


@role_required(*PERSONAL_DATA_ROLES)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    person = _visible_person(request, pk)
    log_access(actor=request.user, role=scope.role, persons=[person], action=PersonAccess.Action.VIEW, request=request)
    coverages = person.coverages.select_related("scheme").order_by("-valid_from")
    registrations = Registration.objects.filter(person=person).select_related(
        "main_unit", "primary_unit", "referral_unit").order_by("-effective_from", "-id")
    can_manage = scope.role in (Role.NATIONAL, Role.REGIONAL)
    return render(request, "registry/detail.html", {
        "person": person, "coverages": coverages, "registrations": registrations,
        "eligibility": services.check_eligibility(person.citizen_id, today()),
        "can_manage": can_manage, "registration_form": RegistrationChangeForm() if can_manage else None,
        "death_form": DeathForm() if can_manage and not person.death_date else None,
    })


@role_required(*PERSONAL_DATA_ROLES)
@require_POST
def reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    person = _visible_person(request, pk)
    if not scope.can_reveal_id(person):
        raise PermissionDenied
    log_access(actor=request.user, role=scope.role, persons=[person], action=PersonAccess.Action.REVEAL_ID,
               request=request)
    return render(request, "registry/_full_id.html", {"citizen_id": format_citizen_id(person.citizen_id)})


@role_required(Role.NATIONAL, Role.REGIONAL)
@require_POST
def change_registration(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    form = RegistrationChangeForm(request.POST)
    if form.is_valid():
        try:
            units = {k: form.cleaned_data[k] for k in ("main_unit", "primary_unit", "referral_unit")}
            services.register(actor=request.user, person=person, reason=form.cleaned_data["reason"], source="web",
                              **units)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The new registration is in force from today."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("registry:detail", pk=person.pk)


@role_required(Role.NATIONAL, Role.REGIONAL)
@require_POST
def record_death(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    form = DeathForm(request.POST)
    if form.is_valid():
        try:
            services.record_death(actor=request.user, person=person, death_date=form.cleaned_data["death_date"],
                                  source=form.cleaned_data["source"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The death was recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("registry:detail", pk=person.pk)


@role_required(*ELIGIBILITY_ROLES)
def eligibility(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    result = None
    form = EligibilityForm(request.GET or None)
    if form.is_valid():
        result = services.check_eligibility(form.cleaned_data["citizen_id"], form.cleaned_data["on"])
        if result.person is not None:
            log_access(actor=request.user, role=scope.role, persons=[result.person],
                       action=PersonAccess.Action.ELIGIBILITY, request=request)
    can_open = result is not None and result.person is not None and scope.can_see_person(result.person)
    return render(request, "registry/eligibility.html", {"form": form, "result": result, "can_open": can_open})


def _day_bounds(start, end):  # noqa: ANN001, ANN202
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


@role_required(Role.NATIONAL)
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogForm(request.GET or None)
    rows = None
    problem = None
    if form.is_valid():
        person = None
        cid = form.cleaned_data["citizen_id"]
        if cid:
            try:
                person = Person.objects.filter(citizen_id=validate_citizen_id(cid)).first()
            except DomainError as error:
                problem = error.message
            else:
                if person is None:
                    problem = _("No person with this citizen ID is in the registry.")
        if problem is None:
            start, end = _day_bounds(form.cleaned_data["start"], form.cleaned_data["end"])
            rows = accesses_between(start, end, person=person, username=form.cleaned_data["username"])
            if request.GET.get("format") == "csv":
                # the CSV holds whole citizen IDs: reading the log is itself logged, once per person in it
                record_access(request, (Seen(person_id=p, citizen_id=c) for p, c in
                                        rows.values_list("person_id", "citizen_id").distinct().iterator()),
                              action=PersonAccess.Action.EXPORT)
                return _access_csv(rows)
            rows = Paginator(rows, 200).get_page(request.GET.get("page"))
            record_access(request, (Seen(person_id=r.person_id, citizen_id=r.citizen_id) for r in rows),
                          action=PersonAccess.Action.VIEW)
    return render(request, "registry/access_log.html", {"form": form, "page": rows, "problem": problem})


def _access_csv(rows) -> HttpResponse:  # noqa: ANN001
    return csv_response("access-log.csv", ["at", "username", "role", "person_citizen_id", "action", "path", "ip"], (
        [timezone.localtime(row.at).isoformat(), row.actor_username, row.actor_role,
         row.citizen_id or (row.person.citizen_id if row.person else ""), row.action, row.path, row.ip or ""]
        for row in rows.iterator()))
