"""Every page and API call, for every persona: who gets it and who is refused."""

from __future__ import annotations

import pytest

PERSONAS = ["national", "regional", "regional2", "hospital", "hospital2", "localfund", "centre", "analyst", None]

# (name, url of the world, personas allowed). Everyone else logged in gets 403; anonymous goes to login.
PAGES = [
    ("home", lambda w: "/accounts/home/", {"national", "regional", "regional2", "hospital", "hospital2", "localfund",
                                           "centre", "analyst"}),
    ("people search", lambda w: "/people/?q=x", {"national", "regional", "regional2", "hospital", "hospital2"}),
    ("person of unit A", lambda w: f"/people/{w.people['a'].pk}/", {"national", "regional", "hospital"}),
    ("person of unit B", lambda w: f"/people/{w.people['b'].pk}/", {"national", "regional", "hospital", "hospital2"}),
    ("person of region 2", lambda w: f"/people/{w.people['far'].pk}/", {"national", "regional2"}),
    ("eligibility", lambda w: "/people/eligibility/", {"national", "regional", "regional2", "hospital", "hospital2",
                                                        "centre"}),
    ("access log", lambda w: "/people/access-log/", {"national"}),
    ("unit list", lambda w: "/units/", {"national", "regional", "regional2", "hospital", "hospital2", "localfund",
                                        "centre", "analyst"}),
    ("unit A", lambda w: "/units/56001/", {"national", "regional", "hospital", "localfund", "centre", "analyst"}),
    ("unit B", lambda w: "/units/56002/", {"national", "regional", "hospital2", "centre", "analyst"}),
    ("unit in region 2", lambda w: "/units/65001/", {"national", "regional2", "analyst"}),
    ("geography", lambda w: "/geo/", {"national", "regional", "regional2", "hospital", "hospital2", "localfund",
                                      "centre", "analyst"}),
    ("import", lambda w: "/imports/", {"national"}),
    ("api: eligibility", lambda w: f"/api/v1/eligibility?cid={w.people['a'].citizen_id}",
     {"national", "regional", "regional2", "hospital", "hospital2", "centre"}),
    ("api: person of unit A", lambda w: f"/api/v1/persons/{w.people['a'].pk}", {"national", "regional", "hospital"}),
    ("api: unit B", lambda w: "/api/v1/units/56002", {"national", "regional", "hospital2", "centre", "analyst"}),
    ("api: provinces", lambda w: "/api/v1/geo/provinces", {"national", "regional", "regional2", "hospital",
                                                           "hospital2", "localfund", "centre", "analyst"}),
]


@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_is_given_to_its_scope_and_refused_to_others(world, client_for, name, url, allowed):
    target = url(world)
    for persona in PERSONAS:
        response = client_for(persona).get(target)
        if persona in allowed:
            assert response.status_code == 200, (persona, target, response.status_code)
        elif persona is None:
            expected = 401 if target.startswith("/api/") else 302
            assert response.status_code == expected, (persona, target, response.status_code)
        else:
            assert response.status_code == 403, (persona, target, response.status_code)


def test_a_refusal_explains_itself(world, client_for):
    response = client_for("hospital2").get("/units/56001/")
    assert response.status_code == 403
    assert "Your role does not give access" in response.content.decode()
    api = client_for("hospital2").get(f"/api/v1/persons/{world.people['a'].pk}")
    assert api.json()["code"] == "forbidden"


def test_a_hospital_sees_the_units_of_the_cup_it_leads_but_not_its_neighbours(world, client_for):
    body = client_for("hospital").get("/units/").content.decode()
    assert "05601" in body and "56001" in body
    assert "56002" not in body and "05602" not in body and "65001" not in body


def test_the_analyst_never_sees_a_person(world, client_for):
    analyst = client_for("analyst")
    assert analyst.get("/people/").status_code == 403
    home = analyst.get("/accounts/home/").content.decode()
    assert world.people["a"].first_name_th not in home
    assert "Coverage today" in home
