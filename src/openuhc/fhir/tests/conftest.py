"""FHIR test helpers: a client per persona speaking with a bearer token, and claim Bundles as a hospital system
would send them (ClaimCon-shaped Patient, Encounter, Condition, Procedure and Claim)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openuhc.accounts.services import issue_token
from openuhc.fhir import systems as s

HOSPITAL = "56001"


class FhirClient:
    def __init__(self, token: str | None, language: str = "en") -> None:
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        self.client = Client(**headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def post(self, path: str, body: Any, content_type: str = "application/fhir+json", **headers: Any) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
        return self.client.post(path, data=data, content_type=content_type, **headers)


@pytest.fixture
def fhir_for(world):
    """fhir_for("hospital") → a FhirClient with that persona's API token (None → no token)."""
    tokens: dict[str, str] = {}

    def make(persona: str | None, language: str = "en") -> FhirClient:
        if persona is not None and persona not in tokens:
            tokens[persona] = issue_token(user=world.users[persona], name="fhir test")[1]
        return FhirClient(tokens.get(persona) if persona else None, language)

    return make


def patient(person: Any, hn: str = "HN1", hcode: str = HOSPITAL) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "pt", "meta": {"profile": [s.PATIENT_PROFILE]},
            "identifier": [s.identifier(s.CID, person.citizen_id, "cid"),
                           s.identifier(s.local_system(hcode, "HN"), hn, "localHn")],
            "name": [{"family": person.last_name_th, "given": [person.first_name_th], "prefix": [person.title]}],
            "gender": "male" if person.sex == 1 else "female", "birthDate": person.birth_date.isoformat()}


def condition(pk: str, code: str, system: str = s.ICD10TM) -> dict[str, Any]:
    return {"resourceType": "Condition", "id": pk, "meta": {"profile": [s.CONDITION_PROFILE]},
            "code": {"coding": [{"system": system, "code": code}]}, "subject": {"reference": "Patient/pt"}}


def claim(kind: str, *, total: str, items: list[tuple[str, str]], diagnoses: list[tuple[str, str]],
          procedures: list[str] = (), hcode: str = HOSPITAL, drg: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Claim", "id": "cl",
        "meta": {"profile": [s.CLAIM_IPD_PROFILE if kind == "IP" else s.CLAIM_OPD_PROFILE]},
        "status": "active", "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]}, "use": "claim",
        "patient": {"reference": "Patient/pt"}, "created": "2025-10-05",
        "provider": {"identifier": s.identifier(s.HCODE, hcode, "hcode")},
        "priority": {"coding": [{"system": s.PROCESS_PRIORITY, "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "UCS"}}],
        "diagnosis": [{"sequence": n, "diagnosisReference": {"reference": f"Condition/{pk}"},
                       "type": [{"coding": [{"system": s.DIAGNOSIS_ROLE, "code": role}]}]}
                      for n, (pk, role) in enumerate(diagnoses, 1)],
        "item": [{"sequence": n, "productOrService": {"coding": [{"system": s.CHRGITEM, "code": code}]},
                  "encounter": [{"reference": "Encounter/en"}], "net": {"value": float(amount), "currency": "THB"}}
                 for n, (code, amount) in enumerate(items, 1)],
        "total": {"value": float(total), "currency": "THB"},
    }
    if procedures:
        body["procedure"] = [{"sequence": n, "procedureCodeableConcept": {"coding": [{"system": s.ICD9CM,
                                                                                      "code": code}]}}
                             for n, code in enumerate(procedures, 1)]
    if drg:
        body["extension"] = [{"url": s.EXT_CLAIM_IPD_DRG, "extension": [{"url": "drg", "valueString": drg}]}]
    return body


def opd_bundle(person: Any, *, seq: str = "V100", on: date = date(2025, 9, 3), hcode: str = HOSPITAL,
               diagnosis: str = "J069") -> dict[str, Any]:
    encounter = {"resourceType": "Encounter", "id": "en", "meta": {"profile": [s.ENCOUNTER_OPD_PROFILE]},
                 "identifier": [s.identifier(s.local_system(hcode, "VN"), seq, "localVn")], "status": "finished",
                 "class": {"system": s.ACT_CODE, "code": "AMB"}, "subject": {"reference": "Patient/pt"},
                 "period": {"start": f"{on.isoformat()}T09:30:00+07:00"},
                 "serviceType": {"coding": [{"system": s.ECLAIM_CLINIC, "code": "01"}]}}
    return _bundle([patient(person, hcode=hcode), encounter, condition("dx1", diagnosis),
                    claim("OP", total="200.50", items=[("31", "120.00"), ("41", "80.50")], diagnoses=[("dx1", "1")],
                          hcode=hcode)])


def ipd_bundle(person: Any, *, an: str = "A100", admitted: date = date(2025, 10, 10),
               discharged: date = date(2025, 10, 13), diagnoses: tuple[str, ...] = ("J189", "E119"),
               procedures: tuple[str, ...] = (), hcode: str = HOSPITAL) -> dict[str, Any]:
    encounter = {
        "resourceType": "Encounter", "id": "en", "meta": {"profile": [s.ENCOUNTER_IPD_PROFILE]},
        "identifier": [s.identifier(s.local_system(hcode, "AN"), an, "localAn")], "status": "finished",
        "class": {"system": s.ACT_CODE, "code": "IMP"}, "subject": {"reference": "Patient/pt"},
        "period": {"start": f"{admitted.isoformat()}T08:00:00+07:00",
                   "end": f"{discharged.isoformat()}T10:00:00+07:00"},
        "hospitalization": {"extension": [
            {"url": s.EXT_DISCHARGE_STATUS, "valueCodeableConcept": {"coding": [{"system": s.DISCHARGE_STATUS,
                                                                                 "code": "2"}]}},
            {"url": s.EXT_DISCHARGE_TYPE, "valueCodeableConcept": {"coding": [{"system": s.DISCHARGE_TYPE,
                                                                               "code": "1"}]}}]}}
    conditions = [condition(f"dx{n}", code) for n, code in enumerate(diagnoses, 1)]
    roles = [(f"dx{n}", "1" if n == 1 else "2") for n in range(1, len(diagnoses) + 1)]
    return _bundle([patient(person, hcode=hcode), encounter, *conditions,
                    claim("IP", total="4000.00", items=[("11", "1500.00"), ("31", "2500.00")], diagnoses=roles,
                          procedures=list(procedures), hcode=hcode)])


def _bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:uuid:{r['resourceType'].lower()}-{r['id']}", "resource": r}
                      for r in resources]}
