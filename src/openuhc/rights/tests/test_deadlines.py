"""Deadlines: working days skip weekends and configured holidays; the values come from versioned parameters."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openuhc.core import params
from openuhc.rights import services
from openuhc.rights.tests.conftest import at


def test_a_case_received_on_friday_must_be_acknowledged_by_monday_evening(db):
    ack, outcome = services.deadlines("complaint", at("2026-03-06 15:00"))  # a Friday
    assert ack == at("2026-03-09 23:59:59")
    assert outcome == at("2026-04-05 23:59:59")  # 30 calendar days


def test_a_configured_holiday_is_not_a_working_day(db):
    params.set_value("rights.holidays", ["2026-04-13", "2026-04-14"], valid_from=date(2026, 1, 1))
    ack, _outcome = services.deadlines("advice", at("2026-04-10 09:00"))  # Friday before Songkran
    assert ack.date() == date(2026, 4, 15)


def test_deadlines_per_kind_come_from_the_parameters_in_force_on_the_day_received(db):
    params.set_value("rights.outcome_days", {"complaint": 15, "grievance": 30, "advice": 7, "coordination": 15},
                     valid_from=date(2026, 6, 1))
    assert services.deadlines("complaint", at("2026-05-31 10:00"))[1].date() == date(2026, 6, 30)
    assert services.deadlines("complaint", at("2026-06-01 10:00"))[1].date() == date(2026, 6, 16)
    assert services.deadlines("advice", at("2026-06-01 10:00"))[1].date() == date(2026, 6, 8)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(min_value=1, max_value=15))
def test_adding_working_days_lands_on_a_working_day_after_exactly_that_many(start, days):
    end = services.add_working_days(start, days, set())
    assert end > start and end.weekday() < 5
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for d in between if d.weekday() < 5) == days
