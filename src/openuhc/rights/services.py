"""Cases (เรื่องร้องเรียน / ขอคำปรึกษา / ประสานส่งต่อ): every change of a case is one function here.

Each function takes `now=` so deadlines and escalation can be tested with a controllable clock; the pages
pass the real time. A change is a compare-and-set on `Case.version` plus an append-only `CaseEvent` in the
same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case as Case_
from django.db.models import F, Q, QuerySet, Value, When
from django.utils import timezone

from openuhc.accounts.roles import Role
from openuhc.core import params, public
from openuhc.core.access import Seen
from openuhc.core.dates import fiscal_year, format_date
from openuhc.core.errors import DomainError
from openuhc.rights.errors import RightsError
from openuhc.rights.models import Case, CaseCategory, CaseEvent, Centre

SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet; no 0/O or 1/I: people copy by hand
SECRET_LENGTH = 10


# --- deadlines ---------------------------------------------------------------------------------------------

def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: set[date]) -> date:
    """The `days`-th working day after `start` (a case received on Friday with 1 day is due on Monday)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    return current


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def deadlines(kind: str, received_at: datetime) -> tuple[datetime, datetime]:
    """(acknowledge by, outcome by) for a case of `kind` received at `received_at`, from the configuration then."""
    day = timezone.localtime(received_at).date()
    ack_days = params.get("rights.acknowledge_working_days", on=day)
    outcome_days = params.get("rights.outcome_days", on=day)
    holidays = {date.fromisoformat(d) for d in params.get("rights.holidays", on=day)}
    ack = add_working_days(day, int(ack_days.get(kind, 1)), holidays)
    outcome = day + timedelta(days=int(outcome_days.get(kind, 30)))
    return _end_of_day(ack), _end_of_day(outcome)


def overdue_q(now: datetime) -> Q:
    """Open cases past a deadline, as a filter (`is_overdue` is the same rule for one loaded case)."""
    return ~Q(status=Case.Status.CLOSED) & (Q(outcome_by__lt=now) | Q(acknowledged_at__isnull=True,
                                                                       acknowledge_by__lt=now))


def is_overdue(case: Case, now: datetime) -> bool:
    if case.is_closed:
        return False
    return now > case.outcome_by or (case.acknowledged_at is None and now > case.acknowledge_by)


# --- who sees what -------------------------------------------------------------------------------------------

STAFF_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.CENTRE)
VIEW_ROLES = (*STAFF_ROLES, Role.HOSPITAL)


def cases_in_scope(scope: Any) -> QuerySet:
    cases = Case.objects.all()
    if scope.role == Role.NATIONAL:
        return cases
    if scope.role == Role.REGIONAL and scope.region is not None:
        return cases.filter(region=scope.region)
    if scope.role == Role.CENTRE and scope.centre is not None:
        return cases.filter(centre=scope.centre)
    if scope.role == Role.HOSPITAL:
        # a unit sees the cases about itself (and the units of its CUP), never the others
        return cases.filter(unit__in=scope.hospital_unit_ids)
    return cases.none()


def cases_for_figures(scope: Any) -> QuerySet:
    """The cases counted in a reader's charts: a centre's own, a region's, or all (national office, analyst)."""
    cases = Case.objects.all()
    if scope.role == Role.CENTRE:
        return cases.filter(centre=scope.centre)
    if scope.role == Role.REGIONAL:
        return cases.filter(region=scope.region)
    return cases


def can_handle(scope: Any, case: Case) -> bool:
    """Staff of the centre, the region or the national office may work on the case; the unit may only reply."""
    if scope.role == Role.NATIONAL:
        return True
    if scope.role == Role.REGIONAL:
        return scope.region is not None and case.region_id == scope.region.pk
    if scope.role == Role.CENTRE:
        return scope.centre is not None and case.centre_id == scope.centre.pk
    return False


def identity_visible(scope: Any, case: Case) -> bool:
    """Staff handling the case see who complained; the unit concerned only with the complainant's consent.

    The same rule decides whether the reader sees the words staff wrote to the complainant (acknowledgement,
    outcome in words, reason to reopen): a member of staff who writes "Dear Ms. ..., 081..." names them."""
    if can_handle(scope, case):
        return True
    if scope.role == Role.HOSPITAL and case.unit_id in scope.hospital_unit_ids:
        return case.share_identity_with_unit
    return False


def audiences_for(scope: Any, case: Case) -> list[str]:
    """The event audiences a reader of the case may read (staff handling it read everything)."""
    A = CaseEvent.Audience
    if can_handle(scope, case):
        return list(A.values)
    audiences = [A.UNIT, A.PUBLIC]
    if identity_visible(scope, case):
        audiences.append(A.COMPLAINANT)
    return audiences


def visible_events(scope: Any, case: Case) -> QuerySet:
    events = case.events.select_related("actor")
    if can_handle(scope, case):
        return events
    # the complainant's own messages may say who they are: the unit does not read them, even with consent
    return events.filter(audience__in=audiences_for(scope, case)).exclude(kind=CaseEvent.Kind.MESSAGE)


@dataclass
class CaseView:
    """A case as one reader may see it: the complainant's identity is blanked unless `identity` is true."""

    case: Case
    identity: bool

    @property
    def complainant_name(self) -> str:
        return self.case.complainant_name if self.identity else ""

    @property
    def complainant_contact(self) -> str:
        return self.case.complainant_contact if self.identity else ""

    @property
    def person(self) -> Any:
        return self.case.person if self.identity else None

    @property
    def outcome_text(self) -> str:
        """The outcome in words was written to the complainant: shown where the identity is."""
        return self.case.outcome_text if self.identity else ""

    @property
    def has_identity(self) -> bool:
        return bool(self.case.complainant_name or self.case.complainant_contact or self.case.person_id)


def case_view(scope: Any, case: Case) -> CaseView:
    return CaseView(case, identity_visible(scope, case))


def seen_complainants(views: Any) -> list[Seen]:
    """For the access log: the complainants whose identity these case views show."""
    return [Seen(person_id=v.case.person_id, citizen_id=v.case.person.citizen_id if v.case.person_id else "",
                 record=f"case:{v.case.number}") for v in views if v.identity and v.has_identity]


# --- opening a case --------------------------------------------------------------------------------------------

def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.strip().upper().encode()).hexdigest()


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def centre_for_province(province: Any) -> Centre | None:
    """The active centre whose catchment includes the province: its people's centre first, else a 50(5) unit.

    An explicit rank, not the kind's spelling: "peoples" < "s50_5" alphabetically, so ordering by the code
    of the kind (either way round) says nothing about which comes first."""
    people_first = Case_(When(kind=Centre.Kind.PEOPLES_CENTRE, then=Value(0)), default=Value(1))
    return (Centre.objects.filter(is_active=True, provinces=province)
            .order_by(people_first, "code").first())


def create_numbered(model: Any, prefix: str, digits: int, fields: dict[str, Any]) -> Any:
    """Create a row numbered `prefix` + the next sequence number of that prefix (e.g. 2569-000042).

    Two rows created at the same moment may compute the same next number: the unique constraint catches
    it and the loser takes the following one, inside a savepoint so the caller's transaction survives."""
    for _attempt in range(20):
        last = (model.objects.filter(number__startswith=prefix).order_by("-number")
                .values_list("number", flat=True).first())
        number = f"{prefix}{(int(last[len(prefix):]) + 1) if last else 1:0{digits}d}"
        try:
            with transaction.atomic():
                return model.objects.create(number=number, **fields)
        except IntegrityError:
            continue
    raise DomainError(RightsError.CHANGED_MEANWHILE)  # pragma: no cover - twenty collisions in a row


@transaction.atomic
def open_case(
    *, actor: Any, kind: str, channel: str, category: CaseCategory | None, subject: str, description: str,
    centre: Centre | None = None, region: Any = None, unit: Any = None, person: Any = None,
    complainant_name: str = "", complainant_contact: str = "", consent_to_record: bool = False,
    share_identity_with_unit: bool = False, with_secret: bool = False, now: datetime | None = None,
) -> tuple[Case, str]:
    """Record a new case; returns it with the follow-up secret ("" unless `with_secret`)."""
    now = now or timezone.now()
    if category is None:
        raise DomainError(RightsError.NO_CATEGORY)
    if not description.strip():
        raise DomainError(RightsError.EMPTY_DESCRIPTION)
    region = region or (centre.region if centre else None)
    if region is None:
        raise DomainError(RightsError.NO_REGION)
    if (complainant_name.strip() or complainant_contact.strip() or person is not None) and not consent_to_record:
        raise DomainError(RightsError.CONSENT_NEEDED)
    secret = new_secret() if with_secret else ""
    ack_by, outcome_by = deadlines(kind, now)
    fields = {
        "kind": kind, "channel": channel, "category": category,
        "subject": subject.strip()[:200] or description.strip()[:80],
        "description": description.strip(), "centre": centre, "region": region, "unit": unit, "person": person,
        "complainant_name": complainant_name.strip(), "complainant_contact": complainant_contact.strip(),
        "consent_to_record": consent_to_record,
        "share_identity_with_unit": share_identity_with_unit and consent_to_record,
        "consent_recorded_at": now if consent_to_record else None, "received_at": now, "acknowledge_by": ack_by,
        "outcome_by": outcome_by, "secret_hash": _hash_secret(secret) if secret else "",
    }
    case = create_numbered(Case, f"{fiscal_year(timezone.localtime(now).date())}-", 6, fields)
    CaseEvent.objects.create(case=case, at=now, kind=CaseEvent.Kind.RECEIVED, audience=CaseEvent.Audience.PUBLIC,
                             status_after=case.status, actor=user_or_none(actor),
                             text=channel)  # the code: pages show the channel in the reader's language
    return case, secret


def user_or_none(actor: Any) -> Any:
    """The actor to record on a row: a logged-in user, else None (the public, the demo, a command)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# --- changing a case -----------------------------------------------------------------------------------------

def _change(case: Case, *, actor: Any, now: datetime, kind: str, text: str = "",
            audience: str = CaseEvent.Audience.STAFF, **fields: Any) -> Case:
    """Compare-and-set on the version the caller read, then the event; a concurrent change is refused."""
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1, **fields)
    if updated != 1:
        raise DomainError(RightsError.CHANGED_MEANWHILE)
    case.refresh_from_db()
    CaseEvent.objects.create(case=case, at=now, kind=kind, audience=audience, text=text, status_after=case.status,
                             actor=user_or_none(actor))
    return case


def _open(case: Case) -> None:
    if case.is_closed:
        raise DomainError(RightsError.CLOSED, number=case.number)


@transaction.atomic
def acknowledge(case: Case, *, actor: Any, text: str = "", now: datetime | None = None) -> Case:
    now = now or timezone.now()
    _open(case)
    if case.acknowledged_at is not None:
        raise DomainError(RightsError.ALREADY_ACKNOWLEDGED, number=case.number)
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.ACKNOWLEDGED,
                   audience=CaseEvent.Audience.COMPLAINANT,
                   text=text, acknowledged_at=now, status=Case.Status.ACKNOWLEDGED)


def staff_for(case: Case) -> QuerySet:
    """Who may be assigned: staff of the case's centre, officers of its region, national officers."""
    from django.contrib.auth import get_user_model

    rule = Q(profile__role=Role.NATIONAL) | Q(profile__role=Role.REGIONAL, profile__region=case.region_id)
    if case.centre_id:
        rule |= Q(profile__role=Role.CENTRE, profile__centre=case.centre_id)
    return get_user_model().objects.filter(rule, is_active=True).select_related("profile").order_by("username")


@transaction.atomic
def assign(case: Case, *, actor: Any, to: Any, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    _open(case)
    if not staff_for(case).filter(pk=to.pk).exists():
        raise DomainError(RightsError.NOT_STAFF, user=to.get_username())
    status = Case.Status.IN_PROGRESS if case.acknowledged_at else case.status
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.ASSIGNED, text=to.get_full_name() or to.username,
                   assigned_to=to, status=status)


@transaction.atomic
def add_note(case: Case, *, actor: Any, text: str, audience: str = CaseEvent.Audience.STAFF,
             now: datetime | None = None) -> Case:
    now = now or timezone.now()
    if not text.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    status = Case.Status.IN_PROGRESS if case.status == Case.Status.ACKNOWLEDGED else case.status
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.NOTE, text=text.strip(), audience=audience,
                   status=status)


@transaction.atomic
def unit_reply(case: Case, *, actor: Any, text: str, now: datetime | None = None) -> Case:
    """The unit concerned answers; the centre reads it and decides what to pass on to the complainant."""
    now = now or timezone.now()
    _open(case)
    if not text.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.UNIT_REPLY, text=text.strip(),
                   audience=CaseEvent.Audience.UNIT)


@transaction.atomic
def complainant_message(case: Case, *, text: str, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    _open(case)
    if not text.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    return _change(case, actor=None, now=now, kind=CaseEvent.Kind.MESSAGE, text=text.strip()[:4000],
                   audience=CaseEvent.Audience.COMPLAINANT)


@transaction.atomic
def close(case: Case, *, actor: Any, outcome: str, outcome_text: str, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    _open(case)
    if outcome not in Case.Outcome.values or not outcome_text.strip():
        raise DomainError(RightsError.NO_OUTCOME)
    acknowledged = case.acknowledged_at or now  # closing answers the person too
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.CLOSED, audience=CaseEvent.Audience.COMPLAINANT,
                   text=f"{Case.Outcome(outcome).label}: {outcome_text.strip()}", status=Case.Status.CLOSED,
                   closed_at=now, outcome=outcome, outcome_text=outcome_text.strip(), acknowledged_at=acknowledged)


@transaction.atomic
def reopen(case: Case, *, actor: Any, reason: str, now: datetime | None = None) -> Case:
    """A closed case comes back (new facts, an unhappy complainant); its original deadline still counts."""
    now = now or timezone.now()
    if not case.is_closed:
        raise DomainError(RightsError.NOT_CLOSED, number=case.number)
    if not reason.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.REOPENED,
                   audience=CaseEvent.Audience.COMPLAINANT,
                   text=reason.strip(), status=Case.Status.IN_PROGRESS, closed_at=None, outcome="", outcome_text="")


@transaction.atomic
def rate(case: Case, *, score: int, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    if not case.is_closed:
        raise DomainError(RightsError.NOT_CLOSED, number=case.number)
    if case.satisfaction is not None:
        raise DomainError(RightsError.ALREADY_RATED)
    if score not in range(1, 6):
        raise DomainError(RightsError.BAD_SATISFACTION)
    return _change(case, actor=None, now=now, kind=CaseEvent.Kind.RATED, text=str(score), satisfaction=score,
                   audience=CaseEvent.Audience.PUBLIC)


@transaction.atomic
def escalate(case: Case, *, actor: Any, text: str, now: datetime | None = None) -> Case:
    """Hand the case to its region's officers (they see every case of the region already; this flags it)."""
    now = now or timezone.now()
    _open(case)
    return _change(case, actor=actor, now=now, kind=CaseEvent.Kind.ESCALATED, audience=CaseEvent.Audience.STAFF,
                   escalated_at=now, text=text)


def escalate_overdue(*, now: datetime | None = None, actor: Any = None) -> list[Case]:
    """Hand every overdue open case to its region (once); run daily by `openuhc rights escalate`."""
    now = now or timezone.now()
    overdue = Case.objects.filter(overdue_q(now), escalated_at__isnull=True)
    escalated = []
    for case in overdue.order_by("received_at"):
        # The event text is in both languages, "English / Thai" (it outlives the reader's language choice); pages
        # show the half in the reader's language (the `bilingual` filter).
        if now > case.outcome_by:
            due = timezone.localtime(case.outcome_by).date()
            text = (f"outcome deadline {format_date(due, language='en')} missed"
                    f" / เลยกำหนดได้ข้อยุติ {format_date(due, language='th')}")
        else:
            due = timezone.localtime(case.acknowledge_by).date()
            text = (f"acknowledgement deadline {format_date(due, language='en')} missed"
                    f" / เลยกำหนดตอบรับเรื่อง {format_date(due, language='th')}")
        try:
            escalated.append(escalate(case, actor=actor, text=text, now=now))
        except DomainError:
            continue  # changed meanwhile: the next run looks again
    return escalated


# --- the public form ------------------------------------------------------------------------------------------

PUBLIC_SUBMIT = "rights.submit"
PUBLIC_LOOKUP = "rights.lookup"


def allow_public(kind: str, address: str, *, now: datetime | None = None) -> bool:
    """Count this attempt and say whether the client is still within its hourly limit."""
    now = now or timezone.now()
    limit_key = "rights.public_submissions_per_hour" if kind == PUBLIC_SUBMIT else "rights.public_lookups_per_hour"
    limit = int(params.get(limit_key, on=timezone.localtime(now).date()))
    return public.allow(address, kind=kind, limit=limit, now=now)


def find_for_complainant(number: str, secret: str) -> Case | None:
    """The case only when both the number and its secret match; the same None for every other answer."""
    given = _hash_secret(secret or "")
    case = Case.objects.filter(number=(number or "").strip()).exclude(secret_hash="").first()
    stored = case.secret_hash if case else _hash_secret(new_secret())  # compare anyway: same time either way
    if hmac.compare_digest(given, stored) and case is not None:
        return case
    return None


def public_events(case: Case) -> QuerySet:
    """What the complainant reads on the follow page."""
    return case.events.filter(audience__in=[CaseEvent.Audience.PUBLIC, CaseEvent.Audience.COMPLAINANT])
