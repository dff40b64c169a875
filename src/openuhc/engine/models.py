"""Batch runs and their chunks (งานประมวลผลแบบกลุ่ม): inputs' checksums, leases, heartbeats, outputs."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# how `runner.resume` records who computed a run (`Run.in_process_runner`, `Run.spark_runner`; kept as written, in
# English, for the operator's logs) and `Run.runner_words` reads it back in the reader's language
_IN_PROCESS = re.compile(r"in-process \((\d+) (threads|workers)(, one a thread)?\)")
_SPARK = "Apache Spark "


class Run(models.Model):
    """One application of a registered batch function to an input file, chunk by chunk."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    function = models.CharField(_("function"), max_length=100)
    function_version = models.CharField(_("function version"), max_length=20)
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    input_path = models.CharField(_("input"), max_length=500)
    input_checksum = models.CharField(_("input SHA-256"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict)
    reference_version = models.CharField(_("reference tables"), max_length=50, blank=True, default="")
    workdir = models.CharField(_("work folder"), max_length=500)
    output_path = models.CharField(_("output"), max_length=500, blank=True, default="")
    output_checksum = models.CharField(_("output SHA-256"), max_length=64, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_chunks = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveBigIntegerField(default=0)
    runner = models.CharField(_("runner"), max_length=200, blank=True, default="")  # who computed it last
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.function} {self.pk}"

    @staticmethod
    def in_process_runner(workers: int, *, threads: bool, one_thread: bool) -> str:
        return f"in-process ({workers} {'threads' if threads else 'workers'}{', one a thread' if one_thread else ''})"

    @staticmethod
    def spark_runner(master: str) -> str:
        return f"{_SPARK}{master}"

    def runner_words(self) -> str:
        """`runner` in the reader's language (what `runner.resume` recorded; any other text as it is)."""
        found = _IN_PROCESS.fullmatch(self.runner)
        if found:
            count, kind, one_thread = int(found.group(1)), found.group(2), bool(found.group(3))
            if kind == "threads":
                return gettext("this machine, %(count)d threads") % {"count": count}
            if one_thread:
                return gettext("this machine, %(count)d workers (one a thread, the others processes)") % {
                    "count": count}
            return gettext("this machine, %(count)d worker processes") % {"count": count}
        if self.runner.startswith(_SPARK):
            return gettext("Apache Spark at %(master)s") % {"master": self.runner.removeprefix(_SPARK)}
        return self.runner


class Chunk(models.Model):
    """A slice of a run's input (whole Parquet row groups). State changes are compare-and-set updates."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        LEASED = "leased", _("leased")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_group = models.PositiveIntegerField()
    last_group = models.PositiveIntegerField()  # exclusive
    rows = models.PositiveBigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    lease_owner = models.CharField(max_length=200, blank=True, default="")
    lease_expires = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    output_path = models.CharField(max_length=500, blank=True, default="")
    output_checksum = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="engine_chunk_once")]

    def __str__(self) -> str:
        return f"{self.run_id} #{self.index} {self.state}"
