from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES, Role
from openuhc.accounts.scope import role_required
from openuhc.core.importing import IMPORTERS
from openuhc.core.models import Job
from openuhc.core.services import report_path, start_import


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file, store nothing"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        thai = (get_language() or "th").startswith("th")
        self.fields["kind"].choices = [(k, c.title_th if thai else c.title_en) for k, c in IMPORTERS.items()]

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > settings.OPENUHC_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than the allowed %(mb)s MB."),
                                        params={"mb": settings.OPENUHC_MAX_UPLOAD_BYTES // (1024 * 1024)})
        if Path(upload.name).suffix.lower() not in (".csv", ".txt", ".xlsx"):
            raise forms.ValidationError(_("Send a .csv or .xlsx file."))
        return upload


@role_required(Role.NATIONAL)
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                           dry_run=form.cleaned_data["dry_run"])
        return redirect("core:job", pk=job.pk)
    thai = (get_language() or "th").startswith("th")
    kinds = [{"kind": k, "title": c.title_th if thai else c.title_en, "required": c.required, "optional": c.optional}
             for k, c in IMPORTERS.items()]
    recent = Job.objects.filter(kind__startswith="import:", created_by=request.user)[:10]
    return render(request, "core/import.html", {"form": form, "kinds": kinds, "recent": recent})


def _own_job(request: HttpRequest, pk: str) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if job.created_by_id != request.user.pk and request.scope.role != Role.NATIONAL:  # type: ignore[attr-defined]
        raise PermissionDenied
    return job


@role_required(*ALL_ROLES)
def job_page(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "core/job.html", {"job": _own_job(request, pk)})


@role_required(*ALL_ROLES)
def job_progress(request: HttpRequest, pk: str) -> HttpResponse:
    job = _own_job(request, pk)
    response = render(request, "core/_job_progress.html", {"job": job})
    if job.finished or job.interrupted:
        # Tell htmx to reload the whole page once, to show the report instead of the bar.
        response["HX-Refresh"] = "true"
    return response


@role_required(*ALL_ROLES)
def job_errors(request: HttpRequest, pk: str) -> HttpResponse:
    job = _own_job(request, pk)
    path = report_path(job)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"errors-{job.pk}.csv",
                        content_type="text/csv; charset=utf-8")
