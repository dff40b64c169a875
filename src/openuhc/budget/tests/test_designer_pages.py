"""The budget designer's pages: inputs from the data, save, compare, export; who may use it."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from openuhc.budget.models import Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, settings, tmp_path):
    from openuhc.budget.defaults import year_config
    from openuhc.budget.services import add_version
    from openuhc.monitoring import facts, services

    settings.OPENUHC_ANALYTICS_DIR = str(tmp_path / "analytics")
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=year_config(2569),
                note="test")
    services.refresh(months=facts.months_between(2569, date(2026, 3, 31)))
    return world


def form_of(inputs, **changes):
    post = {"fiscal_year": inputs["fiscal_year"], "population_growth": inputs["population_growth"],
            "all_population": inputs["all_population"], "code": [s["code"] for s in inputs["sub_funds"]]}
    for band, n in inputs["population"].items():
        post[f"pop__{band}"] = n
    for sub in inputs["sub_funds"]:
        for field in ("name", "method", "unit_cost", "amount_per_head", "head_base", "cost_growth", "policy",
                      "fixed"):
            post[f"{sub['code']}__{field}"] = sub[field]
    post.update(changes)
    return post


def test_the_designer_starts_from_the_data_and_saves_a_scenario(data, client_for):
    from openuhc.budget.scenarios import defaults

    inputs = defaults(2570)
    assert inputs["population"]["45-59"] == "3"  # the world's three registered members, all aged 45
    assert {s["code"] for s in inputs["sub_funds"]} >= {"OP", "IP", "PP"}
    client = client_for("analyst")
    page = client.get("/budget/designer/?fy=2570").content.decode()
    assert 'id="design-result"' in page
    response = client.post("/budget/designer/", form_of(inputs, action="save", name="Same as this year"))
    first = Scenario.objects.get()
    assert response.status_code == 302 and first.fiscal_year == 2570 and first.per_capita > 0
    response = client.post("/budget/designer/", form_of(inputs, action="save", name="OP +10 %",
                                                         **{"OP__policy": "0.10", "based_on": first.pk}))
    second = Scenario.objects.exclude(pk=first.pk).get()
    op_first = next(s for s in inputs["sub_funds"] if s["code"] == "OP")
    expected = (Decimal(op_first["amount_per_head"]) * Decimal("0.10")).quantize(Decimal("0.01"))
    assert second.per_capita - first.per_capita == expected and second.based_on == first
    page = client.get(f"/budget/designer/compare/?ids={first.pk}&ids={second.pk}").content.decode()
    assert 'id="comparison"' in page and "OP +10 %" in page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/budget/designer/compare/?ids={first.pk}&ids={second.pk}&format=xlsx").content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [Decimal(str(v)) for v in rows[-1][1:]] == [first.total, second.total]
    pdf = PdfReader(io.BytesIO(client.get(f"/budget/designer/{second.pk}/?format=pdf").content))
    assert "OP +10 %" in pdf.pages[0].extract_text()


def test_a_bad_input_is_explained_and_nothing_is_saved(data, client_for):
    from openuhc.budget.scenarios import defaults

    inputs = defaults(2570)
    page = client_for("national").post("/budget/designer/", form_of(inputs, action="save", name="x",
                                                                     **{"pop__0-4": "many"})).content.decode()
    assert 'id="design-error"' in page and "is not a number" in page
    assert not Scenario.objects.exists()


def test_only_national_officers_and_analysts_design_budgets(data, client_for):
    assert client_for("hospital").get("/budget/designer/").status_code == 403
    assert client_for("regional").get("/budget/designer/").status_code == 403
    assert client_for(None).get("/budget/designer/").status_code == 302
