from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openuhc.core.money import allocate, baht


def test_amounts_round_half_up_to_the_satang():
    assert baht(Decimal("10.005")) == Decimal("10.01")
    assert baht(Decimal("10.004")) == Decimal("10.00")
    assert baht(Decimal("-10.005")) == Decimal("-10.01")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        baht(0.1)


def test_a_total_is_split_without_losing_a_satang():
    parts = allocate(Decimal("100.00"), [1, 1, 1])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")


amounts = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("100000000"), places=2)
weights = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50).filter(lambda w: sum(w) > 0)


@given(amounts, weights)
def test_allocated_parts_always_sum_exactly_to_the_total(total, weight_list):
    parts = allocate(total, weight_list)
    assert sum(parts) == total
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)


@given(amounts, weights)
def test_no_part_is_more_than_a_satang_from_its_exact_share(total, weight_list):
    parts = allocate(total, weight_list)
    weight_sum = sum(weight_list)
    for part, weight in zip(parts, weight_list, strict=True):
        assert abs(part - total * weight / weight_sum) < Decimal("0.01")
