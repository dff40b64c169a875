"""What every governance page shares: running a posted form through a service, downloads as CSV or JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_response
from openuhc.core.forms import flash_form_errors


def run_form(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any],
             success: str) -> Any:
    """Validate the form and call the service with its data; errors (the form's or the service's coded ones)
    are flashed for the page the user goes back to. Returns the service's result, or None when refused."""
    if not form.is_valid():
        flash_form_errors(request, form)
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def table_response(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An open-data table as CSV (UTF-8 with BOM) or JSON (a list of objects keyed by the header)."""
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, rows)
    if fmt == "json":
        data = [{key: _json_value(value) for key, value in zip(header, row, strict=True)} for row in rows]
        response = JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    raise Http404
