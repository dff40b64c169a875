"""`openuhc payment rounds …` and `openuhc payment statement …`: scripted rounds, refused with a code and a
non-zero exit when the workflow says no (four eyes, not permitted, already computed)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from openuhc.payment.models import PaymentRun

pytestmark = pytest.mark.django_db


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("payment", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_a_capitation_round_is_started_computed_checked_approved_and_published_by_script(world, population, officers,
                                                                                          tmp_path):
    code, out, _ = run_cli("rounds", "start", "--region", str(world.province.region.number), "--kind", "capitation",
                           "--period", "2569-01", "--user", "regional")
    run = PaymentRun.objects.get()
    assert code == 0 and f"round {run.pk}\tFY2569 round 1\tcapitation" in out and run.period.isoformat() == "2026-01-01"
    assert run_cli("rounds", "compute", str(run.pk), "--user", "regional")[0] == 0
    code, _, err = run_cli("rounds", "compute", str(run.pk), "--user", "national")
    assert code == 1 and "payment_already_computed" in err
    code, _, err = run_cli("rounds", "advance", str(run.pk), "--user", "regional")
    assert code == 1 and "payment_same_person" in err and "someone other than the person who computed it" in err
    for user in ("national", "national2", "national"):
        assert run_cli("rounds", "advance", str(run.pk), "--user", user)[0] == 0
    code, out, _ = run_cli("rounds", "show", str(run.pk))
    assert code == 0 and "published" in out and "event\t" in out and "\tpublished\tnational\t" in out
    target = tmp_path / "statement.csv"
    assert run_cli("statement", "56001", str(run.pk), "--out", str(target))[0] == 0
    with target.open(encoding="utf-8-sig") as handle:
        assert next(csv.reader(handle))[:2] == ["round", "claim"]
    xlsx = tmp_path / "statement.xlsx"
    code, out, _ = run_cli("statement", "56001", str(run.pk), "--format", "xlsx", "--out", str(xlsx))
    assert code == 0 and "net 309.11" in out
    assert load_workbook(xlsx).sheetnames == ["Summary", "Capitation", "Claims"]
    pdf = tmp_path / "statement.pdf"
    assert run_cli("statement", "56001", str(run.pk), "--format", "pdf", "--out", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    code, _, err = run_cli("statement", "65001", str(run.pk))
    assert code == 1 and "payment_not_in_round" in err


@pytest.mark.parametrize(("args", "error"), [
    (["--kind", "ip", "--user", "regional"], "payment_cutoff_required"),
    (["--kind", "ip", "--cutoff", "15/01/2569", "--user", "hospital"], "payment_not_allowed"),
    (["--kind", "ip", "--cutoff", "15/01/2569", "--user", "nobody"], "payment_unknown_user"),
    (["--kind", "ip", "--cutoff", "15/13/2569", "--user", "regional"], "date_no_such_month"),
    (["--kind", "year-end", "--period", "2026-03", "--user", "regional"], "payment_year_end_period"),
])
def test_refusals_exit_non_zero_with_the_code_and_both_messages(world, budget, args, error):
    code, _, err = run_cli("rounds", "start", "--region", str(world.province.region.number), *args)
    assert code == 1 and err.count(error) == 2 and not PaymentRun.objects.exists()


def test_an_inpatient_round_by_cut_off_and_the_list(world, budget):
    code, out, _ = run_cli("rounds", "start", "--region", "1", "--kind", "ip", "--cutoff", "2026-01-15",
                           "--user", "national")
    assert code == 0 and "FY2569 round 1\tip" in out
    run = PaymentRun.objects.get()
    assert run.cutoff.isoformat() == "2026-01-15"
    assert run_cli("rounds", "compute", str(run.pk), "--user", "national")[0] == 0  # nothing received: 0 claims
    code, out, _ = run_cli("rounds", "list", "--kind", "ip")
    assert code == 0 and out.count("\n") == 1 and "claims 0" in out and PaymentRun.objects.get().computed_at
    assert run_cli("rounds", "show", "999")[0] == 1
