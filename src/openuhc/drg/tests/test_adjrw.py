"""AdjRW: the worked example of the issue, and properties that must hold for every DRG and stay."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openuhc.drg.adjrw import adjrw, high_trim, length_of_stay, low_trim

# DRG 04520: RW0D 0.5152, RW 0.5661, WTLOS 3.71, OT 11, MDF 1.00 (L = ceil(3.71 / 3) = 2)
EXAMPLE = {"rw": D("0.5661"), "rw0d": D("0.5152"), "wtlos": D("3.71"), "ot": 11, "mdf": D("1.00")}


@pytest.mark.parametrize(("los", "expected"), [(0, "0.5152"), (1, "0.5407"), (2, "0.5661"), (5, "0.5661"),
                                               (11, "0.5661"), (16, "1.3290")])
def test_the_worked_example(los, expected):
    assert adjrw(los=los, **EXAMPLE) == D(expected)


def test_trim_points_and_length_of_stay():
    from datetime import date

    assert low_trim(D("3.71")) == 2 and high_trim(D("3.71")) == 11
    assert high_trim(D("2.5")) == 8  # half-up, not banker's rounding (7.5 → 8)
    assert length_of_stay(date(2026, 1, 1), date(2026, 1, 17), 1) == 15
    with pytest.raises(ValueError):
        adjrw(los=-1, **EXAMPLE)


weights = st.builds(
    lambda rw, share, wtlos, mdf: {"rw": rw, "rw0d": (rw * share).quantize(D("0.0001")), "wtlos": wtlos, "mdf": mdf},
    st.decimals(min_value=D("0.1"), max_value=D("80"), places=4),
    st.decimals(min_value=D("0"), max_value=D("1"), places=2),
    st.decimals(min_value=D("0.5"), max_value=D("90"), places=2),
    st.decimals(min_value=D("0.03"), max_value=D("1"), places=2),
)


@given(weights, st.integers(min_value=0, max_value=400))
def test_adjrw_is_never_negative(drg, los):
    assert adjrw(los=los, **drg) >= 0


@given(weights, st.integers(min_value=0, max_value=400))
def test_adjrw_never_falls_as_the_stay_gets_longer(drg, los):
    assert adjrw(los=los + 1, **drg) >= adjrw(los=los, **drg)


@given(weights)
def test_adjrw_is_the_rw_between_the_trim_points(drg):
    for los in range(low_trim(drg["wtlos"]), high_trim(drg["wtlos"]) + 1):
        assert adjrw(los=los, **drg) == drg["rw"].quantize(D("0.0001"))
