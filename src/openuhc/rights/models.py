"""Rights protection and people's participation (การคุ้มครองสิทธิและการมีส่วนร่วมของประชาชน).

Coordination centres and the networks they belong to; cases (complaints, grievances, advice, coordination
of care) with deadlines and an append-only history; Section 41 no-fault assistance (เงินช่วยเหลือเบื้องต้น
ตามมาตรา 41) with decisions, appeals, payments and the yearly reserve; trainings, events and the annual
public hearing (Section 18(13)). Every change goes through `services`, `assistance` or `participation`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import Named, Province, Region


class NetworkGroup(Named):
    """A kind of people's network (youth, women, ethnic groups, ...): a configurable list."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]


class Network(Named):
    """A people's network organisation (เครือข่ายภาคประชาชน)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    group = models.ForeignKey(NetworkGroup, on_delete=models.PROTECT, related_name="networks",
                              verbose_name=_("group"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="networks", verbose_name=_("region"))
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="networks",
                                 verbose_name=_("province"))
    contact = models.CharField(_("contact"), max_length=200, blank=True, default="")
    members = models.PositiveIntegerField(pgettext_lazy("network", "members"), default=0)

    class Meta:
        ordering = ["code"]


class Centre(models.Model):
    """A complaint unit independent of the units complained about (Section 50(5)) or a people's centre."""

    class Kind(models.TextChoices):
        SECTION_50_5 = "s50_5", _("Section 50(5) independent complaint unit")
        PEOPLES_CENTRE = "peoples", _("People's health security coordination centre")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="centres")
    provinces = models.ManyToManyField(Province, blank=True, related_name="centres",
                                       verbose_name=_("catchment provinces"))
    networks = models.ManyToManyField(Network, blank=True, related_name="centres", verbose_name=_("networks"))
    phone = models.CharField(_("phone"), max_length=50, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class CaseCategory(Named):
    """A complaint ground of the Act (sections 57 and 59) or one of its configurable sub-categories."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("ground"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = _("case categories")

    @property
    def ground(self) -> CaseCategory:
        return self.parent or self


class Case(models.Model):
    """A complaint, rights grievance, question or request to coordinate care, from receipt to closure.

    Who complained (name, contact, citizen ID, person) is shown to the unit concerned only when the
    complainant consented (`share_identity_with_unit`); `services.case_view` is the one place that decides.
    """

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        GRIEVANCE = "grievance", _("Rights grievance")
        ADVICE = "advice", _("Advice or question")
        COORDINATION = "coordination", _("Coordination of care")

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        WALK_IN = "walk_in", _("Walk-in")
        WEB_FORM = "web_form", _("Web form")
        LETTER = "letter", _("Letter")
        PARTNER = "partner", _("Partner organisation")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        PARTLY = "partly", _("Partly resolved")
        NOT_UPHELD = "not_upheld", _("Not upheld")
        ANSWERED = "answered", _("Question answered")
        REFERRED = "referred", _("Referred to another body")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.CharField(_("case number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region"))
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("centre"))
    category = models.ForeignKey(CaseCategory, on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("category"))
    unit = models.ForeignKey("providers.HealthUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rights_cases", verbose_name=_("unit concerned"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    received_at = models.DateTimeField(_("received at"))
    # the complainant: all optional (anonymous cases are allowed), consent recorded with its date
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="rights_cases", verbose_name=_("person"))
    complainant_name = models.CharField(_("name"), max_length=200, blank=True, default="")
    complainant_contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True, default="")
    consent_to_record = models.BooleanField(_("consents to the recording of personal data"), default=False)
    share_identity_with_unit = models.BooleanField(_("consents to the unit concerned learning who complained"),
                                                   default=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    # deadlines, fixed at receipt from the configuration in force that day
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    outcome_by = models.DateTimeField(_("outcome by"))
    # current state (kept in step with the events by the services, for fast lists)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assigned to"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the region at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="")
    outcome_text = models.TextField(_("outcome in words"), blank=True, default="")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    # web-form cases: the complainant follows the case with the number and a secret (only its hash is kept)
    secret_hash = models.CharField(max_length=128, blank=True, default="")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["centre", "status"])]
        constraints = [
            models.CheckConstraint(name="rights_case_satisfaction_1_to_5",
                                   condition=models.Q(satisfaction__isnull=True)
                                   | models.Q(satisfaction__gte=1, satisfaction__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def closed_on_time(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at <= self.outcome_by


class CaseEvent(AppendOnly):
    """One step in a case's life, in order. `audience` says who may read it."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")
        UNIT_REPLY = "unit_reply", _("Reply from the unit")
        MESSAGE = "message", _("Message from the complainant")
        ESCALATED = "escalated", _("Escalated to the region")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        RATED = "rated", _("Satisfaction given")

    class Audience(models.TextChoices):
        """Who reads a text. Words addressed to the complainant (acknowledgement, outcome, a reason to reopen)
        may name them, so the unit concerned reads them only when the complainant consented to the unit
        learning who they are (`services.identity_visible`)."""

        STAFF = "staff", _("Staff only")
        UNIT = "unit", _("Staff and the unit concerned")
        COMPLAINANT = "complainant", _("Staff and the complainant (the unit only with the complainant's consent)")
        PUBLIC = "public", _("Staff, the unit concerned and the complainant")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.STAFF)
    text = models.TextField(blank=True, default="")
    status_after = models.CharField(max_length=20, choices=Case.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["at", "id"]


# --- Section 41 assistance -------------------------------------------------------------------------------

class DamageCategory(models.TextChoices):
    DEATH = "death", _("Death, permanent disability or chronic illness that seriously affects life")
    ORGAN = "organ", _("Loss of an organ or disability")
    INJURY = "injury", _("Injury or illness needing continued treatment")


class AssistanceRequest(models.Model):
    """A request for Section 41 preliminary assistance for a person harmed by a service, without proof of fault."""

    class Requester(models.TextChoices):
        INJURED = "injured", _("The injured person")
        HEIR = "heir", _("An heir or carer")
        UNIT = "unit", _("A service unit")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received: evidence being gathered")
        COMPLETE = "complete", _("File complete: awaiting the committee")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        APPEALED = "appealed", _("Appealed")
        PAID = "paid", _("Paid")

    number = models.CharField(_("request number"), max_length=20, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="assistance_requests",
                               verbose_name=_("region"))
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="assistance_requests", verbose_name=_("received by centre"))
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="assistance",
                             verbose_name=_("from case"))
    requester_kind = models.CharField(_("requested by"), max_length=10, choices=Requester.choices)
    requester_name = models.CharField(_("requester's name"), max_length=200)
    injured_name = models.CharField(_("injured person's name"), max_length=200)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="assistance_requests", verbose_name=_("person"))
    unit = models.ForeignKey("providers.HealthUnit", on_delete=models.PROTECT, related_name="assistance_requests",
                             verbose_name=_("unit where the harm happened"))
    incident_on = models.DateField(_("date of the service"))
    known_on = models.DateField(_("date the damage became known"))
    received_on = models.DateField(_("received on"))
    description = models.TextField(_("what happened"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    complete_on = models.DateField(_("file complete on"), null=True, blank=True)
    decide_by = models.DateField(_("decide by"), null=True, blank=True)
    appeal_by = models.DateField(_("appeal by"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.injured_name}"


class Evidence(AppendOnly):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=100)
    description = models.TextField(_("description"), blank=True, default="")
    received_on = models.DateField(_("received on"))
    file = models.FileField(_("file"), upload_to="rights/evidence/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["received_on", "id"]


class Decision(AppendOnly):
    """A committee decision; an appeal decision is a later row that supersedes the first."""

    class Stage(models.TextChoices):
        FIRST = "first", _("Sub-committee decision")
        APPEAL = "appeal", _("Appeal decision")

    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="decisions")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    approved = models.BooleanField(_("approved"))
    category = models.CharField(_("damage category"), max_length=10, choices=DamageCategory.choices, blank=True,
                                default="")
    amount = models.DecimalField(_("amount (baht)"), max_digits=12, decimal_places=2, default=0)
    ceiling = models.DecimalField(_("ceiling that day (baht)"), max_digits=12, decimal_places=2, default=0)
    decided_on = models.DateField(_("decided on"))
    committee = models.CharField(_("committee"), max_length=200)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.CheckConstraint(name="rights_decision_amount_within_ceiling",
                                   condition=models.Q(amount__gte=0, amount__lte=models.F("ceiling"))),
        ]


class Appeal(AppendOnly):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="appeals")
    filed_on = models.DateField(_("filed on"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")


class AssistancePayment(AppendOnly):
    """Money paid on a request, charged to the reserve of the region and fiscal year it is paid in."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="payments")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("damage category"), max_length=10, choices=DamageCategory.choices)
    amount = models.DecimalField(_("amount (baht)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(name="rights_payment_positive", condition=models.Q(amount__gt=0))]


class ReserveAllocation(AppendOnly):
    """Money set aside for Section 41 in a region and fiscal year (up to 1 % of what units are paid).

    The reserve is the sum of its allocations (a reduction is a negative allocation)."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    allocated_on = models.DateField(_("allocated on"))
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")


class AssistanceEvent(AppendOnly):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    status_after = models.CharField(max_length=20, choices=AssistanceRequest.Status.choices)
    text = models.TextField(blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["at", "id"]


# --- participation --------------------------------------------------------------------------------------

class Activity(models.Model):
    """A training, workshop or meeting run for people's networks (or with partners from other countries)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKSHOP = "workshop", _("Workshop")
        MEETING = "meeting", _("Meeting")
        CAMPAIGN = "campaign", _("Campaign")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
                               verbose_name=_("organised by"))
    is_international = models.BooleanField(_("international"), default=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name_plural = _("activities")
        constraints = [models.CheckConstraint(name="rights_activity_dates_in_order",
                                              condition=models.Q(ends_on__gte=models.F("starts_on")))]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Participant(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.PROTECT, related_name="participants",
                                verbose_name=_("network"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    country = models.CharField(_("country (ISO code)"), max_length=2, default="TH")
    is_new_leader = models.BooleanField(_("new network leader"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField(_("day"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "day"], name="rights_attendance_once_a_day")]

    def __str__(self) -> str:
        return f"{self.participant} {self.day}"


class Hearing(models.Model):
    """The annual public hearing of providers and beneficiaries (Section 18(13)), held per region."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries taking part"), default=0)
    providers = models.PositiveIntegerField(_("providers taking part"), default=0)

    class Meta:
        ordering = ["-fiscal_year", "region__number"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "region"],
                                               name="rights_one_hearing_per_region_year")]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.region}"


class HearingIssue(models.Model):
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="issues")
    topic = models.CharField(_("topic"), max_length=200)
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True, default="")
    text = models.TextField(_("issue raised"))
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.topic
