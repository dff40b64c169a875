"""The charts page: counts by kind, category, unit and region, on-time share, Section 41 and participation."""

from __future__ import annotations

import json
import re
from datetime import date

from openuhc.rights import assistance, services
from openuhc.rights.tests.conftest import at, category, open_complaint


def _chart(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="chart-config-{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_charts_count_cases_and_the_share_closed_on_time(world, client_for):
    on_time = open_complaint(world, now=at("2026-03-02 09:00"))
    late = open_complaint(world, now=at("2026-03-02 09:00"))
    open_complaint(world, now=at("2026-03-05 09:00"), kind="advice")
    services.close(on_time, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-03-10 09:00"))
    services.close(late, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-04-10 09:00"))
    req = assistance.file_request(actor=None, region=world.province.region, requester_kind="injured",
                                  requester_name="ก", injured_name="ก", unit=world.hospital_a,
                                  incident_on=date(2026, 1, 1), known_on=date(2026, 1, 2),
                                  received_on=date(2026, 1, 3), description="x")
    assistance.add_evidence(req, actor=None, kind="x", received_on=date(2026, 1, 4))
    assistance.mark_complete(req, actor=None, on=date(2026, 1, 5))
    assistance.decide(req, actor=None, approved=True, decided_on=date(2026, 1, 20), committee="c", reason="r",
                      category="organ", amount="120000")
    for persona in ("analyst", "national", "regional", "centre"):
        html = client_for(persona).get("/rights/").content.decode()
        kinds = _chart(html, "cases-by-kind")
        counts = dict(zip(kinds["data"]["labels"], kinds["data"]["datasets"][0]["data"], strict=True))
        assert counts == {"Complaint": 2.0, "Advice or question": 1.0}, persona
        on_time_share = _chart(html, "cases-on-time")
        assert on_time_share["data"]["datasets"][0]["data"] == [50.0]
        s41 = _chart(html, "s41-by-category")
        assert s41["data"]["datasets"][0]["data"] == [0.0, 120000.0, 0.0]
        assert "นางลับ" not in html  # aggregates only
    assert client_for("hospital").get("/rights/").status_code == 403
    assert client_for("localfund").get("/rights/").status_code == 403


def test_a_regional_officer_sees_only_the_regions_cases_in_the_charts(world, client_for, other_centre):
    open_complaint(world, now=at("2026-03-02 09:00"))
    services.open_case(actor=None, kind="advice", channel="hotline", category=category("question.rights"),
                       subject="s", description="d", centre=other_centre)
    html = client_for("regional").get("/rights/").content.decode()
    assert _chart(html, "cases-by-kind")["data"]["labels"] == ["Complaint"]
    national = _chart(client_for("national").get("/rights/").content.decode(), "cases-by-region")
    assert sorted(national["data"]["labels"]) == sorted([str(world.province.region), str(world.other_province.region)])


def test_the_complaints_on_time_kpi_comes_from_the_cases_in_the_analytics_store(world):
    from decimal import Decimal

    from openuhc.monitoring import facts
    from openuhc.monitoring import services as monitoring
    from openuhc.monitoring.kpis import KPIS, Filters

    on_time = open_complaint(world, now=at("2026-01-05 09:00"))
    late = open_complaint(world, now=at("2026-01-05 09:00"))
    services.close(on_time, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-01-20 09:00"))
    services.close(late, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-02-20 09:00"))
    open_complaint(world, now=at("2026-02-01 09:00"))  # still open: not in the share
    monitoring.refresh(months=facts.months_between(2569, date(2026, 3, 31)))
    rows = {r.key: r.value for r in KPIS["complaints_on_time"].compute(Filters(fy=2569), "all")}
    assert rows == {"all": Decimal("50.0")}
    by_month = {r.key: r.value for r in KPIS["complaints_on_time"].compute(Filters(fy=2569), "month")}
    assert by_month["2026-01"] == Decimal("100.0") and by_month["2026-02"] == Decimal("0.0")
