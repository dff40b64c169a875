"""The budget designer against a hand computation (the arithmetic is written out in each comment)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from openuhc.budget.designer import Design, DesignError, SubFund, compute

POPULATION = {"0-4": 1000, "5-59": 8000, "60+": 1000}


def example() -> Design:
    return Design(
        fiscal_year=2570, population=POPULATION, all_population=12_000, population_growth=D("0.01"),
        sub_funds=(
            SubFund("OP", "OP general", "use", unit_cost=D(300), cost_growth=D("0.03"),
                    use={"0-4": D(4), "5-59": D("2.5"), "60+": D(6)}),
            SubFund("IP", "IP general", "use", unit_cost=D(10_020), policy=D("0.05"),
                    use={"0-4": D("0.05"), "5-59": D("0.08"), "60+": D("0.25")}),
            SubFund("PP", "Prevention and promotion", "per_head", amount_per_head=D(450), head_base="all"),
            SubFund("REHAB", "Rehabilitation", "per_head", amount_per_head=D(20), fixed=D(100_000)),
        ))


def test_the_example_matches_the_hand_computation():
    result = compute(example())
    # population grows 1 %: 1,010 + 8,080 + 1,010 = 10,100 members; all nationals 12,000 → 12,120
    assert result.members == 10_100 and result.all_population == 12_120
    by_code = {r.code: r for r in result.sub_funds}
    # OP: 1,010×4×300×1.03 + 8,080×2.5×300×1.03 + 1,010×6×300×1.03 = 1,248,360 + 6,241,800 + 1,872,540
    assert by_code["OP"].cost == D("9362700.00")
    assert by_code["OP"].per_capita == D("927.00")  # 9,362,700 / 10,100
    # IP: (50.5 + 646.4 + 252.5) × 10,020 × 1.05 = 531,310.50 + 6,800,774.40 + 2,656,552.50
    assert by_code["IP"].cost == D("9988637.40")
    assert by_code["IP"].per_capita == D("988.97")  # 988.974
    # PP per head of every national: 12,120 × 450
    assert by_code["PP"].cost == D("5454000.00") and by_code["PP"].per_capita == D("540.00")
    # rehabilitation: 10,100 × 20 + 100,000 fixed = 302,000; per capita 29.90099 → 29.90
    assert by_code["REHAB"].cost == D("302000.00") and by_code["REHAB"].per_capita == D("29.90")
    assert result.total == D("25107337.40")
    assert result.per_capita == D("2485.87")  # 927.00 + 988.97 + 540.00 + 29.90


def test_every_output_is_traced_to_its_inputs():
    result = compute(example())
    op = next(r for r in result.sub_funds if r.code == "OP")
    assert [t.label for t in op.terms] == ["0-4", "5-59", "60+"]
    first = op.terms[0]
    assert dict(first.factors)["N"] == 1010 and dict(first.factors)["use"] == 4 and first.value == D("1248360.00")
    assert sum(t.value for t in op.terms) == op.cost


@pytest.mark.parametrize(("change", "message"), [
    ({"population": {}}, "population by age group"),
    ({"population": {"0-4": -1, "5-59": 10}}, "cannot be negative"),
    ({"sub_funds": (SubFund("OP", "OP", "use", unit_cost=D(1), use={"90+": D(1)}),)}, "unknown age groups"),
    ({"sub_funds": (SubFund("OP", "OP", "guess"),)}, "unknown method"),
    ({"sub_funds": (SubFund("OP", "OP", "per_head"), SubFund("OP", "OP", "per_head"))}, "appears once"),
])
def test_a_bad_design_says_what_is_wrong(change, message):
    base = example()
    design = Design(**{**base.__dict__, **change})
    with pytest.raises(DesignError, match=message) as error:
        compute(design)
    assert error.value.message_th
