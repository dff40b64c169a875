from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.core import params
from openuhc.core.errors import DomainError

params.define("test.rate", "decimal", "45.00", "A test rate", "อัตราทดสอบ")


@pytest.mark.django_db
def test_the_default_applies_until_a_dated_value_replaces_it():
    params.set_value("test.rate", "50.00", valid_from=date(2026, 10, 1))
    assert params.get("test.rate", on=date(2026, 9, 30)) == Decimal("45.00")
    assert params.get("test.rate", on=date(2026, 10, 1)) == Decimal("50.00")


@pytest.mark.django_db
def test_a_schemes_own_value_wins_over_the_all_schemes_value():
    params.set_value("test.rate", "50.00", valid_from=date(2026, 1, 1))
    params.set_value("test.rate", "60.00", valid_from=date(2025, 1, 1), scheme="UCS")
    assert params.get("test.rate", on=date(2026, 6, 1), scheme="UCS") == Decimal("60.00")
    assert params.get("test.rate", on=date(2026, 6, 1), scheme="SSS") == Decimal("50.00")


@pytest.mark.django_db
def test_a_value_ends_on_its_end_date():
    params.set_value("test.rate", "70.00", valid_from=date(2026, 1, 1), valid_to=date(2026, 3, 31))
    assert params.get("test.rate", on=date(2026, 3, 31)) == Decimal("70.00")
    assert params.get("test.rate", on=date(2026, 4, 1)) == Decimal("45.00")


@pytest.mark.django_db
def test_a_value_of_the_wrong_type_is_refused():
    with pytest.raises(DomainError) as caught:
        params.set_value("registry.unit_change_limit", "four", valid_from=date(2026, 1, 1))
    assert caught.value.code == "param_bad_value"
    with pytest.raises(DomainError):
        params.get("no.such.key", on=date(2026, 1, 1))


@pytest.mark.django_db
def test_a_snapshot_answers_as_get_does_for_every_day_and_scheme_from_one_query(django_assert_num_queries):
    from datetime import datetime, timedelta

    params.set_value("test.rate", "50.00", valid_from=date(2026, 1, 1))
    params.set_value("test.rate", "60.00", valid_from=date(2025, 1, 1), scheme="UCS")
    params.set_value("test.rate", "70.00", valid_from=date(2026, 2, 1), valid_to=date(2026, 3, 31))
    params.set_value("test.rate", "80.00", valid_from=date(2026, 3, 1), scheme="UCS")
    days = [date(2024, 12, 31) + timedelta(days=n) for n in range(0, 500, 7)] + [date(2026, 3, 31), date(2026, 4, 1)]
    expected = {(d, s): params.get("test.rate", on=d, scheme=s) for d in days for s in ("", "UCS", "SSS")}
    snapshot = params.Snapshot("test.")
    with django_assert_num_queries(1):
        found = {(d, s): snapshot.get("test.rate", on=d, scheme=s) for d in days for s in ("", "UCS", "SSS")}
    assert found == expected
    assert snapshot.get("test.rate", on=datetime(2026, 3, 1, 0, 0)) == params.get("test.rate", on=date(2026, 3, 1))
