"""GET /fhir/metadata (the CapabilityStatement, public as FHIR expects) and the conformance resources it names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from openuhc.fhir import conformance
from openuhc.fhir import systems as s
from openuhc.fhir.errors import FhirError
from openuhc.fhir.protocol import error_response, respond

TOKEN = "token"  # noqa: S105 - the FHIR search parameter type, not a secret
REFERENCE = "reference"
STRING = "string"


def _param(name: str, kind: str, documentation: str) -> dict[str, str]:
    return {"name": name, "type": kind, "documentation": documentation}


ID_PARAM = _param("_id", TOKEN, "The resource id.")

# What each resource supports: (profile or None, supported profiles, interactions, search parameters, operations).
RESOURCES: list[tuple[str, str | None, list[str], list[str], list[dict[str, str]], list[str], str]] = [
    ("Patient", s.PATIENT_PROFILE, [], ["read", "search-type"],
     [_param("identifier", TOKEN, f"Citizen ID: {s.CID}|<13 digits>"), ID_PARAM], [],
     "A person of the registry (roles: national, regional, hospital; scoped; every read is logged)."),
    ("Coverage", s.COVERAGE_PROFILE, [], ["read", "search-type"],
     [_param("beneficiary", REFERENCE, "Patient/<id>"), _param("patient", REFERENCE, "Patient/<id>"),
      _param("identifier", TOKEN, f"Citizen ID: {s.CID}|<13 digits>")], [],
     "Coverage periods with the scheme (SIL-TH coverage type and NHSO INSCL) and the registered units as "
     "contracted providers."),
    ("Organization", s.ORGANIZATION_PROFILE, [], ["read", "search-type"],
     [_param("identifier", TOKEN, f"HCODE: {s.HCODE}|<5 digits>"), _param("type", TOKEN, "pay (the payer) or prov"),
      _param("name", STRING, "Part of the Thai or English name"), ID_PARAM], [],
     "Health units by HCODE (id = HCODE) and the payer (id = payer, type pay)."),
    ("Location", None, [], ["read", "search-type"],
     [_param("identifier", TOKEN, f"DOPA code: {s.DOPA_LOCATION}|<2, 4 or 6 digits>"),
      _param("partof", REFERENCE, "Location/<parent code>"), _param("name", STRING, "Part of the name")], [],
     "Provinces, districts and sub-districts (id = DOPA code)."),
    ("CoverageEligibilityRequest", None, [], ["create"], [], ["submit"],
     "POST (or $submit) a request naming the patient by citizen ID; the answer is a CoverageEligibilityResponse."),
    ("CoverageEligibilityResponse", None, [], [], [], [],
     "Returned by CoverageEligibilityRequest/$submit, with the Patient, Coverage and units contained."),
    ("Claim", None, [s.CLAIM_OPD_PROFILE, s.CLAIM_IPD_PROFILE], ["read", "search-type", "create"],
     [_param("identifier", TOKEN, "The unit's VN or AN: https://terms.sil-th.org/hcode/5/<HCODE>/VN|<SEQ>"),
      _param("patient", REFERENCE, "Patient/<id>"), ID_PARAM], ["submit"],
     "Claim/$submit (or POST Claim) takes a Claim or a Bundle through the claim files' intake and validation."),
    ("ClaimResponse", None, [], ["read", "search-type"],
     [_param("identifier", TOKEN, "The claim's VN or AN identifier"), _param("patient", REFERENCE, "Patient/<id>"),
      _param("request", REFERENCE, "Claim/<id>"), ID_PARAM], [],
     "The claim's status, every problem as an error with its e-Claim numbered code, and the DRG of admissions."),
    ("Encounter", None, [s.ENCOUNTER_OPD_PROFILE, s.ENCOUNTER_IPD_PROFILE], [], [], [],
     "Accepted inside a Claim/$submit Bundle (the visit's VN or the admission's AN, period, discharge codes)."),
    ("Condition", s.CONDITION_PROFILE, [], [], [], [],
     "Accepted inside a Claim/$submit Bundle: diagnoses in ICD-10-TM (or WHO ICD-10, as ClaimCon binds them)."),
    ("Procedure", s.PROCEDURE_PROFILE, [], [], [], [], "Accepted inside a Claim/$submit Bundle: ICD-9-CM codes."),
    ("ExplanationOfBenefit", None, [], ["read", "search-type"],
     [_param("patient", REFERENCE, "Patient/<id>"), _param("claim", REFERENCE, "Claim/<id>"),
      _param("provider", REFERENCE, "Organization/<HCODE>"), ID_PARAM], [],
     "One per paid claim (published payment rounds only)."),
    ("PaymentReconciliation", None, [], ["read", "search-type"],
     [_param("requestor", REFERENCE, "Organization/<HCODE>"),
      _param("identifier", TOKEN, f"{s.PAYER_ID}statement|<round>-<HCODE>")], [],
     "One per statement: a published payment round and a unit (id = <round>-<HCODE>)."),
    ("StructureDefinition", None, [], ["read"], [], [], "The profiles and extensions this server claims."),
    ("CodeSystem", None, [], ["read"], [], [], "SIL-TH CodeSystems used, and OpenUHC's own."),
    ("ValueSet", None, [], ["read"], [], [], "Value sets of the required bindings checked."),
]

OPERATIONS = {"submit": ("submit", {"Claim": "http://hl7.org/fhir/OperationDefinition/Claim-submit",
                                    "CoverageEligibilityRequest":
                                        "http://hl7.org/fhir/OperationDefinition/CoverageEligibilityRequest-submit"})}


def capability_statement(base: str) -> dict[str, Any]:
    from django.utils import timezone

    import openuhc

    resources = []
    for kind, profile, supported, interactions, params, operations, documentation in RESOURCES:
        item: dict[str, Any] = {"type": kind, "documentation": documentation,
                                "interaction": [{"code": code} for code in interactions]}
        if profile:
            item["profile"] = profile
        if supported:
            item["supportedProfile"] = supported
        if params:
            item["searchParam"] = params
        if operations:
            item["operation"] = [{"name": name, "definition": OPERATIONS[name][1][kind]} for name in operations]
        if not item["interaction"]:
            del item["interaction"]
        resources.append(item)
    return {
        "resourceType": "CapabilityStatement", "id": "openuhc", "url": base + "metadata", "name": "OpenUHC",
        "title": "OpenUHC FHIR R4B server", "status": "active", "date": timezone.now().date().isoformat(),
        "publisher": "OpenUHC", "kind": "instance",
        "software": {"name": "OpenUHC", "version": getattr(openuhc, "__version__", "0.1.0")},
        "implementation": {"description": "OpenUHC: registry, eligibility, claims and payment", "url": base},
        "fhirVersion": "4.3.0", "format": ["json"],
        "implementationGuide": ["https://fhir-ig.sil-th.org/th/claimcon/ImplementationGuide/silth.fhir.th.claimcon"],
        "rest": [{"mode": "server", "documentation": "Errors are OperationOutcomes in the language of Accept-Language "
                  "(th or en).",
                  "security": {"cors": False, "description": "Authorization: Bearer <API token from "
                               "/accounts/tokens/>; the token carries its user's role and scope. Reads of a person "
                               "are written to the access log."},
                  "resource": resources}],
    }


@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return error_response(FhirError.METHOD, method=request.method, path=request.path)
    return respond(capability_statement(request.build_absolute_uri("/fhir/")))


def generated_code_systems() -> dict[str, dict[str, Any]]:
    """OpenUHC's code systems that follow the code: claim problems (e-Claim numbering) and API errors."""
    from openuhc.claims.errors import ClaimError

    def system(pk: str, url: str, title: str, concepts: list[dict[str, Any]]) -> dict[str, Any]:
        return {"resourceType": "CodeSystem", "id": pk, "url": url, "name": pk.replace("-", "").title(),
                "title": title, "status": "active", "publisher": "OpenUHC", "caseSensitive": True,
                "content": "complete", "concept": concepts,
                **({"property": [{"code": "class", "type": "code", "description": "fix, deny or verify"}]}
                   if pk == "claim-problem" else {})}

    return {
        "claim-problem": system("claim-problem", s.CLAIM_PROBLEM, "Claim problem codes (e-Claim numbering)", [
            {"code": e.code, "display": e.en, "designation": [{"language": "th", "value": e.th}],
             "property": [{"code": "class", "valueCode": e.klass}]} for e in ClaimError]),
        "payment-line": system("payment-line", s.OPENUHC + "CodeSystem/payment-line", "Kinds of paid claim line", [
            {"code": "ip", "display": "inpatient (DRG)"}, {"code": "fee", "display": "fee-schedule item"}]),
        "error": system("error", s.OPENUHC + "CodeSystem/error", "OpenUHC FHIR error codes", [
            {"code": e.code, "display": e.en, "designation": [{"language": "th", "value": e.th}]}
            for e in FhirError]),
    }


@csrf_exempt
def read(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return error_response(FhirError.METHOD, method=request.method, path=request.path)
    found = conformance.by_id(kind, pk) or (generated_code_systems().get(pk) if kind == "CodeSystem" else None)
    if found is None:
        return error_response(FhirError.NOT_FOUND, resource=kind, id=pk)
    return respond(found)
