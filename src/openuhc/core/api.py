"""Error responses shared by every API router: always {"code": ..., "message": ...}.

    api = NinjaAPI(...)
    install_error_handlers(api)
    ... api.add_router(...) ...
    document_errors(api)            # after the routers: every operation lists its error responses

    def runs(request, limit: int = limit_param(100, most=500), offset: int = offset_param()): ...
    def person(request, person_id: int = id_param()): ...

A parameter the API cannot use is refused before the view runs (422, from the bounds in the signature, which
the OpenAPI document shows) or by the view with `core.query.BadParameter` (400). Either way the caller gets
`{code, message}` in their language, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from openuhc.core.errors import DomainError
from openuhc.core.query import MAX_ID

# Offsets beyond this are refused: nothing OpenUHC lists has a billion rows, and a database takes no more.
MAX_OFFSET = 10**9


class ApiError(Schema):
    code: str
    message: str
    detail: list[dict[str, Any]] | None = None


# 400 a bad parameter or a rule of the domain (see code); 401 no login or token; 403 not in the caller's scope;
# 404 no such record; 422 a parameter without the form the schema gives (detail says which).
ERROR_STATUSES = (400, 401, 403, 404, 422)


def limit_param(default: int, *, most: int) -> Any:
    return Query(default, ge=1, le=most, description=f"How many rows to return (1 to {most}).")


def offset_param() -> Any:
    return Query(0, ge=0, le=MAX_OFFSET, description="How many rows to skip.")


def id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID)


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

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        # ninja's own refusals, e.g. a body that is not JSON (400)
        if error.status_code == 400:
            message = _("The request body could not be read: send JSON as the schema gives it.")
            return api.create_response(request, {"code": "unreadable_body", "message": message}, status=400)
        return api.create_response(request, {"code": f"http_{error.status_code}", "message": str(error)},
                                   status=error.status_code)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"code": "invalid_request", "message": _("The request is not valid."),
                      "detail": _plain(error.errors)}, status=422)


def _plain(errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic's error list as JSON: what was wrong where (its `ctx` may hold exceptions; dropped)."""
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in errors if isinstance(e, dict)]


def document_errors(api: NinjaAPI) -> None:
    """Add the shared error responses to every operation of every router (for the OpenAPI document)."""
    for _prefix, router in api._routers:  # noqa: SLF001 - ninja offers no public walk over operations
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for status in ERROR_STATUSES:
                    operation.response_models.setdefault(status, operation._create_response_model(ApiError))
