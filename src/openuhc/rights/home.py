"""Home-page panel: the cases (and Section 41 requests) waiting for the user, most urgent first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.core import home
from openuhc.rights import assistance, services
from openuhc.rights.models import AssistanceRequest, Case

URGENT = 5


def _cases_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    now = timezone.now()
    open_cases = services.cases_in_scope(scope).exclude(status=Case.Status.CLOSED)
    context: dict[str, Any] = {
        "open": open_cases.count(),
        "overdue": open_cases.filter(services.overdue_q(now)).count(),
        "to_acknowledge": open_cases.filter(acknowledged_at__isnull=True).count(),
        "due_this_week": open_cases.filter(outcome_by__gte=now, outcome_by__lt=now + timedelta(days=7)).count(),
        "urgent": list(open_cases.select_related("unit").order_by("outcome_by", "id")[:URGENT]),
        "is_unit": scope.role == Role.HOSPITAL, "now": now,
    }
    if scope.role in services.STAFF_ROLES:
        waiting = assistance.requests_in_scope(scope).filter(
            Q(status=AssistanceRequest.Status.RECEIVED) | Q(status=AssistanceRequest.Status.COMPLETE)
            | Q(status=AssistanceRequest.Status.APPEALED))
        context["requests_waiting"] = waiting.count()
    return context


home.register("rights.cases", "rights/panels/cases.html", {Role.CENTRE, Role.REGIONAL, Role.NATIONAL, Role.HOSPITAL},
              _cases_panel, order=50)
