"""Public pages, no login: bodies and their meetings, plans against their targets, the resolution register,
assembly cycles with the proposals and their answers, the transfer of sub-district units; open-data downloads;
and the form through which anyone proposes an issue to an assembly (rate-limited, with a honeypot)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from openuhc.core import params, public
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.core.forms import flash_form_errors
from openuhc.geo.models import Province
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance import forms as F
from openuhc.governance import params as P
from openuhc.governance import plans as PL
from openuhc.governance import register as R
from openuhc.governance.charts import indicator_charts, transfer_charts
from openuhc.governance.models import (
    Agency,
    AssemblyCycle,
    AssemblyResolution,
    Body,
    ClauseStatus,
    Meeting,
    Proposal,
    StrategicPlan,
)
from openuhc.governance.transfers import transfers
from openuhc.governance.views import minutes_file
from openuhc.governance.views_common import table_response

PUBLIC_PROPOSAL = "governance.propose"


def index(request: HttpRequest) -> HttpResponse:
    on = today()
    cycles = AssemblyCycle.objects.select_related("body__province", "body__region").prefetch_related("phases")
    return render(request, "governance/public/index.html", {
        "bodies": Body.objects.filter(is_active=True).select_related("body_type", "province", "region"),
        "plans": StrategicPlan.objects.select_related("local_government", "province", "region"),
        "cycles": [(c, A.current_phase(c, on)) for c in cycles], "open_calls": A.open_calls(on).exists(),
    })


def _public_body(code: str) -> Body:
    return get_object_or_404(Body.objects.select_related("body_type", "province", "region"), code=code,
                             is_active=True)


def body(request: HttpRequest, code: str) -> HttpResponse:
    body = _public_body(code)
    on = today()
    members = B.by_role(B.members_in_office(body, on))
    meetings = body.meetings.order_by("-held_on", "-number").prefetch_related("items", "resolutions")[:40]
    return render(request, "governance/public/body.html", {
        "body": body, "seats": R.composition(body, members), "meetings": meetings,
        "by_sector": sorted(Counter(m.get_sector_display() for m in members).items()),
        "quorum": B.quorum_rule(body, on),
    })


def body_data(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    body = _public_body(code)
    header = ["meeting", "year", "held_on", "members_in_office", "members_present", "quorum_met", "resolution",
              "resolution_text"]
    rows = []
    for meeting in body.meetings.order_by("held_on", "number").prefetch_related("resolutions"):
        resolutions = list(meeting.resolutions.all()) or [None]
        rows.extend([meeting.number, meeting.year, meeting.held_on, meeting.members_in_office, meeting.members_present,
                     meeting.quorum_met, r.reference if r else "", r.text if r else ""] for r in resolutions)
    return table_response(fmt, f"{body.code}-meetings", header, rows)


def minutes(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk, body=_public_body(code), minutes_public=True)
    return minutes_file(meeting)


def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan.objects.select_related("local_government", "province", "region",
                                                                  "adopted_by__body"), pk=pk)
    table = PL.indicator_table(plan)
    return render(request, "governance/public/plan.html", {
        "plan": plan, "table": table, "charts": indicator_charts(table), "budgets": PL.budget_by_year(plan),
        "strategies": plan.strategies.prefetch_related("goals"),
        "projects": plan.projects.select_related("goal__strategy").prefetch_related("units", "budgets"),
    })


def plan_data(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = get_object_or_404(StrategicPlan, pk=pk)
    header = ["indicator", "name", "unit", "kpi", "baseline", "year", "target", "actual", "actual_source", "met"]
    rows = [[r.indicator.reference, r.indicator.name, r.indicator.unit, r.indicator.kpi_code, r.indicator.baseline,
             c.year, c.target, c.actual, c.source, c.met(r.indicator.direction)]
            for r in PL.indicator_table(plan) for c in r.cells]
    return table_response(fmt, f"plan-{plan.pk}-indicators", header, rows)


def register(request: HttpRequest) -> HttpResponse:
    filters = R.Filters.of(request.GET)
    rows = R.clauses(filters)
    counts = R.status_counts(rows)
    chart = Chart("register-status", _("Clauses by status"), [str(label) for _v, label in ClauseStatus.choices],
                  [Series(_("clauses"), [counts[v] for v in ClauseStatus.values])], kind="doughnut")
    return render(request, "governance/public/register.html", {
        "chart": chart,
        "rows": rows[:500], "total": rows.count(), "filters": filters, "counts": counts,
        "statuses": ClauseStatus.choices, "cycles": AssemblyCycle.objects.all(), "agencies": Agency.objects.all(),
        "provinces": Province.objects.filter(pk__in=Body.objects.values("province")),
        "query": request.GET.urlencode(),
    })


def register_data(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = R.clauses(R.Filters.of(request.GET))
    return table_response(fmt, "resolution-register", R.REGISTER_HEADER, R.register_rows(rows))


def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = get_object_or_404(AssemblyResolution.objects.select_related("cycle__body", "draft__proposal"),
                                   pk=pk)
    return render(request, "governance/public/resolution.html", {
        "resolution": resolution, "proposal": resolution.draft.proposal,
        "proposer": R.proposer_shown(resolution.draft.proposal),
        "clauses": resolution.clauses.prefetch_related("agencies", "updates").select_related("plan", "project"),
        "referrals": resolution.referrals.select_related("agency"),
    })


def cycle(request: HttpRequest, code: str) -> HttpResponse:
    cycle = get_object_or_404(AssemblyCycle.objects.select_related("body"), code=code)
    on = today()
    proposals = cycle.proposals.order_by("number").prefetch_related("answers")
    return render(request, "governance/public/cycle.html", {
        "cycle": cycle, "phases": cycle.phases.all(), "current": A.current_phase(cycle, on),
        "call_open": A.open_calls(on).filter(pk=cycle.pk).exists(),
        "proposals": [(p, R.proposer_shown(p)) for p in proposals],
        "resolutions": cycle.resolutions.prefetch_related("clauses"),
    })


def transfer_view(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("province", "").strip() or None
    data = transfers(province=province)
    return render(request, "governance/public/transfers.html", {
        "data": data, "charts": transfer_charts(data), "province": province or "",
        "provinces": Province.objects.all(), "query": request.GET.urlencode(),
    })


def transfer_data(request: HttpRequest, fmt: str) -> HttpResponse:
    data = transfers(province=request.GET.get("province", "").strip() or None)
    header = ["province_code", "province", "fiscal_year", "transferred", "sub_district_units_now", "with_pao_now",
              "share_with_pao_now_percent"]
    rows = [[p.code, p.name, year, p.by_year.get(year, 0), p.units, p.with_pao, p.share]
            for p in data.provinces for year in (data.years or [None])]
    return table_response(fmt, "sub-district-unit-transfers", header, rows)


def propose(request: HttpRequest) -> HttpResponse:
    """Propose an issue to an assembly whose open call runs today: no account; at most a few an hour."""
    on = today()
    cycles = A.open_calls(on)
    form = F.PublicProposalForm(request.POST or None, cycles=cycles)
    if request.method == "POST":
        limit = params.get(P.PROPOSALS_PER_HOUR.key, on=on)
        if not public.allow(public.client_address(request), kind=PUBLIC_PROPOSAL, limit=limit):
            return render(request, "governance/public/limited.html", status=429)
        if form.is_valid() and public.is_bot(form):
            return render(request, "governance/public/limited.html", status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = A.submit_proposal(
                    actor=None, cycle=data["cycle"], title=data["title"], problem=data["problem"],
                    evidence=data["evidence"], proposer_name=data["proposer_name"],
                    proposer_kind=data["proposer_kind"], contact=data["contact"] if data["consent"] else "",
                    channel=Proposal.Channel.PUBLIC, received_on=on)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                request.session["governance_proposed"] = proposal.pk
                return redirect("governance:public_proposed")
        else:
            flash_form_errors(request, form)
    return render(request, "governance/public/propose.html", {"form": form, "open": cycles.exists()})


def proposed(request: HttpRequest) -> HttpResponse:
    pk = request.session.pop("governance_proposed", None)
    if pk is None:
        return redirect("governance:public_propose")
    proposal = Proposal.objects.filter(pk=pk).select_related("cycle").first()
    if proposal is None:
        raise Http404
    return render(request, "governance/public/proposed.html", {"proposal": proposal})
