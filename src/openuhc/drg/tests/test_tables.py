"""Installing the official tables, and the edits they carry (real codes from TDRG 6.3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from openuhc.core.errors import DomainError
from openuhc.drg.tables import active_tables, install_tables

pytestmark = pytest.mark.django_db


def test_without_tables_nothing_is_active_and_the_page_says_so(client_for, world):
    assert active_tables() is None
    body = client_for("hospital").get("/drg/").content.decode()
    assert 'id="no-tables"' in body and "openuhc tables install" in body


def test_install_reads_all_four_tables(tdrg_dir, capsys):
    call_command("tables", "install", str(tdrg_dir))
    out = capsys.readouterr().out
    assert "diagnoses 14,969 rows" in out and "drgs 1,546 rows" in out and "ccex 243,919 rows" in out
    tables = active_tables(on=date(2026, 3, 1))
    assert tables.version == "6.3"
    assert tables.drg("04520").rw == D("0.5661") and tables.drg("04520").ot == 11
    with pytest.raises(CommandError, match="already installed"):
        call_command("tables", "install", str(tdrg_dir))
    call_command("tables", "install", str(tdrg_dir), "--replace")


def test_a_table_set_applies_from_its_date(tdrg_dir):
    install_tables(tdrg_dir, valid_from=date(2026, 10, 1))
    assert active_tables(on=date(2026, 9, 30)) is None
    assert active_tables(on=date(2026, 10, 1)).version == "6.3"


def test_a_folder_without_the_tables_gets_a_clear_error(tmp_path):
    with pytest.raises(DomainError) as error:
        install_tables(tmp_path)
    assert error.value.code == "tables_missing_file"
    (tmp_path / "c63i10.dbf").write_bytes(b"not a dbf")
    for name in ("c63proc.dbf", "c63drg.dbf", "c63ccex.dbf"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(DomainError) as error:
        install_tables(tmp_path)
    assert error.value.code == "tables_unreadable"
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("tables", "install", str(tmp_path / "nowhere"))


def test_sex_specific_rows_and_the_edits(tables):
    # A51.0 has a male row in MDC 12 and a female row in MDC 13
    assert tables.diagnosis("A51.0", sex=1).mdc == "12" and tables.diagnosis("A510", sex=2).mdc == "13"
    assert tables.diagnosis_problem("O800", sex=1, age_years=30) == "sex_conflict"  # delivery, female only
    assert tables.diagnosis_problem("O800", sex=2, age_years=5) == "age_conflict"  # maternity 9–60
    assert tables.diagnosis_problem("P073", sex=2, age_years=30) == "age_conflict"  # perinatal, age 0
    assert tables.diagnosis_problem("J189", sex=2, age_years=30) is None
    assert tables.diagnosis_problem("S82201D", sex=2, age_years=30) == "unknown_code"  # no prefix fallback
    assert tables.procedure_problem("6812", sex=1) == "sex_conflict"  # hysteroscopy
    assert tables.procedure_problem("9999999", sex=1) == "unknown_code"
