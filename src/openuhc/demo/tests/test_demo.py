from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import transaction

from openuhc.accounts.models import Profile
from openuhc.accounts.roles import Role
from openuhc.demo.loader import load_demo
from openuhc.providers.models import HealthUnit, Ownership
from openuhc.registry.ids import is_valid_citizen_id
from openuhc.registry.models import Coverage, Person, Registration


class _Rollback(Exception):
    pass


def _digest() -> str:
    rows = [
        *Person.objects.order_by("citizen_id").values_list("citizen_id", "first_name_th", "last_name_th", "sex",
                                                           "birth_date", "subdistrict__code", "death_date"),
        *Coverage.objects.order_by("person__citizen_id", "valid_from").values_list(
            "person__citizen_id", "scheme__code", "valid_from", "valid_to"),
        *Registration.objects.order_by("person__citizen_id", "effective_from", "id").values_list(
            "person__citizen_id", "main_unit__code", "primary_unit__code", "effective_from", "is_change"),
        *HealthUnit.objects.order_by("code").values_list("code", "name_th", "owner__code", "cup__code"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _load_and_digest(seed: int) -> str:
    try:
        with transaction.atomic():
            load_demo(seed=seed, people=400)
            digest = _digest()
            raise _Rollback
    except _Rollback:
        return digest


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_province_and_another_seed_does_not():
    first = _load_and_digest(7)
    assert first == _load_and_digest(7)
    assert first != _load_and_digest(8)


@pytest.mark.django_db
def test_the_demo_province_has_what_the_foundation_needs(geography):
    ctx = load_demo(seed=2569, people=2000)
    people = Person.objects.all()
    assert people.count() == 2000
    assert all(is_valid_citizen_id(cid) for cid in people.values_list("citizen_id", flat=True))
    assert people.filter(citizen_id__startswith="0").exists()  # people without civil registration
    assert people.filter(death_date__isnull=False).exists()
    old = people.filter(birth_date__year__lt=1966).count() / 2000
    young = people.filter(birth_date__year__gt=2010).count() / 2000
    assert 0.15 < old < 0.45 and 0.1 < young < 0.3  # an ageing pyramid
    assert HealthUnit.objects.filter(unit_type__code="shph").count() == 40
    assert HealthUnit.objects.filter(unit_type__code="community").count() >= 5
    assert Ownership.objects.filter(owner__kind="local_government").exists()  # transferred to the PAO
    assert Registration.objects.filter(is_change=True).exists()
    assert Person.objects.filter(current_registration__isnull=False).count() > 1000
    assert {role for _u, role, _s in ctx.logins} == set(Role.values)
    assert Profile.objects.filter(role=Role.HOSPITAL).count() == 2


@pytest.mark.django_db
def test_the_demo_command_loads_once_and_prints_the_logins(geography, capsys):
    call_command("demo", "--no-server", "--people", "300")
    first = capsys.readouterr().err
    assert "openuhc-demo" in first and "hospital2" in first and "analyst" in first
    call_command("demo", "--no-server", "--people", "300")
    again = capsys.readouterr().err
    assert "already loaded" in again and "hospital2" in again
    assert Person.objects.count() == 300
