"""`openuhc claims check` (exit 0/1/2, the CSV report) and `openuhc claims submit`."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.management import call_command

from openuhc.claims.models import Claim, Submission


def _run(*args: str) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("claims", *args, stdout=out)
    except SystemExit as stop:
        return int(stop.code), out.getvalue()
    return 0, out.getvalue()


def test_check_exits_0_on_a_clean_submission_and_stores_nothing(builder, tmp_path):
    code, out = _run("check", str(builder.write(tmp_path / "s")), "--unit", "56001", "--received", "2025-10-05")
    assert code == 0 and "problems: 0" in out
    assert not Submission.objects.exists()


def test_check_exits_1_and_writes_every_problem_to_the_report(builder, tmp_path):
    next(r for r in builder.rows["OPD"] if r["SEQ"] == "V1")["DATEOPD"] = "25680903"
    report = tmp_path / "report.csv"
    code, out = _run("check", str(builder.write(tmp_path / "s")), "--unit", "56001", "--received", "2025-10-05",
                     "--report", str(report), "--json")
    assert code == 1
    summary = json.loads(out)
    assert summary["problems_by_code"] == {"013": 1} and summary["rejected_op"] == 1
    with report.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["file", "line", "field", "code", "message_th", "message_en"]
    assert rows[1][:4] == ["OPD", "2", "DATEOPD", "013"] and "พ.ศ." in rows[1][4] and "Buddhist Era" in rows[1][5]


def test_check_exits_2_when_the_input_is_unusable(db, tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    code, out = _run("check", str(tmp_path / "x.zip"))
    assert code == 2 and "unusable" in out


def test_submit_stores_for_a_unit_and_refuses_an_unknown_unit(builder, tmp_path, world):
    code, out = _run("submit", str(builder.write(tmp_path / "s")), "--unit", "56001", "--user", "hospital")
    assert code == 0 and "accepted 3" in out
    assert Claim.objects.count() == 3 and Submission.objects.get().received_by == world.users["hospital"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no health unit"):
        _run("submit", str(tmp_path / "s"), "--unit", "99999")
