"""Monitoring keeps a record of each refresh of the analytics store (the figures themselves live in Parquet)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoreRefresh(models.Model):
    """One refresh of the analytics store: when, by whom, which facts, how many rows, how long."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    first_month = models.CharField(_("first month"), max_length=7, blank=True, default="")
    last_month = models.CharField(_("last month"), max_length=7, blank=True, default="")
    rows = models.JSONField(_("rows per fact"), default=dict)
    error = models.TextField(_("error"), blank=True, default="")
    trigger = models.CharField(_("trigger"), max_length=100, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
