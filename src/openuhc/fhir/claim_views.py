"""Claim/$submit (a Claim, or a Bundle with its Patient, Encounter, Conditions and Procedures) through the claim
files' own intake, and Claim / ClaimResponse read and search."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest

from openuhc.accounts.roles import Role
from openuhc.claims import services as claims
from openuhc.claims.models import Claim, Problem
from openuhc.core.errors import DomainError
from openuhc.fhir import claim_resources as build
from openuhc.fhir import search
from openuhc.fhir import systems as s
from openuhc.fhir.claim_files import ClaimFiles, FhirClaim, Resolver, unit_code
from openuhc.fhir.errors import FhirError
from openuhc.fhir.parsing import parse_resource
from openuhc.fhir.protocol import Answer, endpoint, read_json
from openuhc.providers.models import HealthUnit
from openuhc.registry.audit import log_access
from openuhc.registry.models import PersonAccess

log = logging.getLogger(__name__)

SUBMIT_ROLES = (Role.NATIONAL, Role.HOSPITAL)  # as the claim files' upload
VIEW_ROLES = (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL)
MAX_CLAIMS = 100


def _provider(claim: dict[str, Any], resolver: Resolver, index: int) -> str:
    reference = claim.get("provider")
    code = unit_code(reference)
    if not code:
        organization = resolver.get(reference, claim, f"Claim[{index}].provider", "Organization", required=False)
        for item in (organization or {}).get("identifier") or []:
            if item.get("system") == s.HCODE and item.get("value"):
                code = str(item["value"])
    if not code:
        raise DomainError(FhirError.MISSING, path=f"Claim[{index}].provider", detail="the unit's HCODE "
                          "(identifier system https://terms.sil-th.org/id/th-moph-hcode)",
                          detail_th="รหัสหน่วยบริการ (identifier ระบบ https://terms.sil-th.org/id/th-moph-hcode)")
    return code


def _group(stored: list[Claim], actor: Any) -> None:
    """Group the accepted admissions at once when Thai DRG tables are installed, so the answer carries the DRG.
    Without tables the claims wait for the batch grouping, as file submissions do."""
    from openuhc.drg.claims import group_claims
    from openuhc.drg.services import DrgError

    ids = [c.pk for c in stored if c.kind == Claim.Kind.IP and c.status == Claim.Status.ACCEPTED]
    if not ids:
        return
    try:
        group_claims(Claim.objects.filter(pk__in=ids), actor=actor, workers=1)
    except DomainError as error:
        if error.error is not DrgError.NO_TABLES:
            raise


def with_lines(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("unit", "submission").prefetch_related(
        "diagnoses", "procedures", "charges", "items",
        Prefetch("problems", queryset=Problem.objects.order_by("file", "line", "id")))


def _grouping(claim: Claim) -> Any:
    from openuhc.drg.claims import latest

    return latest(claim) if claim.kind == Claim.Kind.IP else None


@endpoint(methods=("POST",), roles=SUBMIT_ROLES)
def submit(request: HttpRequest, scope: Any) -> Answer:
    data = read_json(request)
    parse_resource(data, "Claim", "Bundle")
    if data["resourceType"] == "Bundle":
        entries = [e for e in data.get("entry") or [] if isinstance(e, dict)]
        resources = [e.get("resource") for e in entries]
        found = [FhirClaim(n, r) for n, r in enumerate(
            x for x in resources if isinstance(x, dict) and x.get("resourceType") == "Claim")]
    else:
        entries, found = [], [FhirClaim(0, data)]
    if not found:
        raise DomainError(FhirError.NO_CLAIM)
    if len(found) > MAX_CLAIMS:
        raise DomainError(FhirError.TOO_MANY_CLAIMS, limit=MAX_CLAIMS)
    resolver = Resolver(entries)
    codes = {_provider(c.resource, resolver, c.index) for c in found}
    if len(codes) != 1:
        raise DomainError(FhirError.MIXED_PROVIDERS)
    code = codes.pop()
    unit = HealthUnit.objects.filter(code=code).first()
    if unit is None:
        raise DomainError(FhirError.UNKNOWN_PROVIDER, code=code)
    if not scope.can_see_unit(unit):
        raise DomainError(FhirError.NOT_YOUR_UNIT, code=code)
    files = ClaimFiles(unit.code)
    for item in found:
        files.add_claim(item, resolver)
    upload = ContentFile(files.zip_bytes(), name="fhir-claim.zip")
    submission = claims.receive(source=upload, unit=unit, actor=scope.user, channel="fhir",
                                file_name=f"FHIR {data['resourceType']} {data.get('id') or ''}".strip())
    submission = claims.process_submission(submission, actor=scope.user)
    stored = {(c.kind, c.key): c for c in submission.claims.all()}
    _group(list(stored.values()), scope.user)
    general = list(submission.problems.filter(claim__isnull=True).order_by("file", "line", "id"))
    answers = []
    for item in found:
        claim = stored.get((item.kind, item.key))
        if claim is None:
            cid = next((i.get("value", "") for i in item.patient.get("identifier") or [] if i.get("system") == s.CID),
                       "")
            answers.append(build.unstored_response(unit=unit, key=item.key, kind=item.kind, cid=cid,
                                                   problems=general))
            continue
        claim = with_lines(Claim.objects.filter(pk=claim.pk)).get()
        answers.append(build.claim_response(claim, general + list(claim.problems.all()), grouping=_grouping(claim)))
    if len(answers) == 1:
        return Answer(answers[0])
    base = search.base_url(request)
    return Answer({"resourceType": "Bundle", "type": "collection",
                   "entry": [{"fullUrl": f"{base}ClaimResponse/{a['id']}", "resource": a} for a in answers]})


# --- read and search ------------------------------------------------------------------------------------------------

def visible_claims(scope: Any) -> QuerySet:
    rows = Claim.objects.all()
    return rows if scope.is_national else rows.filter(unit__in=scope.units())


def one_claim(scope: Any, pk: str) -> Claim:
    claim = with_lines(Claim.objects.filter(pk=int(pk) if pk.isdigit() else -1)).first()
    if claim is None:
        raise Http404
    if not scope.is_national and not scope.can_see_unit(claim.unit):
        raise PermissionDenied
    return claim


def log_claims(request: HttpRequest, scope: Any, found: list[Claim], action: str) -> None:
    people = {c.person_id: c.person for c in found if c.person_id}
    if people:
        log_access(actor=scope.user, role=scope.role, persons=list(people.values()), action=action, request=request)


def _search(request: HttpRequest, scope: Any, resource: str) -> tuple[list[Claim], int, int, int]:
    names = {"identifier", "patient", "_id"} | ({"request"} if resource == "ClaimResponse" else set())
    query = search.params(request, resource, names)
    rows = visible_claims(scope)
    if "identifier" in query:
        system, value = search.token(query, "identifier")
        rows = rows.filter(key=value)
        if system is not None:
            parts = system.rstrip("/").split("/")
            if len(parts) < 3 or parts[-1] not in ("VN", "AN") or not system.startswith("https://terms.sil-th.org/hcode/"):
                raise DomainError(FhirError.UNKNOWN_SYSTEM, system=system, resource=resource,
                                  expected=s.local_system("{HCODE}", "VN") + " or …/AN")
            # current or not, each found by its partial index on (unit, kind, key) (claims.models.Claim); the unit's
            # id as a value (a subquery), not a join: PostgreSQL combines the two indexes only for a value
            unit = HealthUnit.objects.filter(code=parts[-2]).values("id")[:1]
            rows = rows.filter(Q(is_current=True) | Q(is_current=False), unit_id=Subquery(unit),
                               kind="IP" if parts[-1] == "AN" else "OP")
    if "patient" in query:
        pk = search.reference(query, "patient", "Patient")
        rows = rows.filter(person_id=int(pk) if pk.isdigit() else -1)
    for name in ("_id", "request"):
        if name in query:
            pk = search.reference(query, name, "Claim") if name == "request" else query[name]
            rows = rows.filter(pk=int(pk) if pk.isdigit() else -1)
    offset, count = search.paging(query)
    found = list(with_lines(rows.select_related("person").order_by("-received_at", "-id"))[offset:offset + count])
    log_claims(request, scope, found, PersonAccess.Action.SEARCH)
    return found, rows.count(), offset, count


@endpoint(roles=VIEW_ROLES)
def claim_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    claim = one_claim(scope, pk)
    log_claims(request, scope, [claim], PersonAccess.Action.API)
    return build.claim(claim, grouping=_grouping(claim))


@endpoint(roles=VIEW_ROLES)
def claim_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    found, total, offset, count = _search(request, scope, "Claim")
    return search.searchset(request, [build.claim(c, grouping=_grouping(c)) for c in found], total, offset=offset,
                            count=count)


def _response(claim: Claim) -> dict[str, Any]:
    general = list(claim.submission.problems.filter(claim__isnull=True).order_by("file", "line", "id"))
    return build.claim_response(claim, general + list(claim.problems.all()), grouping=_grouping(claim))


@endpoint(roles=VIEW_ROLES)
def response_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    claim = one_claim(scope, pk)
    log_claims(request, scope, [claim], PersonAccess.Action.API)
    return _response(claim)


@endpoint(roles=VIEW_ROLES)
def response_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    found, total, offset, count = _search(request, scope, "ClaimResponse")
    return search.searchset(request, [_response(c) for c in found], total, offset=offset, count=count)
