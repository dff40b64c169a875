"""Every change to the registry, one function each (atomic, with an event row), and the eligibility check."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from openuhc.core import params
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, format_date, today
from openuhc.core.errors import DomainError
from openuhc.providers.models import HealthUnit
from openuhc.registry.eligibility import Eligibility, check_eligibility
from openuhc.registry.errors import RegistryError
from openuhc.registry.ids import validate_citizen_id
from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, Scheme

MAX_AGE_YEARS = 130


def check_birth_date(birth_date: date) -> date:
    if birth_date > today():
        raise DomainError(RegistryError.BIRTH_IN_FUTURE)
    if birth_date < today() - timedelta(days=MAX_AGE_YEARS * 366):
        raise DomainError(RegistryError.BIRTH_TOO_EARLY)
    return birth_date


def check_death_date(death_date: date, birth_date: date | None) -> date:
    if death_date > today():
        raise DomainError(RegistryError.DEATH_IN_FUTURE)
    if birth_date and death_date < birth_date:
        raise DomainError(RegistryError.DEATH_BEFORE_BIRTH)
    return death_date


def parse_sex(value: Any) -> int:
    text = str(value).strip().upper()
    aliases = {"1": 1, "M": 1, "MALE": 1, "ชาย": 1, "2": 2, "F": 2, "FEMALE": 2, "หญิง": 2}
    if text not in aliases:
        raise DomainError(RegistryError.BAD_SEX, value=value)
    return aliases[text]


def scheme_by_code(code: str) -> Scheme:
    try:
        return Scheme.objects.get(code=code.strip().upper(), is_active=True)
    except Scheme.DoesNotExist:
        choices = ", ".join(Scheme.objects.filter(is_active=True).values_list("code", flat=True))
        raise DomainError(RegistryError.UNKNOWN_SCHEME, code=code, choices=choices) from None


def unit_by_code(code: str) -> HealthUnit:
    try:
        unit = HealthUnit.objects.get(code=code.strip())
    except HealthUnit.DoesNotExist:
        raise DomainError(RegistryError.UNKNOWN_UNIT, code=code) from None
    if not unit.is_active:
        raise DomainError(RegistryError.INACTIVE_UNIT, code=code)
    return unit


@transaction.atomic
def add_person(
    *, actor: Any, citizen_id: str, first_name_th: str, last_name_th: str, sex: int, birth_date: date,
    subdistrict: Any, title: str = "", first_name_en: str = "", last_name_en: str = "",
    death_date: date | None = None, source: str = "",
) -> Person:
    citizen_id = validate_citizen_id(citizen_id)
    if not first_name_th.strip() or not last_name_th.strip():
        raise DomainError(RegistryError.NAME_REQUIRED)
    check_birth_date(birth_date)
    if death_date is not None:
        check_death_date(death_date, birth_date)
    if Person.objects.filter(citizen_id=citizen_id).exists():
        raise DomainError(RegistryError.PERSON_EXISTS)
    person = Person.objects.create(
        citizen_id=citizen_id, title=title.strip(), first_name_th=first_name_th.strip(),
        last_name_th=last_name_th.strip(), first_name_en=first_name_en.strip(), last_name_en=last_name_en.strip(),
        sex=parse_sex(sex), birth_date=birth_date, subdistrict=subdistrict, death_date=death_date,
    )
    RegistryEvent.objects.create(person=person, kind=RegistryEvent.Kind.PERSON_ADDED, actor=actor,
                                 detail={"source": source})
    return person


@transaction.atomic
def record_death(*, actor: Any, person: Person, death_date: date, source: str = "") -> Person:
    check_death_date(death_date, person.birth_date)
    # Compare-and-set: two clerks recording a death at once must not overwrite each other.
    if not Person.objects.filter(pk=person.pk, death_date__isnull=True).update(death_date=death_date):
        person.refresh_from_db()
        raise DomainError(RegistryError.DEATH_ALREADY_RECORDED, death_date=format_date(person.death_date))
    RegistryEvent.objects.create(person=person, kind=RegistryEvent.Kind.DEATH_RECORDED, actor=actor,
                                 detail={"death_date": death_date.isoformat(), "source": source})
    person.refresh_from_db()
    return person


def _lock(person: Person) -> Person:
    """Serialise changes to one person's coverage and registration (a row lock on PostgreSQL)."""
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def add_coverage(
    *, actor: Any, person: Person, scheme: Scheme, valid_from: date, valid_to: date | None = None, source: str = "",
) -> Coverage:
    """Give a person a scheme from a date. An open coverage that started earlier is closed the day before."""
    person = _lock(person)
    if valid_from < person.birth_date:
        raise DomainError(RegistryError.COVERAGE_BEFORE_BIRTH)
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(RegistryError.COVERAGE_PERIOD)
    open_earlier = Coverage.objects.filter(person=person, valid_to__isnull=True, valid_from__lt=valid_from).first()
    if open_earlier is not None:
        closed_on = valid_from - timedelta(days=1)
        if Coverage.objects.filter(pk=open_earlier.pk, valid_to__isnull=True).update(valid_to=closed_on):
            RegistryEvent.objects.create(
                person=person, kind=RegistryEvent.Kind.COVERAGE_CLOSED, actor=actor,
                detail={"coverage": open_earlier.pk, "scheme": open_earlier.scheme.code,
                        "valid_to": closed_on.isoformat()},
            )
    end = valid_to or date.max
    clash = (
        Coverage.objects.filter(person=person, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .select_related("scheme").first()
    )
    if clash is not None:
        raise DomainError(
            RegistryError.COVERAGE_OVERLAP, scheme=clash.scheme.code, start=format_date(clash.valid_from),
            end=format_date(clash.valid_to) if clash.valid_to else "—",
        )
    coverage = Coverage.objects.create(
        person=person, scheme=scheme, valid_from=valid_from, valid_to=valid_to, source=source, recorded_by=actor
    )
    RegistryEvent.objects.create(
        person=person, kind=RegistryEvent.Kind.COVERAGE_ADDED, actor=actor,
        detail={"coverage": coverage.pk, "scheme": scheme.code, "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None, "source": source},
    )
    return coverage


@transaction.atomic
def end_coverage(*, actor: Any, coverage: Coverage, valid_to: date, source: str = "") -> Coverage:
    """Close an open coverage on a date (once: a compare-and-set from "open")."""
    if valid_to < coverage.valid_from:
        raise DomainError(RegistryError.COVERAGE_PERIOD)
    if not Coverage.objects.filter(pk=coverage.pk, valid_to__isnull=True).update(valid_to=valid_to):
        raise DomainError(RegistryError.COVERAGE_ALREADY_CLOSED)
    RegistryEvent.objects.create(
        person_id=coverage.person_id, kind=RegistryEvent.Kind.COVERAGE_CLOSED, actor=actor,
        detail={"coverage": coverage.pk, "valid_to": valid_to.isoformat(), "source": source},
    )
    coverage.refresh_from_db()
    return coverage


def coverage_on(person: Person, on: date) -> Coverage | None:
    return (
        Coverage.objects.filter(person=person, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("scheme").order_by("-valid_from").first()
    )


def _change_period(on: date, scheme_code: str) -> tuple[date, date, str]:
    period = params.get("registry.unit_change_period", on=on, scheme=scheme_code)
    if period == "calendar_year":
        return date(on.year, 1, 1), date(on.year, 12, 31), "calendar_year"
    start, end = fiscal_year_bounds(fiscal_year(on))
    return start, end, "fiscal_year"


@transaction.atomic
def register(
    *, actor: Any, person: Person, main_unit: HealthUnit, primary_unit: HealthUnit, referral_unit: HealthUnit,
    effective_from: date | None = None, reason: str = "", source: str = "",
) -> Registration:
    """Register a person with units. A change of unit takes effect at once (from today by default)."""
    person = _lock(person)
    effective_from = effective_from or today()
    if effective_from > today():
        raise DomainError(RegistryError.REGISTRATION_IN_FUTURE)
    if person.death_date and person.death_date < effective_from:
        raise DomainError(RegistryError.DEAD_BEFORE, death_date=format_date(person.death_date),
                          on=format_date(effective_from))
    coverage = coverage_on(person, effective_from)
    if coverage is None or not coverage.scheme.registers_with_unit:
        raise DomainError(RegistryError.NOT_REGISTERING_SCHEME, on=format_date(effective_from))
    previous = (
        Registration.objects.filter(person=person).order_by("-effective_from", "-id").first()
    )
    is_change = False
    if previous is not None:
        if effective_from < previous.effective_from:
            raise DomainError(RegistryError.REGISTRATION_BACKDATED, current=format_date(previous.effective_from))
        same = (previous.main_unit_id, previous.primary_unit_id, previous.referral_unit_id) == (
            main_unit.pk, primary_unit.pk, referral_unit.pk)
        if same:
            raise DomainError(RegistryError.REGISTRATION_UNCHANGED)
        is_change = (previous.main_unit_id, previous.primary_unit_id) != (main_unit.pk, primary_unit.pk)
    if is_change:
        scheme_code = coverage.scheme.code
        limit = params.get("registry.unit_change_limit", on=effective_from, scheme=scheme_code)
        start, end, period = _change_period(effective_from, scheme_code)
        used = Registration.objects.filter(
            person=person, is_change=True, effective_from__gte=start, effective_from__lte=end
        ).count()
        if used >= limit:
            raise DomainError(
                RegistryError.CHANGE_LIMIT, limit=limit,
                period="fiscal year" if period == "fiscal_year" else "calendar year",
                period_th="ปีงบประมาณ" if period == "fiscal_year" else "ปีปฏิทิน",
            )
    registration = Registration.objects.create(
        person=person, main_unit=main_unit, primary_unit=primary_unit, referral_unit=referral_unit,
        effective_from=effective_from, is_change=is_change, reason=reason, source=source, recorded_by=actor,
    )
    Person.objects.filter(pk=person.pk).update(current_registration=registration)
    RegistryEvent.objects.create(
        person=person, kind=RegistryEvent.Kind.REGISTERED, actor=actor,
        detail={"registration": registration.pk, "main": main_unit.code, "primary": primary_unit.code,
                "referral": referral_unit.code, "effective_from": effective_from.isoformat(), "change": is_change},
    )
    return registration


__all__ = ["Eligibility", "add_coverage", "add_person", "check_eligibility", "end_coverage", "record_death", "register"]
