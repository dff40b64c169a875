"""Home-page panel: submissions and current claims in the part of the country a user sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.claims.models import Claim
from openuhc.claims.views import visible_submissions
from openuhc.core import home


def _claims_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    submissions = visible_submissions(scope)
    claims = Claim.objects.filter(is_current=True, submission__in=submissions).aggregate(
        accepted=Count("id", filter=~Q(status=Claim.Status.REJECTED)),
        rejected=Count("id", filter=Q(status=Claim.Status.REJECTED)))
    latest = submissions.select_related("unit").order_by("-received_at", "-id").first()
    return {"submissions": submissions.count(), "latest": latest, **claims}


home.register("claims.summary", "claims/panels/claims.html", {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL},
              _claims_panel, order=30)
