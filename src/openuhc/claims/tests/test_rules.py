"""Each validation rule on its own: the clean submission passes; one spoilt field gives one named problem."""

from __future__ import annotations

from datetime import date

import pytest

from openuhc.claims.checking import check
from openuhc.claims.tests.conftest import RECEIVED, SERVICE_DAY
from openuhc.core import params
from openuhc.drg import tables as drg_tables
from openuhc.drg.tables import DiagnosisRow, ProcedureRow, TableSet
from openuhc.testing.world import add_person


def found(builder, tmp_path, *, unit="56001", received=RECEIVED, only=None, encoding="utf-8"):  # noqa: ANN001, ANN201
    folder = builder.write(tmp_path / "sub", encoding=encoding)
    with check(folder, unit_code=unit, received_on=received, only_rules=only) as checked:
        return [(p.code, p.file, p.line, p.field) for p in checked.problems()], checked.summary()


def codes(builder, tmp_path, **kw) -> list[str]:  # noqa: ANN001
    return sorted(p[0] for p in found(builder, tmp_path, **kw)[0])


def _row(builder, file, **match):  # noqa: ANN001, ANN202
    return next(r for r in builder.rows[file] if all(r[k] == v for k, v in match.items()))


def test_the_clean_submission_has_no_problem_at_all(builder, tmp_path):
    problems, summary = found(builder, tmp_path, encoding="cp874")
    assert problems == []
    assert (summary["op_visits"], summary["admissions"], summary["tables_missing"]) == (2, 1, True)


# --- field_formats ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "code"), [("20261331", "107"), ("25680903", "013"), ("2025-09-03", "107"),
                                            ("", "107")])
def test_field_formats_names_impossible_dates_and_buddhist_era_years(builder, tmp_path, raw, code):
    _row(builder, "OPD", SEQ="V1")["DATEOPD"] = raw
    problems, _ = found(builder, tmp_path, only=["field_formats"])
    assert (code, "OPD", 2, "DATEOPD") in problems


@pytest.mark.parametrize("amount", ["100000000000000000000000000.00", "12.345", "abc"])
def test_field_formats_refuses_amounts_that_are_not_baht(builder, tmp_path, amount):
    _row(builder, "CHA", SEQ="V1", CHRGITEM="31")["AMOUNT"] = amount
    assert ("398", "CHA", 2, "AMOUNT") in found(builder, tmp_path, only=["field_formats"])[0]


def test_field_formats_needs_the_keys(builder, tmp_path):
    _row(builder, "IDX", AN="A1", DIAG="E119")["AN"] = ""
    _row(builder, "OPD", SEQ="V2")["HN"] = ""
    assert codes(builder, tmp_path, only=["field_formats"]) == ["105", "106"]


def test_field_formats_checks_admission_times(builder, tmp_path):
    _row(builder, "IPD", AN="A1")["TIMEADM"] = "2561"
    assert codes(builder, tmp_path, only=["field_formats"]) == ["109"]


# --- patient_identity ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("cid", "detail"), [("123456789012", "12 digits"), ("12345678901234", "14 digits"),
                                             ("1234567890122", "check digit"), ("12345678901X1", "other than digits")])
def test_patient_identity_says_what_is_wrong_with_a_citizen_id(builder, tmp_path, cid, detail):
    _row(builder, "PAT", HN="H1")["PERSON_ID"] = cid
    folder = builder.write(tmp_path / "s")
    with check(folder, unit_code="56001", received_on=RECEIVED, only_rules=["patient_identity"]) as checked:
        problems = list(checked.problems())
    assert [(p.code, p.field) for p in problems] == [("116", "PERSON_ID")]
    assert detail in problems[0].message_en and problems[0].message_th


def test_patient_identity_needs_name_sex_and_id(builder, tmp_path):
    row = _row(builder, "PAT", HN="H2")
    row.update(FNAME="", LNAME="", NAMEPAT="", SEX="3", PERSON_ID="")
    assert codes(builder, tmp_path, only=["patient_identity"]) == ["101", "103", "104"]


# --- service_dates ------------------------------------------------------------------------------------------
def test_service_dates_discharge_before_admission(builder, tmp_path):
    _row(builder, "IPD", AN="A1")["DATEDSC"] = "20250909"
    assert codes(builder, tmp_path, only=["service_dates"]) == ["121"]


def test_service_dates_nothing_after_the_day_of_receipt(builder, tmp_path):
    assert codes(builder, tmp_path, only=["service_dates"], received=date(2025, 9, 12)) == ["124"]


def test_service_dates_no_service_before_birth(builder, tmp_path):
    _row(builder, "PAT", HN="H2")["DOB"] = "20251001"
    assert codes(builder, tmp_path, only=["service_dates"]) == ["120"]


def test_service_dates_leave_days_longer_than_the_stay(builder, tmp_path):
    # a stay of 4 days (10 to 14 September) cannot hold 5 days of leave: the length of stay would be negative
    _row(builder, "LVD", AN="A1")["QTYDAY"] = 5
    assert codes(builder, tmp_path, only=["service_dates"]) == ["224"]


# --- discharge_codes, newborn_weight ---------------------------------------------------------------------------
def test_discharge_codes_known_and_consistent(builder, tmp_path):
    row = _row(builder, "IPD", AN="A1")
    row["DISCHS"] = 9  # dead, but the type says "with approval"
    assert codes(builder, tmp_path, only=["discharge_codes"]) == ["113"]
    row["DISCHT"] = 7
    assert codes(builder, tmp_path, only=["discharge_codes"]) == ["111"]


def test_newborn_weight_required_and_plausible(builder, tmp_path):
    _row(builder, "PAT", HN="H1")["DOB"] = "20250908"
    assert codes(builder, tmp_path, only=["newborn_weight"]) == ["114"]
    _row(builder, "IPD", AN="A1")["ADM_W"] = "7.2"
    problems, _ = found(builder, tmp_path, only=["newborn_weight"])
    assert [p[0] for p in problems] == ["153"]
    _row(builder, "IPD", AN="A1")["ADM_W"] = "3.150"
    assert codes(builder, tmp_path, only=["newborn_weight"]) == []


# --- cross_file_links ---------------------------------------------------------------------------------------
def test_cross_file_links_every_row_has_its_visit_patient_and_coverage(builder, tmp_path):
    _row(builder, "ODX", SEQ="V1", DIAG="R509")["SEQ"] = "V404"
    builder.rows["INS"] = [r for r in builder.rows["INS"] if r["HN"] != "H2"]
    builder.rows["PAT"] = [r for r in builder.rows["PAT"] if r["HN"] != "H2"]
    problems, _ = found(builder, tmp_path, only=["cross_file_links"])
    assert sorted((p[0], p[1]) for p in problems) == [("015", "ODX"), ("016", "OPD"), ("017", "OPD")]


def test_a_missing_file_makes_the_submission_unusable(builder, tmp_path):
    folder = builder.write(tmp_path / "s")
    (folder / "PAT.txt").unlink()
    with check(folder, unit_code="56001", received_on=RECEIVED) as checked:
        assert not checked.usable
        assert [(p.code, p.file) for p in checked.problems()] == [("004", "PAT")]


# --- charge_totals ------------------------------------------------------------------------------------------
def test_charge_totals_must_agree_and_not_be_negative(builder, tmp_path):
    _row(builder, "CHT", SEQ="V1")["TOTAL"] = "300.00"
    _row(builder, "CHA", SEQ="V2")["AMOUNT"] = "-250.00"
    _row(builder, "CHT", SEQ="V2")["TOTAL"] = "-250.00"
    assert codes(builder, tmp_path, only=["charge_totals"]) == ["301", "301", "399"]


def test_charge_totals_a_claim_without_charges(builder, tmp_path):
    builder.rows["CHT"] = [r for r in builder.rows["CHT"] if r["SEQ"] != "A1"]
    builder.rows["CHA"] = [r for r in builder.rows["CHA"] if r["SEQ"] != "A1"]
    assert codes(builder, tmp_path, only=["charge_totals"]) == ["301"]


def test_the_charge_tolerance_is_a_parameter(builder, tmp_path):
    _row(builder, "CHT", SEQ="V1")["TOTAL"] = "200.60"
    assert codes(builder, tmp_path, only=["charge_totals"]) == ["399"]
    params.set_value("claims.charge_tolerance", "0.50", valid_from=date(2024, 10, 1))
    assert codes(builder, tmp_path, only=["charge_totals"]) == []


# --- duplicates ---------------------------------------------------------------------------------------------
def test_duplicates_same_an_twice_and_same_person_same_day(builder, tmp_path):
    builder.rows["IPD"].append(dict(builder.rows["IPD"][0]))
    builder.visit(hn="H1", seq="V3", on=SERVICE_DAY)
    problems, _ = found(builder, tmp_path, only=["duplicates"])
    assert sorted((p[0], p[1], p[2]) for p in problems) == [("140", "IPD", 3), ("152", "OPD", 4)]


# --- diagnoses ----------------------------------------------------------------------------------------------
def test_diagnoses_exactly_one_principal_and_well_formed_codes(builder, tmp_path):
    _row(builder, "ODX", SEQ="V1", DIAG="J069")["DXTYPE"] = 4
    _row(builder, "IDX", AN="A1", DIAG="E119")["DXTYPE"] = 1
    _row(builder, "ODX", SEQ="V2")["DIAG"] = "I10.0"
    _row(builder, "IOP", AN="A1")["OPER"] = "47.09"
    assert codes(builder, tmp_path, only=["diagnoses"]) == ["201", "202", "218", "219"]


# --- code_tables --------------------------------------------------------------------------------------------
class FakeTables(TableSet):
    version = "TEST-1"
    known = {"J069": "B", "R509": "B", "I10": "B", "K359": "B", "E119": "B", "O800": "F", "P599": "B"}

    def diagnosis(self, code: str, sex: int | None = None) -> DiagnosisRow | None:
        return None

    def diagnosis_problem(self, code, *, sex, age_years, age_days=None):  # noqa: ANN001, ANN201
        if code not in self.known:
            return "unknown_code"
        if self.known[code] == "F" and sex == 1:
            return "sex_conflict"
        if code == "P599" and (age_days or 0) > 28:
            return "age_conflict"
        return None

    def procedure(self, code: str) -> ProcedureRow | None:
        return None

    def procedure_problem(self, code, *, sex):  # noqa: ANN001, ANN201
        return None if code in ("4709", "7359") else ("sex_conflict" if code == "6859" and sex == 1 else
                                                      "unknown_code")


def test_code_tables_checks_codes_with_their_age_and_sex_edits(builder, tmp_path, monkeypatch):
    monkeypatch.setattr(drg_tables, "active_tables", lambda on=None: FakeTables())
    _row(builder, "ODX", SEQ="V1", DIAG="R509")["DIAG"] = "O800"  # person a is a man
    _row(builder, "ODX", SEQ="V2")["DIAG"] = "P599"  # an adult
    _row(builder, "IDX", AN="A1", DIAG="E119")["DIAG"] = "X999"
    _row(builder, "IOP", AN="A1")["OPER"] = "6859"
    problems, summary = found(builder, tmp_path, only=["code_tables"])
    assert sorted((p[0], p[1]) for p in problems) == [("203", "IDX"), ("204", "ODX"), ("205", "ODX"),
                                                       ("221", "IOP")]
    assert summary["tables_missing"] is False


def test_without_tables_codes_are_checked_for_format_only_and_the_summary_says_so(builder, tmp_path):
    _row(builder, "IDX", AN="A1", DIAG="E119")["DIAG"] = "X999"
    problems, summary = found(builder, tmp_path, only=["code_tables"])
    assert problems == [] and summary["tables_missing"] is True


def test_code_tables_with_the_real_thai_drg_tables(builder, tmp_path, request):
    try:
        from openuhc.drg.tables import install_tables  # type: ignore[attr-defined]
    except ImportError:
        pytest.skip("the drg app's table installer (openuhc.drg.tables.install_tables) is not there yet")
    tdrg_dir = request.getfixturevalue("tdrg_dir")
    install_tables(tdrg_dir)
    _row(builder, "IDX", AN="A1", DIAG="E119")["DIAG"] = "Q999Z"
    problems, summary = found(builder, tmp_path, only=["code_tables"])
    assert summary["tables_missing"] is False
    assert ("203", "IDX") in {(p[0], p[1]) for p in problems}


# --- unit_codes ---------------------------------------------------------------------------------------------
def test_unit_codes_must_be_the_senders_and_known(builder, tmp_path):
    _row(builder, "PAT", HN="H2")["HCODE"] = "99999"
    assert codes(builder, tmp_path, only=["unit_codes"]) == ["018", "156"]


# --- eligibility --------------------------------------------------------------------------------------------
def test_eligibility_unknown_dead_and_other_scheme(builder, tmp_path, world):
    from openuhc.registry import services as registry

    sss = world.people["sss"]
    builder.patient(hn="H3", cid=sss.citizen_id, dob=sss.birth_date, sex=1)
    builder.visit(hn="H3", seq="V3", on=SERVICE_DAY)
    builder.patient(hn="H4", cid="1101700203451", dob=date(1990, 1, 1), sex=2)
    builder.visit(hn="H4", seq="V4", on=SERVICE_DAY)
    registry.record_death(actor=None, person=world.people["b"], death_date=date(2025, 8, 1), source="test")
    problems, _ = found(builder, tmp_path, only=["eligibility"])
    assert sorted(p[0] for p in problems) == ["902", "903", "999"]


# --- op_referral --------------------------------------------------------------------------------------------
def _far_visit(builder, world, seq="V5", **kw):  # noqa: ANN001, ANN202
    far = world.people["far"]
    builder.patient(hn="H5", cid=far.citizen_id, dob=far.birth_date, sex=far.sex)
    builder.visit(hn="H5", seq=seq, on=SERVICE_DAY, **kw)


def test_op_referral_needed_outside_the_registered_unit_when_the_year_requires_it(builder, tmp_path, world):
    _far_visit(builder, world)
    params.set_value("claims.op_referral_required", True, valid_from=date(2025, 6, 1))
    assert codes(builder, tmp_path, only=["eligibility", "op_referral"]) == ["904"]


def test_op_referral_not_needed_for_an_emergency_or_with_a_referral(builder, tmp_path, world):
    params.set_value("claims.op_referral_required", True, valid_from=date(2025, 6, 1))
    _far_visit(builder, world, emergency="E")
    assert codes(builder, tmp_path, only=["eligibility", "op_referral"]) == []


def test_op_referral_relaxed_by_treatment_anywhere_from_a_date(builder, tmp_path, world):
    _far_visit(builder, world)
    params.set_value("claims.op_referral_required", True, valid_from=date(2024, 10, 1))
    params.set_value("claims.op_referral_required", False, valid_from=date(2025, 9, 1))
    assert codes(builder, tmp_path, only=["eligibility", "op_referral"]) == []


# --- switching rules per fiscal year --------------------------------------------------------------------------
def test_a_rule_switched_off_for_a_fiscal_year_does_not_run(builder, tmp_path):
    _row(builder, "CHT", SEQ="V1")["TOTAL"] = "999.00"
    params.set_value("claims.rule.charge_totals", False, valid_from=date(2024, 10, 1), valid_to=date(2025, 9, 30))
    assert codes(builder, tmp_path) == []
    _row(builder, "OPD", SEQ="V1")["DATEOPD"] = "20251003"  # now the month is in FY2569
    _row(builder, "OPD", SEQ="V2")["DATEOPD"] = "20251003"
    assert "399" in codes(builder, tmp_path, received=date(2025, 11, 1))


def test_a_person_added_later_is_found(builder, tmp_path, world):
    person = add_person(subdistrict=world.hospital_a.subdistrict, first="ใหม่")
    builder.patient(hn="H9", cid=person.citizen_id, dob=person.birth_date, sex=1)
    builder.visit(hn="H9", seq="V9", on=SERVICE_DAY)
    assert codes(builder, tmp_path, only=["eligibility"]) == []
