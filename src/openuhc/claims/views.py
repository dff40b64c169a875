"""Claims pages: upload (progress bar), submissions (a unit's own; a region's all), each claim's result and every
problem, the problem report as CSV or Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.claims import lifecycle, services
from openuhc.claims.access import seen_claims
from openuhc.claims.formats import require_claim_files
from openuhc.claims.models import Claim, Problem, Submission
from openuhc.core.access import record_access
from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_response, xlsx_response
from openuhc.core.keyset import Key, paginate
from openuhc.core.models import Job
from openuhc.registry.models import PersonAccess

VIEW_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL)
UPLOAD_ROLES = (Role.NATIONAL, Role.HOSPITAL)
PAGE = 100
SUBMISSION_ORDER = (Key("status"), Key("kind"), Key("key"))  # unique in a submission (claims_key_once_per_submission)


def visible_submissions(scope: Any) -> QuerySet:
    """A hospital user sees their unit(s); a regional officer the region's units; a national officer all."""
    return Submission.objects.filter(unit__in=scope.units()) if scope.role != Role.NATIONAL else \
        Submission.objects.all()


def _submission(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("unit", "received_by"), pk=pk)
    if not request.scope.can_see_unit(submission.unit):  # type: ignore[attr-defined]
        raise PermissionDenied
    return submission


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Unit"))
    file = forms.FileField(label=gettext_lazy("Claim files (.zip)"))

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.units().order_by("code")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            require_claim_files()
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        if upload.size > settings.OPENUHC_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the allowed %(mb)s MB."),
                                        params={"mb": settings.OPENUHC_MAX_UPLOAD_BYTES // (1024 * 1024)})
        if Path(upload.name or "").suffix.lower() != ".zip":
            raise forms.ValidationError(_("Send a .zip file holding the claim text files."))
        return upload


@role_required(*VIEW_ROLES)
def submissions(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    rows = visible_submissions(scope).select_related("unit", "received_by")
    unit = request.GET.get("unit", "").strip()
    if unit:
        rows = rows.filter(unit__code=unit)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    form = None
    if scope.role in UPLOAD_ROLES:
        form = UploadForm(scope=scope)
        if scope.role == Role.HOSPITAL and scope.unit is not None:
            form.initial["unit"] = scope.unit.pk
    return render(request, "claims/submissions.html", {"page": page, "form": form, "unit": unit})


@role_required(*UPLOAD_ROLES)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = UploadForm(request.POST, request.FILES, scope=scope)
    if not form.is_valid():
        page = Paginator(visible_submissions(scope).select_related("unit"), 50).get_page(1)
        return render(request, "claims/submissions.html", {"page": page, "form": form}, status=400)
    submission = services.start_upload(upload=form.cleaned_data["file"], unit=form.cleaned_data["unit"],
                                       actor=request.user)
    return redirect("claims:submission", pk=submission.pk)


@role_required(*VIEW_ROLES)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    job = Job.objects.filter(pk=submission.job_id).first() if submission.job_id else None
    claims = submission.claims.all()
    status = request.GET.get("status", "")
    if status in Claim.Status.values:
        claims = claims.filter(status=status)
    # keyset pages on the index claims_submission_page: the last of 1,000 pages costs what the first does
    page = paginate(claims, SUBMISSION_ORDER, size=PAGE, after_cursor=request.GET.get("after", ""),
                    before_cursor=request.GET.get("before", ""), last=request.GET.get("last") == "1")
    # Problems counted for the page's claims only: a national submission has 100,000 claims.
    counts = dict(Problem.objects.filter(claim__in=[c.pk for c in page.object_list]).values("claim_id")
                  .annotate(n=Count("id")).values_list("claim_id", "n"))
    for claim in page.object_list:
        claim.n_problems = counts.get(claim.pk, 0)
    record_access(request, seen_claims(page.object_list), action=PersonAccess.Action.VIEW)  # HNs of the page
    problems = submission.problems.filter(Q(claim__isnull=True) | Q(claim__in=[c.pk for c in page.object_list]))
    return render(request, "claims/submission.html", {
        "submission": submission, "job": job, "page": page, "status": status,
        "problems": problems.order_by("file", "line", "id")[:500],
        # one message of each code as an example (the words, not only the number)
        "by_code": submission.problems.values("code", "klass").annotate(
            n=Count("id"), example_th=Min("message_th"), example_en=Min("message_en")).order_by("code"),
    })


@role_required(*VIEW_ROLES)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("unit", "submission", "person"), pk=pk)
    if not request.scope.can_see_unit(claim.unit):  # type: ignore[attr-defined]
        raise PermissionDenied
    record_access(request, seen_claims([claim]), action=PersonAccess.Action.VIEW)
    # current or not, each found by its partial index (claims_one_current_claim_per_key, claims_key_history)
    history = Claim.objects.filter(Q(is_current=True) | Q(is_current=False), unit=claim.unit, kind=claim.kind,
                                   key=claim.key).select_related("submission") \
        .order_by("-submission__received_at", "-id")
    diagnoses, procedures, tables_version = _named_codes(claim)
    return render(request, "claims/claim.html", {
        "claim": claim, "events": claim.events.select_related("actor").order_by("at", "id"),
        "problems": claim.problems.order_by("file", "line"), "diagnoses": diagnoses, "procedures": procedures,
        "tables_version": tables_version, "charges": claim.charges.order_by("id"),
        "drugs": claim.drugs.order_by("id"), "items": claim.items.order_by("id"), "history": history,
        "grouping": _grouping(claim),
        "can_review": claim.status == Claim.Status.HELD and request.scope.role in (Role.NATIONAL, Role.REGIONAL)
        and lifecycle.may_review(request.scope, claim),  # type: ignore[attr-defined]
    })


def _named_codes(claim: Claim) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The claim's diagnoses and procedures with their names from the tables in force on its service date
    (names the installed set does not hold stay empty)."""
    from django.utils.translation import get_language

    from openuhc.drg.tables import active_tables

    tables = active_tables(claim.service_date) if claim.service_date else active_tables()
    language = get_language() or "th"
    diagnoses = [{"code": d.code, "dxtype": d.dxtype,
                  "name": tables.diagnosis_name(d.code, language) if tables else ""}
                 for d in claim.diagnoses.order_by("id")]
    procedures = [{"code": p.code, "optype": p.optype,
                   "name": tables.procedure_name(p.code, language) if tables else ""}
                  for p in claim.procedures.order_by("id")]
    return diagnoses, procedures, tables.version if tables else ""


def _grouping(claim: Claim) -> Any:
    from openuhc.drg.claims import latest_explained

    return latest_explained(claim) if claim.kind == Claim.Kind.IP else None


def _report_rows(submission: Submission) -> Any:
    seen = set()
    for p in submission.problems.select_related("claim").order_by("file", "line", "id").iterator():
        # A PAT/INS problem is stored once per claim of the patient; the report lists it once.
        marker = (p.file, p.line, p.field, p.code)
        if marker in seen:
            continue
        seen.add(marker)
        yield [p.file, p.line or "", p.field, p.code, p.message_th, p.message_en, p.klass,
               p.claim.kind if p.claim else "", p.claim.key if p.claim else ""]


REPORT_COLUMNS = ["file", "line", "field", "code", "message_th", "message_en", "class", "kind", "seq_or_an"]


@role_required(*VIEW_ROLES)
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    # problem messages quote what was sent (HN, citizen ID): the claims with problems are logged
    record_access(request, seen_claims(submission.claims.filter(problems__isnull=False).distinct()),
                  action=PersonAccess.Action.EXPORT)
    return csv_response(f"claims-{submission.pk}-problems.csv", REPORT_COLUMNS, _report_rows(submission))


@role_required(*VIEW_ROLES)
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    record_access(request, seen_claims(submission.claims.all()), action=PersonAccess.Action.EXPORT)
    claims = ([c.kind, c.key, c.hn, c.service_date, c.get_status_display(), c.total_charge]
              for c in submission.claims.order_by("kind", "key"))
    return xlsx_response(f"claims-{submission.pk}-problems.xlsx", {
        "Problems": (REPORT_COLUMNS, _report_rows(submission)),
        "Claims": (["kind", "seq_or_an", "hn", "service_date", "status", "total_charge"], claims),
    })
