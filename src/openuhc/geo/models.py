"""Geography: NHSO regions, provinces, districts, sub-districts (DOPA codes) and local governments."""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Named(models.Model):
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Thai when no English name is known)."""
        language = translation.get_language() or "th"
        return self.name_en if language.startswith("en") and self.name_en else self.name_th


class Region(Named):
    """An NHSO region (เขตสุขภาพ / สปสช. เขต), numbered 1–13 in Thailand."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return _("Region %(number)s %(name)s") % {"number": self.number, "name": self.name}


# Code widths hold every pack's codes: Thailand's DOPA codes have 2/4/6 digits, the Philippines' PSGC codes 10.
class Province(Named):
    code = models.CharField(_("code"), max_length=10, unique=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="provinces")

    class Meta:
        ordering = ["code"]


class District(Named):
    code = models.CharField(_("code"), max_length=10, unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]


class Subdistrict(Named):
    code = models.CharField(_("code"), max_length=10, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    postal_codes = models.CharField(_("postal codes"), max_length=100, blank=True, default="")

    class Meta:
        ordering = ["code"]


class LocalGovernment(Named):
    """A local government organisation (องค์กรปกครองส่วนท้องถิ่น, อปท.) and the sub-districts it covers."""

    class Kind(models.TextChoices):
        PAO = "pao", _("Provincial Administrative Organisation")
        CITY_MUNICIPALITY = "city", _("City municipality")
        TOWN_MUNICIPALITY = "town", _("Town municipality")
        SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality", _("Sub-district municipality")
        SAO = "sao", _("Sub-district Administrative Organisation")
        SPECIAL = "special", _("Special local government")

    code = models.CharField(_("code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="local_governments")
    subdistricts = models.ManyToManyField(Subdistrict, blank=True, related_name="local_governments")
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year (BE)"), null=True, blank=True)

    class Meta:
        ordering = ["province__code", "code"]
