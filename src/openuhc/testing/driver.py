"""What the helper processes of tests (kill and concurrency drivers) set up in a database of their own."""

from __future__ import annotations

from typing import Any


def tables_and_place() -> tuple[Any, Any, Any]:
    """Every managed model's table, created straight from the models (a full migrate would take a minute), and one
    sub-district (with its district, province and region), a unit type and an owner for the driver's units."""
    from django.apps import apps
    from django.db import connection

    from openuhc.geo.models import District, Province, Region, Subdistrict
    from openuhc.providers.models import Owner, UnitType

    with connection.schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)
    region = Region.objects.create(number=1, name_th="เขต 1")
    province = Province.objects.create(code="56", name_th="พะเยา", region=region)
    district = District.objects.create(code="5601", name_th="เมือง", province=province)
    sub = Subdistrict.objects.create(code="560101", name_th="เวียง", district=district)
    return (sub, UnitType.objects.create(code="general", name_th="ทั่วไป"),
            Owner.objects.create(code="MOPH", name_th="สธ."))
