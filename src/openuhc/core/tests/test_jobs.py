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


def test_progress_counted_on_a_library_thread_is_written_by_the_jobs_own_thread(db):
    """DuckDB pulls the claims reader's batches on threads of its own: those must not write the Job row (their
    connection cannot see it yet, and SQLite finds the table locked); the count goes out with the next write."""
    import threading

    from openuhc.core.jobs import JobProgress
    from openuhc.core.models import Job

    job = Job.objects.create(kind="test", title="t")
    progress = JobProgress(job.pk, min_interval=0)
    progress.stage("read", 10)
    worker = threading.Thread(target=progress.advance, args=(4,))
    worker.start()
    worker.join()
    job.refresh_from_db()
    assert job.done == 0 and progress.done == 4
    progress.advance(1)
    job.refresh_from_db()
    assert job.done == 5
