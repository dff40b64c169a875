from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openuhc.core.errors import DomainError
from openuhc.registry.ids import check_digit, format_citizen_id, mask_citizen_id, validate_citizen_id


def test_a_known_valid_id_passes_with_or_without_separators():
    assert validate_citizen_id("1234567890121") == "1234567890121"
    assert validate_citizen_id("1-2345-67890-12-1") == "1234567890121"
    assert validate_citizen_id(" 1 2345 67890 12 1 ") == "1234567890121"


def test_an_id_beginning_with_zero_is_accepted_when_its_check_digit_is_right():
    body = "001234567890"
    assert validate_citizen_id(body + str(check_digit(body))).startswith("00")


@pytest.mark.parametrize(("typed", "code"), [
    ("", "cid_empty"),
    ("123456789012", "cid_length"),     # 12 digits
    ("12345678901210", "cid_length"),   # 14 digits
    ("12345678901a1", "cid_not_digits"),
    ("１２３４５６７８９０１２１", "cid_not_digits"),  # full-width digits are not ASCII digits
    ("1234567890122", "cid_bad_check_digit"),
])
def test_each_kind_of_malformed_id_gets_its_own_reason(typed, code):
    with pytest.raises(DomainError) as caught:
        validate_citizen_id(typed)
    assert caught.value.code == code


def test_the_length_message_says_how_many_digits_were_typed():
    with pytest.raises(DomainError) as caught:
        validate_citizen_id("123456789012")
    assert "12" in caught.value.message_en and "12" in caught.value.message_th


twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(twelve_digits)
def test_exactly_one_check_digit_makes_twelve_digits_a_valid_id(body):
    valid = [d for d in "0123456789" if _valid(body + d)]
    assert valid == [str(check_digit(body))]


def _remainder(body: str) -> int:
    return sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11


@given(twelve_digits, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_caught_except_where_the_rule_cannot_see_it(body, position, delta):
    cid = body + str(check_digit(body))
    changed = body[:position] + str((int(body[position]) + delta) % 10) + body[position + 1:]
    # The rule is blind to the third digit (its weight is 11) and to a remainder moving between 0 and 10
    # (both give check digit 1): such a typing mistake passes the check and only the registry lookup finds it.
    blind = position == 2 or {_remainder(body), _remainder(changed)} == {0, 10}
    assert _valid(changed + cid[12]) == blind


def _valid(cid: str) -> bool:
    try:
        validate_citizen_id(cid)
    except DomainError:
        return False
    return True


def test_masking_shows_only_the_last_three_digits():
    assert mask_citizen_id("1234567890121") == "x-xxxx-xxxxx-12-1"
    assert format_citizen_id("1234567890121") == "1-2345-67890-12-1"
