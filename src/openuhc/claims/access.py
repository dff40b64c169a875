"""What a reader sees of claims, for the access log (core.access): the person when the registry knows them,
the citizen ID sent, and the claim."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from openuhc.core.access import Seen


def seen_claims(claims: Iterable[Any]) -> Iterator[Seen]:
    """Claims as `Seen`; a queryset is read as three columns only, in chunks."""
    if hasattr(claims, "values_list"):
        for pk, person_id, citizen_id in claims.values_list("pk", "person_id", "citizen_id").iterator(2000):
            yield Seen(person_id=person_id, citizen_id=citizen_id or "", record=f"claim:{pk}")
        return
    for claim in claims:
        yield Seen(person_id=claim.person_id, citizen_id=claim.citizen_id or "", record=f"claim:{claim.pk}")
