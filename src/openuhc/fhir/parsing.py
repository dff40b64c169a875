"""Reading FHIR JSON with fhir.resources (R4B): structure, cardinalities and types are checked by the models;
a failure becomes one coded error naming the first problems."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from openuhc.core.errors import DomainError
from openuhc.fhir.errors import FhirError


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p != "__root__")
        parts.append(f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", "")))
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def parse_resource(data: Any, *expected: str) -> Any:
    """The R4B model of `data`, which must be one of the `expected` resource types."""
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        raise DomainError(FhirError.WRONG_RESOURCE, expected=" or ".join(expected), got=type(data).__name__)
    kind = data["resourceType"]
    if kind not in expected:
        raise DomainError(FhirError.WRONG_RESOURCE, expected=" or ".join(expected), got=kind[:60])
    try:
        return get_fhir_model_class(kind).model_validate(data)
    except ValidationError as error:
        raise DomainError(FhirError.INVALID_RESOURCE, resource=kind, detail=_describe(error)[:600]) from None
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise DomainError(FhirError.INVALID_RESOURCE, resource=kind, detail=str(error)[:300]) from None
