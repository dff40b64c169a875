"""Section 41 preliminary assistance (เงินช่วยเหลือเบื้องต้นตามมาตรา 41): request → evidence → committee
decision within the category's ceiling → payment from the region's yearly reserve; appeal within a period.

Ceilings, the filing window and the decision and appeal periods are versioned parameters read on the day
they apply. Money is `Decimal` baht to the satang; every decision, appeal and payment is an append-only row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.core import params
from openuhc.core.dates import fiscal_year, period_end
from openuhc.core.errors import DomainError
from openuhc.geo.models import Region
from openuhc.rights.errors import RightsError
from openuhc.rights.models import (
    Appeal,
    AssistanceEvent,
    AssistancePayment,
    AssistanceRequest,
    DamageCategory,
    Decision,
    Evidence,
    ReserveAllocation,
)
from openuhc.rights.services import create_numbered, user_or_none

S = AssistanceRequest.Status
ZERO = Decimal("0.00")


def _money(value: Any) -> Decimal:
    amount = Decimal(str(value))
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise DomainError(RightsError.AMOUNT_NOT_POSITIVE)
    return amount.quantize(Decimal("0.01"))


def ceiling(category: str, on: date) -> Decimal:
    return Decimal(str(params.get("rights.s41_ceilings", on=on)[category])).quantize(Decimal("0.01"))


def ceilings(on: date) -> dict[str, Decimal]:
    return {c: ceiling(c, on) for c in DamageCategory.values}


# --- scope ----------------------------------------------------------------------------------------------------

def requests_in_scope(scope: Any) -> QuerySet:
    requests = AssistanceRequest.objects.all()
    if scope.role == Role.NATIONAL:
        return requests
    if scope.role == Role.REGIONAL and scope.region is not None:
        return requests.filter(region=scope.region)
    if scope.role == Role.CENTRE and scope.centre is not None:
        return requests.filter(centre=scope.centre)
    return requests.none()


def can_decide(scope: Any, request: AssistanceRequest) -> bool:
    """The regional sub-committee's decisions and the payments are recorded by regional or national officers."""
    if scope.role == Role.NATIONAL:
        return True
    return scope.role == Role.REGIONAL and scope.region is not None and scope.region.pk == request.region_id


# --- steps ----------------------------------------------------------------------------------------------------

def _event(request: AssistanceRequest, actor: Any, text: str = "") -> None:
    AssistanceEvent.objects.create(request=request, at=timezone.now(), status_after=request.status, text=text,
                                   actor=user_or_none(actor))


def _change(request: AssistanceRequest, *, actor: Any, text: str = "", **fields: Any) -> AssistanceRequest:
    updated = AssistanceRequest.objects.filter(pk=request.pk, version=request.version).update(
        version=F("version") + 1, **fields)
    if updated != 1:
        raise DomainError(RightsError.CHANGED_MEANWHILE)
    request.refresh_from_db()
    _event(request, actor, text)
    return request


def _need(request: AssistanceRequest, *statuses: str) -> None:
    if request.status not in statuses:
        raise DomainError(RightsError.WRONG_STATUS, status=request.get_status_display(),
                          needed=" / ".join(str(S(s).label) for s in statuses))


@transaction.atomic
def file_request(
    *, actor: Any, region: Region, requester_kind: str, requester_name: str, injured_name: str, unit: Any,
    incident_on: date, known_on: date, received_on: date, description: str, centre: Any = None,
    person: Any = None, case: Any = None,
) -> AssistanceRequest:
    if not (incident_on <= known_on <= received_on):
        raise DomainError(RightsError.DATES_ORDER, incident=incident_on, known=known_on, received=received_on)
    months = int(params.get("rights.s41_filing_months", on=received_on))
    last_day = period_end(known_on, months=months)
    if received_on > last_day:
        raise DomainError(RightsError.FILED_LATE, months=months, known=known_on, last=last_day,
                          received=received_on)
    if not description.strip():
        raise DomainError(RightsError.EMPTY_DESCRIPTION)
    fields = {"region": region, "centre": centre, "case": case, "requester_kind": requester_kind,
                  "requester_name": requester_name.strip(), "injured_name": injured_name.strip(), "person": person,
                  "unit": unit,
                  "incident_on": incident_on, "known_on": known_on, "received_on": received_on,
                  "description": description.strip()}
    request = create_numbered(AssistanceRequest, f"S41-{fiscal_year(received_on)}-", 4, fields)
    _event(request, actor, "")
    return request


@transaction.atomic
def add_evidence(request: AssistanceRequest, *, actor: Any, kind: str, description: str = "",
                 received_on: date, file: Any = None) -> Evidence:
    _need(request, S.RECEIVED, S.COMPLETE, S.APPEALED)
    evidence = Evidence.objects.create(request=request, kind=kind.strip(), description=description.strip(),
                                       received_on=received_on, file=file or "",
                                       recorded_by=user_or_none(actor))
    _change(request, actor=actor, text=f"+ {evidence.kind}")
    return evidence


@transaction.atomic
def mark_complete(request: AssistanceRequest, *, actor: Any, on: date) -> AssistanceRequest:
    """The file is complete: the committee's decision period starts."""
    _need(request, S.RECEIVED)
    if not request.evidence.exists():
        raise DomainError(RightsError.NO_EVIDENCE)
    days = int(params.get("rights.s41_decision_days", on=on))
    return _change(request, actor=actor, status=S.COMPLETE, complete_on=on, decide_by=on + timedelta(days=days))


def current_decision(request: AssistanceRequest) -> Decision | None:
    return request.decisions.order_by("-decided_on", "-id").first()


@transaction.atomic
def decide(request: AssistanceRequest, *, actor: Any, approved: bool, decided_on: date, committee: str,
           reason: str, category: str = "", amount: Any = None) -> Decision:
    """Record the committee's decision; an amount above the category's ceiling that day is refused."""
    _need(request, S.COMPLETE, S.APPEALED)
    stage = Decision.Stage.APPEAL if request.status == S.APPEALED else Decision.Stage.FIRST
    if approved:
        if category not in DamageCategory.values:
            raise DomainError(RightsError.NO_DAMAGE_CATEGORY)
        money = _money(amount if amount not in (None, "") else 0)
        limit = ceiling(category, decided_on)
        if money > limit:
            raise DomainError(RightsError.OVER_CEILING, amount=f"{money:,.2f}", ceiling=f"{limit:,.2f}",
                              category=DamageCategory(category).label)
        paid = paid_total(request)
        if money < paid:  # an appeal cannot take back money already paid: that is a recovery, not a decision
            raise DomainError(RightsError.OVER_CEILING, amount=f"{money:,.2f}", ceiling=f"{paid:,.2f}",
                              category=DamageCategory(category).label)
    else:
        category, money, limit = "", ZERO, ZERO
    decision = Decision.objects.create(
        request=request, stage=stage, approved=approved, category=category, amount=money, ceiling=limit,
        decided_on=decided_on, committee=committee.strip(), reason=reason.strip(),
        recorded_by=user_or_none(actor))
    # a first decision may be appealed within the period; an appeal decision is final
    appeal_by = (decided_on + timedelta(days=int(params.get("rights.s41_appeal_days", on=decided_on)))
                 if stage == Decision.Stage.FIRST else None)
    status = S.APPROVED if approved else S.REJECTED
    if approved and paid_total(request) >= money:
        status = S.PAID
    _change(request, actor=actor, status=status, appeal_by=appeal_by,
            text=f"{decision.get_stage_display()}: {money:,.2f}")
    return decision


@transaction.atomic
def appeal(request: AssistanceRequest, *, actor: Any, filed_on: date, reason: str) -> Appeal:
    _need(request, S.APPROVED, S.REJECTED, S.PAID)
    if request.appeal_by is None:
        raise DomainError(RightsError.FINAL, number=request.number)
    if filed_on > request.appeal_by:
        raise DomainError(RightsError.APPEAL_LATE, deadline=request.appeal_by, filed=filed_on)
    record = Appeal.objects.create(request=request, filed_on=filed_on, reason=reason.strip(),
                                   recorded_by=user_or_none(actor))
    _change(request, actor=actor, status=S.APPEALED, appeal_by=None, text=reason.strip()[:200])
    return record


def paid_total(request: AssistanceRequest) -> Decimal:
    return request.payments.aggregate(total=Sum("amount"))["total"] or ZERO


def still_due(request: AssistanceRequest) -> Decimal:
    decision = current_decision(request)
    if decision is None or not decision.approved:
        return ZERO
    return max(decision.amount - paid_total(request), ZERO)


@dataclass
class Reserve:
    fiscal_year: int
    region: Region
    allocated: Decimal
    paid: Decimal
    by_category: dict[str, Decimal]

    @property
    def left(self) -> Decimal:
        return self.allocated - self.paid


def reserve(year: int, region: Region) -> Reserve:
    allocated = (ReserveAllocation.objects.filter(fiscal_year=year, region=region)
                 .aggregate(total=Sum("amount"))["total"] or ZERO)
    payments = AssistancePayment.objects.filter(fiscal_year=year, region=region)
    by_category = dict.fromkeys(DamageCategory.values, ZERO)
    for category, total in payments.values_list("category").annotate(total=Sum("amount")).values_list(
            "category", "total"):
        by_category[category] = total
    return Reserve(year, region, allocated, sum(by_category.values(), ZERO), by_category)


@transaction.atomic
def allocate_reserve(*, actor: Any, fiscal_year: int, region: Region, amount: Any, on: date,
                     note: str = "") -> ReserveAllocation:
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    if value == 0:
        raise DomainError(RightsError.AMOUNT_NOT_POSITIVE)
    Region.objects.select_for_update().get(pk=region.pk)  # the reserve's lock: see `pay`
    if value < 0 and reserve(fiscal_year, region).left + value < 0:
        raise DomainError(RightsError.RESERVE_SHORT, region=region, year=fiscal_year,
                          left=f"{reserve(fiscal_year, region).left:,.2f}", amount=f"{-value:,.2f}")
    return ReserveAllocation.objects.create(fiscal_year=fiscal_year, region=region, amount=value, allocated_on=on,
                                            note=note.strip(),
                                            recorded_by=user_or_none(actor))


@transaction.atomic
def pay(request: AssistanceRequest, *, actor: Any, paid_on: date, reference: str,
        amount: Any = None) -> AssistancePayment:
    """Pay what is still due (or part of it) from the reserve of the region and the fiscal year of payment.

    The region row is locked first: two payments from the same reserve at the same moment (PostgreSQL) are
    serialised, so the reserve can never be overspent; the request's version check stops a double payment."""
    Region.objects.select_for_update().get(pk=request.region_id)
    request.refresh_from_db()
    _need(request, S.APPROVED)
    if not reference.strip():
        raise DomainError(RightsError.NO_REFERENCE)
    due = still_due(request)
    if due <= 0:
        raise DomainError(RightsError.NOTHING_TO_PAY, number=request.number)
    money = due if amount in (None, "") else _money(amount)
    if money > due:
        raise DomainError(RightsError.OVERPAY, amount=f"{money:,.2f}", left=f"{due:,.2f}", number=request.number)
    year = fiscal_year(paid_on)
    fund = reserve(year, request.region)
    if money > fund.left:
        raise DomainError(RightsError.RESERVE_SHORT, region=request.region, year=year, left=f"{fund.left:,.2f}",
                          amount=f"{money:,.2f}")
    decision = current_decision(request)
    assert decision is not None  # still_due > 0 means an approving decision exists
    payment = AssistancePayment.objects.create(
        request=request, fiscal_year=year, region_id=request.region_id, category=decision.category, amount=money,
        paid_on=paid_on, reference=reference.strip(),
        recorded_by=user_or_none(actor))
    status = S.PAID if money == due else S.APPROVED
    _change(request, actor=actor, status=status, text=f"{money:,.2f} ({reference.strip()})")
    return payment


def decision_overdue(request: AssistanceRequest, on: date | datetime) -> bool:
    day = on.date() if isinstance(on, datetime) else on
    return request.status == S.COMPLETE and request.decide_by is not None and day > request.decide_by
