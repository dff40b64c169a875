"""Search parameters and searchset Bundles, the small part of FHIR search this server supports:
token parameters (`system|value`), references (`Patient/12`, `12`), `_count` and `_offset` paging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from openuhc.core.errors import DomainError
from openuhc.fhir.errors import FhirError

DEFAULT_COUNT = 50
MAX_COUNT = 500
# Parameters every search accepts (FHIR's result parameters); the rest are checked per resource.
COMMON = {"_count", "_offset", "_format"}


def params(request: HttpRequest, resource: str, allowed: Iterable[str]) -> dict[str, str]:
    """The query's search parameters, refusing any this resource does not support (a client must not believe
    a filter was applied when it was not) and any given twice."""
    allowed = set(allowed)
    found: dict[str, str] = {}
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in allowed and name not in COMMON:
            raise DomainError(FhirError.BAD_PARAMETER, name=name, resource=resource)
        if len(values) != 1:
            raise DomainError(FhirError.BAD_VALUE, name=name, detail="given more than once")
        found[name] = values[0]
    return found


def paging(query: dict[str, str]) -> tuple[int, int]:
    def number(name: str, default: int, top: int) -> int:
        text = query.get(name, "")
        if text == "":
            return default
        if not text.isdigit():
            raise DomainError(FhirError.BAD_VALUE, name=name, detail="not a whole number")
        return min(int(text), top)

    return number("_offset", 0, 10**9), number("_count", DEFAULT_COUNT, MAX_COUNT)


def token(query: dict[str, str], name: str) -> tuple[str | None, str]:
    """`system|value` → (system, value); `value` → (None, value)."""
    text = query[name]
    if "|" in text:
        system, value = text.split("|", 1)
        return system or None, value
    return None, text


def reference(query: dict[str, str], name: str, resource: str) -> str:
    """`Patient/12`, `12` or a full URL ending in Patient/12 → "12"."""
    text = query[name].rstrip("/")
    match = re.fullmatch(rf"(?:.*/)?(?:{resource}/)?([A-Za-z0-9\-.]{{1,64}})", text)
    if not match or ("/" in text and f"{resource}/" not in text):
        raise DomainError(FhirError.BAD_VALUE, name=name, detail=f"expected {resource}/<id>")
    return match.group(1)


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir/")


def searchset(request: HttpRequest, resources: list[dict[str, Any]], total: int, *, offset: int, count: int,
              included: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    base = base_url(request)
    query = {k: v for k, v in request.GET.items() if k not in ("_offset",)}
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if offset + count < total:
        links.append({"relation": "next", "url": f"{base}{request.path.split('/fhir/', 1)[-1]}?"
                      + urlencode({**query, "_offset": offset + count, "_count": count})})
    entries = [{"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
               for r in resources]
    entries += [{"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "include"}}
                for r in included or []]
    return {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links, "entry": entries}
