"""Fixtures of the payment tests: the FY2569 configuration and a few people of every age group."""

from __future__ import annotations

from datetime import date

import pytest

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.registry import services as registry
from openuhc.testing.world import PASSWORD, add_person

JAN = date(2026, 1, 1)


@pytest.fixture
def budget(world):
    return add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1),
                       data=year_config(2569), note="test")


def register(person, main, primary, on=None):
    registry.register(actor=None, person=person, main_unit=main, primary_unit=primary, referral_unit=main,
                      effective_from=on or max(person.birth_date, date(2021, 1, 1)))
    return person


@pytest.fixture
def population(world, budget):
    """Besides the world's people (a: 45 with A, b: 45 with B): a child of 2 and an elder of 70 with A."""
    sub = world.shph_a.subdistrict
    child = register(add_person(subdistrict=sub, birth=date(2023, 6, 1), first="เด็ก"), world.hospital_a, world.shph_a)
    elder = register(add_person(subdistrict=sub, birth=date(1955, 3, 1), first="ผู้สูงอายุ"), world.hospital_a,
                     world.shph_a)
    return {"child": child, "elder": elder}


@pytest.fixture
def officers(world):
    """A second national officer: with four eyes, one officer cannot check and approve the same run."""
    world.users["national2"] = create_user(username="national2", password=PASSWORD, role=Role.NATIONAL)
    return world.users
