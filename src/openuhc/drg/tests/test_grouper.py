"""The grouper, rule by rule, with real codes from the TDRG 6.3 tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from openuhc.drg.grouper import Case, group

pytestmark = pytest.mark.django_db


def case(**kw) -> Case:
    base = {"pdx": "J189", "sex": 1, "age": 60, "admit_date": date(2026, 1, 1), "discharge_date": date(2026, 1, 4)}
    return Case(**{**base, **kw})


@pytest.mark.parametrize(("changes", "drg", "why"), [
    ({"pdx": ""}, "26509", "no principal diagnosis"),
    ({"pdx": "S82201D"}, "26509", "not in TDRG 6.3"),
    ({"pdx": "B962"}, "26519", "not acceptable as a principal diagnosis"),
    ({"pdx": "O800", "sex": 1, "age": 30}, "26529", "pregnancy diagnosis"),
    ({"age": None}, "26539", "age missing"),
    ({"pdx": "P073", "age": 30}, "26539", "not valid at age 30"),
])
def test_each_edit_gives_its_error_drg(tables, changes, drg, why):
    result = group(case(**changes), tables)
    assert result.drg == drg and why in result.reason and result.exact
    assert result.adjrw == D("0.0000")


def test_secondary_diagnoses_and_procedures_invalid_for_the_sex_are_dropped(tables):
    result = group(case(sdx=["O800"], procedures=["6812"]), tables)
    dropped = [s for s in result.trace if "dropped" in s["why"]]
    assert {s["decided"] for s in dropped} == {"O800", "6812"}
    assert result.drg.startswith("04")


def test_the_principal_diagnosis_row_follows_the_sex(tables):
    assert group(case(pdx="A510", sex=1, age=30), tables).mdc == "12"
    assert group(case(pdx="A510", sex=2, age=30), tables).mdc == "13"


def test_a_transplant_goes_to_pre_mdc(tables):
    result = group(case(procedures=["5051"]), tables)
    assert result.mdc == "00" and result.drg == "00019"


def test_an_or_procedure_related_to_the_mdc_makes_the_case_surgical(tables):
    result = group(case(pdx="K358", procedures=["4701"], sex=2, age=30), tables)
    assert result.mdc == "06" and int(result.dc[2:]) < 50
    assert any(s["decided"] == "surgical" for s in result.trace)


def test_an_or_procedure_unrelated_to_the_diagnosis_goes_to_mdc_26_by_its_group(tables):
    # total hip replacement (MDC 08, procedure group 4) for pneumonia
    result = group(case(procedures=["8151"]), tables)
    assert result.mdc == "26" and result.dc == "2604"


def test_a_general_vessel_procedure_goes_to_its_mdc_26_dc(tables):
    result = group(case(procedures=["3800"]), tables)  # incision of vessel: MOS DC 2614 when unrelated
    assert result.drg == "26149"


def test_a_newborn_is_grouped_by_admission_weight(tables):
    result = group(case(pdx="P073", age=0, age_days=2, admit_weight=1200), tables)
    assert result.mdc == "15" and result.dc == "1552"


def test_the_exclusion_list_is_matched_exactly_not_by_prefix(tables):
    # A20.2 does not count as a complication with J10.0, but does with J10.1 (same 3-character prefix)
    with_j100 = group(case(pdx="J100", sdx=["A202"]), tables)
    with_j101 = group(case(pdx="J101", sdx=["A202"]), tables)
    assert any(s["rule"] == "CC exclusion" for s in with_j100.trace)
    assert not any(s["rule"] == "CC exclusion" for s in with_j101.trace)
    assert "1 complication" in next(s["why"] for s in with_j101.trace if s["rule"] == "severity")


def test_a_grouping_without_the_dcl_table_says_it_is_approximate(tables):
    result = group(case(), tables)
    assert result.drg == "04520" and result.exact is False and "approximat" in result.reason


def test_the_hospitals_drg_is_accepted_and_a_disagreement_is_reported(tables):
    agreed = group(case(drg="04520", discharge_date=date(2026, 1, 17)), tables)
    assert agreed.source == "hospital" and agreed.exact and agreed.disagreement == ""
    assert agreed.adjrw == D("1.3290")  # LOS 16, the worked example
    differs = group(case(drg="04523"), tables)
    assert differs.drg == "04523" and "our grouping gives 04520" in differs.disagreement
    unknown = group(case(drg="99999"), tables)
    assert unknown.source == "openuhc" and "does not exist" in unknown.disagreement
