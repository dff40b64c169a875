"""Budget pages: every officer reads a year; national officers add versions by form or Excel; others refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.budget.defaults import year_config
from openuhc.budget.exchange import from_xlsx, to_xlsx
from openuhc.budget.models import BudgetVersion
from openuhc.budget.services import add_version


@pytest.fixture
def fy2569(world):
    return add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1),
                       data=year_config(2569), note="demo")


@pytest.mark.parametrize("persona", ["national", "regional", "hospital", "localfund", "centre", "analyst"])
def test_every_officer_reads_a_years_configuration(fy2569, client_for, persona):
    body = client_for(persona).get("/budget/UCS/2569/").content.decode()
    assert "4,173.04" in body and "8,350.00" in body and "Regional inpatient global budgets" in body


def test_anonymous_users_go_to_the_login_page(fy2569, client_for):
    assert client_for(None).get("/budget/UCS/2569/").status_code == 302


@pytest.mark.parametrize("persona", ["regional", "hospital", "analyst"])
def test_only_national_officers_add_versions(fy2569, client_for, persona):
    assert client_for(persona).get("/budget/UCS/2569/edit/").status_code == 403
    assert client_for(persona).post("/budget/UCS/2569/edit/", {}).status_code == 403
    assert client_for(persona).post("/budget/UCS/2569/import/", {}).status_code == 403


def _form(data, valid_from="1/4/2569"):
    post = {"valid_from": valid_from, "note": "mid-year change", "rti_deduct": "on"}
    for key in ("per_capita", "ip_base_rate", "salary_op_percent", "salary_ip_percent", "rti_cap"):
        post[key] = data[key]
    for section in ("sub_funds", "age_groups", "ip_regions", "late_rules", "fee_items"):
        for i, row in enumerate(data[section]):
            for field, value in row.items():
                post[f"{section}-{i}-{field}"] = "" if value is None else str(value)
    return post


def test_the_form_adds_a_version_in_force_from_a_be_date_and_keeps_the_old_one(fy2569, client_for):
    data = year_config(2569)
    data["ip_base_rate"] = "8000.00"
    response = client_for("national").post("/budget/UCS/2569/edit/", _form(data))
    assert response.status_code == 302
    new = BudgetVersion.objects.get(number=2)
    assert new.valid_from == date(2026, 4, 1) and str(new.ip_base_rate) == "8000.00"
    assert BudgetVersion.objects.get(number=1).ip_base_rate == fy2569.ip_base_rate
    assert len(new.config.fee_items) == 3 and new.config.age_groups == fy2569.config.age_groups


def test_a_wrong_field_is_shown_and_nothing_is_saved(fy2569, client_for):
    data = year_config(2569)
    data["sub_funds"][0]["per_capita"] = "1.00"
    response = client_for("national").post("/budget/UCS/2569/edit/", _form(data))
    assert response.status_code == 400
    assert "The sub-funds add up to" in response.content.decode()
    assert BudgetVersion.objects.count() == 1


def test_excel_export_and_import_round_trip(fy2569, client_for):
    client = client_for("national")
    content = client.get("/budget/UCS/2569/export.xlsx").content
    assert from_xlsx(content)["per_capita"] == "4173.04"
    response = client.post("/budget/UCS/2569/import/", {
        "valid_from": "1/1/2026", "file": SimpleUploadedFile("fy2569.xlsx", content)})
    assert response.status_code == 302
    imported = BudgetVersion.objects.get(number=2)
    assert imported.config == fy2569.config and imported.valid_from == date(2026, 1, 1)


def test_an_unreadable_file_is_refused_with_a_message(fy2569, client_for):
    response = client_for("national").post("/budget/UCS/2569/import/", {
        "valid_from": "1/1/2026", "file": SimpleUploadedFile("x.xlsx", b"not excel")}, follow=True)
    assert "cannot be read as a budget configuration" in response.content.decode()
    assert BudgetVersion.objects.count() == 1


def test_the_workbook_has_a_sheet_per_list():
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(to_xlsx(year_config(2570))))
    assert book.sheetnames == ["settings", "sub_funds", "age_groups", "ip_regions", "late_rules", "fee_items",
                               "ip_multipliers"]


def test_a_national_officer_starts_a_new_year_from_the_previous_years_configuration(fy2569, client_for):
    client = client_for("national")
    response = client.get("/budget/", {"scheme": "UCS", "fy": "2570"})
    assert response.status_code == 302 and response.url == "/budget/UCS/2570/edit/"
    form = client.get(response.url).content.decode()
    assert 'name="per_capita" value="4173.04"' in form and 'name="valid_from" value="01/10/2026"' in form
    assert client_for("regional").get("/budget/", {"scheme": "UCS", "fy": "2570"}).status_code == 200
