"""Each pack's person-number rules, on golden valid and invalid numbers."""

from __future__ import annotations

import pytest

from openuhc.core.errors import DomainError
from openuhc.country.packs import load_pack
from openuhc.country.testing import use_pack
from openuhc.registry import ids


def test_thailand_checks_the_13_digits_and_the_check_digit():
    rules = load_pack("th").primary_id
    assert rules.validate("1-1017-00230-70-8") == "1101700230708"
    assert rules.validate("0 0000 00000 00 1") == "0000000000001"  # begins with 0: people without registration
    for bad, code in [("1101700230709", "cid_bad_check_digit"), ("110170023070", "cid_length"),
                      ("11017OO230708", "cid_not_digits"), ("", "cid_empty")]:
        with pytest.raises(DomainError) as refused:
            rules.validate(bad)
        assert refused.value.code == code
    assert rules.format("1101700230708") == "1-1017-00230-70-8"
    assert rules.mask("1101700230708") == "x-xxxx-xxxxx-70-8"
    assert rules.encodes("1101700230708")["issuing_office"] == "1017"
    assert not rules.may_repeat


def test_the_philippines_checks_format_only_there_being_no_published_check_digit():
    pack = load_pack("ph")
    psn, pin = pack.id_types()["philsys"], pack.id_types()["philhealth"]
    assert psn is pack.primary_id
    assert psn.validate("1234-5678-9012") == "123456789012"
    assert psn.validate("1234 5678 9013") == "123456789013"  # any last digit: nothing to check it against
    assert psn.format("123456789012") == "1234-5678-9012"
    assert psn.mask("123456789012") == "xxxx-xxxx-x012"
    assert pin.validate("12-345678901-2") == "123456789012"
    assert pin.format("123456789012") == "12-345678901-2"
    assert pin.may_repeat and not psn.may_repeat
    for bad, code in [("12345678901", "pid_length"), ("1234567890123", "pid_length"),
                      ("12345678901A", "pid_not_digits"), ("１２３４５６７８９０１２", "pid_not_digits"),
                      ("", "pid_empty")]:
        with pytest.raises(DomainError) as refused:
            psn.validate(bad)
        assert refused.value.code == code
    assert psn.encodes("123456789012") == {}


def test_the_registry_helpers_follow_the_active_pack():
    assert ids.is_valid_citizen_id("1101700230708")
    assert not ids.is_valid_citizen_id("123456789012")
    with use_pack("ph"):
        assert ids.is_valid_citizen_id("123456789012")
        assert not ids.is_valid_citizen_id("1101700230708")
        assert ids.format_citizen_id("123456789012") == "1234-5678-9012"


@pytest.mark.django_db
def test_a_person_is_never_found_by_a_number_that_may_repeat_alone(world):
    from datetime import date

    from openuhc.country import services
    from openuhc.geo.models import Subdistrict
    from openuhc.registry.services import add_person

    place = Subdistrict.objects.first()
    with use_pack("ph"):
        a = add_person(actor=None, citizen_id="1111-2222-3333", first_name_th="Ana", last_name_th="Cruz", sex=2,
                       birth_date=date(1990, 1, 2), subdistrict=place)
        b = add_person(actor=None, citizen_id="1111-2222-4444", first_name_th="Ben", last_name_th="Cruz", sex=1,
                       birth_date=date(1985, 5, 6), subdistrict=place)
        for person in (a, b):  # the same PhilHealth number on two records
            services.add_identifier(actor=None, person=person, kind="philhealth", number="12-345678901-2")
        with pytest.raises(DomainError) as refused:
            services.find_person("philhealth", "123456789012")
        assert refused.value.code == "country_needs_birth_date"
        assert services.find_person("philhealth", "123456789012", birth_date=date(1985, 5, 6)) == b
        assert services.find_person("philhealth", "123456789012", birth_date=date(2000, 1, 1)) is None
        assert services.find_person("philsys", "1111-2222-3333") == a  # the primary number is unique
