"""The national registry file: an initial load, then a monthly delta (births, deaths, moves, name, scheme and unit
changes) merged set-based; a file with any bad row stores nothing and names every bad row."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from openuhc.core.errors import DomainError
from openuhc.registry.eligibility import check_eligibility
from openuhc.registry.extract import OPTIONAL, REQUIRED, apply_extract
from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent, RegistryImport
from openuhc.testing.world import make_cid

C = [make_cid(f"3{n:011d}") for n in range(6)]


def _row(cid: str, **changes: str) -> dict[str, str]:
    row = {"citizen_id": cid, "title": "นาย", "first_name_th": "สมชาย", "last_name_th": "ใจดี", "first_name_en": "",
           "last_name_en": "", "sex": "1", "birth_date": "1980-05-17", "subdistrict_code": "560101",
           "death_date": "", "scheme": "UCS", "coverage_from": "2002-10-01", "main_unit": "56001",
           "primary_unit": "05601", "referral_unit": "56001", "registered_from": "2021-01-01"}
    row.update(changes)
    return row


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(REQUIRED + OPTIONAL))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def loaded(world, tmp_path):  # noqa: ANN001, ANN201
    rows = [_row(C[0]), _row(C[1], first_name_th="สมหญิง", sex="2"), _row(C[2], scheme="SSS", main_unit="",
                                                                          primary_unit="", referral_unit="",
                                                                          registered_from=""),
            _row(C[3], birth_date="17/05/2523")]  # a Buddhist Era date, as the row import reads it
    report, record = apply_extract(_write(tmp_path / "load.csv", rows), mode="load")
    assert report.ok, report.errors
    return record


def test_an_initial_load_adds_every_person_with_coverage_registration_and_events(loaded):
    assert (loaded.status, loaded.added, loaded.changed, loaded.rows_read) == ("stored", 4, 0, 4)
    person = Person.objects.get(citizen_id=C[0])
    assert person.current_registration.main_unit.code == "56001"
    assert Person.objects.get(citizen_id=C[3]).birth_date == date(1980, 5, 17)
    assert check_eligibility(C[0], date(2025, 9, 1)).eligible
    assert check_eligibility(C[2], date(2025, 9, 1)).coverage.scheme.code == "SSS"
    # one event per person added, naming the scheme and units they were added with
    added = RegistryEvent.objects.get(person=person)
    assert added.kind == "person_added"
    assert {k: added.detail[k] for k in ("scheme", "coverage_from", "main", "primary", "registered_from")} == {
        "scheme": "UCS", "coverage_from": "2002-10-01", "main": "56001", "primary": "05601",
        "registered_from": "2021-01-01"}
    assert "main" not in RegistryEvent.objects.get(person__citizen_id=C[2]).detail  # SSS: no units


def test_a_delta_applies_births_deaths_moves_names_schemes_and_units(loaded, tmp_path):
    rows = [_row(C[0], death_date="2025-09-02"),  # died
            # married and moved
            _row(C[1], first_name_th="สมหญิง", sex="2", last_name_th="ใจงาม", subdistrict_code="560201"),
            _row(C[2], scheme="UCS", coverage_from="2025-09-01", main_unit="56002", primary_unit="05602",
                 referral_unit="56001", registered_from="2025-09-01"),  # left social security for UCS
            _row(C[3], birth_date="1980-05-17", main_unit="56002", primary_unit="05602",
                 registered_from="2025-08-01"),  # changed unit
            _row(C[4], birth_date="2025-08-30", coverage_from="2025-08-30", registered_from="2025-08-30")]  # born
    report, record = apply_extract(_write(tmp_path / "delta.csv", rows), mode="delta")
    assert report.ok, report.errors
    assert (record.added, record.changed, record.unchanged) == (1, 4, 0)
    assert not check_eligibility(C[0], date(2025, 9, 3)).eligible
    moved = Person.objects.get(citizen_id=C[1])
    assert (moved.last_name_th, moved.subdistrict.code) == ("ใจงาม", "560201")
    changed = RegistryEvent.objects.get(person=moved, kind="person_changed")
    assert changed.detail["last_name_th"] == "ใจดี"
    assert "first_name_th" not in changed.detail  # only what changed
    switched = Person.objects.get(citizen_id=C[2])
    assert list(Coverage.objects.filter(person=switched).order_by("valid_from").values_list(
        "scheme__code", "valid_to")) == [("SSS", date(2025, 8, 31)), ("UCS", None)]
    assert check_eligibility(C[2], date(2025, 8, 31)).coverage.scheme.code == "SSS"
    assert check_eligibility(C[2], date(2025, 9, 1)).registration.main_unit.code == "56002"
    unit_change = Person.objects.get(citizen_id=C[3]).current_registration
    assert (unit_change.main_unit.code, unit_change.is_change) == ("56002", True)
    assert Registration.objects.filter(person__citizen_id=C[3]).count() == 2
    assert Person.objects.get(citizen_id=C[4]).birth_date == date(2025, 8, 30)
    # the same file again is refused: a delta is applied once
    with pytest.raises(DomainError):
        apply_extract(tmp_path / "delta.csv", mode="delta")


def test_a_file_with_bad_rows_stores_nothing_and_names_every_bad_row(loaded, tmp_path):
    rows = [_row(C[4]), _row("1234567890123"), _row(C[5], sex="x", birth_date="31/02/2020"),
            _row(C[4]), _row(C[0], subdistrict_code="999999", scheme="XYZ", main_unit="99999")]
    before = (Person.objects.count(), RegistryEvent.objects.count(), Coverage.objects.count())
    report, record = apply_extract(_write(tmp_path / "bad.csv", rows), mode="delta")
    assert record.status == "refused" and record.refused == 4
    found = sorted((e.row, e.field, e.code) for e in report.errors)
    assert found == [(3, "citizen_id", "cid_bad_check_digit"), (4, "birth_date", "date_no_such_day"),
                     (4, "sex", "bad_sex"), (5, "citizen_id", "import_duplicate_row"),
                     (6, "main_unit", "unknown_unit"), (6, "scheme", "unknown_scheme"),
                     (6, "subdistrict_code", "geo_unknown_subdistrict")]
    assert (Person.objects.count(), RegistryEvent.objects.count(), Coverage.objects.count()) == before


def test_an_initial_load_refuses_people_already_there_and_a_delta_refuses_overlapping_periods(loaded, tmp_path):
    report, record = apply_extract(_write(tmp_path / "again.csv", [_row(C[5]), _row(C[0], title="นาง")]), mode="load")
    assert [(e.row, e.code) for e in report.errors] == [(3, "person_exists")]
    assert not Person.objects.filter(citizen_id=C[5]).exists()
    report, _ = apply_extract(_write(tmp_path / "overlap.csv", [_row(C[2], coverage_from="2001-01-01")]),
                              mode="delta")
    assert [(e.row, e.code) for e in report.errors] == [(2, "coverage_overlap")]


def test_the_import_command_takes_a_mode(world, tmp_path, capsys):
    call_command("import", "persons", str(_write(tmp_path / "p.csv", [_row(C[0])])), "--mode", "load")
    assert "added 1" in capsys.readouterr().out
    assert RegistryImport.objects.get().added == 1
