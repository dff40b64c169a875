"""Payment services: start a run, compute it, move it through its workflow, pay claims exactly once.

Every function here is one state change: `@transaction.atomic`, keyword-only `actor=`, an append-only
`RunEvent` in the same transaction, compare-and-set on the run's status. Money rounding: `core.money`
(half-up to the satang where an amount becomes payable; `allocate` splits totals into lines).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import Scope
from openuhc.budget.services import in_force
from openuhc.core import params
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, format_date
from openuhc.core.errors import DomainError
from openuhc.core.money import allocate, baht
from openuhc.payment import pricing
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import CapitationLine, ClaimPayment, PaymentRun, RunEvent, UnitPayment

Status = PaymentRun.Status
Kind = PaymentRun.Kind

# status → (next status, event action, roles allowed, English verb, Thai verb)
STEPS: dict[str, tuple[str, str, frozenset[str], str, str]] = {
    Status.DRAFT: (Status.CHECKED, RunEvent.Action.CHECKED, frozenset({Role.NATIONAL, Role.REGIONAL}), "checked",
                   "ตรวจสอบ"),
    Status.CHECKED: (Status.APPROVED, RunEvent.Action.APPROVED, frozenset({Role.NATIONAL}), "approved", "อนุมัติ"),
    Status.APPROVED: (Status.PUBLISHED, RunEvent.Action.PUBLISHED, frozenset({Role.NATIONAL}), "published",
                      "เผยแพร่"),
}
STATUS_TH = {Status.DRAFT: "ร่าง", Status.CHECKED: "ตรวจสอบแล้ว", Status.APPROVED: "อนุมัติแล้ว",
             Status.PUBLISHED: "เผยแพร่แล้ว"}
START_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL})


def _scope(actor: Any) -> Scope:
    return Scope.of(actor) if actor is not None else Scope(user=None, role=Role.NATIONAL)


def may_work_on(scope: Scope, region: Any, roles: frozenset[str]) -> bool:
    """National officers work on every region's runs, regional officers on their own region's."""
    if scope.role not in roles:
        return False
    return scope.role == Role.NATIONAL or (scope.role == Role.REGIONAL and scope.region is not None
                                          and scope.region.pk == getattr(region, "pk", region))


def _event(run: PaymentRun, action: str, from_status: str, to_status: str, actor: Any, note: str = "") -> RunEvent:
    return RunEvent.objects.create(run=run, action=action, from_status=from_status, to_status=to_status, actor=actor,
                                   note=note)


# --- starting a run ---------------------------------------------------------------------------------------

def start_run(*, actor: Any, scheme: Any, region: Any, period: date, kind: str, corrects: PaymentRun | None = None,
              note: str = "") -> PaymentRun:
    """Open a draft run. A second run of the same (scheme, region, period, kind) is refused by the database."""
    if period.day != 1:
        raise DomainError(PaymentError.BAD_PERIOD)
    if kind == Kind.YEAR_END:
        last = fiscal_year_months(fiscal_year(period))[-1]
        if period != last:
            raise DomainError(PaymentError.YEAR_END_PERIOD, fy=fiscal_year(period), month=last.strftime("%Y-%m"))
    if not may_work_on(_scope(actor), region, START_ROLES):
        raise DomainError(PaymentError.NOT_ALLOWED, action="start", action_th="เริ่ม")
    if kind == Kind.ADJUSTMENT:
        if corrects is None or corrects.status != Status.PUBLISHED:
            raise DomainError(PaymentError.ADJUSTMENT_TARGET, run=getattr(corrects, "pk", "-"),
                              status=getattr(corrects, "status", "-"))
    else:
        corrects = None
    try:
        with transaction.atomic():
            run = PaymentRun.objects.create(scheme=scheme, region=region, period=period, kind=kind, corrects=corrects,
                                            created_by=actor)
            _event(run, RunEvent.Action.STARTED, "", Status.DRAFT, actor, note)
            return run
    except IntegrityError:
        # The unique constraint payment_one_run_per_period: someone has (or had, at the same moment) this run.
        existing = PaymentRun.objects.filter(scheme=scheme, region=region, period=period, kind=kind).first()
        params_ = {"kind": kind, "scheme": scheme.code, "region": region.number, "period": period.strftime("%Y-%m")}
        if existing is None:
            raise DomainError(PaymentError.RUN_STARTED_MEANWHILE, **params_) from None
        raise DomainError(PaymentError.RUN_EXISTS, run=existing.pk, **params_) from None


# --- the workflow ------------------------------------------------------------------------------------------

def _last_actor(run: PaymentRun, actions: tuple[str, ...]) -> Any:
    event = run.events.filter(action__in=actions).order_by("-at", "-id").first()
    return event.actor_id if event else None


def four_eyes_problem(run: PaymentRun, actor: Any) -> DomainError | None:
    """With four eyes on, whoever did the previous step (compute, check, approve) may not do the next one."""
    if actor is None or run.status not in STEPS or not params.get("payment.four_eyes", on=run.period,
                                                                   scheme=run.scheme.code):
        return None
    previous = {Status.DRAFT: RunEvent.Action.COMPUTED, Status.CHECKED: RunEvent.Action.CHECKED,
                Status.APPROVED: RunEvent.Action.APPROVED}[run.status]
    if _last_actor(run, (previous,)) != actor.pk:
        return None
    verb, verb_th = STEPS[run.status][3], STEPS[run.status][4]
    prev_en = {Status.DRAFT: "computed", Status.CHECKED: "checked", Status.APPROVED: "approved"}[run.status]
    prev_th = {Status.DRAFT: "คำนวณ", Status.CHECKED: "ตรวจสอบ", Status.APPROVED: "อนุมัติ"}[run.status]
    return DomainError(PaymentError.SAME_PERSON, action=verb, previous=prev_en, action_th=verb_th, previous_th=prev_th)


@transaction.atomic
def advance(*, actor: Any, run: PaymentRun, note: str = "") -> PaymentRun:
    """Move a run one step on: draft → checked → approved → published (compare-and-set on the status)."""
    run = PaymentRun.objects.select_related("region").get(pk=run.pk)
    if run.status not in STEPS:
        raise DomainError(PaymentError.BAD_STEP, status=run.status, status_th=STATUS_TH[run.status],
                          action="moved on", action_th="ดำเนินการต่อ")
    to_status, action, roles, verb, verb_th = STEPS[run.status]
    if not may_work_on(_scope(actor), run.region, roles):
        raise DomainError(PaymentError.NOT_ALLOWED, action=verb.removesuffix("ed").removesuffix("e") or verb,
                          action_th=verb_th)
    if run.computed_at is None:
        raise DomainError(PaymentError.NOT_COMPUTED)
    problem = four_eyes_problem(run, actor)
    if problem is not None:
        raise problem
    changed = PaymentRun.objects.filter(pk=run.pk, status=run.status).update(status=to_status)
    if changed != 1:
        raise DomainError(PaymentError.CHANGED_MEANWHILE)
    _event(run, action, run.status, to_status, actor, note)
    run.status = to_status
    if to_status == Status.PUBLISHED and run.kind == Kind.IP:
        from openuhc.payment.claims_runs import mark_paid

        mark_paid(run, actor=actor)
    return run


def _finish(run: PaymentRun, *, actor: Any, version: Any, units: list[UnitPayment], population: int, claims: int,
            checksum_rows: list[str], summary: dict[str, Any] | None = None) -> PaymentRun:
    """Write the run's totals once (compare-and-set from "not computed") and its COMPUTED event."""
    gross = sum((u.gross for u in units), Decimal(0))
    deductions = sum((u.rti_deduction + u.salary_deduction for u in units), Decimal(0))
    net = sum((u.net for u in units), Decimal(0))
    checksum = lines_checksum(checksum_rows)
    changed = PaymentRun.objects.filter(pk=run.pk, computed_at__isnull=True, status=Status.DRAFT).update(
        computed_at=timezone.now(), budget_version=version, units=len(units), population=population, claims=claims,
        gross=gross, deductions=deductions, net=net, checksum=checksum, summary=summary or {})
    if changed != 1:
        raise DomainError(PaymentError.CHANGED_MEANWHILE)
    _event(run, RunEvent.Action.COMPUTED, Status.DRAFT, Status.DRAFT, actor)
    run.refresh_from_db()
    return run


def _check_may_compute(actor: Any, run: PaymentRun, kind: str) -> PaymentRun | None:
    """None when the run must be computed now; the run itself when it was computed already (nothing to do)."""
    if run.kind != kind:
        raise DomainError(PaymentError.WRONG_KIND, expected=kind, kind=run.kind)
    if not may_work_on(_scope(actor), run.region, START_ROLES):
        raise DomainError(PaymentError.NOT_ALLOWED, action="compute", action_th="คำนวณ")
    if run.computed_at is not None:
        return run  # re-running a computed (or finished) run changes nothing
    if run.status != Status.DRAFT:
        raise DomainError(PaymentError.BAD_STEP, status=run.status, status_th=STATUS_TH[run.status],
                          action="computed", action_th="คำนวณ")
    return None


# --- capitation --------------------------------------------------------------------------------------------

def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def public_owner_kinds(on: date, scheme: str) -> set[str]:
    """Owner kinds whose units have salaries deducted: a JSON list, or text "ministry,other_ministry" from the
    command line."""
    kinds = params.get("payment.salary_owner_kinds", on=on, scheme=scheme) or []
    if isinstance(kinds, str):
        try:
            kinds = json.loads(kinds)
        except ValueError:
            kinds = kinds.split(",")
    if isinstance(kinds, str):
        kinds = [kinds]
    return {str(k).strip() for k in kinds if str(k).strip()}


def _is_public(unit: Any, on: date, scheme: str) -> bool:
    return unit.owner.kind in public_owner_kinds(on, scheme)


def registered_population(*, scheme: Any, region: Any, on: date) -> dict[int, list[date]]:
    """Birth dates of the people covered by `scheme` on `on`, alive, whose registration in force on that day
    has a main unit in a CUP of `region`, by the unit that leads the CUP (the payee)."""
    from openuhc.registry.models import Coverage, Person, Registration

    holders = Coverage.objects.filter(scheme=scheme, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values("person_id")
    covered = Person.objects.filter(pk__in=holders).filter(Q(death_date__isnull=True) | Q(death_date__gte=on))
    in_region = Q(main_unit__cup__main_unit__subdistrict__district__province__region=region)
    by_payee: dict[int, list[date]] = defaultdict(list)
    # Most people's current registration was already in force on that day: read it directly.
    rows = covered.filter(current_registration__effective_from__lte=on).filter(
        current_registration__main_unit__cup__main_unit__subdistrict__district__province__region=region).values_list(
        "birth_date", "current_registration__main_unit__cup__main_unit_id")
    for birth, payee in rows.iterator(chunk_size=5000):
        by_payee[payee].append(birth)
    # People whose current registration started later: their registration in force on that day, from history.
    later = covered.filter(current_registration__effective_from__gt=on).values_list("pk", "birth_date")
    births = dict(later)
    if births:
        history = (Registration.objects.filter(person_id__in=list(births), effective_from__lte=on).filter(in_region)
                   .order_by("person_id", "-effective_from", "-id").values_list("person_id",
                                                                                  "main_unit__cup__main_unit_id"))
        taken: set[int] = set()
        for person_id, payee in history:
            if person_id not in taken:
                taken.add(person_id)
                by_payee[payee].append(births[person_id])
    return by_payee


@dataclass(frozen=True)
class GroupCount:
    code: str
    min_age: int
    max_age: int | None
    weight: Decimal
    population: int


def capitation_amounts(groups: list[GroupCount], per_head_year: Decimal) -> tuple[Decimal, list[Decimal]]:
    """A unit's month: gross = Σ population × weight × per-head amount ÷ 12, rounded half-up to the satang,
    split into the age-group lines in proportion to population × weight (lines sum exactly to gross)."""
    weighted = [Decimal(g.population) * g.weight for g in groups]
    gross = baht(sum(weighted, Decimal(0)) * per_head_year / 12)
    if gross == 0 or sum(weighted, Decimal(0)) == 0:
        return Decimal("0.00"), [Decimal("0.00")] * len(groups)
    return gross, allocate(gross, weighted)


@transaction.atomic
def compute_capitation(*, actor: Any, run: PaymentRun) -> PaymentRun:
    """Count each CUP's registered population by age group on the first day of the month and pay
    population × weight × (capitation per head ÷ 12), minus the salary deduction of public units."""
    from openuhc.providers.models import HealthUnit

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    done = _check_may_compute(actor, run, Kind.CAPITATION)
    if done is not None:
        return done
    version = in_force(run.scheme.code, run.period)
    config = version.config
    by_payee = registered_population(scheme=run.scheme, region=run.region, on=run.period)
    payees = HealthUnit.objects.filter(
        led_cup__isnull=False, subdistrict__district__province__region=run.region).select_related("owner")
    if not payees.exists():
        raise DomainError(PaymentError.NO_UNITS, region=run.region.number)
    salary_percent = config.salary_op_percent
    lines: list[CapitationLine] = []
    units: list[UnitPayment] = []
    checksum_rows: list[str] = []
    population_total = 0
    for unit in payees.order_by("code"):
        counts = dict.fromkeys([g.code for g in config.age_groups], 0)
        for birth, n in Counter(by_payee.get(unit.pk, [])).items():
            group = config.age_group_of(_age(birth, run.period))
            if group is not None:
                counts[group.code] += n
        groups = [GroupCount(g.code, g.min_age, g.max_age, g.weight, counts[g.code]) for g in config.age_groups]
        gross, amounts = capitation_amounts(groups, config.capitation_per_head)
        salary = baht(gross * salary_percent / 100) if _is_public(unit, run.period, run.scheme.code) else Decimal(
            "0.00")
        population = sum(counts.values())
        population_total += population
        units.append(UnitPayment(run=run, unit=unit, population=population, gross=gross, salary_deduction=salary,
                                 net=gross - salary))
        checksum_rows.append(f"{unit.code}|{population}|{gross}|{salary}")
        for group, amount in zip(groups, amounts, strict=True):
            lines.append(CapitationLine(run=run, unit=unit, age_group=group.code, min_age=group.min_age,
                                        max_age=group.max_age, population=group.population, weight=group.weight,
                                        amount=amount))
            checksum_rows.append(f"{unit.code}|{group.code}|{group.population}|{group.weight}|{amount}")
    UnitPayment.objects.bulk_create(units)
    CapitationLine.objects.bulk_create(lines)
    return _finish(run, actor=actor, version=version, units=units, population=population_total, claims=0,
                   checksum_rows=checksum_rows)


# --- claims: priced by the pure functions, paid exactly once -------------------------------------------------

def pay_claims(*, run: PaymentRun, claim_type: str, rows: list[ClaimPayment]) -> None:
    """Insert the paid markers. The partial unique index payment_claim_paid_once lets each claim be paid once:
    if another run (even one committing at this very moment) paid any of them, nothing here is paid."""
    try:
        with transaction.atomic():
            ClaimPayment.objects.bulk_create(rows, batch_size=2000)
    except IntegrityError:
        ids = [r.claim_id for r in rows if not r.is_adjustment]
        taken = ClaimPayment.objects.filter(claim_type=claim_type, claim_id__in=ids, is_adjustment=False).exclude(
            run=run).order_by("claim_id")
        first = taken.first()
        raise DomainError(PaymentError.ALREADY_PAID, count=taken.count() or "?",
                          claim_id=first.claim_id if first else "?", run=first.run_id if first else "?") from None


def _units_by_code(codes: set[str]) -> dict[str, Any]:
    from openuhc.providers.models import HealthUnit

    found = {u.code: u for u in HealthUnit.objects.filter(code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        from openuhc.providers.errors import ProviderError

        raise DomainError(ProviderError.UNKNOWN_UNIT, code=missing[0])
    return found


def lines_checksum(rows: list[str]) -> str:
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def claim_checksum_row(line: dict[str, Any]) -> str:
    """One line of a run's checksum (the statement's claim columns that carry money)."""
    return (f"{line['claim_id']}|{line['hcode']}|{line['amount']}|{line.get('rti', Decimal(0))}|"
            f"{line.get('salary', Decimal(0))}|{line.get('net', line['amount'])}")


def payable_adjrw(line: dict[str, Any]) -> Decimal:
    """AdjRW2 × late % of an IP line (what the month's rate multiplies), 4 places."""
    if line.get("adjrw2") is None or line.get("late_percent") is None:
        return Decimal(0)
    return (Decimal(str(line["adjrw2"])) * Decimal(line["late_percent"]) / 100).quantize(Decimal("0.0001"))


@transaction.atomic
def record_claims(run: PaymentRun, *, actor: Any, version: Any, claim_type: str, lines: list[dict[str, Any]],
                  detail_keys: tuple[str, ...], adjustment: bool = False,
                  summary: dict[str, Any] | None = None) -> PaymentRun:
    """Store priced claim lines (the paid markers; `adjustment`: correction lines, not paid markers) and each
    unit's total, then the run's totals. Called inside the transaction of record_ip / record_fee / year end."""
    units = _units_by_code({line["hcode"] for line in lines})
    rows: list[ClaimPayment] = []
    totals: dict[str, dict[str, Any]] = {}
    checksum_rows = []
    for line in lines:
        gross, rti, salary = line["amount"], line.get("rti", Decimal(0)), line.get("salary", Decimal(0))
        net = line.get("net", gross)
        detail = {k: (str(line[k]) if isinstance(line[k], Decimal | date) else line[k]) for k in detail_keys
                  if k in line}
        rows.append(ClaimPayment(run=run, claim_type=claim_type, claim_id=line["claim_id"], unit=units[line["hcode"]],
                                 is_adjustment=adjustment, gross=gross, rti_deduction=rti, salary_deduction=salary,
                                 net=net, detail=detail))
        total = totals.setdefault(line["hcode"], {"claims": 0, "gross": Decimal(0), "rti": Decimal(0),
                                                  "salary": Decimal(0), "net": Decimal(0), "adjrw": Decimal(0)})
        total["claims"] += 1
        for key, value in (("gross", gross), ("rti", rti), ("salary", salary), ("net", net),
                           ("adjrw", payable_adjrw(line))):
            total[key] += value
        checksum_rows.append(claim_checksum_row(line))
    pay_claims(run=run, claim_type=claim_type, rows=rows)
    unit_rows = [UnitPayment(run=run, unit=units[code], claims=t["claims"], adjrw=t["adjrw"], gross=t["gross"],
                             rti_deduction=t["rti"], salary_deduction=t["salary"], net=t["net"])
                 for code, t in sorted(totals.items())]
    UnitPayment.objects.bulk_create(unit_rows)
    return _finish(run, actor=actor, version=version, units=unit_rows, population=0, claims=len(rows),
                   checksum_rows=checksum_rows, summary=summary)


def _check_claims_belong(table: pa.Table, run: PaymentRun) -> None:
    regions = set(table.column("region").to_pylist()) if "region" in table.column_names else set()
    if regions - {run.region.number}:
        raise DomainError(PaymentError.NO_BUDGET, region=sorted(regions - {run.region.number})[0],
                          month=run.period.strftime("%Y-%m"))


IP_DETAIL = ("drg", "rw", "exact", "adjrw", "adjrw2", "late_percent", "rate", "reasons", "is_public")


def compute_ip(*, actor: Any, run: PaymentRun, claims: pa.Table | None = None, workers: int = 1,
               progress: Any = None) -> PaymentRun:
    """Price a region-month's accepted inpatient claims (columns: docs/payment.md) on the batch engine and pay
    each once: `engine_runs.compute` (stage → engine → record, each step safe to repeat) with
    `start_ip_pricing` (`claims` is only read the first time) and `record_ip`. A compute that was killed anywhere
    is finished by calling compute_ip again; the lines are the same bytes."""
    from openuhc.payment import engine_runs

    return engine_runs.compute(actor=actor, run=run, stage=lambda: start_ip_pricing(actor=actor, run=run,
                                                                                     claims=claims),
                               record=record_ip, workers=workers, progress=progress)


@transaction.atomic
def start_ip_pricing(*, actor: Any, run: PaymentRun, claims: pa.Table | None) -> PaymentRun:
    """Step 1 of compute_ip: the run's claims as the engine's input, one chunk per region-month."""
    from openuhc.payment.claims_runs import start_engine_pricing

    run = PaymentRun.objects.select_for_update().select_related("scheme", "region").get(pk=run.pk)
    done = _check_may_compute(actor, run, Kind.IP)
    if done is not None or run.engine_run:
        return run
    if claims is None:
        from openuhc.payment.claims_runs import ip_claims_table

        claims = ip_claims_table(run)
    version = in_force(run.scheme.code, run.period)
    _check_claims_belong(claims, run)
    units = _units_by_code(set(claims.column("hcode").to_pylist())) if claims.num_rows else {}
    public_kinds = public_owner_kinds(run.period, run.scheme.code)
    if "is_public" not in claims.column_names:
        claims = claims.append_column("is_public", pa.array(
            [units[c].owner.kind in public_kinds for c in claims.column("hcode").to_pylist()], pa.bool_()))
    if not claims.num_rows:
        return record_claims(run, actor=actor, version=version, claim_type=ClaimPayment.ClaimType.IP, lines=[],
                             detail_keys=IP_DETAIL, summary={})
    return start_engine_pricing(run, claims, version=version,
                                months=pricing.fiscal_months(fiscal_year(run.period)), actor=actor)


@transaction.atomic
def record_ip(*, actor: Any, run: PaymentRun, engine: Any) -> PaymentRun:
    """Step 3 of compute_ip: pay the engine's priced lines once and write the run's totals."""
    from openuhc.payment import engine_runs

    run = engine_runs.lock_for_record(run)
    if run.computed_at is not None:
        return run
    lines = engine_runs.priced_lines(run, engine, keep=("drg", "rw", "exact"))
    version = run.budget_version
    rules = pricing.IpRules.from_config(version.config, pricing.fiscal_months(fiscal_year(run.period)))
    return record_claims(run, actor=actor, version=version, claim_type=ClaimPayment.ClaimType.IP, lines=lines,
                         detail_keys=IP_DETAIL, summary=ip_summary(lines, rules))


def ip_summary(lines: list[dict[str, Any]], rules: pricing.IpRules) -> dict[str, Any]:
    """Per region-month: claims, payable AdjRW, the month's budget, the rate paid, the total (for charts)."""
    months: dict[str, dict[str, Any]] = {}
    for line in lines:
        key = f"{line['region']}-{line['service_month']}"
        month = months.setdefault(key, {"region": int(line["region"]), "month": int(line["service_month"]),
                                        "claims": 0, "adjrw": Decimal(0), "total": Decimal(0), "rate": line["rate"],
                                        "floated": "RATE_FLOATED" in (line.get("reasons") or "")})
        month["claims"] += 1
        month["adjrw"] += payable_adjrw(line)
        month["total"] += line["amount"]
    for month in months.values():
        month["budget"] = rules.budgets.get((month["region"], month["month"]), Decimal(0))
        for key in ("adjrw", "total", "rate", "budget"):
            month[key] = str(month[key])
    return {"months": [months[k] for k in sorted(months)]}


def compute_fee(*, actor: Any, run: PaymentRun, claims: pa.Table | None = None, prior: pa.Table | None = None,
                workers: int = 1, progress: Any = None) -> PaymentRun:
    """Price a region-month's itemised claims by the fee schedule (caps per person and period) on the batch
    engine, pay each once (`fee_runs.compute_fee`; `claims` None: the run's stored claims)."""
    from openuhc.payment import fee_runs

    return fee_runs.compute_fee(actor=actor, run=run, claims=claims, prior=prior, workers=workers,
                                progress=progress)


def fiscal_year_months(fy: int) -> list[date]:
    """The first days of the twelve months of a fiscal year (FY2569: 1 Oct 2025 … 1 Sep 2026)."""
    start, _end = fiscal_year_bounds(fy)
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(12)]


# --- reading ------------------------------------------------------------------------------------------------

def runs_for(scope: Scope) -> Any:
    """The runs a user may see: every region for national officers and analysts, their region for regional
    officers, published runs of their region for hospital staff."""
    runs = PaymentRun.objects.select_related("scheme", "region")
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return runs
    if scope.role == Role.REGIONAL and scope.region is not None:
        return runs.filter(region=scope.region)
    if scope.role == Role.HOSPITAL:
        return runs.filter(status=Status.PUBLISHED, unit_payments__unit__in=scope.hospital_unit_ids).distinct()
    return runs.none()


def may_see_statement(scope: Scope, unit: Any) -> bool:
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return True
    if scope.role == Role.REGIONAL:
        return scope.region is not None and unit.subdistrict.district.province.region_id == scope.region.pk
    if scope.role == Role.HOSPITAL:
        return unit.pk in scope.hospital_unit_ids
    return False


def statement(*, unit: Any, period: date, published_only: bool = True) -> dict[str, Any]:
    """Everything a unit received for a month: per run its total, capitation lines and claim lines."""
    payments = UnitPayment.objects.filter(unit=unit, run__period=period).select_related("run", "run__scheme").order_by(
        "run__kind", "run_id")
    if published_only:
        payments = payments.filter(run__status=Status.PUBLISHED)
    payments = list(payments)
    run_ids = [p.run_id for p in payments]
    capitation = list(CapitationLine.objects.filter(unit=unit, run_id__in=run_ids).order_by("run_id", "min_age"))
    claims = list(ClaimPayment.objects.filter(unit=unit, run_id__in=run_ids).order_by("run_id", "claim_id"))
    totals = {key: sum((getattr(p, key) for p in payments), Decimal(0))
              for key in ("gross", "rti_deduction", "salary_deduction", "net")}
    return {"unit": unit, "period": period, "payments": payments, "capitation": capitation, "claims": claims,
            "totals": totals, "population": sum(p.population for p in payments if p.run.kind == Kind.CAPITATION),
            "period_label": format_date(period)}
