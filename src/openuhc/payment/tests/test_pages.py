"""Pages: rounds and their steps, statements (page, PDF with Thai text, Excel), charts — and who is refused.

Capitation in the small world (normalised weights): CUP A 412.15 gross, 309.11 net after the 25 % salary
deduction; CUP B 63.41."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.payment.tests.conftest import JAN
from openuhc.registry.models import Scheme


@pytest.fixture
def published(world, population, officers):
    run = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, period=JAN, kind=PaymentRun.Kind.CAPITATION)
    run = services.compute_capitation(actor=world.users["regional"], run=run)
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    return run


def test_a_regional_officer_starts_and_computes_a_run_from_the_page(world, population, client_for):
    client = client_for("regional")
    response = client.post("/payment/start/", {"scheme": "UCS", "region": world.province.region.number,
                                                "period": "2026-01-01"})
    run = PaymentRun.objects.get()
    assert response.status_code == 302 and response.url == f"/payment/runs/{run.pk}/"
    body = client.get(response.url).content.decode()
    assert "56001" in body and "412.15" in body and "Mark as checked" not in body  # four eyes: not the computer
    again = client.post("/payment/start/", {"scheme": "UCS", "region": world.province.region.number,
                                             "period": "2026-01-01"}, follow=True).content.decode()
    assert "There is already a capitation run" in again
    assert "Age weights normalised over the 4 people counted in the whole country" in body


def test_each_step_is_a_button_for_the_permitted_role_only(world, published, client_for):
    run = services.start_run(actor=world.users["national"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, period=JAN.replace(month=2), kind="capitation")
    services.compute_capitation(actor=world.users["national"], run=run)
    assert "Mark as checked" in client_for("regional").get(f"/payment/runs/{run.pk}/").content.decode()
    refused = client_for("regional2").post(f"/payment/runs/{run.pk}/advance/")
    assert refused.status_code == 403
    client_for("regional").post(f"/payment/runs/{run.pk}/advance/")
    assert PaymentRun.objects.get(pk=run.pk).status == "checked"
    assert client_for("hospital").post(f"/payment/runs/{run.pk}/advance/").status_code == 403


def test_the_statement_shows_the_population_counts_used(world, published, client_for):
    body = client_for("hospital").get("/payment/statements/56001/2026-01/").content.decode()
    assert "Capitation: registered population used" in body
    assert "0-4" in body and "60+" in body and "1.9500" in body and "309.11" in body


def test_the_statement_pdf_renders_thai(world, published, client_for):
    client = client_for("national")
    client.cookies["django_language"] = "th"
    response = client.get("/payment/statements/56001/2026-01/?format=pdf", HTTP_ACCEPT_LANGUAGE="th")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "โรงพยาบาลเอ" in text and "309.11" in text


def test_the_statement_excel_has_summary_capitation_and_claims_sheets(world, published, client_for):
    response = client_for("hospital").get("/payment/statements/56001/2026-01/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Capitation", "Claims"]
    rows = list(book["Capitation"].iter_rows(values_only=True))
    assert rows[1][1] == "0-4" and rows[1][4] == 1
    assert sum(r[6] for r in rows[1:]) == pytest.approx(412.15)


@pytest.mark.parametrize(("persona", "status"), [
    ("national", 200), ("regional", 200), ("hospital", 200), ("analyst", 200), ("regional2", 403),
    ("hospital2", 403), ("localfund", 403), ("centre", 403), (None, 302)])
def test_a_units_statement_is_refused_outside_its_scope(world, published, client_for, persona, status):
    assert client_for(persona).get("/payment/statements/56001/2026-01/").status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("national", 200), ("regional", 200), ("hospital", 200), ("analyst", 200), ("regional2", 403),
    ("localfund", 403), ("centre", 403), (None, 302)])
def test_runs_are_shown_to_their_region_and_refused_elsewhere(world, published, client_for, persona, status):
    assert client_for(persona).get(f"/payment/runs/{published.pk}/").status_code == status
    for url in ("/payment/", "/payment/statements/", "/payment/charts/"):
        expected = status if persona not in ("regional2",) else 200  # lists are scoped, not refused
        assert client_for(persona).get(url).status_code == expected, url


def test_a_hospital_sees_only_published_runs_paying_its_units(world, published, client_for):
    draft = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                               region=world.province.region, period=JAN.replace(month=3), kind="capitation")
    services.compute_capitation(actor=world.users["regional"], run=draft)
    body = client_for("hospital").get("/payment/").content.decode()
    assert f"#{published.pk}" in body and f"#{draft.pk}<" not in body
    assert client_for("hospital").get(f"/payment/runs/{draft.pk}/").status_code == 403
    assert f"#{draft.pk}<" not in client_for("regional2").get("/payment/").content.decode()
    assert f"#{draft.pk}<" in client_for("regional").get("/payment/").content.decode()


def test_the_charts_show_capitation_by_month_and_by_unit(world, published, client_for):
    body = client_for("national").get("/payment/charts/").content.decode()
    assert 'id="chart-capitation-by-month"' in body and "56001 โรงพยาบาลเอ" in body


def test_the_api_gives_runs_and_statements_in_scope_and_refuses_others(world, published, client_for):
    runs = client_for("regional").get("/api/v1/payment/runs").json()
    assert [r["id"] for r in runs] == [published.pk] and runs[0]["status"] == "published"
    assert client_for("regional2").get("/api/v1/payment/runs").json() == []
    body = client_for("hospital").get("/api/v1/payment/statements/56001/2026-01").json()
    assert body["net"] == "309.11" and {c["age_group"] for c in body["capitation"]} == {"0-4", "5-14", "15-59", "60+"}
    refused = client_for("hospital2").get("/api/v1/payment/statements/56001/2026-01")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    one = client_for("hospital").get(f"/api/v1/payment/runs/{published.pk}/statements/56001").json()
    assert one["net"] == "309.11" and one["run"]["number"] == 1 and one["run"]["fiscal_year"] == 2569
    assert client_for("hospital2").get(f"/api/v1/payment/runs/{published.pk}/statements/56001").status_code == 403
    assert client_for("localfund").get("/api/v1/payment/runs").status_code == 403
    assert client_for(None).get("/api/v1/payment/runs").status_code == 401


def test_the_api_gives_the_configuration_in_force(world, budget, client_for):
    body = client_for("analyst").get("/api/v1/budget/in-force?scheme=UCS&date=2026-01-15").json()
    assert body["fiscal_year"] == 2569 and body["configuration"]["ip_base_rate"] == "8350.00"
    missing = client_for("analyst").get("/api/v1/budget/in-force?scheme=UCS&date=2020-01-15")
    assert missing.status_code == 400 and missing.json()["code"] == "budget_no_config"


def test_the_home_page_shows_a_hospital_its_latest_payment(world, published, client_for):
    body = client_for("hospital").get("/accounts/home/").content.decode()
    assert "Latest published round: capitation" in body and "January 2026." in body and "309.11" in body
    assert f"/payment/runs/{published.pk}/statements/56001/" in body


def test_the_run_list_does_a_fixed_number_of_queries_however_many_runs(world, published, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("national")
    client.get("/payment/")
    with CaptureQueriesContext(connection) as few:
        client.get("/payment/")
    for month in (2, 3, 4):
        run = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                                 region=world.province.region, period=JAN.replace(month=month), kind="capitation")
        services.compute_capitation(actor=world.users["regional"], run=run)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/payment/").content.decode()
    assert body.count('href="/payment/runs/') == 4
    assert len(many) == len(few)


def test_a_units_statement_of_one_round_as_page_pdf_excel_and_csv(world, published, client_for):
    client = client_for("hospital")
    url = f"/payment/runs/{published.pk}/statements/56001/"
    body = client.get(url).content.decode()
    assert "FY2569 round 1" in body and 'id="statement-net">309.11<' in body
    assert client.get(f"{url}?format=pdf")["Content-Type"] == "application/pdf"
    book = load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx").content))
    assert book.sheetnames == ["Summary", "Capitation", "Claims"]
    assert client.get(f"{url}?format=csv")["Content-Type"].startswith("text/csv")
    assert client_for("hospital2").get(url).status_code == 403
