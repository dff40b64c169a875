from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from openuhc.core.dates import (
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    format_date_numeric,
    parse_api_date,
    parse_date,
    period_end,
)
from openuhc.core.errors import DomainError


@pytest.mark.parametrize("typed", ["22/11/2569", "22-11-2569", "22.11.2569", "2569-11-22", "22 พ.ย. 2569",
                                   "22 พฤศจิกายน 2569"])
def test_a_buddhist_era_date_is_stored_as_the_common_era_date(typed):
    parsed = parse_date(typed)
    assert parsed.value == date(2026, 11, 22)
    assert parsed.era == "BE"


@pytest.mark.parametrize("typed", ["22/11/2026", "2026-11-22", "20261122", "22 Nov 2026", "22 November 2026"])
def test_a_common_era_date_is_kept(typed):
    parsed = parse_date(typed)
    assert parsed.value == date(2026, 11, 22)
    assert parsed.era == "CE"


@pytest.mark.parametrize(("typed", "code"), [
    ("", "date_empty"),
    ("31/02/2569", "date_no_such_day"),
    ("29/02/2570", "date_no_such_day"),  # 2027 is not a leap year
    ("12/13/2569", "date_no_such_month"),
    ("22/11/69", "date_two_digit_year"),
    ("22/11/2300", "date_year_range"),
    ("yesterday", "date_format"),
    ("20261331", "date_no_such_month"),
])
def test_an_impossible_or_ambiguous_date_gets_a_clear_error(typed, code):
    with pytest.raises(DomainError) as caught:
        parse_date(typed)
    assert caught.value.code == code
    assert caught.value.message_th and caught.value.message_en


def test_29_february_of_a_be_leap_year_is_accepted():
    assert parse_date("29/02/2567").value == date(2024, 2, 29)


def test_dates_show_in_buddhist_era_in_thai_and_common_era_in_english():
    assert format_date(date(2026, 11, 22), language="th") == "22 พ.ย. 2569"
    assert format_date(date(2026, 11, 22), language="en") == "22 Nov 2026"
    assert format_date(date(2026, 11, 22), language="th", long=True) == "22 พฤศจิกายน 2569"
    with translation.override("th"):
        assert format_date_numeric(date(2026, 11, 22)) == "22/11/2569"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31)))
def test_what_is_shown_in_thai_reads_back_as_the_same_date(value):
    assert parse_date(format_date_numeric(value, language="th")).value == value
    assert parse_date(format_date_numeric(value, language="en")).value == value
    assert parse_date(format_date(value, language="th")).value == value


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026():
    assert fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert fiscal_year(date(2025, 10, 1)) == 2569
    assert fiscal_year(date(2026, 9, 30)) == 2569
    assert fiscal_year(date(2026, 11, 22)) == 2570


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)))
def test_every_day_falls_inside_the_bounds_of_its_fiscal_year(value):
    start, end = fiscal_year_bounds(fiscal_year(value))
    assert start <= value <= end


def test_a_calendar_fiscal_year_can_be_configured(settings):
    settings.OPENUHC_FISCAL_YEAR_START_MONTH = 1
    assert fiscal_year(date(2026, 11, 22)) == 2569
    assert fiscal_year_bounds(2569) == (date(2026, 1, 1), date(2026, 12, 31))


def test_the_api_refuses_a_buddhist_era_year_and_says_which_date_was_meant():
    assert parse_api_date("2026-11-22") == date(2026, 11, 22)
    with pytest.raises(DomainError) as caught:
        parse_api_date("2569-11-22")
    assert caught.value.code == "api_date_be_year"
    assert "2026-11-22" in caught.value.message_en


@pytest.mark.parametrize(("after", "months", "last"), [
    (date(2023, 3, 1), 12, date(2024, 3, 1)),  # 366 days: the year holds a 29 February
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 February in 2025: the last day of that February
    (date(2023, 2, 28), 12, date(2024, 2, 29)),  # begins 1 March 2023, ends the day before 1 March 2024
    (date(2025, 12, 31), 1, date(2026, 1, 31)),
    (date(2026, 1, 30), 1, date(2026, 2, 28)),  # begins 31 January: February has no 31st
])
def test_a_period_in_months_follows_the_calendar(after, months, last):
    assert period_end(after, months=months) == last


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 36))
def test_a_period_of_months_ends_within_a_few_days_of_the_same_day(after, months):
    last = period_end(after, months=months)
    assert 28 * months - 3 <= (last - after).days <= 31 * months + 1
def test_a_month_reads_as_month_and_buddhist_year_in_thai():
    from openuhc.core.dates import format_month

    assert format_month(date(2025, 10, 1), language="th") == "ต.ค. 2568"
    assert format_month("2026-09", language="th") == "ก.ย. 2569"
    assert format_month(202609, language="en") == "Sep 2026"
    assert format_month(date(2025, 10, 1), long=True, language="th") == "ตุลาคม 2568"


def test_a_date_in_a_message_is_written_the_readers_way():
    from openuhc.claims.errors import ClaimError
    from openuhc.claims.problems import render
    from openuhc.core.dates import DateError

    assert "2025" not in DateError.NO_SUCH_DAY.message("th", day=31, month=2, year="2568")
    thai = render(ClaimError.NO_RIGHT, "th", {"value": "2025-10-16", "detail": "x", "detail_th": "x"})
    assert "16 ต.ค. 2568" in thai and "2025-10-16" not in thai
    assert "16 Oct 2025" in render(ClaimError.NO_RIGHT, "en", {"value": "2025-10-16", "detail": "x"})


def test_years_and_codes_have_no_separator_while_money_and_counts_do():
    from django.template import Context, Template

    html = Template("{{ year }}|{{ code }}|{{ n|number }}|{{ money|baht }}").render(
        Context({"year": 2570, "code": 10716, "n": 35258, "money": Decimal("1469.49")}))
    assert html == "2570|10716|35,258|1,469.49"
