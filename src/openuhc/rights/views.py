"""Pages for cases: the staff's list and case page, and the public form with its follow-up page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core import public
from openuhc.core.access import record_access
from openuhc.core.errors import DomainError
from openuhc.core.forms import flash_form_errors
from openuhc.registry.models import PersonAccess
from openuhc.rights import forms as F
from openuhc.rights import services
from openuhc.rights.models import Case, CaseEvent
from openuhc.rights.services import STAFF_ROLES, VIEW_ROLES

FOLLOW_SESSION_KEY = "rights_following"


# --- staff ------------------------------------------------------------------------------------------------------

@role_required(*VIEW_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    cases = services.cases_in_scope(scope).select_related("category__parent", "unit", "centre", "region",
                                                           "assigned_to")
    status = request.GET.get("status", "open")
    now = timezone.now()
    if status == "open":
        cases = cases.exclude(status=Case.Status.CLOSED)
    elif status == "overdue":
        cases = cases.filter(services.overdue_q(now))
    elif status in Case.Status.values:
        cases = cases.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Case.Kind.values:
        cases = cases.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(subject__icontains=query))
    page = Paginator(cases.order_by("outcome_by", "id"), 50).get_page(request.GET.get("page"))
    rows = [(case, services.is_overdue(case, now)) for case in page]
    return render(request, "rights/cases.html", {
        "page": page, "rows": rows, "status": status, "kind": kind, "kinds": Case.Kind.choices, "q": query,
        "statuses": [("open", _("Open")), ("overdue", _("Overdue")), *Case.Status.choices, ("all", _("All"))],
        "can_open": scope.role in STAFF_ROLES, "is_unit": scope.role == Role.HOSPITAL,
    })


@role_required(*STAFF_ROLES)
def case_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = F.StaffCaseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            centre = scope.centre if scope.role == Role.CENTRE else None
            region = scope.region if scope.role == Role.REGIONAL else (centre.region if centre else None)
            if region is None and data["unit"] is not None:
                region = data["unit"].subdistrict.district.province.region
            try:
                case, _secret = services.open_case(
                    actor=request.user, kind=data["kind"], channel=data["channel"], category=data["category"],
                    subject=data["subject"], description=data["description"], centre=centre, region=region,
                    unit=data["unit"], complainant_name=data["name"], complainant_contact=data["contact"],
                    consent_to_record=data["consent_to_record"],
                    share_identity_with_unit=data["share_identity_with_unit"])
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Case %(number)s recorded.") % {"number": case.number})
                return redirect("rights:case", number=case.number)
        else:
            flash_form_errors(request, form)
    return render(request, "rights/case_new.html", {"form": form})


def _case(request: HttpRequest, number: str) -> Case:
    scope = request.scope  # type: ignore[attr-defined]
    case = get_object_or_404(Case.objects.select_related("category__parent", "unit", "centre", "region",
                                                         "assigned_to", "person"), number=number)
    if not services.cases_in_scope(scope).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case


@role_required(*VIEW_ROLES)
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    case = _case(request, number)
    handle = services.can_handle(scope, case)
    forms: dict[str, Any] = {}
    if handle and not case.is_closed:
        if case.acknowledged_at is None:
            forms["acknowledge"] = F.AcknowledgeForm(case=case)
        forms["assign"] = F.AssignForm(staff=services.staff_for(case))
        forms["note"] = F.NoteForm(initial={"audience": CaseEvent.Audience.STAFF}, case=case)
        forms["close"] = F.CloseForm(case=case)
    elif handle:
        forms["reopen"] = F.ReopenForm(case=case)
    if not handle and scope.role == Role.HOSPITAL and not case.is_closed:
        forms["reply"] = F.ReplyForm(case=case)
    view = services.case_view(scope, case)
    record_access(request, services.seen_complainants([view]), action=PersonAccess.Action.VIEW)
    return render(request, "rights/case.html", {
        "case": case, "view": view, "handle": handle, "forms": forms,
        "events": services.visible_events(scope, case), "overdue": services.is_overdue(case, timezone.now()),
        "assistance": case.assistance.all() if handle else [],
    })


ACTIONS = {"acknowledge", "assign", "note", "close", "reopen", "reply"}


@require_POST
@role_required(*VIEW_ROLES)
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    case = _case(request, number)
    if action not in ACTIONS:
        raise PermissionDenied
    if action == "reply":
        if scope.role != Role.HOSPITAL:
            raise PermissionDenied
    elif not services.can_handle(scope, case):
        raise PermissionDenied
    try:
        form_class = {"acknowledge": F.AcknowledgeForm, "note": F.NoteForm, "close": F.CloseForm,
                      "reopen": F.ReopenForm, "reply": F.ReplyForm}.get(action)
        form = (F.AssignForm(request.POST, staff=services.staff_for(case)) if form_class is None
                else form_class(request.POST, case=case))
        if not form.is_valid():
            flash_form_errors(request, form)
            return redirect("rights:case", number=number)
        data = form.cleaned_data
        if action == "acknowledge":
            services.acknowledge(case, actor=request.user, text=data["text"])
        elif action == "assign":
            services.assign(case, actor=request.user, to=data["to"])
        elif action == "note":
            services.add_note(case, actor=request.user, text=data["text"], audience=data["audience"])
        elif action == "close":
            services.close(case, actor=request.user, outcome=data["outcome"], outcome_text=data["outcome_text"])
        elif action == "reopen":
            services.reopen(case, actor=request.user, reason=data["reason"])
        else:
            services.unit_reply(case, actor=request.user, text=data["text"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("rights:case", number=number)


# --- public -----------------------------------------------------------------------------------------------------

def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "rights/public_limited.html", {}, status=429)


def public_form(request: HttpRequest) -> HttpResponse:
    """File a complaint or a question without an account."""
    form = F.PublicCaseForm(request.POST or None)
    if request.method == "POST":
        if not services.allow_public(services.PUBLIC_SUBMIT, public.client_address(request)):
            return _too_many(request)
        if form.is_valid() and not public.is_bot(form):
            data = form.cleaned_data
            province = data["province"]
            centre = services.centre_for_province(province)
            description = data["description"]
            if data["unit_name"] and data["unit"] is None:
                description += "\n\n" + _("Unit named by the person: %(name)s") % {"name": data["unit_name"]}
            try:
                case, secret = services.open_case(
                    actor=None, kind=data["kind"], channel=Case.Channel.WEB_FORM, category=data["category"],
                    subject=data["subject"], description=description, centre=centre, region=province.region,
                    unit=data["unit"], complainant_name=data["name"], complainant_contact=data["contact"],
                    consent_to_record=data["consent_to_record"],
                    share_identity_with_unit=data["share_identity_with_unit"], with_secret=True)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                # A new session key: a session planted on this browser, or shared with it, must not follow
                # the case just filed (the follow page trusts the session). Then the number and secret are
                # shown once on the next page, never put in a URL (URLs end up in logs and histories).
                request.session.cycle_key()
                request.session["rights_filed"] = {"number": case.number, "secret": secret}
                request.session[FOLLOW_SESSION_KEY] = case.number
                return redirect("rights:public_filed")
        elif form.is_valid():
            return _too_many(request)  # the hidden field was filled in: a bot
        else:
            flash_form_errors(request, form)
    return render(request, "rights/public_form.html", {"form": form})


def public_filed(request: HttpRequest) -> HttpResponse:
    filed = request.session.pop("rights_filed", None)
    if not filed:
        return redirect("rights:follow")
    return render(request, "rights/public_filed.html", {"filed": filed})


def follow(request: HttpRequest) -> HttpResponse:
    """Enter the case number and secret; a wrong pair gets the same answer whatever was wrong."""
    form = F.FollowForm(request.POST or None)
    if request.method == "POST":
        if not services.allow_public(services.PUBLIC_LOOKUP, public.client_address(request)):
            return _too_many(request)
        if form.is_valid():
            case = services.find_for_complainant(form.cleaned_data["number"], form.cleaned_data["secret"])
            if case is not None:
                request.session.cycle_key()
                request.session[FOLLOW_SESSION_KEY] = case.number
                return redirect("rights:follow_case")
        messages.error(request, _("No case matches this number and secret code."))
    return render(request, "rights/follow.html", {"form": form})


def _followed(request: HttpRequest) -> Case | None:
    number = request.session.get(FOLLOW_SESSION_KEY)
    return Case.objects.filter(number=number).first() if number else None


def follow_case(request: HttpRequest) -> HttpResponse:
    case = _followed(request)
    if case is None:
        return redirect("rights:follow")
    return render(request, "rights/follow_case.html", {
        "case": case, "events": services.public_events(case), "message_form": F.MessageForm(),
        "rate_form": F.RateForm(), "overdue": services.is_overdue(case, timezone.now()),
    })


@require_POST
def follow_action(request: HttpRequest, action: str) -> HttpResponse:
    case = _followed(request)
    if case is None:
        return redirect("rights:follow")
    try:
        if action == "message":
            form = F.MessageForm(request.POST)
            if form.is_valid():
                services.complainant_message(case, text=form.cleaned_data["text"])
                messages.success(request, _("Your message was added to the case."))
            else:
                flash_form_errors(request, form)
        elif action == "rate":
            form = F.RateForm(request.POST)
            if form.is_valid():
                services.rate(case, score=form.cleaned_data["score"])
                messages.success(request, _("Thank you for your rating."))
            else:
                flash_form_errors(request, form)
        else:
            raise PermissionDenied
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("rights:follow_case"))


@require_POST
def follow_end(request: HttpRequest) -> HttpResponse:
    request.session.pop(FOLLOW_SESSION_KEY, None)
    return redirect("rights:follow")
