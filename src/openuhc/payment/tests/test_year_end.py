"""Year-end reconciliation as a round: the final rate from the regional budget and the year's AdjRW, the
difference paid or recovered per unit as adjustment lines for every claim charged to the year (by rounds in the
year or after it), through the workflow, on the statement; a reconciled year's late claims are held back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.core.errors import DomainError
from openuhc.payment import services
from openuhc.payment.models import ClaimPayment, PaymentRun, RunEvent, UnitPayment
from openuhc.payment.pricing import IpRules, price_ip, reconcile_ip_year
from openuhc.payment.year_end import compute_year_end
from openuhc.registry.models import Scheme

pytestmark = pytest.mark.django_db
SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def small_budget(world):
    """FY2569 with a regional IP budget of 120,000 baht for region 1."""
    data = year_config(2569)
    data["ip_regions"] = [{**r, "ip_budget": "120000.00"} if r["region"] == 1 else r for r in data["ip_regions"]]
    return add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=data,
                       note="test")


def start(world, kind, period=None, user="regional", cutoff=None):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, period=period, kind=kind, cutoff=cutoff)


def publish(world, run):
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    return run


def ip_round(world, cutoff, rows, publish_it=True, year=2569):
    table = pa.table({"claim_id": pa.array([r[0] for r in rows], pa.int64()), "hcode": [r[1] for r in rows],
                      "region": [1] * len(rows), "fiscal_year": [year] * len(rows),
                      "adjrw": [r[2] for r in rows], "drg": ["01010"] * len(rows)})
    run = services.compute_ip(actor=world.users["regional"], run=start(world, PaymentRun.Kind.IP, cutoff=cutoff),
                              claims=table)
    return publish(world, run) if publish_it else run


def test_the_year_end_run_pays_or_recovers_the_difference_to_the_final_rate(world, small_budget, officers,
                                                                             client_for):
    ip_round(world, date(2026, 1, 31), [(1, "56001", 1.0)])  # 8,350 (of the year's 120,000)
    ip_round(world, date(2026, 2, 28), [(2, "56002", 3.0)])  # 25,050 (of the 111,650 left)
    run = compute_year_end(actor=world.users["regional"], run=start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER))
    # the year: 120,000 baht ÷ 4.0 AdjRW = 30,000 per AdjRW; paid 8,350 + 25,050
    assert run.summary["final_rate"] == "30000.00" and run.summary["paid"] == "33400.00"
    lines = {x.claim_id: x for x in ClaimPayment.objects.filter(run=run)}
    assert all(x.is_adjustment for x in lines.values())
    assert lines[1].gross == D("21650.00") and lines[2].gross == D("64950.00")
    assert lines[1].detail["reasons"] == "YEAR_END" and lines[1].detail["final_amount"] == "30000.00"
    # public units: the salary deduction follows the final amount (58.02 %)
    assert lines[1].salary_deduction == D("12561.33") and lines[1].net == D("9088.67")
    assert run.gross == D("86600.00") == sum(x.gross for x in lines.values())
    assert run.net == sum(u.net for u in UnitPayment.objects.filter(run=run)) == sum(x.net for x in lines.values())
    # the original payments are untouched: adjustments are separate rows
    assert ClaimPayment.objects.filter(claim_id=1, is_adjustment=False).get().gross == D("8350.00")
    # recomputing changes nothing
    counts = (ClaimPayment.objects.count(), RunEvent.objects.count())
    assert compute_year_end(actor=world.users["national"], run=run).checksum == run.checksum
    assert (ClaimPayment.objects.count(), RunEvent.objects.count()) == counts
    run = publish(world, run)
    body = client_for("hospital").get("/payment/statements/56001/2026-09/").content.decode()
    assert "YEAR_END" in body and "21,650.00" in body and "year-end reconciliation" in body
    page = client_for("regional").get(f"/payment/runs/{run.pk}/").content.decode()
    assert 'id="final-rate">30,000.00<' in page


def test_a_budget_cut_before_the_year_end_recovers_money(world, small_budget, officers):
    ip_round(world, date(2026, 1, 31), [(1, "56001", 1.0)])
    ip_round(world, date(2026, 2, 28), [(2, "56001", 1.0)])  # paid 2 × 8,350 = 16,700
    data = year_config(2569)
    data["ip_regions"] = [{**r, "ip_budget": "12000.00"} if r["region"] == 1 else r for r in data["ip_regions"]]
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=SEPTEMBER, data=data, note="budget cut")
    run = compute_year_end(actor=world.users["regional"], run=start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER))
    # 12,000 ÷ 2.0 AdjRW = 6,000 per AdjRW: 2,350 baht recovered per claim
    assert run.summary["final_rate"] == "6000.00" and run.summary["difference"] == "-4700.00"
    assert [x.gross for x in ClaimPayment.objects.filter(run=run).order_by("claim_id")] == [D("-2350.00")] * 2
    unit = UnitPayment.objects.get(run=run)
    assert unit.gross == D("-4700.00") and unit.net == unit.gross - unit.salary_deduction - unit.rti_deduction


def test_a_year_is_reconciled_once_every_inpatient_run_is_published(world, small_budget, officers):
    ip_round(world, date(2026, 1, 31), [(1, "56001", 1.0)])
    draft = ip_round(world, date(2026, 2, 28), [(2, "56001", 1.0)], publish_it=False)
    run = start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER)
    with pytest.raises(DomainError, match=f"inpatient run {draft.pk} of 2026-02 is draft"):
        compute_year_end(actor=world.users["regional"], run=run)
    assert PaymentRun.objects.get(pk=run.pk).computed_at is None and not ClaimPayment.objects.filter(run=run).exists()


def test_a_year_end_run_is_the_last_month_and_only_one_per_region_and_year(world, small_budget):
    with pytest.raises(DomainError, match="last month, 2026-09"):
        start(world, PaymentRun.Kind.YEAR_END, date(2026, 3, 1))
    first = start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER)
    with pytest.raises(DomainError, match=f"\\(run {first.pk}\\)"):
        start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER, user="national")
    with pytest.raises(DomainError, match="no paid inpatient claims"):
        compute_year_end(actor=world.users["regional"], run=first)


claims_rows = st.lists(st.tuples(st.sampled_from([2568, 2569, 2570]),
                                 st.integers(0, 90_000).map(lambda x: x / 10_000), st.integers(0, 400),
                                 st.booleans()), min_size=1, max_size=50)


@settings(max_examples=100, deadline=None)
@given(rows=claims_rows, month_budget=st.integers(0, 10**7), year_budget=st.integers(0, 10**9),
       salary=st.integers(0, 10000))
def test_year_end_totals_always_equal_the_sum_of_lines(rows, month_budget, year_budget, salary):
    rules = IpRules(base_rate=D("8350"), budgets={(1, y): D(month_budget) / 100 for y in (2568, 2569, 2570)},
                    late_rules=((0, D(100)), (31, D(95)), (366, D(0))), salary_percent=D(salary) / 100)
    table = pa.table({"claim_id": list(range(len(rows))), "hcode": ["56001"] * len(rows), "region": [1] * len(rows),
                      "fiscal_year": [r[0] for r in rows], "adjrw": [r[1] for r in rows],
                      "late_days": [r[2] for r in rows], "is_public": [r[3] for r in rows]})
    paid, _ = price_ip(table, rules)
    out, summary = reconcile_ip_year(paid, {1: D(year_budget) / 100}, rules)
    year = summary.to_pylist()[0]
    lines = out.to_pylist()
    assert sum(x["final_amount"] for x in lines) == year["final_total"] <= year["budget"]
    assert sum(x["paid_amount"] for x in lines) == year["paid"]
    assert sum(x["difference"] for x in lines) == year["difference"]
    for x in lines:
        assert x["final_amount"] - x["paid_amount"] == x["difference"]
        assert x["net_difference"] + x["salary_difference"] <= x["difference"] or x["difference"] < 0


def test_claims_of_the_year_paid_after_it_are_settled_with_it(world, small_budget,
                                                             officers):
    add_version(actor=None, scheme="UCS", fiscal_year=2570, valid_from=date(2026, 10, 1), data=year_config(2570),
                note="test")
    ip_round(world, date(2026, 9, 30), [(1, "56001", 1.0)])
    # a claim of FY2569 received late, paid by a round of FY2570: charged to FY2569's budget, and settled with it
    late = ip_round(world, date(2026, 10, 20), [(2, "56001", 1.0)])
    assert late.fiscal_year == 2570 and ClaimPayment.objects.get(run=late).fiscal_year == 2569
    assert late.summary["years"][0]["spent"] == "8350.00"  # what the first round took from FY2569's budget
    run = compute_year_end(actor=world.users["regional"], run=start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER,
                                                                    cutoff=date(2026, 11, 1)))
    assert run.summary["claims"] == 2 and run.summary["final_rate"] == "60000.00"
    assert {x.claim_id for x in ClaimPayment.objects.filter(run=run)} == {1, 2}
    # a year is reconciled once
    with pytest.raises(DomainError, match="There is already"):
        start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER, user="national")


def test_a_year_is_reconciled_only_once_it_is_over(world, small_budget, officers, monkeypatch):
    ip_round(world, date(2026, 1, 31), [(1, "56001", 1.0)])
    run = start(world, PaymentRun.Kind.YEAR_END, SEPTEMBER)
    monkeypatch.setattr("openuhc.payment.year_end.today", lambda: date(2026, 9, 30))  # claims still coming in
    with pytest.raises(DomainError) as error:
        compute_year_end(actor=world.users["regional"], run=run)
    assert error.value.code == "payment_year_not_over" and error.value.message_th
    monkeypatch.setattr("openuhc.payment.year_end.today", lambda: date(2026, 10, 1))
    assert compute_year_end(actor=world.users["regional"], run=run).computed_at
