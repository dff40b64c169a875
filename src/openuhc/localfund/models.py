"""Local health security funds (กองทุนหลักประกันสุขภาพในระดับท้องถิ่นหรือพื้นที่, กปท.).

Money is only ever recorded as `LedgerEntry` rows (append-only); a fund's balance, and the balance of each
sub-account, is the sum of its entries. Projects keep their current status on the row (for fast pages) and
every change of status as an append-only `ProjectEvent` written by the same service in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.committees import MeetingBase, MemberBase
from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import LocalGovernment

MONEY = {"max_digits": 16, "decimal_places": 2}


class Fund(models.Model):
    """A local health security fund, co-run by the national office and a local government (or area)."""

    class Tier(models.TextChoices):
        # The co-funding tiers of the 2557 announcement (rates in the parameter localfund.cofunding_percent).
        SMALL = "small", _("Small sub-district administrative organisation")
        MEDIUM = "medium", _("Medium sub-district administrative organisation")
        LARGE = "large", _("Large SAO or sub-district municipality")
        CITY = "city", _("Town or city municipality, or other form")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True, default="")
    local_government = models.OneToOneField(
        LocalGovernment, null=True, blank=True, on_delete=models.PROTECT, related_name="fund"
    )
    is_active = models.BooleanField(_("active"), default=True)
    cofunding_tier = models.CharField(_("co-funding tier"), max_length=10, choices=Tier.choices, blank=True,
                                      default="", help_text=_("Empty: derived from the kind of local government."))
    bank_name = models.CharField(_("bank"), max_length=200, blank=True, default="")
    bank_branch = models.CharField(_("bank branch"), max_length=200, blank=True, default="")
    bank_account_no = models.CharField(_("bank account number"), max_length=30, blank=True, default="")
    bank_account_name = models.CharField(_("bank account name"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def tier(self) -> str:
        if self.cofunding_tier:
            return self.cofunding_tier
        kind = self.local_government.kind if self.local_government_id else ""
        if kind == LocalGovernment.Kind.SAO:
            return self.Tier.MEDIUM
        if kind == LocalGovernment.Kind.SUBDISTRICT_MUNICIPALITY:
            return self.Tier.LARGE
        return self.Tier.CITY

    @property
    def tier_label(self) -> str:
        """The tier in words, whether set on the fund or derived from its local government."""
        return str(self.Tier(self.tier).label)


class Account(models.TextChoices):
    """The fund's sub-accounts: the general account and the long-term care account for dependent people."""

    MAIN = "main", _("General account")
    LTC = "ltc", _("Long-term care account")


class FundYear(models.Model):
    """A fiscal year of a fund. Closing it carries every sub-account's balance over to the next year."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="years")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        ordering = ["fund", "year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="localfund_one_year_per_fund")]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.year}"


class CommitteeMember(MemberBase):
    """A member of the fund committee (คณะกรรมการกองทุน) for a term. Names are never shown publicly."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        COUNCIL = "council", _("Council member")
        UNIT_HEAD = "unit_head", _("Head of a primary care unit")
        VOLUNTEER = "volunteer", _("Village health volunteer")
        COMMUNITY = "community", _("Community representative")
        CENTRE = "centre", _("Coordination-centre representative")
        SECRETARY = "secretary", _("Member and secretary")
        ASSISTANT = "assistant", _("Assistant secretary")
        ADVISER = "adviser", _("Adviser")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(pgettext_lazy("committee", "role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["fund", "term_start", "role", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(term_end__gte=models.F("term_start")),
                                              name="localfund_member_term_ordered")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Meeting(MeetingBase):
    """A committee meeting: agenda, who attended, whether the quorum was met, its resolutions."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="meetings")
    attendees = models.ManyToManyField(CommitteeMember, blank=True, related_name="meetings")

    class Meta:
        ordering = ["fund", "-held_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["fund", "year", "number"],
                                               name="localfund_one_meeting_number_per_year")]

    def __str__(self) -> str:
        return _("Meeting %(number)s/%(year)s") % {"number": self.number, "year": self.year}


class Resolution(AppendOnly):
    """A resolution of a meeting (มติที่ประชุม), e.g. the decision on a project."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    project = models.ForeignKey("Project", null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    text = models.TextField(_("resolution"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class HealthPlan(models.Model):
    """The fund's yearly health plan (แผนสุขภาพตำบล)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    summary = models.TextField(_("summary"), blank=True, default="")

    class Meta:
        ordering = ["fund", "-year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="localfund_one_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.fund.code} {self.year}"


class PlanTarget(models.Model):
    class Group(models.TextChoices):
        ELDERLY = "elderly", _("Elderly care")
        CHRONIC = "chronic", _("Chronic disease")
        MOTHER_CHILD = "mother_child", _("Mothers and young children")
        YOUTH = "youth", _("Children and young people")
        WORKING_AGE = "working_age", _("Working-age people")
        DISABLED = "disabled", _("People with disabilities and dependent people")
        ENVIRONMENT = "environment", _("Environment and communicable disease")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(HealthPlan, on_delete=models.CASCADE, related_name="targets")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    problem = models.TextField(_("problem"))
    target = models.TextField(_("target"))
    indicator = models.CharField(_("indicator"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["plan", "group", "id"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.target[:60]}"


class Income(AppendOnly):
    """Money received (รายรับ): the national transfer, co-funding, interest, other income, the LTC transfer."""

    class Kind(models.TextChoices):
        NATIONAL_TRANSFER = "national_transfer", _("National transfer (per head)")
        COFUNDING = "cofunding", _("Local co-funding")
        INTEREST = "interest", _("Interest")
        OTHER = "other", _("Other income")
        LTC_TRANSFER = "ltc_transfer", _("Long-term care transfer")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="incomes")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    account = models.CharField(_("account"), max_length=10, choices=Account.choices)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    received_on = models.DateField(_("received on"))
    # How a transfer was worked out: population × rate per head, or dependent person-years × LTC rate.
    basis_count = models.PositiveIntegerField(null=True, blank=True)
    basis_rate = models.DecimalField(null=True, blank=True, **MONEY)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "year", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="localfund_income_positive")]


class Project(models.Model):
    """A project the committee funds (โครงการ). Category = project type 1–5 (configurable list)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned with conditions")
        REJECTED = "rejected", _("rejected")
        APPROVED = "approved", _("approved")
        AGREED = "agreed", _("agreement signed")
        REPORTED = "reported", _("final report received")
        CLOSED = "closed", _("closed")

    class ProposerKind(models.TextChoices):
        HEALTH_UNIT = "health_unit", _("Health unit")
        COMMUNITY = "community", _("Community organisation or group")
        CENTRE = "centre", _("Child, elderly or disabled people's centre")
        FUND_OFFICE = "fund_office", _("Fund office")
        OTHER_AGENCY = "other_agency", _("Other agency")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="projects")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveIntegerField(_("project number"))
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(pgettext_lazy("project", "category"), max_length=10)
    account = models.CharField(_("account"), max_length=10, choices=Account.choices, default=Account.MAIN)
    proposer_kind = models.CharField(_("proposer"), max_length=20, choices=ProposerKind.choices)
    proposer_name = models.CharField(_("proposing organisation"), max_length=300)
    # Personal data: shown to the fund's staff only, never on the public page.
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    objectives = models.TextField(_("objectives"))
    target_group = models.CharField(_("target group"), max_length=300)
    target_count = models.PositiveIntegerField(_("number of people targeted"), null=True, blank=True)
    activities = models.TextField(_("activities"), blank=True, default="")
    expected_outputs = models.TextField(_("expected outputs"), blank=True, default="")
    plan_target = models.ForeignKey(PlanTarget, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="projects", verbose_name=_("health-plan target"))
    requested_amount = models.DecimalField(_("requested (baht)"), **MONEY)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    approved_amount = models.DecimalField(_("approved (baht)"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True, default="")
    agreement_no = models.CharField(_("agreement number"), max_length=50, blank=True, default="")
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    results = models.TextField(_("results"), blank=True, default="")
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    actual_spending = models.DecimalField(_("actual spending (baht)"), null=True, blank=True, **MONEY)
    submitted_on = models.DateField(_("submitted on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["fund", "-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "number"], name="localfund_one_project_number"),
            models.CheckConstraint(condition=models.Q(requested_amount__gt=0), name="localfund_requested_positive"),
        ]
        indexes = [models.Index(fields=["fund", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.year}/{self.number} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.year}/{self.number:03d}"


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        ordering = ["project", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="localfund_budget_line_positive")]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class ProjectEvent(AppendOnly):
    """Every change of a project's status, with the meeting that decided it where there was one."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "at", "id"]

    @property
    def to_label(self) -> str:
        return str(Project.Status(self.to_status).label)


class Disbursement(AppendOnly):
    """One instalment paid to a project (งวดการเบิกจ่าย)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements")
    instalment = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "instalment"]
        constraints = [
            models.UniqueConstraint(fields=["project", "instalment"], name="localfund_one_instalment_number"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="localfund_disbursement_positive"),
        ]


class ProgressReport(AppendOnly):
    """A progress or final report of a project."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        FINAL = "final", _("final report")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress and results"))
    spent_to_date = models.DecimalField(_("spent to date (baht)"), **MONEY)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "reported_on", "id"]


class LedgerEntry(AppendOnly):
    """One movement of money (รายการบัญชี), signed: + in, − out. Never changed; corrections are new entries."""

    class Kind(models.TextChoices):
        NATIONAL_TRANSFER = "national_transfer", _("National transfer (per head)")
        COFUNDING = "cofunding", _("Local co-funding")
        INTEREST = "interest", _("Interest")
        OTHER = "other", _("Other income")
        LTC_TRANSFER = "ltc_transfer", _("Long-term care transfer")
        DISBURSEMENT = "disbursement", _("Disbursement to a project")
        REFUND = "refund", _("Unused money returned by a project")
        CARRY_IN = "carry_in", _("Brought forward from last year")
        CARRY_OUT = "carry_out", _("Carried forward to next year")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="ledger")
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    account = models.CharField(_("account"), max_length=10, choices=Account.choices)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    entry_date = models.DateField(_("date"))
    income = models.ForeignKey(Income, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disbursement = models.ForeignKey(Disbursement, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    memo = models.CharField(_("memo"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "year", "entry_date", "id"]
        indexes = [models.Index(fields=["fund", "year", "account"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="localfund_entry_not_zero"),
            # One carry-over per account and year: closing a year twice cannot move the money twice.
            models.UniqueConstraint(fields=["fund", "year", "account", "kind"],
                                    condition=models.Q(kind__in=["carry_in", "carry_out"]),
                                    name="localfund_one_carry_per_year"),
        ]
