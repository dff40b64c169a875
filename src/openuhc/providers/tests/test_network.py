from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openuhc.core.errors import DomainError
from openuhc.core.importing import run_import
from openuhc.providers import services
from openuhc.providers.imports import UnitImporter
from openuhc.providers.models import HealthUnit, Ownership


def test_a_transfer_to_the_pao_is_kept_as_dated_history(world):
    unit = world.shph_a
    services.transfer_ownership(actor=world.users["national"], unit=unit, to_owner=world.pao_owner,
                                on=date(2023, 10, 1), note="transfer")
    unit.refresh_from_db()
    assert unit.owner == world.pao_owner
    assert services.owner_on(unit, date(2023, 9, 30)) == world.moph
    assert services.owner_on(unit, date(2023, 10, 1)) == world.pao_owner
    history = list(Ownership.objects.filter(unit=unit).order_by("valid_from").values_list("owner__code", "valid_from"))
    assert history == [("MOPH", date(2010, 10, 1)), ("PAO-56", date(2023, 10, 1))]


def test_a_transfer_cannot_be_backdated_or_repeat_the_owner(world):
    with pytest.raises(DomainError) as backdated:
        services.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2009, 1, 1))
    assert backdated.value.code == "unit_owner_backdated"
    with pytest.raises(DomainError) as same:
        services.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.moph, on=date(2024, 1, 1))
    assert same.value.code == "unit_same_owner"


def test_a_unit_code_keeps_its_leading_zero(world):
    assert HealthUnit.objects.get(code="05601").code == "05601"
    for bad in ("5601", "056010", "0560a"):
        with pytest.raises(DomainError) as caught:
            services.validate_unit_code(bad)
        assert caught.value.code == "unit_bad_code"


def test_a_unit_moves_to_another_cup_with_history(world):
    services.set_cup(actor=None, unit=world.shph_a, cup=world.hospital_b.led_cup, on=date(2024, 10, 1))
    world.shph_a.refresh_from_db()
    assert world.shph_a.cup.code == "56002"
    history = world.shph_a.cup_history.order_by("valid_from").values_list("cup__code", flat=True)
    assert list(history) == ["56001", "56002"]


def test_the_unit_page_shows_owner_history_cup_and_referrals(world, client_for):
    services.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=date(2023, 10, 1))
    body = client_for("hospital").get("/units/05601/").content.decode()
    assert "Ownership history" in body and "Phayao PAO" in body and "Ministry of Public Health" in body
    assert "1 Oct 2023" in body and "Hospital A" in body
    cup_page = client_for("hospital").get("/units/56001/").content.decode()
    assert "Units of the CUP this unit leads" in cup_page and "05601" in cup_page


def test_a_regional_officer_records_a_transfer_from_the_page(world, client_for):
    response = client_for("regional").post("/units/05601/transfer/", {
        "owner": world.pao_owner.pk, "on": "01/10/2566", "note": "PAO transfer"}, follow=True)
    assert "The transfer was recorded" in response.content.decode()
    assert services.owner_on(world.shph_a, date(2023, 10, 1)) == world.pao_owner
    assert client_for("hospital").post("/units/05601/transfer/", {}).status_code == 403
    assert client_for("regional2").post("/units/05601/transfer/", {}).status_code == 403


def test_units_import_all_or_nothing(world, tmp_path: Path):
    header = "code,name_th,unit_type,subdistrict_code,owner,owner_since,cup"
    good = tmp_path / "units.csv"
    good.write_text(f"{header}\n05603,รพ.สต.ซี,shph,560102,MOPH,01/10/2553,56001\n07777,คลินิก,clinic,560101,PRIVATE,2020-01-01,\n",
                    encoding="utf-8")
    assert run_import(UnitImporter(), good).written == 2
    assert HealthUnit.objects.get(code="05603").cup.code == "56001"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}\n05604,ก,shph,560102,MOPH,01/10/2553,\n5605,ข,spaceship,000000,NOBODY,2020-13-01,99999\n"
                   f"05604,ค,shph,560102,MOPH,01/10/2553,\n", encoding="utf-8")
    report = run_import(UnitImporter(), bad)
    assert report.written == 0 and not HealthUnit.objects.filter(code="05604").exists()
    codes = {(e.row, e.code) for e in report.errors}
    assert {(3, "unit_bad_code"), (3, "unit_unknown_type"), (3, "geo_unknown_subdistrict"), (3, "unit_unknown_owner"),
            (3, "date_no_such_month"), (3, "unit_not_a_cup"), (4, "import_duplicate_row")} <= codes
