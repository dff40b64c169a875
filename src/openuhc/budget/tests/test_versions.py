"""Fiscal-year configuration: versions are added, never edited; the one in force is found by date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from openuhc.budget.defaults import year_config
from openuhc.budget.models import BudgetVersion
from openuhc.budget.services import add_version, in_force
from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError


def test_the_fy2569_configuration_carries_the_reference_numbers(geography):
    version = add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1),
                          data=year_config(2569))
    config = version.config
    assert config.per_capita == D("4173.04") and config.ip_base_rate == D("8350.00")
    assert sum(s.per_capita for s in config.sub_funds) == config.per_capita
    assert config.late_percent(0) == 100 and config.late_percent(31) == 95 and config.late_percent(400) == 0
    assert config.age_group_of(3).code == "0-4" and config.age_group_of(99).code == "60+"
    assert len(config.ip_regions) == 13


def test_a_new_version_never_changes_the_old_one_and_the_date_decides_which_is_in_force(geography):
    first = add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1),
                        data=year_config(2569))
    changed = year_config(2569)
    changed["ip_base_rate"] = "8000.00"
    second = add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2026, 4, 1), data=changed)
    assert (first.number, second.number) == (1, 2)
    assert in_force("UCS", date(2026, 3, 31)).pk == first.pk
    assert in_force("UCS", date(2026, 4, 1)).pk == second.pk
    assert BudgetVersion.objects.get(pk=first.pk).ip_base_rate == D("8350.00")
    with pytest.raises(AppendOnlyError):
        first.note = "edited"
        first.save()
    with pytest.raises(AppendOnlyError):
        BudgetVersion.objects.filter(pk=first.pk).update(note="edited")


def test_no_version_for_a_date_is_a_clear_refusal(geography):
    with pytest.raises(DomainError, match="No budget configuration of scheme UCS is in force on .* 2569"):
        in_force("UCS", date(2026, 1, 1))


@pytest.mark.parametrize(("change", "message"), [
    ({"per_capita": "4000"}, "add up to 4173.04 baht per head, not to the per-capita amount 4000"),
    ({"per_capita": "abc"}, "per_capita: 'abc' is not a number"),
    ({"ip_base_rate": "-1"}, "ip_base_rate: must be at least 0"),
    ({"age_groups": [{"code": "0-4", "min_age": 0, "max_age": 4, "weight": 2},
                     {"code": "6+", "min_age": 6, "max_age": None, "weight": 1}]}, "without gaps"),
    ({"late_rules": [{"from_days": 5, "percent": 100}]}, "start at 0 days"),
    ({"late_rules": [{"from_days": 0, "percent": 120}]}, "percent: must be at most 100"),
    ({"ip_regions": [{"region": 14, "ip_budget": "1"}]}, "There is no NHSO region 14"),
    ({"fee_items": [{"code": "A", "name_th": "ก", "price": "1"}, {"code": "A", "name_th": "ข", "price": "2"}]},
     "Fee item A appears more than once"),
    ({"fee_items": [{"code": "A", "name_th": "ก", "price": "1.234"}]}, "more than 2 decimal places"),
])
def test_a_wrong_field_is_named_in_both_languages(geography, change, message):
    data = {**year_config(2569), **change}
    with pytest.raises(DomainError, match=message) as error:
        add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=data)
    assert error.value.message_th != error.value.message_en
    assert not BudgetVersion.objects.exists()


def test_a_version_must_start_within_its_fiscal_year(geography):
    with pytest.raises(DomainError, match="must take effect by the end of that year"):
        add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2026, 10, 1), data=year_config(2569))
