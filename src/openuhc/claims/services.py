"""Claim services: receive a submission (keep the original bytes), check and store it claim by claim, move
claims through their lifecycle, and hand later stages (DRG grouping, payment) Arrow tables of claims.

    submission = receive(source=path, unit=unit, actor=user, channel="cli")
    process_submission(submission, actor=user)              # check + store in one transaction
    record_event(claim, "grouped", actor=user, detail={"drg": "04520"})
    admissions_table(Claim.objects.filter(kind="IP", status="accepted", is_current=True))  # → pyarrow.Table
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openuhc.claims import lifecycle, store
from openuhc.claims.checking import check
from openuhc.claims.errors import SubmissionError
from openuhc.claims.models import Claim, Diagnosis, Procedure, Submission
from openuhc.core.errors import DomainError
from openuhc.core.jobs import NullProgress, Progress
from openuhc.core.processes import owner_gone, owner_id
from openuhc.providers.models import HealthUnit

log = logging.getLogger(__name__)

S = Claim.Status
# The lifecycle and every transition live in claims.lifecycle; these names stay importable from here.
ALLOWED, REPLACEABLE, record_event = lifecycle.ALLOWED, lifecycle.REPLACEABLE, lifecycle.record_event


def current_status(claim: Claim) -> str:
    """The status as the event history says (the status column must agree)."""
    event = claim.events.order_by("-at", "-id").first()
    return event.status if event else S.RECEIVED


# --- receiving ------------------------------------------------------------------------------------------------

def _zip_folder(folder: Path) -> File:
    """The folder packed into a zip in a temporary file (its files unchanged): memory stays flat however large."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by receive, with the File around it
    # The fastest deflate level: packing is on the path of every CLI submission (level 6 cost 7 s for 200,000
    # visits). Not stored uncompressed: that saves about 1 CPU s per 200,000 visits (packing, and the reader's
    # inflating) but keeps originals six times larger, 7 GB instead of 1.2 GB for a national month of OP visits.
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
            archive.write(item, item.relative_to(folder).as_posix())
    spool.seek(0)
    return File(spool, name=f"{folder.name}.zip")


def receive(*, source: Path | str | Any, unit: HealthUnit, actor: Any, channel: str = "web",
            file_name: str = "", received_at: Any = None, worker: str = "") -> Submission:
    """Keep what was sent, exactly: a zip as it came, a folder packed into a zip (its files unchanged).

    `received_at` is now, except when files are loaded later than they were sent (the demo replays a month's
    submissions): the checks that depend on the day of receipt (late submission) read it. `worker`: the process
    that checks it right away, if one does (see `submit`)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            content: File = _zip_folder(path)
            file_name = file_name or f"{path.name}.zip"
        else:
            content = File(path.open("rb"))
            file_name = file_name or path.name
    else:  # an uploaded file
        content = source
        file_name = file_name or Path(getattr(source, "name", "") or "upload.zip").name
    digest = hashlib.sha256()
    size = 0
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    submission = Submission(unit=unit, file_name=file_name[:200], size=size, sha256=digest.hexdigest(),
                            received_by=actor if getattr(actor, "pk", None) else None, channel=channel,
                            received_at=received_at or timezone.now(), worker=worker)
    submission.original.save(f"{unit.code}-{timezone.now():%Y%m%d%H%M%S}-{digest.hexdigest()[:12]}.zip", content,
                             save=False)
    if isinstance(content, File) and not isinstance(content, ContentFile) and isinstance(source, (str, Path)):
        content.close()
    submission.save()
    return submission


def process_submission(submission: Submission, *, actor: Any, progress: Progress | None = None,
                       encoding: str | None = None) -> Submission:
    """Check the stored files and store every claim whole (accepted or rejected, with its problems).

    Storing is one transaction: a failure half-way stores no claim at all, and is then recorded on the
    submission in a transaction of its own."""
    progress = progress or NullProgress()
    received_on = timezone.localdate(submission.received_at)
    # who checks it: if this process dies, `recover_interrupted` finds the submission and marks it failed
    Submission.objects.filter(pk=submission.pk, status=Submission.Status.RECEIVED).update(worker=owner_id())
    try:
        progress.stage("read", submission.size)
        with check(submission.original.path, unit_code=submission.unit.code, received_on=received_on,
                   encoding=encoding, on_bytes=progress.advance,
                   on_rule=lambda name: progress.stage(f"check:{name}")) as checked:
            progress.stage("write", checked.parsed.row_count)
            with transaction.atomic():
                store.store(submission, checked, actor=actor)
    except DomainError:
        raise
    except Exception as error:
        log.exception("claims submission %s failed", submission.pk)
        Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.FAILED,
                                                           error_message=f"{type(error).__name__}: {error}"[:2000])
        raise
    submission.refresh_from_db()
    if submission.status == Submission.Status.UNUSABLE:
        drop_original(submission)
    return submission


def drop_original(submission: Submission) -> None:
    """A refused or failed upload's bytes are not kept: its name, size, SHA-256 and problems are what the report
    needs, and a 300 MB file that is not claims has no business on the server's disk."""
    if submission.original:
        submission.original.delete(save=False)
        Submission.objects.filter(pk=submission.pk).update(original="")


def recover_interrupted(*, now: Any = None) -> list[Submission]:
    """Find submissions left "received" by a check that died (its process is gone from this host, or it never
    started within `claims.unstarted_after_minutes`), mark them failed and drop their files. Run by
    `openuhc claims recover`, and before every new submission."""
    from datetime import timedelta

    from openuhc.core import params

    now = now or timezone.now()
    unstarted = now - timedelta(minutes=params.get("claims.unstarted_after_minutes", on=timezone.localdate(now)))
    found = []
    for submission in Submission.objects.filter(status=Submission.Status.RECEIVED).order_by("id"):
        if submission.worker:
            if not owner_gone(submission.worker):
                continue
            detail = f"the process {submission.worker} ended"
        elif submission.received_at < unstarted:
            detail = "the check never started"
        else:
            continue
        error = DomainError(SubmissionError.INTERRUPTED, detail=detail)
        changed = Submission.objects.filter(pk=submission.pk, status=Submission.Status.RECEIVED,
                                            worker=submission.worker).update(
            status=Submission.Status.FAILED, error_message=f"{error.message_en} / {error.message_th}"[:2000])
        if changed:
            submission.refresh_from_db()
            drop_original(submission)
            found.append(submission)
    return found


def submit(source: Path | str, *, unit_code: str, actor: Any, channel: str = "cli", progress: Progress | None = None,
           encoding: str | None = None, received_at: Any = None) -> Submission:
    unit = HealthUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise DomainError(SubmissionError.UNKNOWN_UNIT, code=unit_code)
    recover_interrupted()
    # Saved with its checker named: a submission received long ago (a replayed month) and not yet started would
    # otherwise look "never started" to another process's recover_interrupted, and be failed under it.
    submission = receive(source=source, unit=unit, actor=actor, channel=channel, received_at=received_at,
                         worker=owner_id())
    return process_submission(submission, actor=actor, progress=progress, encoding=encoding)


def start_upload(*, upload: Any, unit: HealthUnit, actor: Any, channel: str = "web") -> Submission:
    """Keep the upload, then check and store it as a background job the page can watch."""
    from openuhc.core import jobs
    from openuhc.core.models import Job

    recover_interrupted()
    submission = receive(source=upload, unit=unit, actor=actor, channel=channel)
    job = Job(kind="claims:submission", title=f"{unit.code} · {submission.file_name}",
              created_by=actor if getattr(actor, "pk", None) else None, params={"submission": submission.pk})
    Submission.objects.filter(pk=submission.pk).update(job_id=job.pk)
    submission.job_id = job.pk
    jobs.start_existing(job)
    return submission


def run_submission_job(job: Any, progress: Progress) -> dict[str, Any]:
    """Check and store an uploaded submission: in a worker process (core/jobs.py), or inline in tests."""
    done = process_submission(Submission.objects.get(pk=job.params["submission"]), actor=job.created_by,
                              progress=progress)
    return {"submission": done.pk, "status": done.status, "accepted": done.accepted_count,
            "rejected": done.rejected_count, "problems": done.problem_count}


# --- tables for later stages ----------------------------------------------------------------------------------

def _codes(claim_ids: list[int]) -> tuple[dict[int, list[tuple[int, str]]], dict[int, list[str]]]:
    diagnoses: dict[int, list[tuple[int, str]]] = {}
    procedures: dict[int, list[str]] = {}
    for start in range(0, len(claim_ids), 5000):
        chunk = claim_ids[start:start + 5000]
        for claim_id, code, dxtype in Diagnosis.objects.filter(claim_id__in=chunk).order_by("claim_id", "id") \
                .values_list("claim_id", "code", "dxtype"):
            diagnoses.setdefault(claim_id, []).append((dxtype or 0, code))
        for claim_id, code in Procedure.objects.filter(claim_id__in=chunk).order_by("claim_id", "id") \
                .values_list("claim_id", "code"):
            procedures.setdefault(claim_id, []).append(code)
    return diagnoses, procedures


_COMMON = ["id", "key", "unit__code", "citizen_id", "person_id", "sex", "age_years", "age_days", "service_date",
           "total_charge", "submission__received_at"]


def _month(day: date | None) -> date | None:
    return day.replace(day=1) if day else None


def admissions_table(queryset: QuerySet) -> pa.Table:
    """IP admissions as an Arrow table for grouping and payment (one row per claim, in id order)."""
    rows = list(queryset.filter(kind=Claim.Kind.IP).order_by("id").values_list(
        *_COMMON, "discharge_date", "leave_days", "discharge_type", "discharge_status", "admit_weight", "drg"))
    diagnoses, procedures = _codes([r[0] for r in rows])
    columns: dict[str, list[Any]] = {k: [] for k in (
        "claim_id", "an", "hcode", "pid", "person_id", "pdx", "sdx", "proc", "sex", "age", "age_days", "admit_date",
        "discharge_date", "leave_days", "discharge_type", "discharge_status", "admit_weight", "drg", "service_month",
        "submitted_at", "total_charge")}
    for (cid, key, hcode, pid, person_id, sex, age, age_days, admitted, total, received, discharged, leave, dtype,
         dstatus, weight, drg) in rows:
        dx = diagnoses.get(cid, [])
        pdx = next((code for kind, code in dx if kind == 1), None)
        for name, value in (("claim_id", cid), ("an", key), ("hcode", hcode), ("pid", pid), ("person_id", person_id),
                            ("pdx", pdx), ("sdx", ";".join(code for kind, code in dx if kind != 1)),
                            ("proc", ";".join(procedures.get(cid, []))), ("sex", sex), ("age", age),
                            ("age_days", age_days), ("admit_date", admitted), ("discharge_date", discharged),
                            ("leave_days", leave), ("discharge_type", dtype), ("discharge_status", dstatus),
                            ("admit_weight", weight), ("drg", drg or None), ("service_month", _month(discharged)),
                            ("submitted_at", received), ("total_charge", total)):
            columns[name].append(value)
    return pa.table(columns, schema=ADMISSIONS_SCHEMA)


def visits_table(queryset: QuerySet) -> pa.Table:
    """OP visits as an Arrow table (one row per claim, in id order)."""
    rows = list(queryset.filter(kind=Claim.Kind.OP).order_by("id").values_list(*_COMMON, "clinic"))
    diagnoses, procedures = _codes([r[0] for r in rows])
    columns: dict[str, list[Any]] = {k: [] for k in (
        "claim_id", "seq", "hcode", "pid", "person_id", "pdx", "sdx", "proc", "sex", "age", "age_days", "visit_date",
        "clinic", "service_month", "submitted_at", "total_charge")}
    for cid, key, hcode, pid, person_id, sex, age, age_days, visited, total, received, clinic in rows:
        dx = diagnoses.get(cid, [])
        for name, value in (("claim_id", cid), ("seq", key), ("hcode", hcode), ("pid", pid), ("person_id", person_id),
                            ("pdx", next((code for kind, code in dx if kind == 1), None)),
                            ("sdx", ";".join(code for kind, code in dx if kind != 1)),
                            ("proc", ";".join(procedures.get(cid, []))), ("sex", sex), ("age", age),
                            ("age_days", age_days), ("visit_date", visited), ("clinic", clinic),
                            ("service_month", _month(visited)), ("submitted_at", received), ("total_charge", total)):
            columns[name].append(value)
    return pa.table(columns, schema=VISITS_SCHEMA)


_MONEY = pa.decimal128(16, 2)
_TS = pa.timestamp("us", tz="UTC")
ADMISSIONS_SCHEMA = pa.schema([
    ("claim_id", pa.int64()), ("an", pa.string()), ("hcode", pa.string()), ("pid", pa.string()),
    ("person_id", pa.int64()), ("pdx", pa.string()), ("sdx", pa.string()), ("proc", pa.string()),
    ("sex", pa.int8()), ("age", pa.int32()), ("age_days", pa.int32()), ("admit_date", pa.date32()),
    ("discharge_date", pa.date32()), ("leave_days", pa.int32()), ("discharge_type", pa.int8()),
    ("discharge_status", pa.int8()), ("admit_weight", pa.int32()), ("drg", pa.string()),
    ("service_month", pa.date32()), ("submitted_at", _TS), ("total_charge", _MONEY),
])
VISITS_SCHEMA = pa.schema([
    ("claim_id", pa.int64()), ("seq", pa.string()), ("hcode", pa.string()), ("pid", pa.string()),
    ("person_id", pa.int64()), ("pdx", pa.string()), ("sdx", pa.string()), ("proc", pa.string()),
    ("sex", pa.int8()), ("age", pa.int32()), ("age_days", pa.int32()), ("visit_date", pa.date32()),
    ("clinic", pa.string()), ("service_month", pa.date32()), ("submitted_at", _TS), ("total_charge", _MONEY),
])
