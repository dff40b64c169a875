"""A hospital user's search by name finds exactly the people registered with their unit now: after a change of
registration through the service, and through the national file (a first load, then a delta)."""

from __future__ import annotations

from datetime import date

from openuhc.registry import services
from openuhc.registry.extract import apply_extract
from openuhc.registry.tests.test_extract import C, _row, _write
from openuhc.registry.tests.test_extract_first_load import _empty_registry
from openuhc.registry.tests.test_name_search import _names
from openuhc.testing.world import add_person


def test_a_registration_moved_by_the_service_moves_the_person_between_units_searches(world, client_for):
    person = add_person(subdistrict=world.people["a"].subdistrict, first="ย้ายหน่วย", last="ทดสอบ")
    services.register(actor=None, person=person, main_unit=world.hospital_b, primary_unit=world.hospital_b,
                      referral_unit=world.hospital_b, effective_from=date(2025, 1, 1))
    assert _names(client_for("hospital2"), "ย้าย") == ["ย้ายหน่วย ทดสอบ"]
    assert _names(client_for("hospital"), "ย้าย") == []
    services.register(actor=None, person=person, main_unit=world.hospital_a, primary_unit=world.hospital_a,
                      referral_unit=world.hospital_a)
    assert _names(client_for("hospital"), "ย้าย") == ["ย้ายหน่วย ทดสอบ"]
    assert _names(client_for("hospital2"), "ย้าย") == []


def test_a_registration_moved_by_the_national_file_moves_the_person_between_units_searches(world, client_for,
                                                                                           tmp_path):
    _empty_registry()  # a first load (PostgreSQL: the load's shorter way), then a delta
    at_b = {"main_unit": "56002", "primary_unit": "05602", "referral_unit": "56002"}
    rows = [_row(C[0], first_name_th="ย้ายหน่วย", last_name_th="ทดสอบ", **at_b),
            _row(C[1], first_name_th="ย้ายไม่", last_name_th="ทดสอบ")]
    report, _record = apply_extract(_write(tmp_path / "load.csv", rows), mode="load")
    assert report.ok, report.errors
    assert _names(client_for("hospital2"), "ย้าย") == ["ย้ายหน่วย ทดสอบ"]
    assert _names(client_for("hospital"), "ย้าย") == ["ย้ายไม่ ทดสอบ"]
    rows[0] = _row(C[0], first_name_th="ย้ายหน่วย", last_name_th="ทดสอบ", registered_from="2025-08-01")  # to A
    rows[1] = _row(C[1], first_name_th="ย้ายไม่", last_name_th="ทดสอบ", registered_from="2025-08-01", **at_b)
    report, _record = apply_extract(_write(tmp_path / "delta.csv", rows), mode="delta")
    assert report.ok, report.errors
    assert _names(client_for("hospital"), "ย้าย") == ["ย้ายหน่วย ทดสอบ"]
    assert _names(client_for("hospital2"), "ย้าย") == ["ย้ายไม่ ทดสอบ"]
