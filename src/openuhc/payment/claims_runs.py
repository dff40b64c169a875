"""Inpatient runs from stored claims: the region-month's grouped admissions → pricing on the batch engine →
paid-once claim lines; each claim moves to "priced", and to "paid" when the run is published."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from openuhc.core.jobs import NullProgress, Progress


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def ip_claims_table(run: Any) -> pa.Table:
    """The run's claims: current IP claims of its region, discharged in its month, grouped with an AdjRW."""
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import latest_adjrw

    claims = list(Claim.objects.filter(
        kind=Claim.Kind.IP, is_current=True, status=Claim.Status.GROUPED,
        unit__subdistrict__district__province__region=run.region,
        discharge_date__gte=run.period, discharge_date__lt=_next_month(run.period),
    ).select_related("unit", "submission").order_by("id"))
    groupings = latest_adjrw([c.pk for c in claims])
    rows: dict[str, list[Any]] = {k: [] for k in ("claim_id", "hcode", "region", "service_month", "adjrw",
                                                  "late_days", "drg", "rw", "exact")}
    for claim in claims:
        grouping = groupings.get(claim.pk)
        if grouping is None or grouping.adjrw is None:
            continue
        sent = claim.submission.received_at.date() if claim.submission.received_at else claim.discharge_date
        rows["claim_id"].append(claim.pk)
        rows["hcode"].append(claim.unit.code)
        rows["region"].append(run.region.number)
        rows["service_month"].append(claim.discharge_date.year * 100 + claim.discharge_date.month)
        rows["adjrw"].append(float(grouping.adjrw))
        rows["late_days"].append(max(0, (sent - claim.discharge_date).days))
        rows["drg"].append(grouping.drg)
        rows["rw"].append(str(grouping.rw) if grouping.rw is not None else None)
        rows["exact"].append(grouping.exact)
    return pa.table({"claim_id": pa.array(rows["claim_id"], pa.int64()), "hcode": pa.array(rows["hcode"], pa.string()),
                     "region": pa.array(rows["region"], pa.int64()),
                     "service_month": pa.array(rows["service_month"], pa.int64()),
                     "adjrw": pa.array(rows["adjrw"], pa.float64()),
                     "late_days": pa.array(rows["late_days"], pa.int64()),
                     "drg": pa.array(rows["drg"], pa.string()), "rw": pa.array(rows["rw"], pa.string()),
                     "exact": pa.array(rows["exact"], pa.bool_())})


def write_ip_input(claims: pa.Table, path: Path) -> Path:
    """The engine's input: one Parquet row group per region-month (a month's rate depends on all its claims, so
    a chunk — whole row groups — never splits one), claims in claim_id order; written atomically."""
    import pyarrow.compute as pc

    from openuhc.payment.engine_runs import write_row_groups

    keys = pc.add(pc.multiply(claims.column("region").cast(pa.int64()), 1_000_000),
                  claims.column("service_month").cast(pa.int64()))
    return write_row_groups(claims, path, keys)


def start_engine_pricing(run: Any, claims: pa.Table, *, version: Any, months: list[int], actor: Any = None) -> Any:
    """Start the engine run pricing a payment run's claims (`payment.price_ip`, one chunk per region-month) and
    link it to the payment run. The input file stays in the engine folder: a killed compute resumes from it."""
    from openuhc.engine import runner
    from openuhc.payment.engine_runs import start_engine

    source = write_ip_input(claims, runner.runs_dir() / "payment" / f"run-{run.pk}-ip.parquet")
    return start_engine(run, source, function="payment.price_ip", params={"config": version.data, "months": months},
                        version=version, title=f"payment run {run.pk}: price {claims.num_rows} admissions",
                        actor=actor)


def compute_ip_from_claims(*, actor: Any, run: Any, workers: int = 1, progress: Progress | None = None) -> Any:
    """Price the run's grouped admissions on the engine and pay each claim once; the claims become "priced".
    Safe to call again after a crash: the engine run resumes, and claims not yet marked are marked."""
    from openuhc.claims.models import Claim
    from openuhc.claims.services import record_event
    from openuhc.payment import services

    run = services.compute_ip(actor=actor, run=run, workers=workers, progress=progress or NullProgress())
    ids = list(run.claim_payments.filter(is_adjustment=False).values_list("claim_id", flat=True))
    for claim in Claim.objects.filter(pk__in=ids, status=Claim.Status.GROUPED):
        record_event(claim, Claim.Status.PRICED, actor=actor, detail={"payment_run": run.pk})
    return run


def mark_paid(run: Any, *, actor: Any) -> int:
    """When an IP or fee run is published, its claims are paid."""
    from openuhc.claims.models import Claim
    from openuhc.claims.services import record_event

    ids = list(run.claim_payments.filter(is_adjustment=False).values_list("claim_id", flat=True))
    count = 0
    for claim in Claim.objects.filter(pk__in=ids, status=Claim.Status.PRICED):
        record_event(claim, Claim.Status.PAID, actor=actor, detail={"payment_run": run.pk})
        count += 1
    return count
