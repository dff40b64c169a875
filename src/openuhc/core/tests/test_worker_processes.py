"""Real processes on PostgreSQL (SQLite's test database lives in the test process's memory, so another process
cannot see it): an import started from a page runs in `openuhc jobs run`, and a `claims submit` killed with
SIGKILL in the middle of its check is found and marked failed by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from openuhc.claims.models import Submission

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _env(tmp_path) -> dict[str, str]:
    if connection.vendor != "postgresql":
        pytest.skip("another process cannot see SQLite's in-memory test database")
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"
    return {**os.environ, "OPENUHC_DATABASE_URL": url, "OPENUHC_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "openuhc.settings"}


def test_an_import_job_runs_to_the_end_in_a_worker_process(world, tmp_path, settings):
    from openuhc.core.models import Job

    env = _env(tmp_path)
    source = tmp_path / "units.csv"
    source.write_text("code,name_th\n", encoding="utf-8")
    job = Job.objects.create(kind="import:units", title="units", params={
        "kind": "units", "dry_run": True, "file_name": "units.csv", "path": str(source)})
    finished = subprocess.run([sys.executable, "-m", "openuhc", "jobs", "run", str(job.pk)], env=env,
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["kind"] == "units"
    assert not source.exists()  # the upload is not kept after the import


def test_a_killed_claims_submit_is_marked_failed_by_the_next_submission(world, tmp_path):
    from openuhc.claims import services as claims
    from openuhc.claims.tests.conftest import SERVICE_DAY, clean_builder

    env = _env(tmp_path)
    builder = clean_builder(world)
    for n in range(3000):  # long enough to be killed in the middle of its check
        builder.visit(hn="H1", seq=f"K{n}", on=SERVICE_DAY)
    folder = builder.write(tmp_path / "s")
    process = subprocess.Popen([sys.executable, "-m", "openuhc", "claims", "submit", str(folder), "--unit", "56001"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not Submission.objects.exclude(worker="").exists():
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    submission = Submission.objects.get()
    if submission.status != "received":
        pytest.skip(f"the check finished before the kill ({submission.status}); nothing to recover")
    stored = submission.original.name
    claims.recover_interrupted()
    submission.refresh_from_db()
    assert submission.status == "failed" and "interrupted" in submission.error_message
    assert stored and not submission.original
    assert not submission.claims.exists()
