from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pypdf
from openpyxl import load_workbook

from openuhc.core.charts import Chart, Series
from openuhc.core.exports import csv_response, table_pdf_response, xlsx_response


def test_csv_downloads_start_with_a_bom_so_that_excel_reads_thai():
    response = csv_response("x.csv", ["code", "name"], [("56001", "โรงพยาบาลพะเยา"), ("05601", None)])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffcode,name")
    assert "56001,โรงพยาบาลพะเยา" in body and "05601," in body
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_excel_downloads_keep_text_codes_and_exact_amounts():
    response = xlsx_response("x.xlsx", {"Units": (["code", "amount", "day"], [("05601", Decimal("1234.56"),
                                                                                 date(2026, 11, 22))])})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["code", "amount", "day"]
    assert sheet["A2"].value == "05601" and float(sheet["B2"].value) == 1234.56
    assert sheet["A1"].font.bold


def test_a_pdf_renders_thai_with_the_shipped_font():
    response = table_pdf_response("x.pdf", "รายงานทดสอบ", ["รหัส", "ชื่อ"], [("56001", "โรงพยาบาลพะเยา")])
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "รายงานทดสอบ" in text and "56001" in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Laksaman" in name for name in fonts), fonts


def test_a_chart_carries_its_numbers_for_the_table_under_it():
    chart = Chart("by-kind", "Cases", labels=["complaint", "advice"], series=[Series("2569", [3, Decimal("4.5")])])
    assert chart.config["data"]["datasets"][0]["data"] == [3.0, 4.5]
    assert chart.rows == [("complaint", [3]), ("advice", [Decimal("4.5")])]
