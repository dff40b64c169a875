"""Home-page panel: how many people are covered, by scheme, in the part of the country a user sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home
from openuhc.core.dates import today
from openuhc.registry.models import Coverage, Person


def _population(scope: Any) -> Any:
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return Person.objects.all()
    return scope.persons()


def _coverage_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    on = today()
    people = _population(scope).filter(Q(death_date__isnull=True) | Q(death_date__gte=on))
    by_scheme = (
        Coverage.objects.filter(person__in=people, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .values("scheme__code", "scheme__name_th", "scheme__name_en").annotate(n=Count("id")).order_by("-n")
    )
    alive = people.count()
    covered = sum(row["n"] for row in by_scheme)
    return {"on": on, "alive": alive, "covered": covered, "uncovered": alive - covered, "by_scheme": list(by_scheme),
            "personal": scope.sees_personal_data}


home.register("registry.coverage", "registry/panels/coverage.html",
              {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST}, _coverage_panel, order=20)
