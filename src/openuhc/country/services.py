"""Person numbers of the pack's kinds: recording one, and finding a person by one.

Never by the number alone where the pack says numbers of that kind may repeat (`may_repeat = true`): then the
birth date must match too, and two matches are refused rather than guessed between.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from openuhc.core.errors import DomainError
from openuhc.country.errors import CountryError
from openuhc.country.models import PersonIdentifier
from openuhc.country.packs import active


def id_type(kind: str) -> Any:
    try:
        return active().id_types()[kind]
    except KeyError:
        raise DomainError(CountryError.UNKNOWN_ID_KIND, kind=kind) from None


@transaction.atomic
def add_identifier(*, actor: Any, person: Any, kind: str, number: str, source: str = "") -> PersonIdentifier:
    """Record that `person` holds `number` (checked by the pack's rules for `kind`). The row is itself the
    append-only record: who added it, when, from where."""
    value = id_type(kind).validate(number)
    found, _created = PersonIdentifier.objects.get_or_create(
        person=person, kind=kind, value=value, defaults={"source": source, "recorded_by": actor})
    return found


def find_person(kind: str, number: str, *, birth_date: date | None = None) -> Any:
    """The person holding `number` of `kind`, or None. The registry's own number (the primary kind) is unique; for
    a kind that may repeat, the birth date is required and must match, and more than one match is an error."""
    from openuhc.registry.models import Person

    rules = id_type(kind)
    value = rules.validate(number)
    if rules.spec["primary"]:
        return Person.objects.filter(citizen_id=value).first()
    holders = Person.objects.filter(identifiers__kind=kind, identifiers__value=value).distinct()
    if rules.may_repeat:
        if birth_date is None:
            raise DomainError(CountryError.NEEDS_BIRTH_DATE, kind=rules.label)
        holders = holders.filter(birth_date=birth_date)
    found = list(holders[:2])
    if len(found) > 1:
        raise DomainError(CountryError.AMBIGUOUS, kind=rules.label, count=holders.count())
    return found[0] if found else None
