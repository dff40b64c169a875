"""Pages for Section 41 assistance: requests, the decision and payment steps, the yearly reserve."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.access import Seen, record_access
from openuhc.core.dates import fiscal_year, today
from openuhc.core.errors import DomainError
from openuhc.core.forms import flash_form_errors
from openuhc.geo.models import Region
from openuhc.registry.models import PersonAccess
from openuhc.rights import assistance
from openuhc.rights import forms as F
from openuhc.rights.models import AssistanceRequest, Case

ROLES = (Role.NATIONAL, Role.REGIONAL, Role.CENTRE)
S = AssistanceRequest.Status


def _seen(found: AssistanceRequest) -> Seen:
    """For the access log: the injured person of a request (by name on the page; by record when unknown)."""
    return Seen(person_id=found.person_id, citizen_id=found.person.citizen_id if found.person_id else "",
                record=f"s41:{found.number}")


@role_required(*ROLES)
def request_list(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    requests = assistance.requests_in_scope(scope).select_related("region", "unit", "centre", "person")
    status = request.GET.get("status", "")
    if status in S.values:
        requests = requests.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        requests = requests.filter(Q(number__icontains=query) | Q(injured_name__icontains=query)
                                   | Q(unit__code__startswith=query))
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    record_access(request, [_seen(r) for r in page], action=PersonAccess.Action.VIEW)  # injured people's names
    regions = [scope.region] if scope.role == Role.REGIONAL else (
        [scope.centre.region] if scope.role == Role.CENTRE else list(Region.objects.all()))
    year = fiscal_year(today())
    return render(request, "rights/assistance_list.html", {
        "page": page, "status": status, "statuses": S.choices, "today": today(), "q": query,
        "reserves": [assistance.reserve(year, region) for region in regions], "year": year,
        "ceilings": assistance.ceilings(today()),
    })


@role_required(*ROLES)
def request_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    initial: dict[str, Any] = {"received_on": today()}
    case = None
    if request.GET.get("case"):
        case = Case.objects.filter(number=request.GET["case"]).first()
    if scope.role == Role.REGIONAL:
        initial["region"] = scope.region
    elif scope.role == Role.CENTRE:
        initial["region"] = scope.centre.region
    if case is not None:
        initial.update(region=case.region, unit=case.unit.code if case.unit else "", description=case.description)
    form = F.AssistanceForm(request.POST or None, initial=initial)
    if scope.role != Role.NATIONAL:
        form.fields["region"].queryset = Region.objects.filter(pk=initial["region"].pk)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            case_number = request.POST.get("case", "")
            from openuhc.rights.services import can_handle

            linked = Case.objects.filter(number=case_number).first() if case_number else None
            if linked is not None and not can_handle(scope, linked):
                raise PermissionDenied
            try:
                created = assistance.file_request(
                    actor=request.user, region=data["region"], requester_kind=data["requester_kind"],
                    requester_name=data["requester_name"], injured_name=data["injured_name"], unit=data["unit"],
                    incident_on=data["incident_on"], known_on=data["known_on"], received_on=data["received_on"],
                    description=data["description"], centre=scope.centre if scope.role == Role.CENTRE else None,
                    case=linked)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Request %(number)s recorded.") % {"number": created.number})
                return redirect("rights:assistance", number=created.number)
        else:
            flash_form_errors(request, form)
    return render(request, "rights/assistance_new.html", {"form": form, "case": case})


def _request(request: HttpRequest, number: str) -> AssistanceRequest:
    scope = request.scope  # type: ignore[attr-defined]
    found = get_object_or_404(AssistanceRequest.objects.select_related("region", "unit", "centre", "case"),
                              number=number)
    if not assistance.requests_in_scope(scope).filter(pk=found.pk).exists():
        raise PermissionDenied
    return found


@role_required(*ROLES)
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    found = _request(request, number)
    decide = assistance.can_decide(scope, found)
    record_access(request, [_seen(found)], action=PersonAccess.Action.VIEW)
    forms: dict[str, Any] = {}
    if found.status in (S.RECEIVED, S.COMPLETE, S.APPEALED):
        forms["evidence"] = F.EvidenceForm(initial={"received_on": today()})
    if found.status == S.RECEIVED and decide:
        forms["complete"] = F.CompleteForm(initial={"on": today()})
    if found.status in (S.COMPLETE, S.APPEALED) and decide:
        forms["decide"] = F.DecisionForm(initial={"decided_on": today()})
    if found.status in (S.APPROVED, S.REJECTED, S.PAID) and found.appeal_by:
        forms["appeal"] = F.AppealForm(initial={"filed_on": today()})
    if found.status == S.APPROVED and decide:
        forms["pay"] = F.PaymentForm(initial={"paid_on": today()})
    return render(request, "rights/assistance.html", {
        "req": found, "forms": forms, "decision": assistance.current_decision(found),
        "decisions": found.decisions.all(), "payments": found.payments.all(), "appeals": found.appeals.all(),
        "evidence": found.evidence.all(), "events": found.events.select_related("actor"),
        "paid": assistance.paid_total(found), "due": assistance.still_due(found),
        "ceilings": assistance.ceilings(today()), "overdue": assistance.decision_overdue(found, today()),
    })


@require_POST
@role_required(*ROLES)
def request_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    found = _request(request, number)
    forms = {"evidence": F.EvidenceForm, "complete": F.CompleteForm, "decide": F.DecisionForm,
             "appeal": F.AppealForm, "pay": F.PaymentForm}
    if action not in forms:
        raise PermissionDenied
    if action in ("complete", "decide", "pay") and not assistance.can_decide(scope, found):
        raise PermissionDenied
    form = forms[action](request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("rights:assistance", number=number)
    data = form.cleaned_data
    try:
        if action == "evidence":
            assistance.add_evidence(found, actor=request.user, kind=data["kind"], description=data["description"],
                                    received_on=data["received_on"], file=data["file"])
        elif action == "complete":
            assistance.mark_complete(found, actor=request.user, on=data["on"])
        elif action == "decide":
            assistance.decide(found, actor=request.user, approved=data["approved"], decided_on=data["decided_on"],
                              committee=data["committee"], reason=data["reason"], category=data["category"],
                              amount=data["amount"])
        elif action == "appeal":
            assistance.appeal(found, actor=request.user, filed_on=data["filed_on"], reason=data["reason"])
        else:
            assistance.pay(found, actor=request.user, paid_on=data["paid_on"], reference=data["reference"],
                           amount=data["amount"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("rights:assistance", number=number)


@role_required(Role.NATIONAL, Role.REGIONAL)
def reserve_page(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    try:
        year = int(request.GET.get("year") or fiscal_year(today()))
    except ValueError:
        year = fiscal_year(today())
    regions = [scope.region] if scope.role == Role.REGIONAL else list(Region.objects.all())
    form = F.ReserveForm(request.POST or None, initial={"fiscal_year": year, "allocated_on": today()})
    if request.method == "POST":
        if scope.role != Role.NATIONAL:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                assistance.allocate_reserve(actor=request.user, fiscal_year=data["fiscal_year"],
                                            region=data["region"], amount=data["amount"], on=data["allocated_on"],
                                            note=data["note"])
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={data['fiscal_year']}")
        else:
            flash_form_errors(request, form)
    return render(request, "rights/reserve.html", {
        "year": year, "reserves": [assistance.reserve(year, r) for r in regions],
        "form": form if scope.role == Role.NATIONAL else None,
    })
