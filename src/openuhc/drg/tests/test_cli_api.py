"""`openuhc drg group`, the JSON API and the page: the same grouping, clear errors for bad rows."""

from __future__ import annotations

import csv
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

HEADER = "an,pdx,sdx,proc,sex,age,age_days,admit_date,discharge_date,leave_days,discharge_type,admit_weight,drg\n"
ROWS = [
    "A1,J189,E119;N179,,1,60,,2026-01-01,2026-01-04,0,1,,",
    "A2,J189,,,1,60,,2026-01-01,2026-01-17,0,1,,04520",
    "A3,J189,,,x,30,,2026-01-01,2026-01-02,0,1,,",
    "A4,J189,,,1,30,,2026-01-05,2026-01-02,0,1,,",
    "A5,J189,,,1,30,,2026-13-05,2026-01-02,0,1,,",
]


def test_the_cli_groups_a_csv_and_marks_bad_rows(tables, tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + "\n".join(ROWS) + "\n")
    call_command("drg", "group", str(source), "--out", str(tmp_path / "out.csv"))
    assert "5 admissions grouped with TDRG 6.3" in capsys.readouterr().out
    rows = {r["an"]: r for r in csv.DictReader((tmp_path / "out.csv").open())}
    assert rows["A2"]["drg"] == "04520" and rows["A2"]["adjrw"] == "0.9511" and rows["A2"]["exact"] == "true"
    assert rows["A1"]["exact"] == "true" and rows["A1"]["reason"] == "decided by the tables"
    assert rows["A3"]["error"] == "bad_row" and "sex" in rows["A3"]["reason"]
    assert rows["A4"]["error"] == "negative_los"
    assert rows["A5"]["error"] == "bad_row" and "admit_date" in rows["A5"]["reason"]
    call_command("drg", "group", str(source), "--out", str(tmp_path / "out.parquet"))
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 5 and {"drg", "rw", "adjrw", "los", "exact", "reason"} <= set(table.column_names)


def test_the_cli_shares_the_cores_between_the_workers_and_polars(monkeypatch):
    """Polars sizes its one thread pool when it is imported: before that, workers get the cores divided."""
    from openuhc.drg.engine_functions import share_cores

    monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.delitem(sys.modules, "polars", raising=False)
    share_cores(1)
    assert "POLARS_MAX_THREADS" not in os.environ
    share_cores(2)
    assert os.environ["POLARS_MAX_THREADS"] == "4"
    monkeypatch.setenv("POLARS_MAX_THREADS", "3")  # an operator's choice stays
    share_cores(2)
    assert os.environ["POLARS_MAX_THREADS"] == "3"
    monkeypatch.delenv("POLARS_MAX_THREADS")
    monkeypatch.setitem(sys.modules, "polars", object())  # already imported: its pool is sized
    share_cores(2)
    assert "POLARS_MAX_THREADS" not in os.environ


def test_the_command_shares_the_cores_before_its_checks_import_polars(tmp_path):
    """Through `openuhc drg group` in a process of its own (Polars' pool is sized once per process): Django's
    checks load the URLs, which import Polars, so the cores are divided before them."""
    import subprocess
    import textwrap

    env = {k: v for k, v in os.environ.items() if k not in ("POLARS_MAX_THREADS", "OPENUHC_DATABASE_URL")}
    env |= {"OPENUHC_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "openuhc.settings"}
    script = textwrap.dedent(f"""
        from django.core.management import execute_from_command_line
        try:
            execute_from_command_line(["openuhc", "drg", "group", "{tmp_path / 'missing.csv'}", "--out",
                                       "{tmp_path / 'out.parquet'}", "--workers", "2"])
        except SystemExit:
            pass  # the input is missing: refused after the checks
        import polars
        print(polars.thread_pool_size())""")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,  # noqa: S603
                          timeout=120)
    assert "is not a file" in done.stderr
    assert int(done.stdout.split()[-1]) == max(1, (os.cpu_count() or 1) // 2)


def test_the_cli_refuses_what_it_cannot_use(tmp_path, db):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROWS[0] + "\n")
    with pytest.raises(CommandError, match="No Thai DRG table set is installed"):
        call_command("drg", "group", str(source), "--out", str(tmp_path / "out.csv"))
    with pytest.raises(CommandError, match="must end in"):
        call_command("drg", "group", str(source), "--out", str(tmp_path / "out.txt"))


def test_the_api_groups_one_case_and_a_batch(tables, world, client_for):
    case = {"an": "A1", "pdx": "J189", "sex": 1, "age": 60, "admit_date": "2026-01-01",
            "discharge_date": "2026-01-17", "drg": "04520"}
    response = client_for("hospital").post("/api/v1/drg/group", case, content_type="application/json")
    body = response.json()
    assert response.status_code == 200 and body["drg"] == "04520" and body["adjrw"] == "0.9511"
    assert body["trace"] and body["table_version"] == "6.3"
    batch = client_for("analyst").post("/api/v1/drg/group/batch", {"cases": [case, {**case, "pdx": "B962",
                                                                                       "drg": ""}]},
                                       content_type="application/json").json()
    assert [r["drg"] for r in batch["results"]] == ["04520", "26519"]
    assert client_for("localfund").post("/api/v1/drg/group", case, content_type="application/json").status_code == 403


def test_the_api_without_tables_says_so(world, client_for):
    response = client_for("national").post("/api/v1/drg/group", {"pdx": "J189", "admit_date": "2026-01-01",
                                                                 "discharge_date": "2026-01-02"},
                                           content_type="application/json")
    assert response.json()["code"] == "no_tables"


def test_the_page_shows_why_this_drg(tables, world, client_for):
    body = client_for("hospital").get("/drg/?pdx=J189&sdx=E119&sex=1&age=60&admit_date=2026-01-01"
                                      "&discharge_date=2026-01-04&group=1").content.decode()
    assert 'id="drg-result"' in body and "Why this DRG" in body and "Volume 2 p. 70" in body
    assert client_for("centre").get("/drg/").status_code == 403


def test_weigh_gives_the_adjrw_of_drgs_assigned_elsewhere(tables, tmp_path, capsys):
    source = tmp_path / "rep.csv"
    source.write_text("an,drg,admit_date,discharge_date,leave_days\n"
                      "R1,04520,2026-01-01,2026-01-17,0\n"
                      "R2,04520,2026-01-01,2026-01-01,\n"
                      "R3,99999,2026-01-01,2026-01-03,0\n"
                      "R4,04520,2026-01-05,2026-01-02,0\n"
                      "R5,04520,2026-01-05,,0\n")
    call_command("drg", "weigh", str(source), "--out", str(tmp_path / "out.csv"))
    assert "5 lines weighed" in capsys.readouterr().out
    rows = {r["an"]: r for r in csv.DictReader((tmp_path / "out.csv").open())}
    assert rows["R1"]["adjrw"] == "0.9511" and rows["R1"]["los"] == "16" and rows["R1"]["rule"] == "tdrg63:mdf"
    assert rows["R2"]["adjrw"] == "0.5152"
    assert rows["R3"]["error"] == "unknown_drg" and rows["R4"]["error"] == "negative_los"
    assert rows["R5"]["error"] == "dates_missing"


def test_the_outlier_factor_is_a_dated_parameter(tables, tmp_path):
    from datetime import date

    from openuhc.core.params import set_value
    from openuhc.drg.services import weigh_table

    set_value("drg.outlier_factor", "1", valid_from=date(2026, 3, 1), note="test")
    table = pa.table({"drg": ["06072", "06072"], "admit_date": ["2026-01-01", "2026-03-01"],
                      "discharge_date": ["2026-02-15", "2026-04-15"], "leave_days": ["0", "0"]})
    out = weigh_table(table).to_pylist()
    assert [r["rule"] for r in out] == ["tdrg63:mdf", "tdrg63:1"]
    assert [str(r["adjrw"]) for r in out] == ["5.0908", "6.3744"]  # LOS 45: OF = MDF 0.67, then OF = 1.0
