"""AdjRW by TDRG 6.3 Volume 1 p. 198: the manual's worked figures, and properties for every DRG and stay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openuhc.drg.adjrw import adjrw, high_trim, length_of_stay, long_stay_slopes, low_trim

# DRG 04520: RW0D 0.5152, RW 0.5661, WTLOS 3.71, OT 11, MDF 1.00 — medical, RW < 0.7: b12 0.0770, b23 0.0480
EXAMPLE = {"drg": "04520", "rw": D("0.5661"), "rw0d": D("0.5152"), "wtlos": D("3.71"), "ot": 11, "mdf": D("1.00")}


@pytest.mark.parametrize(("los", "expected"), [
    (0, "0.5152"),  # LOS < 1: RW0D
    (1, "0.5407"),  # 1 < 3.71 / 3: RW0D + 1 × (RW − RW0D) / ceil(3.71 / 3) = 0.54065 → half-up
    *[(los, "0.5661") for los in range(2, 12)],  # 2–11: RW
    (16, "0.9511"),  # OT < 16 ≤ 22: RW + 0.0770 × 5
    (25, "1.5571"),  # 22 < 25 ≤ 33: RW + 0.0770 × 11 + 0.0480 × 3
    (40, "1.9411"),  # 40 > 33: RW + 11 × (0.0770 + 0.0480)
])
def test_drg_04520_at_each_length_of_stay(los, expected):
    assert adjrw(los=los, **EXAMPLE) == D(expected)


def test_the_earlier_long_stay_rule_stays_available_by_name():
    assert adjrw(los=16, rule="tdrg5", **EXAMPLE) == D("1.3290")


def test_the_slopes_follow_the_drg_type_and_weight():
    assert long_stay_slopes("04520", D("0.5661")) == (D("0.0770"), D("0.0480"))
    assert long_stay_slopes("04521", D("0.7")) == (D("0.1212"), D("0.0743"))
    assert long_stay_slopes("01010", D("1.99")) == (D("0.0904"), D("0.0584"))
    assert long_stay_slopes("01011", D("2")) == (D("0.1580"), D("0.1268"))


def test_a_drg_without_a_day_case_weight_pays_its_rw_for_a_day_case():
    assert adjrw(drg="04520", rw=D("1.2"), rw0d=D("0"), wtlos=D("6"), ot=18, los=0) == D("1.2000")


def test_trim_points_and_length_of_stay():
    assert low_trim(D("3.71")) == 2 and high_trim(D("3.71")) == 11
    assert high_trim(D("2.5")) == 8  # half-up, not banker's rounding (7.5 → 8)
    assert length_of_stay(date(2026, 1, 1), date(2026, 1, 17), 1) == 15
    with pytest.raises(ValueError):
        adjrw(los=-1, **EXAMPLE)


@pytest.mark.django_db
@pytest.mark.parametrize(("drg", "los", "factor", "expected"), [
    ("06571", 0, "mdf", "0.6201"), ("06571", 2, "mdf", "0.6814"), ("06571", 14, "mdf", "0.9124"),
    # the manual's DRG 06072 example computes with OF = 1.0 (c63drg's MDF is 0.67)
    ("06072", 45, "1", "6.3744"), ("06072", 65, "1", "7.8960"),
    ("06072", 45, "mdf", "5.0908"), ("06072", 65, "mdf", "6.1103"),
])
def test_the_manuals_examples_with_the_real_weights(tables, drg, los, factor, expected):
    row = tables.drg(drg)
    assert adjrw(drg=drg, rw=row.rw, rw0d=row.rw0d, wtlos=row.wtlos, ot=row.ot, mdf=row.mdf, los=los,
                 factor=factor) == D(expected)


weights = st.builds(
    lambda drg, rw, share, wtlos, mdf: {"drg": drg, "rw": rw, "rw0d": (rw * share).quantize(D("0.0001")),
                                        "wtlos": wtlos, "mdf": mdf},
    st.sampled_from(["04520", "01010", "06072", "11501"]),
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


@given(weights)
def test_adjrw_has_no_jump_at_ot_twice_ot_and_three_times_ot(drg):
    """Past the high trim point a day adds at most OF × b12 (or b23): no step at OT, 2·OT or 3·OT."""
    ot = high_trim(drg["wtlos"])
    b12, b23 = long_stay_slopes(drg["drg"], drg["rw"])
    for edge in (ot, 2 * ot, 3 * ot):
        for los in (edge - 1, edge):
            if los < low_trim(drg["wtlos"]):
                continue
            step = adjrw(los=los + 1, **drg) - adjrw(los=los, **drg)
            assert step <= drg["mdf"] * max(b12, b23) + D("0.0001")
