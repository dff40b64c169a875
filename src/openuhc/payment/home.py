"""Home-page panel: the latest published payments a user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home
from openuhc.payment.models import PaymentRun, UnitPayment


def _payments_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    from openuhc.payment.services import runs_for

    runs = runs_for(scope)
    latest = runs.filter(status=PaymentRun.Status.PUBLISHED).order_by("-period", "-id").first()
    context: dict[str, Any] = {"latest": latest, "open": runs.exclude(status=PaymentRun.Status.PUBLISHED).count()
                               if scope.role in (Role.NATIONAL, Role.REGIONAL) else 0}
    if scope.role == Role.HOSPITAL and latest is not None:
        context["mine"] = list(UnitPayment.objects.filter(
            run__period=latest.period, run__status="published", unit__in=scope.hospital_unit_ids,
        ).select_related("unit", "run"))
    return context


home.register("payment.latest", "payment/panels/latest.html", {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL},
              _payments_panel, order=40)
