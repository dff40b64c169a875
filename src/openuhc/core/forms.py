"""Form fields shared by every app."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openuhc.core.dates import format_date_numeric, parse_date
from openuhc.core.errors import DomainError


class ThaiDateInput(forms.TextInput):
    """Shows a stored (CE) date back in the user's language: 22/11/2569 in Thai, 22/11/2026 in English."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {"placeholder": _("dd/mm/yyyy (BE or CE)"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, date):
            return format_date_numeric(value)
        return super().format_value(value)


class FlexibleDateField(forms.Field):
    """One date field for BE or CE: 22/11/2569 and 22/11/2026 are both 22 Nov 2026 (stored in CE)."""

    widget = ThaiDateInput

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if value in (None, ""):
            return None
        try:
            return parse_date(str(value)).value
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


def form_errors(form: forms.BaseForm) -> list[str]:
    """Every error of a bound form, as plain messages."""
    return [str(e) for errors in form.errors.values() for e in errors]


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """Show a form's errors on the next page (for forms posted from a page that redirects back)."""
    for message in form_errors(form):
        messages.error(request, message)
