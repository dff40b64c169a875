from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.accounts.roles import ELIGIBILITY_ROLES, PERSONAL_DATA_ROLES
from openuhc.core.api import id_param
from openuhc.core.dates import parse_api_date, today
from openuhc.registry import services
from openuhc.registry.audit import log_access
from openuhc.registry.ids import mask_citizen_id
from openuhc.registry.models import Person, PersonAccess

router = Router(tags=["registry"])


class Reason(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    citizen_id: str
    date: str
    eligible: bool
    reason: Reason | None
    scheme: str | None
    coverage_from: str | None
    coverage_to: str | None
    main_unit: str | None
    primary_unit: str | None
    referral_unit: str | None
    registered_from: str | None


@router.get("eligibility", response=EligibilityOut, summary="Scheme and registered units of a citizen ID on a date")
def eligibility(request: HttpRequest, cid: str, date: str | None = None) -> dict:
    scope = api_scope(request, *ELIGIBILITY_ROLES)
    on = parse_api_date(date) if date else today()
    result = services.check_eligibility(cid, on)
    if result.person is not None:
        log_access(actor=scope.user, role=scope.role, persons=[result.person], action=PersonAccess.Action.ELIGIBILITY,
                   request=request)
    return result.as_dict()


class PersonOut(Schema):
    id: int
    citizen_id: str
    name_th: str
    name_en: str
    sex: int
    birth_date: str
    death_date: str | None
    subdistrict: str
    main_unit: str | None


def _person_out(person: Person, *, reveal: bool) -> dict:
    reg = person.current_registration
    return {
        "id": person.pk, "citizen_id": person.citizen_id if reveal else mask_citizen_id(person.citizen_id),
        "name_th": f"{person.title}{person.first_name_th} {person.last_name_th}",
        "name_en": f"{person.first_name_en} {person.last_name_en}".strip(), "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "death_date": person.death_date.isoformat() if person.death_date else None,
        "subdistrict": person.subdistrict.code, "main_unit": reg.main_unit.code if reg else None,
    }


@router.get("persons/{person_id}", response=PersonOut, summary="One person (citizen ID masked unless reveal=true)")
def person_detail(request: HttpRequest, person_id: int = id_param(), reveal: bool = False) -> dict:
    scope = api_scope(request, *PERSONAL_DATA_ROLES)
    person = get_object_or_404(Person.objects.select_related("subdistrict", "current_registration__main_unit"),
                               pk=person_id)
    if not scope.can_see_person(person):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    action = PersonAccess.Action.REVEAL_ID if reveal else PersonAccess.Action.API
    log_access(actor=scope.user, role=scope.role, persons=[person], action=action, request=request)
    return _person_out(person, reveal=reveal)
