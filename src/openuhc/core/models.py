"""Shared records: dated configuration values and long-running jobs."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParameterValue(models.Model):
    """A configuration value valid over a date range, optionally for one scheme.

    Definitions (key, type, default, source) live in each app's `params.py`; a row here overrides the
    default from `valid_from` on. Rows are never edited: a new value is a new row.
    """

    key = models.CharField(_("key"), max_length=100)
    scheme = models.CharField(_("scheme"), max_length=20, blank=True, default="")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    value = models.JSONField(_("value"))
    note = models.TextField(_("note"), blank=True, default="")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "scheme", "valid_from"], name="core_param_one_value_per_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="core_param_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["key", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.key}={self.value} from {self.valid_from}"


class Job(models.Model):
    """Long work (an import, a batch run) with its progress, so that a page can show a progress bar."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(_("stage"), max_length=100, blank=True, default="")
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=100, blank=True, default="")
    error_message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def interrupted(self) -> bool:
        """Running, but nothing has been heard from it for a while: its process has died."""
        if self.status not in (self.Status.RUNNING, self.Status.QUEUED):
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > timedelta(seconds=settings.OPENUHC_JOB_STALE_SECONDS)


class PublicAttempt(models.Model):
    """One use of a public form (no login) by a hashed client address: the hourly limits count these.

    `kind` is namespaced by the app that owns the form ("rights.submit", "governance.propose", ...).
    """

    kind = models.CharField(max_length=40)
    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
