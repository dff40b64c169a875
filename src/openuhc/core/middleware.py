"""Middleware every page and API response passes through (docs/security.md).

- `security_headers`: Content-Security-Policy (scripts and styles from this site only, no inline script),
  Permissions-Policy, and `Cache-Control: no-store` on everything the views answer: pages, exports and
  API responses may hold personal data, and no shared or browser cache should keep them. Static files are
  served before this middleware (WhiteNoise) and stay cacheable. A view that wants to be cached says so by
  setting Cache-Control itself.
- `bad_parameters`: a page asked with a parameter it cannot use (`?fy=x`, `?ids=99999999999999999999`)
  answers 400 with the reason in the reader's language instead of failing; the API does the same with
  `{code, message}` (core/api.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openuhc.core.query import BadParameter

Handler = Callable[[HttpRequest], HttpResponse]


def security_headers(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.OPENUHC_CSP
        response.setdefault("Permissions-Policy", settings.OPENUHC_PERMISSIONS_POLICY)
        response.setdefault("Cache-Control", "no-store")
        return response

    return middleware


class BadParametersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadParameter) and not request.path.startswith("/api/"):
            return render(request, "400.html", {"problem": exception.message}, status=400)
        return None
