"""People's participation: networks, trainings and workshops with attendance, and the annual public hearing
(การรับฟังความคิดเห็นทั่วไปประจำปี, Section 18(13)) with the issues raised and the answer to each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from openuhc.accounts.roles import Role
from openuhc.core.errors import DomainError
from openuhc.rights.errors import RightsError
from openuhc.rights.models import Activity, Attendance, Hearing, HearingIssue, Network, Participant

WRITE_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.CENTRE)


def activities_in_scope(scope: Any) -> QuerySet:
    activities = Activity.objects.select_related("region", "centre")
    if scope.role in (Role.NATIONAL, Role.ANALYST):
        return activities
    if scope.role == Role.REGIONAL and scope.region is not None:
        return activities.filter(region=scope.region)
    if scope.role == Role.CENTRE and scope.centre is not None:
        return activities.filter(region=scope.centre.region)
    return activities.none()


def can_edit_activity(scope: Any, activity: Activity) -> bool:
    if scope.role == Role.NATIONAL:
        return True
    if scope.role == Role.REGIONAL:
        return scope.region is not None and activity.region_id == scope.region.pk
    if scope.role == Role.CENTRE:
        return scope.centre is not None and activity.centre_id == scope.centre.pk
    return False


@transaction.atomic
def create_activity(*, actor: Any, kind: str, title: str, starts_on: date, ends_on: date, region: Any,
                    centre: Any = None, place: str = "", is_international: bool = False) -> Activity:
    if ends_on < starts_on:
        raise DomainError(RightsError.DAY_OUTSIDE, day=ends_on, first=starts_on, last=ends_on)
    return Activity.objects.create(kind=kind, title=title.strip(), starts_on=starts_on, ends_on=ends_on,
                                   region=region, centre=centre, place=place.strip(),
                                   is_international=is_international)


@transaction.atomic
def add_participant(activity: Activity, *, actor: Any, name: str, network: Network | None = None,
                    organisation: str = "", country: str = "TH", is_new_leader: bool = False) -> Participant:
    return Participant.objects.create(activity=activity, name=name.strip(), network=network,
                                      organisation=organisation.strip(), country=(country or "TH").upper()[:2],
                                      is_new_leader=is_new_leader)


@transaction.atomic
def record_attendance(participant: Participant, *, actor: Any, day: date) -> Attendance:
    """Mark one participant present on one day of the activity (marking twice changes nothing)."""
    activity = participant.activity
    if not (activity.starts_on <= day <= activity.ends_on):
        raise DomainError(RightsError.DAY_OUTSIDE, day=day, first=activity.starts_on, last=activity.ends_on)
    attendance, _created = Attendance.objects.get_or_create(participant=participant, day=day)
    return attendance


@dataclass
class AttendanceSummary:
    participants: int
    days: int
    present_days: int
    full_attendance: int
    countries: int
    new_leaders: int

    @property
    def rate(self) -> float | None:
        possible = self.participants * self.days
        return round(100 * self.present_days / possible, 1) if possible else None


def attendance_summary(activity: Activity) -> AttendanceSummary:
    people = list(activity.participants.annotate(present=Count("attendance")).values_list(
        "present", "country", "is_new_leader"))
    days = activity.days
    return AttendanceSummary(
        participants=len(people), days=days, present_days=sum(p for p, _c, _n in people),
        full_attendance=sum(1 for p, _c, _n in people if p >= days),
        countries=len({c for _p, c, _n in people}), new_leaders=sum(1 for _p, _c, n in people if n))


@transaction.atomic
def record_hearing(*, actor: Any, fiscal_year: int, region: Any, held_on: date, place: str,
                   beneficiaries: int = 0, providers: int = 0) -> Hearing:
    try:
        with transaction.atomic():
            return Hearing.objects.create(fiscal_year=fiscal_year, region=region, held_on=held_on,
                                          place=place.strip(), beneficiaries=beneficiaries, providers=providers)
    except IntegrityError:
        raise DomainError(RightsError.HEARING_EXISTS, region=region, year=fiscal_year) from None


@transaction.atomic
def raise_issue(hearing: Hearing, *, actor: Any, topic: str, text: str, raised_by: str = "") -> HearingIssue:
    if not text.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    return HearingIssue.objects.create(hearing=hearing, topic=topic.strip(), text=text.strip(),
                                       raised_by=raised_by.strip())


@transaction.atomic
def answer_issue(issue: HearingIssue, *, actor: Any, answer: str, answered_on: date, answered_by: str) -> HearingIssue:
    if not answer.strip():
        raise DomainError(RightsError.EMPTY_TEXT)
    issue.answer, issue.answered_on, issue.answered_by = answer.strip(), answered_on, answered_by.strip()
    issue.save(update_fields=["answer", "answered_on", "answered_by"])
    return issue
