"""One shape for every payment round (รอบการจ่าย): start → compute → check → approve → publish → statements.

Capitation, inpatient, fee-schedule and year-end rounds differ only in how they are computed and in what
publishing does to the claims they paid; each kind's module gives that as a `RoundKind` (its `ROUND`), and
everything else is here, once: who may do what, the four eyes, numbering, the append-only `RunEvent` of each
step, compare-and-set on the status, writing a computed round's lines and totals, paying each claim once.

Every function that changes state is one transaction with a keyword-only `actor=`. Money rounding:
`core.money` (half-up to the satang where an amount becomes payable; `allocate` splits totals into lines).
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import Scope
from openuhc.core import params
from openuhc.core.dates import fiscal_year, fiscal_year_bounds
from openuhc.core.errors import DomainError
from openuhc.country.packs import active
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import ClaimPayment, PaymentRun, RunEvent, UnitPayment

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


def _nothing(**_kwargs: Any) -> None:
    return None


@dataclass(frozen=True)
class RoundKind:
    """What differs between the kinds of round: how one is computed (`compute(actor=, run=, workers=,
    progress=)`, safe to call again), and what publishing it does to the claims it paid (`published(actor=,
    run=)`, inside the publishing transaction)."""

    kind: str
    compute: Callable[..., PaymentRun]
    published: Callable[..., None] = _nothing


KIND_MODULES = {Kind.CAPITATION: "openuhc.payment.capitation", Kind.IP: "openuhc.payment.inpatient",
                Kind.FEE: "openuhc.payment.fee_runs", Kind.YEAR_END: "openuhc.payment.year_end"}
COMPUTABLE = tuple(KIND_MODULES)
PACK_METHODS = {Kind.CAPITATION: "capitation", Kind.IP: "inpatient-drg", Kind.FEE: "fee-schedule",
                Kind.YEAR_END: "year-end"}
BY_CUTOFF = (Kind.IP, Kind.FEE)  # rounds that pay what was received up to a cut-off date


def kind_of(kind: str) -> RoundKind:
    if kind not in KIND_MODULES:
        raise DomainError(PaymentError.WRONG_KIND, expected=", ".join(KIND_MODULES), kind=kind)
    return importlib.import_module(KIND_MODULES[kind]).ROUND


def scope_of(actor: Any) -> Scope:
    """The actor's scope; no actor (the demo, a data migration) acts as a national officer."""
    return Scope.of(actor) if actor is not None else Scope(user=None, role=Role.NATIONAL)


def may_work_on(scope: Scope, region: Any, roles: frozenset[str]) -> bool:
    """National officers work on every region's rounds, regional officers on their own region's."""
    if scope.role not in roles:
        return False
    return scope.role == Role.NATIONAL or (scope.role == Role.REGIONAL and scope.region is not None
                                          and scope.region.pk == getattr(region, "pk", region))


def _event(run: PaymentRun, action: str, from_status: str, to_status: str, actor: Any, note: str = "") -> RunEvent:
    return RunEvent.objects.create(run=run, action=action, from_status=from_status, to_status=to_status, actor=actor,
                                   note=note)


# --- starting a round ---------------------------------------------------------------------------------------

def fiscal_year_months(fy: int) -> list[date]:
    """The first days of the twelve months of a fiscal year (FY2569: 1 Oct 2025 … 1 Sep 2026)."""
    start, _end = fiscal_year_bounds(fy)
    return [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1) for i in range(12)]


def version_for_year(scheme: str, fy: int, cutoff: date) -> Any:
    """The configuration of fiscal year `fy` a round uses: the version in force on its cut-off (or on the year's
    last day, for a year that ended before it)."""
    from openuhc.budget.services import in_force

    return in_force(scheme, min(cutoff, fiscal_year_bounds(fy)[1]))


def round_dates(kind: str, *, cutoff: date | None, period: date | None,
                corrects: PaymentRun | None = None) -> tuple[date, date | None, int]:
    """(period, cut-off, fiscal year) of a new round, or a coded refusal.

    Capitation counts a month (`period`, or the month of `cutoff`). Inpatient and fee-schedule rounds pay what
    was received up to `cutoff`; their period is the cut-off's month unless given. A year-end round names the
    fiscal year's last month and is computed once the year is over (cut-off: its last day unless given)."""
    if period is not None and period.day != 1:
        raise DomainError(PaymentError.BAD_PERIOD)
    if kind == Kind.ADJUSTMENT:
        if corrects is None:
            raise DomainError(PaymentError.ADJUSTMENT_TARGET, run="-", status="-")
        return corrects.period, corrects.cutoff, corrects.fiscal_year
    if kind in BY_CUTOFF:
        if cutoff is None:
            raise DomainError(PaymentError.CUTOFF_REQUIRED, kind=kind)
        return period or cutoff.replace(day=1), cutoff, fiscal_year(cutoff)
    if kind == Kind.CAPITATION:
        period = period or (cutoff.replace(day=1) if cutoff else None)
        if period is None:
            raise DomainError(PaymentError.BAD_PERIOD)
        return period, None, fiscal_year(period)
    if period is None:
        raise DomainError(PaymentError.BAD_PERIOD)
    fy = fiscal_year(period)
    last_month, last_day = fiscal_year_months(fy)[-1], fiscal_year_bounds(fy)[1]
    if period != last_month:
        raise DomainError(PaymentError.YEAR_END_PERIOD, fy=fy, month=last_month.strftime("%Y-%m"))
    cutoff = cutoff or last_day
    if cutoff < last_day:
        raise DomainError(PaymentError.YEAR_NOT_OVER, fy=fy, end=last_day.isoformat())
    return period, cutoff, fy


def start_run(*, actor: Any, scheme: Any, region: Any, kind: str, cutoff: date | None = None,
              period: date | None = None, corrects: PaymentRun | None = None, note: str = "") -> PaymentRun:
    """Open a draft round, numbered next in its (scheme, region, kind, fiscal year). The database refuses a second
    capitation round for a month and a second year-end round for a year."""
    if kind not in (*KIND_MODULES, Kind.ADJUSTMENT):
        raise DomainError(PaymentError.WRONG_KIND, expected=", ".join(KIND_MODULES), kind=kind)
    if kind in PACK_METHODS:  # the country pack's payment_methods (an adjustment corrects any of them)
        active().require("payment_methods", PACK_METHODS[kind], what=f"Payment by {PACK_METHODS[kind]}",
                         what_th=f"การจ่ายแบบ {PACK_METHODS[kind]}")
    if kind == Kind.ADJUSTMENT and (corrects is None or corrects.status != Status.PUBLISHED):
        raise DomainError(PaymentError.ADJUSTMENT_TARGET, run=getattr(corrects, "pk", "-"),
                          status=getattr(corrects, "status", "-"))
    corrects = corrects if kind == Kind.ADJUSTMENT else None
    period, cutoff, fy = round_dates(kind, cutoff=cutoff, period=period, corrects=corrects)
    if not may_work_on(scope_of(actor), region, START_ROLES):
        raise DomainError(PaymentError.NOT_ALLOWED, action="start", action_th="เริ่ม")
    named = {"kind": kind, "scheme": scheme.code, "region": region.number, "period": period.strftime("%Y-%m")}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = PaymentRun.objects.filter(scheme=scheme, region=region, kind=kind, fiscal_year=fy).aggregate(
                    n=Max("number"))["n"] or 0
                run = PaymentRun.objects.create(scheme=scheme, region=region, period=period, kind=kind,
                                                fiscal_year=fy, number=last + 1, cutoff=cutoff, corrects=corrects,
                                                created_by=actor)
                _event(run, RunEvent.Action.STARTED, "", Status.DRAFT, actor, note)
                return run
        except IntegrityError:
            # Either "one capitation round per month / one year-end per year" (someone has this round), or two
            # rounds took the same number at the same moment (try the next number).
            existing = PaymentRun.objects.filter(scheme=scheme, region=region, kind=kind)
            existing = (existing.filter(period=period) if kind == Kind.CAPITATION
                        else existing.filter(fiscal_year=fy) if kind == Kind.YEAR_END else existing.none()).first()
            if existing is not None:
                raise DomainError(PaymentError.RUN_EXISTS, run=existing.pk, **named) from None
    raise DomainError(PaymentError.RUN_STARTED_MEANWHILE, **named)


# --- computing ----------------------------------------------------------------------------------------------

def compute(*, actor: Any, run: PaymentRun, workers: int = 1, progress: Any = None) -> PaymentRun:
    """Compute a round by its kind (safe to call again: a computed round is returned as it is)."""
    return kind_of(run.kind).compute(actor=actor, run=run, workers=workers, progress=progress)


def check_may_compute(actor: Any, run: PaymentRun, kind: str) -> PaymentRun | None:
    """None when the round must be computed now; the round itself when it was computed already (nothing to do)."""
    if run.kind != kind:
        raise DomainError(PaymentError.WRONG_KIND, expected=kind, kind=run.kind)
    if not may_work_on(scope_of(actor), run.region, START_ROLES):
        raise DomainError(PaymentError.NOT_ALLOWED, action="compute", action_th="คำนวณ")
    if run.computed_at is not None:
        return run  # computing a computed (or finished) round again changes nothing
    if run.status != Status.DRAFT:
        raise DomainError(PaymentError.BAD_STEP, status=run.status, status_th=STATUS_TH[run.status],
                          action="computed", action_th="คำนวณ")
    return None


def finish(run: PaymentRun, *, actor: Any, version: Any, units: list[UnitPayment], population: int, claims: int,
           checksum_rows: list[str], summary: dict[str, Any] | None = None) -> PaymentRun:
    """Write the round's totals once (compare-and-set from "not computed") and its COMPUTED event."""
    gross = sum((u.gross for u in units), Decimal(0))
    deductions = sum((u.rti_deduction + u.salary_deduction for u in units), Decimal(0))
    net = sum((u.net for u in units), Decimal(0))
    changed = PaymentRun.objects.filter(pk=run.pk, computed_at__isnull=True, status=Status.DRAFT).update(
        computed_at=timezone.now(), budget_version=version, units=len(units), population=population, claims=claims,
        gross=gross, deductions=deductions, net=net, checksum=lines_checksum(checksum_rows), summary=summary or {})
    if changed != 1:
        raise DomainError(PaymentError.CHANGED_MEANWHILE)
    _event(run, RunEvent.Action.COMPUTED, Status.DRAFT, Status.DRAFT, actor)
    run.refresh_from_db()
    return run


# --- the workflow -------------------------------------------------------------------------------------------

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
    """Move a round one step on: draft → checked → approved → published (compare-and-set on the status). On
    publishing, the kind's `published` runs in the same transaction (its claims become paid)."""
    run = PaymentRun.objects.select_related("region", "scheme").get(pk=run.pk)
    if run.status not in STEPS:
        raise DomainError(PaymentError.BAD_STEP, status=run.status, status_th=STATUS_TH[run.status],
                          action="moved on", action_th="ดำเนินการต่อ")
    to_status, action, roles, verb, verb_th = STEPS[run.status]
    if not may_work_on(scope_of(actor), run.region, roles):
        raise DomainError(PaymentError.NOT_ALLOWED, action=verb.removesuffix("ed").removesuffix("e") or verb,
                          action_th=verb_th)
    if run.computed_at is None:
        raise DomainError(PaymentError.NOT_COMPUTED)
    problem = four_eyes_problem(run, actor)
    if problem is not None:
        raise problem
    if PaymentRun.objects.filter(pk=run.pk, status=run.status).update(status=to_status) != 1:
        raise DomainError(PaymentError.CHANGED_MEANWHILE)
    _event(run, action, run.status, to_status, actor, note)
    run.status = to_status
    if to_status == Status.PUBLISHED and run.kind in KIND_MODULES:
        kind_of(run.kind).published(actor=actor, run=run)
    return run


# --- claim lines: paid exactly once -------------------------------------------------------------------------

_PAID_COLUMNS = ["run_id", "claim_type", "claim_id", "is_adjustment", "fiscal_year", "unit_id", "gross",
                 "rti_deduction", "salary_deduction", "net", "detail", "paid_at"]


def pay_claims(*, run: PaymentRun, claim_type: str, rows: list[ClaimPayment]) -> None:
    """Insert the paid markers in one write (COPY on PostgreSQL). The partial unique index
    payment_claim_paid_once lets each claim be paid once: if another round (even one committing at this very
    moment) paid any of them, nothing here is paid."""
    from django.db import connection

    from openuhc.core import bulk

    paid_at = connection.ops.adapt_datetimefield_value(timezone.now())
    try:
        with transaction.atomic():
            bulk.insert_rows(ClaimPayment, _PAID_COLUMNS, (
                (run.pk, r.claim_type, r.claim_id, r.is_adjustment, r.fiscal_year, r.unit_id, r.gross,
                 r.rti_deduction, r.salary_deduction, r.net, json.dumps(r.detail), paid_at) for r in rows))
    except (IntegrityError, connection.Database.IntegrityError):  # COPY raises the driver's own error
        ids = [r.claim_id for r in rows if not r.is_adjustment]
        taken = ClaimPayment.objects.filter(claim_type=claim_type, claim_id__in=ids, is_adjustment=False).exclude(
            run=run).order_by("claim_id")
        first = taken.first()
        raise DomainError(PaymentError.ALREADY_PAID, count=taken.count() or "?",
                          claim_id=first.claim_id if first else "?", run=first.run_id if first else "?") from None


def units_by_code(codes: set[str]) -> dict[str, Any]:
    from openuhc.providers.errors import ProviderError
    from openuhc.providers.models import HealthUnit

    found = {u.code: u for u in HealthUnit.objects.filter(code__in=codes)}
    missing = sorted(codes - set(found))
    if missing:
        raise DomainError(ProviderError.UNKNOWN_UNIT, code=missing[0])
    return found


def lines_checksum(rows: list[str]) -> str:
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def claim_checksum_row(line: dict[str, Any]) -> str:
    """One line of a round's checksum (the statement's claim columns that carry money)."""
    return (f"{line['claim_id']}|{line['hcode']}|{line['amount']}|{line.get('rti', Decimal(0))}|"
            f"{line.get('salary', Decimal(0))}|{line.get('net', line['amount'])}")


def payable_adjrw(line: dict[str, Any]) -> Decimal:
    """AdjRW2 × late % of an IP line (what the round's rate multiplies), 4 places."""
    if line.get("adjrw2") is None or line.get("late_percent") is None:
        return Decimal(0)
    return (Decimal(str(line["adjrw2"])) * Decimal(line["late_percent"]) / 100).quantize(Decimal("0.0001"))


def record_lines(run: PaymentRun, *, actor: Any, version: Any, claim_type: str, lines: list[dict[str, Any]],
                 detail_keys: tuple[str, ...], adjustment: bool = False,
                 summary: dict[str, Any] | None = None) -> PaymentRun:
    """Store priced claim lines (the paid markers; `adjustment`: correction lines, not paid markers) and each
    unit's total, then the round's totals. Called inside the transaction of a kind's record step."""
    units = units_by_code({line["hcode"] for line in lines})
    rows: list[ClaimPayment] = []
    totals: dict[str, dict[str, Any]] = {}
    checksum_rows = []
    for line in lines:
        gross, rti, salary = line["amount"], line.get("rti", Decimal(0)), line.get("salary", Decimal(0))
        net = line.get("net", gross)
        detail = {k: (str(line[k]) if isinstance(line[k], Decimal | date) else line[k]) for k in detail_keys
                  if k in line}
        year = line.get("fiscal_year")
        rows.append(ClaimPayment(run=run, claim_type=claim_type, claim_id=line["claim_id"], unit=units[line["hcode"]],
                                 is_adjustment=adjustment, gross=gross, rti_deduction=rti, salary_deduction=salary,
                                 net=net, detail=detail, fiscal_year=int(year) if year is not None else None))
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
    return finish(run, actor=actor, version=version, units=unit_rows, population=0, claims=len(rows),
                  checksum_rows=checksum_rows, summary=summary)


def received_before(cutoff: date) -> Any:
    """The first moment after a cut-off day, in the scheme's time zone: claims received before it are in."""
    return timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min))
