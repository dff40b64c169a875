"""The pure pricing functions: inpatient global budget with a floating rate per region and budget year, fee
schedule with caps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openuhc.budget.config import FeeItem
from openuhc.core.errors import DomainError
from openuhc.payment.pricing import (
    FeeRules,
    IpRules,
    price_fee,
    price_fee_years,
    price_ip,
    price_ip_years,
    reconcile_ip_year,
)

MONEY = pa.decimal128(16, 2)


def claims(rows, **extra):
    columns = {"claim_id": [r[0] for r in rows], "hcode": [r[1] for r in rows], "region": [r[2] for r in rows],
               "fiscal_year": [r[3] for r in rows], "adjrw": [r[4] for r in rows]}
    return pa.table({**columns, **extra})


# What is left of each (region, budget year)'s inpatient budget for the round: little of FY2568, plenty of FY2569.
RULES = IpRules(base_rate=D("8350"), budgets={(1, 2568): D("20000"), (1, 2569): D("1000000")},
                late_rules=((0, D(100)), (31, D(95)), (366, D(0))), multipliers={"REMOTE": D("1.1")},
                salary_percent=D("58.02"), rti_cap=D("30000"))


def test_within_budget_each_claim_is_paid_the_base_rate_times_its_adjrw():
    out, summary = price_ip(claims([(1, "56001", 1, 2569, 1.2345), (2, "56002", 1, 2569, 0.5)]), RULES)
    assert out.column("amount").to_pylist() == [D("10308.08"), D("4175.00")]  # 8,350 × 1.2345 = 10,308.075
    assert out.column("rate").to_pylist() == [D("8350.00")] * 2
    row = summary.to_pylist()[0]
    assert row["floated"] is False and row["total"] == D("14483.08")


def test_over_budget_the_rate_floats_down_and_the_year_never_exceeds_its_budget():
    rows = [(1, "56001", 1, 2568, 1.2345), (2, "56001", 1, 2568, 0.5), (3, "56002", 1, 2568, 2.0)]
    out, summary = price_ip(claims(rows, late_days=[0, 40, 0]), RULES)
    row = summary.to_pylist()[0]
    # payable AdjRW = 1.2345 + 0.5 × 95 % + 2.0 = 3.7095; 20,000 / 3.7095 = 5,391.562… → 5,391.56 (rounded down)
    assert row["floated"] is True and row["rate"] == D("5391.56") and row["payable_adjrw"] == 3.7095
    # 5,391.56 × 3.7095 = 19,999.99 (half-up); the claims are allocated so that they add up to it exactly
    assert row["total"] == D("19999.99") <= row["budget"]
    assert sum(out.column("amount").to_pylist()) == row["total"]
    assert out.column("reasons").to_pylist()[1] == "RATE_FLOATED,LATE"


def test_ccuf_multiplier_late_percent_and_deductions_follow_the_statement_columns():
    table = claims([(1, "56001", 1, 2569, 2.0)], ccuf=[1.05], multiplier_code=["REMOTE"], late_days=[40],
                   is_public=[True], rti_amount=pa.array([D("500.00")], MONEY))
    row = price_ip(table, RULES)[0].to_pylist()[0]
    # AdjRW2 = 2.0 × 1.05 × 1.1 = 2.31; 8,350 × 95 % × 2.31 = 18,324.0750 → 18,324.08
    assert row["adjrw2"] == 2.31 and row["late_percent"] == D("95.00")
    assert row["amount"] == D("18324.08") and row["rti"] == D("500.00")
    # salary deduction of a public unit: (18,324.08 − 500) × 58.02 % = 10,341.5312… → 10,341.53
    assert row["salary"] == D("10341.53") and row["net"] == D("7482.55")


def test_claims_sent_a_year_late_are_paid_nothing():
    row = price_ip(claims([(1, "56001", 1, 2569, 1.0)], late_days=[400]), RULES)[0].to_pylist()[0]
    assert row["amount"] == D("0.00") and row["late_percent"] == D("0.00")


@pytest.mark.parametrize(("table", "message"), [
    (pa.table({"claim_id": [1], "hcode": ["56001"]}), "lack the columns: region, fiscal_year, adjrw"),
    (claims([(1, "56001", 1, 2569, 1.0), (1, "56001", 1, 2569, 1.0)]), "Claim 1 appears twice"),
    (claims([(1, "56001", 1, 2569, -1.0)]), "adjrw has a negative value"),
    (claims([(1, "56001", 1, 2569, 1.0)], multiplier_code=["MOON"]), "Unknown multiplier codes: MOON"),
    (claims([(1, "56001", 1, 2570, 1.0)]), "Region 1 has no inpatient budget for FY2570"),
    (claims([(1, "56001", 1, 2569, 1.0)], rti_amount=[12.5]), "rti_amount must be decimal baht"),
    (pa.table({"claim_id": [1], "hcode": [None], "region": [1], "fiscal_year": [2569], "adjrw": [1.0]}),
     "hcode is empty in 1 rows"),
])
def test_bad_input_is_refused_with_a_reason(table, message):
    with pytest.raises(DomainError, match=message) as error:
        price_ip(table, RULES)
    assert error.value.message_th


def test_the_road_traffic_deduction_is_capped():
    rules = IpRules(base_rate=D("8350"), budgets={(1, 2569): D("1000000")}, rti_cap=D("1000"))
    row = price_ip(claims([(1, "56001", 1, 2569, 1.0)], rti_amount=pa.array([D("5000.00")], MONEY)),
                   rules)[0].to_pylist()[0]
    assert row["rti"] == D("1000.00") and row["net"] == D("7350.00")


def test_each_budget_year_is_priced_with_its_own_rules():
    older = IpRules(base_rate=D("8000"), budgets={(1, 2568): D("1000000")})
    newer = IpRules(base_rate=D("8350"), budgets={(1, 2569): D("1000000")}, late_rules=((0, D(100)), (31, D(90))))
    out, summary = price_ip_years(claims([(1, "56001", 1, 2568, 1.0), (2, "56001", 1, 2569, 1.0)],
                                         late_days=[40, 40]), {2568: older, 2569: newer})
    assert out.column("amount").to_pylist() == [D("8000.00"), D("7515.00")]  # 100 % in FY2568, 90 % in FY2569
    assert [(r["fiscal_year"], r["rate"]) for r in summary.to_pylist()] == [(2568, D("8000.00")),
                                                                          (2569, D("8350.00"))]
    with pytest.raises(DomainError, match="FY2570"):
        price_ip_years(claims([(1, "56001", 1, 2570, 1.0)]), {2569: newer})


def test_year_end_reconciliation_pays_or_recovers_the_difference_to_the_budget():
    rules = IpRules(base_rate=D("8350"), budgets={(1, y): D("100000") for y in (2568, 2569)})
    paid, _ = price_ip(claims([(1, "56001", 1, 2568, 1.0), (2, "56002", 1, 2569, 3.0)]), rules)
    # paid at the base rate: 8,350 + 25,050 = 33,400; the year's budget is 40,000 → 10,000 per AdjRW
    out, summary = reconcile_ip_year(paid, {1: D("40000")}, rules)
    assert summary.to_pylist()[0]["final_rate"] == D("10000.00")
    assert out.column("difference").to_pylist() == [D("1650.00"), D("4950.00")]
    # a smaller budget recovers money
    out, summary = reconcile_ip_year(paid, {1: D("20000")}, rules)
    assert out.column("difference").to_pylist() == [D("-3350.00"), D("-10050.00")]
    assert summary.to_pylist()[0]["difference"] == D("-13400.00")


claim_rows = st.lists(st.tuples(st.integers(1, 2), st.sampled_from([2568, 2569]),
                                st.integers(0, 150_000).map(lambda x: x / 10_000), st.integers(0, 400),
                                st.booleans(), st.integers(0, 5_000_00)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(rows=claim_rows, budgets=st.lists(st.integers(0, 10**9), min_size=4, max_size=4),
       base=st.integers(100_00, 20_000_00), salary=st.integers(0, 10000))
def test_totals_are_the_sum_of_lines_and_no_region_year_exceeds_its_budget(rows, budgets, base, salary):
    groups = [(1, 2568), (1, 2569), (2, 2568), (2, 2569)]
    rules = IpRules(base_rate=D(base) / 100, budgets={k: D(b) / 100 for k, b in zip(groups, budgets, strict=True)},
                    late_rules=((0, D(100)), (31, D("95.5")), (366, D(0))), salary_percent=D(salary) / 100,
                    rti_cap=D("30000"))
    table = pa.table({"claim_id": list(range(len(rows))), "hcode": ["56001"] * len(rows),
                      "region": [r[0] for r in rows], "fiscal_year": [r[1] for r in rows],
                      "adjrw": [r[2] for r in rows], "late_days": [r[3] for r in rows],
                      "is_public": [r[4] for r in rows],
                      "rti_amount": pa.array([D(r[5]) / 100 for r in rows], MONEY)})
    out, summary = price_ip(table, rules)
    lines = out.to_pylist()
    for row in summary.to_pylist():
        mine = [x for x in lines if (x["region"], x["fiscal_year"]) == (row["region"], row["fiscal_year"])]
        assert sum(x["amount"] for x in mine) == row["total"] <= row["budget"]
        assert sum(x["net"] for x in mine) == row["net"]
        if not row["floated"]:
            assert row["rate"] == rules.base_rate
    for x in lines:
        assert x["net"] + x["rti"] + x["salary"] == x["amount"] and x["net"] >= 0
    _, year = reconcile_ip_year(out, {1: D(budgets[0]) / 100, 2: D(budgets[2]) / 100}, rules)
    for row in year.to_pylist():
        assert row["final_total"] <= row["budget"]


# --- fee schedule ----------------------------------------------------------------------------------------

ITEMS = FeeRules(items=(
    FeeItem("ANC", "ฝากครรภ์", "ANC", D(360), sex=2, min_age=10, max_age=54, cap_count=5),
    FeeItem("US", "อัลตราซาวด์", "US", D(400), sex=2, cap_count=3, cap_amount=D(800)),
    FeeItem("FLU", "วัคซีน", "Flu", D(100), cap_count=1, cap_period="month"),
))


def fee_claims(rows):
    return pa.table({"claim_id": list(range(1, len(rows) + 1)), "hcode": ["56001"] * len(rows),
                     "region": [1] * len(rows), "service_date": [r[0] for r in rows],
                     "person_key": [r[1] for r in rows], "item": [r[2] for r in rows],
                     "age": [r[3] for r in rows], "sex": [r[4] for r in rows]})


def test_fee_items_are_priced_within_their_caps_per_person_and_period():
    rows = [(date(2026, 1, d), "p1", "ANC", 30, 2) for d in range(1, 8)]  # 7 visits, 5 paid
    rows += [(date(2026, 1, 2), "p2", "US", 30, 2)] * 3  # 3 × 400 capped at 800 baht
    rows += [(date(2026, 1, 3), "p3", "FLU", 70, 1), (date(2026, 1, 20), "p3", "FLU", 70, 1),
             (date(2026, 2, 3), "p3", "FLU", 70, 1)]  # once a month
    lines, summary = price_fee(fee_claims(rows), ITEMS)
    got = [(x["item"], x["amount"], x["reason"]) for x in lines.to_pylist()]
    assert got[:7] == [("ANC", D("360.00"), "")] * 5 + [("ANC", D("0.00"), "CAP_COUNT")] * 2
    assert got[7:10] == [("US", D("400.00"), ""), ("US", D("400.00"), ""), ("US", D("0.00"), "CAP_AMOUNT")]
    assert got[10:] == [("FLU", D("100.00"), ""), ("FLU", D("0.00"), "CAP_COUNT"), ("FLU", D("100.00"), "")]
    assert summary.to_pylist()[0]["amount"] == D("2800.00") == sum(lines.column("amount").to_pylist())


def test_fee_conditions_refuse_the_wrong_person_or_an_unknown_item():
    rows = [(date(2026, 1, 1), "m", "ANC", 30, 1), (date(2026, 1, 1), "old", "ANC", 60, 2),
            (date(2026, 1, 1), "x", "XRAY", 30, 2)]
    reasons = price_fee(fee_claims(rows), ITEMS)[0].column("reason").to_pylist()
    assert reasons == ["SEX", "AGE", "UNKNOWN_ITEM"]


def test_what_earlier_runs_paid_counts_against_the_cap():
    prior = pa.table({"person_key": ["p1"], "item": ["ANC"], "period": [2569], "quantity": [4],
                      "amount": pa.array([D("1440.00")], MONEY)})
    rows = [(date(2026, 1, 5), "p1", "ANC", 30, 2), (date(2026, 1, 6), "p1", "ANC", 30, 2)]
    amounts = price_fee(fee_claims(rows), ITEMS, prior)[0].column("amount").to_pylist()
    assert amounts == [D("360.00"), D("0.00")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from(["a", "b", "c"]), st.sampled_from(["ANC", "US", "FLU"]),
                          st.integers(0, 80), st.integers(1, 2)), min_size=1, max_size=80))
def test_fee_caps_are_never_exceeded_and_the_summary_is_the_sum_of_lines(rows):
    # three-day steps from August: the months change and so does the fiscal year (1 October)
    table = fee_claims([(date(2026, 8, 1) + timedelta(days=3 * d), p, i, a, s) for d, p, i, a, s in rows])
    lines, summary = price_fee(table, ITEMS)
    paid: dict = {}
    for x in lines.to_pylist():
        key = (x["person_key"], x["item"], x["period"])
        count, amount = paid.get(key, (0, D(0)))
        paid[key] = (count + x["paid_quantity"], amount + x["amount"])
    caps = {i.code: i for i in ITEMS.items}
    for (_, item, _), (count, amount) in paid.items():
        assert count <= caps[item].cap_count
        assert caps[item].cap_amount is None or amount <= caps[item].cap_amount
    assert sum(r["amount"] for r in summary.to_pylist()) == sum(lines.column("amount").to_pylist())


def test_pricing_people_in_partitions_gives_the_same_lines():
    rows = [(date(2026, 1, 1) + timedelta(days=d % 40), f"p{d % 7}", ["ANC", "US", "FLU"][d % 3], 30, 2)
            for d in range(120)]
    whole, whole_summary = price_fee(fee_claims(rows), ITEMS)
    parts, parts_summary = price_fee(fee_claims(rows), ITEMS, partitions=4)
    assert sorted(parts.to_pylist(), key=lambda r: r["claim_id"]) == whole.to_pylist()
    assert parts_summary.to_pylist() == whole_summary.to_pylist()


def test_fractional_quantities_are_priced_to_the_satang_and_count_against_the_caps():
    items = FeeRules(items=(FeeItem("HHC", "เยี่ยมบ้าน", "Home care (hours)", D("100.05"), cap_count=3),))
    table = fee_claims([(date(2026, 1, 1), "p", "HHC", 70, 1), (date(2026, 1, 2), "p", "HHC", 70, 1)])
    table = table.append_column("quantity", pa.array([D("1.5"), D("2.25")], pa.decimal128(12, 3)))
    lines = price_fee(table, items)[0].to_pylist()
    # 1.5 × 100.05 = 150.075 → 150.08; then only 1.5 of the 2.25 hours fit under the cap of 3
    assert [(x["paid_quantity"], x["amount"], x["reason"]) for x in lines] == [
        (D("1.500"), D("150.08"), ""), (D("1.500"), D("150.08"), "CAP_COUNT")]


def test_the_fiscal_year_of_a_fee_cap_follows_the_first_month_of_the_year():
    calendar = FeeRules(items=ITEMS.items, fy_start_month=1)
    rows = [(date(2025, 12, 20), "p1", "ANC", 30, 2)] * 5 + [(date(2026, 1, 5), "p1", "ANC", 30, 2)]
    lines = price_fee(fee_claims(rows), calendar)[0].to_pylist()
    assert [x["period"] for x in lines] == [2568] * 5 + [2569]  # a new year (and a new cap) from January
    assert [x["amount"] for x in lines][-1] == D("360.00")


def test_each_fiscal_year_is_priced_with_its_own_fee_schedule():
    dearer = FeeRules(items=(FeeItem("ANC", "ฝากครรภ์", "ANC", D(400)),))
    table = fee_claims([(date(2025, 9, 30), "p", "ANC", 30, 2), (date(2025, 10, 1), "p", "ANC", 30, 2)])
    table = table.append_column("fiscal_year", pa.array([2568, 2569], pa.int64()))
    lines = price_fee_years(table, {2568: ITEMS, 2569: dearer})[0]
    assert lines.column("amount").to_pylist() == [D("360.00"), D("400.00")]
