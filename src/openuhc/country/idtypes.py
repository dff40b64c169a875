"""A kind of person number (a national ID, an insurance number) as a pack describes it.

The manifest says the data (digits, whether numbers may repeat, the FHIR system); a subclass in the pack says the
code: how a typed number is cleaned, judged, shown and masked, and what it encodes. Errors are DomainErrors that
say which rule failed. A well-formed number never proves that the person exists: the registry says that.
"""

from __future__ import annotations

import re
from typing import Any

from openuhc.core.errors import Coded, DomainError

SEPARATORS = re.compile(r"[\s\-]")


class PersonIdError(Coded):
    EMPTY = ("pid_empty", "Enter a {label} of {digits} digits.", "กรุณากรอก{label} {digits} หลัก")
    NOT_DIGITS = (
        "pid_not_digits",
        "A {label} has digits only (dashes and spaces are allowed between them).",
        "{label}ต้องเป็นตัวเลขเท่านั้น (เว้นวรรคหรือขีดคั่นได้)",
    )
    LENGTH = (
        "pid_length",
        "A {label} has {digits} digits; this one has {length}.",
        "{label}ต้องมี {digits} หลัก แต่ที่กรอกมี {length} หลัก",
    )


class IdType:
    """Format rules only: digits, length. Subclasses add a check digit where one is published."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.code: str = spec["code"]
        self.digits: int = spec["digits"]
        self.may_repeat: bool = spec["may_repeat"]
        self.fhir_system: str = spec["fhir_system"]

    @property
    def label(self) -> str:
        return self.spec["name_en"]

    def normalize(self, text: str | None) -> str:
        return SEPARATORS.sub("", text or "")

    def validate(self, text: str | None) -> str:
        """The digits of a well-formed number, or DomainError saying what is wrong."""
        digits = self.normalize(text)
        params = {"label": self.label, "digits": self.digits}
        if not digits:
            raise DomainError(PersonIdError.EMPTY, **params)
        if not digits.isascii() or not digits.isdigit():
            raise DomainError(PersonIdError.NOT_DIGITS, **params)
        if len(digits) != self.digits:
            raise DomainError(PersonIdError.LENGTH, length=len(digits), **params)
        return digits

    def is_valid(self, text: str | None) -> bool:
        try:
            self.validate(text)
        except DomainError:
            return False
        return True

    def format(self, number: str) -> str:
        return number

    def mask(self, number: str) -> str:
        """All but the last three digits hidden."""
        return "x" * max(0, len(number) - 3) + number[-3:] if len(number) == self.digits else "x" * len(number)

    def encodes(self, number: str) -> dict[str, Any]:
        """What the number says about its holder (nothing, unless the pack's rules know better)."""
        return {}

    def sql_invalid(self, column: str) -> str:
        """A DuckDB condition true for a present value that breaks the format rules (claim file checks)."""
        return f"NOT regexp_full_match({column}, '[0-9]{{{self.digits}}}')"
