"""Payment runs (รอบการจ่ายเงิน), their append-only events and lines, and the paid marker of each claim."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}


class PaymentRun(models.Model):
    """A payment round (รอบการจ่าย) of one kind for a scheme and a region, numbered within its fiscal year.

    Capitation counts a month (`period`, the count date being its first day). Inpatient and fee-schedule rounds
    pay every unpaid claim (item) received up to their `cutoff`, whatever its service month; `period` is the
    month of the cut-off, the month the statements are filed under. A year-end round settles a fiscal year
    (`period` = its last month). The status moves draft → checked → approved → published by compare-and-set,
    each step a `RunEvent`; the lines are written once, when the round is computed, and never changed. A
    correction is a new round of kind "adjustment"."""

    class Kind(models.TextChoices):
        CAPITATION = "capitation", _("capitation")
        IP = "ip", _("inpatient")
        FEE = "fee", _("fee schedule")
        ADJUSTMENT = "adjustment", _("adjustment")
        YEAR_END = "year_end", _("year-end reconciliation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CHECKED = "checked", _("checked")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    scheme = models.ForeignKey("registry.Scheme", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period (first day of the month)"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    number = models.PositiveIntegerField(_("round"))
    cutoff = models.DateField(_("claims received up to"), null=True, blank=True)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    budget_version = models.ForeignKey("budget.BudgetVersion", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    # Set once, when the run is computed (compare-and-set from empty), then never changed.
    computed_at = models.DateTimeField(null=True, blank=True)
    units = models.PositiveIntegerField(default=0)
    population = models.PositiveIntegerField(default=0)
    claims = models.PositiveIntegerField(default=0)
    gross = models.DecimalField(_("gross"), **MONEY)
    deductions = models.DecimalField(_("deductions"), **MONEY)
    net = models.DecimalField(_("net"), **MONEY)
    checksum = models.CharField(max_length=64, blank=True, default="")
    # Written with the totals: per region-month (IP) or per region-year (year-end) the rate, budget and AdjRW.
    summary = models.JSONField(default=dict, blank=True)
    # The batch-engine run pricing this run's claims (uuid), set once by compare-and-set from "": a compute that
    # was killed resumes that engine run instead of starting another.
    engine_run = models.CharField(max_length=36, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-period", "region", "kind", "-number", "id"]
        constraints = [
            # The database decides, so two people starting a round at the same moment get one round and one clear
            # error: rounds are numbered once per (scheme, region, kind, fiscal year); a month is counted for
            # capitation once; a fiscal year is reconciled once.
            models.UniqueConstraint(fields=["scheme", "region", "kind", "fiscal_year", "number"],
                                    name="payment_round_number"),
            models.UniqueConstraint(fields=["scheme", "region", "period"], condition=models.Q(kind="capitation"),
                                    name="payment_one_capitation_per_month"),
            models.UniqueConstraint(fields=["scheme", "region", "fiscal_year"], condition=models.Q(kind="year_end"),
                                    name="payment_one_year_end_per_year"),
            models.CheckConstraint(condition=models.Q(corrects__isnull=True) | models.Q(kind="adjustment"),
                                   name="payment_only_adjustments_correct"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.scheme_id} R{self.region_id} FY{self.fiscal_year} #{self.number}"

    @property
    def label(self) -> str:
        """"FY2569 round 3" as people name it (with the kind and the region beside it on the pages)."""
        return _("FY%(fy)s round %(n)s") % {"fy": self.fiscal_year, "n": self.number}


class RunEvent(AppendOnly):
    """One step of a run's life: who did what, when, from which status to which."""

    class Action(models.TextChoices):
        STARTED = "started", _("started")
        COMPUTED = "computed", _("computed")
        CHECKED = "checked", _("checked")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["run", "at", "id"]

    def __str__(self) -> str:
        return f"run {self.run_id}: {self.action}"


class UnitPayment(AppendOnly):
    """What one unit receives from one run: the statement's total line."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="unit_payments")
    unit = models.ForeignKey("providers.HealthUnit", on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(default=0)
    claims = models.PositiveIntegerField(default=0)
    # Payable AdjRW of the unit's inpatient claims in this run (AdjRW2 × late %), for the charts.
    adjrw = models.DecimalField(_("AdjRW"), max_digits=14, decimal_places=4, default=0)
    gross = models.DecimalField(_("gross"), **MONEY)
    rti_deduction = models.DecimalField(_("road-traffic insurance"), **MONEY)
    salary_deduction = models.DecimalField(_("salary deduction"), **MONEY)
    net = models.DecimalField(_("net"), **MONEY)

    class Meta:
        ordering = ["run", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="payment_one_total_per_unit")]

    def __str__(self) -> str:
        return f"run {self.run_id} unit {self.unit_id}: {self.net}"


class CapitationLine(AppendOnly):
    """The population of one age group of a unit counted by a capitation run, its weight and its money."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="capitation_lines")
    unit = models.ForeignKey("providers.HealthUnit", on_delete=models.PROTECT, related_name="+")
    age_group = models.CharField(_("age group"), max_length=30)
    min_age = models.PositiveSmallIntegerField()
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    population = models.PositiveIntegerField(_("population"))
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["run", "unit__code", "min_age"]
        constraints = [models.UniqueConstraint(fields=["run", "unit", "age_group"], name="payment_one_line_per_group")]

    def __str__(self) -> str:
        return f"run {self.run_id} unit {self.unit_id} {self.age_group}: {self.population}"


class PopulationCount(AppendOnly):
    """A count of the country's covered population by payee unit and age group on a count date, kept so that the
    regional capitation rounds of a month count once (`payment.capitation.stored_counts`). `fingerprint` names
    the registry and CUP state it was taken from (their newest rows): a count is reused only while it is the
    same, so any registry or CUP change since makes the next round count again."""

    scheme = models.ForeignKey("registry.Scheme", on_delete=models.PROTECT, related_name="+")
    count_date = models.DateField(_("count date"))
    groups = models.CharField(_("age groups"), max_length=64)  # digest of the age groups' codes and bounds
    fingerprint = models.CharField(max_length=200)
    counts = models.JSONField(default=list)  # [[payee unit id, age group, people], ...]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "count_date", "groups", "fingerprint"],
                                               name="payment_one_population_count")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.count_date}"


class ClaimPayment(AppendOnly):
    """The paid marker and claim line: claim `claim_id` of type `claim_type` paid by `run`.

    Original payments are unique per claim (a partial unique index): the database refuses a second one, so
    two runs started at the same moment can never both pay a claim. Corrections are separate adjustment lines.
    """

    class ClaimType(models.TextChoices):
        IP = "ip", _("inpatient")
        FEE = "fee", _("fee schedule")  # claim_id is the itemised line (claims.Item), detail["claim"] its claim

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="claim_payments")
    claim_type = models.CharField(max_length=10, choices=ClaimType.choices)
    claim_id = models.BigIntegerField(_("claim"))
    is_adjustment = models.BooleanField(default=False)
    # The fiscal year whose budget pays the line: of the discharge (inpatient) or of the service (fee schedule).
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    unit = models.ForeignKey("providers.HealthUnit", on_delete=models.PROTECT, related_name="+")
    gross = models.DecimalField(_("amount"), **MONEY)
    rti_deduction = models.DecimalField(_("road-traffic insurance"), **MONEY)
    salary_deduction = models.DecimalField(_("salary deduction"), **MONEY)
    net = models.DecimalField(_("net"), **MONEY)
    # DRG, RW, AdjRW, AdjRW2, exact/approximate, late %, rate, item, quantity, reason codes …
    detail = models.JSONField(default=dict)
    paid_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "claim_id"]
        constraints = [
            models.UniqueConstraint(fields=["claim_type", "claim_id"], condition=models.Q(is_adjustment=False),
                                    name="payment_claim_paid_once"),
        ]
        indexes = [models.Index(fields=["unit", "run"]), models.Index(fields=["claim_type", "fiscal_year"])]

    def __str__(self) -> str:
        return f"{self.claim_type} claim {self.claim_id} paid by run {self.run_id}"

    @property
    def deductions(self):  # noqa: ANN201
        return self.rti_deduction + self.salary_deduction
