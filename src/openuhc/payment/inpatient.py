"""Inpatient rounds: every grouped, unpaid admission of the region received up to the round's cut-off, whatever
its discharge month, priced on the batch engine and paid once.

Each admission is charged to the global budget of its discharge's fiscal year, with that year's configuration
(base rate, late-submission steps, multipliers, deductions) as in force on the cut-off; it carries its
late-submission percentage from the days between discharge and receipt; the round's rate for a year is the base
rate unless what is left of the year's regional budget cannot pay the round at it (then it floats down: the
budget is never exceeded). Year-end reconciliation later settles every claim of the year at the final rate.
Admissions whose year has no configuration yet, or whose year was reconciled already, are held (the round's
summary counts them). Three steps on the engine (`engine_runs`): stage → price → record; the claims become
"priced" with the lines, and "paid" when the round is published.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from openuhc.budget.services import in_force
from openuhc.core import params
from openuhc.core.dates import fiscal_year
from openuhc.core.errors import DomainError
from openuhc.payment import engine_runs, owners, workflow
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import ClaimPayment, PaymentRun

IP = ClaimPayment.ClaimType.IP
KEEP = ("drg", "rw", "exact", "service_month", "late_days", "ccuf", "multiplier_code", "discharged", "received")
IP_DETAIL = ("drg", "rw", "exact", "adjrw", "ccuf", "multiplier_code", "adjrw2", "late_days", "late_percent", "rate",
             "reasons", "is_public", "discharged", "received", "service_month")
COLUMNS = {"claim_id": pa.int64(), "hcode": pa.string(), "region": pa.int64(), "fiscal_year": pa.int64(),
           "service_month": pa.int64(), "adjrw": pa.float64(), "late_days": pa.int64(), "ccuf": pa.float64(),
           "multiplier_code": pa.string(), "rti_amount": pa.decimal128(16, 2), "drg": pa.string(), "rw": pa.string(),
           "exact": pa.bool_(), "discharged": pa.date32(), "received": pa.date32()}


def year_closed(run: PaymentRun, fy: int) -> bool:
    """Whether the region's year `fy` was reconciled (a computed year-end round): its claims are settled."""
    return PaymentRun.objects.filter(scheme=run.scheme, region=run.region, kind=PaymentRun.Kind.YEAR_END,
                                     fiscal_year=fy, computed_at__isnull=False).exists()


def spent(run: PaymentRun, fy: int) -> Decimal:
    """What other rounds of the region charged to year `fy`'s inpatient budget."""
    total = (ClaimPayment.objects.filter(claim_type=IP, is_adjustment=False, fiscal_year=fy, run__scheme=run.scheme,
                                         run__region=run.region).exclude(run=run).aggregate(s=Sum("gross"))["s"])
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def _rti(claim: Any, column: str) -> Decimal:
    raw = (claim.extra or {}).get(column) if column else None
    if raw in (None, ""):
        return Decimal("0.00")
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise DomainError(PaymentError.BAD_RTI, an=claim.key, hcode=claim.unit.code, value=raw, column=column)
    return value


def ip_claims_table(run: PaymentRun) -> tuple[pa.Table, dict[str, dict[str, int]]]:
    """The round's admissions (columns: docs/payment.md) and those held back: {reason: {fiscal year: count}}."""
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import latest_adjrw

    paid = ClaimPayment.objects.filter(claim_type=IP, is_adjustment=False, claim_id=OuterRef("pk"))
    claims = list(Claim.objects.filter(
        kind=Claim.Kind.IP, is_current=True, status=Claim.Status.GROUPED,
        unit__subdistrict__district__province__region=run.region,
        submission__received_at__lt=workflow.received_before(run.cutoff),
    ).exclude(Exists(paid)).select_related("unit", "submission").order_by("id"))
    groupings = latest_adjrw([c.pk for c in claims])
    rows: dict[str, list[Any]] = {k: [] for k in COLUMNS}
    held: dict[str, dict[str, int]] = {}
    why_held: dict[int, str] = {}  # fiscal year → "" (payable), "year_closed" or "no_configuration"
    per_day: dict[Any, tuple[dict[str, Any], dict[str, Any]]] = {}  # discharge date → (CCUF, multiplier) by unit
    error_drgs: dict[Any, dict[str, Any]] = {}  # discharge date → claims.error_drgs
    rti_column = params.get("payment.rti_column", on=run.cutoff, scheme=run.scheme.code)
    for claim in claims:
        grouping = groupings.get(claim.pk)
        discharged = claim.discharge_date
        if grouping is None or grouping.adjrw is None or discharged is None:
            continue
        if discharged not in error_drgs:
            error_drgs[discharged] = params.get("claims.error_drgs", on=discharged) or {}
        if (grouping.drg or "").strip() in error_drgs[discharged]:
            continue  # never priced at 0: an error DRG rejects the claim (claims.lifecycle)
        fy = fiscal_year(discharged)
        if fy not in why_held:
            why_held[fy] = ("year_closed" if year_closed(run, fy)
                            else "" if _has_version(run, fy) else "no_configuration")
        if why_held[fy]:
            held.setdefault(why_held[fy], {}).setdefault(str(fy), 0)
            held[why_held[fy]][str(fy)] += 1
            continue
        received = timezone.localdate(claim.submission.received_at)
        if discharged not in per_day:
            per_day[discharged] = (params.get("payment.ccuf", on=discharged, scheme=run.scheme.code) or {},
                                   params.get("payment.unit_multipliers", on=discharged, scheme=run.scheme.code) or {})
        ccuf, multiplier = (per_day[discharged][0].get(claim.unit.code), per_day[discharged][1].get(claim.unit.code))
        for name, value in (("claim_id", claim.pk), ("hcode", claim.unit.code), ("region", run.region.number),
                            ("fiscal_year", fy), ("service_month", discharged.year * 100 + discharged.month),
                            ("adjrw", float(grouping.adjrw)), ("late_days", max(0, (received - discharged).days)),
                            ("ccuf", float(Decimal(str(ccuf))) if ccuf not in (None, "") else None),
                            ("multiplier_code", str(multiplier) if multiplier else None),
                            ("rti_amount", _rti(claim, rti_column)), ("drg", grouping.drg),
                            ("rw", str(grouping.rw) if grouping.rw is not None else None), ("exact", grouping.exact),
                            ("discharged", discharged), ("received", received)):
            rows[name].append(value)
    return pa.table({k: pa.array(v, COLUMNS[k]) for k, v in rows.items()}), held


def _has_version(run: PaymentRun, fy: int) -> bool:
    try:
        workflow.version_for_year(run.scheme.code, fy, run.cutoff)
    except DomainError:
        return False
    return True


def write_ip_input(claims: pa.Table, path: Any) -> Any:
    """The engine's input: one Parquet row group per (region, budget year) — the round's rate for a year depends
    on all its claims, and a chunk is whole row groups — claims in claim_id order; written atomically."""
    import pyarrow.compute as pc

    keys = pc.add(pc.multiply(claims.column("region").cast(pa.int64()), 10_000),
                  claims.column("fiscal_year").cast(pa.int64()))
    return engine_runs.write_row_groups(claims, path, keys)


def _lock_region(run: PaymentRun) -> None:
    """Rounds of a region take turns between reading what its budgets have left and recording what they spent."""
    from openuhc.geo.models import Region

    Region.objects.select_for_update().filter(pk=run.region_id).first()


@transaction.atomic
def start_ip_pricing(*, actor: Any, run: PaymentRun, claims: pa.Table | None) -> PaymentRun:
    """Step 1: the round's admissions as the engine's input, with each budget year's configuration and what is
    left of its budget; the engine run linked to the round."""
    from openuhc.engine import runner

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    if workflow.check_may_compute(actor, run, PaymentRun.Kind.IP) is not None or run.engine_run:
        return run
    _lock_region(run)
    stored = claims is None
    held: dict[str, Any] = {}
    if claims is None:
        claims, held = ip_claims_table(run)
    if "fiscal_year" not in claims.column_names and "service_month" in claims.column_names:
        claims = claims.append_column("fiscal_year", pa.array(
            [fiscal_year(date(m // 100, m % 100, 1)) for m in claims.column("service_month").to_pylist()],
            pa.int64()))
    regions = set(claims.column("region").to_pylist()) if "region" in claims.column_names else set()
    if regions - {run.region.number}:
        raise DomainError(PaymentError.NO_BUDGET, region=sorted(regions - {run.region.number})[0],
                          month=f"FY{run.fiscal_year}")
    years = sorted({int(y) for y in claims.column("fiscal_year").to_pylist()}) if claims.num_rows else []
    versions = {fy: workflow.version_for_year(run.scheme.code, fy, run.cutoff) for fy in years}
    version = versions.get(run.fiscal_year) or (versions[years[-1]] if years else in_force(run.scheme.code,
                                                                                            run.cutoff))
    if "is_public" not in claims.column_names:
        units = workflow.units_by_code(set(claims.column("hcode").to_pylist())) if claims.num_rows else {}
        public = owners.public_units([u.pk for u in units.values()], on=run.cutoff, scheme=run.scheme.code)
        claims = claims.append_column("is_public", pa.array(
            [public[units[c].pk] for c in claims.column("hcode").to_pylist()], pa.bool_()))
    if not claims.num_rows:
        return workflow.record_lines(run, actor=actor, version=version, claim_type=IP, lines=[],
                                     detail_keys=IP_DETAIL, summary={"years": [], "held": held, "stored": stored})
    plan: dict[str, Any] = {}
    for fy in years:
        budget = versions[fy].config.ip_budget(run.region.number)
        if budget is None:
            raise DomainError(PaymentError.NO_BUDGET, region=run.region.number, month=f"FY{fy}")
        used = spent(run, fy)
        plan[str(fy)] = {"config": versions[fy].data, "version": str(versions[fy]), "budget": str(budget),
                         "spent": str(used), "left": {str(run.region.number): str(max(budget - used, Decimal(0)))}}
    source = write_ip_input(claims, runner.runs_dir() / "payment" / f"run-{run.pk}-ip.parquet")
    return engine_runs.start_engine(run, source, function="payment.price_ip",
                                    params={"years": plan, "stored": stored, "held": held}, version=version,
                                    title=f"payment round {run.pk}: price {claims.num_rows} admissions", actor=actor)


def _stale(run: PaymentRun, engine: Any, lines: list[dict[str, Any]]) -> bool:
    """Whether what the round was priced against changed since staging: another round charged the same years'
    budgets, or (stored claims) paid, replaced or moved one of its admissions."""
    from openuhc.claims.models import Claim

    for fy, plan in engine.params["years"].items():
        if spent(run, int(fy)) != Decimal(plan["spent"]):
            return True
    if not engine.params.get("stored"):
        return False  # a table given by the caller: a claim paid elsewhere is refused whole (payment_already_paid)
    ids = [line["claim_id"] for line in lines]
    if ClaimPayment.objects.filter(claim_type=IP, is_adjustment=False, claim_id__in=ids).exclude(run=run).exists():
        return True
    return Claim.objects.filter(pk__in=ids, is_current=True, status=Claim.Status.GROUPED).count() != len(set(ids))


@transaction.atomic
def record_ip(*, actor: Any, run: PaymentRun, engine: Any) -> PaymentRun:
    """Step 3: pay the priced lines once, write the totals, and move the admissions to "priced" — or, if the
    round was priced against something that changed meanwhile, let the engine run go to price it again."""
    from openuhc.claims.lifecycle import mark_priced

    run = engine_runs.lock_for_record(run)
    if run.computed_at is not None:
        return run
    _lock_region(run)
    lines = engine_runs.priced_lines(run, engine, keep=KEEP)
    if _stale(run, engine, lines):
        return engine_runs.release(run, engine)
    summary = ip_summary(lines, engine.params)
    run = workflow.record_lines(run, actor=actor, version=run.budget_version, claim_type=IP, lines=lines,
                                detail_keys=IP_DETAIL, summary=summary)
    if summary["stored"]:
        mark_priced([line["claim_id"] for line in lines], actor=actor, round_id=run.pk)
    return run


def ip_summary(lines: list[dict[str, Any]], plan: dict[str, Any]) -> dict[str, Any]:
    """Per budget year: claims, payable AdjRW, the year's budget, what earlier rounds spent, what was left, the
    rate paid (and whether it floated), the total; and the admissions held back, by reason and year."""
    years: dict[int, dict[str, Any]] = {}
    for line in lines:
        fy = int(line["fiscal_year"])
        year = years.setdefault(fy, {"fiscal_year": fy, "region": int(line["region"]), "claims": 0,
                                     "adjrw": Decimal(0), "total": Decimal(0), "rate": line["rate"],
                                     "floated": "RATE_FLOATED" in (line.get("reasons") or ""), "late": 0})
        year["claims"] += 1
        year["late"] += 1 if "LATE" in (line.get("reasons") or "") else 0
        year["adjrw"] += workflow.payable_adjrw(line)
        year["total"] += line["amount"]
    for fy, year in years.items():
        info = plan["years"][str(fy)]
        year.update(budget=info["budget"], spent=info["spent"], left=info["left"][str(year["region"])],
                    version=info["version"])
        for key in ("adjrw", "total", "rate"):
            year[key] = str(year[key])
    return {"years": [years[fy] for fy in sorted(years)], "held": plan.get("held", {}),
            "stored": bool(plan.get("stored"))}


def compute_ip(*, actor: Any, run: PaymentRun, claims: pa.Table | None = None, workers: int = 1,
               progress: Any = None) -> PaymentRun:
    """Price the round's admissions on the batch engine and pay each once (`claims` None: the stored, grouped,
    unpaid admissions received by the cut-off; otherwise the table given, read the first time only). Safe to call
    again after a crash: the engine run resumes; the lines are the same bytes."""
    stage = partial(start_ip_pricing, actor=actor, run=run, claims=claims)
    return engine_runs.compute(actor=actor, run=run, stage=stage, record=record_ip, workers=workers,
                               progress=progress)


def published(*, actor: Any, run: PaymentRun) -> None:
    """A published round's admissions are paid."""
    from openuhc.claims.lifecycle import mark_paid

    if run.summary.get("stored"):
        ids = run.claim_payments.filter(is_adjustment=False).values_list("claim_id", flat=True)
        mark_paid(list(ids), actor=actor, round_id=run.pk)


ROUND = workflow.RoundKind(PaymentRun.Kind.IP, compute_ip, published)
