"""The annual statement (PDF in Thai, Excel) and the warnings."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from openuhc.localfund import reports, services
from openuhc.localfund.tests.conftest import YEAR, fund_money, submit


def _year_with_a_closed_project(world, committee):  # noqa: ANN001, ANN202
    fund = world.fund
    fund_money(fund, "100000.00")
    services.record_income(actor=None, fund=fund, year=YEAR, kind="cofunding", amount="60000",
                           received_on=date(2025, 12, 1))
    services.record_income(actor=None, fund=fund, year=YEAR, kind="interest", amount="123.45",
                           received_on=date(2026, 3, 31))
    project = submit(fund, amount="20000", title="โรงเรียนผู้สูงอายุ")
    services.decide_project(actor=None, project=project, meeting=committee.meeting(fund), decision="approve")
    services.sign_agreement(actor=None, project=project, agreement_no="1", agreement_date=date(2025, 11, 25))
    services.disburse(actor=None, project=project, amount="20000", paid_on=date(2025, 12, 5))
    services.report_progress(actor=None, project=project, kind="final", reported_on=date(2026, 3, 1),
                             text="ผู้สูงอายุเข้าร่วมครบหลักสูตร", spent_to_date="18500", people_reached=55)
    services.close_project(actor=None, project=project, closed_on=date(2026, 3, 2))
    return project


def test_the_statement_pdf_is_in_thai_and_its_totals_are_right(client_for, world, committee):
    _year_with_a_closed_project(world, committee)
    response = client_for("localfund").get(f"/funds/{world.fund.code}/statement/{YEAR}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    # Text extraction reorders some stacked Thai marks (ผู้ comes back as ผ้้), so the checks use words without them.
    assert "ปีงบประมาณ2569" in compact
    assert "สรุปการเงิน" in compact and "บัญชีทั่วไป" in compact
    assert "2569/001โรงเรียน" in compact
    assert "160,123.45" in text  # receipts: 100,000 + 60,000 + 123.45
    assert "141,623.45" in text  # balance: receipts − 20,000 paid + 1,500 returned
    assert "1,500.00" in text


def test_the_statement_workbook_has_the_same_totals(client_for, world, committee):
    _year_with_a_closed_project(world, committee)
    response = client_for("national").get(f"/funds/{world.fund.code}/statement/{YEAR}.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0][0] == "Account"
    total = summary[-1]
    assert total[0] == "Total"
    assert [Decimal(str(v)) for v in total[1:]] == [0, Decimal("160123.45"), Decimal("20000"), Decimal("1500"),
                                                    Decimal("141623.45")]
    projects = list(book["Projects"].iter_rows(values_only=True))
    assert projects[1][1] == "โรงเรียนผู้สูงอายุ" and Decimal(str(projects[1][8])) == Decimal("18500")


def test_money_sitting_unspent_and_missing_co_funding_are_warned_about(world, committee):
    fund_money(world.fund, "100000.00")
    messages = reports.year_summary(world.fund, YEAR).warnings
    assert any("neither spent nor committed" in m for m in messages)
    assert any("short of the 60,000.00 baht required" in m for m in messages)


def test_a_fund_that_has_committed_almost_everything_is_warned_it_runs_short(world, committee):
    fund_money(world.fund, "10000.00")
    services.decide_project(actor=None, project=submit(world.fund, amount="9500"),
                            meeting=committee.meeting(world.fund), decision="approve")
    messages = reports.year_summary(world.fund, YEAR).warnings
    assert any("running short: only 500.00 baht" in m for m in messages)
