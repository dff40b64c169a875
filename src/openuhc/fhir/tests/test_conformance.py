"""Conformance offline: every ClaimCon and R4B example round-trips through our parser; the shipped profiles are the
ones we claim (without the sources' known faults); our instances pass the checker, and the checker catches what it
should."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from fhir.resources.R4B import get_fhir_model_class

from openuhc.fhir import conformance
from openuhc.fhir import systems as s
from openuhc.fhir.conformance_views import RESOURCES, capability_statement

SHARED = Path(os.environ.get("OPENUHC_TEST_FHIR_DIR", Path(__file__).resolve().parents[5] / "shared" / "fhir"))
EXAMPLES = sorted([*SHARED.glob("claimcon/*.json"), *SHARED.glob("r4b-financial-examples/*.json")])


@pytest.mark.skipif(not EXAMPLES, reason=f"the Thai FHIR resources are not at {SHARED} (OPENUHC_TEST_FHIR_DIR)")
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_claimcon_and_r4b_example_round_trips_through_our_parser(path):
    from openuhc.fhir.parsing import parse_resource

    data = json.loads(path.read_text(encoding="utf-8"))
    model = parse_resource(data, data["resourceType"])
    assert json.loads(model.model_dump_json(exclude_none=True)) == data


def test_the_shipped_resources_are_the_ones_we_claim_without_the_known_faults():
    shipped = conformance.resources()
    for url in (s.PATIENT_PROFILE, s.COVERAGE_PROFILE, s.ORGANIZATION_PROFILE, s.CLAIM_OPD_PROFILE,
                s.CLAIM_IPD_PROFILE, s.ENCOUNTER_OPD_PROFILE, s.ENCOUNTER_IPD_PROFILE, s.CONDITION_PROFILE,
                s.PROCEDURE_PROFILE, s.EXT_CONTRACTED_PROVIDER, s.EXT_CLAIM_IPD_DRG, s.NHSO_INSCL, s.CHRGITEM):
        assert url in shipped, url
    # claimcon-claim-adp declares the IPD profile's URL: shipping it would replace the IPD profile
    ipd = shipped[s.CLAIM_IPD_PROFILE]
    assert ipd["id"] == "claimcon-claim-ipd" and ipd["name"] != "ClaimConClaimADP"
    # every shipped StructureDefinition is R4B (4.3.0) and parses
    for resource in shipped.values():
        if resource["resourceType"] == "StructureDefinition":
            assert resource["fhirVersion"] == "4.3.0"
            get_fhir_model_class("StructureDefinition").model_validate(resource)


def test_the_capability_statement_names_every_profile_it_ships_and_parses():
    statement = capability_statement("http://testserver/fhir/")
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    named = {r.get("profile") for r in statement["rest"][0]["resource"]} | {
        p for r in statement["rest"][0]["resource"] for p in r.get("supportedProfile", [])}
    claimed = {r["url"] for r in conformance.by_kind("StructureDefinition") if r.get("kind") == "resource"}
    assert claimed <= named
    assert {kind for kind, *_rest in RESOURCES} >= {"Patient", "Coverage", "Organization", "Location", "Claim",
                                                    "ClaimResponse", "CoverageEligibilityRequest",
                                                    "ExplanationOfBenefit", "PaymentReconciliation"}


@pytest.mark.django_db
def test_metadata_and_conformance_resources_are_served(client):
    statement = client.get("/fhir/metadata").json()
    assert statement["fhirVersion"] == "4.3.0"
    profile = client.get("/fhir/StructureDefinition/claimcon-coverage-base").json()
    assert profile["url"] == s.COVERAGE_PROFILE
    problems = client.get("/fhir/CodeSystem/claim-problem").json()
    assert {"code": "201"} .items() <= next(c for c in problems["concept"] if c["code"] == "201").items()
    get_fhir_model_class("CodeSystem").model_validate(problems)
    assert client.get("/fhir/CodeSystem/nope").status_code == 404


def _coverage() -> dict:
    return {"resourceType": "Coverage", "id": "1", "meta": {"profile": [s.COVERAGE_PROFILE]},
            "identifier": [s.identifier(s.CID, "1101700203451", "cid")], "status": "active",
            "type": {"coding": [{"system": s.COVERAGE_TYPE, "code": "UCS"}]},
            "beneficiary": {"reference": "Patient/1"}, "payor": [{"reference": "Organization/payer"}],
            "extension": [{"url": s.EXT_CONTRACTED_PROVIDER, "extension": [
                {"url": "type", "valueCodeableConcept": {"coding": [{"system": s.PROVIDER_TYPE_COVERAGE,
                                                                     "code": "primary"}]}},
                {"url": "provider", "valueReference": {"reference": "Organization/56001"}}]}]}


def test_the_checker_passes_a_conformant_coverage():
    assert conformance.errors(_coverage()) == []


def test_the_checker_catches_a_wrong_fixed_identifier_system():
    coverage = _coverage()
    coverage["identifier"][0]["system"] = "http://example.org/cid"
    found = conformance.errors(coverage)
    assert any("fixedUri" in f.message or "must be" in f.message for f in found), found


def test_the_checker_catches_a_broken_extension():
    coverage = _coverage()
    coverage["extension"][0]["valueString"] = "not allowed: the extension is complex"
    coverage["extension"][0]["extension"].append(copy.deepcopy(coverage["extension"][0]["extension"][0]))
    found = conformance.errors(coverage)
    messages = " ".join(f.message for f in found)
    assert "at most 0" in messages and "at most 1" in messages, found


def test_the_checker_evaluates_fhirpath_invariants_with_their_severity():
    coverage = _coverage()
    coverage["identifier"][0]["value"] = "12345"
    found = conformance.check(coverage)
    assert any(f.severity == "warning" and "CID-length" in f.message for f in found), found


def test_the_checker_applies_required_bindings_it_can_enumerate():
    claim = {"resourceType": "Claim", "meta": {"profile": [s.CLAIM_OPD_PROFILE]}, "status": "active",
             "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]},
             "item": [{"sequence": 1, "category": {"coding": [
                 {"system": "https://terms.sil-th.org/core/CodeSystem/cs-chi-fee-category", "code": "99"}]}}]}
    found = conformance.errors(claim)
    assert any("not in the required value set" in f.message for f in found), found
    claim["item"][0]["category"]["coding"][0]["code"] = "01"
    assert conformance.errors(claim) == []


def test_the_checker_catches_a_wrong_pattern():
    claim = {"resourceType": "Claim", "meta": {"profile": [s.CLAIM_IPD_PROFILE]},
             "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "oral"}]}}
    assert any("must contain" in f.message for f in conformance.errors(claim))
