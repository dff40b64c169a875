"""A hospital system speaking FHIR: look a patient up by citizen ID, check eligibility on a date, send an OPD and
an IPD claim as Bundles, read the ClaimResponse, and once the round is published the ExplanationOfBenefit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fhir.resources.R4B import get_fhir_model_class

from openuhc.fhir import conformance
from openuhc.fhir import systems as s
from openuhc.fhir.tests.conftest import ipd_bundle, opd_bundle

pytestmark = pytest.mark.django_db


def valid(body: dict) -> dict:
    """The body parses as the R4B resource it says it is (no response breaks its own schema)."""
    get_fhir_model_class(body["resourceType"]).model_validate(body)
    return body


def test_it_finds_a_patient_by_citizen_id_and_logs_the_read(world, fhir_for):
    from openuhc.registry.models import PersonAccess

    a = world.people["a"]
    response = fhir_for("hospital").get("/fhir/Patient", identifier=f"{s.CID}|{a.citizen_id}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    bundle = valid(response.json())
    assert bundle["total"] == 1
    found = bundle["entry"][0]["resource"]
    assert found["identifier"][0] == {"system": s.CID, "value": a.citizen_id,
                                      "type": {"coding": [{"system": s.IDENTIFIER_TYPE, "code": "cid"}]}}
    assert found["name"][0]["given"] == [a.first_name_th]
    assert conformance.errors(found) == []
    assert PersonAccess.objects.filter(person=a, actor=world.users["hospital"], action="search").count() == 1
    read = fhir_for("hospital").get(f"/fhir/Patient/{a.pk}")
    assert read.status_code == 200 and read.json()["id"] == str(a.pk)
    assert PersonAccess.objects.filter(person=a, action="api").count() == 1


def test_eligibility_answers_scheme_and_units_with_the_patient_included(world, fhir_for):
    from openuhc.registry.models import PersonAccess

    b = world.people["b"]
    request = {"resourceType": "CoverageEligibilityRequest", "status": "active", "purpose": ["validation"],
               "patient": {"identifier": {"system": s.CID, "value": b.citizen_id}}, "servicedDate": "2025-09-03",
               "created": "2025-09-03", "insurer": {"display": "NHSO"}}
    response = fhir_for("hospital").post("/fhir/CoverageEligibilityRequest/$submit", request)
    assert response.status_code == 200, response.content
    answer = valid(response.json())
    assert answer["outcome"] == "complete" and answer["insurance"][0]["inforce"] is True
    contained = {r["id"]: r for r in answer["contained"]}
    assert contained["patient"]["identifier"][0]["value"] == b.citizen_id
    coverage = contained["coverage"]
    assert coverage["type"]["coding"] == [{"system": s.COVERAGE_TYPE, "code": "UCS"},
                                          {"system": s.NHSO_INSCL, "code": "UCS", "display": "สิทธิหลักประกันสุขภาพแห่งชาติ"}]
    providers = {e["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]: e["extension"][1]["valueReference"]
                 for e in coverage["extension"]}
    assert providers["primary"]["reference"] == "#unit-56002"  # registered with hospital B
    assert providers["primary-care"]["reference"] == "#unit-05602"
    assert providers["secondary"]["reference"] == "#unit-56001"
    assert {"unit-56002", "unit-05602", "unit-56001"} <= set(contained)
    assert conformance.errors(coverage) == []
    assert PersonAccess.objects.filter(person=b, action="eligibility").count() == 1
    # the plain POST answers the same
    plain = fhir_for("hospital").post("/fhir/CoverageEligibilityRequest", request)
    assert plain.status_code == 200 and plain.json()["insurance"][0]["inforce"] is True


def test_eligibility_says_why_not_in_the_clients_language(world, fhir_for):
    sss = world.people["sss"]
    request = {"resourceType": "CoverageEligibilityRequest", "status": "active", "purpose": ["validation"],
               "patient": {"identifier": {"system": s.CID, "value": "1234567890123"}}, "created": "2025-09-03",
               "insurer": {"display": "NHSO"}}
    thai = fhir_for("hospital", "th").post("/fhir/CoverageEligibilityRequest/$submit", request).json()
    assert thai["outcome"] == "error" and "insurance" not in thai
    assert thai["error"][0]["code"]["coding"][0]["code"] == "cid_bad_check_digit"
    assert "หลัก" in thai["disposition"] or "ตรวจ" in thai["disposition"]
    request["patient"]["identifier"]["value"] = sss.citizen_id
    english = fhir_for("hospital").post("/fhir/CoverageEligibilityRequest/$submit", request).json()
    assert english["insurance"][0]["inforce"] is True  # covered by SSS: eligible, scheme SSS, no units
    assert english["contained"][1]["type"]["coding"][0]["code"] == "SSS"


def test_an_opd_claim_bundle_goes_through_the_claim_files_intake(world, fhir_for):
    from openuhc.claims.models import Claim, Submission

    a = world.people["a"]
    response = fhir_for("hospital").post("/fhir/Claim/$submit", opd_bundle(a))
    assert response.status_code == 200, response.content
    answer = valid(response.json())
    assert answer["resourceType"] == "ClaimResponse" and answer["outcome"] == "complete", answer
    assert "error" not in answer
    stored = Claim.objects.get(pk=int(answer["id"]))
    assert (stored.kind, stored.key, stored.status, stored.unit.code) == ("OP", "V100", "accepted", "56001")
    assert stored.total_charge == Decimal("200.50") and stored.person == a
    assert Submission.objects.get(pk=stored.submission_id).channel == "fhir"
    assert answer["identifier"] == [s.identifier(s.local_system("56001", "VN"), "V100", "localVn")]
    # the claim reads back as sent, ClaimCon-shaped
    claim = valid(fhir_for("hospital").get(f"/fhir/Claim/{stored.pk}").json())
    assert claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] == "J069"
    assert [i["productOrService"]["coding"][0]["code"] for i in claim["item"]] == ["31", "41"]
    assert conformance.errors(claim) == []
    # searchable by identifier and patient
    by_id = fhir_for("hospital").get("/fhir/ClaimResponse", identifier=f"{s.local_system('56001', 'VN')}|V100").json()
    assert [e["resource"]["id"] for e in by_id["entry"]] == [str(stored.pk)]
    by_patient = fhir_for("hospital").get("/fhir/Claim", patient=f"Patient/{a.pk}").json()
    assert by_patient["total"] == 1
    # sent again: the identifier finds the new claim and the one it replaced
    again = valid(fhir_for("hospital").post("/fhir/Claim/$submit", opd_bundle(a)).json())
    assert Claim.objects.get(pk=stored.pk).is_current is False
    by_id = fhir_for("hospital").get("/fhir/ClaimResponse", identifier=f"{s.local_system('56001', 'VN')}|V100").json()
    assert [e["resource"]["id"] for e in by_id["entry"]] == [again["id"], str(stored.pk)]


def test_each_problem_comes_back_as_an_error_with_its_code(world, fhir_for):
    a = world.people["a"]
    bundle = opd_bundle(a, on=date(2025, 9, 3))
    claim = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Claim")
    claim["total"]["value"] = 999.0  # CHT.TOTAL no longer equals the CHA lines
    encounter = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter")
    encounter["period"]["start"] = "2030-01-01T09:00:00+07:00"  # in the future
    answer = valid(fhir_for("hospital", "th").post("/fhir/Claim/$submit", bundle).json())
    assert answer["outcome"] == "error"
    codes = {e["code"]["coding"][0]["code"] for e in answer["error"]}
    assert codes, answer
    for error in answer["error"]:
        assert error["code"]["coding"][0]["system"] == s.CLAIM_PROBLEM
    assert any(ord(ch) > 0x0E00 for ch in answer["error"][0]["code"]["text"])  # Thai, as asked


def test_a_claim_bundle_without_an_encounter_number_is_refused_with_an_operation_outcome(world, fhir_for):
    bundle = opd_bundle(world.people["a"])
    encounter = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter")
    encounter.pop("identifier")
    response = fhir_for("hospital").post("/fhir/Claim/$submit", bundle)
    assert response.status_code == 400
    outcome = valid(response.json())
    assert outcome["issue"][0]["details"]["coding"][0]["code"] == "missing"


@pytest.fixture
def tables(db, tdrg_dir):
    from openuhc.drg.tables import active_tables, install_tables

    install_tables(tdrg_dir)
    return active_tables()


def test_an_ipd_claim_is_grouped_and_later_explained_once_paid(world, fhir_for, tables):
    from openuhc.budget.defaults import year_config
    from openuhc.budget.services import add_version
    from openuhc.claims import lifecycle
    from openuhc.claims.models import Claim, Submission
    from openuhc.payment import services
    from openuhc.registry.models import Scheme
    from openuhc.testing.world import PASSWORD

    a = world.people["a"]
    hospital = fhir_for("hospital")
    answer = valid(hospital.post("/fhir/Claim/$submit", ipd_bundle(a)).json())
    assert answer["outcome"] == "complete", answer
    stored = Claim.objects.get(pk=int(answer["id"]))
    # grouped, or held for a regional officer's review while the grouping is approximate (claims.hold_approximate_drg)
    assert stored.status in ("grouped", "held")
    assert "04520" in answer["processNote"][0]["text"]  # pneumonia with E11.9: DC 0452, PCL in 04520's range
    claim = valid(hospital.get(f"/fhir/Claim/{stored.pk}").json())
    drg = {p["url"]: p["valueString"] for p in claim["extension"][0]["extension"]}
    assert claim["extension"][0]["url"] == s.EXT_CLAIM_IPD_DRG
    assert drg["drg"] == "04520" and drg["los"] == "3" and drg["version"] == "TDRG 6.3"
    assert conformance.errors(claim) == []
    # Not paid yet: no explanation of benefit.
    assert hospital.get(f"/fhir/ExplanationOfBenefit/{stored.pk}").status_code == 404

    # The month's inpatient round is computed and published by two national officers.
    from openuhc.accounts.roles import Role
    from openuhc.accounts.services import create_user

    second = create_user(username="national2", password=PASSWORD, role=Role.NATIONAL)
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=year_config(2569),
                note="test")
    Submission.objects.filter(pk=stored.submission_id).update(received_at=datetime(2025, 11, 5, 9, tzinfo=UTC))
    if stored.status == "held":
        lifecycle.review(stored, actor=world.users["national"], release=True, reason="checked against the chart")
    run = services.start_run(actor=world.users["national"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, cutoff=date(2025, 11, 30), kind="ip")
    run = services.compute(actor=world.users["national"], run=run)
    for actor in (second, world.users["national"], second):
        run = services.advance(actor=actor, run=run)
    line = run.claim_payments.get(claim_id=stored.pk)
    eob = valid(hospital.get(f"/fhir/ExplanationOfBenefit/{stored.pk}").json())
    assert eob["payment"]["amount"] == {"value": float(line.net), "currency": "THB"}
    assert eob["claim"] == {"reference": f"Claim/{stored.pk}"}
    # AdjRW 0.5661 (04520, LOS 3) × 8,350 baht, less the salary deduction of a Ministry unit
    assert line.gross == (Decimal("0.5661") * Decimal(8350)).quantize(Decimal("0.01"))
    assert eob["item"][0]["adjudication"][0]["amount"]["value"] == float(line.gross)
    assert Decimal(str(eob["payment"]["adjustment"]["value"])) == -(line.rti_deduction + line.salary_deduction)
    assert line.net == line.gross - line.rti_deduction - line.salary_deduction
    found = hospital.get("/fhir/ExplanationOfBenefit", patient=f"Patient/{a.pk}").json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(stored.pk)]
    # the statement of the round for hospital A: its details add up to the amount paid
    statement = valid(hospital.get(f"/fhir/PaymentReconciliation/{run.pk}-56001").json())
    assert statement["paymentAmount"]["value"] == float(line.net)
    assert sum(Decimal(str(d["amount"]["value"])) for d in statement["detail"]) == line.net
    assert statement["detail"][0]["request"] == {"reference": f"Claim/{stored.pk}"}
