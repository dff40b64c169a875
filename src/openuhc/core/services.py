"""Starting imports as jobs (the page) and reading their reports."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from openuhc.core import jobs
from openuhc.core.importing import IMPORTERS, run_import
from openuhc.core.models import Job


def _reports_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "import-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def report_path(job: Job) -> Path:
    return _reports_dir() / f"{job.pk}.csv"


def start_import(*, actor: Any, kind: str, upload: UploadedFile, dry_run: bool) -> Job:
    """Save the upload, then check and store it in the background; the job's result is the report."""
    importer_class = IMPORTERS[kind]
    incoming = Path(settings.MEDIA_ROOT) / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name or "").suffix.lower()[:10]
    path = incoming / f"{uuid.uuid4()}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    display_name = Path(upload.name or "upload").name[:200]
    title = f"{importer_class.title_en} · {display_name}"
    job = Job(kind=f"import:{kind}", title=title, created_by=actor if getattr(actor, "pk", None) else None,
              params={"kind": kind, "dry_run": dry_run, "file_name": display_name, "path": str(path)})
    return jobs.start_existing(job)


@jobs.register_kind("import")
def run_import_job(job: Job, progress: jobs.Progress) -> dict[str, Any]:
    """An import started from the page: runs in a worker process (core/jobs.py), or inline in tests."""
    path = Path(job.params["path"])
    try:
        report = run_import(IMPORTERS[job.params["kind"]](actor=job.created_by), path, progress=progress,
                            dry_run=job.params["dry_run"], display_name=job.params["file_name"])
    finally:
        # The upload holds personal data: keep it no longer than the import needs it.
        path.unlink(missing_ok=True)
    if report.errors:
        report_path(job).write_text(report.errors_csv(), encoding="utf-8-sig")
    return report.as_dict()
