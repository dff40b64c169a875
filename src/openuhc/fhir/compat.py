"""The national calls hospital systems already make, answered by OpenUHC (shapes from public client code; what is
and is not supported: docs/api.md):

    GET  /compat/nhso/nhsoendpoint/api/v2/right-search?pid=<13 digits>&checkDate=<date>   right search
    POST /compat/nhso/FMU/ecimp/v1/send        e-Claim-style send of the claim files (each base64, with its name,
                                                type, size and encoding) → a transaction id
    GET  /compat/nhso/FMU/ecimp/v1/track/<id>  what became of a send (status, counts, every problem)

Authentication is an OpenUHC bearer token, as for the JSON API. Errors are {"status", "code", "message"} in the
language of Accept-Language.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import uuid
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from openuhc.accounts.roles import ELIGIBILITY_ROLES, Role
from openuhc.claims import formats
from openuhc.claims import services as claims
from openuhc.claims.models import Submission
from openuhc.core.dates import parse_api_date, today
from openuhc.core.errors import DomainError
from openuhc.fhir.errors import FhirError
from openuhc.fhir.protocol import endpoint, plain_error, read_json
from openuhc.providers.models import HealthUnit
from openuhc.registry.audit import log_access
from openuhc.registry.eligibility import check_eligibility
from openuhc.registry.models import PersonAccess

SEND_ROLES = (Role.NATIONAL, Role.HOSPITAL)
MAX_PROBLEMS = 1000


def compat_endpoint(roles: tuple[str, ...] | frozenset[str], methods: tuple[str, ...]
                    ) -> Callable[[Callable[..., Any]], Callable[..., HttpResponse]]:
    return endpoint(methods=methods, roles=roles, errors=plain_error, content_type="application/json")


@csrf_exempt
def unknown(request: HttpRequest) -> HttpResponse:
    return plain_error(FhirError.UNKNOWN_ROUTE, path=request.path)


# --- right search ------------------------------------------------------------------------------------------------

def _unit(unit: Any) -> dict[str, str]:
    return {"hcode": unit.code, "hname": unit.name_th} if unit is not None else {}


@compat_endpoint(ELIGIBILITY_ROLES, ("GET",))
def right_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    """The person's right on a date: scheme, main (ประจำ), sub (ปฐมภูมิ) and referral units. Field names as the
    national right-search answers them; units as its clients label them: hospMainOp = หน่วยบริการประจำ, hospSub =
    หน่วยบริการปฐมภูมิ, hospMain = หน่วยบริการรับส่งต่อ."""
    pid = (request.GET.get("pid") or "").strip()
    text = (request.GET.get("checkDate") or "").strip()
    try:
        on = parse_api_date(text[:10]) if text else today()
    except DomainError as error:
        raise DomainError(FhirError.BAD_DATE, field="checkDate", detail=error.message_en) from None
    result = check_eligibility(pid, on)
    body: dict[str, Any] = {"pid": pid, "checkDate": on.isoformat(), "nation": {}, "sex": {}, "funds": []}
    if result.error is not None and result.person is None and result.reason_code != "unknown_id":
        raise DomainError(FhirError.BAD_VALUE, name="pid", detail=result.error.message_en)
    person = result.person
    if person is None:
        return body  # as the national service answers an unknown ID: no name, no sex, no funds
    log_access(actor=scope.user, role=scope.role, persons=[person], action=PersonAccess.Action.ELIGIBILITY,
               request=request)
    body.update({"tname": person.title, "fname": person.first_name_th, "lname": person.last_name_th,
                 "sex": {"id": str(person.sex), "name": {1: "ชาย", 2: "หญิง"}.get(person.sex, "")},
                 "birthDate": person.birth_date.isoformat()})
    if person.death_date:
        body["deathDate"] = person.death_date.isoformat()
    if result.eligible:
        cover, reg = result.coverage, result.registration
        fund: dict[str, Any] = {
            "mainInscl": {"id": cover.scheme.eclaim_code or cover.scheme.code, "name": cover.scheme.name_th},
            "subInscl": {}, "startDateTime": f"{cover.valid_from.isoformat()}T00:00:00",
            "expireDateTime": f"{cover.valid_to.isoformat()}T23:59:59" if cover.valid_to else None,
            "hospMainOp": _unit(reg.main_unit if reg else None), "hospSub": _unit(reg.primary_unit if reg else None),
            "hospMain": _unit(reg.referral_unit if reg else None)}
        body["funds"] = [{k: v for k, v in fund.items() if v is not None}]
    else:
        body["message"] = result.error.message if result.error else ""
    return body


# --- e-Claim-style send ----------------------------------------------------------------------------------------------

_HCODE_IN_AGENT = re.compile(r"<?\b(\d{5})>?\s*$")


def sending_unit(request: HttpRequest, scope: Any) -> HealthUnit:
    """The unit named at the end of the User-Agent (<platform>/<version> <hcode>), else a hospital token's unit."""
    match = _HCODE_IN_AGENT.search(request.headers.get("User-Agent", ""))
    code = match.group(1) if match else (scope.unit.code if scope.unit is not None else "")
    if not code:
        raise DomainError(FhirError.NO_UNIT)
    unit = HealthUnit.objects.filter(code=code).first()
    if unit is None:
        raise DomainError(FhirError.UNKNOWN_PROVIDER, code=code)
    if not scope.can_see_unit(unit):
        raise DomainError(FhirError.NOT_YOUR_UNIT, code=code)
    return unit


def files_zip(payload: Any) -> bytes:
    """The sent files (each {blobName, blobType, blob (base64), size, encoding}) as the zip the intake reads."""
    if not isinstance(payload, dict):
        raise DomainError(FhirError.NO_FILES)
    if str(payload.get("fileType") or "txt").lower() != "txt":
        raise DomainError(FhirError.BAD_FILE, name="fileType", detail="only txt claim files are taken (not dbf)",
                          detail_th="รับเฉพาะแฟ้มข้อมูลแบบ txt (ไม่รับ dbf)")
    files = payload.get("file")
    if not isinstance(files, dict):
        raise DomainError(FhirError.NO_FILES)
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, item in files.items():
            if item is None:
                continue  # the national clients send "lab": null for a file they do not have
            name = str(key).upper()
            if not isinstance(item, dict) or not isinstance(item.get("blob"), str):
                raise DomainError(FhirError.BAD_FILE, name=name, detail="no base64 blob", detail_th="ไม่มีข้อมูล blob")
            try:
                content = base64.b64decode(item["blob"], validate=True)
            except (binascii.Error, ValueError):
                raise DomainError(FhirError.BAD_FILE, name=name, detail="the blob is not base64",
                                  detail_th="blob ไม่ใช่ base64") from None
            size = item.get("size")
            if size is not None and (not isinstance(size, int) or size != len(content)):
                raise DomainError(FhirError.BAD_FILE, name=name, detail=f"size {size} but {len(content)} bytes "
                                  "arrived", detail_th=f"ระบุขนาด {size} แต่ได้รับ {len(content)} ไบต์")
            member = PurePosixPath(str(item.get("blobName") or f"{name}.txt").replace("\\", "/")).name
            if formats.file_name_of(member) is None:
                member = f"{name}.txt"
            archive.writestr(member, content)
            count += 1
    if not count:
        raise DomainError(FhirError.NO_FILES)
    return buffer.getvalue()


@compat_endpoint(SEND_ROLES, ("POST",))
def send(request: HttpRequest, scope: Any) -> dict[str, Any]:
    unit = sending_unit(request, scope)
    content = files_zip(read_json(request))
    submission = claims.start_upload(upload=ContentFile(content, name="eclaim-send.zip"), unit=unit, actor=scope.user,
                                     channel="eclaim-api")
    submission.refresh_from_db()
    return {"status": 200, "message": "received", "transactionId": str(submission.job_id),
            "trackUrl": request.build_absolute_uri(f"/compat/nhso/FMU/ecimp/v1/track/{submission.job_id}")}


def track_body(submission: Submission) -> dict[str, Any]:
    from openuhc.core.models import Job

    job = Job.objects.filter(pk=submission.job_id).first()
    running = job is not None and job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
    state = "processing" if running and submission.status == Submission.Status.RECEIVED else submission.status
    problems = submission.problems.select_related("claim").order_by("file", "line", "id")[:MAX_PROBLEMS]
    return {
        "transactionId": str(submission.job_id), "status": state, "hcode": submission.unit.code,
        "receivedAt": submission.received_at.isoformat(timespec="seconds"), "sha256": submission.sha256,
        "opCount": submission.op_count, "ipCount": submission.ip_count, "accepted": submission.accepted_count,
        "rejected": submission.rejected_count, "problemCount": submission.problem_count,
        "error": submission.error_message or (job.error_message if job is not None else ""),
        "claims": [{"type": c.kind, "key": c.key, "hn": c.hn, "status": c.status}
                   for c in submission.claims.order_by("kind", "key")],
        "problems": [{"file": p.file, "line": p.line, "field": p.field, "code": p.code, "class": p.klass,
                      "message": p.message_th if _thai() else p.message_en,
                      "type": p.claim.kind if p.claim else None, "key": p.claim.key if p.claim else None}
                     for p in problems],
    }


def _thai() -> bool:
    from django.utils import translation

    return (translation.get_language() or "th").startswith("th")


@compat_endpoint(SEND_ROLES + (Role.REGIONAL,), ("GET",))
def track(request: HttpRequest, scope: Any, transaction: str = "") -> dict[str, Any]:
    transaction = transaction or request.GET.get("transactionId", "")
    try:
        key = uuid.UUID(transaction)
    except ValueError:
        raise DomainError(FhirError.UNKNOWN_TRANSACTION, id=transaction[:40]) from None
    submission = Submission.objects.select_related("unit").filter(job_id=key).first()
    if submission is None:
        raise DomainError(FhirError.UNKNOWN_TRANSACTION, id=transaction)
    if not scope.can_see_unit(submission.unit):
        raise PermissionDenied
    return track_body(submission)
