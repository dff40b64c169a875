"""Dates as Thai users read and type them.

Dates are stored in the Common Era (CE). In Thai they are shown in the Buddhist Era (BE = CE + 543,
พุทธศักราช), e.g. "22 พ.ย. 2569". One parser reads what people type — BE or CE, Thai or English month
names — and never stores a BE year as a CE year.

The +543 offset is right for every date from 1 Jan 1941 (BE 2484), when the Thai year started to begin
in January; earlier dates are converted with the same offset, as the civil registry does today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone, translation

from openuhc.core.errors import Coded, DomainError

BE_OFFSET = 543

MONTHS_TH_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
MONTHS_TH_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_EN_LONG = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# A four-digit year at or above this is read as BE (BE 2400 = CE 1857); at or below CE_MAX as CE.
BE_MIN = 2400
CE_MIN = 1800
CE_MAX = 2200


class DateError(Coded):
    EMPTY = ("date_empty", "Enter a date.", "กรุณากรอกวันที่")
    FORMAT = (
        "date_format",
        "Write the date as day/month/year, e.g. 22/11/2569 (BE) or 22/11/2026 (CE).",
        "กรอกวันที่เป็น วัน/เดือน/ปี เช่น 22/11/2569 (พ.ศ.) หรือ 22/11/2026 (ค.ศ.)",
    )
    TWO_DIGIT_YEAR = (
        "date_two_digit_year",
        "Write the year with four digits (e.g. 2569 or 2026).",
        "กรอกปีให้ครบ 4 หลัก (เช่น 2569 หรือ 2026)",
    )
    YEAR_RANGE = (
        "date_year_range",
        "The year {year} is neither a Buddhist Era year (2400 or later) nor a Common Era year (1800–2200).",
        "ปี {year} ไม่ใช่ปี พ.ศ. (ตั้งแต่ 2400) และไม่ใช่ปี ค.ศ. (1800–2200)",
    )
    NO_SUCH_DAY = (
        "date_no_such_day",
        "There is no day {day} in month {month} of {year}.",
        "ไม่มีวันที่ {day} ในเดือน {month} ปี {year}",
    )
    NO_SUCH_MONTH = ("date_no_such_month", "There is no month {month}.", "ไม่มีเดือนที่ {month}")


@dataclass(frozen=True)
class ParsedDate:
    value: date
    era: str  # "BE" or "CE": which era the user typed


def _month_lookup() -> dict[str, int]:
    names: dict[str, int] = {}
    for index in range(12):
        for name in (MONTHS_TH_SHORT[index], MONTHS_TH_LONG[index], MONTHS_EN_SHORT[index], MONTHS_EN_LONG[index]):
            names[name.lower()] = index + 1
            names[name.lower().replace(".", "")] = index + 1
    names["sept"] = 9
    return names


_MONTHS = _month_lookup()
_NUMERIC_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)$")
_NUMERIC_YMD = re.compile(r"^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NAMED = re.compile(r"^(\d{1,2})\s+([^\d\s]+)\s+(\d+)$")


def ce_year(year_text: str) -> tuple[int, str]:
    """Return (CE year, era typed) for a typed year, or raise DomainError."""
    if len(year_text) <= 2:
        raise DomainError(DateError.TWO_DIGIT_YEAR)
    year = int(year_text)
    if year >= BE_MIN:
        return year - BE_OFFSET, "BE"
    if CE_MIN <= year <= CE_MAX:
        return year, "CE"
    raise DomainError(DateError.YEAR_RANGE, year=year)


def _build(day: int, month: int, year_text: str) -> ParsedDate:
    if not 1 <= month <= 12:
        raise DomainError(DateError.NO_SUCH_MONTH, month=month)
    year, era = ce_year(year_text)
    try:
        value = date(year, month, day)
    except ValueError:
        raise DomainError(DateError.NO_SUCH_DAY, day=day, month=month, year=year_text) from None
    return ParsedDate(value, era)


def parse_date(text: str | None) -> ParsedDate:
    """Read a date typed as BE or CE.

    Accepted: 22/11/2569, 22-11-2026, 22.11.2569, 2026-11-22 (ISO), 20261122, 22 พ.ย. 2569, 22 Nov 2026.
    A year of 2400 or more is BE and converted to CE (22/11/2569 → 2026-11-22).
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError(DateError.EMPTY)
    if match := _NUMERIC_DMY.match(cleaned):
        day, month, year = match.groups()
        return _build(int(day), int(month), year)
    if match := (_NUMERIC_YMD.match(cleaned) or _COMPACT.match(cleaned)):
        year, month, day = match.groups()
        return _build(int(day), int(month), year)
    if match := _NAMED.match(cleaned):
        day, month_name, year = match.groups()
        month = _MONTHS.get(month_name.lower()) or _MONTHS.get(month_name.lower().replace(".", ""))
        if month is None:
            raise DomainError(DateError.FORMAT)
        return _build(int(day), month, year)
    raise DomainError(DateError.FORMAT)


class ApiDateError(Coded):
    FORMAT = ("api_date_format", "Send dates as YYYY-MM-DD in the Common Era.", "ส่งวันที่ในรูปแบบ YYYY-MM-DD เป็นปี ค.ศ.")
    BE_YEAR = (
        "api_date_be_year",
        "The year {year} looks like a Buddhist Era year; the API takes Common Era dates ({ce}-{rest}).",
        "ปี {year} น่าจะเป็นปี พ.ศ. แต่ API รับวันที่เป็นปี ค.ศ. ({ce}-{rest})",
    )


def parse_api_date(text: str) -> date:
    """ISO dates in CE only: a BE year is refused with a message that shows the CE date meant."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", (text or "").strip())
    if not match:
        raise DomainError(ApiDateError.FORMAT)
    year = int(match.group(1))
    if year >= BE_MIN:
        raise DomainError(ApiDateError.BE_YEAR, year=year, ce=year - BE_OFFSET,
                          rest=f"{match.group(2)}-{match.group(3)}")
    try:
        return date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise DomainError(DateError.NO_SUCH_DAY, day=int(match.group(3)), month=int(match.group(2)),
                          year=year) from None


def thai_active(language: str | None = None) -> bool:
    """Whether text is being written in Thai (the given language, else the request's)."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).startswith("th")


def era_offset(language: str | None = None) -> int:
    """What is added to a CE year to show it to a reader of `language`: the country pack's calendar (543 in Thai,
    the Buddhist Era; 0 elsewhere)."""
    from openuhc.country.packs import active

    return active().era_offset(language or translation.get_language() or settings.LANGUAGE_CODE)


def fiscal_year_offset() -> int:
    """What is added to the CE year in which a fiscal year ends to name it (543 in Thailand: FY2569)."""
    from openuhc.country.packs import active

    return active().fiscal_year_name_offset


def format_date(value: date | None, *, long: bool = False, language: str | None = None) -> str:
    """22 พ.ย. 2569 in Thai, 22 Nov 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if thai_active(language):
        months = MONTHS_TH_LONG if long else MONTHS_TH_SHORT
        return f"{value.day} {months[value.month - 1]} {value.year + era_offset(language)}"
    months = MONTHS_EN_LONG if long else MONTHS_EN_SHORT
    return f"{value.day} {months[value.month - 1]} {value.year + era_offset(language)}"


def format_datetime(value: datetime | None, *, language: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local.date(), language=language)} {local:%H:%M}"


def format_date_numeric(value: date | None, *, language: str | None = None) -> str:
    """22/11/2569 in Thai, 22/11/2026 in English: what the date field shows back to the user."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year + era_offset(language)}"


def format_month(value: date | str | int | None, *, long: bool = False, language: str | None = None) -> str:
    """A month as people name it: "ต.ค. 2568" in Thai, "Oct 2025" in English. Takes a date, "2025-10" or
    202510 (the forms months are stored in)."""
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        year, month = divmod(value, 100)
    elif isinstance(value, str):
        match = re.fullmatch(r"(\d{4})-?(\d{2})(?:-\d{2})?", value.strip())
        if not match:
            return value
        year, month = int(match.group(1)), int(match.group(2))
    else:
        year, month = value.year, value.month
    if not 1 <= month <= 12:
        return str(value)
    if thai_active(language):
        months = MONTHS_TH_LONG if long else MONTHS_TH_SHORT
        return f"{months[month - 1]} {year + era_offset(language)}"
    months = MONTHS_EN_LONG if long else MONTHS_EN_SHORT
    return f"{months[month - 1]} {year + era_offset(language)}"


def fiscal_year(value: date) -> int:
    """The fiscal year a date falls in, named by the year in which it ends plus the pack's offset (Thailand: the BE
    year, 2026-11-22 → 2570; the Philippines: the calendar year, 2026-11-22 → 2026)."""
    start_month = settings.OPENUHC_FISCAL_YEAR_START_MONTH
    end_year_ce = value.year + 1 if (start_month > 1 and value.month >= start_month) else value.year
    return end_year_ce + fiscal_year_offset()


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    """First and last day of a fiscal year: FY2569 → (2025-10-01, 2026-09-30) in Thailand."""
    start_month = settings.OPENUHC_FISCAL_YEAR_START_MONTH
    end_year_ce = year_be - fiscal_year_offset()
    if start_month == 1:
        return date(end_year_ce, 1, 1), date(end_year_ce, 12, 31)
    start = date(end_year_ce - 1, start_month, 1)
    end = date(end_year_ce, start_month, 1) - timedelta(days=1)
    return start, end


def period_end(after: date, *, months: int) -> date:
    """The last day of a period of `months` calendar months counted from the day after `after`.

    Thai Civil and Commercial Code s. 193/3 (the first day is not counted) and s. 193/5 (a period in months or
    years follows the calendar and ends on the day before the day of the last month that corresponds to the
    day it began; when the last month has no such day, on that month's last day). "Within one year of 1 March
    2023" ends on 1 March 2024, 366 days on; of 29 February 2024, on 28 February 2025; of 28 February 2023, on
    29 February 2024."""
    start = after + timedelta(days=1)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + month // 12, month % 12 + 1, 1)
    last_of_month = following - timedelta(days=1)
    if start.day > last_of_month.day:
        return last_of_month
    return date(year, month, start.day) - timedelta(days=1)


def today() -> date:
    """Today in the scheme's time zone (not the server's)."""
    return timezone.localdate()
