"""FHIR Claim bundles as a Philippine hospital system would send them to OpenUHC's claim endpoint (the demo's
claims, and the smoke tests'): Patient with the PhilSys number, Encounter, Conditions (ICD-10), Procedures, Claim.

The endpoint reads the Thai ClaimCon shapes (docs/fhir.md); the pack changes the patient's identifier system and
the currency. Charge codes are the endpoint's (OpenUHC CodeSystem eclaim-chrgitem).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openuhc.country.packs import active
from openuhc.fhir import systems as s


def _patient(person: Any, hcode: str, hn: str) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "pt", "meta": {"profile": [s.PATIENT_PROFILE]},
            "identifier": [s.identifier(active().primary_id.fhir_system, person.citizen_id, "cid"),
                           s.identifier(s.local_system(hcode, "HN"), hn, "localHn")],
            "name": [{"family": person.last_name_en or person.last_name_th,
                      "given": [person.first_name_en or person.first_name_th]}],
            "gender": "male" if person.sex == 1 else "female", "birthDate": person.birth_date.isoformat()}


def claim_bundle(person: Any, *, hcode: str, key: str, start: date, end: date | None = None,
                 diagnoses: tuple[str, ...] = ("J06.9",), procedures: tuple[str, ...] = (),
                 items: tuple[tuple[str, str], ...] = (("31", "350.00"),)) -> dict[str, Any]:
    """An OP visit (no `end`) or an admission from `start` to `end`, charges as (charge code, amount)."""
    currency = active()["currency"]
    inpatient = end is not None
    kind = "AN" if inpatient else "VN"
    encounter: dict[str, Any] = {
        "resourceType": "Encounter", "id": "en",
        "meta": {"profile": [s.ENCOUNTER_IPD_PROFILE if inpatient else s.ENCOUNTER_OPD_PROFILE]},
        "identifier": [s.identifier(s.local_system(hcode, kind), key, "localAn" if inpatient else "localVn")],
        "status": "finished", "class": {"system": s.ACT_CODE, "code": "IMP" if inpatient else "AMB"},
        "subject": {"reference": "Patient/pt"}, "period": {"start": f"{start.isoformat()}T09:30:00+08:00"}}
    if inpatient:
        encounter["period"]["end"] = f"{end.isoformat()}T10:00:00+08:00"
        encounter["hospitalization"] = {"extension": [
            {"url": s.EXT_DISCHARGE_STATUS, "valueCodeableConcept": {"coding": [{"system": s.DISCHARGE_STATUS,
                                                                                 "code": "2"}]}},
            {"url": s.EXT_DISCHARGE_TYPE, "valueCodeableConcept": {"coding": [{"system": s.DISCHARGE_TYPE,
                                                                               "code": "1"}]}}]}
    else:
        encounter["serviceType"] = {"coding": [{"system": s.ECLAIM_CLINIC, "code": "01"}]}
    conditions = [{"resourceType": "Condition", "id": f"dx{n}", "meta": {"profile": [s.CONDITION_PROFILE]},
                   "code": {"coding": [{"system": s.ICD10, "code": code.replace(".", "")}]},
                   "subject": {"reference": "Patient/pt"}} for n, code in enumerate(diagnoses, 1)]
    total = sum((float(amount) for _code, amount in items), 0.0)
    claim: dict[str, Any] = {
        "resourceType": "Claim", "id": "cl",
        "meta": {"profile": [s.CLAIM_IPD_PROFILE if inpatient else s.CLAIM_OPD_PROFILE]},
        "status": "active", "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]}, "use": "claim",
        "patient": {"reference": "Patient/pt"}, "created": (end or start).isoformat(),
        "provider": {"identifier": s.identifier(s.HCODE, hcode, "hcode")},
        "priority": {"coding": [{"system": s.PROCESS_PRIORITY, "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "NHIP"}}],
        "diagnosis": [{"sequence": n, "diagnosisReference": {"reference": f"Condition/dx{n}"},
                       "type": [{"coding": [{"system": s.DIAGNOSIS_ROLE, "code": "1" if n == 1 else "2"}]}]}
                      for n in range(1, len(diagnoses) + 1)],
        "item": [{"sequence": n, "productOrService": {"coding": [{"system": s.CHRGITEM, "code": code}]},
                  "encounter": [{"reference": "Encounter/en"}], "net": {"value": float(amount), "currency": currency}}
                 for n, (code, amount) in enumerate(items, 1)],
        "total": {"value": total, "currency": currency},
    }
    if procedures:
        claim["procedure"] = [{"sequence": n, "procedureCodeableConcept": {"coding": [{"system": s.ICD9CM,
                                                                                       "code": code}]}}
                              for n, code in enumerate(procedures, 1)]
    resources = [_patient(person, hcode, f"HN{person.pk}"), encounter, *conditions, claim]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['resourceType'].lower()}-{r['id']}", "resource": r}
                      for r in resources]}


def submit(bundles: list[dict[str, Any]], *, unit: Any, actor: Any) -> Any:
    """The claim endpoint's intake without HTTP (the demo's hospitals): FHIR → claim rows → checks, one submission."""
    from django.core.files.base import ContentFile

    from openuhc.claims import services as claims
    from openuhc.fhir.claim_files import ClaimFiles, FhirClaim, Resolver

    files = ClaimFiles(unit.code)
    for bundle in bundles:
        resolver = Resolver(bundle["entry"])
        claim = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Claim")
        files.add_claim(FhirClaim(0, claim), resolver)
    upload = ContentFile(files.zip_bytes(), name="fhir-claim.zip")
    submission = claims.receive(source=upload, unit=unit, actor=actor, channel="fhir", file_name="FHIR demo bundles")
    return claims.process_submission(submission, actor=actor)
