"""Installed Thai DRG reference table sets (the tables themselves live in a columnar cache file)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstalledTableSet(models.Model):
    """One installed version of the official tables, e.g. TDRG 6.3, in force over a date range."""

    version = models.CharField(pgettext_lazy("tables", "version"), max_length=20, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source folder"), max_length=500)
    checksums = models.JSONField(_("source files' SHA-256"), default=dict)
    counts = models.JSONField(_("rows per table"), default=dict)
    cache_path = models.CharField(_("columnar cache"), max_length=500)
    installed_at = models.DateTimeField(_("installed at"), default=timezone.now)
    installed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"TDRG {self.version}"


class ClaimGrouping(models.Model):
    """The grouping of one stored admission (append-only: a regrouping is a new row; the newest counts)."""

    claim = models.ForeignKey("claims.Claim", on_delete=models.PROTECT, related_name="groupings")
    table_version = models.CharField(_("table version"), max_length=20)
    drg = models.CharField("DRG", max_length=10, blank=True, default="")
    rw = models.DecimalField("RW", max_digits=9, decimal_places=4, null=True, blank=True)
    adjrw = models.DecimalField("AdjRW", max_digits=9, decimal_places=4, null=True, blank=True)
    los = models.IntegerField(_("length of stay"), null=True, blank=True)
    exact = models.BooleanField(_("exact"), default=False)
    reason = models.TextField(_("reason"), blank=True, default="")
    source = models.CharField(_("source"), max_length=20, default="openuhc")
    disagreement = models.TextField(_("disagreement"), blank=True, default="")
    error = models.CharField(_("error"), max_length=40, blank=True, default="")
    trace = models.JSONField(_("trace"), default=list)
    run = models.ForeignKey("engine.Run", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claim", "-id"]
        indexes = [models.Index(fields=["claim", "-id"])]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.drg} {self.adjrw}"
