from __future__ import annotations

from openuhc.registry.models import PersonAccess
from openuhc.testing.world import make_cid


def test_the_eligibility_api_answers_in_json(world, client_for):
    person = world.people["a"]
    data = client_for("hospital").get("/api/v1/eligibility", {"cid": person.citizen_id, "date": "2025-06-01"}).json()
    assert data["eligible"] is True and data["scheme"] == "UCS" and data["main_unit"] == "56001"
    assert PersonAccess.objects.filter(person=person, action="eligibility").exists()


def test_the_eligibility_api_gives_a_code_and_message_for_each_refusal(world, client_for):
    client = client_for("hospital")
    unknown = client.get("/api/v1/eligibility", {"cid": make_cid("199999999999")}).json()
    assert unknown["eligible"] is False and unknown["reason"]["code"] == "unknown_id"
    short = client.get("/api/v1/eligibility", {"cid": "123"}).json()
    assert short["reason"]["code"] == "cid_length"


def test_the_api_refuses_a_buddhist_era_date(world, client_for):
    response = client_for("hospital").get("/api/v1/eligibility", {"cid": world.people["a"].citizen_id,
                                                                  "date": "2568-06-01"})
    assert response.status_code == 400
    assert response.json() == {"code": "api_date_be_year", "message": response.json()["message"]}
    assert "2025-06-01" in response.json()["message"]


def test_the_api_answers_in_thai_when_asked(world, client_for):
    response = client_for("hospital").get("/api/v1/eligibility", {"cid": "123"}, HTTP_ACCEPT_LANGUAGE="th")
    assert "13 หลัก" in response.json()["reason"]["message"]


def test_a_person_is_masked_in_the_api_unless_revealed_and_both_are_logged(world, client_for):
    person = world.people["a"]
    client = client_for("hospital")
    assert client.get(f"/api/v1/persons/{person.pk}").json()["citizen_id"].startswith("x-")
    assert client.get(f"/api/v1/persons/{person.pk}", {"reveal": "true"}).json()["citizen_id"] == person.citizen_id
    assert set(PersonAccess.objects.filter(person=person).values_list("action", flat=True)) == {"api", "reveal_id"}


def test_the_openapi_document_lists_the_endpoints(world, client_for):
    schema = client_for("national").get("/api/openapi.json").json()
    assert "/api/v1/eligibility" in schema["paths"]
    assert "/api/v1/units/{code}" in schema["paths"]
