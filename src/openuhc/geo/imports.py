"""Bulk import of local governments (CSV or Excel; all-or-nothing per file)."""

from __future__ import annotations

from typing import Any

from openuhc.core.errors import DomainError
from openuhc.core.importing import Importer, RowProblems, register
from openuhc.core.jobs import Progress
from openuhc.geo.errors import GeoError
from openuhc.geo.models import LocalGovernment, Province, Subdistrict

# Thai names and abbreviations people type for each kind, besides the kind's own key.
KIND_ALIASES = {
    "อบจ.": LocalGovernment.Kind.PAO, "องค์การบริหารส่วนจังหวัด": LocalGovernment.Kind.PAO,
    "เทศบาลนคร": LocalGovernment.Kind.CITY_MUNICIPALITY, "ทน.": LocalGovernment.Kind.CITY_MUNICIPALITY,
    "เทศบาลเมือง": LocalGovernment.Kind.TOWN_MUNICIPALITY, "ทม.": LocalGovernment.Kind.TOWN_MUNICIPALITY,
    "เทศบาลตำบล": LocalGovernment.Kind.SUBDISTRICT_MUNICIPALITY, "ทต.": LocalGovernment.Kind.SUBDISTRICT_MUNICIPALITY,
    "อบต.": LocalGovernment.Kind.SAO, "องค์การบริหารส่วนตำบล": LocalGovernment.Kind.SAO,
}


def parse_kind(text: str) -> str:
    value = text.strip()
    if value in LocalGovernment.Kind.values:
        return value
    if value in KIND_ALIASES:
        return KIND_ALIASES[value]
    raise DomainError(GeoError.UNKNOWN_KIND, kind=text, choices=", ".join(LocalGovernment.Kind.values))


def parse_population(text: str) -> int:
    try:
        number = int(text.replace(",", "").strip())
    except ValueError:
        raise DomainError(GeoError.BAD_POPULATION) from None
    if number < 0:
        raise DomainError(GeoError.BAD_POPULATION)
    return number


@register
class LocalGovernmentImporter(Importer):
    kind = "local-governments"
    title_en = "Local governments"
    title_th = "องค์กรปกครองส่วนท้องถิ่น"
    required = ("code", "kind", "name_th", "province_code")
    optional = ("name_en", "subdistrict_codes", "population", "population_year")
    duplicate_what_en = "code"
    duplicate_what_th = "รหัส"

    def prepare(self) -> None:
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.subdistricts = {s.code: s for s in Subdistrict.objects.select_related("district")}
        self.existing = set(LocalGovernment.objects.values_list("code", flat=True))

    def row_key(self, values: dict[str, str]) -> Any:
        return values["code"].strip()

    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        problems.require(values, *self.required)
        code = values["code"].strip()
        if code and not (code.isascii() and code.isdigit() and 5 <= len(code) <= 10):
            problems.add("code", DomainError(GeoError.BAD_LG_CODE, code=code))
        elif code in self.existing:
            problems.add("code", DomainError(GeoError.LG_EXISTS, code=code))
        kind = problems.check("kind", parse_kind, values["kind"]) if values["kind"] else None
        province = self.provinces.get(values["province_code"].strip())
        if values["province_code"] and province is None:
            problems.add("province_code", DomainError(GeoError.UNKNOWN_PROVINCE, code=values["province_code"]))
        subdistricts = []
        for sub_code in values.get("subdistrict_codes", "").replace(",", ";").split(";"):
            sub_code = sub_code.strip()
            if not sub_code:
                continue
            sub = self.subdistricts.get(sub_code)
            if sub is None:
                problems.add("subdistrict_codes", DomainError(GeoError.UNKNOWN_SUBDISTRICT, code=sub_code))
            elif province is not None and sub.district.province_id != province.pk:
                problems.add("subdistrict_codes", DomainError(GeoError.SUBDISTRICT_OTHER_PROVINCE, code=sub_code,
                                                              province=province.code))
            else:
                subdistricts.append(sub)
        population = problems.check("population", parse_population, values["population"]) \
            if values.get("population") else None
        year = problems.check("population_year", parse_population, values["population_year"]) \
            if values.get("population_year") else None
        return {"code": code, "kind": kind, "name_th": values["name_th"], "name_en": values.get("name_en", ""),
                "province": province, "population": population, "population_year": year,
                "subdistricts": subdistricts}

    def write(self, rows: list[tuple[int, Any]], progress: Progress) -> int:
        for _line, data in rows:
            subdistricts = data.pop("subdistricts")
            lg = LocalGovernment.objects.create(**data)
            lg.subdistricts.set(subdistricts)
            progress.advance()
        return len(rows)
