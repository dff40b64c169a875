"""Error responses shared by every API router: always {"code": ..., "message": ...}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from openuhc.core.errors import DomainError


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
        return api.create_response(request, error.as_dict(), status=400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, {"code": "forbidden", "message": _("Your role does not give access to this record.")}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return api.create_response(request, {"code": "not_found", "message": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "unauthenticated", "message": _("Log in or send a valid API token.")}, status=401)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "invalid_request", "message": _("The request is not valid."), "detail": error.errors},
            status=422)
