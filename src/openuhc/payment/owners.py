"""Who owns a unit in the month paid, and whether its staff salaries are deducted (public units).

A unit may pass from the Ministry to a Provincial Administrative Organisation; a round pays for a past month
or cut-off, so the owner is read from the ownership history on that day (`providers.Ownership`), never the
unit's owner today."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from openuhc.core import params


def public_owner_kinds(on: date, scheme: str) -> set[str]:
    """Owner kinds whose units have salaries deducted: a JSON list, or text "ministry,other_ministry" from the
    command line."""
    kinds = params.get("payment.salary_owner_kinds", on=on, scheme=scheme) or []
    if isinstance(kinds, str):
        try:
            kinds = json.loads(kinds)
        except ValueError:
            kinds = kinds.split(",")
    if isinstance(kinds, str):
        kinds = [kinds]
    return {str(k).strip() for k in kinds if str(k).strip()}


def owner_kinds_on(unit_ids: Iterable[int], on: date) -> dict[int, str]:
    """Each unit's owner kind on `on`, from the ownership history (the current owner for a unit whose history
    starts later)."""
    from openuhc.providers.models import HealthUnit, Ownership

    ids = set(unit_ids)
    found: dict[int, str] = {}
    history = (Ownership.objects.filter(unit_id__in=ids, valid_from__lte=on)
               .order_by("unit_id", "-valid_from", "-id").values_list("unit_id", "owner__kind"))
    for unit_id, kind in history:
        found.setdefault(unit_id, kind)
    for unit_id, kind in HealthUnit.objects.filter(pk__in=ids - set(found)).values_list("pk", "owner__kind"):
        found[unit_id] = kind
    return found


def public_units(unit_ids: Iterable[int], *, on: date, scheme: str) -> dict[int, bool]:
    """Whether each unit's salaries are deducted in a payment for `on` (its owner that day)."""
    kinds = public_owner_kinds(on, scheme)
    return {unit_id: kind in kinds for unit_id, kind in owner_kinds_on(unit_ids, on).items()}
