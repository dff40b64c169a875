"""Thai citizen ID (เลขประจำตัวประชาชน): 13 digits, the last a check digit.

check digit = (11 − (Σ_{i=1..12} d_i × (14 − i)) mod 11) mod 10.
IDs that begin with 0 are real (people without Thai civil registration, who are covered too) and follow
the same rule. A passing check digit only says the number is well formed, not that the person exists:
the registry lookup says that.
"""

from __future__ import annotations

import re

from openuhc.core.errors import Coded, DomainError

_SEPARATORS = re.compile(r"[\s\-]")


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


def normalize_citizen_id(text: str | None) -> str:
    return _SEPARATORS.sub("", text or "")


def check_digit(first_twelve: str) -> int:
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(first_twelve))
    return (11 - total % 11) % 10


def validate_citizen_id(text: str | None) -> str:
    """Return the 13 digits of a well-formed ID, or raise DomainError saying exactly what is wrong."""
    digits = normalize_citizen_id(text)
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


def is_valid_citizen_id(text: str | None) -> bool:
    try:
        validate_citizen_id(text)
    except DomainError:
        return False
    return True


def mask_citizen_id(citizen_id: str) -> str:
    """x-xxxx-xxxxx-12-3: only the last three digits show, in the grouping printed on the ID card."""
    if len(citizen_id) != 13:
        return "x" * len(citizen_id)
    return f"x-xxxx-xxxxx-{citizen_id[10:12]}-{citizen_id[12]}"


def format_citizen_id(citizen_id: str) -> str:
    """1-2345-67890-12-1, the grouping printed on the ID card."""
    if len(citizen_id) != 13:
        return citizen_id
    c = citizen_id
    return f"{c[0]}-{c[1:5]}-{c[5:10]}-{c[10:12]}-{c[12]}"
