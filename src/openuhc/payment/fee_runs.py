"""Fee-schedule runs from stored claims: the itemised lines (ADP rows, `claims.Item`) of a region's accepted
claims in the month whose code is an item of the year's fee schedule, priced with caps per person and period.

Each itemised line is paid at most once: its `ClaimPayment` (claim type "fee") has the item's id as claim_id,
under the same partial unique index as inpatient claims. What earlier fee runs of the fiscal year paid to the
same person (any region) counts against the caps.

Pricing runs on the batch engine (`engine_runs`: stage → engine → record, each step safe to repeat): the lines are
staged as Parquet with one row group per group of people (a hash of person_key), so that all of a person's lines
fall in one chunk, with what earlier runs paid (`prior`) staged next to them.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from django.db import transaction

from openuhc.budget.services import in_force
from openuhc.core.dates import fiscal_year
from openuhc.core.errors import DomainError
from openuhc.payment import engine_runs, services
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import ClaimPayment, PaymentRun

# Claims whose items may be paid: accepted, and those that went on to be grouped, priced or paid as admissions.
PAYABLE_STATUSES = ("accepted", "grouped", "priced", "paid")
MONEY = pa.decimal128(16, 2)
# About this many lines per row group (so per engine chunk): a group of people priced at once, to bound memory.
ROWS_PER_GROUP = 50_000
FEE_DETAIL = ("claim", "item", "quantity", "paid_quantity", "price", "reason", "period", "person_key", "service_date")


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def person_key(claim: Any) -> str:
    """A pseudonymous key for caps per person: the registry's person id, else the unit's HN (never the CID)."""
    if claim.person_id:
        return f"p{claim.person_id}"
    return f"hn:{claim.unit.code}:{claim.hn}"


def fee_claims_table(run: PaymentRun, codes: set[str]) -> pa.Table:
    """The run's itemised lines: fee-schedule codes on current, accepted claims of the region's units with a
    service date in the run's month (columns: docs/payment.md, plus `claim`)."""
    from openuhc.claims.models import Item

    items = (Item.objects.filter(
        code__in=codes, claim__is_current=True, claim__status__in=PAYABLE_STATUSES,
        claim__unit__subdistrict__district__province__region=run.region,
        claim__service_date__gte=run.period, claim__service_date__lt=_next_month(run.period))
        .select_related("claim__unit").order_by("id"))
    rows: dict[str, list[Any]] = {k: [] for k in ("claim_id", "claim", "hcode", "region", "service_date",
                                                  "person_key", "item", "quantity", "age", "sex")}
    for item in items.iterator(chunk_size=2000):
        claim = item.claim
        quantity = int(item.quantity) if item.quantity is not None else 1
        for key, value in (("claim_id", item.pk), ("claim", claim.pk), ("hcode", claim.unit.code),
                           ("region", run.region.number), ("service_date", claim.service_date),
                           ("person_key", person_key(claim)), ("item", item.code), ("quantity", quantity),
                           ("age", claim.age_years), ("sex", claim.sex)):
            rows[key].append(value)
    types = {"claim_id": pa.int64(), "claim": pa.int64(), "hcode": pa.string(), "region": pa.int64(),
             "service_date": pa.date32(), "person_key": pa.string(), "item": pa.string(), "quantity": pa.int64(),
             "age": pa.int64(), "sex": pa.int64()}
    return pa.table({k: pa.array(v, types[k]) for k, v in rows.items()})


def prior_table(run: PaymentRun) -> pa.Table:
    """What other fee runs of the scheme paid in the run's fiscal year (caps count across runs and regions)."""
    months = services.fiscal_year_months(fiscal_year(run.period))
    start, end = months[0], months[-1]
    lines = (ClaimPayment.objects.filter(claim_type=ClaimPayment.ClaimType.FEE, is_adjustment=False,
                                         run__scheme=run.scheme, run__period__gte=start, run__period__lte=end)
             .exclude(run=run).values_list("detail", "gross"))
    rows: dict[str, list[Any]] = {"person_key": [], "item": [], "period": [], "quantity": [], "amount": []}
    for detail, gross in lines.iterator(chunk_size=5000):
        if not detail.get("person_key") or detail.get("period") is None:
            continue
        rows["person_key"].append(str(detail["person_key"]))
        rows["item"].append(str(detail["item"]))
        rows["period"].append(int(detail["period"]))
        rows["quantity"].append(int(detail.get("paid_quantity") or 0))
        rows["amount"].append(Decimal(gross))
    return pa.table({"person_key": pa.array(rows["person_key"], pa.string()),
                     "item": pa.array(rows["item"], pa.string()), "period": pa.array(rows["period"], pa.int64()),
                     "quantity": pa.array(rows["quantity"], pa.int64()), "amount": pa.array(rows["amount"], MONEY)})


def prior_checksum(prior: pa.Table) -> str:
    """What other runs had paid when a run was staged (order-free): recording compares it with what they paid by
    then, because a fee run that recorded meanwhile changes what is left under the caps."""
    return services.lines_checksum(sorted("|".join(map(str, row.values())) for row in prior.to_pylist()))


def write_fee_input(claims: pa.Table, path: Path, rows_per_group: int = ROWS_PER_GROUP) -> Path:
    """The engine's input: one Parquet row group per group of people (a hash of person_key), so a chunk holds all
    of a person's lines of the period; claim_id order within a group; written atomically."""
    groups = max(1, -(-claims.num_rows // rows_per_group))
    keys = pl.Series(claims.column("person_key").combine_chunks()).hash(2569) % groups
    return engine_runs.write_row_groups(claims, path, keys.cast(pl.Int64).to_arrow())


def compute_fee(*, actor: Any, run: PaymentRun, claims: pa.Table | None = None, prior: pa.Table | None = None,
                workers: int = 1, progress: Any = None, rows_per_group: int = ROWS_PER_GROUP) -> PaymentRun:
    """Price a fee run's itemised lines on the engine and pay each once. `claims` None: the run's stored claims,
    with what other fee runs paid as `prior`; otherwise `claims` and `prior` as given (read the first time only)."""
    for _attempt in range(5):
        stage = partial(start_fee_pricing, actor=actor, run=run, claims=claims, prior=prior,
                        rows_per_group=rows_per_group)
        run = engine_runs.compute(actor=actor, run=run, stage=stage, record=record_fee, workers=workers,
                                  progress=progress)
        if run.computed_at is not None:
            return run
        # record_fee let go of the engine run: another fee run paid the same people meanwhile; price again
    raise DomainError(PaymentError.CHANGED_MEANWHILE)


@transaction.atomic
def start_fee_pricing(*, actor: Any, run: PaymentRun, claims: pa.Table | None, prior: pa.Table | None,
                      rows_per_group: int = ROWS_PER_GROUP) -> PaymentRun:
    """Step 1: stage the lines (and what other runs paid) and start the engine run linked to the payment run."""
    from openuhc.engine import runner
    from openuhc.registry.models import Scheme

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    if services._check_may_compute(actor, run, PaymentRun.Kind.FEE) is not None or run.engine_run:
        return run
    version = in_force(run.scheme.code, run.period)
    params: dict[str, Any] = {"config": version.data}
    if claims is None:
        # Caps count what other fee runs paid the same person: they take turns on the scheme's row while reading
        # it (PostgreSQL; SQLite lets one writer in at a time), and recording checks it did not change since.
        Scheme.objects.select_for_update().filter(pk=run.scheme_id).first()
        claims = fee_claims_table(run, {item.code for item in version.config.fee_items})
        prior = prior_table(run)
        params["prior_checksum"] = prior_checksum(prior)
    services._check_claims_belong(claims, run)
    if not claims.num_rows:
        return services.record_claims(run, actor=actor, version=version, claim_type=ClaimPayment.ClaimType.FEE,
                                      lines=[], detail_keys=FEE_DETAIL, summary={"lines": 0, "paid_lines": 0})
    # A new name per staging: an engine run let go of (see record_fee) keeps its own input.
    stem = runner.runs_dir() / "payment" / f"run-{run.pk}-fee-{uuid.uuid4().hex[:8]}"
    source = write_fee_input(claims, stem.with_suffix(".parquet"), rows_per_group)
    if prior is not None and prior.num_rows:
        params["prior"] = str(stem.with_name(f"{stem.name}-prior.parquet"))
        pq.write_table(prior, params["prior"])
    return engine_runs.start_engine(run, source, function="payment.price_fee", params=params, version=version,
                                    title=f"payment run {run.pk}: price {claims.num_rows} fee-schedule lines",
                                    actor=actor)


@transaction.atomic
def record_fee(*, actor: Any, run: PaymentRun, engine: Any) -> PaymentRun:
    """Step 3: pay the priced lines once (in claim_id order, as priced in one piece) and write the run's totals."""
    from openuhc.registry.models import Scheme

    run = engine_runs.lock_for_record(run)
    if run.computed_at is not None:
        return run
    lines = engine_runs.priced_lines(run, engine)
    if "prior_checksum" in engine.params:
        Scheme.objects.select_for_update().filter(pk=run.scheme_id).first()
        if prior_checksum(prior_table(run)) != engine.params["prior_checksum"]:
            PaymentRun.objects.filter(pk=run.pk, engine_run=str(engine.pk)).update(engine_run="")
            run.engine_run = ""
            return run
    lines.sort(key=lambda line: line["claim_id"])
    return services.record_claims(run, actor=actor, version=run.budget_version,
                                  claim_type=ClaimPayment.ClaimType.FEE, lines=lines, detail_keys=FEE_DETAIL,
                                  summary={"lines": len(lines),
                                           "paid_lines": sum(1 for line in lines if line["amount"] > 0)})
