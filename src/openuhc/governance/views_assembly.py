"""Staff pages of health assembly cycles: the cycle (phases, constituencies, proposals, drafts, resolutions), a
proposal (screening, drafting), a draft (comments, amendments, adoption), a resolution (clauses followed,
referrals to agencies and their replies), and the list of agencies."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core import params
from openuhc.core.dates import today
from openuhc.governance import assembly as A
from openuhc.governance import forms as F
from openuhc.governance import params as P
from openuhc.governance import scope as S
from openuhc.governance.models import (
    Agency,
    AssemblyCycle,
    AssemblyResolution,
    ClauseComment,
    Draft,
    Proposal,
    ResolutionClause,
)
from openuhc.governance.views_common import run_form


def _cycle(request: HttpRequest, code: str) -> AssemblyCycle:
    cycle = get_object_or_404(AssemblyCycle.objects.select_related("body__secretariat"), code=code)
    if not S.cycles(request.scope).filter(pk=cycle.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied
    return cycle


def _manage(request: HttpRequest, cycle: AssemblyCycle) -> bool:
    return S.can_manage_cycle(request.scope, cycle)  # type: ignore[attr-defined]


def _posted(request: HttpRequest, cycle: AssemblyCycle, actions: dict[str, tuple[Any, Any, str]]) -> None:
    if not _manage(request, cycle):
        raise PermissionDenied
    kind = request.POST.get("form")
    if kind not in actions:
        raise PermissionDenied
    run_form(request, *actions[kind])


@role_required(*S.VIEW_ROLES)
def cycle_list(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    cycles = S.cycles(scope).select_related("body").prefetch_related("phases")
    on = today()
    return render(request, "governance/cycles.html", {
        "rows": [(c, A.current_phase(c, on)) for c in cycles], "can_create": scope.role == Role.SECRETARIAT})


@role_required(Role.SECRETARIAT)
def cycle_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = F.CycleForm(request.POST or None, bodies=S.bodies(scope))
    if request.method == "POST":
        cycle = run_form(request, form, lambda d: A.create_cycle(actor=request.user, **d),
                         _("Assembly cycle recorded."))
        if cycle:
            return redirect("governance:cycle", code=cycle.code)
    return render(request, "governance/cycle_new.html", {"form": form})


@role_required(*S.VIEW_ROLES)
def cycle(request: HttpRequest, code: str) -> HttpResponse:
    cycle = _cycle(request, code)
    user = request.user
    if request.method == "POST":
        _posted(request, cycle, {
            "phase": (F.PhaseForm(request.POST), lambda d: A.set_phase(actor=user, cycle=cycle, **d),
                      _("Phase saved.")),
            "constituency": (F.ConstituencyForm(request.POST),
                             lambda d: A.add_constituency(actor=user, cycle=cycle, **d), _("Constituency added.")),
            "proposal": (F.StaffProposalForm(request.POST),
                         lambda d: A.submit_proposal(actor=user, cycle=cycle, **d), _("Proposal recorded.")),
        })
        return redirect("governance:cycle", code=code)
    can_manage = _manage(request, cycle)
    forms = {"phase": F.PhaseForm(), "constituency": F.ConstituencyForm(),
             "proposal": F.StaffProposalForm(initial={"received_on": today()})} if can_manage else {}
    return render(request, "governance/cycle.html", {
        "cycle": cycle, "phases": cycle.phases.all(), "current": A.current_phase(cycle, today()),
        "constituencies": cycle.constituencies.all(), "proposals": cycle.proposals.order_by("number"),
        "drafts": cycle.drafts.select_related("proposal"), "resolutions": cycle.resolutions.prefetch_related("clauses"),
        "forms": forms, "can_manage": can_manage,
    })


def _in_cycle(request: HttpRequest, queryset: Any, pk: int) -> Any:
    """A proposal, draft or resolution, if the user may see its cycle."""
    found = get_object_or_404(queryset, pk=pk)
    _cycle(request, found.cycle.code)
    return found


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return _in_cycle(request, Proposal.objects.select_related("cycle__body"), pk)


@role_required(*S.VIEW_ROLES)
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    on = today()
    criteria = A.criteria(on)
    most = params.get(P.SCREENING_MAX_SCORE.key, on=on)
    user = request.user
    if request.method == "POST":
        _posted(request, proposal.cycle, {
            "screen": (F.ScreeningForm(request.POST, criteria=criteria, most=most), lambda d: A.screen(
                actor=user, proposal=proposal, scores={k[6:]: v for k, v in d.items() if k.startswith("score_")},
                accept=d["decision"] == "accept", answer=d["answer"], answered_on=d["answered_on"]),
                _("Screening answer recorded.")),
            "draft": (F.DraftForm(request.POST), lambda d: A.create_draft(
                actor=user, proposal=proposal, title=d["title"], preamble=d["preamble"],
                clauses=F.paragraphs(d["clauses"])), _("Draft resolution prepared.")),
        })
        if request.POST.get("form") == "draft" and Draft.objects.filter(proposal=proposal).exists():
            return redirect("governance:draft", pk=proposal.draft.pk)
        return redirect("governance:proposal", pk=pk)
    can_manage = _manage(request, proposal.cycle)
    forms: dict[str, Any] = {}
    if can_manage and proposal.status == Proposal.Status.SUBMITTED:
        forms["screen"] = F.ScreeningForm(criteria=criteria, most=most, initial={"answered_on": on})
    if can_manage and proposal.status == Proposal.Status.ACCEPTED:
        forms["draft"] = F.DraftForm(initial={"title": proposal.title})
    labels = {c.code: c.label for c in criteria}
    answers = [(a, [(labels.get(k, k), v) for k, v in a.scores.items()]) for a in proposal.answers.all()]
    return render(request, "governance/proposal.html", {
        "proposal": proposal, "answers": answers, "forms": forms, "can_manage": can_manage, "most": most,
        "draft": Draft.objects.filter(proposal=proposal).first()})


def _draft(request: HttpRequest, pk: int) -> Draft:
    return _in_cycle(request, Draft.objects.select_related("cycle__body", "proposal"), pk)


@role_required(*S.VIEW_ROLES)
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    user = request.user
    if request.method == "POST":
        _posted(request, draft.cycle, {
            "clause": (F.ClauseForm(request.POST), lambda d: A.add_clause(actor=user, draft=draft, **d),
                       _("Clause added.")),
            "comment": (F.CommentForm(request.POST, draft=draft), lambda d: A.comment(actor=user, **d),
                        _("Comment recorded.")),
            "amendment": (F.AmendmentForm(request.POST, draft=draft), lambda d: A.decide_amendment(actor=user, **d),
                          _("Decision on the amendment recorded.")),
            "adopt": (F.AdoptForm(request.POST), lambda d: A.adopt(actor=user, draft=draft, **d),
                      _("The resolution was adopted.")),
            "not_adopted": (F.NotAdoptedForm(request.POST), lambda d: A.not_adopted(actor=user, draft=draft, **d),
                            _("Recorded as not adopted.")),
        })
        draft.refresh_from_db()
        if draft.status == Draft.Status.ADOPTED:
            return redirect("governance:resolution", pk=draft.resolution.pk)
        return redirect("governance:draft", pk=pk)
    can_manage = _manage(request, draft.cycle) and draft.status == Draft.Status.OPEN
    forms: dict[str, Any] = {}
    if can_manage:
        forms = {"clause": F.ClauseForm(), "comment": F.CommentForm(draft=draft),
                 "amendment": F.AmendmentForm(draft=draft), "adopt": F.AdoptForm(initial={"adopted_on": today()}),
                 "not_adopted": F.NotAdoptedForm(initial={"on": today()})}
    clauses = draft.clauses.prefetch_related("comments__constituency", "comments__decision")
    return render(request, "governance/draft.html", {
        "draft": draft, "clauses": clauses, "forms": forms, "can_manage": can_manage,
        "undecided": ClauseComment.objects.filter(clause__draft=draft, kind=ClauseComment.Kind.AMENDMENT,
                                                  decision__isnull=True).count()})


def _resolution(request: HttpRequest, pk: int) -> AssemblyResolution:
    return _in_cycle(request, AssemblyResolution.objects.select_related("cycle__body", "draft__proposal"), pk)


@role_required(*S.VIEW_ROLES)
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(request, pk)
    user = request.user
    plans = _area_plans(resolution)
    if request.method == "POST":
        clause = None
        if request.POST.get("clause"):
            clause = get_object_or_404(ResolutionClause, pk=request.POST["clause"], resolution=resolution)
        referral = None
        if request.POST.get("referral"):
            referral = get_object_or_404(resolution.referrals, pk=request.POST["referral"])
        actions: dict[str, tuple[Any, Any, str]] = {
            "refer": (F.ReferForm(request.POST), lambda d: A.refer(actor=user, resolution=resolution, **d),
                      _("Sending recorded.")),
        }
        if clause is not None:
            actions["assign"] = (F.AssignForm(request.POST, plans=plans, prefix=f"c{clause.pk}"),
                                 lambda d: A.assign_clause(actor=user, clause=clause, **d), _("Clause saved."))
            actions["update"] = (F.UpdateForm(request.POST, prefix=f"u{clause.pk}"),
                                 lambda d: A.update_clause(actor=user, clause=clause, **d), _("Progress recorded."))
        if referral is not None:
            actions["reply"] = (F.ReplyForm(request.POST),
                                lambda d: A.record_reply(actor=user, referral=referral, **d), _("Reply recorded."))
        _posted(request, resolution.cycle, actions)
        return redirect("governance:resolution", pk=pk)
    can_manage = _manage(request, resolution.cycle)
    clauses = resolution.clauses.prefetch_related("agencies", "updates").select_related("plan", "project")
    rows = []
    for clause in clauses:
        forms = {}
        if can_manage:
            forms = {"assign": F.AssignForm(plans=plans, initial={
                "agencies": list(clause.agencies.all()), "plan": clause.plan, "project": clause.project,
                "budget": clause.budget, "budget_source": clause.budget_source}, prefix=f"c{clause.pk}"),
                "update": F.UpdateForm(initial={"on": today(), "status": clause.status,
                                                "progress": clause.progress}, prefix=f"u{clause.pk}")}
        rows.append((clause, forms))
    return render(request, "governance/resolution.html", {
        "resolution": resolution, "rows": rows, "can_manage": can_manage,
        "referrals": resolution.referrals.select_related("agency"),
        "refer_form": F.ReferForm(initial={"sent_on": today()}) if can_manage else None,
        "reply_form": F.ReplyForm(initial={"replied_on": today()}) if can_manage else None,
    })


def _area_plans(resolution: AssemblyResolution) -> Any:
    """Plans a clause may be carried out with: those of the organising body's area."""
    from openuhc.governance.models import StrategicPlan

    body = resolution.cycle.body
    if body.province_id:
        return StrategicPlan.objects.filter(province=body.province_id)
    if body.region_id:
        return StrategicPlan.objects.filter(region=body.region_id) | StrategicPlan.objects.filter(
            province__region=body.region_id)
    return StrategicPlan.objects.all()


@role_required(*S.VIEW_ROLES)
def agencies(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    can_add = scope.role == Role.SECRETARIAT
    form = F.AgencyForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if run_form(request, form, lambda d: A.add_agency(actor=request.user, **d), _("Agency added.")):
            return redirect("governance:agencies")
    return render(request, "governance/agencies.html", {"agencies": Agency.objects.all(),
                                                        "form": form if can_add else None})
