"""The transfer of sub-district units to Provincial Administrative Organisations, from the provider history.

A transfer is an entry of a unit's ownership history that gives it to a PAO after an earlier entry (a unit a
PAO built itself is not a transfer). Counted by the fiscal year of the day it took effect and by the unit's
province; the share is of the province's active sub-district units (types in `governance.transfer_unit_types`).
Nationally 4,276 of 9,872 sub-district units (43.3 %) had gone to 62 PAOs by 2024 (HSRI, as quoted by
The Coverage).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation

from openuhc.core import params
from openuhc.core.dates import fiscal_year, today
from openuhc.geo.models import LocalGovernment
from openuhc.governance import params as P
from openuhc.providers.models import HealthUnit, Owner, Ownership


@dataclass
class ProvinceRow:
    code: str
    name: str
    units: int = 0  # active sub-district units now
    with_pao: int = 0  # of which owned by the PAO now
    by_year: dict[int, int] = field(default_factory=dict)  # transfers per fiscal year

    @property
    def share(self) -> Decimal | None:
        if not self.units:
            return None
        return (Decimal(self.with_pao) * 100 / self.units).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def transferred(self) -> int:
        return sum(self.by_year.values())


@dataclass
class Transfers:
    years: list[int]
    provinces: list[ProvinceRow]

    def total(self, year: int) -> int:
        return sum(p.by_year.get(year, 0) for p in self.provinces)

    @property
    def units(self) -> int:
        return sum(p.units for p in self.provinces)

    @property
    def with_pao(self) -> int:
        return sum(p.with_pao for p in self.provinces)

    @property
    def share(self) -> Decimal | None:
        if not self.units:
            return None
        return (Decimal(self.with_pao) * 100 / self.units).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def transfers(*, province: str | None = None, region: int | None = None, on: date | None = None) -> Transfers:
    on = on or today()
    types = list(params.get(P.TRANSFER_UNIT_TYPES.key, on=on))
    pao = Q(owner__kind=Owner.Kind.LOCAL_GOVERNMENT, owner__local_government__kind=LocalGovernment.Kind.PAO)
    units = HealthUnit.objects.filter(unit_type__code__in=types, is_active=True)
    if province:
        units = units.filter(subdistrict__district__province__code=province)
    if region:
        units = units.filter(subdistrict__district__province__region__number=region)
    where = "subdistrict__district__province"
    rows: dict[str, ProvinceRow] = {}
    for code, name_th, name_en, total, with_pao in (
            units.values_list(f"{where}__code", f"{where}__name_th", f"{where}__name_en")
            .annotate(total=Count("id"), with_pao=Count("id", filter=pao)).order_by(f"{where}__code")):
        name = name_en if (translation.get_language() or "th").startswith("en") and name_en else name_th
        rows[code] = ProvinceRow(code, name, total, with_pao)
    earlier = Ownership.objects.filter(unit=OuterRef("unit"), valid_from__lt=OuterRef("valid_from"))
    entries = (Ownership.objects.filter(pao, unit__in=units, valid_from__lte=on).filter(Exists(earlier))
               .values_list("unit__subdistrict__district__province__code", "valid_from"))
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for code, valid_from in entries:
        counts[code][fiscal_year(valid_from)] += 1
    for code, by_year in counts.items():
        if code in rows:
            rows[code].by_year = dict(by_year)
    years = sorted({y for p in rows.values() for y in p.by_year})
    return Transfers(years, list(rows.values()))
