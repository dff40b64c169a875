"""The HTTP side of the FHIR endpoints: JSON in and out as application/fhir+json, bearer tokens with the roles of
the JSON API, and every refusal or failure answered as an OperationOutcome in the client's language
(Accept-Language, applied by Django's LocaleMiddleware).

Views are plain Django views wrapped by `endpoint(...)`; they return a dict (a FHIR resource) or an `Answer`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from openuhc.accounts.api_auth import BearerToken
from openuhc.accounts.scope import Scope
from openuhc.core.errors import DomainError
from openuhc.fhir.errors import FhirError

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
JSON_TYPES = ("application/fhir+json", "application/json", "application/json+fhir")
SAFE = ("GET", "HEAD")
# A FHIR Claim Bundle or an e-Claim file set is a few hundred kB; the claim files' own limits apply after.
MAX_BODY_MB = 50


@dataclass
class Answer:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] | None = None


def respond(body: dict[str, Any], status: int = 200, *, content_type: str = FHIR_JSON,
            headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=status,
                            content_type=f"{content_type}; charset=utf-8")
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def issue(error: Any, *, severity: str = "error", expression: str | None = None, **params: Any) -> dict[str, Any]:
    """One OperationOutcome.issue for a coded error: its code as details.coding, the message in the active
    language as details.text (and diagnostics in the other language, for the log of the other side)."""
    language = translation.get_language() or "th"
    other = "en" if language.startswith("th") else "th"
    item: dict[str, Any] = {
        "severity": severity, "code": getattr(error, "issue", "processing"),
        "details": {"coding": [{"system": ERROR_SYSTEM, "code": error.code}],
                    "text": error.message(language, **params)},
        "diagnostics": error.message(other, **params),
    }
    if expression:
        item["expression"] = [expression]
    return item


ERROR_SYSTEM = "https://openuhc.org/fhir/CodeSystem/error"


def outcome(*issues: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": list(issues)}


def error_response(error: Any, status: int | None = None, **params: Any) -> HttpResponse:
    """An OperationOutcome for a coded error, with the error's HTTP status (401 asks for a bearer token)."""
    status = status or getattr(error, "status", 400)
    headers = {"WWW-Authenticate": 'Bearer realm="openuhc"'} if status == 401 else None
    return respond(outcome(issue(error, **params)), status, headers=headers)


def plain_error(error: Any, status: int | None = None, **params: Any) -> HttpResponse:
    """The national-API shapes' error: {"status", "code", "message"} as plain JSON."""
    status = status or getattr(error, "status", 400)
    return respond({"status": status, "code": error.code, "message": error.message(**params)}, status,
                   content_type="application/json")


def authenticate(request: HttpRequest) -> Any:
    """The caller: a bearer token's user, or — for reads only — the logged-in session user.

    Writes never take the session: a FHIR POST is not CSRF-protected, so a browser's cookies must not authorise it."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return BearerToken().authenticate(request, header[7:].strip())
    if request.method in SAFE and request.user.is_authenticated:
        return request.user
    return None


def read_json(request: HttpRequest) -> Any:
    kind = (request.content_type or "").split(";")[0].strip().lower()
    if kind not in JSON_TYPES:
        raise DomainError(FhirError.MEDIA_TYPE)
    if len(request.body) > MAX_BODY_MB * 1024 * 1024:
        raise DomainError(FhirError.TOO_LARGE, mb=MAX_BODY_MB)
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DomainError(FhirError.NOT_JSON, detail=str(error)[:200]) from None


def endpoint(*, methods: tuple[str, ...] = SAFE, roles: frozenset[str] | tuple[str, ...] | None = None,
             errors: Callable[..., HttpResponse] = error_response, content_type: str = FHIR_JSON,
             ) -> Callable[[Callable[..., Any]], Callable[..., HttpResponse]]:
    """Method check, authentication, role check and error handling for one view.

    The view is called as view(request, scope, **kwargs) and returns a dict (answered 200) or an Answer. Errors
    are rendered by `errors` (OperationOutcomes by default; `plain_error` for the national-API shapes)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    return errors(FhirError.METHOD, method=request.method, path=request.path)
                user = authenticate(request)
                if user is None:
                    return errors(FhirError.UNAUTHENTICATED)
                request.user = user
                scope = Scope.of(user)
                if scope.role is None or (roles is not None and scope.role not in roles):
                    raise PermissionDenied
                result = view(request, scope, **kwargs)
            except DomainError as error:
                return errors(error.error, getattr(error.error, "status", 400), **error.params)
            except PermissionDenied:
                return errors(FhirError.FORBIDDEN)
            except Http404:
                parts = request.path.strip("/").split("/")
                return errors(FhirError.NOT_FOUND, resource=parts[1] if len(parts) > 1 else "resource",
                              id=kwargs.get("pk", ""))
            except Exception:
                log.exception("FHIR endpoint %s failed", request.path)
                return errors(FhirError.INTERNAL)
            if isinstance(result, Answer):
                return respond(result.body, result.status, content_type=content_type, headers=result.headers)
            return respond(result, content_type=content_type)

        return wrapper

    return decorator
