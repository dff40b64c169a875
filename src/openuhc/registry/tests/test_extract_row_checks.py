"""The registry file merge where the database role may not switch off the per-row foreign-key checks: the same
load and delta, with the database checking every written row at commit."""

from __future__ import annotations

from datetime import date

from openuhc.registry import extract
from openuhc.registry.eligibility import check_eligibility
from openuhc.registry.models import Person
from openuhc.registry.tests.test_extract import C, _row, _write


def test_a_load_and_a_delta_give_the_same_registry_with_the_database_checking_every_row(world, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setattr(extract, "_skip_row_checks", lambda *args, **kwargs: False)
    report, record = extract.apply_extract(_write(tmp_path / "load.csv", [_row(C[0]), _row(C[1])]), mode="load")
    assert report.ok and record.added == 2 and record.detail["row_checks"] == "by the database"
    rows = [_row(C[0], death_date="2025-09-02"), _row(C[1], main_unit="56002", primary_unit="05602",
                                                      registered_from="2025-08-01"),
            _row(C[4], birth_date="2025-08-30", coverage_from="2025-08-30", registered_from="2025-08-30")]
    report, record = extract.apply_extract(_write(tmp_path / "delta.csv", rows), mode="delta")
    assert report.ok, report.errors
    assert (record.added, record.changed) == (1, 2)
    assert not check_eligibility(C[0], date(2025, 9, 3)).eligible
    assert Person.objects.get(citizen_id=C[1]).current_registration.main_unit.code == "56002"
    assert check_eligibility(C[4], date(2025, 9, 1)).registration.main_unit.code == "56001"
