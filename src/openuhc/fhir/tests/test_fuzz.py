"""A bounded fuzz run of the FHIR and national-API endpoints (Hypothesis): mutated and random bodies, random search
parameters and ids. No answer is a 5xx, and every answer is valid against its own schema: FHIR answers parse as
the R4B resource they name, the national shapes are JSON objects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openuhc.fhir import systems as s
from openuhc.fhir.tests.conftest import ipd_bundle, opd_bundle

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=30), st.sampled_from(["", "Patient/1", "#pt", "2025-13-40", "UCS", "J069",
                                                           s.CID, s.ICD10TM, "urn:uuid:x", "00000"]))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                    max_leaves=20)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def mutate(data: st.DataObject, base: dict) -> Any:
    """Up to three edits at random places of a valid body: a value replaced, or removed."""
    body = json.loads(json.dumps(base))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(body) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = body
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()):
            parent[path[-1]] = data.draw(JSON)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    return body


def answer_is_sound(response: Any) -> None:
    assert response.status_code < 500, response.content[:2000]
    if response.status_code == 405 or not response.content:
        return
    body = response.json()
    assert isinstance(body, dict)
    if response["Content-Type"].startswith("application/fhir+json"):
        get_fhir_model_class(body["resourceType"]).model_validate(body)


def _eligibility(person: Any) -> dict:
    return {"resourceType": "CoverageEligibilityRequest", "status": "active", "purpose": ["validation"],
            "patient": {"identifier": {"system": s.CID, "value": person.citizen_id}}, "servicedDate": "2025-09-03",
            "created": "2025-09-03", "insurer": {"display": "NHSO"}}


@FUZZ
@given(data=st.data())
def test_mutated_claims_and_eligibility_requests_never_break_the_server(world, fhir_for, data):
    client = fhir_for("hospital")
    a = world.people["a"]
    path, base = data.draw(st.sampled_from([
        ("/fhir/Claim/$submit", opd_bundle(a)), ("/fhir/Claim/$submit", ipd_bundle(a)),
        ("/fhir/CoverageEligibilityRequest/$submit", _eligibility(a))]))
    answer_is_sound(client.post(path, mutate(data, base)))


@FUZZ
@given(body=JSON, path=st.sampled_from(["/fhir/Claim/$submit", "/fhir/Claim", "/fhir/CoverageEligibilityRequest",
                                        "/compat/nhso/FMU/ecimp/v1/send", "/fhir/Patient"]))
def test_random_bodies_are_refused_cleanly(world, fhir_for, body, path):
    answer_is_sound(fhir_for("hospital").post(path, body, content_type="application/json"))


SEARCHES = {
    "/fhir/Patient": ["identifier", "_id"], "/fhir/Coverage": ["beneficiary", "identifier", "patient"],
    "/fhir/Organization": ["identifier", "type", "name", "_id"], "/fhir/Location": ["identifier", "partof", "name"],
    "/fhir/Claim": ["identifier", "patient", "_id"], "/fhir/ClaimResponse": ["identifier", "patient", "request"],
    "/fhir/ExplanationOfBenefit": ["patient", "claim", "provider"],
    "/fhir/PaymentReconciliation": ["requestor", "identifier"],
    "/compat/nhso/nhsoendpoint/api/v2/right-search": ["pid", "checkDate"],
    "/compat/nhso/FMU/ecimp/v1/track": ["transactionId"],
}
VALUES = st.one_of(st.text(max_size=40), st.sampled_from([f"{s.CID}|1101700203451", "Patient/1", "Location/56",
                                                          "https://terms.sil-th.org/hcode/5/56001/VN|V1", "|",
                                                          "Organization/56001", "1-56001", "2025-02-30"]))


@FUZZ
@given(data=st.data())
def test_random_searches_and_reads_never_break_the_server(world, fhir_for, data):
    persona = data.draw(st.sampled_from(["national", "hospital", "analyst", "centre", "regional2"]))
    client = fhir_for(persona)
    path = data.draw(st.sampled_from(sorted(SEARCHES)))
    if data.draw(st.booleans()):
        names = st.one_of(st.sampled_from(SEARCHES[path] + ["_count", "_offset"]), st.text(max_size=10))
        params = data.draw(st.dictionaries(names, VALUES, max_size=3))
        answer_is_sound(client.get(path, **params))
    else:
        pk = data.draw(st.one_of(st.text(alphabet="0123456789abcdef-.", min_size=1, max_size=20),
                                 st.sampled_from(["payer", "56", "5601", "560101", "56001", "1"])))
        answer_is_sound(client.get(f"{path}/{pk}"))
