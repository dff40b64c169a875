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
    ({"pdx": "O800", "sex": 1, "age": 30}, "26509", "not valid for this sex"),
    ({"age": None}, "26539", "age missing"),
    ({"age": 0}, "26539", "age in days missing"),
    ({"pdx": "P073", "age": 30}, "26509", "not valid at age 30"),
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


def test_a_liver_transplant_for_a_liver_disease_goes_to_pre_mdc(tables):
    result = group(case(pdx="B150", procedures=["5051"]), tables)
    assert result.mdc == "00" and result.drg == "00019" and result.exact


def test_an_or_procedure_of_the_mdc_chooses_its_surgical_dc_by_the_hierarchy(tables):
    result = group(case(pdx="K358", procedures=["4701"], sex=2, age=30), tables)
    assert result.mdc == "06" and result.dc == "0629" and result.exact
    assert any(s["rule"] == "DC" and "Proc as PDC 6PU" in s["why"] for s in result.trace)


def test_an_or_procedure_unrelated_to_the_diagnosis_goes_to_mdc_26_by_its_group(tables):
    # total hip replacement (MDC 08, procedure group 4) for pneumonia; MDC 26's PCL ranges are not in the files
    result = group(case(procedures=["8151"]), tables)
    assert result.mdc == "26" and result.dc == "2604" and not result.exact and "2604" in result.reason


def test_a_general_vessel_procedure_goes_to_its_mdc_26_dc(tables):
    result = group(case(procedures=["3800"]), tables)  # incision of vessel: MOS DC 2614 when unrelated
    assert result.drg == "26149"


def test_a_newborn_is_grouped_by_admission_weight(tables):
    result = group(case(pdx="P073", age=0, age_days=2, admit_weight=1200), tables)
    assert result.mdc == "15" and result.dc == "1552"


def test_the_exclusion_list_is_matched_exactly_not_by_prefix(tables):
    # A20.2 does not count with J10.0, but does with J10.1 (same 3-character prefix)
    with_j100 = group(case(pdx="J100", sdx=["A202"]), tables)
    with_j101 = group(case(pdx="J101", sdx=["A202"]), tables)
    assert "excluded: A202 by J100" in next(s["why"] for s in with_j100.trace if s["rule"] == "severity")
    assert "A202 2" in next(s["why"] for s in with_j101.trace if s["rule"] == "severity")


@pytest.mark.parametrize(("changes", "drg", "dcs"), [
    # Volume 1 p. 128, example 1: heart failure with a femur fracture and its fixation → MDC 08, DC 0810
    ({"pdx": "I500", "age": 75, "sdx": ["I10", "H259", "S7200", "E876", "K250"],
      "procedures": ["7935", "9346", "9904", "4513", "1341", "1371", "4441"], "discharge_date": date(2026, 2, 5)},
     "08103", ["05", "08", "0810"]),
    # Volume 1 p. 129, example 2: appendicectomy in pregnancy → MDC 06, DC 0607
    ({"pdx": "O996", "sex": 2, "age": 19, "sdx": ["K358"], "procedures": ["4709"]}, "06070", ["14", "06", "0607"]),
    # Volume 1 pp. 170–171: DCLs 3, 2, 2, 1, 1, 1, 1 after excluding E875 → PCL 8 → 05533
    ({"pdx": "I213", "sdx": ["E119", "I10", "N182", "I092", "K250", "I209", "A419", "E875", "E876"]}, "05533",
     ["05", "0553"]),
])
def test_the_manuals_worked_examples(tables, changes, drg, dcs):
    result = group(case(**changes), tables)
    assert result.drg == drg and result.exact
    assert [s["decided"] for s in result.trace if s["rule"] in ("MDC", "DC")] == dcs


def test_the_pcl_example_keeps_and_excludes_as_the_manual_shows(tables):
    result = group(case(pdx="I213", sdx=["E119", "I10", "N182", "I092", "K250", "I209", "A419", "E875", "E876"]),
                   tables)
    why = next(s["why"] for s in result.trace if s["rule"] == "severity")
    assert why.startswith("PCL 8 from the DCLs in DC 0553 (K250 3, I213 2, A419 2, I10 1, I092 1, E876 1, E119 1)")
    assert "excluded: E875 by E876" in why


def test_a_set_without_the_manuals_files_groups_approximately(db, tdrg_dir, tmp_path):
    import shutil

    from openuhc.drg.tables import install_tables, load

    for name in ("c63i10.dbf", "c63proc.dbf", "c63drg.dbf", "c63ccex.dbf"):
        shutil.copyfile(tdrg_dir / name, tmp_path / name)
    tables = load(install_tables(tmp_path, version="6.3-dbf-only"))
    assert tables.manual is None
    result = group(case(), tables)
    assert result.drg.startswith("045") and result.exact is False and "approximat" in result.reason


def test_the_hospitals_drg_never_overrides_an_exact_grouping(tables):
    agreed = group(case(drg="04520", discharge_date=date(2026, 1, 17)), tables)
    assert agreed.drg == "04520" and agreed.exact and agreed.disagreement == ""
    assert agreed.adjrw == D("0.9511")  # LOS 16: Volume 1 p. 198
    differs = group(case(drg="04523"), tables)
    assert differs.drg == "04520" and differs.source == "openuhc"
    assert differs.disagreement == "hospital DRG 04523; our grouping gives 04520 (exact)"
    unknown = group(case(drg="99999"), tables)
    assert unknown.source == "openuhc" and "does not exist" in unknown.disagreement


def test_the_hospitals_drg_is_used_only_in_place_of_an_approximate_grouping(tables):
    result = group(case(procedures=["8151"], drg="26041"), tables)  # ours: 2604x, PCL ranges guessed
    assert result.drg == "26041" and result.source == "hospital" and result.own_drg.startswith("2604")
