"""Staff pages of bodies: the governance home, a body with its members and meetings, a meeting with its minutes
and resolutions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.dates import today
from openuhc.governance import bodies as B
from openuhc.governance import forms as F
from openuhc.governance import scope as S
from openuhc.governance.models import Body, BodyType, Meeting, Member, Proposal, Secretariat
from openuhc.governance.views_common import run_form


@role_required(*S.VIEW_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    bodies = S.bodies(scope).select_related("body_type", "province", "region").order_by("code")
    cycles = S.cycles(scope).select_related("body").prefetch_related("phases")
    waiting = Proposal.objects.filter(cycle__in=cycles, status=Proposal.Status.SUBMITTED).count()
    return render(request, "governance/index.html", {
        "bodies": bodies, "plans": S.plans(scope).select_related("local_government", "province", "region"),
        "cycles": cycles, "warnings": B.warnings(bodies, today()), "waiting": waiting,
        "can_create_body": scope.role == Role.SECRETARIAT,
        "can_create_plan": scope.role in (Role.PAO, Role.SECRETARIAT),
    })


@role_required(Role.NATIONAL)
def setup(request: HttpRequest) -> HttpResponse:
    """The lists national officers keep: secretariats (the scope of secretariat users) and body types."""
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "secretariat":
            run_form(request, F.SecretariatForm(request.POST),
                     lambda d: B.add_secretariat(actor=request.user, **d), _("Secretariat added."))
        elif kind == "body_type":
            run_form(request, F.BodyTypeForm(request.POST),
                     lambda d: B.add_body_type(actor=request.user, **d), _("Body type added."))
        else:
            raise PermissionDenied
        return redirect("governance:setup")
    return render(request, "governance/setup.html", {
        "secretariats": Secretariat.objects.select_related("province", "region"),
        "types": BodyType.objects.all(), "forms": {"secretariat": F.SecretariatForm(), "body_type": F.BodyTypeForm()},
    })


def _body(request: HttpRequest, code: str) -> Body:
    body = get_object_or_404(Body.objects.select_related("body_type", "secretariat", "province", "region",
                                                         "local_government"), code=code)
    if not S.bodies(request.scope).filter(pk=body.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    return body


@role_required(Role.SECRETARIAT)
def body_new(request: HttpRequest) -> HttpResponse:
    secretariat = request.scope.secretariat  # type: ignore[attr-defined]
    form = F.BodyForm(request.POST or None, secretariat=secretariat)
    if request.method == "POST":
        body = run_form(request, form, lambda d: B.create_body(actor=request.user, secretariat=secretariat, **d),
                        _("Body recorded."))
        if body:
            return redirect("governance:body", code=body.code)
    return render(request, "governance/body_new.html", {"form": form})


@role_required(*S.VIEW_ROLES)
def body(request: HttpRequest, code: str) -> HttpResponse:
    body = _body(request, code)
    can_manage = S.can_manage_body(request.scope, body)  # type: ignore[attr-defined]
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        _body_action(request, body)
        return redirect("governance:body", code=body.code)
    on = today()
    members = B.by_role(body.members.all())
    in_office = set(B.members_in_office(body, on).values_list("pk", flat=True))
    forms: dict[str, Any] = {}
    if can_manage:
        forms = {"member": F.MemberForm(), "leave": F.LeaveForm(body=body), "meeting": F.MeetingForm(body=body)}
    return render(request, "governance/body.html", {
        "body": body, "members": members, "in_office": in_office, "on": on, "forms": forms,
        "warnings": B.warnings([body], on), "quorum": B.quorum_rule(body, on),
        "meetings": body.meetings.order_by("-held_on", "-number").prefetch_related("resolutions")[:60],
        "events": body.events.select_related("actor").order_by("-at")[:30], "can_manage": can_manage,
    })


def _body_action(request: HttpRequest, body: Body) -> None:
    kind = request.POST.get("form")
    user = request.user
    if kind == "member":
        run_form(request, F.MemberForm(request.POST),
                 lambda d: B.appoint_member(actor=user, body=body, **d), _("Member recorded."))
    elif kind == "leave":
        run_form(request, F.LeaveForm(request.POST, body=body),
                 lambda d: B.member_leaves(actor=user, member=d["member"], left_on=d["left_on"], reason=d["reason"]),
                 _("Departure recorded."))
    elif kind == "meeting":
        meeting = run_form(request, F.MeetingForm(request.POST, body=body), lambda d: B.record_meeting(
            actor=user, body=body, held_on=d["held_on"], place=d["place"], agenda=F.lines(d["agenda"]),
            attendees=d["attendees"], reconvenes=d["reconvenes"], notice_reduced_quorum=d["notice_reduced_quorum"]),
            _("Meeting recorded."))
        if isinstance(meeting, Meeting) and not meeting.quorum_met:
            messages.warning(request, _("%(meeting)s had no quorum: it cannot resolve anything.") % {
                "meeting": meeting})
    else:
        raise PermissionDenied


def _meeting(request: HttpRequest, code: str, pk: int) -> Meeting:
    body = _body(request, code)
    return get_object_or_404(Meeting.objects.select_related("body", "reconvenes"), pk=pk, body=body)


@role_required(*S.VIEW_ROLES)
def meeting(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, code, pk)
    can_manage = S.can_manage_body(request.scope, meeting.body)  # type: ignore[attr-defined]
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        kind = request.POST.get("form")
        if kind == "minutes":
            run_form(request, F.MinutesForm(request.POST, request.FILES), lambda d: B.file_minutes(
                actor=request.user, meeting=meeting, upload=d["file"], public=d["public"]), _("Minutes filed."))
        elif kind == "resolution":
            run_form(request, F.ResolutionForm(request.POST, meeting=meeting), lambda d: B.add_resolution(
                actor=request.user, meeting=meeting, text=d["text"], item=d["item"]), _("Resolution recorded."))
        else:
            raise PermissionDenied
        return redirect("governance:meeting", code=code, pk=pk)
    attendees = set(meeting.attendees.values_list("pk", flat=True))
    # who was expected (in office that day) and who came (also someone no longer in office, shown without a vote)
    roster = (Member.objects.filter(body=meeting.body, pk__in=attendees)
              | B.members_in_office(meeting.body, meeting.held_on)).distinct().order_by("role", "name")
    return render(request, "governance/meeting.html", {
        "meeting": meeting, "body": meeting.body, "items": meeting.items.all(),
        "members": [(m, m.pk in attendees) for m in roster],
        "resolutions": meeting.resolutions.select_related("item"), "needed": B.quorum_needed(meeting),
        "can_manage": can_manage,
        "forms": {"minutes": F.MinutesForm(), "resolution": F.ResolutionForm(meeting=meeting)} if can_manage else {},
    })


def minutes_file(meeting: Meeting) -> FileResponse:
    if not meeting.minutes:
        raise Http404
    handle = meeting.minutes.open("rb")
    return FileResponse(handle, as_attachment=True, filename=meeting.minutes.name.rsplit("/", 1)[-1])


@role_required(*S.VIEW_ROLES)
def minutes(request: HttpRequest, code: str, pk: int) -> FileResponse:
    return minutes_file(_meeting(request, code, pk))
