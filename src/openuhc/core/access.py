"""The personal-data access log, written the one way every app writes it.

Every page, export and API answer that shows a person's data records who saw whose data, when, how and where:

    from openuhc.core.access import Seen, record_access

    record_access(request, [Seen.of_person(person)], action="view")
    record_access(request, (Seen(person_id=c.person_id, citizen_id=c.citizen_id, record=f"claim:{c.pk}")
                            for c in claims), action="export")

A `Seen` names the person when the registry knows them, the citizen ID as the reader saw it, and the record
read (a claim, a case): a claim of someone the registry does not know is logged by its citizen ID and record.
The same thing seen twice in one answer is logged once. Rows go to `registry.PersonAccess` (append-only);
`openuhc audit access` and `/people/access-log/` read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest

from openuhc.core.clientip import UNKNOWN, client_ip

BATCH = 2000


@dataclass(frozen=True)
class Seen:
    person_id: int | None = None
    citizen_id: str = ""
    record: str = ""

    @classmethod
    def of_person(cls, person: Any, record: str = "") -> Seen:
        return cls(person_id=person.pk, citizen_id=person.citizen_id, record=record)


def _who(request: HttpRequest | None, actor: Any, role: str | None) -> tuple[Any, str]:
    if actor is None and request is not None:
        actor = getattr(request, "auth", None) or getattr(request, "user", None)
    if role is None:
        scope = getattr(request, "scope", None) if request is not None else None
        if scope is None or getattr(scope, "user", None) != actor:
            from openuhc.accounts.scope import Scope

            scope = Scope.of(actor) if actor is not None else None
        role = getattr(scope, "role", None) or ""
    return actor, role


def record_access(request: HttpRequest | None, seen: Iterable[Seen], *, action: str, actor: Any = None,
                  role: str | None = None, path: str = "") -> int:
    """Write one access row per distinct thing seen; returns how many."""
    PersonAccess = apps.get_model("registry", "PersonAccess")  # noqa: N806 - a model class
    actor, role = _who(request, actor, role)
    address = client_ip(request) if request is not None else UNKNOWN
    where = (path or (request.get_full_path() if request is not None else ""))[:300]
    user = actor if getattr(actor, "is_authenticated", False) else None
    username = getattr(actor, "username", "") or "anonymous"
    rows = [
        PersonAccess(actor=user, actor_username=username, actor_role=role or "", person_id=item.person_id,
                     citizen_id=item.citizen_id[:20], record=item.record[:100], action=action, path=where,
                     ip=None if address == UNKNOWN else address)
        for item in dict.fromkeys(s for s in seen if s.person_id or s.citizen_id or s.record)
    ]
    PersonAccess.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
