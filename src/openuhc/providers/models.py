"""The provider network: health units, who owns them (with history), CUPs and referral links."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import LocalGovernment, Named, Subdistrict

unit_code_validator = RegexValidator(r"^\d{5}$", _("A unit code has exactly 5 digits (leading zeros count)."))


class UnitType(Named):
    """A kind of health unit (configurable list): regional hospital, community hospital, รพ.สต., clinic, ..."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    is_hospital = models.BooleanField(_("admits inpatients"), default=False)
    is_primary_care = models.BooleanField(_("gives primary care"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "code"]


class Owner(Named):
    """An owner (สังกัด) of health units: the Ministry, a Provincial Administrative Organisation, a company..."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry of Public Health")
        OTHER_MINISTRY = "other_ministry", _("Other state agency")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        PRIVATE = "private", _("Private")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    local_government = models.OneToOneField(
        LocalGovernment, null=True, blank=True, on_delete=models.PROTECT, related_name="owner"
    )

    class Meta:
        ordering = ["kind", "code"]


class HealthUnit(Named):
    """A service unit (หน่วยบริการ) identified by its 5-digit MOPH code (HCODE), kept as text."""

    code = models.CharField(_("unit code"), max_length=5, unique=True, validators=[unit_code_validator])
    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, related_name="units")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="health_units")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Current owner and CUP, kept in step with the append-only history by the services (for fast lists).
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="units")
    cup = models.ForeignKey(
        "Cup", null=True, blank=True, on_delete=models.PROTECT, related_name="current_members"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{5}$"), name="providers_unit_code_5_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province(self):  # noqa: ANN201
        return self.subdistrict.district.province


class Ownership(AppendOnly):
    """One entry of a unit's ownership history: from `valid_from` the unit belongs to `owner`."""

    unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="ownership_history")
    owner = models.ForeignKey(Owner, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["unit", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="providers_one_owner_change_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} owned by {self.owner_id} from {self.valid_from}"


class Cup(models.Model):
    """A contracting unit for primary care (คู่สัญญาบริการระดับปฐมภูมิ, CUP), led by its main unit."""

    code = models.CharField(_("code"), max_length=5, unique=True, validators=[unit_code_validator])
    main_unit = models.OneToOneField(HealthUnit, on_delete=models.PROTECT, related_name="led_cup")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"CUP {self.code} {self.main_unit.name}"


class CupMembership(AppendOnly):
    """From `valid_from`, `unit` belongs to `cup` (or to none when cup is empty). Append-only history."""

    unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="cup_history")
    cup = models.ForeignKey(Cup, null=True, blank=True, on_delete=models.PROTECT, related_name="membership_history")
    valid_from = models.DateField(_("from"))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["unit", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="providers_one_cup_change_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} in CUP {self.cup_id} from {self.valid_from}"


class ReferralLink(models.Model):
    """`from_unit` refers patients to `to_unit` (e.g. รพ.สต. → community hospital → provincial hospital)."""

    class Level(models.TextChoices):
        PRIMARY_TO_SECONDARY = "p2s", _("primary to secondary care")
        SECONDARY_TO_TERTIARY = "s2t", _("secondary to tertiary care")
        OTHER = "other", _("other")

    from_unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="referrals_out")
    to_unit = models.ForeignKey(HealthUnit, on_delete=models.PROTECT, related_name="referrals_in")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.OTHER)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["from_unit", "to_unit"]
        constraints = [
            models.UniqueConstraint(fields=["from_unit", "to_unit", "valid_from"], name="providers_referral_unique"),
            models.CheckConstraint(condition=~models.Q(from_unit=models.F("to_unit")),
                                   name="providers_no_self_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.from_unit_id} → {self.to_unit_id}"
