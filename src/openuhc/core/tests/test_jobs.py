from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from openuhc.core import jobs
from openuhc.core.models import Job


def _count_to_three(progress: jobs.Progress) -> dict:
    progress.stage("count", 3)
    for _ in range(3):
        progress.advance()
    return {"counted": 3}


@pytest.mark.django_db(transaction=True)
def test_a_background_job_reports_progress_and_its_result(settings, world):
    settings.OPENUHC_JOBS_MODE = "thread"
    job = jobs.start(kind="test", title="count", work=_count_to_three, actor=world.users["national"])
    deadline = time.monotonic() + 60  # a polling limit, not a timing check: a loaded CI machine can be slow
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.05)
    assert job.status == Job.Status.SUCCEEDED and job.result == {"counted": 3}


@pytest.mark.django_db
def test_a_failing_job_keeps_the_reason_and_the_page_says_nothing_was_stored(world, client_for):
    def broken(progress: jobs.Progress) -> dict:
        raise RuntimeError("disk full")

    job = jobs.start(kind="test", title="broken", work=broken, actor=world.users["national"])
    assert job.status == Job.Status.FAILED and "disk full" in job.error_message
    body = client_for("national").get(f"/jobs/{job.pk}/").content.decode()
    assert "Nothing was stored" in body


@pytest.mark.django_db
def test_a_job_whose_process_died_is_shown_as_interrupted(world, client_for):
    job = Job.objects.create(kind="test", title="stuck", created_by=world.users["national"], status=Job.Status.RUNNING,
                             heartbeat_at=timezone.now() - timedelta(hours=1))
    assert job.interrupted
    response = client_for("national").get(f"/jobs/{job.pk}/progress/")
    assert "stopped without finishing" in response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert client_for("hospital").get(f"/jobs/{job.pk}/").status_code == 403


@pytest.mark.django_db
def test_progress_reported_from_a_readers_thread_is_counted_but_written_by_the_works_thread():
    """A reader (DuckDB pulling a claim file's stream) may report progress from its own thread: that must not
    write to the database from there (on SQLite the write fails with "database table is locked")."""
    import threading

    job = Job.objects.create(kind="test", title="thread")
    progress = jobs.JobProgress(job.pk, min_interval=0)
    progress.stage("read", 10)
    writes = []
    original = progress._write
    progress._write = lambda **fields: (writes.append(threading.get_ident()), original(**fields))
    worker = threading.Thread(target=progress.advance, args=(4,))
    worker.start()
    worker.join()
    assert progress.done == 4 and writes == []
    progress.advance(1)
    assert writes == [threading.get_ident()]
    job.refresh_from_db()
    assert job.done == 5
