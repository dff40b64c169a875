"""KPIs from the analytics store: the figures, the arithmetic, and the swap that never shows half a fact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from openuhc.monitoring import facts, services, store
from openuhc.monitoring.kpis import KPIS, Filters
from openuhc.monitoring.models import StoreRefresh

pytestmark = pytest.mark.django_db

FY = 2569
MONTHS = facts.months_between(FY, date(2026, 3, 31))  # Oct 2025 – Mar 2026: six months


def values(code: str, by: str, filters: Filters | None = None) -> dict[str, Decimal | None]:
    return {r.key: r.value for r in KPIS[code].compute(filters or Filters(fy=FY), by)}


def test_registered_population_and_coverage_come_from_the_registry(world):
    services.refresh(months=MONTHS)
    # a, b registered in region 1 (56001, 56002), far in region 2; the SSS member is covered, not registered
    assert values("registered_population", "all") == {"all": Decimal(3)}
    assert values("registered_population", "hcode") == {"56001": 1, "56002": 1, "65001": 1}
    assert values("registered_population", "region") == {"1": 2, "2": 1}
    assert values("coverage_rate", "province") == {"56": Decimal("100.00"), "65": Decimal("100.00")}


def test_a_death_lowers_the_stock_from_that_month_on(world):
    from openuhc.registry import services as registry

    registry.record_death(actor=None, person=world.people["b"], death_date=date(2026, 1, 15))
    services.refresh(months=MONTHS)
    by_month = values("registered_population", "month")
    assert by_month["2025-12"] == 3 and by_month["2026-01"] == 2 and by_month["2026-03"] == 2
    # a stock is read at the end of the period, not summed over it
    assert values("registered_population", "all") == {"all": Decimal(2)}


def test_an_uncovered_person_lowers_the_coverage_rate(world):
    from openuhc.testing.world import add_person

    add_person(subdistrict=world.hospital_a.subdistrict, scheme=None, first="ไม่มีสิทธิ")
    services.refresh(months=MONTHS)
    # Phayao now has a, b, sss covered and one person without a scheme: 3 of 4
    assert values("coverage_rate", "province")["56"] == Decimal("75.00")


def _write(name: str, rows: dict[str, list]) -> None:
    store.write_fact(name, pa.table(rows))


def test_rates_over_person_time_match_a_hand_computation(world):
    services.refresh(months=MONTHS)
    # 56001 has 1 registered person for 6 months = 0.5 person-year; 3 visits → 6 visits per person-year.
    # 56002 likewise with 1 visit → 2. Region 1: 4 visits / 1 person-year = 4.
    _write("op_visits", {"fy": [FY] * 4, "month": ["2025-10", "2025-11", "2026-02", "2025-12"],
                         "region": ["1"] * 4, "province": ["56"] * 4,
                         "hcode": ["56001", "56001", "56001", "56002"], "visits": [1, 1, 1, 1]})
    assert values("op_visits_per_py", "hcode") == {"56001": Decimal("6.00"), "56002": Decimal("2.00"),
                                                   "65001": Decimal("0.00")}  # people, no visits: 0, not blank
    assert values("op_visits_per_py", "region") == {"1": Decimal("4.00"), "2": Decimal("0.00")}
    _write("ip_admissions", {"fy": [FY] * 2, "month": ["2025-10", "2026-01"], "region": ["1", "1"],
                             "province": ["56", "56"], "hcode": ["56001", "56002"], "admissions": [1, 1],
                             "grouped": [1, 1], "adjrw": [0.5407, 1.3290]})
    # 2 admissions over 1.5 person-years (3 registered people × 6 months) → 1,333.3 per 1,000
    assert values("admissions_per_1000", "all") == {"all": Decimal("1333.3")}
    assert values("case_mix_index", "all") == {"all": Decimal("0.9349")}  # (0.5407 + 1.3290) / 2 = 0.93485


def test_a_hospital_sees_only_its_own_units(world):
    services.refresh(months=MONTHS)
    from openuhc.accounts.scope import Scope
    from openuhc.monitoring.views import scope_filters

    hospital = scope_filters(Scope.of(world.users["hospital"]))
    got = values("registered_population", "hcode", Filters(fy=FY, hcodes=hospital.hcodes))
    assert set(got) == {"56001"}
    regional2 = scope_filters(Scope.of(world.users["regional2"]))
    assert values("registered_population", "all", Filters(fy=FY, region=regional2.region)) == {"all": 1}


def test_a_failed_refresh_keeps_the_facts_dashboards_read(world, monkeypatch):
    services.refresh(months=MONTHS)
    before = values("registered_population", "all")

    def broken(months):
        raise RuntimeError("database went away")

    monkeypatch.setitem(facts.FACTS, "population", broken)
    with pytest.raises(RuntimeError):
        services.refresh(months=MONTHS)
    assert values("registered_population", "all") == before
    failed = StoreRefresh.objects.first()
    assert failed.status == StoreRefresh.Status.FAILED and "database went away" in failed.error
    assert services.last_refresh().status == StoreRefresh.Status.DONE


def test_a_kpi_whose_source_has_no_data_says_so():
    assert KPIS["complaints_on_time"].available() is False
    assert KPIS["complaints_on_time"].compute(Filters(fy=FY), "all") == []


def test_the_store_holds_no_personal_data(world):
    services.refresh(months=MONTHS)
    con = store.connect()
    try:
        columns = {row[0] for row in con.execute('DESCRIBE "population"').fetchall()}
    finally:
        con.close()
    assert not columns & {"citizen_id", "id", "person_id", "first_name_th", "last_name_th", "birth_date"}


def test_the_command_refreshes_and_reports(world, capsys):
    from django.core.management import call_command

    call_command("analytics", "refresh")
    out = capsys.readouterr().out
    assert "population:" in out and "rows" in out
    assert StoreRefresh.objects.filter(status="done", trigger="command").exists()


def test_a_local_funds_unspent_share_counts_money_in_and_net_spending(world):
    from openuhc.localfund import services as funds
    from openuhc.localfund.models import LedgerEntry

    funds.record_income(actor=None, fund=world.fund, year=FY, kind="other", received_on=date(2025, 11, 3),
                        amount="100000.00")
    funds.record_income(actor=None, fund=world.fund, year=FY, kind="interest", received_on=date(2026, 1, 5),
                        amount="1000.00")
    LedgerEntry.objects.create(fund=world.fund, year=FY, account="main", amount=Decimal("-30000.00"),
                               kind="disbursement", entry_date=date(2026, 2, 1))
    LedgerEntry.objects.create(fund=world.fund, year=FY, account="main", amount=Decimal("500.00"),
                               kind="refund", entry_date=date(2026, 3, 1))
    services.refresh(months=MONTHS)
    # received 101,000; spent 30,000 − 500 returned = 29,500; unspent 71,500 / 101,000 = 70.79 %
    assert values("localfund_unspent_share", "fund") == {world.fund.code: Decimal("70.8")}
    assert values("localfund_unspent_share", "province") == {"56": Decimal("70.8")}
