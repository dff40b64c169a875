"""Who may read what over FHIR: a unit's token never sees another unit's data; an analyst never sees a person;
no token, no data; refusals are OperationOutcomes in the client's language."""

from __future__ import annotations

import pytest

from openuhc.fhir import systems as s
from openuhc.fhir.tests.conftest import opd_bundle

pytestmark = pytest.mark.django_db


def _claim_of_hospital_a(world, fhir_for) -> str:
    answer = fhir_for("hospital").post("/fhir/Claim/$submit", opd_bundle(world.people["a"])).json()
    assert answer["resourceType"] == "ClaimResponse", answer
    return answer["id"]


def test_a_units_token_never_sees_another_units_patient_or_claim(world, fhir_for):
    from openuhc.registry.models import PersonAccess

    a = world.people["a"]
    claim_id = _claim_of_hospital_a(world, fhir_for)
    other = fhir_for("hospital2")
    for path in (f"/fhir/Patient/{a.pk}", f"/fhir/Claim/{claim_id}", f"/fhir/ClaimResponse/{claim_id}"):
        response = other.get(path)
        assert response.status_code == 403, path
        assert response.json()["issue"][0]["code"] == "forbidden"
    assert other.get("/fhir/Patient", identifier=f"{s.CID}|{a.citizen_id}").json()["total"] == 0
    assert other.get("/fhir/Claim", patient=f"Patient/{a.pk}").json()["total"] == 0
    assert other.get("/fhir/Coverage", beneficiary=f"Patient/{a.pk}").json()["total"] == 0
    assert not PersonAccess.objects.filter(actor=world.users["hospital2"]).exists()
    # and it cannot send claims for hospital A
    refused = other.post("/fhir/Claim/$submit", opd_bundle(a, seq="V9"))
    assert refused.status_code == 403
    assert refused.json()["issue"][0]["details"]["coding"][0]["code"] == "not_your_unit"


def test_an_analysts_token_never_sees_a_person(world, fhir_for):
    a = world.people["a"]
    claim_id = _claim_of_hospital_a(world, fhir_for)
    analyst = fhir_for("analyst")
    for path, params in ((f"/fhir/Patient/{a.pk}", {}), ("/fhir/Patient", {"identifier": f"{s.CID}|{a.citizen_id}"}),
                         ("/fhir/Coverage", {"beneficiary": f"Patient/{a.pk}"}), (f"/fhir/Claim/{claim_id}", {}),
                         (f"/fhir/ClaimResponse/{claim_id}", {}), (f"/fhir/ExplanationOfBenefit/{claim_id}", {}),
                         ("/fhir/ExplanationOfBenefit", {"patient": f"Patient/{a.pk}"})):
        assert analyst.get(path, **params).status_code == 403, path
    request = {"resourceType": "CoverageEligibilityRequest", "status": "active", "purpose": ["validation"],
               "patient": {"identifier": {"system": s.CID, "value": a.citizen_id}}, "created": "2025-09-03",
               "insurer": {"display": "NHSO"}}
    assert analyst.post("/fhir/CoverageEligibilityRequest/$submit", request).status_code == 403
    # aggregates and reference data remain open to the analyst
    assert analyst.get("/fhir/Organization/56001").status_code == 200
    assert analyst.get("/fhir/Location/56").json()["name"] == "พะเยา"
    assert analyst.get("/fhir/PaymentReconciliation").status_code == 200


def test_without_a_token_only_the_capability_statement_answers(world, fhir_for):
    anonymous = fhir_for(None)
    assert anonymous.get("/fhir/metadata").status_code == 200
    response = anonymous.get("/fhir/Patient", identifier=f"{s.CID}|{world.people['a'].citizen_id}")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["issue"][0]["code"] == "login"
    assert fhir_for(None).post("/fhir/Claim/$submit", opd_bundle(world.people["a"])).status_code == 401


def test_a_browser_session_may_read_but_never_write(world, client_for):
    browser = client_for("hospital")
    assert browser.get(f"/fhir/Patient/{world.people['a'].pk}").status_code == 200
    assert browser.post("/fhir/Claim/$submit", data="{}", content_type="application/fhir+json").status_code == 401


def test_refusals_speak_the_clients_language(world, fhir_for):
    thai = fhir_for("hospital2", "th").get(f"/fhir/Patient/{world.people['a'].pk}").json()
    assert thai["issue"][0]["details"]["text"] == "บทบาทของคุณไม่มีสิทธิ์เข้าถึงข้อมูลนี้"
    assert thai["issue"][0]["diagnostics"] == "Your role does not give access to this record."
    english = fhir_for("hospital2", "en").get("/fhir/Nothing/1").json()
    assert english["issue"][0]["code"] == "not-supported" and "metadata" in english["issue"][0]["details"]["text"]


def test_search_refuses_parameters_it_does_not_apply(world, fhir_for):
    response = fhir_for("hospital").get("/fhir/Patient", name="แอนนา")
    assert response.status_code == 400
    assert response.json()["issue"][0]["details"]["coding"][0]["code"] == "bad_parameter"
    assert fhir_for("hospital").get("/fhir/Patient").status_code == 400  # no listing of everyone
    wrong_system = fhir_for("hospital").get("/fhir/Patient", identifier="http://example.org/ssn|123")
    assert wrong_system.json()["issue"][0]["details"]["coding"][0]["code"] == "unknown_system"


def test_organizations_and_locations(world, fhir_for):
    client = fhir_for("regional")
    payer = client.get("/fhir/Organization", type="pay").json()
    assert [e["resource"]["id"] for e in payer["entry"]] == ["payer"]
    assert payer["entry"][0]["resource"]["type"][0]["coding"][0]["code"] == "pay"
    unit = client.get("/fhir/Organization", identifier=f"{s.HCODE}|05601").json()["entry"][0]["resource"]
    assert unit["identifier"][0]["value"] == "05601" and unit["partOf"]["reference"] == "Organization/56001"
    districts = client.get("/fhir/Location", partof="Location/56").json()
    assert districts["total"] >= 9 and all(e["resource"]["partOf"]["reference"] == "Location/56"
                                           for e in districts["entry"])
    # the regional officer of region 1 does not see the far unit of region 2
    assert client.get("/fhir/Organization/65001").status_code == 404
