"""The personal-data access log: reading it (`accesses_between`) and the registry's own way of writing it.

Writing goes through `core.access.record_access`, the one helper every app uses; `log_access` is that
helper for a list of registry persons.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from openuhc.core.access import Seen, record_access
from openuhc.registry.models import Person, PersonAccess


def log_access(
    *, actor: Any, role: str | None, persons: Iterable[Person], action: str, request: HttpRequest | None = None,
    path: str = "",
) -> int:
    return record_access(request, (Seen.of_person(p) for p in persons), action=action, actor=actor, role=role,
                         path=path)


def accesses_between(
    start: datetime, end: datetime, *, person: Person | None = None, username: str = "",
) -> QuerySet[PersonAccess]:
    """Who saw whose data between two times (inclusive of start, exclusive of end).

    A person's rows are those that name them and those that show their citizen ID (a claim read before the
    registry knew them)."""
    rows = PersonAccess.objects.filter(at__gte=start, at__lt=end).select_related("person")
    if person is not None:
        rows = rows.filter(Q(person=person) | Q(citizen_id=person.citizen_id))
    if username:
        rows = rows.filter(actor_username=username)
    return rows.order_by("at", "id")
