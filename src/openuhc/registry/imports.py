"""Bulk import of persons, coverage and registrations (CSV or Excel; all-or-nothing per file).

Order: persons first, then coverage, then registrations (each refers to the one before).
"""

from __future__ import annotations

from typing import Any

from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.core.importing import Importer, RowFailure, RowProblems, register
from openuhc.core.jobs import Progress
from openuhc.geo.errors import GeoError
from openuhc.geo.models import Subdistrict
from openuhc.providers.models import HealthUnit
from openuhc.registry import services
from openuhc.registry.errors import RegistryError
from openuhc.registry.ids import validate_citizen_id
from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, Scheme

BATCH = 2000


def _date(value: str) -> Any:
    return parse_date(value).value


def _optional_date(problems: RowProblems, values: dict[str, str], name: str) -> Any:
    text = values.get(name, "").strip()
    return problems.check(name, _date, text) if text else None


@register
class PersonImporter(Importer):
    kind = "persons"
    title_en = "Persons"
    title_th = "บุคคล"
    required = ("citizen_id", "first_name_th", "last_name_th", "sex", "birth_date", "subdistrict_code")
    optional = ("title", "first_name_en", "last_name_en", "death_date")
    duplicate_what_en = "citizen ID"
    duplicate_what_th = "เลขประจำตัวประชาชน"

    def prepare(self) -> None:
        self.subdistricts = dict(Subdistrict.objects.values_list("code", "pk"))
        self.existing = set(Person.objects.values_list("citizen_id", flat=True))

    def row_key(self, values: dict[str, str]) -> Any:
        return validate_citizen_id(values["citizen_id"])

    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        problems.require(values, *self.required)
        cid = problems.check("citizen_id", validate_citizen_id, values["citizen_id"]) if values["citizen_id"] else None
        if cid and cid in self.existing:
            problems.add("citizen_id", DomainError(RegistryError.PERSON_EXISTS))
        sex = problems.check("sex", services.parse_sex, values["sex"]) if values["sex"] else None
        birth = _optional_date(problems, values, "birth_date")
        if birth:
            problems.check("birth_date", services.check_birth_date, birth)
        death = _optional_date(problems, values, "death_date")
        if death:
            problems.check("death_date", services.check_death_date, death, birth)
        code = values["subdistrict_code"]
        if code and code not in self.subdistricts:
            problems.add("subdistrict_code", DomainError(GeoError.UNKNOWN_SUBDISTRICT, code=code))
        return Person(
            citizen_id=cid, title=values.get("title", ""), first_name_th=values["first_name_th"],
            last_name_th=values["last_name_th"], first_name_en=values.get("first_name_en", ""),
            last_name_en=values.get("last_name_en", ""), sex=sex, birth_date=birth, death_date=death,
            subdistrict_id=self.subdistricts.get(code),
        )

    def write(self, rows: list[tuple[int, Person]], progress: Progress) -> int:
        people = [person for _line, person in rows]
        for start in range(0, len(people), BATCH):
            batch = Person.objects.bulk_create(people[start:start + BATCH])
            if not all(p.pk for p in batch):  # backends without RETURNING ids: look them up
                ids = dict(Person.objects.filter(citizen_id__in=[p.citizen_id for p in batch]).values_list(
                    "citizen_id", "pk"))
                for p in batch:
                    p.pk = ids[p.citizen_id]
            RegistryEvent.objects.bulk_create(
                [RegistryEvent(person=p, kind=RegistryEvent.Kind.PERSON_ADDED, actor=self.actor,
                               detail={"source": "import"}) for p in batch])
            progress.advance(len(batch))
        return len(rows)


@register
class CoverageImporter(Importer):
    kind = "coverage"
    title_en = "Coverage"
    title_th = "สิทธิ"
    required = ("citizen_id", "scheme", "valid_from")
    optional = ("valid_to", "source")
    duplicate_what_en = "citizen ID and start date"
    duplicate_what_th = "เลขประจำตัวประชาชนและวันเริ่มสิทธิ"

    def prepare(self) -> None:
        self.schemes = {s.code: s for s in Scheme.objects.filter(is_active=True)}
        self.people: dict[str, Person] = {}

    def row_key(self, values: dict[str, str]) -> Any:
        return (validate_citizen_id(values["citizen_id"]), values["valid_from"])

    def _person(self, cid: str) -> Person | None:
        if cid not in self.people:
            person = Person.objects.filter(citizen_id=cid).first()
            if person is None:
                return None
            self.people[cid] = person
        return self.people[cid]

    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        problems.require(values, *self.required)
        cid = problems.check("citizen_id", validate_citizen_id, values["citizen_id"]) if values["citizen_id"] else None
        person = self._person(cid) if cid else None
        if cid and person is None:
            problems.add("citizen_id", DomainError(RegistryError.UNKNOWN_ID))
        scheme = self.schemes.get(values["scheme"].strip().upper())
        if values["scheme"] and scheme is None:
            problems.add("scheme", DomainError(RegistryError.UNKNOWN_SCHEME, code=values["scheme"],
                                               choices=", ".join(self.schemes)))
        start = _optional_date(problems, values, "valid_from")
        end = _optional_date(problems, values, "valid_to")
        if start and end and end < start:
            problems.add("valid_to", DomainError(RegistryError.COVERAGE_PERIOD))
        if person and start and start < person.birth_date:
            problems.add("valid_from", DomainError(RegistryError.COVERAGE_BEFORE_BIRTH))
        return (person, scheme, start, end, values.get("source", "") or "import")

    def write(self, rows: list[tuple[int, Any]], progress: Progress) -> int:
        # Through the service, row by row: it closes open periods and refuses overlaps. A refusal
        # raises, and the whole file is rolled back.
        for line, (person, scheme, start, end, source) in sorted(rows, key=lambda r: (r[1][0].pk, r[1][2])):
            try:
                services.add_coverage(actor=self.actor, person=person, scheme=scheme, valid_from=start,
                                      valid_to=end, source=source)
            except DomainError as error:
                raise RowFailure(line, "valid_from", error) from None
            progress.advance()
        return len(rows)


@register
class RegistrationImporter(Importer):
    kind = "registrations"
    title_en = "Registrations"
    title_th = "การลงทะเบียนหน่วยบริการ"
    required = ("citizen_id", "main_unit", "primary_unit", "referral_unit", "effective_from")
    optional = ("reason",)
    duplicate_what_en = "citizen ID and date"
    duplicate_what_th = "เลขประจำตัวประชาชนและวันที่มีผล"

    def prepare(self) -> None:
        self.units = {u.code: u for u in HealthUnit.objects.filter(is_active=True)}
        self.people: dict[str, Person] = {}

    def row_key(self, values: dict[str, str]) -> Any:
        return (validate_citizen_id(values["citizen_id"]), values["effective_from"])

    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        problems.require(values, *self.required)
        cid = problems.check("citizen_id", validate_citizen_id, values["citizen_id"]) if values["citizen_id"] else None
        person = None
        if cid:
            person = self.people.get(cid) or Person.objects.filter(citizen_id=cid).first()
            if person is None:
                problems.add("citizen_id", DomainError(RegistryError.UNKNOWN_ID))
            else:
                self.people[cid] = person
        units = {}
        for name in ("main_unit", "primary_unit", "referral_unit"):
            code = values[name]
            if code:
                units[name] = self.units.get(code)
                if units[name] is None:
                    problems.add(name, DomainError(RegistryError.UNKNOWN_UNIT, code=code))
        start = _optional_date(problems, values, "effective_from")
        return (person, units, start, values.get("reason", ""))

    def write(self, rows: list[tuple[int, Any]], progress: Progress) -> int:
        for line, (person, units, start, reason) in sorted(rows, key=lambda r: (r[1][0].pk, r[1][2])):
            try:
                services.register(actor=self.actor, person=person, effective_from=start, reason=reason,
                                  source="import", **units)
            except DomainError as error:
                raise RowFailure(line, "effective_from", error) from None
            progress.advance()
        return len(rows)


__all__ = ["CoverageImporter", "PersonImporter", "RegistrationImporter", "Coverage", "Registration"]
