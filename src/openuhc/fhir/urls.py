"""/fhir/...: the FHIR R4B endpoints (docs/fhir.md lists each with an example)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from openuhc.fhir import claim_views, conformance_views, eligibility, payment_views, registry_views
from openuhc.fhir.errors import FhirError
from openuhc.fhir.protocol import error_response

ID = r"(?P<pk>[A-Za-z0-9\-.]{1,64})"


def by_method(**views: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One URL, one view per HTTP method (each view checks its own roles)."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
        chosen = views.get(request.method.lower() if request.method else "")
        if chosen is None:
            return error_response(FhirError.METHOD, method=request.method, path=request.path)
        return chosen(request, **kwargs)

    return view


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(FhirError.UNKNOWN_ROUTE, path=request.path)


app_name = "fhir"

READS = {
    "Patient": (registry_views.patient_search, registry_views.patient_read),
    "Coverage": (registry_views.coverage_search, registry_views.coverage_read),
    "Organization": (registry_views.organization_search, registry_views.organization_read),
    "Location": (registry_views.location_search, registry_views.location_read),
    "ClaimResponse": (claim_views.response_search, claim_views.response_read),
    "ExplanationOfBenefit": (payment_views.eob_search, payment_views.eob_read),
    "PaymentReconciliation": (payment_views.reconciliation_search, payment_views.reconciliation_read),
}

urlpatterns = [
    path("metadata", conformance_views.metadata, name="metadata"),
    path("CoverageEligibilityRequest", by_method(post=eligibility.submit), name="eligibility"),
    path("CoverageEligibilityRequest/$submit", by_method(post=eligibility.submit), name="eligibility-submit"),
    path("Claim", by_method(get=claim_views.claim_search, post=claim_views.submit), name="claim"),
    path("Claim/$submit", by_method(post=claim_views.submit), name="claim-submit"),
    re_path(rf"^Claim/{ID}$", by_method(get=claim_views.claim_read), name="claim-read"),
    re_path(rf"^(?P<kind>StructureDefinition|CodeSystem|ValueSet)/{ID}$", conformance_views.read,
            name="conformance"),
]
for resource, (search_view, read_view) in READS.items():
    urlpatterns += [
        path(resource, by_method(get=search_view), name=resource.lower()),
        re_path(rf"^{resource}/{ID}$", by_method(get=read_view), name=f"{resource.lower()}-read"),
    ]
urlpatterns.append(re_path(r"^(?P<rest>.*)$", unknown))
