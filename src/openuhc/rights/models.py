"""Rights protection: coordination centres (ศูนย์ประสานงานหลักประกันสุขภาพประชาชน) and their work."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openuhc.geo.models import Province, Region


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
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"
