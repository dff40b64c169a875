"""Every read of payment data the FHIR endpoints make, in one module (the payment app's vocabulary — runs, their
unit totals, claim lines, capitation lines — appears nowhere else in `fhir`).

Only published runs are read: a draft, checked or approved run is not yet money a unit receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from openuhc.accounts.roles import Role
from openuhc.payment.models import CapitationLine, ClaimPayment, PaymentRun, RunEvent, UnitPayment
from openuhc.payment.services import may_see_statement

PUBLISHED = PaymentRun.Status.PUBLISHED
STATEMENT_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST})


@dataclass
class PaidLine:
    """One line that paid (or corrected) a claim: what it was, the amounts, and the round it belongs to."""

    run_id: int
    run_kind: str
    period: date
    paid_at: datetime
    is_adjustment: bool
    what: str  # "ip" or "fee"
    code: str  # the DRG, or the fee-schedule item
    gross: Decimal
    deductions: Decimal
    net: Decimal
    detail: dict[str, Any]


def claim_lines(claim_id: int) -> list[PaidLine]:
    """The published lines that paid claim `claim_id`: inpatient lines (the claim itself) and fee-schedule lines
    (its itemised items), with year-end and other corrections."""
    rows = (ClaimPayment.objects.filter(run__status=PUBLISHED)
            .filter(Q(claim_type=ClaimPayment.ClaimType.IP, claim_id=claim_id)
                    | Q(claim_type=ClaimPayment.ClaimType.FEE, detail__claim=claim_id))
            .select_related("run").order_by("run__period", "run_id", "id"))
    return [PaidLine(run_id=p.run_id, run_kind=p.run.kind, period=p.run.period, paid_at=p.paid_at,
                     is_adjustment=p.is_adjustment, what=p.claim_type,
                     code=str(p.detail.get("drg") or p.detail.get("item") or ""), gross=p.gross,
                     deductions=p.rti_deduction + p.salary_deduction, net=p.net, detail=p.detail) for p in rows]


def paid_claim_ids(claim_ids: QuerySet) -> QuerySet:
    """Of these claims (a queryset of ids), those paid by a published run (inpatient lines; fee lines name their
    claim in the line's detail)."""
    ip = ClaimPayment.objects.filter(run__status=PUBLISHED, claim_type=ClaimPayment.ClaimType.IP,
                                     claim_id__in=claim_ids).values_list("claim_id", flat=True)
    # The claim of a fee line is a number inside its JSON detail: cast so both databases compare ids with ids.
    fee = (ClaimPayment.objects.filter(run__status=PUBLISHED, claim_type=ClaimPayment.ClaimType.FEE)
           .annotate(fee_claim=Cast(KeyTextTransform("claim", "detail"), BigIntegerField()))
           .values_list("fee_claim", flat=True))
    return claim_ids.filter(Q(pk__in=ip) | Q(pk__in=fee))


@dataclass
class Statement:
    """What one unit receives from one published run, with its lines."""

    key: str  # "{run}-{unit code}"
    unit: Any
    run_id: int
    kind: str
    kind_label: str
    period: date
    published_at: datetime | None
    net: Decimal
    claim_lines: list[tuple[int, bool, Decimal]]  # (claim id, is a correction, net)
    capitation_lines: list[tuple[str, int, Decimal]]  # (age group, population, amount)


def statements(scope: Any) -> QuerySet:
    """The unit totals of published runs the caller may see (the same rule as the statement pages)."""
    rows = UnitPayment.objects.filter(run__status=PUBLISHED).select_related(
        "run", "unit__subdistrict__district__province")
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return rows
    if scope.role == Role.REGIONAL and scope.region is not None:
        return rows.filter(unit__subdistrict__district__province__region=scope.region)
    if scope.role == Role.HOSPITAL:
        return rows.filter(unit__in=scope.hospital_unit_ids)
    return rows.none()


def find_statement(scope: Any, key: str) -> UnitPayment | None:
    run, _, code = key.partition("-")
    if not run.isdigit() or not code:
        return None
    row = statements(scope).filter(run_id=int(run), unit__code=code).first()
    if row is not None and not may_see_statement(scope, row.unit):
        return None
    return row


def statement(payment: UnitPayment) -> Statement:
    run = payment.run
    published = (RunEvent.objects.filter(run=run, to_status=PUBLISHED).order_by("at").values_list("at", flat=True)
                 .first())
    claims = ClaimPayment.objects.filter(run=run, unit=payment.unit).order_by("claim_id", "id")
    lines = [(int(p.detail.get("claim") or p.claim_id) if p.claim_type == ClaimPayment.ClaimType.FEE else p.claim_id,
              p.is_adjustment, p.net) for p in claims]
    capitation = [(c.age_group, c.population, c.amount) for c in
                  CapitationLine.objects.filter(run=run, unit=payment.unit).order_by("min_age")]
    return Statement(key=f"{run.pk}-{payment.unit.code}", unit=payment.unit, run_id=run.pk, kind=run.kind,
                     kind_label=str(run.get_kind_display()), period=run.period, published_at=published,
                     net=payment.net, claim_lines=lines, capitation_lines=capitation)
