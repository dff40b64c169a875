"""Home-page panel: what a secretariat or PAO has to do in governance (terms ending, proposals waiting, plans)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home
from openuhc.core.dates import today


def _panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    from openuhc.governance import bodies as B
    from openuhc.governance import scope as S
    from openuhc.governance.models import Proposal

    bodies = S.bodies(scope)
    return {
        "bodies": bodies.count(), "warnings": B.warnings(bodies, today())[:5],
        "waiting": Proposal.objects.filter(cycle__in=S.cycles(scope), status=Proposal.Status.SUBMITTED).count(),
        "plans": S.plans(scope).count(),
    }


home.register("governance.work", "governance/panels/work.html", {Role.SECRETARIAT, Role.PAO}, _panel, order=35)

