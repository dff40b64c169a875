"""Django's error handlers (`handler404`, `handler500` in openuhc/urls.py): under /api/ the answer is JSON
`{code, message}` like every other API error, even for an address no API route matches; elsewhere the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"code": "internal_error", "message": _("The error has been logged. Please try again.")},
                            status=500)
    return defaults.server_error(request)
