"""Claims API: upload a submission (multipart, the same path as the page), read submissions, their problems
and claims. Hospital tokens act for their own unit(s); regional for their region; national for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from openuhc.accounts.api_auth import api_scope
from openuhc.claims import services
from openuhc.claims.access import seen_claims
from openuhc.claims.errors import PagingError, SubmissionError
from openuhc.claims.formats import require_claim_files
from openuhc.claims.models import Claim, Submission
from openuhc.claims.views import UPLOAD_ROLES, VIEW_ROLES, visible_submissions
from openuhc.core import keyset
from openuhc.core.access import record_access
from openuhc.core.api import id_param, limit_param, offset_param
from openuhc.core.errors import DomainError
from openuhc.core.query import BadParameter
from openuhc.providers.models import HealthUnit
from openuhc.registry.models import PersonAccess

router = Router(tags=["claims"])


class SubmissionOut(Schema):
    id: int
    unit: str
    file_name: str
    sha256: str
    size: int
    status: str
    received_at: str
    service_month: str | None
    op_count: int
    ip_count: int
    accepted: int
    rejected: int
    replaced: int
    problems: int
    tables_missing: bool
    job: str | None


def _out(s: Submission) -> dict:
    return {"id": s.pk, "unit": s.unit.code, "file_name": s.file_name, "sha256": s.sha256, "size": s.size,
            "status": s.status, "received_at": s.received_at.isoformat(),
            "service_month": s.service_month.isoformat() if s.service_month else None, "op_count": s.op_count,
            "ip_count": s.ip_count, "accepted": s.accepted_count, "rejected": s.rejected_count,
            "replaced": s.replaced_count, "problems": s.problem_count, "tables_missing": s.tables_missing,
            "job": str(s.job_id) if s.job_id else None}


@router.post("submissions", response={201: SubmissionOut}, summary="Send a .zip of claim files for a unit")
def upload(request: HttpRequest, unit: Form[str], file: File[UploadedFile]) -> Status:
    scope = api_scope(request, *UPLOAD_ROLES)
    require_claim_files()
    target = HealthUnit.objects.filter(code=unit).first()
    if target is None:
        raise DomainError(SubmissionError.UNKNOWN_UNIT, code=unit)
    if not scope.can_see_unit(target):
        raise DomainError(SubmissionError.NOT_YOUR_UNIT)
    if Path(file.name or "").suffix.lower() != ".zip":
        raise DomainError(SubmissionError.BAD_UPLOAD)
    if file.size > settings.OPENUHC_MAX_UPLOAD_BYTES:
        raise DomainError(SubmissionError.TOO_LARGE, mb=settings.OPENUHC_MAX_UPLOAD_BYTES // (1024 * 1024))
    submission = services.start_upload(upload=file, unit=target, actor=scope.user, channel="api")
    submission.refresh_from_db()
    return Status(201, _out(submission))


@router.get("submissions", response=list[SubmissionOut], summary="Submissions you may see, newest first")
def submissions(request: HttpRequest, unit: str | None = None, limit: int = limit_param(50, most=500)
                ) -> list[dict]:
    scope = api_scope(request, *VIEW_ROLES)
    rows = visible_submissions(scope).select_related("unit")
    if unit:
        rows = rows.filter(unit__code=unit)
    return [_out(s) for s in rows[:limit]]


def _visible(request: HttpRequest, pk: int) -> Submission:
    scope = api_scope(request, *VIEW_ROLES)
    submission = get_object_or_404(Submission.objects.select_related("unit"), pk=pk)
    if not scope.can_see_unit(submission.unit):
        raise PermissionDenied
    return submission


@router.get("submissions/{pk}", response=SubmissionOut, summary="One submission's outcome")
def submission(request: HttpRequest, pk: int = id_param()) -> dict:
    return _out(_visible(request, pk))


class ProblemOut(Schema):
    file: str
    line: int | None
    field: str
    code: str
    klass: str
    message_th: str
    message_en: str
    kind: str | None
    key: str | None


# Keyset paging (`after`): each page starts in the index at the previous page's last row, so the end of a
# 100,000-claim submission costs what its start does; `offset` is kept for the clients that use it.
AFTER = "The `next` cursor of the previous page (its Link header); not together with offset."
PROBLEM_KEYS = (keyset.Key("file"), keyset.Key("line", nullable=True), keyset.Key("id"))
# (kind, key) is unique within a submission (claims_key_once_per_submission): its index serves each page.
CLAIM_KEYS = (keyset.Key("kind"), keyset.Key("key"))


def _page(request: HttpRequest, response: HttpResponse, rows: Any, keys: tuple[keyset.Key, ...], *,
          after: str, offset: int, limit: int) -> list[Any]:
    """One page by offset (no cursor given) or after a cursor; the `next` cursor, whenever another page follows,
    in `Link: <…?after=…>; rel="next"` and `X-Next-Cursor` (the answer stays a plain list)."""
    if after and offset:
        raise BadParameter(PagingError.WITH_OFFSET)
    if after and keyset.decode(after, keys, rows.model) is None:
        raise BadParameter(PagingError.BAD_CURSOR, value=after[:40])
    if offset:  # the offset clients' pages, in the keyset's order (NULLs last on both databases)
        found = list(rows.order_by(*(F(k.field).asc(nulls_last=True) for k in keys))[offset:offset + limit + 1])
        more, found = len(found) > limit, found[:limit]
        page = keyset.KeysetPage(found, more and bool(found), True, keyset.encode(
            tuple(getattr(found[-1], k.field) for k in keys)) if found else "", "")
    else:
        page = keyset.paginate(rows, keys, size=limit, after_cursor=after)
    if page.has_next:
        query = request.GET.copy()
        query.pop("offset", None)
        query["after"] = page.next_cursor
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
        response["X-Next-Cursor"] = page.next_cursor
    return page.object_list


@router.get("submissions/{pk}/problems", response=list[ProblemOut], summary="Every problem of a submission")
def problems(request: HttpRequest, response: HttpResponse, pk: int = id_param(), offset: int = offset_param(),
             after: str = Query("", max_length=500, description=AFTER),
             limit: int = limit_param(1000, most=10000)) -> list[dict]:
    sub = _visible(request, pk)
    rows = _page(request, response, sub.problems.select_related("claim"), PROBLEM_KEYS, after=after, offset=offset,
                 limit=limit)
    record_access(request, seen_claims(p.claim for p in rows if p.claim is not None), action=PersonAccess.Action.API)
    return [{"file": p.file, "line": p.line, "field": p.field, "code": p.code, "klass": p.klass,
             "message_th": p.message_th, "message_en": p.message_en, "kind": p.claim.kind if p.claim else None,
             "key": p.claim.key if p.claim else None} for p in rows]


class ClaimOut(Schema):
    id: int
    kind: str
    key: str
    hn: str
    status: str
    is_current: bool
    service_date: str | None
    total_charge: str | None


@router.get("submissions/{pk}/claims", response=list[ClaimOut], summary="The visits and admissions sent")
def claims(request: HttpRequest, response: HttpResponse, pk: int = id_param(), status: Claim.Status | None = None,
           offset: int = offset_param(), after: str = Query("", max_length=500, description=AFTER),
           limit: int = limit_param(1000, most=10000)) -> list[dict]:
    sub = _visible(request, pk)
    rows = sub.claims.all()
    if status:
        rows = rows.filter(status=status)
    found = _page(request, response, rows, CLAIM_KEYS, after=after, offset=offset, limit=limit)
    record_access(request, seen_claims(found), action=PersonAccess.Action.API)  # HNs
    return [{"id": c.pk, "kind": c.kind, "key": c.key, "hn": c.hn, "status": c.status, "is_current": c.is_current,
             "service_date": c.service_date.isoformat() if c.service_date else None,
             "total_charge": str(c.total_charge) if c.total_charge is not None else None}
            for c in found]
