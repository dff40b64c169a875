"""The review list (รายการรอตรวจสอบ): admissions held because their DRG is approximate, for the region's officers
(national officers: every region) to release for payment or reject back to the unit, each with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.claims import lifecycle
from openuhc.claims.models import Claim
from openuhc.core.errors import DomainError

REVIEWERS = (Role.NATIONAL, Role.REGIONAL)


@role_required(*REVIEWERS)
def review_list(request: HttpRequest) -> HttpResponse:
    held = lifecycle.held_for_review(request.scope)  # type: ignore[attr-defined]
    page = Paginator(held, 50).get_page(request.GET.get("page"))
    from openuhc.drg.claims import latest_adjrw

    groupings = latest_adjrw([c.pk for c in page.object_list])
    rows = [(claim, groupings.get(claim.pk)) for claim in page.object_list]
    return render(request, "claims/review.html", {"page": page, "rows": rows, "count": held.count()})


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the claim page the decision was taken on, or to the list (never to another site)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("claims:review")


@role_required(*REVIEWERS)
@require_POST
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("unit__subdistrict__district__province"), pk=pk)
    if not lifecycle.may_review(request.scope, claim):  # type: ignore[attr-defined]
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("release", "reject"):
        messages.error(request, _("Choose to release or to reject."))
        return redirect("claims:review")
    try:
        lifecycle.review(claim, actor=request.user, release=decision == "release",
                         reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    if decision == "release":
        messages.success(request, _("AN %(an)s is released: the next inpatient round pays it.") % {"an": claim.key})
    else:
        messages.success(request, _("AN %(an)s is rejected back to the unit.") % {"an": claim.key})
    return _back(request)
