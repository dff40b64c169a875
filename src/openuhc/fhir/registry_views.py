"""Patient, Coverage, Organization and Location: read and search, scoped like the JSON API; every read of a
person (Patient or Coverage, by id or by search) is written to the registry's access log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from openuhc.accounts.roles import PERSONAL_DATA_ROLES
from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.fhir import registry_resources as build
from openuhc.fhir import search
from openuhc.fhir import systems as s
from openuhc.fhir.errors import FhirError
from openuhc.fhir.protocol import endpoint
from openuhc.geo.models import District, Province, Subdistrict
from openuhc.registry.audit import log_access
from openuhc.registry.models import Coverage, Person, PersonAccess, Registration

PERSON_RELATED = ("subdistrict__district__province",)


def _log(request: HttpRequest, scope: Any, persons: list[Person], action: str) -> None:
    if persons:
        log_access(actor=scope.user, role=scope.role, persons=persons, action=action, request=request)


def _cid(query: dict[str, str], name: str, resource: str) -> str:
    system, value = search.token(query, name)
    if system not in (None, s.CID):
        raise DomainError(FhirError.UNKNOWN_SYSTEM, system=system, resource=resource, expected=s.CID)
    return value


def registration_on(person: Person, on: date) -> Registration | None:
    return (Registration.objects.filter(person=person, effective_from__lte=on)
            .select_related("main_unit", "primary_unit", "referral_unit").order_by("-effective_from", "-id").first())


def coverage_resource(person: Person, cover: Coverage) -> dict[str, Any]:
    """A coverage with the registration in force on its last day (today while it is open)."""
    on = min(cover.valid_to, today()) if cover.valid_to else today()
    registration = registration_on(person, on) if cover.scheme.registers_with_unit else None
    return build.coverage(person, cover, registration)


# --- Patient ------------------------------------------------------------------------------------------------------

@endpoint(roles=PERSONAL_DATA_ROLES)
def patient_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    person = Person.objects.select_related(*PERSON_RELATED).filter(pk=int(pk) if pk.isdigit() else -1).first()
    if person is None:
        raise Http404
    if not scope.can_see_person(person):
        raise PermissionDenied
    _log(request, scope, [person], PersonAccess.Action.API)
    return build.patient(person)


@endpoint(roles=PERSONAL_DATA_ROLES)
def patient_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "Patient", {"identifier", "_id"})
    if not query.keys() & {"identifier", "_id"}:
        # No listing of everyone: a person is looked up by citizen ID (or id).
        raise DomainError(FhirError.SEARCH_NEEDS_PARAMETER, resource="Patient", names="identifier, _id")
    people = scope.persons().select_related(*PERSON_RELATED)
    if "identifier" in query:
        people = people.filter(citizen_id=_cid(query, "identifier", "Patient"))
    if "_id" in query:
        people = people.filter(pk=int(query["_id"]) if query["_id"].isdigit() else -1)
    offset, count = search.paging(query)
    found = list(people.order_by("pk")[offset:offset + count])
    _log(request, scope, found, PersonAccess.Action.SEARCH)
    return search.searchset(request, [build.patient(p) for p in found], people.count(), offset=offset, count=count)


# --- Coverage -----------------------------------------------------------------------------------------------------

@endpoint(roles=PERSONAL_DATA_ROLES)
def coverage_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    cover = Coverage.objects.select_related("scheme", "person").filter(pk=int(pk) if pk.isdigit() else -1).first()
    if cover is None:
        raise Http404
    if not scope.can_see_person(cover.person):
        raise PermissionDenied
    _log(request, scope, [cover.person], PersonAccess.Action.API)
    return coverage_resource(cover.person, cover)


@endpoint(roles=PERSONAL_DATA_ROLES)
def coverage_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "Coverage", {"beneficiary", "identifier", "patient"})
    if not query.keys() & {"beneficiary", "identifier", "patient"}:
        raise DomainError(FhirError.SEARCH_NEEDS_PARAMETER, resource="Coverage", names="beneficiary, identifier")
    people = scope.persons()
    for name in ("beneficiary", "patient"):
        if name in query:
            pk = search.reference(query, name, "Patient")
            people = people.filter(pk=int(pk) if pk.isdigit() else -1)
    if "identifier" in query:
        people = people.filter(citizen_id=_cid(query, "identifier", "Coverage"))
    covers = (Coverage.objects.filter(person__in=people).select_related("scheme", "person")
              .order_by("person", "-valid_from"))
    offset, count = search.paging(query)
    found = list(covers[offset:offset + count])
    _log(request, scope, list({c.person_id: c.person for c in found}.values()), PersonAccess.Action.SEARCH)
    return search.searchset(request, [coverage_resource(c.person, c) for c in found], covers.count(), offset=offset,
                            count=count)


# --- Organization -------------------------------------------------------------------------------------------------

UNIT_RELATED = ("unit_type", "subdistrict__district__province", "cup__main_unit")


@endpoint()
def organization_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    if pk == build.PAYER_ID:
        return build.payer_organization()
    unit = scope.units().select_related(*UNIT_RELATED).filter(code=pk).first()
    if unit is None:
        raise Http404
    return build.organization(unit)


@endpoint()
def organization_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "Organization", {"identifier", "type", "name", "_id"})
    units = scope.units().select_related(*UNIT_RELATED)
    payer = True
    if "identifier" in query:
        system, value = search.token(query, "identifier")
        if system not in (None, s.HCODE):
            raise DomainError(FhirError.UNKNOWN_SYSTEM, system=system, resource="Organization", expected=s.HCODE)
        units, payer = units.filter(code=value), False
    if "_id" in query:
        units, payer = units.filter(code=query["_id"]), payer and query["_id"] == build.PAYER_ID
    if "type" in query:
        system, code = search.token(query, "type")
        if system not in (None, s.ORGANIZATION_TYPE) or code not in ("pay", "prov"):
            raise DomainError(FhirError.BAD_VALUE, name="type", detail="pay or prov (organization-type)")
        units, payer = (units.none(), payer) if code == "pay" else (units, False)
    if "name" in query:
        word = query["name"]
        units = units.filter(Q(name_th__icontains=word) | Q(name_en__icontains=word))
        payer = payer and any(word.lower() in n.lower() for n in build.payer_name().values())
    offset, count = search.paging(query)
    rows = ([build.payer_organization()] if payer else []) + [build.organization(u) for u in units.order_by("code")]
    return search.searchset(request, rows[offset:offset + count], len(rows) if payer else units.count(),
                            offset=offset, count=count)


# --- Location -----------------------------------------------------------------------------------------------------

def _place(code: str) -> Any:
    model = {2: Province, 4: District, 6: Subdistrict}.get(len(code))
    if model is None or not code.isdigit():
        return None
    related = {Province: (), District: ("province",), Subdistrict: ("district",)}[model]
    return model.objects.select_related(*related).filter(code=code).first()


@endpoint()
def location_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    place = _place(pk)
    if place is None:
        raise Http404
    return build.location(place)


@endpoint()
def location_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "Location", {"identifier", "partof", "name"})
    if not query.keys() & {"identifier", "partof", "name"}:
        raise DomainError(FhirError.SEARCH_NEEDS_PARAMETER, resource="Location", names="identifier, partof, name")
    offset, count = search.paging(query)
    if "identifier" in query:
        system, value = search.token(query, "identifier")
        if system not in (None, s.DOPA_LOCATION):
            raise DomainError(FhirError.UNKNOWN_SYSTEM, system=system, resource="Location", expected=s.DOPA_LOCATION)
        place = _place(value)
        sets: list[Any] = [[place]] if place is not None else []
    else:
        sets = _levels(query)
    total = sum(len(rows) if isinstance(rows, list) else rows.count() for rows in sets)
    page: list[Any] = []
    skip = offset
    for rows in sets:
        size = len(rows) if isinstance(rows, list) else rows.count()
        if skip >= size:
            skip -= size
            continue
        page.extend(rows[skip:skip + count - len(page)])
        skip = 0
        if len(page) >= count:
            break
    return search.searchset(request, [build.location(p) for p in page], total, offset=offset, count=count)


def _levels(query: dict[str, str]) -> list[Any]:
    """Provinces, districts and sub-districts matching partof (the parent's code) and name, in that order."""
    parent = search.reference(query, "partof", "Location") if "partof" in query else None
    sets = []
    for model, parent_field, parent_length in ((Province, "", 0), (District, "province__code", 2),
                                               (Subdistrict, "district__code", 4)):
        rows = model.objects.all()
        if parent is not None:
            if len(parent) != parent_length:
                continue
            rows = rows.filter(**{parent_field: parent})
        if "name" in query:
            rows = rows.filter(Q(name_th__icontains=query["name"]) | Q(name_en__icontains=query["name"]))
        related = {Province: (), District: ("province",), Subdistrict: ("district",)}[model]
        sets.append(rows.select_related(*related).order_by("code"))
    return sets
