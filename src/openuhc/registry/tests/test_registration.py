from __future__ import annotations

from datetime import date, timedelta

import pytest

from openuhc.core import params
from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.registry import services
from openuhc.registry.models import Registration, RegistryEvent, Scheme
from openuhc.testing.world import add_person


def _move(world, person, on, main=None, primary=None):
    return services.register(actor=None, person=person, main_unit=main or world.hospital_b,
                             primary_unit=primary or world.shph_b, referral_unit=world.hospital_a, effective_from=on)


def test_a_change_of_unit_takes_effect_at_once_and_keeps_the_history(world):
    person = world.people["a"]
    registration = services.register(actor=world.users["national"], person=person, main_unit=world.hospital_b,
                                     primary_unit=world.shph_b, referral_unit=world.hospital_a, reason="moved")
    assert registration.effective_from == today() and registration.is_change
    person.refresh_from_db()
    assert person.current_registration == registration
    history = list(Registration.objects.filter(person=person).order_by("effective_from"))
    assert [r.main_unit.code for r in history] == ["56001", "56002"]
    assert RegistryEvent.objects.filter(person=person, kind="registered").count() == 2


def test_registration_history_rows_cannot_be_edited_or_deleted(world):
    row = Registration.objects.filter(person=world.people["a"]).get()
    row.reason = "rewritten"
    with pytest.raises(Exception, match="append-only"):
        row.save()
    with pytest.raises(Exception, match="append-only"):
        Registration.objects.filter(pk=row.pk).delete()


def test_the_yearly_limit_of_changes_is_enforced_and_configurable(world):
    person = world.people["a"]
    start = date(2025, 10, 1)  # FY2569
    units = [(world.hospital_b, world.shph_b), (world.hospital_a, world.shph_a)]
    for n in range(4):
        main, primary = units[n % 2]
        _move(world, person, start + timedelta(days=n), main, primary)
    with pytest.raises(DomainError) as caught:
        _move(world, person, start + timedelta(days=10), *units[0])
    assert caught.value.code == "change_limit" and "4" in caught.value.message_en
    # The next fiscal year starts a new count.
    assert _move(world, person, date(2026, 10, 1), *units[0]).is_change

    params.set_value("registry.unit_change_limit", 5, valid_from=date(2025, 10, 1))
    other = world.people["b"]
    for n in range(5):
        main, primary = units[(n + 1) % 2]
        _move(world, other, start + timedelta(days=n), main, primary)


def test_the_limit_can_count_calendar_years_instead(world):
    params.set_value("registry.unit_change_limit", 1, valid_from=date(2020, 1, 1))
    params.set_value("registry.unit_change_period", "calendar_year", valid_from=date(2020, 1, 1))
    person = world.people["a"]
    _move(world, person, date(2025, 11, 1))
    with pytest.raises(DomainError):
        _move(world, person, date(2025, 12, 1), world.hospital_a, world.shph_a)
    assert _move(world, person, date(2026, 1, 2), world.hospital_a, world.shph_a).is_change


def test_a_registration_cannot_be_in_the_future_or_before_the_last_one(world):
    person = world.people["a"]
    with pytest.raises(DomainError) as future:
        _move(world, person, today() + timedelta(days=1))
    assert future.value.code == "registration_in_future"
    with pytest.raises(DomainError) as backdated:
        _move(world, person, date(2020, 1, 1))
    assert backdated.value.code == "registration_backdated"


def test_registering_the_same_units_again_is_refused(world):
    person = world.people["a"]
    with pytest.raises(DomainError) as caught:
        services.register(actor=None, person=person, main_unit=world.hospital_a, primary_unit=world.shph_a,
                          referral_unit=world.hospital_a, effective_from=date(2025, 1, 1))
    assert caught.value.code == "registration_unchanged"


def test_only_members_of_a_registering_scheme_are_registered(world):
    with pytest.raises(DomainError) as caught:
        _move(world, world.people["sss"], date(2025, 1, 1))
    assert caught.value.code == "not_registering_scheme"


def test_coverage_periods_never_overlap(world):
    person = add_person(subdistrict=world.shph_a.subdistrict, scheme=None)
    ucs, sss = Scheme.objects.get(code="UCS"), Scheme.objects.get(code="SSS")
    services.add_coverage(actor=None, person=person, scheme=ucs, valid_from=date(2010, 1, 1),
                          valid_to=date(2015, 12, 31))
    with pytest.raises(DomainError) as caught:
        services.add_coverage(actor=None, person=person, scheme=sss, valid_from=date(2015, 6, 1),
                              valid_to=date(2016, 6, 1))
    assert caught.value.code == "coverage_overlap"
    # An open coverage is closed the day before a new one starts.
    services.add_coverage(actor=None, person=person, scheme=sss, valid_from=date(2016, 1, 1))
    services.add_coverage(actor=None, person=person, scheme=ucs, valid_from=date(2020, 1, 1))
    periods = list(person.coverages.order_by("valid_from").values_list("scheme__code", "valid_from", "valid_to"))
    assert periods == [("UCS", date(2010, 1, 1), date(2015, 12, 31)), ("SSS", date(2016, 1, 1), date(2019, 12, 31)),
                       ("UCS", date(2020, 1, 1), None)]


def test_a_death_is_recorded_once(world):
    person = world.people["a"]
    services.record_death(actor=None, person=person, death_date=date(2025, 1, 1))
    with pytest.raises(DomainError) as caught:
        services.record_death(actor=None, person=person, death_date=date(2025, 2, 1))
    assert caught.value.code == "death_already_recorded"
    with pytest.raises(DomainError) as before_birth:
        services.record_death(actor=None, person=world.people["b"], death_date=date(1900, 1, 1))
    assert before_birth.value.code == "death_before_birth"
