"""Reading query-string parameters of pages and the API without ever failing on what a person (or a robot)
typed into the address bar.

    fy = int_param(request.GET, "fy", low=2500, high=2700)          # None when absent
    ids = int_list_param(request.GET, "ids", high=MAX_ID, most=6)
    start = date_param(request.GET, "from")                          # BE or CE, as the forms take it

A value that cannot be used raises `BadParameter` (a `DomainError`): pages answer 400 with the reason
(core.middleware.BadParametersMiddleware), the API 400 with `{code, message}` (core.api). Database keys are
64-bit: any number a page passes to a query is bounded, so that `?ids=99999999999999999999` is a bad parameter
and not an overflow deep inside the database driver.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openuhc.core.errors import Coded, DomainError

MAX_ID = 2**63 - 1
# Fiscal years a page may be asked for (Buddhist Era; CE 1957-2156): far beyond any real data, and every
# year in it has dates Python can compute with. The `<fy:...>` URL converter takes the same range.
FY_LOW, FY_HIGH = 2500, 2699


class QueryError(Coded):
    NOT_A_NUMBER = ("bad_parameter_number", "The parameter {name} must be a whole number (it is '{value}').",
                    "พารามิเตอร์ {name} ต้องเป็นจำนวนเต็ม (ได้รับ '{value}')")
    OUT_OF_RANGE = ("bad_parameter_range", "The parameter {name} must be between {low} and {high} (it is {value}).",
                    "พารามิเตอร์ {name} ต้องอยู่ระหว่าง {low} ถึง {high} (ได้รับ {value})")
    NOT_A_DATE = ("bad_parameter_date", "The parameter {name} is not a date: {reason}",
                  "พารามิเตอร์ {name} ไม่ใช่วันที่: {reason}")
    NOT_A_MONTH = ("bad_parameter_month", "The parameter {name} must be a month written YYYY-MM (it is '{value}').",
                   "พารามิเตอร์ {name} ต้องเป็นเดือนในรูปแบบ YYYY-MM (ได้รับ '{value}')")
    NOT_A_CHOICE = ("bad_parameter_choice", "The parameter {name} must be one of: {allowed} (it is '{value}').",
                    "พารามิเตอร์ {name} ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {allowed} (ได้รับ '{value}')")


class BadParameter(DomainError):
    """A query parameter that cannot be used: 400 with the reason, on pages and in the API."""


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def to_int(name: str, value: str, *, low: int = -MAX_ID, high: int = MAX_ID) -> int:
    text = value.strip()
    if not text.lstrip("-").isdigit() or not text.lstrip("-").isascii() or len(text) > 30:
        raise BadParameter(QueryError.NOT_A_NUMBER, name=name, value=_shown(value))
    number = int(text)
    if not low <= number <= high:
        raise BadParameter(QueryError.OUT_OF_RANGE, name=name, low=low, high=high, value=_shown(text))
    return number


def int_param(query: Any, name: str, default: int | None = None, *, low: int = -MAX_ID,
              high: int = MAX_ID) -> int | None:
    """An optional whole number; an empty value counts as absent."""
    value = query.get(name, "")
    if value is None or str(value).strip() == "":
        return default
    return to_int(name, str(value), low=low, high=high)


def int_list_param(query: Any, name: str, *, low: int = 1, high: int = MAX_ID, most: int = 100) -> list[int]:
    """`?ids=3&ids=7` (or `?ids=3,7`): each a whole number in range; at most `most` of them are used."""
    values = [part for raw in query.getlist(name) for part in str(raw).split(",") if part.strip()]
    return [to_int(name, v, low=low, high=high) for v in values[:most]]


def date_param(query: Any, name: str, default: date | None = None) -> date | None:
    """A date as the forms take it (BE or CE, 22/11/2569 or 2026-11-22); empty counts as absent."""
    from openuhc.core.dates import parse_date

    value = str(query.get(name, "") or "").strip()
    if not value:
        return default
    try:
        return parse_date(value).value
    except DomainError as error:
        raise BadParameter(QueryError.NOT_A_DATE, name=name, reason=error.message) from None


def month_param(query: Any, name: str) -> date | None:
    """`?month=2026-03` as the first day of that month; empty counts as absent."""
    value = str(query.get(name, "") or "").strip()
    if not value:
        return None
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isdigit() and p.isascii() for p in parts) or len(parts[0]) != 4:
        raise BadParameter(QueryError.NOT_A_MONTH, name=name, value=_shown(value))
    try:
        return date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        raise BadParameter(QueryError.NOT_A_MONTH, name=name, value=_shown(value)) from None


def choice_param(query: Any, name: str, choices: Any, default: str = "") -> str:
    value = str(query.get(name, "") or "")
    if not value:
        return default
    if value not in choices:
        raise BadParameter(QueryError.NOT_A_CHOICE, name=name, allowed=", ".join(map(str, choices)),
                           value=_shown(value))
    return value
