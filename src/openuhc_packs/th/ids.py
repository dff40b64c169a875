"""Thai citizen ID (เลขประจำตัวประชาชน): 13 digits, the last a check digit.

check digit = (11 − (Σ_{i=1..12} d_i × (14 − i)) mod 11) mod 10.
IDs that begin with 0 are real (people without Thai civil registration, who are covered too) and follow
the same rule. A passing check digit only says the number is well formed, not that the person exists:
the registry lookup says that.
"""

from __future__ import annotations

from typing import Any

from openuhc.core.errors import Coded, DomainError
from openuhc.country.idtypes import SEPARATORS, IdType


class CitizenIdError(Coded):
    EMPTY = ("cid_empty", "Enter a 13-digit citizen ID.", "กรุณากรอกเลขประจำตัวประชาชน 13 หลัก")
    NOT_DIGITS = (
        "cid_not_digits",
        "A citizen ID has digits only (dashes and spaces are allowed between them).",
        "เลขประจำตัวประชาชนต้องเป็นตัวเลขเท่านั้น (เว้นวรรคหรือขีดคั่นได้)",
    )
    LENGTH = (
        "cid_length",
        "A citizen ID has 13 digits; this one has {length}.{hint}",
        "เลขประจำตัวประชาชนต้องมี 13 หลัก แต่ที่กรอกมี {length} หลัก{hint_th}",
    )
    BAD_CHECK_DIGIT = (
        "cid_bad_check_digit",
        "The last digit does not match the other twelve: this is not a valid citizen ID (a typing mistake?).",
        "หลักสุดท้ายไม่ตรงกับ 12 หลักแรก เลขประจำตัวประชาชนนี้ไม่ถูกต้อง (พิมพ์ผิดหรือไม่)",
    )


def check_digit(first_twelve: str) -> int:
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(first_twelve))
    return (11 - total % 11) % 10


# The first digit says how the number was issued (Department of Provincial Administration's categories).
KINDS = {
    "0": "without Thai civil registration",
    "1": "Thai, birth registered on time (from 1984)",
    "2": "Thai, birth registered late (from 1984)",
    "3": "Thai or foreign, in a house register before 1984",
    "4": "Thai or foreign, moved into a house register before 1984 without an ID",
    "5": "Thai, added to a house register after a census error",
    "6": "foreigner resident temporarily, or entered illegally",
    "7": "child of category 6, born in Thailand",
    "8": "foreigner resident legally, or naturalised",
}


class ThaiCitizenId(IdType):
    def normalize(self, text: str | None) -> str:
        return SEPARATORS.sub("", text or "")

    def validate(self, text: str | None) -> str:
        """Return the 13 digits of a well-formed ID, or raise DomainError saying exactly what is wrong."""
        digits = self.normalize(text)
        if not digits:
            raise DomainError(CitizenIdError.EMPTY)
        if not digits.isascii() or not digits.isdigit():
            raise DomainError(CitizenIdError.NOT_DIGITS)
        if len(digits) != 13:
            short = len(digits) < 13
            raise DomainError(
                CitizenIdError.LENGTH, length=len(digits),
                hint=(" If it began with 0, a spreadsheet may have dropped the zero: keep the column as text."
                      if short else ""),
                hint_th=" หากเลขขึ้นต้นด้วย 0 โปรแกรมตารางคำนวณอาจตัดเลข 0 ทิ้ง ให้จัดรูปแบบคอลัมน์เป็นข้อความ" if short else "",
            )
        if check_digit(digits[:12]) != int(digits[12]):
            raise DomainError(CitizenIdError.BAD_CHECK_DIGIT)
        return digits

    def mask(self, number: str) -> str:
        """x-xxxx-xxxxx-12-3: only the last three digits show, in the grouping printed on the ID card."""
        if len(number) != 13:
            return "x" * len(number)
        return f"x-xxxx-xxxxx-{number[10:12]}-{number[12]}"

    def format(self, number: str) -> str:
        """1-2345-67890-12-1, the grouping printed on the ID card."""
        if len(number) != 13:
            return number
        c = number
        return f"{c[0]}-{c[1:5]}-{c[5:10]}-{c[10:12]}-{c[12]}"

    def encodes(self, number: str) -> dict[str, Any]:
        """The registration category (first digit) and, for categories 1–2, the district office that issued it
        (digits 2–5). It does not encode the birth date."""
        if len(number) != 13 or not number.isdigit():
            return {}
        found: dict[str, Any] = {"category": number[0], "category_meaning": KINDS.get(number[0], "")}
        if number[0] in "12":
            found["issuing_office"] = number[1:5]
        return found

    def sql_invalid(self, column: str) -> str:
        weighted = " + ".join(f"CAST(substr({column}, {i}, 1) AS INTEGER) * {14 - i}" for i in range(1, 13))
        return (f"(NOT regexp_full_match({column}, '[0-9]{{13}}') OR "
                f"(11 - ({weighted}) % 11) % 10 <> CAST(substr({column}, 13, 1) AS INTEGER))")
