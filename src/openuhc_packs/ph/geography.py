"""Philippine geography from the PSGC (the `psgc` package, MIT): regions, provinces, cities and municipalities,
barangays, into OpenUHC's three levels (province → district → sub-district) with the 10-digit PSGC codes.

Every region and province is loaded; cities, municipalities and barangays of the provinces asked for (all 42,000
barangays when none are named). Idempotent: names are updated, nothing is deleted (people and units point at
barangays). Independent cities outside any province (e.g. in Metro Manila) are not loaded: they have no province.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _region_number(code: str) -> int:
    return int(code[:2])  # PSGC region codes: 0100000000 … 1900000000


@transaction.atomic
def load(*, areas: list[str] | None = None, **_options: Any) -> dict[str, int]:
    import psgc

    from openuhc.geo.models import District, Province, Region, Subdistrict

    counts = {"regions": 0, "areas": 0, "districts": 0, "subdistricts": 0}
    regions = {}
    for item in psgc.regions:
        regions[item.psgc_code], _ = Region.objects.update_or_create(
            number=_region_number(item.psgc_code), defaults={"name_th": item.name, "name_en": item.name})
        counts["regions"] += 1
    for province in psgc.provinces:
        if not province.psgc_code.isdigit():
            continue  # the package's own groupings (not PSGC provinces)
        region = regions.get(province.psgc_code[:2] + "00000000")
        row, _ = Province.objects.update_or_create(
            code=province.psgc_code, defaults={"name_th": province.name, "name_en": province.name, "region": region})
        counts["areas"] += 1
        if areas is not None and province.psgc_code not in areas:
            continue
        for city in province.children:
            district, _ = District.objects.update_or_create(
                code=city.psgc_code, defaults={"name_th": city.name, "name_en": city.name, "province": row})
            counts["districts"] += 1
            existing = {s.code: s for s in district.subdistricts.all()}
            new = []
            for barangay in city.children:
                found = existing.get(barangay.psgc_code)
                if found is None:
                    new.append(Subdistrict(code=barangay.psgc_code, name_th=barangay.name, name_en=barangay.name,
                                           district=district))
                elif found.name_en != barangay.name:
                    Subdistrict.objects.filter(pk=found.pk).update(name_th=barangay.name, name_en=barangay.name)
                counts["subdistricts"] += 1
            Subdistrict.objects.bulk_create(new, batch_size=1000)
    return counts
