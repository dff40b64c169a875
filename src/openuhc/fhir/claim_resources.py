"""Stored claims as FHIR R4B: the Claim as received (ClaimCon OPD/IPD profile, with the IPD DRG extension filled
from OpenUHC's grouping) and the ClaimResponse: the claim's status, each problem as an error with its e-Claim
numbered code, and the grouping."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openuhc.country.packs import active
from openuhc.fhir import systems as s
from openuhc.fhir.registry_resources import payer_ref, ref, unit_ref


def money(value: Decimal | int | float | None) -> dict[str, Any]:
    # JSON numbers: exact for our 16-digit, 2-place amounts (a float keeps 15–17 significant digits).
    return {"value": float(value or 0), "currency": active()["currency"]}


def claim_identifier(claim: Any) -> dict[str, Any]:
    """The unit's own number of the visit (VN = SEQ) or admission (AN), as ClaimCon's encounters carry it."""
    kind = "AN" if claim.kind == "IP" else "VN"
    return s.identifier(s.local_system(claim.unit.code, kind), claim.key, "localAn" if kind == "AN" else "localVn")


def patient_ref(claim: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"identifier": s.identifier(s.CID, claim.citizen_id, "cid")} if claim.citizen_id else {}
    if claim.person_id:
        item["reference"] = f"Patient/{claim.person_id}"
    return item or {"display": claim.hn}


def _claim_type(claim: Any) -> dict[str, Any]:
    return {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]}


def _sub_type(claim: Any) -> dict[str, Any]:
    return {"coding": [{"system": s.ACT_CODE, "code": "IMP" if claim.kind == "IP" else "AMB"}],
            "text": claim.get_kind_display()}


def drg_extension(grouping: Any) -> dict[str, Any] | None:
    """ex-claim-ipd-drg from OpenUHC's newest grouping of the admission (every value a string, as profiled)."""
    if grouping is None:
        return None
    parts = [("drg", grouping.drg), ("rw", grouping.rw), ("adjrw", grouping.adjrw), ("error", grouping.error),
             ("los", grouping.los), ("version", f"TDRG {grouping.table_version}")]
    return {"url": s.EXT_CLAIM_IPD_DRG, "extension": [{"url": name, "valueString": str(value)}
                                                       for name, value in parts if value not in (None, "")]}


def claim(claim: Any, *, grouping: Any = None) -> dict[str, Any]:
    """A stored claim. `claim` must come with unit, diagnoses, procedures, charges and items prefetched."""
    period: dict[str, str] = {}
    if claim.service_date:
        period["start"] = claim.service_date.isoformat()
    if claim.discharge_date:
        period["end"] = claim.discharge_date.isoformat()
    body: dict[str, Any] = {
        "resourceType": "Claim", "id": str(claim.pk),
        "meta": {"profile": [s.CLAIM_IPD_PROFILE if claim.kind == "IP" else s.CLAIM_OPD_PROFILE]},
        "identifier": [claim_identifier(claim)],
        "status": "cancelled" if claim.status == "replaced" else "active",
        "type": _claim_type(claim), "subType": _sub_type(claim), "use": "claim", "patient": patient_ref(claim),
        "created": claim.received_at.isoformat(timespec="seconds"), "provider": unit_ref(claim.unit),
        "priority": {"coding": [{"system": s.PROCESS_PRIORITY, "code": "normal"}]},
        "insurer": payer_ref(),
        "insurance": [{"sequence": 1, "focal": True,
                       "coverage": {"display": claim.inscl or _("scheme not stated")}}],
    }
    if period:
        body["billablePeriod"] = period
    extension = drg_extension(grouping) if claim.kind == "IP" else None
    if extension:
        body["extension"] = [extension]
    diagnoses = [{"sequence": n, "diagnosisCodeableConcept": {"coding": [{"system": s.ICD10TM, "code": d.code}]},
                  **({"type": [{"coding": [{"system": s.DIAGNOSIS_ROLE, "code": str(d.dxtype)}]}]} if d.dxtype else {})}
                 for n, d in enumerate(claim.diagnoses.all(), 1)]
    if diagnoses:
        body["diagnosis"] = diagnoses
    procedures = [{"sequence": n, "procedureCodeableConcept": {"coding": [{"system": s.ICD9CM, "code": p.code}]},
                   **({"date": p.date_in.isoformat()} if p.date_in else {})}
                  for n, p in enumerate(claim.procedures.all(), 1)]
    if procedures:
        body["procedure"] = procedures
    items = [{"productOrService": {"coding": [{"system": s.CHRGITEM, "code": c.item}]}, "net": money(c.amount)}
             for c in claim.charges.all()]
    items += [{"category": {"coding": [{"system": s.ADP_TYPE, "code": i.type}]},
               "productOrService": {"coding": [{"code": i.code}]}, "net": money(i.total),
               **({"quantity": {"value": float(i.quantity)}} if i.quantity is not None else {}),
               **({"unitPrice": money(i.rate)} if i.rate is not None else {})} for i in claim.items.all()]
    if items:
        body["item"] = [{"sequence": n, **item} for n, item in enumerate(items, 1)]
    if claim.total_charge is not None:
        body["total"] = money(claim.total_charge)
    return body


# --- ClaimResponse ------------------------------------------------------------------------------------------------

OUTCOME = {"received": "queued", "rejected": "error"}


def problem_error(problem: Any) -> dict[str, Any]:
    """A stored problem (or one found in the check) as ClaimResponse.error: its code in OpenUHC's claim-problem
    CodeSystem (e-Claim numbering), the message in the client's language, and where it was found."""
    thai = (translation.get_language() or "th").startswith("th")
    message = problem.message_th if thai else problem.message_en
    where = " ".join(str(x) for x in (problem.file, problem.field) if x)
    if problem.line:
        where += f" {_('line')} {problem.line}"
    return {"code": {"coding": [{"system": s.CLAIM_PROBLEM, "code": problem.code, "display": message}],
                     "text": f"{message} ({where.strip()})" if where.strip() else message}}


def _disposition(status: str, label: str, problems: int) -> str:
    texts = {"received": _("Received; not checked yet."),
             "rejected": _("Rejected: fix the problems listed and send the claim again."),
             "replaced": _("Replaced by a later submission of the same visit or admission.")}
    text = texts.get(status, _("Accepted (%(status)s).") % {"status": label})
    if problems and status != "rejected":
        text += " " + _("%(count)s problem(s) for an officer to verify.") % {"count": problems}
    return text


def claim_response(claim: Any, problems: list[Any], *, grouping: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "ClaimResponse", "id": str(claim.pk), "identifier": [claim_identifier(claim)],
        "status": "active", "type": _claim_type(claim), "subType": _sub_type(claim), "use": "claim",
        "patient": patient_ref(claim), "created": timezone.now().isoformat(timespec="seconds"),
        "insurer": payer_ref(), "requestor": unit_ref(claim.unit), "request": ref("Claim", claim.pk),
        "outcome": OUTCOME.get(claim.status, "complete"),
        "disposition": _disposition(claim.status, str(claim.get_status_display()), len(problems)),
    }
    if problems:
        body["error"] = [problem_error(p) for p in problems]
    if grouping is not None and claim.kind == "IP":
        text = (_("DRG %(drg)s, RW %(rw)s, AdjRW %(adjrw)s (TDRG %(version)s, %(how)s).") % {
            "drg": grouping.drg, "rw": grouping.rw, "adjrw": grouping.adjrw, "version": grouping.table_version,
            "how": _("exact") if grouping.exact else _("approximate")}) if not grouping.error else \
            _("The grouper could not weigh this admission (%(error)s).") % {"error": grouping.error}
        body["processNote"] = [{"number": 1, "type": "display", "text": text}]
    return body


def unstored_response(*, unit: Any, key: str, kind: str, cid: str, problems: list[Any]) -> dict[str, Any]:
    """The answer for a claim that was not stored because the whole submission was refused (file-level problems)."""
    body: dict[str, Any] = {
        "resourceType": "ClaimResponse", "id": str(uuid.uuid4()), "status": "active",
        "type": {"coding": [{"system": s.CLAIM_TYPE, "code": "institutional"}]}, "use": "claim",
        "patient": {"identifier": s.identifier(s.CID, cid, "cid")} if cid else {"display": key or "?"},
        "created": timezone.now().isoformat(timespec="seconds"), "insurer": payer_ref(), "requestor": unit_ref(unit),
        "outcome": "error", "disposition": _("The claim files made from this request were refused as a whole."),
        "error": [problem_error(p) for p in problems],
    }
    if key:
        body["identifier"] = [s.identifier(s.local_system(unit.code, "AN" if kind == "IP" else "VN"), key,
                                           "localAn" if kind == "IP" else "localVn")]
    return body
