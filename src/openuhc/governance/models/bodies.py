"""Bodies (committees, boards), their members and terms, meetings with attendance and minutes, resolutions.

Members and meetings are built on the committee pieces local funds use too (`core.committees`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.committees import MeetingBase, MemberBase
from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import LocalGovernment, Named, Province, Region


class Titled(models.Model):
    """A title in Thai and English, shown in the reader's language (Thai when no English title is known)."""

    title_th = models.CharField(_("title (Thai)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        language = translation.get_language() or "th"
        return self.title_en if language.startswith("en") and self.title_en else self.title_th


class Area(models.Model):
    """Where something belongs: a province, or a health region (area boards), or neither (national)."""

    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("province"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("health region"))

    class Meta:
        abstract = True

    @property
    def area(self) -> Province | Region | None:
        return self.province or self.region

    @property
    def area_label(self) -> str:
        if self.province_id:
            return str(self.province)
        if self.region_id:
            return str(self.region)
        return str(_("National"))


def one_area(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(province__isnull=True) | models.Q(region__isnull=True), name=name)


class BodyType(Named):
    """A kind of body, as configurable data (seeded with the Thai ones; another country adds its own)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGION = "region", _("Health region")
        NATIONAL = "national", _("National")

    code = models.CharField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    legal_basis = models.TextField(_("legal basis"), blank=True, default="")
    publish_names = models.BooleanField(_("members' names shown publicly by default"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]


class Secretariat(Named, Area):
    """The office that runs bodies (secretariat, ฝ่ายเลขานุการ): the scope of the secretariat role."""

    code = models.CharField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        constraints = [one_area("governance_secretariat_one_area")]

    def __str__(self) -> str:
        return self.name


class Body(Named, Area):
    """A committee or board with an area, a legal basis and the order that appointed it."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    body_type = models.ForeignKey(BodyType, on_delete=models.PROTECT, related_name="bodies",
                                  verbose_name=_("type"))
    local_government = models.ForeignKey(LocalGovernment, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("local government"))
    secretariat = models.ForeignKey(Secretariat, on_delete=models.PROTECT, related_name="bodies",
                                    verbose_name=_("secretariat"))
    legal_basis = models.TextField(_("legal basis"), blank=True, default="")
    appointing_order = models.CharField(_("appointing order"), max_length=300, blank=True, default="")
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    # Administrative Procedure Act B.E. 2539 s.79: half of the members, unless the order says otherwise.
    quorum = models.CharField(_("quorum (if the order sets one)"), max_length=10, blank=True, default="",
                              help_text=_("A fraction such as 2/3 or 0.6; empty: the general rule."))
    publish_names = models.BooleanField(_("members' names shown publicly"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["code"]
        constraints = [one_area("governance_body_one_area")]

    def __str__(self) -> str:
        return self.name


class Member(MemberBase):
    """A member for a term, with a sector, a seat or constituency and a role; `left_on` ends it early."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Member and secretary")
        ASSISTANT = "assistant", _("Assistant secretary")
        ADVISER = "adviser", _("Adviser")

    class Sector(models.TextChoices):
        # The three sectors of the National Health Act B.E. 2550, s.13 (policy/state, academic, civil society).
        STATE = "state", _("State sector")
        ACADEMIC = "academic", _("Academic and professional sector")
        PEOPLE = "people", _("People's sector and civil society")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(pgettext_lazy("committee", "role"), max_length=20, choices=Role.choices,
                            default=Role.MEMBER)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    seat = models.CharField(_("seat or constituency"), max_length=300, blank=True, default="")
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["body", "role", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(term_end__gte=models.F("term_start")),
                                   name="governance_member_term_ordered"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gt=models.F("term_start")),
                name="governance_member_left_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def in_office_on(self, on):  # noqa: ANN001, ANN201 - a date
        return super().in_office_on(on) and (self.left_on is None or on < self.left_on)


class Meeting(MeetingBase):
    """A meeting of a body: numbered per fiscal year, with its agenda items, attendance, minutes and resolutions."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    attendees = models.ManyToManyField(Member, blank=True, related_name="meetings")
    place = models.CharField(_("place"), max_length=300, blank=True, default="")
    # Administrative Procedure Act s.79 para. 2: a matter adjourned for want of a quorum, scheduled again within
    # 14 days with the notice saying so, may be decided with a third of the members.
    reconvenes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("reconvenes the meeting"))
    quorum_fraction = models.CharField(max_length=10, blank=True, default="")
    minutes = models.FileField(_("minutes"), upload_to="governance/minutes/%Y/", blank=True, max_length=300)
    minutes_public = models.BooleanField(_("minutes published"), default=False)

    class Meta:
        ordering = ["body", "-held_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"],
                                               name="governance_one_meeting_number_per_year")]

    def __str__(self) -> str:
        return _("Meeting %(number)s/%(year)s") % {"number": self.number, "year": self.year}


class AgendaItem(models.Model):
    """One item of a meeting's agenda (ระเบียบวาระ)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("item"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="governance_one_agenda_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Resolution(AppendOnly):
    """A resolution of a body (มติ), numbered per body and fiscal year: 3/2569."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="resolutions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("resolution"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["body", "year", "number"]
        constraints = [models.UniqueConstraint(fields=["body", "year", "number"],
                                               name="governance_one_resolution_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:80]}"

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"


class BodyEvent(AppendOnly):
    """What happened to a body, for its history: members appointed and leaving, meetings, minutes, resolutions."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Body set up")
        APPOINTED = "appointed", _("Member appointed")
        LEFT = "left", _("Member left")
        MEETING = "meeting", _("Meeting recorded")
        MINUTES = "minutes", _("Minutes filed")
        RESOLUTION = "resolution", _("Resolution recorded")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=500, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["body", "at", "id"]
