"""The personal-data access log: every view of a person's record is written here, append-only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from openuhc.core.clientip import UNKNOWN, client_ip
from openuhc.registry.models import Person, PersonAccess


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_ip(request)
    return None if address == UNKNOWN else address


def log_access(
    *, actor: Any, role: str | None, persons: Iterable[Person], action: str, request: HttpRequest | None = None,
    path: str = "",
) -> int:
    rows = [
        PersonAccess(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_username=getattr(actor, "username", "") or "anonymous", actor_role=role or "", person=person,
            action=action, path=(path or (request.get_full_path() if request else ""))[:300], ip=_client_ip(request),
        )
        for person in persons
    ]
    PersonAccess.objects.bulk_create(rows)
    return len(rows)


def accesses_between(
    start: datetime, end: datetime, *, person: Person | None = None, username: str = "",
) -> QuerySet[PersonAccess]:
    """Who saw whose data between two times (inclusive of start, exclusive of end)."""
    rows = PersonAccess.objects.filter(at__gte=start, at__lt=end).select_related("person")
    if person is not None:
        rows = rows.filter(person=person)
    if username:
        rows = rows.filter(actor_username=username)
    return rows.order_by("at", "id")
