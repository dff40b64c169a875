"""Loading the geography: provinces, districts and sub-districts from `geothai`, regions from a mapping."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import geothai
from django.db import transaction

from openuhc.core.errors import DomainError
from openuhc.geo.errors import GeoError
from openuhc.geo.models import District, Province, Region, Subdistrict

DEFAULT_REGION_MAPPING = Path(__file__).parent / "data" / "nhso_regions.csv"


@dataclass
class LoadCounts:
    provinces: int
    districts: int
    subdistricts: int


@transaction.atomic
def load_geography() -> LoadCounts:
    """Insert or update every province, district and sub-district that `geothai` ships (DOPA codes).

    Idempotent: running it again after a `geothai` upgrade updates names and adds new units; nothing is
    deleted, because registry and unit records point at sub-districts.
    """
    provinces = {p.code: p for p in Province.objects.all()}
    districts = {d.code: d for d in District.objects.all()}
    subdistricts = {s.code: s for s in Subdistrict.objects.all()}
    new_p, new_d, new_s = [], [], []
    upd_p, upd_d, upd_s = [], [], []
    source_districts = []
    for gp in geothai.provinces():
        row = provinces.get(gp.code)
        if row is None:
            row = Province(code=gp.code, name_th=gp.name_th, name_en=gp.name_en)
            new_p.append(row)
        elif (row.name_th, row.name_en) != (gp.name_th, gp.name_en):
            row.name_th, row.name_en = gp.name_th, gp.name_en
            upd_p.append(row)
        source_districts.extend(geothai.districts(gp.code))
    Province.objects.bulk_create(new_p)
    Province.objects.bulk_update(upd_p, ["name_th", "name_en"])
    provinces = {p.code: p for p in Province.objects.all()}

    source_subdistricts = []
    for gd in source_districts:
        row = districts.get(gd.code)
        if row is None:
            new_d.append(District(code=gd.code, name_th=gd.name_th, name_en=gd.name_en,
                                  province=provinces[gd.province_code]))
        elif (row.name_th, row.name_en) != (gd.name_th, gd.name_en):
            row.name_th, row.name_en = gd.name_th, gd.name_en
            upd_d.append(row)
        source_subdistricts.extend(geothai.subdistricts(gd.code))
    District.objects.bulk_create(new_d, batch_size=500)
    District.objects.bulk_update(upd_d, ["name_th", "name_en"], batch_size=500)
    districts = {d.code: d for d in District.objects.all()}

    for gs in source_subdistricts:
        postal = " ".join(gs.postal_codes)
        row = subdistricts.get(gs.code)
        if row is None:
            new_s.append(Subdistrict(code=gs.code, name_th=gs.name_th, name_en=gs.name_en,
                                     district=districts[gs.district_code], postal_codes=postal))
        elif (row.name_th, row.name_en, row.postal_codes) != (gs.name_th, gs.name_en, postal):
            row.name_th, row.name_en, row.postal_codes = gs.name_th, gs.name_en, postal
            upd_s.append(row)
    Subdistrict.objects.bulk_create(new_s, batch_size=1000)
    Subdistrict.objects.bulk_update(upd_s, ["name_th", "name_en", "postal_codes"], batch_size=1000)
    return LoadCounts(Province.objects.count(), District.objects.count(), Subdistrict.objects.count())


@transaction.atomic
def load_region_mapping(path: Path = DEFAULT_REGION_MAPPING) -> int:
    """Create the regions of a CSV (region, name_th, name_en, province_codes) and map provinces to them.

    The shipped file maps Thailand's 77 provinces to the 13 NHSO regions; another country, or a change of
    the regions, is a different file. Every province named must exist; each may appear only once.
    """
    seen: dict[str, int] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"region", "name_th", "name_en", "province_codes"}
        if not reader.fieldnames or not needed <= set(reader.fieldnames):
            raise DomainError(GeoError.BAD_REGION_FILE, line=1, detail=f"the header must be {sorted(needed)}")
        for line, row in enumerate(reader, start=2):
            try:
                number = int(row["region"])
            except ValueError:
                raise DomainError(GeoError.BAD_REGION_FILE, line=line, detail="region is not a number") from None
            region, _ = Region.objects.update_or_create(
                number=number, defaults={"name_th": row["name_th"], "name_en": row["name_en"]}
            )
            for code in row["province_codes"].split():
                if code in seen:
                    raise DomainError(GeoError.BAD_REGION_FILE, line=line,
                                      detail=f"province {code} is already in region {seen[code]}")
                if not Province.objects.filter(code=code).update(region=region):
                    raise DomainError(GeoError.BAD_REGION_FILE, line=line, detail=f"no province {code}")
                seen[code] = number
    return len(seen)
