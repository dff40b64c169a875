"""Error codes with a Thai and an English message.

Each app declares its codes as a `Coded` enum in its own `errors.py`:

    class RegistryError(Coded):
        UNKNOWN_ID = ("unknown_id", "No person with this citizen ID is in the registry.", "ไม่พบ...")

Services raise `DomainError(RegistryError.UNKNOWN_ID, **params)`; pages show `error.message`, the API
returns `{"code": ..., "message": ...}`, and reports carry both languages.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def present(value: Any, language: str) -> Any:
    """A message parameter as a person reads it in that language: dates (date objects or ISO text such as
    2025-10-16) in the Buddhist Era in Thai ("16 ต.ค. 2568"), "16 Oct 2025" in English; the rest unchanged."""
    from openuhc.core.dates import format_date, format_datetime

    if isinstance(value, date):
        return format_datetime(value, language=language) if hasattr(value, "hour") else \
            format_date(value, language=language)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(date.fromisoformat(value), language=language)
        except ValueError:
            return value
    return value


class Coded(Enum):
    """An error code whose value is its stable code and which carries both messages."""

    en: str
    th: str

    def __new__(cls, code: str, en: str, th: str) -> Coded:
        member = object.__new__(cls)
        member._value_ = code
        member.en = en
        member.th = th
        return member

    @property
    def code(self) -> str:
        return str(self.value)

    def message(self, language: str | None = None, **params: Any) -> str:
        if not language:
            # imported here: a worker process imports the error codes without Django's translation machinery
            from django.utils import translation

            language = translation.get_language() or "en"
        template = self.th if language.startswith("th") else self.en
        if not params:
            return template
        return template.format(**{key: present(value, language) for key, value in params.items()})


class DomainError(Exception):
    """A refusal a user can understand: a code and a message in both languages."""

    def __init__(self, error: Coded, **params: Any) -> None:
        self.error = error
        self.params = params
        super().__init__(error.message("en", **params))

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def message(self) -> str:
        return self.error.message(**self.params)

    @property
    def message_en(self) -> str:
        return self.error.message("en", **self.params)

    @property
    def message_th(self) -> str:
        return self.error.message("th", **self.params)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    def __str__(self) -> str:
        return self.message
