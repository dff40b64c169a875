"""Downloads every app offers: CSV (UTF-8 with BOM, so Excel shows Thai), Excel, and PDF with a Thai font.

    csv_response("units.csv", ["code", "name"], rows)
    xlsx_response("statement.xlsx", {"Summary": (header, rows), "Claims": (header, rows)})
    pdf_response("statement.pdf", "payment/statement_pdf.html", context)

PDF templates extend `core/pdf_base.html`, which embeds the Laksaman font shipped in
`core/static/fonts/` so that Thai renders even where no Thai font is installed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """Streams rows as CSV; starts with a BOM so that Excel opens Thai text correctly."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(list(header))
        for row in rows:
            yield writer.writerow([_plain(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    _attachment(response, filename)
    return response


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx workbook with one sheet per entry, header row in bold; Decimals are written as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([_excel(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel(value: Any) -> Any:
    # Excel has no time zones: write local wall-clock time.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_response(filename: str, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX)
    _attachment(response, filename)
    return response


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    """Render a template (extending core/pdf_base.html) to PDF with WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "font_dir": FONT_DIR.as_uri()})
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def pdf_response(filename: str, template: str, context: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context), content_type="application/pdf")
    _attachment(response, filename)
    return response


def table_pdf_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
                       subtitle: str = "") -> HttpResponse:
    """Any table as a PDF (A4, Thai font): the PDF twin of csv_response."""
    return pdf_response(filename, "core/pdf_table.html",
                        {"title": title, "subtitle": subtitle, "header": list(header), "rows": list(rows)})
