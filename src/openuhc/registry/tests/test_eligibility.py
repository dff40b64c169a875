from __future__ import annotations

from datetime import date

import pytest

from openuhc.registry import services
from openuhc.registry.models import Scheme
from openuhc.testing.world import make_cid


@pytest.fixture
def person(world):
    return world.people["a"]


def test_a_registered_person_is_covered_with_their_units(world, person):
    result = services.check_eligibility(person.citizen_id, date(2025, 6, 1))
    assert result.eligible
    assert result.coverage.scheme.code == "UCS"
    assert (result.registration.main_unit.code, result.registration.primary_unit.code) == ("56001", "05601")
    assert result.as_dict()["main_unit"] == "56001"


def test_an_unknown_id_is_told_apart_from_a_bad_check_digit(world):
    unknown = services.check_eligibility(make_cid("110000000000"), date(2025, 6, 1))
    assert not unknown.eligible and unknown.reason_code == "unknown_id"
    good = make_cid("110000000000")
    bad = services.check_eligibility(good[:12] + str((int(good[12]) + 1) % 10), date(2025, 6, 1))
    assert not bad.eligible and bad.reason_code == "cid_bad_check_digit"


@pytest.mark.parametrize(("typed", "code"), [("12345", "cid_length"), ("abc", "cid_not_digits"), ("", "cid_empty")])
def test_a_malformed_id_says_what_is_wrong(world, typed, code):
    assert services.check_eligibility(typed, date(2025, 6, 1)).reason_code == code


def test_a_dead_person_is_not_covered_after_death_but_was_before(world, person):
    services.record_death(actor=None, person=person, death_date=date(2025, 3, 1))
    assert services.check_eligibility(person.citizen_id, date(2025, 3, 1)).eligible  # care on the day of death
    after = services.check_eligibility(person.citizen_id, date(2025, 3, 2))
    assert not after.eligible and after.reason_code == "dead"


def test_a_date_outside_coverage_has_no_coverage(world, person):
    result = services.check_eligibility(person.citizen_id, date(2001, 1, 1))
    assert not result.eligible and result.reason_code == "no_coverage"


def test_coverage_ending_leaves_the_person_uncovered_the_next_day(world):
    person = world.people["sss"]
    services.end_coverage(actor=None, coverage=person.coverages.get(), valid_to=date(2024, 12, 31))
    assert services.check_eligibility(person.citizen_id, date(2024, 12, 31)).eligible
    assert services.check_eligibility(person.citizen_id, date(2025, 1, 1)).reason_code == "no_coverage"


def test_a_scheme_without_registration_answers_without_units(world):
    result = services.check_eligibility(world.people["sss"].citizen_id, date(2025, 6, 1))
    assert result.eligible and result.coverage.scheme.code == "SSS" and result.registration is None


def test_a_change_of_scheme_answers_by_date(world, person):
    services.add_coverage(actor=None, person=person, scheme=Scheme.objects.get(code="SSS"), valid_from=date(2025, 1, 1))
    assert services.check_eligibility(person.citizen_id, date(2024, 12, 31)).coverage.scheme.code == "UCS"
    assert services.check_eligibility(person.citizen_id, date(2025, 1, 1)).coverage.scheme.code == "SSS"


def test_eligibility_uses_the_registration_in_force_on_the_date(world, person):
    services.register(actor=None, person=person, main_unit=world.hospital_b, primary_unit=world.shph_b,
                      referral_unit=world.hospital_a, effective_from=date(2025, 1, 10))
    person.refresh_from_db()
    assert services.check_eligibility(person.citizen_id, date(2025, 1, 9)).registration.main_unit.code == "56001"
    assert services.check_eligibility(person.citizen_id, date(2025, 1, 10)).registration.main_unit.code == "56002"


def test_an_eligibility_check_is_one_database_query(world, person, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = services.check_eligibility(person.citizen_id, date(2025, 6, 1))
        assert str(result.registration.main_unit) == "56001 Hospital A"
