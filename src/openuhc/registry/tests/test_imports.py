from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from openuhc.core.importing import run_import
from openuhc.registry.imports import CoverageImporter, PersonImporter, RegistrationImporter
from openuhc.registry.models import Coverage, Person, Registration
from openuhc.testing.world import make_cid

HEADER = "citizen_id,first_name_th,last_name_th,sex,birth_date,subdistrict_code"


def _csv(tmp_path: Path, text: str, name: str = "people.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _ids(n: int) -> list[str]:
    return [make_cid(f"3560100{i:05d}") for i in range(n)]


def test_a_clean_file_of_persons_is_stored_whole(world, tmp_path):
    a, b = _ids(2)
    path = _csv(tmp_path, f"{HEADER},death_date\n{a},สมศรี,ดีใจ,2,17/05/2523,560101,\n"
                          f"{b},สมหมาย,ดีใจ,1,1979-01-02,560101,01/02/2568\n")
    report = run_import(PersonImporter(), path)
    assert report.ok and report.written == 2
    assert Person.objects.get(citizen_id=a).birth_date == date(1980, 5, 17)  # typed in BE, stored in CE
    assert Person.objects.get(citizen_id=b).death_date == date(2025, 2, 1)


def test_one_bad_row_stores_nothing_and_every_problem_is_reported(world, tmp_path):
    good, other = _ids(2)
    bad_check = good[:12] + str((int(good[12]) + 1) % 10)
    rows = [
        f"{good},สมศรี,ดีใจ,2,17/05/2523,560101",
        f"{bad_check},สมชาย,ดีใจ,1,17/05/2523,560101",      # bad check digit
        f"{other[:12]},สมชาย,ดีใจ,1,17/05/2523,560101",     # 12 digits
        f"{other},สมชาย,ดีใจ,3,31/02/2523,999999",          # bad sex, impossible date, unknown sub-district
        f"{good},ซ้ำ,ซ้ำ,2,17/05/2523,560101",              # duplicate of row 2
        f"{other},,ดีใจ,1,01/01/2700,560101",               # missing name, a BE year in the future
    ]
    report = run_import(PersonImporter(), _csv(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert report.written == 0 and Person.objects.filter(citizen_id__in=[good, other]).count() == 0
    found = {(e.row, e.field, e.code) for e in report.errors}
    assert (3, "citizen_id", "cid_bad_check_digit") in found
    assert (4, "citizen_id", "cid_length") in found
    assert {(5, "sex", "bad_sex"), (5, "birth_date", "date_no_such_day"),
            (5, "subdistrict_code", "geo_unknown_subdistrict")} <= found
    assert (6, "", "import_duplicate_row") in found
    assert (7, "first_name_th", "import_required") in found
    assert (7, "birth_date", "birth_in_future") in found
    duplicate = next(e for e in report.errors if e.code == "import_duplicate_row")
    assert "row 2" in duplicate.message_en and "แถวที่ 2" in duplicate.message_th


def test_a_person_already_in_the_registry_is_reported_not_duplicated(world, tmp_path):
    existing = world.people["a"]
    report = run_import(PersonImporter(), _csv(tmp_path, f"{HEADER}\n{existing.citizen_id},ก,ข,1,01/01/2500,560101\n"))
    assert [e.code for e in report.errors] == ["person_exists"]


@pytest.mark.parametrize(("header", "code", "named"), [
    ("citizen_id,first_name_th,sex,birth_date,subdistrict_code", "import_missing_columns", "last_name_th"),
    (HEADER + ",nickname", "import_unknown_columns", "nickname"),
    (HEADER + ",sex", "import_duplicate_column", "sex"),
])
def test_wrong_columns_are_refused_naming_the_columns(world, tmp_path, header, code, named):
    report = run_import(PersonImporter(), _csv(tmp_path, header + "\n"))
    assert report.errors[0].code == code and report.written == 0
    assert named in report.errors[0].message_en


@pytest.mark.parametrize(("content", "code"), [("", "import_empty_file"), (HEADER + "\n", "import_no_rows")])
def test_an_empty_file_is_refused(world, tmp_path, content, code):
    assert run_import(PersonImporter(), _csv(tmp_path, content)).errors[0].code == code


def test_a_tis620_file_is_read_as_thai(world, tmp_path):
    (cid,) = _ids(1)
    path = _csv(tmp_path, f"{HEADER}\n{cid},สมศรี,ดีใจ,2,17/05/2523,560101\n", encoding="cp874")
    assert run_import(PersonImporter(), path).written == 1
    assert Person.objects.get(citizen_id=cid).first_name_th == "สมศรี"


def test_an_excel_file_is_read_and_a_lost_leading_zero_is_explained(world, tmp_path):
    body = "001234567890"
    zero_id = make_cid(body)
    (plain,) = _ids(1)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([plain, "สมศรี", "ดีใจ", 2, date(1980, 5, 17), "560101"])
    sheet.append([int(zero_id), "ไร้", "สถานะ", 1, "01/01/2530", "560101"])  # Excel turned the ID into a number
    path = tmp_path / "people.xlsx"
    book.save(path)
    report = run_import(PersonImporter(), path)
    assert report.written == 0
    assert [(e.row, e.code) for e in report.errors] == [(3, "cid_length")]
    assert "has 11" in report.errors[0].message_en and "dropped the zero" in report.errors[0].message_en


def test_coverage_and_registrations_import_after_persons(world, tmp_path):
    person = world.people["sss"]
    (new_id,) = _ids(1)
    run_import(PersonImporter(), _csv(tmp_path, f"{HEADER}\n{new_id},ใหม่,มาก,1,01/01/2530,560101\n"))
    coverage = _csv(tmp_path, f"citizen_id,scheme,valid_from\n{new_id},UCS,01/10/2565\n"
                              f"{person.citizen_id},UCS,2025-01-01\n",
                    "coverage.csv")
    assert run_import(CoverageImporter(), coverage).written == 2
    assert Coverage.objects.get(person=person, scheme__code="SSS").valid_to == date(2024, 12, 31)
    registrations = _csv(tmp_path, "citizen_id,main_unit,primary_unit,referral_unit,effective_from\n"
                                   f"{new_id},56001,05601,56001,01/10/2565\n", "reg.csv")
    assert run_import(RegistrationImporter(), registrations).written == 1
    assert Registration.objects.get(person__citizen_id=new_id).main_unit.code == "56001"


def test_a_row_refused_while_storing_rolls_back_the_whole_file(world, tmp_path):
    a, b = world.people["a"], world.people["b"]
    path = _csv(tmp_path, "citizen_id,main_unit,primary_unit,referral_unit,effective_from\n"
                          f"{a.citizen_id},56002,05602,56001,01/01/2568\n"
                          f"{b.citizen_id},56001,05601,56001,01/01/2563\n",  # before b's current registration
                "reg.csv")
    report = run_import(RegistrationImporter(), path)
    assert report.written == 0
    assert [(e.row, e.code) for e in report.errors] == [(3, "registration_backdated")]
    assert Registration.objects.filter(person=a).count() == 1  # row 2 was rolled back


def test_unknown_units_and_schemes_are_named(world, tmp_path):
    cid = world.people["a"].citizen_id
    coverage = run_import(CoverageImporter(), _csv(tmp_path, f"citizen_id,scheme,valid_from\n{cid},XYZ,01/01/2568\n"))
    assert coverage.errors[0].code == "unknown_scheme" and "UCS" in coverage.errors[0].message_en
    reg = run_import(RegistrationImporter(), _csv(
        tmp_path, "citizen_id,main_unit,primary_unit,referral_unit,effective_from\n"
                  f"{cid},1234,05601,56001,01/01/2568\n",
        "r.csv"))
    assert reg.errors[0].code == "unknown_unit" and "1234" in reg.errors[0].message_en


def test_the_import_page_runs_the_import_and_shows_the_report(world, client_for):
    a, b = _ids(2)
    content = f"{HEADER}\n{a},สมศรี,ดีใจ,2,17/05/2523,560101\n{b},สมชาย,ดีใจ,9,17/05/2523,560101\n".encode()
    client = client_for("national")
    response = client.post("/imports/", {"kind": "persons", "file": SimpleUploadedFile("p.csv", content)}, follow=True)
    body = response.content.decode()
    assert "Nothing from this file was stored" in body and "Sex is 1 (male) or 2 (female)" in body
    job = response.context["job"]
    errors = client.get(f"/jobs/{job.pk}/errors.csv").getvalue().decode("utf-8-sig")
    assert "row,field,code" in errors and "bad_sex" in errors
    assert client_for("hospital").get(f"/jobs/{job.pk}/").status_code == 403
    fixed = content.replace(b",9,", b",1,")
    done = client.post("/imports/", {"kind": "persons", "file": SimpleUploadedFile("p.csv", fixed)}, follow=True)
    assert "Every row was stored" in done.content.decode()
    assert Person.objects.filter(citizen_id__in=[a, b]).count() == 2


def test_the_import_page_refuses_other_formats_and_other_roles(world, client_for):
    response = client_for("national").post("/imports/", {"kind": "persons",
                                                         "file": SimpleUploadedFile("p.pdf", b"%PDF")})
    assert "Send a .csv or .xlsx file" in response.content.decode()
    assert client_for("regional").post("/imports/", {}).status_code == 403


def test_the_import_command_exits_1_on_bad_rows_and_0_when_stored(world, tmp_path, capsys):
    (cid,) = _ids(1)
    bad = _csv(tmp_path, f"{HEADER}\n{cid},สมศรี,ดีใจ,7,17/05/2523,560101\n")
    with pytest.raises(SystemExit) as exited:
        call_command("import", "persons", str(bad), "--errors", str(tmp_path / "errors.csv"))
    assert exited.value.code == 1
    assert "bad_sex" in (tmp_path / "errors.csv").read_text(encoding="utf-8-sig")
    good = _csv(tmp_path, f"{HEADER}\n{cid},สมศรี,ดีใจ,2,17/05/2523,560101\n", "good.csv")
    call_command("import", "persons", str(good))
    assert "1 records stored" in capsys.readouterr().out
    with pytest.raises(SystemExit) as header_problem:
        call_command("import", "persons", str(_csv(tmp_path, "a,b\n1,2\n", "x.csv")))
    assert header_problem.value.code == 2
