"""A claim's status follows what happened to it and to its money: every transition of a stored claim is here.

    received → rejected | accepted
    accepted → grouped | held | rejected          (an admission's DRG: exact, approximate, or an error DRG)
    held     → grouped | rejected                 (a regional officer's review, with a reason)
    accepted | grouped → priced → paid            (a payment round priced the claim or one of its items; published)
    any but priced and paid → replaced            (the unit sent the same SEQ/AN again)

Each transition writes the status column and an append-only `ClaimEvent` in one transaction, compare-and-set on
the old status. A claim with anything priced or paid is locked: a resubmission of its SEQ/AN is refused (142,
`rules.locked_claims` at check time, `store` when storing). The payment and drg apps move claims only through
the functions below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from openuhc.claims.errors import ClaimError, SubmissionError
from openuhc.claims.models import Claim, ClaimEvent, Problem
from openuhc.core import bulk, params
from openuhc.core.dates import today
from openuhc.core.errors import DomainError

S = Claim.Status
ALLOWED: dict[str, set[str]] = {
    S.RECEIVED: {S.REJECTED, S.ACCEPTED, S.REPLACED},
    S.REJECTED: {S.REPLACED},
    # priced straight from accepted: an OP visit whose fee-schedule items a fee round priced
    S.ACCEPTED: {S.GROUPED, S.HELD, S.PRICED, S.REJECTED, S.REPLACED},
    S.GROUPED: {S.GROUPED, S.HELD, S.PRICED, S.REJECTED, S.REPLACED},
    S.HELD: {S.HELD, S.GROUPED, S.REJECTED, S.REPLACED},
    S.PRICED: {S.PRICED, S.PAID},
    S.PAID: set(),
    S.REPLACED: set(),
}
# What a resubmission may replace: nothing priced or paid (then the resubmission is refused with 142).
REPLACEABLE = {S.RECEIVED, S.REJECTED, S.ACCEPTED, S.GROUPED, S.HELD}
LOCKED = (S.PRICED, S.PAID)
BATCH = 2000


@transaction.atomic
def record_event(claim: Claim, status: str, *, actor: Any, detail: dict[str, Any] | None = None) -> ClaimEvent:
    """Move a claim on (checks the allowed transitions); the status column and the event change together.

    Compare-and-set on the status read: if another process moved the claim meanwhile, nothing is written and
    DomainError(STALE) is raised."""
    old = claim.status
    if status not in ALLOWED.get(old, set()):
        raise DomainError(SubmissionError.BAD_TRANSITION, old=old, new=status)
    changes: dict[str, Any] = {"status": status}
    if status == S.REPLACED:
        changes["is_current"] = False
    if Claim.objects.filter(pk=claim.pk, status=old).update(**changes) != 1:
        raise DomainError(SubmissionError.STALE)
    for name, value in changes.items():
        setattr(claim, name, value)
    return ClaimEvent.objects.create(claim=claim, status=status, actor=actor, detail=detail or {})


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _problem(claim: Claim, error: ClaimError, field: str, **values: Any) -> Problem:
    return Problem(**dict(zip(_PROBLEM_COLUMNS, _problem_row(claim.submission_id, claim.pk, claim.kind, claim.line,
                                                             error, field, **values), strict=True)))


def _problem_row(submission_id: int, claim_id: int, kind: str, line: int | None, error: ClaimError, field: str,
                 **values: Any) -> tuple[Any, ...]:
    """A problem of a claim as the values of _PROBLEM_COLUMNS (one Problem, or a row of a bulk write)."""
    return (submission_id, claim_id, "IPD" if kind == Claim.Kind.IP else "OPD", line, field, error.code, error.klass,
            error.message("th", **values), error.message("en", **values))


# --- grouping ---------------------------------------------------------------------------------------------------

def error_drg_code(drg: str, on: date) -> ClaimError | None:
    """The claim problem of an error DRG (26509 → 210 …), from the dated parameter claims.error_drgs."""
    code = (params.get("claims.error_drgs", on=on) or {}).get((drg or "").strip())
    return ClaimError(str(code)) if code else None


def grouping_outcome(drg: str, exact: bool, on: date) -> tuple[str, ClaimError | None]:
    """Where an admission goes with its DRG (reference §1.6; issue 12 item 7), and the problem when rejected:

    - an error DRG (26509/26519/26529/26539) rejects it with its code: it is never priced (a 0 AdjRW would be a
      claim "paid" 0.00 and locked), and the unit corrects and sends it again (the AN is not locked);
    - an approximate DRG holds it for a regional officer's review while `claims.hold_approximate_drg` is true on
      the discharge date;
    - otherwise it is grouped and may be paid by the next inpatient round."""
    error = error_drg_code(drg, on)
    if error is not None:
        return S.REJECTED, error
    if not exact and params.get("claims.hold_approximate_drg", on=on):
        return S.HELD, None
    return S.GROUPED, None


@transaction.atomic
def record_grouping(claim: Claim, *, drg: str, exact: bool, actor: Any, detail: dict[str, Any]) -> str:
    """One admission's DRG decides where it goes next (`grouping_outcome`). Returns the new status."""
    on = claim.discharge_date or claim.service_date or today()
    status, error = grouping_outcome(drg, exact, on)
    if error is not None:
        record_event(claim, S.REJECTED, actor=_user(actor), detail={**detail, "code": error.code})
        _problem(claim, error, "DRG", value=drg).save()
        return S.REJECTED
    record_event(claim, status, actor=_user(actor), detail=detail)
    return status


@dataclass(frozen=True)
class Grouped:
    """An admission's new DRG for `record_groupings` (detail: what its event records)."""

    claim_id: int
    drg: str
    exact: bool
    detail: dict[str, Any]


_EVENT_COLUMNS = ["claim_id", "status", "actor_id", "at", "detail"]
_PROBLEM_COLUMNS = ["submission_id", "claim_id", "file", "line", "field", "code", "klass", "message_th", "message_en"]


@transaction.atomic
def record_groupings(grouped: list[Grouped], *, actor: Any) -> dict[str, int]:
    """`record_grouping` for many admissions at once, with the same outcomes: one compare-and-set UPDATE per
    (old status, new status) and batch of claims, the events and problems written in bulk (COPY on PostgreSQL).
    If any claim moved meanwhile, nothing is written (DomainError STALE), as the one-claim path does.
    Returns how many were grouped, held and rejected."""
    claims = _grouping_claims([g.claim_id for g in grouped])
    outcome = _memo_outcome()
    moves: dict[tuple[str, str], list[int]] = {}
    events: list[tuple[Any, ...]] = []
    problems: list[tuple[Any, ...]] = []
    actor_id = getattr(_user(actor), "pk", None)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    counts = {S.GROUPED: 0, S.HELD: 0, S.REJECTED: 0}
    for g in grouped:
        old, on, submission_id, kind, line = claims[g.claim_id]
        status, error = outcome(g.drg, g.exact, on)
        if status not in ALLOWED.get(old, set()):
            raise DomainError(SubmissionError.BAD_TRANSITION, old=old, new=status)
        moves.setdefault((old, status), []).append(g.claim_id)
        detail = g.detail if error is None else {**g.detail, "code": error.code}
        events.append((g.claim_id, status, actor_id, at, json.dumps(detail)))
        if error is not None:
            problems.append(_problem_row(submission_id, g.claim_id, kind, line, error, "DRG", value=g.drg))
        counts[status] += 1
    for (old, status), ids in moves.items():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            if Claim.objects.filter(pk__in=chunk, status=old).update(status=status) != len(chunk):
                raise DomainError(SubmissionError.STALE)
    bulk.insert_rows(ClaimEvent, _EVENT_COLUMNS, events)
    bulk.insert_rows(Problem, _PROBLEM_COLUMNS, problems)
    return {str(k): v for k, v in counts.items()}


def _grouping_claims(ids: list[int]) -> dict[int, tuple[str, date, int, str, int | None]]:
    """Status (as read now: the compare-and-set's old value), outcome date and problem place of each claim."""
    found: dict[int, tuple[str, date, int, str, int | None]] = {}
    for start in range(0, len(ids), BATCH):
        for pk, status, discharged, served, submission_id, kind, line in Claim.objects.filter(
                pk__in=ids[start:start + BATCH]).values_list("pk", "status", "discharge_date", "service_date",
                                                             "submission_id", "kind", "line"):
            found[pk] = (status, discharged or served or today(), submission_id, kind, line)
    return found


def _memo_outcome() -> Callable[[str, bool, date], tuple[str, ClaimError | None]]:
    """`grouping_outcome` remembered per (DRG, exactness, date): a month has few of each."""
    seen: dict[tuple[str, bool, date], tuple[str, ClaimError | None]] = {}

    def outcome(drg: str, exact: bool, on: date) -> tuple[str, ClaimError | None]:
        key = (drg, exact, on)
        if key not in seen:
            seen[key] = grouping_outcome(drg, exact, on)
        return seen[key]

    return outcome


# --- review of approximate DRGs ------------------------------------------------------------------------------

def may_review(scope: Any, claim: Claim) -> bool:
    """National officers review every region's held claims, regional officers their own region's."""
    from openuhc.accounts.roles import Role

    if scope.role == Role.NATIONAL:
        return True
    region = claim.unit.subdistrict.district.province.region_id
    return scope.role == Role.REGIONAL and scope.region is not None and scope.region.pk == region


@transaction.atomic
def review(claim: Claim, *, actor: Any, release: bool, reason: str) -> Claim:
    """Release a held claim to be paid (status grouped) or reject it back to the unit (225), with a reason; the
    decision is an append-only event naming who decided and why."""
    from openuhc.accounts.roles import Role
    from openuhc.accounts.scope import Scope

    reason = (reason or "").strip()
    claim = Claim.objects.select_related("unit__subdistrict__district__province").get(pk=claim.pk)
    # no actor: the demo or a script acting for the national office (pages always pass the user)
    scope = Scope.of(actor) if actor is not None else Scope(user=None, role=Role.NATIONAL)
    if not may_review(scope, claim):
        raise DomainError(SubmissionError.NOT_REVIEWER)
    if claim.status != S.HELD:
        raise DomainError(SubmissionError.NOT_HELD, status=claim.get_status_display())
    if not reason:
        raise DomainError(SubmissionError.REVIEW_REASON)
    detail = {"review": "released" if release else "rejected", "reason": reason[:500]}
    if release:
        record_event(claim, S.GROUPED, actor=actor, detail=detail)
        return claim
    grouping = claim.groupings.order_by("-id").first()
    record_event(claim, S.REJECTED, actor=actor, detail={**detail, "code": ClaimError.REVIEW_REJECTED.code})
    _problem(claim, ClaimError.REVIEW_REJECTED, "DRG", value=getattr(grouping, "drg", ""),
             detail=reason[:500]).save()
    return claim


def held_for_review(scope: Any) -> Any:
    """The held admissions a user may review, oldest discharge first."""
    from openuhc.accounts.roles import Role

    held = Claim.objects.filter(kind=Claim.Kind.IP, is_current=True, status=S.HELD).select_related("unit")
    if scope.role == Role.NATIONAL:
        return held.order_by("discharge_date", "id")
    if scope.role == Role.REGIONAL and scope.region is not None:
        return held.filter(unit__subdistrict__district__province__region=scope.region).order_by("discharge_date",
                                                                                               "id")
    return held.none()


# --- money ----------------------------------------------------------------------------------------------------

@transaction.atomic
def move_many(ids: Iterable[int], *, to: str, from_statuses: Iterable[str], actor: Any,
              detail: dict[str, Any]) -> int:
    """Move the claims `ids` that are in one of `from_statuses` to `to`, each with its event (rows locked first,
    so that a claim moved meanwhile by someone else is left as it is; the events in one write, COPY on
    PostgreSQL). Returns how many moved."""
    ids, wanted = list(ids), set(from_statuses)
    if any(to not in ALLOWED[s] for s in wanted):
        raise DomainError(SubmissionError.BAD_TRANSITION, old="/".join(sorted(wanted)), new=to)
    actor_id, event = getattr(_user(actor), "pk", None), json.dumps(detail)
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    moved = 0
    for start in range(0, len(ids), BATCH):
        chunk = list(Claim.objects.select_for_update().filter(pk__in=ids[start:start + BATCH], status__in=wanted)
                     .values_list("pk", flat=True))
        if not chunk:
            continue
        Claim.objects.filter(pk__in=chunk).update(status=to)
        bulk.insert_rows(ClaimEvent, _EVENT_COLUMNS, ((pk, to, actor_id, at, event) for pk in chunk))
        moved += len(chunk)
    return moved


def mark_priced(ids: Iterable[int], *, actor: Any, round_id: int) -> int:
    """Claims priced by a payment round (an admission, or a visit's fee-schedule items): locked from now on."""
    return move_many(ids, to=S.PRICED, from_statuses=(S.ACCEPTED, S.GROUPED), actor=actor,
                     detail={"payment_run": round_id})


def mark_paid(ids: Iterable[int], *, actor: Any, round_id: int) -> int:
    """Claims of a published payment round are paid."""
    return move_many(ids, to=S.PAID, from_statuses=(S.PRICED,), actor=actor, detail={"payment_run": round_id})
