"""Who sees and changes what in governance (staff pages; the public pages need no login).

- National officers read everything; regional officers read their region.
- A secretariat runs its own bodies (members, meetings, resolutions) and their assembly cycles; it reads the
  plans of its area and edits the area plans that belong to no PAO.
- PAO staff edit their PAO's plans and read the bodies and cycles of their province.
Everyone else is refused (403); the public pages are for them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from openuhc.accounts.roles import Role
from openuhc.governance.models import AssemblyCycle, Body, StrategicPlan

VIEW_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.SECRETARIAT, Role.PAO)


def _in_area(scope: Any, prefix: str = "") -> Q | None:
    """Objects with a province/region of the user's area; None means everything (national)."""
    if scope.role == Role.NATIONAL:
        return None
    if scope.role == Role.REGIONAL and scope.region is not None:
        return Q(**{f"{prefix}province__region": scope.region}) | Q(**{f"{prefix}region": scope.region})
    if scope.role == Role.PAO and scope.local_government is not None:
        return Q(**{f"{prefix}province": scope.local_government.province_id})
    if scope.role == Role.SECRETARIAT and scope.secretariat is not None:
        secretariat = scope.secretariat
        if secretariat.province_id:
            return Q(**{f"{prefix}province": secretariat.province_id})
        if secretariat.region_id:
            return Q(**{f"{prefix}province__region": secretariat.region_id}) | Q(**{f"{prefix}region":
                                                                                     secretariat.region_id})
        return None
    return Q(pk__in=[])


def bodies(scope: Any) -> QuerySet:
    found = Body.objects.all()
    if scope.role == Role.SECRETARIAT:
        return found.filter(secretariat=scope.secretariat) if scope.secretariat is not None else found.none()
    if scope.role not in VIEW_ROLES:
        return found.none()
    area = _in_area(scope)
    return found if area is None else found.filter(area)


def can_manage_body(scope: Any, body: Body) -> bool:
    return (scope.role == Role.SECRETARIAT and scope.secretariat is not None
            and body.secretariat_id == scope.secretariat.pk)


def plans(scope: Any) -> QuerySet:
    found = StrategicPlan.objects.all()
    if scope.role == Role.PAO:
        return found.filter(local_government=scope.local_government) if scope.local_government else found.none()
    if scope.role not in VIEW_ROLES:
        return found.none()
    area = _in_area(scope)
    return found if area is None else found.filter(area)


def can_edit_plan(scope: Any, plan: StrategicPlan) -> bool:
    if scope.role == Role.PAO:
        return scope.local_government is not None and plan.local_government_id == scope.local_government.pk
    if scope.role == Role.SECRETARIAT and plan.local_government_id is None:
        return plans(scope).filter(pk=plan.pk).exists()
    return False


def cycles(scope: Any) -> QuerySet:
    found = AssemblyCycle.objects.all()
    if scope.role == Role.SECRETARIAT:
        return found.filter(body__secretariat=scope.secretariat) if scope.secretariat is not None else found.none()
    if scope.role not in VIEW_ROLES:
        return found.none()
    area = _in_area(scope, "body__")
    return found if area is None else found.filter(area)


def can_manage_cycle(scope: Any, cycle: AssemblyCycle) -> bool:
    return can_manage_body(scope, cycle.body)
