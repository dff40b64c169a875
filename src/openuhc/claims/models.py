"""Claims (การเบิกชดเชย): submissions of the 16/17 claim files, the OP visits and IP admissions in them,
their problems, and each claim's status as an append-only event history.

A claim is one OP visit (unit + SEQ) or one IP admission (unit + AN). A resubmission of the same key
replaces the earlier claim: the old row stays (with a "replaced" event) and only the new one is current —
a partial unique constraint guarantees one current claim per key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.models_base import AppendOnly
from openuhc.providers.models import HealthUnit
from openuhc.registry.models import Person

# The stored SEQ/AN's size: a longer one is stored cut to it (claims.rules.key_problems, claims.store).
KEY_SIZE = 30

MONEY = {"max_digits": 16, "decimal_places": 2}


# The rows a submission writes in bulk (claims, their lines, events, problems: millions a month) reference their
# parents without a database constraint (`db_constraint=False`): PostgreSQL checks a constraint with a trigger per
# row at commit, which cost more than writing the rows. claims.store writes child rows only joined to the claim ids
# it read back in the same transaction, and persons only as the registry named them in the same check (the
# registry never deletes a person); the ORM still knows every relation (joins, PROTECT on delete). See
# docs/claims.md "Storing".
BULK_ROW: dict[str, Any] = {"on_delete": models.PROTECT, "db_constraint": False}


class Submission(models.Model):
    """One upload of claim files by a unit: the original bytes (kept as sent), their checksum, the outcome."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        PROCESSED = "processed", _("checked")
        UNUSABLE = "unusable", _("unusable")
        FAILED = "failed", _("failed")

    unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="claim_submissions",
                             verbose_name=_("unit"))
    file_name = models.CharField(_("file name"), max_length=200)
    original = models.FileField(_("original files"), upload_to="claims/submissions/%Y/%m/", max_length=300)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    encodings = models.JSONField(_("encodings"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("received by"))
    channel = models.CharField(_("channel"), max_length=20, default="web")  # web, api, cli, demo
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    service_month = models.DateField(_("service month"), null=True, blank=True)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    op_count = models.PositiveIntegerField(_("OP visits"), default=0)
    ip_count = models.PositiveIntegerField(_("admissions"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    rejected_count = models.PositiveIntegerField(pgettext_lazy("claim", "rejected"), default=0)
    replaced_count = models.PositiveIntegerField(_("replaced earlier claims"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    tables_missing = models.BooleanField(_("code tables missing"), default=False)
    job_id = models.UUIDField(null=True, blank=True)
    # the process checking it (host:pid:token): a submission whose checker died is found and marked failed
    worker = models.CharField(max_length=100, blank=True, default="")
    error_message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["unit", "received_at"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.file_name} {self.received_at:%Y-%m-%d %H:%M}"


class Claim(models.Model):
    """An OP visit (kind OP, key = SEQ) or an IP admission (kind IP, key = AN) from one submission."""

    class Kind(models.TextChoices):
        OP = "OP", _("OP visit")
        IP = "IP", _("admission")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        REJECTED = "rejected", pgettext_lazy("claim", "rejected")
        ACCEPTED = "accepted", _("accepted")
        GROUPED = "grouped", _("grouped")
        HELD = "held", _("held for review")
        PRICED = "priced", _("priced")
        PAID = "paid", _("paid")
        REPLACED = "replaced", _("replaced")

    # No single-column indexes: (submission, kind, key) and (unit, …) lead the composite ones below, and each index
    # is written for every claim of a submission.
    # kind, key, status and citizen_id are COLLATE "C" on PostgreSQL (migration 0011, not db_collation: SQLite has
    # no "C"): their indexes compare bytes, not strcoll, for every claim stored. An AlterField of one of them
    # would rebuild it in the default collation: write the ALTER with COLLATE "C" in that migration too.
    submission = models.ForeignKey(Submission, related_name="claims", db_index=False, **BULK_ROW)
    unit = models.ForeignKey(HealthUnit, related_name="claims", db_index=False, **BULK_ROW)
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    key = models.CharField(_("SEQ or AN"), max_length=KEY_SIZE)
    hn = models.CharField("HN", max_length=30, blank=True, default="")
    citizen_id = models.CharField(_("citizen ID"), max_length=20, blank=True, default="")
    # Not indexed: nothing looks claims up by person (a submission's people are looked up by citizen ID, index
    # claims_person_dates), and every index costs each stored claim its upkeep.
    person = models.ForeignKey(Person, null=True, blank=True, related_name="claims", db_index=False, **BULK_ROW)
    inscl = models.CharField("INSCL", max_length=10, blank=True, default="")
    sex = models.PositiveSmallIntegerField(_("sex"), null=True, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age_years = models.IntegerField(_("age (years)"), null=True, blank=True)
    age_days = models.IntegerField(_("age (days)"), null=True, blank=True)
    service_date = models.DateField(_("service date"), null=True, blank=True)
    service_time = models.CharField(_("time"), max_length=4, blank=True, default="")
    discharge_date = models.DateField(_("discharge date"), null=True, blank=True)
    discharge_time = models.CharField(_("discharge time"), max_length=4, blank=True, default="")
    discharge_status = models.PositiveSmallIntegerField(_("discharge status"), null=True, blank=True)
    discharge_type = models.PositiveSmallIntegerField(_("discharge type"), null=True, blank=True)
    admit_weight = models.PositiveIntegerField(_("admission weight (g)"), null=True, blank=True)
    leave_days = models.PositiveIntegerField(_("leave days"), default=0)
    clinic = models.CharField(_("clinic"), max_length=10, blank=True, default="")
    ward = models.CharField(_("ward"), max_length=20, blank=True, default="")
    drg = models.CharField(_("DRG sent by the unit"), max_length=10, blank=True, default="")
    total_charge = models.DecimalField(_("total charge"), null=True, blank=True, **MONEY)
    paid_by_patient = models.DecimalField(_("paid by the patient"), null=True, blank=True, **MONEY)
    extra = models.JSONField(_("other fields"), default=dict, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    # Kept in step with the event history by services.record_event, in the same transaction.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    is_current = models.BooleanField(_("current"), default=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "kind", "key"]
        indexes = [
            # a key's earlier claims (claim page's history, FHIR identifier search): the current one is found by the
            # constraint's index below, so this one holds only claims no longer current (replaced, or stored
            # rejected over a locked one), none of a submission's new claims
            models.Index(fields=["unit", "kind", "key"], condition=models.Q(is_current=False),
                         name="claims_key_history"),
            # a unit's claims list (claims/list_views.py), newest first in keyset pages; with a status filter
            models.Index(fields=["unit", "service_date", "id"], name="claims_unit_service_page"),
            models.Index(fields=["unit", "status", "service_date", "id"], name="claims_unit_status_page"),
            # admissions by status (grouping, review, the inpatient round); OP visits (most claims) are not in it
            models.Index(fields=["status"], condition=models.Q(kind="IP"), name="claims_admission_status"),
            # a submission's claims page, in its order (status, kind, key), at 100,000 claims a file
            models.Index(fields=["submission", "status", "kind", "key"], name="claims_submission_page"),
            # a submission's people's stored claims (rules earlier_visits, overlapping_stays/_admissions): looked up
            # by citizen ID, not found by scanning every claim of the period for each file
            models.Index(fields=["citizen_id", "service_date"], name="claims_person_dates"),
            # claims of a period across units (monitoring's extracts by month). A B-tree as declared here on SQLite
            # only: on PostgreSQL migration 0014 made it a BRIN under the same name (claims are stored a service
            # month at a time, so the table's blocks follow the month; SQLite has no BRIN, and the models' state
            # cannot say it): changing it here means writing that migration's PostgreSQL statement again.
            models.Index(fields=["service_date"], name="claims_service_dates"),
        ]
        # (submission, kind, key) once: checked by claims.store._check_keys_once before writing (its only writer;
        # 0012 dropped the unique index every stored claim wrote); the page index above serves its reads.
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "key"], condition=models.Q(is_current=True),
                                    name="claims_one_current_claim_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.key}"


class OpVisitManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=Claim.Kind.OP)


class AdmissionManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(kind=Claim.Kind.IP)


class OpVisit(Claim):
    """OP visits only (unit + SEQ)."""

    objects = OpVisitManager()

    class Meta:
        proxy = True


class Admission(Claim):
    """IP admissions only (unit + AN)."""

    objects = AdmissionManager()

    class Meta:
        proxy = True


class ClaimEvent(AppendOnly):
    """A claim's status history: received → rejected / accepted → grouped (or held for review) → priced → paid;
    replaced (claims.lifecycle)."""

    claim = models.ForeignKey(Claim, related_name="events", **BULK_ROW)
    status = models.CharField(max_length=20, choices=Claim.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    # Not indexed: nothing reads events by actor (two events per stored claim wrote that index). Only deleting a
    # user (Django admin; accounts has no such action) asks, for PROTECT: one scan of the events, then refused.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", db_index=False,
                              **BULK_ROW)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.status}"


class Problem(models.Model):
    """A problem found in a submission: (file, line, field, code, messages); with the claim it blocks."""

    # indexed by (submission, code) below
    submission = models.ForeignKey(Submission, related_name="problems", db_index=False, **BULK_ROW)
    claim = models.ForeignKey(Claim, null=True, blank=True, related_name="problems", **BULK_ROW)
    file = models.CharField(max_length=10, blank=True, default="")
    line = models.PositiveBigIntegerField(null=True, blank=True)
    field = models.CharField(max_length=30, blank=True, default="")
    code = models.CharField(max_length=5)
    klass = models.CharField(max_length=10)
    message_th = models.TextField()
    message_en = models.TextField()

    class Meta:
        ordering = ["submission", "file", "line", "id"]
        # (submission, file, line, id): a submission's problems page (API keyset, NULL lines last as PostgreSQL's
        # index keeps them) reads its rows in order from the index instead of sorting every problem it has
        indexes = [models.Index(fields=["submission", "code"]),
                   models.Index(fields=["submission", "file", "line", "id"], name="claims_problem_page")]

    def __str__(self) -> str:
        return f"{self.code} {self.file}:{self.line}"


class _Line(models.Model):
    claim = models.ForeignKey(Claim, related_name="+", **BULK_ROW)
    line = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of claim {self.claim_id}, line {self.line}"


class Diagnosis(_Line):
    claim = models.ForeignKey(Claim, related_name="diagnoses", **BULK_ROW)
    code = models.CharField(max_length=10)
    dxtype = models.PositiveSmallIntegerField(null=True, blank=True)
    doctor = models.CharField(max_length=20, blank=True, default="")


class Procedure(_Line):
    claim = models.ForeignKey(Claim, related_name="procedures", **BULK_ROW)
    code = models.CharField(max_length=10)
    optype = models.CharField(max_length=5, blank=True, default="")
    doctor = models.CharField(max_length=20, blank=True, default="")
    date_in = models.DateField(null=True, blank=True)
    date_out = models.DateField(null=True, blank=True)


class Charge(_Line):
    """A CHA line: a charge category (CHRGITEM) and its amount."""

    claim = models.ForeignKey(Claim, related_name="charges", **BULK_ROW)
    item = models.CharField(max_length=5)
    amount = models.DecimalField(null=True, blank=True, **MONEY)


class Drug(_Line):
    claim = models.ForeignKey(Claim, related_name="drugs", **BULK_ROW)
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200, blank=True, default="")
    quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    price = models.DecimalField(null=True, blank=True, **MONEY)
    total = models.DecimalField(null=True, blank=True, **MONEY)


class LeaveDay(_Line):
    claim = models.ForeignKey(Claim, related_name="leave", **BULK_ROW)
    date_out = models.DateField(null=True, blank=True)
    date_in = models.DateField(null=True, blank=True)
    days = models.IntegerField(null=True, blank=True)


class Referral(_Line):
    class Direction(models.TextChoices):
        OP = "ORF", _("OP referral")
        IP = "IRF", _("IP referral")

    claim = models.ForeignKey(Claim, related_name="referrals", **BULK_ROW)
    source = models.CharField(max_length=3, choices=Direction.choices)
    unit_code = models.CharField(max_length=10)
    refer_type = models.CharField(max_length=5, blank=True, default="")


class Accident(_Line):
    """An AER row: accident, emergency or referral authorisation."""

    claim = models.ForeignKey(Claim, related_name="accidents", **BULK_ROW)
    authae = models.CharField(max_length=30, blank=True, default="")
    aetype = models.CharField(max_length=5, blank=True, default="")
    ucae = models.CharField(max_length=5, blank=True, default="")
    emtype = models.CharField(max_length=5, blank=True, default="")
    refer_no = models.CharField(max_length=30, blank=True, default="")


class Item(_Line):
    """An ADP row: devices, high-cost items, fee-schedule and project codes."""

    claim = models.ForeignKey(Claim, related_name="items", **BULK_ROW)
    type = models.CharField(max_length=5, blank=True, default="")
    code = models.CharField(max_length=30)
    quantity = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    rate = models.DecimalField(null=True, blank=True, **MONEY)
    total = models.DecimalField(null=True, blank=True, **MONEY)
