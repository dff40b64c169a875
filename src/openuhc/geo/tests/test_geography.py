from __future__ import annotations

from pathlib import Path

import pytest

from openuhc.core.errors import DomainError
from openuhc.core.importing import run_import
from openuhc.geo.imports import LocalGovernmentImporter
from openuhc.geo.models import District, LocalGovernment, Province, Region, Subdistrict
from openuhc.geo.services import load_geography, load_region_mapping


def test_the_whole_country_comes_from_geothai_with_official_codes(geography):
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    phayao = Province.objects.get(code="56")
    assert (phayao.name_th, phayao.name_en) == ("พะเยา", "Phayao")
    assert Subdistrict.objects.get(code="560101").district.code == "5601"


def test_loading_again_changes_nothing(geography):
    before = Subdistrict.objects.count()
    counts = load_geography()
    assert counts.subdistricts == before == 7436


def test_every_province_is_in_one_of_13_regions(geography):
    assert Region.objects.count() == 13
    assert not Province.objects.filter(region__isnull=True).exists()
    assert Province.objects.get(code="10").region.number == 13
    assert Province.objects.get(code="56").region.number == 1
    assert Province.objects.filter(region__number=1).count() == 8


def test_a_different_region_mapping_can_be_loaded(geography, tmp_path: Path):
    mapping = tmp_path / "regions.csv"
    mapping.write_text("region,name_th,name_en,province_codes\n14,ทดลอง,Trial,56 57\n", encoding="utf-8")
    load_region_mapping(mapping)
    assert Province.objects.get(code="56").region.number == 14


@pytest.mark.parametrize(("content", "detail"), [
    ("region,name_th,name_en,province_codes\n1,ก,A,56\n2,ข,B,56\n", "already in region 1"),
    ("region,name_th,name_en,province_codes\n1,ก,A,99\n", "no province 99"),
    ("number,name\n1,x\n", "header"),
])
def test_a_broken_region_mapping_is_refused_and_changes_nothing(geography, tmp_path: Path, content, detail):
    mapping = tmp_path / "regions.csv"
    mapping.write_text(content, encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        load_region_mapping(mapping)
    assert detail in caught.value.message_en
    assert Province.objects.get(code="56").region.number == 1


def test_local_governments_import_with_their_subdistricts(geography, tmp_path: Path):
    path = tmp_path / "lg.csv"
    path.write_text("code,kind,name_th,province_code,subdistrict_codes,population\n"
                    "5601011,เทศบาลเมือง,เทศบาลเมืองพะเยา,56,560101;560102,\"12,345\"\n"
                    "5601041,sao,อบต.บ้านต๋อม,56,560104,4567\n", encoding="utf-8")
    report = run_import(LocalGovernmentImporter(), path)
    assert report.ok and report.written == 2
    town = LocalGovernment.objects.get(code="5601011")
    assert town.kind == "town" and town.population == 12345
    assert sorted(town.subdistricts.values_list("code", flat=True)) == ["560101", "560102"]


def test_local_government_rows_with_problems_are_all_reported(geography, tmp_path: Path):
    path = tmp_path / "lg.csv"
    path.write_text("code,kind,name_th,province_code,subdistrict_codes,population\n"
                    "12,castle,ก,99,500101;999999,-5\n"
                    "5601031,sao,ข,56,500101,10\n", encoding="utf-8")
    report = run_import(LocalGovernmentImporter(), path)
    codes = {(e.row, e.code) for e in report.errors}
    assert {(2, "geo_bad_lg_code"), (2, "geo_unknown_lg_kind"), (2, "geo_unknown_province"),
            (2, "geo_unknown_subdistrict"), (2, "geo_bad_population"), (3, "geo_subdistrict_other_province")} <= codes
    assert not LocalGovernment.objects.exists()


def test_the_geography_pages_browse_down_to_subdistricts(world, client_for):
    client = client_for("analyst")
    assert "Phayao" in client.get("/geo/").content.decode()
    province = client.get("/geo/province/56/").content.decode()
    assert "Mueang Phayao" in province and "Test Town" in province
    district = client.get("/geo/district/5601/").content.decode()
    assert "560101" in district and "Test Town" in district
