"""Committees shared by every app that has one: members with terms, meetings with attendance and a quorum.

A local fund's committee (`localfund`) and the area health bodies (`governance`) keep their own tables, built
on the abstract models here, and work out attendance and the quorum with the same functions:

    voting = committees.in_office(body.members.filter(is_voting=True), held_on)
    count = committees.attendance(voting, attendees, fraction=Decimal("0.5"))
    count.met  # True when enough voting members in office came

The quorum rule is the Administrative Procedure Act B.E. 2539, s.79: a committee meeting needs at least half
of its members, unless the law, regulation or order that set the committee up says otherwise. Callers pass the
fraction (a dated parameter, or the body's own rule).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MemberBase(models.Model):
    """A member of a committee for a term. Advisers and observers attend without a vote (`is_voting`)."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    # Members without a vote do not count towards the quorum.
    is_voting = models.BooleanField(_("voting member"), default=True)

    class Meta:
        abstract = True

    def in_office_on(self, on: date) -> bool:
        return self.term_start <= on <= self.term_end


class MeetingBase(models.Model):
    """A meeting: its number in the (fiscal) year, the day, the agenda and the attendance counted that day."""

    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveSmallIntegerField(_("meeting number"))
    held_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), blank=True, default="")
    members_in_office = models.PositiveSmallIntegerField(default=0)
    members_present = models.PositiveSmallIntegerField(default=0)
    quorum_met = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


def in_office(members: QuerySet, on: date) -> QuerySet:
    """The members whose term covers the day."""
    return members.filter(term_start__lte=on, term_end__gte=on)


def quorum_needed(in_office_count: int, fraction: Decimal | Fraction | str) -> int:
    """How many voting members must attend: the fraction of those in office, rounded up, and at least one.

    The fraction is exact: 0.5, "1/2" and "1/3" all work (a third of 9 is 3, not 2.9997 rounded up)."""
    return max(1, math.ceil(in_office_count * as_fraction(fraction)))


def as_fraction(value: Decimal | Fraction | str) -> Fraction:
    """A quorum fraction written as a decimal ("0.5") or a ratio ("2/3"); ValueError when it is neither or
    not between 0 (excluded) and 1."""
    result = Fraction(str(value).strip())
    if not 0 < result <= 1:
        raise ValueError(value)
    return result


@dataclass(frozen=True)
class Attendance:
    in_office: int
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.in_office > 0 and self.present >= self.needed


def attendance(voting_in_office: QuerySet, attendees: Iterable[Any], *,
               fraction: Decimal | Fraction | str) -> Attendance:
    """Count the voting members in office who attended; anyone else present (no vote, term over) does not count."""
    voting = set(voting_in_office.values_list("pk", flat=True))
    present = len({m.pk for m in attendees} & voting)
    return Attendance(len(voting), present, quorum_needed(len(voting), fraction))


def next_number(meetings: QuerySet, field: str = "number") -> int:
    """The next number in a series (meetings of a year, resolutions of a body); a unique constraint backs it."""
    return (meetings.aggregate(n=Max(field))["n"] or 0) + 1
