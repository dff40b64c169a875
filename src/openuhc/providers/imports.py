"""Bulk import of health units (CSV or Excel; all-or-nothing per file)."""

from __future__ import annotations

from typing import Any

from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.core.importing import Importer, RowFailure, RowProblems, register
from openuhc.core.jobs import Progress
from openuhc.geo.errors import GeoError
from openuhc.geo.models import Subdistrict
from openuhc.providers import services
from openuhc.providers.errors import ProviderError
from openuhc.providers.models import Cup, HealthUnit, Owner, UnitType


@register
class UnitImporter(Importer):
    kind = "units"
    title_en = "Health units"
    title_th = "หน่วยบริการ"
    required = ("code", "name_th", "unit_type", "subdistrict_code", "owner", "owner_since")
    optional = ("name_en", "cup")
    duplicate_what_en = "unit code"
    duplicate_what_th = "รหัสหน่วยบริการ"

    def prepare(self) -> None:
        self.types = {t.code: t for t in UnitType.objects.all()}
        self.owners = {o.code: o for o in Owner.objects.all()}
        self.subdistricts = {s.code: s for s in Subdistrict.objects.all()}
        self.existing = set(HealthUnit.objects.values_list("code", flat=True))
        self.cups = {c.code: c for c in Cup.objects.all()}

    def row_key(self, values: dict[str, str]) -> Any:
        return values["code"].strip()

    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        problems.require(values, *self.required)
        code = problems.check("code", services.validate_unit_code, values["code"]) if values["code"] else None
        if code and code in self.existing:
            problems.add("code", DomainError(ProviderError.UNIT_EXISTS, code=code))
        unit_type = self.types.get(values["unit_type"])
        if values["unit_type"] and unit_type is None:
            problems.add("unit_type", DomainError(ProviderError.UNKNOWN_TYPE, code=values["unit_type"],
                                                  choices=", ".join(self.types)))
        owner = self.owners.get(values["owner"])
        if values["owner"] and owner is None:
            problems.add("owner", DomainError(ProviderError.UNKNOWN_OWNER, code=values["owner"],
                                              choices=", ".join(list(self.owners)[:30])))
        subdistrict = self.subdistricts.get(values["subdistrict_code"])
        if values["subdistrict_code"] and subdistrict is None:
            problems.add("subdistrict_code", DomainError(GeoError.UNKNOWN_SUBDISTRICT, code=values["subdistrict_code"]))
        since = problems.check("owner_since", lambda v: parse_date(v).value, values["owner_since"]) \
            if values["owner_since"] else None
        cup = None
        if values.get("cup"):
            cup = self.cups.get(values["cup"])
            if cup is None:
                problems.add("cup", DomainError(ProviderError.NOT_A_CUP, code=values["cup"]))
        return {"code": code, "name_th": values["name_th"], "name_en": values.get("name_en", ""),
                "unit_type": unit_type, "subdistrict": subdistrict, "owner": owner, "owner_since": since, "cup": cup}

    def write(self, rows: list[tuple[int, Any]], progress: Progress) -> int:
        for line, data in rows:
            try:
                services.create_unit(actor=self.actor, **data)
            except DomainError as error:
                raise RowFailure(line, "code", error) from None
            progress.advance()
        return len(rows)


__all__ = ["UnitImporter"]
