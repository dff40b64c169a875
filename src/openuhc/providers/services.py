"""Changes to the provider network: units, transfers of ownership, CUP membership, referral links."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from openuhc.core.dates import format_date
from openuhc.core.errors import DomainError
from openuhc.providers.errors import ProviderError
from openuhc.providers.models import Cup, CupMembership, HealthUnit, Owner, Ownership, ReferralLink, UnitType


def validate_unit_code(code: str) -> str:
    code = (code or "").strip()
    if len(code) != 5 or not code.isascii() or not code.isdigit():
        raise DomainError(ProviderError.BAD_CODE, code=code)
    return code


def unit_type_by_code(code: str) -> UnitType:
    try:
        return UnitType.objects.get(code=code.strip())
    except UnitType.DoesNotExist:
        choices = ", ".join(UnitType.objects.values_list("code", flat=True))
        raise DomainError(ProviderError.UNKNOWN_TYPE, code=code, choices=choices) from None


def owner_by_code(code: str) -> Owner:
    try:
        return Owner.objects.get(code=code.strip())
    except Owner.DoesNotExist:
        choices = ", ".join(Owner.objects.values_list("code", flat=True)[:30])
        raise DomainError(ProviderError.UNKNOWN_OWNER, code=code, choices=choices) from None


@transaction.atomic
def create_unit(
    *, actor: Any, code: str, name_th: str, unit_type: UnitType, subdistrict: Any, owner: Owner, owner_since: date,
    name_en: str = "", cup: Cup | None = None,
) -> HealthUnit:
    code = validate_unit_code(code)
    if HealthUnit.objects.filter(code=code).exists():
        raise DomainError(ProviderError.UNIT_EXISTS, code=code)
    unit = HealthUnit.objects.create(code=code, name_th=name_th, name_en=name_en, unit_type=unit_type,
                                     subdistrict=subdistrict, owner=owner, cup=cup)
    Ownership.objects.create(unit=unit, owner=owner, valid_from=owner_since, recorded_by=actor, note="created")
    if cup is not None:
        CupMembership.objects.create(unit=unit, cup=cup, valid_from=owner_since, recorded_by=actor)
    return unit


@transaction.atomic
def transfer_ownership(*, actor: Any, unit: HealthUnit, to_owner: Owner, on: date, note: str = "") -> Ownership:
    """E.g. a sub-district health promoting hospital transferred from the Ministry to a PAO on a date."""
    unit = HealthUnit.objects.select_for_update().get(pk=unit.pk)
    last = unit.ownership_history.order_by("-valid_from", "-id").first()
    if last is not None and on <= last.valid_from:
        raise DomainError(ProviderError.OWNER_BACKDATED, last=format_date(last.valid_from))
    if unit.owner_id == to_owner.pk:
        raise DomainError(ProviderError.SAME_OWNER, owner=str(to_owner))
    entry = Ownership.objects.create(unit=unit, owner=to_owner, valid_from=on, note=note, recorded_by=actor)
    HealthUnit.objects.filter(pk=unit.pk).update(owner=to_owner)
    return entry


def owner_on(unit: HealthUnit, on: date) -> Owner | None:
    entry = unit.ownership_history.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()
    return entry.owner if entry else None


@transaction.atomic
def create_cup(*, actor: Any, main_unit: HealthUnit, since: date, name_th: str = "", name_en: str = "") -> Cup:
    cup = Cup.objects.create(code=main_unit.code, main_unit=main_unit, name_th=name_th or main_unit.name_th,
                             name_en=name_en or main_unit.name_en)
    set_cup(actor=actor, unit=main_unit, cup=cup, on=since)
    return cup


@transaction.atomic
def set_cup(*, actor: Any, unit: HealthUnit, cup: Cup | None, on: date) -> CupMembership:
    unit = HealthUnit.objects.select_for_update().get(pk=unit.pk)
    last = unit.cup_history.order_by("-valid_from", "-id").first()
    if last is not None and on <= last.valid_from:
        raise DomainError(ProviderError.CUP_BACKDATED, last=format_date(last.valid_from))
    entry = CupMembership.objects.create(unit=unit, cup=cup, valid_from=on, recorded_by=actor)
    HealthUnit.objects.filter(pk=unit.pk).update(cup=cup)
    return entry


def add_referral(
    *, from_unit: HealthUnit, to_unit: HealthUnit, level: str, valid_from: date, valid_to: date | None = None,
) -> ReferralLink:
    if from_unit.pk == to_unit.pk:
        raise DomainError(ProviderError.SELF_REFERRAL)
    return ReferralLink.objects.create(from_unit=from_unit, to_unit=to_unit, level=level, valid_from=valid_from,
                                       valid_to=valid_to)
