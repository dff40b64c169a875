"""The national API shapes: right search by citizen ID, and the e-Claim-style send of the claim files followed by
a track call — what existing hospital software calls, answered by OpenUHC."""

from __future__ import annotations

import base64

import pytest

from openuhc.claims import formats
from openuhc.claims.tests.conftest import clean_builder

pytestmark = pytest.mark.django_db

SEND = "/compat/nhso/FMU/ecimp/v1/send"


def test_right_search_answers_scheme_and_the_three_units(world, fhir_for):
    from openuhc.registry.models import PersonAccess

    b = world.people["b"]
    response = fhir_for("hospital").get("/compat/nhso/nhsoendpoint/api/v2/right-search", pid=b.citizen_id,
                                        checkDate="2025-09-03T00:00:00")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert (body["pid"], body["fname"], body["checkDate"]) == (b.citizen_id, b.first_name_th, "2025-09-03")
    fund = body["funds"][0]
    assert fund["mainInscl"]["id"] == "UCS"
    assert fund["hospMainOp"]["hcode"] == "56002"  # หน่วยบริการประจำ
    assert fund["hospSub"]["hcode"] == "05602"  # หน่วยบริการปฐมภูมิ
    assert fund["hospMain"]["hcode"] == "56001"  # หน่วยบริการรับส่งต่อ
    assert PersonAccess.objects.filter(person=b, action="eligibility").count() == 1


def test_right_search_of_an_unknown_id_answers_empty_like_the_national_service(world, fhir_for):
    from openuhc.testing.world import make_cid

    body = fhir_for("hospital").get("/compat/nhso/nhsoendpoint/api/v2/right-search",
                                    pid=make_cid("399999999999")).json()
    assert body["funds"] == [] and body["sex"] == {} and "fname" not in body
    bad = fhir_for("hospital", "th").get("/compat/nhso/nhsoendpoint/api/v2/right-search", pid="123")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_value"
    assert fhir_for("analyst").get("/compat/nhso/nhsoendpoint/api/v2/right-search",
                                   pid=world.people["b"].citizen_id).status_code == 403


def _payload(world) -> dict:
    builder = clean_builder(world)
    files = {}
    for name in formats.NAMES:
        if name in builder.rows or name in ("INS", "PAT", "CHT", "CHA"):
            content = builder.text(name).encode("utf-8")
            files[name.lower()] = {"blobName": f"{name}.txt", "blobType": "text/plain", "size": len(content),
                                   "blob": base64.b64encode(content).decode(), "encoding": "UTF-8"}
    files["lab"] = None
    return {"fileType": "txt", "maininscl": "UCS", "importDup": True, "assignToMe": True, "dataTypes": ["OP", "IP"],
            "opRefer": False, "file": files}


def test_an_eclaim_style_send_is_checked_and_tracked(world, fhir_for):
    hospital = fhir_for("hospital")
    response = hospital.post(SEND, _payload(world), content_type="application/json",
                             HTTP_USER_AGENT="HOSxP/4.0 <56001>")
    assert response.status_code == 200, response.content
    sent = response.json()
    track = hospital.get(f"/compat/nhso/FMU/ecimp/v1/track/{sent['transactionId']}").json()
    assert track["status"] == "processed" and track["hcode"] == "56001", [p["message"] for p in track["problems"]]
    assert (track["opCount"], track["ipCount"]) == (2, 1)
    assert {(c["type"], c["key"]) for c in track["claims"]} == {("OP", "V1"), ("OP", "V2"), ("IP", "A1")}
    same = hospital.get("/compat/nhso/FMU/ecimp/v1/track", transactionId=sent["transactionId"]).json()
    assert same["transactionId"] == sent["transactionId"]
    # another hospital may not follow it, nor send in hospital A's name
    assert fhir_for("hospital2").get(f"/compat/nhso/FMU/ecimp/v1/track/{sent['transactionId']}").status_code == 403
    refused = fhir_for("hospital2").post(SEND, _payload(world), content_type="application/json",
                                         HTTP_USER_AGENT="HOSxP/4.0 <56001>")
    assert refused.status_code == 403 and refused.json()["code"] == "not_your_unit"


def test_a_send_names_what_is_wrong_with_a_file(world, fhir_for):
    payload = _payload(world)
    payload["file"]["opd"]["blob"] = "not base64!"
    response = fhir_for("hospital", "th").post(SEND, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_file" and "OPD" in response.json()["message"]
    payload = _payload(world)
    payload["file"]["ins"]["size"] += 1
    assert fhir_for("hospital").post(SEND, payload, content_type="application/json").json()["code"] == "bad_file"
    assert fhir_for("hospital").post(SEND, {"fileType": "txt"}, content_type="application/json").json()["code"] == \
        "no_files"
    unknown = fhir_for("hospital").get("/compat/nhso/FMU/ecimp/v1/track/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_transaction"
