"""Registry, providers and geography as FHIR R4B resources shaped by the ClaimCon profiles: Patient, Coverage,
Organization (health units and the payer) and Location (province, district, sub-district)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation

from openuhc.fhir import systems as s

# The payer named in every Coverage, ClaimResponse and payment resource. Another country sets its own name with
# the OPENUHC_FHIR_PAYER setting: {"th": ..., "en": ...}.
DEFAULT_PAYER = {"th": "สำนักงานหลักประกันสุขภาพแห่งชาติ", "en": "National Health Security Office"}
PAYER_ID = "payer"


def payer_name() -> dict[str, str]:
    return getattr(settings, "OPENUHC_FHIR_PAYER", DEFAULT_PAYER)


def _english() -> bool:
    return (translation.get_language() or "th").startswith("en")


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    item = {"system": system, "code": code}
    if display:
        item["display"] = display
    return item


def ref(resource: str, pk: Any, display: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"reference": f"{resource}/{pk}"}
    if display:
        item["display"] = display
    return item


def unit_ref(unit: Any) -> dict[str, Any]:
    return {"reference": f"Organization/{unit.code}", "display": unit.name,
            "identifier": s.identifier(s.HCODE, unit.code, "hcode")}


def payer_ref() -> dict[str, Any]:
    return ref("Organization", PAYER_ID, payer_name()["en" if _english() else "th"])


def address_code(subdistrict: Any) -> dict[str, Any]:
    district = subdistrict.district
    province = district.province
    return {"url": s.EXT_ADDRESS_CODE, "extension": [
        {"url": part, "valueCodeableConcept": {"coding": [_coding(s.DOPA_LOCATION, item.code, item.name_th)]}}
        for part, item in (("province", province), ("district", district), ("subdistrict", subdistrict))]}


def address(subdistrict: Any) -> dict[str, Any]:
    district = subdistrict.district
    return {"extension": [address_code(subdistrict)], "use": "home", "city": subdistrict.name,
            "district": district.name, "state": district.province.name, "country": "TH"}


# --- Patient ------------------------------------------------------------------------------------------------------

def patient(person: Any) -> dict[str, Any]:
    names = [{"use": "official", "text": f"{person.title}{person.first_name_th} {person.last_name_th}".strip(),
              "family": person.last_name_th, "given": [person.first_name_th]}]
    if person.title:
        names[0]["prefix"] = [person.title]
    if person.first_name_en or person.last_name_en:
        names.append({"use": "usual", "text": f"{person.first_name_en} {person.last_name_en}".strip(),
                      "family": person.last_name_en or None, "given": [person.first_name_en] if person.first_name_en
                      else None})
        names[1] = {k: v for k, v in names[1].items() if v is not None}
    body: dict[str, Any] = {
        "resourceType": "Patient", "id": str(person.pk), "meta": {"profile": [s.PATIENT_PROFILE]},
        "identifier": [s.identifier(s.CID, person.citizen_id, "cid")], "active": True, "name": names,
        "gender": {1: "male", 2: "female"}.get(person.sex, "unknown"), "birthDate": person.birth_date.isoformat(),
        "address": [address(person.subdistrict)],
    }
    if person.death_date:
        body["deceasedDateTime"] = person.death_date.isoformat()
    return body


# --- Organization -------------------------------------------------------------------------------------------------

def organization(unit: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Organization", "id": unit.code, "meta": {"profile": [s.ORGANIZATION_PROFILE]},
        "identifier": [s.identifier(s.HCODE, unit.code, "hcode")], "active": unit.is_active,
        "type": [{"coding": [_coding(s.ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
                  "text": unit.unit_type.name}],
        "name": unit.name_th, "address": [{**address(unit.subdistrict), "use": "work"}],
    }
    if unit.name_en:
        body["alias"] = [unit.name_en]
    if unit.cup_id and unit.cup.main_unit_id != unit.pk:
        body["partOf"] = unit_ref(unit.cup.main_unit)
    return body


def payer_organization() -> dict[str, Any]:
    names = payer_name()
    return {"resourceType": "Organization", "id": PAYER_ID, "active": True,
            "type": [{"coding": [_coding(s.ORGANIZATION_TYPE, "pay", "Payer")]}], "name": names["th"],
            "alias": [names["en"]]}


# --- Location -----------------------------------------------------------------------------------------------------

def location(place: Any) -> dict[str, Any]:
    """A province (2-digit DOPA code), district (4) or sub-district (6), as a jurisdiction; id = its code."""
    parent = getattr(place, "district", None) or getattr(place, "province", None)
    body: dict[str, Any] = {
        "resourceType": "Location", "id": place.code, "identifier": [{"system": s.DOPA_LOCATION, "value": place.code}],
        "status": "active", "name": place.name_th, "mode": "instance",
        "physicalType": {"coding": [_coding(s.LOCATION_PHYSICAL_TYPE, "jdn", "Jurisdiction")]},
    }
    if place.name_en:
        body["alias"] = [place.name_en]
    if parent is not None and hasattr(parent, "code"):
        body["partOf"] = ref("Location", parent.code, parent.name_th)
    return body


# --- Coverage -----------------------------------------------------------------------------------------------------

def coverage_type(scheme: Any) -> dict[str, Any]:
    """The SIL-TH coverage type (the same code when the scheme's INSCL is one of SIL-TH's, else OTH) and, beside
    it, NHSO's own scheme code in OpenUHC's CodeSystem."""
    inscl = scheme.eclaim_code or scheme.code
    codings = [_coding(s.COVERAGE_TYPE, inscl if inscl in s.SIL_TH_COVERAGE_CODES else "OTH"),
               _coding(s.NHSO_INSCL, inscl, scheme.name_th)]
    return {"coding": codings, "text": scheme.name}


def contracted_providers(registration: Any) -> list[dict[str, Any]]:
    if registration is None:
        return []
    period = {"start": registration.effective_from.isoformat()}
    return [{"url": s.EXT_CONTRACTED_PROVIDER, "extension": [
        {"url": "type", "valueCodeableConcept": {"coding": [_coding(s.PROVIDER_TYPE_COVERAGE, code)]}},
        {"url": "provider", "valueReference": unit_ref(getattr(registration, slot))},
        {"url": "period", "valuePeriod": period}]} for slot, code in s.PROVIDER_SLOTS]


def coverage(person: Any, cover: Any, registration: Any = None, *, on: date | None = None) -> dict[str, Any]:
    period: dict[str, str] = {"start": cover.valid_from.isoformat()}
    if cover.valid_to:
        period["end"] = cover.valid_to.isoformat()
    body: dict[str, Any] = {
        "resourceType": "Coverage", "id": str(cover.pk), "meta": {"profile": [s.COVERAGE_PROFILE]},
        "identifier": [s.identifier(s.CID, person.citizen_id, "cid")], "status": "active",
        "type": coverage_type(cover.scheme), "subscriberId": person.citizen_id,
        "beneficiary": ref("Patient", person.pk, person.full_name), "relationship": {"coding": [_coding(
            "http://terminology.hl7.org/CodeSystem/subscriber-relationship", "self")]},
        "period": period, "payor": [payer_ref()],
        "class": [{"type": {"coding": [_coding("http://terminology.hl7.org/CodeSystem/coverage-class", "plan")]},
                   "value": cover.scheme.code, "name": cover.scheme.name}],
    }
    providers = contracted_providers(registration)
    if providers:
        body["extension"] = providers
    return body
