"""The pack's reference lists (schemes, unit types, owners) written into the database.

Thailand's lists are also the registry's and providers' first migrations, so for pack `th` this changes nothing. For
another pack it adds its lists and marks the schemes it does not have as inactive (they stay: nothing points at them
in a new installation, and history is never deleted).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from openuhc.country.packs import Pack


@transaction.atomic
def install(pack: Pack) -> dict[str, int]:
    from openuhc.providers.models import Owner, UnitType
    from openuhc.registry.models import Scheme

    for item in pack["schemes"]:
        Scheme.objects.update_or_create(code=item["code"], defaults={
            "name_th": _local(item), "name_en": item["name_en"], "eclaim_code": item["claim_code"],
            "registers_with_unit": item["registers_with_unit"], "sort_order": item["sort_order"], "is_active": True})
    inactive = Scheme.objects.exclude(code__in=[i["code"] for i in pack["schemes"]]).update(is_active=False)
    for item in pack["unit_types"]:
        UnitType.objects.update_or_create(code=item["code"], defaults={
            "name_th": _local(item), "name_en": item["name_en"], "is_hospital": item["admits_inpatients"],
            "is_primary_care": item["primary_care"], "sort_order": item["sort_order"]})
    for item in pack["owners"]:
        Owner.objects.update_or_create(code=item["code"], defaults={
            "kind": item["kind"], "name_th": _local(item), "name_en": item["name_en"]})
    return {"schemes": len(pack["schemes"]), "schemes_made_inactive": inactive,
            "unit_types": len(pack["unit_types"]), "owners": len(pack["owners"])}


def _local(item: dict[str, Any]) -> str:
    """The name in the pack's first language (kept in the `name_th` columns), English where none is given."""
    return item["name_local"] or item["name_en"]
