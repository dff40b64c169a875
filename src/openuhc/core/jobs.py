"""Long work with progress a person can watch: imports now, batch runs later.

A work function takes a `Progress` and returns a JSON-able result. The same function runs from the
command line with a terminal progress bar (`TerminalProgress`) or from a page as a `Job` whose
progress the page polls. Jobs run in a thread of the web process ("thread" mode) or before the request
returns ("inline" mode, used by tests). A job whose process dies stops sending heartbeats and is shown as
interrupted; work functions are written so that an interrupted job has stored nothing half-way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
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
        self._thread = threading.get_ident()

    def _write(self, **fields: Any) -> None:
        # Progress rows are written outside any transaction the work function may hold, except on
        # SQLite/PostgreSQL inside an atomic block, where they become visible at commit: the stage
        # name tells the page what is happening meanwhile.
        Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now(), **fields)
        self._last_write = time.monotonic()

    def stage(self, name: str, total: int | None = None) -> None:
        self.done = 0
        self._write(stage=name, total=total, done=0)

    def advance(self, count: int = 1) -> None:
        self.done += count
        # Only the thread that runs the work writes: a library may call back from a thread of its own (DuckDB
        # pulls the claims reader's batches on its worker threads), whose database connection cannot see the
        # uncommitted Job row and, on SQLite, finds the table locked. Its counts go out with the next write.
        if threading.get_ident() != self._thread:
            return
        if time.monotonic() - self._last_write >= self.min_interval:
            self._write(done=self.done)


Work = Callable[[Progress], dict[str, Any]]


def start(*, kind: str, title: str, work: Work, actor: Any = None, params: dict[str, Any] | None = None) -> Job:
    """Create a Job and run `work` in the background (or inline); returns the Job at once."""
    return start_existing(Job(kind=kind, title=title, created_by=actor, params=params or {}), work)


def start_existing(job: Job, work: Work) -> Job:
    """Save an unsaved Job and run `work` for it."""
    job.save()
    if settings.OPENUHC_JOBS_MODE == "inline":
        run(job.pk, work)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk, work), daemon=True).start())
    return job


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
