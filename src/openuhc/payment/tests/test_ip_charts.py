"""The inpatient charts: rate per AdjRW by region over the rounds' cut-offs, paid against each fiscal year's budget,
the units with the most AdjRW — with the numbers in a table, each user seeing their own scope and others
refused."""

from __future__ import annotations

import json
import re
from datetime import date

import pyarrow as pa
import pytest

from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.registry.models import Scheme

pytestmark = pytest.mark.django_db


def published_ip(world, region, user, cutoff, rows):
    table = pa.table({"claim_id": pa.array([r[0] for r in rows], pa.int64()), "hcode": [r[1] for r in rows],
                      "region": [region.number] * len(rows), "fiscal_year": [2569] * len(rows),
                      "adjrw": [r[2] for r in rows]})
    run = services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"), region=region,
                             cutoff=cutoff, kind=PaymentRun.Kind.IP)
    run = services.compute_ip(actor=world.users[user], run=run, claims=table)
    for step in ("national", "national2", "national"):
        run = services.advance(actor=world.users[step], run=run)
    return run


@pytest.fixture
def ip_runs(world, budget, officers):
    mine, far = world.province.region, world.other_province.region
    published_ip(world, mine, "regional", date(2026, 1, 15), [(1, "56001", 2.5), (2, "56002", 1.0)])
    published_ip(world, mine, "regional", date(2026, 2, 15), [(3, "56001", 1.5)])
    published_ip(world, far, "regional2", date(2026, 1, 15), [(4, "65001", 5.0)])


def chart(body: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="chart-config-{chart_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, f"no chart {chart_id}"
    return json.loads(match.group(1))


def test_a_national_officer_sees_every_regions_rate_budget_and_units(world, ip_runs, client_for):
    body = client_for("national").get("/payment/charts/").content.decode()
    rates = chart(body, "ip-rate-by-region")
    assert [d["label"] for d in rates["data"]["datasets"]] == [f"region {world.province.region.number}",
                                                               f"region {world.other_province.region.number}"]
    assert rates["data"]["datasets"][0]["data"] == [8350.0, 8350.0]  # the rounds cut off on 15 Jan and 15 Feb
    paid = chart(body, "ip-paid-against-budget")
    assert [d["label"] for d in paid["data"]["datasets"]] == ["budget", "paid"] and paid["data"]["labels"] == [
        "FY2569"]
    assert paid["data"]["datasets"][1]["data"][0] == (2.5 + 1.0 + 1.5 + 5.0) * 8350  # both regions
    units = chart(body, "ip-units-adjrw")
    assert units["data"]["labels"][0].startswith("65001") and units["data"]["datasets"][0]["data"][0] == 5.0
    # the numbers in a table under the chart
    assert "The numbers in a table" in body and "<td>65001 โรงพยาบาลไกล</td>" in body


def test_a_regional_officer_sees_only_the_region(world, ip_runs, client_for):
    body = client_for("regional").get("/payment/charts/").content.decode()
    assert [d["label"] for d in chart(body, "ip-rate-by-region")["data"]["datasets"]] == [
        f"region {world.province.region.number}"]
    assert "65001" not in body
    assert chart(body, "ip-units-adjrw")["data"]["labels"][0].startswith("56001")  # 2.5 + 1.5 AdjRW


def test_hospital_staff_see_only_their_units(world, ip_runs, client_for):
    body = client_for("hospital").get("/payment/charts/").content.decode()
    assert chart(body, "ip-units-adjrw")["data"]["labels"] == ["56001 โรงพยาบาลเอ"]
    assert "56002" not in body and "65001" not in body


@pytest.mark.parametrize("persona", ["localfund", "centre"])
def test_others_are_refused(world, ip_runs, client_for, persona):
    assert client_for(persona).get("/payment/charts/").status_code == 403


def test_the_round_page_shows_each_budget_years_rate_and_budget(world, ip_runs, client_for):
    run = PaymentRun.objects.get(kind="ip", cutoff=date(2026, 1, 15), region=world.province.region)
    page = client_for("regional").get(f"/payment/runs/{run.pk}/").content.decode()
    assert 'id="ip-years"' in page and "8,350.00" in page and "3.5000" in page and "FY2569 round 1" in page
