"""Bodies, their members and terms, meetings with attendance and the quorum, minutes and resolutions.

Every change is one transaction with a keyword-only `actor` and a `BodyEvent` row. Attendance and the quorum
are counted with the committee pieces local funds use (`core.committees`); the quorum is the general rule of the
Administrative Procedure Act B.E. 2539 s.79 (half of the members, a dated parameter) unless the body's order
sets its own, and a third for a matter reconvened within 14 days after a meeting without a quorum (s.79 para. 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from openuhc.core import committees, params
from openuhc.core.dates import fiscal_year, format_date, today
from openuhc.core.errors import DomainError
from openuhc.geo.models import LocalGovernment
from openuhc.governance import params as P
from openuhc.governance.errors import GovError
from openuhc.governance.models import AgendaItem, Body, BodyEvent, BodyType, Meeting, Member, Resolution, Secretariat

# Roles only one member holds at a time.
SINGLE_ROLES = (Member.Role.CHAIR, Member.Role.SECRETARY)
LEVEL_NEEDS = {BodyType.Level.PROVINCE: ("province", "จังหวัด", "province", "จังหวัด"),
               BodyType.Level.REGION: ("health region", "เขต", "health region", "เขตสุขภาพ")}


def _event(body: Body, kind: str, text: str, actor: Any) -> None:
    BodyEvent.objects.create(body=body, kind=kind, text=text[:500], actor=actor)


def text_required(value: str, what: str, what_th: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(GovError.EMPTY_TEXT, what=what, what_th=what_th)
    return value


def check_pao(local_government: LocalGovernment) -> None:
    if local_government.kind != LocalGovernment.Kind.PAO:
        raise DomainError(GovError.NOT_A_PAO, name=local_government.name)


def check_quorum(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            committees.as_fraction(value)
        except (ValueError, ZeroDivisionError):
            raise DomainError(GovError.BAD_QUORUM, value=value) from None
    return value


def _within_secretariat(secretariat: Secretariat, province: Any, region: Any) -> None:
    if secretariat.province_id and (province is None or province.pk != secretariat.province_id):
        raise DomainError(GovError.AREA_OUTSIDE_SECRETARIAT)
    if secretariat.region_id:
        in_region = (region is not None and region.pk == secretariat.region_id) or (
            province is not None and province.region_id == secretariat.region_id)
        if not in_region:
            raise DomainError(GovError.AREA_OUTSIDE_SECRETARIAT)


# --- the lists a national officer keeps ---------------------------------------------------------------------
@transaction.atomic
def add_secretariat(*, actor: Any, code: str, name_th: str, name_en: str = "", province: Any = None,
                    region: Any = None) -> Secretariat:
    """An office that runs bodies (the scope of secretariat users): of a province, a health region, or national."""
    code = text_required(code, "code", "รหัส")
    if Secretariat.objects.filter(code=code).exists():
        raise DomainError(GovError.CODE_EXISTS, code=code)
    if province is not None and region is not None:
        raise DomainError(GovError.ONE_AREA)
    return Secretariat.objects.create(code=code, name_th=text_required(name_th, "name", "ชื่อ"),
                                      name_en=name_en.strip(), province=province, region=region)


@transaction.atomic
def add_body_type(*, actor: Any, code: str, name_th: str, level: str, name_en: str = "", legal_basis: str = "",
                  publish_names: bool = False) -> BodyType:
    code = text_required(code, "code", "รหัส")
    if BodyType.objects.filter(code=code).exists():
        raise DomainError(GovError.CODE_EXISTS, code=code)
    return BodyType.objects.create(code=code, name_th=text_required(name_th, "name", "ชื่อ"), name_en=name_en.strip(),
                                   level=level, legal_basis=legal_basis.strip(), publish_names=publish_names)


# --- bodies ------------------------------------------------------------------------------------------------
@transaction.atomic
def create_body(*, actor: Any, secretariat: Secretariat, body_type: BodyType, code: str, name_th: str,
                name_en: str = "", province: Any = None, region: Any = None,
                local_government: LocalGovernment | None = None, legal_basis: str | None = None,
                appointing_order: str = "", appointed_on: date | None = None, quorum: str = "",
                publish_names: bool | None = None) -> Body:
    """A body in the secretariat's area; its level (province or health region) says which area it needs."""
    code = text_required(code, "code", "รหัส")
    if Body.objects.filter(code=code).exists():
        raise DomainError(GovError.CODE_EXISTS, code=code)
    if local_government is not None:
        check_pao(local_government)
        province = province or local_government.province
    if body_type.level == BodyType.Level.PROVINCE:
        region = None
    elif body_type.level == BodyType.Level.REGION:
        province = None
    else:
        province = region = None
    needs = LEVEL_NEEDS.get(body_type.level)
    if needs and (province if body_type.level == BodyType.Level.PROVINCE else region) is None:
        raise DomainError(GovError.BODY_AREA, level=needs[0], level_th=needs[1], needed=needs[2], needed_th=needs[3])
    _within_secretariat(secretariat, province, region)
    body = Body.objects.create(
        code=code, body_type=body_type, name_th=text_required(name_th, "name", "ชื่อ"), name_en=name_en.strip(),
        province=province, region=region, local_government=local_government, secretariat=secretariat,
        legal_basis=body_type.legal_basis if legal_basis is None else legal_basis.strip(),
        appointing_order=appointing_order.strip(), appointed_on=appointed_on, quorum=check_quorum(quorum),
        publish_names=body_type.publish_names if publish_names is None else publish_names, created_by=actor)
    _event(body, BodyEvent.Kind.CREATED, body.appointing_order, actor)
    return body


# --- members -----------------------------------------------------------------------------------------------
def members_in_office(body: Body, on: date) -> QuerySet:
    """Members whose term covers the day and who had not left before it."""
    return committees.in_office(body.members.all(), on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


ROLE_ORDER = [Member.Role.CHAIR, Member.Role.VICE_CHAIR, Member.Role.MEMBER, Member.Role.SECRETARY,
              Member.Role.ASSISTANT, Member.Role.ADVISER]


def by_role(members: Iterable[Member]) -> list[Member]:
    """Members as an appointing order lists them: chair, vice-chairs, members, secretary, assistants, advisers."""
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    return sorted(members, key=lambda m: (rank.get(m.role, 99), m.sector, m.name))


def _overlapping(body: Body, role: str, start: date, end: date) -> Member | None:
    """A member holding `role` at some day between start and end (a member who left holds it until the day
    before leaving)."""
    for member in body.members.filter(role=role, term_start__lte=end, term_end__gte=start):
        last_day = member.term_end if member.left_on is None else member.left_on - timedelta(days=1)
        if last_day >= start:
            return member
    return None


@transaction.atomic
def appoint_member(*, actor: Any, body: Body, name: str, role: str, sector: str, term_start: date, term_end: date,
                   seat: str = "", organisation: str = "", is_voting: bool | None = None) -> Member:
    """A member for a term. A chair and a secretary are one person at a time."""
    name = text_required(name, "name", "ชื่อ")
    if term_end < term_start:
        raise DomainError(GovError.MEMBER_TERM)
    Body.objects.select_for_update().get(pk=body.pk)  # serialise appointments: two chairs at once is the race
    if role in SINGLE_ROLES:
        holder = _overlapping(body, role, term_start, term_end)
        if holder is not None:
            raise DomainError(GovError.MEMBER_ROLE_TAKEN, name=holder.name, role=Member.Role(role).label,
                              start=format_date(holder.term_start), end=format_date(holder.term_end))
    if is_voting is None:
        is_voting = role != Member.Role.ADVISER
    member = Member.objects.create(body=body, name=name, role=role, sector=sector, seat=seat.strip(),
                                   organisation=organisation.strip(), term_start=term_start, term_end=term_end,
                                   is_voting=is_voting)
    _event(body, BodyEvent.Kind.APPOINTED, f"{member} {format_date(term_start)} – {format_date(term_end)}", actor)
    return member


@transaction.atomic
def member_leaves(*, actor: Any, member: Member, left_on: date, reason: str = "") -> Member:
    """A member leaves before the term ends (resignation, death, a new order). Recorded once."""
    if not member.term_start < left_on <= member.term_end:
        raise DomainError(GovError.MEMBER_LEFT_DATE, start=format_date(member.term_start),
                          end=format_date(member.term_end))
    changed = Member.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=left_on,
                                                                               left_reason=reason.strip())
    if changed != 1:
        member.refresh_from_db()
        raise DomainError(GovError.MEMBER_ALREADY_LEFT, name=member.name, date=format_date(member.left_on))
    member.left_on, member.left_reason = left_on, reason.strip()
    _event(member.body, BodyEvent.Kind.LEFT, f"{member} {format_date(left_on)} {reason}", actor)
    return member


@dataclass(frozen=True)
class Warning:
    body: Body
    text: str
    level: str = "warn"  # warn or bad


def warnings(bodies: Iterable[Body], on: date) -> list[Warning]:
    """Terms ending soon (a dated number of days ahead), terms over, no chair in office."""
    from django.utils.translation import gettext as _

    days = params.get(P.TERM_WARNING_DAYS.key, on=on)
    found = []
    for body in bodies:
        in_office = list(members_in_office(body, on))
        ending = sorted((m for m in in_office if m.term_end <= on + timedelta(days=days)), key=lambda m: m.term_end)
        if ending:
            found.append(Warning(body, _("%(count)s members' terms end by %(date)s (first: %(first)s).") % {
                "count": len(ending), "date": format_date(ending[-1].term_end),
                "first": format_date(ending[0].term_end)}))
        if not in_office and body.members.exists():
            found.append(Warning(body, _("Every member's term is over: ask for a new appointing order."), "bad"))
        elif in_office and not any(m.role == Member.Role.CHAIR for m in in_office):
            found.append(Warning(body, _("No chair in office."), "bad"))
    return found


# --- meetings ----------------------------------------------------------------------------------------------
def quorum_rule(body: Body, on: date) -> str:
    return body.quorum or params.get(P.QUORUM.key, on=on)


def _quorum_for(body: Body, held_on: date, reconvenes: Meeting | None, notice_reduced: bool) -> str:
    if reconvenes is None:
        return quorum_rule(body, held_on)
    days = params.get(P.RECONVENE_WITHIN_DAYS.key, on=held_on)
    allowed = (reconvenes.body_id == body.pk and not reconvenes.quorum_met and notice_reduced
               and 0 < (held_on - reconvenes.held_on).days <= days)
    if not allowed:
        raise DomainError(GovError.BAD_RECONVENE, days=days)
    return params.get(P.RECONVENED_QUORUM.key, on=held_on)


@transaction.atomic
def record_meeting(*, actor: Any, body: Body, held_on: date, agenda: Sequence[str], attendees: Iterable[Member],
                   place: str = "", reconvenes: Meeting | None = None, notice_reduced_quorum: bool = False,
                   number: int | None = None) -> Meeting:
    """A meeting that took place: agenda items, who attended; the quorum counted from the voting members in
    office that day."""
    if held_on > today():
        raise DomainError(GovError.MEETING_IN_FUTURE)
    items = [line.strip() for line in agenda if line.strip()]
    if not items:
        raise DomainError(GovError.NO_AGENDA)
    attendees = list(attendees)
    if any(m.body_id != body.pk for m in attendees):
        raise DomainError(GovError.MEMBER_OTHER_BODY)
    fraction = _quorum_for(body, held_on, reconvenes, notice_reduced_quorum)
    count = committees.attendance(members_in_office(body, held_on).filter(is_voting=True), attendees,
                                  fraction=fraction)
    year = fiscal_year(held_on)
    Body.objects.select_for_update().get(pk=body.pk)  # serialise numbering; the unique constraint is the backstop
    if number is None:
        number = committees.next_number(Meeting.objects.filter(body=body, year=year))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                body=body, year=year, number=number, held_on=held_on, agenda="\n".join(items), place=place.strip(),
                members_in_office=count.in_office, members_present=count.present, quorum_met=count.met,
                quorum_fraction=fraction, reconvenes=reconvenes, recorded_by=actor)
    except IntegrityError:
        raise DomainError(GovError.DUPLICATE_MEETING, number=number, year=year) from None
    AgendaItem.objects.bulk_create(AgendaItem(meeting=meeting, number=i, title=t[:500])
                                   for i, t in enumerate(items, start=1))
    meeting.attendees.set(attendees)
    _event(body, BodyEvent.Kind.MEETING, f"{meeting} {format_date(held_on)} ({count.present}/{count.in_office})",
           actor)
    return meeting


def quorum_needed(meeting: Meeting) -> int:
    return committees.quorum_needed(meeting.members_in_office, meeting.quorum_fraction or "1/2")


@transaction.atomic
def file_minutes(*, actor: Any, meeting: Meeting, upload: Any, public: bool = False) -> Meeting:
    """Attach the minutes (Administrative Procedure Act s.83: minutes are kept) as a file; a new file replaces
    the old one (the event log keeps that it happened)."""
    on = today()
    types = [str(t).lower() for t in params.get(P.MINUTES_TYPES.key, on=on)]
    name = Path(upload.name).name
    if Path(name).suffix.lower().lstrip(".") not in types:
        raise DomainError(GovError.BAD_MINUTES_TYPE, types=", ".join(types), name=name)
    limit = params.get(P.MINUTES_MAX_MB.key, on=on)
    if upload.size > limit * 1024 * 1024:
        raise DomainError(GovError.MINUTES_TOO_BIG, mb=limit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.minutes.save(f"{meeting.body.code}-{meeting.year}-{meeting.number}{Path(name).suffix.lower()}", upload,
                         save=False)
    meeting.minutes_public = public
    meeting.save(update_fields=["minutes", "minutes_public"])
    _event(meeting.body, BodyEvent.Kind.MINUTES, f"{meeting}: {name}", actor)
    return meeting


@transaction.atomic
def add_resolution(*, actor: Any, meeting: Meeting, text: str, item: AgendaItem | None = None) -> Resolution:
    """A resolution of a meeting that had its quorum, numbered per body and fiscal year."""
    text = text_required(text, "resolution", "มติ")
    if not meeting.quorum_met:
        raise DomainError(GovError.NO_QUORUM, meeting=str(meeting), present=meeting.members_present,
                          in_office=meeting.members_in_office, needed=quorum_needed(meeting))
    if item is not None and item.meeting_id != meeting.pk:
        raise DomainError(GovError.ITEM_OTHER_MEETING)
    body = Body.objects.select_for_update().get(pk=meeting.body_id)
    number = committees.next_number(Resolution.objects.filter(body=body, year=meeting.year))
    resolution = Resolution.objects.create(body=body, meeting=meeting, item=item, year=meeting.year, number=number,
                                           text=text, created_by=actor)
    _event(body, BodyEvent.Kind.RESOLUTION, f"{resolution.reference} {text}", actor)
    return resolution
