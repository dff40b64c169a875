"""ExplanationOfBenefit per paid claim and PaymentReconciliation per statement (one published payment round and
one unit), read-only. Base R4B: no SIL-TH guide profiles them. Payment data come from `payment_reads` only."""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from openuhc.core.dates import format_date
from openuhc.core.errors import DomainError
from openuhc.fhir import claim_resources as claims_build
from openuhc.fhir import payment_reads as reads
from openuhc.fhir import search
from openuhc.fhir import systems as s
from openuhc.fhir.claim_views import VIEW_ROLES, log_claims, one_claim, visible_claims, with_lines
from openuhc.fhir.errors import FhirError
from openuhc.fhir.protocol import endpoint
from openuhc.fhir.registry_resources import payer_ref, ref, unit_ref
from openuhc.registry.models import PersonAccess

money = claims_build.money
LINE_SYSTEM = s.OPENUHC + "CodeSystem/payment-line"


def _adjudication(category: str, amount: Decimal) -> dict[str, Any]:
    return {"category": {"coding": [{"system": s.ADJUDICATION, "code": category}]}, "amount": money(amount)}


def _line_text(line: reads.PaidLine) -> str:
    if line.what == "ip":
        text = _("Inpatient round %(run)s: DRG %(drg)s, AdjRW %(adjrw)s, %(rate)s baht per AdjRW") % {
            "run": line.run_id, "drg": line.code, "adjrw": line.detail.get("adjrw2") or line.detail.get("adjrw", ""),
            "rate": line.detail.get("rate", "")}
    else:
        text = _("Fee-schedule round %(run)s: item %(item)s") % {"run": line.run_id, "item": line.code}
    return text + (" · " + _("correction") if line.is_adjustment else "")


def explanation(claim: Any, lines: list[reads.PaidLine]) -> dict[str, Any]:
    items = [{"sequence": n, "productOrService": {"coding": [{"system": LINE_SYSTEM, "code": line.what}],
                                                 "text": _line_text(line)},
              "servicedDate": line.period.isoformat(),
              "adjudication": [_adjudication("eligible", line.gross), _adjudication("benefit", line.net)]}
             for n, line in enumerate(lines, 1)]
    paid = sum((line.net for line in lines), Decimal(0))
    deductions = sum((line.deductions for line in lines), Decimal(0))
    body: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit", "id": str(claim.pk),
        "identifier": [claims_build.claim_identifier(claim)],
        "status": "active", "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]}, "use": "claim",
        "patient": claims_build.patient_ref(claim), "created": min(line.paid_at for line in lines).isoformat(
            timespec="seconds"), "insurer": payer_ref(), "provider": unit_ref(claim.unit),
        "claim": ref("Claim", claim.pk), "claimResponse": ref("ClaimResponse", claim.pk), "outcome": "complete",
        "disposition": _("Paid by %(count)s published line(s).") % {"count": len(lines)},
        "insurance": [{"focal": True, "coverage": {"display": claim.inscl or _("scheme not stated")}}],
        "item": items, "total": [_adjudication("benefit", paid)],
        "payment": {"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/ex-paymenttype",
                                         "code": "complete"}]},
                    "date": max(line.paid_at for line in lines).date().isoformat(), "amount": money(paid)},
    }
    if claim.total_charge is not None:
        body["total"].insert(0, _adjudication("submitted", claim.total_charge))
    if deductions:
        body["payment"]["adjustment"] = money(-deductions)
        body["payment"]["adjustmentReason"] = {"text": _("Road-traffic insurance and salary deductions")}
    if claim.service_date:
        body["billablePeriod"] = {"start": claim.service_date.isoformat(),
                                  **({"end": claim.discharge_date.isoformat()} if claim.discharge_date else {})}
    return body


@endpoint(roles=VIEW_ROLES)
def eob_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    claim = one_claim(scope, pk)
    lines = reads.claim_lines(claim.pk)
    if not lines:
        raise Http404  # not paid (yet): there is no explanation of benefit
    log_claims(request, scope, [claim], PersonAccess.Action.API)
    return explanation(claim, lines)


@endpoint(roles=VIEW_ROLES)
def eob_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "ExplanationOfBenefit", {"patient", "claim", "_id", "provider"})
    rows = visible_claims(scope)
    if "patient" in query:
        pk = search.reference(query, "patient", "Patient")
        rows = rows.filter(person_id=int(pk) if pk.isdigit() else -1)
    for name, resource in (("claim", "Claim"), ("_id", "ExplanationOfBenefit")):
        if name in query:
            pk = search.reference(query, name, resource)
            rows = rows.filter(pk=int(pk) if pk.isdigit() else -1)
    if "provider" in query:
        rows = rows.filter(unit__code=search.reference(query, "provider", "Organization"))
    paid = reads.paid_claim_ids(rows.values_list("pk", flat=True))
    offset, count = search.paging(query)
    found = list(with_lines(rows.filter(pk__in=paid).select_related("person").order_by("-id"))[offset:offset + count])
    log_claims(request, scope, found, PersonAccess.Action.SEARCH)
    return search.searchset(request, [explanation(c, reads.claim_lines(c.pk)) for c in found],
                            rows.filter(pk__in=paid).count(), offset=offset, count=count)


# --- PaymentReconciliation --------------------------------------------------------------------------------------

def reconciliation(statement: reads.Statement) -> dict[str, Any]:
    last = calendar.monthrange(statement.period.year, statement.period.month)[1]
    published = statement.published_at
    details = [{"type": {"coding": [{"system": s.PAYMENT_TYPE, "code": "adjustment" if correction else "payment"}]},
                "request": ref("Claim", claim_id), "response": ref("ClaimResponse", claim_id), "amount": money(net)}
               for claim_id, correction, net in statement.claim_lines]
    details += [{"type": {"coding": [{"system": s.PAYMENT_TYPE, "code": "payment"}]},
                 "identifier": {"system": s.PAYER_ID + "capitation-age-group", "value": group},
                 "amount": money(amount)} for group, _population, amount in statement.capitation_lines]
    # Deductions from capitation (salary, road-traffic insurance) close the gap to the unit's net: the details
    # always add up to paymentAmount exactly.
    rest = statement.net - sum((line[2] for line in statement.claim_lines), Decimal(0)) - sum(
        (line[2] for line in statement.capitation_lines), Decimal(0))
    if rest:
        details.append({"type": {"coding": [{"system": s.PAYMENT_TYPE, "code": "adjustment"}],
                                 "text": _("Deductions")}, "amount": money(rest)})
    body: dict[str, Any] = {
        "resourceType": "PaymentReconciliation", "id": statement.key,
        "identifier": [{"system": s.PAYER_ID + "statement", "value": statement.key}], "status": "active",
        "period": {"start": statement.period.isoformat(), "end": statement.period.replace(day=last).isoformat()},
        "created": (published.isoformat(timespec="seconds") if published else statement.period.isoformat()),
        "paymentIssuer": payer_ref(), "requestor": unit_ref(statement.unit), "outcome": "complete",
        "disposition": _("%(kind)s, round %(run)s, %(month)s") % {
            "kind": statement.kind_label, "run": statement.run_id, "month": format_date(statement.period)},
        "paymentDate": (published.date() if published else statement.period).isoformat(),
        "paymentAmount": money(statement.net),
    }
    if details:
        body["detail"] = details
    return body


@endpoint(roles=reads.STATEMENT_ROLES)
def reconciliation_read(request: HttpRequest, scope: Any, pk: str) -> dict[str, Any]:
    row = reads.find_statement(scope, pk)
    if row is None:
        raise Http404
    return reconciliation(reads.statement(row))


@endpoint(roles=reads.STATEMENT_ROLES)
def reconciliation_search(request: HttpRequest, scope: Any) -> dict[str, Any]:
    query = search.params(request, "PaymentReconciliation", {"requestor", "identifier"})
    rows = reads.statements(scope)
    if "requestor" in query:
        rows = rows.filter(unit__code=search.reference(query, "requestor", "Organization"))
    if "identifier" in query:
        system, value = search.token(query, "identifier")
        if system not in (None, s.PAYER_ID + "statement"):
            raise DomainError(FhirError.UNKNOWN_SYSTEM, system=system, resource="PaymentReconciliation",
                              expected=s.PAYER_ID + "statement")
        run, _sep, code = value.partition("-")
        rows = rows.filter(run_id=int(run), unit__code=code) if run.isdigit() else rows.none()
    offset, count = search.paging(query)
    found = list(rows.order_by("-run__period", "run_id", "unit__code")[offset:offset + count])
    return search.searchset(request, [reconciliation(reads.statement(r)) for r in found], rows.count(),
                            offset=offset, count=count)
