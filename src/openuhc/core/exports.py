"""Downloads every app offers: CSV (UTF-8 with BOM, so Excel shows Thai), Excel, and PDF with a Thai font.

    csv_response("units.csv", ["code", "name"], rows)
    xlsx_response("statement.xlsx", {"Summary": (header, rows), "Claims": (header, rows)})
    pdf_response("statement.pdf", "payment/statement_pdf.html", context)

PDF templates extend `core/pdf_base.html`, which embeds the Laksaman font shipped in
`core/static/fonts/` so that Thai renders even where no Thai font is installed.

Formula injection: text that begins with `=`, `+`, `-`, `@`, a tab, a carriage return, a line feed or a NUL
is a formula (or becomes one) when a spreadsheet opens the file — an HN of `=HYPERLINK(...)` sent by a
hospital would run in the national officer's Excel. Every CSV and Excel file OpenUHC writes goes through
this module: CSV cells get a leading `'` (OWASP "CSV Injection"; ASVS 5.0 requirement 1.2.10), Excel cells
are written as text with Excel's own quote prefix, so they show exactly what was stored and stay text when
edited. Anything that writes CSV elsewhere (a command's report, a file kept for later download) uses
`csv_writer` / `csv_cell`, never `csv.writer` alone.
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


# The first characters that make a spreadsheet read a cell as a formula (or strip into one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: dates in ISO form, None empty, formula-like text behind a `'`."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer` whose every cell goes through `csv_cell`."""

    def __init__(self, handle: Any) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any) -> SafeCsvWriter:
    return SafeCsvWriter(handle)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV as text (for a report file kept for later download)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """Streams rows as CSV; starts with a BOM so that Excel opens Thai text correctly."""
    writer = csv_writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(list(header))
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    _attachment(response, filename)
    return response


def xlsx_bytes(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx workbook with one sheet per entry, header row in bold; Decimals are written as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        cells = []
        for name in header:
            value = _excel(sheet, name)
            cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([_excel(sheet, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel(sheet: Any, value: Any) -> Any:
    # Excel has no time zones: write local wall-clock time.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters cannot be stored in a worksheet (openpyxl refuses the whole file): show them as �.
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if not (is_formula_like(value) or value.startswith("'")):
        return value
    # openpyxl writes a string starting with "=" as a live formula. Written as text with the quote prefix
    # (what Excel records when a person types '=...), the cell shows exactly the stored text and stays
    # text when edited. A stored leading ' gets the prefix too, so that it is shown, not swallowed.
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


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
