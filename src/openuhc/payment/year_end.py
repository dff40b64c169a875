"""Year-end reconciliation of inpatient money (การปรับเกลี่ยสิ้นปี) as a payment run of kind "year_end".

Per region and fiscal year: the final rate is the regional IP budget ÷ the year's payable AdjRW (rounded down to
the satang, at most the year's ceiling); every claim charged to the year — discharged in it, paid by any
inpatient round, in the year or after it — gets its final amount, and the difference with what it was paid is paid
(positive) or recovered (negative) as an append-only adjustment line (`ClaimPayment.is_adjustment`). Every round
that paid claims of the year must be published first. Once the year is reconciled, later inpatient rounds hold
its claims back (their summary says so). The round goes through the same workflow (draft → checked → approved →
published) and its lines appear on its statement (period: the fiscal year's last month). Rounding and
allocation: `pricing.reconcile_ip_year`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.db import transaction

from openuhc.budget.services import in_force
from openuhc.core.dates import fiscal_year_bounds, today
from openuhc.core.errors import DomainError
from openuhc.payment import owners, pricing, workflow
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import ClaimPayment, PaymentRun

MONEY = pa.decimal128(16, 2)


def year_end_period(fy: int) -> Any:
    """A year-end round's period: the first day of the fiscal year's last month (FY2569: 1 September 2026)."""
    return workflow.fiscal_year_months(fy)[-1]


def year_lines(run: PaymentRun) -> tuple[list[ClaimPayment], list[PaymentRun]]:
    """The original inpatient claim lines charged to the round's fiscal year in its region, by every round that
    paid them; each of those rounds must be published (a year is reconciled once what it paid is final)."""
    lines = list(ClaimPayment.objects.filter(claim_type=ClaimPayment.ClaimType.IP, is_adjustment=False,
                                             fiscal_year=run.fiscal_year, run__scheme=run.scheme,
                                             run__region=run.region, run__kind=PaymentRun.Kind.IP)
                 .select_related("unit__owner").order_by("claim_id"))
    rounds = list(PaymentRun.objects.filter(pk__in={line.run_id for line in lines}).order_by("cutoff", "id"))
    for ip_run in rounds:
        if ip_run.status != PaymentRun.Status.PUBLISHED:
            raise DomainError(PaymentError.YEAR_NOT_CLOSED, run=ip_run.pk, period=ip_run.period.strftime("%Y-%m"),
                              status=ip_run.status)
    return lines, rounds


def paid_table(lines: list[ClaimPayment], public_kinds: set[str], region: int) -> pa.Table:
    """The year's paid claims in the shape `reconcile_ip_year` reads."""
    def public(line: ClaimPayment) -> bool:
        value = line.detail.get("is_public")
        return bool(value) if value is not None else line.unit.owner.kind in public_kinds

    return pa.table({
        "claim_id": pa.array([line.claim_id for line in lines], pa.int64()),
        "hcode": pa.array([line.unit.code for line in lines], pa.string()),
        "region": pa.array([region] * len(lines), pa.int64()),
        "is_public": pa.array([public(line) for line in lines], pa.bool_()),
        "adjrw2": pa.array([float(line.detail.get("adjrw2") or 0) for line in lines], pa.float64()),
        "late_percent": pa.array([Decimal(str(line.detail.get("late_percent", "100.00"))) for line in lines], MONEY),
        "amount": pa.array([line.gross for line in lines], MONEY),
        "rti": pa.array([line.rti_deduction for line in lines], MONEY),
        "salary": pa.array([line.salary_deduction for line in lines], MONEY),
    })


@transaction.atomic
def compute_year_end(*, actor: Any, run: PaymentRun, workers: int = 1, progress: Any = None) -> PaymentRun:
    """Reconcile the region's fiscal year: one adjustment line per claim paid during the year (the difference
    between its final amount and what it was paid), totals per unit, the final rate in the run's summary."""
    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    done = workflow.check_may_compute(actor, run, PaymentRun.Kind.YEAR_END)
    if done is not None:
        return done
    fy = run.fiscal_year
    if run.period != year_end_period(fy):
        raise DomainError(PaymentError.YEAR_END_PERIOD, fy=fy, month=year_end_period(fy).strftime("%Y-%m"))
    last_day = fiscal_year_bounds(fy)[1]
    if today() <= last_day:  # the year's claims are still coming in and being paid
        raise DomainError(PaymentError.YEAR_NOT_OVER, fy=fy, end=last_day.isoformat())
    version = in_force(run.scheme.code, run.period)
    config = version.config
    budget = config.ip_budget(run.region.number)
    if budget is None:
        raise DomainError(PaymentError.NO_BUDGET, region=run.region.number, month=f"FY{fy}")
    lines, ip_runs = year_lines(run)
    if not lines:
        raise DomainError(PaymentError.NO_IP_CLAIMS, region=run.region.number, fy=fy)
    rules = pricing.IpRules.from_config(config)
    table = paid_table(lines, owners.public_owner_kinds(run.period, run.scheme.code), run.region.number)
    out, summary = pricing.reconcile_ip_year(table, {run.region.number: budget}, rules)
    year = summary.to_pylist()[0]
    by_id = {line.claim_id: line for line in lines}
    priced = []
    for row in out.to_pylist():
        paid = by_id[row["claim_id"]]
        rti = row["difference"] - row["salary_difference"] - row["net_difference"]
        priced.append({"claim_id": row["claim_id"], "hcode": row["hcode"], "amount": row["difference"], "rti": rti,
                       "salary": row["salary_difference"], "net": row["net_difference"],
                       "final_amount": row["final_amount"], "paid_amount": row["paid_amount"],
                       "rate": year["final_rate"], "adjrw2": paid.detail.get("adjrw2"),
                       "late_percent": paid.detail.get("late_percent"), "drg": paid.detail.get("drg"),
                       "paid_by_run": paid.run_id, "reasons": "YEAR_END", "fiscal_year": fy})
    summary_json = {"fiscal_year": fy, "region": run.region.number, "runs": [r.pk for r in ip_runs],
                    "claims": len(lines),
                    "payable_adjrw": str(Decimal(str(year["payable_adjrw"])).quantize(Decimal("0.0001"))),
                    **{k: str(year[k]) for k in ("budget", "final_rate", "final_total", "paid", "difference")}}
    return workflow.record_lines(
        run, actor=actor, version=version, claim_type=ClaimPayment.ClaimType.IP, lines=priced, adjustment=True,
        detail_keys=("final_amount", "paid_amount", "rate", "adjrw2", "late_percent", "drg", "paid_by_run",
                     "reasons"), summary=summary_json)


ROUND = workflow.RoundKind(PaymentRun.Kind.YEAR_END, compute_year_end)
