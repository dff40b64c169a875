"""Pages: batch runs and their chunks, with a progress bar that updates itself."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from openuhc.accounts.scope import role_required
from openuhc.engine.models import Chunk, Run


def _with_progress(runs):  # noqa: ANN001, ANN202
    return runs.annotate(done=Count("chunks", filter=Q(chunks__state=Chunk.State.DONE)))


@role_required("national")
def runs(request: HttpRequest) -> HttpResponse:
    page = Paginator(_with_progress(Run.objects.order_by("-created_at")), 50).get_page(request.GET.get("page"))
    return render(request, "engine/runs.html", {"page": page})


@role_required("national")
def run_detail(request: HttpRequest, pk: str) -> HttpResponse:
    run = get_object_or_404(_with_progress(Run.objects.all()), pk=pk)
    template = "engine/_progress.html" if request.headers.get("HX-Request") else "engine/run.html"
    return render(request, template, {"run": run, "chunks": run.chunks.all()[:500]})
