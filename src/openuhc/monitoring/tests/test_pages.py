"""Dashboard, KPI pages, exports, the open-data page and the store page: who sees what."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

from openuhc.monitoring import facts, services

pytestmark = pytest.mark.django_db

MONTHS = facts.months_between(2569, date(2026, 3, 31))
LOGGED_IN = ["national", "regional", "regional2", "hospital", "hospital2", "localfund", "centre", "analyst"]


@pytest.fixture
def refreshed(world):
    services.refresh(months=MONTHS)
    return world


def test_the_dashboard_is_for_every_role_and_anonymous_goes_to_login(refreshed, client_for):
    for persona in LOGGED_IN:
        response = client_for(persona).get("/monitoring/?fy=2569")
        assert response.status_code == 200, persona
        assert 'id="kpi-registered_population"' in response.content.decode()
    assert client_for(None).get("/monitoring/").status_code == 302


def test_the_dashboard_before_any_refresh_says_what_to_do(world, client_for):
    body = client_for("national").get("/monitoring/").content.decode()
    assert "openuhc analytics refresh" in body


def test_a_hospital_user_gets_its_units_only_whatever_it_asks(refreshed, client_for):
    body = client_for("hospital").get("/monitoring/kpi/registered_population/?fy=2569&by=hcode").content.decode()
    assert "56001" in body and "56002" not in body and "65001" not in body
    # asking for another region changes nothing for a hospital
    body = client_for("hospital").get(
        "/monitoring/kpi/registered_population/?fy=2569&by=hcode&region=2").content.decode()
    assert "65001" not in body


def test_a_regional_officer_cannot_widen_their_region(refreshed, client_for):
    body = client_for("regional").get(
        "/monitoring/kpi/registered_population/?fy=2569&by=region&region=2").content.decode()
    assert "65001" not in body
    api = client_for("regional").get("/api/v1/monitoring/kpis/registered_population?by=region&fy=2569&region=2")
    assert api.status_code == 200
    assert [r["key"] for r in api.json()["rows"]] == ["1"]


def test_each_figure_links_to_what_is_behind_it(refreshed, client_for):
    body = client_for("national").get("/monitoring/kpi/registered_population/?fy=2569&by=hcode").content.decode()
    assert 'href="/units/56001/"' in body
    body = client_for("national").get("/monitoring/kpi/registered_population/?fy=2569&by=region").content.decode()
    assert "by=province" in body and "region=1" in body


def test_a_kpi_not_meant_for_a_role_is_not_found(refreshed, client_for):
    assert client_for("hospital").get("/monitoring/kpi/localfund_unspent_share/").status_code == 404
    assert client_for("national").get("/monitoring/kpi/no_such_kpi/").status_code == 404
    api = client_for("hospital").get("/api/v1/monitoring/kpis/localfund_unspent_share")
    assert api.status_code == 400 and api.json()["code"] == "unknown_kpi"
    api = client_for("national").get("/api/v1/monitoring/kpis/registered_population?by=colour")
    assert api.json()["code"] == "bad_breakdown"


def test_exports_hold_the_numbers_on_the_page(refreshed, client_for):
    response = client_for("national").get("/monitoring/kpi/registered_population/?fy=2569&by=hcode&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "key"
    assert {(r[1], r[-1]) for r in rows[1:]} == {("56001", "1"), ("56002", "1"), ("65001", "1")}
    response = client_for("national").get("/monitoring/kpi/registered_population/?fy=2569&by=region&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert sorted((str(v[1]), v[-1]) for v in values) == [("1", 2), ("2", 1)]


def test_the_open_data_page_needs_no_login_and_shows_no_person(refreshed, client):
    response = client.get("/monitoring/open/?fy=2569&by=province")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="open-coverage_rate"' in body
    for person in refreshed.people.values():
        assert person.citizen_id not in body and person.first_name_th not in body
    csv_response = client.get("/monitoring/open/?fy=2569&by=province&kpi=registered_population&format=csv")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "56" in text and "65" in text
    # unit-level breakdowns are not part of the public page
    assert "56001" not in client.get("/monitoring/open/?fy=2569&by=hcode").content.decode()


def test_only_a_national_officer_refreshes_the_store(refreshed, client_for):
    assert client_for("analyst").get("/monitoring/store/").status_code == 403
    assert client_for("regional").post("/monitoring/store/refresh/").status_code == 403
    response = client_for("national").post("/monitoring/store/refresh/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    from openuhc.monitoring.models import StoreRefresh

    assert StoreRefresh.objects.filter(trigger="page", status="done").exists()
    assert "population" in client_for("national").get("/monitoring/store/").content.decode()
