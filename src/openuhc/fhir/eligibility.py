"""CoverageEligibilityRequest → the registry's eligibility check → CoverageEligibilityResponse.

The answer carries what the eligibility check answers (covered or not and why, the scheme, the coverage period,
the three registered units) with the Patient, the Coverage and the units' Organizations contained, so a hospital
system needs no second call. No SIL-TH guide profiles these two resources: they are base R4B.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from openuhc.accounts.roles import ELIGIBILITY_ROLES
from openuhc.core.dates import format_date, parse_api_date, today
from openuhc.core.errors import DomainError
from openuhc.fhir import registry_resources as build
from openuhc.fhir import systems as s
from openuhc.fhir.errors import FhirError
from openuhc.fhir.parsing import parse_resource
from openuhc.fhir.protocol import ERROR_SYSTEM, Answer, endpoint, read_json
from openuhc.registry.audit import log_access
from openuhc.registry.eligibility import Eligibility, check_eligibility
from openuhc.registry.models import Person, PersonAccess


def _cid_of(identifier: Any) -> str | None:
    if identifier is not None and identifier.system == s.CID and identifier.value:
        return identifier.value
    return None


def requested_cid(request_resource: Any, scope: Any) -> str:
    """The citizen ID asked about: patient.identifier, a contained Patient's CID, or Patient/{id} of a person the
    caller may see."""
    patient = request_resource.patient
    cid = _cid_of(patient.identifier)
    if cid:
        return cid
    reference = patient.reference or ""
    if reference.startswith("#"):
        for contained in request_resource.contained or []:
            if contained.get_resource_type() == "Patient" and contained.id == reference[1:]:
                for identifier in contained.identifier or []:
                    if _cid_of(identifier):
                        return identifier.value
    elif reference.startswith("Patient/") and reference[8:].isdigit():
        person = Person.objects.filter(pk=int(reference[8:])).first()
        if person is not None:
            if not scope.can_see_person(person):
                raise PermissionDenied
            return person.citizen_id
    raise DomainError(FhirError.NO_PATIENT_IDENTIFIER)


def requested_date(request_resource: Any) -> date:
    value = request_resource.servicedDate or (request_resource.servicedPeriod.start if request_resource.servicedPeriod
                                              else None)
    if value is None:
        return today()
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]
    try:
        return parse_api_date(text)
    except DomainError as error:
        raise DomainError(FhirError.BAD_DATE, field="servicedDate", detail=error.message_en) from None


def _units(registration: Any) -> list[Any]:
    seen: dict[str, Any] = {}
    for slot, _code in s.PROVIDER_SLOTS:
        unit = getattr(registration, slot)
        seen.setdefault(unit.code, unit)
    return list(seen.values())


def _local_refs(resource: dict[str, Any], codes: set[str]) -> dict[str, Any]:
    """Point a built resource's references to the contained copies (#patient, #coverage, #unit-56001)."""
    for extension in resource.get("extension", []):
        for part in extension.get("extension", []):
            target = part.get("valueReference")
            if target and target.get("reference", "").split("/")[-1] in codes:
                target["reference"] = "#unit-" + target["reference"].split("/")[-1]
    if "beneficiary" in resource:
        resource["beneficiary"]["reference"] = "#patient"
    return resource


def response(result: Eligibility, request_resource: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "CoverageEligibilityResponse", "id": str(uuid.uuid4()), "status": "active",
        "purpose": list(request_resource.purpose or ["validation"]),
        "patient": {"identifier": s.identifier(s.CID, result.citizen_id, "cid")},
        "servicedDate": result.on.isoformat(), "created": timezone.now().isoformat(timespec="seconds"),
        "request": ({"identifier": request_resource.identifier[0].model_dump(mode="json", exclude_none=True)}
                    if request_resource.identifier else {"display": "CoverageEligibilityRequest"}),
        # "error" when the citizen ID itself is unusable (malformed, bad check digit); "complete" when the registry
        # answered, covered or not.
        "outcome": "error" if result.person is None and result.reason_code != "unknown_id" else "complete",
        "insurer": build.payer_ref(),
    }
    contained: list[dict[str, Any]] = []
    if result.person is not None:
        person = Person.objects.select_related("subdistrict__district__province").get(pk=result.person.pk)
        contained.append({**build.patient(person), "id": "patient"})
        body["patient"]["reference"] = "#patient"
    if result.eligible and result.coverage is not None:
        registration = result.registration
        units = _units(registration) if registration is not None else []
        cover = _local_refs(build.coverage(person, result.coverage, registration), {u.code for u in units})
        contained.append({**cover, "id": "coverage"})
        for unit in units:
            org = build.organization(type(unit).objects.select_related(
                "unit_type", "subdistrict__district__province", "cup__main_unit").get(pk=unit.pk))
            org.pop("partOf", None)
            contained.append({**org, "id": f"unit-{unit.code}"})
        body["insurance"] = [{"coverage": {"reference": "#coverage"}, "inforce": True,
                              "benefitPeriod": cover["period"]}]
        body["disposition"] = _disposition(result)
    else:
        error = result.error
        body["error"] = [{"code": {"coding": [{"system": ERROR_SYSTEM, "code": error.code}],
                                   "text": error.message}}] if error else []
        body["disposition"] = error.message if error else ""
    if contained:
        body["contained"] = contained
    return body


def _disposition(result: Eligibility) -> str:
    from django.utils.translation import gettext as _

    scheme = result.coverage.scheme
    text = _("Covered by %(scheme)s on %(date)s.") % {"scheme": f"{scheme.code} {scheme.name}",
                                                       "date": format_date(result.on)}
    if result.registration is not None:
        reg = result.registration
        text += " " + _("Main unit %(main)s, primary-care unit %(primary)s, referral unit %(referral)s.") % {
            "main": reg.main_unit.code, "primary": reg.primary_unit.code, "referral": reg.referral_unit.code}
    return text


@endpoint(methods=("POST",), roles=ELIGIBILITY_ROLES)
def submit(request: HttpRequest, scope: Any) -> Answer:
    resource = parse_resource(read_json(request), "CoverageEligibilityRequest")
    cid = requested_cid(resource, scope)
    result = check_eligibility(cid, requested_date(resource))
    if result.person is not None:
        log_access(actor=scope.user, role=scope.role, persons=[result.person],
                   action=PersonAccess.Action.ELIGIBILITY, request=request)
    return Answer(response(result, resource))
