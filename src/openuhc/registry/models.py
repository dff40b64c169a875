"""The registry (ทะเบียนผู้มีสิทธิ): people, their coverage scheme, and the units they are registered with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import Subdistrict
from openuhc.providers.models import HealthUnit


class Scheme(models.Model):
    """A coverage scheme (สิทธิ): UCS, SSS, CSMBS, LGO, ... — a configurable list."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    eclaim_code = models.CharField(_("code in claim files (INSCL)"), max_length=10, blank=True, default="")
    registers_with_unit = models.BooleanField(
        _("members register with a primary care unit"), default=False,
        help_text=_("True for the universal coverage scheme: its members have a registered unit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (translation.get_language() or "th").startswith("en") else self.name_th


class Person(models.Model):
    class Sex(models.IntegerChoices):
        # Codes as in the national 16-file standard (PAT.SEX): 1 male, 2 female.
        MALE = 1, _("male")
        FEMALE = 2, _("female")

    citizen_id = models.CharField(_("citizen ID"), max_length=13, unique=True)
    title = models.CharField(_("title"), max_length=50, blank=True, default="")
    first_name_th = models.CharField(_("first name (Thai)"), max_length=100)
    last_name_th = models.CharField(_("last name (Thai)"), max_length=100)
    first_name_en = models.CharField(_("first name (English)"), max_length=100, blank=True, default="")
    last_name_en = models.CharField(_("last name (English)"), max_length=100, blank=True, default="")
    sex = models.PositiveSmallIntegerField(_("sex"), choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    subdistrict = models.ForeignKey(
        Subdistrict, on_delete=models.PROTECT, related_name="residents", verbose_name=_("address sub-district")
    )
    death_date = models.DateField(_("death date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The registration in force, kept in step with the append-only history by the registry services.
    current_registration = models.ForeignKey(
        "Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["last_name_th", "first_name_th"]
        # The names are indexed for the search by name, on PostgreSQL (migration 0007: prefix and order in one
        # index per name; 0008: the Thai ones carry the registration in force); nothing else looks a person up by name.
        constraints = [
            # digits only: how many, and any check digit, are the country pack's rules (registry/ids.py)
            models.CheckConstraint(condition=models.Q(citizen_id__regex=r"^[0-9]+$"), name="registry_cid_digits"),
            models.CheckConstraint(
                condition=models.Q(death_date__isnull=True) | models.Q(death_date__gte=models.F("birth_date")),
                name="registry_death_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if (translation.get_language() or "th").startswith("en") and self.first_name_en:
            return f"{self.first_name_en} {self.last_name_en}".strip()
        return f"{self.title}{self.first_name_th} {self.last_name_th}".strip()


class Coverage(models.Model):
    """A period during which a person holds a scheme. One main right at a time: periods never overlap.

    Rows are only ever added, or closed once by setting `valid_to` (a compare-and-set from empty, with an
    event row); their history is therefore complete.
    """

    # No index of its own: the unique (person, valid_from) serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coverages", db_index=False)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["person", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="registry_coverage_period_ordered",
            ),
            models.UniqueConstraint(fields=["person", "valid_from"], name="registry_one_coverage_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.valid_from}–{self.valid_to or ''}"


class Registration(AppendOnly):
    """A person's registered units from `effective_from` on (append-only history; the newest row wins).

    main unit = หน่วยบริการประจำ (HOSPMAIN), primary unit = หน่วยบริการปฐมภูมิ (HOSPSUB),
    referral unit = หน่วยบริการรับส่งต่อ.
    """

    # No index of its own: (person, effective_from) serves every lookup by person.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations", db_index=False)
    # No index of their own: (unit, id) below serves every lookup by unit.
    main_unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    primary_unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    referral_unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    effective_from = models.DateField(_("effective from"))
    is_change = models.BooleanField(
        _("change of unit"), default=False, help_text=_("True when the main unit differs from the previous one.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    source = models.CharField(_("source"), max_length=100, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["person", "effective_from", "id"]
        # By unit with the id: a unit's registrations are read from the index alone (a hospital user's search by
        # name, registry/search.py), not from a heap page each.
        indexes = [models.Index(fields=["person", "effective_from"]),
                   models.Index(fields=["main_unit", "id"], name="registry_reg_main_unit_id"),
                   models.Index(fields=["primary_unit", "id"], name="registry_reg_primary_unit_id"),
                   models.Index(fields=["referral_unit", "id"], name="registry_reg_referral_unit_id")]

    def __str__(self) -> str:
        return f"{self.main_unit_id}/{self.primary_unit_id} from {self.effective_from}"


class RegistryEvent(AppendOnly):
    """What happened to a person's record, by whom and when (person added, death recorded, ...)."""

    class Kind(models.TextChoices):
        PERSON_ADDED = "person_added", _("person added")
        DEATH_RECORDED = "death_recorded", _("death recorded")
        COVERAGE_ADDED = "coverage_added", _("coverage added")
        COVERAGE_CLOSED = "coverage_closed", _("coverage closed")
        REGISTERED = "registered", _("registered with units")
        PERSON_CHANGED = "person_changed", _("personal details changed")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["person", "at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class RegistryImport(models.Model):
    """One national registry file applied (or refused): an initial load or a monthly delta, what it changed.

    A file is applied once: a second stored import of the same checksum and mode is refused by a constraint."""

    class Mode(models.TextChoices):
        LOAD = "load", _("initial load")
        DELTA = "delta", _("monthly changes")

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        STORED = "stored", _("stored")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    file_name = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    added = models.PositiveBigIntegerField(_("persons added"), default=0)
    changed = models.PositiveBigIntegerField(_("persons changed"), default=0)
    unchanged = models.PositiveBigIntegerField(_("persons unchanged"), default=0)
    refused = models.PositiveBigIntegerField(_("rows refused"), default=0)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sha256", "mode"], condition=models.Q(status="stored"),
                                    name="registry_import_file_applied_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mode} {self.file_name} {self.status}"


class PersonAccess(AppendOnly):
    """Who saw whose personal data, when, and what they did (append-only access log).

    Written through `core.access.record_access`. `person` is set when the registry knows the person;
    `citizen_id` is the ID as the reader saw it (also for a claim of someone the registry does not know);
    `record` names what was read when it is not the person's own record (a claim, a case)."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed the record")
        SEARCH = "search", _("appeared in search results")
        REVEAL_ID = "reveal_id", _("showed the full citizen ID")
        ELIGIBILITY = "eligibility", _("checked eligibility")
        EXPORT = "export", _("exported")
        API = "api", _("read through the API")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_username = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=30, blank=True, default="")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="accesses")
    citizen_id = models.CharField(max_length=20, blank=True, default="", db_index=True)
    record = models.CharField(max_length=100, blank=True, default="")
    action = models.CharField(max_length=20, choices=Action.choices)
    path = models.CharField(max_length=300, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"]), models.Index(fields=["actor", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_username} {self.action} {self.person_id} {self.at:%Y-%m-%d %H:%M}"
