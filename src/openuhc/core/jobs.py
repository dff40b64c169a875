"""Long work with progress a person can watch: imports now, batch runs later.

A work function takes a `Progress` and returns a JSON-able result. The same function runs from the
command line with a terminal progress bar (`TerminalProgress`) or from a page as a `Job` whose
progress the page polls. A job whose process dies stops sending heartbeats and is shown as interrupted;
work functions are written so that an interrupted job has stored nothing half-way.

Where a page's job runs (`OPENUHC_JOBS_MODE`):

- "process" (the default): in a worker process of its own (`openuhc jobs run JOB`), started when the
  request's transaction commits. What the work reads (an uploaded workbook, a claims zip) never grows the web
  server's memory, and the memory is given back when the worker ends. The work is named by the job's kind
  (`register_kind`) and reads everything it needs from `job.params`.
- "thread": in a thread of the web process (one process setups, debugging).
- "inline": before the request returns (tests).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from openuhc.core.errors import DomainError
from openuhc.core.models import Job

log = logging.getLogger(__name__)


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class NullProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


class TerminalProgress:
    """A rich progress bar on the command line (to stderr, so that stdout stays machine-readable)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._task: Any = None

    def __enter__(self) -> TerminalProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self._finish()
        self._bar.stop()

    def _finish(self) -> None:
        if self._task is not None:
            task = self._bar.tasks[-1]
            total = task.total if task.total is not None else max(task.completed, 1)
            self._bar.update(self._task, total=total, completed=total)

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        self._task = self._bar.add_task(name, total=total)

    def advance(self, count: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, count)


class JobProgress:
    """Writes progress to the Job row, at most about twice a second."""

    def __init__(self, job_id: Any, *, min_interval: float = 0.5) -> None:
        self.job_id = job_id
        self.done = 0
        self.min_interval = min_interval
        self._last_write = 0.0
        # Only the thread that runs the work writes: a reader may report progress from a thread of its own (DuckDB
        # pulls the claim files' Arrow stream on its scan threads). Those counts go out with the job's own next
        # write; a write from another thread would take a database connection of its own in the middle of the
        # job's transaction — on SQLite "database table is locked", and the file read fails.
        self._thread = threading.get_ident()

    def _write(self, **fields: Any) -> None:
        # Progress rows are written outside any transaction the work function may hold, except on
        # SQLite/PostgreSQL inside an atomic block, where they become visible at commit: the stage
        # name tells the page what is happening meanwhile.
        Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now(), **fields)
        self._last_write = time.monotonic()

    def stage(self, name: str, total: int | None = None) -> None:
        self.done = 0
        if threading.get_ident() == self._thread:
            self._write(stage=name, total=total, done=0)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if threading.get_ident() == self._thread and time.monotonic() - self._last_write >= self.min_interval:
            self._write(done=self.done)


Work = Callable[[Progress], dict[str, Any]]


# kind prefix ("import", "claims") → the work of such a job, from the job row alone
KindWork = Callable[[Job, Progress], dict[str, Any]]
KINDS: dict[str, KindWork] = {}


def register_kind(prefix: str) -> Callable[[KindWork], KindWork]:
    """Name the work of jobs whose kind is `prefix` or starts with `prefix:`, so a worker process can run it."""
    def decorate(func: KindWork) -> KindWork:
        KINDS[prefix] = func
        return func
    return decorate


def work_of(job: Job) -> KindWork:
    prefix = job.kind.split(":", 1)[0]
    if prefix not in KINDS:
        raise LookupError(f"no work is registered for jobs of kind {job.kind!r}")
    return KINDS[prefix]


def start(*, kind: str, title: str, work: Work, actor: Any = None, params: dict[str, Any] | None = None) -> Job:
    """Create a Job and run `work` in the background (or inline); returns the Job at once."""
    return start_existing(Job(kind=kind, title=title, created_by=actor, params=params or {}), work)


def start_existing(job: Job, work: Work | None = None) -> Job:
    """Save an unsaved Job and run it: in a worker process when its kind is registered and the mode is
    "process"; otherwise `work` (or the registered work) in a thread, or inline."""
    job.save()
    mode = settings.OPENUHC_JOBS_MODE
    registered = KINDS.get(job.kind.split(":", 1)[0])
    if mode == "process" and registered is not None:
        transaction.on_commit(lambda: start_worker(job.pk))
        return job
    if work is None:
        work = partial(work_of(job), job)
    if mode == "inline":
        run(job.pk, work)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk, work), daemon=True).start())
    return job


def start_worker(job_id: Any) -> subprocess.Popen:
    """`openuhc jobs run JOB` in a process of its own, with this process's settings (environment)."""
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command, the job id as the only input
        [sys.executable, "-m", "openuhc", "jobs", "run", str(job_id)], start_new_session=True,
        stdin=subprocess.DEVNULL, env={**os.environ, "DJANGO_SETTINGS_MODULE": "openuhc.settings"})


def run_in_this_process(job_id: Any) -> None:
    """What `openuhc jobs run JOB` does: the job's registered work; SIGTERM ends it as failed (nothing of an
    import or a submission is half-stored: their work is one transaction)."""
    job = Job.objects.get(pk=job_id)
    registered = work_of(job)

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        run(job.pk, lambda progress: registered(job, progress))
    except SystemExit as stopped:
        Job.objects.filter(pk=job_id, finished_at__isnull=True).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), error_code="interrupted", error_message=str(stopped))
        raise


def _run_in_thread(job_id: Any, work: Work) -> None:
    close_old_connections()
    try:
        run(job_id, work)
    finally:
        connection.close()


def run(job_id: Any, work: Work) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=now, heartbeat_at=now)
    try:
        result = work(JobProgress(job_id))
    except DomainError as error:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), error_code=error.code,
            error_message=error.message_en, result={"message_th": error.message_th, "message_en": error.message_en},
        )
        return
    except Exception as error:  # the work function has rolled back its own transaction; record why
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), error_code="internal_error",
            error_message=f"{type(error).__name__}: {error}",
        )
        return
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, finished_at=timezone.now(), heartbeat_at=timezone.now(), result=result,
    )
