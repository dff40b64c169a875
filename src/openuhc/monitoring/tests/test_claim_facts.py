"""The claim-level facts hold, per accepted claim, what the claim says, read from the database row by row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.claims import services as claims
from openuhc.claims.models import Claim
from openuhc.claims.tests.conftest import clean_builder
from openuhc.core.dates import fiscal_year
from openuhc.monitoring import facts, services, store

pytestmark = pytest.mark.django_db

MONTHS = facts.months_between(2568, date(2025, 9, 30))  # the clean submission's visits and stay are in Sep 2025


def _expected(kind: str) -> list[dict]:
    """The fact as the first, row-by-row extractor built it (the reference the set-based one must match)."""
    from openuhc.drg.claims import latest_adjrw

    day = "service_date" if kind == "OP" else "discharge_date"
    rows = []
    for claim in Claim.objects.filter(kind=kind, is_current=True, status__in=facts.PAYABLE).select_related(
            "unit__subdistrict__district__province__region"):
        on = getattr(claim, day)
        province = claim.unit.subdistrict.district.province
        row = {"fy": fiscal_year(on), "month": f"{on:%Y-%m}", "region": str(province.region.number),
               "province": province.code, "hcode": claim.unit.code, "scheme": claim.inscl or "",
               "age_band": next((label for label, _lo, hi in facts.AGE_BANDS if hi is None or claim.age_years <= hi),
                                "") if claim.age_years is not None else "",
               "sex": claim.sex or 0, "charge": claim.total_charge}
        if kind == "IP":
            grouping = latest_adjrw([claim.pk]).get(claim.pk)
            row["adjrw"] = float(grouping.adjrw) if grouping and grouping.adjrw is not None else None
        rows.append(row)
    return sorted(rows, key=repr)


def _stored(name: str) -> list[dict]:
    return sorted(store.query(f'SELECT * FROM "{name}"', facts=[name]), key=repr)  # noqa: S608


def test_the_claim_facts_hold_each_accepted_claim_as_the_database_has_it(world, tmp_path):
    from openuhc.drg.models import ClaimGrouping

    claims.submit(clean_builder(world).write(tmp_path / "first"), unit_code="56001", actor=None)
    admission = Claim.objects.get(kind="IP", is_current=True)
    # Grouped twice: the newer grouping's AdjRW is the one the fact keeps.
    for adjrw in ("0.5407", "1.3290"):
        ClaimGrouping.objects.create(claim=admission, table_version="6.3", drg="06530", rw=Decimal(adjrw),
                                     adjrw=Decimal(adjrw), los=4)
    record = services.refresh(months=MONTHS, only=["op_claims", "ip_claims"])
    assert record.rows["op_claims"] == 2 and record.rows["ip_claims"] == 1
    assert _stored("op_claims") == _expected("OP")
    assert _stored("ip_claims") == _expected("IP")
    assert _stored("ip_claims")[0]["adjrw"] == 1.329
    rolled = store.query("SELECT (SELECT sum(visits) FROM op_visits) AS visits, "
                         "(SELECT sum(adjrw) FROM ip_admissions) AS adjrw")
    assert rolled == [{"visits": 2, "adjrw": 1.329}]


def test_a_month_without_claims_keeps_the_facts_columns(world):
    record = services.refresh(months=MONTHS, only=["op_claims", "ip_claims"])
    assert record.rows["op_claims"] == 0
    con = store.connect(["ip_claims"])
    try:
        columns = [row[0] for row in con.execute('DESCRIBE "ip_claims"').fetchall()]
    finally:
        con.close()
    assert columns == ["fy", "month", "region", "province", "hcode", "scheme", "age_band", "sex", "charge", "adjrw"]
