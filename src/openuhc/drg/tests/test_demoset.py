"""The demonstration table set: invented, in the official formats, installed the normal way, and said to be
not official wherever it is used."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from openuhc.drg.demoset import DEMO_VERSION, install_demo_set, is_demo, write_demo_set
from openuhc.drg.grouper import Case, group
from openuhc.drg.tables import active_tables

pytestmark = pytest.mark.django_db


def test_the_set_is_written_in_the_official_file_formats(tmp_path):
    from dbfread import DBF

    folder = write_demo_set(tmp_path / "demo")
    for name, column in (("c63i10", "PDC"), ("c63proc", "ORP"), ("c63drg", "RW"), ("c63ccex", "NOTFOR10")):
        table = DBF(str(folder / f"{name}.dbf"), encoding="cp874")
        assert column in table.field_names and len(list(table)) > 0
    manual = folder / "manual"
    headers = {name: next(csv.reader((manual / name).open(encoding="utf-8")))
               for name in ("dc_pcl_drg.csv", "proc_pdc.csv", "dx_ax.csv", "proc_ax.csv")}
    assert headers == {"dc_pcl_drg.csv": ["drg", "dc", "pcl_min", "pcl_max"], "proc_pdc.csv": ["mdc", "proc", "pdc"],
                       "dx_ax.csv": ["ax", "code"], "proc_ax.csv": ["pax", "proc"]}
    dcl = json.loads((manual / "dcl.json").read_text(encoding="utf-8"))
    assert all(len(levels) == len(dcl["dcs"]) for levels in dcl["codes"].values())
    # the same content gives the same bytes (and so the same install key)
    again = write_demo_set(tmp_path / "again")
    assert (again / "c63drg.dbf").read_bytes() == (folder / "c63drg.dbf").read_bytes()


def test_installed_the_normal_way_it_groups_the_demo_codes_and_names_them(settings, tmp_path):
    record = install_demo_set()
    assert record.version == DEMO_VERSION and is_demo(record.version) and not is_demo("6.3")
    tables = active_tables(on=date(2026, 11, 15))
    assert tables is not None and tables.version == DEMO_VERSION
    pneumonia = group(Case(pdx="J189", sdx=["E119"], sex=1, age=60, admit_date=date(2026, 11, 1),
                           discharge_date=date(2026, 11, 5)), tables)
    assert pneumonia.drg.startswith("0452") and pneumonia.exact and pneumonia.adjrw is not None and pneumonia.adjrw > 0
    appendix = group(Case(pdx="K358", procedures=["4709"], sex=2, age=30, admit_date=date(2026, 11, 1),
                          discharge_date=date(2026, 11, 3)), tables)
    assert appendix.drg == "06140" and appendix.mdc == "06" and appendix.exact
    assert tables.diagnosis_name("J189", "th") == "ปอดอักเสบ ไม่ระบุรายละเอียด"
    assert tables.diagnosis_name("J189", "en") == "Pneumonia, unspecified"
    assert tables.procedure_name("4709", "th") == "ผ่าตัดไส้ติ่ง"
    assert tables.drg("04520").name.startswith("Demo")


def test_the_drg_page_says_the_set_is_not_official(client_for, world):
    install_demo_set()
    body = client_for("hospital").get("/drg/?pdx=J189&sex=1&age=60&admit_date=1/11/2569&discharge_date=5/11/2569"
                                      "&group=1").content.decode()
    assert 'id="demo-tables"' in body and "not official" in body
    assert 'id="drg-result"' in body and "DRG 0452" in body


def test_a_case_typed_with_buddhist_era_dates_is_grouped_and_a_bad_date_is_explained(client_for, world):
    install_demo_set()
    client = client_for("hospital")
    body = client.get("/drg/?pdx=J189&sex=1&age=60&admit_date=1/11/2569&discharge_date=5/11/2569&group=1")
    assert "length of stay (days)" in body.content.decode()
    bad = client.get("/drg/?pdx=J189&sex=1&age=60&admit_date=31/02/2569&group=1").content.decode()
    assert "There is no day 31 in month 2" in bad and 'id="drg-result"' not in bad
