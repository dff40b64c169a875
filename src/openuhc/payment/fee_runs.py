"""Fee-schedule rounds: every unpaid itemised line (ADP row, `claims.Item`) of the region's claims received up to
the round's cut-off whose code is an item of the fee schedule of its service's fiscal year, priced with the caps
per person, item and period, each line paid once.

Payable lines: those of OP visits that are accepted (or already priced or paid for other lines), and those of
admissions once the admission itself is priced or paid (an admission is locked from then on, so a line paid on it
cannot come back under a resubmission). A visit whose line a round priced becomes "priced" in the same
transaction — locked: the same SEQ sent again is refused (142) instead of replacing a paid visit — and "paid"
when the round is published. What other fee rounds of the scheme paid in the same fiscal years (any region)
counts against the caps (`prior`). The line's `ClaimPayment` has the item's id as claim_id, under the same
partial unique index as inpatient claims.

Pricing runs on the batch engine (`engine_runs`: stage → engine → record, each step safe to repeat): the lines are
staged as Parquet with one row group per group of people (a hash of person_key), so that all of a person's lines
fall in one chunk, with what earlier rounds paid staged next to them.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from openuhc.budget.services import in_force
from openuhc.core.dates import fiscal_year, fiscal_year_bounds
from openuhc.core.errors import DomainError
from openuhc.payment import engine_runs, workflow
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import ClaimPayment, PaymentRun

FEE = ClaimPayment.ClaimType.FEE
MONEY = pa.decimal128(16, 2)
QUANTITY = pa.decimal128(12, 3)
# About this many lines per row group (so per engine chunk): a group of people priced at once, to bound memory.
ROWS_PER_GROUP = 50_000
FEE_DETAIL = ("claim", "item", "quantity", "paid_quantity", "price", "reason", "period", "person_key", "service_date",
              "received")
TYPES = {"claim_id": pa.int64(), "claim": pa.int64(), "hcode": pa.string(), "region": pa.int64(),
         "fiscal_year": pa.int64(), "service_date": pa.date32(), "person_key": pa.string(), "item": pa.string(),
         "quantity": QUANTITY, "age": pa.int64(), "sex": pa.int64(), "received": pa.date32()}


def person_key(claim: Any) -> str:
    """A pseudonymous key for caps per person: the registry's person id, else the unit's HN (never the CID)."""
    if claim.person_id:
        return f"p{claim.person_id}"
    return f"hn:{claim.unit.code}:{claim.hn}"


def _payable(run: PaymentRun) -> Any:
    """The round's candidate lines: on current, payable claims of the region received by the cut-off, unpaid."""
    from openuhc.claims.models import Claim, Item

    statuses = Claim.Status
    payable = (Q(claim__kind=Claim.Kind.OP, claim__status__in=(statuses.ACCEPTED, statuses.PRICED, statuses.PAID))
               | Q(claim__kind=Claim.Kind.IP, claim__status__in=(statuses.PRICED, statuses.PAID)))
    paid = ClaimPayment.objects.filter(claim_type=FEE, is_adjustment=False, claim_id=OuterRef("pk"))
    return (Item.objects.filter(payable, claim__is_current=True, claim__service_date__isnull=False,
                                claim__unit__subdistrict__district__province__region=run.region,
                                claim__submission__received_at__lt=workflow.received_before(run.cutoff))
            .exclude(Exists(paid)))


def schedules(run: PaymentRun) -> tuple[dict[int, Any], dict[str, dict[str, int]]]:
    """The configuration (version) of each fiscal year the round's candidate lines fall in, as in force on the
    cut-off; years without one are held back ({"no_configuration": {fy: lines}})."""
    span = _payable(run).aggregate(first=Min("claim__service_date"), last=Max("claim__service_date"))
    versions: dict[int, Any] = {}
    held: dict[str, dict[str, int]] = {}
    if span["first"] is None:
        return versions, held
    for fy in range(fiscal_year(span["first"]), fiscal_year(span["last"]) + 1):
        try:
            versions[fy] = workflow.version_for_year(run.scheme.code, fy, run.cutoff)
        except DomainError:
            start, end = fiscal_year_bounds(fy)
            count = _payable(run).filter(claim__service_date__range=(start, end)).count()
            if count:
                held.setdefault("no_configuration", {})[str(fy)] = count
    return versions, held


def fee_claims_table(run: PaymentRun, codes: dict[int, set[str]]) -> pa.Table:
    """The round's itemised lines whose code is a fee-schedule item of their year (`codes`: fiscal year → item
    codes); columns as docs/payment.md, plus `claim`, `fiscal_year` and `received`."""
    every = set().union(*codes.values()) if codes else set()
    items = _payable(run).filter(code__in=every).select_related("claim__unit", "claim__submission").order_by("id")
    rows: dict[str, list[Any]] = {k: [] for k in TYPES}
    for item in items.iterator(chunk_size=2000):
        claim = item.claim
        fy = fiscal_year(claim.service_date)
        if item.code not in codes.get(fy, set()):
            continue
        quantity = item.quantity if item.quantity is not None else Decimal(1)
        for key, value in (("claim_id", item.pk), ("claim", claim.pk), ("hcode", claim.unit.code),
                           ("region", run.region.number), ("fiscal_year", fy), ("service_date", claim.service_date),
                           ("person_key", person_key(claim)), ("item", item.code), ("quantity", quantity),
                           ("age", claim.age_years), ("sex", claim.sex),
                           ("received", timezone.localdate(claim.submission.received_at))):
            rows[key].append(value)
    return pa.table({k: pa.array(v, TYPES[k]) for k, v in rows.items()})


def prior_table(run: PaymentRun, years: list[int]) -> pa.Table:
    """What other fee rounds of the scheme paid in the round's fiscal years (caps count across rounds and
    regions)."""
    lines = (ClaimPayment.objects.filter(claim_type=FEE, is_adjustment=False, run__scheme=run.scheme,
                                         fiscal_year__in=years).exclude(run=run).values_list("detail", "gross"))
    rows: dict[str, list[Any]] = {"person_key": [], "item": [], "period": [], "quantity": [], "amount": []}
    for detail, gross in lines.iterator(chunk_size=5000):
        if not detail.get("person_key") or detail.get("period") is None:
            continue
        rows["person_key"].append(str(detail["person_key"]))
        rows["item"].append(str(detail["item"]))
        rows["period"].append(int(detail["period"]))
        rows["quantity"].append(Decimal(str(detail.get("paid_quantity") or 0)))
        rows["amount"].append(Decimal(gross))
    return pa.table({"person_key": pa.array(rows["person_key"], pa.string()),
                     "item": pa.array(rows["item"], pa.string()), "period": pa.array(rows["period"], pa.int64()),
                     "quantity": pa.array(rows["quantity"], QUANTITY), "amount": pa.array(rows["amount"], MONEY)})


def prior_checksum(prior: pa.Table) -> str:
    """What other rounds had paid when a round was staged (order-free): recording compares it with what they paid by
    then, because a fee round that recorded meanwhile changes what is left under the caps."""
    return workflow.lines_checksum(sorted("|".join(map(str, row.values())) for row in prior.to_pylist()))


def write_fee_input(claims: pa.Table, path: Path, rows_per_group: int = ROWS_PER_GROUP) -> Path:
    """The engine's input: one Parquet row group per group of people (a hash of person_key), so a chunk holds all
    of a person's lines of the period; claim_id order within a group; written atomically."""
    groups = max(1, -(-claims.num_rows // rows_per_group))
    keys = pl.Series(claims.column("person_key").combine_chunks()).hash(2569) % groups
    return engine_runs.write_row_groups(claims, path, keys.cast(pl.Int64).to_arrow())


def compute_fee(*, actor: Any, run: PaymentRun, claims: pa.Table | None = None, prior: pa.Table | None = None,
                workers: int = 1, progress: Any = None, rows_per_group: int = ROWS_PER_GROUP) -> PaymentRun:
    """Price a fee round's itemised lines on the engine and pay each once. `claims` None: the stored lines, with
    what other fee rounds paid as `prior`; otherwise `claims` and `prior` as given (read the first time only)."""
    stage = partial(start_fee_pricing, actor=actor, run=run, claims=claims, prior=prior,
                    rows_per_group=rows_per_group)
    return engine_runs.compute(actor=actor, run=run, stage=stage, record=record_fee, workers=workers,
                               progress=progress)


def _lock_scheme(run: PaymentRun) -> None:
    """Fee rounds of a scheme take turns between reading what the others paid (caps) and recording (PostgreSQL;
    SQLite lets one writer in at a time)."""
    from openuhc.registry.models import Scheme

    Scheme.objects.select_for_update().filter(pk=run.scheme_id).first()


@transaction.atomic
def start_fee_pricing(*, actor: Any, run: PaymentRun, claims: pa.Table | None, prior: pa.Table | None,
                      rows_per_group: int = ROWS_PER_GROUP) -> PaymentRun:
    """Step 1: stage the lines (and what other rounds paid) and start the engine run linked to the round."""
    from openuhc.engine import runner

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    if workflow.check_may_compute(actor, run, PaymentRun.Kind.FEE) is not None or run.engine_run:
        return run
    stored = claims is None
    held: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if claims is None:
        _lock_scheme(run)
        versions, held = schedules(run)
        claims = fee_claims_table(run, {fy: {i.code for i in v.config.fee_items} for fy, v in versions.items()})
        prior = prior_table(run, sorted(versions))
        extra["prior_checksum"] = prior_checksum(prior)
    else:
        if "fiscal_year" not in claims.column_names:
            claims = claims.append_column("fiscal_year", pa.array(
                [fiscal_year(d) for d in claims.column("service_date").to_pylist()], pa.int64()))
        versions = {fy: workflow.version_for_year(run.scheme.code, fy, run.cutoff)
                    for fy in sorted(set(claims.column("fiscal_year").to_pylist()))}
    regions = set(claims.column("region").to_pylist()) if "region" in claims.column_names else set()
    if regions - {run.region.number}:
        raise DomainError(PaymentError.NO_BUDGET, region=sorted(regions - {run.region.number})[0],
                          month=f"FY{run.fiscal_year}")
    years = sorted({int(y) for y in claims.column("fiscal_year").to_pylist()})
    version = versions.get(run.fiscal_year) or (versions[years[-1]] if years else in_force(run.scheme.code,
                                                                                            run.cutoff))
    if not claims.num_rows:
        return workflow.record_lines(run, actor=actor, version=version, claim_type=FEE, lines=[],
                                     detail_keys=FEE_DETAIL, summary={"lines": 0, "paid_lines": 0, "held": held,
                                                                      "stored": stored})
    # A new name per staging: an engine run let go of (see record_fee) keeps its own input.
    stem = runner.runs_dir() / "payment" / f"run-{run.pk}-fee-{uuid.uuid4().hex[:8]}"
    source = write_fee_input(claims, stem.with_suffix(".parquet"), rows_per_group)
    params: dict[str, Any] = {"years": {str(fy): versions[fy].data for fy in years}, "stored": stored,
                              "held": held, "fy_start_month": settings.OPENUHC_FISCAL_YEAR_START_MONTH, **extra}
    if prior is not None and prior.num_rows:
        params["prior"] = str(stem.with_name(f"{stem.name}-prior.parquet"))
        pq.write_table(prior, params["prior"])
    return engine_runs.start_engine(run, source, function="payment.price_fee", params=params, version=version,
                                    title=f"payment round {run.pk}: price {claims.num_rows} fee-schedule lines",
                                    actor=actor)


def _stale(run: PaymentRun, engine: Any, lines: list[dict[str, Any]]) -> bool:
    """Whether another fee round recorded meanwhile (what the caps count changed) or, for stored lines, one of them
    was paid or its claim replaced since staging."""
    from openuhc.claims.models import Claim

    if "prior_checksum" in engine.params:
        years = sorted(int(y) for y in engine.params["years"])
        if prior_checksum(prior_table(run, years)) != engine.params["prior_checksum"]:
            return True
    if not engine.params.get("stored"):
        return False
    ids = [line["claim_id"] for line in lines]
    if ClaimPayment.objects.filter(claim_type=FEE, is_adjustment=False, claim_id__in=ids).exclude(run=run).exists():
        return True
    claims = {line["claim"] for line in lines}
    return Claim.objects.filter(pk__in=claims, is_current=True).count() != len(claims)


@transaction.atomic
def record_fee(*, actor: Any, run: PaymentRun, engine: Any) -> PaymentRun:
    """Step 3: pay the priced lines once (in claim_id order, as priced in one piece), write the totals and lock the
    visits priced — or let the engine run go when what it was priced against changed meanwhile."""
    from openuhc.claims.lifecycle import mark_priced

    run = engine_runs.lock_for_record(run)
    if run.computed_at is not None:
        return run
    if "prior_checksum" in engine.params:
        _lock_scheme(run)
    lines = engine_runs.priced_lines(run, engine)
    if _stale(run, engine, lines):
        return engine_runs.release(run, engine)
    lines.sort(key=lambda line: line["claim_id"])
    summary = {"lines": len(lines), "paid_lines": sum(1 for line in lines if line["amount"] > 0),
               "held": engine.params.get("held", {}), "stored": bool(engine.params.get("stored"))}
    run = workflow.record_lines(run, actor=actor, version=run.budget_version, claim_type=FEE, lines=lines,
                                detail_keys=FEE_DETAIL, summary=summary)
    if summary["stored"]:
        mark_priced(sorted({line["claim"] for line in lines}), actor=actor, round_id=run.pk)
    return run


def published(*, actor: Any, run: PaymentRun) -> None:
    """A published fee round's visits are paid (an admission is paid by its inpatient round)."""
    from openuhc.claims.lifecycle import mark_paid
    from openuhc.claims.models import Claim

    if not run.summary.get("stored"):
        return
    claims = {int(d["claim"]) for d in run.claim_payments.filter(is_adjustment=False).values_list("detail", flat=True)
              if d.get("claim")}
    visits = Claim.objects.filter(pk__in=claims, kind=Claim.Kind.OP).values_list("pk", flat=True)
    mark_paid(list(visits), actor=actor, round_id=run.pk)


ROUND = workflow.RoundKind(PaymentRun.Kind.FEE, compute_fee, published)
